"""One procurement through intake and a sign-off gate in a real browser, as the people in
the collaboration would do it: everyone logs in through the login form by typing their username
and password, reads what the page says, and clicks the buttons and links a person would.

    1. a SuksIT member reports a need ("Meld inn behov") and logs out;
    2. the coordinator invites the other municipalities with an answer deadline;
    3. one municipality's SuksIT member joins, another's chief executive declines with a
       reason (both through "Mine oppgaver" and the answer form);
    4. the coordinator sets cost sharing by population and starts the procurement;
    5. a second procurement, brought to the strategy phase through the services with every
       deliverable but the go/no-go decision basis, gets that document written in the
       browser; the coordinator approves the go/no-go gate and the page shows the next phase.

Every step waits explicitly (WebDriverWait) for what the page must show next; no sleeps."""
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from procurement import phases
from procurement.models import Participation, ParticipationStatus, Procurement, SignOff
from tests.conftest import fill_deliverables, make_collaboration, make_procurement
from tests.factories import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TIMEOUT = 10
TITLE = "Felles løsning for digital byggesak"
GATE_TITLE = "Felles sak- og arkivsystem"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


# --------------------------------------------------------------------------------------
# What a person does
# --------------------------------------------------------------------------------------


def wait(browser):
    return WebDriverWait(browser, TIMEOUT)


def text_of(browser, css: str) -> str:
    return wait(browser).until(EC.visibility_of_element_located((By.CSS_SELECTOR, css))).text


def click_and_load(browser, element) -> None:
    """Click a link or a submit button and wait until the next page has loaded: the mark set
    on this page's window is gone and the new document is complete. While the browser is
    between pages, the driver may answer with an error; the wait asks again."""
    browser.execute_script("window.__leaving = true;")
    element.click()
    WebDriverWait(browser, TIMEOUT, ignored_exceptions=(WebDriverException,)).until(
        lambda b: b.execute_script("return !window.__leaving && document.readyState === 'complete';")
    )


def click_link(browser, text: str) -> None:
    click_and_load(browser, wait(browser).until(EC.element_to_be_clickable((By.LINK_TEXT, text))))


def click_button(browser, text: str, *, within=None) -> None:
    scope = within or browser
    xpath = f".//button[normalize-space()={xpath_literal(text)}]"
    button = wait(browser).until(lambda _: scope.find_element(By.XPATH, xpath))
    click_and_load(browser, button)


def choose(browser, label: str) -> None:
    """Click the radio button or checkbox whose label is LABEL."""
    browser.find_element(By.XPATH, f"//label[normalize-space()={xpath_literal(label)}]").click()


def type_into(browser, field_id: str, text: str) -> None:
    field = wait(browser).until(EC.element_to_be_clickable((By.ID, field_id)))
    field.clear()
    field.send_keys(text)


def date_keys(browser, day) -> str:
    """The keys a person types into a date field: its day, month and year segments in the
    order the browser's locale shows them (dd.mm.yyyy in Norwegian, mm/dd/yyyy in en-US)."""
    order = browser.execute_script(
        "return new Intl.DateTimeFormat().formatToParts(new Date(2026, 11, 31))"
        ".map(p => p.type).filter(t => ['day', 'month', 'year'].includes(t));"
    )
    parts = {"day": f"{day:%d}", "month": f"{day:%m}", "year": f"{day:%Y}"}
    return "".join(parts[name] for name in order)


def xpath_literal(text: str) -> str:
    if '"' not in text:
        return f'"{text}"'
    return "concat(" + ", '\"', ".join(f'"{part}"' for part in text.split('"')) + ")"


def heading(browser) -> str:
    return text_of(browser, "main h1")


def messages(browser) -> str:
    return text_of(browser, ".app-messages")


def phase_tag(browser) -> str:
    return text_of(browser, ".app-procurement-head .app-status")


def participant_row(browser, municipality) -> str:
    name = xpath_literal(str(municipality))
    xpath = f"//section[@id='deltakere']//tbody/tr[th[normalize-space(text()[1])={name}]]"
    return wait(browser).until(EC.visibility_of_element_located((By.XPATH, xpath))).text


def log_in(browser, live_server, person) -> None:
    """Type the username and password into the login form (not the demo buttons)."""
    browser.get(live_server.url + reverse("login"))
    assert heading(browser) == "Logg inn"
    type_into(browser, "id_username", person.username)
    type_into(browser, "id_password", PASSWORD)
    form = browser.find_element(By.CSS_SELECTOR, "form.app-form")
    click_button(browser, "Logg inn", within=form)
    assert f"Logget inn som {person}" in text_of(browser, ".app-user")


