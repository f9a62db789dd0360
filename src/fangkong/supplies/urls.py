from django.urls import path

from fangkong.supplies import views

app_name = "supplies"

urlpatterns = [
    path("", views.warehouse_list, name="warehouse_list"),
    path("warehouses/new/", views.warehouse_create, name="warehouse_create"),
    path("warehouses/<int:pk>/", views.warehouse_detail, name="warehouse_detail"),
    path("warehouses/<int:pk>/edit/", views.warehouse_edit, name="warehouse_edit"),
    path("warehouses/<int:pk>/documents/", views.warehouse_documents, name="warehouse_documents"),
    path("warehouses/<int:pk>/items/<int:item>/", views.item_ledger, name="item_ledger"),
    path("warehouses/<int:pk>/inbound/", views.inbound_create, name="inbound_create"),
    path("warehouses/<int:pk>/issue/", views.issue_create, name="issue_create"),
    path("warehouses/<int:pk>/transfer/", views.transfer_create, name="transfer_create"),
    path("warehouses/<int:pk>/stocktake/", views.adjustment_create, name="adjustment_create"),
    path("inbound/<int:pk>/", views.inbound_detail, name="inbound_detail"),
    path("outbound/<int:pk>/", views.outbound_detail, name="outbound_detail"),
    path("outbound/<int:pk>/receipt/", views.outbound_receipt, name="outbound_receipt"),
    path("outbound/<int:pk>/sign/", views.outbound_sign, name="outbound_sign"),
    path("outbound/<int:pk>/confirm/", views.outbound_confirm, name="outbound_confirm"),
    path("received/", views.received_list, name="received_list"),
    path("requests/", views.request_list, name="request_list"),
    path("requests/new/", views.request_create, name="request_create"),
    path("requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("requests/<int:pk>/issue/", views.request_issue, name="request_issue"),
    path("requests/<int:pk>/cancel/", views.request_cancel, name="request_cancel"),
    path("catalogue/", views.item_list, name="item_list"),
    path("catalogue/new/", views.item_create, name="item_create"),
    path("catalogue/<int:pk>/edit/", views.item_edit, name="item_edit"),
]
