"""What the VMSnapshot rules read: the snapshot extensions of a template, their VMs, and backups.

An extension can be written four ways: a `Microsoft.Compute/virtualMachines/extensions` resource
(top level with a `vm/ext` name, or a child in the VM's `resources`, or a Bicep resource with
`parent:`), the same under a scale set (`virtualMachineScaleSets/extensions`) or one of its VMs
(`virtualMachineScaleSets/virtualMachines/extensions`), or inline in a scale set's
`virtualMachineProfile.extensionProfile.extensions[]`. The model already flattens children and the
Bicep reader writes what `bicep build` writes, so this module only has to tell these forms apart and
give every rule the same view: the extension's evaluated `properties`, the raw pointer of any member
(for positions), and the machine it is installed on.

Cheap first: `scan(ctx)` looks at raw `type` values before evaluating anything, so a template
without a snapshot extension (nearly all of them) costs one pass over its resources. The scan is
kept for the file being linted (one entry: rules run one file at a time), so the fourteen rules
share one evaluation.

Names: Azure VM, scale set and resource group names never contain `/`, so splitting a name whose
known text has the right number of slashes treats its unknown pieces as separator-free
(`split_text(..., assume=True)`); with any other count the name is not split at all.
"""

from __future__ import annotations

from templategen.arm.names import is_expression, walk_path
from templategen.arm.values import Partial, Unknown, ci_get, describe, known_text, same, split_text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from templategen.arm.instances import ResourceInstance
    from templategen.arm.resource import Resource
    from templategen.lint.context import LintContext

VM_TYPE = "microsoft.compute/virtualmachines"
VMSS_TYPE = "microsoft.compute/virtualmachinescalesets"
VMSS_VM_TYPE = "microsoft.compute/virtualmachinescalesets/virtualmachines"
PROTECTED_ITEM_TYPE = "microsoft.recoveryservices/vaults/backupfabrics/protectioncontainers/protecteditems"
#: Extension resource type → (type of the machine it is installed on, segments of its full name).
EXTENSION_TYPES = {
    VM_TYPE + "/extensions": (VM_TYPE, 2),
    VMSS_TYPE + "/extensions": (VMSS_TYPE, 2),
    VMSS_VM_TYPE + "/extensions": (VMSS_VM_TYPE, 3),
}
INLINE_PATH: tuple[str, ...] = ("properties", "virtualMachineProfile", "extensionProfile", "extensions")

WINDOWS_TYPE = "VMSnapshot"
LINUX_TYPE = "VMSnapshotLinux"
SNAPSHOT_TYPES = {WINDOWS_TYPE.lower(): WINDOWS_TYPE, LINUX_TYPE.lower(): LINUX_TYPE}
PUBLISHER = "Microsoft.Azure.RecoveryServices"
LEGACY_PUBLISHER = "Microsoft.RecoveryServices"

WINDOWS = "Windows"
LINUX = "Linux"
#: Image publishers whose images are all of one OS. Publishers that ship both (MicrosoftSQLServer,
#: Oracle, MicrosoftVisualStudio...) are deliberately absent: their image says nothing for sure.
_IMAGE_PUBLISHERS = {
    "microsoftwindowsserver": WINDOWS,
    "microsoftwindowsdesktop": WINDOWS,
    "microsoftwindowsserverhpcpack": WINDOWS,
    "canonical": LINUX,
    "redhat": LINUX,
    "openlogic": LINUX,
    "suse": LINUX,
    "debian": LINUX,
    "credativ": LINUX,
    "kinvolk": LINUX,
    "almalinux": LINUX,
    "resf": LINUX,
    "microsoftcblmariner": LINUX,
}


def normalize_type(value: object) -> str | None:
    """`VMSnapshot` / `VMSnapshotLinux` for a snapshot extension type (any case), else None."""
    text = known_text(value)
    return SNAPSHOT_TYPES.get(text.lower()) if text is not None else None


# --------------------------------------------------------------------------------------------------
# navigating values and raw JSON


def lookup(value: object, path: tuple[str | int, ...]) -> tuple[bool, object]:
    """Follow `path` through an evaluated value (keys case-insensitively).

    Returns (present, value). An unknown met on the way is returned as the value (present: it may
    hold the member); a known container without the member gives (False, None).
    """
    node = value
    for step in path:
        if isinstance(node, Unknown):
            return True, node
        if isinstance(step, int):
            if not isinstance(node, list) or not 0 <= step < len(node):
                return False, None
            node = node[step]
        else:
            if not isinstance(node, dict):
                return False, None
            found, node = ci_get(node, step)
            if not found:
                return False, None
    return True, node


