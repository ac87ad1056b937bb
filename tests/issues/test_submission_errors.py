"""A refused submission names every problem at once (category, title, description, each file's type,
size and content, and what the page's or the API's parser refused), and the files that were fine
survive it: staged on the form's token, visible to their uploader alone, attached by the try that
succeeds, purged after a day by a job that is safe to run twice."""

import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from accounts.models import User
from chainparty.errors import RateLimited
from issues import services
from issues.models import Attachment, Issue, StagedUpload
from issues.services import uploads
from tests.concurrency import in_threads

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
PDF = b"%PDF-1.4 kept"
PNG = b"\x89PNG\r\n\x1a\n rest"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _english():
    # The services' messages are asserted in English (pages and the API are asked in English too).
    with translation.override("en"):
        yield


def upload(name="现场照片.pdf", content=PDF, size=None):
    return services.Upload(
        name=name, content=SimpleUploadedFile(name, content), size=len(content) if size is None else size
    )


def token() -> str:
    return uuid.uuid4().hex


def submit(world, user=None, **overrides):
    kwargs = {
        "actor": user or world.contact_a,
        "enterprise_id": world.ent_a1.pk,
        "category_code": "request",
        "title": "用电增容",
        "description": "新产线需要增容",
        **overrides,
    }
    return services.submit_issue_once(**kwargs)


def refusal(world, **overrides) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        submit(world, **overrides)
    return caught.value.message_dict


# --- the service: every problem at once ------------------------------------------------------------------------
class TestEveryProblemAtOnce:
    def test_category_title_description_and_each_file_are_refused_together(self, world, categories, settings):
        files = [
            upload("run.exe", b"MZ"),
            upload("big.pdf", PDF, size=uploads.MAX_ATTACHMENT_BYTES + 1),
            upload("fake.pdf", b"<html>"),
            upload("fine.pdf"),
        ]
        errors = refusal(world, category_code="", title="", description=" ", uploads=files)
        assert set(errors) == {"category", "title", "description", "attachments"}
        assert [message.split(":")[0] for message in errors["attachments"]] == ["run.exe", "big.pdf", "fake.pdf"]
        assert "not allowed" in errors["attachments"][0]
        assert "20 MB" in errors["attachments"][1]
        assert "content is not a PDF" in errors["attachments"][2]
        assert not Issue.objects.exists()
        assert not Attachment.objects.exists()
        assert not StagedUpload.objects.exists()  # no token: nothing kept (the API's case)

    def test_too_many_files_is_said_once_with_the_other_problems(self, world, categories):
        files = [upload(f"{n}.pdf") for n in range(uploads.MAX_ATTACHMENTS)] + [upload("x.exe", b"MZ")]
        errors = refusal(world, title="", uploads=files)
        assert set(errors) == {"title", "attachments"}
        assert len(errors["attachments"]) == 2  # the count, and x.exe

    def test_what_the_parser_refused_stands_for_its_field(self, world, categories):
        errors = refusal(world, enterprise_id=None, title="", input_errors={"enterprise": ["不是一个数字。"]})
        assert errors["enterprise"] == ["不是一个数字。"]
        assert "title" in errors

    def test_a_parser_error_alone_refuses_the_submission(self, world, categories):
        errors = refusal(world, input_errors={"chain": ["选择一个有效的选项。"]})
        assert errors == {"chain": ["选择一个有效的选项。"]}
        assert not Issue.objects.exists()


