"""The default key-person categories (see ledger.defaults)."""

from django.db import migrations

from fangkong.ledger.defaults import categories_seed


def add(apps, schema_editor):
    categories_seed(apps.get_model("ledger", "Category"))


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
