"""Public read-only pages of published handbook content, mounted at /cam-nang/ (no login)."""

from django.urls import path

from .views import public

app_name = "handbook_public"
urlpatterns = [
    path("", public.index, name="index"),
    path("tim-kiem/", public.search, name="search"),
    path("thu-tuc/<str:code>/", public.procedure, name="procedure"),
    path("huong-dan/<slug:slug>/", public.guide, name="guide"),
    path("hoi-dap/<slug:slug>/", public.faq, name="faq"),
]