# --- staged uploads ------------------------------------------------------------------------------------------------
class TestStaging:
    def test_the_good_files_of_a_refused_try_are_kept_on_the_form_and_the_bad_ones_named(self, world, categories):
        form = token()
        errors = refusal(world, title="", staging_token=form, uploads=[upload("报告.pdf"), upload("x.exe", b"MZ")])
        assert "x.exe" in errors["attachments"][0]
        (kept,) = StagedUpload.objects.all()
        assert (kept.owner, kept.token, kept.original_name, kept.size) == (world.contact_a, form, "报告.pdf", len(PDF))
        assert kept.file.read() == PDF

    def test_the_next_try_attaches_the_kept_files_with_the_new_ones(self, world, categories):
        form = token()
        refusal(world, title="", staging_token=form, uploads=[upload("报告.pdf")])
        kept = StagedUpload.objects.get()
        issue = submit(world, staging_token=form, staged_ids=[kept.pk], uploads=[upload("图.png", PNG)]).issue
        attachments = {a.original_name: a for a in issue.attachments.all()}
        assert set(attachments) == {"报告.pdf", "图.png"}
        assert attachments["报告.pdf"].file.read() == PDF
        assert attachments["报告.pdf"].file.name == kept.file.name  # the kept file itself, not a copy
        assert not StagedUpload.objects.exists()
        assert uploads.purge_staged_uploads(now=timezone.now() + timedelta(days=2)) == 0
        assert attachments["报告.pdf"].file.storage.exists(kept.file.name)

    def test_kept_files_count_against_the_limit(self, world, categories):
        form = token()
        refusal(world, title="", staging_token=form, uploads=[upload(f"{n}.pdf") for n in range(4)])
        ids = list(StagedUpload.objects.values_list("pk", flat=True))
        new = [upload(f"new{n}.pdf") for n in range(uploads.MAX_ATTACHMENTS - 3)]
        errors = refusal(world, staging_token=form, staged_ids=ids, uploads=new)
        assert errors["attachments"][0].startswith(f"At most {uploads.MAX_ATTACHMENTS} files, 4 of them")

    def test_someone_elses_or_another_forms_kept_file_is_not_attached(self, world, categories):
        mine, other = token(), token()
        refusal(
            world, user=world.contact_b, enterprise_id=world.ent_b1.pk, title="", staging_token=mine, uploads=[upload()]
        )
        refusal(world, title="", staging_token=other, uploads=[upload("另一个.pdf")])
        theirs = StagedUpload.objects.get(owner=world.contact_b)
        elsewhere = StagedUpload.objects.get(owner=world.contact_a)
        errors = refusal(world, staging_token=mine, staged_ids=[theirs.pk, elsewhere.pk])
        assert list(errors) == ["attachments"]
        assert StagedUpload.objects.count() == 2  # neither was taken

    def test_a_kept_file_purged_meanwhile_is_asked_for_again(self, world, categories):
        form = token()
        refusal(world, title="", staging_token=form, uploads=[upload()])
        kept = StagedUpload.objects.get()
        StagedUpload.objects.update(created_at=timezone.now() - uploads.STAGED_KEEP - timedelta(minutes=1))
        assert uploads.purge_staged_uploads() == 1
        errors = refusal(world, staging_token=form, staged_ids=[kept.pk])
        assert "no longer kept" in errors["attachments"][0]

    def test_beyond_the_per_person_limit_files_are_named_to_choose_again(
        self, world, categories, settings, monkeypatch
    ):
        monkeypatch.setattr(uploads, "STAGED_PER_USER", 2)
        errors = refusal(
            world, title="", staging_token=token(), uploads=[upload("a.pdf"), upload("b.pdf"), upload("c.pdf")]
        )
        assert errors["attachments"] == ["Not kept, choose again: c.pdf."]
        assert StagedUpload.objects.count() == 2

    def test_a_rate_limited_try_keeps_its_files_too(self, world, categories, settings):
        settings.ISSUE_SUBMIT_LIMIT_PER_HOUR = 1
        submit(world)
        with pytest.raises(RateLimited):
            submit(world, title="再来一个", staging_token=token(), uploads=[upload()])
        assert StagedUpload.objects.count() == 1

    def test_a_resent_successful_try_answers_with_its_issue(self, world, categories):
        form = token()
        refusal(world, title="", staging_token=form, uploads=[upload()])
        ids = list(StagedUpload.objects.values_list("pk", flat=True))
        first = submit(world, staging_token=form, staged_ids=ids, idempotency_key="k")
        again = submit(world, staging_token=form, staged_ids=ids, idempotency_key="k")
        assert (again.issue, again.replayed) == (first.issue, True)
        assert first.issue.attachments.count() == 1


