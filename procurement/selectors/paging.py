"""Pages of the procurement lists: one page size, one order and one forgiving reading of
the page number for every screen that lists procurements."""
from django.conf import settings
from django.core.paginator import Page, Paginator

# The id breaks ties, so two procurements created in the same instant keep their places and
# no row is shown twice or skipped between pages.
PROCUREMENT_ORDER = ("collaboration__name", "-created_at", "-id")


def page_number(value) -> int:
    """The page asked for in the address: anything that is not a whole number (text,
    Infinity, NaN, 1e309, a thousand digits) is page 1, and so is anything below 1."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return max(number, 1)


def page_of(object_list, number, *, per_page: int | None = None) -> Page:
    """Page NUMBER of OBJECT_LIST (an ordered queryset): two queries, the count and the
    rows. A number past the end gives the last page."""
    paginator = Paginator(object_list, per_page or settings.PROCUREMENT_PAGE_SIZE)
    return paginator.page(min(page_number(number), paginator.num_pages))
