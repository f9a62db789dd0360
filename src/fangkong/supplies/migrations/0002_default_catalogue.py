"""The default catalogue (see supplies.defaults)."""

from django.db import migrations

from fangkong.supplies.defaults import catalogue_seed


def add(apps, schema_editor):
    catalogue_seed(apps.get_model("supplies", "Category"), apps.get_model("supplies", "Item"))


class Migration(migrations.Migration):
    dependencies = [("supplies", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
