"""Speed-networking pages: set-up and draw (facilitators), the projected screen and the presenter
view, each participant's table."""

import math

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from community.access import member_required, permission_required
from community.pickers import finding, posted_initial

from . import selectors, services
from .forms import LISTED_AT_MOST, FollowUpForm, SessionForm, SwapForm
from .models import FollowUp, SessionState
from .rules import RUN_SESSION


def _session_url(session, name="session"):
    return redirect(f"meetings:networking:{name}", meeting_pk=session.meeting_id, session_pk=session.pk)


def _clock(session) -> dict:
    """What the countdown shows when the page is rendered; the script counts down from there."""
    remaining = session.remaining_seconds()
    started = session.round_started_at
    return {
        "remaining": remaining,
        # Tells one round's clock from another (the same round played again included), so that
        # "time is up" is said once per round, however often the screen refreshes.
        "round_key": f"{session.pk}-{session.current_round}-{int(started.timestamp()) if started else 0}",
        "remaining_label": f"{remaining // 60:02d}:{remaining % 60:02d}",
        "paused": session.state != SessionState.LIVE or session.paused_at is not None,
    }


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _posted(request) -> dict:
    return posted_initial(request, SessionForm, lists=["members"])


@permission_required(RUN_SESSION)
def index(request, meeting_pk: int):
    """The sessions of a meeting, and the form to set up a new one."""
    meeting = selectors.meeting_or_404(meeting_pk)
    proposed = selectors.going_member_ids(meeting)
    if finding(request):
        form = SessionForm(initial=_posted(request), proposed=proposed)
    elif request.method == "POST":
        form = SessionForm(request.POST, proposed=proposed)
        if form.is_valid():
            session = services.session_create(meeting=meeting, by=request.user, **form.service_kwargs())
            messages.success(request, _("Session set up. Draw the rounds when the participants are right."))
            return _session_url(session)
    else:
        deck = "\n".join(services.default_deck(get_language()))
        if len(proposed) > LISTED_AT_MOST:
            initial = {"everyone_going": True, "prompts": deck}
        else:
            initial = {"members": proposed, "prompts": deck}
        form = SessionForm(initial=initial, proposed=proposed)
    sessions = list(selectors.sessions_of_meeting(meeting))
    return render(
        request,
        "meetings/networking/index.html",
        {"meeting": meeting, "sessions": sessions, "form": form},
        status=400 if form.is_bound else 200,
    )


@permission_required(RUN_SESSION)
def session_detail(request, meeting_pk: int, session_pk: int):
    """The draw of a session: quality counts, every round's tables, swaps, then follow-ups."""
    session = selectors.session_or_404(meeting_pk=meeting_pk, session_pk=session_pk)
    return _render_detail(request, session)


def _render_detail(request, session, swap_form=None, status=200):
    participants = list(selectors.participants_of(session))
    board = selectors.session_board(session) if session.is_drawn else []
    if swap_form is None and session.state in (SessionState.READY, SessionState.LIVE):
        swap_form = SwapForm(session=session, participants=participants)
    finished = session.state == SessionState.FINISHED
    context = {
        "meeting": session.meeting,
        "session": session,
        "participants": participants,
        "board": board,
        "swap_form": swap_form,
        "follow_ups": list(selectors.follow_ups_of(session=session)) if finished else [],
        "new_links": selectors.new_links_count(session) if finished else None,
    }
    return render(request, "meetings/networking/session.html", context, status=status)


