"""`templategen deploy` end to end: the real CLI and the real SDK against the ARM emulator over TLS.

Each test reads what the CLI printed and what the emulator received. Nothing of ours is patched:
the CLI is pointed at the emulator only through `--endpoint`, `REQUESTS_CA_BUNDLE` and azure-identity's
environment variables (see conftest.py).
"""

from __future__ import annotations

import json
import re
import socket
import ssl
from collections.abc import Callable
from pathlib import Path

import pytest
import trustme

from templategen.deploy.errors import (
    EXIT_DEPLOYMENT_FAILED,
    EXIT_NOT_AUTHORIZED,
    EXIT_REFUSED,
    EXIT_TEMPLATE_REJECTED,
    EXIT_UNREACHABLE,
)
from tests.deploy.conftest import PARAMETERS, SECRET, TEMPLATE, Result, write_json
from tests.deploy.emulator import ArmEmulator, Plan, arm_error

Cli = Callable[..., Result]
RG = "rg-backup"


def _line(text: str, pattern: str) -> bool:
    """True when a line of `text` matches `pattern` (a regex anchored at both ends)."""
    return any(re.fullmatch(pattern, line) for line in text.splitlines())


# --- what-if -----------------------------------------------------------------------------------


def test_what_if_sends_template_and_parameters_unchanged_and_shows_creations(
    cli: Cli, files: dict[str, Path], deploy_env: ArmEmulator
) -> None:
    r = cli(str(files["template"]), "-g", RG, "-p", str(files["parameters"]), "--what-if", "-n", "wi")
    assert r.code == 0, r
    assert _line(r.out, r"  \+ Microsoft\.RecoveryServices/vaults/rsv-backup-prod \[2023-04-01\]")
    assert _line(
        r.out,
        r"  \+ Microsoft\.RecoveryServices/vaults/rsv-backup-prod/backupPolicies/DailyPolicy \[2023-04-01\]",
    )
    assert _line(r.out, r'      properties\.timeZone: +"UTC"')
    assert _line(r.out, r"      properties\.retentionPolicy\.dailySchedule\.retentionDuration\.count: +14")
    assert _line(r.out, r'      tags\.owner: +"backup-team"')
    assert r.out.rstrip().endswith("Resource changes: 2 to create.")
    assert "\x1b[" not in r.out  # not a terminal: no colour

    (post,) = deploy_env.arm_requests("POST", "/whatIf")
    assert post.path == (
        f"/subscriptions/{deploy_env.subscription_id}/resourcegroups/{RG}"
        "/providers/Microsoft.Resources/deployments/wi/whatIf"
    )
    body = post.json
    assert body["properties"]["template"] == TEMPLATE
    assert body["properties"]["parameters"] == PARAMETERS["parameters"]
    assert body["properties"]["mode"] == "Incremental"
    assert body["properties"]["whatIfSettings"] == {"resultFormat": "FullResourcePayloads"}
    assert post.query["api-version"]
    token = post.headers["authorization"].removeprefix("Bearer ")
    assert token in deploy_env.issued_tokens
    assert len(deploy_env.arm_requests("GET", "/whatifresults/")) == deploy_env.what_if_polls + 1


def _seed_existing(emu: ArmEmulator) -> None:
    emu.add_existing(
        "Microsoft.RecoveryServices/vaults",
        "rsv-backup-prod",
        {
            "apiVersion": "2023-04-01",
            "location": "westeurope",
            "tags": {"env": "prod", "costCenter": "4711"},
            "sku": {"name": "RS0", "tier": "Standard"},
            "properties": {"publicNetworkAccess": "Enabled"},
        },
    )
    policy = json.loads(json.dumps(TEMPLATE["resources"][1]))
    del policy["dependsOn"]
    policy["location"] = "westeurope"
    policy["properties"]["retentionPolicy"]["dailySchedule"]["retentionDuration"]["count"] = 30
    emu.add_existing(policy.pop("type"), policy.pop("name"), policy)
    emu.add_existing("Microsoft.Storage/storageAccounts", "stlegacybackup", {"location": "westeurope"})