def deepest_pointer(resource: Resource, path: tuple[str | int, ...]) -> tuple[str, bool]:
    """The pointer of `path` inside the resource's raw JSON, or of its deepest written ancestor when
    the rest comes from an expression (a variable, a parameter). The flag says whether `path` itself
    is written in the file (then a finding about a member's name can point at its key)."""
    for length in range(len(path), 0, -1):
        found = walk_path(resource.raw, resource.pointer, path[:length])
        if found is not None:
            return found[1], length == len(path)
    return resource.pointer, False


# --------------------------------------------------------------------------------------------------
# extensions


class Extension:
    """One deployed copy of an extension.

    instance    the ResourceInstance of the resource that declares it (the extension resource, or
                the scale set for the inline form)
    machine_type  VM_TYPE, VMSS_TYPE or VMSS_VM_TYPE: what it is installed on
    segments    how many segments its full name has (inline: 0, it has no resource name)
    prefix      raw path from the resource to this extension's `properties` object
    properties  the evaluated `properties` (a dict, or an Unknown when not known offline)
    """

    __slots__ = ("inline_name", "instance", "machine_type", "prefix", "properties", "segments")

    def __init__(
        self,
        instance: ResourceInstance,
        machine_type: str,
        segments: int,
        prefix: tuple[str | int, ...],
        properties: object,
        inline_name: object = None,
    ) -> None:
        self.instance = instance
        self.machine_type = machine_type
        self.segments = segments
        self.prefix = prefix
        self.properties = properties
        self.inline_name = inline_name

    @property
    def resource(self) -> Resource:
        return self.instance.resource

    @property
    def inline(self) -> bool:
        return self.segments == 0

    def value(self, *path: str | int) -> tuple[bool, object]:
        """(present, evaluated value) of a member of `properties`, e.g. `value("settings", "taskId")`."""
        return lookup(self.properties, tuple(path))

    def get(self, *path: str | int) -> object:
        return self.value(*path)[1]

    def raw(self, *path: str | int) -> tuple[bool, object]:
        """(written, raw value) of a member of `properties` as written in the file."""
        found = walk_path(self.resource.raw, self.resource.pointer, (*self.prefix, *path))
        return (False, None) if found is None else (True, found[0])

    def pointer(self, *path: str | int) -> str:
        """Pointer of a member of `properties` (or of its deepest written ancestor)."""
        return deepest_pointer(self.resource, (*self.prefix, *path))[0]

    def key_pointer(self, *path: str | int) -> tuple[str, bool]:
        """(pointer, at_key): point at the member's key when it is written, else at the nearest
        written value that holds it."""
        return deepest_pointer(self.resource, (*self.prefix, *path))

    @property
    def snapshot_type(self) -> str | None:
        return normalize_type(self.get("type"))

    @property
    def name(self) -> object:
        """The extension's full name (inline: the entry's `name`)."""
        return self.inline_name if self.inline else self.instance.name

    @property
    def label(self) -> str:
        """How messages name the extension: its full name, evaluated, unknown pieces as <...>."""
        name = self.name
        if self.inline:
            entry = self.prefix[-2]
            named = isinstance(name, (str, Partial, Unknown))
            shown = describe(name, 60) if named else f"entry {int(entry) + 1} of extensionProfile"
            return f"{shown} in scale set {describe(self.instance.name, 60)}"
        return describe(name, 80)

    def machine_names(self) -> list[object] | None:
        """The name segments before the extension's own (VM name; scale set and instance id), when
        the full name has exactly the right number of segments; None when that cannot be told."""
        if self.inline:
            return [self.instance.name]
        parts = name_segments(self.instance.name, self.segments)
        return None if parts is None else parts[:-1]

    def __repr__(self) -> str:
        return f"Extension({self.label!r} at {self.resource.pointer!r})"


def slash_count(name: object) -> tuple[int, bool] | None:
    """(slashes in the known text, whether unknown pieces remain) of a name; None when not text."""
    if isinstance(name, str):
        return name.count("/"), False
    if isinstance(name, Partial):
        return sum(part.count("/") for part in name.parts if isinstance(part, str)), True
    if isinstance(name, Unknown):
        return 0, True
    return None


