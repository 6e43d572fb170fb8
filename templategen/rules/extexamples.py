"""Bad and good examples of the VMSnapshot rules (`templategen.rules.extension`), as JSON text.

Each example is a complete template that really fails or passes its rule (tests/rules check that),
kept here as plain text so docs/rules.md shows readable JSON and importing the rules costs nothing.
"""

from __future__ import annotations

TG501_BAD = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "location": {"type": "string", "defaultValue": "[resourceGroup().location]"},"ps": {"type": "secureObject"}},
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachines/extensions",
      "apiVersion": "2024-07-01",
      "name": "vm1/VMSnapshot",
      "location": "[parameters('location')]",
      "properties": {
        "publisher": "Microsoft.Azure.RecoveryServices",
        "type": "VMSnapshot",
        "typeHandlerVersion": "1.9",
        "autoUpgradeMinorVersion": true,
        "settings": {
          "locale": "westeurope",
          "taskId": "e07354cf-041e-4370-929f-25a319ce8933",
          "commandToExecute": "backup",
          "commandStartTimeUTCTicks": "636458000000000000",
          "vmType": "Microsoft.Compute/virtualMachines"
        },
        "protectedSettings": "[parameters('ps')]"
      }
    }
  ]
}"""

TG501_GOOD = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "location": {"type": "string", "defaultValue": "[resourceGroup().location]"},"ps": {"type": "secureObject"}},
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachines/extensions",
      "apiVersion": "2024-07-01",
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
        "protectedSettings": "[parameters('ps')]"
      }
    }
  ]
}"""

TG502_BAD = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "location": {"type": "string", "defaultValue": "[resourceGroup().location]"},"statusSas": {"type": "secureString"}},
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachines/extensions",
      "apiVersion": "2024-07-01",
      "name": "vm1/VMSnapshot",
      "location": "[parameters('location')]",
      "properties": {
        "publisher": "Microsoft.Azure.RecoveryServices",
        "type": "VMSnapshot",
        "typeHandlerVersion": "1.9",
        "protectedSettings": {"statusBlobUrl": "[parameters('statusSas')]"}
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
    "logsSas": {"type": "secureString"},
    "statusSas": {"type": "secureString"}
  },
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachines/extensions",
      "apiVersion": "2024-07-01",
      "name": "vm1/VMSnapshot",
      "location": "[parameters('location')]",
      "properties": {
        "publisher": "Microsoft.Azure.RecoveryServices",
        "type": "VMSnapshot",
        "typeHandlerVersion": "1.9",
        "protectedSettings": {
          "objectStr": "[parameters('objectStr')]",
          "logsBlobUri": "[parameters('logsSas')]",
          "statusBlobUri": "[parameters('statusSas')]"
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
    "location": {"type": "string", "defaultValue": "[resourceGroup().location]"},"statusSas": {"type": "secureString"}},
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachines/extensions",
      "apiVersion": "2024-07-01",
      "name": "vm1/VMSnapshot",
      "location": "[parameters('location')]",
      "properties": {
        "publisher": "Microsoft.Azure.RecoveryServices",
        "type": "VMSnapshot",
        "typeHandlerVersion": "1.9",
        "settings": {"statusBlobUri": "[parameters('statusSas')]"}
      }
    }
  ]
}"""

TG503_GOOD = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "location": {"type": "string", "defaultValue": "[resourceGroup().location]"},"statusSas": {"type": "secureString"}},
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachines/extensions",
      "apiVersion": "2024-07-01",
      "name": "vm1/VMSnapshot",
      "location": "[parameters('location')]",
      "properties": {
        "publisher": "Microsoft.Azure.RecoveryServices",
        "type": "VMSnapshot",
        "typeHandlerVersion": "1.9",
        "settings": {"commandToExecute": "snapshot"},
        "protectedSettings": {"statusBlobUri": "[parameters('statusSas')]"}
      }
    }
  ]
}"""

TG504_BAD = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "location": {"type": "string", "defaultValue": "[resourceGroup().location]"},"ps": {"type": "object"}},
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachines/extensions",
      "apiVersion": "2024-07-01",
      "name": "vm1/VMSnapshot",
      "location": "[parameters('location')]",
      "properties": {
        "publisher": "Microsoft.Azure.RecoveryServices",
        "type": "VMSnapshot",
        "typeHandlerVersion": "1.9",
        "protectedSettings": "[parameters('ps')]"
      }
    }
  ]
}"""

TG504_GOOD = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "location": {"type": "string", "defaultValue": "[resourceGroup().location]"},"ps": {"type": "secureObject"}},
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachines/extensions",
      "apiVersion": "2024-07-01",
      "name": "vm1/VMSnapshot",
      "location": "[parameters('location')]",
      "properties": {
        "publisher": "Microsoft.Azure.RecoveryServices",
        "type": "VMSnapshot",
        "typeHandlerVersion": "1.9",
        "protectedSettings": "[parameters('ps')]"
      }
    }
  ]
}"""

