variable "name" {
  description = "Prefix of resource names, carrying the stage (e.g. \"sns-staging\"); 3-15 characters."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,13}[a-z0-9]$", var.name))
    error_message = "name must be 3-15 characters: lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen."
  }
}

variable "server_name_prefix" {
  description = "Prefix of the servers' names (NCP allows 3-7 characters), carrying the stage, e.g. \"sns-stg\"."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,5}[a-z0-9]$", var.server_name_prefix))
    error_message = "server_name_prefix must be 3-7 lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen."
  }
}

variable "vpc_id" {
  description = "VPC number of the access control group."
  type        = string
}

variable "vpc_cidr" {
  description = "IPv4 block of the VPC (database, monitoring and other private traffic)."
  type        = string

  validation {
    condition     = can(cidrnetmask(var.vpc_cidr))
    error_message = "vpc_cidr must be a CIDR block."
  }
}

variable "subnet_id" {
  description = "Private app subnet the auto scaling group launches servers into (it leaves through the NAT gateway)."
  type        = string
}

variable "lb_cidr" {
  description = "Block covering exactly the public load balancer subnets: the only source of web traffic to the edge proxy."
  type        = string

  validation {
    condition     = can(cidrnetmask(var.lb_cidr)) && !startswith(var.lb_cidr, "0.0.0.0/")
    error_message = "lb_cidr must be a CIDR block narrower than 0.0.0.0/0."
  }
}

variable "monitoring_cidr" {
  description = "The monitoring server's address as a /32: allowed to scrape the app (app_port) and the node exporter (9100)."
  type        = string

  validation {
    condition     = can(cidrnetmask(var.monitoring_cidr)) && endswith(var.monitoring_cidr, "/32") && !startswith(var.monitoring_cidr, "0.0.0.0/")
    error_message = "monitoring_cidr must be a single address as a /32."
  }
}

variable "admin_cidrs" {
  description = "Operators' blocks (SSL VPN pool) allowed to SSH (22). Empty closes SSH; never 0.0.0.0/0."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for c in var.admin_cidrs : can(cidrnetmask(c)) && !startswith(c, "0.0.0.0/")])
    error_message = "admin_cidrs must be CIDR blocks, never 0.0.0.0/0."
  }
}

variable "login_key_name" {
  description = "NCP login key the servers' root password is encrypted with (created by terraform/bootstrap)."
  type        = string

  validation {
    condition     = length(var.login_key_name) >= 3 && length(var.login_key_name) <= 30
    error_message = "login_key_name must be 3-30 characters."
  }
}

variable "server_image_product_code" {
  description = "OS image of the servers (XEN, 2nd generation; launch configurations take no KVM image numbers). Rocky Linux 8.10 by default."
  type        = string
  default     = "SW.VSVR.OS.LNX64.ROCKY.0810.B050"

  validation {
    condition     = can(regex("^SW\\.VSVR\\.OS\\.LNX64\\.", var.server_image_product_code))
    error_message = "server_image_product_code must be a Linux server image code (SW.VSVR.OS.LNX64....)."
  }
}

variable "server_product_code" {
  description = "Server spec matching the image, e.g. \"SVR.VSVR.STAND.C002.M008.NET.SSD.B050.G002\" (2 vCPU, 8 GB)."
  type        = string

  validation {
    condition     = can(regex("^SVR\\.VSVR\\.[A-Z]+\\.C[0-9]{3}\\.M[0-9]{3}\\.", var.server_product_code))
    error_message = "server_product_code must be a VPC server product code such as SVR.VSVR.STAND.C002.M008.NET.SSD.B050.G002."
  }
}

variable "min_size" {
  description = "Fewest app servers."
  type        = number

  validation {
    condition     = var.min_size >= 1 && var.min_size <= 30
    error_message = "min_size must be between 1 and 30."
  }
}

variable "max_size" {
  description = "Most app servers."
  type        = number

  validation {
    condition     = var.max_size >= 1 && var.max_size <= 30
    error_message = "max_size must be between 1 and 30."
  }
}

variable "desired_capacity" {
  description = "App servers at creation; afterwards the scaling policies own it (Terraform ignores its drift)."
  type        = number

  validation {
    condition     = var.desired_capacity >= 1 && var.desired_capacity <= 30
    error_message = "desired_capacity must be between 1 and 30."
  }
}

variable "health_check_grace_period" {
  description = "Seconds a new server gets to install Docker, pull the image and migrate before load balancer health checks count."
  type        = number
  default     = 600

  validation {
    condition     = var.health_check_grace_period >= 60 && var.health_check_grace_period <= 3600
    error_message = "health_check_grace_period must be between 60 and 3600 seconds."
  }
}

variable "target_group_no" {
  description = "Load balancer target group the servers register into (health checks on /readyz)."
  type        = string
}

