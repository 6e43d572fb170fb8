"""Run one `templategen deploy`: validate, what-if, or create-or-update and wait.

The command module parses options; this module talks to Azure through the SDK and decides what is
printed where: results (what-if diff, validated resources, outputs) on stdout, everything about the
run (progress, errors, logs) on stderr, all of it through the run's `Masker`.

Failures become a `DeployError` (headline, details, exit code). Azure exceptions are imported and
caught inside the functions here, never at module level.
"""

from __future__ import annotations

import json
import os
import re
import sys
import urllib.parse

from templategen.deploy import request
from templategen.deploy.client import Settings, azure_logging, make_client, make_credential
from templategen.deploy.errors import (
    EXIT_DEPLOYMENT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_TEMPLATE_REJECTED,
    DeployError,
)
from templategen.deploy.failures import (
    Target,
    describe_exception,
    error_from_exception,
    error_tree,
    failed_operations,
)
from templategen.deploy.masking import Masker
from templategen.deploy.progress import Progress
from templategen.deploy.whatif import mask_result, render_what_if
from templategen.diagnostics import InputError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TextIO

    from templategen.deploy.request import DeploymentInput

_SUBSCRIPTION = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")

ACTIONS = ("deploy", "validate", "what-if")


class Request:
    """One run: what to send where, how to show it."""

    __slots__ = ("action", "colour", "data", "json_output", "mode", "name", "resource_group", "settings")

    def __init__(
        self,
        action: str,
        data: DeploymentInput,
        resource_group: str,
        name: str,
        mode: str,
        settings: Settings,
        json_output: bool = False,
        colour: str = "auto",
    ) -> None:
        self.action = action
        self.data = data
        self.resource_group = resource_group
        self.name = name
        self.mode = mode
        self.settings = settings
        self.json_output = json_output
        self.colour = colour


def check_subscription(value: str | None) -> str:
    """The subscription id to use; InputError when missing or not a GUID."""
    if not value:
        raise InputError(
            "no subscription: pass --subscription ID or set AZURE_SUBSCRIPTION_ID "
            "(`az account show --query id -o tsv` prints the current one)"
        )
    value = value.strip()
    if not _SUBSCRIPTION.match(value):
        raise InputError(f"--subscription {value!r}: expected a subscription ID (a GUID)")
    return value


def colour_enabled(mode: str, stream: TextIO) -> bool:
    """Colour for `--color always`, never for `never`; for `auto`, on a terminal unless NO_COLOR is set."""
    if mode == "always":
        return True
    if mode == "never" or os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def make_masker(data: DeploymentInput) -> Masker:
    """Secrets of this run: secure parameter values and a service principal's secret, if any."""
    secrets = set(data.secrets)
    for var in ("AZURE_CLIENT_SECRET", "AZURE_CLIENT_CERTIFICATE_PASSWORD", "AZURE_PASSWORD"):
        if os.environ.get(var):
            secrets.add(os.environ[var])
    return Masker(secrets)


def deployment_id(req: Request) -> str:
    return (
        f"/subscriptions/{req.settings.subscription}/resourceGroups/{req.resource_group}"
        f"/providers/Microsoft.Resources/deployments/{req.name}"
    )


def follow_hints(req: Request) -> list[str]:
    """How to follow (or stop) a deployment that continues in Azure after we stop waiting."""
    rg, name, sub = req.resource_group, req.name, req.settings.subscription
    portal = f"{req.settings.cloud.portal}/#@/resource{urllib.parse.quote(deployment_id(req))}/overview"
    return [
        f"  follow it:  az deployment group show -g {rg} -n {name} --subscription {sub} "
        "--query properties.provisioningState",
        f"              az deployment operation group list -g {rg} -n {name} --subscription {sub} -o table",
        f"  portal:     {portal}",
        f"  stop it:    az deployment group cancel -g {rg} -n {name} --subscription {sub}",
    ]


# --- the three actions -------------------------------------------------------------------------


