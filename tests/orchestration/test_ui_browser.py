"""The Dagster UI shows the lineage raw -> staging -> marts -> results (headless Chromium).

Chromium comes from Debian (`.ci/run` installs it); Playwright drives it through
executable_path, so no browser is downloaded. Skipped where Chromium is not installed.
"""
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium not installed "
                                "(apt-get install chromium; .ci/run does it)")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def webserver(tmp_path_factory):
    root = tmp_path_factory.mktemp("ui")
    port = free_port()
    env = {**os.environ, "DAGSTER_HOME": str(root), "MEDTRADE_DATA_DIR": str(root / "data")}
    webserver_bin = Path(sys.executable).with_name("dagster-webserver")
    proc = subprocess.Popen([str(webserver_bin), "-m", "orchestration.definitions", "-h",
                             "127.0.0.1", "-p", str(port)], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 180
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"{url}/server_info", timeout=2)
            break
        except OSError:
            time.sleep(1)
    else:
        os.killpg(proc.pid, signal.SIGKILL)
        pytest.fail("dagster-webserver did not start")
    yield url, root / "data" / "report"
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


def _open(page, url: str, wait_for: str) -> str:
    page.goto(url, wait_until="networkidle", timeout=120_000)
    skip = page.get_by_role("button", name="Skip")  # the community sign-up modal
    if skip.count():
        skip.click()
    page.wait_for_selector(f"text={wait_for}", timeout=120_000)
    page.wait_for_timeout(1500)
    return page.inner_text("body")


def test_asset_graph_and_asset_page_show_the_lineage(webserver):
    from playwright.sync_api import sync_playwright
    url, report = webserver
    report.mkdir(parents=True, exist_ok=True)
    panel = f"{url}/assets/marts/fct_province_year_panel?view=lineage&lineageDepth=8"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        graph = _open(page, f"{url}/asset-groups", "published")
        page.screenshot(path=str(report / "ui_asset_graph.png"))
        upstream = _open(page, f"{panel}&lineageScope=upstream", "customs_exports")
        page.screenshot(path=str(report / "ui_panel_upstream.png"))
        downstream = _open(page, f"{panel}&lineageScope=downstream", "table3_baseline")
        page.screenshot(path=str(report / "ui_panel_downstream.png"))
        browser.close()
    for group in ("raw", "staging", "intermediate", "marts", "results", "published"):
        assert group in graph
    for name in ("raw", "staging", "intermediate", "customs_exports", "yearbook_values"):
        assert name in upstream
    assert "results" in downstream and "table3_baseline" in downstream
    assert all((report / f).stat().st_size > 10_000 for f in
               ("ui_asset_graph.png", "ui_panel_upstream.png", "ui_panel_downstream.png"))
