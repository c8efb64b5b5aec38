"""EXPLAIN (ANALYZE, BUFFERS) of the slowest queries of each benchmarked page, on the scale data.

    DATABASE_URL=postgres://…/devboard_bench python scripts/bench/explain.py > plans.md
    BENCH_ONLY=board python scripts/bench/explain.py

Uses the same database, seed and pages as `make bench` (scripts/bench/run.py); prints Markdown.
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import database_url, pages, prepare, setup  # noqa: E402


def main() -> None:
    env, ids = setup(database_url())
    print(prepare(env, {"BENCH_EXPLAIN": json.dumps(pages(ids))})["explain"])


if __name__ == "__main__":
    main()
