"""Turn what Azure says when it refuses into something a person can act on.

Azure errors are trees: a code and a message, a `target`, `details` that nest (a DeploymentFailed
holds one detail per failed resource, each holding the resource provider's own error, sometimes as
JSON text inside the message). We print the whole tree with codes and targets, because the useful
line is usually the deepest one, and we map each failure to a headline that says what to do and to
an exit code (see `templategen.deploy.errors`).

The azure exception classes are imported inside `describe_exception` only: even
`azure.core.exceptions` costs about 0.2 s to import, and nothing outside `deploy` may pay for it.
"""

from __future__ import annotations

import json

from templategen.deploy.errors import (
    EXIT_NOT_AUTHORIZED,
    EXIT_REFUSED,
    EXIT_TEMPLATE_REJECTED,
    EXIT_UNREACHABLE,
    DeployError,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from templategen.deploy.masking import Masker

_MAX_DEPTH = 16


class Target:
    """Where a request went, for messages: which operation, deployment, group and endpoint."""

    __slots__ = ("action", "endpoint", "name", "resource_group", "retries", "subscription")

    def __init__(
        self, action: str, resource_group: str, name: str, subscription: str, endpoint: str, retries: int
    ) -> None:
        self.action = action
        self.resource_group = resource_group
        self.name = name
        self.subscription = subscription
        self.endpoint = endpoint
        self.retries = retries


# --- error trees -------------------------------------------------------------------------------


def _as_error(value: object) -> dict[str, object] | None:
    """The error object inside an ARM body: `{"error": {...}}`, an operation status, or the error itself."""
    if not isinstance(value, dict):
        return None
    inner = value.get("error")
    if isinstance(inner, dict):
        return inner
    if "code" in value or "message" in value:
        return value
    return None


def _embedded_error(message: str) -> dict[str, object] | None:
    """Resource providers' errors often arrive as JSON text inside an ARM message; unwrap them."""
    text = message.strip()
    if not (text.startswith("{") and text.endswith("}")):
        return None
    try:
        return _as_error(json.loads(text))
    except ValueError:
        return None


def _one_line(text: str) -> str:
    return " ".join(part.strip() for part in text.splitlines() if part.strip())


def error_tree(error: dict[str, object], masker: Masker, indent: str = "", depth: int = 0) -> list[str]:
    """Lines of an ARM error and its nested details: `code (target: t): message`, children indented."""
    message = str(error.get("message") or "")
    embedded = _embedded_error(message)
    if embedded is not None and not error.get("details"):
        # A provider's error serialised into the message: show it in place of its wrapper.
        merged = dict(embedded)
        if not merged.get("target") and error.get("target"):
            merged["target"] = error["target"]
        return error_tree(merged, masker, indent, depth)
    code = str(error.get("code") or "Error")
    target = error.get("target")
    head = code + (f" (target: {target})" if target else "")
    if message and embedded is None:
        head += ": " + _one_line(message)
    bullet = "- " if depth else ""
    lines = [masker.text(indent + bullet + head)]
    # Info lines and children start where this node's text starts (after the bullet, if any).
    body = indent + "  "
    infos = error.get("additionalInfo")
    if isinstance(infos, list):
        for info in infos:
            line = _additional_info(info)
            if line:
                lines.append(masker.text(body + line))
    if depth >= _MAX_DEPTH:
        return lines
    children: list[dict[str, object]] = []
    if embedded is not None:
        children.append(embedded)
    details = error.get("details")
    if isinstance(details, list):
        children.extend(d for d in details if isinstance(d, dict))
    for child in children:
        lines.extend(error_tree(child, masker, body, depth + 1))
    return lines


def _additional_info(info: object) -> str:
    if not isinstance(info, dict):
        return ""
    kind = str(info.get("type", ""))
    data = info.get("info")
    if kind == "TemplateViolation" and isinstance(data, dict):
        where = data.get("path") or ""
        line, col = data.get("lineNumber"), data.get("linePosition")
        pos = f" (line {line}, column {col} of the template as sent)" if line else ""
        return f"at {where}{pos}" if where or pos else ""
    if kind == "PolicyViolation" and isinstance(data, dict):
        name = data.get("policyDefinitionDisplayName") or data.get("policyDefinitionName") or ""
        return f"policy: {name}" if name else "policy violation"
    if not kind:
        return ""
    return f"{kind}: {json.dumps(data, sort_keys=True, ensure_ascii=False)}"


def error_from_exception(exc: BaseException) -> dict[str, object] | None:
    """The ARM error object of an azure exception: from the response body, else from `.error`."""
    response = getattr(exc, "response", None)
    if response is not None:
        try:
            found = _as_error(json.loads(response.text()))
        except Exception:  # body not JSON, or not readable any more: fall back below
            found = None
        if found is not None:
            return found
    parsed = getattr(exc, "error", None)
    if parsed is not None and getattr(parsed, "code", None):
        return _odata_to_dict(parsed, 0)
    return None


def _odata_to_dict(error: object, depth: int) -> dict[str, object]:
    out: dict[str, object] = {
        "code": getattr(error, "code", None),
        "message": getattr(error, "message", None),
    }
    target = getattr(error, "target", None)
    if target:
        out["target"] = target
    details = getattr(error, "details", None) or []
    if depth < _MAX_DEPTH:
        out["details"] = [_odata_to_dict(d, depth + 1) for d in details]
    return out


# --- operations --------------------------------------------------------------------------------


def operation_view(operation: dict[str, object]) -> tuple[str, str, str, dict[str, object] | None]:
    """(resource "type/name", provisioning state, HTTP status code, error) of a deployment operation."""
    props = operation.get("properties")
    props = props if isinstance(props, dict) else {}
    target = props.get("targetResource")
    target = target if isinstance(target, dict) else {}
    kind = str(target.get("resourceType") or "")
    name = str(target.get("resourceName") or "")
    resource = f"{kind}/{name}" if kind and name else str(target.get("id") or "")
    state = str(props.get("provisioningState") or "")
    status = str(props.get("statusCode") or "")
    message = props.get("statusMessage")
    error: dict[str, object] | None = None
    if isinstance(message, dict):
        error = _as_error(message)
    elif isinstance(message, str) and message:
        error = _embedded_error(message) or {"code": status or "Error", "message": message}
    return resource, state, status, error


def failed_operations(operations: list[dict[str, object]], masker: Masker) -> list[str]:
    """Lines listing the operations that failed, each with its error tree."""
    lines: list[str] = []
    for operation in operations:
        resource, state, status, error = operation_view(operation)
        if state.lower() != "failed":
            continue
        lines.append(
            masker.text(f"  {resource or '(deployment)'}: {state}" + (f" ({status})" if status else ""))
        )
        if error is not None:
            lines.extend(error_tree(error, masker, indent="    ", depth=1))
    if lines:
        lines.insert(0, "Failed operations:")
    return lines


# --- exceptions → DeployError ------------------------------------------------------------------


def _attempts(message: str) -> list[tuple[str, str]]:
    """(credential, what it said) for each credential that DefaultAzureCredential tried."""
    out = []
    for line in message.splitlines():
        if line.startswith("\t") and ":" in line:
            name, said = line.strip().split(":", 1)
            out.append((name.strip(), said.strip()))
    return out


def credential_failure(message: str, masker: Masker, verbose: bool) -> DeployError:
    """No token: either nobody is signed in (say what to run) or a configured sign-in failed (say why)."""
    if verbose:
        details = [masker.text("  " + line) for line in message.splitlines() if line.strip()]
    else:
        details = ["  (run with -v to see what each credential reported)"]
    failed = [(n, s) for n, s in _attempts(message) if s.lower().startswith("authentication failed")]
    if failed:
        name, said = failed[0]
        reason = said.split(":", 1)[1].strip() if ":" in said else said
        low = reason.lower()
        if "certificate verify failed" in low or "certificate_verify_failed" in low:
            return DeployError(
                masker.text(
                    f"could not reach the sign-in endpoint ({name}): its TLS certificate is not trusted; "
                    "if a proxy or private cloud uses its own CA, set REQUESTS_CA_BUNDLE to a bundle with it"
                ),
                EXIT_UNREACHABLE,
                details,
            )
        if any(w in low for w in ("connection", "timed out", "name resolution", "proxy")):
            return DeployError(
                masker.text(f"could not reach the sign-in endpoint ({name}): {_one_line(reason)}"),
                EXIT_UNREACHABLE,
                details,
            )
        return DeployError(
            masker.text(f"sign-in failed ({name}): {_one_line(reason)}"), EXIT_NOT_AUTHORIZED, details
        )
    headline = (
        "not signed in to Azure: run `az login` (or set AZURE_TENANT_ID, AZURE_CLIENT_ID and "
        "AZURE_CLIENT_SECRET for a service principal)"
    )
    return DeployError(headline, EXIT_NOT_AUTHORIZED, details)


def describe_exception(exc: BaseException, target: Target, masker: Masker, verbose: bool) -> DeployError:
    """Map an azure exception from `target.action` to a headline, details and exit code."""
    from azure.core.exceptions import (
        ClientAuthenticationError,
        HttpResponseError,
        ServiceRequestError,
        ServiceResponseError,
    )

    if isinstance(exc, ClientAuthenticationError) and exc.response is None:
        return credential_failure(str(exc.message or exc), masker, verbose)
    if isinstance(exc, HttpResponseError) and exc.status_code is not None:
        return _describe_http(exc, int(exc.status_code), target, masker)
    if isinstance(exc, (ServiceRequestError, ServiceResponseError)):
        return _describe_network(exc, target, masker)
    if isinstance(exc, HttpResponseError):
        # No status: the SDK could not use what it got (e.g. a poll body without status).
        error = error_from_exception(exc)
        details = error_tree(error, masker, "  ") if error else []
        text = _one_line(str(exc))
        return DeployError(
            masker.text(f"{target.action}: unusable answer from Azure: {text}"), EXIT_UNREACHABLE, details
        )
    return DeployError(
        masker.text(f"{target.action}: {type(exc).__name__}: {_one_line(str(exc))}"), EXIT_UNREACHABLE
    )


def _describe_http(exc: BaseException, status: int, target: Target, masker: Masker) -> DeployError:
    error = error_from_exception(exc) or {"code": f"HTTP{status}", "message": _one_line(str(exc))}
    code = str(error.get("code") or "")
    tree = error_tree(error, masker, "  ")
    rg, name, sub = target.resource_group, target.name, target.subscription
    if status == 401:
        return DeployError(
            f"Azure did not accept the sign-in token ({code or 401}); sign in again (`az login`) and check "
            "that --cloud matches the account's cloud",
            EXIT_NOT_AUTHORIZED,
            tree,
        )
    if status == 403:
        return DeployError(
            f"not allowed to {target.action} in resource group '{rg}' ({code or 403}); the signed-in "
            "identity needs Microsoft.Resources/deployments/* there (for example the Contributor role)",
            EXIT_NOT_AUTHORIZED,
            tree,
        )
    if status == 404:
        if code.lower() == "resourcegroupnotfound":
            headline = (
                f"resource group '{rg}' does not exist in subscription {sub}; create it "
                f"(`az group create -n {rg} -l <location>`) or check -g and --subscription"
            )
        elif code.lower() in ("subscriptionnotfound", "invalidsubscriptionid"):
            headline = f"subscription {sub} not found; check --subscription (`az account list -o table`)"
        else:
            headline = f"not found ({code or 404}) while trying to {target.action} '{name}' in '{rg}'"
        return DeployError(headline, EXIT_REFUSED, tree)
    if status == 409:
        if code.lower() == "deploymentactive":
            headline = (
                f"a deployment named '{name}' is still running in resource group '{rg}'; wait for it "
                f"(`az deployment group wait -g {rg} -n {name} --created`) or choose another --name"
            )
        else:
            headline = f"Azure refused to {target.action} '{name}' because of a conflict ({code or 409})"
        return DeployError(headline, EXIT_REFUSED, tree)
    if status == 429 or status >= 500:
        return DeployError(
            f"Azure answered {status} ({code or 'no code'}) to {target.action} and still did after "
            f"{target.retries} retries; try again later",
            EXIT_UNREACHABLE,
            tree,
        )
    if status == 413:
        return DeployError(
            "Azure rejected the request as too large (413): a deployment request is limited to 4 MB; "
            "move large values out of the template (linked templates, Key Vault references)",
            EXIT_TEMPLATE_REJECTED,
            tree,
        )
    if status < 300 and target.action == "deploy":
        # A deployment that did not end Failed cannot be "rejected" at a 2xx status: the answer was unusable.
        return DeployError(
            f"unusable answer from Azure while following the deployment ({code})", EXIT_UNREACHABLE, tree
        )
    if status in (400, 422) or status < 300:
        # < 300: an operation (validate, what-if) that ended Failed at a 200 status poll.
        return DeployError(f"Azure rejected the template ({code or status})", EXIT_TEMPLATE_REJECTED, tree)
    return DeployError(f"Azure refused to {target.action} ({status} {code})".rstrip(), EXIT_REFUSED, tree)


def _describe_network(exc: BaseException, target: Target, masker: Masker) -> DeployError:
    text = _one_line(str(exc))
    headline = f"could not reach Azure at {target.endpoint} to {target.action}"
    hint = ""
    low = text.lower()
    if "certificate_verify_failed" in low or "certificate verify failed" in low:
        hint = (
            "the server's TLS certificate is not trusted; if a proxy or a private endpoint uses its own CA, "
            "point REQUESTS_CA_BUNDLE at a bundle that contains it"
        )
    elif "proxy" in low:
        hint = "the proxy could not be used; check HTTPS_PROXY and NO_PROXY"
    elif "timed out" in low or "timeout" in low:
        hint = "the connection timed out"
    details = [masker.text("  " + text)]
    if hint:
        details.append("  " + hint)
    return DeployError(headline, EXIT_UNREACHABLE, details)
