"""Bad and good examples of the VMSnapshot rules (`templategen.rules.extension`), as JSON text.

Each example is a complete template that really fails or passes its rule (tests/rules/test_examples.py
lints every one through the CLI), kept here as plain text so docs/rules.md shows readable JSON and
importing the rules costs nothing.

Most examples are one extension that is right in every respect but the rule's: all five settings,
protected settings from a `secureObject` parameter (or, where the rule is about them, each from a
secure parameter), and the good example differs from the bad one only where the rule looks. Deploying
the extension by hand is itself reported as information (TG514), so every example that deploys it
shows that info. The only SAS expiry written in an example expired long ago (TG508's bad one): a fixed
example never writes one, so it cannot start failing on a later date.
"""

from __future__ import annotations

TG501_BAD = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "location": {"type": "string", "defaultValue": "[resourceGroup().location]"},
    "protectedSettings": {"type": "secureObject"}
  },
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachines/extensions",
      "apiVersion": "2026-03-01",
      "name": "vm1/VMSnapshot",
      "location": "[parameters('location')]",
      "properties": {
        "publisher": "Microsoft.Azure.RecoveryServices",
        "type": "VMSnapshot",
        "typeHandlerVersion": "1.9",
        "autoUpgradeMinorVersion": true,
        "settings": {
          "locale": "westeurope",
          "taskId": "e07354cf-041e-4370-929f-25a319ce8933_1",
          "commandToExecute": "snapshot",
          "commandStartTimeUTCTicks": "636458000000000000",
          "vmType": "microsoft.compute/virtualmachines"
        },
        "protectedSettings": "[parameters('protectedSettings')]"
      }
    }
  ]
}"""

TG501_GOOD = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "location": {"type": "string", "defaultValue": "[resourceGroup().location]"},
    "protectedSettings": {"type": "secureObject"}
  },
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachines/extensions",
      "apiVersion": "2026-03-01",
      "name": "vm1/VMSnapshot",
      "location": "[parameters('location')]",
      "properties": {
        "publisher": "Microsoft.Azure.RecoveryServices",
        "type": "VMSnapshot",
        "typeHandlerVersion": "1.9",
        "autoUpgradeMinorVersion": true,
        "settings": {
          "locale": "en-us",
          "taskId": "e07354cf-041e-4370-929f-25a319ce8933_1",
          "commandToExecute": "snapshot",
          "commandStartTimeUTCTicks": "636458000000000000",
          "vmType": "microsoft.compute/virtualmachines"
        },
        "protectedSettings": "[parameters('protectedSettings')]"
      }
    }
  ]
}"""

TG502_BAD = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "location": {"type": "string", "defaultValue": "[resourceGroup().location]"},
    "objectStr": {"type": "secureString"},
    "logsBlobUri": {"type": "secureString"},
    "statusBlobUri": {"type": "secureString"}
  },
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachines/extensions",
      "apiVersion": "2026-03-01",
      "name": "vm1/VMSnapshot",
      "location": "[parameters('location')]",
      "properties": {
        "publisher": "Microsoft.Azure.RecoveryServices",
        "type": "VMSnapshot",
        "typeHandlerVersion": "1.9",
        "autoUpgradeMinorVersion": true,
        "settings": {
          "locale": "en-us",
          "taskId": "e07354cf-041e-4370-929f-25a319ce8933_1",
          "commandToExecute": "snapshot",
          "commandStartTimeUTCTicks": "636458000000000000",
          "vmType": "microsoft.compute/virtualmachines"
        },
        "protectedSettings": {
          "objectStr": "[parameters('objectStr')]",
          "logsBlobUri": "[parameters('logsBlobUri')]",
          "statusBlobUrl": "[parameters('statusBlobUri')]"
        }
      }
    }
  ]
}"""

TG502_GOOD = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "location": {"type": "string", "defaultValue": "[resourceGroup().location]"},
    "objectStr": {"type": "secureString"},
    "logsBlobUri": {"type": "secureString"},
    "statusBlobUri": {"type": "secureString"}
  },
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachines/extensions",
      "apiVersion": "2026-03-01",
      "name": "vm1/VMSnapshot",
      "location": "[parameters('location')]",
      "properties": {
        "publisher": "Microsoft.Azure.RecoveryServices",
        "type": "VMSnapshot",
        "typeHandlerVersion": "1.9",
        "autoUpgradeMinorVersion": true,
        "settings": {
          "locale": "en-us",
          "taskId": "e07354cf-041e-4370-929f-25a319ce8933_1",
          "commandToExecute": "snapshot",
          "commandStartTimeUTCTicks": "636458000000000000",
          "vmType": "microsoft.compute/virtualmachines"
        },
        "protectedSettings": {
          "objectStr": "[parameters('objectStr')]",
          "logsBlobUri": "[parameters('logsBlobUri')]",
          "statusBlobUri": "[parameters('statusBlobUri')]"
        }
      }
    }
  ]
}"""

