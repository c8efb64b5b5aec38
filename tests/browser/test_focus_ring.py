"""The focus ring measured: on the navy bar and on white, Tab to a control, read the outline's computed
colour and the background behind it, and work out the WCAG contrast ratio (3:1 is the floor)."""

from tests.factories import make_worksheet

from .keyboard import assert_focus_visible, contrast, tab_to
from .support import sign_in


def test_the_focus_ring_reaches_3_to_1_on_the_bar_and_on_white(page, live_server, resident):
    assert round(contrast((255, 255, 255), (0, 0, 0)), 1) == 21.0  # the arithmetic, on a known pair
    make_worksheet(resident, title="Feedback on nights")
    sign_in(page, live_server, "riley")
    page.goto(f"{live_server.url}/worksheets/")

    tab_to(page, page.get_by_role("navigation", name="Main").get_by_role("link", name="My board"))
    on_bar = assert_focus_visible(page)
    assert on_bar["width"] == 3 and on_bar["style"] == "solid"
    assert on_bar["background"] == (11, 61, 117), on_bar  # the navy bar

    tab_to(page, page.get_by_role("main").get_by_role("link", name="Feedback on nights", exact=True))
    on_white = assert_focus_visible(page)
    assert on_white["width"] == 3 and on_white["background"] == (255, 255, 255), on_white
    print(f"focus ring contrast: {on_bar['contrast']:.1f}:1 on the bar, {on_white['contrast']:.1f}:1 on white")
