"""The `civicdesk` console script: Django's manage.py, usable from any directory."""

import os
import sys


def main(argv=None):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicdesk.settings")
    from django.conf import settings
    from django.core.management import execute_from_command_line

    settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
    execute_from_command_line(["civicdesk", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
