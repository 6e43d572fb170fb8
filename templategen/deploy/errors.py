"""Exit codes of `templategen deploy` and the error a deploy step raises.

A CI job that runs `templategen deploy` needs to tell "my template is wrong" from "Azure was down" from
"the resources failed to provision" without parsing text, so each gets its own exit code. 0, 1 and 2
keep the meaning they have in every templategen command (see `templategen.diagnostics`).
"""

from __future__ import annotations

#: Azure refused the template or the request body: InvalidTemplate, preflight validation, what-if errors.
EXIT_TEMPLATE_REJECTED = 3
#: Azure accepted the deployment and it ended Failed or Canceled.
EXIT_DEPLOYMENT_FAILED = 4
#: No usable answer from Azure: network, DNS, TLS, time-outs, or throttling/5xx beyond the retries.
EXIT_UNREACHABLE = 5
#: Not signed in, or signed in but not allowed: no credential, 401, 403.
EXIT_NOT_AUTHORIZED = 6
#: Azure refused the request for a reason outside the template: missing resource group, a deployment
#: of the same name still running (404, 409).
EXIT_REFUSED = 7
#: templategen itself failed unexpectedly (a bug): EX_SOFTWARE from sysexits.h.
EXIT_INTERNAL = 70
#: Ctrl-C (the shell convention 128 + SIGINT).
EXIT_INTERRUPTED = 130

#: Code, meaning: the table printed in the README and in `templategen deploy --help`.
EXIT_CODES = (
    (0, "success (deployed, validated, or what-if shown)"),
    (1, "the lint gate found errors (nothing was sent to Azure)"),
    (2, "usage error or unusable input (nothing was sent to Azure)"),
    (EXIT_TEMPLATE_REJECTED, "Azure rejected the template or parameters"),
    (EXIT_DEPLOYMENT_FAILED, "the deployment ran and ended Failed or Canceled"),
    (EXIT_UNREACHABLE, "could not reach Azure (network, TLS, time-out, throttling or 5xx after retries)"),
    (EXIT_NOT_AUTHORIZED, "not signed in, or not allowed (401, 403)"),
    (EXIT_REFUSED, "request refused: resource group not found, deployment already running (404, 409)"),
    (EXIT_INTERNAL, "internal error in templategen (please report it)"),
    (EXIT_INTERRUPTED, "interrupted (Ctrl-C); a started deployment continues in Azure"),
)


class DeployError(Exception):
    """A deploy step that cannot go on: what to print and which exit code to return.

    `headline` is one line that says what happened and, where there is one, what to do. `details` are
    further lines (an error tree, failed operations) printed under it. Both are already masked: they
    are built by `templategen.deploy.failures` from masked text.
    """

    def __init__(self, headline: str, exit_code: int, details: list[str] | None = None) -> None:
        super().__init__(headline)
        self.headline = headline
        self.exit_code = exit_code
        self.details = list(details or [])
