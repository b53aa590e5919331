"""The demo themes, experience sheets, questions and pitches (text only)."""

from ..enums import ThemeReason, ThemeState

DIF, TQ, INN = ThemeReason.DIFFICULTY, ThemeReason.QUESTION, ThemeReason.INNOVATION


P, S, PR, A, W, X = (
    ThemeState.PROPOSED,
    ThemeState.SCHEDULED,
    ThemeState.PRESENTED,
    ThemeState.ARCHIVED,
    ThemeState.WITHDRAWN,
    ThemeState.DECLINED,
)


# title, reason, state, topics, summary
THEMES = [
    (
        "Respecting GDPR when partners share jobseekers' data",
        DIF,
        PR,
        ["GDPR", "Data sharing"],
        "Our partners want a shared list of the people we accompany. How do we stay within GDPR: consent, "
        "data-sharing agreements, retention periods, and what to do when a partner asks for 'just an Excel file'?",
    ),
    (
        "Valorising a partnership: showing partners what they gain",
        INN,
        PR,
        ["Partnership valorisation", "Communication"],
        "We built a yearly 'partnership report' with figures and testimonies for each partner. It changed how "
        "our partners' boards see us, and two of them increased their commitment.",
    ),
    (
        "Gamified speed networking between partners",
        INN,
        A,
        ["Inter-partner links", "Speed networking", "Events"],
        "Partners working with the same jobseekers did not know each other. A gamified speed-networking morning "
        "(cards, timers, a passport to stamp) created links that still work a year later.",
    ),
    (
        "Keeping partners engaged between two steering committees",
        DIF,
        S,
        ["Inter-partner links", "Governance"],
        "Steering committees meet twice a year; in between, partners drift away. What rhythms and small rituals "
        "keep them involved without adding meetings?",
    ),
    (
        "A shared calendar of partner events",
        INN,
        S,
        ["Inter-partner links", "Tools"],
        "One online calendar where every partner publishes its workshops and job fairs, so we stop organising "
        "three events on the same afternoon.",
    ),
    (
        "Measuring the impact of a multi-partner job fair",
        TQ,
        P,
        ["Evaluation", "Events"],
        "Which indicators do you use after a job fair with ten partners? Attendance is easy, hires are hard to "
        "trace. We would like to compare methods.",
    ),
    (
        "Onboarding a new partnership officer in three weeks",
        INN,
        PR,
        ["Onboarding", "Training"],
        "A checklist, a partner map and 'shadow days' with three partners: how we onboard new colleagues fast.",
    ),
    (
        "When a historic partner withdraws",
        DIF,
        P,
        ["Governance", "Partnership valorisation"],
        "Our oldest partner left the agreement after a change of management. How did you handle a withdrawal "
        "without losing the other partners' trust?",
    ),
    (
        "Writing a partnership agreement that people actually read",
        TQ,
        P,
        ["Governance", "Legal"],
        "Our agreements are twenty pages nobody reads. Who has a two-page model that still protects everyone?",
    ),
    (
        "Co-designing a workshop with employers",
        INN,
        S,
        ["Employers", "Co-design"],
        "Employers co-designed our 'first interview' workshop. Their presence changed how jobseekers prepared.",
    ),
    (
        "Sharing a customer-relationship tool between partners",
        TQ,
        P,
        ["Tools", "Data sharing", "GDPR"],
        "Several partners want a common CRM. Which tools did you try, and how did you split access rights?",
    ),
    (
        "Inter-partner peer coaching",
        INN,
        PR,
        ["Inter-partner links", "Training"],
        "Counsellors from different partners coach each other in trios once a month. Results after one year.",
    ),
    (
        "Hybrid meetings that include everyone",
        DIF,
        P,
        ["Meetings", "Tools"],
        "Half the room online, half on site: the online half always loses. What works for truly hybrid meetings?",
    ),
    (
        "Social media campaigns with several partner logos",
        TQ,
        A,
        ["Communication"],
        "Who validates what, and how fast, when a post carries eight logos? Our process and its pitfalls.",
    ),
    (
        "Translating our services for newcomers",
        INN,
        P,
        ["Inclusion", "Communication"],
        "We translated our service leaflet into seven languages with partner associations. What we learned.",
    ),
    (
        "A partners' barometer: a yearly satisfaction survey",
        INN,
        PR,
        ["Evaluation", "Partnership valorisation"],
        "A ten-question survey sent to every partner each year, and how we present the results back to them.",
    ),
    (
        "Funding a coordinator post with several partners",
        TQ,
        P,
        ["Funding", "Governance"],
        "Three partners co-fund our coordinator. How did you share the costs and the line management?",
    ),
    (
        "Welcoming people with disabilities across partners",
        DIF,
        S,
        ["Inclusion", "Accessibility"],
        "Each partner has its own accessibility practices. How do you build a common minimum that all respect?",
    ),
    (
        "Mapping who does what in the local network",
        INN,
        A,
        ["Inter-partner links", "Tools"],
        "A living map of services for jobseekers, kept up to date by the partners themselves.",
    ),
    (
        "Partner breakfasts: an informal format that works",
        INN,
        PR,
        ["Inter-partner links", "Events"],
        "A monthly breakfast, no agenda, fifteen minutes of 'news from the field'. Simple and surprisingly useful.",
    ),
    (
        "Handling a conflict between two partners",
        DIF,
        P,
        ["Governance", "Mediation"],
        "Two partners compete for the same funding and stopped speaking to each other. How would you mediate?",
    ),
    (
        "Open badges to recognise partners' staff skills",
        INN,
        X,
        ["Training", "Partnership valorisation"],
        "We award open badges to partner staff who complete our training days. Does anyone else use them?",
    ),
    (
        "Sharing job offers between partners without duplicates",
        TQ,
        P,
        ["Data sharing", "Employers", "Tools"],
        "The same offer reaches jobseekers four times through four partners. How do you deduplicate?",
    ),
    (
        "Evaluating a partnership with the partners, not about them",
        TQ,
        S,
        ["Evaluation", "Co-design"],
        "A participatory evaluation day where partners assess the partnership together. How to prepare it?",
    ),
    (
        "Video testimonies of jobseekers for partners",
        INN,
        W,
        ["Communication", "GDPR"],
        "Short videos of jobseekers telling their path, shown to partners. Consent forms included.",
    ),
    (
        "Keeping a partnership alive after the project funding ends",
        DIF,
        P,
        ["Funding", "Governance"],
        "The European project ended and so did the budget. What kept your partners together afterwards?",
    ),
    (
        "A newsletter written by the partners",
        INN,
        A,
        ["Communication", "Inter-partner links"],
        "Each issue is written by a different partner. It lightened our load and partners read it more.",
    ),
    (
        "Training partners' front-desk staff on our services",
        INN,
        PR,
        ["Training", "Onboarding"],
        "Front-desk staff send people to us better since a two-hour training. The format and the quiz.",
    ),
    (
        "Choosing a video-conference tool every partner can use",
        TQ,
        W,
        ["Tools", "Meetings"],
        "Each partner's IT allows a different tool. How did you settle on one?",
    ),
    (
        "Signing a charter instead of a contract",
        TQ,
        X,
        ["Governance", "Legal"],
        "A light charter of values instead of a formal contract: naive or effective?",
    ),
]


