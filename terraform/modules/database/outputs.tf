locals {
  primary = one([for s in ncloud_postgresql.this.postgresql_server_list : s if s.server_role == "M"])
  replica = one(flatten([for r in ncloud_postgresql_read_replica.this : [for s in r.postgresql_server_list : s if s.server_role == "S"]]))
}

output "instance_id" {
  description = "Cloud DB for PostgreSQL instance number."
  value       = ncloud_postgresql.this.id
}

output "host" {
  description = "Private domain of the primary server; it follows the primary on failover."
  value       = local.primary.private_domain
}

output "port" {
  description = "PostgreSQL port."
  value       = ncloud_postgresql.this.port
}

output "endpoint" {
  description = "host:port of the primary, for DATABASE_URL."
  value       = "${local.primary.private_domain}:${ncloud_postgresql.this.port}"
}

output "database_name" {
  description = "Name of the database created with the instance."
  value       = ncloud_postgresql.this.database_name
}

output "username" {
  description = "Database user the app connects as (the password stays in TF_VAR_db_password)."
  value       = ncloud_postgresql.this.user_name
}

output "read_replica_host" {
  description = "Private domain of the read replica, or null without one."
  value       = local.replica == null ? null : local.replica.private_domain
}

output "access_control_group_id" {
  description = "Access control group NCP created for the instance (its rules are managed here)."
  value       = ncloud_postgresql.this.access_control_group_no_list[0]
}
