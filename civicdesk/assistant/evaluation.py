"""Where the gold set and the evaluation harness are: `eval/assistant/` at the top of a checkout.

They are not part of the installed package (setuptools packages `civicdesk*` only): the running app needs neither
(its example questions ship in `engine/data/examples.json`, its models in `engine/data/calibration.json`).
`civicdesk assistant eval|calibrate`, the tests and the benchmarks find the folder from the project and import
its modules as the package `assistant_eval`.
"""

import importlib
import importlib.util
import sys
from pathlib import Path

from django.conf import settings

PACKAGE = "assistant_eval"
FOLDER = Path("eval") / "assistant"
MISSING = (
    "Không tìm thấy bộ câu hỏi chuẩn và công cụ đánh giá của trợ lý (thư mục eval/assistant/). Thư mục này chỉ có "
    "trong mã nguồn CivicDesk (bản checkout), không được cài cùng gói: hãy dùng một bản checkout đã cài bằng "
    "`make install`, hoặc đặt CIVICDESK_HOME trỏ tới thư mục dự án. Đã tìm ở: {places}."
)


class EvalFolderMissing(FileNotFoundError):
    """No `eval/assistant/` next to this project (an installed copy); the message says so in Vietnamese."""


def candidates():
    """Where to look: the project directory (CIVICDESK_HOME), then the checkout this code runs from."""
    places = [Path(settings.PROJECT_DIR) / FOLDER, Path(__file__).resolve().parents[2] / FOLDER]
    return list(dict.fromkeys(places))


def folder():
    """The `eval/assistant/` folder, or `EvalFolderMissing`."""
    places = candidates()
    for place in places:
        if (place / "__init__.py").is_file():
            return place
    raise EvalFolderMissing(MISSING.format(places=", ".join(str(p) for p in places)))


def module(name):
    """`harness`, `calibrate` or `baseline` from `eval/assistant/`, imported once as `assistant_eval.<name>`."""
    place = folder()
    if PACKAGE not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            PACKAGE, place / "__init__.py", submodule_search_locations=[str(place)]
        )
        package = importlib.util.module_from_spec(spec)
        sys.modules[PACKAGE] = package
        spec.loader.exec_module(package)
    return importlib.import_module(f"{PACKAGE}.{name}")
