import pytest
from django.utils import timezone

from fangkong.briefings import services


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def generate(actor, area=None, date=None):
    briefing, _created = services.briefing_generate(
        actor=actor, area=area, date=date or timezone.localdate()
    )
    return briefing


@pytest.fixture
def draft(users, tree):
    """Today's draft briefing of the district."""
    return generate(users.command, tree.county)


@pytest.fixture
def published(users, tree):
    """Today's published briefing of 辛店街道, written by the command."""
    briefing = generate(users.command, tree.town)
    services.briefing_approve(actor=users.command, briefing=briefing)
    return services.briefing_publish(actor=users.command, briefing=briefing)
