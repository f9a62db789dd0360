"""What a kind of import or export declares; the engine does the rest.

Header texts are data, not translations: the Chinese header row *is* the file format offices
fill in, so it reads the same whatever language the interface is in and a workbook downloaded
by one user imports for another. Notes, messages and labels around it are translatable.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from fangkong.core import pii


class RowInvalid(Exception):
    """Raised by `Importer.prepare`: what is wrong with one row, by column key.

    `row`, when given, is the row as far as it could be prepared; it still goes through
    `check`, so a row with a bad phone is also told that its area is outside the scope.
    """

    def __init__(self, errors: dict[str, str], row=None):
        super().__init__(errors)
        self.errors = errors
        self.row = row


class FilterError(Exception):
    """The list filters an export was asked to replay are not valid for this user."""


@dataclass(frozen=True)
class Column:
    """One column of an import workbook and of its template."""

    key: str
    header: str
    required: bool = False
    # Shown as the header cell's comment in the template.
    note: Any = ""
    # Offered as a drop-down list in the template; with `strict`, other values are errors.
    choices: tuple[str, ...] = ()
    strict: bool = True
    max_length: int = 0
    width: int = 16
    # Other header texts accepted for this column (old ledgers say 身份证号码 or 联系电话).
    aliases: tuple[str, ...] = ()

    @property
    def headers(self) -> tuple[str, ...]:
        return (self.header, *self.aliases)


class Importer:
    """A kind of import. Subclasses set the attributes and implement `prepare` and `write`.

    The engine reads the workbook, checks headers, required cells, lengths and choices, and
    hands every row to `prepare` as text; batches of prepared rows go to `check` for the
    database checks; `complete` sees the whole file; `write` runs only when no row has an
    error, inside one transaction. Rows that already have an error reach `check` and
    `complete` too (so every problem is reported in one pass): those hooks must accept
    partly prepared rows.
    """

    kind = ""
    label: Any = ""
    permission = ""
    # AccessLog.target_type of what the import creates.
    target_type = ""
    columns: tuple[Column, ...] = ()
    batch_size = 1000
    # True when `prepare` may run in a forked worker process: it reads nothing of the run but
    # `today`, `scope` and `actor`, and keeps nothing in `run.data` (see
    # imports.parallel_workers).
    parallel = False
    # Rows of one file. The checked rows stay in memory until they are written (about 3 KB
    # a person), so a larger file is refused with a request to split it.
    max_rows = 200_000

    def prepare(self, run, values: dict[str, str]) -> Any:
        """Turn one row into what `write` needs, without database work; raise RowInvalid."""
        raise NotImplementedError

    def check(self, run, rows: list[tuple[int, Any]]) -> None:
        """Database checks of one batch of (row number, prepared row); report with run.error."""

    def complete(self, run) -> None:
        """Checks that need every row of the file, after the last batch."""

    def write(self, run) -> int:
        """Write `run.rows` (inside the import's transaction); return the objects created."""
        raise NotImplementedError

    def column(self, key: str) -> Column:
        for column in self.columns:
            if column.key == key:
                return column
        raise KeyError(key)


def identity_fields(reveal: bool, prefix: str = "") -> list[str]:
    """The columns an export reads for ID number and phone (`prefix`: the path to a model
    holding them, e.g. "person__"): the masks, and the ciphertexts only when revealing."""
    fields = [f"{prefix}id_number_masked", f"{prefix}phone_masked"]
    if reveal:
        fields += [f"{prefix}id_number_encrypted", f"{prefix}phone_encrypted"]
    return fields


def identity_values(row: dict, reveal: bool, prefix: str = "") -> None:
    """Set row["id_number"] and row["phone"]: in full for an unmasked export, else masked."""
    if reveal:
        row["id_number"] = pii.decrypt(row[f"{prefix}id_number_encrypted"])
        row["phone"] = pii.decrypt(row[f"{prefix}phone_encrypted"])
    else:
        row["id_number"] = row[f"{prefix}id_number_masked"]
        row["phone"] = row[f"{prefix}phone_masked"]


@dataclass(frozen=True)
class ExportColumn:
    header: str
    # Key of the value in the rows `Exporter.rows` yields.
    key: str
    width: int = 14
    # "text", "number", "date" or "datetime": how the cell is written.
    type: str = "text"


class Exporter:
    """A kind of export: one list, replayed through the list's own filter form and selector."""

    kind = ""
    label: Any = ""
    permission = ""
    target_type = ""
    # The list page's filter form, constructed as `filter_form(data, user=user)`.
    filter_form = None
    # Protected values an unmasked export shows in full (AccessLog.fields of such an export).
    reveal_fields: tuple[str, ...] = ()
    reveal_permission = "people.reveal_pii"
    chunk_size = 2000

    def filter_names(self) -> tuple[str, ...]:
        return tuple(self.filter_form.base_fields) if self.filter_form else ()

    def clean_filters(self, user, raw: dict[str, str]) -> dict:
        """The cleaned filters; an invalid value is an error, never silently dropped, because
        an export must not hold more than the list shows."""
        if not raw or self.filter_form is None:
            return {}
        form = self.filter_form(raw, user=user)
        if not form.is_valid():
            raise FilterError(
                "; ".join(f"{name}: {' '.join(errors)}" for name, errors in form.errors.items())
            )
        return form.cleaned_data

    def can_reveal(self, user) -> bool:
        return bool(self.reveal_fields) and user.has_perm(self.reveal_permission)

    def queryset(self, user, filters: dict) -> QuerySet:
        raise NotImplementedError

    def columns(self, reveal: bool) -> list[ExportColumn]:
        raise NotImplementedError

    def rows(self, queryset: QuerySet, reveal: bool) -> Iterator[dict]:
        """Rows as dicts keyed like the columns; by default the queryset's values, in chunks."""
        keys = [column.key for column in self.columns(reveal)]
        return queryset.values(*keys).iterator(chunk_size=self.chunk_size)
