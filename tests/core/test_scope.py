import pytest

from fangkong.core.models import Area
from fangkong.core.scope import code_range, is_within
from fangkong.people.models import Person
from tests import factories


def test_it_closes_ranges_with_digits_only():
    assert code_range("370305109") == ("370305109", "370305110")
    assert code_range("3703059") == ("3703059", "3703060")
    assert code_range("0999") == ("0999", "1000")


def test_it_refuses_non_codes():
    with pytest.raises(ValueError):
        code_range("")
    with pytest.raises(ValueError):
        code_range("37%")


def test_it_selects_the_subtree_only(tree):
    codes = set(Area.objects.within(tree.town).values_list("code", flat=True))
    assert "370305003" in codes
    assert "370305003001001" in codes
    assert "370305001" not in codes
    assert "370305" not in codes


def test_it_scopes_people_by_the_area_key_without_a_join(tree):
    inside = factories.person(tree.grid, "王五")
    factories.person(tree.other_village, "赵六")
    qs = Person.objects.within(tree.town)
    assert list(qs) == [inside]
    assert "JOIN" not in str(qs.query)


def test_it_gives_a_user_without_scope_nothing(tree, users):
    factories.person(tree.grid)
    users.norole.scope = None
    assert not Person.objects.for_user(users.norole).exists()


def test_it_compares_prefixes():
    assert is_within("370305003001", "370305003")
    assert not is_within("370305001001", "370305003")
    assert not is_within("370305003", None)
