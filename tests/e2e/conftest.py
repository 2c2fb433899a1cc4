"""Browser tests drive the real server (pytest-django's live_server) in Debian's Chromium
through chromedriver, and check accessibility with axe-core from the npm lock file."""
import io
import json
import os
import shutil
import sqlite3
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

AXE_SOURCE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("CHROMIUM_BINARY") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = os.environ.get("CHROMEDRIVER") or shutil.which("chromedriver") or "/usr/bin/chromedriver"


@pytest.fixture(scope="session")
def browser():
    for path, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not Path(path).exists():
            pytest.fail(f"{path} is missing: install Debian's {package} (make setup does it as root).")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,1000",
        "--lang=nb",
    ):
        options.add_argument(flag)
    # The console log is where Chromium reports what the Content-Security-Policy blocked.
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    driver.implicitly_wait(0)
    yield driver
    driver.quit()


@pytest.fixture
def axe_violations(browser):
    """Runs axe-core's WCAG 2.1 A/AA rules on the current page and returns the serious and
    critical violations, each as (rule id, impact, help, first failing selectors)."""
    source = AXE_SOURCE.read_text(encoding="utf-8")

    def run() -> list[tuple[str, str, str, list]]:
        browser.execute_script(source)
        result = browser.execute_async_script(
            """
            const done = arguments[arguments.length - 1];
            axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
               .then(r => done(JSON.stringify(r.violations)))
               .catch(e => done(JSON.stringify([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}])));
            """
        )
        return [
            (v["id"], v["impact"], v["help"], [n["target"] for n in v["nodes"][:3]])
            for v in json.loads(result)
            if v["impact"] in ("serious", "critical")
        ]

    browser.set_script_timeout(30)
    return run


@pytest.fixture
def csp_violations(browser):
    """Returns what Chromium reported as blocked by the Content-Security-Policy since the
    last call (reading the console log empties it)."""

    def read() -> list[str]:
        return [
            entry["message"]
            for entry in browser.get_log("browser")
            if "Content Security Policy" in entry["message"]
        ]

    read()
    return read


# seed_demo takes about 20 s; six browser modules log in to its data. On SQLite the first
# module of a worker seeds and keeps a copy of the database (SQLite's online backup, in
# memory) and of the uploads; the next modules restore that copy in well under a second.
# The live server's database is flushed after every test, so each module still starts
# from the demo exactly as seed_demo leaves it.
_seeded: dict = {}


def demo_seed() -> None:
    from django.contrib.contenttypes.models import ContentType
    from django.core.cache import caches
    from django.core.management import call_command
    from django.db import connection

    from procurement.engine.snapshot import published_phases

    media = Path(settings.MEDIA_ROOT)
    if connection.vendor != "sqlite":
        call_command("seed_demo", stdout=io.StringIO())
        return
    connection.ensure_connection()
    if not _seeded:
        call_command("seed_demo", stdout=io.StringIO())
        copy = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(copy)
        uploads = Path(tempfile.mkdtemp(prefix="e2e-demo-uploads-"))
        if media.exists():
            shutil.copytree(media, uploads, dirs_exist_ok=True)
        _seeded.update(database=copy, uploads=uploads)
        return
    _seeded["database"].backup(connection.connection)
    shutil.copytree(_seeded["uploads"], media, dirs_exist_ok=True)
    # Rows cached in this process by id: the restored ones may differ from the last test's;
    # and the restored cases have the revisions they had, with other rows behind them.
    ContentType.objects.clear_cache()
    published_phases.clear()
    caches["judgements"].clear()
    caches["pages"].clear()


def open_details(browser, details, timeout: float = 10) -> None:
    """Open a <details> the way a person does, by its summary, and wait until it is open.
    A click that lands while the page is still settling may not toggle it, so click again
    until it is open; never click an open one (that would close it)."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait

    def opened(_driver):
        if not details.get_property("open"):
            details.find_element("css selector", "summary").click()
        return details.get_property("open")

    WebDriverWait(browser, timeout, poll_frequency=0.2, ignored_exceptions=(WebDriverException,)).until(opened)


def type_into(browser, field, text: str, timeout: float = 10) -> None:
    """Type TEXT into FIELD once it takes input (an element just revealed may not yet)."""
    from selenium.common.exceptions import ElementNotInteractableException
    from selenium.webdriver.support.ui import WebDriverWait

    def typed(_driver):
        field.send_keys(text)
        return True

    WebDriverWait(browser, timeout, poll_frequency=0.2, ignored_exceptions=(ElementNotInteractableException,)).until(typed)