def test_what_if_shows_property_changes_and_deletions_in_complete_mode(
    cli: Cli, files: dict[str, Path], deploy_env: ArmEmulator
) -> None:
    _seed_existing(deploy_env)
    r = cli(
        str(files["template"]),
        "-g",
        RG,
        "-p",
        str(files["parameters"]),
        "-p",
        "retentionDays=7",
        "-p",
        "skuName=Standard",
        "--mode",
        "cOmPlEtE",
        "--what-if",
    )
    assert r.code == 0, r
    out = r.out
    assert _line(out, r"  ~ Microsoft\.RecoveryServices/vaults/rsv-backup-prod \[2023-04-01\]")
    assert _line(out, r'    ~ sku\.name: +"RS0" => "Standard"')
    assert _line(out, r'    \+ tags\.owner: +"backup-team"')
    assert _line(out, r'    - tags\.costCenter: +"4711"')
    assert _line(out, r"    ~ properties\.retentionPolicy\.dailySchedule\.retentionDuration\.count: +30 => 7")
    assert _line(out, r"  - Microsoft\.Storage/storageAccounts/stlegacybackup")
    assert "Resource changes: 2 to modify, 1 to delete." in out
    # The vault block comes before the policy block (sorted by id), the storage account after both.
    assert (
        out.index("vaults/rsv-backup-prod [")
        < out.index("backupPolicies/DailyPolicy")
        < out.index("stlegacy")
    )

    (post,) = deploy_env.arm_requests("POST", "/whatIf")
    props = post.json["properties"]
    assert props["mode"] == "Complete"
    expected = dict(PARAMETERS["parameters"])
    expected["retentionDays"] = {"value": 7}
    expected["skuName"] = {"value": "Standard"}
    assert props["parameters"] == expected


def test_what_if_incremental_ignores_unlisted_resources_and_colours_on_request(
    cli: Cli, files: dict[str, Path], deploy_env: ArmEmulator
) -> None:
    _seed_existing(deploy_env)
    r = cli(
        str(files["template"]), "-g", RG, "-p", str(files["parameters"]), "--what-if", "--color", "always"
    )
    assert r.code == 0, r
    assert "\x1b[90m  * Microsoft.Storage/storageAccounts/stlegacybackup\x1b[0m" in r.out
    assert "\x1b[35m  ~ Microsoft.RecoveryServices/vaults/rsv-backup-prod [2023-04-01]\x1b[0m" in r.out
    assert re.search(r"\x1b\[31m- tags\.costCenter: +\"4711\"\x1b\[0m", r.out)


def test_what_if_json_format_is_machine_readable(
    cli: Cli, files: dict[str, Path], deploy_env: ArmEmulator
) -> None:
    r = cli(str(files["template"]), "-g", RG, "-p", str(files["parameters"]), "--what-if", "--format", "json")
    assert r.code == 0, r
    result = json.loads(r.out)
    kinds = sorted(
        (c["changeType"], c["resourceId"].rsplit("/", 1)[1]) for c in result["properties"]["changes"]
    )
    assert kinds == [("Create", "DailyPolicy"), ("Create", "rsv-backup-prod")]


def test_what_if_of_a_rejected_template_exits_template_rejected(
    cli: Cli, files: dict[str, Path], deploy_env: ArmEmulator
) -> None:
    r = cli(str(files["secure"]), "-g", RG, "--what-if")  # snapshotToken has no value and no default
    assert r.code == EXIT_TEMPLATE_REJECTED, r
    assert "Azure rejected the template (InvalidTemplate)" in r.err
    assert "'snapshotToken'" in r.err
    assert r.out == ""


# --- deploy ------------------------------------------------------------------------------------


