"""Keep the translation catalogues complete.

    python scripts/messages.py          extract strings, derive zh-Hans from zh-Hant, compile
    python scripts/messages.py --check  fail when a string lacks its zh-Hant or zh-Hans translation,
                                        or a compiled catalogue is out of date

Source strings are English. zh-Hant is translated by hand in locale/zh_Hant; zh-Hans is
derived from it with OpenCC (t2s) unless an entry carries the translator comment
"manual", which keeps a hand-written Simplified text.
"""

from __future__ import annotations

import ast
import filecmp
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import opencc
import polib

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "locale"
HANT = LOCALE / "zh_Hant" / "LC_MESSAGES" / "django.po"
HANS = LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"
MANAGE = [sys.executable, str(ROOT / "manage.py")]
IGNORE = [
    "--ignore",
    ".venv",
    "--ignore",
    "var",
    "--ignore",
    "tests",
    "--ignore",
    "bench",
    "--ignore",
    "scripts",
]


def extract() -> None:
    LOCALE.mkdir(exist_ok=True)
    subprocess.run(
        [
            *MANAGE,
            "makemessages",
            "-l",
            "zh_Hant",
            "-l",
            "zh_Hans",
            "--no-location",
            "--no-obsolete",
            *IGNORE,
        ],
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )


def derive_simplified() -> None:
    converter = opencc.OpenCC("t2s")
    hant = {(e.msgctxt, e.msgid): e for e in polib.pofile(str(HANT))}
    hans = polib.pofile(str(HANS))
    for entry in hans:
        if "manual" in (entry.tcomment or ""):
            continue
        source = hant.get((entry.msgctxt, entry.msgid))
        if source is None or "fuzzy" in source.flags:
            continue
        if entry.msgid_plural:
            entry.msgstr_plural = {k: converter.convert(v) for k, v in source.msgstr_plural.items()}
        else:
            entry.msgstr = converter.convert(source.msgstr)
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
    hans.save()


def compile_catalogues(cwd: Path = ROOT) -> None:
    subprocess.run(
        [*MANAGE, "compilemessages", "-l", "zh_Hant", "-l", "zh_Hans", *IGNORE],
        check=True,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
    )


def missing(path: Path) -> list[str]:
    problems = []
    for entry in polib.pofile(str(path)):
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {entry.msgid!r}")
        elif entry.msgid_plural:
            if not all(entry.msgstr_plural.values()):
                problems.append(f"untranslated: {entry.msgid!r}")
        elif not entry.msgstr:
            problems.append(f"untranslated: {entry.msgid!r}")
    return problems


MARKERS = {"gettext", "gettext_lazy", "gettext_noop", "_", "ngettext", "ngettext_lazy"}
CONTEXT_MARKERS = {"pgettext", "pgettext_lazy", "npgettext", "npgettext_lazy"}


def non_literal_messages() -> list[str]:
    """Calls of gettext and its kin whose message is not a string literal: makemessages cannot
    extract such a message, so it is never translated (and no check would see it)."""
    found = []
    for path in sorted((ROOT / "estate").rglob("*.py")):
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            index = 0 if name in MARKERS else 1 if name in CONTEXT_MARKERS else None
            if index is None or len(node.args) <= index:
                continue
            message = node.args[index]
            if not (isinstance(message, ast.Constant) and isinstance(message.value, str)):
                where = f"{path.relative_to(ROOT)}:{node.lineno}"
                found.append(f"{where}: {name}() of a non-literal cannot be extracted")
    return found


def check() -> int:
    problems = non_literal_messages()
    # Extract into the real tree (makemessages has no output folder option), then put it back.
    backup = Path(tempfile.mkdtemp())
    shutil.copytree(LOCALE, backup / "locale")
    try:
        extract()
        problems += [f"{p.parent.parent.name}: {m}" for p in (HANT, HANS) for m in missing(p)]
    finally:
        shutil.rmtree(LOCALE)
        shutil.copytree(backup / "locale", LOCALE)
    # The committed .mo files must be what the committed .po files compile to.
    with tempfile.TemporaryDirectory() as scratch:
        shutil.copytree(LOCALE, Path(scratch) / "locale")
        for po in (Path(scratch) / "locale").rglob("*.po"):
            subprocess.run(["msgfmt", "-o", str(po.with_suffix(".mo")), str(po)], check=True)
        for mo in (Path(scratch) / "locale").rglob("*.mo"):
            committed = LOCALE / mo.relative_to(Path(scratch) / "locale")
            if not committed.exists() or not filecmp.cmp(mo, committed, shallow=False):
                problems.append(
                    f"{committed.relative_to(ROOT)} is out of date: run `make messages`"
                )
    for problem in problems:
        print(problem)
    if problems:
        print(
            f"{len(problems)} translation problems; translate in locale/zh_Hant, then run `make messages`."
        )
        return 1
    print("Translations complete.")
    return 0


def main() -> int:
    if "--check" in sys.argv:
        return check()
    extract()
    derive_simplified()
    compile_catalogues()
    for path in (HANT, HANS):
        for problem in missing(path):
            print(f"{path.parent.parent.name}: {problem}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
