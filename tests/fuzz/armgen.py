"""Hypothesis strategies for ARM templates that look real enough to reach the rules and the evaluator.

Random bytes stop at the JSON reader; random JSON stops at `classify`. To exercise what comes after
(the model, the evaluator, every rule), the generator writes templates with the real skeleton: a
`$schema`, parameters of every type (secure ones with defaults), variables (copy variables too), a
user function, resources of the types the rules care about (the VMSnapshot extension, Recovery
Services vaults, policies, protected items, VMs, storage), copy loops, conditions, `dependsOn`,
nested deployments (inner and outer scope), outputs, and expressions built from the real function
catalogue with mostly valid, sometimes wrong, argument counts.
"""

from __future__ import annotations

from hypothesis import strategies as st

from templategen.arm.expressions import Call, Expr, Index, IntLit, Member, StringLit, to_source
from templategen.arm.functions import FUNCTIONS

SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"
PARAMETERS_SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#"

PARAMETER_NAMES = ["vmName", "location", "count", "enabled", "tags", "names", "adminPassword", "sas"]
VARIABLE_NAMES = ["prefix", "settings", "list", "vaultName"]
LOOP_NAMES = ["loop", "vmLoop", "inner"]

RESOURCE_TYPES = [
    ("Microsoft.Compute/virtualMachines/extensions", "2024-07-01"),
    ("Microsoft.Compute/virtualMachines", "2024-07-01"),
    ("Microsoft.RecoveryServices/vaults", "2023-04-01"),
    ("Microsoft.RecoveryServices/vaults/backupPolicies", "2023-04-01"),
    (
        "Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems",
        "2023-04-01",
    ),
    ("Microsoft.Storage/storageAccounts", "2023-05-01"),
    ("Microsoft.Resources/deployments", "2022-09-01"),
    ("Microsoft.Network/virtualNetworks", "2024-05-01"),
    ("extensions", "2024-07-01"),
    ("Microsoft.Fake/things", "2099-01-01-preview"),
]

#: String literals that mean something to some rule or function.
STRINGS = [
    "",
    "x",
    "VMSnapshot",
    "VMSnapshotLinux",
    "Microsoft.Azure.RecoveryServices",
    "Microsoft.RecoveryServices",
    "1.0",
    "1.10",
    "westeurope",
    "global",
    "2017-11-09T04:53:20Z",
    "636458000000000000",
    "6.36458E+17",
    "e07354cf-041e-4370-929f-25a319ce8933_1",
    "https://acct.blob.core.windows.net/c/b?sv=2020-08-04&se=2030-01-01&sp=rw&sig=ARMGENSECRET",
    "https://acct.blob.core.windows.net/c/b?sv=2020-08-04&se=2001-01-01&sp=rw&sig=ARMGENSECRET",
    "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.RecoveryServices/vaults/v",
    "Microsoft.Compute/virtualMachines",
    "{0}-{1}",
    "{0:D3}",
    '{"a": 1}',
    "[1,2,3]",
    "a,b,c",
    "Daily",
    "Weekly",
    "AzureIaasVM",
    "V2",
    "Enhanced",
    "1.5",
    "-1",
    "yyyy-MM-dd",
    "P1D",
    "10.0.0.0/16",
    "'",
    "é✓",
]


def _case(name: str) -> st.SearchStrategy[str]:
    return st.sampled_from([name, name.lower(), name.upper()])


_FUNCTION_NAMES = sorted(info.name for info in FUNCTIONS.values())


@st.composite
def _call(draw: st.DrawFn, children: st.SearchStrategy[Expr]) -> Expr:
    name = draw(st.sampled_from([*_FUNCTION_NAMES, "ns.fn", "unknownFn", "listKeys"]))
    info = FUNCTIONS.get(name.lower())
    if info is not None and draw(st.integers(0, 9)) > 0:
        low = info.min_args
        high = info.max_args if info.max_args is not None else low + 3
        count = draw(st.integers(low, max(low, min(high, low + 4))))
    else:
        count = draw(st.integers(0, 4))
    if name.lower() in ("parameters", "variables") and count == 1 and draw(st.booleans()):
        names = PARAMETER_NAMES if name.lower() == "parameters" else VARIABLE_NAMES
        args: list[Expr] = [StringLit(draw(st.sampled_from([*names, "missing"])))]
    elif name.lower() == "lambda" and count >= 2:
        args = [StringLit(draw(st.sampled_from(["x", "y"]))) for _ in range(count - 1)]
        args.append(draw(children))
    else:
        args = [draw(children) for _ in range(count)]
    return Call(draw(_case(name)) if "." not in name else name, args)


