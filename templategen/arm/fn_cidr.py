"""CIDR functions of ARM templates, offline: `parseCidr`, `cidrSubnet`, `cidrHost`
(template-functions-cidr).

From the reference's examples: IPv4 ranges report a broadcast address and usable hosts between
network and broadcast; IPv6 ranges have no broadcast and their first usable address is the network
address itself, yet `cidrHost(range, 0)` is network + 1 in both families. A /31 or /32 (and /127,
/128) has no documented usable hosts: unknown rather than guessed.
"""

from __future__ import annotations

from templategen.arm.builtin import STRICT, need_count, need_int, need_str, registry
from templategen.arm.values import OBJECT, STRING, ArmError, Undecidable

TYPE_CHECKING = False  # typing costs milliseconds at start-up; mypy still reads the block below
if TYPE_CHECKING:
    import ipaddress

FUNCTIONS, register = registry()


def _network(name: str, value: object) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    import ipaddress

    text = need_str(name, value, 1)
    if "/" not in text:
        raise ArmError(f"{name}() expects a range in CIDR notation (address/prefix)")
    try:
        return ipaddress.ip_network(text.strip(), strict=False)
    except ValueError:
        raise ArmError(f"{name}() got a range that is not valid CIDR notation") from None


def _tiny(network: ipaddress.IPv4Network | ipaddress.IPv6Network) -> bool:
    return network.max_prefixlen - network.prefixlen < 2


@register("parseCidr", STRICT, type=OBJECT)
def parse_cidr(args: list[object]) -> object:
    need_count("parseCidr", args, 1, 1)
    network = _network("parseCidr", args[0])
    if _tiny(network):
        raise Undecidable("usable hosts of a /31 or /32 range are not documented")
    first = network.network_address
    last = network.broadcast_address
    if network.version == 4:
        return {
            "network": str(first),
            "netmask": str(network.netmask),
            "broadcast": str(last),
            "firstUsable": str(first + 1),
            "lastUsable": str(last - 1),
            "cidr": network.prefixlen,
        }
    return {
        "network": str(first),
        "netmask": str(network.netmask),
        "firstUsable": str(first),
        "lastUsable": str(last),
        "cidr": network.prefixlen,
    }


@register("cidrSubnet", STRICT, type=STRING)
def cidr_subnet(args: list[object]) -> object:
    need_count("cidrSubnet", args, 3, 3)
    network = _network("cidrSubnet", args[0])
    new_prefix = need_int("cidrSubnet", args[1], 2)
    index = need_int("cidrSubnet", args[2], 3)
    if not network.prefixlen <= new_prefix <= network.max_prefixlen:
        raise ArmError(
            f"cidrSubnet() new prefix /{new_prefix} must be between "
            f"/{network.prefixlen} and /{network.max_prefixlen}"
        )
    count = 1 << (new_prefix - network.prefixlen)
    if not 0 <= index < count:
        raise ArmError(
            f"cidrSubnet() index {index} is out of range: the range has {count} subnets of /{new_prefix}"
        )
    size = 1 << (network.max_prefixlen - new_prefix)
    address = network.network_address + index * size
    return f"{address}/{new_prefix}"


@register("cidrHost", STRICT, type=STRING)
def cidr_host(args: list[object]) -> object:
    need_count("cidrHost", args, 2, 2)
    network = _network("cidrHost", args[0])
    index = need_int("cidrHost", args[1], 2)
    if _tiny(network):
        raise Undecidable("usable hosts of a /31 or /32 range are not documented")
    usable = network.num_addresses - (2 if network.version == 4 else 1)
    if not 0 <= index < usable:
        raise ArmError(f"cidrHost() index {index} is out of range: the range has {usable} usable addresses")
    return str(network.network_address + 1 + index)
