"""The window's languages: English (the texts in the code) and Simplified Chinese, through Qt's translation system.

- Every text the window shows is marked: ``self.tr("…")`` in a Qt class, ``translate("Context", "…")`` elsewhere in
  the GUI, ``QT_TRANSLATE_NOOP("Context", "…")`` in the core (``train_backend.i18n``, no Qt there), which the window
  translates where it shows it (:func:`tr_core`). A text with values is a template: translated, then formatted.
- The translations are ``alexnet_gui_<locale>.ts`` beside this file (Qt Linguist's format, in the repository,
  refreshed from the code by ``tools/i18n.py``); the ``.qm`` Qt loads is compiled from it with ``pyside6-lrelease``
  (in PySide6's wheel) on first use, into the cache folder (:func:`compiled_translation`), never checked in.
- The language is the system locale's (Chinese for any ``zh`` locale, else English), or the one chosen in
  View ▸ Language (QSettings ``language``), or ``alexnet-gui launch --language``; it takes effect when the window
  is built (:func:`install_language`, before it), so a change in the menu applies at the next start.

A language is added by putting its locale in ``LANGUAGES`` (``alexnet_gui/languages.py``) and running
``python3 tools/i18n.py`` (README, "Languages").
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QTranslator

from train_backend.i18n import Joined, Text

from ..languages import DEFAULT_LANGUAGE, LANGUAGES

log = logging.getLogger(__name__)

__all__ = ["DEFAULT_LANGUAGE", "LANGUAGES", "chosen_language", "compiled_translation", "current_language",
           "install_language", "remove_translators", "tr_core", "translate"]
SETTINGS_KEY = "language"
FOLDER = Path(__file__).resolve().parent

translate = QCoreApplication.translate

#: the translators installed in the application (kept referenced: Qt does not own them)
_installed: list[QTranslator] = []
_current = DEFAULT_LANGUAGE


def ts_file(locale: str) -> Path:
    """The translation source of ``locale`` (``alexnet_gui_<locale>.ts``)."""
    return FOLDER / f"alexnet_gui_{locale}.ts"


def qt_tool(name: str) -> str | None:
    """A Qt tool shipped in PySide6's wheel (``lrelease``, ``lupdate``), else ``pyside6-<name>`` or ``<name>`` on the
    PATH; None when there is none."""
    try:
        import PySide6

        folder = Path(PySide6.__file__).resolve().parent
        for candidate in (folder / name, folder / f"{name}.exe", folder / "Qt" / "bin" / name):
            if candidate.is_file() and os.access(candidate, os.X_OK):
                return str(candidate)
    except ImportError:  # pragma: no cover - PySide6 is a dependency
        pass
    return shutil.which(f"pyside6-{name}") or shutil.which(name)


def cache_folder() -> Path:
    """Where compiled translations go: the app's cache folder (``$ALEXNET_GUI_CACHE``, else
    ``$XDG_CACHE_HOME/alexnet-gui``), ``translations/``."""
    from train_backend.data.registry import cache_dir

    return cache_dir() / "translations"


class TranslationError(RuntimeError):
    """A translation could not be compiled or loaded (the window stays in English)."""


def compiled_translation(locale: str, cache: Path | None = None) -> Path:
    """The ``.qm`` of ``locale``, compiled from its ``.ts`` with ``lrelease`` when missing or out of date (its name
    carries a digest of the ``.ts``: an edited source gets a new file), written atomically (a temporary file renamed
    into place). :class:`TranslationError` says why there is none."""
    source = ts_file(locale)
    if not source.is_file():
        raise TranslationError(f"no translation source {source.name}")
    digest = hashlib.sha256(source.read_bytes()).hexdigest()[:16]
    folder = cache or cache_folder()
    target = folder / f"alexnet_gui_{locale}-{digest}.qm"
    if target.is_file() and target.stat().st_size:  # compiled from this very source before
        return target
    lrelease = qt_tool("lrelease")
    if lrelease is None:
        raise TranslationError("pyside6-lrelease was not found (it comes with PySide6)")
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".alexnet_gui_{locale}-", suffix=".qm", dir=folder)
    os.close(fd)
    try:
        done = subprocess.run([lrelease, "-silent", str(source), "-qm", tmp], capture_output=True, text=True,
                              timeout=120)
        if done.returncode != 0 or not os.path.getsize(tmp):
            raise TranslationError(f"lrelease failed on {source.name}: "
                                   f"{(done.stderr or done.stdout).strip()[-300:] or 'no output'}")
        os.replace(tmp, target)
    except (OSError, subprocess.SubprocessError) as err:
        raise TranslationError(f"lrelease failed on {source.name}: {err}") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    for old in folder.glob(f"alexnet_gui_{locale}-*.qm"):  # earlier versions of this source
        if old != target:
            try:
                old.unlink()
            except OSError:
                pass
    return target


def language_of(locale: QLocale | str) -> str:
    """The window language for a locale: a Chinese one is Simplified Chinese, anything else English."""
    name = locale if isinstance(locale, str) else locale.name()
    if name in LANGUAGES:
        return name
    return "zh_CN" if name.lower().startswith("zh") else DEFAULT_LANGUAGE


def system_language() -> str:
    return language_of(QLocale.system())


def saved_language(settings: QSettings) -> str | None:
    value = settings.value(SETTINGS_KEY)
    return value if isinstance(value, str) and value in LANGUAGES else None


def save_language(settings: QSettings, language: str) -> None:
    settings.setValue(SETTINGS_KEY, language)
    settings.sync()


def chosen_language(settings: QSettings | None = None, override: str | None = None) -> str:
    """``override`` (``--language``), else the language saved in ``settings`` (View ▸ Language), else the system's."""
    if override in LANGUAGES:
        return override
    saved = saved_language(settings) if settings is not None else None
    return saved or system_language()