_LEAVES: st.SearchStrategy[Expr] = st.one_of(
    st.builds(StringLit, st.sampled_from(STRINGS) | st.text(max_size=8)),
    st.builds(IntLit, st.sampled_from([0, 1, 2, -1, 3, 100, 800, 801, 10_000, 2**31, 2**63 - 1, -(2**63)])),
    st.builds(
        Call,
        st.sampled_from(["true", "false", "null", "utcNow", "newGuid", "resourceGroup", "subscription"]),
        st.just([]),
    ),
    st.builds(lambda n: Call("parameters", [StringLit(n)]), st.sampled_from(PARAMETER_NAMES)),
    st.builds(lambda n: Call("variables", [StringLit(n)]), st.sampled_from(VARIABLE_NAMES)),
    st.builds(lambda n: Call("copyIndex", [StringLit(n)] if n else []), st.sampled_from(["", *LOOP_NAMES])),
    st.builds(lambda n: Call("lambdaVariables", [StringLit(n)]), st.sampled_from(["x", "y"])),
)


def _extend(children: st.SearchStrategy[Expr]) -> st.SearchStrategy[Expr]:
    calls = _call(children)
    return st.one_of(
        calls,
        calls,
        st.builds(Member, calls, st.sampled_from(["name", "id", "properties", "length", "x"])),
        st.builds(Index, calls, children),
    )


EXPRESSIONS: st.SearchStrategy[Expr] = st.recursive(_LEAVES, _extend, max_leaves=12).filter(
    lambda e: isinstance(e, (Call, Member, Index))
)


def expression_text(tree: Expr) -> str:
    return "[" + to_source(tree) + "]"


#: A JSON value a template could hold somewhere: literals, expressions, small objects and arrays.
VALUES: st.SearchStrategy[object] = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(2**40), 2**40),
        st.sampled_from(STRINGS),
        EXPRESSIONS.map(expression_text),
        st.just("[[escaped]"),
    ),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(["a", "b", "taskId", "objectStr", "[concat('k')]"]), children, max_size=3
        )
    ),
    max_leaves=8,
)


@st.composite
def parameters_section(draw: st.DrawFn) -> dict[str, object]:
    kinds = {
        "vmName": "string",
        "location": "string",
        "count": "int",
        "enabled": "bool",
        "tags": "object",
        "names": "array",
        "adminPassword": "secureString",
        "sas": "secureObject",
    }
    section: dict[str, object] = {}
    for name in draw(st.lists(st.sampled_from(PARAMETER_NAMES), unique=True, max_size=len(PARAMETER_NAMES))):
        entry: dict[str, object] = {
            "type": draw(st.sampled_from([kinds[name], kinds[name], "string", "bogus"]))
        }
        if draw(st.integers(0, 3)):
            entry["defaultValue"] = draw(VALUES)
        if draw(st.integers(0, 5)) == 0:
            entry["allowedValues"] = draw(st.lists(VALUES, max_size=3))
        if draw(st.integers(0, 7)) == 0:
            entry["minValue"] = draw(st.integers(-5, 5))
        section[name] = entry
    return section


