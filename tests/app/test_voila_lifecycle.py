"""Kernel life cycle under Voilà: a closed tab's kernel is shut down (no 403), the pool refills, nothing external is fetched."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request

import pytest

POOL = 2  # VoilaConfiguration.default_pool_size in barometer/app/config/voila.json

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("real_store"),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from barometer.app.testing import voila_server

    log = tmp_path_factory.mktemp("voila") / "voila.log"
    with voila_server(log_path=log, handle=True) as srv:
        srv.log_path = log
        yield srv


def _wait(predicate, timeout=90.0):
    """Poll until ``predicate()`` is true (a bound against hanging, not a speed check)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.25)
    return True


def _kernel_status(url: str, kernel_id: str) -> int:
    try:
        with urllib.request.urlopen(f"{url}api/kernels/{kernel_id}", timeout=10) as r:
            return r.status
    except urllib.error.HTTPError as err:
        return err.code


def test_closing_the_tab_shuts_its_kernel_down_and_the_pool_refills(server, offline_page):
    assert _wait(lambda: len(server.kernels()) == POOL), "the preheated pool did not settle"
    blocked: list[str] = []
    context, page = offline_page(f"{server.url}?kommun=lund", blocked, 1200, 900)
    try:
        page.locator('.bm-head[data-kommun="1281"]').wait_for(timeout=120_000)
        kernel_id = json.loads(page.locator("#jupyter-config-data").text_content())["kernelId"]
        assert _kernel_status(server.url, kernel_id) == 200
        assert any(c["name"] == "_xsrf" for c in context.cookies()), "the page got no _xsrf cookie"
        assert _wait(lambda: len(server.kernels()) == POOL + 1), "the pool did not refill while the page was open"
        page.unroute("**/*")  # an intercepted request of a closing page cannot be continued (Playwright)
        page.close(run_before_unload=True)  # as a browser closing a tab: Voilà's beforeunload beacon runs
        assert _wait(lambda: _kernel_status(server.url, kernel_id) == 404), "the closed page's kernel is still running"
        assert _wait(lambda: len(server.kernels()) == POOL), f"{len(server.kernels())} kernels, expected the pool ({POOL})"
    finally:
        context.close()
    log = server.log_path.read_text(errors="replace")
    assert "_xsrf' argument missing" not in log and f"Kernel shutdown: {kernel_id}" in log
    assert blocked == [], f"the explorer tried to reach external addresses: {blocked}"


def test_no_external_request_while_exploring(server, offline_page):
    blocked: list[str] = []
    context, page = offline_page(f"{server.url}?kommun=malmo&jamfor=lund", blocked, 1200, 900)
    try:
        page.locator('.bm-head[data-kommun="1280"]').wait_for(timeout=120_000)
        page.locator(".bm-tips li").first.wait_for(timeout=30_000)
        page.get_by_text("Jämförelse: Malmö och Lund").wait_for(timeout=30_000)
        page.wait_for_function("document.querySelectorAll('.leaflet-container path.leaflet-interactive').length >= 290",
                               timeout=30_000)
        page.get_by_role("combobox", name="Karta:").select_option("Befolkning")
        page.wait_for_timeout(500)
    finally:
        page.close(run_before_unload=True)
        context.close()
    assert blocked == [], f"the explorer tried to reach external addresses: {blocked}"


def test_idle_culling_spares_the_preheated_pool(tmp_path, monkeypatch):
    """With a 2 s idle timeout, a used kernel without a page is culled, the pool's waiting kernels are not
    (Voilà's ``cull_kernel_if_idle`` skips them), so a pool preheated for a webinar stays warm."""
    from barometer.app.testing import voila_server

    (tmp_path / "voila.json").write_text(json.dumps(
        {"MappingKernelManager": {"cull_idle_timeout": 2, "cull_interval": 1}}), encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # a voila.json in the working directory overrides ours (README, "Utforska")
    log = tmp_path / "voila.log"
    with voila_server(log_path=log, handle=True, pool=1) as srv:
        assert _wait(lambda: len(srv.kernels()) == 1)
        pooled = {k.pid for k in srv.kernels()}
        with urllib.request.urlopen(srv.url, timeout=120) as r:  # takes the pooled kernel; no page keeps it
            html = r.read().decode("utf-8")
        used = json.loads(html.split('<script id="jupyter-config-data" type="application/json">')[1]
                          .split("</script>")[0])["kernelId"]
        culled = lambda: [line for line in log.read_text(errors="replace").splitlines() if "Culling '" in line]  # noqa: E731
        assert _wait(lambda: any(used in line for line in culled()) and _kernel_status(srv.url, used) == 404), \
            "the idle, used kernel was not culled"
        refilled = {k.pid for k in srv.kernels()} - pooled
        assert len(refilled) == 1, "the pool did not refill"
        time.sleep(5)  # more than twice the idle timeout: the waiting pool kernel must still be there
        assert {k.pid for k in srv.kernels()} == refilled
        assert len(culled()) == 1
