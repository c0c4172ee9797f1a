from django.contrib import admin

from posts import services
from posts.models import Post, PostImage


class PostImageInline(admin.TabularInline):
    model = PostImage
    extra = 0
    fields = ("file", "thumbnail", "width", "height", "alt_text")
    readonly_fields = ("file", "thumbnail", "width", "height")


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ("id", "user", "short_content", "is_hidden", "created_date", "updated_date")
    list_filter = ("is_hidden", "created_date")
    search_fields = ("content", "user__username")
    raw_id_fields = ("user",)
    list_select_related = ("user",)
    readonly_fields = ("created_date", "updated_date")
    inlines = [PostImageInline]
    show_full_result_count = False  # a COUNT(*) over millions of posts per page view is not worth it

    @admin.display(description="content")
    def short_content(self, post):
        return post.content[:60]

    # Deleting through the admin removes photo files too, exactly like the API.
    def delete_model(self, request, obj):
        services.post_delete(post=obj)

    def delete_queryset(self, request, queryset):
        for post in queryset:
            services.post_delete(post=post)


@admin.register(PostImage)
class PostImageAdmin(admin.ModelAdmin):
    list_display = ("id", "post", "width", "height", "alt_text", "created_date")
    list_filter = ("created_date",)
    search_fields = ("alt_text", "post__user__username")
    raw_id_fields = ("post",)
    readonly_fields = ("file", "thumbnail", "width", "height", "created_date")

    def delete_model(self, request, obj):
        services.post_image_delete(image=obj, allow_last=True)

    def delete_queryset(self, request, queryset):
        for image in queryset:
            services.post_image_delete(image=image, allow_last=True)
