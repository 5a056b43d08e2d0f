"""`layan` console entry point: Django management commands with Layan's settings."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "layan.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["layan", *sys.argv[1:]])


if __name__ == "__main__":
    main()
