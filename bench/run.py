"""Every benchmark in one go: `python -m bench.run [--quick] [--database-url URL]`.

Each script prints its own figures (none asserts a timing); the database URL, if given,
goes to those that take one (an empty database: the scripts reset it). See bench/README.md.
`--quick` (what .ci/run runs) is statements_per_request.py alone: it fails when a request's
statement count grows with the review or the web process loads a heavy library.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
# (script, extra arguments, whether it takes --database-url)
QUICK = ("statements_per_request.py", (), True)
SCRIPTS = (
    QUICK,
    ("cpu_per_request.py", (), True),
    ("afi_vote_burst.py", ("--workers", "1"), True),
    ("afi_vote_burst.py", ("--workers", "2"), True),
    ("scheduler_pass.py", ("--repeat", "1"), True),
    ("action_plan.py", (), False),
    ("report_build.py", (), False),
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="an empty database to use (default: SQLite)")
    parser.add_argument(
        "--quick", action="store_true", help="only the statement counts and the web's imports"
    )
    args = parser.parse_args()
    failed = 0
    for script, extra, takes_url in (QUICK,) if args.quick else SCRIPTS:
        command = [sys.executable, str(HERE / script), *extra]
        if takes_url and args.database_url:
            command += ["--database-url", args.database_url]
        print(f"\n##### {script} {' '.join(extra)}", flush=True)
        failed += subprocess.run(command, check=False).returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
