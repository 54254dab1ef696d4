from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone


class User(AbstractUser):
    """The site's user; custom from the first migration so fields can be added later."""

    # When the current authenticator was confirmed; None while there is none.
    two_factor_enrolled_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Enrolling from a password-only sign-in is allowed for ADMIN_2FA_ENROL_GRACE_DAYS from this
    # moment: the account's creation, or for accounts older than invitations, their arrival.
    two_factor_grace_from = models.DateTimeField(default=timezone.now, editable=False)


class InvitationQuerySet(models.QuerySet):
    def usable(self):
        """Invitations whose link still works: not used, not revoked, not expired."""
        return self.filter(
            used_at=None, revoked_at=None, expires_at__gt=timezone.now(), user__is_active=True
        )


class Invitation(models.Model):
    """A one-use link by email where someone sets their password and enrols an authenticator.

    The link carries the id and an HMAC of the id and `nonce` under SECRET_KEY (see
    users/invitations.py): neither the database alone nor a guess makes one, and the row says
    whether it still works.
    """

    class Reason(models.TextChoices):
        NEW = "new", "New account"
        RESENT = "resent", "Sent again"
        RESET = "reset", "Two-factor reset"
        COMMAND = "command", "Link from manage.py"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.CharField(max_length=16, choices=Reason.choices, default=Reason.NEW)
    nonce = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"], name="users_invitation_user_idx")]

    def __str__(self):
        return f"Invitation for {self.user} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def is_usable(self):
        return (
            self.used_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
            and self.user.is_active
        )
