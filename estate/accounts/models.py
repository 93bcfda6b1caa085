"""Users and their roles per office."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from estate.accounts.roles import COMPANY_WIDE, Role


class User(AbstractUser):
    """A login: staff (with roles in ``StaffRole``) or a resident (linked from ``Resident.user``)."""

    display_name = models.CharField(_("display name"), max_length=60, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username


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
    """Failed sign-ins for one key (a phone number, an address): slowed, then locked for a while."""

    key = models.CharField(max_length=80, unique=True)
    failures = models.PositiveSmallIntegerField(default=0)
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
