"""axe-core (WCAG 2.1 A and AA rules) finds no serious or critical violation on the pages
people use most, with the demo data of ``seed_demo`` behind them: the login page (empty and
with an error), the dashboard, a procurement in intake, a procurement with an open sign-off
gate (the data processing agreement half-signed in the contract phase), the procurement
page showing form errors (a deliverable posted empty, a rejection without a reason, a
deadline posted empty), the award section of the procurement in the contract phase (its
standstill period running) with the complaint form and a complaint's resolve form posted
empty,
"Mine oppgaver" and the need-report form with errors; and, as they are on the way, the
cost-sharing form and the invitation answer form with errors.

Each page is reached the way a person reaches it: logged in through the login form, by
links, and by submitting the forms. No axe rule is switched off."""

import pytest
from django.conf import settings
from django.urls import reverse
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from procurement.models import Procurement
from tests.e2e.conftest import demo_seed, open_details, type_into

pytestmark = pytest.mark.e2e

TIMEOUT = 10
INTAKE = "Innbyggerdialog og chatbot"
CONTRACT = "Felles velferdsteknologiplattform"  # contract phase, DPA signed by 4 of 7
# The chief executive of Rollag has not signed the DPA and has not answered the chatbot
# invitation: the page shows the sign form, and "Mine oppgaver" has both kinds of task.
SIGNER = "kommunedirektor.rollag"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def demo(live_server, browser):
    demo_seed()
    browser.get(live_server.url + reverse("login"))
    browser.delete_all_cookies()  # the browser is shared by the session: start logged out
    return live_server


def wait(browser):
    return WebDriverWait(browser, TIMEOUT)


def load(browser, url: str) -> None:
    browser.get(url)
    wait(browser).until(lambda b: b.execute_script("return document.readyState") == "complete")


def submit(browser, button) -> None:
    """Click BUTTON and wait until the page it leads to has loaded (the mark set on this
    page's window is gone); the driver may answer with an error between pages."""
    browser.execute_script("window.__leaving = true;")
    button.click()
    WebDriverWait(browser, TIMEOUT, ignored_exceptions=(WebDriverException,)).until(
        lambda b: b.execute_script("return !window.__leaving && document.readyState === 'complete';")
    )


def log_in(browser, server, username: str, password: str = "") -> None:
    load(browser, server.url + reverse("login"))
    browser.find_element(By.ID, "id_username").send_keys(username)
    browser.find_element(By.ID, "id_password").send_keys(password or settings.DEMO_PASSWORD)
    submit(browser, browser.find_element(By.CSS_SELECTOR, "form.app-form button[type=submit]"))


def procurement_url(server, title: str) -> str:
    return server.url + reverse("procurement_detail", args=[Procurement.objects.get(title=title).pk])


# --------------------------------------------------------------------------------------
# The pages: each function takes the browser, already logged in as the person of its group,
# to the page to check, and asserts that the page shows what it should
# --------------------------------------------------------------------------------------


def login_page(browser, server):
    load(browser, server.url + reverse("login"))
    assert browser.find_elements(By.CSS_SELECTOR, ".app-demo-accounts tbody tr"), "demo accounts listed"


def login_with_error(browser, server):
    log_in(browser, server, "koordinator", password="feil-passord")
    assert "Feil brukernavn eller passord" in browser.find_element(By.ID, "error-summary").text


def dashboard(browser, server):
    load(browser, server.url + reverse("dashboard"))
    assert browser.find_element(By.LINK_TEXT, CONTRACT)
    assert browser.find_element(By.LINK_TEXT, INTAKE)


def procurement_in_intake(browser, server):
    load(browser, procurement_url(server, INTAKE))
    assert browser.find_element(By.CSS_SELECTOR, ".app-procurement-head .ds-tag").text == "Innmelding"
    assert "Venter på svar" in browser.find_element(By.ID, "deltakere").text


def procurement_with_deliverable_error(browser, server):
    load(browser, procurement_url(server, CONTRACT))
    article = browser.find_element(By.ID, "leveranse-contract-signed")
    open_details(browser, article.find_element(By.CSS_SELECTOR, "details.app-upload"))
    button = wait(browser).until(EC.element_to_be_clickable(
        article.find_element(By.CSS_SELECTOR, "details.app-upload button[type=submit]")
    ))
    submit(browser, button)
    summary = wait(browser).until(EC.visibility_of_element_located((By.ID, "error-summary")))
    assert "Last opp et dokument eller skriv teksten." in summary.text


