"""The benefit plan in the browser with the demo data: axe-core finds no serious or critical
violation on the plan page (tables, charts) and on the measurement form with an error, the
Content-Security-Policy blocks nothing, and at 390 px nothing scrolls sideways."""

import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from procurement.models import Procurement
from tests.e2e.conftest import demo_seed
from tests.e2e.test_accessibility import CONTRACT, _no_horizontal_scroll_at, load, log_in, submit, wait

pytestmark = pytest.mark.e2e


@pytest.fixture
def demo(live_server, browser, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    demo_seed()
    browser.get(live_server.url + reverse("login"))
    browser.delete_all_cookies()
    return live_server


def test_the_plan_page_and_a_measurement_error(demo, browser, axe_violations, csp_violations):
    log_in(browser, demo, "koordinator")
    procurement = Procurement.objects.get(title=CONTRACT)
    load(browser, demo.url + reverse("benefit_plan", args=[procurement.pk]))
    assert browser.find_elements(By.CSS_SELECTOR, "svg.app-chart")
    assert "Samarbeidet totalt" in browser.find_element(By.ID, "gevinster").text
    assert axe_violations() == []
    _no_horizontal_scroll_at(browser, 390, "main")
    link = browser.find_element(By.PARTIAL_LINK_TEXT, "Ny måling")
    load(browser, link.get_attribute("href"))
    field = browser.find_element(By.ID, "id_measurement_value")
    field.clear()
    field.send_keys("NaN")
    submit(browser, browser.find_element(By.CSS_SELECTOR, "form.app-form button[type=submit]"))
    summary = wait(browser).until(EC.visibility_of_element_located((By.ID, "error-summary")))
    assert "Skriv et tall" in summary.text
    assert axe_violations() == []
    assert csp_violations() == []
