"""`layan` console entry point: Django management commands with Layan's settings.

Commands may be spelled with hyphens (`layan check-sops`), as the docs write
them; Django's own names use underscores.
"""

import os
import sys


def command_argv(argv: list[str]) -> list[str]:
    """argv for Django, with the command's hyphens turned into underscores."""
    if argv and not argv[0].startswith("-"):
        return [argv[0].replace("-", "_"), *argv[1:]]
    return argv


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "layan.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["layan", *command_argv(sys.argv[1:])])


if __name__ == "__main__":
    main()
