"""Family 5, the VM snapshot extension: VMSnapshot (Windows) and VMSnapshotLinux (Linux).

Azure Backup installs this extension itself, at the first backup of a protected VM, with settings it
issues per backup job (a task id, a start time in .NET ticks, SAS URIs of the disks and of a log and
a status blob). A template that deploys it by hand must get all of that right, and must keep the
SAS URIs secret. These rules check what can be checked offline:

    TG501 settings against the schema        TG508 SAS expiry against --now
    TG502 protectedSettings against it       TG509 the document's legacy publisher
    TG503 credentials in public settings     TG510 publisher, and type vs the VM's OS
    TG504 protected settings not secure      TG511 typeHandlerVersion "major.minor"
    TG505 commandStartTimeUTCTicks           TG512 extension ↔ VM: name, dependsOn, location
    TG506 objectStr                          TG513 VMs that refuse extensions but are backed up
    TG507 every SAS URI                      TG514 deploying the extension by hand at all
                                             TG515 autoUpgradeMinorVersion false (info)

Every rule reads the extensions through `templategen.rules.vmsnapshot.scan`, which looks at raw
`type` values first: a template without a snapshot extension costs one pass over its resources and
never imports jsonschema. Values are evaluated offline; unknown values are skipped, never guessed,
and messages show values only through `describe` (secrets as `***`, SAS signatures as `sig=***`).
"""

from __future__ import annotations

