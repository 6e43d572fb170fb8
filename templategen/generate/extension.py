"""The VMSnapshot / VMSnapshotLinux extension as ARM JSON: full template, child snippet, parameters.

Protected settings are SAS credentials. They only ever reach the template through secure parameters
(`secureObject` by default, or three `securestring` parameters fed from Key Vault references in the
parameters file); no value is ever written into a generated file.
"""

from __future__ import annotations

from templategen import __version__
from templategen.generate.armjson import (
    CONTENT_VERSION,
    DEPLOYMENT_PARAMETERS_SCHEMA,
    DEPLOYMENT_TEMPLATE_SCHEMA,
    Expr,
    param,
    string_literal,
)
from templategen.inputs.model import EXTENSION_TYPE, PROTECTED_ORDER, SETTINGS_ORDER, VM_TYPE, ExtensionInput

PROTECTED_DESCRIPTIONS = {
    "objectStr": "Blob SAS URIs of the VM's disks, as issued by Azure Backup for a backup job.",
    "logsBlobUri": "Blob SAS URI the extension writes its log to.",
    "statusBlobUri": "Blob SAS URI the extension writes the command status to.",
}


def parameter_descriptions(model: ExtensionInput) -> dict[str, str]:
    """Descriptions shared by the ARM and Bicep outputs (one wording for both)."""
    return {
        "vmName": "Name of the existing virtual machine the extension is installed on.",
        "location": "Location of the extension: the region of the virtual machine.",
        "protectedSettings": (
            "Protected settings of the extension: objectStr, logsBlobUri and statusBlobUri, the SAS "
            "credentials Azure Backup issues for a backup job. Supply them at deployment; never commit them."
        ),
        **PROTECTED_DESCRIPTIONS,
    }


def _properties(model: ExtensionInput) -> dict[str, object]:
    protected: object
    if model.protected_source == "keyVault":
        protected = {key: param(key) for key in PROTECTED_ORDER}
    else:
        protected = param("protectedSettings")
    return {
        "publisher": model.publisher,
        "type": model.extension_type,
        "typeHandlerVersion": model.type_handler_version,
        "autoUpgradeMinorVersion": model.auto_upgrade_minor_version,
        "settings": {key: model.settings[key] for key in SETTINGS_ORDER},
        "protectedSettings": protected,
    }


def build_template(model: ExtensionInput) -> dict[str, object]:
    """A complete deployment template installing the extension on an existing VM."""
    descriptions = parameter_descriptions(model)
    parameters: dict[str, object] = {}
    vm_param: dict[str, object] = {"type": "string"}
    if model.vm_name is not None:
        vm_param["defaultValue"] = model.vm_name
    vm_param["metadata"] = {"description": descriptions["vmName"]}
    parameters["vmName"] = vm_param
    parameters["location"] = {
        "type": "string",
        "defaultValue": model.location if model.location is not None else Expr("resourceGroup().location"),
        "metadata": {"description": descriptions["location"]},
    }
    if model.protected_source == "keyVault":
        for key in PROTECTED_ORDER:
            # Spelled as Bicep compiles it and as the official template schema's enum lists it.
            parameters[key] = {"type": "securestring", "metadata": {"description": descriptions[key]}}
    else:
        parameters["protectedSettings"] = {
            "type": "secureObject",
            "metadata": {"description": descriptions["protectedSettings"]},
        }
    resource: dict[str, object] = {
        "type": EXTENSION_TYPE,
        "apiVersion": model.api_versions[EXTENSION_TYPE],
        "name": Expr(f"format('{{0}}/{{1}}', parameters('vmName'), {string_literal(model.name)})"),
        "location": param("location"),
    }
    if model.tags:
        resource["tags"] = dict(model.tags)
    resource["properties"] = _properties(model)
    return {
        "$schema": DEPLOYMENT_TEMPLATE_SCHEMA,
        "contentVersion": CONTENT_VERSION,
        "metadata": {"_generator": {"name": "templategen", "version": __version__, "input": model.source}},
        "parameters": parameters,
        "resources": [resource],
    }


def build_snippet(model: ExtensionInput) -> dict[str, object]:
    """The extension as a child resource, for the `resources` array of the VM in another template.

    This is the document's shape (`"type": "extensions"`, name without the VM prefix). The VM is in
    the same template by construction, so the snippet depends on it explicitly: ARM does not order a
    nested child after its parent by itself. It uses the host template's `location` parameter and its
    secure parameter(s) for the protected settings.
    """
    vm = string_literal(model.vm_name) if model.vm_name is not None else "parameters('vmName')"
    snippet: dict[str, object] = {
        "type": "extensions",
        "apiVersion": model.api_versions[EXTENSION_TYPE],
        "name": model.name,
        "location": param("location"),
        "dependsOn": [Expr(f"resourceId({string_literal(VM_TYPE)}, {vm})")],
    }
    if model.tags:
        snippet["tags"] = dict(model.tags)
    snippet["properties"] = _properties(model)
    return snippet


def build_parameters(model: ExtensionInput) -> dict[str, object]:
    """The deployment parameters file: the input's values and Key Vault references, never a secret."""
    values: dict[str, object] = {}
    if model.vm_name is not None:
        values["vmName"] = {"value": model.vm_name}
    if model.location is not None:
        values["location"] = {"value": model.location}
    if model.protected_source == "keyVault":
        assert model.key_vault_id is not None
        for key in PROTECTED_ORDER:
            values[key] = {
                "reference": {"keyVault": {"id": model.key_vault_id}, "secretName": model.secret_names[key]}
            }
    return {"$schema": DEPLOYMENT_PARAMETERS_SCHEMA, "contentVersion": CONTENT_VERSION, "parameters": values}


def bicep_context(model: ExtensionInput) -> dict[str, object]:
    """Values for `templates/vmsnapshot-extension*.bicep.j2`; the properties are the same objects
    the ARM output serialises, so both formats carry identical settings."""
    from templategen.generate.bicep import BicepExpr

    return {
        "version": __version__,
        "source": model.source,
        "extension_type": model.extension_type,
        "descriptions": parameter_descriptions(model),
        "vm_name": model.vm_name,
        "location": model.location if model.location is not None else BicepExpr("resourceGroup().location"),
        "protected_source": model.protected_source,
        "protected_keys": list(PROTECTED_ORDER),
        "vm_api_version": model.api_versions[VM_TYPE],
        "api_version": model.api_versions[EXTENSION_TYPE],
        "name": model.name,
        "tags": dict(model.tags),
        "properties": _properties(model),
    }
