import factory

from community.tests.factories import UserFactory
from guide.enums import ContributionKind, ContributionState, Credit
from guide.models import Chapter, Contribution


class ChapterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Chapter

    title = factory.Sequence(lambda n: f"Chapter {n}")
    slug = factory.Sequence(lambda n: f"chapter-{n}")
    introduction = "Why this chapter matters."
    order = factory.Sequence(lambda n: n)


class CommunityOrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "community.Organisation"
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Cité des métiers {n}")
    slug = factory.Sequence(lambda n: f"cite-{n}")
    city = "Porto"
    country = "PT"


class ContributionFactory(factory.django.DjangoModelFactory):
    """A contribution created directly in a state (arrange only: acts go through the services)."""

    class Meta:
        model = Contribution

    kind = ContributionKind.FIELD_EXAMPLE
    title = factory.Sequence(lambda n: f"Contribution number {n}")
    body = "We met every **month** with all partners."
    chapter = factory.SubFactory(ChapterFactory)
    author = factory.SubFactory(UserFactory)
    centre = factory.SubFactory(CommunityOrganisationFactory)
    licence_consent = True
    credit = Credit.NAME
    state = ContributionState.DRAFT
    order = factory.Sequence(lambda n: n)