class TestPurge:
    def test_files_older_than_a_day_go_with_their_rows_and_a_second_run_does_nothing(
        self, world, categories, django_capture_on_commit_callbacks
    ):
        refusal(world, title="", staging_token=token(), uploads=[upload("old.pdf")])
        refusal(world, title="", staging_token=token(), uploads=[upload("new.pdf")])
        old = StagedUpload.objects.get(original_name="old.pdf")
        StagedUpload.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=1, seconds=1))
        storage = old.file.storage
        assert storage.exists(old.file.name)
        with django_capture_on_commit_callbacks(execute=True):
            assert uploads.purge_staged_uploads() == 1
        assert not storage.exists(old.file.name)
        assert list(StagedUpload.objects.values_list("original_name", flat=True)) == ["new.pdf"]
        with django_capture_on_commit_callbacks(execute=True):
            assert uploads.purge_staged_uploads() == 0

    def test_the_command_purges_as_of_an_instant(self, world, categories, capsys):
        from django.core.management import call_command

        refusal(world, title="", staging_token=token(), uploads=[upload()])
        call_command("purge_staged_uploads", "--at", (timezone.now() + timedelta(hours=23)).isoformat())
        assert StagedUpload.objects.count() == 1
        call_command("purge_staged_uploads", "--at", (timezone.now() + timedelta(hours=25)).isoformat())
        assert not StagedUpload.objects.exists()
        assert "purged" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_two_purges_at_once_delete_each_file_once(world, categories):
    for _n in range(6):
        refusal(world, title="", staging_token=token(), uploads=[upload()])
    names = list(StagedUpload.objects.values_list("file", flat=True))
    StagedUpload.objects.update(created_at=timezone.now() - timedelta(days=2))
    purged = in_threads(lambda: uploads.purge_staged_uploads(batch=2), lambda: uploads.purge_staged_uploads(batch=2))
    assert sum(purged) == 6
    assert not StagedUpload.objects.exists()
    storage = StagedUpload._meta.get_field("file").storage
    assert not any(storage.exists(name) for name in names)


@pytest.mark.django_db(transaction=True)
def test_the_purge_passes_over_a_file_a_submission_is_attaching(world, categories):
    refusal(world, title="", staging_token=token(), uploads=[upload()])
    StagedUpload.objects.update(created_at=timezone.now() - timedelta(days=2))
    with transaction.atomic():
        list(StagedUpload.objects.select_for_update())  # what take_staged_uploads holds until its commit
        assert in_threads(uploads.purge_staged_uploads) == [0]  # not waiting, not deleting
    assert in_threads(uploads.purge_staged_uploads) == [1]


# --- the page ------------------------------------------------------------------------------------------------------
def page_data(world, **overrides):
    data = {
        "enterprise": world.ent_a1.pk,
        "category": "request",
        "title": "用电增容",
        "description": "新产线需要增容 2000 千伏安",
        "idempotency_key": uuid.uuid4().hex,
        "upload_token": uuid.uuid4().hex,
    }
    return {**data, **overrides}


