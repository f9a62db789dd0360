from django.urls import reverse

from tests import factories


def url(household):
    return reverse("people:household_edit", args=[household.pk])


def test_it_edits_a_household(client_for, users, tree):
    household = factories.household(tree.village, "赵大")
    data = {"head_name": "赵二", "address": "新地址", "area": tree.grid2.code, "number": "9"}
    response = client_for(users.village).post(url(household), data)
    assert response.status_code == 302
    household.refresh_from_db()
    assert (household.head_name, household.address, household.area, household.number) == (
        "赵二",
        "新地址",
        tree.grid2,
        "9",
    )


def test_it_prefills_the_form(client_for, users, tree):
    household = factories.household(tree.village, "赵大")
    form = client_for(users.village).get(url(household)).context["form"]
    assert form.initial["head_name"] == "赵大" and form.initial["area"] == tree.village.code


def test_it_refuses_a_forged_area_and_changes_nothing(client_for, users, tree):
    household = factories.household(tree.village, "赵大")
    data = {"head_name": "赵二", "address": "x", "area": tree.other_village.code}
    assert client_for(users.village).post(url(household), data).status_code == 400
    household.refresh_from_db()
    assert household.head_name == "赵大" and household.area == tree.village


def test_it_answers_404_outside_the_scope_or_without_the_role(client_for, users, tree):
    household = factories.household(tree.village, "赵大")
    data = {"head_name": "赵二", "address": "x", "area": tree.village.code}
    for who in ("other_town", "outsider", "norole", "command"):
        client = client_for(getattr(users, who))
        assert client.get(url(household)).status_code == 404, who
        assert client.post(url(household), data).status_code == 404, who
    household.refresh_from_db()
    assert household.head_name == "赵大"
