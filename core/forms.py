from django import forms


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
