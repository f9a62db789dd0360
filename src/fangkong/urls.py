from django.urls import include, path

urlpatterns = [
    path("", include("fangkong.core.urls")),
    path("accounts/", include("fangkong.accounts.urls")),
    path("people/", include("fangkong.people.urls")),
    path("transfer/", include("fangkong.core.transfer.urls")),
    path("ledger/", include("fangkong.ledger.urls")),
    path("monitoring/", include("fangkong.monitoring.urls")),
    path("checkpoints/", include("fangkong.checkpoints.urls")),
    path("isolation/", include("fangkong.isolation.urls")),
    path("inbox/", include("fangkong.inbox.urls")),
    path("reporting/", include("fangkong.reporting.urls")),
    path("directives/", include("fangkong.directives.urls")),
    path("channels/", include("fangkong.channels.urls")),
    path("command/", include("fangkong.command.urls")),
    path("briefings/", include("fangkong.briefings.urls")),
    path("supplies/", include("fangkong.supplies.urls")),
    path("donations/", include("fangkong.donations.urls")),
    path("api/", include("fangkong.api_urls")),
]
