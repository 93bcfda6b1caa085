"""One wall for access, kept by a machine: no code outside the capability table and the access
layer decides anything by comparing role names, or asks which roles a user has in an office."""

import ast
from pathlib import Path

from estate.accounts.roles import Role

ROOT = Path(__file__).resolve().parent.parent / "estate"
# The table itself and the layer that reads it (the demo, which says who is who, is skipped).
ALLOWED = {"accounts/roles.py", "accounts/access.py"}
ROLE_NAMES = {role.value for role in Role}


def _names_a_role(node: ast.AST) -> bool:
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return node.value.id == "Role"
    if isinstance(node, ast.Constant):
        return node.value in ROLE_NAMES
    if isinstance(node, ast.Set | ast.List | ast.Tuple):
        return any(_names_a_role(element) for element in node.elts)
    return False


def _role_checks(tree: ast.AST) -> list[int]:
    """Lines that compare something with a role name (``Role.HEAD in roles``, ``role == "head"``)
    or ask a scope for its roles (``roles_in``)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare) and any(
            _names_a_role(part) for part in (node.left, *node.comparators)
        ):
            found.append(node.lineno)
        if (
            isinstance(node, ast.BinOp)
            and isinstance(node.op, ast.BitAnd)
            and (_names_a_role(node.left) or _names_a_role(node.right))
        ):
            found.append(node.lineno)
        if isinstance(node, ast.Attribute) and node.attr == "roles_in":
            found.append(node.lineno)
    return found


def test_no_access_decision_compares_role_names_outside_the_table():
    offenders = []
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if relative in ALLOWED or relative.startswith("demo/") or "/migrations/" in relative:
            continue
        for line in _role_checks(ast.parse(path.read_text(encoding="utf-8"))):
            offenders.append(f"{relative}:{line}")
    assert offenders == []


def test_the_guard_itself_catches_the_forms_it_looks_for():
    caught = _role_checks(
        ast.parse(
            "if Role.HEAD in roles: pass\n"
            "if role == 'cashier': pass\n"
            "x = scope.roles_in(office)\n"
            "if {Role.HEAD, Role.MANAGER} & roles: pass\n"
        )
    )
    assert sorted(caught) == [1, 2, 3, 4]
