"""The options of one lint run, independent of how they were given (command line, deploy, tests)."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from templategen.config import Config


class LintOptions:
    """Everything `lint_paths` needs besides the paths.

    `now` is an ISO-8601 instant (SAS expiry is judged against it; None means the current time),
    `parameters` the parameters files whose values the evaluator uses instead of defaults,
    `select`/`ignore` come from the command line and override the configuration file.
    """

    __slots__ = (
        "config",
        "config_path",
        "fail_level",
        "ignore",
        "isolated",
        "jobs",
        "now",
        "parameters",
        "progress",
        "select",
        "verbose",
    )

    def __init__(
        self,
        *,
        parameters: list[str] | None = None,
        select: list[str] | None = None,
        ignore: list[str] | None = None,
        config_path: str | None = None,
        isolated: bool = False,
        fail_level: str | None = None,
        now: str | None = None,
        jobs: int = 1,
        verbose: bool = False,
        progress: bool = False,
        config: Config | None = None,
    ) -> None:
        self.parameters = list(parameters or [])
        self.select = list(select or [])
        self.ignore = list(ignore or [])
        self.config_path = config_path
        self.isolated = isolated
        self.fail_level = fail_level
        self.now = now
        self.jobs = jobs
        self.verbose = verbose
        self.progress = progress
        self.config = config
