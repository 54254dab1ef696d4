"""Demo posts on lung cancer."""

from blog.markup import embed, figure, h2, p, quote

from .. import references as R

POSTS = [
    {
        "slug": "eu-screening-recommendation-lung-cancer",
        "title": "What Europe's updated screening recommendation means for lung cancer",
        "kind": "news",
        "days_ago": 60,
        "contributors": ["jonas-lindqvist"],
        "topics": ["lung-cancer", "prevention-and-screening"],
        "audiences": ["policy-makers", "clinicians"],
        "tags": ["lung screening", "low-dose CT", "EU policy"],
        "colours": ("navy", "sand"),
        "shape": "dots",
        "standfirst": """The Council of the EU has asked member states to look at lung cancer
            screening with low-dose CT, starting with pilots. Here is what that does and does
            not commit countries to.""",
        "body": [
            p(
                """In December 2022 the Council of the European Union adopted an updated
                recommendation on cancer screening. Alongside the long-standing programmes for
                breast, bowel and cervical cancer, it invites countries to consider screening
                for lung cancer with low-dose CT in people at high risk, combined with help to
                stop smoking, and to start with pilots and implementation research.""",
                """A recommendation is not a law. Each country decides whether and how to act,
                and the text is explicit that a step-by-step approach is expected. But it gives
                health planners a shared reference point and makes it easier to compare what
                pilots find.""",
                """The evidence behind the move comes mainly from two large randomised trials:
                the US National Lung Screening Trial and the Dutch-Belgian NELSON trial. Both
                reported fewer deaths from lung cancer among people invited to CT screening.
                The harder questions now are practical ones: who to invite, how to reach people
                who rarely see a doctor, how to handle the many small nodules that CT finds, and
                how to build smoking cessation into every visit.""",
                """We will follow the pilots as they report. If you are involved in one, we
                would like to hear from you.""",
            ),
        ],
        "references": [R.NLST_2011, R.NELSON_2020],
        "review": {"by": "lukas-brenner", "next_in_days": 200},
    },
    {
        "slug": "before-the-scan-shared-decisions-lung-screening",
        "title": "Before the scan: shared decisions in lung screening",
        "kind": "guest",
        "days_ago": 33,
        "contributors": ["lukas-brenner"],
        "topics": ["lung-cancer", "prevention-and-screening"],
        "audiences": ["clinicians", "patients", "policy-makers"],
        "tags": ["lung screening", "shared decision-making", "overdiagnosis"],
        "colours": ("slate", "mint"),
        "shape": "arcs",
        "standfirst": """Screening is an offer, not an order. A respiratory physician on the
            conversation that should happen before anyone lies down in the CT scanner.""",
        "body": [
            p(
                """Every week I meet people who have been invited to lung screening and are not
                sure whether to accept. Some are worried about what we might find. Some feel
                judged for having smoked. A few assume that a clear scan means they can stop
                worrying about their lungs for good. All of them deserve a proper conversation
                before the scan, not a leaflet after it."""
            ),
            h2("What screening can offer"),
            p(
                """Large trials have shown that regular low-dose CT in people at high risk can
                find lung cancers earlier, when more of them can be treated with surgery or
                radiotherapy, and that fewer people in the screened groups died of lung cancer.
                That is a real benefit, and for many people it is worth having."""
            ),
            h2("What it can cost"),
            p(
                """Screening also finds things that turn out to be harmless: small nodules that
                need a repeat scan, and findings in other organs that lead to more tests. A few
                people will have an invasive procedure for something that was never cancer.
                Some cancers found by screening would never have caused harm; treating them is
                what we call overdiagnosis. And each scan carries a small dose of radiation."""
            ),
            quote(
                """The aim of the conversation is not to persuade anyone. It is to make sure
                that whatever they decide, they decide knowing what it involves.""",
                "Lukas Brenner",
            ),
            h2("What I try to cover"),
            p(
                """Why this person has been invited; what happens at the scan and afterwards;
                how often we find something that needs another look, and what that feels like;
                what we do if we find cancer; and what else they can do for their lungs —
                above all, stopping smoking, with real support rather than a lecture.""",
                """Done well, this takes ten minutes. Our pilot trains nurses to lead it, and
                people tell us it is the part of the visit they remember. Health systems
                planning screening should budget for it from the start.""",
            ),
        ],
        "references": [R.NLST_2011, R.NELSON_2020],
        "conflicts": """Lukas Brenner leads a hospital lung screening pilot funded by a regional
            health authority. He declares no commercial conflicts of interest.""",
        "review": {"by": "sofia-marchetti", "next_in_days": 300},
    },
    {
        "slug": "stigma-and-lung-cancer",
        "title": "The smoking question: how stigma shapes lung cancer care",
        "kind": "feature",
        "days_ago": 45,
        "contributors": ["marta-kowalczyk"],
        "topics": ["lung-cancer", "survivorship"],
        "audiences": ["patients", "clinicians", "researchers", "policy-makers"],
        "tags": ["stigma", "language", "smoking cessation"],
        "colours": ("ochre", "navy"),
        "shape": "circles",
        "standfirst": """'Did you smoke?' is often the first thing people with lung cancer are
            asked. Patients, nurses and doctors describe what that question does, and how to ask
            about smoking without assigning blame.""",
        "summary": """Many people with lung cancer say they feel blamed for their illness, and
            some people who have never smoked say others assume they did. Feeling judged can
            make people slower to see a doctor and less likely to talk openly. Doctors still
            need to ask about smoking, because it matters for treatment and for help to stop,
            but how they ask makes a difference.""",
        "body": [
            p(
                """Ask people with lung cancer about the first weeks after diagnosis and many
                will tell you about a question. Not 'how are you coping?' but 'did you
                smoke?' — from a colleague, a relative, sometimes a stranger. Whatever the
                answer, they say, it changes the conversation.""",
                """Smoking is the biggest single cause of lung cancer, and nobody we spoke to
                wants that fact softened. But lung cancer also affects people who have never
                smoked, and people who smoked were usually addicted young, often long before
                the risks were widely known. Blame helps none of them.""",
            ),
            figure(
                "stigma",
                """Abstract illustration. We chose not to show people for this feature; the
                picture does not depict anyone interviewed.""",
            ),
            h2("Why it matters for care"),
            p(
                """Nurses describe patients who waited months with a cough because they
                expected to be told off. Advocates describe fundraising that is harder for lung
                cancer than for other cancers. Researchers point out that stigma is difficult
                to measure and that the evidence on its effects is still growing — but the
                accounts are consistent enough to take seriously."""
            ),
            quote(
                """We have to ask about smoking: it changes which tests and treatments make
                sense, and stopping helps at any stage. The question is whether we ask to help,
                or ask to judge.""",
                "Lukas Brenner, respiratory physician",
            ),
            h2("Asking without blaming"),
            p(
                """Some clinics have changed their wording. Instead of 'are you a smoker?' they
                ask 'do you smoke, or have you ever smoked?' and follow the answer with an offer
                of help rather than a warning. Patient groups ask for 'a person with lung
                cancer' rather than labels, and for campaigns that show the range of people the
                disease affects.""",
                """None of this is complicated. It does require everyone — from reception desks
                to newsrooms, including this one — to notice the question they are really
                asking.""",
            ),
        ],
        "review": {"by": "lukas-brenner", "next_in_days": 180},
    },
    {
        "slug": "speeding-up-lung-cancer-diagnosis",
        "title": "'The waiting is the hardest part': speeding up lung cancer diagnosis",
        "kind": "interview",
        "days_ago": 18,
        "contributors": ["jonas-lindqvist", "lukas-brenner"],
        "topics": ["lung-cancer"],
        "audiences": ["patients", "clinicians", "policy-makers"],
        "tags": ["early diagnosis", "rapid diagnostic pathway", "palliative care"],
        "colours": ("sky blue", "crimson"),
        "shape": "bands",
        "standfirst": """Between a worrying scan and a diagnosis there can be weeks of tests and
            uncertainty. Jonas Lindqvist asked a respiratory physician how services can shorten
            the wait without cutting corners.""",
        "summary": """After a scan shows something that might be lung cancer, people often wait
            weeks for more tests and a diagnosis. Some hospitals organise these tests so they
            happen close together, with one named nurse who keeps the person informed. This
            does not make the tests less careful; it reduces the time spent waiting between
            them.""",
        "body": [
            p(
                """Lukas Brenner leads a lung cancer diagnosis service in Vienna. We talked about
                waiting times, the role of nurses, and why palliative care belongs early in the
                conversation. The interview has been edited for length."""
            ),
            h2("Where does the time go?"),
            p(
                """"Mostly between steps. A CT, then a wait for the report, then a clinic
                appointment, then a biopsy, then a wait for the pathology and the molecular
                tests, then the team meeting. Each step may be reasonable on its own. Added
                together, they can mean more than a month of not knowing.\""""
            ),
            h2("What have you changed?"),
            p(
                """"We book the next step before the current one is finished, and we keep slots
                free for people referred from screening or with a suspicious scan. Every person
                has one named nurse they can phone. Nothing about the tests is faster — the
                time between them is.\""""
            ),
            embed(
                "https://www.youtube.com/watch?v=0000demo001",
                """Demo video placeholder: a walk through a rapid lung diagnosis clinic (the link
                is an example and does not lead to a real video)""",
            ),
            h2("You also mention palliative care. Why so early?"),
            p(
                """"Because palliative care is not only for the end of life. It is expert help
                with symptoms, with decisions and with the strain on families. A well-known
                randomised trial in people with metastatic lung cancer found that adding early
                palliative care to usual oncology care improved quality of life. I would like
                every person diagnosed with advanced disease to meet the team early, not as a
                last resort.\""""
            ),
            h2("What would help most?"),
            p(
                """"Counting the right thing. Hospitals report how long each test takes. Patients
                experience the whole journey. If we measured the time from the first worrying
                scan to a treatment plan, a lot of changes would follow.\""""
            ),
        ],
        "references": [R.TEMEL_2010],
        "review": {"by": "sofia-marchetti", "next_in_days": 250},
    },
]