TG505_BAD = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {"location": {"type": "string", "defaultValue": "[resourceGroup().location]"}},
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachines/extensions",
      "apiVersion": "2024-07-01",
      "name": "vm1/VMSnapshot",
      "location": "[parameters('location')]",
      "properties": {
        "publisher": "Microsoft.Azure.RecoveryServices",
        "type": "VMSnapshot",
        "typeHandlerVersion": "1.9",
        "settings": {"commandStartTimeUTCTicks": "6.36458E+17"}
      }
    }
  ]
}"""

TG505_GOOD = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {"location": {"type": "string", "defaultValue": "[resourceGroup().location]"}},
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachines/extensions",
      "apiVersion": "2024-07-01",
      "name": "vm1/VMSnapshot",
      "location": "[parameters('location')]",
      "properties": {
        "publisher": "Microsoft.Azure.RecoveryServices",
        "type": "VMSnapshot",
        "typeHandlerVersion": "1.9",
        "settings": {"commandStartTimeUTCTicks": "636458342080000000"}
      }
    }
  ]
}"""

TG506_BAD = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {"location": {"type": "string", "defaultValue": "[resourceGroup().location]"}},
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachines/extensions",
      "apiVersion": "2024-07-01",
      "name": "vm1/VMSnapshot",
      "location": "[parameters('location')]",
      "properties": {
        "publisher": "Microsoft.Azure.RecoveryServices",
        "type": "VMSnapshot",
        "typeHandlerVersion": "1.9",
        "protectedSettings": {"objectStr": "\\"blobSASUri\\": []"}
      }
    }
  ]
}"""

TG506_GOOD = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "location": {"type": "string", "defaultValue": "[resourceGroup().location]"},"disks": {"type": "secureString"}},
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachines/extensions",
      "apiVersion": "2024-07-01",
      "name": "vm1/VMSnapshot",
      "location": "[parameters('location')]",
      "properties": {
        "publisher": "Microsoft.Azure.RecoveryServices",
        "type": "VMSnapshot",
        "typeHandlerVersion": "1.9",
        "protectedSettings": {
          "objectStr": "[string(createObject('blobSASUri', createArray(parameters('disks'))))]"
        }
      }
    }
  ]
}"""

TG507_BAD = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {"location": {"type": "string", "defaultValue": "[resourceGroup().location]"}},
  "variables": {
    "blob": "http://acct1.blob.core.windows.net/logs/vm1.Status.txt",
    "query": "sv=2022-11-02&sr=c&sig=REDACTED&se=2030-01-01T00%3A00%3A00Z&sp=wr"
  },
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachines/extensions",
      "apiVersion": "2024-07-01",
      "name": "vm1/VMSnapshot",
      "location": "[parameters('location')]",
      "properties": {
        "publisher": "Microsoft.Azure.RecoveryServices",
        "type": "VMSnapshot",
        "typeHandlerVersion": "1.9",
        "protectedSettings": {"statusBlobUri": "[format('{0}?{1}', variables('blob'), variables('query'))]"}
      }
    }
  ]
}"""

TG507_GOOD = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "location": {"type": "string", "defaultValue": "[resourceGroup().location]"},"sig": {"type": "secureString"}},
  "variables": {
    "blob": "https://acct1.blob.core.windows.net/logs/vm1.Status.txt",
    "q": "sv=2022-11-02&sr=b&se=2030-01-01T00%3A00%3A00Z&sp=rw"
  },
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachines/extensions",
      "apiVersion": "2024-07-01",
      "name": "vm1/VMSnapshot",
      "location": "[parameters('location')]",
      "properties": {
        "publisher": "Microsoft.Azure.RecoveryServices",
        "type": "VMSnapshot",
        "typeHandlerVersion": "1.9",
        "protectedSettings": {
          "statusBlobUri": "[format('{0}?{1}&sig={2}', variables('blob'), variables('q'), parameters('sig'))]"
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
    "location": {"type": "string", "defaultValue": "[resourceGroup().location]"},"sig": {"type": "secureString"}},
  "variables": {
    "blob": "https://acct1.blob.core.windows.net/logs/vm1.Status.txt",
    "q": "sv=2014-02-14&sr=b&st=2017-11-09T14%3A33%3A29Z&se=2017-11-09T17%3A38%3A29Z&sp=rw"
  },
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachines/extensions",
      "apiVersion": "2024-07-01",
      "name": "vm1/VMSnapshot",
      "location": "[parameters('location')]",
      "properties": {
        "publisher": "Microsoft.Azure.RecoveryServices",
        "type": "VMSnapshot",
        "typeHandlerVersion": "1.9",
        "protectedSettings": {
          "statusBlobUri": "[format('{0}?{1}&sig={2}', variables('blob'), variables('q'), parameters('sig'))]"
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
    "location": {"type": "string", "defaultValue": "[resourceGroup().location]"},"statusSas": {"type": "secureString"}},
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachines/extensions",
      "apiVersion": "2024-07-01",
      "name": "vm1/VMSnapshot",
      "location": "[parameters('location')]",
      "properties": {
        "publisher": "Microsoft.Azure.RecoveryServices",
        "type": "VMSnapshot",
        "typeHandlerVersion": "1.9",
        "protectedSettings": {"statusBlobUri": "[parameters('statusSas')]"}
      }
    }
  ]
}"""