class TestPage:
    url = staticmethod(lambda: reverse("issues:issue-submit"))

    def test_three_errors_are_shown_at_once_and_the_good_file_is_kept(self, client, world, categories):
        client.force_login(world.contact_a)
        data = page_data(world, category="", title="")
        files = [SimpleUploadedFile("报告.pdf", PDF), SimpleUploadedFile("run.exe", b"MZ")]
        response = client.post(self.url(), {**data, "attachments": files}, **EN)
        assert response.status_code == 400
        form = response.context["form"]
        assert set(form.errors) == {"category", "title", "attachments"}
        html = response.content.decode()
        summary = html[html.index("data-error-summary") : html.index("</ul>", html.index("data-error-summary"))]
        assert summary.count("<li>") == 3
        for anchor in ("#id_category", "#id_title", "#id_attachments"):
            assert anchor in summary
        assert "js/form-errors.js" in html
        kept = StagedUpload.objects.get()
        assert kept.original_name == "报告.pdf"
        assert f'name="staged" value="{kept.pk}"' in html
        assert reverse("issues:staged-download", args=[kept.pk]) in html
        assert f'value="{data["upload_token"]}"' in html  # the same form: its files stay on it

        fixed = {**data, "category": "request", "title": "用电增容", "staged": [kept.pk]}
        response = client.post(self.url(), fixed)
        issue = Issue.objects.get()
        assert response.status_code == 302
        assert list(issue.attachments.values_list("original_name", flat=True)) == ["报告.pdf"]

    def test_a_kept_file_ticked_remove_is_not_attached(self, client, world, categories):
        client.force_login(world.contact_a)
        data = page_data(world, title="")
        client.post(
            self.url(), {**data, "attachments": [SimpleUploadedFile("a.pdf", PDF), SimpleUploadedFile("b.pdf", PDF)]}
        )
        a, b = StagedUpload.objects.order_by("original_name")
        response = client.post(self.url(), {**data, "title": "好了", "staged": [a.pk, b.pk], "remove_staged": [b.pk]})
        assert response.status_code == 302
        assert list(Issue.objects.get().attachments.values_list("original_name", flat=True)) == ["a.pdf"]
        assert not StagedUpload.objects.exists()

    def test_a_choice_that_is_no_choice_is_reported_with_the_rest(self, client, world, categories):
        client.force_login(world.contact_a)
        response = client.post(self.url(), page_data(world, enterprise=world.ent_b1.pk, title="", description=""))
        assert set(response.context["form"].errors) == {"enterprise", "title", "description"}
        assert len(response.context["form"].errors["enterprise"]) == 1

    def test_a_forged_token_keeps_nothing(self, client, world, categories):
        client.force_login(world.contact_a)
        client.post(
            self.url(),
            {**page_data(world, title="", upload_token="../../x"), "attachments": [SimpleUploadedFile("a.pdf", PDF)]},
        )
        assert not StagedUpload.objects.exists()

    def test_the_refused_page_costs_the_same_with_more_kept_files(self, client, world, categories):
        client.force_login(world.contact_a)
        data = page_data(world, title="")

        def queries(n):
            StagedUpload.objects.all().delete()
            client.post(self.url(), {**data, "attachments": [SimpleUploadedFile(f"{i}.pdf", PDF) for i in range(n)]})
            ids = list(StagedUpload.objects.values_list("pk", flat=True))
            with CaptureQueriesContext(connection) as captured:
                assert client.post(self.url(), {**data, "staged": ids}).status_code == 400
            return len(captured)

        assert queries(1) == queries(6)

    def test_the_submit_page_query_count(self, client, world, categories, django_assert_max_num_queries):
        client.force_login(world.contact_a)
        with django_assert_max_num_queries(12):
            assert client.get(self.url()).status_code == 200


class TestStagedDownload:
    @pytest.fixture
    def kept(self, world, categories):
        refusal(world, title="", staging_token=token(), uploads=[upload("报告.pdf")])
        return StagedUpload.objects.get()

    def test_the_uploader_downloads_a_kept_file(self, client, world, kept):
        client.force_login(world.contact_a)
        response = client.get(reverse("issues:staged-download", args=[kept.pk]))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        assert "attachment" in response["Content-Disposition"]

    @pytest.mark.parametrize("who", ["staff", "contact_b", "secretary_a", "chief_a", "handler_a", "leader_a"])
    def test_nobody_else_can_see_a_kept_file(self, client, world, kept, who):
        client.force_login(getattr(world, who))
        assert client.get(reverse("issues:staged-download", args=[kept.pk])).status_code == 404

    def test_nobody_else_can_attach_or_remove_it(self, client, world, kept):
        client.force_login(world.secretary_a)
        url = reverse("issues:issue-submit")
        response = client.post(url, page_data(world, upload_token=kept.token, staged=[kept.pk]))
        assert response.status_code == 400  # "no longer kept": it is not theirs
        assert not Issue.objects.exists()
        client.post(url, page_data(world, upload_token=kept.token, title="", remove_staged=[kept.pk]))
        assert StagedUpload.objects.filter(pk=kept.pk).exists()


