"""Editors run the guest post desk: they see submissions, act on them and erase an author's data
on request. Nobody gets "add": authors submit their own (see submissions.admin_views)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = ["view_submission", "change_submission", "delete_submission"]


def _editor_permissions(apps):
    # On a fresh database the permissions are only made after all migrations: make them now.
    app_config = apps.get_app_config("submissions")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors = Group.objects.filter(name="Editors").first()
    permissions = Permission.objects.filter(
        content_type__app_label="submissions", codename__in=CODENAMES
    )
    return editors, permissions


def grant(apps, schema_editor):
    editors, permissions = _editor_permissions(apps)
    if editors:
        editors.permissions.add(*permissions)


def revoke(apps, schema_editor):
    editors, permissions = _editor_permissions(apps)
    if editors:
        editors.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("submissions", "0002_accepted_post"),
        ("blog", "0002_audiences_and_editorial_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
