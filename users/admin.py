from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from users import services
from users.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("id", "username", "display_name", "email", "is_staff", "is_active", "date_joined")
    list_filter = ("is_staff", "is_superuser", "is_active")
    search_fields = ("username", "display_name", "email")
    fieldsets = (*DjangoUserAdmin.fieldsets, ("Profile", {"fields": ("display_name", "bio")}))
    add_fieldsets = (*DjangoUserAdmin.add_fieldsets, ("Profile", {"fields": ("display_name", "bio")}))

    def delete_model(self, request, obj):
        services.user_delete(user=obj)

    def delete_queryset(self, request, queryset):
        for user in queryset:
            services.user_delete(user=user)
