"""Audiences to filter by, and the editorial groups: Editors publish, Writers submit, Moderators
look after comments. Wagtail ships an 'Editors' group that cannot publish and a 'Moderators' group
that can; this blog's newsroom uses the names the other way round, so they are reconfigured here."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

AUDIENCES = [
    ("patients", "Patients and carers"),
    ("clinicians", "Clinicians"),
    ("researchers", "Researchers"),
    ("policy-makers", "Policy makers"),
]


def create_audiences(apps, schema_editor):
    Audience = apps.get_model("blog", "Audience")
    for order, (slug, name) in enumerate(AUDIENCES):
        Audience.objects.update_or_create(slug=slug, defaults={"name": name, "sort_order": order})


def configure_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    Task = apps.get_model("wagtailcore", "Task")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    def perm(app_label, codename):
        return Permission.objects.get(content_type__app_label=app_label, codename=codename)

    root_page = Page.objects.filter(depth=1).first()
    root_collection = Collection.objects.filter(depth=1).first()
    access_admin = perm("wagtailadmin", "access_admin")

    editors, _ = Group.objects.get_or_create(name="Editors")
    writers, _ = Group.objects.get_or_create(name="Writers")
    moderators, _ = Group.objects.get_or_create(name="Moderators")

    page_perms = {
        editors: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
        writers: ["add_page", "change_page"],
        moderators: [],
    }
    image_perms = {
        editors: ["add_image", "change_image", "choose_image", "delete_image"],
        writers: ["add_image", "choose_image"],
        moderators: [],
    }
    document_perms = {
        editors: ["add_document", "change_document", "choose_document"],
        writers: ["add_document", "choose_document"],
        moderators: [],
    }
    snippet_perms = {
        editors: [
            "add_topic", "change_topic", "delete_topic", "view_topic",
            "add_contributor", "change_contributor", "delete_contributor", "view_contributor",
        ],
        writers: ["view_topic", "view_contributor"],
        moderators: [],
    }
    for group in (editors, writers, moderators):
        group.permissions.add(access_admin)
        GroupPagePermission.objects.filter(group=group).delete()
        for codename in page_perms[group]:
            GroupPagePermission.objects.create(
                group=group, page=root_page, permission=perm("wagtailcore", codename)
            )
        GroupCollectionPermission.objects.filter(group=group).delete()
        for app_label, codenames in (("wagtailimages", image_perms[group]), ("wagtaildocs", document_perms[group])):
            for codename in codenames:
                GroupCollectionPermission.objects.create(
                    group=group, collection=root_collection, permission=perm(app_label, codename)
                )
        for codename in snippet_perms[group]:
            group.permissions.add(perm("blog", codename))
        if group == editors:
            group.permissions.add(perm("core", "change_sitesettings"))

    # The default workflow's approval step goes to the people who can publish.
    for task in GroupApprovalTask.objects.all():
        task.groups.set([editors])
        Task.objects.filter(pk=task.pk).update(name="Editors approval")


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0001_initial"),
        ("core", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailadmin", "0006_formstate"),
    ]

    operations = [
        migrations.RunPython(create_audiences, migrations.RunPython.noop),
        migrations.RunPython(configure_roles, migrations.RunPython.noop),
    ]
