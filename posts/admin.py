from django.contrib import admin

from posts.models import Post


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ("id", "user", "short_content", "is_hidden", "created_date", "updated_date")
    list_filter = ("is_hidden", "created_date")
    search_fields = ("content", "user__username")
    raw_id_fields = ("user",)
    list_select_related = ("user",)
    readonly_fields = ("created_date", "updated_date")
    show_full_result_count = False  # a COUNT(*) over millions of posts per page view is not worth it

    @admin.display(description="content")
    def short_content(self, post):
        return post.content[:60]
