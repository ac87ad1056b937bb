from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from accounts import twofactor
from accounts.forms import EnrolForm, LoginForm, SecondFactorForm
from accounts.passwords import password_expired


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    """Every signed-in user changes their own password here; an account whose password an
    administrator set, or whose password has expired, is sent here until it does."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("home")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["forced"] = user.must_change_password
        context["expired"] = password_expired(user)
        context["max_age_days"] = settings.PASSWORD_MAX_AGE_DAYS
        return context

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your password has been changed."))
        return response


# --- the second factor (accounts.twofactor) --------------------------------------------------------
def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(name: str, request) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    return reverse(name) + (f"?{urlencode({'next': target})}" if target else "")


@login_required
def second_factor_verify(request):
    """After the password: a code from the authenticator, or a recovery code."""
    state = twofactor.session_state(request)
    if state == twofactor.DONE:
        return redirect(_next_url(request))
    if state == twofactor.ENROL:
        return redirect(_with_next("accounts:two-factor-setup", request))
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = twofactor.verify_second_factor(user=request.user, token=form.cleaned_data["token"])
        if result.device is not None:
            twofactor.mark_done(request, result.device)
            return redirect(_next_url(request))
        form.add_error("token", result.error)
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": request.GET.get("next", "")})


@login_required
def second_factor_setup(request):
    """Set up an authenticator: its secret as a QR code drawn here, then its first code proves it.
    The secret waits in the session until then, so the page writes nothing until it is proven."""
    if twofactor.session_state(request) == twofactor.VERIFY:
        return redirect(_with_next("accounts:two-factor-verify", request))
    key = request.session.get(twofactor.ENROL_KEY) or twofactor.new_secret()
    request.session[twofactor.ENROL_KEY] = key
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = twofactor.enrol_authenticator(user=request.user, key=key, token=form.cleaned_data["token"])
        if codes is not None:
            del request.session[twofactor.ENROL_KEY]
            twofactor.mark_done(request, twofactor.authenticator(request.user))
            return _show_recovery_codes(request, codes, enrolled=True)
        form.add_error("token", _("The code does not match: check the app's clock and try the newest code."))
    context = {
        "form": form,
        "provisioning": twofactor.provisioning(request.user, key),
        "replacing": twofactor.authenticator(request.user) is not None,
        "required": twofactor.required_for(request.user),
        "next": request.GET.get("next", ""),
    }
    return render(request, "accounts/two_factor_setup.html", context)


@login_required
def second_factor(request):
    """One's own second factor: whether it is set up, the recovery codes left, new ones."""
    device = twofactor.authenticator(request.user)
    if request.method == "POST" and device is not None:
        return _show_recovery_codes(request, twofactor.regenerate_recovery_codes(user=request.user), enrolled=False)
    context = {
        "device": device,
        "codes_left": twofactor.recovery_codes_left(request.user) if device else 0,
        "required": twofactor.required_for(request.user),
    }
    return render(request, "accounts/two_factor.html", context)


def _show_recovery_codes(request, codes: list[str], *, enrolled: bool):
    # Shown in this answer only (no-store, like every signed-in page); never again.
    context = {"codes": codes, "enrolled": enrolled, "next": _next_url(request)}
    return render(request, "accounts/recovery_codes.html", context)
