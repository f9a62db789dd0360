from django.urls import path

from fangkong.directives import views

app_name = "directives"

urlpatterns = [
    path("", views.sent_list, name="sent_list"),
    path("new/", views.directive_create, name="create"),
    path("<int:pk>/", views.directive_detail, name="detail"),
    path("<int:pk>/edit/", views.directive_edit, name="edit"),
    path("<int:pk>/send/", views.directive_send, name="send"),
    path("<int:pk>/close/", views.directive_close, name="close"),
    path("<int:pk>/remind/", views.directive_remind, name="remind"),
    path("units/<int:pk>/remind/", views.recipient_remind, name="recipient_remind"),
    path("received/", views.received_list, name="received_list"),
    path("received/<int:pk>/", views.received_detail, name="received_detail"),
    path("received/<int:pk>/sign/", views.received_sign, name="received_sign"),
    path("received/<int:pk>/feedback/", views.received_feedback, name="received_feedback"),
    path("files/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("files/<int:pk>/remove/", views.attachment_remove, name="attachment_remove"),
]
