"""Autoscaling bounds per stage and a disruption budget that lets a node drain."""

from conftest import NAMESPACES, one, render


def test_hpa_scales_the_deployment_on_cpu(stage):
    hpa = one(render(stage), "HorizontalPodAutoscaler", "sns-api")
    assert hpa["apiVersion"] == "autoscaling/v2"
    assert hpa["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": "sns-api"}
    (metric,) = hpa["spec"]["metrics"]
    assert metric["resource"]["name"] == "cpu" and metric["resource"]["target"]["type"] == "Utilization"
    assert 2 <= hpa["spec"]["minReplicas"] < hpa["spec"]["maxReplicas"]


def test_production_has_more_headroom_than_staging():
    bounds = {
        stage: (hpa["spec"]["minReplicas"], hpa["spec"]["maxReplicas"])
        for stage in NAMESPACES
        for hpa in [one(render(stage), "HorizontalPodAutoscaler", "sns-api")]
    }
    assert bounds["production"][0] > bounds["staging"][0]
    assert bounds["production"][1] > bounds["staging"][1]


def test_disruption_budget_allows_one_eviction_at_a_time(stage):
    docs = render(stage)
    pdb = one(docs, "PodDisruptionBudget", "sns-api")
    hpa = one(docs, "HorizontalPodAutoscaler", "sns-api")
    assert pdb["spec"]["maxUnavailable"] == 1
    # With at least two replicas a drain evicts one pod while the others serve.
    assert hpa["spec"]["minReplicas"] > pdb["spec"]["maxUnavailable"]
    assert pdb["spec"]["unhealthyPodEvictionPolicy"] == "AlwaysAllow"
    labels = one(docs, "Deployment", "sns-api")["spec"]["template"]["metadata"]["labels"]
    assert pdb["spec"]["selector"]["matchLabels"].items() <= labels.items()
