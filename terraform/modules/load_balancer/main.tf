# The application load balancer: the one public endpoint of the server platform. Targets (the app
# servers' edge proxy) are registered by the auto scaling group through target_group_no.
#
# Provider v4 has no listener-rule resource, so the load balancer cannot redirect HTTP to HTTPS or
# hide /metrics by path. The edge proxy on every app server does both (modules/app_servers).

resource "ncloud_lb_target_group" "app" {
  #checkov:skip=CKV_NCP_15:TLS ends at the load balancer; the hop to the targets stays inside the VPC's private subnets, so the target group speaks HTTP.
  vpc_no         = var.vpc_id
  name           = "${var.name}-app"
  description    = "sns app servers (edge proxy)"
  protocol       = "HTTP"
  target_type    = "VSVR"
  port           = var.target_port
  algorithm_type = "RR"

  health_check {
    protocol       = "HTTP"
    http_method    = "GET"
    port           = var.target_port
    url_path       = var.health_check_path
    cycle          = 30
    up_threshold   = 2
    down_threshold = 2
  }
}

resource "ncloud_lb" "this" {
  #checkov:skip=CKV_NCP_16:This is the service's single public entry point by design; everything behind it is private.
  name            = "${var.name}-alb"
  description     = "public entry point of the sns API"
  type            = "APPLICATION"
  network_type    = "PUBLIC"
  subnet_no_list  = var.subnet_ids
  throughput_type = var.throughput_type
  idle_timeout    = var.idle_timeout
}

resource "ncloud_lb_listener" "http" {
  #checkov:skip=CKV_NCP_13:Port 80 stays open so plain-HTTP clients are redirected; the edge proxy answers 301 to HTTPS whenever a certificate is configured.
  #checkov:skip=CKV_NCP_24:Same listener as above: HTTP only to redirect to HTTPS (or to serve before a certificate exists).
  load_balancer_no = ncloud_lb.this.load_balancer_no
  protocol         = "HTTP"
  port             = 80
  target_group_no  = ncloud_lb_target_group.app.target_group_no
}

resource "ncloud_lb_listener" "https" {
  count = var.certificate_no == null ? 0 : 1

  load_balancer_no     = ncloud_lb.this.load_balancer_no
  protocol             = "HTTPS"
  port                 = 443
  target_group_no      = ncloud_lb_target_group.app.target_group_no
  ssl_certificate_no   = var.certificate_no
  tls_min_version_type = "TLSV12"
  use_http2            = true
}
