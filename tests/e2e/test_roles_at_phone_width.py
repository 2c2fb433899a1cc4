"""Issue 6 points 2, 3, 4 and 10 in the browser, on one seed_demo: every role of
Kongsbergregionen logs in and finds its tasks in "Mine oppgaver"; the dashboard, "Mine
oppgaver" and a procurement page do not scroll sideways at 390 px nor at 1366 px; the chief
executive's sign-off is in view at 390 px from the top of the page; the coordinator's
"Fullfør fasen" on a phase that looks unfinished leads to a confirmation page listing what
is unfinished, and the upload form of a half-signed document warns whose signatures a new
version voids. axe-core (WCAG 2.1 A/AA) finds no serious or critical violation on any of
these pages at 390 px."""
import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By

from .test_accessibility import demo, load, log_in, procurement_url, submit, wait  # noqa: F401 - demo is a fixture

pytestmark = pytest.mark.e2e

PHONE, DESKTOP, HEIGHT = 390, 1366, 900
SIGNER = "kommunedirektor.rollag"
CONTRACT = "Felles velferdsteknologiplattform"  # the data processing agreement half-signed
TENDER = "Felles fagsystem for barnevernet"  # tender documents, ready to complete, checklist unticked
# One person per role (the demo's own logins), and the procurement page each one opens.
ROLES = {
    "koordinator": TENDER,
    "innkjoper": TENDER,
    "arkitekt": TENDER,
    "arkiv": TENDER,
    "personvern": TENDER,
    "tillitsvalgt.kongsberg": "Felles sak- og arkivsystem",
    "evaluator.kongsberg": "Felles sak- og arkivsystem",
    "suksit.kongsberg": "Innbyggerdialog og chatbot",
    SIGNER: CONTRACT,
    "bruker.kongsberg": TENDER,
}


def _size(browser, width: int) -> None:
    browser.set_window_size(width, HEIGHT)
    wait(browser).until(lambda b: b.execute_script("return window.innerWidth") == width)


def _sideways(browser) -> int:
    return browser.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth;")


def _in_view(browser, element) -> bool:
    return browser.execute_script(
        "const r = arguments[0].getBoundingClientRect();"
        "return r.width > 0 && r.top >= 0 && r.left >= 0 && r.bottom <= window.innerHeight && r.right <= window.innerWidth;",
        element,
    )


@pytest.mark.django_db(transaction=True)
def test_every_role_at_phone_and_desktop_width(demo, browser, axe_violations):  # noqa: F811
    problems: list[str] = []
    checked: list[str] = []
    original = browser.get_window_size()
    try:
        for username, title in ROLES.items():
            browser.get(demo.url + reverse("login"))
            browser.delete_all_cookies()
            _size(browser, DESKTOP)
            log_in(browser, demo, username)
            pages = {
                "oversikten": demo.url + reverse("dashboard"),
                "mine oppgaver": demo.url + reverse("my_tasks"),
                "anskaffelsen": procurement_url(demo, title),
            }
            for width in (PHONE, DESKTOP):
                _size(browser, width)
                for name, url in pages.items():
                    load(browser, url)
                    if _sideways(browser):
                        problems.append(f"{username}: {name} scrolls sideways by {_sideways(browser)} px at {width} px")
                    if width == PHONE:
                        problems += [f"{username}: {name}: axe {rule} ({impact}) {targets}" for rule, impact, _h, targets in axe_violations()]
                    checked.append(f"{username} {name} {width}")
            _size(browser, PHONE)
            load(browser, pages["mine oppgaver"])
            tasks = browser.find_elements(By.CSS_SELECTOR, "#waiting-section li.app-task, main table tbody tr, #mentions-section li")
            if not tasks:
                problems.append(f"{username}: no task in Mine oppgaver")
            elif not tasks[0].find_elements(By.CSS_SELECTOR, "a[href]"):
                problems.append(f"{username}: the first task has no link")

        # The chief executive: the sign-off is the first thing on the page, and its button
        # is in view once followed, at 390 px.
        browser.get(demo.url + reverse("login"))
        browser.delete_all_cookies()
        log_in(browser, demo, SIGNER)
        _size(browser, PHONE)
        load(browser, procurement_url(demo, CONTRACT))
        action = browser.find_element(By.CSS_SELECTOR, "#neste-handling a.ds-button")
        assert "Les og signer" in action.text
        assert _in_view(browser, action), "the chief executive's sign-off is off screen at 390 px"
        action.click()
        target = action.get_attribute("href").split("#", 1)[1]
        button = browser.find_element(By.CSS_SELECTOR, f"#{target} button[type=submit]")
        wait(browser).until(lambda b: _in_view(b, button))

        # The coordinator: completing the unfinished tender documents asks first; the
        # half-signed data processing agreement's upload form says whose signatures go.
        browser.delete_all_cookies()
        _size(browser, DESKTOP)
        log_in(browser, demo, "koordinator")
        _size(browser, PHONE)
        load(browser, procurement_url(demo, TENDER))
        complete = browser.find_element(By.XPATH, "//section[@id='faseendring']//button[normalize-space()='Fullfør fasen']")
        submit(browser, complete)
        warnings = browser.find_element(By.ID, "completion-warnings")
        assert "Sjekkpunkter som ikke er krysset av" in warnings.text
        assert browser.find_element(By.XPATH, "//button[normalize-space()='Ja, fullfør fasen']").is_displayed()
        assert not _sideways(browser), "the confirmation page scrolls sideways at 390 px"
        problems += [f"confirmation: axe {rule} ({impact}) {targets}" for rule, impact, _h, targets in axe_violations()]

        load(browser, procurement_url(demo, CONTRACT))
        upload = browser.find_element(By.CSS_SELECTOR, "#leveranse-contract-dpa details.app-upload")
        browser.execute_script("arguments[0].open = true; arguments[0].scrollIntoView();", upload)
        warning = browser.find_element(By.ID, "leveranse-contract-dpa-void-warning")
        assert warning.is_displayed() and "signaturer ugyldige" in warning.text
        assert not _sideways(browser)
        problems += [f"void warning: axe {rule} ({impact}) {targets}" for rule, impact, _h, targets in axe_violations()]
    finally:
        browser.set_window_size(original["width"], original["height"])
    assert not problems, "\n".join(problems)
    assert len(checked) == len(ROLES) * 2 * 3
