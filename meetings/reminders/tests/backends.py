"""Mail backends for tests: the locmem outbox, with a mail server that fails in the ways real ones do."""

import smtplib

from django.core.mail.backends.locmem import EmailBackend


class FlakyBackend(EmailBackend):
    """Accepts messages into ``mail.outbox`` like locmem, except that:

    - after ``accept_before_failing`` messages, the next ``failures`` sends lose the connection;
    - messages to an address in ``refused`` are refused for good;
    - the next ``crashes`` sends raise an error no mail server gives (a bug).
    """

    accept_before_failing = 0
    failures = 0
    refused: frozenset = frozenset()
    crashes = 0

    def send_messages(self, messages):
        cls = type(self)
        for message in messages:
            if cls.crashes > 0:
                cls.crashes -= 1
                raise RuntimeError("Unexpected failure")
            if set(message.to) & cls.refused:
                raise smtplib.SMTPRecipientsRefused(dict.fromkeys(message.to, (550, b"No such user")))
            if cls.accept_before_failing > 0:
                cls.accept_before_failing -= 1
            elif cls.failures > 0:
                cls.failures -= 1
                raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)

    @classmethod
    def configure(cls, *, accept_before_failing=0, failures=0, refused=(), crashes=0):
        cls.crashes = crashes
        cls.accept_before_failing = accept_before_failing
        cls.failures = failures
        cls.refused = frozenset(refused)
