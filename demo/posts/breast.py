"""Demo posts on breast cancer."""

from blog.markup import h2, key_points, p, quote, references

from .. import references as R

POSTS = [
    {
        "slug": "the-scan-anxiety-calendar",
        "title": "The scan-anxiety calendar",
        "kind": "column",
        "days_ago": 39,
        "contributors": ["claire-dubois"],
        "topics": ["breast-cancer", "survivorship"],
        "audiences": ["patients", "clinicians"],
        "tags": ["scanxiety", "follow-up", "mental health"],
        "colours": ("coral", "lavender"),
        "shape": "circles",
        "standfirst": """Years after treatment, my year still has a shape: a good stretch, then
            the fortnight before the check-up. Here is what has helped me live with it.""",
        "body": [
            p(
                """There is a word for it now — 'scanxiety' — and I am glad there is, because for
                a long time I thought it was just me. For most of the year I am fine. Then the
                letter arrives with the date of my check-up, and a calendar I never chose starts
                running in my head.""",
                """The first days are easy. A week before, I sleep badly. Three days before, every
                ache is a sign. The morning of the appointment I am short with people I love. And
                then, most years, it is over in ten minutes and I walk out into a different
                world.""",
            ),
            quote(
                """Nobody gave me a leaflet about the fortnight before the check-up. I had to
                write my own.""",
                "Claire Dubois",
            ),
            h2("What helps me"),
            p(
                """I ask for the earliest appointment of the day, so I am not waiting all morning.
                I ask at the end of each visit how and when results will come, so I am not
                refreshing my inbox. I tell two people — no more — when the date is, so someone
                knows why I am quiet. I plan something small and pleasant for the afternoon,
                whatever the news.""",
                """And I have learned to say it to my team. The first time I told my oncologist
                that the waiting was harder than the scan, she moved my results call to the same
                day. It cost her nothing, and it changed my year.""",
            ),
            h2("What I would ask of clinics"),
            p(
                """Tell people how results will reach them, and when. Avoid leaving normal
                results to 'no news is good news'. Ask, once in a while, how the waiting is
                going. These are small things. For those of us living by the calendar, they are
                not small at all.""",
                """If you have your own ways of getting through, please share them in the
                comments. I read every one.""",
            ),
        ],
    },
    {
        "slug": "dense-breasts-and-screening",
        "title": "Dense breasts and screening: what women are told, and what they are not",
        "kind": "feature",
        "days_ago": 51,
        "contributors": ["marta-kowalczyk"],
        "topics": ["breast-cancer", "prevention-and-screening"],
        "audiences": ["patients", "clinicians", "policy-makers"],
        "tags": ["breast density", "mammography", "MRI"],
        "colours": ("rose", "teal"),
        "shape": "arcs",
        "standfirst": """Dense breast tissue makes mammograms harder to read. Whether women are
            told about it, and what is offered next, depends on where they live.""",
        "summary": """Breasts are made of fatty tissue and denser glandular and fibrous tissue.
            When there is a lot of dense tissue, a mammogram is harder to read, and the chance
            of breast cancer is somewhat higher. Some countries tell women about their breast
            density and others do not. Extra scans such as MRI are being studied for women with
            very dense breasts. If you are unsure, ask your screening service or doctor.""",
        "body": [
            p(
                """On a mammogram, fatty tissue looks dark and dense tissue — glands and
                connective tissue — looks white. So do many tumours. In breasts with a lot of
                dense tissue, a cancer can be harder to see, a bit like looking for a snowball
                in a snowstorm.""",
                """Dense breasts are common and normal, particularly in younger women. They are
                not a disease. But they matter for screening in two ways: they make mammograms
                less sensitive, and they are associated with a somewhat higher risk of breast
                cancer.""",
            ),
            h2("To tell or not to tell"),
            p(
                """Screening programmes in Europe handle this differently. Some routinely record
                density and tell women; others do not report it at all. Supporters of telling
                women argue that people have a right to information about their own bodies.
                Others worry about causing anxiety when there is not yet an agreed next step to
                offer."""
            ),
            h2("What the research says about extra scans"),
            p(
                """A Dutch randomised trial, DENSE, invited women with extremely dense breasts
                and a normal mammogram to have an additional MRI scan, and reported fewer
                cancers diagnosed between screening rounds in the group offered MRI. MRI also
                led to extra tests for findings that were not cancer. Questions about cost,
                capacity and long-term outcomes remain, and guidance differs between
                countries."""
            ),
            key_points(
                "Dense breast tissue is common and normal.",
                """It makes mammograms harder to read and is linked to a somewhat higher risk of
                breast cancer.""",
                """Whether women are told about their density varies between screening
                programmes.""",
                """Extra scans such as MRI are being studied and used in some places, with
                benefits and downsides.""",
                "Mammography screening remains worthwhile for women with dense breasts.",
            ),
            h2("What you can do"),
            p(
                """If you want to know your breast density, ask your screening service or your
                doctor. Whatever your density, keep going to screening when invited, and see a
                doctor about any change in your breasts between appointments, even soon after a
                normal mammogram."""
            ),
        ],
        "references": [R.DENSE_2019],
        "review": {"by": "sofia-marchetti", "next_in_days": 9},
    },
    {
        "slug": "patients-join-review-panel-breast-explainers",
        "title": "Patients join the review panel for our breast cancer explainers",
        "kind": "news",
        "days_ago": 7,
        "contributors": ["marta-kowalczyk"],
        "topics": ["breast-cancer"],
        "audiences": ["patients"],
        "tags": ["patient involvement", "foundation news"],
        "colours": ("amber", "plum"),
        "shape": "bands",
        "standfirst": """From this month, every explainer we publish on breast cancer will be
            read by two people with lived experience before it goes online.""",
        "body": [
            p(
                """Our explainers are already checked for accuracy by a clinician. Starting this
                month, they will also be read by members of a new patient review panel, who will
                tell us whether the text is clear, whether it answers the questions people really
                have, and whether anything in it could hurt or mislead.""",
                """Six people who have been treated for breast cancer, or who care for someone
                who has, have joined the panel so far. They are paid for their time, and they can
                choose whether to be named. We will report what we change as a result.""",
                """If you would like to join a panel for another topic, write to the editor.""",
            ),
        ],
    },
    {
        "slug": "reading-a-breast-cancer-trial-endpoints",
        "title": "Reading a breast cancer trial: a short guide to endpoints",
        "kind": "guest",
        "days_ago": 57,
        "contributors": ["amara-okafor"],
        "topics": ["breast-cancer", "clinical-trials"],
        "audiences": ["patients", "researchers", "clinicians"],
        "tags": ["endpoints", "hazard ratio", "trial results"],
        "colours": ("forest green", "rose"),
        "shape": "dots",
        "standfirst": """Overall survival, invasive disease-free survival, pathological complete
            response: a methodologist explains what each measures, and why the choice matters.""",
        "body": [
            p(
                """Every trial has a primary endpoint: the one outcome it was designed, and sized,
                to answer. Knowing which endpoint a trial used is the first step to knowing what
                its result means for you. Here are the ones you will meet most often in breast
                cancer."""
            ),
            h2("Overall survival"),
            p(
                """The time from joining the trial to death from any cause. It is the hardest
                endpoint to argue with, but in early breast cancer, where most people do well,
                it can take many years and thousands of participants to measure."""
            ),
            h2("Invasive disease-free survival"),
            p(
                """The time until the cancer comes back, a new invasive breast cancer appears, or
                the person dies. It is reached sooner than overall survival, which is why many
                trials of treatment after surgery use it. Whether a gain in disease-free
                survival becomes a gain in overall survival has to be checked, not assumed."""
            ),
            h2("Pathological complete response"),
            p(
                """Used in trials of treatment before surgery: no invasive cancer is left in the
                tissue removed at the operation. It is measured within months and is linked to
                better outcomes for individuals, but a drug that raises the rate does not
                always improve long-term results for the group."""
            ),
            h2("Hazard ratios, in one paragraph"),
            p(
                """Results are often given as a hazard ratio. A hazard ratio of 0.75 means that,
                at any point during follow-up, people in one group had about a quarter lower
                rate of the event than people in the other. It is a relative measure: the same
                hazard ratio means a large absolute benefit when the risk is high and a small
                one when it is low. Always look for absolute numbers too."""
            ),
            key_points(
                "Find the primary endpoint before reading anything else.",
                "Ask whether an early endpoint has been shown to predict longer or better life.",
                "Read relative results next to absolute ones.",
                "Look for quality of life and side effects, not only efficacy.",
                title="Four habits for reading a trial",
            ),
            references(R.CONSORT_2010, title="Further reading"),
        ],
        "conflicts": """Amara Okafor's institute receives research grants from public funders and,
            for some trials, from pharmaceutical companies. She receives no personal payments
            from industry.""",
        "review": {"by": "sofia-marchetti", "next_in_days": 280},
    },
]
