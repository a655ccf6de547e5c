from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "indicators"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from phominh.middleware import stamp_login

        # The session's absolute limit counts from the login (phominh.middleware).
        user_logged_in.connect(stamp_login, dispatch_uid="phominh.stamp_login")
