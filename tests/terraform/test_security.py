"""The network rules of the issue: database only from the app subnets, no SSH from the internet,
only the load balancer public."""

import re

from conftest import ENVS, MODULE_NAMES, MODULES, collect, unquote

ANYWHERE = "0.0.0.0/0"


def all_resources():
    for name in MODULE_NAMES:
        for (rtype, rname), body in collect(MODULES / name, "resource").items():
            yield name, rtype, rname, body


def acg_inbound(body):
    """(ip_block, port_range, for_each) of every inbound rule, static or dynamic."""
    for rule in body.get("inbound", []):
        yield rule.get("ip_block"), rule.get("port_range"), None
    for dyn in body.get("dynamic", []):
        for label, inner in dyn.items():
            if unquote(label) == "inbound":
                content = inner["content"][0]
                yield content.get("ip_block"), content.get("port_range"), inner["for_each"]


def variable_rejects_anywhere(module, expression):
    """True when every var.X in expression is validated against 0.0.0.0/0 in that module."""
    names = re.findall(r"var\.([a-z_]+)", expression)
    variables = collect(MODULES / module, "variable")
    assert names, expression
    for name in names:
        checks = " ".join(v["condition"] for v in variables[name].get("validation", []))
        if "0.0.0.0/" not in checks:
            return False
    return True


def test_access_control_groups_never_open_inbound_to_the_internet():
    seen = 0
    for module, rtype, rname, body in all_resources():
        if rtype != "ncloud_access_control_group_rule":
            continue
        for ip_block, port_range, for_each in acg_inbound(body):
            seen += 1
            assert ANYWHERE not in str(ip_block), f"{module}: {rtype}.{rname} admits {ip_block} on {port_range}"
            source = for_each if for_each is not None else ip_block
            assert variable_rejects_anywhere(module, source), (
                f"{module}: {rname} inbound from {source} is not validated against 0.0.0.0/0"
            )
    assert seen >= 8


def test_network_acls_admit_only_web_and_answers_from_the_internet():
    text = (MODULES / "network" / "main.tf").read_text(encoding="utf-8")
    rules = re.findall(r"\{[^{}]*ip_block = local\.anywhere[^{}]*\}", text)
    assert rules, "no rule from the internet found (parser out of date?)"
    for rule in rules:
        if 'rule_action = "DROP"' in rule:
            continue
        port = re.search(r'port_range = "([^"]+)"', rule).group(1)
        assert port in ("80", "443", "1024-65535"), rule
    assert '"22"' in text and "var.admin_cidrs" in text  # SSH only from the operators' blocks


def test_database_accepts_only_the_app_subnets():
    call = collect(ENVS / "staging", "module")["database"]
    assert call["app_cidr"] == "${module.network.app_supernet_cidr}"
    assert call["db_cidr"] == "${module.network.db_supernet_cidr}"
    network = (MODULES / "network" / "main.tf").read_text(encoding="utf-8")
    # the supernets cover exactly the per-zone /24s: app 10-11, db 20-21
    assert "app_cidrs        = [for i, z in var.zones : cidrsubnet(var.vpc_cidr, 8, 10 + i)]" in network
    assert "app_supernet       = cidrsubnet(var.vpc_cidr, 7, 5)" in network
    assert "db_supernet        = cidrsubnet(var.vpc_cidr, 7, 10)" in network
    resources = collect(MODULES / "database", "resource")
    rule = resources[("ncloud_access_control_group_rule", "this")]
    inbound = sorted((ip, port) for ip, port, _ in acg_inbound(rule))
    assert inbound == [("${var.app_cidr}", '"5432"'), ("${var.db_cidr}", '"5432"')] or inbound == [
        ("${var.app_cidr}", "5432"),
        ("${var.db_cidr}", "5432"),
    ]
    assert all(o["ip_block"] == "${var.vpc_cidr}" for o in rule["outbound"])
    db = resources[("ncloud_postgresql", "this")]
    assert db["client_cidr"] == "${var.app_cidr}"
    assert db["subnet_no"] == "${var.subnet_ids[0]}"
    assert db["storage_encryption"] is True and db["backup"] is True
    # database subnets get no route out of the VPC
    association = network.split('resource "ncloud_route_table_association"')[1]
    assert "ncloud_subnet.app[" in association and "ncloud_subnet.db[" not in association


def test_only_the_load_balancer_is_public():
    public = []
    for module, rtype, rname, body in all_resources():
        assert rtype not in ("ncloud_public_ip",), f"{module}: {rtype}.{rname}"
        if rtype == "ncloud_lb" and unquote(body.get("network_type")) == "PUBLIC":
            public.append((module, rname))
        if rtype == "ncloud_subnet" and unquote(body["subnet_type"]) == "PUBLIC":
            assert unquote(body["usage_type"]) in ("LOADB", "NATGW"), (
                f"{rname}: public subnets are for load balancers and NAT only"
            )
        if rtype == "ncloud_nks_cluster":
            assert body["public_network"] is False
        if rtype in ("ncloud_server", "ncloud_auto_scaling_group"):
            subnet = body.get("subnet_no", "")
            assert "subnet_id" in subnet, f"{rname} must sit in the private subnet it is given"
    assert public == [("load_balancer", "this")]
    call = collect(ENVS / "staging", "module")
    assert call["app_servers"]["lb_cidr"] == "${module.network.lb_public_supernet_cidr}"
    assert call["app_servers"]["subnet_id"] == "${module.network.app_subnet_ids[0]}"
    assert call["monitoring"]["subnet_id"] == "${module.network.app_subnet_ids[0]}"
    assert call["load_balancer"]["subnet_ids"] == "${module.network.lb_public_subnet_ids}"


def test_storage_is_encrypted_and_private():
    resources = {(m, t, n): b for m, t, n, b in all_resources()}
    assert resources[("app_servers", "ncloud_launch_configuration", "app")]["is_encrypted_volume"] is True
    assert resources[("monitoring", "ncloud_server", "monitoring")]["is_encrypted_base_block_storage_volume"] is True
    assert unquote(resources[("object_storage", "ncloud_objectstorage_bucket_acl", "this")]["rule"]) == "private"


def test_checkov_skips_are_justified():
    """A skipped check names an NCP check and says why in a sentence."""
    skips = []
    for path in sorted((MODULES.parent).rglob("*.tf")):
        for skip in re.findall(r"#checkov:skip=([^\n]*)", path.read_text(encoding="utf-8")):
            check, _, reason = skip.partition(":")
            skips.append(check)
            assert re.fullmatch(r"CKV2?_NCP_\d+", check), f"{path}: {skip}"
            assert len(reason.split()) >= 8, f"{path}: {check} needs a real justification"
    assert skips, "no skip found (parser out of date?)"
