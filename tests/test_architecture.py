"""The layout's boundaries (README "Development", DESIGN.md section 3) hold.

The import contracts live in pyproject.toml ([tool.importlinter]); this runs them, so a feature
that imports a higher one, a foundation that imports a feature or a cycle fails the suite as it
fails `lint-imports` in .ci/run.
"""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "learnpath"
# Importing inside a function is allowed only where a real reason remains, stated beside it.
FUNCTION_LEVEL_IMPORTS_ALLOWED = {"learnpath/factory.py"}


def test_import_contracts_are_kept():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    run = subprocess.run([str(lint_imports), "--no-cache", "--config", "pyproject.toml"],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout


def test_config_imports_no_part_of_the_app():
    # config.py is a module, not a package, so import-linter cannot hold it to a contract.
    tree = ast.parse((ROOT / "config.py").read_text())
    imported = [node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    imported += [a.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                 for a in node.names]
    assert not [name for name in imported if name and name.startswith("learnpath")]


def _function_level_imports(path: Path):
    tree = ast.parse(path.read_text())
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            if any(name == "learnpath" or name.startswith("learnpath.") for name in names):
                yield node.lineno


def test_no_function_level_imports_that_dodge_cycles():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if relative in FUNCTION_LEVEL_IMPORTS_ALLOWED:
            continue
        found += [f"{relative}:{line}" for line in _function_level_imports(path)]
    assert not found, "import at module level (a cycle means a boundary is wrong): " + \
        ", ".join(found)