from templategen.arm.values import Partial, Unknown, describe, is_secret, known_text
from templategen.diagnostics import ERROR, INFO, WARNING
from templategen.rules import extexamples as examples
from templategen.rules.base import Rule
from templategen.rules.vmsnapshot import (
    LEGACY_PUBLISHER,
    LINUX_TYPE,
    PUBLISHER,
    VM_TYPE,
    WINDOWS,
    WINDOWS_TYPE,
    scan,
    slash_count,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    import datetime
    from collections.abc import Iterator

    from templategen.diagnostics import Diagnostic
    from templategen.lint.context import LintContext
    from templategen.rules.vmsnapshot import Extension

WINDOWS_DOC = "https://learn.microsoft.com/azure/virtual-machines/extensions/vmsnapshot-windows"
LINUX_DOC = "https://learn.microsoft.com/azure/virtual-machines/extensions/vmsnapshot-linux"
SAS_DOC = "https://learn.microsoft.com/rest/api/storageservices/create-service-sas"
SENSITIVE_FIELDS = ("objectStr", "logsBlobUri", "statusBlobUri")
_SENSITIVE = frozenset(field.lower() for field in SENSITIVE_FIELDS)
_TICKS = "commandstarttimeutcticks"

#: Substrings a file must contain for these rules to run on it (templategen.rules.registry). Every
#: rule reads the extensions whose type evaluates to VMSnapshot or VMSnapshotLinux, a word written
#: where the evaluation reads it (the resource, a variable, a parameter's default, a `-p` value)
#: unless functions assemble it from pieces; TG513 also reads the protected items, whose resource
#: type (never an expression) ends in `protectedItems`.
TRIGGERS: tuple[str, ...] = ("vmsnapshot", "protecteditems")


class _Findings:
    """Collects one rule's findings for a file, dropping repeats (copies of a looped extension)."""

    __slots__ = ("ctx", "found", "rule", "seen")

    def __init__(self, ctx: LintContext, rule: Rule) -> None:
        self.ctx = ctx
        self.rule = rule
        self.found: list[Diagnostic] = []
        self.seen: set[tuple[str, str, bool]] = set()

    def add(self, pointer: str, message: str, *, key: bool = False) -> None:
        marker = (pointer, message, key)
        if marker not in self.seen:
            self.seen.add(marker)
            self.found.append(self.ctx.report(self.rule, pointer, message, key=key))


def _extensions(ctx: LintContext) -> list[Extension]:
    if ctx.template is None:
        return []
    return scan(ctx).extensions


def _field(path: tuple[str | int, ...]) -> str:
    return "`" + ".".join(str(step) for step in path) + "`"


# --------------------------------------------------------------------------------------------------
# TG501-TG502 schema


class ExtensionSettingsInvalid(Rule):
    id = "TG501"
    name = "extension-settings-invalid"
    severity = ERROR
    summary = (
        "VMSnapshot settings break the extension's schema (unknown key, taskId, command, vmType, locale)"
    )
    why = (
        "The snapshot extension reads five public settings (the extension document, "
        "`vmsnapshot-windows.md` / `vmsnapshot-linux.md`): `locale` (a language tag such as `en-us`), "
        "`taskId` (the backup job's GUID followed by `_` and a number), `commandToExecute` (`snapshot`, "
        "the only documented command), `commandStartTimeUTCTicks` (TG505) and `vmType` "
        "(`microsoft.compute/virtualmachines`, or `microsoft.classiccompute/virtualmachines` for "
        "classic VMs). The values are validated against `schemas/vmsnapshot-settings.schema.json`, the "
        "schema the generator uses, wherever they are known offline (expressions are evaluated; "
        "unknown values are skipped). Keys are matched without regard to case (`TaskId` is `taskId`): "
        "Resource Manager treats property names that way, and whether the handler does is not "
        "documented, so a differently cased key is not guessed to be wrong.\n\n"
        'The document\'s JSON writes `"locale": "<location>"` while its table of values gives '
        "`en-us`: it is a language, not an Azure region, so `westeurope` is reported. The SAS-bearing "
        "keys (`objectStr`, `logsBlobUri`, `statusBlobUri`) are TG503's to report here."
    )
    bad = examples.TG501_BAD
    good = examples.TG501_GOOD
    source_url = WINDOWS_DOC
    tags = ("vmsnapshot", "schema")

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        out = _Findings(ctx, self)
        for extension in _extensions(ctx):
            present, settings = extension.value("settings")
            if not present:
                pointer, at_key = extension.key_pointer("type")
                out.add(
                    pointer,
                    f"extension {extension.label} has no `settings`: the extension needs locale, taskId, "
                    "commandToExecute, commandStartTimeUTCTicks and vmType",
                    key=at_key,
                )
                continue
            if isinstance(settings, (Unknown, Partial)) or settings is None:
                continue
            if not isinstance(settings, dict):
                out.add(extension.pointer("settings"), "`settings` is not an object; expected an object")
                continue
            from templategen.rules.extschema import validate_known

            issues = validate_known(
                "vmsnapshot-settings",
                settings,
                field="settings",
                skip_keys=_SENSITIVE,
                skip_values={_TICKS},
                value_keywords=(),
            )
            for issue in issues:
                if issue.missing:
                    pointer, at_key = extension.key_pointer("settings")
                    out.add(pointer, issue.message, key=at_key)
                    continue
                message = issue.message + _locale_hint(issue.path, settings)
                pointer, at_key = extension.key_pointer("settings", *issue.path)
                out.add(pointer, message, key=issue.at_key and at_key)
        return iter(out.found)


def _locale_hint(path: tuple[str, ...], settings: dict[str, object]) -> str:
    if len(path) != 1 or path[0].lower() != "locale":
        return ""
    value = known_text(settings.get(path[0]))
    if value is not None and value.isalnum() and len(value) > 5:
        return (
            " (this looks like an Azure region: `locale` is a language, whatever the document's "
            "<location> placeholder says)"
        )
    return ""


class ProtectedSettingsInvalid(Rule):
    id = "TG502"
    name = "extension-protected-settings-invalid"
    severity = ERROR
    summary = "VMSnapshot protectedSettings break the schema (unknown or missing key, wrong type)"
    why = (
        "The extension reads three protected settings: `objectStr` (the disks' SAS URIs, TG506), "
        "`logsBlobUri` and `statusBlobUri` (SAS URIs of the blobs it writes to, TG507). Where the "
        "structure of `protectedSettings` is known offline (an object written in the template, or an "
        "evaluated object), its keys and the types of its values are validated against "
        "`schemas/vmsnapshot-protected-settings.schema.json`. Values from secure parameters are not "
        "read; a `secureObject` parameter without a value is skipped entirely."
    )
    bad = examples.TG502_BAD
    good = examples.TG502_GOOD
    source_url = WINDOWS_DOC
    tags = ("vmsnapshot", "schema")

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        out = _Findings(ctx, self)
        for extension in _extensions(ctx):
            present, protected = extension.value("protectedSettings")
            if not present or protected is None or isinstance(protected, (Unknown, Partial)):
                continue
            if not isinstance(protected, dict):
                out.add(
                    extension.pointer("protectedSettings"),
                    "`protectedSettings` is not an object; expected an object with objectStr, logsBlobUri "
                    "and statusBlobUri",
                )
                continue
            from templategen.rules.extschema import validate_known

            issues = validate_known(
                "vmsnapshot-protected-settings",
                protected,
                field="protectedSettings",
                skip_values=_SENSITIVE,
                value_keywords=("type", "minLength"),
                skip_secret=True,
            )
            for issue in issues:
                path = ("protectedSettings",) if issue.missing else ("protectedSettings", *issue.path)
                pointer, at_key = extension.key_pointer(*path)
                out.add(pointer, issue.message, key=(issue.at_key or issue.missing) and at_key)
        return iter(out.found)


# --------------------------------------------------------------------------------------------------
# TG503-TG504 secrets


class SensitiveSettingInPublicSettings(Rule):
    id = "TG503"
    name = "sensitive-setting-in-public-settings"
    severity = ERROR
    summary = "objectStr, logsBlobUri, statusBlobUri or another SAS-bearing value in public `settings`"
    why = (
        "Public `settings` are stored in plain text on the VM resource: anyone who can read the VM "
        "(Reader role, `az vm extension show`, the portal, the deployment history) sees them. "
        "`objectStr`, `logsBlobUri` and `statusBlobUri` carry storage SAS tokens, bearer credentials "
        "for the VM's disks and the extension's blobs, valid until they expire. The extension document "
        "(`vmsnapshot-windows.md`) says these values are sensitive, belong in `protectedSettings` "
        "(encrypted, decrypted only on the VM) and should be passed only by Azure Backup.\n\n"
        "**Why this contradicts the official ARM schema.** The ARM JSON schema "
        "(`Microsoft.Compute.Extensions.json`, definitions `VMSnapshot` and `VMSnapshotLinux`) lists "
        "all eight fields under `settings` and even marks the three SAS fields as required there. The "
        "schema describes what the API accepts, not what is safe; templategen follows the document "
        "(DOMAIN Decision 3), so a template that validates against the official schema is still "
        "reported here. The rule also reports any other value in `settings` that carries a SAS "
        "signature (`sig=` after evaluation) or comes from a secure parameter."
    )
    bad = examples.TG503_BAD
    good = examples.TG503_GOOD
    source_url = WINDOWS_DOC
    tags = ("vmsnapshot", "security")

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        out = _Findings(ctx, self)
        for extension in _extensions(ctx):
            present, settings = extension.value("settings")
            if not present or not isinstance(settings, dict):
                continue
            for key, value in settings.items():
                path = ("settings", key)
                if key.lower() in _SENSITIVE:
                    pointer, at_key = extension.key_pointer(*path)
                    out.add(
                        pointer,
                        f"`settings.{key}` is a SAS credential in public settings, which are stored and "
                        "shown in plain text: move it to `protectedSettings` (encrypted, decrypted only on "
                        "the VM)",
                        key=at_key,
                    )
                    continue
                for sub_path, reason in _exposed(value, ()):
                    full = (*path, *sub_path)
                    out.add(
                        extension.pointer(*full),
                        f"{_field(full)} {reason[0]}: public settings are stored and shown in plain "
                        f"text; put it in `protectedSettings`{reason[1]}",
                    )
        return iter(out.found)


def _scan_text(value: object) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, Partial):
        return "".join(part if isinstance(part, str) else "X" for part in value.parts)
    return None


