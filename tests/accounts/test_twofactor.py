"""The second factor (TOTP, django-otp) through the real sign-in, admin and API, with OTP_REQUIRED on
as in production: required of district staff and the administrators, optional for the others; the
enrolment page with its server-drawn QR code; the code after the password, throttled; recovery codes
that work once; the security administrator's reset; each step in the audit trail once, with its
actor and address."""

from datetime import timedelta
from urllib.parse import quote

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from accounts import twofactor
from accounts.models import AuditKind, RecoveryCode
from tests import factories as f
from tests.accounts.trail import events, mark, only

pytestmark = pytest.mark.django_db

PASSWORD = "Correct-Horse-42"
IP = "10.4.4.4"
SETUP, VERIFY, MINE = "/accounts/two-factor/setup/", "/accounts/two-factor/verify/", "/accounts/two-factor/"


@pytest.fixture(autouse=True)
def otp_required(settings, world):
    settings.OTP_REQUIRED = True
    mark()


def sign_in(client, username, url="/accounts/login/", next_url=""):
    data = {"username": username, "password": PASSWORD, **({"next": next_url} if next_url else {})}
    return client.post(url + (f"?next={quote(next_url)}" if next_url else ""), data, REMOTE_ADDR=IP)


def code(key: str, *, later: int = 0) -> str:
    totp = TOTP(bytes.fromhex(key))
    totp.time = timezone.now().timestamp() + later
    return f"{totp.token():06d}"


def authenticator_for(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="TOTP", confirmed=True)


def enrolled(user) -> tuple[TOTPDevice, list[str]]:
    key = twofactor.new_secret()
    codes = twofactor.enrol_authenticator(user=user, key=key, token=code(key))
    assert codes is not None
    device = TOTPDevice.objects.get(user=user)
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)  # the enrolment's code is not the test's
    device.refresh_from_db()
    mark()
    return device, codes


def verify(client, token, next_url=""):
    return client.post(VERIFY, {"token": token, "next": next_url}, REMOTE_ADDR=IP)


def fully_signed_in(client, user) -> TOTPDevice:
    device, _codes = enrolled(user)
    sign_in(client, user.username)
    assert verify(client, code(device.key)).status_code == 302
    return device


class TestWhoMustUseIt:
    @pytest.mark.parametrize(
        ("who", "required"),
        [
            ("staff", True),
            ("security", True),
            ("auditor", True),
            ("leader_a", False),
            ("handler_a", False),
            ("contact_a", False),
        ],
    )
    def test_district_staff_and_the_administrators_must_others_may(self, world, who, required):
        assert twofactor.required_for(getattr(world, who)) is required

    def test_any_account_with_admin_access_must(self, world):
        world.leader_a.is_staff = True
        assert twofactor.required_for(world.leader_a)

    def test_nobody_must_when_the_setting_is_off(self, world, settings):
        settings.OTP_REQUIRED = False
        assert not twofactor.required_for(world.staff)


class TestEnrolment:
    def test_staff_after_the_password_must_set_up_an_authenticator_before_anything(self, world, client):
        assert sign_in(client, "staff").status_code == 302
        home = client.get("/")
        assert home.status_code == 302
        assert home["Location"] == f"{SETUP}?next=%2F"
        assert client.get("/chains/").status_code == 302
        assert client.get("/accounts/password/").status_code == 302
        api = client.get("/api/v1/chains/")
        assert api.status_code == 403
        assert api.json()["code"] == "second_factor_required"

        page = client.get(SETUP + "?next=/chains/")
        assert page.status_code == 200
        html = page.content.decode()
        assert "设置双因素认证" in html
        assert "<svg" in html
        assert "style=" not in html.split("<svg", 1)[1].split("</svg>", 1)[0]
        assert not TOTPDevice.objects.filter(user=world.staff).exists()  # nothing written until proven

        key = client.session[twofactor.ENROL_KEY]
        done = client.post(SETUP, {"token": code(key), "next": "/chains/"}, REMOTE_ADDR=IP)

        assert done.status_code == 200
        codes = done.context["codes"]
        assert len(codes) == twofactor.RECOVERY_CODE_COUNT
        assert all(c in done.content.decode() for c in codes)
        assert client.get("/chains/").status_code == 200
        enrolled_event = only(AuditKind.OTP_ENROLLED)
        assert (enrolled_event.actor, enrolled_event.ip_address) == (world.staff, IP)
        assert only(AuditKind.RECOVERY_CODES_CREATED).actor == world.staff

    def test_a_wrong_code_sets_nothing_up_and_is_recorded(self, world, client):
        sign_in(client, "security")
        client.get(SETUP)
        key = client.session[twofactor.ENROL_KEY]
        wrong = f"{(int(code(key)) + 1) % 1_000_000:06d}"

        page = client.post(SETUP, {"token": wrong}, REMOTE_ADDR=IP)

        assert page.status_code == 200
        assert "验证码不对" in page.content.decode()
        assert not TOTPDevice.objects.filter(user=world.security).exists()
        failed = only(AuditKind.OTP_FAILED)
        assert (failed.actor, failed.ip_address) == (world.security, IP)
        assert client.get("/admin/").status_code == 302

    def test_an_enterprise_contact_signs_in_without_one(self, world, client):
        assert sign_in(client, "contact_a").status_code == 302
        assert client.get("/").status_code == 200
        assert client.get(MINE).status_code == 200

    def test_a_contact_may_set_one_up_and_is_then_asked_for_it(self, world, client):
        sign_in(client, "contact_a")
        client.get(SETUP)
        key = client.session[twofactor.ENROL_KEY]
        assert client.post(SETUP, {"token": code(key)}).status_code == 200
        client.post("/accounts/logout/")

        sign_in(client, "contact_a")

        assert client.get("/issues/")["Location"].startswith(VERIFY)


