"""The closed loop of issue 3 walked in Chromium on 375 px phones, through the real pages only.

checkpoint staff register a car of three (one fever) → the village confirms the push → the
person logs temperatures through their personal link → time moves past the period and the
doctor releases → the command sees every figure change on its own pages.

Each user has their own browser context (their own phone and cookies). Screenshots of every
step go to tmp_path; three of them are also copied to /tmp/loop-shots/ for a human to look at.
"""

import datetime
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from django.core.cache import cache
from django.utils import timezone

from fangkong.checkpoints import services as checkpoint_services
from tests import factories
from tests.browser.fixtures import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Where the three shots for a human go (/tmp/loop-shots unless told otherwise).
SHOTS = Path(os.environ.get("FANGKONG_LOOP_SHOTS") or Path(tempfile.gettempdir(), "loop-shots"))
WUHAN = "湖北省武汉市武昌区"  # resolves to 420106: outside the province, so pushed


@pytest.fixture(autouse=True)
def _fast_and_fresh(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Rate-limit counters live in the cache: a private one, empty for this test.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "loop"}
    }
    cache.clear()


class Shots:
    def __init__(self, directory: Path):
        self.directory = directory
        self.n = 0

    def __call__(self, page, name: str, *, keep: bool = False) -> None:
        self.n += 1
        path = self.directory / f"{self.n:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        if keep:
            SHOTS.mkdir(exist_ok=True)
            shutil.copy(path, SHOTS / f"{name}.png")


def menu(page, href: str) -> None:
    """Follow a sidebar entry as on a phone: open the menu, tap the entry."""
    page.click("[data-bs-target='#fk-sidebar']")
    page.click(f"#fk-sidebar a[href='{href}']")
    page.wait_for_url(f"**{href}")


def total(page, path: str) -> int:
    """The row count a list page shows under its table."""
    page.goto(page.base + path)
    return int(page.get_attribute("[data-testid=pagination] [data-total]", "data-total"))


def command_figures(page, shot, step: str, *, days: tuple[datetime.date, datetime.date]):
    """Every figure of the loop as the command reads it on its pages."""
    page.goto(page.base + "/")
    under_management = int(
        page.inner_text("[data-counter='/ledger/keypersons/'] .fk-stat-value").replace(",", "")
    )
    open_alerts = int(page.inner_text("[data-counter='/monitoring/alerts/'] .fk-stat-value"))
    shot(page, f"{step}-command-home")
    open_pushes = total(page, "/ledger/pushes/open/")
    shot(page, f"{step}-command-open-pushes", keep=step == "1")
    pushed_names = page.locator("[data-testid=rows] tbody tr[data-id] a").all_inner_texts()
    alerts = total(page, "/monitoring/alerts/")
    alert_rows = page.locator("[data-testid=rows] tbody tr[data-id]").all_inner_texts()
    shot(page, f"{step}-command-alerts")
    managed = total(page, "/ledger/keypersons/?state=managed")
    released = total(page, "/ledger/keypersons/?state=released")
    page.goto(f"{page.base}/checkpoints/counts/?date_from={days[0]}&date_to={days[1]}")
    counts = {}
    for column in ("vehicles", "persons", "persons_back", "fever", "pushes"):
        cells = page.locator(f"[data-testid=rows] tbody td[data-col={column}]").all_inner_texts()
        counts[column] = sum(int(cell) for cell in cells)
    shot(page, f"{step}-command-counts")
    return {
        "under_management": under_management,
        "open_alerts": open_alerts,
        "open_pushes": open_pushes,
        "pushed_names": pushed_names,
        "alerts": alerts,
        "alert_rows": alert_rows,
        "managed": managed,
        "released": released,
        **counts,
    }


def fill_occupant(page, i: int, *, id_number, name, origin, keys=(), temperature="", grid=""):
    card = f"[data-occupant='{i}']"
    page.fill(f"#o{i}-id_number", id_number)
    page.fill(f"#o{i}-name", name)
    page.fill(f"#o{i}-origin", origin)
    for key in keys:  # the one-hand keypad
        page.click(f"{card} [data-key='{key}']")
    if temperature:
        page.fill(f"#o{i}-temperature", temperature)
    page.click(f"{card} label[for='o{i}-notice_given']")
    if grid:
        # Picked by pinyin initials: "tg" 太公 / "yx" 乙烯 lists villages and grids.
        page.fill(f"#o{i}-destination_q", "tg" if grid.startswith("370305003001") else "yx")
        page.click(f"{card} .fk-destination-option[data-code='{grid}']")
        assert page.is_visible(f"{card} .fk-destination-chosen")


def log_through_link(page, link: str, slot: str, temperature: str) -> None:
    page.goto(link)
    page.click(f"label[for='slot-{slot}']")
    page.fill("#temperature", temperature)
    page.click(".fk-save")
    page.wait_for_selector("[data-testid=saved]")
    assert temperature in page.inner_text(f"[data-slot={slot}]")