TG509_BAD = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {"location": {"type": "string", "defaultValue": "[resourceGroup().location]"}},
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachines/extensions",
      "apiVersion": "2024-07-01",
      "name": "vm1/VMSnapshot",
      "location": "[parameters('location')]",
      "properties": {
        "publisher": "Microsoft.RecoveryServices",
        "type": "VMSnapshot",
        "typeHandlerVersion": "1.9"
      }
    }
  ]
}"""

TG509_GOOD = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {"location": {"type": "string", "defaultValue": "[resourceGroup().location]"}},
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachines/extensions",
      "apiVersion": "2024-07-01",
      "name": "vm1/VMSnapshot",
      "location": "[parameters('location')]",
      "properties": {
        "publisher": "Microsoft.Azure.RecoveryServices",
        "type": "VMSnapshot",
        "typeHandlerVersion": "1.9"
      }
    }
  ]
}"""

TG510_BAD = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {"location": {"type": "string", "defaultValue": "[resourceGroup().location]"}},
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachines",
      "apiVersion": "2024-07-01",
      "name": "vm1",
      "location": "[parameters('location')]",
      "properties": {"osProfile": {"computerName": "vm1", "linuxConfiguration": {}}}
    },
    {
      "type": "Microsoft.Compute/virtualMachines/extensions",
      "apiVersion": "2024-07-01",
      "name": "vm1/VMSnapshot",
      "location": "[parameters('location')]",
      "dependsOn": ["[resourceId('Microsoft.Compute/virtualMachines', 'vm1')]"],
      "properties": {
        "publisher": "Microsoft.Azure.RecoveryServices",
        "type": "VMSnapshot",
        "typeHandlerVersion": "1.9"
      }
    }
  ]
}"""

TG510_GOOD = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {"location": {"type": "string", "defaultValue": "[resourceGroup().location]"}},
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachines",
      "apiVersion": "2024-07-01",
      "name": "vm1",
      "location": "[parameters('location')]",
      "properties": {"osProfile": {"computerName": "vm1", "linuxConfiguration": {}}}
    },
    {
      "type": "Microsoft.Compute/virtualMachines/extensions",
      "apiVersion": "2024-07-01",
      "name": "vm1/VMSnapshotLinux",
      "location": "[parameters('location')]",
      "dependsOn": ["[resourceId('Microsoft.Compute/virtualMachines', 'vm1')]"],
      "properties": {
        "publisher": "Microsoft.Azure.RecoveryServices",
        "type": "VMSnapshotLinux",
        "typeHandlerVersion": "1.9"
      }
    }
  ]
}"""

TG511_BAD = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {"location": {"type": "string", "defaultValue": "[resourceGroup().location]"}},
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachines/extensions",
      "apiVersion": "2024-07-01",
      "name": "vm1/VMSnapshot",
      "location": "[parameters('location')]",
      "properties": {
        "publisher": "Microsoft.Azure.RecoveryServices",
        "type": "VMSnapshot",
        "typeHandlerVersion": 1.9
      }
    }
  ]
}"""

TG511_GOOD = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {"location": {"type": "string", "defaultValue": "[resourceGroup().location]"}},
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachines/extensions",
      "apiVersion": "2024-07-01",
      "name": "vm1/VMSnapshot",
      "location": "[parameters('location')]",
      "properties": {
        "publisher": "Microsoft.Azure.RecoveryServices",
        "type": "VMSnapshot",
        "typeHandlerVersion": "1.9",
        "autoUpgradeMinorVersion": true
      }
    }
  ]
}"""

