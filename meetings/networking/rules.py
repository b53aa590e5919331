"""Permission predicates of speed networking."""

import rules

from community.rules import is_facilitator

# Facilitators set sessions up, draw and drive them; participants only see their own table.
RUN_SESSION = "networking.run_session"

rules.add_perm(RUN_SESSION, is_facilitator)
