"""Many new rows of one model in as little work as the database allows."""

from django.db import connection
from django.utils import timezone

BATCH_SIZE = 1000
# Fields whose Python values psycopg writes as they are (Django's preparation changes nothing
# for the values the import gives them): no get_db_prep_save call per value.
NATIVE = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "DateTimeField",
    "EmailField",
    "ForeignKey",
    "IntegerField",
    "PositiveBigIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SlugField",
    "SmallIntegerField",
    "TextField",
    "URLField",
}


def insert(model, objects):
    """Insert new instances of a plain model (no parent table) and set their primary keys.

    On PostgreSQL the keys are taken from the table's sequence in one query and the rows
    sent with COPY: the import writes tens of thousands of comments and ledger rows, and
    building an INSERT of thousands of placeholders costs more than the database's work.
    Elsewhere, bulk_create. Like bulk_create, no signal is sent and save() is not called.
    """
    if not objects:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objects, batch_size=BATCH_SIZE)
        return
    fields = model._meta.concrete_fields
    pks = _new_pks(model, len(objects))
    for obj, pk in zip(objects, pks, strict=True):
        obj.pk = pk
        obj._state.adding, obj._state.db = False, connection.alias
    _copy(
        model,
        fields,
        (
            [field.get_db_prep_save(field.pre_save(obj, True), connection) for field in fields]
            for obj in objects
        ),
    )


def insert_values(model, names, rows):
    """`insert` for rows given as tuples of the values of the fields `names` (attnames: `post_id`
    for a foreign key), without making an instance of the model for each: the import's
    comments and ledger rows are counted in hundreds of thousands. The other fields take their
    default as a new instance would (`auto_now` fields the time of the call). Returns the new
    rows' primary keys, in order."""
    rows = list(rows)
    if not rows:
        return []
    if connection.vendor != "postgresql":
        objects = [model(**dict(zip(names, row, strict=True))) for row in rows]
        model.objects.bulk_create(objects, batch_size=BATCH_SIZE)
        return [obj.pk for obj in objects]
    meta = model._meta
    position = {name: i for i, name in enumerate(names)}
    now = timezone.now()
    plan = []  # (position in the given row, field to prepare its value with) or (None, value)
    for field in meta.concrete_fields:
        if field.primary_key:
            plan.append((-1, None))
        elif field.attname in position:
            native = field.get_internal_type() in NATIVE
            plan.append((position[field.attname], None if native else field))
        else:
            auto = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
            value = now if auto else field.get_default()
            plan.append((None, field.get_db_prep_save(value, connection)))
    pks = _new_pks(model, len(rows))

    def prepared():
        for pk, row in zip(pks, rows, strict=True):
            yield [
                pk
                if at == -1
                else how
                if at is None
                else row[at]
                if how is None
                else how.get_db_prep_save(row[at], connection)
                for at, how in plan
            ]

    _copy(model, meta.concrete_fields, prepared())
    return pks


def _new_pks(model, count):
    meta = model._meta
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, count],
        )
        return [pk for (pk,) in cursor.fetchall()]


def _copy(model, fields, rows):
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    with connection.cursor() as cursor:
        table = quote(model._meta.db_table)
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
