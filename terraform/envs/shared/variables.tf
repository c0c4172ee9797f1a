# ---------------------------------------------------------------- stage and placement

variable "project" {
  description = "Project prefix of every name."
  type        = string
  default     = "sns"

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{1,2}$", var.project))
    error_message = "project must be 2-3 lowercase letters or digits, starting with a letter (NCP names are short: server name prefixes allow 7 characters)."
  }
}

variable "stage" {
  description = "Stage this root deploys; every name carries it, so both stages can share one account."
  type        = string

  validation {
    condition     = contains(["staging", "production"], var.stage)
    error_message = "stage must be \"staging\" or \"production\"."
  }
}

variable "platform" {
  description = "\"servers\": auto scaling group behind a load balancer plus a monitoring server. \"kubernetes\": an NKS cluster that runs k8s/."
  type        = string

  validation {
    condition     = contains(["servers", "kubernetes"], var.platform)
    error_message = "platform must be \"servers\" or \"kubernetes\"."
  }
}

variable "region" {
  description = "NCP region."
  type        = string
  default     = "KR"

  validation {
    condition     = var.region == "KR"
    error_message = "Only the KR region is set up (zones KR-1/KR-2, Object Storage kr.object.ncloudstorage.com)."
  }
}

variable "zones" {
  description = "Zones of the stage, first zone first (see modules/network)."
  type        = list(string)
}

variable "vpc_cidr" {
  description = "Private /16 of the stage's VPC; stages use different blocks so they could be peered."
  type        = string
}

variable "admin_cidrs" {
  description = "Operators' source blocks (SSL VPN client pool): SSH, monitoring UIs, Kubernetes API. Empty closes them. Never 0.0.0.0/0."
  type        = list(string)
}

variable "login_key_name" {
  description = "Login key created by terraform/bootstrap."
  type        = string
}

# ---------------------------------------------------------------- release

variable "registry" {
  description = "NCP Container Registry endpoint holding sns-backend (<name>.kr.ncr.ntruss.com)."
  type        = string
}

variable "image_name" {
  description = "Repository of the app image."
  type        = string
  default     = "sns-backend"

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9._/-]*$", var.image_name))
    error_message = "image_name must be a lowercase repository name."
  }
}

variable "image_tag" {
  description = "Git SHA of the release to run (scripts/tf.sh passes the checked-out commit unless TF_VAR_image_tag is set). Never \"latest\"."
  type        = string

  validation {
    condition     = can(regex("^[0-9a-f]{7,40}$", var.image_tag))
    error_message = "image_tag must be a git SHA (7-40 lowercase hex characters)."
  }
}

# ---------------------------------------------------------------- web

variable "domain_names" {
  description = "Public host names of the API (DNS records point at the load balancer or ingress); they become ALLOWED_HOSTS and CSRF trusted origins."
  type        = list(string)

  validation {
    condition     = alltrue([for d in var.domain_names : can(regex("^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$", d))])
    error_message = "domain_names must be lowercase DNS names."
  }
}

variable "cors_allowed_origins" {
  description = "Browser origins allowed to call the API (CORS_ALLOWED_ORIGINS)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for o in var.cors_allowed_origins : can(regex("^https?://", o))])
    error_message = "cors_allowed_origins must be http(s):// origins."
  }
}

variable "certificate_no" {
  description = "Certificate Manager certificate number for HTTPS on the load balancer; null serves HTTP only."
  type        = string
  default     = null
}

variable "lb_throughput_type" {
  description = "Load balancer performance class (SMALL, MEDIUM, LARGE, XLARGE)."
  type        = string
}

# ---------------------------------------------------------------- app servers (servers platform)

variable "app_server_product_code" {
  description = "Spec of the app servers (XEN, G2), e.g. SVR.VSVR.STAND.C002.M008.NET.SSD.B050.G002."
  type        = string
}

variable "app_min_size" {
  description = "Fewest app servers."
  type        = number
}

variable "app_max_size" {
  description = "Most app servers."
  type        = number
}

variable "app_desired_capacity" {
  description = "App servers at creation."
  type        = number
}

variable "gunicorn_workers" {
  description = "Gunicorn worker processes per app container (GUNICORN_WORKERS)."
  type        = number

  validation {
    condition     = var.gunicorn_workers >= 1 && var.gunicorn_workers <= 32
    error_message = "gunicorn_workers must be between 1 and 32."
  }
}

variable "log_level" {
  description = "LOG_LEVEL of the app."
  type        = string
  default     = "INFO"

  validation {
    condition     = contains(["DEBUG", "INFO", "WARNING", "ERROR"], var.log_level)
    error_message = "log_level must be DEBUG, INFO, WARNING or ERROR."
  }
}

variable "auto_seed" {
  description = "Seed demo data when the database is empty (AUTO_SEED); never in production."
  type        = bool
  default     = false

  validation {
    condition     = !(var.auto_seed && var.stage == "production")
    error_message = "auto_seed must stay false in production."
  }
}

variable "monitoring_server_product_code" {
  description = "Spec of the monitoring server."
  type        = string
}

# ---------------------------------------------------------------- database

variable "db_name" {
  description = "Database name."
  type        = string
  default     = "sns"
}

variable "db_username" {
  description = "Database user of the app."
  type        = string
  default     = "sns_app"
}

variable "db_product_code" {
  description = "Spec of the database servers (SVR.VPGSL....)."
  type        = string
}

variable "db_ha" {
  description = "Standby server with automatic failover."
  type        = bool
}

