variable "name" {
  description = "Prefix of resource names, carrying the stage (e.g. \"sns-production\"); 3-15 characters (NKS allows 20 for the cluster and the node pool)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,13}[a-z0-9]$", var.name))
    error_message = "name must be 3-15 characters: lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen."
  }
}

variable "vpc_id" {
  description = "VPC number of the cluster."
  type        = string
}

variable "zone" {
  description = "Zone of the cluster and its nodes (the first zone of the network)."
  type        = string

  validation {
    condition     = contains(["KR-1", "KR-2"], var.zone)
    error_message = "zone must be \"KR-1\" or \"KR-2\"."
  }
}

variable "node_subnet_ids" {
  description = "Private app subnets of the worker nodes (in the cluster's zone); the database accepts these subnets."
  type        = list(string)

  validation {
    condition     = length(var.node_subnet_ids) >= 1
    error_message = "node_subnet_ids needs at least one subnet."
  }
}

variable "lb_private_subnet_id" {
  description = "PRIVATE load-balancer-only subnet for internal load balancers the cluster creates."
  type        = string
}

variable "lb_public_subnet_id" {
  description = "PUBLIC load-balancer-only subnet for the ingress load balancer the cluster creates."
  type        = string
}

variable "login_key_name" {
  description = "NCP login key of the worker nodes (created by terraform/bootstrap)."
  type        = string

  validation {
    condition     = length(var.login_key_name) >= 3 && length(var.login_key_name) <= 30
    error_message = "login_key_name must be 3-30 characters."
  }
}

variable "kubernetes_version" {
  description = "Kubernetes minor version (the k8s/ manifests are validated against 1.30); the newest NKS patch release of it is used."
  type        = string
  default     = "1.30"

  validation {
    condition     = can(regex("^1\\.[0-9]{2}$", var.kubernetes_version))
    error_message = "kubernetes_version must be a minor version such as \"1.30\"."
  }
}

variable "cluster_type" {
  description = "NKS cluster type (KVM), which caps the node count, e.g. \"SVR.VNKS.STAND.C004.M016.G003\"."
  type        = string
  default     = "SVR.VNKS.STAND.C004.M016.G003"

  validation {
    condition     = can(regex("^SVR\\.VNKS\\.STAND\\.C[0-9]{3}\\.M[0-9]{3}\\.G003$", var.cluster_type))
    error_message = "cluster_type must be a KVM NKS cluster type such as SVR.VNKS.STAND.C004.M016.G003."
  }
}

variable "node_image_label" {
  description = "Regular expression on the label of the NKS node OS image."
  type        = string
  default     = "ubuntu-22\\.04"
}

variable "node_cpu_count" {
  description = "vCPUs of a worker node (selects the node server spec)."
  type        = number
  default     = 2

  validation {
    condition     = contains([2, 4, 8, 16], var.node_cpu_count)
    error_message = "node_cpu_count must be 2, 4, 8 or 16."
  }
}

variable "node_memory_gb" {
  description = "Memory of a worker node in GB (selects the node server spec)."
  type        = number
  default     = 8

  validation {
    condition     = contains([4, 8, 16, 32, 64], var.node_memory_gb)
    error_message = "node_memory_gb must be 4, 8, 16, 32 or 64."
  }
}

variable "node_storage_size" {
  description = "Disk of a worker node in GB."
  type        = number
  default     = 100

  validation {
    condition     = var.node_storage_size >= 50 && var.node_storage_size <= 2000
    error_message = "node_storage_size must be between 50 and 2000 GB."
  }
}

variable "node_count" {
  description = "Worker nodes at creation; the cluster autoscaler moves it between node_min and node_max afterwards."
  type        = number

  validation {
    condition     = var.node_count >= 1 && var.node_count <= 50
    error_message = "node_count must be between 1 and 50."
  }
}

variable "node_min" {
  description = "Fewest worker nodes the autoscaler keeps."
  type        = number

  validation {
    condition     = var.node_min >= 1
    error_message = "node_min must be at least 1."
  }
}

variable "node_max" {
  description = "Most worker nodes the autoscaler adds."
  type        = number

  validation {
    condition     = var.node_max >= var.node_min && var.node_max <= 50
    error_message = "node_max must be between node_min and 50."
  }
}

variable "api_allowed_cidrs" {
  description = "Blocks allowed to reach the Kubernetes API endpoint (operators, CI egress). Empty leaves the endpoint open to any address, still behind NCP IAM authentication."
  type        = list(string)
  default     = []

  validation {
    condition     = length(var.api_allowed_cidrs) <= 20 && alltrue([for c in var.api_allowed_cidrs : can(cidrnetmask(c)) && !startswith(c, "0.0.0.0/")])
    error_message = "api_allowed_cidrs takes at most 20 CIDR blocks, none of them 0.0.0.0/0."
  }
}

variable "return_protection" {
  description = "Refuse deletion of the cluster until this is switched off (production)."
  type        = bool
  default     = false
}
