from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from accounts.forms import LoginForm
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
