"""Each issue action declared once (issues.actions, on chainparty.actions): one spec per action
people take in the workflow table, whose API route, OpenAPI operation and page form all come from
it, and whose serializer and form both hand the service exactly the keywords it takes."""

import inspect

import pytest
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

from chainparty.actions import ActionForm
from issues import workflow
from issues.actions import ISSUE_ACTIONS
from issues.models import Issue

SPECS = list(ISSUE_ACTIONS)
TARGET = ISSUE_ACTIONS.target(Issue(pk=1))

# The least each action's input needs, as JSON for the API and as the page form posts it.
API_INPUT = {
    "accept": {},
    "reject": {"reason": "不属于受理范围"},
    "dispatch": {"mode": "transfer", "lead_unit": 1},
    "sign": {},
    "return": {"reason": "非本单位职责"},
    "request-extension": {"days": 3, "reason": "需协调"},
    "decide-extension": {"grant": True},
    "reply-part": {"reply": "已核查"},
    "resolve": {"answer": "已解决"},
    "rate": {"satisfaction": "satisfied"},
    "comment": {"text": "请尽快"},
    "answer-supervision": {"reply": "已整改"},
    "supervise": {"instruction": "请三日内办结", "reply_by": "2026-10-09"},
    "urge": {"note": "请尽快回复"},
    "add-to-meeting": {},
}
PAGE_INPUT = {
    **API_INPUT,
    "request-extension": {"days": "3", "reason": "需协调"},
    "decide-extension": {"decision": "grant"},
}


def service_keywords(spec) -> inspect.Signature:
    return inspect.signature(spec.service)


def test_every_action_people_take_has_one_spec_in_the_tables_order():
    assert [str(spec.name) for spec in SPECS] == [str(action) for action in workflow.PEOPLE_ACTIONS]
    assert set(API_INPUT) == {str(spec.name) for spec in SPECS}


@pytest.mark.parametrize("spec", SPECS, ids=lambda spec: str(spec.name))
def test_the_api_input_is_the_services_keywords(spec):
    data = {}
    if spec.serializer is not None:
        serializer = spec.serializer(data=API_INPUT[spec.name])
        assert serializer.is_valid(), serializer.errors
        data = serializer.validated_data
    # Binds only if every keyword is one the service takes and none it requires is missing.
    service_keywords(spec).bind(actor=None, **TARGET, **data)


@pytest.mark.django_db
@pytest.mark.parametrize("spec", SPECS, ids=lambda spec: str(spec.name))
def test_the_page_form_gives_the_service_its_keywords(world, spec):
    assert issubclass(spec.form, ActionForm)
    posted = {
        f"{spec.prefix}-{name}": world.dept_a.pk if name == "lead_unit" else value
        for name, value in PAGE_INPUT[spec.name].items()
    }
    form = spec.form(data=posted, prefix=spec.prefix, user=world.staff)
    assert form.is_valid(), form.errors
    service_keywords(spec).bind(actor=None, **TARGET, **form.service_kwargs())


@pytest.mark.django_db
def test_every_spec_has_its_route_and_operation_in_the_schema():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for spec in SPECS:
        path = reverse(f"issue-{spec.name}", args=[123]).replace("123", "{id}")
        operation = schema["paths"][path]["post"]
        codes = {"200", "204", "400", "401", "403", "404", "409", "413", "415", "429"}
        assert set(operation["responses"]) == codes, spec.name
        if spec.serializer is None:
            assert "requestBody" not in operation, spec.name
        else:
            body = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
            fields = schema["components"]["schemas"][body.rsplit("/", 1)[-1]]["properties"]
            assert set(fields) == set(spec.serializer().fields), spec.name


def test_every_action_says_it_is_done_and_is_either_primary_or_secondary_at_most():
    for spec in SPECS:
        assert spec.done, spec.name
        assert not (spec.primary and spec.secondary), spec.name
