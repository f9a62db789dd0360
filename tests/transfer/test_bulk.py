"""Fast inserts and lookups of the import engine, on SQLite and PostgreSQL alike."""

import pytest
from django.db import transaction

from fangkong.core.transfer.bulk import existing_values, insert_with_history
from fangkong.people.models import Household, Person
from tests import factories


def test_it_finds_the_values_already_stored_whatever_they_hold(tree):
    tricky = ['a"b', "c,d", "e'f", "{g}", "张三", "h\\i"]
    for value in tricky:
        factories.household(tree.grid, number=value)
    asked = [*tricky, "absent", "", None, "张三"]
    assert existing_values(Household, "number", asked) == set(tricky)
    assert existing_values(Household, "number", []) == set()
    assert existing_values(Household, "number", tricky, chunk=2) == set(tricky)


def test_it_inserts_rows_with_defaults_and_their_history(tree, users):
    rows = [
        {"area_id": tree.grid.code, "number": f"H{i}", "address": "1号", "head_name": "甲"}
        for i in range(3)
    ]
    with transaction.atomic():
        ids = insert_with_history(Household, rows, history_user=users.town, reason="import x")
    households = list(Household.objects.order_by("pk"))
    assert [h.pk for h in households] == ids
    assert [h.number for h in households] == ["H0", "H1", "H2"]
    assert all(h.note == "" and h.created_at and h.updated_at for h in households)
    history = Household.history.order_by("id")
    assert [(h.id, h.history_type, h.history_user_id) for h in history] == [
        (pk, "+", users.town.pk) for pk in ids
    ]
    assert {h.history_change_reason for h in history} == {"import x"}


def test_rows_of_one_insert_share_their_fields(tree):
    rows = [
        {"area_id": tree.grid.code, "address": "1号", "head_name": "甲"},
        {"area_id": tree.grid.code, "address": "1号", "number": "H1"},
    ]
    with pytest.raises((ValueError, KeyError)), transaction.atomic():
        insert_with_history(Household, rows, history_user=None)
    with pytest.raises(ValueError), transaction.atomic():
        insert_with_history(Person, [{"area_id": tree.grid.code, "nonsense": 1}], history_user=None)
    assert not Household.objects.exists()
