"""The error pages pass axe and fit a phone, like every other page."""

from devboard import errors

from .support import assert_accessible, sign_in

NARROW = {"width": 320, "height": 640}


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_not_found_and_not_allowed_pages_are_accessible(page, live_server, resident, axe):
    page.goto(live_server.url + "/no/such/page/")
    assert page.get_by_role("heading", name="We can't find that page").is_visible()
    assert_accessible(page, axe)
    sign_in(page, live_server, "riley")
    page.goto(live_server.url + "/program/")
    assert page.get_by_role("heading", name="This page is not open to your account").is_visible()
    assert_accessible(page, axe)
    page.set_viewport_size(NARROW)
    assert fits(page)


def test_the_500_page_is_accessible_and_fits_a_narrow_phone(page, axe):
    page.set_content(errors._PAGE.replace("__REQUEST_ID__", "0123456789abcdef0123456789abcdef"))
    assert_accessible(page, axe)
    page.set_viewport_size(NARROW)
    assert fits(page)