def test_deploy_waits_shows_progress_and_prints_outputs(
    cli: Cli, files: dict[str, Path], deploy_env: ArmEmulator
) -> None:
    r = cli(str(files["template"]), "-g", RG, "-p", str(files["parameters"]), "-n", "vault-1")
    assert r.code == 0, r
    assert r.out == 'Outputs:\n  retentionDays  14\n  vaultName      "rsv-backup-prod"\n'
    assert "Deploying 'vault-1' to resource group 'rg-backup'" in r.err
    assert _line(r.err, r"\[\d\d:\d\d\] Microsoft\.RecoveryServices/vaults/rsv-backup-prod: Succeeded")
    assert _line(
        r.err,
        r"\[\d\d:\d\d\] Microsoft\.RecoveryServices/vaults/backupPolicies/"
        r"rsv-backup-prod/DailyPolicy: Succeeded",
    )
    assert _line(r.err, r"\[\d\d:\d\d\] deployment vault-1: Succeeded")

    (put,) = deploy_env.arm_requests("PUT")
    assert put.path.endswith(f"/resourcegroups/{RG}/providers/Microsoft.Resources/deployments/vault-1")
    assert put.json == {
        "properties": {"mode": "Incremental", "template": TEMPLATE, "parameters": PARAMETERS["parameters"]}
    }
    polls = deploy_env.arm_requests("GET", "/operationstatuses/")
    assert len(polls) == deploy_env.plan.running_polls + 1
    # The SDK's final GET of the deployment, after the last poll.
    assert deploy_env.arm_requests("GET", "/deployments/vault-1")

    # What was deployed now exists: a what-if of the same input changes nothing.
    again = cli(str(files["template"]), "-g", RG, "-p", str(files["parameters"]), "--what-if")
    assert again.code == 0, again
    assert "Resource changes: 2 no change." in again.out


def test_default_deployment_name_is_the_template_name_and_a_timestamp(
    cli: Cli, files: dict[str, Path], deploy_env: ArmEmulator
) -> None:
    r = cli(str(files["template"]), "-g", RG, "-p", str(files["parameters"]), "--format", "json")
    assert r.code == 0, r
    (put,) = deploy_env.arm_requests("PUT")
    name = put.path.rsplit("/", 1)[1]
    assert re.fullmatch(r"backup-vault-\d{14}", name)
    payload = json.loads(r.out)
    assert payload["name"] == name
    assert payload["provisioningState"] == "Succeeded"
    assert payload["outputs"]["retentionDays"] == {"type": "Int", "value": 14}


def test_failed_deployment_prints_the_error_tree_and_failed_operations(
    cli: Cli, files: dict[str, Path], deploy_env: ArmEmulator
) -> None:
    deploy_env.plan = Plan(running_polls=1, outcome="Failed", failing_resource=1)
    r = cli(str(files["template"]), "-g", RG, "-p", str(files["parameters"]), "-n", "d-fail")
    assert r.code == EXIT_DEPLOYMENT_FAILED, r
    assert r.out == ""
    err = r.err.splitlines()
    start = err.index("templategen: error: deployment 'd-fail' failed in resource group 'rg-backup'")
    tree = err[start + 1 : start + 4]
    assert tree[0].startswith("  DeploymentFailed: At least one resource deployment operation failed.")
    policy_id = (
        f"/subscriptions/{deploy_env.subscription_id}/resourceGroups/{RG}"
        "/providers/Microsoft.RecoveryServices/vaults/rsv-backup-prod/backupPolicies/DailyPolicy"
    )
    assert tree[1].startswith(f"    - ResourceDeploymentFailure (target: {policy_id}): The resource write")
    assert tree[2] == (
        "      - BadRequest (target: properties.schedulePolicy.scheduleRunTimes): "
        "The backup policy schedule is not valid: scheduleRunTimes must be on the hour."
    )
    ops = err.index("Failed operations:")
    assert (
        err[ops + 1] == "  Microsoft.RecoveryServices/vaults/backupPolicies/rsv-backup-prod/DailyPolicy: "
        "Failed (BadRequest)"
    )
    assert err[ops + 2].startswith("    - BadRequest (target: properties.schedulePolicy.scheduleRunTimes)")
    assert "Microsoft.RecoveryServices/vaults/rsv-backup-prod: Failed" not in r.err
    assert (
        "  correlation id: c0ffee00-0000-4000-8000-000000000001 (quote it when asking Azure support)" in err
    )
    assert any(
        line.strip().startswith(f"az deployment operation group list -g {RG} -n d-fail") for line in err
    )


# --- template rejected -------------------------------------------------------------------------


