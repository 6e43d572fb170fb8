"""How messages name resources and deployments: the way the user wrote them.

In Bicep that is the symbolic name (`vault`, module `policy`); in ARM JSON the deployment's name as
written, or the copy loop; a pointer only when nothing better exists. Rules import this module when
they build a message, so templates without findings never load it.
"""

from __future__ import annotations

from templategen.arm.names import is_expression

TYPE_CHECKING = False  # typing costs milliseconds at start-up; mypy still reads the block below
if TYPE_CHECKING:
    from templategen.arm.resource import Resource
    from templategen.lint.context import LintContext


def resource_label(ctx: LintContext, resource: Resource) -> str:
    """`'vault'` (Bicep symbol or languageVersion 2.0 symbolic name), `copy loop 'items'`, else the
    resource's pointer."""
    symbol = ctx.bicep_symbol(resource.pointer) or resource.symbolic_name
    if symbol is not None:
        return f"'{symbol}'"
    if resource.copy is not None and resource.copy.name:
        return f"copy loop '{resource.copy.name}'"
    return f"the resource at {resource.pointer}"


def deployment_label(ctx: LintContext, deployment: Resource) -> str:
    """`module 'policy'` in Bicep, `deployment 'backup-policy'` (its name as written, or its symbolic
    name) in ARM JSON, else the deployment's pointer."""
    symbol = ctx.bicep_symbol(deployment.pointer)
    if symbol is not None:
        return f"module '{symbol}'"
    written = deployment.name_as_written
    if isinstance(written, str) and not is_expression(written):
        return f"deployment '{written}'"
    if deployment.symbolic_name is not None:
        return f"deployment '{deployment.symbolic_name}'"
    return f"the deployment at {deployment.pointer}"
