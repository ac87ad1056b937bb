"""The per-file cap while a multipart body streams in (chainparty.uploads): a file over MAX_FILE_BYTES
is not written whole anywhere, keeps its real size for the services' check, and the submission is
refused naming the file."""

import io

import pytest
from django.conf import settings
from django.http.multipartparser import MultiPartParser
from django.test import RequestFactory
from django.urls import reverse
from django.utils.module_loading import import_string

from chainparty.spreadsheets import MAX_UPLOAD_BYTES
from chainparty.uploads import OversizeUpload
from issues.models import Attachment, Issue
from issues.services.uploads import MAX_ATTACHMENT_BYTES

OVER = settings.MAX_FILE_BYTES + 3 * 1024 * 1024


def _parse(body: bytes, content_type: str):
    request = RequestFactory().post("/")
    handlers = [import_string(path)(request) for path in settings.FILE_UPLOAD_HANDLERS]
    meta = {"CONTENT_TYPE": content_type, "CONTENT_LENGTH": str(len(body))}
    return MultiPartParser(meta, io.BytesIO(body), handlers).parse()


def _multipart(name: str, content: bytes) -> tuple[bytes, str]:
    boundary = "capboundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\n标题\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def test_a_file_over_the_cap_keeps_its_size_but_not_its_content():
    _, files = _parse(*_multipart("big.pdf", b"%PDF-1.7\n" + b"x" * OVER))
    upload = files["files"]
    assert isinstance(upload, OversizeUpload)
    assert (upload.name, upload.size) == ("big.pdf", OVER + len(b"%PDF-1.7\n"))
    assert upload.read() == b""  # nothing of it is kept to be stored by mistake


def test_a_file_under_the_cap_arrives_whole():
    content = b"%PDF-1.7\n" + b"y" * (3 * 1024 * 1024)
    _, files = _parse(*_multipart("ok.pdf", content))
    assert files["files"].read() == content


def test_no_service_accepts_more_than_the_cap_keeps():
    assert MAX_ATTACHMENT_BYTES <= settings.MAX_FILE_BYTES
    assert MAX_UPLOAD_BYTES <= settings.MAX_FILE_BYTES


@pytest.mark.django_db
def test_an_issue_with_a_file_over_the_cap_is_refused_naming_it(world, api):
    from issues.models import CategoryKind, IssueCategory

    IssueCategory.objects.create(code="request", name="诉求", kind=CategoryKind.REQUEST, resolve_days=10)
    api.force_authenticate(world.contact_a)
    big = io.BytesIO(b"%PDF-1.7\n" + b"z" * OVER)
    big.name = "合同扫描件.pdf"
    response = api.post(
        reverse("issue-list"),
        {
            "enterprise": world.ent_a1.pk,
            "category": "request",
            "title": "用地",
            "description": "说明",
            "attachments": [big],
        },
        format="multipart",
    )
    assert response.status_code == 400, response.content
    assert "合同扫描件.pdf" in str(response.json())
    assert not Issue.objects.exists()
    assert not Attachment.objects.exists()
