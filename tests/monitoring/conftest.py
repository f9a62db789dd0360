import datetime

import pytest
from django.utils import timezone

from fangkong.ledger import services as ledger
from fangkong.ledger.models import Category, KeyPerson
from tests import factories


@pytest.fixture(autouse=True)
def _slots_open_all_day(settings):
    # Both slots open from one minute past midnight, so tests do not depend on the hour.
    settings.FANGKONG_LOG_SLOTS = "am=00:00-00:01,pm=00:01-00:02"


def key_person(area, name="王五", *, category="other", days_ago=3, **fields):
    """A key person under management whose observation started `days_ago` days ago."""
    start = timezone.localdate() - datetime.timedelta(days=days_ago)
    category = Category.objects.get(code=category)
    return ledger.keyperson_create(
        actor=None,
        person=factories.person(area, name),
        category=category,
        measure=fields.pop("measure", category.default_measure),
        source=KeyPerson.Source.MANUAL,
        period_start=start,
        **fields,
    )


@pytest.fixture
def doctor(tree, users):
    return factories.user("doctor", tree.village, "medical")


@pytest.fixture
def kp(tree, users):
    return key_person(tree.grid)
