"""The readability check's text analysis: scores, long sentences, glossary matching, bad input."""

from types import SimpleNamespace

import pytest

from blog import readability
from blog.readability import Glossary, analyse, body_pieces, summary_pieces, syllables

EASY = (
    "The cat sat on the mat. It was a warm day. The sun was out. We went to the park. "
    "The dog ran and ran. Then we all went home to eat."
)
PLAIN = (
    "Chemotherapy uses drugs to kill cancer cells. It can make you feel tired or sick. "
    "Your care team will help you manage these side effects. Ask them what to expect, "
    "and tell them how you feel."
)
DENSE = (
    "Immunotherapeutic interventions utilising programmed death-ligand inhibitors demonstrate "
    "considerable heterogeneity in efficacy across histologically distinct malignancies, "
    "necessitating biomarker-stratified investigational methodologies."
)


def entry(term, plain="in plain words", note=""):
    return SimpleNamespace(term=term, plain=plain, note=note)


def found(terms, text):
    """{term: count} of the glossary terms found in the text."""
    report = analyse([text], Glossary([entry(term) for term in terms]))
    return {jargon.term: jargon.count for jargon in report.jargon}


NO_GLOSSARY = Glossary([])


# --- Scores ---------------------------------------------------------------------------------


def test_short_words_in_short_sentences_score_very_easy():
    report = analyse([EASY], NO_GLOSSARY)
    assert report.score >= 90
    assert report.band == "very easy"


def test_everyday_patient_information_scores_as_plain_english_or_easier():
    assert 60 <= analyse([PLAIN], NO_GLOSSARY).score <= 90


def test_dense_academic_prose_scores_at_the_bottom_of_the_scale():
    report = analyse([DENSE], NO_GLOSSARY)
    assert report.reading_ease < 0  # Flesch's formula leaves the scale ...
    assert report.score == 0  # ... the score shown does not
    assert report.band == "very difficult"


def test_syllables_come_from_the_pronouncing_dictionary():
    # Hyphenation alone finds one syllable in "area" and two in "every".
    assert syllables("area") == 3
    assert syllables("every") == 3
    assert syllables("Chemotherapy") == 5


def test_words_the_dictionary_lacks_are_still_counted():
    assert syllables("pembrolizumab") >= 4
    assert syllables("well-being") == syllables("well") + syllables("being")
    assert syllables("2025") == 1


def test_headings_and_list_items_count_as_sentences_of_their_own():
    report = analyse(
        ["What to expect", "Rest when you need to", "Eat little and often."], NO_GLOSSARY
    )
    assert report.sentences == 3


def test_a_text_with_few_words_is_flagged_as_a_rough_guide():
    assert analyse([PLAIN], NO_GLOSSARY).few_words
    assert not analyse([PLAIN * 5], NO_GLOSSARY).few_words


def test_an_empty_text_has_no_score():
    report = analyse(summary_pieces(""), NO_GLOSSARY)
    assert report.empty and report.score is None and report.sentences == 0
    assert analyse(["   ", "…", "— ?"], NO_GLOSSARY).score is None


def test_no_score_when_the_site_is_not_in_english(settings):
    settings.LANGUAGE_CODE = "de"
    report = analyse(["Die Katze sitzt auf der Matte. Es ist warm."], Glossary([entry("Katze")]))
    assert report.score is None
    assert [jargon.term for jargon in report.jargon] == ["Katze"]  # the rest still works


# --- Long sentences -------------------------------------------------------------------------


def words(n):
    """A sentence of n words."""
    return "Word " + " ".join(["word"] * (n - 2)) + " end."


def test_sentences_over_the_threshold_are_listed_with_their_length():
    limit = readability.LONG_SENTENCE_WORDS
    report = analyse([f"{words(limit)} {words(limit + 1)} Short one."], NO_GLOSSARY)
    assert [s.words for s in report.long_sentences] == [limit + 1]
    assert report.long_sentences[0].quote == words(limit + 1)


def test_a_long_sentence_is_quoted_without_the_quotation_marks_at_its_ends():
    sentence = "“" + words(27)[:-1] + ",” she said."
    report = analyse([sentence], NO_GLOSSARY)
    assert report.long_sentences[0].quote == words(27)[:-1] + ",” she said."
    report = analyse(["“" + words(27) + "”"], NO_GLOSSARY)
    assert report.long_sentences[0].quote == words(27)


def test_a_very_long_sentence_is_quoted_shortened_with_an_ellipsis():
    report = analyse([words(80)], NO_GLOSSARY)
    quote = report.long_sentences[0].quote
    assert quote.endswith(" …")
    assert len(quote.split()) == readability.QUOTE_WORDS + 1
    assert report.long_sentences[0].words == 80


def test_beyond_those_shown_long_sentences_are_counted():
    shown = readability.LONG_SENTENCES_SHOWN
    report = analyse([" ".join([words(30)] * (shown + 4))], NO_GLOSSARY)
    assert len(report.long_sentences) == shown
    assert report.more_long_sentences == 4


def test_an_abbreviation_before_a_small_letter_does_not_end_the_sentence():
    text = "Some treatments, e.g. surgery or radiotherapy, are given once. Others go on."
    assert readability.sentences(text) == [
        "Some treatments, e.g. surgery or radiotherapy, are given once.",
        "Others go on.",
    ]


def test_a_decimal_point_does_not_end_the_sentence():
    assert len(readability.sentences("The dose was 2.5 mg. It was fine.")) == 2


# --- Glossary -------------------------------------------------------------------------------


