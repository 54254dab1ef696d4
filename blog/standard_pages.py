"""The standard pages under the home page: about, guest guidelines, community rules, privacy,
accessibility. Written for this blog; editors adapt them in the admin."""

from .markup import bullets, h2, key_points, p

EDITOR = '<a href="mailto:editor@example.org">editor@example.org</a>'

ABOUT = {
    "slug": "about",
    "title": "About this blog",
    "intro": """The Cancer Blog is where people who work on cancer, and people who live with it,
        talk to each other.""",
    "body": [
        p(
            """The Cancer Blog is published by the European Oncology Education Foundation, a
            non-profit organisation that supports education in cancer care across Europe. Its
            purpose is to speed up progress in cancer care by getting clinicians, researchers,
            regulators, health planners, patients and survivors talking — and listening — to
            each other."""
        ),
        h2("Who writes here"),
        p(
            """A small team of journalists publishes news, features and interviews. Regular
            columnists — clinicians and patient advocates — write opinion pieces every month.
            And we publish guest posts from anyone with something useful to say: researchers,
            nurses, policy makers, patients and carers. If that is you, read
            <a href="/write-for-us/">how to write a blog post for us</a>."""
        ),
        h2("How we work"),
        key_points(
            "Every post names its authors and publishes their declared conflicts of interest.",
            """Posts about diagnosis and treatment are checked by a clinician, whose name and
            review date appear on the post.""",
            "We link to the research behind what we write, with DOIs and PubMed IDs.",
            """When we get something wrong we correct it openly, with a dated note at the foot
            of the post.""",
            "We do not carry advertising, and no funder sees a post before it is published.",
            title="Our commitments",
        ),
        h2("What this blog is not"),
        p(
            """Nothing here is medical advice for an individual. If something you read raises a
            question about your own health or care, please talk to your doctor or care team.
            In an emergency, call 112 or your local emergency number."""
        ),
        h2("How we are funded"),
        p(
            """The foundation is funded by individual donations, grants from public bodies and
            charitable foundations, and fees for its education programmes. It publishes its
            accounts every year. Where a series of posts is supported by a specific grant, the
            post says so."""
        ),
        h2("Join the conversation"),
        p(
            """Comment under any post — please read our
            <a href="/community-guidelines/">community guidelines</a> first. Subscribe to email
            alerts for the topics you care about, or follow us on the social networks linked at
            the foot of every page. To suggest a story or report an error, write to the editor
            at """
            + EDITOR
            + "."
        ),
        h2("About this demo"),
        p(
            """This site is running with demonstration content. The foundation's name is a
            placeholder, the contributors, institutions and events described in posts are
            fictional, and the illustrations are generated abstract images. References to
            published research point to real papers."""
        ),
    ],
}

