"""Load benchmark at a medical school's scale: gunicorn on loopback, wrk against each page.

    make bench                                   # database devboard_bench on the local PostgreSQL
    DATABASE_URL=postgres://…/devboard_scaledata make bench
    BENCH_ONLY=board make bench                  # only the pages whose label contains "board"

The database is migrated and seeded with `manage.py seed_scale` (10,000 people, 100,000 worksheets,
300,000 check-ins); a database that already holds the seed is reused as it is. gunicorn runs with the
shipped gunicorn.conf.py. Each page is measured three times, each time right after `/healthz` (no
database, no session) in the same run, so a busy machine shows in both; the table gives medians.

Prints a Markdown table (requests/s, p50, p99, the ratio to /healthz, one request on its own, queries)
and writes it into README.md between the `bench:start` and `bench:end` markers.
"""

import contextlib
import datetime
import json
import os
import platform
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable
PORT = int(os.environ.get("BENCH_PORT", "8099"))
BASE = f"http://127.0.0.1:{PORT}"
DURATION = os.environ.get("BENCH_DURATION", "5s")
CONNECTIONS = os.environ.get("BENCH_CONNECTIONS", "16")
ROUNDS = 3
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/devboard_bench"
# The shipped configuration keeps sessions and kept pages in Redis (docker-compose.yml); the
# benchmark uses a database of its own on the local Redis, emptied when it starts.
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5")
# A browser that has been here before holds a CSRF cookie; wrk sends one as it would.
CSRF = secrets.token_hex(16)


# Issue 10's goals: requests/s as a share of /healthz's in the same run, and one request on its
# own (the whole page; an export's first byte). None: no such goal for the page.
SMALL, BIG = (0.10, 50), (0.03, 150)
EXPORT = (None, 150)


def pages(ids: dict) -> list[dict]:
    """(label, path, who is signed in, (ratio goal, milliseconds goal)); exports are timed to their first byte too."""
    p = [
        ("landing (public)", "/", None, SMALL),
        ("role guide", "/roles/", "scale-resident", SMALL),
        ("worksheet step (problem)", f"/worksheets/{ids['worksheet']}/step/problem/", "scale-resident", SMALL),
        ("recommendation step", f"/worksheets/{ids['worksheet']}/step/recommendation/", "scale-resident", SMALL),
        ("my worksheets (500)", "/worksheets/", "scale-board", SMALL),
        ("board, 10 people", "/board/", "scale-resident", SMALL),
        (f"board, {ids['board_100_size']} people", "/board/", "board-100", SMALL),
        ("board, 1,000 people", "/board/", "scale-board", BIG),
        ("board, 1,000 people: active, page 2", "/board/?status=active&page=2", "scale-board", BIG),
        ("a member with 100 check-ins", f"/board/{ids['member']}/", "scale-board", SMALL),
        ("members.csv (1,000 people)", "/board/export/members.csv", "scale-board", EXPORT),
        ("check-ins.csv (1,000 people)", "/board/export/check-ins.csv", "scale-board", EXPORT),
        ("board.json (1,000 people)", "/board/export/board.json", "scale-board", EXPORT),
        ("calendar feed (1,000 people)", f"/board/calendar/{ids['feed']}.ics", None, EXPORT),
        ("program index (3 programs)", "/program/", "scale-director", (0.03, 150)),
        (f"dashboard, {ids['program_size']} members", f"/program/{ids['program']}/", "scale-director", (0.10, 150)),
        ("dashboard, 2,000 members", "/program/scale-big/", "scale-director", BIG),
        ("figures.csv, 2,000 members", "/program/scale-big/figures.csv", "scale-director", BIG),
        ("program members page, 2,000", "/program/scale-big/members/", "scale-director", (0.03, 50)),
        ("admin: roles", "/admin/roles/role/", "scale-director", SMALL),
        ("admin: example worksheets", "/admin/worksheets/example/", "scale-director", SMALL),
        ("admin: programs", "/admin/programs/program/", "scale-director", SMALL),
        (
            "admin: memberships, 2,000",
            f"/admin/programs/membership/?program={ids['big_program_id']}",
            "scale-director",
            SMALL,
        ),
    ]
    only = os.environ.get("BENCH_ONLY", "")
    return [
        {
            "label": label,
            "path": path,
            "user": user,
            "export": "export" in path or path.endswith(".ics"),
            "goal": goal,
        }
        for label, path, user, goal in p
        if only.lower() in label.lower()
    ]


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1].split("?")[0]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def wrk(path: str, cookie: str | None) -> dict:
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}", "--timeout", "30s", "--latency"]
    command += ["-H", f"Cookie: {_cookies(cookie)}"]
    out = subprocess.run([*command, BASE + path], capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in out:
        sys.exit(f"{path} answered errors under load:\n{out}")
    if " 0 requests in" in out:  # not one answer within the run: say so in the table, go on
        return {"rps": 0.0, "p50": float("inf"), "p99": float("inf")}
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": _ms(re.search(r"50%\s+([\d.]+\w+)", out).group(1)),
        "p99": _ms(re.search(r"99%\s+([\d.]+\w+)", out).group(1)),
    }