TG503_BAD = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "location": {"type": "string", "defaultValue": "[resourceGroup().location]"},
    "statusBlobUri": {"type": "secureString"},
    "protectedSettings": {"type": "secureObject"}
  },
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachines/extensions",
      "apiVersion": "2026-03-01",
      "name": "vm1/VMSnapshot",
      "location": "[parameters('location')]",
      "properties": {
        "publisher": "Microsoft.Azure.RecoveryServices",
        "type": "VMSnapshot",
        "typeHandlerVersion": "1.9",
        "autoUpgradeMinorVersion": true,
        "settings": {
          "locale": "en-us",
          "taskId": "e07354cf-041e-4370-929f-25a319ce8933_1",
          "commandToExecute": "snapshot",
          "commandStartTimeUTCTicks": "636458000000000000",
          "vmType": "microsoft.compute/virtualmachines",
          "statusBlobUri": "[parameters('statusBlobUri')]"
        },
        "protectedSettings": "[parameters('protectedSettings')]"
      }
    }
  ]
}"""

TG503_GOOD = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "location": {"type": "string", "defaultValue": "[resourceGroup().location]"},
    "protectedSettings": {"type": "secureObject"}
  },
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachines/extensions",
      "apiVersion": "2026-03-01",
      "name": "vm1/VMSnapshot",
      "location": "[parameters('location')]",
      "properties": {
        "publisher": "Microsoft.Azure.RecoveryServices",
        "type": "VMSnapshot",
        "typeHandlerVersion": "1.9",
        "autoUpgradeMinorVersion": true,
        "settings": {
          "locale": "en-us",
          "taskId": "e07354cf-041e-4370-929f-25a319ce8933_1",
          "commandToExecute": "snapshot",
          "commandStartTimeUTCTicks": "636458000000000000",
          "vmType": "microsoft.compute/virtualmachines"
        },
        "protectedSettings": "[parameters('protectedSettings')]"
      }
    }
  ]
}"""

TG504_BAD = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "location": {"type": "string", "defaultValue": "[resourceGroup().location]"},
    "protectedSettings": {"type": "object"}
  },
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachines/extensions",
      "apiVersion": "2026-03-01",
      "name": "vm1/VMSnapshot",
      "location": "[parameters('location')]",
      "properties": {
        "publisher": "Microsoft.Azure.RecoveryServices",
        "type": "VMSnapshot",
        "typeHandlerVersion": "1.9",
        "autoUpgradeMinorVersion": true,
        "settings": {
          "locale": "en-us",
          "taskId": "e07354cf-041e-4370-929f-25a319ce8933_1",
          "commandToExecute": "snapshot",
          "commandStartTimeUTCTicks": "636458000000000000",
          "vmType": "microsoft.compute/virtualmachines"
        },
        "protectedSettings": "[parameters('protectedSettings')]"
      }
    }
  ]
}"""

TG504_GOOD = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "location": {"type": "string", "defaultValue": "[resourceGroup().location]"},
    "protectedSettings": {"type": "secureObject"}
  },
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachines/extensions",
      "apiVersion": "2026-03-01",
      "name": "vm1/VMSnapshot",
      "location": "[parameters('location')]",
      "properties": {
        "publisher": "Microsoft.Azure.RecoveryServices",
        "type": "VMSnapshot",
        "typeHandlerVersion": "1.9",
        "autoUpgradeMinorVersion": true,
        "settings": {
          "locale": "en-us",
          "taskId": "e07354cf-041e-4370-929f-25a319ce8933_1",
          "commandToExecute": "snapshot",
          "commandStartTimeUTCTicks": "636458000000000000",
          "vmType": "microsoft.compute/virtualmachines"
        },
        "protectedSettings": "[parameters('protectedSettings')]"
      }
    }
  ]
}"""

