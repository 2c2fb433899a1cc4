"""Printed documents: a Django template rendered to PDF by WeasyPrint.

Nothing is fetched from the network while rendering: the print CSS is inline in the
templates, the fonts are the system's (DejaVu Sans through fontconfig), and the URL fetcher
refuses every scheme except ``data:`` and ``file:`` under the project's static directory."""
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher


def static_base_url() -> str:
    """file:// URL of the project's static directory, for relative references in a print
    template (a logo, a stylesheet)."""
    return (Path(settings.BASE_DIR) / "static").resolve().as_uri() + "/"


class LocalOnlyFetcher(URLFetcher):
    """Fetches data: URLs and files under ROOT; anything else (http, https, ftp, other
    files) is refused, and WeasyPrint carries on without it."""

    def __init__(self, root: Path):
        super().__init__(allowed_protocols={"file", "data"})
        self.root = root.resolve()

    def fetch(self, url, headers=None):
        if url.lower().startswith("file:"):
            from urllib.request import url2pathname

            path = Path(url2pathname(url.split("?")[0].removeprefix("file:").removeprefix("//"))).resolve()
            if not path.is_relative_to(self.root):
                raise ValueError(f"Refused to read {url} outside {self.root}")
        return super().fetch(url, headers)


def render_html(template: str, context: dict) -> str:
    return render_to_string(template, context)


def render_pdf(template: str, context: dict, base_url: str | None = None) -> bytes:
    """TEMPLATE rendered with CONTEXT, as PDF bytes. The template's <title> and
    <meta name="author"> become the PDF's Title and Author."""
    base_url = base_url or static_base_url()
    root = Path(settings.BASE_DIR) / "static"
    html = HTML(string=render_html(template, context), base_url=base_url, url_fetcher=LocalOnlyFetcher(root))
    return html.write_pdf(pdf_variant=None)
