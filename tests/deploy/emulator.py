"""A small Azure Resource Manager (and Entra ID token endpoint) on 127.0.0.1, for the deploy tests.

It implements the part of the REST surface that `azure-mgmt-resource-deployments` and
`azure-identity` use, over HTTPS with a `trustme` certificate, HTTP/1.1 with Content-Length and
TCP_NODELAY (without it every response costs ~40 ms of Nagle + delayed ACK):

* OIDC discovery and the client-credentials token endpoint (what EnvironmentCredential + MSAL call
  when AZURE_AUTHORITY_HOST points here); ARM calls must carry a token it issued.
* PUT a deployment → 201 + `Azure-AsyncOperation`; the operation runs for `plan.running_polls` polls
  and ends Succeeded (resources recorded as existing, outputs computed) or Failed (DeploymentFailed
  with nested details, the failing resource's operation carrying the provider error).
* GET a deployment, GET its operations, POST validate (sync), POST whatIf (202 + `Location` polling;
  the changes are computed by comparing the template with the resources that exist).
* Natural errors: a missing resource group (404 ResourceGroupNotFound), a deployment of the same name
  still running (409 DeploymentActive), a missing required parameter (400 InvalidTemplate).
* Injected faults (`inject`): any status, body and headers, a number of times, or a dropped connection.

Every request is recorded (method, path, query, headers, parsed body) so tests assert on what went
over the wire. Template expressions are not evaluated except the whole-string `[parameters('x')]`,
which is all the test templates need.
"""

from __future__ import annotations

import copy
import itertools
import json
import re
import secrets
import ssl
import threading
import urllib.parse
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

#: How handlers answer: send(status, JSON body or None, extra headers); handlers return its result.
Send = Callable[..., object]

_PARAM_REF = re.compile(r"^\[\s*parameters\(\s*'([^']+)'\s*\)\s*\]$", re.IGNORECASE)

RG_PATH = re.compile(
    r"^/subscriptions/(?P<sub>[^/]+)/resourcegroups/(?P<rg>[^/]+)(?P<rest>/.*)?$", re.IGNORECASE
)
DEPLOYMENT_REST = re.compile(
    r"^/providers/microsoft\.resources/deployments/(?P<name>[^/]+)(?P<action>/validate|/whatif)?$",
    re.IGNORECASE,
)
OPERATIONS_REST = re.compile(r"^/deployments/(?P<name>[^/]+)/operations$", re.IGNORECASE)
ASYNC_PATH = re.compile(r"^/emulator/operationstatuses/(?P<id>[^/]+)$")
WHATIF_RESULT_PATH = re.compile(r"^/emulator/whatifresults/(?P<id>[^/]+)$")


class Recorded:
    """One request as received."""

    def __init__(self, method: str, path: str, query: dict[str, str], headers: dict[str, str], body: bytes):
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body

    @property
    def json(self) -> Any:
        return json.loads(self.body) if self.body else None

    @property
    def form(self) -> dict[str, str]:
        return dict(urllib.parse.parse_qsl(self.body.decode()))

    def __repr__(self) -> str:
        return f"<{self.method} {self.path}>"


class Fault:
    def __init__(
        self,
        method: str,
        path: str,
        status: int,
        body: Any,
        headers: dict[str, str] | None,
        times: int,
        drop: bool,
    ):
        self.method = method
        self.pattern = re.compile(path, re.IGNORECASE)
        self.status = status
        self.body = body
        self.headers = headers or {}
        self.remaining = times
        self.drop = drop


class Plan:
    """How the next deployments behave."""

    def __init__(
        self,
        running_polls: int = 2,
        outcome: str = "Succeeded",
        failing_resource: int = 0,
        provider_error: dict[str, Any] | None = None,
    ):
        self.running_polls = running_polls  # -1: never finishes
        self.outcome = outcome
        self.failing_resource = failing_resource
        self.provider_error = provider_error or {
            "code": "BadRequest",
            "message": "The backup policy schedule is not valid: scheduleRunTimes must be on the hour.",
            "target": "properties.schedulePolicy.scheduleRunTimes",
        }


def arm_error(
    code: str, message: str, details: list[dict[str, Any]] | None = None, **extra: Any
) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": message}
    if details:
        error["details"] = details
    error.update(extra)
    return {"error": error}


