"""The reuse library in the browser, at 390 px without sideways scrolling: a search in
Norwegian shows the other procurement's archive requirements, and the specification they were
copied into (in the demo) says where they were taken from; no serious axe violations, nothing
blocked by the Content-Security-Policy."""
import pytest
from django.urls import reverse

from procurement.models import Procurement
from tests.e2e.test_accessibility import demo, load, log_in  # noqa: F401 (demo is a fixture)

pytestmark = pytest.mark.e2e


@pytest.mark.django_db(transaction=True)
def test_the_library_at_390_px(demo, browser, axe_violations, csp_violations):  # noqa: F811
    pk = Procurement.objects.get(title="Felles sak- og arkivsystem").pk
    log_in(browser, demo, "arkiv")
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 390, "height": 900, "deviceScaleFactor": 1, "mobile": True})
    try:
        load(browser, demo.url + reverse("tendering_library", args=[pk]) + "?q=arkivuttrekk&kind=requirement")
        assert browser.execute_script("return document.documentElement.scrollWidth") <= 390
        assert "Felles fagsystem for barnevernet" in browser.page_source and "Kopier inn" in browser.page_source
        assert not axe_violations()
        load(browser, demo.url + reverse("tendering_specification", args=[pk]))
        assert browser.execute_script("return document.documentElement.scrollWidth") <= 390
        assert "Hentet fra «Felles fagsystem for barnevernet" in browser.page_source
        assert csp_violations() == []
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
