variable "name" {
  description = "Prefix of every resource name, carrying the stage (e.g. \"sns-staging\"). NCP names allow 3-30 lowercase letters, digits and hyphens, so the prefix stays at 15 characters or fewer to leave room for suffixes."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,13}[a-z0-9]$", var.name))
    error_message = "name must be 3-15 characters: lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen."
  }
}

variable "vpc_cidr" {
  description = "IPv4 block of the VPC. Must be a private /16: the module carves /24 subnets out of it (app 10-11, db 20-21, private LB 30-31, public LB 40-41, NAT 50)."
  type        = string

  validation {
    condition     = can(cidrnetmask(var.vpc_cidr)) && endswith(var.vpc_cidr, "/16") && can(regex("^(10\\.|172\\.(1[6-9]|2[0-9]|3[01])\\.|192\\.168\\.)", var.vpc_cidr))
    error_message = "vpc_cidr must be a /16 inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16 (e.g. \"10.10.0.0/16\")."
  }
}

variable "zones" {
  description = "Zones to spread the subnets over, first zone first: the NAT gateway, the app servers' auto scaling group and the Kubernetes cluster live in zones[0]; a second zone adds a standby database zone and a second load balancer leg."
  type        = list(string)

  validation {
    condition     = length(var.zones) >= 1 && length(var.zones) <= 2 && length(distinct(var.zones)) == length(var.zones) && alltrue([for z in var.zones : contains(["KR-1", "KR-2"], z)])
    error_message = "zones must hold one or two distinct zones of the KR region: \"KR-1\", \"KR-2\"."
  }
}

variable "admin_cidrs" {
  description = "Source blocks of operators (e.g. the SSL VPN client pool) allowed to reach SSH (22) and the monitoring UIs (9090, 9093) in the private subnets. Empty closes them entirely. Never 0.0.0.0/0."
  type        = list(string)
  default     = []

  validation {
    condition     = length(var.admin_cidrs) <= 10 && alltrue([for c in var.admin_cidrs : can(cidrnetmask(c)) && !startswith(c, "0.0.0.0/")])
    error_message = "admin_cidrs takes at most 10 valid CIDR blocks, none of them 0.0.0.0/0."
  }
}
