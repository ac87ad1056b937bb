"""The permission matrix (tests/matrix.py): the project's own routes, accounts, the API's root and
documents, and every model in /admin/ (who edits it, who may only look)."""

from tests.matrix import BUSINESS, AdminAccess, api, everyone, page

STAFF, SECURITY, AUDITOR = frozenset({"staff"}), frozenset({"security"}), frozenset({"auditor"})
NOBODY = frozenset()  # Django's own permissions, which no role grants: the superuser's alone
SIGNED_IN = dict.fromkeys((*BUSINESS, "security", "auditor", "outsider"), 200)


def admin_site(status: int, *, signed_out: int = 302, kwargs=None, **overrides):
    """A page of the admin site itself: `status` for the three with admin access (staff, security,
    auditor); everyone else, signed out or without is_staff, gets `signed_out` (the admin's sign-in)."""
    others = {w: signed_out for w in BUSINESS if w != "staff"}
    expect = {"anonymous": signed_out, "outsider": signed_out, **others, "staff": status, "security": status}
    expect |= {"auditor": status, **overrides}
    return page(**({"kwargs": kwargs} if kwargs else {}), **expect)


def objects(world):
    """A row of each administered model the cast lacks (admin change, delete and history pages)."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.utils import timezone
    from django_celery_beat.models import (
        ClockedSchedule,
        CrontabSchedule,
        IntervalSchedule,
        PeriodicTask,
        SolarSchedule,
    )
    from rest_framework.authtoken.models import Token

    now = timezone.now()
    Token.objects.create(user=world.handler_a)
    AccessAttempt.objects.create(
        username="x", ip_address="10.0.0.1", user_agent="t", failures_since_start=1, attempt_time=now
    )
    AccessLog.objects.create(username="x", ip_address="10.0.0.1", user_agent="t", attempt_time=now)
    AccessFailureLog.objects.create(username="x", ip_address="10.0.0.1", user_agent="t", attempt_time=now)
    interval = IntervalSchedule.objects.create(every=1, period=IntervalSchedule.MINUTES)
    CrontabSchedule.objects.create(minute="1")
    SolarSchedule.objects.create(event="sunrise", latitude=23.1, longitude=113.3)
    ClockedSchedule.objects.create(clocked_time=now)
    PeriodicTask.objects.create(name="matrix", task="chainparty.tasks.requeue_jobs_task", interval=interval)
    return {}


ROUTES = {
    "home": page(security=200, auditor=200, outsider=200),
    "health": everyone(200),
    "favicon": everyone(200),
    "accounts:login": page(anonymous=200, **dict.fromkeys(SIGNED_IN, 302)),
    "accounts:logout": everyone(302, method="post"),
    "accounts:password-change": page(**SIGNED_IN),
    # one's own second factor: every signed-in account (optional for most, tests/accounts/test_twofactor.py);
    # the verification page sends a session that needs no code on to where it was going
    "accounts:two-factor": page(**SIGNED_IN),
    "accounts:two-factor-setup": page(**SIGNED_IN),
    "accounts:two-factor-verify": everyone(302),
    "set_language": everyone(302, method="post"),
    "api-root": page(anonymous=401, **SIGNED_IN),
    "api-schema": page(anonymous=401, **SIGNED_IN),
    "api-docs": page(anonymous=401, **SIGNED_IN),
    # the unit directory: every role, the administrators included (they attach accounts to units)
    "unit-list": api(outsider=403),
    "unit-detail": api(kwargs=lambda w, o: {"pk": w.dept_a.pk}, outsider=403),
    # the admin site's own pages
    "admin:index": admin_site(200),
    "admin:login": admin_site(302, signed_out=200),
    "admin:logout": everyone(302, method="post"),
    "admin:password_change": admin_site(200),
    "admin:password_change_done": admin_site(200),
    "admin:autocomplete": admin_site(403),  # no model named: refused
    "admin:jsi18n": admin_site(200),
    # No such object (pk 0): the admin answers 404 to whoever may use it.
    "admin:view_on_site": admin_site(404, kwargs=lambda w, o: {"content_type_id": 1, "object_id": 0}),
    "admin:app_list": admin_site(200, kwargs=lambda w, o: {"app_label": "accounts"}),
    "admin:auth_user_password_change": admin_site(403, kwargs=lambda w, o: {"id": w.contact_a.pk}, security=200),
    "admin/(?P<url>.*)$": admin_site(404, kwargs=lambda w, o: {"url": "nothing-here/"}),
}

ADMIN_MODELS = {
    "accounts.unit": AdminAccess(edit=STAFF),
    "accounts.user": AdminAccess(edit=SECURITY),
    "auth.group": AdminAccess(view=SECURITY, add=False, delete=False),
    "authtoken.tokenproxy": AdminAccess(edit=SECURITY),
    "accounts.auditevent": AdminAccess(view=AUDITOR, add=False, delete=False),
    "axes.accessattempt": AdminAccess(view=SECURITY | AUDITOR, add=False, delete=SECURITY),
    "axes.accesslog": AdminAccess(view=SECURITY | AUDITOR, add=False, delete=False),
    "axes.accessfailurelog": AdminAccess(view=SECURITY | AUDITOR, add=False, delete=False),
    "chainparty.job": AdminAccess(edit=NOBODY),
    "django_celery_beat.periodictask": AdminAccess(edit=NOBODY),
    "django_celery_beat.clockedschedule": AdminAccess(edit=NOBODY),
    "django_celery_beat.crontabschedule": AdminAccess(edit=NOBODY),
    "django_celery_beat.solarschedule": AdminAccess(edit=NOBODY),
    "django_celery_beat.intervalschedule": AdminAccess(edit=NOBODY),
    "chains.park": AdminAccess(edit=STAFF),
    "chains.parkfacility": AdminAccess(edit=STAFF),
    "chains.chain": AdminAccess(edit=STAFF),
    "chains.chainleadership": AdminAccess(edit=STAFF),
    "chains.chainsegment": AdminAccess(edit=STAFF),
    "chains.enterprise": AdminAccess(edit=STAFF),
    "chains.enterprisehonour": AdminAccess(edit=STAFF),
    "chains.chainmembership": AdminAccess(edit=STAFF),
    "chains.chainmaster": AdminAccess(edit=STAFF),
    "chains.taskforcemember": AdminAccess(edit=STAFF),
    "chains.cultivationmeasure": AdminAccess(edit=STAFF),
    "secretaries.posting": AdminAccess(view=STAFF, add=False, delete=STAFF),
    "secretaries.worklog": AdminAccess(view=STAFF, add=False, delete=STAFF),
    "secretaries.cadre": AdminAccess(edit=STAFF),
    "meetings.meeting": AdminAccess(view=STAFF, add=False, delete=False),
    **{
        f"partyorgs.{name}": AdminAccess(view=STAFF, add=False, delete=False)
        for name in (
            "partyorganization",
            "enterprisepartyprofile",
            "termreminder",
            "orgmeeting",
            "pairing",
            "annualpartyplan",
            "plandeadline",
        )
    },
    "workdays.calendarday": AdminAccess(edit=STAFF),
    "inbox.notification": AdminAccess(edit=STAFF, add=False, delete=False),
    "issues.issuecategory": AdminAccess(edit=STAFF),
    "issues.routingrule": AdminAccess(edit=STAFF),
    "issues.complaintsession": AdminAccess(edit=STAFF),
    "issues.issue": AdminAccess(edit=STAFF, add=False, delete=False),
    "issues.issueevent": AdminAccess(edit=STAFF, add=False, delete=False),
}
