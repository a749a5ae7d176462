"""The suite's layout: shared helpers live in tests/support/, tests in one folder per app.

A test module that imports from another test module runs that module's import-time code and
drags its fixtures' names along; moving or deleting one test file then breaks another. So
tests and conftest files import only from tests.support (and the apps), never from a test_*
module, and never from a sibling helper by a relative import.
"""

import ast
from pathlib import Path

from django.apps import apps

TESTS = Path(__file__).resolve().parent
SUPPORT = TESTS / "support"
# Folders that are not an app: the shared helpers, and the journeys through a real browser.
NOT_AN_APP = {"support", "browser"}


def imported_modules(path):
    """(line, module) for every import in the file; relative imports keep their dots."""
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = "." * node.level + (node.module or "")
            if node.level or node.module == "tests":
                # ``from . import x`` and ``from tests import x`` name modules in the names.
                for alias in node.names:
                    separator = "" if base.endswith(".") else "."
                    yield node.lineno, f"{base}{separator}{alias.name}"
            else:
                yield node.lineno, base


def forbidden(module):
    """Why a test may not import ``module``, or None if it may."""
    if module.startswith("."):
        return "a relative import: import it from tests.support"
    parts = module.split(".")
    if any(part.startswith("test_") for part in parts):
        return "a test module: move what it shares to tests.support"
    if parts[0] == "tests" and parts[1:2] != ["support"]:
        return "outside tests.support"
    return None


def test_tests_import_only_from_tests_support():
    modules = sorted(
        path
        for path in TESTS.rglob("*.py")
        if path.name.startswith("test_") or path.name == "conftest.py"
    )
    problems = [
        f"{path.relative_to(TESTS.parent)}:{line} imports {module}, {reason}"
        for path in modules
        for line, module in imported_modules(path)
        if (reason := forbidden(module))
    ]

    assert modules, "no test modules found"
    assert problems == []


def test_support_never_imports_a_test_module():
    problems = [
        f"{path.relative_to(TESTS.parent)}:{line} imports {module}"
        for path in sorted(SUPPORT.rglob("*.py"))
        for line, module in imported_modules(path)
        if any(part.startswith("test_") for part in module.split("."))
        or (module.split(".")[0] == "tests" and module.split(".")[1:2] != ["support"])
    ]

    assert SUPPORT.is_dir()
    assert problems == []


def test_only_test_modules_conftest_and_packages_sit_beside_the_tests():
    """Every helper is in tests/support/; a test folder holds tests, conftest and __init__."""
    strays = [
        str(path.relative_to(TESTS.parent))
        for path in sorted(TESTS.rglob("*.py"))
        if SUPPORT not in path.parents
        and not path.name.startswith("test_")
        and path.name not in {"conftest.py", "__init__.py"}
    ]

    assert strays == []


def test_one_folder_per_app_each_a_package():
    app_labels = {config.label for config in apps.get_app_configs()}
    folders = sorted(
        path for path in TESTS.iterdir() if path.is_dir() and path.name != "__pycache__"
    )

    assert [f.name for f in folders if f.name not in app_labels | NOT_AN_APP] == []
    assert [f.name for f in folders if not (f / "__init__.py").is_file()] == []
