output "auto_scaling_group_id" {
  description = "Auto scaling group number."
  value       = ncloud_auto_scaling_group.app.auto_scaling_group_no
}

output "access_control_group_id" {
  description = "Access control group of the app servers (the monitoring server discovers its targets by it)."
  value       = ncloud_access_control_group.app.id
}

output "server_name_prefix" {
  description = "Prefix of the app servers' names."
  value       = ncloud_auto_scaling_group.app.server_name_prefix
}

output "launch_configuration_name" {
  description = "Launch configuration of the current release (named after a hash of its init script)."
  value       = ncloud_launch_configuration.app.name
}

output "image" {
  description = "Image reference the servers run."
  value       = local.image
}

output "scale_out_policy_name" {
  description = "Policy to attach to a Cloud Insight \"CPU high\" event rule."
  value       = ncloud_auto_scaling_policy.scale_out.name
}

output "scale_in_policy_name" {
  description = "Policy to attach to a Cloud Insight \"CPU low\" event rule."
  value       = ncloud_auto_scaling_policy.scale_in.name
}
