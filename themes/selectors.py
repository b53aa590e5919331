"""Every read a themes page needs, built so the query count does not grow with the rows."""

import rules
from django.contrib.auth import get_user_model
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    prefetch_related_objects,
)

from .enums import (
    CLOSED_STATES,
    MAX_PRESENTERS,
    OPEN_STATES,
    PRESENTING_STATUSES,
    SLOT_STATUSES,
    PresenterStatus,
    ThemeSort,
    ThemeState,
)
from .kept import PAGES
from .models import (
    PresenterRole,
    Question,
    QuestionVote,
    TaggedTheme,
    Theme,
    ThemeInterest,
    ThemeTopic,
    ThemeTransition,
)
from .rules import has_free_slot, holds_slot, is_presenter


def _annotated(user) -> QuerySet:
    """Themes with ``is_interested`` for ``user``; the counts are columns kept by the services."""
    if user is not None and user.is_authenticated:
        return Theme.objects.annotate(
            is_interested=Exists(ThemeInterest.objects.filter(theme=OuterRef("pk"), member=user))
        )
    return Theme.objects.annotate(is_interested=Value(False, output_field=BooleanField()))


def _active_roles() -> Prefetch:
    return Prefetch(
        "presenter_roles",
        queryset=PresenterRole.objects.filter(status__in=SLOT_STATUSES).select_related("member"),
        to_attr="active_roles",
    )


def search_themes(queryset: QuerySet, query: str) -> QuerySet:
    """Full-text search on title and summary (web-search syntax), or every word as a fragment, or a topic name."""
    query = query.strip()
    if not query:
        return queryset
    fragments = Q()
    for word in query.split()[:10]:
        fragments &= Q(title__icontains=word) | Q(summary__icontains=word)
    topic = TaggedTheme.objects.filter(content_object=OuterRef("pk"), tag__name__iexact=query)
    if connection.vendor != "postgresql":
        # The SQLite quick start has no full-text search: fragments and topics only.
        return queryset.filter(fragments | Exists(topic))
    vector = SearchVector("title", weight="A", config="simple") + SearchVector("summary", weight="B", config="simple")
    return queryset.annotate(search=vector).filter(
        Q(search=SearchQuery(query, search_type="websearch", config="simple")) | fragments | Exists(topic)
    )


def order_themes(queryset: QuerySet, sort: str) -> QuerySet:
    if sort == ThemeSort.INTEREST:
        return queryset.order_by("-interest_count", "-created_at", "-pk")
    if sort == ThemeSort.PRESENTERS:
        # Open themes that still have a free presenter slot first, emptiest first.
        looking = Q(state__in=OPEN_STATES, presenter_count__lt=MAX_PRESENTERS)
        return queryset.annotate(looking=_flag(looking)).order_by(
            "-looking", "presenter_count", "-interest_count", "-created_at", "-pk"
        )
    return queryset.order_by("-created_at", "-pk")


def _flag(condition: Q) -> ExpressionWrapper:
    return ExpressionWrapper(condition, output_field=BooleanField())


def theme_backlog(*, user, with_cards: bool = True) -> QuerySet:
    """Themes with what a backlog card shows: interest, presenters, topics, proposer, meeting.

    ``with_cards=False`` leaves the topics and presenters out, for a page that reads its cards
    kept rendered (``with_card_details`` adds them to the themes whose card is not).
    """
    themes = _annotated(user).select_related("proposer", "meeting")
    return themes.prefetch_related(*_card_details()) if with_cards else themes


def _card_details() -> tuple:
    return ("topics", _active_roles())


def with_card_details(themes: list[Theme]) -> None:
    """Load the topics and presenters a card shows onto already loaded themes (two queries)."""
    prefetch_related_objects(themes, *_card_details())


def with_topic(queryset: QuerySet, slug: str) -> QuerySet:
    return queryset.filter(Exists(TaggedTheme.objects.filter(content_object=OuterRef("pk"), tag__slug=slug)))


def theme_list(*, user, params: dict | None = None) -> QuerySet:
    """The backlog filtered by query parameters (see ``themes.filters.ThemeFilter``)."""
    from .filters import ThemeFilter

    return ThemeFilter(params or {}, queryset=theme_backlog(user=user)).qs


def topics_in_use() -> QuerySet:
    return ThemeTopic.objects.filter(tagged_themes__isnull=False).distinct().order_by("name")


