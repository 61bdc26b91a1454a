from django.urls import path

from . import views

app_name = "impact"
urlpatterns = [
    path("", views.index, name="index"),
    path("save/", views.save, name="save"),
    path("<int:pk>/", views.detail, name="detail"),
]
