variable "name" {
  description = "Prefix of resource names, carrying the stage (e.g. \"sns-staging\"); 3-15 characters."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,13}[a-z0-9]$", var.name))
    error_message = "name must be 3-15 characters: lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen."
  }
}

variable "vpc_id" {
  description = "VPC number of the target group."
  type        = string
}

variable "subnet_ids" {
  description = "PUBLIC load-balancer-only subnets, at most one a zone."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 1 && length(var.subnet_ids) <= 2
    error_message = "subnet_ids takes one or two subnets (one a zone)."
  }
}

variable "target_port" {
  description = "Port the targets serve the public traffic on: the app servers' edge proxy (it forwards to the app on 8000 and keeps /metrics off the internet)."
  type        = number
  default     = 8080

  validation {
    condition     = var.target_port >= 1 && var.target_port <= 65534
    error_message = "target_port must be between 1 and 65534."
  }
}

variable "health_check_path" {
  description = "HTTP path of the target health check: /readyz answers 200 only while the database answers."
  type        = string
  default     = "/readyz"

  validation {
    condition     = startswith(var.health_check_path, "/")
    error_message = "health_check_path must start with /."
  }
}

variable "certificate_no" {
  description = "NCP Certificate Manager certificate number. When set, an HTTPS listener (TLS 1.2+, HTTP/2) is added and the edge proxies redirect plain HTTP to HTTPS; null serves HTTP only."
  type        = string
  default     = null

  validation {
    condition     = var.certificate_no == null || can(regex("^[0-9]+$", var.certificate_no))
    error_message = "certificate_no must be the numeric certificate number from Certificate Manager, or null."
  }
}

variable "throughput_type" {
  description = "Load balancer performance class: SMALL, MEDIUM, LARGE or XLARGE."
  type        = string
  default     = "SMALL"

  validation {
    condition     = contains(["SMALL", "MEDIUM", "LARGE", "XLARGE"], var.throughput_type)
    error_message = "throughput_type must be SMALL, MEDIUM, LARGE or XLARGE."
  }
}

variable "idle_timeout" {
  description = "Seconds an idle client connection is kept (longer than gunicorn's 30 s timeout)."
  type        = number
  default     = 60

  validation {
    condition     = var.idle_timeout >= 1 && var.idle_timeout <= 3600
    error_message = "idle_timeout must be between 1 and 3600 seconds."
  }
}
