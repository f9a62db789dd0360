import pytest

from tests.channels import helpers


@pytest.fixture(autouse=True)
def _local_robots(settings):
    """The local test robots listen on 127.0.0.1, beside the real robot hosts."""
    settings.FANGKONG_CHANNEL_HOSTS = [*settings.FANGKONG_CHANNEL_HOSTS, "127.0.0.1"]


@pytest.fixture
def robot():
    server = helpers.Robot().start()
    yield server
    server.stop()


@pytest.fixture
def smtp(settings):
    """A local SMTP server, and the real SMTP backend pointed at it."""
    controller, mailbox = helpers.smtp_server()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield mailbox
    controller.stop()


@pytest.fixture
def base_url(settings):
    settings.FANGKONG_BASE_URL = "https://fk.example.gov.cn"
    return settings.FANGKONG_BASE_URL