TG505_BAD = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "location": {"type": "string", "defaultValue": "[resourceGroup().location]"},
    "protectedSettings": {"type": "secureObject"}
  },
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachines/extensions",
      "apiVersion": "2026-03-01",
      "name": "vm1/VMSnapshot",
      "location": "[parameters('location')]",
      "properties": {
        "publisher": "Microsoft.Azure.RecoveryServices",
        "type": "VMSnapshot",
        "typeHandlerVersion": "1.9",
        "autoUpgradeMinorVersion": true,
        "settings": {
          "locale": "en-us",
          "taskId": "e07354cf-041e-4370-929f-25a319ce8933_1",
          "commandToExecute": "snapshot",
          "commandStartTimeUTCTicks": "6.36458E+17",
          "vmType": "microsoft.compute/virtualmachines"
        },
        "protectedSettings": "[parameters('protectedSettings')]"
      }
    }
  ]
}"""

TG505_GOOD = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "location": {"type": "string", "defaultValue": "[resourceGroup().location]"},
    "protectedSettings": {"type": "secureObject"}
  },
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachines/extensions",
      "apiVersion": "2026-03-01",
      "name": "vm1/VMSnapshot",
      "location": "[parameters('location')]",
      "properties": {
        "publisher": "Microsoft.Azure.RecoveryServices",
        "type": "VMSnapshot",
        "typeHandlerVersion": "1.9",
        "autoUpgradeMinorVersion": true,
        "settings": {
          "locale": "en-us",
          "taskId": "e07354cf-041e-4370-929f-25a319ce8933_1",
          "commandToExecute": "snapshot",
          "commandStartTimeUTCTicks": "636458000000000000",
          "vmType": "microsoft.compute/virtualmachines"
        },
        "protectedSettings": "[parameters('protectedSettings')]"
      }
    }
  ]
}"""

TG506_BAD = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "location": {"type": "string", "defaultValue": "[resourceGroup().location]"},
    "logsBlobUri": {"type": "secureString"},
    "statusBlobUri": {"type": "secureString"}
  },
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachines/extensions",
      "apiVersion": "2026-03-01",
      "name": "vm1/VMSnapshot",
      "location": "[parameters('location')]",
      "properties": {
        "publisher": "Microsoft.Azure.RecoveryServices",
        "type": "VMSnapshot",
        "typeHandlerVersion": "1.9",
        "autoUpgradeMinorVersion": true,
        "settings": {
          "locale": "en-us",
          "taskId": "e07354cf-041e-4370-929f-25a319ce8933_1",
          "commandToExecute": "snapshot",
          "commandStartTimeUTCTicks": "636458000000000000",
          "vmType": "microsoft.compute/virtualmachines"
        },
        "protectedSettings": {
          "objectStr": "\\"blobSASUri\\": []",
          "logsBlobUri": "[parameters('logsBlobUri')]",
          "statusBlobUri": "[parameters('statusBlobUri')]"
        }
      }
    }
  ]
}"""

TG506_GOOD = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "location": {"type": "string", "defaultValue": "[resourceGroup().location]"},
    "diskSasUri": {"type": "secureString"},
    "logsBlobUri": {"type": "secureString"},
    "statusBlobUri": {"type": "secureString"}
  },
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachines/extensions",
      "apiVersion": "2026-03-01",
      "name": "vm1/VMSnapshot",
      "location": "[parameters('location')]",
      "properties": {
        "publisher": "Microsoft.Azure.RecoveryServices",
        "type": "VMSnapshot",
        "typeHandlerVersion": "1.9",
        "autoUpgradeMinorVersion": true,
        "settings": {
          "locale": "en-us",
          "taskId": "e07354cf-041e-4370-929f-25a319ce8933_1",
          "commandToExecute": "snapshot",
          "commandStartTimeUTCTicks": "636458000000000000",
          "vmType": "microsoft.compute/virtualmachines"
        },
        "protectedSettings": {
          "objectStr": "[string(createObject('blobSASUri', createArray(parameters('diskSasUri'))))]",
          "logsBlobUri": "[parameters('logsBlobUri')]",
          "statusBlobUri": "[parameters('statusBlobUri')]"
        }
      }
    }
  ]
}"""