def name_segments(name: object, expected: int) -> list[object] | None:
    """Split a full resource name into `expected` segments when its known text has exactly
    `expected - 1` slashes (unknown pieces are names, which never contain `/`); else None."""
    counted = slash_count(name)
    if counted is None or counted[0] != expected - 1:
        return None
    parts = split_text(name, "/", assume=True)
    return list(parts) if parts is not None and len(parts) == expected else None


class Machine:
    """One deployed copy of a VM or scale set declared in the template (existing ones included,
    flagged: they are not deployed here, so nothing waits for them and their location is unknown)."""

    __slots__ = ("instance", "kind")

    def __init__(self, instance: ResourceInstance, kind: str) -> None:
        self.instance = instance
        self.kind = kind

    @property
    def resource(self) -> Resource:
        return self.instance.resource

    @property
    def existing(self) -> bool:
        return self.resource.existing

    @property
    def name(self) -> object:
        return self.instance.name

    @property
    def label(self) -> str:
        return describe(self.name, 60)

    @property
    def _base(self) -> tuple[str, ...]:
        return ("properties", "virtualMachineProfile") if self.kind == VMSS_TYPE else ("properties",)

    def get(self, *path: str) -> object:
        """An evaluated member under `properties` (a VM) or `properties.virtualMachineProfile` (a
        scale set): `get("osProfile", "linuxConfiguration")`."""
        return lookup(self.instance.get(self._base[0]), (*self._base[1:], *path))[1]

    def pointer(self, *path: str) -> str:
        return deepest_pointer(self.resource, (*self._base, *path))[0]

    def operating_system(self) -> tuple[str, str] | None:
        """(WINDOWS or LINUX, the evidence in words) when the template says which OS the machine
        runs, from `osProfile.windowsConfiguration` / `linuxConfiguration`,
        `storageProfile.osDisk.osType` and the image publisher. None when it says nothing for sure
        (no evidence, unknown values, or evidence that disagrees)."""
        evidence: list[tuple[str, str]] = []
        os_profile = self.get("osProfile")
        if isinstance(os_profile, dict):
            for key, system in (("windowsConfiguration", WINDOWS), ("linuxConfiguration", LINUX)):
                found, value = ci_get(os_profile, key)
                if not found or value is None:
                    continue
                if not isinstance(value, dict):
                    return None  # unknown: it may or may not be set
                evidence.append((system, f"osProfile.{key}"))
        elif os_profile is not None:
            return None
        os_type = self.get("storageProfile", "osDisk", "osType")
        text = known_text(os_type)
        if text is not None and text.lower() in ("windows", "linux"):
            evidence.append((WINDOWS if text.lower() == "windows" else LINUX, f"osDisk.osType {text}"))
        elif os_type is not None and not isinstance(os_type, str):
            return None
        publisher = known_text(self.get("storageProfile", "imageReference", "publisher"))
        if publisher is not None and publisher.lower() in _IMAGE_PUBLISHERS:
            evidence.append((_IMAGE_PUBLISHERS[publisher.lower()], f"image publisher {publisher}"))
        systems = {system for system, _ in evidence}
        if len(systems) != 1:
            return None
        return evidence[0][0], evidence[0][1]

    def __repr__(self) -> str:
        return f"Machine({self.label!r} at {self.resource.pointer!r})"


