"""Uploads: judged by their content, not their name; an over-large body refused before it is read."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from issues.models import Attachment, Issue


def submit(api, world, *files):
    api.force_authenticate(world.contact_a)
    body = {"enterprise": world.ent_a1.pk, "category": "request", "title": "附件", "description": "见附件"}
    return api.post("/api/v1/issues/", {**body, "attachments": list(files)}, format="multipart")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("报告.pdf", b"<html><script>alert(1)</script></html>"),
        ("照片.png", b"%PDF-1.4 not a picture"),
        ("表格.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 an old .xls renamed"),
        ("图.webp", b"RIFF\x00\x00\x00\x00WAVEfmt "),
    ],
)
def test_a_file_whose_content_is_not_its_type_is_refused(api, world, categories, name, content):
    response = submit(api, world, SimpleUploadedFile(name, content))
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"attachments"}
    assert name in response.json()["errors"]["attachments"][0]
    assert not Issue.objects.exists()
    assert not Attachment.objects.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("报告.pdf", b"%PDF-1.7\n"),
        ("照片.JPG", b"\xff\xd8\xff\xe0\x00\x10JFIF"),
        ("图.webp", b"RIFF\x10\x00\x00\x00WEBPVP8 "),
        ("通知.docx", b"PK\x03\x04\x14\x00\x06\x00"),
        ("旧表.et", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00"),
    ],
)
def test_files_that_are_what_they_say_are_kept(api, world, categories, name, content):
    response = submit(api, world, SimpleUploadedFile(name, content))
    assert response.status_code == 201, response.content
    assert Attachment.objects.get().original_name == name


class Unread:
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def post_unread(client, path, length):
    return client.request(
        PATH_INFO=path,
        REQUEST_METHOD="POST",
        CONTENT_LENGTH=str(length),
        CONTENT_TYPE="multipart/form-data; boundary=x",
        **{"wsgi.input": Unread()},
    )


def test_a_body_over_the_limit_is_refused_before_it_is_read(world, settings):
    settings.MAX_REQUEST_BYTES = 1024
    client = Client()
    client.force_login(world.contact_a)
    page = post_unread(client, "/issues/new/", 5_000_000)
    assert page.status_code == 413
    assert b"MB" in page.content
    api = post_unread(client, "/api/v1/issues/", 5_000_000)
    assert api.status_code == 413
    assert api.json()["code"] == "request_too_large"
    assert not Issue.objects.exists()
    with pytest.raises(AssertionError, match="the body was read"):
        post_unread(client, "/api/v1/issues/", 1000)  # under the limit: read as usual