# --- the API ---------------------------------------------------------------------------------------------------
class TestApi:
    def post(self, world, data, fmt="multipart"):
        api = APIClient()
        api.force_authenticate(User.objects.get(pk=world.contact_a.pk))
        return api.post(reverse("issue-list"), data, format=fmt, **EN)

    def test_every_field_in_error_is_named_in_one_answer(self, world, categories):
        data = {
            "enterprise": "abc",
            "category": "nonsense",
            "title": "",
            "description": "",
            "attachments": [SimpleUploadedFile("run.exe", b"MZ"), SimpleUploadedFile("fake.pdf", b"<html>")],
        }
        response = self.post(world, data)
        assert response.status_code == 400
        errors = response.json()["errors"]
        assert set(errors) == {"enterprise", "category", "title", "description", "attachments"}
        assert errors["enterprise"] == ["A valid integer is required."]
        assert [message.split(":")[0] for message in errors["attachments"]] == ["run.exe", "fake.pdf"]
        assert not Issue.objects.exists()
        assert not StagedUpload.objects.exists()  # the API keeps nothing: the client holds its files

    def test_missing_fields_and_a_bad_rest_are_reported_together(self, world, categories):
        response = self.post(world, {"title": "一行", "description": "", "chain": "x"}, fmt="json")
        errors = response.json()["errors"]
        assert set(errors) == {"enterprise", "category", "description", "chain"}

    def test_a_good_request_still_submits(self, world, categories):
        data = {"enterprise": world.ent_a1.pk, "category": "request", "title": "t", "description": "d"}
        data["attachments"] = [SimpleUploadedFile("a.pdf", PDF)]
        response = self.post(world, data)
        assert response.status_code == 201, response.content
        assert [a["name"] for a in response.json()["attachments"]] == ["a.pdf"]


# --- the 吐槽大会 grid: every row's every error in one save; the enterprise by name or code ---------------------
def grid(rows):
    data = {"rows-TOTAL_FORMS": str(len(rows)), "rows-INITIAL_FORMS": "0"}
    for index, row in enumerate(rows):
        for field, value in zip(("enterprise", "category", "title", "description"), row, strict=True):
            data[f"rows-{index}-{field}"] = value
    return data


