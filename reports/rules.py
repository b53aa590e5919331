"""Who may read the community's figures and download them."""

import rules

from community.rules import is_facilitator

rules.add_perm("reports.view_reports", is_facilitator)