def current_language() -> str:
    """The language the installed translators give (English until :func:`install_language`)."""
    return _current


def locale_for(language: str) -> QLocale:
    """The locale numbers and dates follow in ``language`` (English: the United States' conventions)."""
    return QLocale("en_US" if language == DEFAULT_LANGUAGE else language)


def install_language(language: str, app: QCoreApplication | None = None) -> list[str]:
    """Translate the window into ``language`` from now on (call before it is built): its translator and Qt's own
    (standard buttons and dialogs), and the default locale (numbers where Qt formats them). Returns what went
    wrong, said in English (then the window stays English)."""
    global _current
    app = app or QCoreApplication.instance()
    remove_translators(app)
    problems: list[str] = []
    if language not in LANGUAGES:
        problems.append(f"unknown language {language!r}; English is used")
        language = DEFAULT_LANGUAGE
    if language != DEFAULT_LANGUAGE:
        try:
            qm = compiled_translation(language)
            own = QTranslator(app)
            if not own.load(str(qm)):
                raise TranslationError(f"Qt could not load {qm}")
        except TranslationError as err:
            problems.append(f"{err}; the window stays in English")
            log.warning("alexnet-gui: %s", problems[-1])
            language = DEFAULT_LANGUAGE
        else:
            app.installTranslator(own)
            _installed.append(own)
            qt = QTranslator(app)  # Qt's own words (OK, Cancel, the file dialogs), where PySide6 ships them
            folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
            if qt.load(f"qtbase_{language}", folder) or qt.load(f"qt_{language}", folder):
                app.installTranslator(qt)
                _installed.append(qt)
    QLocale.setDefault(locale_for(language))
    _current = language
    return problems


def remove_translators(app: QCoreApplication | None = None) -> None:
    """Back to English (the tests switch languages within one process)."""
    global _current
    app = app or QCoreApplication.instance()
    while _installed:
        translator = _installed.pop()
        if app is not None:
            app.removeTranslator(translator)
    _current = DEFAULT_LANGUAGE


def tr_core(value: Any) -> str:
    """A text the core wrote (``train_backend.i18n``: marked, formatted from a marked template, or joined), in the
    window's language; anything else as it is."""
    if isinstance(value, Joined):
        return value.sep.join(tr_core(p) for p in value.parts)
    if not isinstance(value, Text):
        return "" if value is None else str(value)
    template = translate(value.context, value.template)
    if not value.args and not value.kwargs:  # a marked text (or one named by another text's translation)
        return str(value) if template == value.template else template
    args = [tr_core(a) if isinstance(a, (Text, Joined)) else a for a in value.args]
    kwargs = {k: tr_core(a) if isinstance(a, (Text, Joined)) else a for k, a in value.kwargs.items()}
    try:
        return template.format(*args, **kwargs)
    except (IndexError, KeyError, ValueError):  # a translation that lost a placeholder: the English, not a crash
        log.warning("alexnet-gui: the translation of %r does not format", value.template)
        return str(value)


def language_names() -> list[tuple[str, str]]:
    """(locale, its name in itself) for every language, English first."""
    return list(LANGUAGES.items())


def write_stderr(problems: list[str]) -> None:
    for problem in problems:
        print(f"alexnet-gui: {problem}", file=sys.stderr)
