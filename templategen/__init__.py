"""templategen: generate, lint and deploy Azure VM-backup templates (ARM JSON and Bicep)."""

__version__ = "0.1.0"
