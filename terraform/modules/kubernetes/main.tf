# NKS cluster and its autoscaling node pool for the Kubernetes platform. Nodes sit in the private
# app subnets without public addresses; load balancers the cluster creates for Services/Ingresses
# go into the load-balancer-only subnets. The workloads themselves are the k8s/ folder's business.

data "ncloud_nks_versions" "this" {
  hypervisor_code = "KVM"

  filter {
    name   = "value"
    values = ["^${replace(var.kubernetes_version, ".", "\\.")}\\."]
    regex  = true
  }
}

data "ncloud_nks_server_images" "this" {
  hypervisor_code = "KVM"

  filter {
    name   = "label"
    values = [var.node_image_label]
    regex  = true
  }
}

data "ncloud_nks_server_products" "this" {
  software_code = data.ncloud_nks_server_images.this.images[0].value
  zone          = var.zone

  filter {
    name   = "product_type"
    values = ["STAND"]
  }

  filter {
    name   = "cpu_count"
    values = [tostring(var.node_cpu_count)]
  }

  filter {
    name   = "memory_size"
    values = ["${var.node_memory_gb}GB"]
  }
}

resource "ncloud_nks_cluster" "this" {
  name                 = "${var.name}-nks"
  hypervisor_code      = "KVM"
  cluster_type         = var.cluster_type
  k8s_version          = data.ncloud_nks_versions.this.versions[0].value
  login_key_name       = var.login_key_name
  zone                 = var.zone
  vpc_no               = var.vpc_id
  subnet_no_list       = var.node_subnet_ids
  lb_private_subnet_no = var.lb_private_subnet_id
  lb_public_subnet_no  = var.lb_public_subnet_id
  kube_network_plugin  = "cilium"
  public_network       = false
  return_protection    = var.return_protection

  ip_acl_default_action = length(var.api_allowed_cidrs) > 0 ? "deny" : "allow"

  dynamic "ip_acl" {
    for_each = var.api_allowed_cidrs
    content {
      action  = "allow"
      address = ip_acl.value
      comment = "operators / CI"
    }
  }

  log {
    audit = true
  }

  lifecycle {
    # Minor upgrades go through NKS (the version only moves forward); a new patch in the list
    # must not look like a change.
    ignore_changes = [k8s_version]
  }
}

resource "ncloud_nks_node_pool" "this" {
  cluster_uuid     = ncloud_nks_cluster.this.uuid
  node_pool_name   = "${var.name}-pool"
  node_count       = var.node_count
  software_code    = data.ncloud_nks_server_images.this.images[0].value
  server_spec_code = data.ncloud_nks_server_products.this.products[0].value
  storage_size     = var.node_storage_size
  subnet_no_list   = var.node_subnet_ids

  autoscale {
    enabled = true
    min     = var.node_min
    max     = var.node_max
  }

  lifecycle {
    # The cluster autoscaler owns the node count after creation.
    ignore_changes = [node_count, software_code]

    precondition {
      condition     = var.node_min <= var.node_count && var.node_count <= var.node_max
      error_message = "Need node_min <= node_count <= node_max."
    }
  }
}
