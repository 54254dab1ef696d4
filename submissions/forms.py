from django import forms
from django.conf import settings
from django.utils import timezone

from blog.models import Topic
from core.forms import TimeTrap, normalise_email
from core.text import clean_text
from submissions.photos import PhotoError, reencode_photo
from submissions.services import Body

MIN_SECONDS_TO_SUBMIT = 10
STARTED_MAX_AGE = 7 * 24 * 3600
TEXT_MAX = 30_000
TOO_QUICK = (
    "That was quicker than we expect a person to fill in this form. Please check your "
    "submission and send it again."
)
HONEYPOT = "Your submission could not be sent."
ALREADY_SENT = (
    "This form has already been sent, and your submission was received the first time: the "
    "email we sent you links to it. To send another post, send the form again."
)


# When the form was handed out, for the minimum-time check; used up by the submission it brings.
_started = TimeTrap("submissions.started", max_age=STARTED_MAX_AGE)
started_token = _started.token
read_started = _started.read
use_started = _started.use


class PlainText(forms.CharField):
    """Text cleaned of control characters; `max_length` is checked on what is kept."""

    def __init__(self, *, label, max_length, required=True, area=False, **kwargs):
        messages = {
            "required": f"Please fill in “{label}”.",
            "max_length": f"Please keep “{label}” under {max_length:,} characters "
            "(it has %(show_value)s).",
        }
        self.area = area
        widget = forms.Textarea if area else forms.TextInput
        super().__init__(
            label=label,
            max_length=max_length,
            required=required,
            widget=widget,
            error_messages=messages,
            **kwargs,
        )

    def to_python(self, value):
        text = clean_text(super().to_python(value))
        return text if self.area else " ".join(text.split())


def _size(limit):
    if limit >= 1024 * 1024:
        return f"{limit / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")
    return f"{max(limit // 1024, 1)} KB"


def _read_upload(upload, limit, too_big):
    if upload.size > limit:
        raise forms.ValidationError(too_big)
    return upload.read(limit + 1)


class BodyFields(forms.Form):
    """The post itself: typed text or a Word document, never both."""

    body_text = PlainText(label="Your post", max_length=TEXT_MAX, required=False, area=True)
    document = forms.FileField(
        label="Or upload a Word document (.docx)",
        required=False,
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".docx,application/vnd.openxmlformats-officedocument."
                "wordprocessingml.document"
            }
        ),
    )
    body_required = True

    def clean_document(self):
        from submissions.documents import DocumentError, check_docx

        upload = self.cleaned_data.get("document")
        if not upload:
            return None
        limit = settings.SUBMISSIONS_MAX_DOCX_BYTES
        if not upload.name.lower().endswith(".docx"):
            raise forms.ValidationError(
                "Please upload a Word document ending in .docx, or paste your text instead."
            )
        too_big = (
            f"This file is too large: please upload a document of at most {_size(limit)}. "
            "Make the images in it smaller (in Word: Compress Pictures) and upload it again."
        )
        data = _read_upload(upload, limit, too_big)
        try:
            check_docx(data, max_bytes=limit)
        except DocumentError as error:
            raise forms.ValidationError(error.message) from None
        return data

    def clean(self):
        cleaned = super().clean()
        text, document = cleaned.get("body_text"), cleaned.get("document")
        if self.errors.get("document") or self.errors.get("body_text"):
            return cleaned
        if text and document:
            self.add_error(
                "document",
                "Please either type or paste your post, or upload a document, not both.",
            )
        elif not text and not document and self.body_required:
            self.add_error("body_text", "Please type or paste your post, or upload a document.")
        return cleaned

    def body(self):
        """The Body to store, or None when nothing was given."""
        if self.cleaned_data.get("document"):
            return Body(source="docx", document=self.cleaned_data["document"])
        if self.cleaned_data.get("body_text"):
            return Body(source="typed", text=self.cleaned_data["body_text"])
        return None


