from django.urls import path

from . import views

urlpatterns = [
    path("anskaffelser/<int:procurement_id>/kommentarer/<str:subject>/<slug:code>/", views.comment_create, name="comment_create"),
    path("kommentarer/<int:comment_id>/fulgt-opp/", views.mention_done, name="comment_mention_done"),
]
