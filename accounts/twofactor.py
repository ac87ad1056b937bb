"""The second factor (MLPS 2.0 level 3, identification and authentication: two factors for the
privileged accounts): a TOTP authenticator (django-otp's TOTPDevice) and one-time recovery codes.

- Who: required of district staff, the security and audit administrators, the superuser and every
  account with admin access while OTP_REQUIRED is on (`required_for`); anyone else may enrol, and
  once enrolled is asked for a code at every sign-in too.
- When: after the password. The sign-in receiver puts the session in a state (`STATE_KEY`): "verify"
  (a code is due), "enrol" (an authenticator must be set up first) or "done"; the middleware
  (accounts.security.TwoFactorMiddleware) lets a session that is not "done" reach nothing but these
  pages and signing out. Kept in the session, the state costs no query per request.
- Recovery codes: ten, shown once, stored as SHA-256 digests, each deleted when used (a DELETE that
  removes one row, so two requests racing with one code let one in); regenerating replaces them all.
- Wrong codes are throttled by django-otp (1, 2, 4, 8 … seconds between tries, recovery codes
  included) and recorded in the audit trail; so are enrolment, reset, recovery-code use and
  regeneration. The security administrator resets a user's second factor in the admin (an action on
  the user list), or an operator with `manage.py reset_second_factor USERNAME`.
- API tokens are a separate credential of the integrating systems, issued by the security
  administrator (accounts.tokens); the second factor guards interactive sign-ins, pages and admin.
"""

import hashlib
import secrets
from base64 import b32encode
from binascii import unhexlify
from dataclasses import dataclass
from typing import Any

import segno
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from accounts import audit
from accounts.models import AuditKind, RecoveryCode, User
from accounts.roles import Role

STATE_KEY = "second_factor"
VERIFY, ENROL, DONE = "verify", "enrol", "done"
ENROL_KEY = "second_factor_enrol_key"  # the secret being set up, until its first code proves it

RECOVERY_CODE_COUNT = 10
_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"  # no 0/o, 1/i/l to misread
_CODE_LENGTH = 10  # 31^10 ≈ 2^50
_REQUIRED_ROLES = (Role.DISTRICT_STAFF, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN)


def required_for(user: User) -> bool:
    return bool(settings.OTP_REQUIRED and (user.is_superuser or user.is_staff or user.has_role(*_REQUIRED_ROLES)))


