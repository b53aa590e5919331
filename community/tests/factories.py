import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from community.enums import FACILITATORS_GROUP, GUIDE_EDITORS_GROUP, MemberState
from community.models import User


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


def facilitator(**kwargs) -> User:
    return UserFactory(groups=[FACILITATORS_GROUP], **kwargs)


def guide_editor(**kwargs) -> User:
    return UserFactory(groups=[GUIDE_EDITORS_GROUP], **kwargs)


def pending_member(**kwargs) -> User:
    return UserFactory(state=MemberState.PENDING, **kwargs)
