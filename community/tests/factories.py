import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from community import twofactor
from community.enums import FACILITATORS_GROUP, GUIDE_EDITORS_GROUP, MemberState
from community.models import MemberLanguage, Organisation, User

# Every factory-made account with two factors uses this authenticator secret.
TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DP"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    display_name = factory.Faker("name")
    username = factory.Sequence(lambda n: f"member-{n}")
    email = factory.Sequence(lambda n: f"member{n}@example.org")
    state = MemberState.APPROVED
    password = factory.PostGenerationMethodCall("set_password", "a-long-test-password")

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)
            self.save()

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            for name in extracted:
                # get_or_create: transactional tests flush the groups the migrations made.
                self.groups.add(Group.objects.get_or_create(name=name)[0])

    @factory.post_generation
    def two_factors(self, create, extracted, **kwargs):
        """Facilitators, editors and staff must have two factors: they get one unless told not to."""
        if not create:
            return
        wanted = (
            extracted if extracted is not None else bool(self.is_staff or self.is_superuser or self.groups.exists())
        )
        if wanted:
            twofactor.totp_enable(user=self, secret=TEST_TOTP_SECRET)


def facilitator(**kwargs) -> User:
    return UserFactory(groups=[FACILITATORS_GROUP], **kwargs)


def guide_editor(**kwargs) -> User:
    return UserFactory(groups=[GUIDE_EDITORS_GROUP], **kwargs)


def pending_member(**kwargs) -> User:
    return UserFactory(state=MemberState.PENDING, **kwargs)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Cité des métiers {n}")
    short_name = factory.Sequence(lambda n: f"CdM {n}")
    slug = factory.Sequence(lambda n: f"centre-{n}")
    city = "Porto"
    country = "PT"


def with_profile(member: User, *, languages=(), expertise=(), **fields) -> User:
    """Give a member profile details (languages and expertise need their own rows)."""
    for name, value in fields.items():
        setattr(member, name, value)
    if fields:
        member.save(update_fields=list(fields))
    MemberLanguage.objects.bulk_create([MemberLanguage(member=member, code=code) for code in languages])
    if expertise:
        member.expertise.add(*expertise)
    return member