TG507_BAD = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "location": {"type": "string", "defaultValue": "[resourceGroup().location]"},
    "objectStr": {"type": "secureString"},
    "logsBlobUri": {"type": "secureString"},
    "sasToken": {"type": "secureString"}
  },
  "variables": {
    "blob": "http://acct1.blob.core.windows.net/logs/vm1.Status.txt"
  },
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachines/extensions",
      "apiVersion": "2026-03-01",
      "name": "vm1/VMSnapshot",
      "location": "[parameters('location')]",
      "properties": {
        "publisher": "Microsoft.Azure.RecoveryServices",
        "type": "VMSnapshot",
        "typeHandlerVersion": "1.9",
        "autoUpgradeMinorVersion": true,
        "settings": {
          "locale": "en-us",
          "taskId": "e07354cf-041e-4370-929f-25a319ce8933_1",
          "commandToExecute": "snapshot",
          "commandStartTimeUTCTicks": "636458000000000000",
          "vmType": "microsoft.compute/virtualmachines"
        },
        "protectedSettings": {
          "objectStr": "[parameters('objectStr')]",
          "logsBlobUri": "[parameters('logsBlobUri')]",
          "statusBlobUri": "[concat(variables('blob'), '?', parameters('sasToken'))]"
        }
      }
    }
  ]
}"""

TG507_GOOD = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "location": {"type": "string", "defaultValue": "[resourceGroup().location]"},
    "objectStr": {"type": "secureString"},
    "logsBlobUri": {"type": "secureString"},
    "sasToken": {"type": "secureString"}
  },
  "variables": {
    "blob": "https://acct1.blob.core.windows.net/logs/vm1.Status.txt"
  },
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachines/extensions",
      "apiVersion": "2026-03-01",
      "name": "vm1/VMSnapshot",
      "location": "[parameters('location')]",
      "properties": {
        "publisher": "Microsoft.Azure.RecoveryServices",
        "type": "VMSnapshot",
        "typeHandlerVersion": "1.9",
        "autoUpgradeMinorVersion": true,
        "settings": {
          "locale": "en-us",
          "taskId": "e07354cf-041e-4370-929f-25a319ce8933_1",
          "commandToExecute": "snapshot",
          "commandStartTimeUTCTicks": "636458000000000000",
          "vmType": "microsoft.compute/virtualmachines"
        },
        "protectedSettings": {
          "objectStr": "[parameters('objectStr')]",
          "logsBlobUri": "[parameters('logsBlobUri')]",
          "statusBlobUri": "[concat(variables('blob'), '?', parameters('sasToken'))]"
        }
      }
    }
  ]
}"""

