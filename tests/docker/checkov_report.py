"""Judge a checkov JSON report: fail on failed checks, parsing errors or nothing checked.

checkov exits 0 when it could not parse a file, so its exit status alone proves nothing.
    python tests/docker/checkov_report.py .tools/docker/checkov/results_json.json
"""

import json
import sys


def main(path):
    with open(path, encoding="utf-8") as fh:
        report = json.load(fh)
    reports = report if isinstance(report, list) else [report]
    ok = bool(reports)
    for entry in reports:
        summary = entry["summary"]
        for check in entry["results"].get("failed_checks", []):
            print(
                f"FAILED {check['check_id']} {check['check_name']} "
                f"({check.get('file_path')}:{check.get('file_line_range')})"
            )
        print(
            f"checkov {entry['check_type']}: {summary['passed']} passed, {summary['failed']} failed, "
            f"{summary['skipped']} skipped, {summary['parsing_errors']} parsing errors"
        )
        ok = ok and summary["failed"] == 0 and summary["parsing_errors"] == 0 and summary["passed"] > 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
