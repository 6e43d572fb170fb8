"""Time the Bicep reader on the shared corpus: tree-sitter parsing alone, then parse + conversion (local
modules read recursively) + the template model.

    .venv/bin/python benchmarks/bicep_corpus.py [--repeat N]

CPU time (`time.process_time`) of the best of N rounds, so other work on the machine disturbs it less.
The shared data folder is `../shared` beside the repository, or `TEMPLATEGEN_SHARED`.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, REPO)

from templategen.arm.template import build_template  # noqa: E402
from templategen.bicep import load_bicep_file  # noqa: E402
from templategen.bicep.syntax import parse_tree  # noqa: E402


def corpus_files() -> list[str]:
    shared = os.environ.get("TEMPLATEGEN_SHARED", os.path.join(os.path.dirname(REPO), "shared"))
    root = os.path.join(shared, "corpus", "quickstarts")
    return sorted(
        os.path.join(folder, name)
        for folder, _, names in os.walk(root)
        for name in names
        if name.endswith(".bicep")
    )


def best(rounds: int, work: object) -> float:
    assert callable(work)
    times = []
    for _ in range(rounds):
        started = time.process_time()
        work()
        times.append(time.process_time() - started)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    files = corpus_files()
    sources = []
    for path in files:
        with open(path, "rb") as handle:
            sources.append(handle.read())
    total = sum(len(source) for source in sources)

    def parse_only() -> None:
        for source in sources:
            parse_tree(source)

    def convert_all() -> None:
        for path in files:
            build_template(load_bicep_file(path))

    parse_seconds = best(args.repeat, parse_only)
    convert_seconds = best(args.repeat, convert_all)
    print(f"{len(files)} Bicep files, {total / 1e6:.2f} MB")
    print(f"tree-sitter parse only:           {parse_seconds:.2f} s")
    per_file = convert_seconds / len(files) * 1e3
    print(f"parse + convert + model (modules): {convert_seconds:.2f} s ({per_file:.1f} ms/file)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