TG508_BAD = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "location": {"type": "string", "defaultValue": "[resourceGroup().location]"},
    "objectStr": {"type": "secureString"},
    "logsBlobUri": {"type": "secureString"},
    "sig": {"type": "secureString"}
  },
  "variables": {
    "blob": "https://acct1.blob.core.windows.net/logs/vm1.Status.txt",
    "sas": "sv=2014-02-14&sr=b&st=2017-11-09T14%3A33%3A29Z&se=2017-11-09T17%3A38%3A29Z&sp=rw"
  },
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachines/extensions",
      "apiVersion": "2026-03-01",
      "name": "vm1/VMSnapshot",
      "location": "[parameters('location')]",
      "properties": {
        "publisher": "Microsoft.Azure.RecoveryServices",
        "type": "VMSnapshot",
        "typeHandlerVersion": "1.9",
        "autoUpgradeMinorVersion": true,
        "settings": {
          "locale": "en-us",
          "taskId": "e07354cf-041e-4370-929f-25a319ce8933_1",
          "commandToExecute": "snapshot",
          "commandStartTimeUTCTicks": "636458000000000000",
          "vmType": "microsoft.compute/virtualmachines"
        },
        "protectedSettings": {
          "objectStr": "[parameters('objectStr')]",
          "logsBlobUri": "[parameters('logsBlobUri')]",
          "statusBlobUri": "[concat(variables('blob'), '?', variables('sas'), '&sig=', parameters('sig'))]"
        }
      }
    }
  ]
}"""

TG508_GOOD = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "location": {"type": "string", "defaultValue": "[resourceGroup().location]"},
    "objectStr": {"type": "secureString"},
    "logsBlobUri": {"type": "secureString"},
    "sasToken": {"type": "secureString"}
  },
  "variables": {
    "blob": "https://acct1.blob.core.windows.net/logs/vm1.Status.txt"
  },
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachines/extensions",
      "apiVersion": "2026-03-01",
      "name": "vm1/VMSnapshot",
      "location": "[parameters('location')]",
      "properties": {
        "publisher": "Microsoft.Azure.RecoveryServices",
        "type": "VMSnapshot",
        "typeHandlerVersion": "1.9",
        "autoUpgradeMinorVersion": true,
        "settings": {
          "locale": "en-us",
          "taskId": "e07354cf-041e-4370-929f-25a319ce8933_1",
          "commandToExecute": "snapshot",
          "commandStartTimeUTCTicks": "636458000000000000",
          "vmType": "microsoft.compute/virtualmachines"
        },
        "protectedSettings": {
          "objectStr": "[parameters('objectStr')]",
          "logsBlobUri": "[parameters('logsBlobUri')]",
          "statusBlobUri": "[concat(variables('blob'), '?', parameters('sasToken'))]"
        }
      }
    }
  ]
}"""

TG509_BAD = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "location": {"type": "string", "defaultValue": "[resourceGroup().location]"},
    "protectedSettings": {"type": "secureObject"}
  },
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachines/extensions",
      "apiVersion": "2026-03-01",
      "name": "vm1/VMSnapshot",
      "location": "[parameters('location')]",
      "properties": {
        "publisher": "Microsoft.RecoveryServices",
        "type": "VMSnapshot",
        "typeHandlerVersion": "1.9",
        "autoUpgradeMinorVersion": true,
        "settings": {
          "locale": "en-us",
          "taskId": "e07354cf-041e-4370-929f-25a319ce8933_1",
          "commandToExecute": "snapshot",
          "commandStartTimeUTCTicks": "636458000000000000",
          "vmType": "microsoft.compute/virtualmachines"
        },
        "protectedSettings": "[parameters('protectedSettings')]"
      }
    }
  ]
}"""

TG509_GOOD = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "location": {"type": "string", "defaultValue": "[resourceGroup().location]"},
    "protectedSettings": {"type": "secureObject"}
  },
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachines/extensions",
      "apiVersion": "2026-03-01",
      "name": "vm1/VMSnapshot",
      "location": "[parameters('location')]",
      "properties": {
        "publisher": "Microsoft.Azure.RecoveryServices",
        "type": "VMSnapshot",
        "typeHandlerVersion": "1.9",
        "autoUpgradeMinorVersion": true,
        "settings": {
          "locale": "en-us",
          "taskId": "e07354cf-041e-4370-929f-25a319ce8933_1",
          "commandToExecute": "snapshot",
          "commandStartTimeUTCTicks": "636458000000000000",
          "vmType": "microsoft.compute/virtualmachines"
        },
        "protectedSettings": "[parameters('protectedSettings')]"
      }
    }
  ]
}"""