def test_it_walks_the_closed_loop(phones, tree, users, settings, monkeypatch, tmp_path):  # noqa: F811
    shot = Shots(tmp_path)
    # Both log slots open from midnight, so the person can report morning and afternoon
    # whatever the hour the test runs at (the real windows are 06:00 and 14:00).
    settings.FANGKONG_LOG_SLOTS = "am=00:00-23:58,pm=00:00-23:59"
    checkpoint = checkpoint_services.checkpoint_create(
        actor=None,
        area=tree.town,
        name="辛店收费站卡口",
        level=1,
        kind="highway_exit",
        location="G20 辛店出口",
        shifts=[
            ("白班", datetime.time(8), datetime.time(20)),
            ("夜班", datetime.time(20), datetime.time(8)),
        ],
    )
    guard = factories.user("guard", tree.town, "checkpoint_staff")
    checkpoint.staff.add(guard)
    factories.user("doctor", tree.town, "medical")
    day0 = timezone.localdate()
    # A night shift that began yesterday counts on yesterday: read both days.
    days = (day0 - datetime.timedelta(days=1), day0)

    command = phones()
    login(command, "command", factories.PASSWORD)
    before = command_figures(command, shot, "0", days=days)
    assert (before["open_pushes"], before["alerts"], before["managed"]) == (0, 0, 0)
    assert (before["vehicles"], before["persons"], before["released"]) == (0, 0, 0)

    # 1. Checkpoint staff register a car of three from the home page's shortcut.
    staff = phones()
    login(staff, "guard", factories.PASSWORD)
    staff.click(f"[data-testid=checkpoint-panel] a[href='/checkpoints/{checkpoint.pk}/register/']")
    staff.fill("#id_plate", "鲁C5A123")
    staff.wait_for_selector("[data-plate-region]")
    staff.click("label[for='o0-is_driver']")
    fill_occupant(
        staff,
        0,
        id_number=factories.id_number("370305"),
        name="赵师傅",
        origin="山东省淄博市临淄区",
        keys=("36.", "4"),
        grid=tree.grid3.code,
    )
    staff.click("#fk-add-occupant")
    fill_occupant(
        staff,
        1,
        id_number=factories.id_number("420106"),
        name="钱武汉",
        origin=WUHAN,
        keys=("36.5",),
        grid=tree.grid.code,
    )
    staff.click("#fk-add-occupant")
    fill_occupant(
        staff,
        2,
        id_number=factories.id_number("420106"),
        name="孙发热",
        origin=WUHAN,
        temperature="38.1",
        grid=tree.grid.code,
    )
    assert staff.input_value("#o0-temperature") == "36.4"
    assert staff.input_value("#o1-temperature") == "36.5"
    # ≥ 37.3 °C: the page itself switches the outcome to the fever clinic.
    assert staff.is_checked("#o2-outcome-fever_referral")
    assert staff.is_checked("#o0-outcome-pass") and staff.is_checked("#o1-outcome-pass")
    shot(staff, "registration", keep=True)
    staff.click("[data-testid=submit]")
    staff.wait_for_selector("[data-testid=last]")
    assert "鲁C5A123" in staff.inner_text("[data-testid=last]")
    shot(staff, "registered")

    # 5a. The command sees the car, the fever and the open push.
    after_registration = command_figures(command, shot, "1", days=days)
    assert after_registration["open_pushes"] == 1
    assert after_registration["pushed_names"] == ["钱武汉"]
    assert after_registration["alerts"] == 1 and after_registration["open_alerts"] == 1
    assert "孙发热" in after_registration["alert_rows"][0]
    assert "38.1" in after_registration["alert_rows"][0]
    assert after_registration["managed"] == 0 and after_registration["under_management"] == 0
    assert (after_registration["vehicles"], after_registration["persons"]) == (1, 3)
    assert after_registration["fever"] == 1 and after_registration["persons_back"] == 0
    assert after_registration["pushes"] >= 1

    # 2. The village sees the push in its inbox and its 待接收 list and receives the person.
    village = phones()
    login(village, "village", factories.PASSWORD)
    assert int(village.get_attribute("[data-testid=inbox-badge] [data-unread]", "data-unread")) >= 1
    village.click("[data-testid=inbox-badge]")
    village.wait_for_url("**/inbox/")
    notification = village.locator("[data-notification][data-unread]", has_text="钱武汉")
    assert notification.count() == 1
    shot(village, "village-inbox")
    # One click from the notification to the push it is about.
    notification.locator("a[data-action]").click()
    village.wait_for_url("**/ledger/pushes/*/")
    assert village.get_attribute("h1 [data-state]", "data-state") == "pending"
    menu(village, "/ledger/pushes/pending/")
    cards = village.locator("[data-testid=push]")
    assert cards.count() == 1 and "钱武汉" in cards.first.inner_text()
    shot(village, "village-pending", keep=True)
    cards.first.locator("[data-testid=receive]").click()
    village.wait_for_selector("[data-testid=empty]")
    shot(village, "village-received")
    menu(village, "/ledger/keypersons/")
    row = village.locator("[data-testid=rows] tbody tr[data-id]")
    assert row.count() == 1 and "钱武汉" in row.inner_text()
    assert row.locator("[data-state]").get_attribute("data-state") == "managed"
    village.goto(village.base + "/inbox/")
    assert village.locator("[data-notification][data-done]", has_text="钱武汉").count() == 1

    # 5b. Received: no open push any more, one person under management.
    after_receipt = command_figures(command, shot, "2", days=days)
    assert after_receipt["open_pushes"] == 0
    assert after_receipt["managed"] == 1 and after_receipt["under_management"] == 1
    assert after_receipt["released"] == 0 and after_receipt["alerts"] == 1

    # 3. Staff hand over the personal link from the person's monitoring page (reached from
    # today's health-log cards); the person opens it on their own phone, without logging in.
    menu(village, "/monitoring/logs/")
    village.click("[data-kp] a:has-text('钱武汉')")
    village.wait_for_selector("[data-testid=link] svg")
    link = village.input_value("[data-testid=link] input")
    assert "/monitoring/h/" in link
    shot(village, "village-monitoring-link")
    person = phones()
    log_through_link(person, link, "am", "36.6")
    log_through_link(person, link, "pm", "36.4")
    assert "武汉" in person.inner_text("h1")  # the given name only: 你好，武汉
    shot(person, "person-two-logs")
    village.reload()
    assert "36.6" in village.inner_text("[data-testid=logs]")
    assert "36.4" in village.inner_text("[data-testid=logs]")

    # 4. Time moves forward. The live server runs in this process and every service reads
    # the clock as django.utils.timezone.now()/localdate() (localdate calls now), so patching
    # timezone.now moves the whole site. Period: day 1 = day0, 14 days end on day0+13;
    # release needs the period over (day0+14) and both slots of the last two days (day0+12,
    # day0+13) reported normal — the person reports them through the link page, on those days.
    real_now = timezone.now

    def travel(days_ahead: int) -> None:
        monkeypatch.setattr(
            timezone, "now", lambda: real_now() + datetime.timedelta(days=days_ahead)
        )

    for offset in (12, 13):
        travel(offset)
        log_through_link(person, link, "am", "36.5")
        log_through_link(person, link, "pm", "36.3")
    shot(person, "person-day-14-logs")
    travel(14)
    today = timezone.localdate()

    # The doctor (a fresh login: sessions started before the jump have expired with it)
    # finds what still blocks the release: 湖北/武汉返乡 requires a negative test.
    doctor = phones()
    login(doctor, "doctor", factories.PASSWORD)
    menu(doctor, "/monitoring/release/")
    assert doctor.locator("[data-testid=rows] tbody tr[data-id]").count() == 0
    menu(doctor, "/monitoring/logs/")
    doctor.click("[data-kp] a:has-text('钱武汉')")
    problems = doctor.inner_text("[data-testid=problems]")
    assert "核酸" in problems and len(doctor.locator("[data-testid=problems] li").all()) == 1
    shot(doctor, "doctor-needs-test")
    doctor.click("a[href$='/samples/new/']")
    doctor.fill("#id_sample_no", "LZ-0001")
    doctor.fill("#id_sampled_on", today.isoformat())
    doctor.fill("#id_lab", "临淄区人民医院")
    doctor.click("form.fk-card button[type=submit]")
    doctor.click("[data-testid=samples] a[href$='/result/']")
    doctor.select_option("#id_result", "negative")
    doctor.fill("#id_result_on", today.isoformat())
    doctor.click("form.fk-card button[type=submit]")
    doctor.wait_for_selector("[data-testid=release] .text-success")
    menu(doctor, "/monitoring/release/")
    due = doctor.locator("[data-testid=rows] tbody tr[data-id]")
    assert due.count() == 1 and "钱武汉" in due.inner_text()
    shot(doctor, "doctor-due-for-release")
    due.locator("button[type=submit]").click()
    doctor.wait_for_selector("[data-testid=notice]")
    assert doctor.locator(".alert-success", has_text="钱武汉").count() == 1
    shot(doctor, "doctor-released")
    with doctor.expect_download() as download_info:
        doctor.click("[data-testid=notice]")
    notice = Path(download_info.value.path()).read_bytes()
    assert notice[:2] == b"PK"  # a .docx is a zip
    # The link stops working with the release.
    person.goto(link)
    assert person.locator("[data-testid=slots]").count() == 0

    # 5c. Released: nobody under management, one released; the day-0 counts are unchanged.
    command = phones()
    login(command, "command", factories.PASSWORD)
    after_release = command_figures(command, shot, "3", days=days)
    assert after_release["managed"] == 0 and after_release["under_management"] == 0
    assert after_release["released"] == 1 and after_release["open_pushes"] == 0
    assert (after_release["vehicles"], after_release["persons"], after_release["fever"]) == (
        1,
        3,
        1,
    )
