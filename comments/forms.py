from django import forms

from comments.models import CommentReport
from core.forms import TimeTrap
from core.text import clean_text

NAME_MAX = 80


# When the form was handed out: comments.views refuses one sent back within seconds, and
# one whose stamp already carried a comment.
_started = TimeTrap("comments.started")
started_token = _started.token
read_started = _started.read
use_started = _started.use


class PlainTextField(forms.CharField):
    """Text cleaned of control characters before validation, so a stray NUL is dropped too."""

    def to_python(self, value):
        return clean_text(super().to_python(value))


PARENT_GONE = "The comment you replied to is not on this page, or is no longer shown."


class CommentForm(forms.Form):
    name = PlainTextField(label="Name", max_length=NAME_MAX)
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="Never shown. We send you one link to confirm it's yours.",
    )
    body = PlainTextField(label="Comment", widget=forms.Textarea(attrs={"rows": 6}))
    notify_replies = forms.BooleanField(label="Email me when someone replies", required=False)
    parent = forms.IntegerField(
        required=False,
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={"invalid": PARENT_GONE, "min_value": PARENT_GONE},
    )
    started = forms.CharField(required=False, widget=forms.HiddenInput)
    privacy_checked = forms.BooleanField(required=False, widget=forms.HiddenInput)
    # Honeypot: hidden from people by CSS and from assistive technology; bots fill it in.
    website = forms.CharField(
        label="Leave this empty",
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, max_length=5000, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_length = max_length
        self.fields["body"].max_length = max_length
        self.fields["body"].widget.attrs.update(
            {"maxlength": str(max_length), "data-counter": "comment-counter"}
        )
        self.fields["body"].help_text = (
            f"Plain text, up to {max_length:,} characters. Links become clickable; HTML is shown "
            "as typed."
        )

    def clean_name(self):
        name = " ".join(clean_text(self.cleaned_data["name"]).split())
        if not name:
            raise forms.ValidationError("Please give a name; it can be a first name or initials.")
        return name

    def clean_body(self):
        body = clean_text(self.cleaned_data["body"])
        if not body:
            raise forms.ValidationError("Please write a comment.")
        if len(body) > self.max_length:
            raise forms.ValidationError(
                f"Please keep your comment under {self.max_length:,} characters "
                f"(it has {len(body):,})."
            )
        return body

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class EditForm(forms.Form):
    body = PlainTextField(label="Comment", widget=forms.Textarea(attrs={"rows": 6}))
    privacy_checked = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, max_length=5000, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_length = max_length

    def clean_body(self):
        body = clean_text(self.cleaned_data["body"])
        if not body:
            raise forms.ValidationError("Please write a comment, or delete it instead.")
        if len(body) > self.max_length:
            raise forms.ValidationError(
                f"Please keep your comment under {self.max_length:,} characters."
            )
        return body


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label="What is wrong with this comment?",
        choices=CommentReport.Reason.choices,
        widget=forms.RadioSelect,
    )
