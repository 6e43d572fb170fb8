"""How much slower than stdlib `json` is our reader? (issue 3: at most 3x on the strict-JSON corpus)

Both sides start from the same bytes in memory (files are read once, up front, so disk and page cache
do not enter the ratio): `json.loads(bytes)` against `parse_json_bytes(bytes, path)`, which decodes,
parses and checks the nesting bound. Each round reads every strict-JSON template and parameters file of
the shared corpus (index.tsv column `json` = strict); the median of the rounds is reported, and the two
sides alternate inside each round so drift on a shared machine hits both.

Also measured, outside the ratio: the cost of building the position index of every file (what the first
`locate` of a file pays) and of reading the lenient files, so the lazy parts are not a blind spot.

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
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from templategen.arm.document import parse_json_bytes  # noqa: E402


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


def _time(action: object) -> float:
    start = time.perf_counter()
    action()  # type: ignore[operator]
    return time.perf_counter() - start


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

    def index_all() -> None:
        for doc in documents:
            doc._scan = None  # forget the index so that each round builds it again
            doc.locate("")

    def read_lenient() -> None:
        for path, data in lenient:
            parse_json_bytes(data, path)

    index_times = [_time(index_all) for _ in range(max(1, rounds // 2))]
    lenient_times = [_time(read_lenient) for _ in range(rounds)]
    stdlib_median = statistics.median(stdlib_times)
    our_median = statistics.median(our_times)
    return {
        "files": float(len(files)),
        "bytes": float(sum(len(data) for _, data in files)),
        "stdlib_json_s": stdlib_median,
        "reader_s": our_median,
        "ratio": our_median / stdlib_median,
        "index_all_s": statistics.median(index_times),
        "lenient_files": float(len(lenient)),
        "lenient_read_s": statistics.median(lenient_times),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--shared", type=Path, default=None, help="shared data folder (default: ../shared)")
    args = parser.parse_args(argv)
    result = measure(args.shared, args.rounds)
    print(f"strict-JSON corpus files: {int(result['files'])} ({int(result['bytes']):,} bytes), {args.rounds} rounds")
    print(f"stdlib json.loads:        {result['stdlib_json_s'] * 1000:8.1f} ms (median)")
    print(f"templategen reader:       {result['reader_s'] * 1000:8.1f} ms (median)")
    print(f"ratio reader / json:      {result['ratio']:8.2f}x (limit 3x)")
    print(f"position index, all files:{result['index_all_s'] * 1000:8.1f} ms (lazy: paid per file on first locate)")
    print(
        f"lenient files ({int(result['lenient_files'])}):       "
        f"{result['lenient_read_s'] * 1000:8.1f} ms (scanner path)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
