from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Guide editors"
# Editors curate chapters and contributions, and read the review history and revisions.
CODENAMES = (
    "add_chapter",
    "change_chapter",
    "delete_chapter",
    "view_chapter",
    "change_contribution",
    "delete_contribution",
    "view_contribution",
    "view_contributiontransition",
    "view_historicalcontribution",
)


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure ours exist now.
    config = apps.get_app_config("guide")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(*Permission.objects.filter(content_type__app_label="guide", codename__in=CODENAMES))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=GROUP).first()
    if group:
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="guide", codename__in=CODENAMES))


class Migration(migrations.Migration):
    dependencies = [
        ("guide", "0001_initial"),
        ("community", "0002_groups"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
