from django.urls import path

from .views import people, reports, requests

app_name = "community"
urlpatterns = [
    path("", requests.index, name="index"),
    path("requests/new/", requests.request_new, name="request_new"),
    path("requests/<int:pk>/", requests.request_detail, name="request"),
    path("requests/<int:pk>/<slug:action>/", requests.request_action, name="request_action"),
    path("week/", requests.week, name="week"),
    path("people/", people.people, name="people"),
    path("people/new/", people.person_new, name="person_new"),
    path("people/import/", people.people_import, name="people_import"),
    path("people/<int:pk>/", people.person_detail, name="person"),
    path("people/<int:pk>/languages/", people.language_save, name="language_add"),
    path("people/<int:pk>/languages/<int:language_id>/", people.language_save, name="language_save"),
    path(
        "people/<int:pk>/languages/<int:language_id>/delete/", people.language_delete, name="language_delete"
    ),
    path("coverage/", reports.coverage, name="coverage"),
    path("report/", reports.report, name="report"),
]
