"""Users and their roles per office."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from estate.accounts.roles import COMPANY_WIDE, Role


class User(AbstractUser):
    """A login: staff (with roles in ``StaffRole``) or a resident (linked from ``Resident.user``)."""

    display_name = models.CharField(_("display name"), max_length=60, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_(
            "Of the notifications, texts and emails sent to this person; "
            "empty: the default (Traditional Chinese). Set by the language switcher."
        ),
    )
    # Raised by "sign out everywhere": every session signed in before it no longer matches.
    session_generation = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    def save(self, **kwargs: Any) -> None:
        password_changed = self._password is not None and not self._state.adding  # type: ignore[attr-defined]
        super().save(**kwargs)
        if password_changed:
            # A new password ends every API token, however it was set (the account page, the
            # admin, `changepassword`); sessions end too, their hash is of the password.
            ApiToken.objects.revoke_all(self)

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        return salted_hmac(
            "estate.accounts.User.session",
            f"{self.password}/{self.session_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()


class StaffRole(models.Model):
    """One role of a staff member (職務): in an office, or company-wide for leadership and administrators."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="staff_roles")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    company = models.ForeignKey(
        "properties.Company", on_delete=models.CASCADE, related_name="staff_roles"
    )
    office = models.ForeignKey(
        "properties.Office",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="staff_roles",
        help_text=_("Empty for company-wide roles (leadership, administrator)."),
    )
    service_unit = models.ForeignKey(
        "properties.ServiceUnit",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="staff_roles",
        help_text=_("The team a team lead or worker belongs to."),
    )

    class Meta:
        verbose_name = _("staff role")
        verbose_name_plural = _("staff roles")
        constraints = [
            models.CheckConstraint(
                name="staffrole_office_unless_company_wide",
                condition=Q(role__in=sorted(r.value for r in COMPANY_WIDE), office__isnull=True)
                | (~Q(role__in=sorted(r.value for r in COMPANY_WIDE)) & Q(office__isnull=False)),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "office", "service_unit"],
                condition=Q(office__isnull=False),
                name="staffrole_unique_in_office",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "company"],
                condition=Q(office__isnull=True),
                name="staffrole_unique_company_wide",
            ),
        ]

    def __str__(self) -> str:
        where = self.office or self.company
        return f"{self.user} · {self.get_role_display()} · {where}"


class SignInThrottle(models.Model):
    """Events counted for one key (wrong tries at an account or from an address, codes sent to a
    number) in a window: slowed, then locked for a while (``accounts.throttle``)."""

    key = models.CharField(max_length=80, unique=True)
    failures = models.PositiveSmallIntegerField(default=0)
    window_started_at = models.DateTimeField(null=True, blank=True)
    last_failure_at = models.DateTimeField(null=True, blank=True)
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("sign-in throttle")
        verbose_name_plural = _("sign-in throttles")

    def __str__(self) -> str:
        return self.key


class OneTimeCode(models.Model):
    """A sign-in code sent by SMS to a resident (一次性驗證碼): valid for minutes, used once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="one_time_codes")
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")
        indexes = [models.Index(fields=["user", "created_at"], name="otc_user_created")]

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d %H:%M}"


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def live(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())

    def revoke_all(self, user: User, *, by: User | None = None) -> int:
        return self.filter(user=user).live().update(revoked_at=timezone.now(), revoked_by=by)


class ApiToken(models.Model):
    """A key for the API (``Authorization: Token …``), one per app or device of a person.

    Only a digest of the key is kept; the key is shown once, when it is made. A token ends at
    ``expires_at``, when it is revoked, when its owner's password changes and when the owner
    signs out everywhere."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=60, blank=True)
    prefix = models.CharField(_("begins with"), max_length=8)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("made at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… {self.name}".strip()

    @property
    def live(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
