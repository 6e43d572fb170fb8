"""Build the Resource Manager client: credential, endpoint, token scope, retries, TLS, logging.

Every `azure.*` import is inside a function: importing the client costs about 0.3 s and the
credential about 0.4 s, which only `templategen deploy` may pay.

Choices that matter:
* `DefaultAzureCredential` with no `exclude_*` arguments, so `AZURE_TOKEN_CREDENTIALS` narrows the
  chain exactly as azure-identity documents (explicit arguments would override it).
* The sign-in host follows `--cloud` unless `AZURE_AUTHORITY_HOST` names another one; instance
  discovery (a call to login.microsoftonline.com that only knows Microsoft's hosts) is turned off
  only for such an explicitly named host, as azure-identity advises for Azure Stack and private clouds.
* The token scope follows `--cloud` even when `--endpoint` replaces the Resource Manager URL.
* TLS verification is never turned off and no CA bundle is pinned: requests' own trust settings
  (`REQUESTS_CA_BUNDLE`, the proxy variables and `NO_PROXY`) apply.
* Retries are azure-core's (429 with Retry-After, 408, 5xx, dropped connections) with bounds of our
  own: a server's Retry-After is honoured up to `MAX_RETRY_AFTER` seconds, no longer.
"""

from __future__ import annotations

import contextlib
import logging
import sys
from typing import Any

from templategen import __version__
from templategen.deploy.clouds import authority_host, is_well_known_authority

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator

    from templategen.deploy.clouds import Cloud
    from templategen.deploy.masking import Masker

#: Default number of retries of one request (429, 5xx, dropped connections).
DEFAULT_RETRIES = 4
#: Default backoff factor in seconds: waits grow as factor * 2**n (azure-core's formula).
DEFAULT_RETRY_BACKOFF = 0.8
#: No single wait between retries is longer than this, whatever the server's Retry-After says.
MAX_RETRY_AFTER = 60.0
#: Default seconds between status polls of a running operation when Azure does not say (Retry-After).
DEFAULT_POLL_INTERVAL = 5.0
#: Seconds to wait for a TCP/TLS connection before counting the attempt as failed.
CONNECTION_TIMEOUT = 30


class Settings:
    """How to reach Resource Manager: subscription, cloud, endpoint override, retry and poll pacing."""

    __slots__ = (
        "cloud",
        "endpoint",
        "poll_interval",
        "retries",
        "retry_backoff",
        "subscription",
        "verbosity",
    )

    def __init__(
        self,
        subscription: str,
        cloud: Cloud,
        endpoint: str | None = None,
        retries: int = DEFAULT_RETRIES,
        retry_backoff: float = DEFAULT_RETRY_BACKOFF,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        verbosity: int = 0,
    ) -> None:
        self.subscription = subscription
        self.cloud = cloud
        self.endpoint = endpoint
        self.retries = retries
        self.retry_backoff = retry_backoff
        self.poll_interval = poll_interval
        self.verbosity = verbosity

    @property
    def base_url(self) -> str:
        return (self.endpoint or self.cloud.resource_manager).rstrip("/") + "/"


def make_credential(cloud: Cloud) -> Any:
    """`DefaultAzureCredential` for `cloud` (ValueError for a bad AZURE_TOKEN_CREDENTIALS)."""
    from azure.identity import DefaultAzureCredential

    host, explicit = authority_host(cloud)
    kwargs: dict[str, object] = {}
    if explicit:
        # azure-identity reads AZURE_AUTHORITY_HOST itself; we only add what it cannot infer.
        if not is_well_known_authority(host):
            kwargs["disable_instance_discovery"] = True
    else:
        kwargs["authority"] = host
    return DefaultAzureCredential(**kwargs)


def _retry_policy(settings: Settings) -> Any:
    """azure-core's RetryPolicy with our bounds; Retry-After capped at MAX_RETRY_AFTER."""
    from azure.core.pipeline.policies import RetryPolicy

    class BoundedRetryPolicy(RetryPolicy[Any, Any]):
        """Honours Retry-After, but never waits longer than MAX_RETRY_AFTER for one retry."""

        def get_retry_after(self, response: Any) -> float | None:
            value = super().get_retry_after(response)
            return None if value is None else min(float(value), MAX_RETRY_AFTER)

    retries = max(0, settings.retries)
    return BoundedRetryPolicy(
        retry_total=retries,
        retry_connect=retries,
        retry_read=retries,
        retry_status=retries,
        retry_backoff_factor=max(0.0, settings.retry_backoff),
        retry_backoff_max=MAX_RETRY_AFTER,
    )


def make_client(settings: Settings, credential: Any) -> Any:
    """A `DeploymentsMgmtClient` for `settings`, sharing `credential` (tokens are cached in it)."""
    from azure.mgmt.resource.deployments import DeploymentsMgmtClient

    return DeploymentsMgmtClient(
        credential,
        settings.subscription,
        base_url=settings.base_url,
        credential_scopes=[settings.cloud.scope],
        retry_policy=_retry_policy(settings),
        polling_interval=max(0.0, settings.poll_interval),
        connection_timeout=CONNECTION_TIMEOUT,
        user_agent=f"templategen/{__version__}",
        logging_enable=settings.verbosity >= 2,
    )


# --- logging -----------------------------------------------------------------------------------


class MaskingFormatter(logging.Formatter):
    """Formats a record, then masks secrets: the SDK's request logs show URLs, headers and bodies."""

    def __init__(self, masker: Masker) -> None:
        super().__init__("%(name)s: %(message)s")
        self._masker = masker

    def format(self, record: logging.LogRecord) -> str:
        # Tracebacks are dropped: we promise none, even in -v output; the message carries the cause.
        record = logging.makeLogRecord(
            {**record.__dict__, "exc_info": None, "exc_text": None, "stack_info": None}
        )
        return self._masker.text(super().format(record))


def silence_azure_loggers() -> None:
    """Give the `azure` loggers a NullHandler so nothing reaches Python's last-resort stderr handler.

    Without it, DefaultAzureCredential prints its failure a second time and the SDK prints
    deserialisation warnings with tracebacks (SDK.md §5, §8).
    """
    azure = logging.getLogger("azure")
    if not any(isinstance(h, logging.NullHandler) for h in azure.handlers):
        azure.addHandler(logging.NullHandler())


@contextlib.contextmanager
def azure_logging(verbosity: int, masker: Masker) -> Iterator[None]:
    """Show the SDK's logs on stderr for `-v` (requests and responses) and `-vv` (plus bodies), masked.

    The handler is removed afterwards, so running the CLI several times in one process (tests) does
    not stack handlers.
    """
    silence_azure_loggers()
    if verbosity <= 0:
        yield
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(MaskingFormatter(masker))
    names = ["azure.core.pipeline.policies.http_logging_policy", "azure.identity"]
    if verbosity >= 2:
        names = ["azure"]
    loggers = [logging.getLogger(n) for n in names]
    saved = [(lg, lg.level) for lg in loggers]
    for lg in loggers:
        lg.addHandler(handler)
        lg.setLevel(logging.DEBUG if verbosity >= 2 else logging.INFO)
    try:
        yield
    finally:
        for lg, level in saved:
            lg.removeHandler(handler)
            lg.setLevel(level)
