from django.db import migrations


def baseline(apps, schema_editor):
    from roles.guidance import record_baseline

    record_baseline(apps, "worksheets", ["Example"])


class Migration(migrations.Migration):
    dependencies = [("worksheets", "0002_load_examples")]
    operations = [migrations.RunPython(baseline, migrations.RunPython.noop)]
