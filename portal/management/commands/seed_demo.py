from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from portal import composition


class Command(BaseCommand):
    help = "Fill an empty database with a believable demo community. Running it twice changes nothing."

    def handle(self, *args, **options):
        if not getattr(settings, "SEED_DEMO_ALLOWED", False):
            raise CommandError(
                "seed_demo is disabled with these settings (production): demo accounts are never created here."
            )
        with transaction.atomic():
            composition.seed_demo(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
