"""Give the shipped guidance a first history record.

The guidance and examples are loaded by data migrations, which bypass
simple-history's signals; without a baseline, the first edit a director makes
would have no "before" to show.
"""

from django.db import migrations
from django.utils import timezone

TRACKED = [
    ("roles", "Role"),
    ("roles", "Need"),
    ("roles", "NeedRule"),
    ("roles", "RefiningQuestion"),
    ("roles", "AnswerOption"),
    ("roles", "AnswerRule"),
    ("worksheets", "Example"),
]


def baseline(apps, schema_editor):
    now = timezone.now()
    for app_label, name in TRACKED:
        model = apps.get_model(app_label, name)
        history = apps.get_model(app_label, f"Historical{name}")
        recorded = set(history.objects.values_list("id", flat=True).distinct())
        history.objects.bulk_create(
            [
                history(
                    **{f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields},
                    history_date=now,
                    history_type="+",
                    history_change_reason="Shipped with devboard",
                )
                for obj in model.objects.exclude(pk__in=recorded)
            ]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0001_initial"),
        ("roles", "0002_load_guidance"),
        ("worksheets", "0002_load_examples"),
    ]
    operations = [migrations.RunPython(baseline, migrations.RunPython.noop)]
