"""What a rule sees of the file it checks: the model, the evaluator, the run's options, and `report`.

Rules never compute positions themselves: they name the node by JSON pointer (and, for expression
errors, the character offset inside the string) and `report` asks the document where that is. For a
Bicep file the document is the Bicep reader's table of pointer → position, so the same rule points at
the right line of either source.
"""

from __future__ import annotations

from templategen.diagnostics import Diagnostic

TYPE_CHECKING = False
if TYPE_CHECKING:
    import datetime
    from collections.abc import Callable
    from typing import Protocol, TypeVar

    from templategen.arm.evaluate import Evaluator
    from templategen.arm.parameters import ParametersFile
    from templategen.arm.template import Template
    from templategen.diagnostics import Location
    from templategen.lint.options import LintOptions
    from templategen.rules.base import Rule

    class Source(Protocol):
        """A read file that can say where a JSON pointer is: JsonDocument, BicepDocument, YAML input."""

        path: str
        text: str

        def locate(
            self, pointer: str, offset: int | None = None, end_offset: int | None = None
        ) -> Location: ...

        def locate_key(self, pointer: str) -> Location: ...

    _Shared = TypeVar("_Shared")


class LintContext:
    """One file under lint. Built by the runner; rules read it and call `report`."""

    __slots__ = (
        "_evaluators",
        "_now",
        "kind",
        "memo",
        "options",
        "parameters_file",
        "parameters_files",
        "path",
        "source",
        "template",
    )

    def __init__(
        self,
        source: Source,
        kind: str,
        options: LintOptions,
        *,
        template: Template | None = None,
        parameters_file: ParametersFile | None = None,
        parameters_files: list[ParametersFile] | None = None,
    ) -> None:
        self.source = source
        self.path = source.path
        self.kind = kind
        self.options = options
        self.template = template
        self.parameters_file = parameters_file
        self.parameters_files = parameters_files or []
        self._evaluators: dict[int, Evaluator] = {}
        self._now: datetime.datetime | None = None
        self.memo: dict[str, object] = {}

    @property
    def now(self) -> datetime.datetime:
        """The instant SAS expiry is judged against (`--now`, else the current time)."""
        if self._now is None:
            from templategen.lint.clock import resolve_now

            self._now = resolve_now(self.options.now)
        return self._now

    def evaluator(self, template: Template | None = None) -> Evaluator:
        """The offline evaluator for `template` (default: the file's top template), built once."""
        target = template or self.template
        assert target is not None, "evaluator() needs a template"
        key = id(target)
        found = self._evaluators.get(key)
        if found is None:
            from templategen.arm.eval_state import given_values
            from templategen.arm.evaluate import Evaluator

            # Values of every `-p` file, later files winning, as `az deployment` merges them. A nested
            # template's evaluator comes from its parent's (`Evaluator.evaluators_for`), not from here.
            values: dict[str, object] = {}
            for parameters_file in self.parameters_files:
                values.update(given_values(parameters_file))
            found = Evaluator(target, values)
            self._evaluators[key] = found
        return found

    def bicep_symbol(self, pointer: str) -> str | None:
        """The symbolic name a Bicep file gives the resource or module converted at `pointer`; None
        in ARM JSON (messages name Bicep resources the way the file does)."""
        symbols = getattr(self.source, "symbols", None)
        found = symbols.get(pointer) if isinstance(symbols, dict) else None
        return found if isinstance(found, str) else None

    def shared(self, key: str, build: Callable[[LintContext], _Shared]) -> _Shared:
        """A per-file analysis several rules need (say, every function call of every expression),
        built by the first rule that asks and kept for the others: `build(self)` runs once per file."""
        if key in self.memo:
            return self.memo[key]  # type: ignore[return-value]
        value = build(self)
        self.memo[key] = value
        return value

    def report(
        self,
        rule: Rule,
        pointer: str,
        message: str,
        *,
        offset: int | None = None,
        end_offset: int | None = None,
        key: bool = False,
        severity: str | None = None,
    ) -> Diagnostic:
        """A finding of `rule` at the node `pointer` names (its key when `key`, or a character of it).

        `offset` (and `end_offset`, exclusive) are character offsets into the decoded string value,
        so an expression finding underlines the exact token inside the string.
        """
        if key:
            location = self.source.locate_key(pointer)
        elif end_offset is not None and offset is not None:
            location = self.source.locate(pointer, offset, end_offset)
        else:
            location = self.source.locate(pointer, offset)
        return Diagnostic(rule.id, rule.name, severity or rule.severity, message, location)
