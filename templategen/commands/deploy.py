"""`templategen deploy`: validate, what-if, or deploy an ARM template to a resource group.

This module only parses options and prints the outcome; `templategen.deploy.run` does the work.
Nothing here imports `azure.*` (not even for `--help`): the SDK is loaded when a request is made.
"""

from __future__ import annotations

import click

from templategen.deploy.client import DEFAULT_POLL_INTERVAL, DEFAULT_RETRIES, DEFAULT_RETRY_BACKOFF
from templategen.deploy.clouds import CLOUDS, get_cloud
from templategen.deploy.errors import EXIT_CODES, EXIT_INTERNAL, EXIT_INTERRUPTED, DeployError
from templategen.diagnostics import InputError

_EPILOG = "\b\nExit codes:\n" + "\n".join(f"  {code:>3}  {text}" for code, text in EXIT_CODES)


def _echo_error(error: DeployError) -> None:
    click.echo(f"templategen: error: {error.headline}", err=True)
    for line in error.details:
        click.echo(line, err=True)


def _run_lint_gate(template: str, parameter_args: list[str]) -> int:
    """0 when the gate passes; EXIT_FINDINGS after printing the findings (as `lint` would) otherwise."""
    import os
    import sys

    from templategen.deploy.gate import lint_gate
    from templategen.report import RenderOptions, color_wanted, render

    files = [a[1:] if a.startswith("@") else a for a in parameter_args]
    files = [f for f in files if os.path.isfile(f)]
    result = lint_gate(template, files)
    if not result.diagnostics:
        return 0
    options = RenderOptions(color=color_wanted(sys.stderr), source_line=result.source_lines)
    click.echo(render(result, "text", options), err=True, nl=False)
    if result.exit_code:
        click.echo(
            "templategen: error: the lint gate refused this deployment; nothing was sent to Azure "
            "(fix the findings above, or pass --no-lint to deploy anyway)",
            err=True,
        )
        return result.exit_code
    return 0


@click.command("deploy", epilog=_EPILOG)
@click.argument("template", metavar="TEMPLATE")
@click.option("-g", "--resource-group", required=True, help="Resource group to deploy to (must exist).")
@click.option(
    "--subscription",
    envvar="AZURE_SUBSCRIPTION_ID",
    show_envvar=True,
    help="Subscription ID (a GUID).",
)
@click.option(
    "-p",
    "--parameters",
    "parameters",
    multiple=True,
    metavar="PARAMS",
    help="Parameters file (file.json or @file.json), inline JSON, or name=value; repeatable, later wins.",
)
@click.option("-n", "--name", help="Deployment name [default: template file name + UTC timestamp].")
@click.option(
    "--mode",
    type=click.Choice(["Incremental", "Complete"], case_sensitive=False),
    default="Incremental",
    show_default=True,
    help="Complete deletes resources of the group that the template does not declare.",
)
@click.option("--validate-only", is_flag=True, help="Preflight validation only; nothing is deployed.")
@click.option("--what-if", "what_if", is_flag=True, help="Show what would change; nothing is deployed.")
@click.option("--no-lint", is_flag=True, help="Do not lint before sending (the gate stops on lint errors).")
@click.option(
    "--cloud",
    type=click.Choice(list(CLOUDS), case_sensitive=False),
    default="AzureCloud",
    show_default=True,
    help="Azure cloud: sets the endpoint, the sign-in host and the token audience.",
)
@click.option("--endpoint", metavar="URL", help="Resource Manager URL (https) to use instead of the cloud's.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Format of the result on stdout (what-if changes, validated resources, outputs).",
)
@click.option(
    "--color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour the what-if diff and progress; auto: on a terminal unless NO_COLOR is set.",
)
@click.option(
    "--poll-interval",
    type=click.FloatRange(min=0),
    default=DEFAULT_POLL_INTERVAL,
    show_default=True,
    envvar="TEMPLATEGEN_POLL_INTERVAL",
    show_envvar=True,
    help="Seconds between status polls when Azure does not say (Retry-After).",
)
@click.option(
    "--retries",
    type=click.IntRange(min=0, max=10),
    default=DEFAULT_RETRIES,
    show_default=True,
    envvar="TEMPLATEGEN_RETRIES",
    show_envvar=True,
    help="Retries of a request that got 408, 429, 5xx or a dropped connection.",
)
@click.option(
    "--retry-backoff",
    type=click.FloatRange(min=0, max=60),
    default=DEFAULT_RETRY_BACKOFF,
    show_default=True,
    envvar="TEMPLATEGEN_RETRY_BACKOFF",
    show_envvar=True,
    help="Backoff factor in seconds (waits grow as factor x 2^n, at most 60 s each).",
)
@click.option(
    "-v", "--verbose", count=True, help="-v logs requests and responses; -vv also their bodies (masked)."
)
def deploy(
    template: str,
    resource_group: str,
    subscription: str | None,
    parameters: tuple[str, ...],
    name: str | None,
    mode: str,
    validate_only: bool,
    what_if: bool,
    no_lint: bool,
    cloud: str,
    endpoint: str | None,
    output_format: str,
    color: str,
    poll_interval: float,
    retries: int,
    retry_backoff: float,
    verbose: int,
) -> int:
    """Deploy TEMPLATE (ARM JSON) to a resource group, or validate it, or show what it would change.

    TEMPLATE may also be a templategen YAML input: what `generate` would write is deployed, its
    generated parameters first and -p values over them. Build a Bicep file to ARM JSON first.

    Signs in with DefaultAzureCredential: `az login` is enough; service principals, managed and
    workload identities work through their environment variables (AZURE_TOKEN_CREDENTIALS narrows
    the chain). Secure parameter values are never printed.
    """
    from templategen.deploy import request
    from templategen.deploy.client import Settings
    from templategen.deploy.run import Request, check_subscription, execute

    if validate_only and what_if:
        raise click.UsageError("--validate-only and --what-if are alternatives; give one")
    if endpoint is not None and not endpoint.lower().startswith("https://"):
        raise InputError(
            f"--endpoint {endpoint!r}: an https:// URL is required (tokens are never sent in clear)"
        )
    parameter_args = list(parameters)
    data = request.build_input(template, parameter_args)
    deployment_name = (
        request.check_deployment_name(name) if name else request.default_deployment_name(template)
    )
    settings = Settings(
        subscription=check_subscription(subscription),
        cloud=get_cloud(cloud),
        endpoint=endpoint,
        retries=retries,
        retry_backoff=retry_backoff,
        poll_interval=poll_interval,
        verbosity=verbose,
    )
    if not no_lint:
        code = _run_lint_gate(template, parameter_args)
        if code:
            return code
    action = "validate" if validate_only else "what-if" if what_if else "deploy"
    req = Request(
        action,
        data,
        resource_group,
        deployment_name,
        request.normalise_mode(mode),
        settings,
        json_output=output_format == "json",
        colour=color,
    )
    try:
        return execute(req)
    except DeployError as error:
        _echo_error(error)
        return error.exit_code
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        return EXIT_INTERRUPTED
    except (InputError, click.ClickException):
        raise
    except Exception as exc:  # a bug of ours: one line, no traceback (the message is masked)
        from templategen.deploy.run import make_masker

        text = make_masker(data).text(f"{type(exc).__name__}: {exc}")
        click.echo(f"templategen: internal error (please report it): {text}", err=True)
        return EXIT_INTERNAL
