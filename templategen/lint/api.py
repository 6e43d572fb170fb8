"""A lint run: find the files, read each into the model, run the selected rules, keep what survives.

This is the one entry point for the command line, `deploy`'s lint gate, the pre-commit hook and the
tests. Per file the work is independent, so `-j N` hands files to worker processes and puts the
results back in the order the files were found: the report is the same bytes whatever N is.
"""

from __future__ import annotations

import os
import sys
import time

from templategen.arm.parameters import BICEPPARAM_EXTENSION
from templategen.diagnostics import ERROR, Diagnostic, InputError, Location
from templategen.lint.discover import Candidate, discover, kind_by_extension, looks_like_input
from templategen.lint.result import LintResult, input_error_finding
from templategen.rules.base import INPUT, TEMPLATE

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable

    from templategen.arm.parameters import ParametersFile
    from templategen.config import Selection
    from templategen.lint.context import LintContext
    from templategen.lint.options import LintOptions
    from templategen.rules.base import Rule
    from templategen.rules.registry import RuleEntry

#: Rule id of the finding that says a rule itself failed (our bug, not the user's).
INTERNAL_ERROR_ID = "TG000"
INTERNAL_ERROR_NAME = "internal-error"
#: Below this many files a progress bar is more noise than help.
PROGRESS_MIN_FILES = 20
#: The comment `templategen generate --snippet` writes at the top of a Bicep fragment.
SNIPPET_MARK = "templategen-snippet:"
#: Bicep parameters files (`using 'main.bicep'` + `param x = …`) are not read yet: tree-sitter-bicep
#: has no grammar for them, and reading one as JSON would be a false syntax error.
BICEPPARAM_SKIPPED = (
    "a Bicep parameters file (.bicepparam): not read yet; lint the template with the JSON parameters "
    "file (`az bicep build-params`) as -p"
)
#: Why a YAML file without a templategen `kind:` (or schema modeline) is skipped.
NOT_AN_INPUT = (
    "YAML that is not a templategen input"
    " (no `kind: vmsnapshot-extension` or `kind: recovery-services-backup-vms`)"
)
#: Files larger than this are not re-read just to show the line of a syntax error.
MAX_SHOWN_BYTES = 8 * 1024 * 1024


class FileOutcome:
    """What linting one file produced; small and picklable so worker processes can send it back.

    `text` is kept only when there are findings (the text report prints their source lines);
    `hidden` lists (first, last) line ranges that may hold secrets and must never be printed;
    `hidden_elsewhere` the same as (path, first, last) for other files a finding points into (the
    values a `-p` parameters file gives the template's secure parameters).
    """

    __slots__ = (
        "checked",
        "diagnostics",
        "extra_texts",
        "hidden",
        "hidden_elsewhere",
        "path",
        "skipped",
        "text",
    )

    def __init__(self, path: str) -> None:
        self.path = path
        self.checked = False
        self.skipped: str | None = None
        self.diagnostics: list[Diagnostic] = []
        self.text: str | None = None
        self.extra_texts: dict[str, str] = {}  # other files the findings point into (Bicep modules)
        self.hidden: list[tuple[int, int]] = []
        self.hidden_elsewhere: list[tuple[str, int, int]] = []


class Run:
    """State shared by every file of a run (and copied once into each worker process).

    `rules` are the enabled rules as the rule index knows them (`templategen.rules.registry`); a
    rule module is imported only when a file needs one of its rules (`rules_for`).
    """

    __slots__ = ("options", "parameters_files", "parameters_texts", "rules", "selection")

    def __init__(
        self,
        options: LintOptions,
        selection: Selection,
        parameters_files: list[ParametersFile],
        entries: list[RuleEntry],
    ) -> None:
        self.options = options
        self.selection = selection
        self.rules = [entry for entry in entries if entry.id in selection.severity]
        self.parameters_files = parameters_files
        texts = (getattr(p.document, "text", None) for p in parameters_files)
        self.parameters_texts = [text for text in texts if isinstance(text, str)]

    def entries_for(self, kind: str) -> list[RuleEntry]:
        """The enabled rules that apply to files of `kind`, as index entries (nothing imported)."""
        return [rule for rule in self.rules if kind in rule.applies_to]

    def rules_for(self, kind: str, texts: Iterable[str]) -> list[Rule]:
        """The enabled rules that may fire on a file of `kind` read from `texts` (with the `-p`
        files' texts: their values reach the evaluation), their modules imported."""
        from templategen.rules.registry import rules_for

        return rules_for(self.rules, kind, [*texts, *self.parameters_texts])