class TestVerification:
    def test_staff_with_an_authenticator_gives_its_code_after_the_password(self, world, client):
        device = authenticator_for(world.staff)
        sign_in(client, "staff")
        assert client.get("/issues/")["Location"] == f"{VERIFY}?next=%2Fissues%2F"

        page = verify(client, "000000" if code(device.key) != "000000" else "111111", "/issues/")
        assert page.status_code == 200
        assert "验证码不对或已用过" in page.content.decode()
        failed = only(AuditKind.OTP_FAILED)
        assert (failed.actor, failed.ip_address) == (world.staff, IP)

        # django-otp's throttle: right after a wrong code even the right one waits a second.
        throttled = verify(client, code(device.key), "/issues/")
        assert throttled.status_code == 200
        assert "秒后再试" in throttled.content.decode()

        with time_machine.travel(timezone.now() + timedelta(seconds=3)):
            done = verify(client, code(device.key), "/issues/")
            assert done.status_code == 302
            assert done["Location"] == "/issues/"
            assert client.get("/issues/").status_code == 200
        verified = only(AuditKind.OTP_VERIFIED)
        assert (verified.actor, verified.ip_address) == (world.staff, IP)

    def test_a_code_is_accepted_once(self, world, client):
        device = authenticator_for(world.staff)
        token = code(device.key)
        sign_in(client, "staff")
        assert verify(client, token).status_code == 302
        client.post("/accounts/logout/")
        sign_in(client, "staff")
        assert verify(client, token).status_code == 200

    def test_the_next_address_must_be_ours(self, world, client):
        device = authenticator_for(world.staff)
        sign_in(client, "staff")
        assert verify(client, code(device.key), "https://evil.example/")["Location"] == "/"

    def test_the_api_through_a_session_waits_for_the_second_factor(self, world, client):
        device = authenticator_for(world.leader_a)
        sign_in(client, "leader_a")
        assert client.get("/api/v1/chains/").status_code == 403
        verify(client, code(device.key))
        assert client.get("/api/v1/chains/").status_code == 200

    def test_an_api_token_is_a_credential_of_its_own(self, world, api):
        # Tokens belong to the integrating systems and are issued by the security administrator
        # (accounts.tokens): no second factor, but expiry, revocation and an audited use.
        authenticator_for(world.staff)
        token = Token.objects.create(user=world.staff)
        api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        assert api.get("/api/v1/chains/").status_code == 200


