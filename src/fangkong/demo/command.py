"""The command layer's demo data: two weeks of daily reports (the dashboard's default range)
and two directives, so the dashboard's completeness, the town's review list and the
directives pages have something to show on first start.

Reports of past days are written as the villages would have submitted them: the figures the
system computes (so the dashboard, the reports and the ledgers agree), most on time, some
late, a few missing; units where nothing happened report zero.
"""

import datetime
import random

from django.utils import timezone

from fangkong.accounts.models import User
from fangkong.briefings.services import briefing_approve, briefing_generate, briefing_publish
from fangkong.core.models import Area
from fangkong.directives.models import Directive
from fangkong.directives.services import directive_create, feedback_submit, recipient_sign
from fangkong.reporting.computed import computed_figures
from fangkong.reporting.form import COUNT_KEYS
from fangkong.reporting.models import DailyReport
from fangkong.reporting.selectors import deadline, units

DISTRICT = "370305"
# Units that had nothing to count: their figures are all zero without asking the ledgers.
ACTIVE_SOURCES = (
    ("ledger", "KeyPerson"),
    ("ledger", "Push"),
    ("checkpoints", "VehicleCheck"),
    ("monitoring", "Alert"),
)


def demo_command_load(*, today: datetime.date | None = None, seed: int = 2020, days: int = 13):
    """Load once (skipped when reports exist). Returns (reports, directives) written."""
    if DailyReport.objects.exists():
        return 0, 0
    today = today or timezone.localdate()
    rng = random.Random(seed)
    reports = _reports(rng, today, days)
    directives = _directives(rng, today)
    _briefings(today)
    return reports, directives


def _briefings(today: datetime.date) -> None:
    """The last two days' briefings published and today's drafted, so the archive, the Word
    download and the editing page have something to show."""
    command = User.objects.filter(username="command").first()
    if command is None:
        return
    for offset in (2, 1, 0):
        briefing, _created = briefing_generate(
            actor=command, date=today - datetime.timedelta(days=offset)
        )
        if offset:
            briefing_approve(actor=command, briefing=briefing)
            briefing_publish(actor=command, briefing=briefing)


def _active_units() -> set[str]:
    from django.apps import apps

    active: set[str] = set()
    for app_label, model_name in ACTIVE_SOURCES:
        model = apps.get_model(app_label, model_name)
        active |= {code[:12] for code in model.objects.values_list("area_id", flat=True)}
    return active


def _reports(rng, today: datetime.date, days: int) -> int:
    active = _active_units()
    rows = []
    for unit in units(DISTRICT).order_by("code"):
        for offset in range(days, -1, -1):
            day = today - datetime.timedelta(days=offset)
            # Today: the morning's early reporters only; past days: 1 in 25 never came.
            if rng.random() > (0.45 if not offset else 0.96):
                continue
            due = deadline(day)
            if offset:
                at = due - datetime.timedelta(minutes=rng.randint(20, 420))
                if rng.random() < 0.08:
                    at = due + datetime.timedelta(minutes=rng.randint(10, 300))
            else:
                at = min(timezone.now(), due) - datetime.timedelta(minutes=rng.randint(1, 60))
            figures = (
                computed_figures(area_code=unit.code, date=day)
                if unit.code in active
                else dict.fromkeys(COUNT_KEYS, 0)
            )
            figures = {key: figures.get(key, 0) for key in COUNT_KEYS}
            zero = not any(figures.values())
            status = DailyReport.Status.SUBMITTED
            if offset > 1:
                status = DailyReport.Status.ACCEPTED
            rows.append(
                DailyReport(
                    area=unit,
                    date=day,
                    status=status,
                    is_zero=zero,
                    submitted_at=at,
                    late=at > due,
                    reviewed_at=due + datetime.timedelta(hours=2) if offset > 1 else None,
                    computed=figures,
                    narrative="" if zero else "按要求落实居家观察和双测温，无异常。",
                    **figures,
                )
            )
    DailyReport.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _directives(rng, today: datetime.date) -> int:
    command = User.objects.filter(username="command").first()
    town_admin = User.objects.filter(username="town").first()
    if command is None:
        return 0
    towns = list(units(DISTRICT).values_list("parent_id", flat=True).distinct())
    town_areas = list(Area.objects.filter(code__in=towns).order_by("code"))
    now = timezone.now()
    first = directive_create(
        actor=command,
        kind=Directive.Kind.NOTICE,
        title="关于进一步加强卡口查控和返乡人员排查工作的通知",
        body=(
            "各街道、镇：\n为切实做好外防输入工作，请各单位严格落实卡口“一问一测一告知六登记”，"
            "对推送的返乡人员逐一接收、逐一建档，确保不漏一户、不漏一人。请于截止时间前签收并反馈落实情况。"
        ),
        deadline=now + datetime.timedelta(days=1),
        areas=town_areas,
        roles=["town_admin"],
        send=True,
    )
    second = directive_create(
        actor=command,
        kind=Directive.Kind.ORDER,
        title="关于做好日报告零报告工作的指令",
        body="各街道、镇：\n请督促所辖村居每日16时前完成日报告，无情况的实行零报告。",
        deadline=now + datetime.timedelta(hours=6),
        areas=town_areas,
        roles=["town_admin"],
        send=True,
    )
    if town_admin is not None:
        for directive in (first, second):
            recipient = directive.recipients.filter(area_id=town_admin.scope_id).first()
            if recipient is not None:
                recipient_sign(actor=town_admin, recipient=recipient)
        recipient = first.recipients.filter(area_id=town_admin.scope_id).first()
        if recipient is not None:
            feedback_submit(
                actor=town_admin,
                recipient=recipient,
                text="已组织各社区对推送人员逐一核查，全部落实居家观察措施。",
            )
    return 2
