output "cluster_id" {
  description = "UUID of the NKS cluster (ncp-iam-authenticator update-kubeconfig --clusterUuid ...)."
  value       = ncloud_nks_cluster.this.uuid
}

output "cluster_name" {
  description = "Name of the NKS cluster."
  value       = ncloud_nks_cluster.this.name
}

output "endpoint" {
  description = "Kubernetes API endpoint."
  value       = ncloud_nks_cluster.this.endpoint
}

output "kubernetes_version" {
  description = "NKS version the cluster was created with."
  value       = ncloud_nks_cluster.this.k8s_version
}

output "node_pool_name" {
  description = "Name of the autoscaling node pool."
  value       = ncloud_nks_node_pool.this.node_pool_name
}