def test_terms_are_found_in_any_case():
    assert found(["biopsy"], "Biopsy first, then a BIOPSY, then a biopsy.") == {"biopsy": 3}


def test_regular_plurals_are_found():
    text = "Two biopsies, three CT scans and some lymph nodes."
    assert found(["biopsy", "CT scan", "lymph node"], text) == {
        "biopsy": 1,
        "CT scan": 1,
        "lymph node": 1,
    }


def test_only_whole_words_match():
    assert found(["PET", "carcinoma", "stage"], "A petition; adenocarcinoma; backstage.") == {}


def test_an_abbreviation_in_capitals_matches_only_in_capitals():
    text = "Not all pets: ALL is a leukaemia, and the PET and two PETs were clear."
    assert found(["ALL", "PET"], text) == {"ALL": 1, "PET": 2}


def test_a_lower_case_term_matches_capitalised_text():
    assert found(["pet scan"], "Your PET scan is on Monday.") == {"pet scan": 1}


def test_phrases_match_across_spaces_line_breaks_and_hyphens():
    text = "Non-small cell\nlung cancer, or non small-cell lung cancer."
    assert found(["non-small cell lung cancer"], text) == {"non-small cell lung cancer": 2}


def test_the_longest_phrase_wins_and_nothing_is_counted_twice():
    text = "A PET scan, then PET alone."
    assert found(["PET", "PET scan"], text) == {"PET scan": 1, "PET": 1}


def test_a_phrase_does_not_run_across_punctuation_or_sentences():
    assert found(["lung cancer"], "Ask about the lung. Cancer teams help; lung, cancer.") == {}


def test_jargon_lists_the_plain_alternative_and_note_most_frequent_first():
    glossary = Glossary(
        [entry("prognosis", "what is likely to happen", "Say it kindly."), entry("biopsy")]
    )
    report = analyse(["A biopsy. Your prognosis. The prognosis."], glossary)
    first = report.jargon[0]
    assert (first.term, first.plain, first.note, first.count) == (
        "prognosis",
        "what is likely to happen",
        "Say it kindly.",
        2,
    )


# --- Bad input ------------------------------------------------------------------------------


def test_unicode_text_and_terms_match():
    assert found(["Hodgkin's lymphoma"], "Hodgkin’s lymphoma is treatable.") == {
        "Hodgkin's lymphoma": 1
    }
    assert found(["fibrosis"], "Lung ﬁbrosis (ligature).") == {"fibrosis": 1}  # NFKC
    assert found(["Ödem"], "Ein ÖDEM und zwei ödeme.") == {"Ödem": 1}
    assert analyse(["Ça va? 🎗️ Très bien, merci! 日本語の文。"], NO_GLOSSARY).words > 0


def test_terms_with_markup_or_pattern_characters_are_plain_text():
    glossary = Glossary([entry("<script>alert(1)</script>"), entry("C++ (x)*"), entry("...")])
    report = analyse(["We call alert(1) and script daily."], glossary)
    assert report.words == 7
    assert report.jargon == []  # a term matches its words in order, nothing else


def test_scripts_and_styles_in_the_body_are_not_read(make_post):
    post = make_post(
        body=[
            (
                "paragraph",
                '<p>Safe words here.<script>alert("boo")</script><style>p{}</style></p>'
                "<!-- a comment -->",
            )
        ]
    )
    assert list(body_pieces(post.body)) == ["Safe words here."]


def test_a_huge_text_is_analysed_up_to_a_cap_and_says_so():
    pieces = ["Short words in a line. " * 1000] * 30  # 150,000 words
    report = analyse(pieces, Glossary([entry("line")]))
    assert report.words == readability.MAX_WORDS
    assert report.truncated


def test_a_huge_paragraph_is_cut_before_it_is_parsed():
    markup = "<p>" + "word " * (readability.MAX_BLOCK_CHARS) + "</p>"
    (piece,) = readability._html_pieces(markup)
    assert len(piece) <= readability.MAX_BLOCK_CHARS


# --- What is read from a post body ----------------------------------------------------------


@pytest.mark.django_db
def test_the_body_prose_is_read_and_code_tables_and_references_left_out(make_post):
    post = make_post(
        body=[
            ("heading", {"text": "What happens", "level": "h2"}),
            ("paragraph", "<p>First <b>bold</b> line.</p><ul><li>Item one</li><li>Two</li></ul>"),
            ("pull_quote", {"quote": "Said well.", "attribution": "Someone"}),
            ("key_points", {"title": "Key points", "points": ["Point A.", "Point B."]}),
            ("quote", {"quote": "<p>Quoted words.</p>", "citation": "A source"}),
            ("numbered_list", {"start": 1, "reversed": False, "items": ["<p>Step one.</p>"]}),
            (
                "definition_list",
                {"items": [{"term": "Stage", "definition": "<p>How far it spread.</p>"}]},
            ),
            ("code", {"language": "r", "code": "x <- mean(values)"}),
            (
                "table",
                {
                    "data": [["Arm", "Rate"], ["A", "12.5"]],
                    "first_row_is_table_header": True,
                    "table_caption": "",
                },
            ),
            (
                "references",
                {"title": "References", "references": [{"citation": "Smith J. Lancet. 2024."}]},
            ),
            ("notes", {"title": "Notes", "notes": ["<p>A footnote.</p>"]}),
        ]
    )
    assert list(body_pieces(post.body)) == [
        "What happens",
        "First bold line.",
        "Item one",
        "Two",
        "Said well.",
        "Key points",
        "Point A.",
        "Point B.",
        "Quoted words.",
        "Step one.",
        "Stage",
        "How far it spread.",
    ]
