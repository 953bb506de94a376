"""The window's translation sources (``alexnet_gui/i18n/alexnet_gui_<locale>.ts``), refreshed from the code.

``pyside6-lupdate`` reads every file of ``alexnet_gui`` (``self.tr``, ``translate("Context", …)``) and the modules of
``train_backend`` that mark words the window shows (``QT_TRANSLATE_NOOP("Context", …)``, ``train_backend/i18n.py``),
and merges what it finds into each ``.ts``: new texts come in unfinished, texts no longer in the code are dropped,
finished translations are kept. The message list is never edited by hand; the translations are (in Qt Linguist:
``pyside6-linguist alexnet_gui/i18n/alexnet_gui_zh_CN.ts``, or in a text editor)::

    python3 tools/i18n.py                 # refresh every language's .ts (alexnet_gui/languages.py)
    python3 tools/i18n.py de              # create (or refresh) alexnet_gui/i18n/alexnet_gui_de.ts
    python3 tools/i18n.py --check         # exit 1, saying why, when a .ts misses a marked text, keeps one the code
                                          # no longer has, or has an unfinished or empty translation

The ``.qm`` files Qt loads are compiled from the ``.ts`` at run time (``alexnet_gui.i18n.compiled_translation``).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MARK = "QT_TRANSLATE_NOOP"
#: a placeholder of str.format ({name}, {name:,}, {0:.2f}) or Qt's %n / %1
PLACEHOLDER = re.compile(r"\{[A-Za-z_0-9]*(?:[:!][^{}]*)?\}|%n|%\d")


def source_files() -> list[Path]:
    """Every Python file of alexnet_gui, and the core's modules that mark texts."""
    gui = sorted((ROOT / "alexnet_gui").rglob("*.py"))
    core = sorted(p for p in (ROOT / "train_backend").rglob("*.py")
                  if MARK in p.read_text(encoding="utf-8") and p.name != "i18n.py")
    return [p for p in gui + core if "__pycache__" not in p.parts]


def ts_path(locale: str) -> Path:
    return ROOT / "alexnet_gui" / "i18n" / f"alexnet_gui_{locale}.ts"


def lupdate(target: Path, locale: str) -> str:
    """Merge the marked texts of :func:`source_files` into ``target`` (created if missing); lupdate's report."""
    sys.path.insert(0, str(ROOT))
    try:
        from alexnet_gui.i18n import qt_tool
    finally:
        sys.path.remove(str(ROOT))
    tool = qt_tool("lupdate")
    if tool is None:
        raise SystemExit("i18n: pyside6-lupdate was not found (it comes with PySide6)")
    files = [str(p.relative_to(ROOT)) for p in source_files()]
    done = subprocess.run([tool, *files, "-no-obsolete", "-locations", "none", "-source-language", "en",
                           "-target-language", locale, "-ts", str(target)], cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"i18n: lupdate failed:\n{done.stdout}{done.stderr}")
    return done.stdout + done.stderr


def messages(ts: Path) -> dict[tuple[str, str], ET.Element]:
    """(context, source) -> the <message> element of a .ts."""
    out = {}
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            out[(name, message.findtext("source") or "")] = message
    return out


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def problems(ts: Path) -> list[str]:
    """What is wrong with a .ts against the code: texts it lacks or keeps, unfinished or empty translations,
    placeholders the translation changed."""
    out = []
    with tempfile.TemporaryDirectory(prefix="alexnet-gui-i18n-") as folder:
        fresh = Path(folder) / ts.name
        shutil.copy(ts, fresh)
        lupdate(fresh, ts.stem.split("_", 2)[-1])
        wanted, have = set(messages(fresh)), messages(ts)
    for context, source in sorted(wanted - set(have)):
        out.append(f"not in {ts.name} (run python3 tools/i18n.py): [{context}] {source!r}")
    for context, source in sorted(set(have) - wanted):
        out.append(f"no longer in the code (run python3 tools/i18n.py): [{context}] {source!r}")
    for (context, source), message in sorted(have.items()):
        tr = message.find("translation")
        kind = tr.get("type") if tr is not None else "missing"
        text = "".join(tr.itertext()) if tr is not None else ""
        if kind in ("unfinished", "missing", "obsolete", "vanished") or not text.strip():
            out.append(f"untranslated ({kind or 'empty'}): [{context}] {source!r}")
        elif placeholders(source) != placeholders(text):
            out.append(f"placeholders differ: [{context}] {source!r} -> {text!r}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("locales", nargs="*", help="languages to create or refresh (default: every one there is)")
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 when a .ts is not complete")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from alexnet_gui.languages import DEFAULT_LANGUAGE, LANGUAGES

    locales = args.locales or [code for code in LANGUAGES if code != DEFAULT_LANGUAGE]
    status = 0
    for locale in locales:
        ts = ts_path(locale)
        if args.check:
            found = problems(ts) if ts.exists() else [f"{ts.name} does not exist"]
            for line in found:
                print(f"i18n: {line}")
            status |= bool(found)
            print(f"i18n: {ts.name}: {len(messages(ts)) if ts.exists() else 0} texts, {len(found)} problems")
        else:
            report = lupdate(ts, locale)
            print(report.strip())
            left = [p for p in problems(ts) if p.startswith("untranslated")]
            print(f"i18n: {ts.relative_to(ROOT)}: {len(messages(ts))} texts, {len(left)} to translate")
            if locale not in LANGUAGES:
                print(f"i18n: add {locale!r} to LANGUAGES in alexnet_gui/languages.py (with its name in itself)")
    return status


if __name__ == "__main__":
    raise SystemExit(main())
