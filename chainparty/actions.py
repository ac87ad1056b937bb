"""Workflow actions, each declared once.

A workflow's transition table (``<app>/workflow.py``) says who may take an action and when. What
a person or a client sends to take it is declared here, once per action, as an ``ActionSpec``:
the service that does it, the API's input serializer, the page's form, the message a page shows
when it is done and how prominent its button is. An ``ActionSet`` holds the specs of one kind of
object with how its services name that object and how its workflow is asked. From it:

- ``ActionRoutesMixin`` gives a DRF viewset one ``POST …/{id}/<action>/`` route per spec (url name
  ``<basename>-<action>``) with its OpenAPI request and responses;
- ``ActionSet.page_actions`` gives a page the forms and buttons of the actions the user may take
  now (``templates/_action_form.html`` renders one), and ``ActionSet.submit`` takes one posted
  from such a form.

The serializer's validated data *is* the service's keyword arguments: a field whose JSON name
differs from the keyword says so with ``source=`` (``lead_unit = IntegerField(source="lead_unit_id")``).
A page form's ``service_kwargs()`` returns the same keywords: by default its cleaned data, so its
fields carry the service's keyword names too, unless a widget needs another shape (a model choice
for an id, a radio for a boolean) and the form converts it.

The order of checks, on both sides: the object is fetched from the user's scope (404 outside it),
then the workflow is asked (403 when the user may never take the action, 409 with the actions
allowed now when the state does not allow it) *before* the body is read, so the answer does not
depend on what was sent; then the input is parsed (400) and the service called, which locks the
row and checks again.

Example, for a meeting (service ``hold_meeting(*, meeting_id, actor, minutes)``)::

    # meetings/actions.py
    MEETING_ACTIONS = ActionSet(
        ActionSpec(Action.HOLD, services.hold_meeting, serializer=HoldInputSerializer,
                   form=HoldForm, done=_("The meeting was held."), primary=True),
        target=lambda meeting: {"meeting_id": meeting.pk},
        require=workflow.require,
        allowed=workflow.allowed_actions,
    )

    # meetings/api.py
    class MeetingViewSet(ActionRoutesMixin, ScopedObjectMixin, viewsets.ReadOnlyModelViewSet):
        action_set = MEETING_ACTIONS
        action_responses = {200: MeetingSerializer, **ERRORS, 409: conflict(_("…"))}

        def action_response(self, meeting, result):
            return Response(MeetingSerializer(self.get_object()).data)

    # meetings/views.py: render MEETING_ACTIONS.page_actions(meeting, user, url=...), each with
    # templates/_action_form.html; a POST goes to MEETING_ACTIONS.submit(request, meeting, name).
"""

import keyword
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import Http404
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from chainparty.api import validated_input
from chainparty.errors import InvalidTransition

if TYPE_CHECKING:  # a lazy translation (gettext_lazy), as the specs' messages are
    from django_stubs_ext import StrPromise


@dataclass(frozen=True)
class ActionSpec:
    """One action of a workflow, as people and clients take it."""

    # The workflow's action (a TextChoices member gives the button its label): the URL segment,
    # the API's url name suffix and the page form's prefix.
    name: str
    # Called as service(actor=user, **target(obj), **input).
    service: Callable[..., Any]
    # The API's input; its validated data is the service's keyword arguments. None: no body.
    serializer: type[serializers.Serializer] | None = None
    # The page's form (an ActionForm). None: the action is not offered on pages.
    form: type["ActionForm"] | None = None
    # What a page says once it is done.
    done: "str | StrPromise" = ""
    # A sentence a page shows with the button (for an action without fields).
    hint: "str | StrPromise" = ""
    # The step that moves the object on: a page unfolds its form first.
    primary: bool = False
    # A refusal (reject, return): a quieter button.
    secondary: bool = False
    # The OpenAPI operation's description (the viewset's docstring when empty).
    description: str = ""

    @property
    def label(self) -> str:
        return getattr(self.name, "label", str(self.name))

    @property
    def prefix(self) -> str:
        """The form prefix: ``request-extension`` → ``request_extension``."""
        return str(self.name).replace("-", "_")


