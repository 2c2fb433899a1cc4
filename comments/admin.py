"""Comments are what participants wrote, recorded by their service: shown, never edited."""
from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import Comment


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ["procurement", "subject", "code", "author", "mentioned", "created_at", "mention_done_at"]
    list_filter = ["subject"]
    search_fields = ["procurement__title", "text"]
    list_select_related = ["procurement", "author", "mentioned"]
