from django.db import migrations, models

FREQUENCIES = [("immediate", "Right away"), ("weekly", "In a weekly digest"), ("monthly", "In a monthly digest"), ("never", "Never")]


def frequencies_from_switches(apps, schema_editor):
    """A member who had a switch on keeps receiving those emails right away; off becomes never."""
    User = apps.get_model("community", "User")
    for topic in ("theme_updates", "guide_updates"):
        User.objects.filter(**{f"notify_{topic}": False}).update(**{f"{topic}_frequency": "never"})


def switches_from_frequencies(apps, schema_editor):
    User = apps.get_model("community", "User")
    for topic in ("theme_updates", "guide_updates"):
        User.objects.exclude(**{f"{topic}_frequency": "immediate"}).update(**{f"notify_{topic}": False})


class Migration(migrations.Migration):

    dependencies = [
        ("community", "0010_search_vector"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="theme_updates_frequency",
            field=models.CharField(choices=FREQUENCIES, default="immediate", max_length=16, verbose_name="updates on themes I follow"),
        ),
        migrations.AddField(
            model_name="user",
            name="guide_updates_frequency",
            field=models.CharField(choices=FREQUENCIES, default="immediate", max_length=16, verbose_name="guide updates"),
        ),
        migrations.AddField(
            model_name="user",
            name="meeting_news_frequency",
            field=models.CharField(choices=FREQUENCIES, default="never", max_length=16, verbose_name="new meetings"),
        ),
        migrations.RunPython(frequencies_from_switches, switches_from_frequencies),
        migrations.RemoveField(model_name="user", name="notify_theme_updates"),
        migrations.RemoveField(model_name="user", name="notify_guide_updates"),
        migrations.AddField(
            model_name="user",
            name="theme_updates_digested_until",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="user",
            name="guide_updates_digested_until",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="user",
            name="meeting_news_digested_until",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="user",
            name="last_seen_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="user",
            name="previous_visit_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
    ]