class Scan:
    """The snapshot extensions, machines and protected items of one template, evaluated once."""

    __slots__ = (
        "_by_label",
        "_by_name",
        "_by_type",
        "_by_type_name",
        "_links",
        "_machines",
        "_protected_items",
        "ctx",
        "extensions",
    )

    def __init__(self, ctx: LintContext) -> None:
        self.ctx = ctx
        self.extensions: list[Extension] = _find_extensions(ctx)
        self._machines: list[Machine] | None = None
        self._protected_items: list[ResourceInstance] | None = None
        self._links: dict[int, list[Machine]] = {}
        # (kind, case-folded name) -> machines with that known name; key (kind, None): names that
        # are not fully known, which any extension may match.
        self._by_name: dict[tuple[str, str | None], list[Machine]] | None = None
        self._by_type: dict[str | None, list[ResourceInstance]] | None = None
        self._by_type_name: dict[tuple[str | None, str | None], list[ResourceInstance]] | None = None
        self._by_label: dict[str, list[ResourceInstance]] | None = None

    @property
    def machines(self) -> list[Machine]:
        if self._machines is None:
            self._machines = []
            template = self.ctx.template
            if template is not None:
                ev = self.ctx.evaluator()
                for resource in template.all_resources():
                    kind = resource.type_lower
                    if kind in (VM_TYPE, VMSS_TYPE):
                        for instance in ev.resource_instances(resource):
                            if instance.condition is not False:
                                self._machines.append(Machine(instance, kind))
        return self._machines

    @property
    def protected_items(self) -> list[ResourceInstance]:
        if self._protected_items is None:
            self._protected_items = []
            template = self.ctx.template
            if template is not None:
                ev = self.ctx.evaluator()
                for resource in template.all_resources():
                    if resource.type_lower == PROTECTED_ITEM_TYPE and not resource.existing:
                        self._protected_items += [
                            i for i in ev.resource_instances(resource) if i.condition is not False
                        ]
        return self._protected_items

    def machines_of(self, extension: Extension) -> list[Machine]:
        """The machines of the template the extension is provably installed on (by name and scope).
        Computed once per extension; machines are looked up by name, so a loop of 800 VMs and 800
        extensions is not 640,000 comparisons."""
        key = id(extension)
        found = self._links.get(key)
        if found is None:
            found = self._links[key] = self._machines_of(extension)
        return found

    def _machines_of(self, extension: Extension) -> list[Machine]:
        if extension.inline:
            return [m for m in self.machines if m.instance is extension.instance]
        parent = extension.resource.parent
        if parent is not None and parent.type_lower in (VM_TYPE, VMSS_TYPE):
            # Declared in the machine's `resources`: that machine, in the same copy.
            index = extension.instance.index
            return [
                m
                for m in self.machines
                if m.resource is parent
                and m.instance.evaluator is extension.instance.evaluator
                and m.instance.index == index[: len(m.instance.index)]
            ]
        names = extension.machine_names()
        if not names:
            return []
        kind = VMSS_TYPE if extension.machine_type != VM_TYPE else VM_TYPE
        return [
            machine
            for machine in self.machines_named(kind, names[0])
            if same(names[0], machine.name, ignore_case=True) is True
            and same_scope(extension.instance, machine.instance)
        ]

    def machines_named(self, kind: str, name: object) -> list[Machine]:
        """The machines of one kind (VM_TYPE, VMSS_TYPE) whose name may be `name` (an evaluated
        value): those with that known name (without case) and those whose name is not fully known;
        every machine of the kind when `name` itself is not fully known. A candidate list, to be
        confirmed with `same()`: the index keeps a loop of 800 VMs from costing 800 comparisons per
        lookup."""
        text = known_text(name)
        if text is None:
            return [m for m in self.machines if m.kind == kind]
        by_name = self._name_index()
        return by_name.get((kind, text.casefold()), []) + by_name.get((kind, None), [])

    def instances_of_type(self, resource_type: str | None) -> list[ResourceInstance]:
        """Every deployed copy of every resource of the template (not `existing`, condition not
        false) of a full type, compared without case; all of them for None."""
        if self._by_type is None:
            self._by_type = {None: []}
            template = self.ctx.template
            if template is not None:
                ev = self.ctx.evaluator()
                for resource in template.all_resources():
                    if resource.existing:
                        continue
                    copies = [i for i in ev.resource_instances(resource) if i.condition is not False]
                    self._by_type[None] += copies
                    if resource.type_lower is not None:
                        self._by_type.setdefault(resource.type_lower, []).extend(copies)
        return self._by_type.get(None if resource_type is None else resource_type.lower(), [])

    def instances_named(self, resource_type: str | None, name: str) -> list[ResourceInstance]:
        """The copies of resources of `resource_type` (any type for None) whose full name may be
        `name` (compared without case): those with that known name and those whose name is not
        fully known."""
        if self._by_type_name is None:
            self._by_type_name = {}
            for instance in self.instances_of_type(None):
                text = known_text(instance.name)
                folded = None if text is None else text.casefold()
                self._by_type_name.setdefault((None, folded), []).append(instance)
                kind = instance.resource.type_lower
                if kind is not None:
                    self._by_type_name.setdefault((kind, folded), []).append(instance)
        low = None if resource_type is None else resource_type.lower()
        return self._by_type_name.get((low, name.casefold()), []) + self._by_type_name.get((low, None), [])

    def instances_labelled(self, label: str) -> list[ResourceInstance]:
        """The copies of the resource whose symbolic name (languageVersion 2.0) or copy-loop name is
        `label` (without case): what a literal `dependsOn` entry may name besides a resource name."""
        if self._by_label is None:
            self._by_label = {}
            for instance in self.instances_of_type(None):
                resource = instance.resource
                labels = {resource.symbolic_name, resource.copy.name if resource.copy is not None else None}
                for name in labels - {None}:
                    assert name is not None
                    self._by_label.setdefault(name.lower(), []).append(instance)
        return self._by_label.get(label.lower(), [])

    def _name_index(self) -> dict[tuple[str, str | None], list[Machine]]:
        if self._by_name is None:
            self._by_name = {}
            for machine in self.machines:
                text = known_text(machine.name)
                key = (machine.kind, None if text is None else text.casefold())
                self._by_name.setdefault(key, []).append(machine)
        return self._by_name