def log_out(browser) -> None:
    click_button(browser, "Logg ut", within=browser.find_element(By.CSS_SELECTOR, ".app-header"))
    assert heading(browser) == "Logg inn"
    assert not browser.find_elements(By.CSS_SELECTOR, ".app-user")


# --------------------------------------------------------------------------------------
# The flow
# --------------------------------------------------------------------------------------


def test_need_to_started_procurement_and_through_the_go_no_go_gate(browser, live_server):
    world = make_collaboration(3, name="Kongsbergregionen")
    reporter, joiner, decliner = world.municipalities
    # Step 5's procurement: standing in strategy with everything but the decision basis.
    gated = make_procurement(world, phase=phases.STRATEGY, title=GATE_TITLE)
    fill_deliverables(gated, skip=("strategy-decision-basis",))
    browser.get(live_server.url + reverse("login"))
    browser.delete_all_cookies()  # the browser is shared by the session: start logged out

    # 1. The SuksIT member of the reporting municipality reports a need.
    log_in(browser, live_server, world.representative(reporter))
    click_link(browser, "Meld inn behov")
    assert heading(browser) == "Meld inn behov"
    municipality = browser.find_element(By.ID, "id_municipality")
    assert municipality.find_element(By.CSS_SELECTOR, "option:checked").text == str(reporter)
    type_into(browser, "id_title", TITLE)
    type_into(browser, "id_description", "Tre kommuner har hvert sitt byggesaksystem som går ut av støtte i 2027.")
    choose(browser, "Bytte ut en løsning")
    choose(browser, "I samarbeidets tiltaksplan og budsjett")
    type_into(browser, "id_estimated_value", "2 500 000")
    click_button(browser, "Meld inn")
    assert heading(browser) == TITLE
    assert f"Behovet «{TITLE}» er meldt inn til {world.collaboration}" in messages(browser)
    assert phase_tag(browser) == "Innmelding\nfør fase 1"
    row = participant_row(browser, reporter)
    assert "(meldte inn behovet)" in row and "Blir med" in row and "100,00 %" in row
    procurement = Procurement.objects.get(title=TITLE)
    detail_url = live_server.url + reverse("procurement_detail", args=[procurement.pk])
    log_out(browser)

    # 2. The coordinator invites the two other municipalities with an answer deadline.
    log_in(browser, live_server, world.coordinator)
    click_link(browser, TITLE)  # from the dashboard
    assert "Invitasjon til de andre kommunene er ikke sendt" in text_of(browser, "#hindringer")
    click_link(browser, "Inviter kommunene i samarbeidet")
    assert heading(browser) == "Inviter kommunene"
    boxes = browser.find_elements(By.CSS_SELECTOR, "input[name=municipalities]")
    assert len(boxes) == 2 and all(box.is_selected() for box in boxes)
    deadline = timezone.localdate(timezone=world.collaboration.tzinfo) + timedelta(days=10)
    date_input = browser.find_element(By.ID, "id_answer_deadline")
    date_input.send_keys(date_keys(browser, deadline))
    assert date_input.get_attribute("value") == deadline.isoformat()
    click_button(browser, "Send invitasjonen")
    assert heading(browser) == TITLE
    assert f"Invitasjonen er sendt til 2 kommuner med svarfrist {deadline:%d.%m.%Y}" in messages(browser)
    assert f"Svarfrist for invitasjonen: {deadline:%d.%m.%Y}" in text_of(browser, "#deltakere")
    for municipality in (joiner, decliner):
        assert "Venter på svar" in participant_row(browser, municipality)
    log_out(browser)

    # 3a. The joining municipality's SuksIT member answers yes from "Mine oppgaver".
    log_in(browser, live_server, world.representative(joiner))
    click_link(browser, "Mine oppgaver")
    click_link(browser, f"Svar for {joiner}")
    assert heading(browser) == f"Blir {joiner} med?"
    choose(browser, "Ja, kommunen blir med")
    click_button(browser, "Send svaret")
    assert f"Svaret er lagret: {joiner} blir med." in messages(browser)
    assert "Blir med" in participant_row(browser, joiner)
    assert "Venter på svar" in participant_row(browser, decliner)
    log_out(browser)

    # 3b. The declining municipality's chief executive first forgets the reason, then gives it.
    log_in(browser, live_server, world.chief_executive(decliner))
    click_link(browser, "Mine oppgaver")
    click_link(browser, f"Svar for {decliner}")
    choose(browser, "Nei, kommunen takker nei")
    click_button(browser, "Send svaret")
    assert "Skriv hvorfor kommunen takker nei." in text_of(browser, "#error-summary")
    assert browser.switch_to.active_element.get_attribute("id") == "error-summary"
    type_into(browser, "id_reason", "Kommunen har nettopp kjøpt et eget byggesaksystem.")
    click_button(browser, "Send svaret")
    assert f"Svaret er lagret: {decliner} takker nei." in messages(browser)
    row = participant_row(browser, decliner)
    assert "Takket nei" in row and "nettopp kjøpt et eget byggesaksystem" in row
    log_out(browser)

    # 4. The coordinator shares the costs by population and starts the procurement.
    log_in(browser, live_server, world.coordinator)
    browser.get(detail_url)
    click_link(browser, "Endre kostnadsfordelingen")
    assert heading(browser) == "Kostnadsfordeling"
    choose(browser, "Etter innbyggertall")
    click_button(browser, "Lagre kostnadsfordelingen")
    assert "Kostnadsfordelingen er lagret." in messages(browser)
    assert "Kostnadsfordeling: Etter innbyggertall." in text_of(browser, "#deltakere")
    shares = {
        m.pk: p.cost_share for m in (reporter, joiner) for p in [Participation.objects.get(procurement=procurement, municipality=m)]
    }
    for municipality in (reporter, joiner):
        assert f"{shares[municipality.pk]:.2f} %".replace(".", ",") in participant_row(browser, municipality)
    assert "100,00 %" in text_of(browser, "#deltakere tfoot")
    assert "Ingenting stopper – anskaffelsen kan startes." in text_of(browser, "#hindringer")
    click_button(browser, "Start anskaffelsen")
    assert "Anskaffelsen står nå i fasen «Kartlegge behov»." in messages(browser)
    assert phase_tag(browser) == "Kartlegge behov\nfase 1 av 10"
    procurement.refresh_from_db()
    assert procurement.state == phases.NEEDS
    assert procurement.participations.get(municipality=decliner).status == ParticipationStatus.DECLINED

    # 5. The go/no-go gate: write the decision basis, then approve it as SuksIT's coordinator.
    browser.get(live_server.url + reverse("procurement_detail", args=[gated.pk]))
    assert phase_tag(browser) == "Strategi og business case\nfase 4 av 10"
    gate = "#port-go-no-go"
    assert "Venter på dokumentet" in text_of(browser, gate)
    assert "Mangler leveranse: Beslutningsunderlag til prosjekteier" in text_of(browser, "#hindringer")
    deliverable = browser.find_element(By.ID, "leveranse-strategy-decision-basis")
    type_into(
        browser,
        "id_strategy-decision-basis-text",
        "Anbefaling: gjennomføre en felles anskaffelse av sak- og arkivsystem for alle tre kommuner.",
    )
    click_button(browser, "Lagre «Beslutningsunderlag til prosjekteier»", within=deliverable)
    assert "Versjon 1 av «Beslutningsunderlag til prosjekteier» er lagret." in messages(browser)
    assert "Venter på signaturer" in text_of(browser, gate)
    suksit = world.bodies["steering_group"]
    signature_row = f"{gate} tbody tr"
    assert text_of(browser, signature_row).splitlines() == [str(suksit), "Venter", "Du kan signere – se skjemaet under"]
    sign_form = browser.find_element(By.CSS_SELECTOR, f"{gate} form.app-sign-form")
    comment = sign_form.find_element(By.CSS_SELECTOR, "textarea")
    comment.send_keys("Vedtatt i SuksIT-møtet.")
    sign_form.find_element(By.CSS_SELECTOR, "input[type=password]").send_keys(PASSWORD)  # step-up
    click_button(browser, "Godkjenn", within=sign_form)  # htmx: the completed gate reloads the page
    assert "Godkjenningen er komplett. Anskaffelsen står nå i fasen «Prosedyre og plan»." in messages(browser)
    assert phase_tag(browser) == "Prosedyre og plan\nfase 5 av 10"
    assert "Leveranser i fasen «Prosedyre og plan»" in text_of(browser, "#leveranser-heading")
    history = text_of(browser, "#historikk")
    assert "godkjente «Beslutning om å gjennomføre anskaffelsen»" in history
    assert "Vedtatt i SuksIT-møtet." in history
    signoff = SignOff.objects.get(procurement=gated)
    assert (signoff.person, signoff.decision, signoff.body) == (world.coordinator, "approve", suksit)
    gated.refresh_from_db()
    assert gated.state == phases.PROCEDURE
