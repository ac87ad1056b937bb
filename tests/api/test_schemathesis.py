"""The API document is what the server does: schemathesis generates requests from /api/schema/ for
every operation and checks each answer (no 5xx, documented status codes, content types and bodies),
as district staff and as an enterprise contact. Bounded (a few examples per operation, derandomised)
so that it runs in every `make test`."""

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token

from chainparty.wsgi import application
from tests.issues.conftest import calendar_2026, categories  # noqa: F401 - fixtures


def _document() -> dict:
    # The document as /api/schema/ serves it (which answers signed-in users only), rendered to JSON.
    generated = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(generated, renderer_context={}))


schema = schemathesis.openapi.from_dict(_document())
schema.app = application  # requests go to the WSGI application in this process


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    # The WSGI handler closes the database connection after each request; the test's transaction
    # must outlive them (Django's test client does the same).
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def tokens(world, categories):  # noqa: F811
    return {who: Token.objects.create(user=getattr(world, who)).key for who in ("staff", "contact_a")}


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["staff", "contact_a"])
@schema.parametrize()
@settings(max_examples=5, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_answers_as_its_document_says(case, who, tokens):
    # Every check but "schema-valid data is accepted": an id is a schema-valid integer, yet one that
    # names no row (or a row outside the caller's scope) is rightly a 400 naming the field.
    case.call_and_validate(
        headers={"Authorization": f"Token {tokens[who]}"},
        excluded_checks=[schemathesis.checks.positive_data_acceptance],
    )