TG510_BAD = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "location": {"type": "string", "defaultValue": "[resourceGroup().location]"},
    "protectedSettings": {"type": "secureObject"}
  },
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachines",
      "apiVersion": "2026-03-01",
      "name": "vm1",
      "location": "[parameters('location')]",
      "properties": {"osProfile": {"computerName": "vm1", "linuxConfiguration": {}}}
    },
    {
      "type": "Microsoft.Compute/virtualMachines/extensions",
      "apiVersion": "2026-03-01",
      "name": "vm1/VMSnapshot",
      "location": "[parameters('location')]",
      "dependsOn": ["[resourceId('Microsoft.Compute/virtualMachines', 'vm1')]"],
      "properties": {
        "publisher": "Microsoft.Azure.RecoveryServices",
        "type": "VMSnapshot",
        "typeHandlerVersion": "1.9",
        "autoUpgradeMinorVersion": true,
        "settings": {
          "locale": "en-us",
          "taskId": "e07354cf-041e-4370-929f-25a319ce8933_1",
          "commandToExecute": "snapshot",
          "commandStartTimeUTCTicks": "636458000000000000",
          "vmType": "microsoft.compute/virtualmachines"
        },
        "protectedSettings": "[parameters('protectedSettings')]"
      }
    }
  ]
}"""

TG510_GOOD = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "location": {"type": "string", "defaultValue": "[resourceGroup().location]"},
    "protectedSettings": {"type": "secureObject"}
  },
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachines",
      "apiVersion": "2026-03-01",
      "name": "vm1",
      "location": "[parameters('location')]",
      "properties": {"osProfile": {"computerName": "vm1", "linuxConfiguration": {}}}
    },
    {
      "type": "Microsoft.Compute/virtualMachines/extensions",
      "apiVersion": "2026-03-01",
      "name": "vm1/VMSnapshotLinux",
      "location": "[parameters('location')]",
      "dependsOn": ["[resourceId('Microsoft.Compute/virtualMachines', 'vm1')]"],
      "properties": {
        "publisher": "Microsoft.Azure.RecoveryServices",
        "type": "VMSnapshotLinux",
        "typeHandlerVersion": "1.9",
        "autoUpgradeMinorVersion": true,
        "settings": {
          "locale": "en-us",
          "taskId": "e07354cf-041e-4370-929f-25a319ce8933_1",
          "commandToExecute": "snapshot",
          "commandStartTimeUTCTicks": "636458000000000000",
          "vmType": "microsoft.compute/virtualmachines"
        },
        "protectedSettings": "[parameters('protectedSettings')]"
      }
    }
  ]
}"""

TG511_BAD = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "location": {"type": "string", "defaultValue": "[resourceGroup().location]"},
    "protectedSettings": {"type": "secureObject"}
  },
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachines/extensions",
      "apiVersion": "2026-03-01",
      "name": "vm1/VMSnapshot",
      "location": "[parameters('location')]",
      "properties": {
        "publisher": "Microsoft.Azure.RecoveryServices",
        "type": "VMSnapshot",
        "typeHandlerVersion": 1.9,
        "autoUpgradeMinorVersion": true,
        "settings": {
          "locale": "en-us",
          "taskId": "e07354cf-041e-4370-929f-25a319ce8933_1",
          "commandToExecute": "snapshot",
          "commandStartTimeUTCTicks": "636458000000000000",
          "vmType": "microsoft.compute/virtualmachines"
        },
        "protectedSettings": "[parameters('protectedSettings')]"
      }
    }
  ]
}"""

TG511_GOOD = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "location": {"type": "string", "defaultValue": "[resourceGroup().location]"},
    "protectedSettings": {"type": "secureObject"}
  },
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachines/extensions",
      "apiVersion": "2026-03-01",
      "name": "vm1/VMSnapshot",
      "location": "[parameters('location')]",
      "properties": {
        "publisher": "Microsoft.Azure.RecoveryServices",
        "type": "VMSnapshot",
        "typeHandlerVersion": "1.9",
        "autoUpgradeMinorVersion": true,
        "settings": {
          "locale": "en-us",
          "taskId": "e07354cf-041e-4370-929f-25a319ce8933_1",
          "commandToExecute": "snapshot",
          "commandStartTimeUTCTicks": "636458000000000000",
          "vmType": "microsoft.compute/virtualmachines"
        },
        "protectedSettings": "[parameters('protectedSettings')]"
      }
    }
  ]
}"""

