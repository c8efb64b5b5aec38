"""The 500 page passes axe and fits a phone, like every other page (404 and 403: test_every_page.py)."""

from devboard import errors

from .support import assert_accessible

NARROW = {"width": 320, "height": 640}


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_the_500_page_is_accessible_and_fits_a_narrow_phone(page, axe):
    page.set_content(errors._PAGE.replace("__REQUEST_ID__", "0123456789abcdef0123456789abcdef"))
    assert_accessible(page, axe)
    page.set_viewport_size(NARROW)
    assert fits(page)
