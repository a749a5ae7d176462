"""What the browser journeys share: viewports, screenshots, axe, logging in, the keyboard."""

from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}
# Not committed (.gitignore): a person looks through them after a run.
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
PASSWORD = "a-long-test-password"
# axe-core's default rules (WCAG 2.0 and 2.1 A and AA, and best practice) and WCAG 2.2 AA's
# target size, which axe leaves off unless asked.
AXE_OPTIONS = {"resultTypes": ["violations"], "rules": {"target-size": {"enabled": True}}}

# What has focus, in words, and whether a sighted keyboard user can see where it is.
FOCUS = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  const text = (el.labels && el.labels[0] ? el.labels[0].innerText : el.innerText || el.value);
  return {
    name: `<${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}> ${(text || "").trim()}`,
    visible: outline || style.boxShadow !== "none",
  };
}"""


def shoot(page, name):
    """Full-page screenshots at phone and desktop widths: screenshots/<test>/<name>-<width>.png."""
    folder = SCREENSHOTS / page.test_name
    folder.mkdir(parents=True, exist_ok=True)
    current = page.viewport_size
    for label, size in VIEWPORTS.items():
        page.set_viewport_size(size)
        page.screenshot(path=folder / f"{name}-{label}.png", full_page=True)
    page.set_viewport_size(current)


def no_violations(page):
    """axe-core finds nothing wrong with the page as it is now."""
    results = Axe().run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def log_in(page, live_server, user):
    page.goto(f"{live_server.url}/admin/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_selector("#user-tools")


def csp_errors(page):
    return [text for text in page.console_errors if "Content Security Policy" in text]


def tab_to(page, target, *, limit=40):
    """Press Tab until ``target`` has focus; at every stop on the way, focus must show."""
    expect(target).to_be_visible()  # first, so a missing or renamed control fails plainly
    passed = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS)
        assert focus["visible"], f"Focus is not visible on {focus['name']} at {page.url}"
        if target.evaluate("element => element === document.activeElement"):
            return
        passed.append(focus["name"])
    stops = "\n  ".join(passed)
    raise AssertionError(f"Tab never reached {target} at {page.url}; it went through:\n  {stops}")


def press_to_leave(page, key="Enter"):
    """Press a key that follows a link or sends a form, and wait for the next page."""
    with page.expect_navigation():
        page.keyboard.press(key)


def typed_by_keyboard(page, target, text):
    """Tab to a field and type into it, as a person would without a mouse."""
    tab_to(page, target)
    page.keyboard.type(text)
