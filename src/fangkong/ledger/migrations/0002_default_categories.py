"""The categories districts used in 2020, as editable data (names are the districts' own)."""

from django.db import migrations

DEFAULTS = [
    # code, name, days, default measure, negative test required
    ("hubei", "湖北/武汉返乡", 14, "home_isolation", True),
    ("other_province", "省外返乡", 14, "health_monitoring", False),
    ("overseas", "境外入境", 14, "central_isolation", True),
    ("close_contact", "密切接触者", 14, "central_isolation", True),
    ("secondary_contact", "次密切接触者", 14, "home_isolation", False),
    ("fever", "发热人员", 14, "home_isolation", True),
    ("other", "其他", 14, "health_monitoring", False),
]


def add(apps, schema_editor):
    Category = apps.get_model("ledger", "Category")
    for order, (code, name, days, measure, test) in enumerate(DEFAULTS, start=1):
        Category.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "observation_days": days,
                "default_measure": measure,
                "requires_negative_test": test,
                "order": order * 10,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
