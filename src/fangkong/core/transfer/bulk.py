"""Fast inserts for imports, with django-simple-history rows, on SQLite and PostgreSQL.

Measured on the persons import: `bulk_create_with_history` spends its time compiling every
value of every row through Django's SQL compiler (about 25 fields, twice with the history
row) and wrote about 1 000 persons/s on SQLite. Here rows go out with `executemany` on SQLite
(each field converted once by its own converter) and with COPY on PostgreSQL (psycopg adapts
the Python values), and the historical rows are the ones simple_history's
`bulk_history_create` would write (history_type "+", the importer as history_user). Fields a
row leaves out get their default (auto_now fields: now), so a field added to a model later
is filled like bulk_create would fill it.

Rows are dicts by attname; they become tuples once (`operator.itemgetter`, in C) and the
history rows are cut from the same tuples, so a row costs a few microseconds of Python
before the database sees it.

Must run inside the import's transaction: primary keys are reserved up front (a sequence
range on PostgreSQL; on SQLite the next values after the largest key, safe because the
transaction holds SQLite's single write lock from BEGIN IMMEDIATE).
"""

import json
from contextlib import contextmanager
from operator import itemgetter

from django.db import connections, router
from django.utils import timezone

# Values of these field types go to the driver as they are.
_PLAIN_TYPES = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "BigIntegerField",
        "BooleanField",
        "CharField",
        "ForeignKey",
        "IntegerField",
        "OneToOneField",
        "PositiveBigIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SlugField",
        "SmallAutoField",
        "SmallIntegerField",
        "TextField",
    }
)
# SQLite's page cache during a bulk insert, in KiB (SQLite's default is 2 MiB). The indexes
# of random keys (the ID-number hash) outgrow the default after some 20 000 rows, and every
# insert then reads pages back: the write time grew faster than the rows.
SQLITE_BULK_CACHE_KIB = 256 * 1024


def _converter(field, connection):
    kind = field.get_internal_type()
    if kind in _PLAIN_TYPES:
        return None
    if connection.vendor == "postgresql" and kind in ("DateField", "DateTimeField"):
        # psycopg adapts dates and aware datetimes itself.
        return None
    if kind == "DateTimeField":
        return _remember_last(connection.ops.adapt_datetimefield_value)
    if kind == "DateField":
        return connection.ops.adapt_datefield_value
    return lambda value: field.get_db_prep_save(value, connection)


def _remember_last(convert):
    # Every row of an import carries the same "now": convert that object once.
    last = [None, None]

    def converted(value):
        if value is not last[0]:
            last[0], last[1] = value, convert(value)
        return last[1]

    return converted


def _connection(model):
    return connections[router.db_for_write(model)]


def reserve_ids(model, count: int) -> list[int]:
    """`count` unused primary keys of `model`, in ascending order."""
    if not count:
        return []
    connection = _connection(model)
    table = model._meta.db_table
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One array rather than a row per key: psycopg parses it in one go.
            cursor.execute(
                "SELECT array_agg(id ORDER BY id) FROM (SELECT nextval("
                "pg_get_serial_sequence(%s, %s)) AS id FROM generate_series(1, %s)) AS ids",
                [table, column, count],
            )
            return cursor.fetchone()[0]
        if connection.vendor == "sqlite":
            qn = connection.ops.quote_name
            cursor.execute(f"SELECT MAX({qn(column)}) FROM {qn(table)}")  # noqa: S608
            highest = cursor.fetchone()[0] or 0
            # AUTOINCREMENT never reuses a key, even of a deleted row.
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            start = max(highest, row[0] if row else 0) + 1
            return list(range(start, start + count))
    raise NotImplementedError(
        f"fast inserts support SQLite and PostgreSQL, not {connection.vendor}"
    )


def _fields(model, keys) -> tuple[list, list]:
    """The concrete fields a row with `keys` gives, and those it leaves to their default."""
    meta = model._meta
    given, missing = [], []
    for field in meta.concrete_fields:
        if field.attname in keys:
            given.append(field)
        elif field is not meta.auto_field:
            missing.append(field)
    unknown = set(keys) - {field.attname for field in meta.concrete_fields}
    if unknown:
        raise ValueError(f"{model.__name__} has no fields {sorted(unknown)}")
    return given, missing


def _default(field, now):
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return now
    return field.get_default()


def _getter(keys: list):
    """itemgetter that always returns a tuple."""
    if len(keys) == 1:
        key = keys[0]
        return lambda item: (item[key],)
    return itemgetter(*keys)


def _tuples(model, rows: list[dict]) -> tuple[list, list[tuple]]:
    """The columns and one tuple per row, defaults filled in; rows must share their keys."""
    keys = tuple(rows[0])
    given, missing = _fields(model, keys)
    now = timezone.now()
    defaults = tuple(_default(field, now) for field in missing)
    getter = _getter([field.attname for field in given])
    size = len(keys)
    params = []
    append = params.append
    for row in rows:
        if len(row) != size:
            raise ValueError("rows of one insert must have the same fields")
        # A missing key raises KeyError here: same size and every key of the first row.
        append(getter(row) + defaults)
    return given + missing, params


