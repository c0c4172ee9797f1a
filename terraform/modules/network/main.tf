# One VPC per stage. Every workload sits in a private subnet; the only public subnets hold the NAT
# gateway and the public load balancer. Network ACLs are stateless, so every tier also admits the
# answers to the connections it opens itself (ephemeral ports 1024-65535).

locals {
  zone_index = { for i, z in var.zones : z => i }

  # /24 blocks by tier, one per zone (offsets documented in variables.tf).
  app_cidrs        = [for i, z in var.zones : cidrsubnet(var.vpc_cidr, 8, 10 + i)]
  db_cidrs         = [for i, z in var.zones : cidrsubnet(var.vpc_cidr, 8, 20 + i)]
  lb_private_cidrs = [for i, z in var.zones : cidrsubnet(var.vpc_cidr, 8, 30 + i)]
  lb_public_cidrs  = [for i, z in var.zones : cidrsubnet(var.vpc_cidr, 8, 40 + i)]
  nat_cidr         = cidrsubnet(var.vpc_cidr, 8, 50)
  # One /23 per tier covers its (at most two) subnets: 10.x.10.0/23 app, 10.x.20.0/23 database,
  # 10.x.40.0/23 public load balancer. Rules that take a single block use these.
  app_supernet       = cidrsubnet(var.vpc_cidr, 7, 5)
  db_supernet        = cidrsubnet(var.vpc_cidr, 7, 10)
  lb_public_supernet = cidrsubnet(var.vpc_cidr, 7, 20)

  anywhere = "0.0.0.0/0"

  # Operators (SSL VPN pool) reach SSH and the monitoring UIs; nothing else comes from outside.
  admin_ports = ["22", "9090", "9093"]
  admin_rules = flatten([
    for i, cidr in var.admin_cidrs : [
      for j, port in local.admin_ports : {
        priority    = 20 + i * length(local.admin_ports) + j
        protocol    = "TCP"
        ip_block    = cidr
        port_range  = port
        rule_action = "ALLOW"
        description = "operators (${cidr}) to port ${port}"
      }
    ]
  ])

  drop_rest = [
    for i, proto in ["TCP", "UDP", "ICMP"] : {
      priority    = 197 + i
      protocol    = proto
      ip_block    = local.anywhere
      port_range  = proto == "ICMP" ? null : "1-65535"
      rule_action = "DROP"
      description = "everything else (${proto})"
    }
  ]

  allow_all_out = [
    for i, proto in ["TCP", "UDP", "ICMP"] : {
      priority    = 1 + i
      protocol    = proto
      ip_block    = local.anywhere
      port_range  = proto == "ICMP" ? null : "1-65535"
      rule_action = "ALLOW"
      description = "all outbound ${proto}; stateless ACL, the ACGs filter per server"
    }
  ]

  public_inbound = concat([
    { priority = 1, protocol = "TCP", ip_block = local.anywhere, port_range = "80", rule_action = "ALLOW", description = "HTTP to the public load balancer" },
    { priority = 2, protocol = "TCP", ip_block = local.anywhere, port_range = "443", rule_action = "ALLOW", description = "HTTPS to the public load balancer" },
    { priority = 10, protocol = "TCP", ip_block = var.vpc_cidr, port_range = "1-65535", rule_action = "ALLOW", description = "VPC traffic leaving through the NAT gateway, target answers to the load balancer" },
    { priority = 11, protocol = "UDP", ip_block = var.vpc_cidr, port_range = "1-65535", rule_action = "ALLOW", description = "VPC UDP leaving through the NAT gateway (DNS, NTP)" },
    { priority = 12, protocol = "ICMP", ip_block = var.vpc_cidr, port_range = null, rule_action = "ALLOW", description = "ICMP from the VPC" },
    { priority = 100, protocol = "TCP", ip_block = local.anywhere, port_range = "1024-65535", rule_action = "ALLOW", description = "answers to connections opened through the NAT gateway" },
    { priority = 101, protocol = "UDP", ip_block = local.anywhere, port_range = "1024-65535", rule_action = "ALLOW", description = "UDP answers (DNS, NTP) through the NAT gateway" },
  ], local.drop_rest)

  app_inbound = concat([
    { priority = 1, protocol = "TCP", ip_block = var.vpc_cidr, port_range = "1-65535", rule_action = "ALLOW", description = "VPC: load balancer to the app, monitoring scrapes, Kubernetes node traffic" },
    { priority = 2, protocol = "UDP", ip_block = var.vpc_cidr, port_range = "1-65535", rule_action = "ALLOW", description = "VPC UDP (Kubernetes DNS and overlay)" },
    { priority = 3, protocol = "ICMP", ip_block = var.vpc_cidr, port_range = null, rule_action = "ALLOW", description = "ICMP from the VPC" },
    { priority = 100, protocol = "TCP", ip_block = local.anywhere, port_range = "1024-65535", rule_action = "ALLOW", description = "answers to connections opened through the NAT gateway" },
    { priority = 101, protocol = "UDP", ip_block = local.anywhere, port_range = "1024-65535", rule_action = "ALLOW", description = "UDP answers (DNS, NTP) through the NAT gateway" },
  ], local.admin_rules, local.drop_rest)

  db_inbound = concat(
    [for i, cidr in local.app_cidrs : { priority = 1 + i, protocol = "TCP", ip_block = cidr, port_range = "5432", rule_action = "ALLOW", description = "PostgreSQL from app subnet ${cidr}" }],
    [for i, cidr in local.db_cidrs : { priority = 10 + i, protocol = "TCP", ip_block = cidr, port_range = "1-65535", rule_action = "ALLOW", description = "primary, standby and replica traffic inside the database tier (${cidr})" }],
    [
      { priority = 20, protocol = "TCP", ip_block = var.vpc_cidr, port_range = "1024-65535", rule_action = "ALLOW", description = "answers to connections the database servers open inside the VPC" },
      { priority = 21, protocol = "ICMP", ip_block = var.vpc_cidr, port_range = null, rule_action = "ALLOW", description = "ICMP from the VPC" },
    ],
    local.drop_rest,
  )
}