def _exposed(
    value: object, path: tuple[str | int, ...]
) -> list[tuple[tuple[str | int, ...], tuple[str, str]]]:
    """Leaves of a public value that carry a SAS signature or come from a secure parameter."""
    from templategen.redact import contains_sas_signature

    if isinstance(value, dict):
        return [hit for key, item in value.items() for hit in _exposed(item, (*path, key))]
    if isinstance(value, list):
        return [hit for index, item in enumerate(value) for hit in _exposed(item, (*path, index))]
    if is_secret(value):
        return [(path, ("comes from a secure parameter", ""))]
    text = _scan_text(value)
    if text is not None and contains_sas_signature(text):
        return [(path, ("carries a SAS token", _shown_uri(value)))]
    return []


class ProtectedSettingsNotSecure(Rule):
    id = "TG504"
    name = "protected-settings-not-secure"
    severity = ERROR
    summary = "VMSnapshot protectedSettings written as literals or fed from parameters that are not secure"
    why = (
        "`protectedSettings` are encrypted on the way to the VM, but a value written in the template, "
        "or passed through a parameter of type `string` / `object`, is stored in the deployment "
        "history and shown in the portal and by `az deployment group show` in plain text. The SAS "
        "tokens of `objectStr`, `logsBlobUri` and `statusBlobUri` must come from a `secureObject` or "
        "`secureString` parameter (Bicep: `@secure()`), a Key Vault reference in the parameters file, "
        "or `protectedSettingsFromKeyVault`. Values Resource Manager computes at deployment "
        "(`listAccountSas()`, `reference()`) are never written down and are not reported.\n\n"
        "The rule names the parameter or variable the value comes from. Its nearest relatives in other "
        "tools (arm-ttk `CommandToExecute-Must-Use-ProtectedSettings-For-Secrets`, Bicep "
        "`protect-commandtoexecute-secrets`, PSRule `Azure.VM.ScriptExtensions`) look at CustomScript "
        "extensions only."
    )
    bad = examples.TG504_BAD
    good = examples.TG504_GOOD
    source_url = (
        "https://learn.microsoft.com/azure/azure-resource-manager/templates/best-practices#parameters"
    )
    tags = ("vmsnapshot", "security")

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        extensions = _extensions(ctx)
        if not extensions:
            return iter(())  # what follows is imported for templates with a snapshot extension only
        from templategen.rules.extvalues import insecure_source

        out = _Findings(ctx, self)
        for extension in extensions:
            present, protected = extension.value("protectedSettings")
            if not present:
                continue
            written, raw = extension.raw("protectedSettings")
            scope = extension.resource.template.expression_scope
            if written and isinstance(raw, dict):
                for key, raw_value in raw.items():
                    value = extension.get("protectedSettings", key)
                    reason = insecure_source(raw_value, True, value, scope)
                    if reason is not None:
                        out.add(
                            extension.pointer("protectedSettings", key),
                            f"`protectedSettings.{key}` {reason}, so the deployment history shows it in "
                            "plain text; pass it through a secureString parameter (Bicep: @secure()) or a "
                            "Key Vault reference",
                        )
                continue
            reason = insecure_source(raw, written, protected, scope)
            if reason is not None:
                out.add(
                    extension.pointer("protectedSettings"),
                    f"`protectedSettings` {reason}, so the deployment history shows its values in plain "
                    "text; use a secureObject parameter (Bicep: @secure()) or Key Vault references",
                )
        return iter(out.found)


# --------------------------------------------------------------------------------------------------
# TG505-TG508 values


class TicksInvalid(Rule):
    id = "TG505"
    name = "ticks-invalid"
    severity = ERROR
    summary = "commandStartTimeUTCTicks is not an exact integer string of .NET ticks within DateTime's range"
    why = (
        "`commandStartTimeUTCTicks` is the scheduled start as .NET ticks: 100-nanosecond intervals "
        "since 0001-01-01T00:00:00Z (`DateTime.Ticks`, no leap seconds), typed **string** by the "
        "document and the official ARM schema. It must be a decimal integer from 0 to "
        "3155378975999999999 (`DateTime.MaxValue`), with no sign, leading zeros or exponent "
        "(DOMAIN Decision 4).\n\n"
        "* **Scientific notation.** The document's own example `6.36458E+17` keeps 6 significant "
        "digits: it stands for any instant from 2017-11-08T15:00:00Z to 2017-11-09T18:46:40Z, ±13.9 "
        "hours around 2017-11-09T04:53:20Z. The same document's SAS URIs start at 14:23:28Z that day.\n"
        "* **JSON numbers.** Real tick counts are about 6.4e17, beyond 2^53, so any reader that keeps "
        "JSON numbers as IEEE doubles (JavaScript and so the portal, jq, many libraries) rounds them "
        "to a multiple of 128 ticks (12.8 µs); `1.10`-style surprises aside, the field is a string.\n\n"
        "Messages show the instant the ticks denote. `templategen generate` computes ticks exactly "
        "from an ISO-8601 `commandStartTime`."
    )
    bad = examples.TG505_BAD
    good = examples.TG505_GOOD
    source_url = "https://learn.microsoft.com/dotnet/api/system.datetime.ticks"
    tags = ("vmsnapshot",)

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        extensions = _extensions(ctx)
        if not extensions:
            return iter(())  # what follows is imported for templates with a snapshot extension only
        from templategen.rules.extvalues import ticks_problem

        out = _Findings(ctx, self)
        for extension in extensions:
            present, settings = extension.value("settings")
            if not present or not isinstance(settings, dict):
                continue
            key = next((name for name in settings if name.lower() == _TICKS), None)
            if key is None:
                continue
            pointer = extension.pointer("settings", key)
            written, raw = extension.raw("settings", key)
            source = _source_token(ctx, pointer) if written and isinstance(raw, (int, float)) else None
            problem = ticks_problem(settings[key], source)
            if problem is not None:
                out.add(pointer, f"`settings.{key}` {problem}")
        return iter(out.found)