def prepare(options: LintOptions) -> Run:
    """Resolve configuration, rule selection and `-p` files; raise InputError when they are unusable."""
    from templategen.config import Config, Selection, check_option_selectors, resolve_config
    from templategen.rules.registry import rule_entries

    rules = rule_entries()
    known = {rule.id: rule.name for rule in rules}
    check_option_selectors("--select", options.select, known)
    check_option_selectors("--ignore", options.ignore, known)
    config = options.config
    if config is None:
        config = Config() if options.isolated else resolve_config(options.config_path, known=known)
    options.config = config
    if options.fail_level is None:
        options.fail_level = config.fail_level or ERROR
    selection = Selection(rules, config, options.select or None, options.ignore)
    parameters_files = [_read_parameters_file(path) for path in options.parameters]
    return Run(options, selection, parameters_files, rules)


def _read_parameters_file(path: str) -> ParametersFile:
    from templategen.arm.document import load_json_file
    from templategen.arm.parameters import bicepparam_refusal
    from templategen.arm.template import build_parameters, classify

    refusal = bicepparam_refusal(path)
    if refusal is not None:
        raise InputError(f"--parameters {path}: {refusal}", Location(path, 1, 1))
    document = load_json_file(path)
    if classify(document.data) != "parameters":
        raise InputError(f"--parameters {path}: not an ARM deployment parameters file", Location(path, 1, 1))
    return build_parameters(document)


def lint_paths(paths: list[str], options: LintOptions) -> LintResult:
    """Lint every file `paths` names (files, directories, globs) and return the result."""
    started = time.perf_counter()
    run = prepare(options)
    config = run.selection.config
    candidates = [c for c in discover(paths) if not config.excluded(c.path)]
    if options.verbose:
        _log(f"configuration: {config.path or 'none'}; {len(run.rules)} rules enabled")
    outcomes = _lint_all(candidates, run)

    from templategen.report.source import SourceLines

    diagnostics: list[Diagnostic] = []
    checked: list[str] = []
    skipped: list[tuple[str, str]] = []
    lines = SourceLines()
    for outcome in outcomes:
        if outcome.skipped is not None:
            skipped.append((outcome.path, outcome.skipped))
            if options.verbose:
                _log(f"skipped {outcome.path}: {outcome.skipped}")
            continue
        if outcome.checked:
            checked.append(outcome.path)
        diagnostics.extend(outcome.diagnostics)
        for path, text in outcome.extra_texts.items():
            lines.add(path, text)
        if outcome.text is not None:
            lines.add(outcome.path, outcome.text)
            for first, last in outcome.hidden:
                lines.hide(outcome.path, first, last)
        for path, first, last in outcome.hidden_elsewhere:
            lines.hide(path, first, last)
    for parameters in run.parameters_files:
        # findings about a `-p` file's values (TG208) point into it: show its lines too
        document = parameters.document
        parameters_text = getattr(document, "text", None)
        if isinstance(parameters_text, str) and any(d.location.path == parameters.path for d in diagnostics):
            lines.add(parameters.path, parameters_text)
    # A finding inside a Bicep module is found again when the module file itself is linted.
    diagnostics = run.selection.apply(list(dict.fromkeys(diagnostics)))
    if options.verbose:
        _log(f"{len(checked)} files checked, {len(skipped)} skipped in {time.perf_counter() - started:.2f}s")
    result = LintResult(diagnostics, checked, skipped, options.fail_level or ERROR)
    result.source_lines = lines
    return result


def _log(message: str) -> None:
    sys.stderr.write(f"templategen: {message}\n")


# ------------------------------------------------------------------------------------ many files

_worker_run: Run | None = None


def _init_worker(run: Run) -> None:
    global _worker_run
    _worker_run = run


def _lint_in_worker(candidate: Candidate) -> FileOutcome:
    assert _worker_run is not None
    return lint_candidate(candidate, _worker_run)


