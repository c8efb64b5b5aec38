"""The README's pictures are the ones `make screenshots` takes, so a new or renamed shot cannot drift."""

import importlib.util
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def script():
    spec = importlib.util.spec_from_file_location("screenshots", ROOT / "scripts/screenshots.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["screenshots"] = module
    spec.loader.exec_module(module)
    return module


def readme_pictures() -> list[tuple[str, str]]:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## What it looks like", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"!\[([^\]]*)\]\(docs/screenshots/([^)]+)\)", section)


def test_the_readme_shows_each_screenshot_the_script_takes_in_order_with_its_description():
    shots = script().SHOTS
    assert readme_pictures() == [(shot.alt, shot.file) for shot in shots]
    assert any(shot.size["width"] <= 400 for shot in shots), "one picture is a phone"


def test_each_picture_is_committed_and_small():
    for shot in script().SHOTS:
        picture = ROOT / "docs/screenshots" / shot.file
        assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", shot.file
        assert picture.stat().st_size < 150_000, f"{shot.file} is {picture.stat().st_size} bytes: run pngquant"
    assert sorted(p.name for p in (ROOT / "docs/screenshots").iterdir()) == sorted(s.file for s in script().SHOTS)


def test_the_readme_still_opens_with_the_two_commands():
    readme = (ROOT / "README.md").read_text()
    assert readme.index("make run") < readme.index("make test") < readme.index("## What it looks like")
