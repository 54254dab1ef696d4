"""The post editor's form: a last look before an alert about a post that looks unfinished."""

import re

from django import forms
from wagtail.admin.forms import WagtailAdminPageForm

# Titles that usually mean the post was not meant for subscribers' inboxes yet.
UNFINISHED_TITLE = re.compile(r"^\s*(draft|test|copy of)\b", re.IGNORECASE)


class PostPageForm(WagtailAdminPageForm):
    publish_anyway = forms.BooleanField(
        label="Publish and send the alert even though the title starts with “Draft”, “Test” "
        "or “Copy of”",
        required=False,
    )

    def clean(self):
        data = super().clean()
        publishing = "action-publish" in self.data
        first_time = self.instance.first_published_at is None
        title = data.get("title") or ""
        match = UNFINISHED_TITLE.match(title)
        if (
            publishing
            and first_time
            and match
            and data.get("send_alert")
            and not data.get("publish_anyway")
        ):
            self.add_error(
                "title",
                f"This title starts with “{match.group(1)}”: publishing emails it to "
                "subscribers. Change the title, untick “Email subscribers when first "
                "published”, or tick “Publish and send the alert even though…” in the "
                "Promote tab.",
            )
        return data
