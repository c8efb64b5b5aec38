"""Helpers for the Playwright journeys: sizes, signing in, and the axe check."""

from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import code_from

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}
PHONE_390 = {"width": 390, "height": 844}  # the phone the design is checked on
NARROW = {"width": 320, "height": 640}  # the narrowest width no page may scroll sideways at


def assert_accessible(page, axe, widths=(DESKTOP, PHONE_390)):
    """axe reports no violations on the current page at each width."""
    for size in widths:
        page.set_viewport_size(size)
        # Colours are checked as they settle: a button just pressed may still be fading between
        # states (Bootstrap's 0.15 s transition), which a slow machine once caught half-way.
        page.evaluate(
            "Promise.all(document.getAnimations()"
            ".filter((a) => a.effect && a.effect.getTiming().iterations !== Infinity)"
            ".map((a) => a.finished.catch(() => null)))"
        )
        results = axe.run(page)
        assert results.violations_count == 0, f"{page.url} at {size['width']}px:\n{results.generate_report()}"
    page.set_viewport_size(DESKTOP)


def sign_in(page, live_server, username: str, password: str = "password"):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    device = TOTPDevice.objects.filter(user__username=username, confirmed=True).first()
    if device:  # two-step sign-in is on: the code the person's app shows now
        page.wait_for_url("**/accounts/login/code/")
        page.get_by_label("Code").fill(code_from(device))
        page.get_by_role("button", name="Continue").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
