output "load_balancer_address" {
  description = "Domain name of the public load balancer (servers platform). null on Kubernetes, where the ingress creates its own load balancer: kubectl get ingress -n sns-<stage>."
  value       = one(module.load_balancer[*].address)
}

output "database_endpoint" {
  description = "host:port of the PostgreSQL primary (private domain, reachable from the app subnets only)."
  value       = module.database.endpoint
}

output "bucket_name" {
  description = "Photo bucket (AWS_STORAGE_BUCKET_NAME)."
  value       = module.object_storage.bucket_name
}

output "cluster_id" {
  description = "UUID of the NKS cluster; null on the servers platform."
  value       = one(module.kubernetes[*].cluster_id)
}

output "image" {
  description = "Image the servers run (servers platform); the Kubernetes platform deploys through k8s/."
  value       = one(module.app_servers[*].image)
}

output "monitoring_urls" {
  description = "Prometheus and Alertmanager on the monitoring server (servers platform, reachable from admin_cidrs)."
  value       = var.platform == "servers" ? { prometheus = one(module.monitoring[*].prometheus_url), alertmanager = one(module.monitoring[*].alertmanager_url) } : null
}

output "scaling_policies" {
  description = "Auto scaling policies to attach to Cloud Insight CPU event rules (servers platform)."
  value       = var.platform == "servers" ? { scale_out = one(module.app_servers[*].scale_out_policy_name), scale_in = one(module.app_servers[*].scale_in_policy_name) } : null
}
