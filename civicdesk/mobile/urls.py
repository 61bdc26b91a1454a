from django.urls import path

from .views import announce, app, review, trips

app_name = "mobile"
urlpatterns = [
    path("", review.index, name="index"),
    path("field/<int:pk>/resolve/", review.resolve, name="resolve"),
    path("conflicts/<int:pk>/close/", review.close_conflict, name="close_conflict"),
    path("devices/", review.add_device, name="add_device"),
    path("app/", app.shell, name="app"),
    path("app/sw.js", app.service_worker, name="app_sw"),
    path("app/manifest.webmanifest", app.manifest, name="app_manifest"),
    path("trips/new/", trips.new, name="trip_new"),
    path("trips/<int:pk>/", trips.detail, name="trip"),
    path("trips/<int:pk>/announce/", announce.announce, name="trip_announce"),
    path("trips/<int:pk>/day/", announce.reschedule, name="trip_reschedule"),
]
