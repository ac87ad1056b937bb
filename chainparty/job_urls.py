from django.urls import path

from chainparty import job_views

app_name = "jobs"

urlpatterns = [
    path("<int:pk>/", job_views.job_detail, name="job-detail"),
    path("<int:pk>/status/", job_views.job_status, name="job-status"),
    path("<int:pk>/import/", job_views.job_confirm, name="job-confirm"),
    path("<int:pk>/download/", job_views.job_download, name="job-download"),
    path("import/<str:name>/", job_views.import_page, name="import"),
    path("import/<str:name>/template.xlsx", job_views.import_template, name="import-template"),
    path("export/<str:name>/", job_views.export_start, name="export"),
]
