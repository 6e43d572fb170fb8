"""The Azure clouds `--cloud` accepts: Resource Manager endpoint, token audience, sign-in host, portal.

Kept as plain data rather than `azure.core.AzureClouds` so that `--help` and option parsing need no
azure import, and so that the token scope is chosen next to the endpoint: a token for the public
cloud is useless against `management.chinacloudapi.cn`, and the SDK only picks the scope from its
own cloud setting, not from `base_url`.
"""

from __future__ import annotations

import os


class Cloud:
    """One sovereign cloud, named as `az cloud list` names it."""

    __slots__ = ("authority_host", "name", "portal", "resource_manager", "scope")

    def __init__(
        self, name: str, resource_manager: str, scope: str, authority_host: str, portal: str
    ) -> None:
        self.name = name
        self.resource_manager = resource_manager
        self.scope = scope
        self.authority_host = authority_host
        self.portal = portal


CLOUDS = {
    "AzureCloud": Cloud(
        "AzureCloud",
        "https://management.azure.com/",
        "https://management.azure.com/.default",
        "https://login.microsoftonline.com",
        "https://portal.azure.com",
    ),
    "AzureChinaCloud": Cloud(
        "AzureChinaCloud",
        "https://management.chinacloudapi.cn/",
        "https://management.chinacloudapi.cn/.default",
        "https://login.chinacloudapi.cn",
        "https://portal.azure.cn",
    ),
    "AzureUSGovernment": Cloud(
        "AzureUSGovernment",
        "https://management.usgovcloudapi.net/",
        "https://management.core.usgovcloudapi.net/.default",
        "https://login.microsoftonline.us",
        "https://portal.azure.us",
    ),
}

#: Sign-in hosts that Microsoft's instance discovery knows; any other host was named by the user.
WELL_KNOWN_AUTHORITY_HOSTS = frozenset(
    (
        "login.microsoftonline.com",
        "login.windows.net",
        "login.microsoft.com",
        "sts.windows.net",
        "login.chinacloudapi.cn",
        "login.microsoftonline.de",
        "login.microsoftonline.us",
        "login.usgovcloudapi.net",
    )
)


def get_cloud(name: str) -> Cloud:
    """The cloud called `name` (any case); ValueError listing the known names otherwise."""
    for key, cloud in CLOUDS.items():
        if key.lower() == name.lower():
            return cloud
    raise ValueError(f"unknown cloud {name!r} (expected one of: {', '.join(CLOUDS)})")


def authority_host(cloud: Cloud) -> tuple[str, bool]:
    """The sign-in host to use and whether the user named it explicitly.

    `AZURE_AUTHORITY_HOST` is azure-identity's documented way to point credentials at another
    sign-in host (Azure Stack Hub, a private cloud); when it is set it wins over `--cloud`.
    """
    configured = os.environ.get("AZURE_AUTHORITY_HOST", "").strip()
    if configured:
        if "://" not in configured:
            configured = "https://" + configured
        return configured.rstrip("/"), True
    return cloud.authority_host, False


def is_well_known_authority(host_url: str) -> bool:
    """True when Microsoft's instance discovery knows the sign-in host of `host_url`."""
    host = host_url.split("://", 1)[-1].split("/", 1)[0].lower()
    return host in WELL_KNOWN_AUTHORITY_HOSTS