NESTED_ERROR = arm_error(
    "InvalidTemplateDeployment",
    "The template deployment 'd' is not valid according to the validation procedure.",
    [
        {
            "code": "InvalidTemplate",
            "target": "/resources/1",
            "message": "Deployment template validation failed: 'The resource 'DailyPolicy' is not defined.'",
            "additionalInfo": [
                {
                    "type": "TemplateViolation",
                    "info": {
                        "lineNumber": 1,
                        "linePosition": 812,
                        "path": "properties.template.resources[1]",
                    },
                }
            ],
            "details": [{"code": "ResourceNotDefined", "target": "dependsOn[0]", "message": "Third level."}],
        },
        {"code": "InvalidParameter", "message": "Second sibling."},
    ],
)


def test_rejected_template_prints_nested_details_as_a_tree(
    cli: Cli, files: dict[str, Path], deploy_env: ArmEmulator
) -> None:
    deploy_env.inject("PUT", r"/deployments/d$", status=400, body=NESTED_ERROR)
    r = cli(str(files["template"]), "-g", RG, "-p", str(files["parameters"]), "-n", "d")
    assert r.code == EXIT_TEMPLATE_REJECTED, r
    assert r.err.splitlines() == [
        "templategen: error: Azure rejected the template (InvalidTemplateDeployment)",
        "  InvalidTemplateDeployment: The template deployment 'd' is not valid according to the validation "
        "procedure.",
        "    - InvalidTemplate (target: /resources/1): Deployment template validation failed: "
        "'The resource 'DailyPolicy' is not defined.'",
        "      at properties.template.resources[1] (line 1, column 812 of the template as sent)",
        "      - ResourceNotDefined (target: dependsOn[0]): Third level.",
        "    - InvalidParameter: Second sibling.",
    ]
    assert len(deploy_env.arm_requests("PUT")) == 1  # a 400 is not retried
    assert not deploy_env.arm_requests("GET", "/operationstatuses/")


def test_validate_only_rejection_and_success(
    cli: Cli, files: dict[str, Path], deploy_env: ArmEmulator
) -> None:
    bad = cli(str(files["secure"]), "-g", RG, "--validate-only", "-n", "v")
    assert bad.code == EXIT_TEMPLATE_REJECTED, bad
    assert "InvalidTemplate: Deployment template validation failed" in bad.err
    assert "at properties.template.parameters.snapshotToken" in bad.err

    good = cli(str(files["template"]), "-g", RG, "-p", str(files["parameters"]), "--validate-only", "-n", "v")
    assert good.code == 0, good
    assert good.out.splitlines()[0] == "Validation passed: Azure accepts the template (2 resources)."
    assert f"  /subscriptions/{deploy_env.subscription_id}/resourceGroups/{RG}/providers/" in good.out
    assert len(deploy_env.arm_requests("POST", "/validate")) == 2
    assert not deploy_env.arm_requests("PUT")


# --- parameters --------------------------------------------------------------------------------


def test_parameters_merge_files_inline_json_and_name_value_like_az(
    cli: Cli, files: dict[str, Path], deploy_env: ArmEmulator, tmp_path: Path
) -> None:
    extra = write_json(tmp_path / "extra.json", {"location": {"value": "northeurope"}})  # bare object
    r = cli(
        str(files["template"]),
        "-g",
        RG,
        "-p",
        f"@{files['parameters']}",
        "-p",
        str(extra),
        "-p",
        '{"skuName": {"value": "Standard"}}',
        "-p",
        "instantRestore=false",
        "-p",
        'tags={"env": "dev"}',
        "-p",
        "RETENTIONDAYS=3",
        "--validate-only",
    )
    assert r.code == 0, r
    (post,) = deploy_env.arm_requests("POST", "/validate")
    assert post.json["properties"]["parameters"] == {
        "vaultName": {"value": "rsv-backup-prod"},
        "retentionDays": {"value": 3},
        "tags": {"value": {"env": "dev"}},
        "location": {"value": "northeurope"},
        "skuName": {"value": "Standard"},
        "instantRestore": {"value": False},
    }