variable "registry" {
  description = "NCP Container Registry endpoint, e.g. \"sns-xxxx.kr.ncr.ntruss.com\"."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]+\\.ncr\\.(gov-)?ntruss\\.com$", var.registry))
    error_message = "registry must be an NCP Container Registry endpoint (<name>.kr.ncr.ntruss.com)."
  }
}

variable "image_name" {
  description = "Repository of the app image in the registry."
  type        = string
  default     = "sns-backend"
}

variable "image_tag" {
  description = "Tag of the app image to run: the git SHA of the release, never \"latest\"."
  type        = string

  validation {
    condition     = can(regex("^[0-9a-f]{7,40}$", var.image_tag))
    error_message = "image_tag must be a git SHA (7-40 lowercase hex characters); \"latest\" and other moving tags are refused."
  }
}

variable "registry_username" {
  description = "Registry user (an NCP access key allowed to pull). Sensitive: TF_VAR_registry_username."
  type        = string
  sensitive   = true

  validation {
    condition     = length(var.registry_username) > 0
    error_message = "registry_username is required on the servers platform (TF_VAR_registry_username)."
  }
}

variable "registry_password" {
  description = "Registry password (the secret key of that access key). Sensitive: TF_VAR_registry_password."
  type        = string
  sensitive   = true

  validation {
    condition     = length(var.registry_password) > 0
    error_message = "registry_password is required on the servers platform (TF_VAR_registry_password)."
  }
}

variable "environment" {
  description = "Non-secret environment of the app container (contract names: DJANGO_SETTINGS_MODULE, DJANGO_ALLOWED_HOSTS, ...). DJANGO_ALLOWED_HOSTS gets the server's own address appended at boot."
  type        = map(string)

  validation {
    condition     = contains(keys(var.environment), "DJANGO_ALLOWED_HOSTS") && alltrue([for k, v in var.environment : can(regex("^[A-Z][A-Z0-9_]*$", k)) && !strcontains(v, "\n")])
    error_message = "environment needs DJANGO_ALLOWED_HOSTS; keys are UPPER_SNAKE_CASE and values single-line."
  }
}

variable "secret_environment" {
  description = "Secret environment of the app container (DJANGO_SECRET_KEY, DATABASE_URL, AWS keys, METRICS_TOKEN, ...). Ends up in the init script: see terraform/README.md, \"Secrets\"."
  type        = map(string)
  sensitive   = true

  validation {
    condition     = alltrue([for k, v in var.secret_environment : can(regex("^[A-Z][A-Z0-9_]*$", k)) && !strcontains(v, "\n")])
    error_message = "secret_environment keys are UPPER_SNAKE_CASE and values single-line."
  }
}

variable "app_port" {
  description = "Port the app container listens on (contract: 8000)."
  type        = number
  default     = 8000
}

variable "edge_port" {
  description = "Port of the edge proxy the load balancer targets."
  type        = number
  default     = 8080

  validation {
    condition     = var.edge_port != var.app_port && var.edge_port >= 1024 && var.edge_port <= 65534
    error_message = "edge_port must differ from app_port and lie in 1024-65534."
  }
}

variable "redirect_http_to_https" {
  description = "Make the edge proxy answer plain-HTTP requests with a 301 to HTTPS (set when the load balancer has a certificate)."
  type        = bool
  default     = false
}

variable "client_max_body_size" {
  description = "Largest request body the edge proxy accepts (photo uploads), nginx syntax."
  type        = string
  default     = "20m"

  validation {
    condition     = can(regex("^[0-9]+[km]?$", var.client_max_body_size))
    error_message = "client_max_body_size must look like 20m, 512k or 1048576."
  }
}

variable "edge_image" {
  description = "Image of the edge proxy (pinned)."
  type        = string
  default     = "nginx:1.27.3-alpine"
}

variable "node_exporter_image" {
  description = "Image of the node exporter scraped by the monitoring server (pinned)."
  type        = string
  default     = "prom/node-exporter:v1.8.2"
}

variable "scale_out_step" {
  description = "Servers added by the scale-out policy."
  type        = number
  default     = 1

  validation {
    condition     = var.scale_out_step >= 1 && var.scale_out_step <= 10
    error_message = "scale_out_step must be between 1 and 10."
  }
}

variable "scale_in_step" {
  description = "Servers removed by the scale-in policy."
  type        = number
  default     = 1

  validation {
    condition     = var.scale_in_step >= 1 && var.scale_in_step <= 10
    error_message = "scale_in_step must be between 1 and 10."
  }
}

variable "scaling_cooldown" {
  description = "Seconds after a scaling action during which further alarms are ignored."
  type        = number
  default     = 300

  validation {
    condition     = var.scaling_cooldown >= 0 && var.scaling_cooldown <= 3600
    error_message = "scaling_cooldown must be between 0 and 3600 seconds."
  }
}
