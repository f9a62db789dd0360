from django.urls import path

from fangkong.donations import public, views

app_name = "donations"

urlpatterns = [
    path("", views.donation_list, name="list"),
    path("new/", views.donation_create, name="create"),
    path("<int:pk>/", views.donation_detail, name="detail"),
    path("<int:pk>/edit/", views.donation_edit, name="edit"),
    path("<int:pk>/receive/", views.donation_receive, name="receive"),
    path("<int:pk>/disburse/", views.donation_disburse, name="disburse"),
    path("<int:pk>/certificate/", views.donation_certificate, name="certificate"),
    path("donors/", views.donor_list, name="donor_list"),
    path("donors/new/", views.donor_create, name="donor_create"),
    path("donors/<int:pk>/", views.donor_detail, name="donor_detail"),
    path("donors/<int:pk>/edit/", views.donor_edit, name="donor_edit"),
    path("donors/<int:pk>/reveal/", views.donor_reveal, name="donor_reveal"),
    path("public/<str:district_code>/", public.public_page, name="public"),
    path("public/<str:district_code>/export/", public.public_export, name="public_export"),
]