def resource_id(sub: str, rg: str, rtype: str, name: str) -> str:
    """ARM id of `rtype`/`name`, child types interleaved (vaults/v/backupPolicies/p)."""
    namespace, *types = rtype.split("/")
    names = name.split("/")
    path = "/".join(f"{t}/{n}" for t, n in zip(types, names, strict=False))
    return f"/subscriptions/{sub}/resourceGroups/{rg}/providers/{namespace}/{path}"


class ArmEmulator:
    """Start with `start(ssl_context)`, stop with `stop()`; see the module docstring."""

    def __init__(self) -> None:
        self.tenant_id = "72f988bf-0000-4000-8000-00000000a11c"
        self.client_id = "5e1f0000-0000-4000-8000-0000000c11e7"
        self.client_secret = "emulator-client-" + secrets.token_hex(8)
        self.subscription_id = "0b1f6471-1bf0-4dda-aec3-cb9272f09590"
        self.resource_groups: set[str] = {"rg-backup"}
        self.existing: dict[str, dict[str, Any]] = {}  # lower-cased id -> resource payload
        self.deployments: dict[tuple[str, str], dict[str, Any]] = {}
        self.requests: list[Recorded] = []
        self.issued_tokens: set[str] = set()
        self.faults: list[Fault] = []
        self.plan = Plan()
        self.what_if_polls = 2
        self.lock = threading.Lock()
        self._ids = itertools.count(1)
        self._async: dict[str, tuple[str, str]] = {}
        self._whatif: dict[str, dict[str, Any]] = {}
        self.server: ThreadingHTTPServer | None = None
        self.thread: threading.Thread | None = None

    # --- lifecycle ------------------------------------------------------------------------------

    def start(self, context: ssl.SSLContext) -> None:
        emulator = self

        class Handler(_Handler):
            pass

        Handler.emulator = emulator
        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        server.socket = context.wrap_socket(server.socket, server_side=True)
        self.server = server
        self.thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )
        self.thread.start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    @property
    def port(self) -> int:
        assert self.server is not None
        return int(self.server.server_address[1])

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    # --- test helpers ---------------------------------------------------------------------------

    def inject(
        self,
        method: str,
        path: str,
        status: int = 500,
        body: Any = None,
        headers: dict[str, str] | None = None,
        times: int = 1,
        drop: bool = False,
    ) -> None:
        """Answer the next `times` requests matching `method` ("*" for any) and the `path` regex."""
        with self.lock:
            self.faults.append(Fault(method, path, status, body, headers, times, drop))

    def add_existing(self, rtype: str, name: str, payload: dict[str, Any], rg: str = "rg-backup") -> str:
        rid = resource_id(self.subscription_id, rg, rtype, name)
        full = {"id": rid, "name": name, "type": rtype, **payload}
        self.existing[rid.lower()] = full
        return rid

    def seed_running_deployment(self, name: str, rg: str = "rg-backup") -> None:
        self.deployments[(rg.lower(), name.lower())] = {
            "name": name,
            "rg": rg,
            "state": "Running",
            "polls": 0,
            "plan": Plan(running_polls=-1),
            "template": {"resources": []},
            "parameters": {},
            "mode": "Incremental",
            "resources": [],
        }

    def arm_requests(self, method: str | None = None, contains: str = "") -> list[Recorded]:
        """ARM requests (not sign-in ones), optionally filtered by method and a path substring."""
        out = []
        for req in self.requests:
            if "/oauth2/" in req.path or "openid-configuration" in req.path:
                continue
            if method and req.method != method:
                continue
            if contains and contains.lower() not in req.path.lower():
                continue
            out.append(req)
        return out

    def token_requests(self) -> list[Recorded]:
        return [r for r in self.requests if r.path.endswith("/oauth2/v2.0/token")]

    # --- template "evaluation" ------------------------------------------------------------------

    @staticmethod
    def _effective_parameters(template: dict[str, Any], given: dict[str, Any]) -> dict[str, Any]:
        values: dict[str, Any] = {}
        declared = template.get("parameters") or {}
        lower_given = {k.lower(): v for k, v in (given or {}).items()}
        for name, spec in declared.items():
            entry = lower_given.get(name.lower())
            if isinstance(entry, dict) and "value" in entry:
                values[name.lower()] = entry["value"]
            elif "defaultValue" in spec:
                values[name.lower()] = spec["defaultValue"]
        return values

    @staticmethod
    def _resolve(value: Any, params: dict[str, Any]) -> Any:
        if isinstance(value, str):
            match = _PARAM_REF.match(value)
            if match and match.group(1).lower() in params:
                return params[match.group(1).lower()]
            return value
        if isinstance(value, dict):
            return {k: ArmEmulator._resolve(v, params) for k, v in value.items()}
        if isinstance(value, list):
            return [ArmEmulator._resolve(v, params) for v in value]
        return value

    def _check_template(self, template: Any, given: dict[str, Any]) -> dict[str, Any] | None:
        """An ARM-like InvalidTemplate error, or None."""
        if not isinstance(template, dict) or not isinstance(template.get("resources"), list):
            return arm_error(
                "InvalidTemplate", "Deployment template validation failed: 'resources' is required."
            )
        declared = {k.lower(): (k, v) for k, v in (template.get("parameters") or {}).items()}
        for key in given or {}:
            if key.lower() not in declared:
                return arm_error(
                    "InvalidTemplate",
                    f"Deployment template validation failed: 'The template parameters '{key}' in the "
                    "parameters file are not valid; they are not present in the original template and can "
                    "therefore not be provided at deployment time.'",
                )
        lower_given = {k.lower() for k in given or {}}
        for low, (name, spec) in declared.items():
            if "defaultValue" not in spec and low not in lower_given:
                return arm_error(
                    "InvalidTemplate",
                    f"Deployment template validation failed: 'The value for the template parameter '{name}' "
                    "at line '1' and column '2' is not provided.'",
                    additionalInfo=[
                        {
                            "type": "TemplateViolation",
                            "info": {
                                "lineNumber": 1,
                                "linePosition": 2,
                                "path": f"properties.template.parameters.{name}",
                            },
                        }
                    ],
                )
        return None

    def _resources(
        self, sub: str, rg: str, template: dict[str, Any], given: dict[str, Any]
    ) -> list[dict[str, Any]]:
        params = self._effective_parameters(template, given)
        out = []
        for res in template.get("resources", []):
            resolved = self._resolve(res, params)
            rid = resource_id(sub, rg, resolved["type"], resolved["name"])
            payload = {"id": rid, "name": resolved["name"], "type": resolved["type"]}
            for key in ("apiVersion", "location", "sku", "tags", "properties", "kind"):
                if key in resolved:
                    payload[key] = resolved[key]
            out.append(payload)
        return out

    def _outputs(self, template: dict[str, Any], given: dict[str, Any]) -> dict[str, Any]:
        params = self._effective_parameters(template, given)
        outputs = {}
        for name, spec in (template.get("outputs") or {}).items():
            kind = spec.get("type", "string")
            entry: dict[str, Any] = {"type": kind[:1].upper() + kind[1:]}
            if kind.lower() not in ("securestring", "secureobject"):
                entry["value"] = self._resolve(spec.get("value"), params)
            outputs[name] = entry
        return outputs

    # --- what-if --------------------------------------------------------------------------------

    @staticmethod
    def _delta(before: Any, after: Any, path: str = "") -> list[dict[str, Any]]:
        changes: list[dict[str, Any]] = []
        if isinstance(before, dict) and isinstance(after, dict):
            for key in sorted(set(before) | set(after)):
                sub = f"{path}.{key}" if path else key
                if key not in before:
                    changes.append({"path": sub, "propertyChangeType": "Create", "after": after[key]})
                elif key not in after:
                    changes.append({"path": sub, "propertyChangeType": "Delete", "before": before[key]})
                elif before[key] != after[key]:
                    if isinstance(before[key], dict) and isinstance(after[key], dict):
                        changes.extend(ArmEmulator._delta(before[key], after[key], sub))
                    else:
                        changes.append(
                            {
                                "path": sub,
                                "propertyChangeType": "Modify",
                                "before": before[key],
                                "after": after[key],
                            }
                        )
        return changes

    def _what_if_changes(self, sub: str, rg: str, body: dict[str, Any]) -> list[dict[str, Any]]:
        props = body["properties"]
        mode = props.get("mode", "Incremental")
        resources = self._resources(sub, rg, props["template"], props.get("parameters") or {})
        changes = []
        seen = set()
        for res in resources:
            low = res["id"].lower()
            seen.add(low)
            before = self.existing.get(low)
            if before is None:
                changes.append({"resourceId": res["id"], "changeType": "Create", "after": res})
                continue
            delta = self._delta(
                {k: v for k, v in before.items() if k != "id"}, {k: v for k, v in res.items() if k != "id"}
            )
            kind = "Modify" if delta else "NoChange"
            change = {"resourceId": res["id"], "changeType": kind, "before": before, "after": res}
            if delta:
                change["delta"] = delta
            changes.append(change)
        rg_prefix = f"/subscriptions/{sub}/resourcegroups/{rg}/".lower()
        for low, res in self.existing.items():
            if low.startswith(rg_prefix) and low not in seen:
                kind = "Delete" if mode.lower() == "complete" else "Ignore"
                changes.append({"resourceId": res["id"], "changeType": kind, "before": res})
        return changes

    # --- request handling -----------------------------------------------------------------------

    def handle(self, req: Recorded, send: Send) -> object:
        """Route one request; `send(status, body, headers)` writes the response."""
        path = req.path
        if path.endswith("/.well-known/openid-configuration"):
            base = "https://" + req.headers.get("host", f"127.0.0.1:{self.port}")  # as the client named us
            tenant = path.split("/")[1]
            return send(
                200,
                {
                    "issuer": f"{base}/{tenant}/v2.0",
                    "authorization_endpoint": f"{base}/{tenant}/oauth2/v2.0/authorize",
                    "token_endpoint": f"{base}/{tenant}/oauth2/v2.0/token",
                    "device_authorization_endpoint": f"{base}/{tenant}/oauth2/v2.0/devicecode",
                },
            )
        if path.endswith("/oauth2/v2.0/token") and req.method == "POST":
            form = req.form
            if form.get("client_id") != self.client_id or form.get("client_secret") != self.client_secret:
                return send(
                    401,
                    {
                        "error": "invalid_client",
                        "error_description": "AADSTS7000215: Invalid client secret provided.",
                        "error_codes": [7000215],
                    },
                )
            token = "emu-" + secrets.token_urlsafe(16)
            with self.lock:
                self.issued_tokens.add(token)
            return send(
                200,
                {"token_type": "Bearer", "expires_in": 3600, "ext_expires_in": 3600, "access_token": token},
            )

        auth = req.headers.get("authorization", "")
        if not auth.startswith("Bearer ") or auth[len("Bearer ") :] not in self.issued_tokens:
            return send(401, arm_error("InvalidAuthenticationToken", "The access token is invalid."))
        if "api-version" not in req.query:
            return send(
                400, arm_error("MissingApiVersionParameter", "The api-version query parameter is required.")
            )

        match = ASYNC_PATH.match(path)
        if match and req.method == "GET":
            return self._poll_deployment(match.group("id"), send)
        match = WHATIF_RESULT_PATH.match(path)
        if match and req.method == "GET":
            return self._poll_what_if(match.group("id"), send)

        match = RG_PATH.match(path)
        if not match:
            return send(404, arm_error("NotFound", f"No route for {path}"))
        sub, rg, rest = match.group("sub"), match.group("rg"), match.group("rest") or ""
        if sub != self.subscription_id:
            return send(
                404, arm_error("SubscriptionNotFound", f"The subscription '{sub}' could not be found.")
            )
        if rg.lower() not in {g.lower() for g in self.resource_groups}:
            return send(404, arm_error("ResourceGroupNotFound", f"Resource group '{rg}' could not be found."))
        dep = DEPLOYMENT_REST.match(rest)
        if dep:
            name, action = dep.group("name"), (dep.group("action") or "").lower()
            if action == "/validate" and req.method == "POST":
                return self._validate(sub, rg, name, req.json, send)
            if action == "/whatif" and req.method == "POST":
                return self._what_if(sub, rg, name, req.json, send)
            if not action and req.method == "PUT":
                return self._put(sub, rg, name, req.json, send)
            if not action and req.method == "GET":
                return self._get(sub, rg, name, send)
        ops = OPERATIONS_REST.match(rest)
        if ops and req.method == "GET":
            return self._operations(sub, rg, ops.group("name"), send)
        return send(405, arm_error("MethodNotAllowed", f"{req.method} {path}"))

    def _deployment_body(self, sub: str, rg: str, state: dict[str, Any]) -> dict[str, Any]:
        props: dict[str, Any] = {
            "provisioningState": state["state"],
            "mode": state["mode"],
            "correlationId": "c0ffee00-0000-4000-8000-000000000001",
            "timestamp": "2026-01-01T00:00:12.6265830Z",
        }
        if state["state"] == "Succeeded":
            props["outputs"] = state.get("outputs", {})
            props["outputResources"] = [{"id": r["id"]} for r in state["resources"]]
        if state.get("error"):
            props["error"] = state["error"]
        return {
            "id": resource_id(sub, rg, "Microsoft.Resources/deployments", state["name"]),
            "name": state["name"],
            "type": "Microsoft.Resources/deployments",
            "properties": props,
        }

    def _validate(self, sub: str, rg: str, name: str, body: dict[str, Any], send: Send) -> object:
        props = body.get("properties", {})
        error = self._check_template(props.get("template"), props.get("parameters") or {})
        if error:
            return send(400, error)
        resources = self._resources(sub, rg, props["template"], props.get("parameters") or {})
        return send(
            200,
            {
                "id": resource_id(sub, rg, "Microsoft.Resources/deployments", name),
                "name": name,
                "properties": {
                    "provisioningState": "Succeeded",
                    "mode": props.get("mode"),
                    "validatedResources": [{"id": r["id"]} for r in resources],
                },
            },
        )

    def _what_if(self, sub: str, rg: str, name: str, body: dict[str, Any], send: Send) -> object:
        props = body.get("properties", {})
        error = self._check_template(props.get("template"), props.get("parameters") or {})
        result: dict[str, Any]
        if error:
            result = {"status": "Failed", **error}
        else:
            result = {"status": "Succeeded", "properties": {"changes": self._what_if_changes(sub, rg, body)}}
        op = str(next(self._ids))
        with self.lock:
            self._whatif[op] = {"polls": 0, "result": result}
        return send(202, None, {"Location": f"{self.url}/emulator/whatifresults/{op}?api-version=2026-06-01"})

    def _poll_what_if(self, op: str, send: Send) -> object:
        with self.lock:
            entry = self._whatif[op]
            entry["polls"] += 1
            done = entry["polls"] > self.what_if_polls
        if not done:
            return send(
                202, None, {"Location": f"{self.url}/emulator/whatifresults/{op}?api-version=2026-06-01"}
            )
        result = entry["result"]
        if result["status"] == "Failed":
            return send(400, {"error": result["error"]})
        return send(200, result)

    def _put(self, sub: str, rg: str, name: str, body: dict[str, Any], send: Send) -> object:
        key = (rg.lower(), name.lower())
        with self.lock:
            current = self.deployments.get(key)
            if current is not None and current["state"] in ("Accepted", "Running"):
                return send(
                    409,
                    arm_error(
                        "DeploymentActive",
                        f"Unable to edit or replace deployment '{name}': previous deployment from "
                        "'1/1/2026 12:00:00 AM' is still active (expiration time is '1/8/2026 12:00:00 AM').",
                    ),
                )
        props = body.get("properties", {})
        error = self._check_template(props.get("template"), props.get("parameters") or {})
        if error:
            return send(400, error)
        state = {
            "name": name,
            "rg": rg,
            "state": "Accepted",
            "polls": 0,
            "plan": self.plan,
            "template": props["template"],
            "parameters": props.get("parameters") or {},
            "mode": props.get("mode", "Incremental"),
            "resources": self._resources(sub, rg, props["template"], props.get("parameters") or {}),
        }
        op = str(next(self._ids))
        with self.lock:
            self.deployments[key] = state
            self._async[op] = key
        headers = {
            "Azure-AsyncOperation": f"{self.url}/emulator/operationstatuses/{op}?api-version=2026-06-01"
        }
        return send(201, self._deployment_body(sub, rg, state), headers)

    def _poll_deployment(self, op: str, send: Send) -> object:
        with self.lock:
            state = self.deployments[self._async[op]]
            plan: Plan = state["plan"]
            if state["state"] in ("Accepted", "Running"):
                state["polls"] += 1
                state["state"] = "Running"
                if plan.running_polls >= 0 and state["polls"] > plan.running_polls:
                    self._finish(state)
            status = state["state"]
            body: dict[str, Any] = {"status": status}
            if state.get("error"):
                body["error"] = state["error"]
        return send(200, body)

    def _finish(self, state: dict[str, Any]) -> None:
        plan: Plan = state["plan"]
        if plan.outcome == "Succeeded":
            state["state"] = "Succeeded"
            rg_prefix = f"/subscriptions/{self.subscription_id}/resourcegroups/{state['rg']}/".lower()
            if state["mode"].lower() == "complete":
                for low in [k for k in self.existing if k.startswith(rg_prefix)]:
                    del self.existing[low]
            for res in state["resources"]:
                self.existing[res["id"].lower()] = copy.deepcopy(res)
            state["outputs"] = self._outputs(state["template"], state["parameters"])
            return
        failing = state["resources"][plan.failing_resource]
        state["state"] = "Failed"
        provider = json.dumps({"error": plan.provider_error})
        state["error"] = {
            "code": "DeploymentFailed",
            "message": "At least one resource deployment operation failed. Please list deployment operations "
            "for details. Please see https://aka.ms/arm-deployment-operations for usage details.",
            "details": [
                {
                    "code": "ResourceDeploymentFailure",
                    "target": failing["id"],
                    "message": "The resource write operation failed to complete successfully, because it "
                    "reached terminal provisioning state 'Failed'.",
                    "details": [{"code": "BadRequest", "message": provider}],
                }
            ],
        }

    def _get(self, sub: str, rg: str, name: str, send: Send) -> object:
        state = self.deployments.get((rg.lower(), name.lower()))
        if state is None:
            return send(404, arm_error("DeploymentNotFound", f"Deployment '{name}' could not be found."))
        return send(200, self._deployment_body(sub, rg, state))

    def _operations(self, sub: str, rg: str, name: str, send: Send) -> object:
        state = self.deployments.get((rg.lower(), name.lower()))
        if state is None:
            return send(404, arm_error("DeploymentNotFound", f"Deployment '{name}' could not be found."))
        plan: Plan = state["plan"]
        deployment = resource_id(sub, rg, "Microsoft.Resources/deployments", name)
        value = []
        for index, res in enumerate(state["resources"]):
            op_state, code, message = "Running", "", None
            if state["state"] == "Succeeded":
                op_state, code = "Succeeded", "Created"
            elif state["state"] == "Failed":
                if index == plan.failing_resource:
                    op_state, code = "Failed", "BadRequest"
                    message = {"status": "Failed", "error": plan.provider_error}
                else:
                    op_state, code = "Succeeded", "Created"
            props: dict[str, Any] = {
                "provisioningOperation": "Create",
                "provisioningState": op_state,
                "timestamp": "2026-01-01T00:00:10.0000000Z",
                "duration": "PT4.5S",
                "targetResource": {"id": res["id"], "resourceType": res["type"], "resourceName": res["name"]},
            }
            if code:
                props["statusCode"] = code
            if message:
                props["statusMessage"] = message
            op_id = f"{index + 1:016d}"
            value.append(
                {
                    "id": f"{deployment}/operations/{op_id}",
                    "operationId": op_id,
                    "properties": props,
                }
            )
        return send(200, {"value": value})


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    emulator: ArmEmulator

    def log_message(self, format: str, *args: Any) -> None:  # silence the per-request stderr line
        pass

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        parsed = urllib.parse.urlsplit(self.path)
        req = Recorded(
            self.command,
            parsed.path,
            dict(urllib.parse.parse_qsl(parsed.query)),
            {k.lower(): v for k, v in self.headers.items()},
            body,
        )
        emulator = self.emulator
        with emulator.lock:
            emulator.requests.append(req)
            fault = next(
                (
                    f
                    for f in emulator.faults
                    if f.remaining > 0 and f.method in ("*", req.method) and f.pattern.search(req.path)
                ),
                None,
            )
            if fault is not None:
                fault.remaining -= 1
        if fault is not None:
            if fault.drop:
                self.close_connection = True
                return
            self._send(fault.status, fault.body, fault.headers)
            return
        emulator.handle(req, self._send)

    def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        data = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        if body is not None:
            self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-ms-request-id", secrets.token_hex(8))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _serve
