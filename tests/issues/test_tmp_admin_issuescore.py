import pytest
from django.urls import reverse
from issues import services
from issues.models import IssueEvent

@pytest.mark.django_db
def test_admin_pages(world, categories, calendar_2026, client, django_assert_max_num_queries):
    world.staff.is_staff = True; world.staff.save()
    issue = services.submit_issue(actor=world.contact_a, enterprise_id=world.ent_a1.pk, category_code="request", title="t", description="d")
    services.accept_issue(issue_id=issue.pk, actor=world.staff)
    client.force_login(world.staff)
    for name in ["issue", "issuecategory", "routingrule", "complaintsession", "issueevent", "notification"]:
        r = client.get(reverse(f"admin:issues_{name}_changelist"))
        assert r.status_code == 200, name
        r = client.get(reverse(f"admin:issues_{name}_add"))
        print(name, "add", r.status_code)
    r = client.get(reverse("admin:issues_issue_change", args=[issue.pk])); assert r.status_code == 200
    assert "accept" in r.content.decode()
    r = client.get(reverse("admin:issues_issue_changelist") + "?q=" + issue.number); assert issue.number in r.content.decode()
    ev = IssueEvent.objects.first()
    r = client.post(reverse("admin:issues_issueevent_delete", args=[ev.pk]), {"post": "yes"}); assert r.status_code == 403
    r = client.get(reverse("admin:issues_issueevent_change", args=[ev.pk])); assert r.status_code == 200
    r = client.post(reverse("admin:issues_issueevent_change", args=[ev.pk]), {"note": "x"}); assert r.status_code == 403
    assert IssueEvent.objects.get(pk=ev.pk).note == ev.note
    client.force_login(world.security)
    world.security.is_staff = True; world.security.save()
    assert client.get(reverse("admin:issues_issue_changelist")).status_code == 403
