"""Demo posts on immunotherapy."""

from blog.markup import h2, key_points, p, quote, references

from .. import references as R

POSTS = [
    {
        "slug": "checkpoint-inhibitors-what-changed",
        "title": "Checkpoint inhibitors, a decade and a half on: what changed, and what did not",
        "kind": "feature",
        "featured": True,
        "days_ago": 4,
        "contributors": ["jonas-lindqvist"],
        "topics": ["immunotherapy", "lung-cancer"],
        "audiences": ["patients", "clinicians", "researchers"],
        "tags": ["checkpoint inhibitors", "melanoma", "side effects"],
        "colours": ("teal", "coral"),
        "shape": "circles",
        "standfirst": """Drugs that release the brakes on the immune system have changed the
            outlook for some people with advanced cancer. They have also brought new side
            effects, new costs and new questions.""",
        "summary": """Checkpoint inhibitors are medicines that help the immune system attack
            cancer. Since 2010 they have become a standard treatment for several cancers. Some
            people live much longer with them, but many do not respond, and the side effects
            are different from chemotherapy: they can affect almost any part of the body and
            can start months later. If you have had one of these drugs, tell your care team
            about any new symptom.""",
        "body": [
            p(
                """In 2010 a randomised trial in people with advanced melanoma reported that
                ipilimumab, an antibody that blocks a 'brake' on immune cells called CTLA-4,
                lengthened overall survival compared with a peptide vaccine alone. It was the
                first time a drug of this kind had done so in a randomised trial, and it changed
                how oncologists talk about the immune system.""",
                """Antibodies against two other brakes, PD-1 and its partner PD-L1, followed. In
                2016 the KEYNOTE-024 trial compared pembrolizumab with platinum chemotherapy as
                a first treatment for people with advanced non-small-cell lung cancer whose
                tumours had high levels of PD-L1, and reported longer progression-free survival
                with pembrolizumab. Today these drugs are part of standard care for several
                cancers in Europe.""",
            ),
            h2("What changed"),
            p(
                """The most visible change is in the long tail of the survival curves. Before
                these drugs, few people with some advanced cancers — metastatic melanoma is the
                usual example — were alive years after diagnosis. Now a minority are, and some
                of them have stopped treatment altogether. Oncologists who trained before 2010
                describe having to relearn what to tell patients about the future.""",
                """The second change is in side effects. Chemotherapy mostly harms cells that
                divide quickly. Checkpoint inhibitors instead let the immune system act more
                freely, and sometimes it turns on healthy tissue: the bowel, skin, liver, lungs
                or hormone glands. These immune-related side effects can start weeks or months
                after treatment, so emergency doctors and GPs need to know about them too.""",
            ),
            quote(
                """The question is no longer whether the immune system can control cancer, but
                for whom, for how long, and at what cost.""",
                "Sofia Marchetti, medical oncologist and Cancer Blog columnist",
            ),
            h2("What did not change"),
            p(
                """Most people with advanced cancer still do not have a lasting response. Tests
                that predict who will benefit, such as PD-L1 levels in the tumour, help choose
                treatment but remain imperfect: some people with low levels respond, and many
                with high levels do not.""",
                """Nor has access become equal. The price of these medicines, and the time it
                takes for health systems to decide whether to pay for them, still differs
                widely between European countries.""",
            ),
            key_points(
                """Checkpoint inhibitors release brakes on the immune system rather than
                attacking cancer cells directly.""",
                """They help some people for a long time, but most people with advanced cancer
                do not have a lasting response.""",
                """Side effects can affect almost any organ and may start weeks or months after
                treatment.""",
                "Anyone who has had these drugs should report new symptoms to their care team.",
            ),
            h2("The questions still open"),
            p(
                """How long should treatment last, and when is it safe to stop? Which
                combinations add benefit and which only add side effects? What is gained by
                giving these drugs before or after surgery rather than only for advanced
                disease? And how can health systems afford them without delaying access?""",
                """We will follow these questions in our immunotherapy series. If you work on
                them — or live with them — we would like to hear from you in the comments.""",
            ),
        ],
        "references": [R.HODI_2010, R.RECK_2016, R.HANAHAN_2011],
        "review": {"by": "sofia-marchetti", "next_in_days": 150},
    },
    {
        "slug": "immunotherapy-side-effects-can-appear-months-later",
        "title": "'Side effects can appear months later': Sofia Marchetti on immunotherapy",
        "kind": "interview",
        "days_ago": 69,
        "contributors": ["marta-kowalczyk", "sofia-marchetti"],
        "topics": ["immunotherapy", "survivorship"],
        "audiences": ["patients", "clinicians"],
        "tags": ["side effects", "checkpoint inhibitors", "patient safety"],
        "colours": ("indigo", "amber"),
        "shape": "arcs",
        "standfirst": """Immune-related side effects are different from those of chemotherapy,
            and they do not always wait for treatment to end. A medical oncologist explains what
            patients and non-specialist doctors should watch for.""",
        "summary": """Immunotherapy can cause the immune system to attack healthy parts of the
            body, such as the bowel, lungs, skin, liver or hormone glands. This can happen
            during treatment or long after it. New diarrhoea, cough, breathlessness, rash,
            unusual tiredness or yellow skin should be reported to the cancer team the same
            day. Telling any doctor you see that you have had immunotherapy helps them think of
            it.""",
        "body": [
            p(
                """Immunotherapy drugs called checkpoint inhibitors are now part of treatment for
                many cancers. Their side effects are different from those of chemotherapy, and
                they can arrive late. Marta Kowalczyk asked medical oncologist and Cancer Blog
                columnist Sofia Marchetti what patients and non-specialist doctors should know.
                The interview has been edited for length."""
            ),
            h2("Why are the side effects different?"),
            p(
                """"Chemotherapy mostly harms cells that divide quickly, which is why it affects
                hair, the lining of the gut and the blood count. Checkpoint inhibitors work by
                taking the brakes off immune cells. Usually that is exactly what we want. But
                sometimes the immune system also turns on healthy tissue — the bowel, the skin,
                the liver, the lungs, or hormone glands such as the thyroid. We call these
                immune-related side effects.\""""
            ),
            h2("When do they happen?"),
            p(
                """"Most appear in the first months of treatment, but they can start at any time,
                including after the last dose. I ask my patients to mention immunotherapy to any
                doctor they see, even long after treatment has ended, and many hospitals give
                out an alert card for exactly this reason.\""""
            ),
            h2("What should people look out for?"),
            key_points(
                "New or worsening diarrhoea, or blood or mucus in the stool",
                "A new cough, chest pain or breathlessness",
                "A rash that spreads, blisters or itches badly",
                "Unusual tiredness, headaches, dizziness or feeling very thirsty",
                "Yellowing of the skin or the whites of the eyes, or dark urine",
                title="Symptoms worth reporting the same day",
            ),
            p(
                """"This is not a complete list, and it does not replace the advice of your own
                team. The principle is simple: if something new happens, call.\""""
            ),
            quote(
                """Nobody should feel they are making a fuss. A phone call that turns out to be
                nothing is far better than a week of waiting.""",
                "Sofia Marchetti",
            ),
            h2("Is a side effect a sign that the drug is working?"),
            p(
                """"People ask me this a lot. Researchers have looked at it, but the answer is not
                simple, and I would never want someone to think that having no side effects
                means their treatment is failing. Plenty of people respond well with very few
                side effects.\""""
            ),
            h2("What would you change?"),
            p(
                """"Better links between the oncology team, emergency departments and family
                doctors. Many of these side effects are very treatable when they are recognised
                early. The problem is usually not the medicine; it is the delay before someone
                thinks of it.\""""
            ),
        ],
        "conflicts": """Sofia Marchetti has received fees for advisory boards from companies that
            make checkpoint inhibitors. She had no role in choosing the questions.""",
        "review": {"by": "lukas-brenner", "next_in_days": 111},
    },
    {
        "slug": "call-for-questions-immunotherapy-guide",
        "title": "Help us write a plain-language guide to immunotherapy side effects",
        "kind": "news",
        "days_ago": 12,
        "contributors": ["marta-kowalczyk"],
        "topics": ["immunotherapy"],
        "audiences": ["patients"],
        "tags": ["patient information", "side effects", "foundation news"],
        "colours": ("sage", "plum"),
        "shape": "dots",
        "standfirst": """We are preparing a short guide for people starting immunotherapy, and we
            want it to answer the questions patients and carers actually ask.""",
        "body": [
            p(
                """The foundation's patient panel has started work on a plain-language guide to
                the side effects of immunotherapy. It will explain what immune-related side
                effects are, which symptoms to report and to whom, and what to tell doctors who
                are not cancer specialists.""",
                """Before we write a word, we want to hear from you. What did you wish you had
                known when you started treatment? What did you find confusing? Leave a comment
                under this post or write to the editor. We will not publish anything that could
                identify you without your permission.""",
                """The draft will be reviewed by two oncologists and by members of the panel,
                and we will publish it here for comment before it is printed.""",
            ),
        ],
    },
    {
        "slug": "what-response-rate-does-not-tell-you",
        "title": "What a 'response rate' does — and does not — tell you",
        "kind": "column",
        "days_ago": 24,
        "contributors": ["sofia-marchetti"],
        "topics": ["immunotherapy", "clinical-trials"],
        "audiences": ["patients", "clinicians", "researchers"],
        "tags": ["endpoints", "RECIST", "trial results"],
        "colours": ("crimson", "sky blue"),
        "shape": "bands",
        "standfirst": """A headline figure of '40% response' sounds like a promise. It is a
            measurement of tumour shrinkage on a scan, and it needs careful reading.""",
        "body": [
            p(
                """Every few weeks a patient shows me a news story about a new drug with an
                impressive response rate, and asks whether it is for them. It is a fair
                question, and answering it starts with knowing what the number measures.""",
                """In most solid-tumour trials, a 'response' is defined by rules called RECIST.
                A radiologist measures a set of target tumours on a scan before treatment and
                again later. A partial response means the sum of their diameters has shrunk by
                at least 30%; a complete response means the target tumours have disappeared.
                The response rate is the share of people in the trial who had either.""",
            ),
            h2("What it tells you"),
            p(
                """Shrinkage is real and often matters to people: a smaller tumour can mean less
                pain, easier breathing, a chance of surgery. And response rates can be measured
                early, which is why they are used to decide which drugs deserve bigger
                trials."""
            ),
            h2("What it does not"),
            p(
                """A response rate does not tell you how long the response lasts, whether people
                live longer, or how they feel. A drug can shrink tumours in many people for a
                short time, and another can shrink them in few people for years. Stable disease
                — no meaningful growth or shrinkage — is not counted as a response at all, even
                though for some people it means years of good life.""",
                """Immunotherapy adds a twist. Occasionally tumours seem to grow on the first
                scan and then shrink, probably because immune cells have moved in. It is
                uncommon, and it is one reason why scans during immunotherapy are read with
                care rather than mechanically.""",
            ),
            quote(
                """Ask not only 'how many responded?' but 'for how long, and did they live longer
                or better?'"""
            ),
            p(
                """So when you read a response rate, look for three more numbers: the duration
                of response, overall survival, and some measure of quality of life. If a story
                gives you none of them, it has told you much less than it seems."""
            ),
            references(R.RECIST_2009, title="Further reading"),
        ],
    },
]