@pytest.mark.parametrize(
    ("arg", "message"),
    [
        ("nosuch=1", "the template declares no parameter 'nosuch'"),
        ("retentionDays=seven", "parameter 'retentionDays' is an int"),
        ("instantRestore=yes", "parameter 'instantRestore' is a bool"),
        ("tags=[1]", "parameter 'tags' is object"),
        ("@missing.json", "-p @missing.json: no such parameters file"),
        ("justaword", "expected a parameters file, @file, a JSON object or name=value"),
    ],
)
def test_bad_parameter_arguments_are_usage_errors(
    cli: Cli, files: dict[str, Path], deploy_env: ArmEmulator, arg: str, message: str
) -> None:
    r = cli(str(files["template"]), "-g", RG, "-p", arg)
    assert r.code == 2, r
    assert r.err.count("\n") == 1 and message in r.err
    assert deploy_env.requests == []


def test_unusable_inputs_are_refused_before_anything_is_sent(
    cli: Cli, files: dict[str, Path], deploy_env: ArmEmulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{\n  "resources": [\n    {"type": 1 "name": 2}\n  ]\n}\n', encoding="utf-8")
    r = cli(str(broken), "-g", RG)
    assert r.code == 2 and f"{broken}:3:" in r.err, r

    yaml_input = tmp_path / "vault.yaml"
    yaml_input.write_text("kind: backup\n", encoding="utf-8")
    r = cli(str(yaml_input), "-g", RG)
    assert r.code == 2 and "vault.yaml:1:7" in r.err and "unknown input kind" in r.err, r

    r = cli(str(files["parameters"]), "-g", RG)
    assert r.code == 2 and "is a parameters file" in r.err, r

    bicepparam = tmp_path / "main.bicepparam"
    bicepparam.write_text("using 'main.bicep'\nparam vaultName = 'rsv'\n", encoding="utf-8")
    r = cli(str(files["template"]), "-g", RG, "-p", str(bicepparam))
    assert r.code == 2 and "az bicep build-params" in r.err and r.err.count("\n") == 1, r

    r = cli(str(files["template"]), "-g", RG, "--what-if", "--validate-only")
    assert r.code == 2 and "alternatives" in r.err, r

    r = cli(str(files["template"]), "-g", RG, "--endpoint", "http://127.0.0.1:1", endpoint=False)
    assert r.code == 2 and "https:// URL is required" in r.err, r

    r = cli(str(files["template"]), "-g", RG, "-n", "has space")
    assert r.code == 2 and "deployment name" in r.err, r

    monkeypatch.setenv("AZURE_TOKEN_CREDENTIALS", "NoSuchCredential")
    r = cli(str(files["template"]), "-g", RG)
    assert r.code == 2 and "AZURE_TOKEN_CREDENTIALS" in r.err and r.err.count("\n") == 1, r

    monkeypatch.delenv("AZURE_SUBSCRIPTION_ID")
    r = cli(str(files["template"]), "-g", RG)
    assert r.code == 2 and "--subscription" in r.err, r
    assert deploy_env.requests == []


# --- secrets -----------------------------------------------------------------------------------


def test_secure_parameter_is_sent_but_never_printed(
    cli: Cli, files: dict[str, Path], deploy_env: ArmEmulator
) -> None:
    what_if = cli(str(files["secure"]), "-g", RG, "--what-if", "-p", f"snapshotToken={SECRET}")
    assert what_if.code == 0, what_if
    # The emulator puts the resolved value in the what-if payload, in settings and protectedSettings.
    assert _line(what_if.out, r'      properties\.settings\.taskId: +"\*\*\*"')
    assert _line(what_if.out, r'      properties\.protectedSettings\.token: +"\*\*\*"')

    deployed = cli(str(files["secure"]), "-g", RG, "-n", "ext", "-vv", "-p", f"snapshotToken={SECRET}")
    assert deployed.code == 0, deployed
    assert deployed.out == "Outputs:\n  echo  ***\n"
    # -vv logs request bodies: the body is there, the value is not, nor the token or client secret.
    assert '"parameters": {"snapshotToken": {"value": "***"}}' in deployed.err
    assert "'Authorization': 'Bearer ***'" in deployed.err

    json_what_if = cli(
        str(files["secure"]), "-g", RG, "--what-if", "--format", "json", "-p", f"snapshotToken={SECRET}"
    )
    assert json_what_if.code == 0

    for result in (what_if, deployed, json_what_if):
        printed = result.out + result.err
        assert SECRET not in printed
        assert deploy_env.client_secret not in printed
        assert not any(token in printed for token in deploy_env.issued_tokens)
    sent = [r.json["properties"]["parameters"]["snapshotToken"] for r in deploy_env.arm_requests("PUT")]
    assert sent == [{"value": SECRET}]


def test_secret_from_a_parameters_file_is_masked_in_azure_error_messages(
    cli: Cli, files: dict[str, Path], deploy_env: ArmEmulator, tmp_path: Path
) -> None:
    params = write_json(
        tmp_path / "secure.parameters.json",
        {
            "$schema": PARAMETERS["$schema"],
            "contentVersion": "1.0.0.0",
            "parameters": {"snapshotToken": {"value": SECRET}},
        },
    )
    deploy_env.inject(
        "PUT",
        r"/deployments/",
        status=400,
        body=arm_error("InvalidTemplate", f"The value '{SECRET}' of 'taskId' is not a valid task id."),
    )
    r = cli(str(files["secure"]), "-g", RG, "-p", str(params), "-n", "ext")
    assert r.code == EXIT_TEMPLATE_REJECTED, r
    assert "InvalidTemplate: The value '***' of 'taskId' is not a valid task id." in r.err
    assert SECRET not in r.out + r.err


# --- sign-in and authorisation -----------------------------------------------------------------


def test_not_signed_in_says_what_to_run_and_sends_nothing(
    cli: Cli, files: dict[str, Path], deploy_env: ArmEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AZURE_CLIENT_SECRET")
    r = cli(str(files["template"]), "-g", RG, "-p", str(files["parameters"]))
    assert r.code == EXIT_NOT_AUTHORIZED, r
    headline = r.err.splitlines()[0]
    assert headline.startswith("templategen: error: not signed in to Azure: run `az login`")
    assert "AZURE_CLIENT_SECRET" in headline
    assert "Traceback" not in r.err
    assert deploy_env.requests == []


def test_rejected_client_secret_reports_the_sign_in_error(
    cli: Cli, files: dict[str, Path], deploy_env: ArmEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AZURE_CLIENT_SECRET", "not-the-secret")
    r = cli(str(files["template"]), "-g", RG)
    assert r.code == EXIT_NOT_AUTHORIZED, r
    assert r.err.splitlines()[0] == (
        "templategen: error: sign-in failed (EnvironmentCredential): "
        "AADSTS7000215: Invalid client secret provided."
    )
    assert "not-the-secret" not in r.err
    assert deploy_env.arm_requests() == []


@pytest.mark.parametrize(
    ("status", "code", "expected"),
    [
        (
            401,
            "InvalidAuthenticationToken",
            "Azure did not accept the sign-in token (InvalidAuthenticationToken)",
        ),
        (
            403,
            "AuthorizationFailed",
            "not allowed to deploy in resource group 'rg-backup' (AuthorizationFailed)",
        ),
    ],
)
def test_401_and_403_from_resource_manager(
    cli: Cli, files: dict[str, Path], deploy_env: ArmEmulator, status: int, code: str, expected: str
) -> None:
    deploy_env.inject("PUT", r"/deployments/", status=status, body=arm_error(code, "No."), times=5)
    r = cli(str(files["template"]), "-g", RG)
    assert r.code == EXIT_NOT_AUTHORIZED, r
    assert r.err.splitlines()[0].startswith(f"templategen: error: {expected}")
    assert r.err.splitlines()[1] == f"  {code}: No."


def test_missing_resource_group_and_active_deployment_are_refused(
    cli: Cli, files: dict[str, Path], deploy_env: ArmEmulator
) -> None:
    r = cli(str(files["template"]), "-g", "rg-missing")
    assert r.code == EXIT_REFUSED, r
    assert "resource group 'rg-missing' does not exist" in r.err
    assert "`az group create -n rg-missing -l <location>`" in r.err

    deploy_env.seed_running_deployment("busy")
    r = cli(str(files["template"]), "-g", RG, "-n", "busy")
    assert r.code == EXIT_REFUSED, r
    assert "a deployment named 'busy' is still running in resource group 'rg-backup'" in r.err
    assert "  DeploymentActive: Unable to edit or replace deployment 'busy'" in r.err


# --- retries and transport ---------------------------------------------------------------------


def test_throttling_is_retried_with_retry_after(
    cli: Cli, files: dict[str, Path], deploy_env: ArmEmulator
) -> None:
    throttled = arm_error("TooManyRequests", "Rate limit exceeded.")
    deploy_env.inject(
        "PUT", r"/deployments/", status=429, body=throttled, headers={"retry-after-ms": "5"}, times=2
    )
    r = cli(str(files["template"]), "-g", RG, "-n", "t1")
    assert r.code == 0, r
    assert len(deploy_env.arm_requests("PUT")) == 3


def test_throttling_beyond_the_retries_is_could_not_reach_azure(
    cli: Cli, files: dict[str, Path], deploy_env: ArmEmulator
) -> None:
    throttled = arm_error("TooManyRequests", "Rate limit exceeded.")
    deploy_env.inject(
        "PUT", r"/deployments/", status=429, body=throttled, headers={"retry-after-ms": "5"}, times=99
    )
    r = cli(str(files["template"]), "-g", RG, "-n", "t2", "--retries", "2")
    assert r.code == EXIT_UNREACHABLE, r
    assert "Azure answered 429 (TooManyRequests) to deploy and still did after 2 retries" in r.err
    assert len(deploy_env.arm_requests("PUT")) == 3


def test_server_errors_while_polling_are_retried(
    cli: Cli, files: dict[str, Path], deploy_env: ArmEmulator
) -> None:
    deploy_env.inject(
        "GET", r"/operationstatuses/", status=500, body=arm_error("InternalServerError", "Oops."), times=2
    )
    r = cli(str(files["template"]), "-g", RG, "-n", "s1")
    assert r.code == 0, r
    assert len(deploy_env.arm_requests("GET", "/operationstatuses/")) == deploy_env.plan.running_polls + 1 + 2


def test_persistent_server_errors_are_bounded(
    cli: Cli, files: dict[str, Path], deploy_env: ArmEmulator
) -> None:
    deploy_env.inject(
        "POST", r"/validate$", status=503, body=arm_error("ServiceUnavailable", "Down."), times=99
    )
    r = cli(str(files["template"]), "-g", RG, "--validate-only", "--retries", "1")
    assert r.code == EXIT_UNREACHABLE, r
    assert "Azure answered 503 (ServiceUnavailable) to validate and still did after 1 retries" in r.err
    assert len(deploy_env.arm_requests("POST", "/validate")) == 2


def test_dropped_connection_mid_poll_is_retried(
    cli: Cli, files: dict[str, Path], deploy_env: ArmEmulator
) -> None:
    deploy_env.plan = Plan(running_polls=3)
    deploy_env.inject("GET", r"/operationstatuses/", drop=True, times=1)
    r = cli(str(files["template"]), "-g", RG, "-n", "drop1")
    assert r.code == 0, r
    assert len(deploy_env.arm_requests("GET", "/operationstatuses/")) == 3 + 1 + 1


def test_connection_lost_for_good_mid_poll_says_the_deployment_may_still_run(
    cli: Cli, files: dict[str, Path], deploy_env: ArmEmulator
) -> None:
    deploy_env.inject("GET", r"/operationstatuses/", drop=True, times=99)
    r = cli(str(files["template"]), "-g", RG, "-n", "drop2", "--retries", "1")
    assert r.code == EXIT_UNREACHABLE, r
    assert "templategen: error: could not reach Azure at" in r.err
    assert "Deployment 'drop2' may still be running in Azure:" in r.err
    assert f"az deployment group show -g {RG} -n drop2" in r.err
    assert len(deploy_env.arm_requests("GET", "/operationstatuses/")) == 2


def test_nothing_listening_is_could_not_reach_azure(
    cli: Cli, files: dict[str, Path], deploy_env: ArmEmulator
) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    r = cli(
        str(files["template"]),
        "-g",
        RG,
        "--retries",
        "0",
        "--endpoint",
        f"https://127.0.0.1:{port}",
        endpoint=False,
    )
    assert r.code == EXIT_UNREACHABLE, r
    assert r.err.startswith(
        f"templategen: error: could not reach Azure at https://127.0.0.1:{port}/ to deploy"
    )


def test_tls_is_verified_against_the_configured_bundle(
    cli: Cli, files: dict[str, Path], deploy_env: ArmEmulator
) -> None:
    stranger = trustme.CA(key_type=trustme.KeyType.ECDSA)  # not in REQUESTS_CA_BUNDLE
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    stranger.issue_cert("127.0.0.1", key_type=trustme.KeyType.ECDSA).configure_cert(context)
    other = ArmEmulator()
    other.start(context)
    try:
        r = cli(str(files["template"]), "-g", RG, "--retries", "0", "--endpoint", other.url, endpoint=False)
    finally:
        other.stop()
    assert r.code == EXIT_UNREACHABLE, r
    assert "certificate" in r.err and "REQUESTS_CA_BUNDLE" in r.err
    assert other.requests == []  # the handshake failed: no request was ever read


# --- clouds ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cloud", "scope"),
    [
        ("AzureCloud", "https://management.azure.com/.default"),
        ("azurechinacloud", "https://management.chinacloudapi.cn/.default"),
        ("AzureUSGovernment", "https://management.core.usgovcloudapi.net/.default"),
    ],
)
def test_token_scope_follows_the_cloud_even_with_a_custom_endpoint(
    cli: Cli, files: dict[str, Path], deploy_env: ArmEmulator, cloud: str, scope: str
) -> None:
    r = cli(
        str(files["template"]), "-g", RG, "-p", str(files["parameters"]), "--validate-only", "--cloud", cloud
    )
    assert r.code == 0, r
    (token,) = deploy_env.token_requests()
    assert token.form["scope"] == scope
    assert token.form["grant_type"] == "client_credentials"
    assert token.path == f"/{deploy_env.tenant_id}/oauth2/v2.0/token"


def test_an_unusable_status_answer_is_not_called_a_rejection(
    cli: Cli, files: dict[str, Path], deploy_env: ArmEmulator
) -> None:
    deploy_env.inject("GET", r"/operationstatuses/", status=200, body={"unexpected": True}, times=99)
    r = cli(str(files["template"]), "-g", RG, "-n", "odd")
    assert r.code == EXIT_UNREACHABLE, r
    assert "Deployment 'odd' may still be running in Azure:" in r.err
    assert "rejected" not in r.err


def test_proxy_settings_are_honoured(
    cli: Cli, files: dict[str, Path], deploy_env: ArmEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead_proxy = f"http://127.0.0.1:{sock.getsockname()[1]}"
    monkeypatch.setenv("HTTPS_PROXY", dead_proxy)
    monkeypatch.setenv("https_proxy", dead_proxy)
    # NO_PROXY (set by the fixture) exempts the emulator: the proxy is never used.
    r = cli(str(files["template"]), "-g", RG, "-p", str(files["parameters"]), "--validate-only")
    assert r.code == 0, r

    # Without the exemption Resource Manager calls go to the (dead) proxy. Sign-in stays exempt through
    # its host name, so that only our --retries apply (azure-identity keeps its own retry policy).
    monkeypatch.setenv("AZURE_AUTHORITY_HOST", deploy_env.url.replace("127.0.0.1", "localhost"))
    monkeypatch.setenv("NO_PROXY", "localhost")
    monkeypatch.setenv("no_proxy", "localhost")
    r = cli(str(files["template"]), "-g", RG, "--validate-only", "--retries", "0")
    assert r.code == EXIT_UNREACHABLE, r
    assert r.err.startswith(f"templategen: error: could not reach Azure at {deploy_env.url}/ to validate\n")
    assert "  the proxy could not be used; check HTTPS_PROXY and NO_PROXY" in r.err
    assert len(deploy_env.token_requests()) == 2 and not deploy_env.arm_requests("POST", "/validate")[1:]