def _validate(req: Request, client: Any, masker: Masker, out: TextIO, err: TextIO) -> int:
    body = request.deployment_body(req.data, req.mode)
    poller = client.deployments.begin_validate(req.resource_group, req.name, body)
    result = poller.result().as_dict()
    error = result.get("error")
    if isinstance(error, dict) and error:
        raise DeployError(
            f"Azure rejected the template ({error.get('code', 'error')})",
            EXIT_TEMPLATE_REJECTED,
            error_tree(error, masker, "  "),
        )
    props = result.get("properties") or {}
    resources = [str(r.get("id", "")) for r in props.get("validatedResources") or [] if isinstance(r, dict)]
    resources.sort(key=lambda s: (s.lower(), s))
    if req.json_output:
        payload = {"name": req.name, "validatedResources": resources}
        out.write(masker.text(json.dumps(payload, indent=2, sort_keys=True)) + "\n")
    else:
        out.write(f"Validation passed: Azure accepts the template ({len(resources)} resources).\n")
        for resource in resources:
            out.write(masker.text(f"  {resource}") + "\n")
    return 0


def _what_if(req: Request, client: Any, masker: Masker, out: TextIO, err: TextIO) -> int:
    body = request.what_if_body(req.data, req.mode)
    poller = client.deployments.begin_what_if(req.resource_group, req.name, body)
    result = poller.result().as_dict()
    error = result.get("error")
    if isinstance(error, dict) and error:
        raise DeployError(
            f"Azure rejected the template ({error.get('code', 'error')})",
            EXIT_TEMPLATE_REJECTED,
            error_tree(error, masker, "  "),
        )
    masked = mask_result(result, masker)
    if req.json_output:
        out.write(masker.text(json.dumps(masked, indent=2, sort_keys=True, ensure_ascii=False)) + "\n")
    else:
        out.write(masker.text(render_what_if(masked, colour_enabled(req.colour, out))))
    return 0


def _list_operations(client: Any, req: Request) -> list[dict[str, object]] | None:
    """The deployment's operations, or None when they cannot be read (progress is best effort)."""
    from azure.core.exceptions import AzureError

    try:
        return [op.as_dict() for op in client.deployment_operations.list(req.resource_group, req.name)]
    except AzureError:
        return None


def _deploy(
    req: Request, client: Any, monitor: Any, masker: Masker, target: Target, out: TextIO, err: TextIO
) -> int:
    from azure.core.exceptions import AzureError

    body = request.deployment_body(req.data, req.mode)
    tty = bool(getattr(err, "isatty", None) and err.isatty())
    progress = Progress(err, tty, colour_enabled(req.colour, err), masker)
    interval = max(0.0, req.settings.poll_interval)
    # A terminal's status line shows seconds ticking; a log only needs a line per change.
    tick = min(max(interval, 0.05), 0.5 if tty else 2.0)
    next_listing = 0.0
    try:
        poller = client.deployments.begin_create_or_update(req.resource_group, req.name, body)
    except KeyboardInterrupt:
        lines = [f"Interrupted while sending deployment '{req.name}'; it may have started in Azure."]
        err.write(masker.text("\n".join(lines + follow_hints(req))) + "\n")
        return EXIT_INTERRUPTED
    try:
        progress.started(req.name, req.resource_group)
        while not poller.done():
            poller.wait(timeout=tick)
            if poller.done():
                break  # the final states are shown by `finished`, operations first
            now = progress.elapsed_seconds()
            operations = None
            if now >= next_listing:
                operations = _list_operations(monitor, req)
                next_listing = now + max(interval, 0.05)
            progress.update(poller.status(), operations)
        result = poller.result().as_dict()
    except KeyboardInterrupt:
        progress.interrupted()
        lines = [f"Interrupted: templategen stopped waiting, but deployment '{req.name}' continues in Azure."]
        lines += follow_hints(req)
        err.write(masker.text("\n".join(lines)) + "\n")
        return EXIT_INTERRUPTED
    except AzureError as exc:
        # The SDK marks its poller "Failed" for unusable answers too; the deployment's own state decides.
        deployment = _fetch_deployment(client, req)
        if deployment is not None:
            state = str((deployment.get("properties") or {}).get("provisioningState") or "")
        else:
            state = str(poller.status()) if error_from_exception(exc) else ""
        if state.lower() not in ("failed", "canceled"):
            # Azure accepted the deployment; we lost track of it, it did not necessarily stop.
            progress.interrupted()
            error = describe_exception(exc, target, masker, req.settings.verbosity > 0)
            error.details += [f"Deployment '{req.name}' may still be running in Azure:", *follow_hints(req)]
            raise error from None
        progress.finished(state, _list_operations(monitor, req))
        raise _failed(req, deployment, monitor, masker, state, exc) from None
    props = result.get("properties") or {}
    state = str(props.get("provisioningState") or poller.status())
    progress.finished(state, _list_operations(monitor, req))
    if state.lower() != "succeeded":
        raise _failed(req, result, monitor, masker, state, None)
    _print_outputs(req, result, masker, out)
    return 0


