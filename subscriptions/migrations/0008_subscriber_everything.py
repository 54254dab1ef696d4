from django.db import migrations, models


def read_from_choices(apps, schema_editor):
    """Until now an empty choice meant every post: those with a choice get only their choice."""
    Subscriber = apps.get_model("subscriptions", "Subscriber")
    chosen = Subscriber.objects.filter(
        models.Q(topics__isnull=False) | models.Q(contributors__isnull=False)
    )
    Subscriber.objects.filter(pk__in=chosen.values("pk")).update(everything=False)


class Migration(migrations.Migration):
    dependencies = [("subscriptions", "0007_subscriber_follows_contributors")]

    operations = [
        migrations.AddField(
            model_name="subscriber",
            name="everything",
            field=models.BooleanField(default=True),
        ),
        migrations.RunPython(read_from_choices, migrations.RunPython.noop),
    ]