def theme_detail(*, pk: int, user) -> Theme:
    """A theme with everything its page shows but the questions. Raises ``Theme.DoesNotExist``.

    The theme and what it shows of others are kept per version of the theme pages
    (``themes.receivers.PAGES``); its counts and the user's interest are read fresh (one query).
    """
    current = _annotated(user).filter(pk=pk).values("interest_count", "presenter_count", "updated_at", "is_interested")
    fresh = current.get()
    theme = PAGES.cached(PAGES.key("theme", pk), lambda: _theme_with_details(pk))
    for name, value in fresh.items():
        setattr(theme, name, value)
    return theme


def _theme_with_details(pk: int) -> Theme:
    return (
        Theme.objects.select_related("proposer", "proposer__organisation", "meeting", "sheet", "state_changed_by")
        .prefetch_related(
            "topics",
            Prefetch(
                "presenter_roles", queryset=PresenterRole.objects.select_related("member", "member__organisation")
            ),
            "sheet__attachments",
            Prefetch("transitions", queryset=ThemeTransition.objects.select_related("by", "meeting")),
        )
        .get(pk=pk)
    )


def interest_of(*, user, ids: list[int]) -> QuerySet:
    """The themes ``ids`` with their state, interest count and ``is_interested`` for ``user`` (one query)."""
    return _annotated(user).filter(pk__in=ids).only("pk", "state", "interest_count")


def theme_page(*, pk: int, user) -> dict:
    """Everything the theme page shows, with what the user may do there (by the rules in
    ``rules.py``, asked as written: ``user.has_perm`` would say yes to a superuser for moves the
    theme's state does not allow). Raises ``Theme.DoesNotExist``."""
    from .services import allowed_moves

    theme = theme_detail(pk=pk, user=user)
    roles = theme.presenter_roles.all()
    active = [r for r in roles if r.status in SLOT_STATUSES]
    for role in active:
        role.can_confirm = rules.has_perm("themes.confirm_presenter", user, role)
        role.can_remove = rules.has_perm("themes.remove_presenter", user, role)
    my_role = next((r for r in roles if r.member_id == user.pk), None)
    sheet = getattr(theme, "sheet", None)
    moves = allowed_moves(theme=theme, user=user)
    free_slot = has_free_slot(user, theme)
    can_see_hidden = rules.has_perm("themes.see_hidden_questions", user, theme)
    return {
        "theme": theme,
        "roles": active,
        "is_proposer": theme.proposer_id == user.pk,
        "is_presenter": is_presenter(user, theme),
        "my_invitation": my_role if my_role and my_role.status == PresenterStatus.INVITED else None,
        "can_volunteer": rules.has_perm("themes.volunteer", user, theme) and free_slot and not holds_slot(user, theme),
        "can_invite": rules.has_perm("themes.invite_presenter", user, theme) and free_slot,
        "can_edit": rules.has_perm("themes.edit_theme", user, theme),
        "can_edit_sheet": rules.has_perm("themes.edit_sheet", user, theme),
        "can_answer": rules.has_perm("themes.answer_question", user, theme),
        "can_hide": rules.has_perm("themes.hide_question", user, theme),
        "can_show_interest": rules.has_perm("themes.show_interest", user, theme),
        "can_ask": rules.has_perm("themes.ask_question", user, theme),
        "can_vote": rules.has_perm("themes.vote_question", user, theme),
        "is_open": theme.state in OPEN_STATES,
        "sheet": sheet if sheet and not sheet.is_empty else None,
        "attachments": list(sheet.attachments.all()) if sheet else [],
        "questions": theme_questions(theme=theme, user=user, include_hidden=can_see_hidden),
        "history": theme.transitions.all(),
        "moves": [m for m in moves if m != ThemeState.SCHEDULED],
        "can_schedule": rules.has_perm("themes.schedule_theme", user, theme) and ThemeState.SCHEDULED in moves,
        "was_presented": theme.state in (ThemeState.PRESENTED, ThemeState.ARCHIVED),
    }


def theme_questions(*, theme: Theme, user, include_hidden: bool = False) -> list[Question]:
    """Questions, unanswered first, most up-voted first, with ``has_voted`` for ``user``.

    The list is kept per version of the theme pages (a question, an answer or a vote bumps it);
    which ones the user voted for is read fresh (one query)."""
    questions = PAGES.cached(PAGES.key("questions", theme.pk), lambda: _questions_of(theme.pk))
    voted = set(QuestionVote.objects.filter(member=user, question__theme=theme.pk).values_list("question", flat=True))
    shown = [question for question in questions if include_hidden or question.hidden_at is None]
    for question in shown:
        question.has_voted = question.pk in voted
    return shown


