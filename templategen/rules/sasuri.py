"""Blob SAS URIs as the VM snapshot extension receives them, taken apart and checked.

Azure Backup hands the extension one SAS URI per disk (`objectStr`'s `blobSASUri`) and two for its
own log and status blobs. Each must be a *service* SAS for one blob that the extension can use from
inside the VM: HTTPS, a storage account's blob endpoint, `sr=b`, a service version, permissions that
allow what the extension does with the blob, and a validity window that has not ended. Anything
else fails at the first backup, after a deployment that looked fine.

Facts (learn.microsoft.com/rest/api/storageservices/create-service-sas): `sv`, `sr`, `se` and `sp`
are required unless a stored access policy (`si`) supplies `se`/`sp`; `st` and `se` are ISO-8601
UTC (`YYYY-MM-DD`, `YYYY-MM-DDThh:mmZ`, `YYYY-MM-DDThh:mm:ssZ`, optionally with fractional
seconds); permissions must be written in one fixed order without repeats (the page gives
`racwdxltmeop`; its table adds `y`, `f` and `i`, which the storage clients place as
`racwdxyltfmeopi`: Azure PowerShell `OrderBlobPermission`, the Python SDK's `ContainerSasPermissions`);
`spr` is `https` or `https,http` (HTTP alone is refused).

Pure functions on strings: no evaluator, no model, nothing heavy imported. Messages never contain a
signature: URIs are shown through `templategen.redact.redact_text` (`sig=***`).
"""

from __future__ import annotations

import re

from templategen.redact import redact_text

TYPE_CHECKING = False
if TYPE_CHECKING:
    import datetime

#: Every blob SAS permission letter in the order the service requires.
PERMISSION_ORDER = "racwdxyltfmeopi"
PERMISSION_NAMES = {
    "r": "read",
    "a": "add",
    "c": "create",
    "w": "write",
    "d": "delete",
    "x": "delete version",
    "y": "permanent delete",
    "l": "list",
    "t": "tags",
    "f": "find",
    "m": "move",
    "e": "execute",
    "o": "ownership",
    "p": "permissions",
    "i": "immutability policy",
}

#: What the extension does with each kind of blob, and the letters that allow it (any of them).
USE_DISK = "disk"  # a VM disk in objectStr's blobSASUri: the extension snapshots it
USE_LOG = "log"  # logsBlobUri: the extension writes its log
USE_STATUS = "status"  # statusBlobUri: the extension writes the command status
_NEEDS = {
    USE_DISK: ("cw", "create (c) or write (w), to snapshot the disk blob"),
    USE_LOG: ("w", "write (w), to write its log"),
    USE_STATUS: ("w", "write (w), to write the command status"),
}

# `<account>[.zNN].blob.<cloud suffix>`: the public cloud (core.windows.net), the sovereign clouds
# (core.chinacloudapi.cn, core.usgovcloudapi.net, core.cloudapi.de), Azure DNS zone endpoints
# (`<account>.z<NN>.blob.storage.azure.net`) and Azure Stack Hub (`<account>.blob.<region>.<fqdn>`).
_BLOB_HOST = re.compile(
    r"(?P<account>[^.]+)(?:\.z[0-9]{1,3})?\.blob\.(?P<suffix>[a-z0-9-]+(?:\.[a-z0-9-]+)+)"
)
_OTHER_SERVICE = re.compile(r"[^.]+(?:\.z[0-9]{1,3})?\.(?P<service>file|queue|table|dfs|web)\.[a-z0-9.-]+")
_ACCOUNT = re.compile(r"[a-z0-9]{3,24}")
_LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "[::1]", "::1", "host.docker.internal"})
_VERSION = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_SAS_TIME = re.compile(
    r"(?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})"
    r"(?:T(?P<h>[0-9]{2}):(?P<mi>[0-9]{2})(?::(?P<s>[0-9]{2})(?:\.(?P<f>[0-9]{1,7}))?)?Z)?"
)


class SasProblem:
    """One thing wrong with a SAS URI. `param` names the query parameter at fault ("" for the URL)."""

    __slots__ = ("message", "param")

    def __init__(self, param: str, message: str) -> None:
        self.param = param
        self.message = message

    def __repr__(self) -> str:
        return f"SasProblem({self.param!r}, {self.message!r})"


