"""The API's JSON parser, in a module of its own: DRF reads its parser setting while its views load,
so the class cannot live beside the views' plumbing in chainparty.api."""

import io

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, parsers


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser with limits: a body larger than JSON_MAX_BYTES or nested deeper than
    JSON_MAX_DEPTH is a 400 (`malformed_request`) naming the limit, never a crash or a long parse."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.JSON_MAX_BYTES
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise exceptions.ParseError(_("The JSON body is larger than %(limit)d bytes.") % {"limit": limit})
        try:
            data = super().parse(io.BytesIO(raw), media_type, parser_context)
        except RecursionError:
            data = None
            too_deep = True
        else:
            too_deep = _depth_over(data, settings.JSON_MAX_DEPTH)
        if too_deep:
            message = _("The JSON body is nested deeper than %(limit)d levels.") % {"limit": settings.JSON_MAX_DEPTH}
            raise exceptions.ParseError(message)
        return data


def _depth_over(data, limit: int) -> bool:
    """Whether `data` nests lists and objects deeper than `limit` (walked without recursion)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth > limit:
                return True
            children = value.values() if isinstance(value, dict) else value
            stack.extend((child, depth + 1) for child in children)
    return False
