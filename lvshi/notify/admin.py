from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from .models import Delivery, Notification
from .services import delivery_requeue


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "user", "created_at", "read_at")
    list_filter = ("kind", ("read_at", admin.EmptyFieldListFilter))
    search_fields = ("title",)
    raw_id_fields = ("user",)
    readonly_fields = ("user", "kind", "title", "body", "url", "created_at", "read_at")
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("kind", "channel", "recipient_masked", "status", "attempts", "created_at", "sent_at")
    list_filter = ("status", "channel", "kind")
    exclude = ("recipient", "body")
    readonly_fields = (
        "user",
        "notification",
        "kind",
        "channel",
        "recipient_masked",
        "subject",
        "sensitive",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "claimed_at",
        "sent_at",
    )
    date_hierarchy = "created_at"
    actions = ["retry_failed"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("重新发送失败的消息"))
    def retry_failed(self, request, queryset):
        queued = delivery_requeue(delivery_ids=queryset.values_list("pk", flat=True))
        self.message_user(request, _("已重新排队 %(n)d 条发送失败的消息。") % {"n": queued}, messages.SUCCESS)