def _cookies(session: str | None) -> str:
    return f"csrftoken={CSRF}" + (f"; sessionid={session}" if session else "")


def forget_pages() -> None:
    """Empty the kept pages (devboard/pagecache.py), leaving the sessions: the next view builds afresh."""
    import redis

    client = redis.Redis.from_url(REDIS)
    for key in client.scan_iter("pages:*", count=1000):
        client.delete(key)


def _ms(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def _fmt_ms(ms: float) -> str:
    if ms == float("inf"):
        return "none answered"
    return f"{ms / 1000:.2f} s" if ms >= 1000 else f"{ms:.0f} ms" if ms >= 10 else f"{ms:.1f} ms"


def settle(seconds: float = 60) -> None:
    """Wait until the server has worked through the requests a run left queued: /healthz answers at once."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.perf_counter()
        with contextlib.suppress(OSError):
            urllib.request.urlopen(BASE + "/healthz", timeout=10).read()
            if time.perf_counter() - started < 0.2:
                return
        time.sleep(0.5)


def one_at_a_time(path: str, cookie: str | None, times: int = 7, afresh: bool = False) -> dict:
    """Requests on their own, warm: median time to the first byte and to the last.

    afresh: with no page kept, as the first view after a change is.
    """
    request = urllib.request.Request(BASE + path, headers={"Cookie": _cookies(cookie)})
    urllib.request.urlopen(request, timeout=60).read()
    first, whole, size = [], [], 0
    for _ in range(times):
        if afresh:
            forget_pages()
        started = time.perf_counter()
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read(1)
            first.append(time.perf_counter() - started)
            size = 1 + len(response.read())
        whole.append(time.perf_counter() - started)
    return {"first": statistics.median(first) * 1000, "whole": statistics.median(whole) * 1000, "bytes": size}


def worker_memory(server: subprocess.Popen, field: str = "VmRSS") -> dict[str, int]:
    """Each gunicorn worker's resident memory in kB: now (VmRSS) or its peak so far (VmHWM)."""
    pids = subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True, text=True).stdout.split()
    found = {}
    for pid in pids:
        with contextlib.suppress(FileNotFoundError, AttributeError):
            found[pid] = int(re.search(rf"{field}:\s+(\d+)", Path(f"/proc/{pid}/status").read_text()).group(1))
    return found


def export_memory(server: subprocess.Popen, cookie: str, warm_path: str) -> str:
    """How much a worker's peak memory rises over its warm resting size while serving board.json.

    Measured before any other export ran, so an earlier download cannot have raised the peak already.
    """
    for _ in range(10):  # both workers warm: imports, templates, connections
        one_at_a_time(warm_path, cookie, times=1)
    before = worker_memory(server)
    download = one_at_a_time("/board/export/board.json", cookie, times=4)
    peak = worker_memory(server, "VmHWM")
    growth = max((peak[pid] - before[pid] for pid in peak if pid in before), default=0)
    return (
        f"A worker's peak memory rose {growth / 1024:.1f} MB above its warm size "
        f"({max(before.values()) / 1024:.0f} MB) while serving board.json five times "
        f"({download['bytes'] / 1e6:.1f} MB each, {_fmt_ms(download['whole'])} to download in full); goal < 20 MB: "
        f"{'met' if growth < 20 * 1024 else 'not met'}."
    )