def procurement_with_open_gate(browser, server):
    load(browser, procurement_url(server, CONTRACT))
    assert browser.find_element(By.CSS_SELECTOR, ".app-procurement-head .ds-tag").text == "Kontrakt"
    gate = browser.find_element(By.ID, "port-dpa")
    assert "Venter på signaturer" in gate.text
    assert gate.find_elements(By.CSS_SELECTOR, "form.app-sign-form"), "Rollag's sign form is shown"
    assert gate.find_elements(By.CSS_SELECTOR, ".app-voided"), "the voided signature is listed"


def procurement_with_signoff_error(browser, server):
    load(browser, procurement_url(server, CONTRACT))
    form = browser.find_element(By.CSS_SELECTOR, "#port-dpa form.app-sign-form")
    form.find_element(By.XPATH, ".//button[normalize-space()='Avvis']").click()  # htmx swaps the section
    wait(browser).until(
        EC.text_to_be_present_in_element((By.CSS_SELECTOR, "#signering .ds-validation-message"), "Skriv hvorfor du avviser.")
    )


def procurement_with_deadline_error(browser, server):
    load(browser, procurement_url(server, CONTRACT))
    assert "Alle kommunedirektører har signert databehandleravtalen" in browser.find_element(By.ID, "frister").text
    details = browser.find_element(By.CSS_SELECTOR, "#frister details.app-deadline-new")
    open_details(browser, details)
    button = wait(browser).until(EC.element_to_be_clickable(details.find_element(By.CSS_SELECTOR, "button[type=submit]")))
    submit(browser, button)
    summary = wait(browser).until(EC.visibility_of_element_located((By.ID, "error-summary")))
    assert "Skriv hva fristen gjelder." in summary.text and "Velg en dato for fristen." in summary.text


def _no_horizontal_scroll_at(browser, width: int, selector: str) -> None:
    """At WIDTH pixels neither the page nor SELECTOR scrolls sideways (long words wrap)."""
    size = browser.get_window_size()
    browser.set_window_size(width, size["height"])
    try:
        wait(browser).until(lambda b: b.execute_script("return window.innerWidth") == width)
        overflow = browser.execute_script(
            "const el = document.querySelector(arguments[0]);"
            "return [document.documentElement.scrollWidth - document.documentElement.clientWidth,"
            " el.scrollWidth - el.clientWidth];",
            selector,
        )
    finally:
        browser.set_window_size(size["width"], size["height"])
    assert overflow == [0, 0], f"{selector} scrolls sideways at {width} px: {overflow}"


def procurement_with_award_section(browser, server):
    load(browser, procurement_url(server, CONTRACT))
    section = browser.find_element(By.ID, "tildeling")
    assert "Karensperioden løper" in section.text
    assert "Kontrakten kan signeres fra" in section.text
    assert browser.find_element(By.CSS_SELECTOR, '.app-toc a[href="#tildeling"]')
    _no_horizontal_scroll_at(browser, 390, "#tildeling")


def _open_and_submit(browser, details) -> None:
    open_details(browser, details)
    button = wait(browser).until(EC.element_to_be_clickable(details.find_element(By.CSS_SELECTOR, "button[type=submit]")))
    submit(browser, button)


def procurement_with_complaint_errors(browser, server):
    load(browser, procurement_url(server, CONTRACT))
    _open_and_submit(browser, browser.find_element(By.CSS_SELECTOR, "#klager > details.app-award__form"))
    summary = wait(browser).until(EC.visibility_of_element_located((By.ID, "error-summary")))
    assert "Skriv hvem som klager." in summary.text and "Skriv hva klagen gjelder." in summary.text
    assert "Skriv hvem som klager." in browser.find_element(By.ID, "id_complaint_complainant_error").text