@permission_required(RUN_SESSION)
def session_edit(request, meeting_pk: int, session_pk: int):
    session = selectors.session_or_404(meeting_pk=meeting_pk, session_pk=session_pk)
    if session.state not in (SessionState.SETUP, SessionState.READY):
        messages.error(request, _("The session has started: its set-up can no longer change."))
        return _session_url(session)
    participants = list(selectors.participants_of(session))
    taking_part = [p.member_id for p in participants if p.member_id]
    crowd = {"proposed": taking_part, "editing": True}
    if finding(request):
        form = SessionForm(initial=_posted(request), **crowd)
    elif request.method == "POST":
        form = SessionForm(request.POST, **crowd)
        if form.is_valid():
            try:
                services.session_update(session=session, by=request.user, **form.service_kwargs())
            except services.NetworkingError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Set-up saved."))
                return _session_url(session)
    else:
        # A crowd is kept with one tick; a few are listed, ticked.
        who = {"everyone_going": True} if len(taking_part) > LISTED_AT_MOST else {"members": taking_part}
        form = SessionForm(
            initial={
                **who,
                "guests": "\n".join(
                    f"{p.guest_name}, {p.centre_label}" if p.centre_label else p.guest_name
                    for p in participants
                    if not p.member_id
                ),
                "table_size": session.table_size,
                "rounds": session.rounds,
                "round_minutes": session.round_minutes,
                "prompts": "\n".join(session.prompts),
            },
            **crowd,
        )
    return render(
        request,
        "meetings/networking/edit.html",
        {"meeting": session.meeting, "session": session, "form": form},
        status=400 if form.is_bound else 200,
    )


def _draw_summary(quality) -> str:
    """One sentence on the draw, each count with its own plural form."""
    counts = {
        "repeats": ngettext("%(count)d repeated meeting", "%(count)d repeated meetings", quality.repeats)
        % {"count": quality.repeats},
        "same": ngettext("%(count)d same-centre pair", "%(count)d same-centre pairs", quality.same_centre)
        % {"count": quality.same_centre},
        "met": ngettext("%(count)d pair who already met", "%(count)d pairs who already met", quality.already_met)
        % {"count": quality.already_met},
    }
    return _("Rounds drawn: %(repeats)s, %(same)s, %(met)s.") % counts


@permission_required(RUN_SESSION)
@require_POST
def session_draw(request, meeting_pk: int, session_pk: int):
    session = selectors.session_or_404(meeting_pk=meeting_pk, session_pk=session_pk)
    try:
        quality = services.session_draw(session=session, by=request.user)
    except services.NetworkingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _draw_summary(quality))
    return _session_url(session)


@permission_required(RUN_SESSION)
@require_POST
def session_swap(request, meeting_pk: int, session_pk: int):
    session = selectors.session_or_404(meeting_pk=meeting_pk, session_pk=session_pk)
    participants = list(selectors.participants_of(session))
    form = SwapForm(request.POST, session=session, participants=participants)
    if form.is_valid():
        try:
            services.session_swap(
                session=session,
                by=request.user,
                round_number=form.cleaned_data["round_number"],
                first=form.cleaned_data["first"],
                second=form.cleaned_data["second"],
            )
        except services.NetworkingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Swapped."))
            return _session_url(session)
    session.refresh_from_db()
    return _render_detail(request, session, swap_form=form, status=400)


@permission_required(RUN_SESSION)
@require_POST
def session_control(request, meeting_pk: int, session_pk: int):
    """Start, drive (next, previous, pause, resume) or finish a session, from the presenter view."""
    session = selectors.session_or_404(meeting_pk=meeting_pk, session_pk=session_pk)
    action = request.POST.get("action", "")
    try:
        if action == "start":
            services.session_transition(session=session, to=SessionState.LIVE, by=request.user)
        elif action == "finish":
            services.session_transition(session=session, to=SessionState.FINISHED, by=request.user)
        elif action in services.ROUND_ACTIONS:
            services.session_round_control(session=session, by=request.user, action=action)
        else:
            raise services.NetworkingError(_("Unknown action."))
    except services.NetworkingError as error:
        if _is_htmx(request):
            session.refresh_from_db()
            return _render_screen(request, session, PRESENTER, error=str(error), status=409)
        messages.error(request, str(error))
        return _session_url(session, "presenter" if session.state == SessionState.LIVE else "session")
    if _is_htmx(request):
        session.refresh_from_db()
        return _render_screen(request, session, PRESENTER)
    if action == "finish":
        messages.success(request, _("Session finished: who met whom is saved."))
        return _session_url(session)
    return _session_url(session, "presenter")


# The two screens of a live session: the one projected for the room (round, clock, prompt card,
# tables: nothing to click) and the facilitator's presenter view, whose controls drive the same
# session. Both poll the server, so they follow each other and every participant's page.
PROJECTED, PRESENTER = "live", "presenter"


