from django.urls import path

from .views import communes

urlpatterns = [
    path("", communes.commune_list, name="commune_list"),
    path("hamlets/import/", communes.hamlet_import, name="hamlet_import"),
    path("<int:code>/", communes.commune_detail, name="commune_detail"),
    path("<int:code>/coordinates/", communes.commune_coordinates, name="commune_coordinates"),
    path("<int:code>/hamlets/", communes.hamlet_add, name="hamlet_add"),
    path("<int:code>/hamlets/<int:hamlet_id>/delete/", communes.hamlet_delete, name="hamlet_delete"),
]
