import re

from django import forms

from blog.models import Contributor, Topic
from core.forms import EmailAddressForm, normalise_email, refuse_invisible_characters
from subscriptions import following, services
from subscriptions.models import Subscriber


def current_wording_version(version):
    if version != services.WORDING_VERSION:
        raise forms.ValidationError(
            "The wording changed while this page was open. Please read it again."
        )
    return version


FOLLOW_GONE = (
    "The topic or author you chose is no longer on the blog, so nothing was changed. You can "
    "subscribe to every new post here instead."
)


class EmailForm(EmailAddressForm):
    source = forms.CharField(required=False, max_length=1000)
    # "topic:<id>" or "author:<id>", from the form on a topic's or an author's page.
    follow = forms.CharField(required=False, strip=False)

    def clean_source(self):
        return services.clean_source_path(self.cleaned_data.get("source"))

    def clean_follow(self):
        value = self.cleaned_data.get("follow")
        if not value:
            return None
        follow = following.parse(value)
        if follow is None:
            # Shown above the form, which no longer carries the choice: sending it again
            # subscribes to every post, as the message says.
            self.add_error(None, FOLLOW_GONE)
        return follow


class ConsentForm(EmailForm):
    consent = forms.BooleanField(
        error_messages={"required": "Please tick the box to agree, or close this page."}
    )
    wording_version = forms.CharField(max_length=32)

    def clean_wording_version(self):
        return current_wording_version(self.cleaned_data["wording_version"])


class ConsentAgainForm(forms.Form):
    """Coming back after leaving: the same explicit consent as a first sign-up."""

    consent = forms.BooleanField(
        error_messages={"required": "Please tick the box to agree, or keep things as they are."}
    )
    wording_version = forms.CharField(max_length=32)

    def clean_wording_version(self):
        return current_wording_version(self.cleaned_data["wording_version"])


TOPIC_ID = re.compile(r"[0-9]{1,18}")
MAX_TOPIC_VALUES = 500
ALL_TOPICS, CHOSEN_TOPICS = "all", "chosen"
NOT_IN_LIST = "Choose from the list."


class TopicsField(forms.ModelMultipleChoiceField):
    """Topic (or author) checkboxes; a flood of values or anything but an id is refused before
    any query."""

    def clean(self, value):
        values = value if isinstance(value, (list, tuple)) else [value] if value else []
        if len(values) > MAX_TOPIC_VALUES or not all(
            isinstance(item, str) and TOPIC_ID.fullmatch(item) for item in values
        ):
            raise forms.ValidationError(self.error_messages["invalid_choice"], "invalid_choice")
        return super().clean(values)


class PreferencesForm(forms.Form):
    which_topics = forms.ChoiceField(
        label="Topics",
        choices=[
            (ALL_TOPICS, "All topics"),
            (CHOSEN_TOPICS, "Only the topics and authors I choose"),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose all topics or only some.",
            "invalid_choice": NOT_IN_LIST,
        },
    )
    topics = TopicsField(
        label="Topics I choose",
        queryset=Topic.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "Choose topics from the list.",
            "invalid_pk_value": "Choose topics from the list.",
            "invalid_list": "Choose topics from the list.",
        },
    )
    contributors = TopicsField(
        label="Authors I follow",
        queryset=Contributor.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "Choose authors from the list.",
            "invalid_pk_value": "Choose authors from the list.",
            "invalid_list": "Choose authors from the list.",
        },
    )
    frequency = forms.ChoiceField(
        label="How often",
        choices=Subscriber.Frequency.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose instant alerts or a weekly digest.",
            "invalid_choice": NOT_IN_LIST,
        },
    )

    def clean(self):
        data = super().clean()
        if data.get("which_topics") == ALL_TOPICS:
            data["topics"], data["contributors"] = [], []
        elif (
            data.get("which_topics") == CHOSEN_TOPICS
            and "topics" in data
            and "contributors" in data
            and not data["topics"]
            and not data["contributors"]
        ):
            self.add_error("topics", "Choose at least one topic or author, or choose All topics.")
        return data


class AddressForm(forms.Form):
    new_email = forms.EmailField(
        label="New email address",
        max_length=254,
        error_messages={
            **EmailAddressForm.base_fields["email"].error_messages,
            "required": "Please enter the new email address.",
        },
        validators=[refuse_invisible_characters],
    )

    def clean_new_email(self):
        return normalise_email(self.cleaned_data["new_email"])


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        error_messages={
            "required": "Tick the box to confirm, or go back to keep your subscription."
        }
    )
