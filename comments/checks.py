"""What is looked at before a comment is stored: abuse, spam, distress and privacy risks."""

import hashlib
import re
from dataclasses import dataclass, field

from django.utils import timezone

from core import privacy
from core.privacy import client_ip  # noqa: F401  (comments' views call checks.client_ip)
from core.ratelimit import within_hourly_limit
from core.text import clean_text  # noqa: F401  (the importer calls checks.clean_text)

URL_PATTERN = re.compile(r"(?i)\b(?:https?://|www\.)[^\s<>\"']+")

# Guards against the false alarms a cancer blog would raise all day: dates and year ranges
# are not phone numbers, "5 mg via infusion" or "a long road" is not an address, and
# "Immunotherapy has changed lung cancer care" or "She has breast cancer" names nobody.
NOT_A_PHONE = re.compile(
    r"\d{4}\s?[-–/]\s?\d{4}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}[./-]\d{1,2}[./-]\d{1,2}"
)
NOT_A_NAME = (
    "She|He|They|It|This|That|There|Who|What|Which|Everyone|Everybody|Someone|Somebody|"
    "Anyone|Anybody|Nobody|No one|One|Each|Mum|Mom|Mam|Dad|Mother|Father|Grandma|Grandpa"
)
DIAGNOSIS_FILLER = (
    # Up to three words between the verb and the disease, but not a participle ("has shown
    # that") or a determiner that makes it a general statement ("has the highest").
    r"(?:(?:advanced|stage\s\w+)\s|"
    r"(?!(?:the|that|this|these|those|my|your|our|their|no|more|less|most|fewer)\b)"
    r"(?!\w+(?:ed|en|wn)\b)[\w-]+\s){0,3}?"
)

