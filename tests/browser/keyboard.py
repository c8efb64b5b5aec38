"""Driving pages with the keyboard only: Tab to a control, then Enter, Space or typing."""

PHONE_390 = {"width": 390, "height": 844}


def tab_to(page, locator, limit: int = 80) -> int:
    """Press Tab until `locator` has the focus; return how many presses it took."""
    handle = locator.element_handle()
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
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
