"""Family 6, Recovery Services backup: protected items, the resources that switch on VM backup (TG620–TG626).

A protected item is named by a path of four segments that the backup service parses:
`<vault>/Azure/iaasvmcontainer;iaasvmcontainerv2;<rg>;<vm>/vm;iaasvmcontainerv2;<rg>;<vm>`. Resource
Manager accepts any name; a wrong one fails deep inside the backup service, or protects nothing. These
rules check the evaluated name, `sourceResourceId`, `policyId`, the item kind and the dependencies,
also inside copy loops whose count is unknown: the copies are then one symbolic instance whose pieces
are named unknowns (`parameters('vms')[copyIndex()]`), and two uses of the same piece are the same
value (`same()`), so "the same VM in both segments" is provable without knowing the VM.

Splitting a name whose pieces are unknown assumes that a resource group, VM, vault or container name
never contains `/` or `;` (`split_text(..., assume=True)`): Azure forbids both characters in those
names. A count of segments is only reported when it is proven without that assumption.
"""

from __future__ import annotations

from templategen import backup_limits as limits
from templategen.arm.values import OpaqueValue, Unknown, describe, known_text, label_of, same, split_text
from templategen.diagnostics import ERROR, WARNING, Diagnostic
from templategen.rules import backup_examples as examples
from templategen.rules import rsv
from templategen.rules.base import Rule
from templategen.rules.extlinks import machines_backed_up
from templategen.rules.rsv import MISSING, is_text, member, text_of, where

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from typing import ClassVar

    from templategen.arm.instances import ResourceInstance
    from templategen.arm.resource import Resource
    from templategen.lint.context import LintContext

#: Substrings a file must contain for these rules to run on it (templategen.rules.registry): every
#: rule reads the protected items, and a resource type is never an expression, so the last segment
#: of theirs (`.../protectedItems`) is written in the file.
TRIGGERS: tuple[str, ...] = ("protecteditems",)

SOURCE_QUICKSTART = (
    "https://github.com/Azure/azure-quickstart-templates/tree/master/quickstarts/microsoft.recoveryservices/"
    "recovery-services-backup-vms"
)
SOURCE_CLI = (
    "https://github.com/Azure/azure-cli/blob/dev/src/azure-cli/azure/cli/command_modules/backup/custom.py"
)

#: protectedItemType (lower case) → the backupManagementType of the policies that can protect it.
#: Workload items (`AzureVmWorkload...`) are matched by prefix.
ITEM_MANAGEMENT = {
    "microsoft.compute/virtualmachines": "AzureIaasVM",
    "microsoft.classiccompute/virtualmachines": "AzureIaasVM",
    "azureiaasvmprotecteditem": "AzureIaasVM",
    "azurefileshareprotecteditem": "AzureStorage",
    "microsoft.sql/servers/databases": "AzureSql",
    "mabfilefolderprotecteditem": "MAB",
    "dpmprotecteditem": "DPM",
}
_WORKLOAD_PREFIX = "azurevmworkload"
_MANAGEMENT_LABEL = {
    "azureiaasvm": "Azure VMs",
    "azurestorage": "Azure Files",
    "azureworkload": "SQL Server / SAP HANA in Azure VMs",
    "azuresql": "Azure SQL",
    "mab": "the MARS agent",
    "dpm": "DPM",
}


def expected_management(item_type: str) -> str | None:
    low = item_type.lower()
    if low.startswith(_WORKLOAD_PREFIX):
        return "AzureWorkload"
    return ITEM_MANAGEMENT.get(low)


