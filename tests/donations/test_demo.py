"""The donations demo loads through the services, once, into the supplies demo's reserve."""

from django.db.models import Sum

from fangkong.demo.donations import demo_donations_load
from fangkong.donations import selectors
from fangkong.donations.models import Donation, Donor
from fangkong.supplies.models import Inbound
from tests.donations import helpers


def test_it_loads_donors_of_every_kind_and_their_donations_once(tree):
    # The supplies demo's district reserve, without its two weeks of stock movements.
    helpers.warehouse(tree.county, "临淄区防疫物资储备库")
    written = demo_donations_load(seed=7)
    assert written == Donation.objects.count() > 36
    kinds = dict(Donor.objects.values_list("kind").annotate(n=Sum(1)).values_list("kind", "n"))
    assert kinds == {"enterprise": 12, "organisation": 12, "individual": 12}
    assert Donor.objects.filter(anonymous=True).exists()
    assert Inbound.objects.filter(source_type="donations.donation").exists()
    data = selectors.public_disclosure(tree.county)
    assert data["money"]["received"] == Donation.objects.aggregate(s=Sum("amount"))["s"]
    assert demo_donations_load(seed=7) == 0