def _source_token(ctx: LintContext, pointer: str) -> str | None:
    """The text of a JSON number as written in the file (`6.36458E+17`), for messages."""
    location = ctx.source.locate(pointer)
    if location.line != location.end_line:
        return None
    lines = ctx.source.text.splitlines()
    if not 0 < location.line <= len(lines):
        return None
    token = lines[location.line - 1][location.column - 1 : location.end_column - 1].strip()
    return token if token and len(token) <= 40 else None


class ObjectStrInvalid(Rule):
    id = "TG506"
    name = "objectstr-invalid"
    severity = ERROR
    summary = "objectStr is not a JSON object with a `blobSASUri` array of strings"
    why = (
        "`objectStr` is the VM's disks as blob SAS URIs, a JSON object serialized to a string: "
        '`{"blobSASUri": ["https://<account>.blob.core.windows.net/vhds/<disk>.vhd?sv=...", ...]}`, '
        "one URI per disk page blob (unmanaged disks). The document's table shows only the member "
        '(`"blobSASUri": [...]`, without the braces), which is not JSON on its own. The value is '
        "read after evaluation (`string(...)`, `concat(...)`); values from secure parameters are not "
        "read. Each URI is checked by TG507."
    )
    bad = examples.TG506_BAD
    good = examples.TG506_GOOD
    source_url = WINDOWS_DOC
    tags = ("vmsnapshot",)

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        extensions = _extensions(ctx)
        if not extensions:
            return iter(())  # what follows is imported for templates with a snapshot extension only
        from templategen.rules.extvalues import object_str_problems

        out = _Findings(ctx, self)
        for extension in extensions:
            for path, value in _fields(extension, "objectstr"):
                for problem in object_str_problems(value):
                    out.add(extension.pointer(*path), f"{_field(path)} {problem}")
        return iter(out.found)


def _fields(extension: Extension, low_name: str) -> list[tuple[tuple[str, str], object]]:
    """(path, evaluated value) of a field in protectedSettings and, misplaced, in settings."""
    found = []
    for container in ("protectedSettings", "settings"):
        present, holder = extension.value(container)
        if present and isinstance(holder, dict):
            for key, value in holder.items():
                if key.lower() == low_name:
                    found.append(((container, key), value))
    return found


def _sas_values(extension: Extension) -> list[tuple[tuple[str, str], str, object, str, bool]]:
    """(path, use, evaluated URI, how messages name it, secret) for every SAS URI the extension
    receives. `secret` marks known text that comes from a secure parameter (never to be shown or
    quoted); a partly known URI shows its known pieces and masks the rest through `describe`."""
    from templategen.rules.extvalues import object_str_uris
    from templategen.rules.sasuri import USE_DISK, USE_LOG, USE_STATUS

    found: list[tuple[tuple[str, str], str, object, str, bool]] = []
    for path, value in _fields(extension, "objectstr"):
        secret = isinstance(value, str) and is_secret(value)
        uris = object_str_uris(value, secret_too=True)
        for index, uri in enumerate(uris):
            label = f"{_field(path)} disk URI {index + 1} of {len(uris)}"
            found.append((path, USE_DISK, uri, label, secret))
    for low, use in (("logsbloburi", USE_LOG), ("statusbloburi", USE_STATUS)):
        for path, value in _fields(extension, low):
            found.append((path, use, value, _field(path), isinstance(value, str) and is_secret(value)))
    return found


