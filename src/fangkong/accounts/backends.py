"""Authentication backend: Django's ModelBackend with a user's permissions read in one query.

Every API request checks permissions; ModelBackend reads them with two ORM queries (the
user's own, then those of their groups), which cost about a tenth of a checkpoint
registration's time under load (issue 3's benchmark). The answer is the same set.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection


class OneQueryModelBackend(ModelBackend):
    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if user_obj.is_superuser:
            return super().get_all_permissions(user_obj, obj)
        if not hasattr(user_obj, "_perm_cache"):
            user_obj._perm_cache = _permissions_of(user_obj.pk)
        return user_obj._perm_cache


def _permissions_of(user_id: int) -> set[str]:
    User = get_user_model()
    qn = connection.ops.quote_name
    perm = qn(Permission._meta.db_table)
    content_type = qn(ContentType._meta.db_table)
    user_perms = qn(User.user_permissions.through._meta.db_table)
    user_groups = qn(User.groups.through._meta.db_table)
    group_perms = qn(Group.permissions.through._meta.db_table)
    sql = f"""
        SELECT ct.app_label, p.codename FROM {perm} p
        JOIN {content_type} ct ON ct.id = p.content_type_id
        WHERE p.id IN (
          SELECT up.permission_id FROM {user_perms} up WHERE up.user_id = %s
          UNION
          SELECT gp.permission_id FROM {group_perms} gp
          JOIN {user_groups} ug ON ug.group_id = gp.group_id
          WHERE ug.user_id = %s)
    """  # noqa: S608 - table names from the models, values as parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [user_id, user_id])
        return {f"{app_label}.{codename}" for app_label, codename in cursor.fetchall()}
