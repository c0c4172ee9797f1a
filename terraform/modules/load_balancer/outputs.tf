output "address" {
  description = "Domain name of the load balancer (point the service's DNS record at it)."
  value       = ncloud_lb.this.domain
}

output "load_balancer_id" {
  description = "Load balancer instance number."
  value       = ncloud_lb.this.load_balancer_no
}

output "target_group_no" {
  description = "Target group the app servers' auto scaling group registers into."
  value       = ncloud_lb_target_group.app.target_group_no
}

output "https_enabled" {
  description = "Whether an HTTPS listener exists (the edge proxies then redirect HTTP to HTTPS)."
  value       = var.certificate_no != null
}
