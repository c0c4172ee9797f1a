"""The Swagger page as a person uses it, in a real headless Chromium (driven by swagger_e2e.mjs).

Needs Debian's chromium and node with playwright-core (`make browser-deps`). Without them the test
skips, unless REQUIRE_BROWSER_TESTS=1 (set by CI), where it fails instead.
"""

import json
import os
import shutil
import signal
import subprocess
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("swagger_e2e.mjs")
TOOLS_DIR = Path(os.environ.get("BROWSER_TOOLS_DIR", REPO_ROOT / ".tools" / "browser"))
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
TIMEOUT_SECONDS = 120
PASSWORD = "a-Strong-passw0rd"
FEED_TEXT = "Seen through Swagger in a real browser"


def _missing_tools():
    missing = []
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        missing.append(f"chromium ({CHROMIUM}; apt-get install -y chromium)")
    if shutil.which("node") is None:
        missing.append("node")
    if not (TOOLS_DIR / "node_modules" / "playwright-core" / "package.json").is_file():
        missing.append(f"playwright-core in {TOOLS_DIR} (make browser-deps)")
    return missing


def _require_browser_tools():
    missing = _missing_tools()
    if missing:
        reason = "browser test needs " + ", ".join(missing)
        if os.environ.get("REQUIRE_BROWSER_TESTS") == "1":
            pytest.fail(f"{reason} (REQUIRE_BROWSER_TESTS=1)", pytrace=False)
        pytest.skip(reason)


def _run_script(args):
    """Run the node script in its own process group so a hung Chromium is killed with it."""
    env = {**os.environ, "BROWSER_TOOLS_DIR": str(TOOLS_DIR), "CHROMIUM_PATH": CHROMIUM}
    process = subprocess.Popen(
        ["node", str(SCRIPT), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,
    )
    try:
        stdout, stderr = process.communicate(timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        stdout, stderr = process.communicate()
        pytest.fail(f"swagger_e2e.mjs did not finish in {TIMEOUT_SECONDS} s\n{stderr[-3000:]}", pytrace=False)
    return process.returncode, stdout, stderr


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_swagger_page_authorize_with_bearer_token_and_execute_feed(live_server, make_user, make_post, follow, tmp_path):
    _require_browser_tools()
    reader = make_user("swagger_reader")
    author = make_user("swagger_author")
    follow(reader, author)
    make_post(author, content=FEED_TEXT)
    screenshots = tmp_path / "screenshots"

    returncode, stdout, stderr = _run_script(
        [
            "--base-url",
            live_server.url,
            "--username",
            reader.username,
            "--password",
            PASSWORD,
            "--expect-text",
            FEED_TEXT,
            "--screenshot-dir",
            str(screenshots),
        ]
    )

    try:
        summary = json.loads(stdout)
    except json.JSONDecodeError:
        pytest.fail(f"swagger_e2e.mjs printed no JSON summary (exit {returncode})\n{stderr}\n{stdout}", pytrace=False)
    detail = f"{stderr.strip()}\nsummary: {json.dumps(summary, indent=2)}"
    assert returncode == 0, f"Swagger browser test failed (screenshots in {screenshots}):\n{detail}"
    assert summary["ok"] is True, detail
    assert summary["operations"] >= 10, detail
    assert summary["requests"], detail
    assert set(summary["request_hosts"]) <= {"127.0.0.1", "localhost"}, detail
    assert summary["off_host_requests"] == [], detail
    assert summary["token_status"] == "200", detail
    assert summary["auth_header_sent"] == "Bearer <token>", detail
    assert summary["feed_status"] == "200", detail
    assert summary["feed_item_count"] == 1, detail
    assert summary["expect_text_found"] is True, detail
