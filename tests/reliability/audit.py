"""pip-audit of requirements.txt: known vulnerabilities in the pinned runtime dependencies.

    .tools/reliability/bin/python tests/reliability/audit.py [--require-data]

pip-audit needs vulnerability data from the network (PyPI's JSON API or api.osv.dev). Where it
cannot reach it, as on our offline machines (PyPI here is a package mirror that answers "not
found" for the vulnerability API, and api.osv.dev does not resolve), every dependency comes back
"skipped" and a clean result would prove nothing: this script then says so and exits 0, or 1
with --require-data. A reachable service with any known vulnerability always exits 1.
"""

import argparse
import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PIP_AUDIT = Path(sys.executable).parent / "pip-audit"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--require-data", action="store_true", help="fail when the data cannot be reached")
    args = parser.parse_args()
    result = subprocess.run(
        [str(PIP_AUDIT), "-r", "requirements.txt", "--no-deps", "--disable-pip", "--progress-spinner", "off",
         "--format", "json", "--timeout", "20"],
        cwd=REPO, capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        print(f"pip-audit: no report ({result.returncode}): {result.stderr.strip().splitlines()[-1:]}")
        return 1 if args.require_data else 0
    dependencies = report.get("dependencies", [])
    audited = [d for d in dependencies if "skip_reason" not in d]
    vulnerable = [d for d in audited if d.get("vulns")]
    for dependency in vulnerable:
        ids = ", ".join(v["id"] for v in dependency["vulns"])
        print(f"pip-audit: {dependency['name']} {dependency['version']}: {ids}")
    print(f"pip-audit: {len(dependencies)} dependencies, {len(audited)} audited, {len(vulnerable)} vulnerable")
    if vulnerable:
        return 1
    if not audited:
        print("pip-audit: vulnerability data unreachable from this machine (every dependency skipped): NOT AUDITED")
        return 1 if args.require_data else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
