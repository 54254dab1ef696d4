"""Demo posts on prevention and screening."""

from blog.markup import figure, h2, key_points, p, quote, references

from .. import references as R

POSTS = [
    {
        "slug": "european-code-against-cancer-explained",
        "title": "The European Code Against Cancer, explained",
        "kind": "feature",
        "days_ago": 42,
        "contributors": ["marta-kowalczyk"],
        "topics": ["prevention-and-screening"],
        "audiences": ["patients", "policy-makers"],
        "tags": ["European Code Against Cancer", "risk factors", "IARC"],
        "colours": ("forest green", "amber"),
        "shape": "circles",
        "standfirst": """A short list of things people can do to lower their risk of cancer,
            drawn up by experts for the whole of Europe. What is in it, where it comes from, and
            what it cannot do.""",
        "summary": """The European Code Against Cancer is a list of recommendations about
            things that can lower the risk of cancer, such as not smoking, drinking less
            alcohol, being active, protecting skin from the sun, getting certain vaccines and
            taking part in screening when invited. It does not mean that people who get cancer
            did something wrong: many cancers happen for reasons nobody can control.""",
        "body": [
            p(
                """The European Code Against Cancer is a set of recommendations for the public,
                prepared by experts convened by the International Agency for Research on Cancer
                (IARC), the World Health Organization's cancer research agency, with support from
                the European Union. It is updated from time to time as the evidence changes.""",
                """Its recommendations for individuals cover, among other things, tobacco,
                alcohol, body weight, physical activity, diet, sun exposure, some workplace and
                environmental exposures, vaccination against infections that can cause cancer,
                and taking part in organised screening programmes.""",
            ),
            figure(
                "code",
                "Abstract illustration chosen for this feature; it does not represent data.",
            ),
            h2("Where the evidence comes from"),
            p(
                """Each recommendation rests on reviews of the research on that risk factor,
                weighed by working groups of scientists. The aim is to include only actions
                where the evidence of benefit is strong and that a person can take themselves,
                and to word them so that they are understood across many languages and
                cultures."""
            ),
            key_points(
                "It is a set of recommendations for the public, not legislation.",
                "It is prepared by independent experts convened by IARC.",
                "It focuses on actions individuals can take, backed by strong evidence.",
                "Following it lowers risk; it cannot remove it.",
            ),
            h2("What it cannot do"),
            p(
                """Individual advice has limits. Many of the risks in the Code depend on where
                people live and work, what they can afford and what is sold around them. That is
                why the Code sits alongside policies — on tobacco, alcohol, air quality and
                access to screening — that are the responsibility of governments rather than
                individuals.""",
                """And it must never be read backwards. Many people who follow every
                recommendation still develop cancer, and a diagnosis is not evidence that
                someone failed.""",
            ),
            quote(
                """Prevention advice is for the future. It is not a verdict on anyone's past.""",
                "Claire Dubois, patient advocate",
            ),
        ],
        "references": [R.GLOBOCAN_2020],
        "review": {"by": "lukas-brenner", "next_in_days": 320},
        "corrections": [
            (
                5,
                """An earlier version of this article described the Code as EU law. It is a set
                of recommendations, not legislation; the text has been corrected.""",
            ),
        ],
    },
    {
        "slug": "screening-explainer-series",
        "title": "Coming soon: an explainer series on cancer screening",
        "kind": "news",
        "days_ago": 27,
        "contributors": ["jonas-lindqvist"],
        "topics": ["prevention-and-screening"],
        "audiences": ["patients", "policy-makers"],
        "tags": ["screening", "explainers", "foundation news"],
        "colours": ("sky blue", "ochre"),
        "shape": "bands",
        "standfirst": """One post for each screening programme offered in Europe: who is
            invited, what the test involves, what it can find, and what it can miss.""",
        "body": [
            p(
                """Screening invitations arrive with a date and a leaflet, but readers tell us
                they often have questions the leaflet does not answer. Over the coming months we
                will publish an explainer on each of the main programmes — breast, bowel and
                cervical screening, and the lung screening pilots now starting in several
                countries.""",
                """Each explainer will set out the benefits and the harms in plain numbers, be
                reviewed by a clinician and by members of our patient panel, and link to the
                research it is based on. Tell us in the comments what you would like us to
                cover.""",
            ),
        ],
    },
    {
        "slug": "every-visit-a-chance-to-stop-smoking",
        "title": "Every clinic visit is a chance to help someone stop smoking",
        "kind": "guest",
        "days_ago": 63,
        "contributors": ["lukas-brenner"],
        "topics": ["prevention-and-screening", "lung-cancer"],
        "audiences": ["clinicians", "policy-makers"],
        "tags": ["smoking cessation", "tobacco", "health services"],
        "colours": ("slate", "coral"),
        "shape": "arcs",
        "standfirst": """Smoking cessation is often treated as someone else's job. A respiratory
            physician argues it belongs in every cancer and screening service — including after
            a diagnosis.""",
        "body": [
            p(
                """When someone is diagnosed with cancer, stopping smoking can seem beside the
                point. It is not. Continuing to smoke can make treatment harder to tolerate and
                recovery from surgery slower, and it keeps adding to the risk of other illness.
                Stopping helps at any stage.""",
                """Yet in many clinics, including mine until recently, the conversation stops at
                a tick box. 'Smoker: yes.' Perhaps a leaflet. Then on to the next item.""",
            ),
            h2("Ask, advise, act"),
            p(
                """The approach we now use is simple. Ask everyone about smoking, in a neutral
                way. Advise, briefly and without blame, that stopping is one of the most useful
                things they can do. And act: offer a referral to a specialist service with
                behavioural support and medication, made there and then, rather than suggesting
                they look for help themselves."""
            ),
            quote(
                """A referral made in the room is worth more than advice given at the door.""",
                "Lukas Brenner",
            ),
            h2("What services need"),
            p(
                """Cessation specialists who can see people quickly, ideally in the same
                building. Medication that is affordable for patients. Training for every
                clinician in a thirty-second conversation. And a way to record the offer, so
                that it becomes routine rather than heroic.""",
                """Lung screening pilots are building this in from the start. The rest of cancer
                care should follow.""",
            ),
        ],
        "conflicts": """Lukas Brenner has received fees from a public health agency for teaching
            clinicians about smoking cessation. He declares no commercial conflicts of
            interest.""",
    },
    {
        "slug": "overdiagnosis-explained-by-a-statistician",
        "title": "Overdiagnosis, explained by a statistician",
        "kind": "interview",
        "days_ago": 54,
        "contributors": ["jonas-lindqvist", "amara-okafor"],
        "topics": ["prevention-and-screening", "clinical-trials"],
        "audiences": ["patients", "clinicians", "researchers", "policy-makers"],
        "tags": ["overdiagnosis", "screening", "statistics"],
        "colours": ("lavender", "navy"),
        "shape": "dots",
        "standfirst": """How can finding a cancer ever be a harm? Jonas Lindqvist asked trial
            methodologist Amara Okafor to explain one of the most misunderstood ideas in
            screening.""",
        "summary": """Screening sometimes finds cancers that would never have caused any
            problems during a person's life. Because doctors cannot yet tell which ones these
            are, people may have treatment they did not need. This is called overdiagnosis. It
            is one of the reasons screening programmes are only offered where the benefits are
            judged to outweigh the harms.""",
        "body": [
            p(
                """Amara Okafor is a biostatistician who designs and analyses cancer trials. The
                interview has been edited for length."""
            ),
            h2("What is overdiagnosis?"),
            p(
                """"It is the diagnosis of a cancer that would never have caused symptoms or
                death in that person's lifetime. The cancer is real under the microscope. But it
                is growing so slowly, or the person would have died of something else first, that
                finding it brings no benefit — only the treatment and the label.\""""
            ),
            h2("How can anyone know that, if the cancer is treated?"),
            p(
                """"For one person, you cannot. That is what makes it hard. We see it in
                populations. In a randomised screening trial, if the screened group keeps
                having more cancers diagnosed than the unscreened group, even after many years,
                the extra cancers are ones that would not otherwise have come to light. That is
                the signature of overdiagnosis.\""""
            ),
            quote(
                """Overdiagnosis is invisible in any single patient. It only shows up when you
                count.""",
                "Amara Okafor",
            ),
            h2("Does it mean screening is bad?"),
            p(
                """"No. It means screening has harms as well as benefits, like any medical
                intervention. The large lung screening trials, for example, measured deaths
                from lung cancer, not just how many cancers were found, precisely so that
                benefits could be weighed properly. The decision to screen should rest on that
                balance, and people invited should be told about both sides.\""""
            ),
            h2("What should people ask?"),
            p(
                """"Out of a thousand people like me who are screened for ten years, how many
                will avoid dying from this cancer, and how many will be diagnosed and treated
                for a cancer that would never have harmed them? Good programmes can answer
                that, at least approximately.\""""
            ),
            references(R.NLST_2011, R.NELSON_2020, title="Trials mentioned"),
        ],
        "review": {"by": "lukas-brenner", "next_in_days": 250},
    },
]
