"""The words the core writes for people, marked for Qt's translation tools; the core itself never imports Qt.

The command line stays English: a marked text *is* its English string. The window translates it where it shows it
(``alexnet_gui.i18n.tr_core``), through Qt's translation system, with the translations in
``alexnet_gui/i18n/*.ts`` that ``pyside6-lupdate`` (``tools/i18n.py``) extracts from these marks:

- ``QT_TRANSLATE_NOOP(context, text)`` marks a literal (the name lupdate looks for in Python files) and returns it
  as a :class:`Text`: a ``str`` that remembers its context;
- ``QT_TRANSLATE_NOOP(context, "… {name} …").format(name=…)`` is the English text, a :class:`Text` that remembers
  its template and its arguments: the window translates the template and formats it again, translating the
  arguments that are themselves marked (a template is translated, never a formatted text);
- :func:`joined` joins texts with a separator and keeps the parts, so the window translates each one.

Anything else (a file name, a number, an exception's message) is shown as it is.
"""

from __future__ import annotations

from typing import Any, Iterable


class Text(str):
    """An English text (``str``: what the command line prints) that remembers how it was made: its translation
    ``context``, its ``template`` (the marked literal) and the ``args`` / ``kwargs`` it was formatted with."""

    context: str
    template: str
    args: tuple
    kwargs: dict

    def __new__(cls, value: str, context: str, template: str | None = None, args: tuple = (),
                kwargs: dict | None = None) -> "Text":
        self = super().__new__(cls, value)
        self.context = context
        self.template = value if template is None else template
        self.args = tuple(args)
        self.kwargs = dict(kwargs or {})
        return self

    def format(self, *args: Any, **kwargs: Any) -> "Text":  # type: ignore[override]
        """The template formatted (English), remembering the arguments for the window's translation."""
        return Text(str.format(self.template, *args, **kwargs), self.context, self.template, args, kwargs)

    def __reduce__(self):  # a str subclass pickles as its class and value; the rest comes along
        return (Text, (str(self), self.context, self.template, self.args, self.kwargs))


class Joined(str):
    """Texts joined by ``sep`` (``str``: the English), keeping the ``parts`` for the window to translate each."""

    sep: str
    parts: tuple

    def __new__(cls, sep: str, parts: Iterable[str]) -> "Joined":
        parts = tuple(parts)
        self = super().__new__(cls, sep.join(parts))
        self.sep = sep
        self.parts = parts
        return self

    def __reduce__(self):
        return (Joined, (self.sep, self.parts))


def QT_TRANSLATE_NOOP(context: str, text: str) -> Text:  # noqa: N802 - the name pyside6-lupdate extracts
    """Mark ``text`` for translation in ``context``: it is returned unchanged, as a :class:`Text`."""
    return Text(text, context)


def joined(sep: str, parts: Iterable[str]) -> Joined:
    """``sep.join(parts)`` that the window translates part by part."""
    return Joined(sep, parts)