class TestRecoveryCodes:
    def test_a_recovery_code_signs_in_once(self, world, client):
        _device, codes = enrolled(world.staff)
        sign_in(client, "staff")

        assert verify(client, codes[0].upper().replace("-", " ")).status_code == 302
        assert client.get("/").status_code == 200
        used = only(AuditKind.RECOVERY_CODE_USED)
        assert (used.actor, used.ip_address) == (world.staff, IP)
        assert "9" in used.detail

        client.post("/accounts/logout/")
        sign_in(client, "staff")
        assert verify(client, codes[0]).status_code == 200
        with time_machine.travel(timezone.now() + timedelta(seconds=3)):
            assert verify(client, codes[1]).status_code == 302
        assert len(events(AuditKind.RECOVERY_CODE_USED)) == 2
        assert twofactor.recovery_codes_left(world.staff) == 8

    def test_only_digests_are_stored(self, world):
        _device, codes = enrolled(world.contact_a)
        stored = set(RecoveryCode.objects.filter(user=world.contact_a).values_list("digest", flat=True))
        assert len(stored) == len(codes)
        assert not stored & {c.replace("-", "") for c in codes}

    def test_new_codes_replace_the_old_ones(self, world, client):
        fully_signed_in(client, world.staff)
        before = set(RecoveryCode.objects.filter(user=world.staff).values_list("digest", flat=True))

        page = client.post(MINE, REMOTE_ADDR=IP)

        assert page.status_code == 200
        assert len(page.context["codes"]) == twofactor.RECOVERY_CODE_COUNT
        after = set(RecoveryCode.objects.filter(user=world.staff).values_list("digest", flat=True))
        assert before
        assert not before & after
        assert only(AuditKind.RECOVERY_CODES_CREATED).ip_address == IP
        assert "10" in client.get(MINE).content.decode()


class TestAdmin:
    def test_the_admin_sign_in_asks_for_the_second_factor_too(self, world, client):
        world.security.is_staff = True
        world.security.save(update_fields=["is_staff"])
        device = authenticator_for(world.security)

        response = sign_in(client, "security", url="/admin/login/", next_url="/admin/")
        assert response.status_code == 302
        admin = client.get("/admin/")
        assert admin.status_code == 302
        assert admin["Location"] == f"{VERIFY}?next=%2Fadmin%2F"
        assert client.get("/admin/accounts/user/").status_code == 302

        assert verify(client, code(device.key), "/admin/")["Location"] == "/admin/"
        assert client.get("/admin/accounts/user/").status_code == 200

    def test_the_security_administrator_resets_a_lost_second_factor(self, world, client):
        world.security.is_staff = True
        world.security.save(update_fields=["is_staff"])
        authenticator_for(world.staff)
        fully_signed_in(client, world.security)
        assert "未设置" not in client.get(f"/admin/accounts/user/{world.staff.pk}/change/").content.decode()

        response = client.post(
            "/admin/accounts/user/",
            {"action": "reset_second_factor", "_selected_action": [world.staff.pk]},
            REMOTE_ADDR=IP,
        )

        assert response.status_code == 302
        assert not TOTPDevice.objects.filter(user=world.staff).exists()
        reset = only(AuditKind.OTP_RESET)
        assert (reset.actor, reset.target_id, reset.ip_address) == (world.security, str(world.staff.pk), IP)
        assert "未设置" in client.get(f"/admin/accounts/user/{world.staff.pk}/change/").content.decode()

        client.post("/accounts/logout/")
        sign_in(client, "staff")
        assert client.get("/")["Location"].startswith(SETUP)

    def test_district_staff_cannot_reset_anyone(self, world, client):
        world.staff.is_staff = True
        world.staff.save(update_fields=["is_staff"])
        authenticator_for(world.leader_a)
        fully_signed_in(client, world.staff)
        response = client.post(
            "/admin/accounts/user/", {"action": "reset_second_factor", "_selected_action": [world.leader_a.pk]}
        )
        assert response.status_code == 403
        assert TOTPDevice.objects.filter(user=world.leader_a).exists()
        assert not events(AuditKind.OTP_RESET)

    def test_nobody_reads_an_authenticator_secret_in_the_admin(self, world, client):
        world.security.is_staff = True
        world.security.save(update_fields=["is_staff"])
        fully_signed_in(client, world.security)
        assert client.get("/admin/otp_totp/totpdevice/").status_code == 404

    def test_an_operator_resets_the_security_administrator(self, world):
        authenticator_for(world.security)
        call_command("reset_second_factor", "security")
        assert not TOTPDevice.objects.filter(user=world.security).exists()
        assert only(AuditKind.OTP_RESET).actor_name == "manage.py reset_second_factor"


def test_the_verification_page_costs_a_fixed_number_of_queries(world, client, django_assert_max_num_queries):
    authenticator_for(world.staff)
    f.UserFactory.create_batch(3)
    sign_in(client, "staff")
    with django_assert_max_num_queries(6):
        assert client.get(VERIFY).status_code == 200
