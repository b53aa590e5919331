"""Meeting reminders and change notices: schedules, delivery records, Celery tasks, one-click RSVP links."""
