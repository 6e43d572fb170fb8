"""The model of a deployment parameters file (`azuredeploy.parameters.json`).

A parameters file gives each template parameter either a `value` or a Key Vault `reference`
(`{keyVault: {id}, secretName, secretVersion}`): the secret never sits in the file. Rules compare
these entries with the template's parameters (unknown names, missing required values, a secure
parameter given in clear text), so the model keeps names case-insensitively, the raw values and the
pointer of each entry. Like the template model it never raises on odd structure: it notes it in
`problems`.
"""

from __future__ import annotations

from templategen.arm.names import escape_token, lower_keys, walk_path

TYPE_CHECKING = False  # typing costs milliseconds at start-up; mypy still reads the block below
if TYPE_CHECKING:
    from templategen.arm.template import SourceDocument


class KeyVaultReference:
    """`reference: {keyVault: {id}, secretName, secretVersion}` of a parameter value (raw values;
    `vault_id` and `secret_name` None when missing). `pointer` is the `reference` object."""

    __slots__ = ("pointer", "raw", "secret_name", "secret_version", "vault_id")

    def __init__(self, raw: dict[str, object], pointer: str) -> None:
        self.raw = raw
        self.pointer = pointer
        vault = walk_path(raw, pointer, ("keyVault", "id"))
        self.vault_id: object = vault[0] if vault is not None else None
        keys = lower_keys(raw)
        self.secret_name: object = raw[keys["secretname"]] if "secretname" in keys else None
        self.secret_version: object = raw[keys["secretversion"]] if "secretversion" in keys else None

    def __repr__(self) -> str:
        return f"KeyVaultReference(secret={self.secret_name!r})"


class ParameterValue:
    """One entry of a parameters file: `value` (raw, `has_value`) or a Key Vault `reference`.

    `reference` is set only when the `reference` member is an object; `has_reference` and
    `reference_raw` keep anything else written there (the quickstarts' CI writes placeholders such as
    `"reference": "GEN-KEYVAULT-PASSWORD-REFERENCE"` that it replaces before deploying).
    """

    __slots__ = (
        "has_reference",
        "has_value",
        "key",
        "metadata",
        "name",
        "pointer",
        "raw",
        "reference",
        "reference_raw",
        "value",
        "value_pointer",
    )

    def __init__(
        self, name: str, raw: dict[str, object], pointer: str, problems: list[tuple[str, str]]
    ) -> None:
        keys = lower_keys(raw)
        self.name = name
        self.key = name.lower()
        self.raw = raw
        self.pointer = pointer
        self.has_value = "value" in keys
        self.value: object = raw[keys["value"]] if self.has_value else None
        self.value_pointer = pointer + "/" + escape_token(keys["value"]) if self.has_value else pointer
        self.reference: KeyVaultReference | None = None
        self.has_reference = "reference" in keys
        self.reference_raw: object = raw[keys["reference"]] if self.has_reference else None
        if self.has_reference:
            reference = self.reference_raw
            reference_pointer = pointer + "/" + escape_token(keys["reference"])
            if isinstance(reference, dict):
                self.reference = KeyVaultReference(reference, reference_pointer)
            else:
                problems.append((reference_pointer, f"reference of parameter '{name}' is not an object"))
        metadata = raw[keys["metadata"]] if "metadata" in keys else None
        self.metadata: dict[str, object] = metadata if isinstance(metadata, dict) else {}

    def pointer_of(self, *path: str | int) -> str | None:
        """Pointer of a member of this entry (`"reference", "secretName"`), spelled as in the file."""
        found = walk_path(self.raw, self.pointer, path)
        return None if found is None else found[1]

    def __repr__(self) -> str:
        return f"ParameterValue({self.name!r}{' reference' if self.reference else ''})"


class ParametersFile:
    """A parameters file: `parameters` maps lower-cased names to entries, in document order."""

    __slots__ = ("content_version", "data", "document", "key_map", "parameters", "path", "problems", "schema")

    def __init__(self, data: dict[str, object], path: str, document: object = None) -> None:
        keys = lower_keys(data)
        self.key_map = keys
        self.data = data
        self.path = path
        self.document = document
        self.problems: list[tuple[str, str]] = []
        self.schema: object = data[keys["$schema"]] if "$schema" in keys else None
        self.content_version: object = data[keys["contentversion"]] if "contentversion" in keys else None
        self.parameters: dict[str, ParameterValue] = {}
        if "parameters" not in keys:
            return
        section = data[keys["parameters"]]
        base = "/" + escape_token(keys["parameters"])
        if not isinstance(section, dict):
            self.problems.append((base, "`parameters` is not an object"))
            return
        for name, raw in section.items():
            pointer = base + "/" + escape_token(name)
            if not isinstance(raw, dict):
                self.problems.append(
                    (pointer, f"parameter '{name}' is not an object with `value` or `reference`")
                )
                continue
            entry = ParameterValue(name, raw, pointer, self.problems)
            if entry.key in self.parameters:
                first = self.parameters[entry.key].name
                self.problems.append(
                    (pointer, f"parameter '{name}' repeats '{first}' (names are case-insensitive)")
                )
                continue
            self.parameters[entry.key] = entry

    def parameter(self, name: str) -> ParameterValue | None:
        return self.parameters.get(name.lower())

    def get(self, *path: str | int, default: object = None) -> object:
        found = walk_path(self.data, "", path)
        return default if found is None else found[0]

    def pointer_of(self, *path: str | int) -> str | None:
        found = walk_path(self.data, "", path)
        return None if found is None else found[1]

    def __repr__(self) -> str:
        return f"ParametersFile({self.path!r}, {len(self.parameters)} parameters)"


def parameters_from_data(data: object, path: str, document: object = None) -> ParametersFile:
    """Build the model of a parameters file from parsed JSON; ValueError when it is not an object."""
    if not isinstance(data, dict):
        raise ValueError(f"{path}: a parameters file must be a JSON object")
    return ParametersFile(data, path, document)


def build_parameters(document: SourceDocument) -> ParametersFile:
    """Build the model of a parameters file from a reader's document (`arm/document.JsonDocument`)."""
    return parameters_from_data(document.data, document.path, document)


#: Bicep parameters files (`using 'main.bicep'` + `param x = …`): not JSON, and not read yet.
BICEPPARAM_EXTENSION = ".bicepparam"


def bicepparam_refusal(path: str) -> str | None:
    """What `-p` says about a `.bicepparam` file (None for any other path): lint, graph and deploy
    refuse it the same way instead of reporting it as broken JSON."""
    if not path.lower().endswith(BICEPPARAM_EXTENSION):
        return None
    return (
        "Bicep parameters files are not read yet; give the JSON parameters file "
        f"(`az bicep build-params --file {path}` writes one)"
    )
