from django.db import migrations


def load(apps, schema_editor):
    from roles import guidance

    guidance.load(apps)


class Migration(migrations.Migration):
    dependencies = [("roles", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
