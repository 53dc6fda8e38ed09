"""`barometer explore`: parser, Voilà command line (flags that exist in the installed Voilà) and offline template."""

import argparse
import subprocess
import sys

from barometer.app import cli


def test_parser_and_command():
    ap = argparse.ArgumentParser()
    cli.add_parser(ap.add_subparsers(dest="cmd"))
    args = ap.parse_args(["explore", "--port", "9123", "--no-browser"])
    assert args.func is cli.run and args.port == 9123 and args.no_browser
    cmd = cli.voila_command(args.port, args.no_browser)
    assert str(cli.NOTEBOOK) in cmd and cli.NOTEBOOK.exists()
    assert {"--port=9123", "--Voila.ip=127.0.0.1", "--strip_sources=True", "--template=barometer",
            "--preheat_kernel=True", "--no-browser"} <= set(cmd)


def test_flags_exist_in_installed_voila():
    help_all = subprocess.run([sys.executable, "-m", "voila", "--help-all"], capture_output=True, text=True, timeout=60).stdout
    for flag in ("--preheat_kernel", "--pool_size", "--strip_sources", "--template", "--no-browser", "Voila.ip",
                 "Voila.port_retries"):
        assert flag in help_all, flag


def test_template_has_no_cdn_links():
    index = cli.SHARE / "voila" / "templates" / "barometer" / "index.html.j2"
    text = index.read_text(encoding="utf-8")
    assert 'href="http' not in text and 'src="http' not in text and 'href="//' not in text
    assert cli.voila_env({"JUPYTER_PATH": "/x"})["JUPYTER_PATH"].endswith(":/x")
