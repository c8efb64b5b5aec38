"""The focus ring measured: on the navy bar and on white, Tab to a control, read the outline's computed
colour and the background behind it, and work out the WCAG contrast ratio (3:1 is the floor). And the
type the design system sets: the typeface, its size and line height, semibold headings, tabular figures
and the reading width, as the browser computed them, at 1280 and 390 px."""

import pytest

from tests.factories import make_worksheet

from .keyboard import assert_focus_visible, contrast, tab_to
from .support import DESKTOP, PHONE_390, sign_in

NAVY_BAR = (11, 61, 117)


@pytest.mark.parametrize("size", [DESKTOP, PHONE_390], ids=["1280", "390"])
def test_the_focus_ring_reaches_3_to_1_on_the_bar_and_on_white(page, live_server, resident, size):
    assert round(contrast((255, 255, 255), (0, 0, 0)), 1) == 21.0  # the arithmetic, on a known pair
    make_worksheet(resident, title="Feedback on nights")
    sign_in(page, live_server, "riley")
    page.set_viewport_size(size)
    page.goto(f"{live_server.url}/worksheets/")

    # on a phone the bar folds its links behind the menu button
    nav = page.get_by_role("navigation", name="Main")
    on_the_bar = nav.get_by_role("link", name="My board") if size is DESKTOP else page.get_by_label("Show navigation")
    tab_to(page, on_the_bar)
    on_bar = assert_focus_visible(page)
    assert on_bar["width"] == 3 and on_bar["style"] == "solid"
    assert on_bar["background"] == NAVY_BAR, on_bar

    tab_to(page, page.get_by_role("main").get_by_role("link", name="Feedback on nights", exact=True))
    on_white = assert_focus_visible(page)
    assert on_white["width"] == 3 and on_white["background"] == (255, 255, 255), on_white
    width, bar, white = size["width"], on_bar["contrast"], on_white["contrast"]
    print(f"focus ring contrast at {width}px: {bar:.1f}:1 on the bar, {white:.1f}:1 on white")


TYPE = """() => {
  const style = (selector) => getComputedStyle(document.querySelector(selector));
  const body = style("body");
  return {
    family: body.fontFamily,
    size: parseFloat(body.fontSize),
    lineHeight: parseFloat(body.lineHeight) / parseFloat(body.fontSize),
    loaded: document.fonts.check('17px "Source Sans 3"') && [...document.fonts].some((f) => f.status === "loaded"),
    heading: style("main h1").fontWeight,
    badge: style("main .badge").fontVariantNumeric,
    button: style(".page-header-action").backgroundColor,
    lead: parseFloat(style(".page-header-lead").maxWidth) / parseFloat(style(".page-header-lead").fontSize),
  };
}"""


@pytest.mark.parametrize("size", [DESKTOP, PHONE_390], ids=["1280", "390"])
def test_the_type_is_the_design_systems(page, live_server, resident, size):
    make_worksheet(resident, title="Feedback on nights")
    sign_in(page, live_server, "riley")
    page.set_viewport_size(size)
    page.goto(f"{live_server.url}/worksheets/")
    page.evaluate("document.fonts.ready")
    found = page.evaluate(TYPE)
    assert found["family"].startswith('"Source Sans 3"') and found["loaded"], found  # self-hosted, not a fallback
    assert found["size"] == 17 and found["lineHeight"] == 1.5, found
    assert found["heading"] == "600", found
    assert found["badge"] == "tabular-nums", found  # counts line up
    assert found["button"] == f"rgb{NAVY_BAR}", found  # the primary button in the bar's navy
    # about 70 characters (a "0" in Source Sans 3 is about half an em wide)
    assert 30 <= found["lead"] <= 40, found