def _convert(columns, params: list[tuple], connection) -> list:
    plan = [(i, c) for i, f in enumerate(columns) if (c := _converter(f, connection)) is not None]
    if not plan:
        return params
    converted = []
    append = converted.append
    for values in params:
        values = list(values)
        for index, convert in plan:
            value = values[index]
            if value is not None:
                values[index] = convert(value)
        append(values)
    return converted


@contextmanager
def _bulk_session(connection):
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_BULK_CACHE_KIB:d}")
        try:
            yield
        finally:
            cursor.execute(f"PRAGMA cache_size = {int(previous):d}")


def _binary_types(connection, columns) -> list[str] | None:
    """The PostgreSQL type of every column, for a binary COPY; None if one is not a plain
    type psycopg knows (the text format then lets the server parse the values)."""
    connection.ensure_connection()
    known = connection.connection.adapters.types
    types = []
    for field in columns:
        db_type = field.db_type(connection)
        name = db_type.split("(", 1)[0].strip() if db_type else ""
        if not name or known.get(name) is None:
            return None
        types.append(name)
    return types


def _copy(connection, table: str, names: str, columns, params: list) -> None:
    # COPY is PostgreSQL's bulk path: one stream instead of a statement per row. The binary
    # format spares the server parsing every value as text (about a third of the COPY's
    # time); the values are the model's Python values, which psycopg dumps by column type.
    types = _binary_types(connection, columns)
    options = " (FORMAT BINARY)" if types else ""
    # The driver's cursor, so its errors are mapped to Django's (IntegrityError) here.
    with (
        connection.cursor() as cursor,
        connection.wrap_database_errors,
        cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN{options}") as copy,
    ):
        if types:
            copy.set_types(types)
        write_row = copy.write_row
        for values in params:
            write_row(values)


def _write(model, columns, params: list, *, batch_size: int = 5000) -> None:
    connection = _connection(model)
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    names = ", ".join(qn(field.column) for field in columns)
    params = _convert(columns, params, connection)
    if connection.vendor == "postgresql":
        _copy(connection, table, names, columns, params)
        return
    sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608
    with connection.cursor() as cursor, _bulk_session(connection):
        for start in range(0, len(params), batch_size):
            cursor.executemany(sql, params[start : start + batch_size])


def insert(model, rows: list[dict], *, batch_size: int = 5000) -> None:
    """INSERT `rows` (dicts by attname, all with the same keys); missing fields get their
    default."""
    if not rows:
        return
    columns, params = _tuples(model, rows)
    _write(model, columns, params, batch_size=batch_size)


def insert_with_history(model, rows: list[dict], *, history_user, reason: str = "") -> list[int]:
    """Insert new objects and their "created" history rows; returns their primary keys.

    The rows (all with the same keys) get their primary key set.
    """
    if not rows:
        return []
    ids = reserve_ids(model, len(rows))
    pk = model._meta.pk.attname
    for row, new_id in zip(rows, ids, strict=True):
        row[pk] = new_id
    columns, params = _tuples(model, rows)
    _write(model, columns, params)
    historical = model.history.model
    tracked = [field.attname for field in historical.tracked_fields]
    position = {field.attname: index for index, field in enumerate(columns)}
    pick = _getter([position[name] for name in tracked])
    now = timezone.now()
    extra = {
        "history_date": now,
        "history_change_reason": reason[:100] or None,
        "history_type": "+",
        "history_user_id": history_user.pk if history_user is not None else None,
    }
    history_keys = (*tracked, *extra)
    given, missing = _fields(historical, history_keys)
    order = {name: index for index, name in enumerate(history_keys)}
    # The historical model's columns in its own order, taken from (tracked values, extras);
    # fields simple_history may add later get their default.
    arrange = _getter([order[field.attname] for field in given])
    constants = tuple(extra.values())
    defaults = tuple(_default(field, now) for field in missing)
    _write(
        historical,
        given + missing,
        [arrange(pick(values) + constants) + defaults for values in params],
    )
    return ids


def existing_values(model, field_name: str, values, *, chunk: int = 900) -> set[str]:
    """Which of `values` (text) some row of `model` already has in `field_name`, whatever
    its scope.

    For an import's duplicate checks, so plain SQL: the ORM compiles each value of a long IN
    list on its own (about 15 µs a value). On PostgreSQL the values travel as one JSON
    document: psycopg adapts a Python list parameter element by element in Python (about
    5 µs a value), json.dumps does it in C.
    """
    values = [value for value in dict.fromkeys(values) if value not in ("", None)]
    if not values:
        return set()
    connection = connections[router.db_for_read(model)]
    qn = connection.ops.quote_name
    column = qn(model._meta.get_field(field_name).column)
    table = qn(model._meta.db_table)
    found: set = set()
    with connection.cursor() as cursor:
        for start in range(0, len(values), chunk):
            part = values[start : start + chunk]
            if connection.vendor == "postgresql":
                condition = f"{column} = ANY(ARRAY(SELECT json_array_elements_text(%s::json)))"
                params = [json.dumps(part)]
            else:
                condition = f"{column} IN ({', '.join(['%s'] * len(part))})"
                params = part
            cursor.execute(f"SELECT {column} FROM {table} WHERE {condition}", params)  # noqa: S608
            found.update(row[0] for row in cursor.fetchall())
    return found