TG512_BAD = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "location": {"type": "string", "defaultValue": "[resourceGroup().location]"},"vmName": {"type": "string"}},
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachines",
      "apiVersion": "2024-07-01",
      "name": "[parameters('vmName')]",
      "location": "[parameters('location')]",
      "properties": {}
    },
    {
      "type": "Microsoft.Compute/virtualMachines/extensions",
      "apiVersion": "2024-07-01",
      "name": "[concat(parameters('vmName'), '/VMSnapshot')]",
      "location": "northeurope",
      "properties": {
        "publisher": "Microsoft.Azure.RecoveryServices",
        "type": "VMSnapshot",
        "typeHandlerVersion": "1.9"
      }
    }
  ]
}"""

TG512_GOOD = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "location": {"type": "string", "defaultValue": "[resourceGroup().location]"},"vmName": {"type": "string"}},
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachines",
      "apiVersion": "2024-07-01",
      "name": "[parameters('vmName')]",
      "location": "[parameters('location')]",
      "properties": {}
    },
    {
      "type": "Microsoft.Compute/virtualMachines/extensions",
      "apiVersion": "2024-07-01",
      "name": "[concat(parameters('vmName'), '/VMSnapshot')]",
      "location": "[parameters('location')]",
      "dependsOn": ["[resourceId('Microsoft.Compute/virtualMachines', parameters('vmName'))]"],
      "properties": {
        "publisher": "Microsoft.Azure.RecoveryServices",
        "type": "VMSnapshot",
        "typeHandlerVersion": "1.9"
      }
    }
  ]
}"""

TG513_BAD = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {"location": {"type": "string", "defaultValue": "[resourceGroup().location]"}},
  "variables": {
    "container": "[format('iaasvmcontainer;iaasvmcontainerv2;{0};vm1', resourceGroup().name)]",
    "item": "[format('vm;iaasvmcontainerv2;{0};vm1', resourceGroup().name)]"
  },
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachines",
      "apiVersion": "2024-07-01",
      "name": "vm1",
      "location": "[parameters('location')]",
      "properties": {"osProfile": {"computerName": "vm1", "allowExtensionOperations": false}}
    },
    {
      "type": "Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems",
      "apiVersion": "2025-08-01",
      "name": "[format('rsv/Azure/{0}/{1}', variables('container'), variables('item'))]",
      "properties": {
        "protectedItemType": "Microsoft.Compute/virtualMachines",
        "sourceResourceId": "[resourceId('Microsoft.Compute/virtualMachines', 'vm1')]"
      }
    }
  ]
}"""

TG513_GOOD = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {"location": {"type": "string", "defaultValue": "[resourceGroup().location]"}},
  "variables": {
    "container": "[format('iaasvmcontainer;iaasvmcontainerv2;{0};vm1', resourceGroup().name)]",
    "item": "[format('vm;iaasvmcontainerv2;{0};vm1', resourceGroup().name)]"
  },
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachines",
      "apiVersion": "2024-07-01",
      "name": "vm1",
      "location": "[parameters('location')]",
      "properties": {"osProfile": {"computerName": "vm1", "allowExtensionOperations": true}}
    },
    {
      "type": "Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems",
      "apiVersion": "2025-08-01",
      "name": "[format('rsv/Azure/{0}/{1}', variables('container'), variables('item'))]",
      "properties": {
        "protectedItemType": "Microsoft.Compute/virtualMachines",
        "sourceResourceId": "[resourceId('Microsoft.Compute/virtualMachines', 'vm1')]"
      }
    }
  ]
}"""

TG514_BAD = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {"location": {"type": "string", "defaultValue": "[resourceGroup().location]"}},
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachines/extensions",
      "apiVersion": "2024-07-01",
      "name": "vm1/VMSnapshot",
      "location": "[parameters('location')]",
      "properties": {
        "publisher": "Microsoft.Azure.RecoveryServices",
        "type": "VMSnapshot",
        "typeHandlerVersion": "1.9"
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
      "apiVersion": "2025-08-01",
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
  "parameters": {"location": {"type": "string", "defaultValue": "[resourceGroup().location]"}},
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachines/extensions",
      "apiVersion": "2024-07-01",
      "name": "vm1/VMSnapshot",
      "location": "[parameters('location')]",
      "properties": {
        "publisher": "Microsoft.Azure.RecoveryServices",
        "type": "VMSnapshot",
        "typeHandlerVersion": "1.9",
        "autoUpgradeMinorVersion": false
      }
    }
  ]
}"""

TG515_GOOD = """\
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {"location": {"type": "string", "defaultValue": "[resourceGroup().location]"}},
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachines/extensions",
      "apiVersion": "2024-07-01",
      "name": "vm1/VMSnapshot",
      "location": "[parameters('location')]",
      "properties": {
        "publisher": "Microsoft.Azure.RecoveryServices",
        "type": "VMSnapshot",
        "typeHandlerVersion": "1.9",
        "autoUpgradeMinorVersion": true
      }
    }
  ]
}"""
