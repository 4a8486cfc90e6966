"""What the application imports is declared as a runtime dependency, not only for the tests."""

import ast
import re
import sys
from importlib.metadata import packages_distributions, requires
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "learnpath"


def _imported_top_level_names() -> set[str]:
    names = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names) - {"learnpath", "config"}


def _runtime_requirements() -> set[str]:
    declared = set()
    for requirement in requires("learnpath") or []:
        if "extra ==" in requirement:
            continue
        name = re.split(r"[\s\[<>=!~;]", requirement, maxsplit=1)[0]
        declared.add(name.lower().replace("_", "-"))
    return declared


def test_every_third_party_import_is_a_declared_runtime_dependency():
    distributions = packages_distributions()
    declared = _runtime_requirements()
    missing = {}
    for name in sorted(_imported_top_level_names()):
        owners = {d.lower().replace("_", "-") for d in distributions.get(name, [name])}
        if not owners & declared:
            missing[name] = sorted(owners)
    assert missing == {}, "imported by learnpath/ but not in [project] dependencies"
