"""What the speed-networking services share."""

# Stored in place of the name of a member who deleted their account (in the site's language).
FORMER_MEMBER = "Former member"


class NetworkingError(Exception):
    """A request the rules refuse; the message is shown to the person."""
