"""The post editor's readability panel: for posts written for patients and carers, the reading
ease of the body and the plain-language summary against the editors' target, long sentences and
glossary jargon, as of the latest saved draft."""

from wagtail.admin.panels import Panel

from blog import readability
from core.models import SiteSettings

from .glossary import GlossaryTerm

PATIENT_AUDIENCES = {"patients"}  # "Patients and carers" (blog migration 0002)


def is_for_patients(page):
    """Whether the page's audiences (as in its draft) include patients and carers."""
    audiences = getattr(page, "audiences", None)
    if audiences is None:
        return False
    return any(audience.slug in PATIENT_AUDIENCES for audience in audiences.all())


def check_post(page, target):
    """What the panel shows about a post: one report for the body, one for the summary."""
    glossary = readability.Glossary(GlossaryTerm.objects.only("term", "plain", "note").order_by())
    return {
        "target": target,
        "scores_apply": readability.scores_apply(),
        "body": readability.analyse(readability.body_pieces(page.body), glossary),
        "summary": readability.analyse(
            readability.summary_pieces(page.plain_language_summary), glossary
        ),
        "long_sentence_words": readability.LONG_SENTENCE_WORDS,
        "max_words": readability.MAX_WORDS,
    }


class ReadabilityPanel(Panel):
    def __init__(self, heading="Readability for patients and carers", **kwargs):
        super().__init__(heading=heading, **kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "admin/readability_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["for_patients"] = is_for_patients(self.instance)
            if context["for_patients"]:
                settings = SiteSettings.for_request(self.request)
                context.update(check_post(self.instance, settings.readability_target))
            return context