class SasUriInvalid(Rule):
    id = "TG507"
    name = "sas-uri-invalid"
    severity = ERROR
    summary = (
        "A SAS URI of the extension is not an HTTPS blob SAS the extension can use (sr, sv, sp, st/se, spr)"
    )
    why = (
        "Every URI the extension receives (each disk in `objectStr`'s `blobSASUri`, `logsBlobUri`, "
        "`statusBlobUri`) must be a service SAS for one blob that the extension can use from inside "
        "the VM (create-service-sas):\n\n"
        "* `https`, on a storage account's blob endpoint: `<account>.blob.core.windows.net`, a "
        "sovereign cloud's `.blob.core.chinacloudapi.cn` / `.blob.core.usgovcloudapi.net`, an Azure DNS "
        "zone endpoint `<account>.z<NN>.blob.storage.azure.net`, or Azure Stack Hub's "
        "`<account>.blob.<region>.<fqdn>`. Emulator URLs (`http://127.0.0.1:10000/devstoreaccount1/...`) "
        "are reported: the extension runs in the Azure VM, where 127.0.0.1 is the VM itself, and they "
        "are plain HTTP.\n"
        "* `sr=b` (one blob), `sv` (the signed version), a signature, and `se` (expiry) and `sp` "
        "(permissions) unless a stored access policy (`si`) supplies them.\n"
        "* `sp` letters from `racwdxyltfmeopi`, each once, in that order (the page gives "
        "`racwdxltmeop`: `rw` is valid, `wr` is not; its table adds `y`, `f` and `i`, placed as the "
        "storage clients place them), including what the extension does: write (`w`) to the log and "
        "status blobs, create or write (`c`/`w`) to snapshot a disk.\n"
        "* `st` and `se` in an accepted ISO-8601 UTC form, `se` after `st`; `spr` not HTTP-only.\n\n"
        "Messages show the URI with `sig=***`. Values from secure parameters are not read."
    )
    bad = examples.TG507_BAD
    good = examples.TG507_GOOD
    source_url = SAS_DOC
    tags = ("vmsnapshot", "security")

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        extensions = _extensions(ctx)
        if not extensions:
            return iter(())  # what follows is imported for templates with a snapshot extension only
        from templategen.rules.sasuri import check_sas_uri

        out = _Findings(ctx, self)
        for extension in extensions:
            for path, use, value, label, secret in _sas_values(extension):
                if secret:
                    continue
                pointer = extension.pointer(*path)
                if isinstance(value, Partial):
                    prefix = value.prefix.lower()
                    if prefix.startswith("http://"):
                        out.add(
                            pointer,
                            f"{label} is an http: URL: a SAS is a bearer credential and must only "
                            f"travel over HTTPS{_shown_uri(value)}",
                        )
                    continue
                if not isinstance(value, str):
                    continue
                for problem in check_sas_uri(value, use):
                    joint = ": " if problem.message.startswith("`") else " "
                    out.add(pointer, f"{label}{joint}{problem.message}{_shown_uri(value)}")
        return iter(out.found)


class SasExpired(Rule):
    id = "TG508"
    name = "sas-expired"
    severity = ERROR
    summary = "A SAS URI of the extension has expired (`se` before --now, default: the current time)"
    why = (
        "An expired SAS never works again: the extension cannot snapshot the disks or write its log "
        "and status blobs, its provisioning fails (`VMExtensionProvisioningError`) and so does the "
        "backup job. Expiry is judged against `--now` (default: the time of the run), so a check in "
        "CI today answers for any deployment after it; tests pass a fixed `--now`.\n\n"
        "Severity: **error**, not a warning. Unlike a style finding this is a certain failure, and "
        "it cannot be fixed except by issuing a new SAS, which is what Azure Backup does for every "
        "backup job: another reason not to deploy the extension by hand (TG514). Values from secure "
        "parameters are checked too (a parameters file with a stale SAS), naming only the field and "
        "the expiry instant."
    )
    bad = examples.TG508_BAD
    good = examples.TG508_GOOD
    source_url = SAS_DOC
    tags = ("vmsnapshot", "security")

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        extensions = _extensions(ctx)
        if not extensions:
            return iter(())  # what follows is imported for templates with a snapshot extension only
        from templategen.rules.sasuri import SasUri, expiry, format_instant

        out = _Findings(ctx, self)
        for extension in extensions:
            # Per field: objectStr's disk URIs usually expire together, one finding says it.
            expired: dict[tuple[str, str], list[tuple[str, datetime.datetime, object, bool]]] = {}
            for path, _use, value, label, secret in _sas_values(extension):
                text = _expiry_text(value)
                end = expiry(SasUri(text)) if text is not None else None
                if end is not None and end <= ctx.now:
                    expired.setdefault(path, []).append((label, end, value, secret))
            now = format_instant(ctx.now)
            for path, found in expired.items():
                label, end, value, secret = min(found, key=lambda item: item[1])
                if len(found) > 1:
                    label = f"{_field(path)}: {len(found)} disk URIs (the first shown)"
                out.add(
                    extension.pointer(*path),
                    f"{label} expired at {format_instant(end)}, before {now} (the time of this check; "
                    "--now sets it): the extension cannot use it, and only a new SAS helps"
                    f"{'' if secret else _shown_uri(value)}",
                )
        return iter(out.found)


def _shown_uri(value: object) -> str:
    """`; the URI is ...` for the end of a message (signature and secret pieces masked), or "" when
    nothing of it may be shown. At the end because a masked `sig=***` swallows what follows it."""
    shown = describe(value, 160)
    return "" if shown == "***" else f"; the URI is {shown}"


def _expiry_text(value: object) -> str | None:
    """The text whose `se` is read: a known string, or the known text of a partial URI when its
    query (up to the first unknown piece) is written out."""
    if isinstance(value, str):
        return value
    if isinstance(value, Partial):
        known = value.prefix
        return known if "?" in known else None
    return None


# --------------------------------------------------------------------------------------------------
# TG509-TG511 publisher, type, version