class ActionSet:
    """The specs of one kind of object (a page shows them in the order ``allowed`` lists them).

    ``target(obj)`` gives the keyword arguments that name the object to the services
    (``{"issue_id": issue.pk}``); ``require(obj, name, user)`` raises PermissionDenied (403) or
    InvalidTransition (409), or returns; ``allowed(obj, user)`` lists the action names the user may
    take now. Without ``require`` the service alone decides (after the viewset's permissions);
    without ``allowed`` a page offers every spec that has a form.
    """

    def __init__(
        self,
        *specs: ActionSpec,
        target: Callable[[Any], dict],
        require: Callable[[Any, str, Any], object] | None = None,
        allowed: Callable[[Any, Any], list[str]] | None = None,
    ):
        self.specs = {str(spec.name): spec for spec in specs}
        self.target, self.require, self.allowed = target, require, allowed

    def __iter__(self) -> Iterator[ActionSpec]:
        return iter(self.specs.values())

    def __getitem__(self, name: str) -> ActionSpec:
        return self.specs[str(name)]

    def get(self, name: str) -> ActionSpec | None:
        return self.specs.get(str(name))

    def check(self, obj, spec: ActionSpec, user) -> None:
        """Ask the workflow: 403 (PermissionDenied) first, then 409 (InvalidTransition)."""
        if self.require is not None:
            self.require(obj, spec.name, user)

    def perform(self, spec: ActionSpec, obj, *, actor, data: Mapping[str, Any]):
        """Call the spec's service on the object with the parsed input; return what it returns."""
        return spec.service(actor=actor, **self.target(obj), **data)

    # --- pages ---------------------------------------------------------------------------------
    def page_actions(
        self,
        obj,
        user,
        *,
        url: Callable[[str], str],
        bound: Mapping[str, "ActionForm"] | None = None,
        initial: Callable[[str], dict | None] | None = None,
    ) -> list[dict]:
        """What a page offers now: one dict per action the user may take, with its ``action``,
        ``label``, ``form`` (``bound[name]`` when it came back with errors, else a fresh one with
        ``initial(name)``), ``url`` (``url(name)``), ``hint``, ``secondary`` and ``open``: the form
        with errors is unfolded, otherwise the first primary one."""
        bound = bound or {}
        names = self.allowed(obj, user) if self.allowed is not None else list(self.specs)
        specs = [(spec, spec.form) for spec in map(self.get, names) if spec is not None and spec.form is not None]
        first_primary = next((spec.name for spec, _ in specs if spec.primary), None)
        offered = []
        for spec, form_class in specs:
            form = bound.get(spec.name)
            if form is None:
                form = form_class(initial=initial(spec.name) if initial else None, prefix=spec.prefix, user=user)
            offered.append(
                {
                    "action": str(spec.name),
                    "label": spec.label,
                    "form": form,
                    "url": url(spec.name),
                    "hint": spec.hint,
                    "secondary": spec.secondary,
                    "open": spec.name in bound or (not bound and spec.name == first_primary),
                }
            )
        return offered

    def submit(self, request, obj, name: str) -> "PageOutcome":
        """Take an action posted from a page by ``request.user``. 404 for a name without a page
        form; PermissionDenied (403) propagates. A step out of turn (before the form is read, or
        found by the service) and a success each leave a message for the next page."""
        spec = self.get(name)
        if spec is None or spec.form is None:
            raise Http404
        user = request.user
        try:
            self.check(obj, spec, user)
            form = spec.form(data=request.POST, files=request.FILES, prefix=spec.prefix, user=user)
            if not form.is_valid():
                return refused(request, spec, form)
            try:
                self.perform(spec, obj, actor=user, data=form.service_kwargs())
            except ValidationError as exc:
                apply_service_errors(form, exc)
                return refused(request, spec, form)
        except InvalidTransition as exc:
            # Out of turn: asked first, or someone else moved the object between the page and the click.
            messages.error(request, str(exc))
            return PageOutcome(spec)
        if spec.done:
            messages.success(request, spec.done)
        return PageOutcome(spec, done=True)