class ItemView:
    """One deployable copy of a protected item, evaluated and taken apart.

    segments    the name's `/` segments (vault, fabric, container, item) assuming unknown pieces hold
                no `/`; `segments_exact` when that count is proven without the assumption
    container / item   the container's and item's `;` parts, likewise (`*_exact`)
    subtype     "iaasvmcontainerv2" (Resource Manager VM), "iaasvmcontainer" (classic VM), or None
    is_vm       the item backs up an Azure VM: its protectedItemType says so, or (type unknown) its
                container starts with `iaasvmcontainer`
    """

    __slots__ = (
        "container",
        "container_exact",
        "instance",
        "is_vm",
        "item",
        "item_exact",
        "item_type",
        "label",
        "properties",
        "resource",
        "segments",
        "segments_exact",
        "subtype",
    )

    def __init__(self, instance: ResourceInstance) -> None:
        self.instance = instance
        self.resource = instance.resource
        self.properties = instance.get("properties")
        self.item_type = text_of(member(self.properties, "protectedItemType"))
        name = instance.name
        self.segments = split_text(name, "/", assume=True)
        self.segments_exact = split_text(name, "/") is not None
        # Messages name the item by vault and item segment: the full name is long, and cut short it
        # would lose the VM, which is what tells one copy from another.
        if self.segments is not None and len(self.segments) == 4:
            self.label = f"{describe(self.segments[0], 50)}/…/{describe(self.segments[3], 160)}"
        else:
            self.label = describe(name, 200)
        self.container: list[object] | None = None
        self.item: list[object] | None = None
        self.container_exact = self.item_exact = False
        if self.segments is not None and len(self.segments) == 4:
            container, item = self.segments[2], self.segments[3]
            self.container = split_text(container, ";", assume=True)  # type: ignore[assignment]
            self.container_exact = split_text(container, ";") is not None
            self.item = split_text(item, ";", assume=True)  # type: ignore[assignment]
            self.item_exact = split_text(item, ";") is not None
        kinds = {value[1] for value in limits.VM_CONTAINER_KINDS.values()}
        if self.item_type is not None:
            self.is_vm = self.item_type.lower() in limits.VM_CONTAINER_KINDS
        else:
            first = self.part(self.container, 0)
            self.is_vm = first is not None and is_text(first, limits.VM_CONTAINER_KINDS[rsv.VM][0])
        # The container type says which kind of VM the name is for. protectedItemType does not:
        # the classic-VM quickstart deploys Resource Manager VMs with the classic item type.
        self.subtype: str | None = None
        for parts in (self.container, self.item):
            second = text_of(self.part(parts, 1))
            if self.is_vm and second is not None and second.lower() in kinds:
                self.subtype = second.lower()
                break

    def copy_texts(self) -> list[str]:
        """The texts that differ from one copy to the next in messages: the name and its segments,
        longest first."""
        texts = [self.label]
        if self.segments is not None:
            texts += [describe(segment, 50) for segment in self.segments]
            texts += [describe(segment, 160) for segment in self.segments]
            texts += [describe(segment) for segment in self.segments]
        return sorted({text for text in texts if len(text) > 2}, key=len, reverse=True)

    @staticmethod
    def part(parts: list[object] | None, index: int) -> object | None:
        """The `index`-th part of a 4-part container or item, else None."""
        if parts is None or len(parts) != 4:
            return None
        return parts[index]

    @property
    def vault(self) -> object | None:
        return self.segments[0] if self.segments is not None and len(self.segments) == 4 else None

    def vm_name(self) -> object | None:
        return self.part(self.container, 3) if self.container is not None else None

    def at(self, *path: str | int) -> str:
        return where(self.resource, "properties", *path)

    @property
    def name_pointer(self) -> str:
        return rsv.name_pointer(self.resource)


class _Memo:
    """The item views of the file being linted, shared by the item rules (a copy loop of 800 items
    is taken apart once, not once per rule). Rules run one file at a time in a process, so the memo
    holds the last file's context and is rebuilt when another one comes."""

    __slots__ = ("ctx", "views")

    def __init__(self) -> None:
        self.ctx: LintContext | None = None
        self.views: list[ItemView] = []


_memo = _Memo()


def item_views(ctx: LintContext) -> list[ItemView]:
    """Every deployable copy of every protected item of the file, taken apart."""
    if _memo.ctx is not ctx:
        views = [
            ItemView(instance)
            for resource in rsv.resources(ctx.template, rsv.ITEM)
            for instance in rsv.instances(ctx, resource)
        ]
        _memo.ctx, _memo.views = ctx, views
    return _memo.views


class _ItemRule(Rule):
    tags: ClassVar[tuple[str, ...]] = ("recovery-services", "protected-item")

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        views = item_views(ctx)
        if views:
            yield from collapse_copies(self.check_items(ctx, views))

    def check_items(self, ctx: LintContext, views: list[ItemView]) -> Iterator[tuple[list[str], Diagnostic]]:
        """(texts that vary per copy, finding) for every finding; override to share work between items."""
        for view in views:
            for finding in self.check_item(ctx, view):
                yield view.copy_texts(), finding

    def check_item(self, ctx: LintContext, item: ItemView) -> Iterator[Diagnostic]:
        raise NotImplementedError


