"""Speed networking at a meeting: sessions, participants, seats per round, who met whom, follow-ups."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["Encounter", "FollowUp", "NetworkingSession", "Participant", "Seat"]


class SessionState(models.TextChoices):
    SETUP = "setup", _("Being set up")
    READY = "ready", _("Drawn, ready to start")
    LIVE = "live", _("Live")
    FINISHED = "finished", _("Finished")


class FollowUpReason(models.TextChoices):
    PARTNERSHIP = "partnership", _("A partnership idea")
    PRACTICE = "practice", _("An exchange of practice")


class TableSize(models.IntegerChoices):
    PAIRS = 2, _("Pairs")
    THREE = 3, _("Tables of 3")
    FOUR = 4, _("Tables of 4")


class NetworkingSession(models.Model):
    """One speed-networking game at a meeting: its settings, its draw and its live clock."""

    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.CASCADE, related_name="networking_sessions")
    table_size = models.PositiveSmallIntegerField(_("table size"), choices=TableSize.choices, default=TableSize.PAIRS)
    rounds = models.PositiveSmallIntegerField(_("number of rounds"), default=6)
    round_minutes = models.PositiveSmallIntegerField(_("round length (minutes)"), default=6)
    prompts = models.JSONField(_("prompt cards"), default=list, blank=True)
    state = models.CharField(_("state"), max_length=16, choices=SessionState.choices, default=SessionState.SETUP)
    state_changed_at = models.DateTimeField(null=True, blank=True)
    state_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The draw: its seed (a redraw takes a new one) and its quality counts.
    seed = models.PositiveIntegerField(default=0)
    drawn_at = models.DateTimeField(null=True, blank=True)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    repeats = models.PositiveIntegerField(_("repeated meetings"), default=0)
    same_centre = models.PositiveIntegerField(_("same-centre pairs"), default=0)
    already_met = models.PositiveIntegerField(_("pairs who already met"), default=0)
    # The live clock, shared by every screen: 0 before the first round.
    current_round = models.PositiveSmallIntegerField(default=0)
    round_started_at = models.DateTimeField(null=True, blank=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Who last swapped seats or drove the clock.
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("speed-networking session")
        verbose_name_plural = _("speed-networking sessions")
        ordering = ["meeting", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(table_size__gte=2, table_size__lte=4), name="networking_table_size_2_to_4"
            ),
            models.CheckConstraint(condition=Q(rounds__gte=1, rounds__lte=30), name="networking_rounds_1_to_30"),
            models.CheckConstraint(
                condition=Q(round_minutes__gte=1, round_minutes__lte=60), name="networking_round_minutes_1_to_60"
            ),
            models.CheckConstraint(
                condition=Q(current_round__lte=F("rounds")), name="networking_current_round_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} — {_('speed networking')} #{self.pk}"

    @property
    def is_drawn(self) -> bool:
        return self.drawn_at is not None

    @property
    def round_seconds(self) -> int:
        return self.round_minutes * 60

    def remaining_seconds(self, now=None) -> int:
        """Seconds left in the current round (the clock stops while paused, never below 0)."""
        if not self.round_started_at:
            return self.round_seconds
        now = self.paused_at or now or timezone.now()
        return max(0, self.round_seconds - int((now - self.round_started_at).total_seconds()))

    def round_ends_at(self):
        if not self.round_started_at:
            return None
        return self.round_started_at + timedelta(seconds=self.round_seconds)

    def prompt_for(self, round_number: int) -> str:
        if not self.prompts or round_number < 1:
            return ""
        return self.prompts[(round_number - 1) % len(self.prompts)]


class Participant(models.Model):
    """Somebody at the session: a member, or a guest typed in by name and organisation."""

    session = models.ForeignKey(NetworkingSession, on_delete=models.CASCADE, related_name="participants")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="networking_participations",
    )
    guest_name = models.CharField(_("guest's name"), max_length=150, blank=True)
    # The centre the person came from, kept as it was on the day.
    organisation = models.ForeignKey(
        "community.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["session", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "member"], condition=Q(member__isnull=False), name="networking_one_seat_per_member"
            ),
            models.CheckConstraint(
                condition=Q(member__isnull=False) | ~Q(guest_name=""), name="networking_participant_has_a_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return str(self.member) if self.member_id else self.guest_name

    @property
    def is_guest(self) -> bool:
        return not self.member_id

    @property
    def centre_label(self) -> str:
        return str(self.organisation) if self.organisation_id else self.organisation_name

    @property
    def centre_key(self):
        """What the draw compares to keep people of one centre apart (None when unknown)."""
        if self.organisation_id:
            return ("centre", self.organisation_id)
        typed = " ".join(self.organisation_name.casefold().split())
        return ("typed", typed) if typed else None


class Seat(models.Model):
    """Where a participant sits in one round; table 0 means sitting out that round."""

    session = models.ForeignKey(NetworkingSession, on_delete=models.CASCADE, related_name="seats")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="seats")
    round_number = models.PositiveSmallIntegerField()
    table_number = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["session", "round_number", "table_number", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["participant", "round_number"], name="networking_one_seat_per_round"),
            models.CheckConstraint(condition=Q(round_number__gte=1), name="networking_round_from_one"),
        ]
        indexes = [models.Index(fields=["session", "round_number"])]

    def __str__(self) -> str:
        return f"{self.participant_id} · {self.round_number}/{self.table_number}"


class Encounter(models.Model):
    """Two members who sat at one table during a session (stored once per pair and session)."""

    session = models.ForeignKey(NetworkingSession, on_delete=models.CASCADE, related_name="encounters")
    member_a = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    member_b = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    round_number = models.PositiveSmallIntegerField()
    # Whether the pair met for the first time (no encounter at an earlier session).
    is_new = models.BooleanField(default=True)

    class Meta:
        ordering = ["session", "round_number", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "member_a", "member_b"], name="networking_one_encounter_per_pair"
            ),
            models.CheckConstraint(condition=Q(member_a__lt=F("member_b")), name="networking_encounter_pair_ordered"),
        ]
        indexes = [models.Index(fields=["member_b", "member_a"])]

    def __str__(self) -> str:
        return f"{self.member_a_id} & {self.member_b_id}"


class FollowUp(models.Model):
    """Somebody a participant wants to follow up with after the session, and why."""

    session = models.ForeignKey(NetworkingSession, on_delete=models.CASCADE, related_name="follow_ups")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="networking_follow_ups")
    about = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+", verbose_name=_("person"))
    reason = models.CharField(_("why"), max_length=16, choices=FollowUpReason.choices)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["session", "created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["author", "about"], name="networking_one_follow_up_per_person")]

    def __str__(self) -> str:
        return f"{self.author} → {self.about}"
