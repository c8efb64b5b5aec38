from django.db import migrations


def baseline(apps, schema_editor):
    from roles.guidance import record_baseline

    record_baseline(apps, "roles", ["Role", "Need", "NeedRule", "RefiningQuestion", "AnswerOption", "AnswerRule"])


class Migration(migrations.Migration):
    dependencies = [("roles", "0002_load_guidance")]
    operations = [migrations.RunPython(baseline, migrations.RunPython.noop)]
