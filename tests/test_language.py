import pytest
from django.conf import settings


@pytest.mark.django_db
def test_bokmaal_even_when_the_browser_asks_for_english(client):
    response = client.get("/logg-inn/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "nb"
    assert b'lang="nb"' in response.content


@pytest.mark.django_db
def test_the_language_switch_chooses_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/logg-inn/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get("/logg-inn/")
    assert page["Content-Language"] == "en"
    assert b'lang="en"' in page.content


@pytest.mark.django_db
def test_an_unknown_language_cookie_falls_back_to_bokmaal(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert client.get("/logg-inn/")["Content-Language"] == "nb"
