from django.urls import path

from fangkong.channels import views

app_name = "channels"

urlpatterns = [
    path("", views.channel_list, name="channel_list"),
    path("new/", views.channel_create, name="channel_create"),
    path("<int:pk>/edit/", views.channel_edit, name="channel_edit"),
    path("<int:pk>/delete/", views.channel_delete, name="channel_delete"),
    path("<int:pk>/test/", views.channel_test, name="channel_test"),
    path("deliveries/", views.delivery_list, name="delivery_list"),
    path("deliveries/<int:pk>/retry/", views.delivery_retry, name="delivery_retry"),
]
