"""The key-person ledger (重点人员台账) and the pushes that feed it.

A Push is someone expected at a village: a traveller a checkpoint passed towards it, a
resident who registered their return. It waits as pending until the village receives it (the
person enters the ledger as a KeyPerson) or answers that it cannot (not found, wrong address),
which hands it to the town and the command. A push never disappears: it ends received,
redirected to another village (a new push), or closed by the town or command with a reason.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.core.models import Area
from fangkong.core.scope import ScopedQuerySet
from fangkong.people.models import Person, ProtectedIdentity


class Measure(models.TextChoices):
    HOME_ISOLATION = "home_isolation", _("home isolation medical observation")
    CENTRAL_ISOLATION = "central_isolation", _("centralized isolation medical observation")
    HEALTH_MONITORING = "health_monitoring", _("home health monitoring")


class Category(models.Model):
    """Why a person is managed (湖北/武汉返乡, 密切接触者, …), with its observation period."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=50)
    observation_days = models.PositiveSmallIntegerField(_("observation days"), default=14)
    default_measure = models.CharField(
        _("default measure"), max_length=20, choices=Measure.choices, default=Measure.HOME_ISOLATION
    )
    # Release needs a negative nucleic-acid result taken in the last days of the period.
    requires_negative_test = models.BooleanField(_("negative test required"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("key-person category")
        verbose_name_plural = _("key-person categories")

    def __str__(self):
        return self.name


class Policy(models.Model):
    """The district's rules of the loop, one row per district, edited by the command."""

    area = models.OneToOneField(Area, verbose_name=_("district"), on_delete=models.PROTECT)
    push_from_other_provinces = models.BooleanField(
        _("push travellers from other provinces"), default=True
    )
    push_from_risk_areas = models.BooleanField(
        _("push travellers from listed risk areas"), default=True
    )
    push_flagged = models.BooleanField(_("push travellers flagged by staff"), default=True)
    # A pending push older than this is listed for the command as overdue.
    receipt_overdue_hours = models.PositiveSmallIntegerField(
        _("hours before an unreceived push is overdue"), default=12
    )
    # Category of a pushed person unless the receiving village chooses another.
    default_category = models.ForeignKey(
        Category,
        verbose_name=_("default category"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("loop policy")
        verbose_name_plural = _("loop policies")

    def __str__(self):
        return str(self.area)


class RiskArea(models.Model):
    """A listed high- or medium-risk region: travellers coming from it are pushed."""

    class Level(models.TextChoices):
        HIGH = "high", _("high risk")
        MEDIUM = "medium", _("medium risk")

    # A statistics code at any level (42 湖北省, 4201 武汉市, 420106 武昌区); a traveller's
    # origin matches when its code starts with it.
    region_code = models.CharField(_("region code"), max_length=12)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("risk level"), max_length=8, choices=Level.choices)
    listed_on = models.DateField(_("listed on"))
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["region_code"]
        verbose_name = _("risk area")
        verbose_name_plural = _("risk areas")

    def __str__(self):
        return self.name


class Push(ProtectedIdentity):
    class Source(models.TextChoices):
        CHECKPOINT = "checkpoint", _("checkpoint push")
        SELF_REGISTRATION = "self_registration", _("self-registration")
        REDIRECT = "redirect", _("redirected push")

    class State(models.TextChoices):
        PENDING = "pending", _("awaiting receipt")
        RECEIVED = "received", _("received")
        ANSWERED = "answered", _("answered: cannot receive")
        REDIRECTED = "redirected", _("redirected")
        CLOSED = "closed", _("closed")

    class Answer(models.TextChoices):
        NOT_FOUND = "not_found", _("no such person")
        WRONG_ADDRESS = "wrong_address", _("address does not match")

    # The destination village or grid: the push is in its scope, and its town's and district's.
    area = models.ForeignKey(Area, verbose_name=_("destination"), on_delete=models.PROTECT)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    # The record that caused it, e.g. ("checkpoint_registration", 42); a string pair so the
    # ledger does not depend on the modules that push into it.
    source_type = models.CharField(max_length=40, blank=True)
    source_id = models.CharField(max_length=40, blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.PENDING
    )
    name = models.CharField(_("name"), max_length=50)
    sex = models.CharField(_("sex"), max_length=1, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    native_region = models.CharField(_("native region"), max_length=6, blank=True)
    origin = models.CharField(_("coming from"), max_length=200, blank=True)
    # Statistics code of where they came from, when known (6 digits or fewer).
    origin_region = models.CharField(_("origin region code"), max_length=12, blank=True)
    address = models.CharField(_("destination address"), max_length=200, blank=True)
    arrived_at = models.DateTimeField(_("arrived"))
    # Why the rules pushed this person: "other_province", "risk_area", "flagged", "self".
    reasons = models.CharField(_("reasons"), max_length=100, blank=True)
    category = models.ForeignKey(
        Category, verbose_name=_("category"), null=True, blank=True, on_delete=models.SET_NULL
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("pushed at"), auto_now_add=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # When the command was told the push is overdue (the periodic sweep tells it once).
    overdue_notified_at = models.DateTimeField(_("overdue notice sent"), null=True, blank=True)
    answer = models.CharField(_("answer"), max_length=16, choices=Answer.choices, blank=True)
    answer_reason = models.TextField(_("reason"), blank=True)
    # A redirect's new push, and the push a redirect came from.
    redirected_from = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="redirected_to",
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("push")
        verbose_name_plural = _("pushes")
        permissions = [
            ("receive_push", _("Can receive or answer pushes")),
            ("resolve_push", _("Can redirect or close answered pushes")),
        ]
        indexes = [
            models.Index(fields=["area", "state"], name="push_area_state"),
            # The overdue sweep and list: pending pushes by age.
            models.Index(fields=["state", "created_at"], name="push_state_created"),
        ]

    def __str__(self):
        return f"{self.name} → {self.area_id}"

    @property
    def is_open(self) -> bool:
        return self.state in (self.State.PENDING, self.State.ANSWERED)


class Outbound(ProtectedIdentity):
    """A traveller passed towards a place outside the district: a 协查 notice to send on."""

    # The checkpoint's area (who registered it); listed for the command and exported.
    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT)
    source_type = models.CharField(max_length=40, blank=True)
    source_id = models.CharField(max_length=40, blank=True)
    name = models.CharField(_("name"), max_length=50)
    origin = models.CharField(_("coming from"), max_length=200, blank=True)
    destination = models.CharField(_("destination"), max_length=200)
    destination_region = models.CharField(_("destination region code"), max_length=12, blank=True)
    passed_at = models.DateTimeField(_("passed at"))
    reasons = models.CharField(_("reasons"), max_length=100, blank=True)
    sent_at = models.DateTimeField(_("notice sent"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-passed_at", "-id"]
        verbose_name = _("outbound notice")
        verbose_name_plural = _("outbound notices")

    def __str__(self):
        return f"{self.name} → {self.destination}"


class KeyPerson(models.Model):
    """One period of management of one person: category, measure, state, dates."""

    class State(models.TextChoices):
        PENDING = "pending", _("awaiting receipt")
        MANAGED = "managed", _("under management")
        RELEASED = "released", _("released")
        TRANSFERRED = "transferred", _("transferred")
        REFERRED = "referred", _("referred to hospital")
        LOST = "lost", _("lost contact")

    class Source(models.TextChoices):
        CHECKPOINT = "checkpoint", _("checkpoint push")
        SELF_REGISTRATION = "self_registration", _("self-registration")
        INVESTIGATION = "investigation", _("household investigation")
        MANUAL = "manual", _("manual entry")
        IMPORT = "import", _("Excel import")
        CONTACT_TRACING = "contact_tracing", _("contact tracing")

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="key_records"
    )
    # Where the person is managed (village or grid); copied from the person on entry.
    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT, db_index=False)
    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.PROTECT)
    measure = models.CharField(_("measure"), max_length=20, choices=Measure.choices)
    state = models.CharField(_("state"), max_length=12, choices=State.choices)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    push = models.OneToOneField(
        Push,
        verbose_name=_("push"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="key_person",
    )
    origin = models.CharField(_("coming from"), max_length=200, blank=True)
    # Observation runs from `period_start` through `period_end` (inclusive).
    period_start = models.DateField(_("observation starts"))
    period_end = models.DateField(_("observation ends"))
    state_changed_at = models.DateTimeField(_("state changed"))
    released_on = models.DateField(_("released on"), null=True, blank=True)
    # 解除医学观察通知书 number, given at release: "370305-2020-000123".
    release_notice_no = models.CharField(_("release notice number"), max_length=40, blank=True)
    # Bumped to revoke the personal health-log links handed out so far.
    link_version = models.PositiveSmallIntegerField(default=1)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("key person")
        verbose_name_plural = _("key persons")
        permissions = [
            ("transition_keyperson", _("Can change the state of key persons")),
            ("release_keyperson", _("Can release key persons")),
            ("import_keypersons", _("Can import key-person ledgers")),
            ("export_keypersons", _("Can export key-person ledgers")),
        ]
        indexes = [
            models.Index(fields=["area", "state"], name="keyperson_area_state"),
            models.Index(fields=["state", "period_end"], name="keyperson_state_end"),
        ]
        constraints = [
            # One open management period per person: a second entry would split the logs.
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(state__in=["pending", "managed"]),
                name="keyperson_one_open_per_person",
            )
        ]

    def __str__(self):
        return f"{self.person} · {self.category}"

    @property
    def is_open(self) -> bool:
        return self.state in (self.State.PENDING, self.State.MANAGED)


class KeyPersonEvent(models.Model):
    """One step of a key person's timeline: who did what, when and why."""

    class Kind(models.TextChoices):
        STATE = "state", _("state change")
        MEASURE = "measure", _("measure change")
        CATEGORY = "category", _("category change")
        TEAM = "team", _("responsibility team")
        NOTE = "note", _("note")

    key_person = models.ForeignKey(KeyPerson, on_delete=models.CASCADE, related_name="events")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, db_index=False)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    from_state = models.CharField(_("from"), max_length=12, blank=True)
    to_state = models.CharField(_("to"), max_length=12, blank=True)
    at = models.DateTimeField(_("time"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(_("by"), max_length=150)
    reason = models.TextField(_("reason"), blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("key-person event")
        verbose_name_plural = _("key-person events")

    def __str__(self):
        return f"{self.key_person_id} {self.kind} {self.to_state}"


class TeamMember(models.Model):
    """One member of a key person's 五包一 team; `user` when they have an account, so they
    see the person under "my persons"."""

    class Role(models.TextChoices):
        TOWN_CADRE = "town_cadre", _("town cadre")
        VILLAGE_CADRE = "village_cadre", _("village cadre")
        DOCTOR = "doctor", _("village doctor")
        POLICE = "police", _("police officer")
        UNIT_CADRE = "unit_cadre", _("unit cadre")
        GRID_WORKER = "grid_worker", _("grid worker")

    key_person = models.ForeignKey(KeyPerson, on_delete=models.CASCADE, related_name="team")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, db_index=False)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="key_person_teams",
    )
    name = models.CharField(_("name"), max_length=50)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["key_person_id", "role"]
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        constraints = [
            models.UniqueConstraint(fields=["key_person", "role"], name="team_one_per_role")
        ]

    def __str__(self):
        return self.name


class Contact(models.Model):
    """`contact` was in contact with `source` (a case, a suspect or another contact)."""

    class Degree(models.TextChoices):
        CLOSE = "close", _("close contact")
        SECONDARY = "secondary", _("secondary close contact")

    source = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="contacts_named")
    contact = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="contacts_of")
    # The contact's area: the link is in the scope of whoever manages the contact.
    area = models.ForeignKey(Area, on_delete=models.PROTECT, db_index=False)
    degree = models.CharField(_("degree"), max_length=10, choices=Degree.choices)
    relation = models.CharField(_("relation"), max_length=50, blank=True)
    last_contact_on = models.DateField(_("last contact"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        constraints = [
            models.UniqueConstraint(fields=["source", "contact"], name="contact_unique_pair"),
            models.CheckConstraint(
                condition=~models.Q(source=models.F("contact")), name="contact_not_self"
            ),
        ]

    def __str__(self):
        return f"{self.contact_id} ← {self.source_id}"
