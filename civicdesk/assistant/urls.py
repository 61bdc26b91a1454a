from django.urls import path

from .views import chat

app_name = "assistant"
urlpatterns = [
    path("", chat.chat, name="chat"),
    path("turns/<int:turn_id>/feedback/", chat.feedback, name="feedback"),
    path("turns/<int:turn_id>/choose/", chat.choose, name="choose"),
    path("gaps/", chat.gaps, name="gaps"),
    path("rebuild/", chat.rebuild, name="rebuild"),
    path("public/", chat.public_chat, name="public"),
    path("public/turns/<int:turn_id>/feedback/", chat.public_feedback, name="public_feedback"),
    path("public/turns/<int:turn_id>/choose/", chat.public_choose, name="public_choose"),
]
