"""The default catalogue: what districts stocked in 2020, as editable data (item names are
the districts' own words, like area names, so they are data rather than catalogue messages)."""

# category, [(name, specification, unit, countable)]
CATALOGUE = [
    (
        "防护用品",
        [
            ("一次性口罩", "一次性使用医用口罩", "个", True),
            ("医用外科口罩", "YY 0469", "个", True),
            ("N95口罩", "GB 19083", "个", True),
            ("医用手套", "一次性乳胶", "副", True),
            ("护目镜", "", "副", True),
            ("防护服", "医用一次性", "件", True),
            ("隔离衣", "", "件", True),
        ],
    ),
    (
        "消杀用品",
        [
            ("84消毒液", "500毫升", "瓶", True),
            ("医用酒精", "75%", "升", False),
            ("喷雾器", "背负式", "台", True),
        ],
    ),
    (
        "检测设备",
        [
            ("测温枪", "红外", "台", True),
            ("额温枪电池", "5号", "个", True),
        ],
    ),
    (
        "生活物资",
        [
            ("大米", "25公斤", "袋", True),
            ("面粉", "25公斤", "袋", True),
            ("食用油", "5升", "桶", True),
            ("蔬菜包", "", "箱", True),
        ],
    ),
]


def catalogue_seed(category_model, item_model) -> int:
    """Create the missing default categories and items; returns how many items were made.

    Takes the model classes so the data migration can pass its historical models.
    """
    created = 0
    for order, (category_name, items) in enumerate(CATALOGUE, start=1):
        category, _new = category_model.objects.get_or_create(
            name=category_name, defaults={"order": order * 10}
        )
        for position, (name, spec, unit, countable) in enumerate(items, start=1):
            _item, new = item_model.objects.get_or_create(
                name=name,
                specification=spec,
                defaults={
                    "category": category,
                    "unit": unit,
                    "countable": countable,
                    "order": position * 10,
                },
            )
            created += new
    return created
