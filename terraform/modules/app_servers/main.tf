# App servers: an auto scaling group of Rocky Linux servers in the private app subnet, each running
# the app container (port 8000), an nginx edge proxy for the load balancer (port 8080) and a node
# exporter (9100). The first-boot script installs Docker, pulls the release and starts them.

locals {
  image = "${var.registry}/${var.image_name}:${var.image_tag}"

  # Contract: deployments never run migrations in the app container itself (the first-boot script
  # runs them once, before the app starts) and never seed production data by accident.
  app_environment = merge(var.environment, { RUN_MIGRATIONS = "false" })

  app_env_file = join("", [
    for k, v in merge(local.app_environment, var.secret_environment) : "${k}=${v}\n"
  ])

  edge_conf = templatefile("${path.module}/templates/edge.conf.tftpl", {
    app_port               = var.app_port
    edge_port              = var.edge_port
    redirect_http_to_https = var.redirect_http_to_https
    client_max_body_size   = var.client_max_body_size
  })

  init_script = templatefile("${path.module}/templates/init.sh.tftpl", {
    files = [
      { path = "/etc/sns/app.env", mode = "0600", owner = "root", content = base64gzip(local.app_env_file) },
      { path = "/etc/sns/edge.conf", mode = "0644", owner = "root", content = base64gzip(local.edge_conf) },
    ]
    registry            = var.registry
    registry_username   = base64encode(var.registry_username)
    registry_password   = base64encode(var.registry_password)
    image               = local.image
    app_port            = var.app_port
    edge_image          = var.edge_image
    node_exporter_image = var.node_exporter_image
  })

  # Launch configurations and init scripts cannot change in place: each release gets new ones,
  # named after a short hash of the script (a digest of it, which reveals nothing of the secrets).
  release = substr(nonsensitive(sha256(local.init_script)), 0, 8)
}

resource "ncloud_access_control_group" "app" {
  vpc_no      = var.vpc_id
  name        = "${var.name}-app"
  description = "sns app servers: web traffic from the load balancer only"
}

# The port inside the dynamic block is written tostring(22): checkov 3.3 crashes on a bare "22" in
# a dynamic block it cannot expand (empty list), and the crash silently drops its ACG checks.
resource "ncloud_access_control_group_rule" "app" {
  #checkov:skip=CKV_NCP_3:Servers must reach the container registry, Object Storage, Sentry and OS mirrors on the internet (through the NAT gateway); outbound is limited to HTTP(S), DNS and NTP there.
  access_control_group_no = ncloud_access_control_group.app.id

  inbound {
    protocol    = "TCP"
    ip_block    = var.lb_cidr
    port_range  = tostring(var.edge_port)
    description = "edge proxy from the public load balancer subnets"
  }

  inbound {
    protocol    = "TCP"
    ip_block    = var.monitoring_cidr
    port_range  = tostring(var.app_port)
    description = "Prometheus scrape of the app (/metrics, /readyz probe) from the monitoring server"
  }

  inbound {
    protocol    = "TCP"
    ip_block    = var.monitoring_cidr
    port_range  = "9100"
    description = "Prometheus scrape of the node exporter from the monitoring server"
  }

  dynamic "inbound" {
    for_each = var.admin_cidrs
    content {
      protocol    = "TCP"
      ip_block    = inbound.value
      port_range  = tostring(22)
      description = "SSH from operators (${inbound.value})"
    }
  }

  outbound {
    protocol    = "TCP"
    ip_block    = var.vpc_cidr
    port_range  = "1-65535"
    description = "inside the VPC: database, monitoring"
  }

  dynamic "outbound" {
    for_each = { "TCP/80" = "HTTP", "TCP/443" = "HTTPS", "TCP/53" = "DNS over TCP", "UDP/53" = "DNS", "UDP/123" = "NTP" }
    content {
      protocol    = split("/", outbound.key)[0]
      ip_block    = "0.0.0.0/0"
      port_range  = split("/", outbound.key)[1]
      description = "${outbound.value} to the internet through the NAT gateway"
    }
  }
}

resource "ncloud_init_script" "app" {
  name        = "${var.name}-app-${local.release}"
  description = "sns app server first boot (image ${var.image_tag})"
  os_type     = "LNX"
  content     = local.init_script

  lifecycle {
    create_before_destroy = true
  }
}

resource "ncloud_launch_configuration" "app" {
  name                      = "${var.name}-app-${local.release}"
  server_image_product_code = var.server_image_product_code
  server_product_code       = var.server_product_code
  login_key_name            = var.login_key_name
  init_script_no            = ncloud_init_script.app.init_script_no
  is_encrypted_volume       = true

  lifecycle {
    create_before_destroy = true
  }
}

resource "ncloud_auto_scaling_group" "app" {
  #checkov:skip=CKV_NCP_18:The group does use load balancer health checks (LOADB); its target group comes from modules/load_balancer (HTTP check on /readyz), a connection checkov's graph does not follow across modules.
  name                         = "${var.name}-asg"
  launch_configuration_no      = ncloud_launch_configuration.app.launch_configuration_no
  subnet_no                    = var.subnet_id
  access_control_group_no_list = [ncloud_access_control_group.app.id]
  server_name_prefix           = var.server_name_prefix

  min_size         = var.min_size
  max_size         = var.max_size
  desired_capacity = var.desired_capacity
  default_cooldown = var.scaling_cooldown

  # Servers the load balancer finds unhealthy (/readyz) are replaced.
  health_check_type_code    = "LOADB"
  health_check_grace_period = var.health_check_grace_period
  target_group_list         = [var.target_group_no]
  wait_for_capacity_timeout = "30m"

  lifecycle {
    # The scaling policies move the desired capacity; Terraform must not undo them on each apply.
    ignore_changes = [desired_capacity]

    precondition {
      condition     = var.min_size <= var.desired_capacity && var.desired_capacity <= var.max_size
      error_message = "Need min_size <= desired_capacity <= max_size."
    }
  }
}

# Step policies. NCP triggers them from Cloud Insight event rules (CPU above/below a threshold),
# which provider v4 cannot create: terraform/README.md shows the one-time console step.
resource "ncloud_auto_scaling_policy" "scale_out" {
  name                  = "${var.name}-scale-out"
  auto_scaling_group_no = ncloud_auto_scaling_group.app.auto_scaling_group_no
  adjustment_type_code  = "CHANG"
  scaling_adjustment    = var.scale_out_step
  cooldown              = var.scaling_cooldown
}

resource "ncloud_auto_scaling_policy" "scale_in" {
  name                  = "${var.name}-scale-in"
  auto_scaling_group_no = ncloud_auto_scaling_group.app.auto_scaling_group_no
  adjustment_type_code  = "CHANG"
  scaling_adjustment    = -var.scale_in_step
  cooldown              = var.scaling_cooldown
}