def collapse_copies(findings: Iterable[tuple[list[str], Diagnostic]]) -> list[Diagnostic]:
    """One finding per problem, not per copy: when the copies of a loop share a defect (a misspelt
    fabric in the name format), their messages differ only by the copy's own name and name segments
    (`copy_texts`). Those are reported once, for the first copy, with the number of copies that share
    it. Messages that differ otherwise (each copy names another VM) stay separate findings."""
    groups: dict[tuple[str, str], list[Diagnostic]] = {}
    for texts, finding in findings:
        message = finding.message
        for text in texts:
            message = message.replace(text, "\0")
        key = (finding.location.pointer or "", message)
        groups.setdefault(key, []).append(finding)
    out = []
    for found in groups.values():
        first = found[0]
        if len(found) > 1:
            more = f"{len(found) - 1} more {'copy' if len(found) == 2 else 'copies'}"
            first = Diagnostic(
                first.rule_id,
                first.rule_name,
                first.severity,
                f"{first.message} (and {more} of this resource)",
                first.location,
            )
        out.append(first)
    return out


class ProtectedItemNameInvalid(_ItemRule):
    id = "TG620"
    name = "protected-item-name-invalid"
    severity = ERROR
    summary = (
        "A VM protected item's name is not "
        "`<vault>/Azure/iaasvmcontainer;iaasvmcontainerv2;<rg>;<vm>/vm;iaasvmcontainerv2;<rg>;<vm>`"
    )
    why = (
        "The backup service finds the VM from the protected item's name, which has four segments: "
        "the vault, the fabric `Azure`, the container `iaasvmcontainer;iaasvmcontainerv2;<resource "
        "group>;<VM>` and the item `vm;iaasvmcontainerv2;<resource group>;<VM>` (classic VMs: "
        "`iaasvmcontainer;iaasvmcontainer;<cloud service>;<VM>` and `vm;iaasvmcontainer;...`), with "
        "the same resource group and VM in both. This is the name the Azure quickstart "
        "`recovery-services-backup-vms` builds and the one the Azure CLI reads back from the service. "
        "Prefixes are compared ignoring case: Microsoft's own REST how-to for VM backup writes "
        "`IaasVMContainer;iaasvmcontainerv2;...` where the quickstart writes `iaasvmcontainer;...`. The "
        "name is evaluated, also inside copy loops: with an unknown VM list the copy is checked "
        "symbolically, so `parameters('vms')[copyIndex()]` in both segments is provably the same VM "
        "and a misspelt prefix is found even though no VM name is known; two pieces that merely "
        "cannot be told apart (two different parameters) are not reported. Items of other workloads "
        "(Azure Files, SQL) are not checked by this rule."
    )
    bad = examples.bad("TG620")
    good = examples.good("TG620")
    source_url = SOURCE_QUICKSTART

    def check_item(self, ctx: LintContext, item: ItemView) -> Iterator[Diagnostic]:
        if not item.is_vm or item.segments is None:
            return
        pointer = item.name_pointer
        label = item.label
        subtype = item.subtype or "iaasvmcontainerv2"
        expected = (
            f"<vault>/Azure/iaasvmcontainer;{subtype};<resource group>;<VM>/"
            f"vm;{subtype};<resource group>;<VM>"
        )
        if len(item.segments) != 4:
            if item.segments_exact:
                yield ctx.report(
                    self,
                    pointer,
                    f"protected item '{label}' has {len(item.segments)} name segment(s); a VM's item is "
                    f"named {expected}",
                )
            return
        fabric = text_of(item.segments[1])
        if fabric is not None and fabric.lower() != limits.FABRIC.lower():
            yield ctx.report(
                self,
                pointer,
                f"protected item '{label}': fabric '{describe(fabric)}' should be '{limits.FABRIC}' "
                f"(name {expected})",
            )
        yield from self._parts(ctx, item, item.container, item.container_exact, "container", expected)
        yield from self._parts(ctx, item, item.item, item.item_exact, "item", expected)
        container, parts = item.container, item.item
        if container is None or parts is None or len(container) != 4 or len(parts) != 4:
            return
        kinds = {value[1] for value in limits.VM_CONTAINER_KINDS.values()}
        for index, what in ((1, "container type"), (2, "resource group"), (3, "VM")):
            if index == 2 and item.subtype == "iaasvmcontainer":
                what = "cloud service"
            if index == 1 and not all((text_of(p[1]) or "").lower() in kinds for p in (container, parts)):
                continue  # a misspelt type is reported on its own above
            if same(container[index], parts[index], ignore_case=True) is False:
                yield ctx.report(
                    self,
                    pointer,
                    f"protected item '{label}' names {what} '{describe(container[index])}' in its "
                    f"container but '{describe(parts[index])}' in its item segment; both segments name "
                    "the same VM",
                )

    def _parts(
        self,
        ctx: LintContext,
        item: ItemView,
        parts: list[object] | None,
        exact: bool,
        what: str,
        expected: str,
    ) -> Iterator[Diagnostic]:
        if parts is None:
            return
        segment = item.segments[2 if what == "container" else 3] if item.segments else None
        shown = describe(segment)
        if len(parts) != 4:
            if exact:
                yield ctx.report(
                    self,
                    item.name_pointer,
                    f"protected item '{item.label}': {what} '{shown}' has {len(parts)} part(s) separated "
                    f"by ';'; expected 4 (name {expected})",
                )
            return
        first = limits.VM_CONTAINER_KINDS[rsv.VM][0] if what == "container" else limits.VM_ITEM_PREFIX
        prefix = text_of(parts[0])
        if prefix is not None and prefix.lower() != first:
            yield ctx.report(
                self,
                item.name_pointer,
                f"protected item '{item.label}': {what} '{shown}' starts with '{describe(prefix)}'; "
                f"expected '{first}' (name {expected})",
            )
        kind = text_of(parts[1])
        kinds = sorted({value[1] for value in limits.VM_CONTAINER_KINDS.values()}, reverse=True)
        if kind is not None and kind.lower() not in kinds:
            yield ctx.report(
                self,
                item.name_pointer,
                f"protected item '{item.label}': {what} '{shown}' has type '{describe(kind)}'; a VM's "
                f"{what} type is '{kinds[0]}' (Resource Manager VMs) or '{kinds[1]}' (classic VMs)",
            )


