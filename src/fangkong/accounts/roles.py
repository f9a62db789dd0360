"""Roles of DESIGN §1 as auth groups, each with the permissions it grants.

Roles say *what* a user may do; the scope says *where*. Permission codenames are
"app_label.codename"; `roles_sync` (accounts.services) makes the groups match this table.
"""

from django.utils.translation import gettext_lazy as _

VIEW_PEOPLE = ["people.view_person", "people.view_household"]
EDIT_PEOPLE = [
    *VIEW_PEOPLE,
    "people.add_person",
    "people.change_person",
    "people.add_household",
    "people.change_household",
]
AREAS = ["core.view_area"]
REVEAL = ["people.reveal_pii"]
TRANSFER = ["people.import_people", "people.export_people"]
MANAGE_USERS = ["accounts.view_user", "accounts.add_user", "accounts.change_user"]
AUDIT = ["core.view_accesslog"]

# name -> (label, permissions). Module issues extend the lists as their modules land.
ROLES: dict[str, tuple[str, list[str]]] = {
    "command": (
        _("Command headquarters"),
        [*AREAS, *VIEW_PEOPLE, *REVEAL, "people.export_people", *MANAGE_USERS, *AUDIT],
    ),
    "task_checkpoint": (_("Checkpoint task group"), [*AREAS, *VIEW_PEOPLE]),
    "task_isolation": (_("Isolation task group"), [*AREAS, *VIEW_PEOPLE, *REVEAL]),
    "task_supplies": (_("Supplies task group"), [*AREAS]),
    "task_enterprise": (_("Enterprise service task group"), [*AREAS]),
    "task_publicity": (_("Publicity task group"), [*AREAS]),
    "task_medical": (_("Medical task group"), [*AREAS, *VIEW_PEOPLE, *REVEAL]),
    "town_admin": (
        _("Town administrator"),
        [*AREAS, *EDIT_PEOPLE, *REVEAL, *TRANSFER, *MANAGE_USERS, *AUDIT],
    ),
    "village_staff": (_("Village staff"), [*AREAS, *EDIT_PEOPLE, *REVEAL, *TRANSFER]),
    "grid_worker": (_("Grid worker"), [*AREAS, *EDIT_PEOPLE]),
    "checkpoint_staff": (_("Checkpoint staff"), [*AREAS]),
    "medical": (_("Medical staff"), [*AREAS, *VIEW_PEOPLE, *REVEAL]),
    "enterprise_specialist": (_("Enterprise specialist"), [*AREAS]),
    "editor": (_("Editor / correspondent"), [*AREAS]),
    "volunteer": (_("Volunteer / party member"), [*AREAS]),
    "resident": (_("Resident"), []),
}
