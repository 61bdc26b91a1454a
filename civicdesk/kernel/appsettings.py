"""An app's own settings, read the same way everywhere: Django settings first, then the environment (or `NAME_FILE`,
for secrets), then the app's default — typed like the default (an int default reads an int)."""

import os
from pathlib import Path

from django.conf import settings


def reader(defaults):
    """A `get(name)` over `defaults` ({NAME: default}); an unknown name is a KeyError."""

    def get(name):
        if hasattr(settings, name):
            return getattr(settings, name)
        file_path = os.environ.get(f"{name}_FILE")
        raw = Path(file_path).read_text().strip() if file_path else os.environ.get(name)
        default = defaults[name]
        if raw is None or raw == "":
            return default
        return int(raw) if isinstance(default, int) else raw

    get.__doc__ = "The value of one setting (typed like its default)."
    return get
