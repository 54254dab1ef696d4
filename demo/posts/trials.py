"""Demo posts on clinical trials."""

from blog.markup import bullets, embed, h2, key_points, p, quote

from .. import references as R

POSTS = [
    {
        "slug": "how-to-find-a-clinical-trial-in-europe",
        "title": "How to find a clinical trial in Europe",
        "kind": "feature",
        "days_ago": 10,
        "contributors": ["jonas-lindqvist"],
        "topics": ["clinical-trials"],
        "audiences": ["patients", "clinicians"],
        "tags": ["trial registries", "CTIS", "patient guide"],
        "colours": ("indigo", "mint"),
        "shape": "bands",
        "standfirst": """Public registers list thousands of cancer trials, but searching them can
            be bewildering. A step-by-step guide, and the questions to ask before you join.""",
        "summary": """A clinical trial tests a new treatment or a new way of using existing
            treatments. You can look for trials in public online registers, but the best
            starting point is usually your own cancer team, who know your situation and which
            trials are open nearby. Before joining, ask what the trial involves, what the
            possible benefits and risks are, and what happens if you want to stop.""",
        "body": [
            p(
                """Taking part in a clinical trial can give access to treatments that are not
                yet widely available, and it helps the people who come after you. It is also a
                commitment, with extra visits and tests, and no guarantee that the new approach
                is better. This guide is about finding trials; deciding whether to join is a
                conversation to have with your own team."""
            ),
            h2("Start with your care team"),
            p(
                """Your oncologist or specialist nurse knows your diagnosis, your previous
                treatment and which trials their hospital and network are running. Asking 'is
                there a trial that might suit me?' at any stage is reasonable, and many
                trials need people to be considered before a particular treatment starts."""
            ),
            h2("Search the public registers"),
            p(
                """Trials of medicines in the European Union are registered in the Clinical
                Trials Information System (CTIS), which has a public search. ClinicalTrials.gov,
                run by the US National Library of Medicine, also lists many European trials.
                Both let you filter by condition, country and whether a trial is
                recruiting."""
            ),
            bullets(
                "Search for your cancer type, then narrow by country and recruitment status.",
                """Read the eligibility criteria: trials often require a particular stage,
                previous treatment or test result.""",
                "Note the trial number and take it to your team rather than contacting sites cold.",
            ),
            embed(
                "https://youtu.be/0000demo002",
                """Demo video placeholder: searching a trial register, step by step (the link is
                an example and does not lead to a real video)""",
            ),
            h2("Ask patient organisations"),
            p(
                """Many patient organisations keep track of trials in their disease area and
                can explain them in plain language. Some run helplines staffed by nurses."""
            ),
            key_points(
                "What is the trial testing, and what is it being compared with?",
                "What extra visits, tests or travel will it involve, and who pays for travel?",
                "What are the possible benefits and the known risks?",
                "What happens if I want to leave the trial?",
                "Will I be told the results when the trial ends?",
                title="Questions to ask before you join a trial",
            ),
            p(
                """Taking part in a trial in another country is sometimes possible but raises
                questions about costs, insurance and follow-up at home. Discuss it with your
                team and your health insurer before you travel."""
            ),
        ],
        "references": [R.CTIS, R.CLINICALTRIALS_GOV],
        "review": {"by": "sofia-marchetti", "next_in_days": 300},
    },
    {
        "slug": "who-is-missing-from-cancer-trials",
        "title": "Who is missing from our trials?",
        "kind": "guest",
        "days_ago": 30,
        "contributors": ["amara-okafor"],
        "topics": ["clinical-trials"],
        "audiences": ["researchers", "policy-makers", "clinicians"],
        "tags": ["trial diversity", "older people", "equity"],
        "colours": ("crimson", "sand"),
        "shape": "circles",
        "standfirst": """Trial results are only as useful as the people they are based on. A
            trial methodologist on who tends to be left out, and what it would take to change
            that.""",
        "body": [
            p(
                """When I teach trial design, I start with a simple question: who will take this
                treatment if the trial succeeds? Then I ask who was in the trial. The two groups
                are rarely the same.""",
                """Older people, people with other health conditions, people who live far from
                large hospitals, people who do not speak the local language and people from
                minority ethnic groups are often under-represented in cancer trials. Some are
                excluded by the eligibility criteria. Many more are never asked.""",
            ),
            h2("Why it matters"),
            p(
                """If a trial mostly includes fit people in their fifties, its results say less
                about an eighty-year-old with heart disease. The drug may work differently, the
                side effects may be harder to tolerate, and the balance of benefit and harm may
                change. Clinicians then have to extrapolate, and patients bear the
                uncertainty."""
            ),
            quote(
                """Eligibility criteria should exclude people for reasons of safety, not
                convenience.""",
                "Amara Okafor",
            ),
            h2("What would help"),
            p(
                """Writing eligibility criteria that are no stricter than safety requires.
                Reporting who was screened and who was excluded, as reporting guidelines already
                ask. Paying for travel and offering visits closer to home. Translating
                information sheets. Involving patients from the groups we are missing in
                designing the trial, not only in recruiting to it.""",
                """None of this is new. What has been missing is the expectation, from funders,
                regulators and journals, that it be done as a matter of course.""",
            ),
        ],
        "funding": """Amara Okafor wrote this post in her own time. No funding was received for
            it.""",
    },
    {
        "slug": "webinar-patients-in-trial-design",
        "title": "Webinar: involving patients in trial design",
        "kind": "news",
        "days_ago": 21,
        "contributors": ["marta-kowalczyk"],
        "topics": ["clinical-trials"],
        "audiences": ["researchers", "patients"],
        "tags": ["patient involvement", "webinar", "foundation news"],
        "colours": ("plum", "sky blue"),
        "shape": "arcs",
        "standfirst": """Our next free webinar brings together researchers and patient partners
            to talk about what meaningful involvement looks like — and what it does not.""",
        "body": [
            p(
                """Funders increasingly ask trial teams to involve patients in designing their
                studies. What that means in practice varies from a single meeting to a seat on
                the trial steering committee. Our next webinar asks researchers and patient
                partners what made a difference in the trials they worked on.""",
                """The session will be free, with live captions, and a recording will be
                published here afterwards. Subscribers to our alerts will receive the date and
                the joining link first. Questions for the panel can be left in the comments
                below.""",
            ),
        ],
    },
    {
        "slug": "the-control-arm-is-not-a-consolation-prize",
        "title": "The control arm is not a consolation prize",
        "kind": "column",
        "days_ago": 48,
        "contributors": ["sofia-marchetti"],
        "topics": ["clinical-trials"],
        "audiences": ["patients", "clinicians"],
        "tags": ["randomisation", "placebo", "trial participation"],
        "colours": ("teal", "ochre"),
        "shape": "dots",
        "standfirst": """Many people turn down a trial because they fear ending up in the
            'wrong' group. That fear is understandable, and often based on a misunderstanding.""",
        "body": [
            p(
                """'What if I get the old treatment?' It is the question I hear most often when I
                talk to patients about a randomised trial, and it deserves a careful answer.""",
                """In cancer trials, the comparison group — the control arm — almost always
                receives the best standard treatment available, not nothing. When a placebo is
                used, it is usually given on top of standard treatment, so that nobody goes
                without care that is known to help.""",
            ),
            h2("Why randomise at all?"),
            p(
                """Because we genuinely do not know whether the new treatment is better. Plenty
                of promising drugs have turned out to be no better, or worse, than the standard
                when tested properly. Randomisation is how we find out fairly, and being in the
                control arm means receiving the treatment that, on current evidence, is the
                best we have."""
            ),
            quote(
                """People in the control arm are not left behind. They are the reason we can
                trust the answer."""
            ),
            h2("What participants receive either way"),
            p(
                """Close monitoring, clear procedures for side effects, and a team that follows
                them carefully. In many trials, participants can leave at any time without it
                affecting their care. These are not small things.""",
                """If you are offered a trial, ask what the control arm receives and why. A good
                team will be glad you asked.""",
            ),
        ],
        "corrections": [
            (
                3,
                """An earlier version of this column said that trials with a placebo are always
                blinded. Most are, but not all; the sentence has been removed.""",
            ),
        ],
    },
]
