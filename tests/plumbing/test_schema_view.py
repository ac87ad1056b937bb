"""/api/schema/ (chainparty.views.SchemaView): the document is generated once per process for each
language and kept; kept, it is what a generation for any other caller gives, and only signed-in users
still get it."""

import pytest
from django.urls import reverse
from django.utils import translation
from drf_spectacular.generators import SchemaGenerator

from chainparty.views import SchemaView

pytestmark = pytest.mark.django_db


@pytest.fixture
def generations(monkeypatch):
    """The language of each generation of the document, from an empty store."""
    monkeypatch.setattr(SchemaView, "_documents", {})
    languages = []
    generate = SchemaGenerator.get_schema

    def counted(self, *args, **kwargs):
        languages.append(translation.get_language())
        return generate(self, *args, **kwargs)

    monkeypatch.setattr(SchemaGenerator, "get_schema", counted)
    return languages


def document(api, **params):
    response = api.get(reverse("api-schema"), {"format": "json", **params})
    assert response.status_code == 200
    return response.json()


def test_the_document_is_generated_once_per_language_and_the_same_for_every_caller(world, api, generations):
    api.force_authenticate(world.staff)
    for_staff = document(api)
    SchemaView._documents.clear()
    api.force_authenticate(world.contact_a)
    for_the_contact = document(api)  # generated again, for another caller
    assert generations == ["zh-hans", "zh-hans"]
    assert for_the_contact == for_staff

    api.force_authenticate(world.leader_a)
    assert document(api) == for_staff
    in_english = document(api, lang="en")
    assert document(api, lang="en") == in_english
    assert generations == ["zh-hans", "zh-hans", "en"]
    assert in_english != for_staff  # the descriptions are translated

    api.force_authenticate(None)
    assert api.get(reverse("api-schema"), {"format": "json"}).status_code == 401
    assert len(generations) == 3