TG512_BAD = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "location": {"type": "string", "defaultValue": "[resourceGroup().location]"},
    "protectedSettings": {"type": "secureObject"}
  },
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachines",
      "apiVersion": "2026-03-01",
      "name": "vm1",
      "location": "[parameters('location')]",
      "properties": {"osProfile": {"computerName": "vm1", "windowsConfiguration": {}}}
    },
    {
      "type": "Microsoft.Compute/virtualMachines/extensions",
      "apiVersion": "2026-03-01",
      "name": "vm1/VMSnapshot",
      "location": "[parameters('location')]",
      "properties": {
        "publisher": "Microsoft.Azure.RecoveryServices",
        "type": "VMSnapshot",
        "typeHandlerVersion": "1.9",
        "autoUpgradeMinorVersion": true,
        "settings": {
          "locale": "en-us",
          "taskId": "e07354cf-041e-4370-929f-25a319ce8933_1",
          "commandToExecute": "snapshot",
          "commandStartTimeUTCTicks": "636458000000000000",
          "vmType": "microsoft.compute/virtualmachines"
        },
        "protectedSettings": "[parameters('protectedSettings')]"
      }
    }
  ]
}"""

TG512_GOOD = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "location": {"type": "string", "defaultValue": "[resourceGroup().location]"},
    "protectedSettings": {"type": "secureObject"}
  },
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachines",
      "apiVersion": "2026-03-01",
      "name": "vm1",
      "location": "[parameters('location')]",
      "properties": {"osProfile": {"computerName": "vm1", "windowsConfiguration": {}}}
    },
    {
      "type": "Microsoft.Compute/virtualMachines/extensions",
      "apiVersion": "2026-03-01",
      "name": "vm1/VMSnapshot",
      "location": "[parameters('location')]",
      "dependsOn": ["[resourceId('Microsoft.Compute/virtualMachines', 'vm1')]"],
      "properties": {
        "publisher": "Microsoft.Azure.RecoveryServices",
        "type": "VMSnapshot",
        "typeHandlerVersion": "1.9",
        "autoUpgradeMinorVersion": true,
        "settings": {
          "locale": "en-us",
          "taskId": "e07354cf-041e-4370-929f-25a319ce8933_1",
          "commandToExecute": "snapshot",
          "commandStartTimeUTCTicks": "636458000000000000",
          "vmType": "microsoft.compute/virtualmachines"
        },
        "protectedSettings": "[parameters('protectedSettings')]"
      }
    }
  ]
}"""

TG513_BAD = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "location": {"type": "string", "defaultValue": "[resourceGroup().location]"}
  },
  "variables": {
    "container": "[format('iaasvmcontainer;iaasvmcontainerv2;{0};vm1', resourceGroup().name)]",
    "item": "[format('vm;iaasvmcontainerv2;{0};vm1', resourceGroup().name)]",
    "policyId": "[resourceId('Microsoft.RecoveryServices/vaults/backupPolicies', 'rsv', 'DefaultPolicy')]"
  },
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachines",
      "apiVersion": "2026-03-01",
      "name": "vm1",
      "location": "[parameters('location')]",
      "properties": {"osProfile": {"computerName": "vm1", "allowExtensionOperations": false}}
    },
    {
      "type": "Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems",
      "apiVersion": "2026-05-01",
      "name": "[format('rsv/Azure/{0}/{1}', variables('container'), variables('item'))]",
      "dependsOn": ["[resourceId('Microsoft.Compute/virtualMachines', 'vm1')]"],
      "properties": {
        "protectedItemType": "Microsoft.Compute/virtualMachines",
        "policyId": "[variables('policyId')]",
        "sourceResourceId": "[resourceId('Microsoft.Compute/virtualMachines', 'vm1')]"
      }
    }
  ]
}"""

TG513_GOOD = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "location": {"type": "string", "defaultValue": "[resourceGroup().location]"}
  },
  "variables": {
    "container": "[format('iaasvmcontainer;iaasvmcontainerv2;{0};vm1', resourceGroup().name)]",
    "item": "[format('vm;iaasvmcontainerv2;{0};vm1', resourceGroup().name)]",
    "policyId": "[resourceId('Microsoft.RecoveryServices/vaults/backupPolicies', 'rsv', 'DefaultPolicy')]"
  },
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachines",
      "apiVersion": "2026-03-01",
      "name": "vm1",
      "location": "[parameters('location')]",
      "properties": {"osProfile": {"computerName": "vm1", "allowExtensionOperations": true}}
    },
    {
      "type": "Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems",
      "apiVersion": "2026-05-01",
      "name": "[format('rsv/Azure/{0}/{1}', variables('container'), variables('item'))]",
      "dependsOn": ["[resourceId('Microsoft.Compute/virtualMachines', 'vm1')]"],
      "properties": {
        "protectedItemType": "Microsoft.Compute/virtualMachines",
        "policyId": "[variables('policyId')]",
        "sourceResourceId": "[resourceId('Microsoft.Compute/virtualMachines', 'vm1')]"
      }
    }
  ]
}"""

