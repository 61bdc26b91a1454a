from django.urls import path

from . import views

urlpatterns = [
    path("", views.commune_list, name="commune_list"),
    path("hamlets/import/", views.hamlet_import, name="hamlet_import"),
    path("<int:code>/", views.commune_detail, name="commune_detail"),
    path("<int:code>/coordinates/", views.commune_coordinates, name="commune_coordinates"),
    path("<int:code>/hamlets/", views.hamlet_add, name="hamlet_add"),
    path("<int:code>/hamlets/<int:hamlet_id>/delete/", views.hamlet_delete, name="hamlet_delete"),
]
