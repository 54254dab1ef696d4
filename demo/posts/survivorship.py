"""Demo posts on survivorship."""

from blog.markup import figure, h2, key_points, p, quote

from .. import references as R

POSTS = [
    {
        "slug": "going-back-to-work-after-cancer",
        "title": "Going back to work: the conversation nobody prepares you for",
        "kind": "column",
        "days_ago": 15,
        "contributors": ["claire-dubois"],
        "topics": ["survivorship"],
        "audiences": ["patients", "policy-makers"],
        "tags": ["work", "employment rights", "fatigue"],
        "colours": ("ochre", "sage"),
        "shape": "bands",
        "standfirst": """Returning to work after treatment is often treated as the finish line.
            For many of us it is where a new set of difficulties starts.""",
        "body": [
            p(
                """My first morning back at school, a colleague hugged me and said, 'So you're
                all better now!' I smiled and said yes, because what else do you say in a
                corridor at ten to eight? I was not all better. I was tired in a way I had no
                words for, my concentration came and went, and I was terrified of failing in
                front of a class.""",
                """Nobody had told me that going back would be hard. The hospital prepared me
                for surgery, for chemotherapy, for radiotherapy. Work was treated as the place I
                would return to once the real business was over.""",
            ),
            quote(
                """The treatment ended on a date. The recovery did not come with one.""",
                "Claire Dubois",
            ),
            h2("What I wish I had known"),
            p(
                """That a phased return — fewer hours, lighter duties at first — is something
                you can ask for, and that depending on where you live, the law may require your
                employer to consider reasonable changes. That occupational health, if your
                workplace has it, is there to help you as well as the employer. That it is fine
                to decide how much to tell colleagues, and to change your mind.""",
                """And that it is normal for the first months to be uneven. Good weeks are
                followed by bad ones. That is not failure; it is recovery.""",
            ),
            h2("What I would ask of employers"),
            p(
                """Plan the return together, in writing, and review it after a month. Do not
                assume that someone who looks well feels well. Make it easy to talk about
                fatigue without it becoming a performance issue. Small adjustments — a quieter
                room, a later start on treatment-related appointments — often cost almost
                nothing.""",
                """Patient organisations in several countries publish guides for employees and
                employers. If your workplace has no policy, one of those guides is a good place
                to start a conversation.""",
            ),
        ],
    },
    {
        "slug": "survivorship-care-plans-promise-and-practice",
        "title": "Survivorship care plans: a good idea that is hard to deliver",
        "kind": "feature",
        "days_ago": 36,
        "contributors": ["jonas-lindqvist"],
        "topics": ["survivorship"],
        "audiences": ["clinicians", "policy-makers", "patients"],
        "tags": ["follow-up", "care plans", "patient-reported outcomes"],
        "colours": ("lavender", "forest green"),
        "shape": "circles",
        "standfirst": """A written plan for life after treatment sounds obviously useful. Yet
            many people finish treatment without one, and the evidence on what plans achieve is
            mixed.""",
        "body": [
            p(
                """A survivorship care plan is meant to be a simple document: what cancer you
                had and how it was treated, what follow-up you need and who provides it, which
                late effects to watch for, and where to get help with everything else — from
                fatigue to money to fear of recurrence. It is handed to the patient and shared
                with their family doctor.""",
                """The idea has been promoted for years by professional bodies and patient
                groups. In practice, many people tell us they never received one, and studies of
                care plans have not consistently shown that handing over a document, on its
                own, improves how people feel.""",
            ),
            h2("Why the gap?"),
            p(
                """Clinicians describe plans that take a long time to write, in systems where
                that time is not recognised. Family doctors describe documents that arrive late
                or not at all. Patients describe plans written in a language that was not meant
                for them. In each case the plan becomes paperwork, not care."""
            ),
            h2("What seems to work"),
            p(
                """The more promising approaches treat the plan as the start of a relationship
                rather than a handover. A conversation at the end of treatment, with a named
                contact afterwards. Shared records that the family doctor can actually open.
                Regular, simple questions about symptoms that reach someone who can act on the
                answers — an approach tested during treatment, where a randomised trial found
                benefits from systematic symptom reporting by patients.""",
            ),
            key_points(
                "A summary of the diagnosis and treatment, in plain language",
                "The follow-up schedule, and who is responsible for each part",
                "Possible late effects, and what to do if they appear",
                "Who to contact between appointments, with a name and a number",
                "Sources of help with work, money, relationships and mental health",
                title="What a useful plan contains",
            ),
            p(
                """None of this needs new technology. It needs someone whose job it is, and
                time to do it. We would like to hear from readers who have seen survivorship
                care done well — or badly."""
            ),
        ],
        "references": [R.BASCH_2016],
        "funding": """Our survivorship series is funded from the foundation's general funds. It
            receives no industry funding.""",
        "review": {"by": "sofia-marchetti", "next_in_days": 200},
    },
    {
        "slug": "monthly-survivorship-qa",
        "title": "New: a monthly survivorship Q&A with our readers",
        "kind": "news",
        "days_ago": 2,
        "contributors": ["marta-kowalczyk"],
        "topics": ["survivorship"],
        "audiences": ["patients"],
        "tags": ["reader questions", "foundation news"],
        "colours": ("mint", "coral"),
        "shape": "dots",
        "standfirst": """Each month a clinician and a survivor will answer questions sent in by
            readers, in a post and in the comments below it.""",
        "body": [
            p(
                """Questions about life after cancer treatment rarely fit into a fifteen-minute
                appointment. From next month we will take a handful each month and put them to a
                clinician and to someone who has been through treatment themselves, and publish
                both answers side by side.""",
                """Send your question in the comments below or to the editor. We will remove
                anything that could identify you, and we cannot give advice about an individual
                person's care — for that, please talk to your own team.""",
            ),
        ],
    },
    {
        "slug": "fatigue-after-cancer-interview",
        "title": "Fatigue after cancer: 'People expect you to bounce back'",
        "kind": "interview",
        "days_ago": 66,
        "contributors": ["marta-kowalczyk", "claire-dubois"],
        "topics": ["survivorship", "breast-cancer"],
        "audiences": ["patients", "clinicians"],
        "tags": ["fatigue", "physical activity", "recovery"],
        "colours": ("sand", "indigo"),
        "shape": "arcs",
        "standfirst": """Cancer-related fatigue is one of the most common and least understood
            effects of treatment. Marta Kowalczyk talked to columnist Claire Dubois about living
            with it.""",
        "summary": """Many people feel deeply tired during and after cancer treatment, and rest
            does not always help. This kind of tiredness is common and real. Doctors and nurses
            can help look for causes that can be treated, and clinical guidelines often
            suggest gentle, gradually increased physical activity. Talk to your care team if
            tiredness is affecting your life.""",
        "body": [
            p(
                """Claire Dubois finished treatment for breast cancer several years ago. She
                writes our column on life after treatment. We asked her about the tiredness that
                stayed. The interview has been edited for length."""
            ),
            h2("How would you describe it?"),
            p(
                """"It is not the tiredness of a long day. It is like having a battery that only
                charges to half. You wake up already tired, and a night's sleep does not fix it.
                The worst part was that it was invisible. I looked well, so people expected me
                to be well.\""""
            ),
            figure(
                "fatigue",
                "Abstract illustration chosen for this interview; it does not depict Claire.",
            ),
            h2("Did anyone warn you?"),
            p(
                """"I was told I might be tired during chemotherapy. Nobody said it could last
                after. When I raised it at a follow-up, the first response was that my scans
                were clear. It took a nurse asking me directly — 'how is your energy, really?'
                — for it to be taken seriously.\""""
            ),
            h2("What helped?"),
            p(
                """"Being checked for things that can be treated, like anaemia, thyroid problems,
                poor sleep and low mood. Then, slowly, activity. I started with ten-minute walks
                and built up over months with the help of a physiotherapist. I was sceptical,
                because exercise was the last thing I felt like doing, but it helped me more
                than resting did. Everyone is different, and it has to be planned with someone
                who knows your situation.\""""
            ),
            quote(
                """People expect you to bounce back. Nobody bounces. You climb, and some days
                you slide.""",
                "Claire Dubois",
            ),
            h2("What would you tell someone in the middle of it?"),
            p(
                """"That it is real, it is common, and you are allowed to say so. Write down what
                tires you and what helps, and take it to your appointments. And be as kind to
                yourself as you would be to a friend.\""""
            ),
        ],
        "review": {"by": "sofia-marchetti", "next_in_days": 23},
    },
]