class _ResourceId:
    """An evaluated resource id taken apart: the resource group and the provider part, when known."""

    __slots__ = ("group", "names", "type")

    def __init__(self, group: object | None, full_type: str | None, names: list[object]) -> None:
        self.group = group
        self.type = full_type
        self.names = names


def parse_resource_id(value: object) -> _ResourceId | None:
    """Split `/subscriptions/<s>/resourceGroups/<rg>/providers/<ns>/<type>/<name>[/<type>/<name>]`.

    None when the value cannot be taken apart without guessing (unknown, or no known `providers`).
    """
    segments = split_text(value, "/", assume=True)
    if segments is None:
        return None
    providers = [i for i, segment in enumerate(segments) if is_text(segment, "providers")]
    if not providers:
        return None
    start = providers[-1]
    rest = segments[start + 1 :]
    group = None
    for index in range(start - 1):
        if is_text(segments[index], "resourceGroups"):
            group = segments[index + 1]
    if len(rest) < 3 or len(rest) % 2 == 0:
        return _ResourceId(group, None, [])
    namespace = text_of(rest[0])
    types = [text_of(t) for t in rest[1::2]]
    full_type = None
    if namespace is not None and all(t is not None for t in types):
        full_type = "/".join([namespace, *(t for t in types if t is not None)])
    return _ResourceId(group, full_type, list(rest[2::2]))


class ProtectedItemSourceMismatch(_ItemRule):
    id = "TG621"
    name = "protected-item-source-mismatch"
    severity = ERROR
    summary = "A VM protected item's name and its `sourceResourceId` name different VMs or resource groups"
    why = (
        "A protected item carries the VM twice: in its name (`...;<resource group>;<VM>`) and as "
        "`sourceResourceId`. The service looks the VM up by the name and records the id; when they "
        "disagree the deployment fails with a protectable-item error, or the wrong VM is protected. "
        "Both are evaluated and compared ignoring case (Azure resource names are case-insensitive): "
        "the VM always, the resource group for Resource Manager VMs (classic VMs name a cloud "
        "service there). `sourceResourceId` must be the id of a virtual machine of the kind "
        "`protectedItemType` names."
    )
    bad = examples.bad("TG621")
    good = examples.good("TG621")
    source_url = SOURCE_QUICKSTART

    def check_item(self, ctx: LintContext, item: ItemView) -> Iterator[Diagnostic]:
        if not item.is_vm:
            return
        source = member(item.properties, "sourceResourceId")
        if source is MISSING or source is None:
            return
        parsed = parse_resource_id(source)
        pointer = item.at("sourceResourceId")
        if parsed is None:
            text = known_text(source)
            if text is not None:
                yield ctx.report(
                    self,
                    pointer,
                    f"protected item '{item.label}': sourceResourceId '{describe(text)}' is not a resource "
                    "id; use resourceId('<resource group>', 'Microsoft.Compute/virtualMachines', '<VM>')",
                )
            return
        if parsed.type is not None and parsed.type.lower() not in limits.VM_CONTAINER_KINDS:
            yield ctx.report(
                self,
                pointer,
                f"protected item '{item.label}': sourceResourceId is a {parsed.type} id; a VM item's "
                "source is a Microsoft.Compute/virtualMachines (or classic VM) id",
            )
            return
        if parsed.type is None or len(parsed.names) != 1:
            return
        vm = item.vm_name()
        if vm is not None and same(vm, parsed.names[0], ignore_case=True) is False:
            yield ctx.report(
                self,
                pointer,
                f"protected item '{item.label}' is named for VM '{describe(vm)}' but its "
                f"sourceResourceId is VM '{describe(parsed.names[0])}'",
            )
        group = ItemView.part(item.container, 2)
        if (
            item.subtype == "iaasvmcontainerv2"
            and group is not None
            and parsed.group is not None
            and same(group, parsed.group, ignore_case=True) is False
        ):
            yield ctx.report(
                self,
                pointer,
                f"protected item '{item.label}' is named for resource group '{describe(group)}' but its "
                f"sourceResourceId is in resource group '{describe(parsed.group)}'",
            )


