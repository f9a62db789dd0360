from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.core.models import Area
from fangkong.core.scope import ScopedQuerySet


class UserQuerySet(ScopedQuerySet):
    scope_field = "scope"


class UserManager(DjangoUserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """A staff account. Its scope is one node of the area tree; its roles are auth groups."""

    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    scope = models.ForeignKey(
        Area,
        verbose_name=_("scope"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    phone = models.CharField(_("work phone"), max_length=20, blank=True)
    title = models.CharField(_("post"), max_length=50, blank=True)

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["scope_id", "username"]

    def __str__(self):
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username
