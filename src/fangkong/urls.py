from django.urls import include, path

urlpatterns = [
    path("", include("fangkong.core.urls")),
    path("accounts/", include("fangkong.accounts.urls")),
    path("people/", include("fangkong.people.urls")),
    path("transfer/", include("fangkong.core.transfer.urls")),
    path("api/", include("fangkong.api_urls")),
]
