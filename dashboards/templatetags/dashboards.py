from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def percent(fraction: Decimal | None) -> str:
    """A rate of issues.kpis (a fraction from 0 to 1) as people read it: 0.875 → "87.5%"; "—" for none."""
    if fraction is None or fraction == "":
        return "—"
    return f"{(Decimal(fraction) * 100).quantize(Decimal('0.1'))}%"
