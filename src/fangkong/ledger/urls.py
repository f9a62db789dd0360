from django.urls import path

from fangkong.ledger import public, views

app_name = "ledger"

urlpatterns = [
    # Pushes
    path("pushes/pending/", views.push_pending, name="push_pending"),
    path("pushes/open/", views.push_open, name="push_open"),
    path("pushes/overdue/", views.push_overdue, name="push_overdue"),
    path("pushes/<int:pk>/", views.push_detail, name="push_detail"),
    path("pushes/<int:pk>/receive/", views.push_receive, name="push_receive"),
    path("pushes/<int:pk>/answer/", views.push_answer, name="push_answer"),
    path("pushes/<int:pk>/redirect/", views.push_redirect, name="push_redirect"),
    path("pushes/<int:pk>/close/", views.push_close, name="push_close"),
    path("outbound/", views.outbound_list, name="outbound_list"),
    path("outbound/<int:pk>/sent/", views.outbound_sent, name="outbound_sent"),
    # Key persons
    path("keypersons/", views.keyperson_list, name="keyperson_list"),
    path("keypersons/mine/", views.keyperson_mine, name="keyperson_mine"),
    path("keypersons/new/", views.keyperson_create, name="keyperson_create"),
    path("keypersons/<int:pk>/", views.keyperson_detail, name="keyperson_detail"),
    path(
        "keypersons/<int:pk>/transition/",
        views.keyperson_transition,
        name="keyperson_transition",
    ),
    path("keypersons/<int:pk>/measure/", views.keyperson_measure, name="keyperson_measure"),
    path("keypersons/<int:pk>/team/", views.keyperson_team, name="keyperson_team"),
    path(
        "keypersons/<int:pk>/team/<int:member>/remove/",
        views.keyperson_team_remove,
        name="keyperson_team_remove",
    ),
    path("persons/search/", views.person_search, name="person_search"),
    path("persons/<int:pk>/contacts/", views.person_contacts, name="person_contacts"),
    # Configuration
    path("config/policy/", views.policy_edit, name="policy_edit"),
    path("config/categories/", views.category_list, name="category_list"),
    path("config/categories/new/", views.category_create, name="category_create"),
    path("config/categories/<int:pk>/", views.category_edit, name="category_edit"),
    path("config/risk-areas/", views.riskarea_list, name="riskarea_list"),
    path(
        "config/risk-areas/<int:pk>/deactivate/",
        views.riskarea_deactivate,
        name="riskarea_deactivate",
    ),
    # Public: a returning resident's own registration.
    path("register/", public.selfreg, name="selfreg"),
    path("register/done/", public.selfreg_done, name="selfreg_done"),
    path("register/villages/", public.selfreg_areas, name="selfreg_areas"),
]
