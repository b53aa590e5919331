"""The community's other mails, through a real Celery worker and a real SMTP server: the guide
editors told of a submission, a co-author asked for consent, a newcomer and their buddy
introduced to each other — each person gets each message once."""

from collections import Counter

import pytest

from community import services as community_services
from community.tests.factories import UserFactory, facilitator, guide_editor
from guide import services as guide_services
from guide.enums import ContributionKind
from guide.tests.factories import ChapterFactory
from meetings.reminders.tests.processes import purge_queues

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def mail_server(worker, smtp):
    smtp.delay = 0
    smtp.clear()
    yield smtp
    purge_queues()


def test_submission_co_author_and_buddy_mails_each_reach_their_people_once(mail_server):
    editor = guide_editor(email="elise@example.org", display_name="Élise Éditrice")
    rui = UserFactory(email="rui@example.org", display_name="Rui Almeida")
    bruno = UserFactory(email="bruno@example.org", display_name="Bruno Costa")
    nina = UserFactory(email="nina@example.org", display_name="Nina Newcomer")

    guide_services.contribution_create(
        author=rui,
        kind=ContributionKind.FIELD_EXAMPLE,
        title="Gamified speed networking",
        body="Six rounds of five minutes.",
        chapter=ChapterFactory(),
        licence_consent=True,
        coauthors=[bruno],
        submit=True,
    )
    community_services.buddy_pair(newcomer=nina, buddy=bruno, by=facilitator())
    # (A subject with non-ASCII characters travels encoded and folded: compared without the fold.)
    accepted = mail_server.settle(count=4)

    assert mail_server.per_recipient() == Counter(
        {editor.email: 1, bruno.email: 2, nina.email: 1}  # Bruno: asked as co-author, and as buddy
    )
    subjects = {entry["to"]: entry["subject"].strip() for entry in accepted if entry["to"] != bruno.email}
    assert "Gamified speed networking" in subjects[editor.email]
    assert "Bruno Costa" in subjects[nina.email]
    assert sorted(entry["subject"].strip() for entry in accepted if entry["to"] == bruno.email) == sorted(
        [
            "Co-author of “Gamified speed networking” in the guide?",
            "[Keep in Pact] Please welcome Nina Newcomer, a newcomer",
        ]
    )
