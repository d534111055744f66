"""The files of deploy/ agree with each other and with the code: every command they run
exists, every variable they read is in env.example, compose.yaml has every role.

(Docker is not run here: no network in the tests. tests/stack/test_stack.py runs the
supervisord, gunicorn and nginx files for real.)"""

from __future__ import annotations

import configparser
import re
from pathlib import Path

import yaml
from django.conf import settings
from django.core.management import get_commands

DEPLOY = Path(settings.BASE_DIR) / "deploy"


def env_example() -> dict[str, str]:
    lines = (DEPLOY / "env.example").read_text().splitlines()
    pairs = [line.split("=", 1) for line in lines if line and not line.startswith("#")]
    return {pair[0]: pair[1] for pair in pairs}


def manage_commands(text: str) -> set[str]:
    return set(re.findall(r"manage\.py\W+(\w+)", text))


def test_every_variable_the_supervisor_config_reads_is_in_env_example() -> None:
    text = (DEPLOY / "supervisord.conf").read_text()
    wanted = set(re.findall(r"%\(ENV_(\w+)\)s", text))
    assert wanted and wanted <= set(env_example()), wanted - set(env_example())


def test_env_example_names_only_settings_that_exist() -> None:
    code = (Path(settings.BASE_DIR) / "preceptor" / "settings.py").read_text()
    code += (Path(settings.BASE_DIR) / "preceptor" / "writers" / "storage.py").read_text()
    deploy_text = "".join(p.read_text() for p in DEPLOY.rglob("*") if p.is_file())
    for name in env_example():
        assert f'"{name}"' in code or f"ENV_{name}" in deploy_text or f'"{name}"' in deploy_text, (
            f"{name} in env.example is read by nothing"
        )


def test_production_values_in_env_example() -> None:
    env = env_example()
    assert env["DEBUG"] == "false"
    assert env["SITE_URL"].startswith("https://")
    assert env["PROXY_COUNT"] == "1"
    assert env["CACHE_URL"] == "db://"


def test_supervisor_runs_every_role_with_commands_that_exist() -> None:
    parser = configparser.RawConfigParser()
    parser.read(DEPLOY / "supervisord.conf")
    programs = {
        s.split(":", 1)[1]: parser[s]["command"] for s in parser if s.startswith("program:")
    }
    assert set(programs) == {"web", "worker", "simulations", "sender"}
    assert "gunicorn preceptor.wsgi" in programs["web"]
    assert "--queue-name simulations" in programs["simulations"]
    assert "send_reminders --loop" in programs["sender"]
    assert manage_commands(" ".join(programs.values())) <= set(get_commands())


def test_compose_has_every_role_and_its_commands_exist() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    assert set(services) == {"db", "release", "web", "worker", "simulations", "sender", "nginx"}
    for name in ("web", "worker", "simulations", "sender"):
        assert services[name]["depends_on"]["release"]["condition"] == (
            "service_completed_successfully"
        )
        assert "vault:/data/vault" in services[name]["volumes"]
        # env_file holds a host install's paths: the vault must be the volume all the same.
        assert services[name]["environment"]["PRECEPTOR_VAULT_DIR"] == "/data/vault"
    commands = " ".join(" ".join(s.get("command", [])) for s in services.values())
    assert {"release", "worker", "send_reminders"} <= manage_commands(commands)
    assert manage_commands(commands) <= set(get_commands())
    # Every file compose mounts or builds from is in the repository.
    for volume in services["nginx"]["volumes"]:
        source = volume.split(":", 1)[0]
        if source != "./certs":
            assert (DEPLOY / source).is_file(), source
    assert (DEPLOY / compose["x-app"]["build"]["context"] / "deploy" / "Dockerfile").is_file()


def test_dockerfile_copies_what_exists_and_runs_gunicorn() -> None:
    lines = (DEPLOY / "Dockerfile").read_text().splitlines()
    root = Path(settings.BASE_DIR)
    for line in lines:
        if line.startswith("COPY "):
            for source in line.split()[1:-1]:
                assert (root / source).exists(), source
    assert any(line.startswith("CMD") and "gunicorn" in line for line in lines)
    assert any(line.startswith("USER ") and "root" not in line for line in lines)


def test_systemd_units_run_commands_that_exist() -> None:
    units = {p.name: p.read_text() for p in (DEPLOY / "systemd").iterdir()}
    assert {"preceptor-web@.service", "preceptor-worker@.service"} <= set(units)
    assert {"preceptor-simulations@.service", "preceptor-sender.service"} <= set(units)
    for name, text in units.items():
        if name.endswith(".service"):
            assert "EnvironmentFile=/etc/preceptor/env" in text, name
            assert manage_commands(text) <= set(get_commands()), name
