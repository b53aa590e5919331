"""Authenticator-app codes (RFC 6238) for the demo accounts and the tests.

The sign-in itself is allauth's (``allauth.mfa``); this module only gives known accounts a
known secret and computes the code an authenticator app would show for it.
"""

import base64
import hashlib
import hmac
import struct
import time
from urllib.parse import quote

from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.db import transaction

# The demo facilitator's and editor's secret (local settings only: seed_demo refuses to run in
# production). Documented in the README so anyone can sign in to the demo.
DEMO_TOTP_SECRET = "KEEPINPACTDEMOTOTPSECRET"


def totp_code(secret: str, *, at: float | None = None, step_offset: int = 0) -> str:
    """The code an authenticator app shows for ``secret`` at time ``at`` (now by default)."""
    period = getattr(settings, "MFA_TOTP_PERIOD", 30)
    digits = getattr(settings, "MFA_TOTP_DIGITS", 6)
    counter = int(at if at is not None else time.time()) // period + step_offset
    key = base64.b32decode(secret.encode("ascii"), casefold=True)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 10**digits:0{digits}}"


def totp_uri(*, email: str, secret: str) -> str:
    """The otpauth:// address an authenticator app reads (from a QR code or pasted)."""
    issuer = getattr(settings, "MFA_TOTP_ISSUER", "Keep in Pact")
    return f"otpauth://totp/{quote(issuer)}:{quote(email)}?secret={secret}&issuer={quote(issuer)}"


@transaction.atomic
def totp_enable(*, user, secret: str) -> Authenticator:
    """Give ``user`` an authenticator-app factor with this secret (replacing one they had).

    Side effects: the secret is stored encrypted, as allauth stores the ones members set up.
    """
    Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).delete()
    return Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": get_mfa_adapter().encrypt(secret)}
    )


def totp_secret_of(user) -> str | None:
    """The secret of the user's authenticator-app factor, if they have one."""
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    return get_mfa_adapter().decrypt(authenticator.data["secret"]) if authenticator else None
