"""The README's pictures, taken from the demo data: `make screenshots`.

Starts devboard on a throwaway SQLite database with the demo accounts (`manage.py load_demo`), signs
in as each demo person in Debian's Chromium, saves each picture in SHOTS to docs/screenshots/ and
squeezes it with pngquant when that is installed. The README's "What it looks like" shows exactly
these files, in this order (tests/test_screenshots.py checks that the two agree).
"""

import contextlib
import io
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import types
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
PASSWORD = "devboard-demo"  # load_demo's


@dataclass(frozen=True)
class Shot:
    file: str
    user: str
    path: str  # {worksheet} is the resident's completed worksheet
    size: dict
    alt: str


SHOTS = (
    Shot(
        "recommendation.png",
        "resident",
        "/worksheets/{worksheet}/step/recommendation/",
        DESKTOP,
        "The recommendation step: the best-fitting role with its reasons, then the four roles to choose from",
    ),
    Shot(
        "board.png",
        "faculty",
        "/board/",
        DESKTOP,
        "A faculty member's board: you at the centre, a seat for each role, and what is up next",
    ),
    Shot(
        "dashboard.png",
        "director",
        "/program/internal-medicine/",
        DESKTOP,
        "A program director's figures: headline numbers, the worksheet funnel and roles on one axis",
    ),
    Shot(
        "board-phone.png",
        "faculty",
        "/board/",
        PHONE,
        "The same board on a phone, with what is up next near the top",
    ),
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def server(env: dict, port: int):
    """runserver on loopback until the block ends; DEBUG serves the static files."""
    process = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            with contextlib.suppress(OSError):
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            time.sleep(0.2)
        else:
            raise SystemExit("devboard did not start")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def squeeze(png: Path) -> None:
    """Fewer colours, the same look: screenshots of flat pages lose nothing visible."""
    if shutil.which("pngquant"):
        subprocess.run(
            ["pngquant", "--force", "--skip-if-larger", "--strip", "--speed", "1", "--quality", "70-95"]
            + ["--output", str(png), str(png)],
            check=False,
        )


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="devboard-screenshots-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
        "DEBUG": "true",
        "DJANGO_SETTINGS_MODULE": "devboard.settings",
        "DJANGO_ALLOW_ASYNC_UNSAFE": "true",  # the ORM is read between Playwright's calls
    }
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from playwright.sync_api import sync_playwright

    from devboard.models import User
    from tests.browser.support import CHROMIUM_ARGS, sign_in
    from worksheets.models import Worksheet

    try:
        call_command("migrate", verbosity=0)
        call_command("load_demo", stdout=io.StringIO())
        resident = User.objects.get(username="resident")
        worksheet = Worksheet.objects.for_owner(resident).filter(status="completed").get()
        OUT.mkdir(parents=True, exist_ok=True)
        with server(env, free_port()) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            for user in dict.fromkeys(shot.user for shot in SHOTS):
                context = browser.new_context(viewport=DESKTOP)
                page = context.new_page()
                sign_in(page, types.SimpleNamespace(url=base), user, PASSWORD)
                for shot in (s for s in SHOTS if s.user == user):
                    page.set_viewport_size(shot.size)
                    page.goto(base + shot.path.format(worksheet=worksheet.pk), wait_until="networkidle")
                    target = OUT / shot.file
                    page.screenshot(path=target, animations="disabled", caret="hide")
                    squeeze(target)
                    print(f"{target.relative_to(ROOT)}  {target.stat().st_size // 1024} KB")
                context.close()
            browser.close()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
