# The monitoring server of the server platform: Prometheus, Alertmanager, a blackbox exporter and
# a node exporter on one private server. Their configuration is the repository's monitoring/
# folder, read at plan time, so a change there replaces the server with the new configuration.
#
# App servers come and go with the auto scaling group. A systemd timer on this server lists them
# through the NCP API (every network interface that carries the app servers' access control group)
# and writes Prometheus file_sd files; the scrape jobs below read those files. Nobody edits targets.

locals {
  prometheus_source_path   = "${var.monitoring_dir}/prometheus.yml"
  alertmanager_source_path = "${var.monitoring_dir}/alertmanager.yml"
  blackbox_source_path     = "${var.monitoring_dir}/blackbox.yml"

  prometheus_source   = yamldecode(fileexists(local.prometheus_source_path) ? file(local.prometheus_source_path) : "{}")
  alertmanager_source = fileexists(local.alertmanager_source_path) ? file(local.alertmanager_source_path) : ""
  alertmanager_config = yamldecode(local.alertmanager_source == "" ? "{}" : local.alertmanager_source)
  blackbox_config     = fileexists(local.blackbox_source_path)

  # Rule and template files are globbed, so any names the monitoring/ folder settles on work.
  rule_files             = sort(fileset("${var.monitoring_dir}/rules", "*.{yml,yaml}"))
  alertmanager_templates = sort(fileset(var.monitoring_dir, "templates/*.tmpl"))

  # Jobs whose targets are the app servers, and the target each server contributes ({ip} is
  # filled in by the discovery script).
  discovered_jobs = {
    (var.app_job_name)       = "{ip}:${var.app_port}"
    (var.node_job_name)      = "{ip}:9100"
    (var.readiness_job_name) = "http://{ip}:${var.app_port}/readyz"
  }
  sd_files         = { for job in keys(local.discovered_jobs) : job => "/etc/prometheus/file_sd/${job}.json" }
  source_jobs      = [for sc in try(local.prometheus_source.scrape_configs, []) : sc.job_name]
  token_path       = "/etc/prometheus/secrets/metrics-token"
  has_own_app_auth = anytrue([for sc in try(local.prometheus_source.scrape_configs, []) : sc.job_name == var.app_job_name && (can(sc.authorization) || can(sc.bearer_token_file))])

  # The monitoring/ scrape jobs as written, except that the discovered jobs read the file_sd files
  # (their static or other service discovery is dropped) and the app job authenticates with the
  # metrics token when it does not say how itself.
  scrape_configs = [
    for sc in try(local.prometheus_source.scrape_configs, []) : merge(
      { for k, v in sc : k => v if !(contains(keys(local.discovered_jobs), sc.job_name) && (k == "static_configs" || endswith(k, "_sd_configs"))) },
      { for k, v in { file_sd_configs = [{ files = [lookup(local.sd_files, sc.job_name, "")], refresh_interval = "30s" }] } : k => v if contains(keys(local.discovered_jobs), sc.job_name) },
      { for k, v in { authorization = { type = "Bearer", credentials_file = local.token_path } } : k => v if sc.job_name == var.app_job_name && !local.has_own_app_auth },
    )
  ]

  prometheus_config = merge(local.prometheus_source, {
    global = merge(try(local.prometheus_source.global, {}), {
      external_labels = merge(
        try(local.prometheus_source.global.external_labels, {}),
        { stage = var.stage },
        # Alert messages link to the runbook through this label (monitoring/templates/slack.tmpl).
        var.runbook_url == "" ? {} : { runbook_base = var.runbook_url },
      )
    })
    alerting       = { alertmanagers = [{ static_configs = [{ targets = ["127.0.0.1:9093"] }] }] }
    scrape_configs = local.scrape_configs
  })

  # Secret files go wherever the configuration expects them (relative paths are relative to the
  # configuration file, as Prometheus and Alertmanager read them).
  metrics_token_paths = distinct([
    for p in compact(concat(
      [for sc in local.scrape_configs : try(sc.authorization.credentials_file, "") if sc.job_name == var.app_job_name],
      [for sc in local.scrape_configs : try(sc.bearer_token_file, "") if sc.job_name == var.app_job_name],
    )) : startswith(p, "/") ? p : "/etc/prometheus/${p}"
  ])
  slack_url_paths = distinct([
    for p in compact(concat(
      [try(local.alertmanager_config.global.slack_api_url_file, "")],
      flatten([for r in try(local.alertmanager_config.receivers, []) : [for s in try(r.slack_configs, []) : try(s.api_url_file, "")]]),
    )) : startswith(p, "/") ? p : "/etc/alertmanager/${p}"
  ])

  discovery_config = {
    api_endpoint            = var.api_endpoint
    region                  = var.ncloud_region
    access_control_group_no = var.app_access_control_group_id
    labels                  = { stage = var.stage }
    self_ips                = [var.private_ip]
    jobs = [
      for job, target in local.discovered_jobs : {
        file          = local.sd_files[job]
        target_format = target
        include_self  = job == var.node_job_name
      }
    ]
  }

  files = concat(
    [{ path = "/etc/prometheus/prometheus.yml", mode = "0644", owner = "root", content = base64gzip(yamlencode(local.prometheus_config)) }],
    [for f in local.rule_files : { path = "/etc/prometheus/rules/${f}", mode = "0644", owner = "root", content = base64gzip(file("${var.monitoring_dir}/rules/${f}")) }],
    [for p in local.metrics_token_paths : { path = p, mode = "0400", owner = "65534", content = base64gzip(var.metrics_token) }],
    [{ path = "/etc/alertmanager/alertmanager.yml", mode = "0644", owner = "root", content = base64gzip(local.alertmanager_source) }],
    [for f in local.alertmanager_templates : { path = "/etc/alertmanager/${f}", mode = "0644", owner = "root", content = base64gzip(file("${var.monitoring_dir}/${f}")) }],
    [for p in local.slack_url_paths : { path = p, mode = "0400", owner = "65534", content = base64gzip(var.slack_webhook_url) }],
    local.blackbox_config ? [{ path = "/etc/blackbox/blackbox.yml", mode = "0644", owner = "root", content = base64gzip(file(local.blackbox_source_path)) }] : [],
    [{ path = "/usr/local/bin/ncp-discovery", mode = "0755", owner = "root", content = base64gzip(file("${path.module}/files/ncp-discovery.py")) }],
    [{ path = "/etc/ncp-discovery/config.json", mode = "0644", owner = "root", content = base64gzip(jsonencode(local.discovery_config)) }],
    [{ path = "/etc/ncp-discovery/credentials.json", mode = "0600", owner = "root", content = base64gzip(jsonencode({ access_key = var.discovery_access_key, secret_key = var.discovery_secret_key })) }],
  )

  init_script = templatefile("${path.module}/templates/init.sh.tftpl", {
    files                     = local.files
    private_ip                = var.private_ip
    retention                 = var.retention
    prometheus_image          = var.prometheus_image
    alertmanager_image        = var.alertmanager_image
    blackbox_image            = var.blackbox_image
    node_exporter_image       = var.node_exporter_image
    prometheus_secret_paths   = [for p in local.metrics_token_paths : p if !startswith(p, "/etc/prometheus/")]
    alertmanager_secret_paths = [for p in local.slack_url_paths : p if !startswith(p, "/etc/alertmanager/")]
    blackbox_config           = local.blackbox_config
  })

  # Init scripts cannot change in place; the name follows a short digest of the content.
  release = substr(nonsensitive(sha256(local.init_script)), 0, 8)
}