def _fetch_deployment(client: Any, req: Request) -> dict[str, Any] | None:
    """The deployment as Azure has it now, or None when it cannot be read."""
    from azure.core.exceptions import AzureError

    try:
        return dict(client.deployments.get(req.resource_group, req.name).as_dict())
    except AzureError:
        return None


def _failed(
    req: Request,
    deployment: dict[str, Any] | None,
    monitor: Any,
    masker: Masker,
    state: str,
    exc: BaseException | None,
) -> DeployError:
    """The DeployError of a deployment that ran and failed: its error tree and its failed operations."""
    props = (deployment or {}).get("properties") or {}
    found = props.get("error")
    error: dict[str, object] | None = found if isinstance(found, dict) and found else None
    correlation = str(props.get("correlationId") or "")
    if error is None and exc is not None:
        error = error_from_exception(exc)
    details = error_tree(error, masker, "  ") if error else []
    details += failed_operations(_list_operations(monitor, req) or [], masker)
    details += ["", "Inspect it:", *follow_hints(req)[:3]]
    if correlation:
        details.append(f"  correlation id: {correlation} (quote it when asking Azure support)")
    headline = f"deployment '{req.name}' {state.lower()} in resource group '{req.resource_group}'"
    return DeployError(headline, EXIT_DEPLOYMENT_FAILED, details)


def _print_outputs(req: Request, result: dict[str, Any], masker: Masker, out: TextIO) -> None:
    props = result.get("properties") or {}
    outputs = props.get("outputs") or {}
    shown: dict[str, object] = {}
    for name in sorted(outputs, key=lambda s: (s.lower(), s)):
        entry = outputs[name] if isinstance(outputs[name], dict) else {"value": outputs[name]}
        kind = str(entry.get("type", ""))
        secure = kind.lower() in ("securestring", "secureobject")
        value = "***" if secure else masker.value(entry.get("value"), name)
        shown[name] = {"type": kind, "value": value}
    if req.json_output:
        payload = {
            "name": req.name,
            "id": result.get("id") or deployment_id(req),
            "provisioningState": props.get("provisioningState"),
            "outputs": shown,
        }
        out.write(masker.text(json.dumps(payload, indent=2, sort_keys=True, ensure_ascii=False)) + "\n")
        return
    if not shown:
        return
    out.write("Outputs:\n")
    width = max(len(n) for n in shown)
    for name, entry in shown.items():
        assert isinstance(entry, dict)
        text = entry["value"] if entry["value"] == "***" else json.dumps(entry["value"], ensure_ascii=False)
        out.write(masker.text(f"  {name.ljust(width)}  {text}") + "\n")


# --- entry -------------------------------------------------------------------------------------


def require_sdk() -> None:
    """InputError (exit 2) naming the extra to install when the Azure SDK packages are missing."""
    missing = [name for name in ("azure.mgmt.resource.deployments", "azure.identity") if _find(name) is None]
    if missing:
        raise InputError(
            f"templategen deploy needs the Azure SDK ({', '.join(missing)} not installed): "
            "pip install 'templategen[deploy]'"
        )


def _find(name: str) -> object:
    import importlib.util

    try:
        return importlib.util.find_spec(name)
    except ModuleNotFoundError:
        return None


def execute(req: Request, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run `req` against Azure; return the exit code. Raises DeployError (printed by the caller)."""
    require_sdk()
    from azure.core.exceptions import AzureError

    out = out or sys.stdout
    err = err or sys.stderr
    masker = make_masker(req.data)
    settings = req.settings
    target = Target(
        {"deploy": "deploy", "validate": "validate", "what-if": "run what-if for"}[req.action],
        req.resource_group,
        req.name,
        settings.subscription,
        settings.base_url,
        settings.retries,
    )
    with azure_logging(settings.verbosity, masker):
        try:
            credential = make_credential(settings.cloud)
        except ValueError as exc:  # a bad AZURE_TOKEN_CREDENTIALS value
            raise InputError(masker.text(str(exc).splitlines()[0])) from None
        try:
            client = make_client(settings, credential)
            if req.action == "validate":
                return _validate(req, client, masker, out, err)
            if req.action == "what-if":
                return _what_if(req, client, masker, out, err)
            return _deploy(req, client, make_client(settings, credential), masker, target, out, err)
        except AzureError as exc:
            raise describe_exception(exc, target, masker, settings.verbosity > 0) from None
