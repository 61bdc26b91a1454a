"""Public read-only pages of published handbook content, mounted at /cam-nang/ (no login)."""

from django.urls import path

from . import views_public

app_name = "handbook_public"
urlpatterns = [
    path("", views_public.index, name="index"),
    path("tim-kiem/", views_public.search, name="search"),
    path("thu-tuc/<str:code>/", views_public.procedure, name="procedure"),
    path("huong-dan/<slug:slug>/", views_public.guide, name="guide"),
    path("hoi-dap/<slug:slug>/", views_public.faq, name="faq"),
]
