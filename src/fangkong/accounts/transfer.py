"""Excel export of the user list."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fangkong.accounts import selectors
from fangkong.accounts.forms import UserFilterForm
from fangkong.accounts.roles import ROLES
from fangkong.core.transfer.registry import register
from fangkong.core.transfer.spec import ExportColumn, Exporter


class UserExporter(Exporter):
    kind = "users"
    label = gettext_lazy("Users")
    permission = "accounts.view_user"
    target_type = "user"
    filter_form = UserFilterForm

    def queryset(self, user, filters):
        return selectors.user_list(
            user=user,
            q=(filters.get("q") or "").strip(),
            role=filters.get("role") or "",
            area=filters.get("area") or "",
        )

    def columns(self, reveal):
        return [
            ExportColumn("用户名", "username", 16),
            ExportColumn("姓名", "full_name", 10),
            ExportColumn("辖区代码", "scope_id", 18),
            ExportColumn("辖区", "scope_name", 20),
            ExportColumn("职务", "title", 14),
            ExportColumn("工作电话", "phone", 14),
            ExportColumn("角色", "roles", 30),
            ExportColumn("状态", "status", 8),
            ExportColumn("最近登录", "last_login", 20, "datetime"),
        ]

    def rows(self, queryset, reveal):
        active, inactive = _("active"), _("inactive")
        # Model instances, not values(): the roles come from the selector's prefetch.
        for user in queryset.iterator(chunk_size=self.chunk_size):
            yield {
                "username": user.username,
                "full_name": user.full_name,
                "scope_id": user.scope_id or "",
                "scope_name": user.scope.name if user.scope_id else "",
                "title": user.title,
                "phone": user.phone,
                "roles": "、".join(
                    str(ROLES[g.name][0]) if g.name in ROLES else g.name for g in user.groups.all()
                ),
                "status": active if user.is_active else inactive,
                "last_login": user.last_login,
            }


register(UserExporter)
