from django.contrib import admin

from follows.models import Follow


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    list_display = ("id", "follower", "following", "created_date")
    list_filter = ("created_date",)
    search_fields = ("follower__username", "following__username")
    raw_id_fields = ("follower", "following")
    list_select_related = ("follower", "following")
    readonly_fields = ("created_date",)
    show_full_result_count = False