PRIVACY_PATTERNS = [
    (
        "a phone number",
        re.compile(r"(?<![\w/])(?:\+|00)?\d(?:[\s.\-()]?\d){7,14}(?![\w/])"),
    ),
    ("an email address", re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")),
    (
        "a street address",
        re.compile(
            r"(?i)\b\d{1,4}[a-z]?,?\s+(?:[A-Za-zÀ-ÿ'’.-]+\s){0,3}"
            r"(?:street|st\.|boulevard|strasse|straße|rue|laan|straat|gata|gatan|vej|"
            r"(?-i:Road|Rd\.|Avenue|Ave\.|Lane|Drive|Place|Square))(?!\w)"
            r"|\b(?:rue|calle|avenida|(?-i:Via|Avenue))\s+(?-i:[A-ZÀ-Ý]|de\s|del\s|della\s)"
            r"[A-Za-zÀ-ÿ'’ -]{1,40}\s\d{1,4}\b"
        ),
    ),
    (
        "someone else's diagnosis",
        re.compile(
            r"(?:\bmy\s+(?:neighbou?r|colleague|friend|boss|sister|brother|cousin|aunt|uncle)\s+)?"
            rf"\b(?!(?:{NOT_A_NAME})\b)[A-Z][a-zà-ÿ]+(?:\s[A-Z][a-zà-ÿ]+)?\s+"
            r"(?:has|had|was diagnosed with|has been diagnosed with|is dying of|has got|got)\s+"
            + DIAGNOSIS_FILLER
            + r"(?:cancer|leukaemia|leukemia|lymphoma|melanoma|tumou?r|sarcoma|myeloma|"
            r"metastases)\b"
        ),
    ),
]


def hash_ip(ip):
    """A keyed hash of an IP address, in the comments' own namespace."""
    return privacy.hash_ip(ip, "comments")


def content_hash(email, body):
    normalised = " ".join(body.lower().split())
    return hashlib.sha256(f"{email.lower()}\n{normalised}".encode()).hexdigest()


def contains_phrase(text, phrases):
    lowered = " ".join(text.lower().split())
    return next((phrase for phrase in phrases if phrase and phrase in lowered), None)


def privacy_warnings(text):
    """What in the text looks like personal information about someone, in reader's words."""
    found = []
    for label, pattern in PRIVACY_PATTERNS:
        for match in pattern.finditer(text):
            if label == "a phone number" and NOT_A_PHONE.fullmatch(match.group(0)):
                continue
            found.append(label)
            break
    return found


ALREADY_SENT = (
    "This form has already been sent, and your comment was received the first time. To post "
    "another comment, send the form again."
)


@dataclass
class Verdict:
    refuse: str = ""  # a message for the writer; nothing is stored
    spam: bool = False
    hold_reasons: list = field(default_factory=list)
    distress: bool = False
    rate_limited: bool = False
    unconfirmed_duplicate: int | None = None  # the writer's own comment still awaiting them
    stamp_used: bool = False  # the form's time stamp carried a comment already


def email_key(email):
    """A keyed hash that names an address in limit keys without spelling it out."""
    return privacy.keyed_hash("comments-email", (email or "").strip().lower())[:32]


def within_hourly_limits(ip_hash, email, rules):
    """Count this comment against the hour's limits of its connection and of its address. Each
    count is one statement in the shared database, so posts sent together cannot overrun them."""
    by_ip = within_hourly_limit(f"comments:ip:{ip_hash[:32]}", rules.max_per_hour_per_ip)
    by_email = within_hourly_limit(
        f"comments:email:{email_key(email)}", rules.max_per_hour_per_email
    )
    return by_ip and by_email


def assess(
    *, body, email, ip_hash, honeypot, started_at, rules, now=None, proven=False, use_stamp=None
):
    """Decide whether a submission is refused, held, marked spam or may go ahead.

    `proven`: this browser has confirmed the address before (or a member of staff writes);
    only then may the answer say that this address already posted this text. `use_stamp` uses
    up the form's time stamp, once nothing else refuses it; False means it was used before."""
    from comments.models import Block, Comment

    now = now or timezone.now()
    verdict = Verdict()
    if honeypot:
        verdict.refuse = "Your comment could not be posted."
        return verdict
    if started_at is None or (now - started_at).total_seconds() < rules.min_seconds_to_submit:
        verdict.refuse = (
            "That was quicker than we expect a person to write. Please check your comment "
            "and post it again."
        )
        return verdict
    if (
        Block.objects.exclude(email="").filter(email__iexact=email).exists()
        or Block.objects.exclude(ip_hash="").filter(ip_hash=ip_hash).exists()
    ):
        verdict.refuse = (
            "You cannot comment on this blog. Contact the editor if you think this is a mistake."
        )
        return verdict
    if not within_hourly_limits(ip_hash, email, rules):
        verdict.refuse = "You have posted many comments in the last hour. Please try again later."
        verdict.rate_limited = True
        return verdict
    # Anyone can type an address next to a comment they have read: only the browser that proved
    # the address hears that it wrote this text. For the others the comment is taken like any
    # new one, and confirming it (services.confirm_comment) finds it is the same comment.
    duplicate = (
        Comment.objects.filter(
            content_hash=content_hash(email, body),
            created_at__gte=now - timezone.timedelta(days=1),
        ).first()
        if proven
        else None
    )
    if duplicate is not None:
        verdict.refuse = "You have already posted this comment."
        if duplicate.status == Comment.Status.UNCONFIRMED:
            verdict.unconfirmed_duplicate = duplicate.pk
            verdict.refuse += (
                " It is waiting for you to confirm your email address: we have sent the link "
                "again (check your spam folder too)."
            )
        return verdict
    if use_stamp is not None and not use_stamp():
        verdict.refuse = ALREADY_SENT
        verdict.stamp_used = True
        return verdict
    return review_content(body, rules, verdict)


def review_content(body, rules, verdict=None):
    """Spam words, too many links and distress: looked at in every new or edited text."""
    verdict = verdict or Verdict()
    if contains_phrase(body, rules.lines(rules.blocklist)):
        verdict.spam = True
    if len(URL_PATTERN.findall(body)) > rules.max_links:
        verdict.hold_reasons.append(f"more than {rules.max_links} links")
    if contains_phrase(body, rules.lines(rules.distress_phrases)):
        verdict.distress = True
        verdict.hold_reasons.append("distress language: check on the writer")
    return verdict


def consult_akismet(verdict, *, ip, user_agent, name, email, body, permalink):
    """With an Akismet key configured, let Akismet mark spam; no answer holds the comment."""
    from comments import akismet

    if verdict.refuse or verdict.spam or not akismet.enabled():
        return verdict
    result = akismet.akismet_verdict(
        user_ip=ip,
        user_agent=user_agent,
        author=name,
        email=email,
        content=body,
        permalink=permalink,
    )
    if result == akismet.SPAM:
        verdict.spam = True
    elif result == akismet.UNKNOWN:
        verdict.hold_reasons.append(akismet.UNKNOWN_REASON)
    return verdict