SHEETS = {
    "Respecting GDPR when partners share jobseekers' data": (
        "A data-sharing agreement signed by the six partners, a one-page consent form for jobseekers, and a "
        "shared folder where only named staff have access. We review access every six months.",
        "- Partners know exactly what they may share and why.\n- Jobseekers understand what they sign.\n"
        "- Our data protection officer validated the whole set once, for everyone.",
        "- It took five months to get every partner's legal department to sign.\n- Staff turnover: access "
        "rights must follow people who leave.\n- Do not promise partners a shared database: keep to what is needed.",
        "Works anywhere GDPR applies. Start from your own DPO's template; adapt the list of data to what your "
        "partners really use; plan the access review in the steering committee's calendar.",
    ),
    "Valorising a partnership: showing partners what they gain": (
        "A yearly report per partner: the number of people they sent us and what happened to them, two "
        "testimonies, one photo, and what we did together. Presented in person to their management.",
        "- Partners' boards finally see the results.\n- It gives us a reason to meet each partner's director.",
        "- Collecting figures from partners takes time: ask early.\n- Keep it short: four pages maximum.",
        "Any centre with a few key partners can do it. Begin with your two most committed partners.",
    ),
    "Gamified speed networking between partners": (
        "A morning with 40 staff of 12 partners: rounds of seven minutes in pairs, a conversation card per round, "
        "a 'passport' to stamp, and a prize for the fullest passport. Pairs never repeat and never come from the "
        "same organisation.",
        "- Everybody meets eight new people in an hour.\n- The cards avoid awkward silences.\n"
        "- Follow-ups are written down before leaving.",
        "- Needs a facilitator with a loud voice and a big screen timer.\n- Prepare the pairings in advance.\n"
        "- Some people dislike games: keep it optional.",
        "Very transferable: it works online with breakout rooms too. Adapt the cards to your local partners' "
        "vocabulary.",
    ),
}


QUESTIONS = [
    "How long did it take to set up?",
    "Did you involve your partners' management from the start?",
    "What would you do differently today?",
    "How many people does it need to run?",
    "Did it cost anything?",
    "How did you convince the reluctant partners?",
    "Can you share your templates?",
    "How do you measure that it works?",
]


PITCHES = [
    "I led this in our centre for two years and can share the pitfalls.",
    "We tried it with five partners; I can show our documents.",
    "I can tell what worked and what did not.",
]
