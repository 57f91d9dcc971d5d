from django.apps import AppConfig


class DemoConfig(AppConfig):
    """No models and no screens: the app is installed for its management commands."""

    name = "lesefrei.demo"
    label = "demo"