def refused(request, spec: ActionSpec, form: "ActionForm") -> "PageOutcome":
    """The form comes back with its errors; the message at the top of the page says what was not done
    and why, since on a phone the form itself may be far below (static/js/app.js focuses the message)."""
    reasons = [
        gettext("%(label)s: %(message)s") % {"label": form.fields[name].label, "message": message}
        if name in form.fields
        else str(message)
        for name, field_messages in form.errors.items()
        for message in field_messages
    ]
    messages.error(
        request,
        gettext("%(action)s was not done: %(reasons)s")
        % {"action": spec.label, "reasons": gettext("; ").join(reasons)},
    )
    return PageOutcome(spec, form=form)


@dataclass(frozen=True)
class PageOutcome:
    """``done``: redirect on. ``form``: its input was refused, show it again (400). Neither: the
    step was out of turn, its message is set; redirect back."""

    spec: ActionSpec
    form: "ActionForm | None" = None
    done: bool = False


class ActionForm(forms.Form):
    """A page's form for one action, built with the user it is shown to (a form may offer more to
    some). Its fields are named as the service's keywords, so its cleaned data is what the service
    takes; a form whose widgets give another shape overrides service_kwargs()."""

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


def apply_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: each field it names, the rest as non-field errors.
    A message the form shows already (the service repeats what the form's parsing found) is not added
    twice."""
    for field, field_messages in exc.message_dict.items():
        target = field if field in form.fields else None
        shown = [str(message) for message in form.errors.get(target or NON_FIELD_ERRORS, ())]
        for message in field_messages:
            if message not in shown:
                form.add_error(target, message)


# --- API ---------------------------------------------------------------------------------------
# The mixin goes on a DRF viewset; the type checker is told so (at run time it is a plain mixin, so
# the viewset's own bases decide the MRO).
if TYPE_CHECKING:
    _ViewSet = GenericViewSet
else:
    _ViewSet = object


class ActionRoutesMixin(_ViewSet):
    """One POST route per spec of ``action_set`` on a DRF viewset, documented with the spec's
    serializer and ``action_responses``. The viewset says how to answer with
    ``action_response(obj, result)``; the object comes from the viewset's ``get_object()`` (scope
    first: 404, then the object permissions: 403)."""

    action_set: ClassVar[ActionSet]
    action_responses: ClassVar[dict]

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for spec in cls.__dict__.get("action_set", ()):
            route = _route(cls, spec)
            setattr(cls, route.__name__, route)

    def action_response(self, obj, result) -> Response:
        raise NotImplementedError

    def run_action(self, spec: ActionSpec) -> Response:
        obj = self.get_object()
        self.action_set.check(obj, spec, self.request.user)  # 403, then 409: before the body is read
        data = validated_input(spec.serializer, self.request) if spec.serializer else {}
        result = self.action_set.perform(spec, obj, actor=self.request.user, data=data)
        return self.action_response(obj, result)


def _route(viewset: type[ActionRoutesMixin], spec: ActionSpec):
    # The method's name is the viewset's `action` (DRF finds the handler by it): not a word Python
    # or the view class already uses (`return`, `dispatch`).
    name = spec.prefix
    if keyword.iskeyword(name) or hasattr(viewset, name):
        name = f"{name}_action"

    def route(self, request, pk=None):
        return self.run_action(spec)

    route.__name__ = route.__qualname__ = name
    route.__doc__ = spec.description or None
    routed = action(detail=True, methods=["post"], url_path=str(spec.name), url_name=str(spec.name))(route)
    return extend_schema(request=spec.serializer, responses=viewset.action_responses)(routed)
