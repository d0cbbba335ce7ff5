"""The product never imports the test rig: no remote control or test tool ships in the kiosk."""

from __future__ import annotations

import ast

from kiosk.settings import PROJECT_ROOT

PRODUCT = ("common", "kiosk", "screens", "drivers", "offline_cache", "procedure_api")
NOT_SHIPPED = ("rig", "tests", "bench")


def _imported_packages(path: str) -> set[str]:
    tree = ast.parse((PROJECT_ROOT / path).read_text(encoding="utf-8"))
    names = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
             for alias in node.names}
    names |= {node.module for node in ast.walk(tree)
              if isinstance(node, ast.ImportFrom) and node.module and not node.level}
    return {name.split(".")[0] for name in names}


def test_no_product_module_imports_the_rig_the_tests_or_the_benches() -> None:
    modules = [str(path.relative_to(PROJECT_ROOT)) for package in PRODUCT
               for path in (PROJECT_ROOT / package).rglob("*.py")]
    assert len(modules) > 100
    offenders = {module: found for module in modules
                 if (found := _imported_packages(module) & set(NOT_SHIPPED))}
    assert offenders == {}
