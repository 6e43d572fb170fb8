"""What `deploy` sends: the template, the parameters and the request bodies, as plain dicts.

Plain dicts rather than SDK models: every operation of `DeploymentsMgmtClient` accepts them, they
need no azure import, and they survived the 1.x → 2.0 renames of the models. The template goes out
exactly as parsed from the file; parameters keep the spelling and shape of the parameters file.

`-p` follows `az deployment group create`: it may be given several times, each one a parameters
file (`file.json` or `@file.json`), an inline JSON object, or `name=value`. Later ones win, per
parameter name, compared without case as ARM does.
"""

from __future__ import annotations

import datetime
import importlib
import json
import os
import re

from templategen.diagnostics import InputError, Location

#: ARM's rule for deployment names: 1 to 64 of letters, digits, `-`, `.`, `_`, `(`, `)`.
_NAME = re.compile(r"^[-\w.()]{1,64}$")
_NAME_BAD_CHARS = re.compile(r"[^-\w.()]+")

MODES = ("Incremental", "Complete")

_SCOPE_SCHEMAS = {
    "subscriptiondeploymenttemplate": "subscription",
    "managementgroupdeploymenttemplate": "management group",
    "tenantdeploymenttemplate": "tenant",
}


class DeploymentInput:
    """Everything a deploy needs from the files and the `-p` options.

    `secrets` are the values of secure parameters (`secureString`, string leaves of `secureObject`)
    as given in this run, so that the masker can hide them wherever Azure echoes them.
    """

    __slots__ = ("parameters", "secrets", "secure_names", "template", "template_path")

    def __init__(
        self,
        template_path: str,
        template: dict[str, object],
        parameters: dict[str, object],
        secure_names: frozenset[str],
        secrets: frozenset[str],
    ) -> None:
        self.template_path = template_path
        self.template = template
        self.parameters = parameters
        self.secure_names = secure_names
        self.secrets = secrets


# --- files -------------------------------------------------------------------------------------


def load_json_file(path: str) -> object:
    """Parse a JSON file; InputError with `file:line:col` when it cannot be read or parsed.

    When the position-aware parser `templategen.arm.document` is present it is used, because it
    accepts what ARM accepts (comments, trailing commas, UTF-16); otherwise strict JSON.
    """
    try:
        document = importlib.import_module("templategen.arm.document")
    except ImportError:
        document = None
    if document is not None and hasattr(document, "load_json_file"):
        return document.load_json_file(path).data
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        utf16 = raw.startswith((b"\xff\xfe", b"\xfe\xff"))
        text = raw.decode("utf-16") if utf16 else raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 or UTF-16 text (byte {exc.start})", Location(path, 1, 1)) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON: {exc.msg}", Location(path, exc.lineno, exc.colno)) from None


def template_from_yaml_input(path: str) -> tuple[dict[str, object], dict[str, object]]:
    """The ARM template and the parameters object `templategen generate` would write for an input.

    Deploying a YAML input deploys exactly what `generate` writes (same code, rendered in memory);
    the input's values travel as the generated parameters, which `-p` options can still override.
    """
    from templategen.generate.outputs import render_outputs
    from templategen.inputs.loader import load_input
    from templategen.inputs.problems import InputProblems

    try:
        loaded = load_input(path)
    except InputProblems as exc:
        first = exc.errors[0] if exc.errors else exc.problems[0]
        more = (
            f" (and {len(exc.errors) - 1} more; run `templategen lint {path}`)" if len(exc.errors) > 1 else ""
        )
        raise InputError(first.message + more, first.location) from None
    files = {f.role: f.content for f in render_outputs(loaded, None, "arm", snippet=False)}
    template = json.loads(files["template"])
    parameters = json.loads(files["parameters"]).get("parameters", {})
    return template, parameters if isinstance(parameters, dict) else {}


def is_yaml_input(path: str) -> bool:
    """True for a templategen YAML input (deployed by generating its template first)."""
    return path.lower().endswith((".yaml", ".yml"))


