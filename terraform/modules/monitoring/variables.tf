variable "name" {
  description = "Prefix of resource names, carrying the stage (e.g. \"sns-staging\"); 3-15 characters."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,13}[a-z0-9]$", var.name))
    error_message = "name must be 3-15 characters: lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen."
  }
}

variable "stage" {
  description = "Stage name, added as the external label \"stage\" and to every discovered target."
  type        = string

  validation {
    condition     = contains(["staging", "production"], var.stage)
    error_message = "stage must be \"staging\" or \"production\"."
  }
}

variable "runbook_url" {
  description = "URL of monitoring/RUNBOOK.md in the repository, linked from alert messages (empty: its path)."
  type        = string
  default     = ""

  validation {
    condition     = var.runbook_url == "" || can(regex("^https://", var.runbook_url))
    error_message = "runbook_url must be empty or an https:// URL."
  }
}

variable "vpc_id" {
  description = "VPC number of the access control group."
  type        = string
}

variable "vpc_cidr" {
  description = "IPv4 block of the VPC (scrape traffic stays inside it)."
  type        = string

  validation {
    condition     = can(cidrnetmask(var.vpc_cidr))
    error_message = "vpc_cidr must be a CIDR block."
  }
}

variable "subnet_id" {
  description = "Private app subnet of the monitoring server (it leaves through the NAT gateway)."
  type        = string
}

variable "private_ip" {
  description = "Fixed private address of the monitoring server inside subnet_id; it survives a replacement of the server, so the app servers' scrape rules stay valid."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{1,3}(\\.[0-9]{1,3}){3}$", var.private_ip))
    error_message = "private_ip must be an IPv4 address."
  }
}

variable "admin_cidrs" {
  description = "Operators' blocks (SSL VPN pool) allowed to SSH (22) and to open Prometheus (9090) and Alertmanager (9093). Never 0.0.0.0/0."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for c in var.admin_cidrs : can(cidrnetmask(c)) && !startswith(c, "0.0.0.0/")])
    error_message = "admin_cidrs must be CIDR blocks, never 0.0.0.0/0."
  }
}

variable "login_key_name" {
  description = "NCP login key the server's root password is encrypted with (created by terraform/bootstrap)."
  type        = string

  validation {
    condition     = length(var.login_key_name) >= 3 && length(var.login_key_name) <= 30
    error_message = "login_key_name must be 3-30 characters."
  }
}

variable "server_image_product_code" {
  description = "OS image of the server (Rocky Linux 8.10 by default)."
  type        = string
  default     = "SW.VSVR.OS.LNX64.ROCKY.0810.B050"

  validation {
    condition     = can(regex("^SW\\.VSVR\\.OS\\.LNX64\\.", var.server_image_product_code))
    error_message = "server_image_product_code must be a Linux server image code (SW.VSVR.OS.LNX64....)."
  }
}

variable "server_product_code" {
  description = "Server spec, e.g. \"SVR.VSVR.STAND.C002.M008.NET.SSD.B050.G002\" (2 vCPU, 8 GB)."
  type        = string

  validation {
    condition     = can(regex("^SVR\\.VSVR\\.[A-Z]+\\.C[0-9]{3}\\.M[0-9]{3}\\.", var.server_product_code))
    error_message = "server_product_code must be a VPC server product code such as SVR.VSVR.STAND.C002.M008.NET.SSD.B050.G002."
  }
}

variable "monitoring_dir" {
  description = "Folder holding the repository's prometheus.yml, alertmanager.yml, rules/*.yml and templates/ (the root passes path.root/../../../monitoring)."
  type        = string
}

variable "app_access_control_group_id" {
  description = "Access control group of the app servers: every network interface carrying it is a scrape target."
  type        = string
}

variable "app_port" {
  description = "Port the app serves /metrics and /readyz on."
  type        = number
  default     = 8000
}

variable "app_job_name" {
  description = "Scrape job of the app's /metrics in monitoring/prometheus.yml."
  type        = string
  default     = "sns-api"
}

variable "readiness_job_name" {
  description = "Blackbox job probing each app server's /readyz in monitoring/prometheus.yml."
  type        = string
  default     = "sns-api-readyz"
}

variable "node_job_name" {
  description = "Node exporter job in monitoring/prometheus.yml (app servers and this server)."
  type        = string
  default     = "node"
}

variable "metrics_token" {
  description = "Bearer token the app requires on /metrics (METRICS_TOKEN). Sensitive: TF_VAR_metrics_token."
  type        = string
  sensitive   = true

  validation {
    condition     = length(var.metrics_token) >= 32
    error_message = "metrics_token must be at least 32 characters (e.g. openssl rand -hex 32)."
  }
}

variable "slack_webhook_url" {
  description = "Slack-compatible incoming webhook URL Alertmanager posts to. Sensitive: TF_VAR_slack_webhook_url."
  type        = string
  sensitive   = true

  validation {
    condition     = startswith(var.slack_webhook_url, "https://")
    error_message = "slack_webhook_url must be an https:// URL."
  }
}

variable "discovery_access_key" {
  description = "Access key of a sub account with read-only server access (NCP_VPC_SERVER_VIEWER) used by target discovery. Sensitive: TF_VAR_discovery_access_key."
  type        = string
  sensitive   = true

  validation {
    condition     = length(var.discovery_access_key) > 0
    error_message = "discovery_access_key is required on the servers platform."
  }
}

variable "discovery_secret_key" {
  description = "Secret key of that sub account. Sensitive: TF_VAR_discovery_secret_key."
  type        = string
  sensitive   = true

  validation {
    condition     = length(var.discovery_secret_key) > 0
    error_message = "discovery_secret_key is required on the servers platform."
  }
}

variable "ncloud_region" {
  description = "Region code the discovery job lists servers in."
  type        = string
  default     = "KR"
}

variable "api_endpoint" {
  description = "NCP API gateway the discovery job calls."
  type        = string
  default     = "https://ncloud.apigw.ntruss.com"

  validation {
    condition     = startswith(var.api_endpoint, "https://")
    error_message = "api_endpoint must be an https:// URL."
  }
}

variable "retention" {
  description = "How long Prometheus keeps samples (on the server's disk; lost when the server is replaced)."
  type        = string
  default     = "15d"

  validation {
    condition     = can(regex("^[0-9]+[dhw]$", var.retention))
    error_message = "retention must look like 15d, 2w or 360h."
  }
}

variable "prometheus_image" {
  description = "Prometheus image (pinned)."
  type        = string
  default     = "prom/prometheus:v2.53.3"
}

variable "alertmanager_image" {
  description = "Alertmanager image (pinned)."
  type        = string
  default     = "prom/alertmanager:v0.27.0"
}

variable "blackbox_image" {
  description = "Blackbox exporter image (pinned); it probes each app server's /readyz."
  type        = string
  default     = "prom/blackbox-exporter:v0.25.0"
}

variable "node_exporter_image" {
  description = "Node exporter image (pinned)."
  type        = string
  default     = "prom/node-exporter:v1.8.2"
}
