"""Print the environment variables the settings read, as a Markdown table for the README."""

from django.conf import settings
from django.core.management.base import BaseCommand

from config.env import REGISTRY


class Command(BaseCommand):
    help = "List the environment variables read by config/settings.py (Markdown)."

    def handle(self, *args, **options):
        lines = ["| variable | default | meaning |", "|---|---|---|"]
        for var in sorted(REGISTRY.values(), key=lambda v: v.name):
            default = var.default.replace(str(settings.BASE_DIR), "<project>")
            lines.append(f"| `{var.name}` | `{default}` | {var.help} |")
        self.stdout.write("\n".join(lines))
