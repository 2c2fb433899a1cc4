"""The links between the pages of a list (templates/components/pagination.html). Each link
keeps every other parameter of the address as it is, so the filters survive paging."""
from dataclasses import dataclass

from django.core.paginator import Page


@dataclass(frozen=True)
class PageLink:
    number: int | None  # None: the gap between distant pages
    href: str = ""
    current: bool = False


@dataclass
class Pagination:
    page: Page
    links: list[PageLink]
    previous: str | None
    next: str | None

    @property
    def needed(self) -> bool:
        return self.page.paginator.num_pages > 1


def pagination(request, page: Page, *, param: str = "side") -> Pagination:
    """Links to the pages around PAGE, the number in PARAM of the current address."""

    def href(number: int) -> str:
        query = request.GET.copy()
        query[param] = str(number)
        return f"{request.path}?{query.urlencode()}"

    paginator = page.paginator
    links = [
        PageLink(None) if number == paginator.ELLIPSIS else PageLink(number, href(number), number == page.number)
        for number in paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
    ]
    return Pagination(
        page=page,
        links=links,
        previous=href(page.previous_page_number()) if page.has_previous() else None,
        next=href(page.next_page_number()) if page.has_next() else None,
    )
