"""The award-criteria editor in the browser: the running total follows what is typed (a comma
as the decimal mark) and turns to a warning off 100; the specification's three screens have no
serious axe violations and nothing blocked by the Content-Security-Policy, at 390 px without
sideways scrolling."""
import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By

from procurement.models import Procurement
from tests.e2e.test_accessibility import demo, load, log_in, wait  # noqa: F401 (demo is a fixture)

pytestmark = pytest.mark.e2e
TITLE = "Felles fagsystem for barnevernet"


@pytest.mark.django_db(transaction=True)
def test_the_criteria_editor_keeps_a_running_total(demo, browser, axe_violations, csp_violations):  # noqa: F811
    pk = Procurement.objects.get(title=TITLE).pk
    log_in(browser, demo, "innkjoper")
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 390, "height": 900, "deviceScaleFactor": 1, "mobile": True})
    try:
        for name in ("tendering_specification", "tendering_tender_text", "tendering_criteria"):
            load(browser, demo.url + reverse(name, args=[pk]))
            assert browser.execute_script("return document.documentElement.scrollWidth") <= 390, name
            assert not axe_violations(), name
        total = browser.find_element(By.CSS_SELECTOR, '[data-total-for=""] [data-total]')
        assert total.text == "100"
        price = next(
            field for field in browser.find_elements(By.CSS_SELECTOR, 'input[data-weight-group=""]') if field.get_attribute("value") == "40"
        )
        price.clear()
        price.send_keys("35,5")
        wait(browser).until(lambda b: total.text == "95,5")
        assert "app-weights__total--off" in browser.find_element(By.CSS_SELECTOR, '[data-total-for=""]').get_attribute("class")
        assert csp_violations() == []
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
