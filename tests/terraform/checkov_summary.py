"""Fails unless checkov's terraform scan was real and clean.

checkov exits 0 when it cannot parse a file, and a check that crashes on a construct it cannot
evaluate is only logged, so its exit code alone proves little. This reads the JSON report (and the
log of the run) and insists on: no failed check, no parsing error, resources actually scanned, and
no check that failed to run.

usage: checkov_summary.py REPORT.json [CHECKOV.log]
"""

import json
import sys


def main(report_path, log_path=None):
    with open(report_path, encoding="utf-8") as f:
        report = json.load(f)
    reports = report if isinstance(report, list) else [report]
    problems = []
    for r in reports:
        s = r.get("summary", {})
        print(
            "checkov {check_type}: {passed} passed, {failed} failed, {skipped} skipped (justified "
            "#checkov:skip), {parsing_errors} parsing errors, {resource_count} resources".format(
                check_type=r.get("check_type", "?"),
                **{k: s.get(k, "?") for k in ("passed", "failed", "skipped", "parsing_errors", "resource_count")},
            )
        )
        if s.get("failed", 1) != 0:
            problems.append("failed checks")
        if s.get("parsing_errors", 1) != 0:
            problems.append("files checkov could not parse")
        if s.get("resource_count", 0) == 0:
            problems.append("no resource scanned")
    if log_path:
        with open(log_path, encoding="utf-8", errors="replace") as f:
            crashed = sorted({line.strip() for line in f if "Failed to run check" in line})
        if crashed:
            problems.append("checks that crashed:\n  " + "\n  ".join(crashed))
    if problems:
        print("checkov: " + "; ".join(problems), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(*sys.argv[1:]))