def same_scope(a: ResourceInstance, b: ResourceInstance) -> bool:
    """True when two resources provably deploy to the same resource group."""
    if a.evaluator is b.evaluator:
        return True
    group = "[resourceGroup().id]"
    return same(a.evaluate(group), b.evaluate(group), ignore_case=True) is True


def scan(ctx: LintContext) -> Scan:
    """The scan of the file `ctx` holds, computed on the first call for that file."""
    cached = _last[0]
    if cached is not None and cached.ctx is ctx:
        return cached
    found = Scan(ctx)
    _last[0] = found
    return found


_last: list[Scan | None] = [None]


def _find_extensions(ctx: LintContext) -> list[Extension]:
    template = ctx.template
    if template is None:
        return []
    found: list[Extension] = []
    for resource in template.all_resources():
        kind = resource.type_lower
        if kind is None or resource.existing:
            continue
        if kind in EXTENSION_TYPES:
            if not _may_be_snapshot(resource.get("properties")):
                continue
            machine_type, segments = EXTENSION_TYPES[kind]
            for instance in ctx.evaluator().resource_instances(resource):
                if instance.condition is False:
                    continue
                properties = instance.get("properties")
                extension = Extension(instance, machine_type, segments, ("properties",), properties)
                if extension.snapshot_type is not None:
                    found.append(extension)
        elif kind == VMSS_TYPE:
            found += _inline_extensions(ctx, resource)
    return found


def _may_be_snapshot(properties: object) -> bool:
    """Could these raw extension properties be a snapshot extension? Only a literal `type` that is
    something else says no; expressions are evaluated later."""
    if isinstance(properties, str):
        return is_expression(properties)
    if not isinstance(properties, dict):
        return False
    found = walk_path(properties, "", ("type",))
    if found is None:
        return False
    value = found[0]
    if isinstance(value, str) and not is_expression(value):
        return value.lower() in SNAPSHOT_TYPES
    return True


def _entry_may_be_snapshot(entry: object) -> bool:
    if is_expression(entry):
        return True
    if not isinstance(entry, dict):
        return False
    found = walk_path(entry, "", ("properties",))
    return found is not None and _may_be_snapshot(found[0])


def _inline_extensions(ctx: LintContext, resource: Resource) -> list[Extension]:
    found = walk_path(resource.raw, resource.pointer, INLINE_PATH)
    if found is None:
        return []
    raw = found[0]
    if isinstance(raw, list):
        if not any(_entry_may_be_snapshot(entry) for entry in raw):
            return []
    elif not is_expression(raw):
        return []
    extensions: list[Extension] = []
    for instance in ctx.evaluator().resource_instances(resource):
        if instance.condition is False:
            continue
        entries = instance.get(*INLINE_PATH)
        if not isinstance(entries, list):
            continue
        for index, entry in enumerate(entries):
            present, properties = lookup(entry, ("properties",))
            if not present:
                continue
            name = lookup(entry, ("name",))[1]
            prefix: tuple[str | int, ...] = (*INLINE_PATH, index, "properties")
            extension = Extension(instance, VMSS_TYPE, 0, prefix, properties, inline_name=name)
            if extension.snapshot_type is not None:
                extensions.append(extension)
    return extensions