resource "ncloud_vpc" "this" {
  name            = "${var.name}-vpc"
  ipv4_cidr_block = var.vpc_cidr
}

# ---------------------------------------------------------------- network ACLs

resource "ncloud_network_acl" "public" {
  vpc_no      = ncloud_vpc.this.vpc_no
  name        = "${var.name}-nacl-pub"
  description = "NAT gateway and public load balancer subnets"
}

resource "ncloud_network_acl" "app" {
  vpc_no      = ncloud_vpc.this.vpc_no
  name        = "${var.name}-nacl-app"
  description = "app servers, Kubernetes nodes, monitoring and private load balancers"
}

resource "ncloud_network_acl" "db" {
  vpc_no      = ncloud_vpc.this.vpc_no
  name        = "${var.name}-nacl-db"
  description = "Cloud DB for PostgreSQL: PostgreSQL from the app subnets only"
}

resource "ncloud_network_acl_rule" "public" {
  #checkov:skip=CKV_NCP_12:The all-ports inbound rules admit only the VPC's own block (traffic leaving through the NAT gateway to any port); everything from outside is limited to 80/443 and ephemeral answers.
  network_acl_no = ncloud_network_acl.public.id

  dynamic "inbound" {
    for_each = local.public_inbound
    content {
      priority    = inbound.value.priority
      protocol    = inbound.value.protocol
      ip_block    = inbound.value.ip_block
      port_range  = inbound.value.port_range
      rule_action = inbound.value.rule_action
      description = inbound.value.description
    }
  }

  dynamic "outbound" {
    for_each = local.allow_all_out
    content {
      priority    = outbound.value.priority
      protocol    = outbound.value.protocol
      ip_block    = outbound.value.ip_block
      port_range  = outbound.value.port_range
      rule_action = outbound.value.rule_action
      description = outbound.value.description
    }
  }
}

resource "ncloud_network_acl_rule" "app" {
  #checkov:skip=CKV_NCP_12:The all-ports inbound rules admit only the VPC's own block (load balancer, monitoring, Kubernetes node-to-node); from outside only operators' SSH/monitoring ports and ephemeral answers pass, and the ACGs filter per server.
  network_acl_no = ncloud_network_acl.app.id

  dynamic "inbound" {
    for_each = local.app_inbound
    content {
      priority    = inbound.value.priority
      protocol    = inbound.value.protocol
      ip_block    = inbound.value.ip_block
      port_range  = inbound.value.port_range
      rule_action = inbound.value.rule_action
      description = inbound.value.description
    }
  }

  dynamic "outbound" {
    for_each = local.allow_all_out
    content {
      priority    = outbound.value.priority
      protocol    = outbound.value.protocol
      ip_block    = outbound.value.ip_block
      port_range  = outbound.value.port_range
      rule_action = outbound.value.rule_action
      description = outbound.value.description
    }
  }
}