WRITE_FOR_US = {
    "slug": "write-for-us",
    "title": "How to write a blog post for us",
    "intro": """We welcome guest posts from clinicians, researchers, nurses, policy makers,
        patients, carers and advocates. Here is how to write one we can publish.""",
    "body": [
        h2("What we publish"),
        p(
            """Opinion and analysis, lessons from practice, an explanation of your own research,
            or your experience of cancer and its care — anything that helps people on different
            sides of cancer understand each other. We do not publish promotion of products or
            services, fundraising appeals, advice about an individual's treatment, or texts
            already published elsewhere unless we have agreed it in advance."""
        ),
        h2("Length and shape"),
        bullets(
            "Between 600 and 1,200 words. Shorter is often better.",
            """A title of no more than about 80 characters that says what the post is about,
            and one or two sentences to go under it.""",
            "A subheading every 200 to 300 words, and short paragraphs.",
            """An ending that tells readers what follows from your argument: what to ask, what
            to change, what to read next.""",
        ),
        h2("Tone"),
        p(
            """Write for an intelligent reader who does not work in your field: a patient and an
            oncologist should both be able to follow you. Explain abbreviations the first time
            you use them. Avoid words such as 'breakthrough', 'cure' and 'miracle' unless the
            evidence really supports them; say what is known and what is not. Write about
            people with cancer, not 'victims' or 'sufferers', and keep battle metaphors for
            your own story if they are yours to use."""
        ),
        h2("Referencing"),
        p(
            """Support factual claims with sources, preferably peer-reviewed research, clinical
            guidelines and official statistics. Give a DOI or PubMed ID where there is one, and
            keep to about ten references. Say when a study was small, was done in cells or
            animals, or has not yet been peer reviewed. Where you give a relative figure ('a 20%
            reduction'), give the absolute numbers too."""
        ),
        h2("Disclosures"),
        p(
            """Declare any interests from the last three years that a reader might think
            relevant: payments, grants, shares, advisory roles, or personal relationships with
            companies or organisations you mention. Tell us who, if anyone, funded the work you
            describe. We publish your declaration with the post; if you have nothing to declare,
            we say so. A post may be withdrawn if an undeclared conflict comes to light."""
        ),
        h2("Patient privacy"),
        p(
            """Never include anything that could identify a patient without their written
            consent — not only names, but combinations of age, place, dates, rare diagnoses or
            photographs. Change details, or leave them out. If you write about your own illness,
            think about what you are comfortable sharing publicly and for years to come, and ask
            family members before writing about them."""
        ),
        h2("Images"),
        p(
            """You are welcome to send images you took or have the right to use, each with a
            one-sentence description for readers who cannot see it. We do not publish
            photographs of patients without their consent."""
        ),
        h2("Editing and review"),
        p(
            """An editor will edit your post for clarity, length and house style, and a clinician
            will check medical statements. You will see and approve the edited version before it
            is published. We aim to reply to every submission within two weeks; we cannot
            publish everything we receive. After publication, errors are corrected openly, with
            a dated note."""
        ),
        key_points(
            "A title and a one- or two-sentence summary",
            "600 to 1,200 words, with subheadings",
            "References with DOIs or PubMed IDs",
            "Your declaration of interests and funding",
            "A biography of up to 50 words, and a photo if you would like one",
            "Written consent for anything that could identify a patient",
            title="Before you send it",
        ),
        h2("How to send it"),
        p(
            """Send your post with our submission form: type or paste the text, or upload it as
            a Word document, and follow its progress on a private status page.
            <a href="/write-for-us/submit/">Submit a guest post</a>. Not sure whether your idea
            fits? Email three or four sentences about it to the editor at """
            + EDITOR
            + " first, and we will tell you."
        ),
    ],
}

COMMUNITY_GUIDELINES = {
    "slug": "community-guidelines",
    "title": "Community guidelines for comments",
    "intro": """Comments are where the conversation happens. These guidelines keep it useful and
        safe for everyone, including people who are going through treatment right now.""",
    "body": [
        h2("Be respectful"),
        p(
            """Disagree with ideas, not with people. Personal attacks, harassment, and
            discrimination or hate of any kind will be removed. Remember that the person you are
            replying to may be a patient, a carer or a clinician having a hard week."""
        ),
        h2("Be careful with health advice"),
        p(
            """Sharing your experience is welcome; telling someone else what to take or to stop
            taking is not. Do not promote unproven treatments or 'cures'. Clinicians who comment
            should speak in general terms, not about an individual's care. If something you read
            here worries you, please talk to your own care team."""
        ),
        h2("Protect privacy — yours and others'"),
        p(
            """Do not post anything that could identify a patient, a colleague or anyone else
            without their permission. Think about what you share about yourself: comments are
            public, are shown with the name you give, and can be found by search engines. Your
            email address is never shown."""
        ),
        h2("Be open about your interests"),
        p(
            """If you work for, or are paid by, a company or organisation relevant to the
            discussion, say so. Advertising, links to sell products, spam and impersonation are
            removed."""
        ),
        h2("How moderation works"),
        p(
            """Your first comment is held until a moderator approves it; after that, comments
            usually appear at once. Moderators may remove comments that break these guidelines,
            or edit out personal details to protect someone's privacy, and will explain a
            decision if you ask. You can edit or delete your own comment for a short while after
            posting. To report a comment, use the 'Report' link under it."""
        ),
        key_points(
            "Respect people, argue with ideas.",
            "Share experience, not individual medical advice.",
            "Protect everyone's privacy.",
            "Declare your interests; no advertising.",
            title="In short",
        ),
        h2("If you are struggling"),
        p(
            """Comments are not monitored around the clock. If you are in crisis or thinking
            about harming yourself, please call 112 or your local emergency number, or contact a
            crisis line in your country."""
        ),
        p("Questions about these guidelines? Write to the editor at " + EDITOR + "."),
    ],
}

