"""Django admin for accounts, and the role gate every admin of the project uses.

Who may do what in /admin/ follows the roles (design §5: roles are groups), not Django's per-model
permissions, so there is one source of truth and nothing to keep in sync:

- district staff (区委两新工委) edit the business data: units, parks, chains, enterprises, chain
  masters, postings. They do not manage accounts; they may look people up (autocomplete) to name
  a chain leader, a park chief or a posted cadre.
- the security administrator manages accounts: users, their unit or enterprise, their roles, and
  sign-in lockouts. They may look units and enterprises up by name to attach an account, and see no
  other business data (三员分立).
- the audit administrator reads the audit trail (AuditEvent) and the sign-in logs, read-only, and
  exports the trail to Excel. Nobody, a superuser included, adds, changes or deletes an entry here
  (and the database refuses it anyway: see the migration's triggers).
- a superuser (an operator's break-glass account) may do everything.

Everyone needs is_staff to enter /admin/ at all; the demo gives it to staff, security and auditor.
"""

from axes import admin as axes_admin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.contrib import admin
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.admin import TokenAdmin as DrfTokenAdmin
from rest_framework.authtoken.models import TokenProxy

from accounts import audit, twofactor
from accounts.models import AuditEvent, Unit, User
from accounts.roles import Role, role_combination_error

DISTRICT_STAFF = frozenset({Role.DISTRICT_STAFF})
SECURITY = frozenset({Role.SECURITY_ADMIN})
AUDIT = frozenset({Role.AUDIT_ADMIN})
ADMINISTRATORS = frozenset({Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})


def _is_autocomplete(request) -> bool:
    match = getattr(request, "resolver_match", None)
    return bool(match and match.url_name == "autocomplete")


class RoleGate:
    """Admin permissions by role. Mix in before ModelAdmin / InlineModelAdmin.

    edit_roles may view, add, change and delete; view_roles may view; lookup_roles may only search
    this model from another model's autocomplete field (the admin's autocomplete view asks for view
    permission on the target model; nothing else opens to them).
    """

    edit_roles: frozenset = frozenset()
    view_roles: frozenset = frozenset()
    lookup_roles: frozenset = frozenset()

    @staticmethod
    def _allowed(request, roles) -> bool:
        user = request.user
        return bool(user.is_active and user.is_staff and (user.is_superuser or user.has_role(*roles)))

    def has_module_permission(self, request) -> bool:
        return self._allowed(request, self.edit_roles | self.view_roles)

    def has_view_permission(self, request, obj=None) -> bool:
        if self._allowed(request, self.edit_roles | self.view_roles):
            return True
        return _is_autocomplete(request) and self._allowed(request, self.lookup_roles)

    def has_add_permission(self, request, obj=None) -> bool:
        return self._allowed(request, self.edit_roles)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._allowed(request, self.edit_roles)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._allowed(request, self.edit_roles)


