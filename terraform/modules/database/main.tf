# Cloud DB for PostgreSQL in the private database subnets. No public domain is requested, so the
# servers are reachable inside the VPC only, and then only from the app subnets: once in pg_hba
# (client_cidr) and once in the access control group NCP creates for the instance.

locals {
  zone_count = length(var.subnet_ids)
}

resource "ncloud_postgresql" "this" {
  service_name       = "${var.name}-pg"
  server_name_prefix = "${var.name}-pg"
  vpc_no             = var.vpc_id
  subnet_no          = var.subnet_ids[0]

  user_name     = var.username
  user_password = var.password
  client_cidr   = var.app_cidr
  database_name = var.database_name

  image_product_code  = var.image_product_code
  product_code        = var.product_code
  engine_version_code = var.engine_version_code
  data_storage_type   = "SSD"
  storage_encryption  = true

  ha                  = var.ha
  multi_zone          = var.ha && var.multi_zone
  secondary_subnet_no = var.ha && var.multi_zone ? var.subnet_ids[1] : null

  backup                       = true
  automatic_backup             = true
  backup_file_retention_period = var.backup_retention_days
  backup_file_compression      = true

  lifecycle {
    precondition {
      condition     = !var.multi_zone || (var.ha && local.zone_count >= 2)
      error_message = "multi_zone needs ha = true and a database subnet in a second zone."
    }
  }
}

resource "ncloud_postgresql_read_replica" "this" {
  count = var.read_replica ? 1 : 0

  postgresql_instance_no = ncloud_postgresql.this.id
  subnet_no              = var.ha && var.multi_zone ? var.subnet_ids[1] : null
}

# NCP creates one access control group for the instance (cloud-postgresql-*), with no inbound rule.
# This resource owns its whole rule set: PostgreSQL from the app subnets (and replication inside
# the database tier), and outbound traffic inside the VPC only. The default port 5432 is written
# out: the instance's port attribute is only known after creation.
resource "ncloud_access_control_group_rule" "this" {
  access_control_group_no = ncloud_postgresql.this.access_control_group_no_list[0]

  inbound {
    protocol    = "TCP"
    ip_block    = var.app_cidr
    port_range  = "5432"
    description = "PostgreSQL from the app subnets"
  }

  inbound {
    protocol    = "TCP"
    ip_block    = var.db_cidr
    port_range  = "5432"
    description = "replication between primary, standby and replica"
  }

  outbound {
    protocol    = "TCP"
    ip_block    = var.vpc_cidr
    port_range  = "1-65535"
    description = "answers and replication inside the VPC only"
  }
}
