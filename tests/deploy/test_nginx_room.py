"""Smoke test of deploy/nginx/utforska.conf on localhost: nginx in front of two `barometer explore` processes."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONF = ROOT / "deploy" / "nginx" / "utforska.conf"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
CHROMIUM = Path("/usr/bin/chromium")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("real_store"),
    pytest.mark.skipif(NGINX is None, reason="nginx saknas: apt-get install -y nginx-light (scripts/setup.sh --browser installerar det)"),
]


def _site(ports: dict[str, int], listen: int) -> str:
    """The repository's site config with our ports, and only the processes this test starts."""
    text = CONF.read_text(encoding="utf-8")
    text = re.sub(r"upstream (v\d+) \{ server 127\.0\.0\.1:\d+; \}\n",
                  lambda m: f"upstream {m.group(1)} {{ server 127.0.0.1:{ports[m.group(1)]}; }}\n" if m.group(1) in ports else "",
                  text)
    share = "\n".join(f"    {100 // len(ports)}%  {name};" for name in list(ports)[:-1]) + f"\n    *    {list(ports)[-1]};"
    text = re.sub(r'(split_clients "\$\{request_id\}" \$utforska_backend \{\n)(.*?)(\n\})', lambda m: m.group(1) + share + m.group(3),
                  text, flags=re.S)
    return text.replace("listen 8080;", f"listen 127.0.0.1:{listen};")


@pytest.fixture(scope="module")
def room(tmp_path_factory):
    from barometer.app.cli import VoilaProcess
    from barometer.app.testing import free_port

    tmp = tmp_path_factory.mktemp("nginx")
    servers = {name: VoilaProcess(free_port(), preheat=False, base_url=f"/{name}/", log=open(tmp / f"{name}.log", "wb"))
               for name in ("v1", "v2")}
    proc = None
    try:
        for s in servers.values():
            s.wait_ready(timeout=120)
        listen = free_port()
        (tmp / "utforska.conf").write_text(_site({n: s.port for n, s in servers.items()}, listen))
        for d in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (tmp / d).mkdir()
        (tmp / "nginx.conf").write_text(
            f"pid {tmp}/nginx.pid;\nerror_log {tmp}/error.log;\nevents {{}}\nhttp {{\n  access_log {tmp}/access.log;\n"
            + "".join(f"  {d}_temp_path {tmp}/{p};\n" for d, p in (("client_body", "body"), ("proxy", "proxy"),
                                                                    ("fastcgi", "fastcgi"), ("uwsgi", "uwsgi"), ("scgi", "scgi")))
            + f"  include {tmp}/utforska.conf;\n}}\n")
        cmd = [NGINX, "-p", str(tmp), "-c", str(tmp / "nginx.conf")]
        check = subprocess.run(cmd + ["-t"], capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
        proc = subprocess.Popen(cmd + ["-g", "daemon off;"], stderr=subprocess.PIPE)
        url = f"http://127.0.0.1:{listen}/"
        deadline = time.monotonic() + 20
        while True:
            try:
                urllib.request.urlopen(url + "v1/voila/static/voila.js", timeout=2).close()
                break
            except OSError:
                assert time.monotonic() < deadline and proc.poll() is None, "nginx did not answer"
                time.sleep(0.2)
        yield url, servers
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(10)
        for s in servers.values():
            s.stop()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_front_page_is_spread_over_the_processes_and_keeps_the_query(room):
    url, servers = room
    opener = urllib.request.build_opener(_NoRedirect)
    seen = set()
    for _ in range(30):
        try:
            opener.open(url + "?kommun=malmo", timeout=10)
        except urllib.error.HTTPError as err:
            assert err.code == 302
            loc = err.headers["Location"]
            m = re.search(r"/(v\d)/\?kommun=malmo$", loc)
            assert m, loc
            seen.add(m.group(1))
    assert seen == set(servers)


def test_a_page_through_nginx_works_and_frees_its_kernel(room):
    sync_api = pytest.importorskip("playwright.sync_api")
    url, servers = room
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--headless", "--disable-gpu"])
        try:
            context = browser.new_context()
            page = context.new_page()
            page.goto(url + "?kommun=lund", timeout=120_000)
            page.locator('.bm-head[data-kommun="1281"]').wait_for(timeout=120_000)  # widgets over the proxied websocket
            prefix = re.search(r"/(v\d)/", page.url).group(1)
            assert len(servers[prefix].kernels()) == 1
            page.close(run_before_unload=True)  # the shutdown beacon goes through nginx to the same process
            deadline = time.monotonic() + 60
            while servers[prefix].kernels() and time.monotonic() < deadline:
                time.sleep(0.25)
            assert servers[prefix].kernels() == []
            context.close()
        finally:
            browser.close()
