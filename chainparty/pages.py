"""What every list page does the same way: one page of rows, and the query string that keeps the
filters when the pagination links move to another page (templates/_list.html, _pagination.html)."""

from django.core.paginator import Paginator

PER_PAGE = 25


def paginate(request, rows, *, per_page: int = PER_PAGE) -> dict:
    """The list's context: `page` (a bad or too large ?page= shows the nearest page, never an
    error), `rows` (its rows) and `querystring` (the request's parameters but the page)."""
    page = Paginator(rows, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {"page": page, "rows": page.object_list, "querystring": query.urlencode()}
