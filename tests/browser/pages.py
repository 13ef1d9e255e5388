"""Small helpers shared by the browser tests."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

INDEX = "/"
LOGIN = "/accounts/login/"

_axe = Axe()


def axe_violations(page) -> tuple[int, str]:
    """Run axe-core (WCAG 2.x A/AA and best practices) on the page as it is now."""
    results = _axe.run(page)
    return results.violations_count, results.generate_report()


def show_login_error(page, base_url: str) -> None:
    """Open the login page and submit a wrong password so that it shows its error."""
    page.goto(base_url + LOGIN)
    page.fill("#id_username", "no-such-staff")
    page.fill("#id_password", "not-the-password-1")
    page.click("button[type=submit].button--primary")
    page.wait_for_selector("#login-error")


def focused(page) -> dict:
    """What has keyboard focus, and how its focus indicator is drawn."""
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const style = getComputedStyle(el);
            return {
                tag: el.tagName.toLowerCase(),
                id: el.id,
                cls: el.className,
                type: el.getAttribute("type"),
                text: (el.innerText || "").trim(),
                href: el.getAttribute("href"),
                outlineStyle: style.outlineStyle,
                outlineWidth: parseFloat(style.outlineWidth) || 0,
                focusVisible: el.matches(":focus-visible"),
            };
        }"""
    )


def horizontal_overflow(page) -> int:
    """How many CSS pixels the page is wider than the viewport (0 = no horizontal scroll)."""
    return page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def tab_to(page, predicate, limit: int = 80) -> dict:
    """Press Tab until ``predicate(focused(page))``; the element reached shows a focus ring."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        if predicate(now):
            assert now["outlineStyle"] != "none" and now["outlineWidth"] >= 2, now
            return now
    raise AssertionError("not reached by Tab")


def assert_clean(page) -> None:
    """The loaded page has no axe-core violation and does not scroll sideways."""
    page.wait_for_load_state("networkidle")
    count, report = axe_violations(page)
    assert count == 0, report
    assert horizontal_overflow(page) <= 0
