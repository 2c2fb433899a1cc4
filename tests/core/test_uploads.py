"""What a file input promises is what the upload check lets through: the accept list and
the help text come from the same list, the old Office formats pass with the same content
check, and /favicon.ico answers."""
import re

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from core.forms import DocumentField
from core.uploads import OLE2_MAGIC, SIGNATURES, accept_attribute, accepted_types_text, validate_upload

TXT = "txt"


def a_file(name: str, extension: str) -> SimpleUploadedFile:
    head = b"plain text\n" if extension == TXT else SIGNATURES[extension][0]
    return SimpleUploadedFile(name, head + b"\x00" * 64)


def accepted_suffixes() -> list[str]:
    return accept_attribute().split(",")


def test_every_suffix_the_input_accepts_passes_the_check_with_its_content():
    for suffix in accepted_suffixes():
        extension = "jpg" if suffix == ".jpeg" else suffix.lstrip(".")
        validate_upload(a_file(f"dokument{suffix}", extension))


def test_the_input_accepts_exactly_the_allowed_types():
    expected = {f".{e}" for e in settings.UPLOAD_ALLOWED_EXTENSIONS} | {".jpeg"}
    assert set(accepted_suffixes()) == expected


@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_help_text_names_every_accepted_suffix_and_the_size_limit(language):
    with translation.override(language):
        text = accepted_types_text()
    named = set(re.findall(r"\.[a-z]+", text))
    assert named == set(accepted_suffixes())
    limit = str(settings.UPLOAD_MAX_BYTES // (1024 * 1024))
    assert f"{limit} MB" in text
    assert (" eller " in text) == (language == "nb")
    assert (" or " in text) == (language == "en")


@pytest.mark.parametrize(
    "name, head, passes",
    [
        ("budsjett.xls", OLE2_MAGIC, True),
        ("notat.doc", OLE2_MAGIC, True),
        ("notat.doc", b"PK\x03\x04", False),  # a renamed .docx is not a .doc
        ("notat.doc", b"MZ\x90\x00", False),  # nor is a program
        ("notat.docm", OLE2_MAGIC, False),  # macro-enabled formats stay out
    ],
)
def test_the_old_office_formats_pass_the_same_content_check(name, head, passes):
    upload = SimpleUploadedFile(name, head + b"\x00" * 64)
    if passes:
        validate_upload(upload)
    else:
        with pytest.raises(ValidationError):
            validate_upload(upload)


def test_the_field_renders_the_accept_list_and_the_help_text():
    field = DocumentField(label="Dokument", required=False)
    html = field.widget.render("file", None, attrs=field.widget_attrs(field.widget))
    assert f'accept="{accept_attribute()}"' in html
    assert str(field.help_text) == accepted_types_text()


def test_the_field_refuses_what_the_check_refuses():
    field = DocumentField(label="Dokument", required=False)
    with pytest.raises(ValidationError) as error:
        field.clean(SimpleUploadedFile("program.exe", b"MZ\x90\x00rest"))
    assert error.value.code == "file_type"


@pytest.mark.django_db
def test_favicon_ico_leads_to_the_icon_every_page_links(client, settings):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    icon = client.get(response["Location"])
    assert icon.status_code == 200
    assert b"<svg" in b"".join(icon.streaming_content) if icon.streaming else icon.content
    login = client.get("/logg-inn/").content.decode()
    assert f'rel="icon" href="{response["Location"]}"' in login
