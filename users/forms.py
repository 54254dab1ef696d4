from django import forms
from django.contrib.auth import get_user_model, password_validation
from wagtail.users.forms import UserCreationForm

# Long enough for any password manager; hashing a megabyte would be a cheap way to load the server.
MAX_PASSWORD_LENGTH = 1024


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=32,
        help_text="The 6-digit code your authenticator app shows now.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"}
        ),
    )

    def clean_code(self):
        """Codes are read aloud or copied with spaces; none of our codes contain any."""
        return "".join(self.cleaned_data["code"].split()).lower()


def _password_field(label, help_text=""):
    return forms.CharField(
        label=label,
        help_text=help_text,
        strip=False,
        max_length=MAX_PASSWORD_LENGTH,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class AcceptInvitationForm(forms.Form):
    """Choose a password and confirm the authenticator with a code, both at once."""

    password1 = _password_field("Choose a password")
    password2 = _password_field("The same password again")
    code = CodeForm.base_fields["code"]

    clean_code = CodeForm.clean_code

    def __init__(self, *args, user, device, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.device = user, device
        help_text = password_validation.password_validators_help_text_html()
        self.fields["password1"].help_text = help_text

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2:
            if password1 != password2:
                self.add_error("password2", "The two passwords are not the same.")
            else:
                try:
                    password_validation.validate_password(password1, self.user)
                except forms.ValidationError as error:
                    self.add_error("password1", error)
        code = cleaned.get("code")
        # The code is checked last, so a refused password does not use up the code shown now.
        if code and not self.errors:
            # The person sees the key already: no point making them wait after a typo.
            self.device.throttle_reset(commit=False)
            if not self.device.verify_token(code):
                self.add_error(
                    "code",
                    "That code is not right. Enter the code your app shows now; if it still "
                    "fails, check that the time on your phone is set automatically.",
                )
        return cleaned


class GroupsField(forms.ModelMultipleChoiceField):
    """Refuses ids the database could not hold, instead of failing on them."""

    def _check_values(self, value):
        for pk in value:
            if not (isinstance(pk, str) and pk.isascii() and pk.isdigit() and len(pk) <= 18):
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class InviteForm(UserCreationForm):
    """Wagtail's "Add user" form without passwords: the person chooses theirs from the link."""

    password_enabled = False

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].help_text = "The invitation is sent to this address."
        groups = self.fields["groups"]
        self.fields["groups"] = GroupsField(
            queryset=groups.queryset,
            required=False,
            widget=groups.widget,
            label=groups.label,
            help_text=groups.help_text,
        )
        if not (for_user and for_user.is_superuser):
            # Only a superuser makes another; the template shows the box either way.
            self.fields["is_superuser"].disabled = True

    def clean_email(self):
        email = self.cleaned_data["email"]
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                "Someone already has an account with this address. To give them a new link, "
                "use “Send a new invitation” next to them in the list of users."
            )
        return email
