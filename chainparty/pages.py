"""What every list page does the same way: one page of rows, the numbered links to the others, and
the query string that keeps the filters when the pagination moves to another page
(templates/_list.html, _pagination.html)."""

from django.core.paginator import Paginator

PER_PAGE = 25
# Numbered links: the current page and this many on each side, and the first and last page.
NEIGHBOURS = 2


def paginate(request, rows, *, per_page: int = PER_PAGE) -> dict:
    """The list's context: `page` (a bad or too large ?page= shows the nearest page, never an
    error), `rows` (its rows), `page_links` (page numbers, with Paginator.ELLIPSIS for a gap),
    `querystring` (the request's parameters but the page) and `query_items` (the same as pairs, for
    the "go to page" form's hidden fields)."""
    paginator = Paginator(rows, per_page)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "page": page,
        "rows": page.object_list,
        "page_links": list(paginator.get_elided_page_range(page.number, on_each_side=NEIGHBOURS, on_ends=1)),
        "querystring": query.urlencode(),
        "query_items": [(key, value) for key, values in query.lists() for value in values],
    }
