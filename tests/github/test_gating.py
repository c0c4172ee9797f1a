"""Which jobs run for which event: cd.yml cannot deploy from a pull request, and
terraform.yml applies only from main. The `if:` conditions are evaluated for
simulated events (tests/github/expressions.py), so a condition that stops
guarding fails here."""

import pytest
from expressions import evaluate, jobs_that_run

from conftest import workflow

REPO = "sns-team/sns-backend"
SHA = "0123456789abcdef0123456789abcdef01234567"


def github(event_name, ref, event=None, ref_type=None):
    return {
        "github": {
            "event_name": event_name,
            "ref": ref,
            "ref_name": ref.rsplit("/", 1)[-1],
            "ref_type": ref_type or ("tag" if ref.startswith("refs/tags/") else "branch"),
            "repository": REPO,
            "sha": SHA,
            "event": event or {},
        }
    }


def ci_finished(event, head_branch, conclusion="success", head_repo=REPO):
    """cd.yml's context for a completed CI run (workflow_run runs on the default branch)."""
    return github(
        "workflow_run",
        "refs/heads/main",
        {
            "workflow_run": {
                "event": event,
                "head_branch": head_branch,
                "conclusion": conclusion,
                "head_sha": SHA,
                "head_repository": {"full_name": head_repo},
            }
        },
    )


STAGING = {"build", "deploy-staging"}
PRODUCTION = {"release-image", "deploy-production"}

CD_CASES = {
    "CI passed on a push to main": (ci_finished("push", "main"), STAGING),
    "CI passed on a pull request": (ci_finished("pull_request", "feature/x"), set()),
    "CI passed on a fork's pull request from its branch main": (
        ci_finished("pull_request", "main", head_repo="someone/fork"),
        set(),
    ),
    "CI passed on a pull request from a branch main of this repository": (
        ci_finished("pull_request", "main"),
        set(),
    ),
    "CI passed on pull_request_target": (ci_finished("pull_request_target", "main"), set()),
    "CI failed on a push to main": (ci_finished("push", "main", conclusion="failure"), set()),
    "CI cancelled on a push to main": (ci_finished("push", "main", conclusion="cancelled"), set()),
    "CI passed on a push to another branch": (ci_finished("push", "feature/x"), set()),
    "CI passed on a push of a tag": (ci_finished("push", "v1.2.3"), set()),
    "release tag pushed": (github("push", "refs/tags/v1.2.3"), PRODUCTION),
    "other tag pushed": (github("push", "refs/tags/nightly"), set()),
    "branch pushed": (github("push", "refs/heads/main"), set()),
    "run by hand on main": (github("workflow_dispatch", "refs/heads/main"), PRODUCTION),
    "run by hand on a release tag": (github("workflow_dispatch", "refs/tags/v1.2.3"), PRODUCTION),
    "run by hand on a feature branch": (github("workflow_dispatch", "refs/heads/feature/x"), set()),
    "pull request event": (github("pull_request", "refs/pull/7/merge", {"pull_request": {"number": 7}}), set()),
}


@pytest.mark.parametrize("case", sorted(CD_CASES))
def test_cd_runs_only_what_the_event_allows(case):
    context, expected = CD_CASES[case]
    assert jobs_that_run(workflow("cd.yml")["jobs"], context) == expected


def test_cd_has_no_pull_request_trigger():
    on = workflow("cd.yml")["on"]
    assert not {"pull_request", "pull_request_target", "issue_comment", "pull_request_review"} & set(on)


def test_every_cd_job_that_touches_a_registry_or_a_stage_is_gated():
    """Any job with an environment, registry login or deploy step must carry its own `if:`
    or need a job that does, so no new job can slip past the guards."""
    jobs = workflow("cd.yml")["jobs"]

    def sensitive(job):
        uses = [step.get("uses", "") for step in job.get("steps", [])]
        return "environment" in job or any(
            u.startswith("docker/login-action@") or u == "./.github/actions/deploy" for u in uses
        )

    def gated(job_id):
        job = jobs[job_id]
        needs = job.get("needs", [])
        needs = [needs] if isinstance(needs, str) else needs
        return "if" in job or any(gated(need) for need in needs)

    for job_id, job in jobs.items():
        if sensitive(job):
            assert gated(job_id), job_id


TF_CASES = {
    "pull request from this repository": (
        github("pull_request", "refs/pull/7/merge", {"pull_request": {"head": {"repo": {"full_name": REPO}}}}),
        {"plan"},
    ),
    "pull request from a fork": (
        github("pull_request", "refs/pull/8/merge", {"pull_request": {"head": {"repo": {"full_name": "x/fork"}}}}),
        set(),
    ),
    "push to main": (github("push", "refs/heads/main"), {"apply-staging"}),
    "push to another branch": (github("push", "refs/heads/feature/x"), set()),
    "run by hand on main": (github("workflow_dispatch", "refs/heads/main"), {"apply-production"}),
    "run by hand on a feature branch": (github("workflow_dispatch", "refs/heads/feature/x"), set()),
}


@pytest.mark.parametrize("case", sorted(TF_CASES))
def test_terraform_runs_only_what_the_event_allows(case):
    context, expected = TF_CASES[case]
    assert jobs_that_run(workflow("terraform.yml")["jobs"], context) == expected


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("github.event_name == 'PUSH'", True),  # GitHub compares strings ignoring case
        ("github.event.missing.deeper == null", True),
        ("!startsWith(github.ref, 'refs/tags/')", True),
        ("github.event_name == 'push' && github.ref || 'none'", "refs/heads/main"),
        ("github.event_name == 'pull_request' && github.ref || 'none'", "none"),
        ("(github.event_name == 'x' || contains(github.ref, 'main')) && true", True),
    ],
)
def test_the_expression_evaluator(expression, expected):
    assert evaluate(expression, github("push", "refs/heads/main")) == expected