class LegacyPublisher(Rule):
    id = "TG509"
    name = "extension-legacy-publisher"
    severity = WARNING
    summary = "VMSnapshot with the original document's publisher `Microsoft.RecoveryServices`"
    why = (
        "The documents disagree (DOMAIN Decision 1). The original 2018 VMSnapshot document and the "
        "Linux page (`vmsnapshot-linux.md`) write `Microsoft.RecoveryServices`; the current Windows "
        "page (`vmsnapshot-windows.md`), the official ARM schema (`Microsoft.Compute.Extensions.json`, "
        "whose `VMSnapshot` and `VMSnapshotLinux` definitions allow only "
        "`Microsoft.Azure.RecoveryServices`) and the handler folders on the VM "
        "(`C:\\Packages\\Plugins\\Microsoft.Azure.RecoveryServices.VMSnapshot`, "
        "`/var/lib/waagent/Microsoft.Azure.RecoveryServices.VMSnapshotLinux-<version>`) use "
        "`Microsoft.Azure.RecoveryServices`. templategen generates the latter and accepts the former "
        "with this warning. Any other publisher is an error (TG510)."
    )
    bad = examples.TG509_BAD
    good = examples.TG509_GOOD
    source_url = WINDOWS_DOC
    tags = ("vmsnapshot",)

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        out = _Findings(ctx, self)
        for extension in _extensions(ctx):
            publisher = known_text(extension.get("publisher"))
            if publisher is not None and publisher.lower() == LEGACY_PUBLISHER.lower():
                out.add(
                    extension.pointer("publisher"),
                    f"publisher '{publisher}' is the spelling of the 2018 extension document and the Linux "
                    f"page; the current Windows documentation, the official ARM schema and the handler "
                    f"folders on the VM use '{PUBLISHER}'",
                )
        return iter(out.found)


class TypeMismatch(Rule):
    id = "TG510"
    name = "extension-type-mismatch"
    severity = ERROR
    summary = "VMSnapshot on a Linux VM, VMSnapshotLinux on a Windows VM, or an unknown publisher"
    why = (
        "Azure Backup installs `VMSnapshot` on Windows VMs and `VMSnapshotLinux` on Linux VMs "
        "(`backup-azure-vms-introduction.md`; the official ARM schema has a definition for each; the "
        "Linux page's `VMSnapshot` is treated as a documentation error, DOMAIN Decision 2). The wrong "
        "one fails to install. The VM's OS is taken from the template when it says so for sure: "
        "`osProfile.windowsConfiguration` / `linuxConfiguration`, `storageProfile.osDisk.osType`, or "
        "an image publisher whose images are all of one OS (MicrosoftWindowsServer, "
        "MicrosoftWindowsDesktop, Canonical, RedHat, SUSE, OpenLogic, Debian, ...); publishers with "
        "images of both kinds (MicrosoftSQLServer, Oracle) say nothing, and evidence that disagrees is "
        "ignored. Both extension types are published by `Microsoft.Azure.RecoveryServices` (or the "
        "legacy `Microsoft.RecoveryServices`, TG509): any other publisher names an extension that "
        "does not exist."
    )
    bad = examples.TG510_BAD
    good = examples.TG510_GOOD
    source_url = "https://learn.microsoft.com/azure/backup/backup-azure-vms-introduction"
    tags = ("vmsnapshot",)

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        out = _Findings(ctx, self)
        if ctx.template is None:
            return iter(())
        found = scan(ctx)
        for extension in found.extensions:
            kind = extension.snapshot_type
            publisher = known_text(extension.get("publisher"))
            if publisher is not None and publisher.lower() not in (
                PUBLISHER.lower(),
                LEGACY_PUBLISHER.lower(),
            ):
                out.add(
                    extension.pointer("publisher"),
                    f"publisher '{describe(publisher)}' does not publish {kind}: the extension is "
                    f"'{PUBLISHER}' / '{kind}'; this combination names an extension that does not exist",
                )
            for machine in found.machines_of(extension):
                system = machine.operating_system()
                if system is None:
                    continue
                os_name, evidence = system
                wanted = WINDOWS_TYPE if os_name == WINDOWS else LINUX_TYPE
                if kind is not None and kind != wanted:
                    what = "VM" if machine.kind == VM_TYPE else "scale set"
                    out.add(
                        extension.pointer("type"),
                        f"{kind} on {os_name} {what} {machine.label} ({evidence}): Azure Backup uses "
                        f"{wanted} on {os_name} machines",
                    )
        return iter(out.found)


class TypeHandlerVersion(Rule):
    id = "TG511"
    name = "type-handler-version"
    severity = ERROR
    summary = 'typeHandlerVersion is missing or not a "major.minor" string such as "1.9"'
    why = (
        'Resource Manager takes the extension version as a `"major.minor"` **string** (`"1.9"`, the '
        "only version the documents show) and picks the newest build of that minor version. A full "
        'version (`"1.9.0"`, `"1.0.9170.0"`, the folder names on the VM) is refused with '
        "`InvalidParameter: The value of parameter typeHandlerVersion is invalid` "
        "(chef-partners/azure-chef-extension#70). A JSON number is not a string, and `1.10` as a number "
        "is `1.1`. A missing version is an error too: a create needs it. (`autoUpgradeMinorVersion: "
        "false` is TG515.)"
    )
    bad = examples.TG511_BAD
    good = examples.TG511_GOOD
    source_url = "https://learn.microsoft.com/azure/templates/microsoft.compute/virtualmachines/extensions"
    tags = ("vmsnapshot",)

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        out = _Findings(ctx, self)
        for extension in _extensions(ctx):
            present, version = extension.value("typeHandlerVersion")
            if not present:
                pointer, at_key = extension.key_pointer("type")
                out.add(
                    pointer,
                    f'extension {extension.label} has no `typeHandlerVersion`; write "1.9" (major.minor)',
                    key=at_key,
                )
            else:
                message = _version_problem(ctx, extension, version)
                if message is not None:
                    out.add(extension.pointer("typeHandlerVersion"), f"`typeHandlerVersion` {message}")
        return iter(out.found)


