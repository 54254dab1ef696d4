from django import forms

from core.forms import EmailAddressForm
from subscriptions import services


class EmailForm(EmailAddressForm):
    source = forms.CharField(required=False, max_length=1000)

    def clean_source(self):
        return services.clean_source_path(self.cleaned_data.get("source"))


class ConsentForm(EmailForm):
    consent = forms.BooleanField(
        error_messages={"required": "Please tick the box to agree, or close this page."}
    )
    wording_version = forms.CharField(max_length=32)

    def clean_wording_version(self):
        version = self.cleaned_data["wording_version"]
        if version != services.WORDING_VERSION:
            raise forms.ValidationError(
                "The wording changed while this page was open. Please read it again."
            )
        return version