def parse_policy_id(value: object) -> tuple[object, object] | str | None:
    """(vault, policy) of a backup policy id; None when it cannot be told; "bad" when the id is known
    and is not a backup policy's."""
    segments = split_text(value, "/", assume=True)
    if segments is not None:
        for index, segment in enumerate(segments[:-3]):
            if is_text(segment, "vaults") and is_text(segments[index + 2], "backupPolicies"):
                return segments[index + 1], segments[index + 3]
    return "bad" if known_text(value) is not None else None


class ProtectedItemPolicyOtherVault(_ItemRule):
    id = "TG622"
    name = "protected-item-policy-other-vault"
    severity = ERROR
    summary = "A protected item's `policyId` is not a backup policy of the item's own vault"
    why = (
        "A vault protects its items with its own policies: `policyId` must be the id of a "
        "`backupPolicies` resource of the vault that the item's name starts with. A policy of another "
        "vault (a copy-paste of the quickstart with a second vault, a parameter pointing at the wrong "
        "vault) fails when the item is created. The vault names are compared ignoring case."
    )
    bad = examples.bad("TG622")
    good = examples.good("TG622")
    source_url = "https://learn.microsoft.com/rest/api/backup/protected-items/create-or-update"

    def check_item(self, ctx: LintContext, item: ItemView) -> Iterator[Diagnostic]:
        policy_id = member(item.properties, "policyId")
        if policy_id is MISSING or policy_id is None:
            return
        parsed = parse_policy_id(policy_id)
        pointer = item.at("policyId")
        if parsed == "bad":
            yield ctx.report(
                self,
                pointer,
                f"protected item '{item.label}': policyId '{describe(policy_id)}' is not the id of a "
                "backup policy (.../providers/Microsoft.RecoveryServices/vaults/<vault>/backupPolicies/"
                "<policy>)",
            )
            return
        if not isinstance(parsed, tuple) or item.vault is None:
            return
        vault, _policy = parsed
        if same(vault, item.vault, ignore_case=True) is False:
            yield ctx.report(
                self,
                pointer,
                f"protected item '{item.label}' is in vault '{describe(item.vault)}' but its policyId "
                f"is a policy of vault '{describe(vault)}'; a vault protects items with its own policies",
            )


def policy_instances(ctx: LintContext) -> list[ResourceInstance]:
    found: list[ResourceInstance] = []
    for resource in rsv.resources(ctx.template, rsv.POLICY):
        found.extend(rsv.instances(ctx, resource))
    return found


def find_policy(
    policies: Iterable[ResourceInstance], vault: object, policy: object
) -> ResourceInstance | None:
    """The policy copy named `vault/policy` (provably), if the template declares it."""
    for instance in policies:
        segments = split_text(instance.name, "/", assume=True)
        if segments is None or len(segments) != 2:
            continue
        if same(segments[0], vault, ignore_case=True) and same(segments[1], policy, ignore_case=True):
            return instance
    return None