def load_template(path: str) -> dict[str, object]:
    """The ARM template to deploy, from a `.json` template or a templategen YAML input."""
    lower = path.lower()
    if is_yaml_input(path):
        return template_from_yaml_input(path)[0]
    if lower.endswith(".bicep"):
        raise InputError(f"{path}: build Bicep to ARM JSON first (`az bicep build --file {path}`)")
    data = load_json_file(path)
    if not isinstance(data, dict):
        raise InputError("an ARM template is a JSON object", Location(path, 1, 1))
    schema = str(data.get("$schema", "")).lower()
    if "deploymentparameters" in schema:
        raise InputError(f"{path} is a parameters file; give the template first and the parameters with -p")
    for marker, scope in _SCOPE_SCHEMAS.items():
        if marker in schema:
            raise InputError(
                f"{path} is a {scope}-scope template ($schema); "
                "templategen deploy deploys to a resource group"
            )
    if "resources" not in data:
        raise InputError(f"{path}: not an ARM template (no `resources`)", Location(path, 1, 1))
    return data


# --- parameters --------------------------------------------------------------------------------


def _declared(template: dict[str, object]) -> dict[str, tuple[str, str]]:
    """lower-cased name -> (name as declared, lower-cased type) of the template's parameters."""
    out: dict[str, tuple[str, str]] = {}
    params = template.get("parameters")
    if isinstance(params, dict):
        for name, spec in params.items():
            kind = str(spec.get("type", "")).lower() if isinstance(spec, dict) else ""
            out[name.lower()] = (name, kind)
    return out


def _parameters_object(data: object, source: str) -> dict[str, object]:
    """The `parameters` object of a parameters file, or the object itself when it is bare."""
    if not isinstance(data, dict):
        raise InputError(f"{source}: a parameters file is a JSON object")
    inner = data.get("parameters")
    if isinstance(inner, dict) and ("$schema" in data or "contentVersion" in data):
        return inner
    return data


def _convert(raw: str, name: str, kind: str) -> object:
    """`name=value` to the JSON value the template parameter's type expects (as `az` does)."""
    if kind in ("", "string", "securestring"):
        return raw
    if kind == "int":
        try:
            return int(raw)
        except ValueError:
            raise InputError(
                f"-p {name}=...: parameter {name!r} is an int; got a non-integer value"
            ) from None
    if kind == "bool":
        if raw.lower() in ("true", "false"):
            return raw.lower() == "true"
        raise InputError(f"-p {name}=...: parameter {name!r} is a bool; use true or false")
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"-p {name}=...: parameter {name!r} is {kind}; the value is not JSON ({exc.msg})"
        ) from None
    expected = dict if kind in ("object", "secureobject") else list
    if not isinstance(value, expected):
        raise InputError(f"-p {name}=...: parameter {name!r} is {kind}; the value is JSON of another type")
    return value


def _string_leaves(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _string_leaves(v)]
    if isinstance(value, list):
        return [s for v in value for s in _string_leaves(v)]
    return []


