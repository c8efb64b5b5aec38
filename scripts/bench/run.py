"""Load benchmark: gunicorn on loopback, wrk against the pages people use most.

    make bench                     # SQLite in a temporary folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/devboard_bench make bench

The seeded user has 200 people on the board and 50 worksheets. Prints a Markdown table
(requests per second, median and 99th-percentile latency) and the workers' memory.
"""

import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable
PORT = int(os.environ.get("BENCH_PORT", "8099"))
DURATION = os.environ.get("BENCH_DURATION", "10s")


def main() -> None:
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install -y wrk")
    tmp = Path(tempfile.mkdtemp(prefix="devboard-bench-"))
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "DATABASE_URL": os.environ.get("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3"),
        "ALLOWED_HOSTS": "127.0.0.1",
        "EMAIL_BACKEND": "console",  # the benchmark sends no email
        "PYTHONPATH": str(ROOT),
    }
    manage = [PY, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True)
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], env=env, check=True)
    out = subprocess.run(
        [*manage, "shell", "-c", "import runpy; runpy.run_path('scripts/bench/seed.py')"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout
    ids = json.loads(out.split("SEED ", 1)[1])

    server = subprocess.Popen(
        [PY, "-m", "gunicorn", "devboard.wsgi:application", "--workers", "2", "--bind", f"127.0.0.1:{PORT}"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{PORT}"
        for _ in range(50):
            try:
                urllib.request.urlopen(base + "/", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        pages = [
            ("landing (public)", "/"),
            ("role guide", "/roles/"),
            ("my worksheets (50)", "/worksheets/"),
            ("a worksheet", f"/worksheets/{ids['worksheet']}/"),
            ("recommendation step", f"/worksheets/{ids['worksheet']}/step/recommendation/"),
            ("my board (200 people)", "/board/"),
            ("a board member", f"/board/{ids['member']}/"),
        ]
        print("| page | requests/s | median | 99th percentile |\n| --- | ---: | ---: | ---: |")
        for label, path in pages:
            result = subprocess.run(
                [
                    "wrk",
                    "-t2",
                    "-c8",
                    f"-d{DURATION}",
                    "--latency",
                    "-H",
                    f"Cookie: sessionid={ids['session']}",
                    base + path,
                ],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            if "Non-2xx" in result:
                sys.exit(f"{path} answered errors under load:\n{result}")
            rps = re.search(r"Requests/sec:\s+([\d.]+)", result).group(1)
            p50 = re.search(r"50%\s+([\d.]+\w+)", result).group(1)
            p99 = re.search(r"99%\s+([\d.]+\w+)", result).group(1)
            print(f"| {label} | {float(rps):.0f} | {p50} | {p99} |")
        workers = subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True, text=True).stdout.split()
        for pid in workers:
            rss = re.search(r"VmRSS:\s+(\d+)", Path(f"/proc/{pid}/status").read_text()).group(1)
            print(f"\ngunicorn worker {pid}: {int(rss) / 1024:.0f} MiB resident after the run")
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
