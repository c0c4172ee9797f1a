"""Service, Ingress (NCP ALB) and NetworkPolicy: who reaches the pods, and where they may go."""

import ipaddress

from conftest import config_data, one, render

ALB = "alb.ingress.kubernetes.io/"
DOCUMENTATION_NETS = [ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24")]


def test_service_exposes_port_80_to_8000_on_a_node_port(stage):
    docs = render(stage)
    service = one(docs, "Service", "sns-api")
    assert service["spec"]["type"] == "NodePort", "NCP's ALB targets the Service's node port"
    (port,) = service["spec"]["ports"]
    assert port["port"] == 80 and port["targetPort"] == "http"
    pod_labels = one(docs, "Deployment", "sns-api")["spec"]["template"]["metadata"]["labels"]
    assert service["spec"]["selector"].items() <= pod_labels.items()
    job_labels = one(render(f"{stage}/migrate"), "Job", "sns-migrate")["spec"]["template"]["metadata"]["labels"]
    assert not service["spec"]["selector"].items() <= job_labels.items(), "the Service must not select Job pods"


def _paths(ingress):
    return [
        (rule.get("host"), p["path"], p["backend"]["service"])
        for rule in ingress["spec"]["rules"]
        for p in rule["http"]["paths"]
    ]


def test_ingress_uses_the_alb_class_and_never_routes_metrics(stage):
    ingress = one(render(stage), "Ingress", "sns-api")
    assert ingress["spec"]["ingressClassName"] == "alb"
    for _host, path, backend in _paths(ingress):
        if backend["name"] == "ssl-redirect":
            continue
        assert backend == {"name": "sns-api", "port": {"name": "http"}}
        assert path.rstrip("*").rstrip("/") in ("/api", "/static", "/admin"), path
        assert not "/metrics".startswith(path.rstrip("*")), path


def test_ingress_host_is_an_allowed_host(stage):
    docs = render(stage)
    allowed = config_data(docs)["DJANGO_ALLOWED_HOSTS"].split(",")
    for host, _path, _backend in _paths(one(docs, "Ingress", "sns-api")):
        if host is None:
            # No host rule: the ALB's own DNS name must be allowed.
            assert ".kr.lb.naverncp.com" in allowed
        else:
            assert host in allowed


def test_https_comes_with_a_certificate_and_a_redirect(stage):
    docs = render(stage)
    ingress = one(docs, "Ingress", "sns-api")
    annotations = ingress["metadata"]["annotations"]
    config = config_data(docs)
    if "HTTPS" in annotations[ALB + "listen-ports"]:
        assert annotations.get(ALB + "ssl-certificate-no"), "HTTPS listener without a certificate"
        assert "redirection" in annotations[ALB + "actions.ssl-redirect"]
        assert _paths(ingress)[0][2]["name"] == "ssl-redirect", "the redirect rule must come first"
        assert config.get("DJANGO_SECURE_SSL_REDIRECT", "true") == "true"
    else:
        # Plain HTTP: Django must not redirect to an HTTPS listener that does not exist.
        assert config["DJANGO_SECURE_SSL_REDIRECT"] == "false"
        assert config["DJANGO_SECURE_HSTS_SECONDS"] == "0"


def test_production_serves_https():
    annotations = one(render("production"), "Ingress", "sns-api")["metadata"]["annotations"]
    assert "HTTPS" in annotations[ALB + "listen-ports"]


def _policy(build):
    return one(render(build), "NetworkPolicy", "sns-api")


def test_network_policy_covers_api_and_job_pods(build):
    docs = render(build)
    policy = _policy(build)
    assert set(policy["spec"]["policyTypes"]) == {"Ingress", "Egress"}
    selector = policy["spec"]["podSelector"]["matchLabels"]
    kind, name = ("Job", "sns-migrate") if build.endswith("/migrate") else ("Deployment", "sns-api")
    assert selector.items() <= one(docs, kind, name)["spec"]["template"]["metadata"]["labels"].items()


def test_only_the_load_balancer_and_prometheus_reach_port_8000(build):
    for rule in _policy(build)["spec"]["ingress"]:
        assert rule["ports"] == [{"protocol": "TCP", "port": 8000}]
        for peer in rule["from"]:
            if "ipBlock" in peer:
                assert ipaddress.ip_network(peer["ipBlock"]["cidr"]).is_private
            else:
                assert peer["namespaceSelector"]["matchLabels"] == {"kubernetes.io/metadata.name": "monitoring"}
                assert peer["podSelector"]["matchLabels"] == {"app.kubernetes.io/name": "prometheus"}


def test_egress_only_to_dns_database_redis_object_storage(build):
    ports = set()
    for rule in _policy(build)["spec"]["egress"]:
        rule_ports = {p["port"] for p in rule["ports"]}
        ports |= rule_ports
        for peer in rule["to"]:
            if "ipBlock" in peer:
                net = ipaddress.ip_network(peer["ipBlock"]["cidr"])
                assert net.prefixlen >= 16, f"{net} is wider than any one service needs"
                if rule_ports != {443}:
                    # Database and Redis are private; only Object Storage may still carry the
                    # documentation placeholder (make k8s-preflight refuses it).
                    assert net.is_private and not any(net.subnet_of(d) for d in DOCUMENTATION_NETS), net
            else:
                assert rule_ports == {53}
                assert peer["namespaceSelector"]["matchLabels"] == {"kubernetes.io/metadata.name": "kube-system"}
    assert ports == {53, 5432, 6379, 443}


def test_proxy_headers_are_trusted_from_the_ingress_ranges_only(stage):
    docs = render(stage)
    trusted = {ipaddress.ip_network(n) for n in config_data(docs)["FORWARDED_ALLOW_IPS"].split(",")}
    peers = {ipaddress.ip_network(p["ipBlock"]["cidr"]) for p in _policy(stage)["spec"]["ingress"][0]["from"]}
    assert trusted == peers