class ProtectedItemTypeMismatch(_ItemRule):
    id = "TG623"
    name = "protected-item-type-mismatch"
    severity = ERROR
    summary = "A protected item's `protectedItemType` does not fit its policy's `backupManagementType`"
    why = (
        "Each policy protects one kind of workload, named by its `backupManagementType`: `AzureIaasVM` "
        "for Azure VMs (`protectedItemType` `Microsoft.Compute/virtualMachines` or "
        "`Microsoft.ClassicCompute/virtualMachines`), `AzureStorage` for Azure Files "
        "(`AzureFileShareProtectedItem`), `AzureWorkload` for SQL Server and SAP HANA in VMs "
        "(`AzureVmWorkload...`). An item given a policy of another kind is refused. The check runs "
        "when the policy `policyId` names is declared in the same template."
    )
    bad = examples.bad("TG623")
    good = examples.good("TG623")
    source_url = "https://learn.microsoft.com/rest/api/backup/protected-items/create-or-update"

    def check_items(self, ctx: LintContext, views: list[ItemView]) -> Iterator[tuple[list[str], Diagnostic]]:
        policies = policy_instances(ctx)
        if policies:
            for view in views:
                for finding in self._check(ctx, view, policies):
                    yield view.copy_texts(), finding

    def check_item(self, ctx: LintContext, item: ItemView) -> Iterator[Diagnostic]:
        yield from self._check(ctx, item, policy_instances(ctx))

    def _check(
        self, ctx: LintContext, item: ItemView, policies: list[ResourceInstance]
    ) -> Iterator[Diagnostic]:
        if item.item_type is None:
            return
        needed = expected_management(item.item_type)
        parsed = parse_policy_id(member(item.properties, "policyId"))
        if needed is None or not isinstance(parsed, tuple):
            return
        policy = find_policy(policies, *parsed)
        if policy is None:
            return
        management = text_of(member(policy.get("properties"), "backupManagementType"))
        if management is None or management.lower() == needed.lower():
            return
        what = _MANAGEMENT_LABEL.get(management.lower(), management)
        yield ctx.report(
            self,
            item.at("protectedItemType"),
            f"protected item '{item.label}' is a '{describe(item.item_type)}' item but its policy "
            f"'{describe(policy.name)}' is an '{describe(management)}' policy (for {what}); it needs an "
            f"'{needed}' policy",
        )


# --------------------------------------------------------------------------------------------------
# dependencies


def _all(results: Iterable[bool | None]) -> bool | None:
    unsure = False
    for result in results:
        if result is False:
            return False
        if result is None:
            unsure = True
    return None if unsure else True


class _Graph:
    """The resources of one template with their deployable copies, for following `dependsOn`."""

    __slots__ = ("ctx", "members", "owners")

    def __init__(self, ctx: LintContext, resources: Iterable[Resource]) -> None:
        self.ctx = ctx
        self.members = [(r, rsv.instances(ctx, r)) for r in resources if not r.existing]
        #: the vaults and policies an item may need (others are only followed through dependsOn)
        self.owners = [(r, c) for r, c in self.members if r.type_lower in (rsv.VAULT, rsv.POLICY)]

    def targets(self, entry: object) -> list[Resource] | None:
        """The resources a evaluated `dependsOn` entry names; None when it cannot be told."""
        parsed = parse_resource_id(entry)
        matched: list[Resource] = []
        unsure = False
        for resource, copies in self.members:
            if parsed is not None:
                if parsed.type is None:
                    return None
                if resource.type_lower != parsed.type.lower():
                    continue
                answers = [self._same_name(parsed.names, copy.name) for copy in copies]
            else:
                answers = [same(entry, copy.name, ignore_case=True) for copy in copies]
                loop = resource.copy.name if resource.copy is not None else None
                for alias in (loop, resource.symbolic_name):
                    if alias is not None:
                        answers.append(same(entry, alias, ignore_case=True))
            if any(answer is True for answer in answers):
                matched.append(resource)
            elif any(answer is None for answer in answers):
                unsure = True
        if matched:
            return matched
        return None if unsure else []

    def copies_of(self, resource: Resource) -> list[ResourceInstance]:
        for member_, copies in self.members:
            if member_ is resource:
                return copies
        return []

    @staticmethod
    def _same_name(names: list[object], full_name: object) -> bool | None:
        segments = split_text(full_name, "/", assume=True)
        if segments is None:
            return None
        if len(segments) != len(names):
            return False
        return _all(same(a, b, ignore_case=True) for a, b in zip(names, segments, strict=True))

    def depends_on(self, start: ResourceInstance, target: Resource) -> bool | None:
        """Does `start` depend on `target`, directly or through other resources of the template?
        None when some dependency cannot be resolved offline."""
        seen: set[int] = set()
        unsure = False
        stack = [start]
        while stack:
            instance = stack.pop()
            for raw, pointer in instance.resource.depends_on:
                value = instance.evaluate(raw, pointer)
                found = self.targets(value)
                if found is None:
                    unsure = True
                    continue
                for resource in found:
                    if resource is target:
                        return True
                    if id(resource) not in seen:
                        seen.add(id(resource))
                        stack.extend(self.copies_of(resource))
        return None if unsure else False


