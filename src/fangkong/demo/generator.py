"""A deterministic population for the demo district: households, members, addresses.

Pure Python with no database work, so the loader can stream it batch by batch. Everything comes
from one seeded `random.Random`, so a seed and a reference date give the same people every time.
The shape is plausible rather than statistical: households of 1–6 built from family templates
(a couple, their children, a parent or grandchildren) whose ages fit together, which yields an
ageing pyramid like a Shandong district's in 2020.
"""

import csv
import datetime
import gzip
import random
import zlib
from bisect import bisect
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import accumulate

from fangkong.core.areas import SHIPPED_DIR
from fangkong.core.idcard import make_id_number
from fangkong.demo import names

DISTRICT = "370305"
OLDEST = 95

# Mobile prefixes of the three carriers; every fourth digit after them is assigned.
PHONE_PREFIXES = {
    "138": 9, "139": 9, "135": 7, "136": 5, "137": 5, "134": 4, "150": 5, "151": 4,
    "152": 4, "157": 3, "158": 4, "159": 4, "182": 3, "183": 3, "187": 3, "188": 3,
    "130": 5, "131": 4, "132": 3, "155": 3, "156": 4, "185": 3, "186": 4, "176": 3,
    "133": 3, "153": 3, "180": 2, "181": 2, "189": 3, "177": 2, "173": 2, "178": 2,
    "199": 2, "198": 2, "191": 1, "195": 1,
}  # fmt: skip
# Suffixes are a permutation of 0..10^8-1 (multiplier coprime to 10), so no two people share
# a number whatever prefix each one draws.
_PHONE_SPACE = 10**8
_PHONE_MULTIPLIER = 48_271_007


class _Weighted:
    """Fast repeated weighted choice over a fixed table."""

    def __init__(self, table: dict):
        self.items = list(table)
        self.cumulative = list(accumulate(table.values()))
        self.total = self.cumulative[-1]

    def pick(self, rng: random.Random):
        return self.items[bisect(self.cumulative, rng.random() * self.total)]


_SURNAMES = _Weighted(names.SURNAMES)
_PHONES = _Weighted(PHONE_PREFIXES)
_GIVEN = {key: value.split() for key, value in names.GIVEN_NAMES.items()}
_COHORTS = sorted({year for year, _sex in names.GIVEN_NAMES}, reverse=True)
_OCCUPATIONS = {
    "village": _Weighted(names.OCCUPATIONS_VILLAGE),
    "community": _Weighted(names.OCCUPATIONS_TOWN),
}


@dataclass(frozen=True)
class Village:
    """One village or community of the demo district and how the demo fills it."""

    code: str
    name: str
    town_name: str
    grids: tuple[str, ...]

    @property
    def is_community(self) -> bool:
        # 社区居委会 and bare 居委会 are urban communities; 村委会 and 某村居委会 are villages.
        return "社区" in self.name or ("村" not in self.name and self.name.endswith("居委会"))

    @property
    def short_name(self) -> str:
        for suffix in (
            "社区居民委员会",
            "社区居委会",
            "村民委员会",
            "村委会",
            "居民委员会",
            "居委会",
        ):
            if self.name.endswith(suffix):
                return self.name[: -len(suffix)]
        return self.name

    @property
    def place_name(self) -> str:
        """ "车站社区" or "东王村", as people write it in an address."""
        short = self.short_name
        if self.is_community:
            return short + "社区"
        return short if short.endswith("村") else short + "村"

    @property
    def weight(self) -> float:
        """Relative population, fixed by the code so the tree never depends on the seed."""
        jitter = 0.6 + (zlib.crc32(self.code.encode()) % 1000) / 1250
        return (2.9 if self.is_community else 1.0) * jitter


def grid_count(code: str, name: str) -> int:
    """2–4 grids per village: communities are denser and get more, independent of the seed."""
    community = Village(code, name, "", ()).is_community
    return (3 if community else 2) + zlib.crc32(b"grid" + code.encode()) % 2