class ReadOnlyMixin:
    """View only, for every role: no add, change or delete. Mix in before BusinessAdmin."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class PersonalDataAdmin:
    """Mix in before ModelAdmin where a page shows personal data (`personal_data`: accounts.audit.PHONE
    or PARTY_MEMBERS): each GET of a change page whose object `shows_personal_data`, and of the list
    when `personal_data_in_list`, is one entry of the audit trail."""

    personal_data: object = audit.PHONE
    personal_data_in_list = False

    def shows_personal_data(self, obj) -> bool:
        return True

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)  # type: ignore[misc]
        obj = getattr(response, "context_data", {}).get("original") if audit.shown(request, response) else None
        if obj is not None and self.shows_personal_data(obj):
            audit.record_personal_data_read(request, target=obj, what=self.personal_data)
        return response

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)  # type: ignore[misc]
        if self.personal_data_in_list and audit.shown(request, response):
            audit.record_personal_data_read(request, what=self.personal_data)
        return response


class BusinessAdmin(RoleGate, admin.ModelAdmin):
    """Business data: district staff edit it; the administrators never see it (三员分立)."""

    edit_roles = DISTRICT_STAFF
    # Large tables: skip the second COUNT(*) of the unfiltered table on every filtered page.
    show_full_result_count = False


class BusinessTabularInline(RoleGate, admin.TabularInline):
    edit_roles = DISTRICT_STAFF
    extra = 0


# --- units ------------------------------------------------------------------------------------
@admin.register(Unit)
class UnitAdmin(BusinessAdmin):
    list_display = ("name", "short_name", "kind", "industry_committee", "is_active")
    list_select_related = ("industry_committee",)
    list_filter = ("kind", "is_active")
    search_fields = ("name", "short_name")
    autocomplete_fields = ("industry_committee",)
    # The security administrator attaches accounts to units.
    lookup_roles = SECURITY


# --- users ------------------------------------------------------------------------------------
def _role_label(group: Group) -> str:
    return str(Role(group.name).label) if group.name in Role.values else group.name


class UnitOrEnterpriseMixin:
    def clean(self):
        cleaned = super().clean()
        if cleaned.get("unit") and cleaned.get("enterprise"):
            raise ValidationError(
                {"enterprise": _("A user belongs to a government unit or to an enterprise, not both.")}
            )
        return cleaned

    def clean_groups(self):
        groups = self.cleaned_data.get("groups")
        if groups is not None:
            error = role_combination_error(group.name for group in groups)
            if error:
                raise ValidationError(error)
        return groups


class UserCreationForm(UnitOrEnterpriseMixin, auth_forms.AdminUserCreationForm):
    class Meta(auth_forms.AdminUserCreationForm.Meta):
        model = User
        fields = ("username", "full_name", "unit", "enterprise", "groups")


class UserChangeForm(UnitOrEnterpriseMixin, auth_forms.UserChangeForm):
    class Meta(auth_forms.UserChangeForm.Meta):
        model = User


@admin.register(User)
class UserAdmin(PersonalDataAdmin, RoleGate, auth_admin.UserAdmin):
    edit_roles = SECURITY
    # District staff name chain leaders, park chiefs and posted cadres through autocomplete.
    lookup_roles = DISTRICT_STAFF

    form = UserChangeForm
    add_form = UserCreationForm
    list_display = ("username", "full_name", "unit", "enterprise", "role_list", "is_active", "is_staff", "last_login")
    list_select_related = ("unit", "enterprise")
    list_filter = ("is_active", "is_staff", "groups", "unit__kind")
    search_fields = ("username", "full_name", "email", "unit__name", "enterprise__name")
    autocomplete_fields = ("unit", "enterprise")
    ordering = ("username",)
    filter_horizontal = ()
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("full_name", "phone", "email")}),
        (_("Unit or enterprise"), {"fields": ("unit", "enterprise")}),
        (_("Roles and access"), {"fields": ("groups", "is_active", "is_staff", "is_superuser")}),
        (_("Second factor"), {"fields": ("second_factor",)}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "usable_password", "password1", "password2", "full_name", "unit", "enterprise"),
            },
        ),
        (_("Roles and access"), {"fields": ("groups",)}),
    )
    readonly_fields = ("last_login", "date_joined", "second_factor")
    actions = ["reset_second_factor"]

    @admin.display(description=_("second factor"))
    def second_factor(self, obj: User) -> str:
        device = twofactor.authenticator(obj) if obj.pk else None
        if device is None:
            return str(_("not set up"))
        return _("authenticator since %(day)s, %(count)d recovery codes left") % {
            "day": f"{device.created_at:%Y-%m-%d}",
            "count": twofactor.recovery_codes_left(obj),
        }

    @admin.action(description=_("Reset the second factor (lost phone): a new one is set up at the next sign-in"))
    def reset_second_factor(self, request, queryset):
        reset = sum(twofactor.reset_second_factor(user=user, actor=request.user) for user in queryset)
        self.message_user(request, _("Second factor reset for %(count)d accounts.") % {"count": reset})

    def shows_personal_data(self, obj: User) -> bool:
        return bool(obj.phone)

    def get_queryset(self, request):
        users = super().get_queryset(request).prefetch_related("groups")
        if not request.user.is_superuser:
            # A superuser (the installer's break-glass account, if any) is beyond the security
            # administrator: not listed, not editable, and its password cannot be reset from here.
            users = users.filter(is_superuser=False)
        return users

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly.append("is_superuser")
            # Separation of duties: an administrator does not widen their own access.
            if obj is not None and obj.pk == request.user.pk:
                readonly += ["groups", "is_staff", "is_active"]
        return readonly

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        if db_field.name == "groups":
            # Roles are the groups named after accounts.roles.Role; show them by their labels.
            kwargs["queryset"] = Group.objects.filter(name__in=Role.values).order_by("name")
            kwargs["widget"] = forms.CheckboxSelectMultiple
            field = super().formfield_for_manytomany(db_field, request, **kwargs)
            field.label = _("roles")
            field.help_text = ""
            field.label_from_instance = _role_label
            return field
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("roles"))
    def role_list(self, obj: User) -> str:
        return "、".join(_role_label(group) for group in obj.groups.all())


# django-otp's own admin shows each authenticator's secret: nobody, the security administrator
# included, needs to read one (they reset it with the action above).
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


# --- roles (groups) ---------------------------------------------------------------------------
admin.site.unregister(Group)


@admin.register(Group)
class RoleGroupAdmin(RoleGate, admin.ModelAdmin):
    """The role groups, read-only: the roles are declared in code (accounts.roles); who holds a
    role is edited on the user."""

    view_roles = SECURITY
    list_display = ("name", "role_label", "member_count")
    search_fields = ("name",)
    ordering = ("name",)
    fields = ("name",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=Count("user"))

    @admin.display(description=_("role"))
    def role_label(self, obj: Group) -> str:
        return _role_label(obj)

    @admin.display(description=_("members"), ordering="member_count")
    def member_count(self, obj: Group) -> int:
        return obj.member_count


# --- sign-in protection and logs (django-axes) ---------------------------------------------------
# django-axes marks its labels for translation but ships no Chinese: naming them here puts them in
# our catalogue (makemessages), which Django consults first, so its admin pages read in Chinese.
AXES_LABELS = (
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("User Agent"),
    gettext_noop("IP Address"),
    gettext_noop("Username"),
    gettext_noop("HTTP Accept"),
    gettext_noop("Path"),
    gettext_noop("Attempt Time"),
    gettext_noop("Logout Time"),
    gettext_noop("Session key hash (sha256)"),
    gettext_noop("Access lock out"),
    gettext_noop("GET Data"),
    gettext_noop("POST Data"),
    gettext_noop("Failed Logins"),
    gettext_noop("Form Data"),
    gettext_noop("Meta Data"),
    gettext_noop("Locked Out"),
    gettext_noop("Attempt Remaining"),
    gettext_noop("Not set"),
    gettext_noop("Clean up expired attempts"),
)

for _model in (AccessAttempt, AccessLog, AccessFailureLog):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


class _ReadOnlyLog(ReadOnlyMixin, RoleGate):
    view_roles = ADMINISTRATORS


@admin.register(AccessAttempt)
class AccessAttemptAdmin(_ReadOnlyLog, axes_admin.AccessAttemptAdmin):
    """Failed sign-ins and lockouts. Deleting an attempt lifts the lockout: the security admin's job."""

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._allowed(request, SECURITY)

    # django-axes' two computed columns have no label of their own (the admin would show the
    # method's English name).
    @admin.display(description=_("expires at"))
    def expiration(self, obj):
        return super().expiration(obj)

    @admin.display(description=_("status"))
    def status(self, obj):
        return super().status(obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not self.has_delete_permission(request):
            actions.pop("cleanup_expired_attempts", None)
        return actions


@admin.register(AccessLog)
class AccessLogAdmin(_ReadOnlyLog, axes_admin.AccessLogAdmin):
    pass


@admin.register(AccessFailureLog)
class AccessFailureLogAdmin(_ReadOnlyLog, axes_admin.AccessFailureLogAdmin):
    pass


# --- API tokens: the security administrator issues, rotates and revokes them ----------------------
if admin.site.is_registered(TokenProxy):
    admin.site.unregister(TokenProxy)


@admin.register(TokenProxy)
class TokenAdmin(RoleGate, DrfTokenAdmin):
    """One token per account (DRF's). Rotating is deleting and adding again; a token expires after
    API_TOKEN_MAX_AGE_DAYS and dies with a password change or a deactivation (accounts.receivers)."""

    edit_roles = SECURITY
    list_display = ("masked_key", "user", "created")
    list_select_related = ("user",)
    search_fields = ("user__username", "user__full_name")
    fields = ("user",)
    actions = ["rotate"]

    def get_queryset(self, request):
        tokens = super().get_queryset(request)
        return tokens if request.user.is_superuser else tokens.filter(user__is_superuser=False)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "user" in form.base_fields and not request.user.is_superuser:
            form.base_fields["user"].queryset = User.objects.filter(is_superuser=False, is_active=True)
        return form

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # a token is issued or revoked, never edited

    @admin.display(description=_("key"))
    def masked_key(self, obj) -> str:
        return f"{obj.key[:6]}…"

    @admin.action(description=_("Rotate the selected tokens (the old keys stop working)"))
    def rotate(self, request, queryset):
        from rest_framework.authtoken.models import Token

        users = list(queryset.values_list("user_id", flat=True))
        for token in Token.objects.filter(user_id__in=users):
            token.delete()
        for user_id in users:
            Token.objects.create(user_id=user_id)
        self.message_user(request, _("%(count)d tokens rotated.") % {"count": len(users)})


# --- the audit trail -----------------------------------------------------------------------------
@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyMixin, RoleGate, admin.ModelAdmin):
    """The audit administrator's reading of the trail: filters, search, and an Excel export of what
    the filtered list shows (chainparty.jobs, exporter "accounts.audit")."""

    view_roles = AUDIT
    list_display = ("at", "kind", "actor_name", "ip_address", "target", "detail")
    list_filter = ("kind", ("at", admin.DateFieldListFilter))
    search_fields = ("actor_name", "=ip_address", "target")
    show_full_result_count = False
    list_per_page = 100
    change_list_template = "admin/accounts/auditevent/change_list.html"

    def has_view_permission(self, request, obj=None) -> bool:
        # The trail is the audit administrator's; the break-glass superuser may read it too.
        return self._allowed(request, self.view_roles)

    def has_module_permission(self, request) -> bool:
        return self._allowed(request, self.view_roles)

    def get_actions(self, request):
        return {}

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "export_params": request.GET.urlencode()}
        return super().changelist_view(request, extra_context)

    def lookup_allowed(self, lookup, value, request=None) -> bool:
        return lookup in {"kind__exact", "kind", "at__gte", "at__lt"} or super().lookup_allowed(lookup, value, request)