def machine() -> str:
    cpu = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
    mem = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1)) // 1024 // 1024
    return (
        f"{os.cpu_count()} cores ({cpu.group(1).strip() if cpu else platform.machine()}), {mem} GB, {platform.system()}"
    )


def write_readme(text: str) -> None:
    readme = ROOT / "README.md"
    content = readme.read_text()
    start, end = "<!-- bench:start -->", "<!-- bench:end -->"
    if start in content and end in content:
        before, rest = content.split(start, 1)
        after = rest.split(end, 1)[1]
        readme.write_text(f"{before}{start}\n{text}\n{end}{after}")
        print("README.md updated.")


def prepare(env: dict, extra: dict | None = None) -> dict:
    done = subprocess.run(
        [PY, str(ROOT / "manage.py"), "shell", "-c", "import runpy; runpy.run_path('scripts/bench/prepare.py')"],
        env={**env, **(extra or {})},
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if done.returncode:
        sys.exit(f"Preparing the benchmark failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.split("PREPARED ", 1)[1])


def setup(url: str) -> tuple[dict, dict]:
    """Migrate and seed the database (reused when seeded); the environment to run with and the ids to ask for."""
    ensure_database(url)
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "DATABASE_URL": url,
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        "EMAIL_BACKEND": "console",  # the benchmark sends no email
        "PYTHONPATH": str(ROOT),
        "LOG_LEVEL": "ERROR",
        "GUNICORN_BIND": f"127.0.0.1:{PORT}",
        "REDIS_URL": REDIS,
    }
    import redis

    redis.Redis.from_url(REDIS).flushdb()
    manage = [PY, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True)
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], env=env, check=True)
    started = time.monotonic()
    seeded = subprocess.run(
        [*manage, "seed_scale"], env={**env, "DEBUG": "true"}, check=True, capture_output=True, text=True
    ).stdout
    took = time.monotonic() - started
    if "already here" in seeded:
        env["BENCH_SEED"] = "The seeded database was reused (seed time not measured in this run)."
    else:
        env["BENCH_SEED"] = (
            f"`seed_scale` took {took:.0f} s in this run (goal: under 2 minutes: {'met' if took < 120 else 'not met'})."
        )
    print(env["BENCH_SEED"], flush=True)
    return env, prepare(env)


def database_url() -> str:
    url = os.environ.get("DATABASE_URL", DEFAULT_DATABASE)
    if not url.startswith("postgres"):
        sys.exit("The benchmark runs on PostgreSQL: set DATABASE_URL=postgres://…")
    return url


