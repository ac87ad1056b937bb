"""Tags of the shared list partials (templates/_list.html)."""

from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()


@register.simple_tag(takes_context=True)
def sort_th(context, key: str, label: str):
    """A column head that sorts the list by `key` (a key of the list's SortFilter): ascending first,
    descending when the list is already sorted by it, keeping the filters and going back to page 1.
    `aria-sort` tells a screen reader the order shown now."""
    query = context["request"].GET.copy()
    current = query.get("ordering") or query.get("sort") or ""
    for name in ("page", "sort"):
        query.pop(name, None)
    query["ordering"] = f"-{key}" if current == key else key
    state = {key: "ascending", f"-{key}": "descending"}.get(current)
    attributes = format_html_join("", ' {}="{}"', [("aria-sort", state)] if state else [])
    return format_html('<th scope="col"{}><a class="sort" href="?{}">{}</a></th>', attributes, query.urlencode(), label)
