"""What the sidebar and the home page offer, filtered by the user's permissions.

A module adds its pages from its AppConfig.ready():

    from fangkong.core import navigation
    navigation.register(navigation.NavEntry(
        _("Checkpoints"), "checkpoints:list", "sign-stop", "checkpoints.view_registration",
        section=navigation.WORK, order=40))
    navigation.register_panel(navigation.HomePanel(
        "checkpoints/home_panel.html", "checkpoints.view_registration",
        context="fangkong.checkpoints.selectors.home_panel"))

Entries name URLs and permissions as strings, so core imports no module to list it.
"""

from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

# Sidebar sections, in display order.
WORK = "work"
ADMIN = "admin"
SECTIONS = {WORK: _("Work"), ADMIN: _("Administration")}


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    icon: str  # a bootstrap-icons name without the "bi-" prefix
    permission: str = ""  # empty: every logged-in user
    section: str = WORK
    order: int = 100
    # View names starting with this prefix mark the entry active; by default the URL name
    # without its last word ("people:person_list" -> "people:person_").
    active_prefix: str = ""

    @property
    def prefix(self) -> str:
        if self.active_prefix:
            return self.active_prefix
        if "_" in self.url_name:
            return self.url_name.rsplit("_", 1)[0] + "_"
        return self.url_name

    def is_active(self, view_name: str) -> bool:
        return view_name == self.url_name or (
            self.prefix != self.url_name and view_name.startswith(self.prefix)
        )


@dataclass(frozen=True)
class QuickLink:
    """A shortcut on the home page ("register a person")."""

    label: str
    url_name: str
    icon: str
    permission: str = ""
    order: int = 100


@dataclass(frozen=True)
class HomeCounter:
    """A figure on the home page: rows of a scoped queryset the user may see.

    `queryset` is the dotted path of a selector called as f(user=user) returning a QuerySet
    already narrowed to the user's scope.
    """

    label: str
    url_name: str
    icon: str
    permission: str
    queryset: str
    order: int = 100


@dataclass(frozen=True)
class HomePanel:
    """A block of the home page ("my tasks") rendered from `template`.

    `context` is the dotted path of a callable f(request) -> dict; the template receives it
    as `panel`.
    """

    template: str
    permission: str = ""
    context: str = ""
    order: int = 100


@dataclass
class Registry:
    entries: list[NavEntry] = field(default_factory=list)
    quick_links: list[QuickLink] = field(default_factory=list)
    counters: list[HomeCounter] = field(default_factory=list)
    panels: list[HomePanel] = field(default_factory=list)


registry = Registry(
    entries=[
        NavEntry(_("Home"), "home", "house", order=0, active_prefix="home"),
        NavEntry(_("Areas"), "core:area_list", "diagram-3", "core.view_area", order=10),
        NavEntry(_("Persons"), "people:person_list", "people", "people.view_person", order=20),
        NavEntry(
            _("Households"),
            "people:household_list",
            "house-door",
            "people.view_household",
            order=30,
        ),
        NavEntry(
            _("Users"),
            "accounts:user_list",
            "person-gear",
            "accounts.view_user",
            section=ADMIN,
            order=10,
        ),
        NavEntry(
            _("Imports and exports"),
            "transfer:jobs",
            "arrow-down-up",
            "core.view_area",
            section=ADMIN,
            order=30,
            active_prefix="transfer:",
        ),
        NavEntry(
            _("Access log"),
            "core:accesslog_list",
            "journal-text",
            "core.view_accesslog",
            section=ADMIN,
            order=20,
        ),
    ],
    quick_links=[
        QuickLink(
            _("Register a person"),
            "people:person_create",
            "person-plus",
            "people.add_person",
            order=10,
        ),
        QuickLink(
            _("Register a household"),
            "people:household_create",
            "house-add",
            "people.add_household",
            order=20,
        ),
        QuickLink(
            _("Add a user"), "accounts:user_create", "person-badge", "accounts.add_user", order=30
        ),
    ],
    counters=[
        HomeCounter(
            _("Persons"),
            "people:person_list",
            "people",
            "people.view_person",
            "fangkong.people.selectors.person_queryset",
            order=10,
        ),
        HomeCounter(
            _("Households"),
            "people:household_list",
            "house-door",
            "people.view_household",
            "fangkong.people.selectors.household_queryset",
            order=20,
        ),
    ],
)


def register(*entries: NavEntry) -> None:
    registry.entries.extend(entries)


def register_quick_link(*links: QuickLink) -> None:
    registry.quick_links.extend(links)


def register_counter(*counters: HomeCounter) -> None:
    registry.counters.extend(counters)


def register_panel(*panels: HomePanel) -> None:
    registry.panels.extend(panels)


def _allowed(user, permission: str) -> bool:
    return not permission or user.has_perm(permission)


def _url(url_name: str) -> str:
    try:
        return reverse(url_name)
    except NoReverseMatch:
        # A module whose URLs are not mounted (yet) must not break every page.
        return ""


def sidebar(user, view_name: str = "") -> list[dict]:
    """[{"label": section, "entries": [{"label", "url", "icon", "active"}]}] for the user."""
    if not user.is_authenticated:
        return []
    sections = []
    for key, section_label in SECTIONS.items():
        items = []
        for entry in sorted(
            (e for e in registry.entries if e.section == key), key=lambda e: e.order
        ):
            if not _allowed(user, entry.permission):
                continue
            url = _url(entry.url_name)
            if url:
                items.append(
                    {
                        "label": entry.label,
                        "url": url,
                        "icon": entry.icon,
                        "active": entry.is_active(view_name),
                    }
                )
        if items:
            sections.append({"label": section_label, "entries": items})
    return sections


def quick_links(user) -> list[dict]:
    links = []
    for link in sorted(registry.quick_links, key=lambda x: x.order):
        url = _url(link.url_name) if _allowed(user, link.permission) else ""
        if url:
            links.append({"label": link.label, "url": url, "icon": link.icon})
    return links


def counters(user) -> list[dict]:
    figures = []
    for counter in sorted(registry.counters, key=lambda x: x.order):
        if not _allowed(user, counter.permission):
            continue
        queryset = import_string(counter.queryset)(user=user)
        figures.append(
            {
                "label": counter.label,
                "url": _url(counter.url_name),
                "icon": counter.icon,
                "count": queryset.count(),
            }
        )
    return figures


def panels(request) -> list[dict]:
    blocks = []
    for panel in sorted(registry.panels, key=lambda x: x.order):
        if not _allowed(request.user, panel.permission):
            continue
        data = import_string(panel.context)(request) if panel.context else {}
        blocks.append({"template": panel.template, "data": data})
    return blocks
