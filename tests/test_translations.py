"""The English translation: complete, well-formed, compiled, and actually used.

The source strings are bokmål; ``locale/en/LC_MESSAGES/django.po`` holds the English, and the
compiled ``django.mo`` is committed next to it (a fresh machine may have no gettext). These tests
need no gettext tools either: the .po is read by the small parser below, the .mo by the
standard library, and the strings marked for translation are found the way ``makemessages``
finds them (``templatize`` for templates, the gettext keywords for Python).

After changing user-visible text:
    .venv/bin/python manage.py makemessages -l en --ignore=.venv --ignore=node_modules \\
        --ignore=var --ignore=tests --no-obsolete
    (translate the new entries in locale/en/LC_MESSAGES/django.po, no "#, fuzzy" left)
    .venv/bin/python manage.py compilemessages -l en --ignore=.venv --ignore=node_modules
"""
from __future__ import annotations

import ast
import gettext
import io
import re
import tokenize
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django.utils.translation.template import templatize

ROOT = Path(settings.BASE_DIR)
LOCALE = ROOT / "locale" / "en" / "LC_MESSAGES"
PO_PATH = LOCALE / "django.po"
MO_PATH = LOCALE / "django.mo"
# The same directories makemessages is told to skip (plus hidden ones and tests).
IGNORED_DIRS = {".venv", "node_modules", "var", "tests", "__pycache__"}
# Translations that are rightly the same word in both languages.
SAME_IN_BOTH = {
    "English", "collaboration", "Region", "type", "person", "Evaluator", "Administrator", "SHA-256",
    "Status", "For", "%(who)s, %(when)s",
}


# --------------------------------------------------------------------------- the .po file


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def key(self) -> str:
        return f"{self.msgctxt}\x04{self.msgid}" if self.msgctxt is not None else self.msgid


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}


def _unquote(text: str) -> str:
    text = text.strip()
    assert text.startswith('"') and text.endswith('"'), text
    return re.sub(r"\\(.)", lambda m: _ESCAPES[m.group(1)], text[1:-1])