class SasUri:
    """A URI split into what the checks need; `query` keeps every value of repeated parameters."""

    __slots__ = ("host", "path", "port", "query", "scheme", "text")

    def __init__(self, text: str) -> None:
        from urllib.parse import parse_qsl, urlsplit

        self.text = text
        parts = urlsplit(text.strip())
        self.scheme = parts.scheme.lower()
        self.host = (parts.hostname or "").lower()
        try:
            self.port = parts.port
        except ValueError:
            self.port = None
        self.path = parts.path
        self.query: dict[str, list[str]] = {}
        for key, value in parse_qsl(parts.query, keep_blank_values=True):
            self.query.setdefault(key.lower(), []).append(value)

    def first(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[0] if values else None

    @property
    def shown(self) -> str:
        """The URI as messages may show it: signature redacted, long values shortened."""
        text = redact_text(self.text)
        return text if len(text) <= 160 else text[:159] + "…"


def looks_like_sas(text: str) -> bool:
    """True when `text` carries a SAS signature (`sig=` with a value), raw or URL-encoded once."""
    from templategen.redact import contains_sas_signature

    return contains_sas_signature(text)


def parse_sas_time(text: str) -> datetime.datetime | None:
    """A SAS `st`/`se` value as an aware UTC datetime; None when it is not an accepted form."""
    import datetime

    match = _SAS_TIME.fullmatch(text)
    if match is None:
        return None
    try:
        day = datetime.date.fromisoformat(match["date"])
        if match["h"] is None:
            return datetime.datetime(day.year, day.month, day.day, tzinfo=datetime.timezone.utc)
        fraction = int((match["f"] or "").ljust(6, "0")[:6])
        return datetime.datetime(
            day.year,
            day.month,
            day.day,
            int(match["h"]),
            int(match["mi"]),
            int(match["s"] or 0),
            fraction,
            tzinfo=datetime.timezone.utc,
        )
    except ValueError:
        return None


def format_instant(moment: datetime.datetime) -> str:
    """`2017-11-09T17:38:29Z` (microseconds only when there are some)."""
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    if moment.microsecond:
        text += f".{moment.microsecond:06d}".rstrip("0")
    return text + "Z"


def expiry(uri: SasUri) -> datetime.datetime | None:
    """The instant the SAS ends (`se`), when it is there and readable."""
    value = uri.first("se")
    return parse_sas_time(value) if value is not None else None


def check_sas_uri(text: str, use: str) -> list[SasProblem]:
    """Everything wrong with `text` as a blob SAS URI the extension uses for `use` (USE_DISK, ...).

    Expiry against the current time is not checked here (TG508 does that with `--now`); the order
    of `st` and `se` is.
    """
    uri = SasUri(text)
    if not uri.scheme or not uri.host:
        return [
            SasProblem(
                "",
                "is not a URL; expected https://<account>.blob.core.windows.net/<container>/<blob>?<SAS>",
            )
        ]
    problems: list[SasProblem] = []
    if uri.host in _LOCAL_HOSTS or uri.host.startswith("127."):
        problems.append(
            SasProblem(
                "",
                "points at a local storage emulator: the extension runs inside the Azure VM, where "
                f"{uri.host} is the VM itself; use the blob endpoint of a storage account "
                "(https://<account>.blob.core.windows.net/...)",
            )
        )
    else:
        if uri.scheme != "https":
            what = f"an {uri.scheme}: URL"
            problems.append(
                SasProblem("", f"is {what}: a SAS is a bearer credential and must only travel over HTTPS")
            )
        problems += _check_host(uri)
    problems += _check_path(uri)
    problems += _check_query(uri, use)
    return problems


def _check_host(uri: SasUri) -> list[SasProblem]:
    blob = _BLOB_HOST.fullmatch(uri.host)
    if blob is None:
        other = _OTHER_SERVICE.fullmatch(uri.host)
        if other is not None:
            return [
                SasProblem(
                    "",
                    f"names the {other['service']} service ({uri.host}), not the blob service: "
                    "expected <account>.blob.core.windows.net (or a sovereign cloud's blob suffix)",
                )
            ]
        return [
            SasProblem(
                "",
                f"host {uri.host} is not a storage account blob endpoint: expected "
                "<account>.blob.core.windows.net (or .blob.core.chinacloudapi.cn, "
                ".blob.core.usgovcloudapi.net, <account>.z<NN>.blob.storage.azure.net)",
            )
        ]
    if _ACCOUNT.fullmatch(blob["account"]) is None:
        return [
            SasProblem(
                "",
                f"'{blob['account']}' is not a storage account name: 3-24 lower-case letters and digits",
            )
        ]
    return []


def _check_path(uri: SasUri) -> list[SasProblem]:
    segments = [segment for segment in uri.path.split("/") if segment]
    if uri.host in _LOCAL_HOSTS or uri.host.startswith("127."):
        segments = segments[1:]  # path-style: /<account>/<container>/<blob>
    if len(segments) < 2:
        return [SasProblem("", "names no blob: the path must be /<container>/<blob>")]
    return []


def _check_query(uri: SasUri, use: str) -> list[SasProblem]:
    problems: list[SasProblem] = []
    for name in ("sv", "sr", "sp", "st", "se", "spr", "sig"):
        values = uri.query.get(name, [])
        if len(values) > 1:
            problems.append(SasProblem(name, f"`{name}` is given {len(values)} times; give it once"))
    policy = uri.first("si")
    if not uri.first("sig"):
        problems.append(SasProblem("sig", "has no signature (`sig`): it is not a SAS and cannot authorize"))
    version = uri.first("sv")
    if version is None:
        problems.append(SasProblem("sv", "has no `sv` (signed version): the service cannot check the SAS"))
    elif _VERSION.fullmatch(version) is None:
        problems.append(SasProblem("sv", f"`sv={version}` is not a storage service version (YYYY-MM-DD)"))
    resource = uri.first("sr")
    if resource is None:
        problems.append(SasProblem("sr", "has no `sr` (signed resource): expected sr=b, one blob"))
    elif resource != "b":
        scope = {"c": "a whole container", "d": "a directory", "bs": "a snapshot", "bv": "a version"}
        granted = scope.get(resource, f"'{resource}'")
        problems.append(
            SasProblem(
                "sr", f"`sr={resource}` grants {granted}; the extension needs a SAS for one blob (sr=b)"
            )
        )
    problems += _check_permissions(uri.first("sp"), policy is not None, use)
    problems += _check_times(uri, policy is not None)
    protocol = uri.first("spr")
    if protocol is not None and protocol.replace(" ", "").lower() not in (
        "https",
        "https,http",
        "http,https",
    ):
        problems.append(
            SasProblem(
                "spr",
                f"`spr={protocol}`: the allowed protocols must be `https` (recommended) or "
                "`https,http`; HTTP alone is refused",
            )
        )
    return problems


def _check_permissions(permissions: str | None, has_policy: bool, use: str) -> list[SasProblem]:
    if permissions is None:
        if has_policy:
            return []
        return [
            SasProblem("sp", "has no `sp` (permissions) and no stored access policy (`si`) to supply them")
        ]
    problems: list[SasProblem] = []
    unknown = sorted({letter for letter in permissions if letter not in PERMISSION_ORDER})
    if unknown:
        problems.append(
            SasProblem(
                "sp",
                f"`sp={permissions}` has letters that are no blob permission: {', '.join(unknown)} "
                f"(valid: {PERMISSION_ORDER})",
            )
        )
    repeated = sorted({letter for letter in permissions if permissions.count(letter) > 1})
    if repeated:
        problems.append(
            SasProblem(
                "sp", f"`sp={permissions}` repeats {', '.join(repeated)}: each permission may appear once"
            )
        )
    known = [letter for letter in permissions if letter in PERMISSION_ORDER]
    ordered = "".join(sorted(dict.fromkeys(known), key=PERMISSION_ORDER.index))
    if not unknown and not repeated and "".join(known) != ordered:
        problems.append(
            SasProblem(
                "sp",
                f"`sp={permissions}` is out of order: the service requires the order {PERMISSION_ORDER}, "
                f"so write sp={ordered}",
            )
        )
    letters, purpose = _NEEDS[use]
    if not any(letter in permissions for letter in letters):
        granted = ", ".join(PERMISSION_NAMES[letter] for letter in ordered) or "nothing"
        problems.append(
            SasProblem("sp", f"`sp={permissions}` grants {granted}; the extension needs {purpose}")
        )
    return problems


def _check_times(uri: SasUri, has_policy: bool) -> list[SasProblem]:
    problems: list[SasProblem] = []
    start_text, end_text = uri.first("st"), uri.first("se")
    start = parse_sas_time(start_text) if start_text is not None else None
    end = parse_sas_time(end_text) if end_text is not None else None
    formats = "YYYY-MM-DD, YYYY-MM-DDThh:mmZ or YYYY-MM-DDThh:mm:ssZ (UTC)"
    if start_text is not None and start is None:
        problems.append(
            SasProblem("st", f"`st={start_text}` is not an accepted ISO-8601 UTC time: {formats}")
        )
    if end_text is None:
        if not has_policy:
            problems.append(
                SasProblem("se", "has no `se` (expiry) and no stored access policy (`si`) to supply it")
            )
    elif end is None:
        problems.append(SasProblem("se", f"`se={end_text}` is not an accepted ISO-8601 UTC time: {formats}"))
    if start is not None and end is not None and end <= start:
        problems.append(
            SasProblem(
                "se",
                f"expires ({format_instant(end)}) before it starts ({format_instant(start)}): "
                "the SAS is never valid",
            )
        )
    return problems