variable "db_multi_zone" {
  description = "Standby in the second zone (needs two zones and db_ha)."
  type        = bool
}

variable "db_read_replica" {
  description = "One read replica."
  type        = bool
}

variable "db_backup_retention_days" {
  description = "Days backups are kept (1-30)."
  type        = number
}

# ---------------------------------------------------------------- storage

variable "media_bucket_name" {
  description = "Photo bucket; global across NCP, so it carries project, stage and an account suffix."
  type        = string

  validation {
    condition     = strcontains(var.media_bucket_name, var.stage)
    error_message = "media_bucket_name must contain the stage name."
  }
}

# ---------------------------------------------------------------- Kubernetes (kubernetes platform)

variable "kubernetes_version" {
  description = "Kubernetes minor version of the NKS cluster."
  type        = string
  default     = "1.30"
}

variable "nks_cluster_type" {
  description = "NKS cluster type (KVM)."
  type        = string
}

variable "nks_node_cpu_count" {
  description = "vCPUs of a worker node."
  type        = number
}

variable "nks_node_memory_gb" {
  description = "Memory of a worker node in GB."
  type        = number
}

variable "nks_node_count" {
  description = "Worker nodes at creation."
  type        = number
}

variable "nks_node_min" {
  description = "Fewest worker nodes."
  type        = number
}

variable "nks_node_max" {
  description = "Most worker nodes."
  type        = number
}

variable "nks_return_protection" {
  description = "Refuse deletion of the cluster until switched off."
  type        = bool
}

# ---------------------------------------------------------------- secrets (TF_VAR_* only, never in files)

variable "db_password" {
  description = "Password of the database user (TF_VAR_db_password)."
  type        = string
  sensitive   = true
}

variable "django_secret_key" {
  description = "DJANGO_SECRET_KEY of the app servers (TF_VAR_django_secret_key); servers platform."
  type        = string
  sensitive   = true
  default     = null

  validation {
    condition     = var.platform != "servers" || try(length(var.django_secret_key) >= 50, false)
    error_message = "TF_VAR_django_secret_key is required on the servers platform (50+ characters)."
  }
}

variable "object_storage_access_key" {
  description = "Access key the app uses for the photo bucket (TF_VAR_object_storage_access_key); servers platform."
  type        = string
  sensitive   = true
  default     = null

  validation {
    condition     = var.platform != "servers" || try(length(var.object_storage_access_key) > 0, false)
    error_message = "TF_VAR_object_storage_access_key is required on the servers platform."
  }
}

variable "object_storage_secret_key" {
  description = "Secret key of that access key (TF_VAR_object_storage_secret_key); servers platform."
  type        = string
  sensitive   = true
  default     = null

  validation {
    condition     = var.platform != "servers" || try(length(var.object_storage_secret_key) > 0, false)
    error_message = "TF_VAR_object_storage_secret_key is required on the servers platform."
  }
}

variable "registry_username" {
  description = "Container Registry user, an access key allowed to pull (TF_VAR_registry_username); servers platform."
  type        = string
  sensitive   = true
  default     = null

  validation {
    condition     = var.platform != "servers" || try(length(var.registry_username) > 0, false)
    error_message = "TF_VAR_registry_username is required on the servers platform."
  }
}

variable "registry_password" {
  description = "Container Registry password, that key's secret (TF_VAR_registry_password); servers platform."
  type        = string
  sensitive   = true
  default     = null

  validation {
    condition     = var.platform != "servers" || try(length(var.registry_password) > 0, false)
    error_message = "TF_VAR_registry_password is required on the servers platform."
  }
}

variable "metrics_token" {
  description = "Bearer token of /metrics, shared by the app and Prometheus (TF_VAR_metrics_token); servers platform."
  type        = string
  sensitive   = true
  default     = null

  validation {
    condition     = var.platform != "servers" || try(length(var.metrics_token) >= 32, false)
    error_message = "TF_VAR_metrics_token is required on the servers platform (32+ characters, e.g. openssl rand -hex 32)."
  }
}

variable "slack_webhook_url" {
  description = "Slack-compatible webhook of Alertmanager (TF_VAR_slack_webhook_url); servers platform."
  type        = string
  sensitive   = true
  default     = null

  validation {
    condition     = var.platform != "servers" || try(startswith(var.slack_webhook_url, "https://"), false)
    error_message = "TF_VAR_slack_webhook_url (https://...) is required on the servers platform."
  }
}

variable "discovery_access_key" {
  description = "Read-only (NCP_VPC_SERVER_VIEWER) access key the monitoring server lists app servers with (TF_VAR_discovery_access_key); servers platform."
  type        = string
  sensitive   = true
  default     = null

  validation {
    condition     = var.platform != "servers" || try(length(var.discovery_access_key) > 0, false)
    error_message = "TF_VAR_discovery_access_key is required on the servers platform."
  }
}

variable "discovery_secret_key" {
  description = "Secret key of the discovery access key (TF_VAR_discovery_secret_key); servers platform."
  type        = string
  sensitive   = true
  default     = null

  validation {
    condition     = var.platform != "servers" || try(length(var.discovery_secret_key) > 0, false)
    error_message = "TF_VAR_discovery_secret_key is required on the servers platform."
  }
}

variable "sentry_dsn" {
  description = "SENTRY_DSN of the app servers (TF_VAR_sentry_dsn); empty turns Sentry off."
  type        = string
  sensitive   = true
  default     = ""
}

variable "runbook_url" {
  description = "URL of monitoring/RUNBOOK.md in this repository, linked from alert messages (empty: its path)."
  type        = string
  default     = ""
}