def parse_po(path: Path) -> tuple[dict[str, str], list[Entry]]:
    """(header fields, entries) of a .po file; obsolete (#~) entries are skipped."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int | None] | None = None
    flags: set[str] = set()

    def finish():
        nonlocal current
        if current is not None:
            entries.append(current)
        current = None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line:
            finish()
            target = None
            continue
        if line.startswith("#,"):
            finish()
            flags = {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            assert current is not None and target is not None, f"{path}:{number}: stray string"
            name, index = target
            if name == "msgstr":
                current.msgstr[index] += _unquote(line)
            else:
                setattr(current, name, getattr(current, name) + _unquote(line))
            continue
        if keyword in ("msgctxt", "msgid") and (current is None or current.msgstr):
            finish()
        if current is None:
            current = Entry(flags=flags, line=number)
            flags = set()
        match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
        if keyword in ("msgctxt", "msgid", "msgid_plural"):
            setattr(current, keyword, _unquote(rest))
            target = (keyword, None)
        elif keyword == "msgstr" or match:
            index = int(match.group(1)) if match else 0
            current.msgstr[index] = _unquote(rest)
            target = ("msgstr", index)
        else:
            raise AssertionError(f"{path}:{number}: cannot read {raw!r}")
    finish()

    header_entries = [e for e in entries if e.msgid == "" and e.msgctxt is None]
    assert len(header_entries) == 1, "the .po file needs exactly one header entry"
    header = header_entries[0]
    assert "fuzzy" not in header.flags, "the .po header is still marked fuzzy"
    fields = dict(
        line.split(": ", 1) for line in header.msgstr[0].splitlines() if ": " in line
    )
    return fields, [e for e in entries if e is not header]


@pytest.fixture(scope="module")
def po():
    return parse_po(PO_PATH)


# Python %-format specifiers: %(name)s, %s, %d, %.2f, %% ... (no space flag, so "100 % av" is text).
PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[#0+-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa%]")
BRACES = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")
HTML_TAG = re.compile(r"</?[A-Za-z][^>]*>")


def _shape(text: str) -> dict[str, list[str]]:
    return {
        "placeholders": sorted(PLACEHOLDER.findall(text)),
        "braces": sorted(BRACES.findall(text)),
        "html": sorted(HTML_TAG.findall(text)),
    }


def test_the_header_says_english_with_two_plural_forms(po):
    header, _ = po
    assert header["Language"] == "en"
    assert header["Plural-Forms"].replace(" ", "") == "nplurals=2;plural=(n!=1);"
    assert "charset=UTF-8" in header["Content-Type"]


def test_every_message_has_an_english_translation_and_none_is_fuzzy(po):
    _, entries = po
    assert len(entries) > 400, "the catalogue looks truncated"
    problems = []
    for entry in entries:
        forms = [0, 1] if entry.msgid_plural is not None else [0]
        if "fuzzy" in entry.flags:
            problems.append(f"line {entry.line}: fuzzy: {entry.msgid!r}")
        if sorted(entry.msgstr) != forms:
            problems.append(f"line {entry.line}: forms {sorted(entry.msgstr)}, want {forms}: {entry.msgid!r}")
        for index in forms:
            text = entry.msgstr.get(index, "")
            if not text.strip():
                problems.append(f"line {entry.line}: no translation: {entry.msgid!r}")
            elif text == entry.msgid and entry.msgid not in SAME_IN_BOTH:
                problems.append(f"line {entry.line}: translation is the bokmål text: {entry.msgid!r}")
    assert not problems, "\n".join(problems)


def test_placeholders_and_markup_are_kept(po):
    _, entries = po
    problems = []
    for entry in entries:
        sources = {0: entry.msgid}
        if entry.msgid_plural is not None:
            sources[1] = entry.msgid_plural
        for index, source in sources.items():
            translated = entry.msgstr.get(index, "")
            want, got = _shape(source), _shape(translated)
            if want != got:
                problems.append(f"line {entry.line}: {source!r} -> {translated!r}: {want} != {got}")
            if translated.startswith((" ", "\n")) != source.startswith((" ", "\n")) or translated.endswith(
                (" ", "\n")
            ) != source.endswith((" ", "\n")):
                problems.append(f"line {entry.line}: leading/trailing whitespace differs: {source!r}")
    assert not problems, "\n".join(problems)


def test_the_compiled_mo_matches_the_po(po):
    """Run compilemessages after editing the .po: the committed .mo is what Django reads."""
    _, entries = po
    with MO_PATH.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    catalog = dict(compiled._catalog)
    catalog.pop("", None)
    expected = {}
    for entry in entries:
        if entry.msgid_plural is not None:
            for index, text in entry.msgstr.items():
                expected[(entry.key, index)] = text
        else:
            expected[entry.key] = entry.msgstr[0]
    stale = {key: (catalog.get(key), value) for key, value in expected.items() if catalog.get(key) != value}
    extra = sorted(str(key) for key in catalog.keys() - expected.keys())
    assert not stale, f"django.mo is out of date for {len(stale)} messages, e.g. {next(iter(stale.items()))}"
    assert not extra, f"django.mo has messages the .po no longer has: {extra[:5]}"
    assert compiled.info()["language"] == "en"
    assert compiled.ngettext("x", "y", 1) == "x"  # the plural rule is there and works
    assert [compiled.plural(n) for n in (0, 1, 2)] == [1, 0, 1]


# --------------------------------------------------------------------------- the sources

GETTEXT_CALLS = {
    # name: (index of the context argument or None, indices of the message arguments)
    "_": (None, (0,)),
    "gettext": (None, (0,)),
    "gettext_lazy": (None, (0,)),
    "gettext_noop": (None, (0,)),
    "ngettext": (None, (0, 1)),
    "ngettext_lazy": (None, (0, 1)),
    "pgettext": (0, (1,)),
    "pgettext_lazy": (0, (1,)),
    "npgettext": (0, (1, 2)),
    "npgettext_lazy": (0, (1, 2)),
}


def _source_files():
    for path in sorted(ROOT.rglob("*")):
        relative = path.relative_to(ROOT)
        if any(part in IGNORED_DIRS or part.startswith(".") for part in relative.parts[:-1]):
            continue
        if path.is_file() and path.suffix in {".py", ".html", ".txt"}:
            yield path


def _messages_in_python(source: str) -> list[tuple[str | None, str, str | None]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
        if name not in GETTEXT_CALLS:
            continue
        context_at, message_at = GETTEXT_CALLS[name]
        args = node.args

        def literal(index):
            if index is not None and index < len(args):
                arg = args[index]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    return arg.value
            return None

        msgid = literal(message_at[0])
        if msgid is None:
            continue
        plural = literal(message_at[1]) if len(message_at) > 1 else None
        found.append((literal(context_at), msgid, plural))
    return found


def _messages_in_template(source: str, origin: Path) -> list[tuple[str | None, str, str | None]]:
    """templatize turns {% translate %}/{% blocktranslate %} into gettext calls (as for xgettext);
    the rest is blanked out, so the calls are read token by token rather than parsed."""
    code = templatize(source, origin=str(origin))
    code = "\n".join(line.lstrip() for line in code.splitlines())  # indentation means nothing here
    tokens = [
        token
        for token in tokenize.generate_tokens(io.StringIO(code).readline)
        if token.type in (tokenize.NAME, tokenize.STRING, tokenize.OP)
    ]
    found = []
    for position, token in enumerate(tokens):
        if token.type != tokenize.NAME or token.string not in GETTEXT_CALLS:
            continue
        if position + 1 >= len(tokens) or tokens[position + 1].string != "(":
            continue
        args = []
        for following in tokens[position + 2 :]:
            if following.type == tokenize.STRING:
                args.append(ast.literal_eval(following.string))
            elif following.string == ",":
                continue
            else:
                break
        context_at, message_at = GETTEXT_CALLS[token.string]
        if len(args) <= message_at[0]:
            continue
        context = args[context_at] if context_at is not None else None
        plural = args[message_at[1]] if len(message_at) > 1 and len(args) > message_at[1] else None
        found.append((context, args[message_at[0]], plural))
    return found


def test_every_string_marked_for_translation_is_in_the_catalogue(po):
    """A string wrapped in gettext or {% translate %} but missing from the .po shows up in bokmål
    on the English pages: run makemessages and translate it."""
    _, entries = po
    known = {(e.msgctxt, e.msgid): e for e in entries}
    missing = []
    for path in _source_files():
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".py":
            messages = _messages_in_python(text)
        else:
            messages = _messages_in_template(text, path)
        for context, msgid, plural in messages:
            entry = known.get((context, msgid))
            if entry is None or (plural is not None and entry.msgid_plural != plural):
                missing.append(f"{path.relative_to(ROOT)}: {msgid!r}")
    assert not missing, "not in locale/en/LC_MESSAGES/django.po:\n" + "\n".join(sorted(set(missing)))


def test_the_source_scan_finds_the_strings_it_should(po):
    """Guards the scanner above against silently finding nothing."""
    base_html = ROOT / "templates" / "base.html"
    base = _messages_in_template(base_html.read_text(encoding="utf-8"), base_html)
    assert (None, "Mine oppgaver", None) in base
    history = ROOT / "templates" / "procurement" / "_history_page.html"
    assert any(plural for _, _, plural in _messages_in_template(history.read_text(encoding="utf-8"), history))
    login = _messages_in_python((ROOT / "core" / "views" / "login.py").read_text(encoding="utf-8"))
    assert (None, "Brukernavn", None) in login


# --------------------------------------------------------------------------- the pages


@pytest.fixture(scope="module")
def _demo_for_the_module(django_db_setup, django_db_blocker):
    """seed_demo once for the pages below (it takes seconds), inside a transaction that is
    rolled back after the module; each test's own transaction nests in it."""
    from django.db import transaction

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            # As from the command line: the audit records are written in bokmål, not in
            # whatever language an earlier test left active.
            with translation.override("nb"):
                call_command("seed_demo", stdout=StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def demo(_demo_for_the_module, db):
    from municipalities.models import Person
    from procurement.models import Procurement

    return {
        "coordinator": Person.objects.get(username="koordinator"),
        # the demo procurement in evaluation: deliverables, checklist, a gate with two steps
        "procurement": Procurement.objects.get(state="evaluation"),
    }


def _page(client, url: str, language: str | None) -> str:
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Language"] == (language or "nb")
    return response.content.decode()


def _has(html: str, phrase: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", html) is not None


def _without_recorded_history(html: str) -> str:
    """The page without the rows of the audit table: the records are stored in bokmål (and
    may name a phase, such as «Evaluering og tildeling»); they are data, not chrome."""
    return re.sub(r'(<table class="ds-table app-audit".*?<tbody>).*?(</tbody>)', r"\1\2", html, flags=re.S)


# (bokmål chrome, its English counterpart). Each bokmål phrase is checked to be on the bokmål
# page, so a phrase that only demo data could contain would not be a real check.
CHROME = {
    "login": [
        ("Logg inn", "Log in"),
        ("Brukernavn", "Username"),
        ("Passord", "Password"),
        ("Demokontoer", "Demo accounts"),
        ("Hopp til hovedinnholdet", "Skip to main content"),
    ],
    "dashboard": [
        ("Oversikt", "Overview"),
        ("Mine oppgaver", "My tasks"),
        ("Meld inn behov", "Report a need"),
        ("Logg ut", "Log out"),
        ("Oversikt over anskaffelser", "Overview of procurements"),
        ("Fase", "Phase"),
        ("Alle faser", "All phases"),
        ("Hva stopper den", "What is holding it up"),
        ("Neste frist", "Next deadline"),
        ("Initiativ til orientering", "Initiatives for information"),
    ],
    "procurement": [
        ("Oversikt", "Overview"),
        ("Mine oppgaver", "My tasks"),
        ("Hva stopper anskaffelsen", "What is holding up the procurement"),
        ("Sjekkliste for fasen", "Checklist for the phase"),
        ("Godkjenninger og signaturer", "Approvals and signatures"),
        ("Deltakende kommuner", "Participating municipalities"),
        ("Frister i anskaffelsen", "Deadlines in the procurement"),
        ("Se hele historikken", "See the full history"),
        ("Lagre", "Save"),
        ("Påkrevd", "Required"),
        ("Avlys anskaffelsen", "Cancel the procurement"),
        ("Evaluering og tildeling", "Evaluation and award"),  # the phase, from the catalogue
    ],
    "need_report": [
        ("Meld inn behov", "Report a need"),
        ("Tittel", "Title"),
        ("Beskriv behovet", "Describe the need"),
        ("Velg kommune", "Choose municipality"),
        ("Hva slags behov er det?", "What kind of need is it?"),
        ("Meld inn", "Submit"),
        ("Avbryt", "Cancel"),
    ],
}


@pytest.mark.parametrize("page", sorted(CHROME))
def test_english_pages_have_no_bokmaal_chrome_left(client, demo, page):
    if page == "login":
        url = reverse("login")
    else:
        client.force_login(demo["coordinator"])
        url = {
            "dashboard": reverse("dashboard"),
            "procurement": reverse("procurement_detail", args=[demo["procurement"].pk]),
            "need_report": reverse("report_need"),
        }[page]
    bokmaal = _page(client, url, None)
    english = _without_recorded_history(_page(client, url, "en"))
    assert 'lang="en"' in english
    for norwegian, translated in CHROME[page]:
        assert _has(bokmaal, norwegian), f"{page}: {norwegian!r} is not on the bokmål page; pick another word"
        assert not _has(english, norwegian), f"{page}: {norwegian!r} is still on the English page"
        assert _has(english, translated), f"{page}: {translated!r} is missing on the English page"
