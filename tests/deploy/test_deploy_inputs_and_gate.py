"""`deploy` of a templategen YAML input, and the lint gate in front of every deployment.

A YAML input is deployed as exactly what `templategen generate` writes (template and parameters);
the emulator records the request, so the test compares the wire with the committed example outputs.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from tests.deploy.conftest import TEMPLATE, Result, write_json
from tests.deploy.emulator import ArmEmulator

Cli = Callable[..., Result]
RG = "rg-backup"


def test_yaml_input_is_generated_then_deployed_as_generate_writes_it(
    cli: Cli, repo: Path, deploy_env: ArmEmulator
) -> None:
    source = repo / "examples" / "backup-vms-quickstart.yaml"
    r = cli(str(source), "-g", RG, "--what-if", "-n", "from-yaml", lint=True)
    assert r.code == 0, r
    (post,) = deploy_env.arm_requests("POST", "/whatIf")
    generated = json.loads((repo / "examples" / "backup-vms-quickstart.json").read_text(encoding="utf-8"))
    parameters = json.loads(
        (repo / "examples" / "backup-vms-quickstart.parameters.json").read_text(encoding="utf-8")
    )
    assert post.json["properties"]["template"] == generated
    assert post.json["properties"]["parameters"] == parameters["parameters"]


def test_yaml_input_parameters_can_be_overridden(cli: Cli, repo: Path, deploy_env: ArmEmulator) -> None:
    source = repo / "examples" / "backup-vms-quickstart.yaml"
    r = cli(str(source), "-g", RG, "--what-if", "-n", "override", "-p", "vaultName=rsv-other")
    assert r.code == 0, r
    (post,) = deploy_env.arm_requests("POST", "/whatIf")
    assert post.json["properties"]["parameters"]["vaultName"] == {"value": "rsv-other"}


def test_broken_yaml_input_is_refused_before_anything_is_sent(
    cli: Cli, tmp_path: Path, deploy_env: ArmEmulator
) -> None:
    source = tmp_path / "bad.yaml"
    source.write_text("kind: recovery-services-backup-vms\nvault:\n  nmae: x\n", encoding="utf-8")
    r = cli(str(source), "-g", RG, "--what-if", lint=True)
    assert r.code == 2, r
    assert "bad.yaml:" in r.err and "Traceback" not in r.err
    assert deploy_env.arm_requests("POST", "/whatIf") == []


def test_lint_gate_refuses_a_template_with_errors_and_sends_nothing(
    cli: Cli, tmp_path: Path, deploy_env: ArmEmulator
) -> None:
    broken = json.loads(json.dumps(TEMPLATE))
    broken["resources"][0]["name"] = "[concat(parameters('vaultName'), ]"
    path = write_json(tmp_path / "broken.json", broken)
    r = cli(str(path), "-g", RG, "-n", "gated", lint=True)
    assert r.code == 1, r
    assert "TG101" in r.err and "broken.json:" in r.err
    assert "nothing was sent to Azure" in r.err
    assert deploy_env.arm_requests("PUT", "/deployments/") == []
    assert deploy_env.arm_requests("POST", "/") == []


def test_lint_gate_passes_a_clean_template(cli: Cli, tmp_path: Path, deploy_env: ArmEmulator) -> None:
    path = write_json(tmp_path / "clean.json", TEMPLATE)
    r = cli(str(path), "-g", RG, "--what-if", "-n", "clean", lint=True)
    assert r.code == 0, r
    assert len(deploy_env.arm_requests("POST", "/whatIf")) == 1
