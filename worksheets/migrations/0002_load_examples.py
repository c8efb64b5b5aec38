from django.db import migrations


def load(apps, schema_editor):
    from worksheets import content

    content.load(apps)


class Migration(migrations.Migration):
    dependencies = [("worksheets", "0001_initial"), ("roles", "0002_load_guidance")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