class ProtectedItemMissingDependency(_ItemRule):
    id = "TG624"
    name = "protected-item-missing-dependency"
    severity = ERROR
    summary = "A protected item does not depend on the vault, the policy or the VM the template creates"
    why = (
        "Resource Manager deploys in parallel whatever is not ordered by `dependsOn`. A protected item "
        "created before its vault, its policy or its VM fails (`ResourceNotFound`, "
        "`BMSUserErrorPolicyNotFound`, a VM the backup service cannot find), depending on timing, so "
        "the same template can pass once and fail the next time. When the template creates the "
        "item's vault, the policy `policyId` names or the VM `sourceResourceId` names (same name, "
        "resource group and subscription), the item must depend on them, directly or through another "
        "resource (depending on the policy, which depends on the vault, is enough). In Bicep, "
        "referring to the policy's or the VM's `.id` creates the dependency. A vault, policy or VM "
        "whose condition is false is not deployed and needs no dependency; one whose condition is "
        "unknown does. A VM declared `existing`, or deployed by another nested deployment, is not "
        "this template's to wait for."
    )
    bad = examples.bad("TG624")
    good = examples.good("TG624")
    source_url = "https://learn.microsoft.com/azure/azure-resource-manager/templates/resource-dependency"

    def check_items(self, ctx: LintContext, views: list[ItemView]) -> Iterator[tuple[list[str], Diagnostic]]:
        graphs: dict[int, _Graph] = {}
        for view in views:
            template = view.resource.template
            graph = graphs.get(id(template))
            if graph is None:
                graph = graphs[id(template)] = _Graph(ctx, template.resources)
            for finding in self._check(ctx, view, graph):
                yield view.copy_texts(), finding

    def check_item(self, ctx: LintContext, item: ItemView) -> Iterator[Diagnostic]:
        yield from self._check(ctx, item, _Graph(ctx, item.resource.template.resources))

    def _check(self, ctx: LintContext, item: ItemView, graph: _Graph) -> Iterator[Diagnostic]:
        needed: list[tuple[str, Resource, ResourceInstance]] = []
        parsed = parse_policy_id(member(item.properties, "policyId"))
        for resource, copies in graph.owners:
            kind = resource.type_lower
            for copy in copies:
                if kind == rsv.VAULT and item.vault is not None:
                    if same(copy.name, item.vault, ignore_case=True) is True:
                        needed.append(("vault", resource, copy))
                elif kind == rsv.POLICY and isinstance(parsed, tuple) and find_policy([copy], *parsed):
                    needed.append(("policy", resource, copy))
        for machine in machines_backed_up(ctx, item.instance):
            if not machine.existing and machine.resource.template is item.resource.template:
                needed.append(("VM", machine.resource, machine.instance))
        pointer = item.name_pointer  # dependsOn may be implicit (Bicep) and then is written nowhere
        reported: set[int] = set()
        for what, resource, copy in needed:
            if id(resource) in reported:
                continue
            if graph.depends_on(item.instance, resource) is False:
                reported.add(id(resource))
                yield ctx.report(
                    self,
                    pointer,
                    f"protected item '{item.label}' does not depend on the {what} '{describe(copy.name)}' "
                    f"that this template creates; add its resourceId to dependsOn (in Bicep, refer to "
                    f"the {what}'s symbol), or the item may be created before the {what} exists",
                )


