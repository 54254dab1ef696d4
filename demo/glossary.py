"""The demo glossary: oncology words a patient or carer may stumble on, with everyday words to
use instead. The readability panel of a post for patients lists those the post uses."""

from blog.models import GlossaryTerm

# (term, plain-language alternative, note)
GLOSSARY = [
    ("adjuvant", "after the main treatment, to lower the chance of the cancer coming back",
     "Usually after surgery. Say which treatment comes after which."),
    ("neoadjuvant", "before the main treatment, often to shrink the cancer before surgery", ""),
    ("adverse event", "side effect", "Keep the technical term for trial reports to clinicians."),
    ("benign", "not cancer", ""),
    ("malignant", "cancerous", ""),
    ("biopsy", "taking a small sample of tissue to look at under a microscope", ""),
    ("metastatic", "that has spread to other parts of the body", ""),
    ("metastases", "places in the body the cancer has spread to", ""),
    ("oncologist", "cancer doctor", "Fine once explained: patients meet the word in letters."),
    ("prognosis", "what is likely to happen", ""),
    ("remission", "no signs of the cancer",
     "Partial remission means the cancer has shrunk, not gone: say which."),
    ("progression-free survival", "how long people lived without the cancer growing", ""),
    ("PET scan", "a scan that shows which parts of the body are most active",
     "Explain once what the scan involves: an injection, then lying still for about half an hour."),
    ("palliative care", "care that eases symptoms and helps people live well",
     "Not only for the end of life: say so, as many readers fear the word."),
    ("randomised controlled trial", "a study in which chance decides who gets which treatment",
     ""),
]  # fmt: skip


def seed_glossary(created):
    """Add the terms the glossary lacks, whatever their case; an editor's own wording stays."""
    existing = {term.lower() for term in GlossaryTerm.objects.values_list("term", flat=True)}
    for term, plain, note in GLOSSARY:
        if term.lower() not in existing:
            GlossaryTerm.objects.create(term=term, plain=plain, note=note)
            created["glossary terms"] += 1
