"""The daily report form (日报告) of the district, defined by the product.

Each field has a key (also the model column for counts), a label, a type and, for the figures
the system already knows, how they are computed from live data (`reporting.computed`). The
village confirms or corrects computed figures; a correction keeps the computed value and needs
a reason.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

COUNT = "count"
TEXT = "text"


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    type: str
    # How the figure is computed from live data; empty for figures only the village knows.
    source: str = ""

    @property
    def computed(self) -> bool:
        return bool(self.source)


FIELDS: tuple[Field, ...] = (
    Field(
        "new_returnees",
        _("New returnees"),
        COUNT,
        _("Key persons of the unit who entered management that day"),
    ),
    Field(
        "home_observation",
        _("Under home observation"),
        COUNT,
        _("Key persons of the unit under management with home isolation that day"),
    ),
    Field(
        "centralized_observation",
        _("Under centralized observation"),
        COUNT,
        _("Key persons of the unit under management with centralized isolation that day"),
    ),
    Field(
        "fever_referrals",
        _("Fever referrals"),
        COUNT,
        _("Fever alerts raised in the unit that day (health logs and checkpoints)"),
    ),
    Field(
        "checkpoint_vehicles",
        _("Checkpoint vehicles"),
        COUNT,
        _("Vehicles checked at the unit's checkpoints on that duty day"),
    ),
    Field(
        "checkpoint_persons",
        _("Checkpoint persons"),
        COUNT,
        _("Persons registered at the unit's checkpoints on that duty day"),
    ),
    Field(
        "turned_back",
        _("Turned back"),
        COUNT,
        _("Persons turned back at the unit's checkpoints on that duty day"),
    ),
    Field(
        "pushes_received",
        _("Pushes received"),
        COUNT,
        _("Pushes the unit received that day"),
    ),
    # No supplies module yet: the village enters the figure itself.
    Field("supplies_used", _("Supplies used"), COUNT),
    Field("narrative", _("Narrative"), TEXT),
    Field("problems", _("Problems and requests"), TEXT),
)

COUNT_FIELDS = tuple(f for f in FIELDS if f.type == COUNT)
TEXT_FIELDS = tuple(f for f in FIELDS if f.type == TEXT)
COUNT_KEYS = tuple(f.key for f in COUNT_FIELDS)
TEXT_KEYS = tuple(f.key for f in TEXT_FIELDS)
COMPUTED_KEYS = tuple(f.key for f in COUNT_FIELDS if f.computed)
BY_KEY = {f.key: f for f in FIELDS}

# A day's figure of one village; larger is a typing error.
MAX_COUNT = 100_000