TG514_BAD = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "location": {"type": "string", "defaultValue": "[resourceGroup().location]"},
    "protectedSettings": {"type": "secureObject"}
  },
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachines/extensions",
      "apiVersion": "2026-03-01",
      "name": "vm1/VMSnapshot",
      "location": "[parameters('location')]",
      "properties": {
        "publisher": "Microsoft.Azure.RecoveryServices",
        "type": "VMSnapshot",
        "typeHandlerVersion": "1.9",
        "autoUpgradeMinorVersion": true,
        "settings": {
          "locale": "en-us",
          "taskId": "e07354cf-041e-4370-929f-25a319ce8933_1",
          "commandToExecute": "snapshot",
          "commandStartTimeUTCTicks": "636458000000000000",
          "vmType": "microsoft.compute/virtualmachines"
        },
        "protectedSettings": "[parameters('protectedSettings')]"
      }
    }
  ]
}"""

TG514_GOOD = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "variables": {
    "container": "[format('iaasvmcontainer;iaasvmcontainerv2;{0};vm1', resourceGroup().name)]",
    "item": "[format('vm;iaasvmcontainerv2;{0};vm1', resourceGroup().name)]",
    "policyId": "[resourceId('Microsoft.RecoveryServices/vaults/backupPolicies', 'rsv', 'DefaultPolicy')]"
  },
  "resources": [
    {
      "type": "Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems",
      "apiVersion": "2026-05-01",
      "name": "[format('rsv/Azure/{0}/{1}', variables('container'), variables('item'))]",
      "properties": {
        "protectedItemType": "Microsoft.Compute/virtualMachines",
        "policyId": "[variables('policyId')]",
        "sourceResourceId": "[resourceId('Microsoft.Compute/virtualMachines', 'vm1')]"
      }
    }
  ]
}"""

TG515_BAD = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "location": {"type": "string", "defaultValue": "[resourceGroup().location]"},
    "protectedSettings": {"type": "secureObject"}
  },
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachines/extensions",
      "apiVersion": "2026-03-01",
      "name": "vm1/VMSnapshot",
      "location": "[parameters('location')]",
      "properties": {
        "publisher": "Microsoft.Azure.RecoveryServices",
        "type": "VMSnapshot",
        "typeHandlerVersion": "1.9",
        "autoUpgradeMinorVersion": false,
        "settings": {
          "locale": "en-us",
          "taskId": "e07354cf-041e-4370-929f-25a319ce8933_1",
          "commandToExecute": "snapshot",
          "commandStartTimeUTCTicks": "636458000000000000",
          "vmType": "microsoft.compute/virtualmachines"
        },
        "protectedSettings": "[parameters('protectedSettings')]"
      }
    }
  ]
}"""

TG515_GOOD = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "location": {"type": "string", "defaultValue": "[resourceGroup().location]"},
    "protectedSettings": {"type": "secureObject"}
  },
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachines/extensions",
      "apiVersion": "2026-03-01",
      "name": "vm1/VMSnapshot",
      "location": "[parameters('location')]",
      "properties": {
        "publisher": "Microsoft.Azure.RecoveryServices",
        "type": "VMSnapshot",
        "typeHandlerVersion": "1.9",
        "autoUpgradeMinorVersion": true,
        "settings": {
          "locale": "en-us",
          "taskId": "e07354cf-041e-4370-929f-25a319ce8933_1",
          "commandToExecute": "snapshot",
          "commandStartTimeUTCTicks": "636458000000000000",
          "vmType": "microsoft.compute/virtualmachines"
        },
        "protectedSettings": "[parameters('protectedSettings')]"
      }
    }
  ]
}"""