class TooManyVmsPerPolicy(Rule):
    id = "TG625"
    name = "too-many-vms-per-policy"
    severity = ERROR
    summary = "A backup policy would protect more than 1000 VMs"
    why = (
        "One backup policy protects at most 1000 Azure VMs: the Azure CLI refuses to enable protection "
        "once a policy has 1000 items (`az backup protection enable-for-vm`, custom.py), and a vault "
        "holds at most 1000 Azure VMs (support matrix). A third-party blog (n2ws) says 100 per "
        "policy; we follow Microsoft's own code and documentation. The count is the protected VM "
        "items of the template whose number is known (explicit resources, copy loops with known "
        "counts; one loop has at most 800 copies, so this takes several loops or resources) and "
        "whose `policyId` is the same; items whose count is unknown are not counted."
    )
    bad = examples.bad("TG625")
    good = examples.good("TG625")
    source_url = SOURCE_CLI
    tags = ("recovery-services", "protected-item", "limits")

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        groups: dict[str, list[tuple[Resource, int]]] = {}
        shown: dict[str, object] = {}
        views = item_views(ctx)
        uncounted = {id(view.resource) for view in views if view.instance.symbolic}
        for view in views:
            resource = view.resource
            if id(resource) in uncounted:
                continue  # a copy count that is not known: these items cannot be counted
            policy_id = member(view.properties, "policyId")
            if not view.is_vm or policy_id is MISSING or (isinstance(policy_id, Unknown) and policy_id.uid):
                continue
            try:
                key = label_of(policy_id)
            except OpaqueValue:
                continue
            entries = groups.setdefault(key, [])
            shown.setdefault(key, policy_id)
            if entries and entries[-1][0] is resource:
                entries[-1] = (resource, entries[-1][1] + 1)
            else:
                entries.append((resource, 1))
        for key, entries in groups.items():
            total = sum(count for _resource, count in entries)
            if total <= limits.VMS_PER_POLICY_MAX:
                continue
            first = entries[0][0]
            from templategen.rules.labels import resource_label

            labels = [resource_label(ctx, resource) for resource, _count in entries]
            # The same module deployed twice gives two loops of one name: say where each one is.
            labels = [
                f"{label} {_deployed_by(ctx, resource)}" if labels.count(label) > 1 else label
                for label, (resource, _count) in zip(labels, entries, strict=True)
            ]
            parts = ", ".join(
                f"{count} from {label}" for label, (_r, count) in zip(labels, entries, strict=True)
            )
            parsed = parse_policy_id(shown[key])
            policy = (
                f"'{describe(parsed[0])}/{describe(parsed[1])}'"
                if isinstance(parsed, tuple)
                else describe(shown[key])
            )
            yield ctx.report(
                self,
                first.pointer_of("properties", "policyId") or rsv.name_pointer(first),
                f"backup policy {policy} would protect {total} VMs ({parts}); a policy protects at most "
                f"{limits.VMS_PER_POLICY_MAX}: spread the VMs over several policies",
            )


def _deployed_by(ctx: LintContext, resource: Resource) -> str:
    """`in module 'east'`, `in deployment 'protect-east'`, or `at <pointer>`: what tells apart two
    resources of one name, such as the same module deployed twice."""
    from templategen.rules.labels import deployment_label

    deployment = resource.template.deployment
    return f"at {resource.pointer}" if deployment is None else f"in {deployment_label(ctx, deployment)}"


class VaultVmRegionMismatch(_ItemRule):
    id = "TG626"
    name = "vault-vm-region-mismatch"
    severity = WARNING
    summary = "A protected VM is declared in another region than its vault"
    why = (
        "Azure Backup protects a VM only from a vault in the VM's own region: the Azure CLI checks "
        "it before enabling protection (custom.py: VM location equals vault location) and the support "
        "matrix states it. The rule compares the locations when both the vault and the VM are declared "
        "in the template and both locations are known (region names are compared ignoring case and "
        "spaces). It is a warning because the template cannot prove that the VM it declares is the "
        "one `sourceResourceId` names in every deployment."
    )
    bad = examples.bad("TG626")
    good = examples.good("TG626")
    source_url = SOURCE_CLI
    tags = ("recovery-services", "protected-item", "region")

    def check(self, ctx: LintContext) -> Iterator[Diagnostic]:
        if not rsv.resources(ctx.template, rsv.VAULT) or not rsv.resources(ctx.template, rsv.VM):
            return
        yield from super().check(ctx)

    def check_item(self, ctx: LintContext, item: ItemView) -> Iterator[Diagnostic]:
        if not item.is_vm or item.vault is None:
            return
        parsed = parse_resource_id(member(item.properties, "sourceResourceId"))
        if parsed is None or parsed.type is None or parsed.type.lower() != rsv.VM or len(parsed.names) != 1:
            return
        template = item.resource.template
        vault_location = vm_location = None
        for resource in rsv.resources(template, rsv.VAULT):
            if resource.template is not template:
                continue
            for copy in rsv.instances(ctx, resource):
                if same(copy.name, item.vault, ignore_case=True) is True:
                    vault_location = copy.get("location")
        for machine in machines_backed_up(ctx, item.instance):
            if not machine.existing and machine.resource.template is template:
                vm_location = machine.instance.get("location")
        vault_text, vm_text = _region(vault_location), _region(vm_location)
        if vault_text is not None and vm_text is not None and vault_text != vm_text:
            yield ctx.report(
                self,
                item.at("sourceResourceId"),
                f"protected item '{item.label}': VM '{describe(parsed.names[0])}' is declared in "
                f"'{describe(vm_location)}' but vault '{describe(item.vault)}' in "
                f"'{describe(vault_location)}'; Azure Backup protects a VM only from a vault in its region",
            )


def _region(value: object) -> str | None:
    text = text_of(value)
    return text.replace(" ", "").lower() if text is not None else None