def _questions_of(theme_pk: int) -> list[Question]:
    return list(
        Question.objects.filter(theme=theme_pk)
        .select_related("author", "answered_by")
        .annotate(vote_count=Count("votes"))
        .annotate(is_answered=_flag(Q(answered_at__isnull=False)))
        .order_by("is_answered", "-vote_count", "created_at", "pk")
    )


def theme_followers(*, theme: Theme, exclude=None) -> QuerySet:
    """Approved members told about a theme's changes: proposer, presenters, interested members."""
    presenters = PresenterRole.objects.filter(theme=theme, status__in=PRESENTING_STATUSES).values("member")
    interested = ThemeInterest.objects.filter(theme=theme).values("member")
    queryset = (
        get_user_model()
        .objects.approved()
        .filter(Q(pk=theme.proposer_id) | Q(pk__in=presenters) | Q(pk__in=interested))
        .order_by("pk")
    )
    if exclude is not None:
        queryset = queryset.exclude(pk=exclude.pk)
    return queryset


def themes_looking_for_presenters(*, user, limit: int = 5) -> list[Theme]:
    queryset = (
        _annotated(user)
        .filter(state__in=OPEN_STATES, presenter_count__lt=MAX_PRESENTERS)
        .select_related("meeting")
        .order_by("-interest_count", "-created_at")
    )
    return list(queryset[:limit])


def themes_for_meeting(*, meeting) -> list[Theme]:
    """The themes placed on a meeting, with their presenters and experience sheets."""
    return list(
        Theme.objects.filter(meeting=meeting)
        .exclude(state__in=CLOSED_STATES)
        .select_related("sheet", "agenda_item")
        .prefetch_related(
            Prefetch(
                "presenter_roles",
                queryset=PresenterRole.objects.filter(status__in=PRESENTING_STATUSES).select_related("member"),
                to_attr="active_roles",
            ),
            "sheet__attachments",
        )
        .order_by("agenda_item__position", "pk")
    )


def member_themes(*, member) -> dict:
    """Themes a member proposed and themes they present(ed), for their profile."""
    proposed = list(
        Theme.objects.filter(proposer=member)
        .exclude(state__in=CLOSED_STATES)
        .select_related("meeting")
        .order_by("-created_at")
    )
    presented = list(
        Theme.objects.filter(presenter_roles__member=member, presenter_roles__status__in=PRESENTING_STATUSES)
        .exclude(state__in=CLOSED_STATES)
        .select_related("meeting")
        .order_by("-created_at")
        .distinct()
    )
    return {"proposed": proposed, "presented": presented}


def followed_by(member) -> Q:
    """Themes the member follows: proposed, shown interest in, or presents (a filter on ``Theme``)."""
    presents = PresenterRole.objects.filter(theme=OuterRef("pk"), member=member, status__in=PRESENTING_STATUSES)
    interested = ThemeInterest.objects.filter(theme=OuterRef("pk"), member=member)
    return Q(proposer=member) | Exists(interested) | Exists(presents)


def theme_news_between(*, member, start, end, limit: int = 10) -> tuple[list[Theme], list[Theme]]:
    """For digests and the dashboard's summary, in two queries: themes proposed in ``[start, end)``
    that still look for presenters (not the member's own), and the themes the member follows that
    received questions from others in that window, with ``new_questions`` counted."""
    looking = list(
        Theme.objects.filter(
            created_at__gte=start, created_at__lt=end, state__in=OPEN_STATES, presenter_count__lt=MAX_PRESENTERS
        )
        .exclude(proposer=member)
        .only("pk", "title", "presenter_count")
        .order_by("created_at", "pk")[:limit]
    )
    window = Q(questions__created_at__gte=start, questions__created_at__lt=end, questions__hidden_at__isnull=True)
    asked = list(
        Theme.objects.filter(followed_by(member))
        .annotate(new_questions=Count("questions", filter=window & ~Q(questions__author=member)))
        .filter(new_questions__gt=0)
        .only("pk", "title")
        .order_by("-new_questions", "pk")[:limit]
    )
    return looking, asked