# Jobs the discovery feeds but monitoring/prometheus.yml does not define would silently never be
# scraped: say so at plan time.
check "monitoring_jobs" {
  assert {
    condition     = alltrue([for job in keys(local.discovered_jobs) : contains(local.source_jobs, job)])
    error_message = "monitoring/prometheus.yml lacks scrape job(s) ${join(", ", setsubtract(keys(local.discovered_jobs), local.source_jobs))}: the discovered app servers are not scraped for them."
  }
}

resource "ncloud_access_control_group" "monitoring" {
  vpc_no      = var.vpc_id
  name        = "${var.name}-mon"
  description = "sns monitoring server: operators only"
}

# Ports inside dynamic blocks are written tostring(N): checkov 3.3 crashes on a bare "22" in a
# dynamic block it cannot expand (empty list), and the crash silently drops its ACG checks.
resource "ncloud_access_control_group_rule" "monitoring" {
  #checkov:skip=CKV_NCP_3:The server reaches Docker Hub, the NCP API (target discovery) and Slack on the internet through the NAT gateway; outbound is limited to HTTP(S), DNS and NTP there.
  access_control_group_no = ncloud_access_control_group.monitoring.id

  dynamic "inbound" {
    for_each = var.admin_cidrs
    content {
      protocol    = "TCP"
      ip_block    = inbound.value
      port_range  = tostring(22)
      description = "SSH from operators (${inbound.value})"
    }
  }

  dynamic "inbound" {
    for_each = var.admin_cidrs
    content {
      protocol    = "TCP"
      ip_block    = inbound.value
      port_range  = tostring(9090)
      description = "Prometheus from operators (${inbound.value})"
    }
  }

  dynamic "inbound" {
    for_each = var.admin_cidrs
    content {
      protocol    = "TCP"
      ip_block    = inbound.value
      port_range  = tostring(9093)
      description = "Alertmanager from operators (${inbound.value})"
    }
  }

  outbound {
    protocol    = "TCP"
    ip_block    = var.vpc_cidr
    port_range  = "1-65535"
    description = "scrapes and probes inside the VPC"
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

resource "ncloud_init_script" "monitoring" {
  name        = "${var.name}-mon-${local.release}"
  description = "sns monitoring server first boot"
  os_type     = "LNX"
  content     = local.init_script

  lifecycle {
    create_before_destroy = true

    precondition {
      condition     = fileexists(local.prometheus_source_path) && fileexists(local.alertmanager_source_path)
      error_message = "The monitoring server needs ${local.prometheus_source_path} and ${local.alertmanager_source_path}."
    }
  }
}

# The address lives on its own network interface, so replacing the server keeps it.
resource "ncloud_network_interface" "monitoring" {
  name                  = "${var.name}-mon-nic"
  description           = "fixed address of the sns monitoring server"
  subnet_no             = var.subnet_id
  private_ip            = var.private_ip
  access_control_groups = [ncloud_access_control_group.monitoring.id]
}

resource "ncloud_server" "monitoring" {
  name                                   = "${var.name}-mon"
  description                            = "Prometheus and Alertmanager for the sns app servers"
  subnet_no                              = var.subnet_id
  server_image_product_code              = var.server_image_product_code
  server_product_code                    = var.server_product_code
  login_key_name                         = var.login_key_name
  init_script_no                         = ncloud_init_script.monitoring.init_script_no
  is_encrypted_base_block_storage_volume = true

  network_interface {
    network_interface_no = ncloud_network_interface.monitoring.id
    order                = 0
  }
}