def grid_name(code: str, village_name: str, number: int) -> str:
    """ "车站社区第1网格": the grid's own name reads on its own in a user's scope."""
    return f"{Village(code, village_name, '', ()).place_name}第{number}网格"


@dataclass(slots=True)
class Resident:
    name: str
    sex: str
    birth_date: datetime.date
    id_number: str
    relation: str
    phone: str = ""
    occupation: str = ""
    workplace: str = ""


@dataclass(slots=True)
class Home:
    grid_code: str
    number: str
    address: str
    members: list[Resident] = field(default_factory=list)

    @property
    def head(self) -> Resident:
        return self.members[0]


def other_regions() -> dict[str, float]:
    """ID-number regions of people not from the district, weighted: Zibo's other counties,
    the rest of Shandong, then any county of another province (from the shipped codes)."""
    counties = []
    with gzip.open(SHIPPED_DIR / "areas.csv.gz", "rt", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["name"] not in ("市辖区", "县") and row["code"][:2] not in ("71", "81", "82"):
                counties.append(row["code"])
    zibo = [c for c in counties if c.startswith("3703") and c != DISTRICT]
    shandong = [c for c in counties if c.startswith("37") and not c.startswith("3703")]
    elsewhere = [c for c in counties if not c.startswith("37")]
    table = {}
    for group, share in ((zibo, 40), (shandong, 35), (elsewhere, 25)):
        for code in group:
            table[code] = share / len(group)
    return table


class Population:
    """Generates the homes of each village for `persons` people in total."""

    def __init__(self, *, seed: int, reference: datetime.date):
        self.rng = random.Random(seed)
        self.reference = reference
        # Regions other than the district, for people born or registered elsewhere.
        self.regions = _Weighted(other_regions())
        # (region, birth date, sex) packed in an int -> how many numbers are taken. It grows
        # with distinct birthdays per county, not with people (at most ~35 000 days each).
        self._issued: dict[int, int] = {}
        self._phones = 0
        self._phone_offset = self.rng.randrange(_PHONE_SPACE)

    # -- identifiers ---------------------------------------------------------------------

    def id_number(self, region: str, birth: datetime.date, sex: str) -> tuple[str, datetime.date]:
        """A unique valid number: the order code's parity is the sex (odd for men)."""
        while True:
            key = (int(region) * 1_000_000 + birth.toordinal()) * 2 + (sex == "M")
            taken = self._issued.get(key, 0)
            if taken < 500:
                self._issued[key] = taken + 1
                base = zlib.crc32(f"{region}{birth:%Y%m%d}".encode()) % 500
                sequence = 2 * ((base + taken) % 500) + (1 if sex == "M" else 0)
                return make_id_number(region, birth, sequence), birth
            # 500 people of one sex born the same day in one county: use the day before.
            birth -= datetime.timedelta(days=1)

    def phone(self) -> str:
        suffix = (self._phones * _PHONE_MULTIPLIER + self._phone_offset) % _PHONE_SPACE
        self._phones += 1
        return f"{_PHONES.pick(self.rng)}{suffix:08d}"

    # -- people --------------------------------------------------------------------------

    def birth_date(self, age: int) -> datetime.date:
        age = max(0, min(OLDEST, age))
        days = age * 365 + age // 4 + self.rng.randrange(365)
        return self.reference - datetime.timedelta(days=days)

    def given_name(self, sex: str, year: int) -> str:
        # Composed names are a habit of the 1960s-1990s; older and younger cohorts get the
        # registered names of their generation.
        if 1960 <= year < 2000 and self.rng.random() < 0.4:
            first, second = self.rng.sample(names.GIVEN_CHARS[sex], 2)
            return first + second
        cohort = next((c for c in _COHORTS if year >= c), _COHORTS[-1])
        return self.rng.choice(_GIVEN[(cohort, sex)])

    def person(
        self, *, age: int, sex: str, surname: str, region: str, relation: str, community: bool
    ) -> Resident:
        rng = self.rng
        birth = self.birth_date(age)
        number, birth = self.id_number(region, birth, sex)
        age = (self.reference - birth).days // 365
        resident = Resident(
            name=surname + self.given_name(sex, birth.year),
            sex=sex,
            birth_date=birth,
            id_number=number,
            relation=relation,
        )
        # Children have no phone; the very old often share their children's.
        if (
            (12 <= age < 18 and rng.random() < 0.6)
            or (18 <= age <= 70 and rng.random() < 0.97)
            or (age > 70 and rng.random() < 0.55)
        ):
            resident.phone = self.phone()
        resident.occupation, resident.workplace = self.occupation(age, sex, community)
        return resident

    def occupation(self, age: int, sex: str, community: bool) -> tuple[str, str]:
        rng = self.rng
        retire = 60 if sex == "M" else 55
        if age < 3:
            return "", ""
        if age < 6:
            return "学龄前儿童", ""
        if age < 18 or (age < 23 and rng.random() < 0.55):
            return "学生", ""
        if age >= retire:
            return ("离退休人员" if community else "农民"), ""
        job = _OCCUPATIONS["community" if community else "village"].pick(rng)
        places = names.WORKPLACES.get(job)
        return job, rng.choice(places) if places else ""

    def region(self) -> str:
        return self.regions.pick(self.rng)

    # -- households ----------------------------------------------------------------------

    def household(self, size: int, community: bool) -> list[Resident]:
        """Members of one household, head first, ages consistent with the relations."""
        rng = self.rng
        home_region = DISTRICT if rng.random() < 0.87 else self.region()
        surname = _SURNAMES.pick(rng)

        def make(age, sex, relation, surname=surname, region=None):
            return self.person(
                age=age,
                sex=sex,
                surname=surname,
                region=region or home_region,
                relation=relation,
                community=community,
            )

        def other_region():
            return home_region if rng.random() < 0.7 else self.region()

        def child_relation(sex):
            return "子" if sex == "M" else "女"

        if size == 1:
            band = rng.choices(((20, 35), (35, 60), (60, 92)), weights=(30, 25, 45))[0]
            age = round(rng.triangular(*band))
            sex = ("F" if rng.random() < 0.65 else "M") if age >= 60 else rng.choice("MMF")
            return [make(age, sex, "户主")]

        template = rng.choices(
            ("couple", "nuclear", "up", "down"),
            weights={
                2: (75, 25, 0, 0),
                3: (0, 80, 10, 10),
                4: (0, 55, 30, 15),
                5: (0, 20, 30, 50),
                6: (0, 0, 40, 60),
            }[size],
        )[0]
        head_sex = "M" if rng.random() < 0.82 else "F"
        spouse_sex = "F" if head_sex == "M" else "M"
        if template == "couple":
            age = rng.randint(23, 36) if rng.random() < 0.25 else round(rng.triangular(50, 90, 62))
        elif template == "down":
            age = rng.randint(48, 78)
        else:
            age = rng.randint(24, 56)
        members = [make(age, head_sex, "户主")]
        spouse_age = age + (1 if head_sex == "F" else -1) * rng.randint(-2, 5)
        # Size 2 without a couple is a parent with a child; some larger households too.
        couple = template == "couple" or (size >= 3 and rng.random() < 0.92)
        spouse_surname = _SURNAMES.pick(rng)
        if couple:
            members.append(
                make(max(20, spouse_age), spouse_sex, "配偶", spouse_surname, other_region())
            )
        # Children carry the father's surname.
        father_surname = surname if head_sex == "M" or not couple else spouse_surname
        room = size - len(members)

        if template == "up":
            # The head's widowed father or mother, or both in the largest households.
            both = size >= 6
            parents = (
                [("M", "父亲"), ("F", "母亲")]
                if both
                else [rng.choice((("M", "父亲"), ("F", "母亲")))]
            )
            for sex, relation in parents:
                parent_age = age + rng.randint(22, 34)
                if parent_age <= OLDEST and room:
                    # The head carries the father's surname; the mother keeps her own.
                    parent_surname = surname if sex == "M" else _SURNAMES.pick(rng)
                    members.append(make(parent_age, sex, relation, parent_surname))
                    room -= 1

        if template == "down" and room >= 1:
            child_age = age - rng.randint(22, 32)
            if child_age >= 0:
                sex = "M" if rng.random() < 0.7 else "F"
                members.append(make(child_age, sex, child_relation(sex), father_surname))
                room -= 1
                grand_surname = father_surname
                if room and child_age >= 22:
                    in_law = "儿媳" if sex == "M" else "女婿"
                    in_law_surname = _SURNAMES.pick(rng)
                    members.append(
                        make(
                            child_age + rng.randint(-3, 3),
                            "F" if sex == "M" else "M",
                            in_law,
                            in_law_surname,
                            other_region(),
                        )
                    )
                    room -= 1
                    if sex == "F":
                        grand_surname = in_law_surname
                grand_age = child_age - rng.randint(22, 32)
                while room and grand_age >= 0:
                    grand_sex = rng.choice("MF")
                    prefix = "" if sex == "M" else "外"
                    relation = prefix + ("孙子" if grand_sex == "M" else "孙女")
                    members.append(make(grand_age, grand_sex, relation, grand_surname))
                    room -= 1
                    grand_age -= rng.randint(1, 6)
            return members

        # nuclear (and the rest of "up"): children 22–34 years younger than the parent.
        child_age = age - rng.randint(22, 34)
        if child_age < 0:
            child_age = rng.randint(0, 3)
        while room > 0 and child_age >= 0:
            sex = rng.choice("MF")
            members.append(make(child_age, sex, child_relation(sex), father_surname))
            room -= 1
            child_age -= rng.randint(1, 8)
        return members

    def homes(self, village: Village, persons: int) -> Iterator[Home]:
        """Homes of one village holding `persons` people, spread over its grids in order."""
        rng = self.rng
        community = village.is_community
        addresses = self._addresses(village)
        placed = 0
        index = 0
        while placed < persons:
            size = rng.choices((1, 2, 3, 4, 5, 6), weights=(18, 30, 24, 15, 8, 5))[0]
            members = self.household(min(size, persons - placed), community)
            members = members[: persons - placed]
            grid = village.grids[placed * len(village.grids) // persons]
            index += 1
            placed += len(members)
            yield Home(
                grid_code=grid,
                number=f"{village.code}{index:04d}",
                address=next(addresses),
                members=members,
            )

    def _addresses(self, village: Village) -> Iterator[str]:
        rng = self.rng
        prefix = village.town_name + village.place_name
        if not village.is_community:
            number = 0
            while True:
                number += rng.randint(1, 3)
                yield f"{prefix}{number}号"
        short = village.short_name
        count = 1 + zlib.crc32(village.code.encode()) % 3
        start = zlib.crc32(short.encode()) % len(names.ESTATE_SUFFIXES)
        estates = [
            short + names.ESTATE_SUFFIXES[(start + i) % len(names.ESTATE_SUFFIXES)]
            for i in range(count)
        ]
        building = 0
        while True:
            building += 1
            for estate in estates:
                floors = rng.choice((5, 6, 6, 11, 18))
                for unit in range(1, 4):
                    for floor in range(1, floors + 1):
                        for room in (1, 2):
                            yield f"{prefix}{estate}{building}号楼{unit}单元{floor}{room:02d}室"


def allocate(villages: list[Village], persons: int) -> list[int]:
    """Persons per village in proportion to the villages' weights (largest remainder)."""
    total = sum(v.weight for v in villages)
    exact = [persons * v.weight / total for v in villages]
    counts = [int(x) for x in exact]
    order = sorted(range(len(villages)), key=lambda i: exact[i] - counts[i], reverse=True)
    for i in order[: persons - sum(counts)]:
        counts[i] += 1
    return counts
