# The directory search ignores accents on PostgreSQL (“Liege” finds “Liège”).
# A no-op on other databases (the SQLite quick start).

from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("community", "0005_member_profile")]

    operations = [UnaccentExtension()]