def _lint_all(candidates: list[Candidate], run: Run) -> list[FileOutcome]:
    total = len(candidates)
    progress = _Progress(total) if run.options.progress and total >= PROGRESS_MIN_FILES else None
    jobs = min(run.options.jobs, total)
    outcomes: list[FileOutcome] = []
    if jobs <= 1:
        for candidate in candidates:
            outcomes.append(lint_candidate(candidate, run))
            if progress:
                progress.step()
    else:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        with ProcessPoolExecutor(
            max_workers=jobs,
            mp_context=multiprocessing.get_context(method),
            initializer=_init_worker,
            initargs=(run,),
        ) as pool:
            chunk = max(1, min(16, total // (jobs * 8)))
            for outcome in pool.map(_lint_in_worker, candidates, chunksize=chunk):
                outcomes.append(outcome)
                if progress:
                    progress.step()
    if progress:
        progress.done()
    return outcomes


class _Progress:
    """A one-line counter on stderr, redrawn in place; only used when stderr is a terminal."""

    __slots__ = ("count", "last", "total")

    def __init__(self, total: int) -> None:
        self.total = total
        self.count = 0
        self.last = 0.0

    def step(self) -> None:
        self.count += 1
        now = time.perf_counter()
        if now - self.last > 0.1 or self.count == self.total:
            self.last = now
            width = 30
            filled = width * self.count // self.total
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {self.count}/{self.total} files")
            sys.stderr.flush()

    def done(self) -> None:
        sys.stderr.write("\r\033[K")
        sys.stderr.flush()


# ------------------------------------------------------------------------------------ one file


def lint_candidate(candidate: Candidate, run: Run) -> FileOutcome:
    """Read one file, run the rules its kind selects, apply in-file suppressions."""
    outcome = FileOutcome(candidate.path)
    if candidate.error is not None:
        outcome.checked = True
        outcome.diagnostics.append(input_error_finding(InputError(candidate.error), candidate.path))
        return outcome
    kind = kind_by_extension(candidate.path)
    if candidate.path.lower().endswith(BICEPPARAM_EXTENSION):
        outcome.skipped = BICEPPARAM_SKIPPED
        return outcome
    try:
        if kind == "bicep":
            _lint_bicep(outcome, run)
        elif kind == "yaml":
            if looks_like_input(candidate.path):
                _lint_input(outcome, run)
            else:
                # Named or walked, a repository's other YAML (CI workflows, compose files) is none of
                # our business, as JSON that is neither template nor parameters: pre-commit names every
                # changed .yml file, and the hook must not fail on them.
                outcome.skipped = NOT_AN_INPUT
        else:
            _lint_json(outcome, run, explicit=candidate.explicit)
    except InputError as exc:
        outcome.checked = True
        outcome.diagnostics = [input_error_finding(exc, candidate.path)]
        outcome.text = _best_effort_text(candidate.path) if exc.location is not None else None
        outcome.hidden = []
    return outcome


def _best_effort_text(path: str) -> str | None:
    """The file's text for showing the line of a syntax error (undecodable bytes replaced), with the
    contents of its values masked: nothing in a file that does not parse says which one is secret."""
    from templategen.literals import mask_literals
    from templategen.reading import FileTooLarge, read_bytes

    try:
        raw = read_bytes(path, MAX_SHOWN_BYTES)  # a FIFO is read again: it must not block here either
    except (OSError, FileTooLarge):
        return None
    return mask_literals(raw.decode("utf-8-sig", errors="replace"), kind_by_extension(path))


def _run_rules(ctx: object, rules: list[Rule], outcome: FileOutcome) -> None:
    from templategen.redact import redact_text

    for rule in rules:
        try:
            outcome.diagnostics.extend(rule.check(ctx))  # type: ignore[arg-type]
        except Exception as exc:  # a rule's bug must not hide the other findings or print a traceback
            detail = redact_text(f"{type(exc).__name__}: {exc}")
            outcome.diagnostics.append(
                Diagnostic(
                    INTERNAL_ERROR_ID,
                    INTERNAL_ERROR_NAME,
                    ERROR,
                    f"rule {rule.id} ({rule.name}) failed on this file: {detail} — please report this",
                    Location(outcome.path, 1, 1),
                )
            )


def _lint_json(outcome: FileOutcome, run: Run, *, explicit: bool) -> None:
    from templategen.arm.document import load_json_file
    from templategen.arm.template import build_parameters, build_template, classify
    from templategen.lint.context import LintContext
    from templategen.rules.files import BadSuppression
    from templategen.suppressions import suppressed_at

    if not explicit and _large_and_foreign(outcome.path):
        outcome.skipped = "larger than the reader's limit and not an ARM template or parameters file"
        return
    document = load_json_file(outcome.path)
    kind = classify(document.data)
    if kind is None:
        outcome.skipped = "JSON that is neither an ARM template nor a parameters file"
        return
    outcome.checked = True
    if kind == "template":
        template = build_template(document)
        ctx = LintContext(
            document, kind, run.options, template=template, parameters_files=run.parameters_files
        )
    else:
        ctx = LintContext(document, kind, run.options, parameters_file=build_parameters(document))
    _run_rules(ctx, run.rules_for(kind, [document.text]), outcome)
    data = document.data
    path = outcome.path
    outcome.diagnostics = [
        d
        for d in outcome.diagnostics
        # a finding in another file (a `-p` parameters file) is covered by the template's own metadata
        if not suppressed_at(
            data, d.location.pointer if d.location.path == path else "", d.rule_id, d.rule_name
        )
    ]
    if kind == "template" and any(rule.id == BadSuppression.id for rule in run.rules):
        outcome.diagnostics += _metadata_suppression_problems(ctx, run)
    if outcome.diagnostics:
        outcome.text = document.text
        outcome.hidden = _secret_lines(ctx)
        outcome.hidden_elsewhere = _secret_lines_in_parameters(ctx, outcome.diagnostics)


def _metadata_suppression_problems(ctx: LintContext, run: Run) -> list[Diagnostic]:
    """TG006 for `metadata.templategen.ignore` entries that are malformed or name no rule."""
    from templategen.rules.files import BadSuppression
    from templategen.selectors import problem
    from templategen.suppressions import metadata_selectors

    known = {rule.id: rule.name for rule in run.rules}
    template = ctx.template
    assert template is not None
    holders: list[tuple[object, str | None]] = []
    for tpl in template.all_templates():
        holders.append((tpl.metadata, tpl.pointer_of("metadata")))
        holders += [(res.get("metadata"), res.pointer_of("metadata")) for res in tpl.resources]
    found = []
    for metadata, pointer in holders:
        if metadata is None or pointer is None:
            continue
        selectors, problems = metadata_selectors(metadata)
        problems += [p for p in (problem(s, known) for s in selectors) if p is not None]
        for message in problems:
            location = ctx.source.locate(pointer + "/templategen/ignore")
            found.append(
                Diagnostic(BadSuppression.id, BadSuppression.name, BadSuppression.severity, message, location)
            )
    return found


def _is_snippet(text: str) -> bool:
    """True when the comment block that opens a Bicep file carries the generator's snippet mark."""
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("//"):
            if stripped[2:].strip().startswith(SNIPPET_MARK):
                return True
        elif stripped:
            return False  # code begins: a snippet pasted into a file is just part of that file
    return False


def _large_and_foreign(path: str) -> bool:
    """A walked JSON file too large to read that does not announce an ARM `$schema` near its start.

    A repository's 20 MB `package-lock.json` is not our business; a 20 MB template is an error worth
    reporting (TG001), so only files whose first 64 KiB name no ARM schema are passed over.
    """
    from templategen.arm.document import MAX_FILE_BYTES

    try:
        if os.path.getsize(path) <= MAX_FILE_BYTES:
            return False
        with open(path, "rb") as handle:
            head = handle.read(65536).lower()
    except OSError:
        return False
    return b"deploymenttemplate" not in head and b"deploymentparameters" not in head


def _lint_bicep(outcome: FileOutcome, run: Run) -> None:
    """A Bicep file: read into the same model as ARM JSON, so every template rule applies.

    A syntax error makes the file unusable (TG001, exit 2), as `bicep build` would refuse it; parts
    the reader could not convert are listed as TG005 so nobody mistakes silence for a pass.
    Findings inside a local module the file uses point into the module's own file.
    """
    from templategen.arm.template import build_template
    from templategen.bicep import load_bicep_file
    from templategen.lint.context import LintContext
    from templategen.rules.files import BadSuppression, BicepNotChecked
    from templategen.suppressions import parse_bicep_directives

    document = load_bicep_file(outcome.path)
    if _is_snippet(document.text):
        outcome.skipped = (
            "a templategen snippet: a fragment to paste into a VM's resource body, not a whole file"
        )
        return
    if document.errors:
        message, location = document.errors[0]
        raise InputError(message, location)
    outcome.checked = True
    ctx = LintContext(
        document,
        "template",
        run.options,
        template=build_template(document),
        parameters_files=run.parameters_files,
    )
    _run_rules(ctx, run.rules_for(TEMPLATE, document.files.values()), outcome)
    enabled = {rule.id for rule in run.rules}
    if BicepNotChecked.id in enabled:
        outcome.diagnostics += [
            Diagnostic(BicepNotChecked.id, BicepNotChecked.name, BicepNotChecked.severity, message, location)
            for location, message in document.problems
        ]
    known = {rule.id: rule.name for rule in run.rules}
    directives = {path: parse_bicep_directives(text, known) for path, text in document.files.items()}
    kept = []
    for finding in outcome.diagnostics:
        found = directives.get(finding.location.path)
        if found is None or not found.suppressed(finding.location.line, finding.rule_id, finding.rule_name):
            kept.append(finding)
    if BadSuppression.id in enabled:
        for path, found in directives.items():
            kept += [
                Diagnostic(
                    BadSuppression.id,
                    BadSuppression.name,
                    BadSuppression.severity,
                    message,
                    Location(path, line, column),
                )
                for line, column, message in found.problems
            ]
    outcome.diagnostics = kept
    if kept:
        outcome.text = document.text
        outcome.extra_texts = {path: text for path, text in document.files.items() if path != outcome.path}
        outcome.hidden = _secret_lines(ctx)


def _lint_input(outcome: FileOutcome, run: Run) -> None:
    """A templategen YAML input: its schema and semantic checks become TG8xx findings."""
    from templategen.inputs.loader import load_input
    from templategen.inputs.problems import InputProblems
    from templategen.inputs.yamlload import YamlProblem, load_yaml_file
    from templategen.rules.inputs import input_findings

    try:
        document = load_yaml_file(outcome.path, outcome.path)
    except YamlProblem as exc:
        raise InputError(exc.message, exc.location) from None
    outcome.checked = True
    try:
        problems = load_input(outcome.path).warnings
    except InputProblems as exc:
        problems = exc.problems
    enabled = {rule.id for rule in run.entries_for(INPUT)}
    outcome.diagnostics = [d for d in input_findings(problems) if d.rule_id in enabled]
    if outcome.diagnostics:
        outcome.text = document.text


def _secret_lines(ctx: object) -> list[tuple[int, int]]:
    """Line ranges of values that may be secret: protected settings, secure parameters' defaults.

    The text report never prints these lines, even when a finding points into them.
    """
    from templategen.lint.context import LintContext

    assert isinstance(ctx, LintContext)
    spans: list[tuple[int, int]] = []
    template = ctx.template
    if template is None:
        return spans
    for tpl in template.all_templates():
        for parameter in tpl.parameters.values():
            if parameter.secure and parameter.has_default:
                pointer = parameter.pointer_of("defaultValue")
                if pointer is not None:
                    loc = ctx.source.locate(pointer)
                    spans.append((loc.line, loc.end_line))
        for resource in tpl.resources:
            pointer = resource.pointer_of("properties", "protectedSettings")
            if pointer is not None and not isinstance(resource.get("properties", "protectedSettings"), str):
                loc = ctx.source.locate(pointer)
                spans.append((loc.line, loc.end_line))
    return spans


def _secret_lines_in_parameters(ctx: object, diagnostics: list[Diagnostic]) -> list[tuple[str, int, int]]:
    """(path, first, last) of the entries a `-p` parameters file gives the template's secure
    parameters, for the files a finding points into: the text report never prints them."""
    from templategen.lint.context import LintContext

    assert isinstance(ctx, LintContext)
    template = ctx.template
    paths = {d.location.path for d in diagnostics}
    spans: list[tuple[str, int, int]] = []
    if template is None:
        return spans
    for parameters in ctx.parameters_files:
        document = parameters.document
        locate = getattr(document, "locate", None)
        if parameters.path not in paths or locate is None:
            continue
        for entry in parameters.parameters.values():
            declared = template.parameter(entry.name)
            if declared is not None and declared.secure:
                loc = locate(entry.pointer)
                spans.append((parameters.path, loc.line, loc.end_line))
    return spans


def default_jobs() -> int:
    """One worker per CPU the process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
