from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from community import twofactor
from community.seed import DEMO_ACCOUNTS


class Command(BaseCommand):
    help = "Print the current authenticator code of the demo facilitator and editor (quick start only)."

    def handle(self, *args, **options):
        if not getattr(settings, "SEED_DEMO_ALLOWED", False):
            raise CommandError("demo_totp is disabled with these settings (production): there are no demo accounts.")
        code = twofactor.totp_code(twofactor.DEMO_TOTP_SECRET)
        for email, _name, group, staff in DEMO_ACCOUNTS:
            if group or staff:
                uri = twofactor.totp_uri(email=email, secret=twofactor.DEMO_TOTP_SECRET)
                self.stdout.write(f"{email}: {code}  (authenticator app: {uri})")
