output "vpc_id" {
  description = "Number (ID) of the VPC."
  value       = ncloud_vpc.this.vpc_no
}

output "vpc_cidr" {
  description = "IPv4 block of the VPC."
  value       = ncloud_vpc.this.ipv4_cidr_block
}

output "zones" {
  description = "Zones in use, first zone first; every *_subnet_ids list follows this order."
  value       = var.zones
}

output "app_subnet_ids" {
  description = "Private subnets (one a zone) for app servers, Kubernetes nodes and the monitoring server; they leave through the NAT gateway."
  value       = [for z in var.zones : ncloud_subnet.app[z].id]
}

output "app_subnet_cidrs" {
  description = "IPv4 blocks of the app subnets, in zone order: the only sources the database accepts."
  value       = local.app_cidrs
}

output "app_supernet_cidr" {
  description = "One block covering exactly the app subnets (10.x.10.0/23): the database's only client."
  value       = local.app_supernet
}

output "db_subnet_ids" {
  description = "Private subnets (one a zone) for Cloud DB for PostgreSQL; no route out of the VPC."
  value       = [for z in var.zones : ncloud_subnet.db[z].id]
}

output "db_subnet_cidrs" {
  description = "IPv4 blocks of the database subnets, in zone order."
  value       = local.db_cidrs
}

output "db_supernet_cidr" {
  description = "One block covering exactly the database subnets (10.x.20.0/23)."
  value       = local.db_supernet
}

output "lb_private_subnet_ids" {
  description = "PRIVATE load-balancer-only subnets (Kubernetes internal load balancers)."
  value       = [for z in var.zones : ncloud_subnet.lb_private[z].id]
}

output "lb_public_subnet_ids" {
  description = "PUBLIC load-balancer-only subnets: the one place a public endpoint may live."
  value       = [for z in var.zones : ncloud_subnet.lb_public[z].id]
}

output "lb_public_subnet_cidrs" {
  description = "IPv4 blocks of the public load balancer subnets, in zone order."
  value       = local.lb_public_cidrs
}

output "lb_public_supernet_cidr" {
  description = "One block covering exactly the public load balancer subnets (10.x.40.0/23): the only source of web traffic to the app servers."
  value       = local.lb_public_supernet
}

output "nat_gateway_public_ip" {
  description = "Public address outbound traffic leaves from (for allow-lists at third parties)."
  value       = ncloud_nat_gateway.this.public_ip
}
