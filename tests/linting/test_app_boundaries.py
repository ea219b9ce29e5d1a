"""Dependencies between the apps run one way (ARCHITECTURE.md, "The apps, and which way they depend").

Every module of every app is read with ``ast`` (imports inside functions too) and each import of
another of the project's apps is checked against ``MAY_IMPORT``. Migrations are left out: they are
history, run with every app installed, and name other apps' models by string anyway.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# app -> the project's apps its modules may import. Lower layers first; nothing imports upwards.
MAY_IMPORT: dict[str, set[str]] = {
    "tracker": set(),
    "recommendations": {"tracker"},
    "responses": {"tracker", "recommendations"},
    "importer": {"tracker", "recommendations", "responses"},
    "pages": {"tracker", "recommendations", "responses"},
    "followup": {"tracker", "recommendations", "responses", "pages"},
    "alerts": {"tracker", "recommendations", "responses", "pages"},
}

# Imports against the table that are known and not yet undone: (module, app it imports).
# This may only shrink; an entry that is no longer needed fails the test too.
NOT_YET: set[tuple[str, str]] = set()


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imported(path: Path, module: str) -> set[str]:
    """The dotted names ``path`` (the module ``module``) imports, relative imports resolved."""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                names.add(node.module)
            else:
                base = package[: len(package) - (node.level - 1)]
                names.add(".".join(base + ([node.module] if node.module else [])))
    return names


def _app_modules():
    for app in MAY_IMPORT:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.relative_to(ROOT).parts:
                yield app, path


def _forbidden(app: str, path: Path, module: str) -> set[str]:
    """The project's apps ``module`` (in ``app``) imports and may not."""
    others = {name.split(".")[0] for name in _imported(path, module)}
    return {other for other in others if other in MAY_IMPORT and other != app and other not in MAY_IMPORT[app]}


def _crossings() -> set[tuple[str, str]]:
    """Every (module, app) where a module imports another of the project's apps it may not."""
    found = set()
    for app, path in _app_modules():
        module = _module_name(path)
        found.update((module, other) for other in _forbidden(app, path, module))
    return found


def test_the_table_is_one_way():
    for app, allowed in MAY_IMPORT.items():
        for other in allowed:
            assert app not in MAY_IMPORT[other], f"{app} and {other} may import each other"


def test_every_app_folder_is_in_the_table():
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")}
    assert apps <= set(MAY_IMPORT), f"apps missing from MAY_IMPORT: {sorted(apps - set(MAY_IMPORT))}"


def test_no_app_imports_one_above_it():
    crossings = _crossings()
    assert crossings - NOT_YET == set(), "imports against the direction in MAY_IMPORT"
    assert NOT_YET - crossings == set(), "no longer needed: remove from NOT_YET"


def test_the_check_sees_an_upward_import_even_inside_a_function(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("from . import models\n\ndef f():\n    from importer import services\n    import responses.models\n", encoding="utf-8")
    assert _forbidden("recommendations", probe, "recommendations.probe") == {"importer", "responses"}
    assert _forbidden("importer", probe, "importer.probe") == set()


def test_a_relative_import_is_read_as_the_app_it_names(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("from ...importer import services\n", encoding="utf-8")
    assert _forbidden("recommendations", probe, "recommendations.parts.probe") == {"importer"}
