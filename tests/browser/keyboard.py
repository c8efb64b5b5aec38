"""Driving pages with the keyboard only: Tab to a control, then Enter, Space or typing.

Every Tab stop on the way is checked for a focus ring a sighted keyboard user can see: a solid outline at
least 2 px wide whose colour reaches 3:1 against what is behind it (WCAG 1.4.11).
"""

import re

from .support import PHONE_390  # noqa: F401  (imported from here by the journeys)

# The focused element's outline, and the background colours from its parent up to the page: the ring is
# drawn outside the element (with an offset), so what it must stand out against is its surroundings.
_FOCUS = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const behind = [];
  for (let node = el.parentElement; node; node = node.parentElement) {
    behind.push(getComputedStyle(node).backgroundColor);
  }
  const text = (el.innerText || el.value || "").slice(0, 40);
  const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + " " + text;
  return {name, style: style.outlineStyle, width: parseFloat(style.outlineWidth), color: style.outlineColor, behind};
}"""


def _rgba(css: str) -> tuple[float, float, float, float]:
    """A computed colour: rgb()/rgba() in 0-255, or color(srgb ...) in 0-1 (what color-mix() computes to)."""
    numbers = [float(n) for n in re.findall(r"[\d.]+", css.removeprefix("color(srgb"))]
    if len(numbers) < 3 or not css.startswith(("rgb", "color(srgb")):
        raise ValueError(f"not an sRGB colour: {css}")
    alpha = numbers[3] if len(numbers) > 3 else 1.0
    scale = 255 if css.startswith("color(") else 1
    return numbers[0] * scale, numbers[1] * scale, numbers[2] * scale, alpha


def _over(top: tuple, bottom: tuple) -> tuple[float, float, float, float]:
    alpha = top[3]
    return tuple(top[i] * alpha + bottom[i] * (1 - alpha) for i in range(3)) + (1.0,)


def _luminance(rgb) -> float:
    def channel(c):
        c = c / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first, second) -> float:
    """The WCAG contrast ratio of two opaque colours (r, g, b, ...)."""
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def focus_ring(page) -> dict:
    """The focused element's ring: its name, outline style and width, and its contrast with what is behind."""
    found = page.evaluate(_FOCUS)
    background = (255.0, 255.0, 255.0, 1.0)  # the canvas behind everything
    for layer in reversed(found["behind"]):
        background = _over(_rgba(layer), background)
    ring = _over(_rgba(found["color"]), background)
    rgb = tuple(round(c) for c in background[:3])
    return {**found, "background": rgb, "contrast": contrast(ring, background)}


def assert_focus_visible(page) -> dict:
    ring = focus_ring(page)
    assert ring["style"] not in ("none", "hidden") and ring["width"] >= 2, f"no visible focus ring: {ring}"
    assert ring["contrast"] >= 3, f"focus ring below 3:1: {ring}"
    return ring


def tab_to(page, locator, limit: int = 80) -> int:
    """Press Tab until `locator` has the focus, checking the focus ring at every stop; return the presses."""
    handle = locator.element_handle()
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement !== document.body"):
            assert_focus_visible(page)
        if page.evaluate("(el) => el === document.activeElement", handle):
            return presses
    raise AssertionError(f"{locator} never got the focus in {limit} Tabs")


def press_on(page, locator, key: str = "Enter") -> int:
    presses = tab_to(page, locator)
    page.keyboard.press(key)
    return presses


def type_into(page, locator, text: str) -> None:
    tab_to(page, locator)
    page.keyboard.type(text)


def scrolls_sideways(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")


def top_of(page, locator) -> float:
    """The element's distance from the top of the page, in CSS pixels."""
    return locator.evaluate("(el) => el.getBoundingClientRect().top + window.scrollY")
