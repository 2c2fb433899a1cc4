"""The Danish network's joining rounds and work packages, and a collaboration's own meetings,
in the browser with the demo data: axe-core finds no serious or critical violation, the
Content-Security-Policy blocks nothing, nothing scrolls sideways at 390 px, and a payment of
NaN typed into a new work package is an error next to the field with nothing saved."""
import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from procurement.models import Procurement, WorkPackage
from tests.e2e.conftest import open_details, type_into
from tests.e2e.test_accessibility import _no_horizontal_scroll_at, demo, load, log_in, submit, wait  # noqa: F401 (demo is a fixture)

pytestmark = pytest.mark.e2e

NETWORK = "Fælles platform for digitalt tilsyn"


def test_the_network_page_and_a_hostile_payment(demo, browser, axe_violations, csp_violations):  # noqa: F811
    log_in(browser, demo, "projektleder")
    procurement = Procurement.objects.get(title=NETWORK)
    load(browser, demo.url + reverse("procurement_network", args=[procurement.pk]))
    rounds = browser.find_element(By.ID, "tilslutning").text
    assert "Kravspecifikationsnetværket" in rounds and "Udbudsnetværket" in rounds
    assert browser.find_element(By.ID, "arbeidspakker").find_elements(By.TAG_NAME, "article")
    assert axe_violations() == []
    _no_horizontal_scroll_at(browser, 390, "main")

    packages = WorkPackage.objects.count()
    open_details(browser, browser.find_element(By.XPATH, "//section[@id='arbeidspakker']/details[last()]"))
    type_into(browser, browser.find_element(By.ID, "id_package-new-title"), "Beskrivelse af arbejdsgange")
    browser.find_element(By.ID, "id_package-new-payment").send_keys("NaN")
    button = browser.find_element(By.XPATH, "//section[@id='arbeidspakker']/details[last()]//button[@type='submit']")
    submit(browser, button)
    error = wait(browser).until(EC.visibility_of_element_located((By.ID, "id_package-new-payment_error")))
    assert error.text
    assert WorkPackage.objects.count() == packages
    assert axe_violations() == []
    assert csp_violations() == []


def test_a_collaborations_own_meetings(demo, browser, axe_violations, csp_violations):  # noqa: F811
    log_in(browser, demo, "koordinator")
    load(browser, demo.url + reverse("collaboration_meetings"))  # one collaboration: straight to its list
    listing = browser.find_element(By.TAG_NAME, "main")
    links = [a.get_attribute("href") for a in listing.find_elements(By.CSS_SELECTOR, "table a")]
    assert links, "the steering group's meetings are listed"
    assert axe_violations() == []
    _no_horizontal_scroll_at(browser, 390, "main")
    load(browser, links[0])
    assert axe_violations() == []
    _no_horizontal_scroll_at(browser, 390, "main")
    assert csp_violations() == []
