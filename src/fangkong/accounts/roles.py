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

# The closed loop (issue 3).
LEDGER_VIEW = [
    "ledger.view_keyperson",
    "ledger.view_push",
    "ledger.view_contact",
    "ledger.view_category",
]
LEDGER_WORK = [
    *LEDGER_VIEW,
    "ledger.add_keyperson",
    "ledger.change_keyperson",
    "ledger.transition_keyperson",
    "ledger.receive_push",
    "ledger.add_contact",
    "ledger.change_teammember",
]
LEDGER_TRANSFER = ["ledger.import_keypersons", "ledger.export_keypersons"]
LEDGER_RESOLVE = ["ledger.resolve_push", "ledger.view_outbound", "ledger.change_outbound"]
RELEASE = ["ledger.release_keyperson"]
POLICY = [
    "ledger.change_policy",
    "ledger.add_riskarea",
    "ledger.change_riskarea",
    "ledger.view_riskarea",
    "ledger.add_category",
    "ledger.change_category",
]
CHECKPOINT_VIEW = ["checkpoints.view_checkpoint", "checkpoints.view_vehiclecheck"]
CHECKPOINT_REGISTER = [*CHECKPOINT_VIEW, "checkpoints.add_vehiclecheck"]
CHECKPOINT_MANAGE = [
    *CHECKPOINT_REGISTER,
    "checkpoints.add_checkpoint",
    "checkpoints.change_checkpoint",
    "checkpoints.import_registrations",
    "checkpoints.export_registrations",
]
HEALTH_VIEW = [
    "monitoring.view_alert",
    "monitoring.view_healthlog",
    "monitoring.view_followup",
    "monitoring.view_sample",
]
HEALTH_LOG = [*HEALTH_VIEW, "monitoring.add_healthlog"]
MEDICAL = [
    *HEALTH_LOG,
    "monitoring.handle_alert",
    "monitoring.add_followup",
    "monitoring.add_sample",
    "monitoring.change_sample",
    "monitoring.import_results",
]
ISOLATION_VIEW = ["isolation.view_site", "isolation.view_stay", "isolation.view_transfer"]
ISOLATION_WORK = [
    *ISOLATION_VIEW,
    "isolation.add_site",
    "isolation.change_site",
    "isolation.add_stay",
    "isolation.change_stay",
    "isolation.add_transfer",
    "isolation.add_dailyservice",
]
# Notification channels (issue 4): units' group robots and mailing lists, and their log.
CHANNELS_MANAGE = [
    "channels.view_channel",
    "channels.add_channel",
    "channels.change_channel",
    "channels.delete_channel",
    "channels.view_delivery",
]
# The command's figures: dashboard, /api/v1/stats/ (issue 4).
COMMAND_DASHBOARD = ["command.view_dashboard"]
REPORT_VIEW = ["reporting.view_dailyreport"]
REPORT_SUBMIT = [*REPORT_VIEW, "reporting.submit_report"]
REPORT_REVIEW = [*REPORT_VIEW, "reporting.review_report", "reporting.export_reports"]
REPORT_COMMAND = [*REPORT_VIEW, "reporting.remind_report", "reporting.export_reports"]
LOOP_READ = [*LEDGER_VIEW, "ledger.view_outbound", *CHECKPOINT_VIEW, *HEALTH_VIEW, *ISOLATION_VIEW]
# Directives (issue 4): the command and towns send; towns and villages sign and answer.
DIRECTIVES_SEND = ["directives.view_directive", "directives.send_directive"]
DIRECTIVES_SIGN = ["directives.view_directive", "directives.sign_directive"]
# Briefings (issue 4): the command writes, approves and publishes; towns read theirs.
BRIEFINGS_VIEW = ["briefings.view_briefing"]
BRIEFINGS_ALL = [
    *BRIEFINGS_VIEW,
    "briefings.add_briefing",
    "briefings.change_briefing",
    "briefings.approve_briefing",
    "briefings.publish_briefing",
]
# Supplies (issue 5): the supplies task group runs the warehouses; towns run theirs and approve
# their units' requests; units ask; the command reads.
SUPPLIES_VIEW = [
    "supplies.view_item",
    "supplies.view_warehouse",
    "supplies.view_stock",
    "supplies.view_movement",
    "supplies.view_supplyrequest",
    "supplies.export_supplies",
]
SUPPLIES_WORK = [
    *SUPPLIES_VIEW,
    "supplies.issue_stock",
    "supplies.add_warehouse",
    "supplies.change_warehouse",
    "supplies.add_item",
    "supplies.change_item",
    "supplies.import_supplies",
]
SUPPLIES_REQUEST = [
    "supplies.view_item",
    "supplies.view_supplyrequest",
    "supplies.add_supplyrequest",
]
SUPPLIES_APPROVE = ["supplies.view_item", "supplies.view_supplyrequest", "supplies.approve_request"]
# Donations (issue 5): the supplies task group registers donations; the command reads.
DONATIONS_VIEW: list[str] = [
    "donations.view_donor",
    "donations.view_donation",
    "donations.export_donations",
]
DONATIONS_WORK: list[str] = [
    *DONATIONS_VIEW,
    "donations.add_donor",
    "donations.change_donor",
    "donations.add_donation",
    "donations.change_donation",
    "donations.add_disbursement",
    "donations.import_donations",
    "supplies.view_warehouse",
    "supplies.view_item",
]