def _columns(table_count: int) -> int:
    """How many columns of tables the projected screen shows: as wide as the room's screen allows,
    rows filled evenly (4 tables: 2 × 2; 8: 4 × 2; 20: 5 × 4)."""
    if table_count <= 3:
        return max(table_count, 1)
    rows = math.ceil(math.sqrt(table_count / 2))
    return min(6, math.ceil(table_count / rows))


def _render_screen(request, session, screen: str, error="", status=200):
    board = selectors.round_board(session, session.current_round) if session.current_round else None
    context = {
        "meeting": session.meeting,
        "session": session,
        "board": board,
        "columns": _columns(len(board.tables)) if board else 1,
        "next_prompt": session.prompt_for(session.current_round + 1) if session.current_round < session.rounds else "",
        **_clock(session),
        "error": error,
    }
    if _is_htmx(request):
        template = f"meetings/networking/includes/_{screen}_board.html"
    else:
        template = f"meetings/networking/{screen}.html"
    return render(request, template, context, status=status)


@permission_required(RUN_SESSION)
def live(request, meeting_pk: int, session_pk: int):
    """The screen projected for the room: round, countdown, prompt card and tables, no controls."""
    session = selectors.session_or_404(meeting_pk=meeting_pk, session_pk=session_pk)
    if not session.is_drawn:
        raise Http404
    return _render_screen(request, session, PROJECTED)


@permission_required(RUN_SESSION)
def presenter(request, meeting_pk: int, session_pk: int):
    """The facilitator's screen: the same round and clock, with the controls that drive them."""
    session = selectors.session_or_404(meeting_pk=meeting_pk, session_pk=session_pk)
    if not session.is_drawn:
        raise Http404
    return _render_screen(request, session, PRESENTER)


@member_required
def my_table(request, meeting_pk: int, session_pk: int):
    """A participant's own page: their table this round, then the people they met and follow-ups."""
    session = selectors.session_or_404(meeting_pk=meeting_pk, session_pk=session_pk)
    participant = selectors.participant_of(session, request.user)
    if participant is None:
        raise Http404
    return _render_my_table(request, session, participant)


def _render_my_table(request, session, participant, form=None, status=200):
    seat, tablemates = selectors.my_table(session, participant)
    context = {
        "meeting": session.meeting,
        "session": session,
        "participant": participant,
        "seat": seat,
        "tablemates": tablemates,
        "prompt": session.prompt_for(session.current_round),
        **_clock(session),
    }
    if _is_htmx(request) and form is None:
        return render(request, "meetings/networking/includes/_my_table.html", context)
    people = list(selectors.people_met_in_session(session=session, member=request.user))
    context.update(
        people=people,
        follow_ups=list(selectors.follow_ups_of(session=session, author=request.user)),
        form=form or FollowUpForm(people=people),
    )
    return render(request, "meetings/networking/me.html", context, status=status)


@member_required
@require_POST
def follow_up_save(request, meeting_pk: int, session_pk: int):
    session = selectors.session_or_404(meeting_pk=meeting_pk, session_pk=session_pk)
    participant = selectors.participant_of(session, request.user)
    if participant is None:
        raise Http404
    people = list(selectors.people_met_in_session(session=session, member=request.user))
    form = FollowUpForm(request.POST, people=people)
    if form.is_valid():
        try:
            services.follow_up_save(
                session=session,
                author=request.user,
                about=form.cleaned_data["about"],
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except services.NetworkingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Follow-up saved."))
            return _session_url(session, "me")
    return _render_my_table(request, session, participant, form=form, status=400)


@member_required
@require_POST
def follow_up_delete(request, meeting_pk: int, session_pk: int, pk: int):
    session = selectors.session_or_404(meeting_pk=meeting_pk, session_pk=session_pk)
    follow_up = get_object_or_404(FollowUp, pk=pk, session=session, author=request.user)
    services.follow_up_delete(follow_up=follow_up, by=request.user)
    messages.success(request, _("Follow-up removed."))
    return _session_url(session, "me")