def authenticator(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()


def state_at_sign_in(user: User) -> str:
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return VERIFY
    return ENROL if required_for(user) else DONE


def session_state(request: HttpRequest) -> str:
    """The session's state; a session signed in before the second factor existed gets one now."""
    state = request.session.get(STATE_KEY)
    if state not in (VERIFY, ENROL, DONE):
        state = request.session[STATE_KEY] = state_at_sign_in(request.user)  # type: ignore[arg-type]
    return state


def mark_done(request: HttpRequest, device: TOTPDevice) -> None:
    """The session has passed its second factor: a new session key (the privilege changed), and
    django-otp's own record of the device that verified it."""
    import django_otp

    request.session.cycle_key()
    request.session[STATE_KEY] = DONE
    django_otp.login(request, device)


# --- enrolment -------------------------------------------------------------------------------------
def new_secret() -> str:
    return random_hex(20)


@dataclass(frozen=True)
class Provisioning:
    url: str  # otpauth://…
    secret: str  # base32, in groups of four, for typing into the app
    qr_svg: str  # inline <svg>, drawn here: no script, no style, no third party sees the secret


def provisioning(user: User, key: str) -> Provisioning:
    device = TOTPDevice(user=user, key=key)
    secret = b32encode(unhexlify(key)).decode()
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    qr = segno.make(device.config_url, error="m")
    svg = qr.svg_inline(omitsize=True, dark="#000", light="#fff", title=gettext("QR code for your authenticator app"))
    return Provisioning(url=device.config_url, secret=grouped, qr_svg=svg)


def _totp_step(key: str, token: str) -> int | None:
    """The time step `token` matches for this secret (one step of clock drift either way), else None."""
    token = token.strip().replace(" ", "")
    if not (token.isdigit() and len(token) == 6):
        return None
    totp = TOTP(unhexlify(key))
    return totp.t() if totp.verify(int(token), tolerance=1) else None


@transaction.atomic
def enrol_authenticator(*, user: User, key: str, token: str) -> list[str] | None:
    """Set up the authenticator whose secret is `key`, proven by its current `token`; replaces any
    earlier one and its recovery codes. The new recovery codes, to show once; None when the code is
    wrong (recorded)."""
    step = _totp_step(key, token)
    if step is None:
        audit.record(AuditKind.OTP_FAILED, actor=user, target=user, detail=gettext("enrolment"))
        return None
    TOTPDevice.objects.filter(user=user).delete()
    # last_t: the code that proved the secret cannot sign in a second time.
    TOTPDevice.objects.create(user=user, key=key, name="TOTP", confirmed=True, last_t=step)
    audit.record(AuditKind.OTP_ENROLLED, actor=user, target=user)
    return _new_recovery_codes(user)


# --- verification ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Verification:
    device: TOTPDevice | None
    error: str = ""


def _digest(code: str) -> str:
    normalised = "".join(ch for ch in code.lower() if ch.isalnum())
    return hashlib.sha256(normalised.encode()).hexdigest()


def verify_second_factor(*, user: User, token: str) -> Verification:
    """Check a code from the authenticator or a recovery code (either in the one field)."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).order_by("-pk").first()
        if device is None:
            return Verification(None, gettext("No authenticator is set up for this account."))
        allowed, info = device.verify_is_allowed()
        if not allowed:
            wait = _seconds_until(info)
            audit.record(AuditKind.OTP_FAILED, actor=user, target=user, detail=gettext("throttled"))
            return Verification(
                None,
                gettext("Too many wrong codes: wait %(seconds)d seconds and try again.") % {"seconds": wait},
            )
        token = (token or "").strip()
        digits = token.replace(" ", "")
        if digits.isdigit() and len(digits) == device.digits:
            if device.verify_token(digits):  # saves the device: its last step, or its throttle
                audit.record(AuditKind.OTP_VERIFIED, actor=user, target=user)
                return Verification(device)
        elif token:
            deleted, _rows = RecoveryCode.objects.filter(user=user, digest=_digest(token)).delete()
            if deleted:
                device.throttle_reset()
                left = RecoveryCode.objects.filter(user=user).count()
                audit.record(
                    AuditKind.RECOVERY_CODE_USED,
                    actor=user,
                    target=user,
                    detail=gettext("%(count)d left") % {"count": left},
                )
                return Verification(device)
            device.throttle_increment()
    audit.record(AuditKind.OTP_FAILED, actor=user, target=user)
    return Verification(None, gettext("The code is wrong or has already been used."))


def _seconds_until(info: dict[str, Any] | None) -> int:
    from django.utils import timezone

    until = (info or {}).get("locked_until")
    return max(1, int((until - timezone.now()).total_seconds()) + 1) if until else 1


# --- recovery codes --------------------------------------------------------------------------------
def _new_recovery_codes(user: User) -> list[str]:
    codes = ["".join(secrets.choice(_ALPHABET) for _ in range(_CODE_LENGTH)) for _ in range(RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.filter(user=user).delete()
    RecoveryCode.objects.bulk_create(RecoveryCode(user=user, digest=_digest(code)) for code in codes)
    audit.record(AuditKind.RECOVERY_CODES_CREATED, actor=user, target=user, detail=str(len(codes)))
    return [f"{code[:5]}-{code[5:]}" for code in codes]


@transaction.atomic
def regenerate_recovery_codes(*, user: User) -> list[str]:
    """New codes for an enrolled user (the old ones stop working); shown once."""
    if authenticator(user) is None:
        raise ValueError("no authenticator")
    return _new_recovery_codes(user)


def recovery_codes_left(user: User) -> int:
    return RecoveryCode.objects.filter(user=user).count()


# --- reset -----------------------------------------------------------------------------------------
@transaction.atomic
def reset_second_factor(*, user: User, actor: User | None = None, actor_name: str = "") -> bool:
    """Remove a user's authenticator and recovery codes (a lost phone): at the next sign-in a
    required user sets up a new one. Recorded with who reset it; False when there was nothing."""
    devices, _rows = TOTPDevice.objects.filter(user=user).delete()
    codes, _rows = RecoveryCode.objects.filter(user=user).delete()
    if not (devices or codes):
        return False
    audit.record(AuditKind.OTP_RESET, actor=actor, actor_name=actor_name, target=user)
    return True