# name -> (label, permissions). Module issues extend the lists as their modules land.
ROLES: dict[str, tuple[str, list[str]]] = {
    "command": (
        _("Command headquarters"),
        [
            *AREAS,
            *VIEW_PEOPLE,
            *REVEAL,
            "people.export_people",
            *MANAGE_USERS,
            *AUDIT,
            *LOOP_READ,
            *LEDGER_RESOLVE,
            *POLICY,
            "ledger.export_keypersons",
            "checkpoints.export_registrations",
            *CHANNELS_MANAGE,
            *DIRECTIVES_SEND,
            *COMMAND_DASHBOARD,
            *REPORT_COMMAND,
            *BRIEFINGS_ALL,
            *SUPPLIES_VIEW,
            *SUPPLIES_APPROVE,
            *DONATIONS_VIEW,
        ],
    ),
    "task_checkpoint": (
        _("Checkpoint task group"),
        [*AREAS, *VIEW_PEOPLE, *CHECKPOINT_MANAGE, *LEDGER_VIEW, *LEDGER_RESOLVE],
    ),
    "task_isolation": (
        _("Isolation task group"),
        [*AREAS, *VIEW_PEOPLE, *REVEAL, *ISOLATION_WORK, *LEDGER_VIEW, *HEALTH_VIEW],
    ),
    "task_supplies": (
        _("Supplies task group"),
        [*AREAS, *SUPPLIES_WORK, *SUPPLIES_APPROVE, *DONATIONS_WORK],
    ),
    "task_enterprise": (_("Enterprise service task group"), [*AREAS]),
    "task_publicity": (_("Publicity task group"), [*AREAS]),
    "task_medical": (
        _("Medical task group"),
        [*AREAS, *VIEW_PEOPLE, *REVEAL, *LEDGER_VIEW, *MEDICAL, *RELEASE, *ISOLATION_VIEW],
    ),
    "town_admin": (
        _("Town administrator"),
        [
            *AREAS,
            *EDIT_PEOPLE,
            *REVEAL,
            *TRANSFER,
            *MANAGE_USERS,
            *AUDIT,
            *LEDGER_WORK,
            *LEDGER_TRANSFER,
            *LEDGER_RESOLVE,
            *RELEASE,
            *CHECKPOINT_MANAGE,
            # Town health centres work under the town: it can do and grant their work.
            *MEDICAL,
            *ISOLATION_VIEW,
            *CHANNELS_MANAGE,
            *DIRECTIVES_SEND,
            *DIRECTIVES_SIGN,
            *COMMAND_DASHBOARD,
            *BRIEFINGS_VIEW,
            *REPORT_REVIEW,
            # A town can do, and so grant, its villages' reporting.
            *REPORT_SUBMIT,
            *SUPPLIES_WORK,
            *SUPPLIES_APPROVE,
            *SUPPLIES_REQUEST,
        ],
    ),
    "village_staff": (
        _("Village staff"),
        [
            *AREAS,
            *EDIT_PEOPLE,
            *REVEAL,
            *TRANSFER,
            *LEDGER_WORK,
            *LEDGER_TRANSFER,
            *RELEASE,
            *CHECKPOINT_REGISTER,
            *HEALTH_LOG,
            *DIRECTIVES_SIGN,
            *REPORT_SUBMIT,
            *SUPPLIES_REQUEST,
        ],
    ),
    "grid_worker": (_("Grid worker"), [*AREAS, *EDIT_PEOPLE, *LEDGER_VIEW, *HEALTH_LOG]),
    "checkpoint_staff": (
        _("Checkpoint staff"),
        [*AREAS, *CHECKPOINT_REGISTER, *SUPPLIES_REQUEST],
    ),
    "medical": (
        _("Medical staff"),
        [*AREAS, *VIEW_PEOPLE, *REVEAL, *LEDGER_VIEW, *MEDICAL, *RELEASE],
    ),
    "enterprise_specialist": (_("Enterprise specialist"), [*AREAS]),
    "editor": (_("Editor / correspondent"), [*AREAS]),
    "volunteer": (_("Volunteer / party member"), [*AREAS]),
    "resident": (_("Resident"), []),
}
