"""The editors' glossary of jargon: words patients and carers may not know, with everyday
alternatives. The readability check of a post (blog.readability) lists the ones it uses."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from wagtail.admin.panels import FieldPanel

HAS_WORD = re.compile(r"[^\W_]")


class GlossaryTerm(models.Model):
    term = models.CharField(
        max_length=100,
        help_text="A word or phrase, singular: plurals are found too (“biopsy” finds “biopsies”). "
        "Write an abbreviation in capitals (“PET”) to find it only in capitals.",
    )
    plain = models.CharField(
        "plain-language alternative",
        max_length=200,
        help_text="What to write instead, in everyday words.",
    )
    note = models.TextField(
        blank=True,
        max_length=500,
        help_text="Optional: when the term is fine, or how to explain it.",
    )

    panels = [FieldPanel("term"), FieldPanel("plain"), FieldPanel("note")]

    class Meta:
        ordering = [Lower("term")]
        verbose_name = "glossary term"
        constraints = [
            models.UniqueConstraint(
                Lower("term"),
                name="unique_glossary_term_any_case",
                violation_error_message="This term is already in the glossary.",
            )
        ]

    def __str__(self):
        return self.term

    def clean(self):
        super().clean()
        self.term = " ".join(self.term.split())
        self.plain = " ".join(self.plain.split())
        if not HAS_WORD.search(self.term):
            raise ValidationError({"term": "A term needs at least one letter or digit."})