class TestGrid:
    @pytest.fixture
    def url(self, world):
        from tests.issues.builders import complaint_session

        return reverse("issues:session-entry", args=[complaint_session(world).pk])

    def test_one_save_shows_bad_codes_and_incomplete_rows_together(self, client, world, categories, url):
        from chains.credit_code import make_credit_code

        twin = world.ent_a2.name
        from tests import factories as f

        f.EnterpriseFactory(name=twin)  # two enterprises bear this name
        rows = [
            (world.ent_a1.credit_code, "request", "融资难", "贷款审批慢"),  # fine
            ("91110000", "request", "", "没有标题"),  # a mistyped code and no title
            (make_credit_code("91110000MA0000001"), "", "用地", "审批"),  # no such code, no category
            ("不存在的企业", "request", "办证慢", ""),  # no such name, no description
            (twin, "request", "同名", "两家"),  # ambiguous
        ]
        client.force_login(world.staff)
        response = client.post(url, grid(rows), **EN)
        assert response.status_code == 400
        assert not Issue.objects.exists()
        errors = [dict(form.errors) for form in response.context["formset"].forms]
        assert errors[0] == {}
        assert set(errors[1]) == {"enterprise", "title"}
        assert "18 characters" in errors[1]["enterprise"][0]
        assert set(errors[2]) == {"enterprise", "category"}
        assert "No enterprise has the unified social credit code" in errors[2]["enterprise"][0]
        assert set(errors[3]) == {"enterprise", "description"}
        assert "No enterprise is named “不存在的企业”" in errors[3]["enterprise"][0]
        assert set(errors[4]) == {"enterprise"}
        assert "2 enterprises are named" in errors[4]["enterprise"][0]
        html = response.content.decode()
        summary = html[html.index("data-error-summary") : html.index("</ul>", html.index("data-error-summary"))]
        assert summary.count("<li>") == 7
        assert "Row 2, Title" in summary

    def test_an_enterprise_by_its_exact_name_or_its_code_is_entered(self, client, world, categories, url):
        rows = [
            (f"  {world.ent_b1.name} ", "inquiry", "政策咨询", "补贴申报"),
            (world.ent_a1.credit_code.lower(), "request", "融资难", "贷款审批慢"),
        ]
        client.force_login(world.staff)
        assert client.post(url, grid(rows)).status_code == 302
        assert set(Issue.objects.values_list("enterprise_id", flat=True)) == {world.ent_b1.pk, world.ent_a1.pk}

    def test_the_references_of_the_whole_grid_are_resolved_in_two_queries(self, world, categories):
        refs = [world.ent_a1.credit_code, world.ent_a2.name, world.ent_b1.name, "91110000", "无此企业"]
        assert world.staff.is_district_staff  # the roles, read once per request in real use
        with CaptureQueriesContext(connection) as captured:
            resolved = services.resolve_enterprise_refs(actor=world.staff, refs=refs)
        assert len(captured) == 2
        assert resolved[world.ent_a2.name].enterprise_id == world.ent_a2.pk
        assert resolved["无此企业"].error

    def test_an_enterprise_outside_the_scope_reads_as_none(self, world, categories):
        resolved = services.resolve_enterprise_refs(
            actor=world.contact_a, refs=[world.ent_b1.name, world.ent_b1.credit_code, world.ent_a1.name]
        )
        assert resolved[world.ent_a1.name].enterprise_id == world.ent_a1.pk
        assert resolved[world.ent_b1.name].enterprise_id is None
        assert resolved[world.ent_b1.credit_code].error.startswith("No enterprise has")


class TestLookup:
    url = staticmethod(lambda: reverse("issues:enterprise-lookup"))

    def ask(self, client, user, q):
        client.force_login(user)
        response = client.get(self.url(), {"q": q})
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        return response.json()["results"]

    def test_staff_find_enterprises_by_a_word_of_the_name_or_the_start_of_the_code(self, client, world):
        word = world.ent_b1.name[1:3]
        assert {"name": world.ent_b1.name, "credit_code": world.ent_b1.credit_code} in self.ask(
            client, world.staff, word
        )
        found = self.ask(client, world.staff, world.ent_a1.credit_code[:10].lower())
        assert world.ent_a1.credit_code in [row["credit_code"] for row in found]

    def test_a_contact_cannot_see_another_enterprise_through_the_lookup(self, client, world):
        assert self.ask(client, world.contact_a, world.ent_b1.name) == []
        assert self.ask(client, world.contact_a, world.ent_b1.credit_code) == []
        assert [row["name"] for row in self.ask(client, world.contact_a, world.ent_a1.name)] == [world.ent_a1.name]

    def test_nothing_typed_finds_nothing(self, client, world):
        assert self.ask(client, world.staff, "  ") == []

    @pytest.mark.parametrize("who", ["handler_a", "leader_a"])
    def test_who_may_not_submit_may_not_look_up(self, client, world, who):
        client.force_login(getattr(world, who))
        assert client.get(self.url(), {"q": "企业"}).status_code == 403

    def test_the_lookup_costs_the_same_with_more_enterprises(self, client, world, django_assert_num_queries):
        from tests import factories as f

        client.force_login(world.staff)

        def queries():
            with CaptureQueriesContext(connection) as captured:
                client.get(self.url(), {"q": "企业"})
            return len(captured)

        before = queries()
        f.EnterpriseFactory.create_batch(30, name="链上企业")
        assert queries() == before
        with django_assert_num_queries(before):
            results = client.get(self.url(), {"q": "链上企业"}).json()["results"]
        assert len(results) == 10
