from django.urls import path

from fangkong.core.transfer import views

app_name = "transfer"

urlpatterns = [
    path("", views.job_list, name="jobs"),
    path("import/<slug:kind>/", views.import_page, name="import"),
    path("template/<slug:kind>/", views.template_download, name="template"),
    path("import/job/<int:pk>/", views.import_job, name="import_job"),
    path("import/job/<int:pk>/errors/", views.import_errors, name="import_errors"),
    path("export/<slug:kind>/", views.export_start, name="export"),
    path("export/job/<int:pk>/", views.export_job, name="export_job"),
    path("export/job/<int:pk>/download/", views.export_download, name="export_download"),
]
