from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password-change"),
    path("two-factor/", views.second_factor, name="two-factor"),
    path("two-factor/verify/", views.second_factor_verify, name="two-factor-verify"),
    path("two-factor/setup/", views.second_factor_setup, name="two-factor-setup"),
]
