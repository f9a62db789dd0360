from django.urls import path

from fangkong.isolation import views

app_name = "isolation"

urlpatterns = [
    path("", views.site_list, name="site_list"),
    path("sites/new/", views.site_create, name="site_create"),
    path("sites/<int:pk>/", views.site_detail, name="site_detail"),
    path("sites/<int:pk>/edit/", views.site_edit, name="site_edit"),
    path("sites/<int:pk>/rooms/new/", views.site_rooms, name="site_rooms"),
    path("sites/<int:pk>/check-in/", views.site_checkin, name="site_checkin"),
    path("sites/<int:pk>/services/", views.site_services, name="site_services"),
    path("rooms/<int:pk>/edit/", views.room_edit, name="room_edit"),
    path("residents/", views.stay_list, name="stay_list"),
    path("stays/<int:pk>/check-out/", views.stay_checkout, name="stay_checkout"),
    path("stays/<int:pk>/services/", views.stay_service, name="stay_service"),
    path("transfers/", views.transfer_list, name="transfer_list"),
    path("transfers/new/", views.transfer_create, name="transfer_create"),
    path("transfers/<int:pk>/", views.transfer_detail, name="transfer_detail"),
]
