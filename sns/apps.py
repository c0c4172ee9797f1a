from django.apps import AppConfig


class SnsConfig(AppConfig):
    name = "sns"
    verbose_name = "SNS shared"

    def ready(self):
        from sns import converters

        converters.register()