def main() -> None:
    started_at = datetime.datetime.now(datetime.UTC)
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install -y wrk")
    started_load = os.getloadavg()[0]
    url = database_url()
    env, ids = setup(url)
    todo = pages(ids)
    # Queries of a page built afresh; seen again, a kept page reads only the session and the person.
    queries = prepare(env, {"BENCH_PAGES": json.dumps(todo), "PAGE_CACHE": "false"})["queries"]

    conf = ROOT / "gunicorn.conf.py"
    command = [PY, "-m", "gunicorn", "--bind", f"127.0.0.1:{PORT}"]
    command += ["-c", str(conf)] if conf.exists() else ["--workers", "2", "devboard.wsgi:application"]
    # The shipped config recycles a worker every ~2,000 requests; /healthz alone makes that many in
    # a second or two, and the restarts would then be what gets measured.
    command += ["--max-requests", "0"]
    server = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    rows, memory = [], ""
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(BASE + "/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        if any(p["path"].endswith("board.json") for p in todo):
            memory = export_memory(server, ids["sessions"]["scale-board"], f"/board/{ids['member']}/")
            print(memory, flush=True)
        for page in todo:
            cookie = ids["sessions"].get(page["user"]) if page["user"] else None
            settle()
            alone = one_at_a_time(page["path"], cookie)
            if not page["export"]:
                alone["afresh"] = one_at_a_time(page["path"], cookie, afresh=True)["whole"]
            runs, baselines = [], []
            for _ in range(ROUNDS):
                settle()
                baselines.append(wrk("/healthz", None))
                runs.append(wrk(page["path"], cookie))
            row = {
                "label": page["label"],
                "rps": statistics.median(r["rps"] for r in runs),
                "p50": statistics.median(r["p50"] for r in runs),
                "p99": statistics.median(r["p99"] for r in runs),
                "healthz": statistics.median(b["rps"] for b in baselines),
                "alone": alone,
                "export": page["export"],
                "queries": queries[page["path"]],
                "goal": page["goal"],
            }
            row["ratio"] = row["rps"] / row["healthz"] if row["healthz"] else 0
            rows.append(row)
            print(_line(row), flush=True)
    finally:
        server.terminate()
        server.wait()

    now = datetime.datetime.now(datetime.UTC)
    load = f"load average {started_load:.1f} when it started, {os.getloadavg()[0]:.1f} when it ended"
    note = os.environ.get("BENCH_NOTE", "")
    header = (
        f"Measured {now:%Y-%m-%d} ({started_at:%H:%M}–{now:%H:%M} UTC) on {machine()}, client and server "
        f"sharing the cores ({load}){'; ' + note if note else ''}. PostgreSQL, "
        f"gunicorn with gunicorn.conf.py, `wrk -t2 -c{CONNECTIONS} -d{DURATION}`, medians of {ROUNDS} runs, "
        'each right after a `/healthz` run; "alone" is one request at a time (median of 7), '
        "first as the page is kept (devboard/pagecache.py), then built afresh as after a change; "
        "queries are those of a page built afresh. "
        "Goals from issue 10: requests/s as a share of /healthz's, and the time of one request alone "
        "(an export's first byte).\n\n"
        "| page | requests/s | p50 | p99 | × /healthz | alone: kept / afresh (export: first byte / whole) "
        "| queries | goal | met |\n"
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |"
    )
    table = "\n".join([header, *(_line(r) for r in rows)])
    met = [r for r in rows if _met(r) == "yes"]
    table += f"\n\n{len(met)} of {len(rows)} pages meet both their goals."
    for r in rows:
        if r["label"].startswith("board.json"):
            done = r["alone"]["whole"]
            table += (
                f" board.json (1,000 people) downloads in full in {_fmt_ms(done)} "
                f"(goal ≤ 1 s: {'met' if done <= 1000 else 'not met'})."
            )
    if memory:
        table += "\n\n" + memory
    table += "\n\n" + env["BENCH_SEED"]
    print("\n" + table)
    if not os.environ.get("BENCH_ONLY"):
        write_readme(table)


def _line(r: dict) -> str:
    alone = r["alone"]
    timing = f"{_fmt_ms(alone['first'])} / {_fmt_ms(alone['whole'])}"
    if not r["export"]:
        timing = f"{_fmt_ms(alone['whole'])} / {_fmt_ms(alone['afresh'])}"
    if r["export"]:
        timing += f" ({alone['bytes'] / 1e6:.1f} MB)"
    ratio, ms = r["goal"]
    goal = " and ".join(
        [*([f"≥ {ratio:.2f}×"] if ratio else []), f"≤ {ms} ms" + (" first byte" if r["export"] else "")]
    )
    return (
        f"| {r['label']} | {r['rps']:.1f} | {_fmt_ms(r['p50'])} | {_fmt_ms(r['p99'])} | "
        f"{r['ratio']:.3f} (of {r['healthz']:.0f}) | {timing} | {r['queries']} | {goal} | {_met(r)} |"
    )


def _met(r: dict) -> str:
    """yes, or which goal was missed."""
    ratio, ms = r["goal"]
    # judged on a page built afresh: what the first view after a change costs
    took = r["alone"]["first"] if r["export"] else max(r["alone"]["whole"], r["alone"]["afresh"])
    missed = [*(["rate"] if ratio and r["ratio"] < ratio else []), *(["time"] if took > ms else [])]
    return "no (" + ", ".join(missed) + ")" if missed else "yes"


if __name__ == "__main__":
    main()