@st.composite
def resource(draw: st.DrawFn, depth: int = 0) -> dict[str, object]:
    rtype, api = draw(st.sampled_from(RESOURCE_TYPES))
    body: dict[str, object] = {
        "type": draw(st.sampled_from([rtype, rtype.lower()])),
        "apiVersion": draw(st.sampled_from([api, "2015-01-01", "[parameters('vmName')]"])),
        "name": draw(st.sampled_from(["vm/VMSnapshot", "vault", "a/b/c", "[parameters('vmName')]"]) | VALUES),
    }
    if draw(st.booleans()):
        body["location"] = draw(st.sampled_from(["[parameters('location')]", "westeurope"]) | VALUES)
    if draw(st.integers(0, 3)) == 0:
        body["copy"] = {
            "name": draw(st.sampled_from(LOOP_NAMES)),
            "count": draw(st.integers(-1, 900) | VALUES),
            **({"mode": "serial", "batchSize": draw(st.integers(0, 3))} if draw(st.booleans()) else {}),
        }
    if draw(st.integers(0, 3)) == 0:
        body["condition"] = draw(VALUES)
    if draw(st.integers(0, 3)) == 0:
        body["dependsOn"] = draw(st.lists(VALUES, max_size=2))
    properties: dict[str, object] = {}
    if "extensions" in rtype:
        properties = {
            "publisher": draw(
                st.sampled_from(["Microsoft.Azure.RecoveryServices", "Microsoft.RecoveryServices"])
            ),
            "type": draw(st.sampled_from(["VMSnapshot", "VMSnapshotLinux", "CustomScript"])),
            "typeHandlerVersion": draw(st.sampled_from(["1.0", "1.10", "2.0", "[parameters('vmName')]"])),
            "autoUpgradeMinorVersion": draw(st.booleans()),
            "settings": draw(VALUES),
            "protectedSettings": draw(VALUES),
        }
    elif rtype == "Microsoft.Resources/deployments" and depth < 2:
        properties = {
            "mode": "Incremental",
            "expressionEvaluationOptions": {"scope": draw(st.sampled_from(["inner", "outer", "bogus"]))},
            "parameters": {
                name: {"value": draw(VALUES)}
                for name in draw(st.lists(st.sampled_from(PARAMETER_NAMES), max_size=2, unique=True))
            },
            "template": draw(template(depth + 1)),
        }
    else:
        properties = draw(
            st.dictionaries(
                st.sampled_from(["a", "schedulePolicy", "retentionPolicy", "copy"]), VALUES, max_size=3
            )
        )
    body["properties"] = properties
    if depth < 2 and draw(st.integers(0, 5)) == 0:
        body["resources"] = draw(st.lists(resource(depth + 1), max_size=2))
    return body


@st.composite
def template(draw: st.DrawFn, depth: int = 0) -> dict[str, object]:
    """An ARM template (top level or nested) with every section sometimes present."""
    data: dict[str, object] = {"$schema": SCHEMA, "contentVersion": "1.0.0.0"}
    if draw(st.booleans()):
        data["parameters"] = draw(parameters_section())
    if draw(st.booleans()):
        variables: dict[str, object] = {
            name: draw(VALUES) for name in draw(st.lists(st.sampled_from(VARIABLE_NAMES), unique=True))
        }
        if draw(st.integers(0, 3)) == 0:
            variables["copy"] = [
                {"name": "cv", "count": draw(st.integers(0, 5) | VALUES), "input": draw(VALUES)}
            ]
        data["variables"] = variables
    if draw(st.integers(0, 3)) == 0:
        data["functions"] = [
            {
                "namespace": "ns",
                "members": {
                    "fn": {
                        "parameters": [{"name": "x", "type": "string"}],
                        "output": {"type": "string", "value": draw(VALUES)},
                    }
                },
            }
        ]
    data["resources"] = draw(st.lists(resource(depth), max_size=3 if depth == 0 else 1))
    if draw(st.booleans()):
        data["outputs"] = {
            name: {
                "type": draw(st.sampled_from(["string", "int", "object", "secureString"])),
                "value": draw(VALUES),
            }
            for name in draw(st.lists(st.sampled_from(["o1", "o2"]), unique=True))
        }
    if depth == 0 and draw(st.integers(0, 5)) == 0:
        data["metadata"] = {
            "templategen": {
                "ignore": draw(st.lists(st.sampled_from(["TG401", "TG9", "nope", "TG001"]), max_size=2))
            }
        }
    return data


@st.composite
def parameters_file(draw: st.DrawFn) -> dict[str, object]:
    """A deployment parameters file for the names the generator uses (Key Vault references too)."""
    entries: dict[str, object] = {}
    for name in draw(st.lists(st.sampled_from([*PARAMETER_NAMES, "unknownParam"]), unique=True, max_size=4)):
        if draw(st.integers(0, 4)) == 0:
            entries[name] = {
                "reference": {
                    "keyVault": {
                        "id": "/subscriptions/0/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv"
                    },
                    "secretName": "s",
                }
            }
        else:
            entries[name] = {"value": draw(VALUES)}
    return {"$schema": PARAMETERS_SCHEMA, "contentVersion": "1.0.0.0", "parameters": entries}
