"""The window's languages, without Qt (the command line's ``launch --language`` lists them before any Qt is loaded):
locale -> the language's name in itself, as View ▸ Language shows it. "en" is the code's own texts; every other
one has its translation source ``alexnet_gui/i18n/alexnet_gui_<locale>.ts`` (README, "Languages")."""

LANGUAGES: dict[str, str] = {"en": "English", "zh_CN": "简体中文"}
DEFAULT_LANGUAGE = "en"