def _version_problem(ctx: LintContext, extension: Extension, version: object) -> str | None:
    import re as regex

    if isinstance(version, (Unknown, Partial)):
        return None
    if isinstance(version, bool) or version is None or isinstance(version, (list, dict)):
        return f'is {describe(version)}; expected a "major.minor" string such as "1.9"'
    if isinstance(version, (int, float)):
        written, raw = extension.raw("typeHandlerVersion")
        pointer = extension.pointer("typeHandlerVersion")
        token = _source_token(ctx, pointer) if written and isinstance(raw, (int, float)) else None
        shown = token or describe(version)
        return (
            f"is the JSON number {shown}, not a string: numbers lose trailing zeros (1.10 is 1.1); "
            f'write "{shown}"' + ("" if "." in shown else ' as major.minor, e.g. "1.9"')
        )
    if not isinstance(version, str):
        return None
    if regex.fullmatch(r"[0-9]+\.[0-9]+", version):
        return None
    if regex.fullmatch(r"[0-9]+(\.[0-9]+){2,3}", version):
        major_minor = ".".join(version.split(".")[:2])
        return (
            f"is '{version}', a full version: Resource Manager takes \"major.minor\" and refuses more "
            f'parts (InvalidParameter); write "{major_minor}"'
        )
    if regex.fullmatch(r"[0-9]+", version):
        return f'is \'{version}\', a major version only; write "major.minor", e.g. "{version}.0" or "1.9"'
    return f'is \'{describe(version)}\'; expected a "major.minor" string such as "1.9"'


# --------------------------------------------------------------------------------------------------
# TG512-TG514 the extension and its VM


class ExtensionVmLink(Rule):
    id = "TG512"
    name = "extension-vm-link"
    severity = ERROR
    summary = "The extension does not name its VM, does not depend on it, or is in another location"
    why = (
        "An extension resource is a child of its VM: declared at the top level its name is "
        "`<vm>/<extension>` (`<scale set>/<instance>/<extension>` for a scale set VM); inside the "
        "VM's `resources` (or with Bicep `parent:`) the VM part is added for you. When the VM is "
        "deployed by the same template, the extension must `dependsOn` it: Resource Manager does not "
        'order a child after its parent by itself (resource-dependency, "Child resources"), so the '
        "install races the VM's creation. Bicep `parent:` and nesting add the dependency. Its "
        "`location` must be the VM's region.\n\n"
        "Values are evaluated: `parameters('vmName')` in both places is the same VM even though its "
        "value is unknown; anything that cannot be proven different is not reported. A dependency "
        "through another resource of the template that depends on the VM counts."
    )
    bad = examples.TG512_BAD
    good = examples.TG512_GOOD
    source_url = "https://learn.microsoft.com/azure/azure-resource-manager/templates/resource-dependency#child-resources"
    tags = ("vmsnapshot", "structure")

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        from templategen.rules.extlinks import depends_on, same_location

        out = _Findings(ctx, self)
        if ctx.template is None:
            return iter(())
        found = scan(ctx)
        for extension in found.extensions:
            if extension.inline:
                continue
            resource = extension.resource
            counted = slash_count(extension.instance.name)
            expected = extension.segments - 1
            # A child declared in its VM's `resources` gets the VM part from Resource Manager (which
            # also tolerates the VM name repeated in it); only top-level names are checked.
            if counted is not None and resource.parent is None:
                slashes, partial = counted
                if slashes > expected or (not partial and slashes < expected):
                    parent = "<vm>" if extension.machine_type == VM_TYPE else "<scale set>"
                    if extension.segments == 3:
                        parent = "<scale set>/<instance id>"
                    out.add(
                        resource.pointer_of("name") or resource.pointer,
                        f"the name {describe(extension.instance.name, 80)} does not name the VM: a "
                        f"{resource.type} resource is named '{parent}/<extension>' at the top level, or "
                        "declared inside the VM's `resources` (Bicep: `parent:`)",
                    )
                    continue
            for machine in found.machines_of(extension):
                if machine.existing:
                    continue
                # Across nested deployments the order comes from the deployments' own dependsOn.
                same_template = resource.template is machine.resource.template
                if same_template and depends_on(ctx, extension.instance, machine.instance) is False:
                    pointer = (
                        resource.pointer_of("dependsOn") or resource.pointer_of("name") or resource.pointer
                    )
                    out.add(
                        pointer,
                        f"extension {extension.label} does not depend on VM {machine.label}, which this "
                        "template deploys: Resource Manager does not order a child after its parent, so the "
                        "install can start before the VM exists; add it to `dependsOn` (Bicep: `parent:`)",
                        key=resource.pointer_of("dependsOn") is not None,
                    )
                if not resource.has("location"):
                    continue
                mine = extension.instance.get("location")
                theirs = machine.instance.get("location")
                if same_location(mine, theirs) is False:
                    out.add(
                        resource.pointer_of("location") or resource.pointer,
                        f"extension {extension.label} is in {describe(mine)} but its VM {machine.label} is "
                        f"in {describe(theirs)}: an extension is deployed in its VM's region",
                    )
        return iter(out.found)