def complaint_resolve_with_errors(browser, server):
    load(browser, procurement_url(server, CONTRACT))
    details = browser.find_element(By.CSS_SELECTOR, "#klager > details.app-award__form")
    open_details(browser, details)
    type_into(browser, details.find_element(By.ID, "id_complaint_complainant"), "Omsorgsteknologi Nord AS")
    # One long unbroken word: it must wrap at 390 px, not widen the page.
    type_into(browser, details.find_element(By.ID, "id_complaint_summary"), "Prisevalueringen " + "tilbudsoversikt" * 8)
    submit(browser, details.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert "Kontrakten kan ikke signeres før den er avgjort." in browser.find_element(By.CSS_SELECTOR, ".app-messages").text
    _open_and_submit(browser, browser.find_element(By.CSS_SELECTOR, ".app-complaint details.app-award__form"))
    summary = wait(browser).until(EC.visibility_of_element_located((By.ID, "error-summary")))
    assert "Velg utfallet av klagen." in summary.text and "Skriv avgjørelsen og begrunnelsen." in summary.text
    _no_horizontal_scroll_at(browser, 390, "#tildeling")


def cost_shares_with_errors(browser, server):
    load(browser, procurement_url(server, INTAKE))
    submit(browser, browser.find_element(By.LINK_TEXT, "Endre kostnadsfordelingen"))
    browser.find_element(By.XPATH, "//label[normalize-space()='Egendefinert']").click()
    shares = browser.find_elements(By.CSS_SELECTOR, "input[data-share]")
    shares[0].clear()
    shares[1].clear()
    shares[1].send_keys("tretti")
    submit(browser, browser.find_element(By.XPATH, "//main//button[normalize-space()='Lagre kostnadsfordelingen']"))
    summary = browser.find_element(By.ID, "error-summary")
    assert "Skriv andelen til" in summary.text
    assert len(summary.find_elements(By.CSS_SELECTOR, "li")) == 2  # the missing and the non-numeric share


def answer_with_errors(browser, server):
    load(browser, server.url + reverse("my_tasks"))
    submit(browser, browser.find_element(By.LINK_TEXT, "Svar for Rollag"))
    browser.find_element(By.XPATH, "//label[normalize-space()='Nei, kommunen takker nei']").click()
    submit(browser, browser.find_element(By.XPATH, "//main//button[normalize-space()='Send svaret']"))
    assert "Skriv hvorfor kommunen takker nei." in browser.find_element(By.ID, "error-summary").text


def my_tasks(browser, server):
    load(browser, server.url + reverse("my_tasks"))
    assert browser.find_element(By.LINK_TEXT, "Svar for Rollag")
    assert browser.find_element(By.LINK_TEXT, "Les og signer")


def need_report_with_errors(browser, server):
    load(browser, server.url + reverse("report_need"))
    submit(browser, browser.find_element(By.XPATH, "//main//button[normalize-space()='Meld inn']"))
    summary = browser.find_element(By.ID, "error-summary")
    assert "Skriv en tittel." in summary.text and "Velg hva slags behov det er." in summary.text


ARCHIVE = "Felles sak- og arkivsystem"  # the demo's meetings (procurement/demo/meetings.py)


def _meetings_url(server, title: str = ARCHIVE) -> str:
    return server.url + reverse("meeting_list", args=[Procurement.objects.get(title=title).pk])


def meetings_list(browser, server):
    load(browser, _meetings_url(server))
    table = browser.find_element(By.CSS_SELECTOR, "main table")
    assert "Godkjent automatisk" in table.text and "Referatet er for sent" in table.text
    assert "minst 14 dager" in browser.find_element(By.CSS_SELECTOR, "main .ds-alert").text
    _no_horizontal_scroll_at(browser, 390, "main")


def meeting_with_correction_error(browser, server):
    """A participant of the second project group meeting sends an empty correction."""
    load(browser, _meetings_url(server))
    submit(browser, browser.find_element(By.LINK_TEXT, "Prosjektgruppe 2: behovene"))
    assert "Rettelser kommet" in browser.find_element(By.CSS_SELECTOR, ".app-page-head").text
    submit(browser, browser.find_element(By.XPATH, "//main//button[normalize-space()='Send rettelsen']"))
    assert "Skriv rettelsen." in browser.find_element(By.ID, "error-summary").text
    _no_horizontal_scroll_at(browser, 390, "main")


def meeting_plan_with_errors(browser, server):
    load(browser, _meetings_url(server))
    submit(browser, browser.find_element(By.LINK_TEXT, "Planlegg et møte"))
    submit(browser, browser.find_element(By.XPATH, "//main//button[normalize-space()='Planlegg møtet']"))
    summary = browser.find_element(By.ID, "error-summary")
    assert "Velg datoen for møtet." in summary.text and "Skriv hvor møtet holdes" in summary.text


def inbox_and_settings(browser, server):
    """The header's unread count leads to the list; the settings page keeps a bad choice out."""
    load(browser, server.url + reverse("dashboard"))
    submit(browser, browser.find_element(By.CSS_SELECTOR, ".app-nav a[href$='/varsler/']"))
    assert browser.find_elements(By.CSS_SELECTOR, ".app-inbox__item--unread")
    _no_horizontal_scroll_at(browser, 390, "main")
    load(browser, server.url + reverse("notification_settings"))
    assert "/kalender/" in browser.find_element(By.CSS_SELECTOR, ".app-feeds input").get_attribute("value")
    _no_horizontal_scroll_at(browser, 390, "main")


def agreements_page_with_errors(browser, server):
    """The welfare platform's contract and data processing agreement: the contract signature
    is stopped by the standstill period (the date and time it ends), and an emptied required
    field of the agreement is an error in the summary; no sideways scroll at 390 px."""
    load(browser, server.url + reverse("agreements_page", args=[Procurement.objects.get(title=CONTRACT).pk]))
    assert "Karensperioden løper til og med" in browser.find_element(By.ID, "signering-stoppet").text
    field = browser.find_element(By.ID, "id_dpa-processor_name")
    field.clear()
    submit(browser, browser.find_element(By.XPATH, "//button[normalize-space()='Lagre databehandleravtalen']"))
    summary = wait(browser).until(EC.visibility_of_element_located((By.ID, "error-summary")))
    assert "Fyll ut feltet." in summary.text
    _no_horizontal_scroll_at(browser, 390, "main")

def evaluation_page(browser, server):
    """The school system's evaluation (issue 7): tenders, the ranking and the scale warning,
    and a supplier form posted with an invalid organisation number; no sideways scroll at 390 px."""
    procurement = Procurement.objects.get(title="Nytt skoleadministrativt system")
    load(browser, server.url + reverse("evaluation_page", args=[procurement.pk]))
    assert "Rangering etter tildelingskriteriene" in browser.find_element(By.ID, "konsensus").text
    _no_horizontal_scroll_at(browser, 390, "main")
    section = browser.find_element(By.ID, "leverandorer")
    open_details(browser, section.find_element(By.CSS_SELECTOR, "details"))
    for name, value in (("name", "Ny AS"), ("org_number", "123456789"), ("contact_name", "Kari"), ("contact_email", "kari@ny.example")):
        type_into(browser, section.find_element(By.ID, f"id_leverandor-{name}"), value)
    submit(browser, section.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert "Organisasjonsnummeret er ikke gyldig" in browser.find_element(By.ID, "leverandorer").text


# Who looks at which pages, all on one seed_demo; every page is checked, and the test
# reports all of them before it fails.
VISITS = {
    "anonymous": (None, [login_page, login_with_error]),
    "coordinator": (
        "koordinator",
        [
            dashboard,
            procurement_in_intake,
            procurement_with_deliverable_error,
            procurement_with_deadline_error,
            cost_shares_with_errors,
            procurement_with_award_section,
            procurement_with_complaint_errors,
            complaint_resolve_with_errors,
            meetings_list,
            meeting_plan_with_errors,
            evaluation_page,
            inbox_and_settings,
            agreements_page_with_errors,
        ],
    ),
    "chief-executive": (
        SIGNER,
        [procurement_with_open_gate, procurement_with_signoff_error, my_tasks, answer_with_errors],
    ),
    "suksit-member": ("suksit.kongsberg", [need_report_with_errors]),
    "meeting-participant": ("suksit.tinn", [meeting_with_correction_error]),
}


def test_axe_finds_a_known_violation(browser, axe_violations):
    """The checker itself works: a page with an unlabelled field and an image without text
    alternative is reported, so an empty result above means something."""
    browser.get(
        "data:text/html;charset=utf-8,<!DOCTYPE html><html lang=nb><title>Prøve</title>"
        "<main><img src=logo.png><input type=text></main></html>"
    )
    rules = {rule for rule, *_ in axe_violations()}
    assert {"image-alt", "label"} <= rules


@pytest.mark.django_db(transaction=True)
def test_no_serious_or_critical_violations(demo, browser, axe_violations, csp_violations):
    """Every person's pages on one seed_demo (it takes seconds): the browser starts each
    person logged out, and the test reports every failing page of every person at once."""
    found = {}
    blocked = {}
    for who, (username, pages) in VISITS.items():
        browser.get(demo.url + reverse("login"))
        browser.delete_all_cookies()
        if username:
            log_in(browser, demo, username)
            assert browser.find_elements(By.CSS_SELECTOR, ".app-user"), f"{username} is logged in"
        for page in pages:
            page(browser, demo)
            found[f"{who}: {page.__name__}"] = axe_violations()
            blocked[f"{who}: {page.__name__}"] = csp_violations()
    failing = {name: violations for name, violations in found.items() if violations}
    assert not failing, "\n".join(
        f"{name}: {rule} ({impact}): {help_text} – {targets}"
        for name, violations in failing.items()
        for rule, impact, help_text, targets in violations
    )
    # Nothing on the pages (nor htmx, nor Designsystemet's CSS) needs what the policy forbids.
    assert not any(blocked.values()), {name: messages for name, messages in blocked.items() if messages}


def test_csp_check_sees_what_the_browser_blocks(browser, csp_violations):
    """The console check itself works: an inline style under a policy without
    'unsafe-inline' is reported, so an empty result above means something."""
    browser.get(
        "data:text/html;charset=utf-8,<!DOCTYPE html><html lang=nb><head>"
        "<meta http-equiv=Content-Security-Policy content=\"style-src 'self'\"><title>Prøve</title></head>"
        "<body><p style=color:red>x</p></body></html>"
    )
    assert csp_violations()
