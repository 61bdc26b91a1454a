"""The engine (civicdesk/assistant/engine/) stays plain Python: it runs without Django settings, and imports no
Django beyond gettext and nothing of the app around it."""

import ast
import os
import subprocess
import sys
from pathlib import Path

import civicdesk.assistant.engine as engine

ENGINE_DIR = Path(engine.__file__).parent
# What the engine may import besides the standard library and itself.
ALLOWED = ("numpy", "django.utils.translation", "civicdesk.handbook.text")


def _imports(path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            yield node.module


def test_the_engine_imports_no_django_beyond_gettext_and_nothing_of_the_app():
    outside = {
        (path.name, name)
        for path in ENGINE_DIR.glob("*.py")
        for name in _imports(path)
        if name.split(".")[0] not in sys.stdlib_module_names
        and not any(name == allowed or name.startswith(f"{allowed}.") for allowed in ALLOWED)
    }
    assert outside == set()


RUN_WITHOUT_DJANGO = """
import civicdesk.assistant.engine.compose
from civicdesk.assistant.engine.decide import decide
from civicdesk.assistant.engine.doc import Doc
from civicdesk.assistant.engine.index import Index

docs = [
    Doc(id="procedure:HT-001", kind="procedure", title="Đăng ký khai sinh", url="/p/1/",
        text="Đăng ký khai sinh cho trẻ em tại Ủy ban nhân dân cấp xã.", keywords=["khai sanh"]),
    Doc(id="procedure:CTR-001", kind="procedure", title="Đăng ký thường trú", url="/p/2/",
        text="Đăng ký thường trú tại Công an cấp xã.", keywords=["nhập hộ khẩu"]),
]
index = Index.build(docs)
analysis, ranked = index.rank("lam giay khai sinh cho con")
print(ranked[0].doc.id, decide(index, analysis, ranked).mode in ("answer", "clarify", "refuse"))
"""


def test_the_engine_answers_without_django_settings():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run(
        [sys.executable, "-c", RUN_WITHOUT_DJANGO],
        env=env,
        cwd=ENGINE_DIR.parents[2],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["procedure:HT-001", "True"]


def test_dense_retrieval_reaches_the_ranking_through_the_fusion_the_app_sets():
    from civicdesk.assistant.engine.doc import Doc
    from civicdesk.assistant.engine.index import Index

    docs = [Doc(id=f"faq:{i}", kind="faq", title=title, url=f"/{i}/", text=title)
            for i, title in enumerate(["Đăng ký khai sinh", "Khai sinh cho con nuôi"])]  # fmt: skip
    index = Index.build(docs)
    index.reranker = None  # the fusion alone (the shipped reranker would look at the fused order again)
    lexical = [r.doc.id for r in index.rank("đăng ký khai sinh")[1]]
    index.fuse = lambda _index, _query, scores: scores[::-1].copy()  # set by dense.py with the vectors
    assert [r.doc.id for r in index.rank("đăng ký khai sinh")[1]] == lexical  # no vectors: no fusion
    index.embeddings = [[1.0], [1.0]]
    assert [r.doc.id for r in index.rank("đăng ký khai sinh")[1]] == lexical[::-1]
