"""How a view tells an htmx request for part of a page from an ordinary one."""


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def is_htmx_partial(request) -> bool:
    """A request from htmx for a part of the page; a history restore wants the whole page."""
    return is_htmx(request) and request.headers.get("HX-History-Restore-Request") != "true"
