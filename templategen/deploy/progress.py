"""Show a running deployment: elapsed time, the deployment's state and each resource's operation.

On a terminal, one status line is rewritten in place (`\\r` and erase-line) with the elapsed time and
counts, and a permanent line is printed as each resource finishes. Anywhere else (CI logs, pipes) a
plain line is printed for each change of state only, so a log stays short and greppable.
Everything goes to stderr; only the outputs go to stdout.
"""

from __future__ import annotations

import os
import shutil
import time

from templategen.deploy.failures import operation_view

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import TextIO

    from templategen.deploy.masking import Masker

TERMINAL_STATES = ("succeeded", "failed", "canceled")
_STATE_COLOURS = {"succeeded": "32", "failed": "31", "canceled": "33"}


def format_elapsed(seconds: float) -> str:
    """`mm:ss`, or `h:mm:ss` past an hour."""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


class Progress:
    """Renders the state of one deployment on `stream` (a terminal or not)."""

    def __init__(
        self,
        stream: TextIO,
        tty: bool,
        colour: bool,
        masker: Masker,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._stream = stream
        self._tty = tty
        self._colour = colour
        self._masker = masker
        self._clock = clock
        self._start = clock()
        self._state = ""
        self._ops: dict[str, tuple[str, str]] = {}  # operation key -> (resource, state)
        self._status_shown = False
        self._name = ""

    def elapsed_seconds(self) -> float:
        return self._clock() - self._start

    def elapsed(self) -> str:
        return format_elapsed(self.elapsed_seconds())

    def _write(self, text: str) -> None:
        self._stream.write(self._masker.text(text))
        self._stream.flush()

    def _paint_state(self, state: str) -> str:
        colour = _STATE_COLOURS.get(state.lower())
        if not (self._colour and colour):
            return state
        return f"\x1b[{colour}m{state}\x1b[0m"

    def _clear_status(self) -> None:
        if self._tty and self._status_shown:
            self._write("\r\x1b[2K")
            self._status_shown = False

    def started(self, name: str, resource_group: str) -> None:
        self._start = self._clock()
        self._name = name
        self._write(f"Deploying '{name}' to resource group '{resource_group}'\n")

    def update(self, state: str, operations: list[dict[str, object]] | None = None) -> None:
        """Record the deployment state and, when given, the latest list of operations."""
        changes: list[tuple[str, str]] = []
        for index, operation in enumerate(operations or []):
            resource, op_state, _, _ = operation_view(operation)
            if not resource:
                continue  # e.g. the evaluation of outputs: not a resource
            key = str(operation.get("operationId") or operation.get("id") or index)
            if self._ops.get(key, ("", ""))[1] != op_state:
                self._ops[key] = (resource, op_state)
                changes.append((resource, op_state))
        if self._tty:
            self._update_tty(state, changes)
        else:
            self._update_plain(state, changes)

    def _update_plain(self, state: str, changes: list[tuple[str, str]]) -> None:
        stamp = self.elapsed()
        for resource, op_state in changes:
            self._write(f"[{stamp}] {resource}: {op_state}\n")
        if state and state != self._state:
            self._state = state
            self._write(f"[{stamp}] deployment {self._name}: {state}\n")

    def _update_tty(self, state: str, changes: list[tuple[str, str]]) -> None:
        self._state = state or self._state
        done = [(r, s) for r, s in changes if s.lower() in TERMINAL_STATES]
        if done:
            self._clear_status()
            for resource, op_state in done:
                self._write(f"  {self._paint_state(op_state)}  {resource}  ({self.elapsed()})\n")
        states = [s.lower() for _, s in self._ops.values()]
        finished = sum(1 for s in states if s in TERMINAL_STATES)
        running = [r for r, s in self._ops.values() if s.lower() not in TERMINAL_STATES]
        line = f"{self.elapsed()}  {self._state or 'Starting'}"
        if states:
            line += f"  {finished}/{len(states)} resources done"
        if running:
            line += f", running: {', '.join(sorted(running))}"
        width = max(20, self._columns() - 1)
        if len(line) > width:
            line = line[: width - 3] + "..."
        self._write("\r\x1b[2K" + line)
        self._status_shown = True

    def _columns(self) -> int:
        """Width of the terminal we write to (stderr), not of stdout, which may be a pipe."""
        if os.environ.get("COLUMNS", "").isdigit():
            return int(os.environ["COLUMNS"])
        try:
            return os.get_terminal_size(self._stream.fileno()).columns
        except (AttributeError, OSError, ValueError):
            return shutil.get_terminal_size((100, 24)).columns

    def finished(self, state: str, operations: list[dict[str, object]] | None = None) -> None:
        """Show the final operation states and the deployment's end state."""
        self.update(state, operations)
        self._clear_status()
        if self._tty:
            self._write(f"Deployment '{self._name}' {self._paint_state(state)} after {self.elapsed()}\n")
        # The plain form already printed the final state as a state change.

    def interrupted(self) -> None:
        """Leave the terminal on a clean line before the Ctrl-C message."""
        self._clear_status()
        if self._tty:
            self._write("\n")