def build_input(template_path: str, parameter_args: list[str]) -> DeploymentInput:
    """Load the template and merge every `-p` argument into one ARM `parameters` object.

    For a YAML input, the generated parameters come first and `-p` arguments override them.
    """
    generated: dict[str, object] = {}
    if is_yaml_input(template_path):
        template, generated = template_from_yaml_input(template_path)
    else:
        template = load_template(template_path)
    declared = _declared(template)
    merged: dict[str, object] = {}
    spelling: dict[str, str] = {}  # lower-cased name -> key used in `merged`

    def put(name: str, entry: object) -> None:
        key = spelling.get(name.lower())
        if key is None:
            key = declared.get(name.lower(), (name, ""))[0]
            spelling[name.lower()] = key
        merged[key] = entry

    for name, entry in generated.items():
        put(name, entry)
    for arg in parameter_args:
        if os.path.isfile(arg) or arg.startswith("@"):
            path = arg[1:] if arg.startswith("@") else arg
            if not os.path.isfile(path):
                raise InputError(f"-p {arg}: no such parameters file")
            from templategen.arm.parameters import bicepparam_refusal

            refusal = bicepparam_refusal(path)
            if refusal is not None:
                raise InputError(f"-p {arg}: {refusal}")
            for name, entry in _parameters_object(load_json_file(path), path).items():
                put(name, entry)
        elif arg.lstrip().startswith("{"):
            try:
                data = json.loads(arg)
            except json.JSONDecodeError as exc:
                raise InputError(f"-p: inline parameters are not valid JSON ({exc.msg})") from None
            for name, entry in _parameters_object(data, "-p").items():
                put(name, entry)
        elif "=" in arg:
            name, raw = arg.split("=", 1)
            name = name.strip()
            if name.lower() not in declared:
                known = ", ".join(sorted(n for n, _ in declared.values())) or "none"
                raise InputError(
                    f"-p {name}=...: the template declares no parameter {name!r} (declared: {known})"
                )
            put(name, {"value": _convert(raw, name, declared[name.lower()][1])})
        else:
            raise InputError(f"-p {arg}: expected a parameters file, @file, a JSON object or name=value")

    secure = frozenset(n for n, (_, kind) in declared.items() if kind in ("securestring", "secureobject"))
    secrets: set[str] = set()
    for key, entry in merged.items():
        if key.lower() in secure and isinstance(entry, dict) and "value" in entry:
            secrets.update(_string_leaves(entry["value"]))
    params = template.get("parameters")
    if isinstance(params, dict):
        for name, spec in params.items():
            if name.lower() in secure and isinstance(spec, dict) and "defaultValue" in spec:
                secrets.update(_string_leaves(spec["defaultValue"]))
    secrets.update(_protected_literals(template))
    return DeploymentInput(template_path, template, merged, secure, frozenset(secrets))


def _is_expression(text: str) -> bool:
    return text.startswith("[") and not text.startswith("[[") and text.endswith("]")


def _protected_literals(template: object) -> set[str]:
    """Literal strings written in any `protectedSettings` of the template (nested templates too):
    secret by declaration, and Azure may quote them back in an error or a log line."""
    found: set[str] = set()
    stack = [template]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(key, str) and key.lower() == "protectedsettings":
                    found.update(leaf for leaf in _string_leaves(value) if not _is_expression(leaf))
                else:
                    stack.append(value)
        elif isinstance(node, list):
            stack.extend(node)
    return found


# --- names and bodies --------------------------------------------------------------------------


def check_deployment_name(name: str) -> str:
    """`name` if ARM accepts it as a deployment name; InputError otherwise."""
    if not _NAME.match(name):
        raise InputError(
            f"--name {name!r}: a deployment name has 1 to 64 letters, digits, '-', '.', '_', '(' or ')'"
        )
    return name


def default_deployment_name(template_path: str, now: datetime.datetime | None = None) -> str:
    """`<template file name>-<UTC yyyymmddHHMMSS>`: readable in the portal, unique per second."""
    stamp = (now or datetime.datetime.now(datetime.timezone.utc)).strftime("%Y%m%d%H%M%S")
    stem = os.path.splitext(os.path.basename(template_path))[0]
    stem = _NAME_BAD_CHARS.sub("-", stem).strip("-.") or "deployment"
    return f"{stem[: 64 - len(stamp) - 1]}-{stamp}"


def normalise_mode(mode: str) -> str:
    """`incremental`/`COMPLETE`/... → the spelling ARM documents."""
    for known in MODES:
        if known.lower() == mode.lower():
            return known
    raise InputError(f"--mode {mode!r}: expected incremental or complete")


def deployment_body(data: DeploymentInput, mode: str) -> dict[str, object]:
    """Body of PUT and validate: `{"properties": {"mode", "template", "parameters"}}`."""
    properties: dict[str, object] = {"mode": mode, "template": data.template}
    if data.parameters:
        properties["parameters"] = data.parameters
    return {"properties": properties}


def what_if_body(data: DeploymentInput, mode: str) -> dict[str, object]:
    """Body of what-if: the deployment body asking for full resource payloads (for property diffs)."""
    body = deployment_body(data, mode)
    properties = body["properties"]
    assert isinstance(properties, dict)
    properties["whatIfSettings"] = {"resultFormat": "FullResourcePayloads"}
    return body
