"""WordPress's default category ("Uncategorized", in the blog's language): not a topic here.

WordPress files every post given no category under its default category, made on install as
term id 1 and named in the site's language ("Non classé", "Sin categoría"...). The export does
not say which category is the default (the `default_category` option is not in a WXR file):
a category is taken as the default when its name or slug is one of WordPress's translations
of "Uncategorized"; one whose name means only "General" or "Other" ("Allgemein", "Yleinen")
is taken as the default only as term id 1, the category WordPress made on install.
"""

import re
import unicodedata
from urllib.parse import unquote

# WordPress's translations of "Uncategorized" (the default category's name on install).
UNCATEGORIZED_NAMES = (
    "Uncategorized", "Uncategorised", "Non classé", "Sin categoría", "Sem categoria",
    "Senza categoria", "Geen categorie", "Ongecategoriseerd", "Bez kategorii",
    "Okategoriserade", "Ikke kategoriseret", "Ukategorisert", "Nezařazené", "Nezaradené",
    "Без рубрики", "Без категорії", "Без категорија", "Без категорије", "Некатегоризирани",
    "Χωρίς κατηγορία", "Necategorizat", "Sense categoria", "Sen categoría", "Kategoria gabea",
    "Nekategorizirano", "Nekategorizovano", "Be kategorijos", "Bez kategorijas",
    "Kategooriata", "Óflokkað", "Kategorisiz", "Kategorilenmemiş", "Kategorizálatlan",
    "Besorolatlan", "Chưa được phân loại", "Tak berkategori", "Tidak berkategori",
    "未分類", "未分类", "미분류", "غير مصنف", "بدون تصنيف", "دسته‌بندی نشده", "ללא קטגוריה",
    "ไม่มีหมวดหมู่", "अवर्गीकृत", "Ohne Kategorie", "Nicht kategorisiert",
)  # fmt: skip
# Translations that name the default category "General" or "Other": a real category as often.
GENERAL_NAMES = (
    "Allgemein", "Yleinen", "Genel", "Egyéb", "Γενικά", "כללי", "General", "Général",
    "Generale", "Geral", "Algemeen", "Ogólne", "Allmänt", "Generelt", "Obecné", "Общее",
)  # fmt: skip
DEFAULT_TERM_ID = 1


def _normal(text):
    """A name or slug in one spelling: decoded, no accents, lower case, words joined by -."""
    text = unicodedata.normalize("NFKD", unquote(text or ""))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return re.sub(r"[\W_]+", "-", text).strip("-")


_UNCATEGORIZED = {_normal(name) for name in UNCATEGORIZED_NAMES}
_GENERAL = {_normal(name) for name in GENERAL_NAMES}


def is_default_category(slug, name="", term_id=None):
    """Whether a category is most likely WordPress's default one (see the module's doc)."""
    spellings = {_normal(slug), _normal(name)} - {""}
    if spellings & _UNCATEGORIZED:
        return True
    return term_id == DEFAULT_TERM_ID and bool(spellings & _GENERAL)


def default_category_slugs(terms):
    """The slugs (as in the file) of the export's categories that are the default one."""
    return {
        term.slug
        for term in terms
        if term.taxonomy == "category" and is_default_category(term.slug, term.name, term.id)
    }
