"""How much slower than stdlib `json` is our reader? (issue 3: at most 3x on the strict-JSON corpus)

Both sides start from the same bytes in memory (files are read once, up front, so disk and page cache
do not enter the ratio): `json.loads(bytes)` against `parse_json_bytes(bytes, path)`, which decodes,
parses and checks the nesting bound. Each round reads every strict-JSON template and parameters file of
the shared corpus (index.tsv column `json` = strict); the median of the rounds is reported, and the two
sides alternate inside each round so drift on a shared machine hits both.

Also measured, outside the ratio, so the lazy parts are not a blind spot: the first `locate` of each file
(its last leaf: the walk lists the members of every container on the way, a worst case for one finding),
the scanner run over every file (what a strict file with repeated keys pays to say where they are, and
about what a lenient file pays to be read), and reading the lenient files themselves.

Run `python benchmarks/reader.py [--rounds N] [--shared DIR]`, or call `measure()`.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from templategen.arm.document import JsonDocument, join_pointer, parse_json_bytes  # noqa: E402
from templategen.arm.jsonscan import scan  # noqa: E402


def default_shared() -> Path:
    """The shared data folder beside the clone (TEMPLATEGEN_SHARED overrides it, as in the tests)."""
    return Path(os.environ.get("TEMPLATEGEN_SHARED", REPO.parent / "shared")).resolve()


def corpus_files(shared: Path, quality: str = "strict") -> list[tuple[str, bytes]]:
    """(relative path, bytes) of every corpus template and parameters file whose `json` column matches."""
    corpus = shared / "corpus"
    with open(corpus / "index.tsv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    files = []
    for row in rows:
        if row["kind"] in ("template", "parameters") and row["json"] == quality:
            files.append((row["path"], (corpus / "quickstarts" / row["path"]).read_bytes()))
    return files


def _time(action: Callable[[], None]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def last_leaf(doc: JsonDocument) -> str:
    """Pointer of the value reached by always taking the last member or item (the walk's worst path)."""
    pointer, value = "", doc.data
    while True:
        if isinstance(value, dict) and value:
            key = list(value)[-1]
            pointer, value = join_pointer(pointer, key), value[key]
        elif isinstance(value, list) and value:
            pointer, value = join_pointer(pointer, len(value) - 1), value[-1]
        else:
            return pointer


def measure(shared: Path | None = None, rounds: int = 7) -> dict[str, float]:
    """Median seconds per round for stdlib json and for our reader, their ratio, and the lazy costs."""
    files = corpus_files(shared or default_shared())
    lenient = corpus_files(shared or default_shared(), "lenient")

    def stdlib() -> None:
        for _, data in files:
            json.loads(data)

    def ours() -> None:
        for path, data in files:
            parse_json_bytes(data, path)

    stdlib_times, our_times = [], []
    for round_number in range(rounds):
        if round_number % 2:
            our_times.append(_time(ours))
            stdlib_times.append(_time(stdlib))
        else:
            stdlib_times.append(_time(stdlib))
            our_times.append(_time(ours))
    documents = [parse_json_bytes(data, path) for path, data in files]
    last_leaves = [(doc, last_leaf(doc)) for doc in documents]

    def first_locate() -> None:
        for doc, pointer in last_leaves:
            doc._paths = None  # forget what earlier rounds walked
            doc._line_starts = None
            doc.locate(pointer)

    def full_scan() -> None:
        for doc in documents:
            scan(doc.text)

    def read_lenient() -> None:
        for path, data in lenient:
            parse_json_bytes(data, path)

    locate_times = [_time(first_locate) for _ in range(rounds)]
    scan_times = [_time(full_scan) for _ in range(max(1, rounds // 2))]
    lenient_times = [_time(read_lenient) for _ in range(rounds)]
    stdlib_median = statistics.median(stdlib_times)
    our_median = statistics.median(our_times)
    return {
        "files": float(len(files)),
        "bytes": float(sum(len(data) for _, data in files)),
        "stdlib_json_s": stdlib_median,
        "reader_s": our_median,
        "ratio": our_median / stdlib_median,
        "first_locate_s": statistics.median(locate_times),
        "full_scan_s": statistics.median(scan_times),
        "lenient_files": float(len(lenient)),
        "lenient_read_s": statistics.median(lenient_times),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--shared", type=Path, default=None, help="shared data folder (default: ../shared)")
    args = parser.parse_args(argv)
    result = measure(args.shared, args.rounds)
    ms = {key: f"{value * 1000:8.1f} ms" for key, value in result.items() if key.endswith("_s")}
    files, size, lenient = int(result["files"]), int(result["bytes"]), int(result["lenient_files"])
    print(f"strict-JSON corpus files:  {files} ({size:,} bytes), median of {args.rounds} rounds")
    print(f"stdlib json.loads:         {ms['stdlib_json_s']}")
    print(f"templategen reader:        {ms['reader_s']}")
    print(f"ratio reader / json:       {result['ratio']:8.2f}x   (issue 3 limit: 3x)")
    print(f"first locate (last leaf):  {ms['first_locate_s']}   (lazy: per file, on its first finding)")
    print(f"scanner over every file:   {ms['full_scan_s']}   (paid only for repeated keys, lenient files)")
    print(f"lenient files ({lenient}):        {ms['lenient_read_s']}   (scanner path)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
