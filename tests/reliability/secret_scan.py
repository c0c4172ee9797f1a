"""Secret scan of the repository with detect-secrets: every finding must be in the audited baseline.

    .tools/reliability/bin/python tests/reliability/secret_scan.py            # check (CI)
    .tools/reliability/bin/python tests/reliability/secret_scan.py --update   # after auditing new findings

Scans every file git tracks or would track (untracked but not ignored included), so a secret is
caught before it is committed. A finding is known when its file, type and hashed secret are in
tests/reliability/secrets.baseline; the baseline holds only audited stand-ins (test keys, demo
logins, placeholders in docs). A line can also be allowed in place with `# pragma: allowlist secret`.
Never writes the baseline unless --update is given.
"""

import argparse
import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BASELINE = Path(__file__).resolve().parent / "secrets.baseline"
DETECT_SECRETS = Path(sys.executable).parent / "detect-secrets"


def repository_files():
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout.decode()
    baseline = str(BASELINE.relative_to(REPO))
    return sorted(name for name in listed.split("\0") if name and name != baseline and (REPO / name).is_file())


def scan(files):
    result = subprocess.run([str(DETECT_SECRETS), "scan", *files], cwd=REPO, capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def keys(report):
    return {
        (name, finding["type"], finding["hashed_secret"]): finding["line_number"]
        for name, findings in report["results"].items()
        for finding in findings
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help="write the current findings as the baseline")
    args = parser.parse_args()
    files = repository_files()
    report = scan(files)
    if args.update:
        report.pop("generated_at", None)
        BASELINE.write_text(json.dumps(report, indent=2, sort_keys=True) + "\n")
        print(f"baseline written: {len(keys(report))} audited findings in {BASELINE.relative_to(REPO)}")
        return 0
    known = keys(json.loads(BASELINE.read_text()))
    new = {key: line for key, line in keys(report).items() if key not in known}
    for (name, kind, _), line in sorted(new.items()):
        print(f"{name}:{line}: possible secret ({kind})")
    print(f"secret scan: {len(files)} files, {len(keys(report))} findings, {len(new)} not in the audited baseline")
    if new:
        print("Remove the secret, or if it is a stand-in add `# pragma: allowlist secret` to its line, or audit")
        print("it and run `make reliability-secrets-baseline`.")
    return 1 if new else 0


if __name__ == "__main__":
    sys.exit(main())
