"""Checks an uploaded document before it is stored: allowed type by extension AND by its
first bytes (a renamed executable is refused), size limit, and a hash for sign-offs; and
what a file input tells the person choosing a file (the accepted types, named exactly)."""
import hashlib
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_lazy

ZIP_MAGIC = b"PK\x03\x04"
# The old Office formats (.doc, .xls) are compound files; people still send them.
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "doc": (OLE2_MAGIC,),
    "xls": (OLE2_MAGIC,),
    "docx": (ZIP_MAGIC,),
    "xlsx": (ZIP_MAGIC,),
    "pptx": (ZIP_MAGIC,),
    "odt": (ZIP_MAGIC,),
    "ods": (ZIP_MAGIC,),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "png": "image/png",
    "jpg": "image/jpeg",
    "txt": "text/plain; charset=utf-8",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
}
# How a person knows each type, in the order the help text names them (product names
# are the same in every language).
TYPE_NAMES = {
    "pdf": "PDF",
    "docx": "Word",
    "doc": "Word",
    "xlsx": "Excel",
    "xls": "Excel",
    "pptx": "PowerPoint",
    "odt": "OpenDocument",
    "ods": "OpenDocument",
    "txt": gettext_lazy("tekst"),
    "png": "PNG",
    "jpg": "JPG",
}


def _suffixes(extension: str) -> list[str]:
    return [".jpg", ".jpeg"] if extension == "jpg" else [f".{extension}"]


def accept_attribute() -> str:
    """The file input's accept list: exactly the extensions the check lets through."""
    return ",".join(suffix for extension in settings.UPLOAD_ALLOWED_EXTENSIONS for suffix in _suffixes(extension))


def accepted_types_text() -> str:
    """'PDF (.pdf), Word (.docx, .doc) … Høyst 25 MB.': the accepted types named by what
    people call them, with their extensions, in the active language."""
    by_name: dict[str, list[str]] = {}
    for extension in settings.UPLOAD_ALLOWED_EXTENSIONS:
        by_name.setdefault(str(TYPE_NAMES.get(extension, extension.upper())), []).extend(_suffixes(extension))
    names = [f"{name} ({', '.join(suffixes)})" for name, suffixes in by_name.items()]
    limit = settings.UPLOAD_MAX_BYTES // (1024 * 1024)
    listed = names[0] if len(names) == 1 else gettext("%(first)s eller %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}
    return gettext("%(types)s. Høyst %(limit)s MB.") % {"types": listed, "limit": limit}


# For a form field's help text, evaluated in the language of each request.
accepted_types_help = lazy(accepted_types_text, str)

def extension_of(name: str) -> str:
    extension = PurePath(name).suffix.lower().lstrip(".")
    return "jpg" if extension == "jpeg" else extension


def validate_upload(upload) -> str:
    """Returns the content type to store; raises ValidationError with a message in the active language."""
    extension = extension_of(upload.name)
    allowed = settings.UPLOAD_ALLOWED_EXTENSIONS
    if extension not in allowed:
        raise ValidationError(
            gettext("Filtypen er ikke tillatt. Last opp en av: %(types)s."), params={"types": ", ".join(allowed)}, code="file_type"
        )
    if upload.size == 0:
        raise ValidationError(gettext("Filen er tom."), code="empty")
    if upload.size > settings.UPLOAD_MAX_BYTES:
        limit = settings.UPLOAD_MAX_BYTES // (1024 * 1024)
        raise ValidationError(gettext("Filen er større enn %(limit)s MB."), params={"limit": limit}, code="too_large")
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    if extension == "txt":
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as error:
            # A multi-byte character cut at the 2048th byte is fine; anything else is not text.
            if error.start < len(head) - 4:
                raise ValidationError(gettext("Tekstfilen må være UTF-8."), code="encoding") from error
    elif not any(head.startswith(magic) for magic in SIGNATURES[extension]):
        raise ValidationError(gettext("Filinnholdet stemmer ikke med filtypen %(ext)s."), params={"ext": extension}, code="mismatch")
    return CONTENT_TYPES[extension]


def sha256_of_file(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def sha256_of_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
