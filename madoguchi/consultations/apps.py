from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    name = "madoguchi.consultations"
    label = "consultations"
    default_auto_field = "django.db.models.BigAutoField"
