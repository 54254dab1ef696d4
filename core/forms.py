from django import forms
from django.core import signing
from django.utils import timezone


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
    )

    def clean_email(self):
        return normalise_email(self.cleaned_data["email"])


class TimeTrap:
    """A signed time stamp of when a form was handed out: a form sent back within seconds was
    filled in by a program, not a person. One salt per form, so stamps do not cross over."""

    def __init__(self, salt, max_age=2 * 24 * 3600):
        self.salt = salt
        self.max_age = max_age

    def token(self, now=None):
        return signing.dumps((now or timezone.now()).timestamp(), salt=self.salt)

    def read(self, token):
        """When the form was handed out, or None for a missing, forged or stale stamp."""
        try:
            stamp = signing.loads(token, salt=self.salt, max_age=self.max_age)
        except (signing.BadSignature, TypeError, ValueError):
            return None
        return timezone.datetime.fromtimestamp(float(stamp), tz=timezone.UTC)
