"""The organisation, topics and contributors of the demo site. Every person here is fictional."""

SITE_SETTINGS = {
    "organisation_name": "European Oncology Education Foundation",
    "organisation_url": "https://example.org/",
    "tagline": "Getting clinicians, researchers, patients and policy makers talking.",
    # Printed at the foot of every alert and digest, which do not go out without one.
    "postal_address": "European Oncology Education Foundation (demo)\nRue de l'Exemple 1\n"
    "1000 Brussels\nBelgium",
    "editor_email": "editor@example.org",
    "linkedin_group_url": "https://www.linkedin.com/groups/0000000/",
    "x_url": "https://x.com/example_demo",
    "facebook_url": "https://www.facebook.com/groups/000000000000000/",
    "mastodon_url": "https://mastodon.example/@cancerblog",
    "bluesky_url": "https://bsky.app/profile/cancerblog.example.org",
    "support_heading": "Questions about cancer?",
    "support_text": "Talk to a specialist nurse, free and in confidence. (Demo text: put your own "
    "helpline in Settings → Site settings.)",
    "support_phone": "+32 2 000 00 00",
    "support_hours": "Monday to Friday, 9:00–17:00",
    "support_link_url": "https://example.org/support/",
    "support_link_label": "More ways to get support",
    "donate_url": "https://example.org/donate/",
}

TOPICS = [
    {
        "slug": "immunotherapy",
        "name": "Immunotherapy",
        "description": """Treatments that help the body's own immune system recognise and attack
            cancer, such as checkpoint inhibitors and cell therapies: what they can do, who they
            help, their side effects, and the questions research has still to answer.""",
    },
    {
        "slug": "lung-cancer",
        "name": "Lung cancer",
        "description": """Diagnosis, treatment and care for people with lung cancer, from
            screening people at high risk to targeted drugs and immunotherapy — and the stigma
            that still surrounds the disease, whether or not someone has ever smoked.""",
    },
    {
        "slug": "breast-cancer",
        "name": "Breast cancer",
        "description": """Screening, treatment and life after breast cancer: how trials are
            changing care, what the evidence says about the choices patients face, and what
            people who have been through it want others to know.""",
    },
    {
        "slug": "survivorship",
        "name": "Survivorship",
        "description": """Life during and after cancer treatment: fatigue, work, relationships,
            follow-up care, fear of recurrence and long-term effects. Written with and for the
            growing number of people living with and beyond cancer.""",
    },
    {
        "slug": "clinical-trials",
        "name": "Clinical trials",
        "description": """How cancer research is designed, run, reported and read: finding a
            trial, understanding endpoints and statistics, involving patients in research, and
            making sure trial results reach the people they are meant to help.""",
    },
    {
        "slug": "prevention-and-screening",
        "name": "Prevention and screening",
        "description": """What lowers the risk of cancer and how screening programmes find it
            earlier: the evidence behind each programme, its benefits and harms, and how health
            systems across Europe organise them.""",
    },
]

# Colour pairs are names in demo.images.COLOURS.
CONTRIBUTORS = [
    {
        "slug": "marta-kowalczyk",
        "name": "Marta Kowalczyk",
        "kind": "staff",
        "role": "Senior health journalist",
        "affiliation": "The Cancer Blog",
        "bio": """Marta has reported on medicine and health policy for fifteen years, first for a
            regional newspaper and then for a European public broadcaster. She edits the news
            section and leads our interviews. She is particularly interested in how health
            systems listen, or fail to listen, to patients. (A fictional profile for the demo
            site.)""",
        "website": "https://example.org/team/marta-kowalczyk",
        "linkedin": "https://www.linkedin.com/in/example-marta-kowalczyk/",
        "x": "https://x.com/example_marta",
        "orcid": "",
        "colours": ("teal", "indigo"),
    },
    {
        "slug": "jonas-lindqvist",
        "name": "Jonas Lindqvist",
        "kind": "staff",
        "role": "Science reporter",
        "affiliation": "The Cancer Blog",
        "bio": """Jonas trained as a molecular biologist before moving into science journalism.
            He covers research, clinical trials and regulation, and tries to explain not only
            what a study found but how much weight it can bear. (A fictional profile for the
            demo site.)""",
        "website": "https://example.org/team/jonas-lindqvist",
        "linkedin": "https://www.linkedin.com/in/example-jonas-lindqvist/",
        "x": "",
        "orcid": "",
        "colours": ("navy", "sky blue"),
    },
    {
        "slug": "sofia-marchetti",
        "name": "Dr Sofia Marchetti",
        "kind": "columnist",
        "role": "Consultant medical oncologist",
        "affiliation": "Example University Hospital, Bologna",
        "bio": """Sofia treats people with lung and breast cancer and runs a clinic for the side
            effects of immunotherapy. Her monthly column looks at the decisions oncologists and
            patients make together, and at the evidence behind them. She reviews posts on
            treatment for medical accuracy. (A fictional profile for the demo site.)""",
        "website": "https://example.org/people/sofia-marchetti",
        "linkedin": "https://www.linkedin.com/in/example-sofia-marchetti/",
        "x": "https://x.com/example_sofia",
        "orcid": "0000-0002-0000-0001",
        "colours": ("plum", "rose"),
    },
    {
        "slug": "claire-dubois",
        "name": "Claire Dubois",
        "kind": "columnist",
        "role": "Patient advocate",
        "affiliation": "Example Breast Cancer Network, Lyon",
        "bio": """Claire was treated for breast cancer in her forties while working as a secondary
            school teacher. She now volunteers with a patient network, sits on a hospital
            research ethics committee, and writes our column on life after treatment. (A
            fictional profile for the demo site.)""",
        "website": "https://example.org/people/claire-dubois",
        "linkedin": "https://www.linkedin.com/in/example-claire-dubois/",
        "x": "",
        "orcid": "",
        "colours": ("coral", "amber"),
    },
    {
        "slug": "amara-okafor",
        "name": "Dr Amara Okafor",
        "kind": "guest",
        "role": "Biostatistician and trial methodologist",
        "affiliation": "Example Institute for Clinical Research, Leiden",
        "bio": """Amara designs and analyses cancer trials and teaches research methods to
            clinicians and patient representatives. She writes about how to read results
            without being misled by them. (A fictional profile for the demo site.)""",
        "website": "https://example.org/people/amara-okafor",
        "linkedin": "https://www.linkedin.com/in/example-amara-okafor/",
        "x": "",
        "orcid": "0000-0002-0000-0002",
        "colours": ("forest green", "mint"),
    },
    {
        "slug": "lukas-brenner",
        "name": "Dr Lukas Brenner",
        "kind": "guest",
        "role": "Consultant respiratory physician",
        "affiliation": "Example Lung Centre, Vienna",
        "bio": """Lukas leads a lung cancer diagnosis service and a pilot programme of lung
            screening for people at high risk. He writes about screening, early diagnosis and
            helping people stop smoking, and reviews posts on lung cancer for medical accuracy.
            (A fictional profile for the demo site.)""",
        "website": "https://example.org/people/lukas-brenner",
        "linkedin": "https://www.linkedin.com/in/example-lukas-brenner/",
        "x": "",
        "orcid": "0000-0002-0000-0003",
        "colours": ("slate", "ochre"),
    },
]
