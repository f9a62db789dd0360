"""The command's configuration: categories, the district policy, risk areas."""

from django.urls import reverse

from fangkong.ledger.models import Category, Policy, RiskArea

POLICY = reverse("ledger:policy_edit")
CATEGORIES = reverse("ledger:category_list")
NEW_CATEGORY = reverse("ledger:category_create")
RISK = reverse("ledger:riskarea_list")


def test_the_command_edits_its_district_policy(client_for, users, tree):
    client = client_for(users.command)
    assert client.get(POLICY).status_code == 200
    assert not Policy.objects.exists(), "showing the page writes nothing"
    hubei = Category.objects.get(code="hubei")
    response = client.post(
        POLICY,
        {
            "push_from_other_provinces": "on",
            "receipt_overdue_hours": 6,
            "default_category": hubei.pk,
        },
    )
    assert response.status_code == 302
    policy = Policy.objects.get(area_id="370305")
    assert policy.receipt_overdue_hours == 6 and policy.default_category == hubei
    assert not policy.push_flagged and not policy.push_from_risk_areas
    assert client.post(POLICY, {"receipt_overdue_hours": 0}).status_code == 400
    assert client.post(POLICY, {"receipt_overdue_hours": "x"}).status_code == 400
    assert Policy.objects.get().receipt_overdue_hours == 6


def test_categories_are_added_and_edited(client_for, users, tree):
    client = client_for(users.command)
    assert client.get(CATEGORIES).status_code == 200
    data = {
        "code": "school",
        "name": "返校师生",
        "observation_days": 7,
        "default_measure": "health_monitoring",
        "order": 5,
        "active": "on",
    }
    assert client.post(NEW_CATEGORY, data).status_code == 302
    category = Category.objects.get(code="school")
    assert category.observation_days == 7 and not category.requires_negative_test
    assert client.post(NEW_CATEGORY, data).status_code == 400  # the code exists
    edit = reverse("ledger:category_edit", args=[category.pk])
    response = client.post(
        edit, {**data, "code": "changed", "observation_days": 21, "requires_negative_test": "on"}
    )
    assert response.status_code == 302
    category.refresh_from_db()
    assert category.code == "school" and category.observation_days == 21
    assert category.requires_negative_test
    assert client.post(edit, {**data, "observation_days": 0}).status_code == 400


def test_risk_areas_are_listed_and_removed(client_for, users, tree):
    client = client_for(users.command)
    assert client.get(RISK).status_code == 200
    response = client.post(RISK, {"region_code": "4201", "name": "武汉市", "level": "high"})
    assert response.status_code == 302
    risk = RiskArea.objects.get()
    assert risk.active
    assert (
        client.post(RISK, {"region_code": "4201", "name": "again", "level": "high"}).status_code
        == 400
    )
    assert (
        client.post(RISK, {"region_code": "42x", "name": "x", "level": "high"}).status_code == 400
    )
    from fangkong.ledger.services import push_reasons

    assert "risk_area" in push_reasons(district="370305", origin_region="420106", flagged=False)
    client.post(reverse("ledger:riskarea_deactivate", args=[risk.pk]))
    assert not RiskArea.objects.get().active
    assert "risk_area" not in push_reasons(district="370305", origin_region="420106", flagged=False)


def test_permission_matrix(client_for, users, tree):
    category = Category.objects.first()
    risk = RiskArea.objects.create(
        region_code="42", name="湖北", level="high", listed_on="2020-01-23"
    )
    pages = [
        POLICY,
        CATEGORIES,
        NEW_CATEGORY,
        RISK,
        reverse("ledger:category_edit", args=[category.pk]),
    ]
    for who in ("town", "village", "norole", "other_town"):
        client = client_for(getattr(users, who))
        for page in pages:
            assert client.get(page).status_code == 404, (who, page)
        client.post(reverse("ledger:riskarea_deactivate", args=[risk.pk]))
    # Another district's command has its own policy, not this district's categories.
    client = client_for(users.outsider)
    assert client.get(POLICY).status_code == 200
    for page in pages[1:]:
        assert client.get(page).status_code == 404, page
    assert client.post(reverse("ledger:riskarea_deactivate", args=[risk.pk])).status_code == 404
    assert RiskArea.objects.get().active
