"""Judge checkov's github_actions JSON report.

checkov exits 0 when it skips a file: a workflow its (older) schema rejects is not scanned at
all, silently (seen with an expression in `cancel-in-progress`). So besides failed checks and
parsing errors, every workflow file must appear in the results; run checkov without --quiet,
which would drop the passed checks from the report and with them that proof.
    python tests/github/checkov_report.py .tools/github/checkov/results_json.json .github/workflows
"""

import json
import pathlib
import sys


def main(report_path, workflows_dir):
    report = json.loads(pathlib.Path(report_path).read_text(encoding="utf-8"))
    reports = report if isinstance(report, list) else [report]
    ok = bool(reports)
    scanned = set()
    for entry in reports:
        summary = entry["summary"]
        results = entry["results"]
        for check in results.get("failed_checks", []):
            print(
                f"FAILED {check['check_id']} {check['check_name']} "
                f"({check.get('file_path')}:{check.get('file_line_range')})"
            )
        for kind in ("passed_checks", "failed_checks", "skipped_checks"):
            scanned.update(pathlib.PurePosixPath(c["file_path"]).name for c in results.get(kind, []))
        print(
            f"checkov {entry['check_type']}: {summary['passed']} passed, {summary['failed']} failed, "
            f"{summary['skipped']} skipped, {summary['parsing_errors']} parsing errors"
        )
        ok = ok and summary["failed"] == 0 and summary["parsing_errors"] == 0 and summary["passed"] > 0
    workflows = sorted(p.name for p in pathlib.Path(workflows_dir).glob("*.y*ml"))
    unscanned = [name for name in workflows if name not in scanned]
    if unscanned:
        print(f"checkov did not scan {', '.join(unscanned)} (its workflow schema rejected the file)")
    return 0 if ok and workflows and not unscanned else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
