import hashlib
import secrets
import unicodedata

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils import timezone


def refuse_invisible_characters(value):
    """No direction override, zero-width or other invisible character anywhere in an address:
    Django accepts them in an international domain, and shown back on a page they reorder or
    hide the text around them."""
    if any(unicodedata.category(character) in {"Cf", "Cc"} for character in value or ""):
        raise ValidationError(
            "Please enter an email address like name@example.org.", code="invalid"
        )


def normalise_email(email):
    """One spelling per address, so limits, look-ups and hashes agree."""
    return (email or "").strip().lower()


class EmailAddressForm(forms.Form):
    """The one-field "Email address" form behind every emailed link."""

    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Please enter your email address.",
            "invalid": "Please enter an email address like name@example.org.",
            "max_length": "This email address is too long (at most 254 characters).",
            "null_characters_not_allowed": "Please enter an email address like name@example.org.",
        },
        validators=[refuse_invisible_characters],
    )

    def clean_email(self):
        return normalise_email(self.cleaned_data["email"])


class TimeTrap:
    """A signed time stamp of when a form was handed out: a form sent back within seconds was
    filled in by a program, not a person. One salt per form, so stamps do not cross over.

    Each stamp carries a random nonce and is used up when its form is accepted (`use`), in the
    database that every process shares: one stamp cannot carry a second post, however many are
    sent at once. A form refused for something the writer can fix keeps its stamp."""

    def __init__(self, salt, max_age=2 * 24 * 3600):
        self.salt = salt
        self.max_age = max_age

    def token(self, now=None):
        stamp = (now or timezone.now()).timestamp()
        return signing.dumps([stamp, secrets.token_urlsafe(12)], salt=self.salt)

    def _load(self, token):
        """(when, nonce), or None for a missing, forged or stale stamp."""
        try:
            value = signing.loads(token, salt=self.salt, max_age=self.max_age)
            if isinstance(value, list) and len(value) == 2:
                stamp, nonce = float(value[0]), str(value[1])
            else:
                # A stamp handed out before stamps had a nonce: the signed token names it.
                stamp, nonce = float(value), hashlib.sha256(token.encode()).hexdigest()[:16]
            return timezone.datetime.fromtimestamp(stamp, tz=timezone.UTC), nonce
        except (signing.BadSignature, TypeError, ValueError, OverflowError, OSError):
            return None

    def read(self, token):
        """When the form was handed out, or None for a missing, forged or stale stamp."""
        loaded = self._load(token)
        return loaded[0] if loaded else None

    def use(self, token):
        """Use the stamp up: True the first time only; False for a used or invalid stamp."""
        from core.ratelimit import claim

        loaded = self._load(token)
        return loaded is not None and claim(f"timetrap:{self.salt}:{loaded[1]}", self.max_age)
