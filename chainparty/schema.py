"""The OpenAPI document's one addition to drf-spectacular: every operation lists the errors the
server really gives, in the one error shape (chainparty.api.ErrorSerializer), so the document says
what the server does (schemathesis checks it in tests/api).

- 401 and 403: every operation (token first: anonymous calls get 401; a role the route is not for, 403);
- 429: every operation (an address whose credentials were refused too often in a while is refused
  whatever it sends until the window ends, chainparty.middleware.ThrottleMiddleware; and an account's
  own limits, such as issues submitted an hour);
- 404: operations with a path parameter (outside the caller's scope is "not found"), and lists (a page
  past the last);
- 400: operations with query parameters or a request body (a filter, a page or a field refused,
  naming it);
- 413 and 415: operations with a request body (chainparty.middleware; a body in a format the route
  does not read).
A filter's query parameter may be sent empty, meaning "not given" (what a page's filter form sends):
`allowEmptyValue`. A list's aliases (chainparty.filters.ALIASES: `search` for `q`, `sort` for
`ordering`) are documented beside the parameter they stand for, as deprecated. A view answering
one object from its `list` route (a summary such as coverage) says so with `answers_one_object = True`.
An operation's own @extend_schema responses are kept as they are."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiResponse

DESCRIPTIONS = {
    "400": _("Invalid input; `errors` names each field and why."),
    "401": _("Not signed in (no or a bad token)."),
    "403": _("Not allowed to do this."),
    "404": _("No such object, or not in your scope."),
    "413": _("The request body is larger than the server reads."),
    "415": _("The request body is in a format this route does not read."),
    "429": _("Too many requests in a while, from this address or by this account; wait the seconds of Retry-After."),
}


class AutoSchema(SpectacularAutoSchema):
    def _is_list_view(self, serializer=None):
        if getattr(self.view, "answers_one_object", False):
            return False
        return super()._is_list_view(serializer)

    def _get_filter_parameters(self):
        from chainparty.filters import ALIASES  # imports django-filter's DRF backend; load late

        parameters = super()._get_filter_parameters()
        by_name = {parameter["name"]: parameter for parameter in parameters}
        for alias, name in ALIASES.items():
            if name in by_name and alias not in by_name:
                description = f"Alias of `{name}` (give one of the two)."
                parameters.append({**by_name[name], "name": alias, "deprecated": True, "description": description})
        for parameter in parameters:
            parameter["allowEmptyValue"] = True
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        from chainparty.api import ErrorSerializer  # the API plumbing imports DRF views; load late

        codes = ["401", "403", "429"]
        has_body = self.method in ("POST", "PUT", "PATCH")
        if "{" in self.path or self._is_list_view():
            codes.append("404")
        if has_body or self._get_filter_parameters() or self._get_pagination_parameters():
            codes.append("400")
        if has_body:
            codes += ["413", "415"]
        for code in codes:
            if code not in responses:
                response = OpenApiResponse(ErrorSerializer, description=DESCRIPTIONS[code])
                responses[code] = self._get_response_for_code(response, code, direction=direction)
        return responses