class SubmissionForm(BodyFields):
    name = PlainText(
        label="Your name", max_length=120, help_text="As it should appear on the post."
    )
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="Never shown. We send your private status link here.",
        error_messages={
            "required": "Please enter your email address.",
            "invalid": "Please enter an email address like name@example.org.",
        },
    )
    affiliation = PlainText(
        label="Affiliation",
        max_length=200,
        required=False,
        help_text="Your hospital, university or organisation, if any.",
    )
    role = PlainText(
        label="Role",
        max_length=150,
        required=False,
        help_text="For example: oncology nurse, researcher, patient advocate.",
    )
    bio = PlainText(
        label="Short biography",
        max_length=1000,
        area=True,
        help_text="Up to about 50 words, shown with your post.",
    )
    photo = forms.FileField(
        label="Photo",
        required=False,
        help_text="A JPEG, PNG or WebP image of at most 5 MB, shown with your post.",
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    title = PlainText(label="Title", max_length=150, help_text="About 80 characters at most.")
    standfirst = PlainText(
        label="Standfirst",
        max_length=400,
        area=True,
        help_text="One or two sentences that go under the title.",
    )
    topics = forms.ModelMultipleChoiceField(
        label="Suggested topics",
        queryset=Topic.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Please choose topics from the list."},
    )
    references = PlainText(
        label="References",
        max_length=5000,
        required=False,
        area=True,
        help_text="One per line, with a DOI or PubMed ID where there is one.",
    )
    conflicts_of_interest = PlainText(
        label="Conflicts of interest",
        max_length=2000,
        area=True,
        help_text="Payments, grants, shares, advisory roles or relationships from the last "
        "three years that a reader might think relevant. If there are none, write “None”.",
    )
    funding = PlainText(
        label="Funding",
        max_length=2000,
        area=True,
        help_text="Who, if anyone, funded the work you describe. If nobody, write “None”.",
    )
    consent_guidelines = forms.BooleanField(
        error_messages={"required": "Please confirm that your post follows our guidelines."}
    )
    consent_editing = forms.BooleanField(
        error_messages={"required": "Please agree to editing, or tell the editor why not."}
    )
    notify_on_publish = forms.BooleanField(
        label="Email me when my post is published", required=False
    )
    started = forms.CharField(required=False, widget=forms.HiddenInput)
    # Honeypot: hidden from people by CSS and from assistive technology; bots fill it in.
    website = forms.CharField(label="Leave this empty", required=False)

    def clean_email(self):
        return normalise_email(self.cleaned_data["email"])

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        if not upload:
            return None
        data = _read_upload(upload, 5 * 1024 * 1024, "Please send a photo of at most 5 MB.")
        try:
            return reencode_photo(data)
        except PhotoError as error:
            raise forms.ValidationError(str(error)) from None

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            raise forms.ValidationError(HONEYPOT)
        started_at = read_started(cleaned.get("started"))
        if started_at is None or (
            (timezone.now() - started_at).total_seconds() < MIN_SECONDS_TO_SUBMIT
        ):
            self.too_quick = True
            raise forms.ValidationError(TOO_QUICK)
        return cleaned

    too_quick = False

    AUTHOR_FIELDS = ("name", "email", "affiliation", "role", "bio")
    POST_FIELDS = (
        "title",
        "standfirst",
        "references",
        "conflicts_of_interest",
        "funding",
        "consent_guidelines",
        "consent_editing",
        "notify_on_publish",
    )

    def author(self):
        return {name: self.cleaned_data[name] for name in self.AUTHOR_FIELDS}

    def post(self):
        return {name: self.cleaned_data[name] for name in self.POST_FIELDS}


class ReplyForm(BodyFields):
    message = PlainText(
        label="Your message to the editor", max_length=5000, required=False, area=True
    )
    body_text = PlainText(label="Revised text", max_length=TEXT_MAX, required=False, area=True)
    document = forms.FileField(
        label="Or upload a revised Word document (.docx)",
        required=False,
        widget=BodyFields.base_fields["document"].widget,
    )
    body_required = False

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("message") and not self.body():
            raise forms.ValidationError(
                "Please write a message, or send a revised text or document."
            )
        return cleaned
