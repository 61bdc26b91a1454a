from django.urls import path

from . import views

app_name = "assistant"
urlpatterns = [
    path("", views.chat, name="chat"),
    path("turns/<int:turn_id>/feedback/", views.feedback, name="feedback"),
    path("turns/<int:turn_id>/choose/", views.choose, name="choose"),
    path("gaps/", views.gaps, name="gaps"),
    path("rebuild/", views.rebuild, name="rebuild"),
    path("public/", views.public_chat, name="public"),
    path("public/turns/<int:turn_id>/feedback/", views.public_feedback, name="public_feedback"),
    path("public/turns/<int:turn_id>/choose/", views.public_choose, name="public_choose"),
]