class VmBlocksExtensions(Rule):
    id = "TG513"
    name = "vm-blocks-extensions"
    severity = ERROR
    summary = (
        "A backed-up VM (or one with VMSnapshot) sets allowExtensionOperations or provisionVMAgent to false"
    )
    why = (
        "Azure Backup takes application-consistent snapshots through the VM snapshot extension, which "
        "it installs on the VM at the first backup; the VM agent runs it. A VM with "
        "`osProfile.allowExtensionOperations: false` refuses every extension, and one with "
        "`windowsConfiguration.provisionVMAgent: false` / `linuxConfiguration.provisionVMAgent: false` "
        "has no agent to run it: the backup of that VM fails, and an extension deployed by hand fails "
        "to install. The VM counts as backed up when a protected item of the same template names it "
        "in `sourceResourceId` (same name, resource group and subscription, evaluated) or when the "
        "template installs the snapshot extension on it.\n\n"
        "checkov's CKV_AZURE_50 recommends the opposite (`allowExtensionOperations: false`, to stop "
        "extensions running code on the VM). That hardening and Azure Backup of the VM exclude each "
        "other; this rule only fires for VMs that are backed up, where the backup has to win."
    )
    bad = examples.TG513_BAD
    good = examples.TG513_GOOD
    source_url = "https://learn.microsoft.com/azure/backup/backup-azure-arm-vms-prepare"
    tags = ("vmsnapshot", "backup")

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        from templategen.rules.extlinks import machines_backed_up

        out = _Findings(ctx, self)
        if ctx.template is None or not _has_backup_or_extension(ctx):
            return iter(())
        found = scan(ctx)
        carriers: dict[int, str] = {}
        for extension in found.extensions:
            for machine in found.machines_of(extension):
                carriers.setdefault(id(machine.instance), f"carries the {extension.snapshot_type} extension")
        for item in found.protected_items:
            for machine in machines_backed_up(ctx, item):
                backed_up = f"is backed up by protected item {describe(item.name, 90)}"
                carriers.setdefault(id(machine.instance), backed_up)
        for machine in found.machines:
            if machine.existing:
                continue
            reason = carriers.get(id(machine.instance))
            if reason is None:
                continue
            what = "VM" if machine.kind == VM_TYPE else "scale set"
            for path in (
                ("osProfile", "allowExtensionOperations"),
                ("osProfile", "windowsConfiguration", "provisionVMAgent"),
                ("osProfile", "linuxConfiguration", "provisionVMAgent"),
            ):
                value = machine.get(*path)
                if value is False or (isinstance(value, str) and value.lower() == "false"):
                    out.add(
                        machine.pointer(*path),
                        f"{what} {machine.label} {reason} but sets {'.'.join(path)} to false: Azure Backup "
                        "needs the VM agent to install and run the VM snapshot extension, so the backup "
                        "fails (checkov CKV_AZURE_50 suggests false; a backed-up VM needs true)",
                    )
        return iter(out.found)


def _has_backup_or_extension(ctx: LintContext) -> bool:
    """Cheap first: a snapshot extension or a protected item somewhere in the template."""
    from templategen.rules.vmsnapshot import PROTECTED_ITEM_TYPE

    template = ctx.template
    if template is None:
        return False
    if any(resource.type_lower == PROTECTED_ITEM_TYPE for resource in template.all_resources()):
        return True
    return bool(scan(ctx).extensions)


class ManualVmSnapshot(Rule):
    id = "TG514"
    name = "manual-vmsnapshot"
    severity = INFO
    summary = "The VM snapshot extension is deployed by hand; the document recommends enabling backup instead"
    why = (
        "The extension's settings are issued by Azure Backup for one backup job: a task id, a start "
        "time, SAS URIs that expire within hours. The document says the recommended way to add the "
        'extension is to enable backup of the VM (the Recovery Services "backup VMs" quickstart: a '
        "`protectedItems` resource, or `az backup protection enable-for-vm`), after which the first "
        "scheduled backup installs and configures it. Deploying it from a template freezes one job's "
        "values. `templategen generate` writes a backup template from a `recovery-services-backup-vms` "
        "input."
    )
    bad = examples.TG514_BAD
    good = examples.TG514_GOOD
    source_url = WINDOWS_DOC
    tags = ("vmsnapshot", "backup")

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        out = _Findings(ctx, self)
        for extension in _extensions(ctx):
            out.add(
                extension.pointer("type"),
                f"{extension.snapshot_type} is deployed by hand ({extension.label}): Azure Backup installs "
                "and configures it at the first backup once the VM is protected (a protectedItems "
                "resource, or `az backup protection enable-for-vm`), with settings and SAS URIs issued "
                "per backup job",
            )
        return iter(out.found)


class MinorVersionPinned(Rule):
    id = "TG515"
    name = "auto-upgrade-minor-version-off"
    severity = INFO
    summary = "autoUpgradeMinorVersion is false: the snapshot extension stays on the exact minor version"
    why = (
        "`autoUpgradeMinorVersion: true` lets Resource Manager take the newest minor version of the "
        "handler (`1.9` → the newest `1.x` published) when the extension is deployed; with `false` the "
        "VM keeps exactly the version written, fixes included or not. The extension document deploys "
        "it with `true`. Info only: pinning can be deliberate. (After deployment nothing upgrades "
        "either way unless the extension is deployed again or `enableAutomaticUpgrade` is set.)"
    )
    bad = examples.TG515_BAD
    good = examples.TG515_GOOD
    source_url = "https://learn.microsoft.com/azure/virtual-machines/extensions/overview"
    tags = ("vmsnapshot",)

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        out = _Findings(ctx, self)
        for extension in _extensions(ctx):
            auto = extension.get("autoUpgradeMinorVersion")
            if auto is False or (isinstance(auto, str) and auto.lower() == "false"):
                out.add(
                    extension.pointer("autoUpgradeMinorVersion"),
                    "`autoUpgradeMinorVersion` is false: the extension stays on exactly the minor version "
                    "deployed; the document deploys it with true to take the newest 1.x handler",
                )
        return iter(out.found)
