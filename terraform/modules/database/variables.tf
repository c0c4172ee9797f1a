variable "name" {
  description = "Prefix of resource names, carrying the stage (e.g. \"sns-staging\"); 3-15 characters."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,13}[a-z0-9]$", var.name))
    error_message = "name must be 3-15 characters: lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen."
  }
}

variable "vpc_id" {
  description = "VPC number the database lives in."
  type        = string
}

variable "vpc_cidr" {
  description = "IPv4 block of the VPC: the database servers may open connections inside it only."
  type        = string

  validation {
    condition     = can(cidrnetmask(var.vpc_cidr))
    error_message = "vpc_cidr must be a CIDR block."
  }
}

variable "subnet_ids" {
  description = "Private database subnets, one a zone: the primary goes in the first, the standby (multi_zone) and the read replica in the second when there is one."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 1
    error_message = "subnet_ids needs at least one subnet."
  }
}

variable "app_cidr" {
  description = "Block covering exactly the app subnets (the network's app_supernet_cidr): the only source allowed to log in (pg_hba client_cidr) and to reach PostgreSQL (5432) through the access control group."
  type        = string

  validation {
    condition     = can(cidrnetmask(var.app_cidr)) && !startswith(var.app_cidr, "0.0.0.0/")
    error_message = "app_cidr must be a CIDR block narrower than 0.0.0.0/0."
  }
}

variable "db_cidr" {
  description = "Block covering exactly the database subnets (the network's db_supernet_cidr): replication between primary, standby and replica."
  type        = string

  validation {
    condition     = can(cidrnetmask(var.db_cidr)) && !startswith(var.db_cidr, "0.0.0.0/")
    error_message = "db_cidr must be a CIDR block narrower than 0.0.0.0/0."
  }
}

variable "database_name" {
  description = "Database created with the instance."
  type        = string
  default     = "sns"

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,29}$", var.database_name))
    error_message = "database_name: 1-30 lowercase letters, digits and underscores, starting with a letter."
  }
}

variable "username" {
  description = "Owner user of the database (the app connects as this user)."
  type        = string
  default     = "sns_app"

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{3,15}$", var.username))
    error_message = "username: 4-16 lowercase letters, digits and underscores, starting with a letter."
  }
}

variable "password" {
  description = "Password of the database user (TF_VAR_db_password). NCP rules: 8-20 characters with a letter, a digit and one of ~!@#$%^*()-_=[]{};:,.<>? and none of ` & + \\ \" ' / or spaces."
  type        = string
  sensitive   = true

  validation {
    condition = (
      length(var.password) >= 8 && length(var.password) <= 20
      && can(regex("[A-Za-z]", var.password)) && can(regex("[0-9]", var.password))
      && can(regex("[~!@#$%^*()\\-_=\\[\\]{};:,.<>?]", var.password))
      && !can(regex("[`&+\\\\\"'/\\s]", var.password))
    )
    error_message = "password breaks NCP's rules: 8-20 characters, at least one letter, one digit and one of ~!@#$%^*()-_=[]{};:,.<>?, none of ` & + \\ \" ' / or whitespace."
  }
}

variable "product_code" {
  description = "Server spec of the database servers (ncloud_postgresql_products), e.g. \"SVR.VPGSL.DBSVR.STAND.C002.M008.NET.SSD.B050.G002\" (2 vCPU, 8 GB)."
  type        = string

  validation {
    condition     = can(regex("^SVR\\.VPGSL\\.", var.product_code))
    error_message = "product_code must be a Cloud DB for PostgreSQL product code (SVR.VPGSL....)."
  }
}

variable "image_product_code" {
  description = "OS image of the database servers (ncloud_postgresql_image_products)."
  type        = string
  default     = "SW.VPGSL.OS.LNX64.ROCKY.0810.PGSQL.B050"

  validation {
    condition     = can(regex("^SW\\.VPGSL\\.", var.image_product_code))
    error_message = "image_product_code must be a Cloud DB for PostgreSQL image code (SW.VPGSL....)."
  }
}

variable "engine_version_code" {
  description = "PostgreSQL engine version code (ncloud_postgresql_image_products engine_version_code, e.g. \"14.x\"); null takes NCP's current default at creation. Changing it replaces the instance."
  type        = string
  default     = null
}

variable "ha" {
  description = "Run a standby server with automatic failover (backups are then always on)."
  type        = bool
  default     = true
}

variable "multi_zone" {
  description = "Put the standby in the second zone's subnet (needs ha and two subnets)."
  type        = bool
  default     = false
}

variable "backup_retention_days" {
  description = "Days daily backups are kept (1-30)."
  type        = number
  default     = 7

  validation {
    condition     = var.backup_retention_days >= 1 && var.backup_retention_days <= 30 && floor(var.backup_retention_days) == var.backup_retention_days
    error_message = "backup_retention_days must be a whole number from 1 to 30."
  }
}

variable "read_replica" {
  description = "Add one read replica (in the second zone when multi_zone)."
  type        = bool
  default     = false
}
