"""The key-person categories districts used in 2020, as editable data (the names are the
districts' own words, like area names, so they are data rather than catalogue messages)."""

# code, name, observation days, default measure, negative test required
CATEGORIES = [
    ("hubei", "湖北/武汉返乡", 14, "home_isolation", True),
    ("other_province", "省外返乡", 14, "health_monitoring", False),
    ("overseas", "境外入境", 14, "central_isolation", True),
    ("close_contact", "密切接触者", 14, "central_isolation", True),
    ("secondary_contact", "次密切接触者", 14, "home_isolation", False),
    ("fever", "发热人员", 14, "home_isolation", True),
    ("other", "其他", 14, "health_monitoring", False),
]


def categories_seed(category_model) -> int:
    """Create the default categories that are missing (by code); returns how many were.

    Takes the model class so the data migration can pass its historical model.
    """
    created = 0
    for order, (code, name, days, measure, test) in enumerate(CATEGORIES, start=1):
        _obj, new = category_model.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "observation_days": days,
                "default_measure": measure,
                "requires_negative_test": test,
                "order": order * 10,
            },
        )
        created += new
    return created
