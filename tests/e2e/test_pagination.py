"""Paging the dashboard in the browser: with htmx the page links swap only the table (the
filter form and the rest of the page stay), put the page in the address so Back returns
to the first page, and axe finds nothing on the paged table. Without JavaScript the same
links are plain links (tests/procurement/test_views_dashboard.py)."""
import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By

from tests.e2e.test_accessibility import demo, load, log_in, wait  # noqa: F401 (demo is a fixture)

pytestmark = pytest.mark.e2e


def titles(browser) -> list[str]:
    return [a.text for a in browser.find_elements(By.CSS_SELECTOR, "#procurement-results tbody th[scope=row] > a")]


@pytest.mark.django_db(transaction=True)
def test_the_next_page_swaps_only_the_table_and_back_returns(demo, browser, axe_violations, settings):  # noqa: F811
    settings.PROCUREMENT_PAGE_SIZE = 2
    log_in(browser, demo, "koordinator")
    load(browser, demo.url + reverse("dashboard"))
    first = titles(browser)
    assert len(first) == 2
    browser.execute_script("window.__same_page = true;")

    browser.find_element(By.CSS_SELECTOR, "#procurement-results nav.ds-pagination a[rel=next]").click()
    wait(browser).until(lambda b: "side=2" in b.current_url and titles(b) and titles(b) != first)
    second = titles(browser)
    assert not set(first) & set(second)
    assert browser.execute_script("return window.__same_page === true;"), "htmx swapped the table, no page load"
    current = browser.find_element(By.CSS_SELECTOR, "#procurement-results nav.ds-pagination a[aria-current=true]")
    assert current.text == "2"
    assert not axe_violations()

    browser.back()
    wait(browser).until(lambda b: "side=2" not in b.current_url and titles(b) == first)
