"""Reminders and change notices have a queue of their own; every other task goes to "celery"."""

import pytest

from config.celery import app


@pytest.fixture(autouse=True, scope="module")
def _tasks_discovered():
    # What a worker does at start: import every app's tasks module.
    app.loader.import_default_modules()


def _queue(task_name: str) -> str:
    return app.amqp.router.route({}, task_name)["queue"].name


@pytest.mark.parametrize(
    "task_name",
    [
        "meetings.reminders.tasks.dispatch_reminders",
        "meetings.reminders.tasks.send_meeting_deliveries",
        "meetings.reminders.tasks.send_meeting_change_notice",
    ],
)
def test_reminder_tasks_go_to_the_reminders_queue(task_name):
    assert task_name in app.tasks
    assert _queue(task_name) == "reminders"


@pytest.mark.parametrize(
    "task_name",
    [
        "meetings.tasks.send_waitlist_promotion",
        "community.tasks.send_membership_email",
        "community.tasks.notify_facilitators_of_signup",
    ],
)
def test_other_tasks_go_to_the_default_queue(task_name):
    assert task_name in app.tasks
    assert _queue(task_name) == "celery"
