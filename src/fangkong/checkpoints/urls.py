from django.urls import path

from fangkong.checkpoints import views

app_name = "checkpoints"

urlpatterns = [
    path("", views.checkpoint_list, name="checkpoint_list"),
    path("new/", views.checkpoint_create, name="checkpoint_create"),
    path("<int:pk>/", views.checkpoint_detail, name="checkpoint_detail"),
    path("<int:pk>/edit/", views.checkpoint_edit, name="checkpoint_edit"),
    path("<int:pk>/qr/", views.checkpoint_qr, name="checkpoint_qr"),
    path("<int:pk>/qr/renew/", views.checkpoint_qr_renew, name="checkpoint_qr_renew"),
    path("<int:pk>/register/", views.checkpoint_register, name="checkpoint_register"),
    path("register/id-info/", views.id_info, name="id_info"),
    path("register/plate-info/", views.plate_info, name="plate_info"),
    path("register/destinations/", views.destination_search, name="destination_search"),
    path("registrations/", views.registration_list, name="registration_list"),
    path("vehicles/<int:pk>/", views.vehiclecheck_detail, name="vehiclecheck_detail"),
    path("counts/", views.counts, name="counts"),
    # Public: reached from the QR code at the checkpoint, no login.
    path("q/<str:token>/", views.prefill_start, name="prefill_start"),
    path("q/<str:token>/destinations/", views.prefill_destinations, name="prefill_destinations"),
    path("q/<str:token>/<str:code>/", views.prefill_done, name="prefill_done"),
]