resource "ncloud_network_acl_rule" "db" {
  #checkov:skip=CKV_NCP_12:All ports are open only between the database subnets themselves (primary/standby replication); the app subnets get 5432 alone and everything else is dropped.
  network_acl_no = ncloud_network_acl.db.id

  dynamic "inbound" {
    for_each = local.db_inbound
    content {
      priority    = inbound.value.priority
      protocol    = inbound.value.protocol
      ip_block    = inbound.value.ip_block
      port_range  = inbound.value.port_range
      rule_action = inbound.value.rule_action
      description = inbound.value.description
    }
  }

  dynamic "outbound" {
    for_each = local.allow_all_out
    content {
      priority    = outbound.value.priority
      protocol    = outbound.value.protocol
      ip_block    = outbound.value.ip_block
      port_range  = outbound.value.port_range
      rule_action = outbound.value.rule_action
      description = outbound.value.description
    }
  }
}

# ---------------------------------------------------------------- subnets

resource "ncloud_subnet" "app" {
  for_each = local.zone_index

  vpc_no         = ncloud_vpc.this.vpc_no
  name           = "${var.name}-app-${each.value + 1}"
  zone           = each.key
  subnet         = local.app_cidrs[each.value]
  subnet_type    = "PRIVATE"
  usage_type     = "GEN"
  network_acl_no = ncloud_network_acl.app.id
}

resource "ncloud_subnet" "db" {
  for_each = local.zone_index

  vpc_no         = ncloud_vpc.this.vpc_no
  name           = "${var.name}-db-${each.value + 1}"
  zone           = each.key
  subnet         = local.db_cidrs[each.value]
  subnet_type    = "PRIVATE"
  usage_type     = "GEN"
  network_acl_no = ncloud_network_acl.db.id
}

# Load balancer subnets: NCP places load balancers only in LOADB subnets; a public load balancer
# needs a PUBLIC one, private (Kubernetes-internal) load balancers a PRIVATE one.
resource "ncloud_subnet" "lb_private" {
  for_each = local.zone_index

  vpc_no         = ncloud_vpc.this.vpc_no
  name           = "${var.name}-lbpriv-${each.value + 1}"
  zone           = each.key
  subnet         = local.lb_private_cidrs[each.value]
  subnet_type    = "PRIVATE"
  usage_type     = "LOADB"
  network_acl_no = ncloud_network_acl.app.id
}

resource "ncloud_subnet" "lb_public" {
  for_each = local.zone_index

  vpc_no         = ncloud_vpc.this.vpc_no
  name           = "${var.name}-lbpub-${each.value + 1}"
  zone           = each.key
  subnet         = local.lb_public_cidrs[each.value]
  subnet_type    = "PUBLIC"
  usage_type     = "LOADB"
  network_acl_no = ncloud_network_acl.public.id
}

resource "ncloud_subnet" "nat" {
  vpc_no         = ncloud_vpc.this.vpc_no
  name           = "${var.name}-natgw"
  zone           = var.zones[0]
  subnet         = local.nat_cidr
  subnet_type    = "PUBLIC"
  usage_type     = "NATGW"
  network_acl_no = ncloud_network_acl.public.id
}

# ---------------------------------------------------------------- egress

resource "ncloud_nat_gateway" "this" {
  vpc_no      = ncloud_vpc.this.vpc_no
  subnet_no   = ncloud_subnet.nat.id
  zone        = var.zones[0]
  name        = "${var.name}-nat"
  description = "outbound internet for the app subnets (registry, object storage, OS packages)"
}

# The app subnets get their own route table with the default route through the NAT gateway. The
# database and load balancer subnets stay on the VPC's default private table: no way out.
resource "ncloud_route_table" "app" {
  vpc_no                = ncloud_vpc.this.vpc_no
  name                  = "${var.name}-rt-app"
  supported_subnet_type = "PRIVATE"
  description           = "app subnets: default route through the NAT gateway"
}

resource "ncloud_route" "app_default" {
  route_table_no         = ncloud_route_table.app.id
  destination_cidr_block = "0.0.0.0/0"
  target_type            = "NATGW"
  target_name            = ncloud_nat_gateway.this.name
  target_no              = ncloud_nat_gateway.this.id
}

resource "ncloud_route_table_association" "app" {
  #checkov:skip=CKV_NCP_22:This check is about public subnets; these are the private app subnets on their NAT route table. Public subnets keep the VPC's default public table (internet gateway).
  for_each = local.zone_index

  route_table_no = ncloud_route_table.app.id
  subnet_no      = ncloud_subnet.app[each.key].id
}