PRIVACY = {
    "slug": "privacy",
    "title": "Privacy notice",
    "intro": """What personal data The Cancer Blog collects, why, how long we keep it, and your
        rights. We collect as little as we can.""",
    "body": [
        h2("Who is responsible"),
        p(
            """The European Oncology Education Foundation publishes The Cancer Blog and is the
            controller of the personal data described here, under the EU General Data Protection
            Regulation (GDPR). For any question about your data, write to """
            + EDITOR
            + ". We reply within one month."
        ),
        h2("If you only read"),
        p(
            """We set no cookies for readers who only read, and we use no advertising, tracking
            pixels, third-party analytics or third-party fonts. Our servers keep short technical
            logs needed to run the site securely; IP addresses are never stored in the clear.""",
            """Videos from YouTube or Vimeo are not loaded until you click on them. When you do,
            the provider receives your IP address and may set cookies under its own privacy
            policy; for YouTube we use its privacy-enhanced mode.""",
        ),
        h2("If you comment"),
        p(
            """We store the name you give, your email address, your comment, and the date and
            time. Your email address is never shown: we use it to let you edit or delete your
            comment, and to tell you about replies if you ask us to. To fight spam and abuse we
            keep a keyed hash of your IP address — not the address itself — for 90 days.""",
            """We rely on our legitimate interest in running a safe discussion for moderation,
            and on your consent for reply notifications, which you can withdraw with one click
            in any notification. Comments stay published until you delete them, ask us to
            remove them, or we remove them under our community guidelines.""",
        ),
        h2("If you subscribe to alerts"),
        p(
            """We store your email address, the topics and frequency you choose, and a record of
            your consent: when you gave it and the wording you agreed to. We send one email to
            confirm your address and send nothing else until you confirm. Every alert has a
            one-click unsubscribe link. When you unsubscribe we delete your address within 30
            days, keeping only a hashed record so that we never write to you again by
            mistake."""
        ),
        h2("If you send us a guest post"),
        p(
            """We keep your name, contact details, your text and your declaration of interests
            to review and edit it. If it is not published, we delete them within two years."""
        ),
        h2("Who else handles your data"),
        p(
            """Our hosting provider and the service that delivers our emails process data on our
            behalf, under contracts that require them to protect it, within the European
            Economic Area. We never sell personal data or share it for advertising."""
        ),
        h2("Your rights"),
        bullets(
            "See the data we hold about you and receive a copy in a portable format.",
            "Have it corrected, or erased.",
            "Object to, or ask us to restrict, how we use it.",
            "Withdraw your consent at any time, without affecting what was done before.",
            """Complain to the data protection authority in the country where you live or work —
            though we would be grateful for the chance to put things right first.""",
        ),
        p(
            "To use any of these rights, write to "
            + EDITOR
            + """. We may ask you to confirm that the address is yours, and we will not charge
            you. When this notice changes, we will say so here and date the new version."""
        ),
    ],
}

ACCESSIBILITY = {
    "slug": "accessibility",
    "title": "Accessibility statement",
    "intro": """We want everyone to be able to read and take part in The Cancer Blog, including
        people who use screen readers, keyboards, magnification or voice control, and people
        for whom treatment has made reading tiring.""",
    "body": [
        h2("Our target"),
        p(
            """We aim to meet the Web Content Accessibility Guidelines (WCAG) 2.2 at level AA
            on every public page. Until an independent audit confirms it, we describe the site
            as partially conformant."""
        ),
        h2("What we do"),
        bullets(
            "Every page works without JavaScript, with a keyboard alone and with screen readers.",
            """Text and controls meet colour contrast requirements, focus is always visible, and
            pages reflow without loss when text is enlarged or the screen is narrow.""",
            """Our editors must describe every image before they can publish it, and videos load
            only when you choose, with a title saying what they are.""",
            "Nothing moves or plays on its own, and we respect your reduced-motion setting.",
            """Many posts have a plain-language summary, and every post shows its reading
            time.""",
            """Automated accessibility tests (axe-core) run on every change to the site, and we
            test by hand with screen readers.""",
        ),
        h2("Known limitations"),
        p(
            """Some older posts may have image descriptions that are less helpful than they
            should be, and some documents attached to posts may not be fully accessible. Videos
            are played by their provider's player once loaded, and their captions depend on the
            provider. We are working through these; tell us if one gets in your way."""
        ),
        h2("Feedback and contact"),
        p(
            "If you find something hard to use, or need content in another format, write to "
            + EDITOR
            + """. Tell us the page address and what happened. We aim to reply within five
            working days."""
        ),
        h2("If you are not satisfied"),
        p(
            """If our reply does not resolve the problem, you can contact the body responsible
            for digital accessibility in your country. This statement is reviewed every
            year."""
        ),
    ],
}

STANDARD_PAGES = [ABOUT, WRITE_FOR_US, COMMUNITY_GUIDELINES, PRIVACY, ACCESSIBILITY]
