output "server_id" {
  description = "Instance number of the monitoring server."
  value       = ncloud_server.monitoring.instance_no
}

output "private_ip" {
  description = "Fixed private address of the monitoring server."
  value       = ncloud_network_interface.monitoring.private_ip
}

output "prometheus_url" {
  description = "Prometheus UI and API (reachable from admin_cidrs, e.g. through the SSL VPN)."
  value       = "http://${var.private_ip}:9090"
}

output "alertmanager_url" {
  description = "Alertmanager UI and API (reachable from admin_cidrs)."
  value       = "http://${var.private_ip}:9093"
}

output "discovered_jobs" {
  description = "Scrape jobs whose targets the discovery job writes (file_sd), with their file."
  value       = local.sd_files
}

output "rule_files" {
  description = "Rule files copied from monitoring/rules."
  value       = local.rule_files
}
