"""`barometer explore`: parser, Voilà command line and voila.json (settings that exist in the installed Voilà), offline template."""

import argparse
import json
from barometer.app import cli


def test_parser_and_command():
    ap = argparse.ArgumentParser()
    cli.add_parser(ap.add_subparsers(dest="cmd"))
    args = ap.parse_args(["explore", "--port", "9123", "--no-browser", "--no-preheat"])
    assert args.func is cli.run and args.port == 9123 and args.no_browser and args.no_preheat
    cmd = cli.voila_command(args.port, preheat=False)
    assert str(cli.NOTEBOOK) in cmd and cli.NOTEBOOK.exists()
    assert {"--port=9123", "--no-browser", "--VoilaConfiguration.preheat_kernel=False"} <= set(cmd)


def test_config_names_settings_of_the_installed_voila():
    from jupyter_client.manager import KernelManager
    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager, MappingKernelManager
    from voila.app import Voila
    from voila.configuration import VoilaConfiguration
    from voila.execute import VoilaExecutor
    from voila.voila_kernel_manager import voila_kernel_manager_factory

    classes = {"Voila": Voila, "VoilaConfiguration": VoilaConfiguration, "MappingKernelManager": MappingKernelManager,
               "VoilaExecutor": VoilaExecutor, "KernelManager": KernelManager,
               "VoilaKernelManager": voila_kernel_manager_factory(AsyncMappingKernelManager, True, 1)}
    conf = json.loads((cli.CONFIG / "voila.json").read_text(encoding="utf-8"))
    for section, settings in conf.items():
        assert classes[section].__name__ == section
        for name in settings:
            assert name in classes[section].class_trait_names(config=True), f"{section}.{name}"
    assert conf["VoilaConfiguration"]["template"] == "barometer" and conf["VoilaConfiguration"]["strip_sources"]
    assert conf["MappingKernelManager"]["cull_idle_timeout"] > 0
    assert issubclass(classes["VoilaKernelManager"], MappingKernelManager)  # so the culling settings reach Voilà's manager


def test_env_puts_our_config_and_template_first():
    env = cli.voila_env({"JUPYTER_PATH": "/x", "JUPYTER_CONFIG_PATH": "/y"})
    assert env["JUPYTER_PATH"].split(":") == [str(cli.SHARE), "/x"]
    assert env["JUPYTER_CONFIG_PATH"].split(":") == [str(cli.CONFIG), "/y"]


def test_template_has_no_cdn_links():
    index = cli.SHARE / "voila" / "templates" / "barometer" / "index.html.j2"
    text = index.read_text(encoding="utf-8")
    assert 'href="http' not in text and 'src="http' not in text and 'href="//' not in text


def test_pool_option():
    import pytest

    ap = argparse.ArgumentParser()
    cli.add_parser(ap.add_subparsers(dest="cmd"))
    assert ap.parse_args(["explore"]).pool is None  # voila.json's default_pool_size
    args = ap.parse_args(["explore", "--pool", "20"])
    cmd = cli.voila_command(args.port, pool=args.pool)
    assert "--VoilaConfiguration.default_pool_size=20" in cmd
    assert f"--VoilaKernelManager.fill_delay={cli.ROOM_FILL_DELAY}" in cmd
    assert not any("fill_delay" in c for c in cli.voila_command(8866, pool=2))
    for bad in ("0", "-3", "tjugo"):
        with pytest.raises(SystemExit):
            ap.parse_args(["explore", "--pool", bad])
