"""The training-settings dialog: every value of the chosen recipe, grouped, visible and overridable.

The rows come from :data:`train_backend.settings.SETTINGS`, the table the command line's ``--set`` reads,
so every config field and model option is here, in the same words.  Each row shows the recipe's own value
beside the widget, and its name turns bold where the value differs from the recipe's.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QValidator
from PySide6.QtWidgets import (QAbstractButton, QAbstractSpinBox, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox, QFileDialog,
                               QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QScrollArea, QSpinBox,
                               QTabWidget, QVBoxLayout, QWidget)

from train_backend.io.checkpoints import TORCH_SUFFIXES

from ..i18n import tr_core, translate
from train_backend.config import ConfigError, TrainConfig
from train_backend.recipes import RECIPES
from train_backend.config import apply_settings
from train_backend import settings as setting_table
from train_backend.settings import GROUPS, Setting, SettingError, current_value, \
    format_value, parse_value

_INT_LIMIT = 2**31 - 1
FLOAT_DECIMALS = 12  # kept internally: lr 0.01, weight decay 5e-4, LRN α 1e-4 survive exactly


def compact_number(value: float) -> str:
    """``value`` with as many decimals as it needs and no exponent: 900, 0.01, 0.0005 (not 900.000000)."""
    text = f"{value:.{FLOAT_DECIMALS}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


class FloatSpinBox(QDoubleSpinBox):
    """A ``QDoubleSpinBox`` that shows a float as briefly as it can (``compact_number``) and reads back what a
    user types, 5e-4 included; it keeps ``FLOAT_DECIMALS`` decimals, so no value of a setting is rounded away."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDecimals(FLOAT_DECIMALS)

    def _bare(self, text: str) -> str:
        text = text.strip()
        if self.prefix() and text.startswith(self.prefix()):
            text = text[len(self.prefix()):]
        if self.suffix() and text.endswith(self.suffix()):
            text = text[:-len(self.suffix())]
        return text.strip().replace(",", ".")

    def textFromValue(self, value: float) -> str:  # noqa: N802 - Qt's name
        return compact_number(value)

    def valueFromText(self, text: str) -> float:  # noqa: N802 - Qt's name
        try:
            return float(self._bare(text))
        except ValueError:
            return self.value()

    def validate(self, text: str, pos: int):
        if self.specialValueText() and text == self.specialValueText():
            return QValidator.State.Acceptable, text, pos
        bare = self._bare(text)
        try:
            value = float(bare)
        except ValueError:
            partial = bare == "" or bare in ("-", "+", ".", "-.") or bare.lower().endswith(("e", "e-", "e+"))
            return (QValidator.State.Intermediate if partial else QValidator.State.Invalid), text, pos
        if bare.lower() in ("nan", "inf", "-inf", "+inf", "infinity"):
            return QValidator.State.Invalid, text, pos
        ok = self.minimum() <= value <= self.maximum()
        return (QValidator.State.Acceptable if ok else QValidator.State.Intermediate), text, pos



def shown_value(setting: Setting, value: Any) -> str:
    """A value as the dialog says it: a choice or number as the command line writes it, on / off, and the setting's
    words for none."""
    if value is None:
        return tr_core(setting.none_label)
    if setting.kind == "bool":
        return translate("SettingsDialog", "on") if value else translate("SettingsDialog", "off")
    return format_value(setting, value)


class _Row:
    """One setting's widget: shows a value, gives one back (None for an optional setting left unset)."""

    def __init__(self, setting: Setting, devices: list[str]) -> None:
        self.setting = s = setting
        self.widget: QWidget
        self.edited: Any = None  # the signal that says the value changed
        if s.kind == "bool" and s.optional:
            w = QComboBox()
            for text, value in ((tr_core(s.none_label), None), (translate("SettingsDialog", "on"), True),
                                (translate("SettingsDialog", "off"), False)):
                w.addItem(text, value)
            self.edited = w.currentIndexChanged
        elif s.kind == "bool":
            w = QCheckBox()
            self.edited = w.toggled
        elif s.kind == "choice":
            w = QComboBox()
            if s.optional:
                w.addItem(tr_core(s.none_label), None)
            for choice in (devices if s.machine_devices else s.choices):
                w.addItem(choice, choice)
            self.edited = w.currentIndexChanged
        elif s.kind in ("int", "float"):
            w = QSpinBox() if s.kind == "int" else FloatSpinBox()
            lo = s.minimum if s.minimum is not None else -_INT_LIMIT
            hi = s.maximum if s.maximum is not None else _INT_LIMIT
            if s.kind == "float":
                w.setSingleStep(10 ** -3 if hi <= 10 else 1.0)
            else:
                lo, hi = int(lo), int(hi)
            if s.optional:  # one step below the minimum means "none" (shown as the setting's none label)
                lo = lo - 1
                w.setSpecialValueText(tr_core(s.none_label))
            w.setRange(lo, hi)
            w.setKeyboardTracking(False)
            self.edited = w.valueChanged
        else:  # text, path, kernels
            w = QLineEdit()
            w.setPlaceholderText(tr_core(s.none_label) if s.optional else "")
            self.edited = w.textChanged
        w.setToolTip(tr_core(s.help))
        self.widget = w

    def set(self, value: Any) -> None:
        w, s = self.widget, self.setting
        if isinstance(w, QCheckBox):
            w.setChecked(bool(value))
        elif isinstance(w, QComboBox):
            index = w.findData(value if s.kind == "bool" else (None if value is None else str(value)))
            if index < 0 and value is not None:  # a device this machine lacks, say: show it anyway
                w.addItem(str(value), str(value))
                index = w.count() - 1
            w.setCurrentIndex(max(0, index))
        elif isinstance(w, (QSpinBox, QDoubleSpinBox)):
            w.setValue(w.minimum() if value is None else value)
        else:
            w.setText("" if value is None else format_value(s, value))

    def get(self) -> Any:
        w, s = self.widget, self.setting
        if isinstance(w, QCheckBox):
            return w.isChecked()
        if isinstance(w, QComboBox):
            data = w.currentData()
            return parse_value(s, data) if s.kind == "choice" and data is not None else data
        if isinstance(w, (QSpinBox, QDoubleSpinBox)):
            if s.optional and w.value() == w.minimum():
                return None
            return w.value()
        text = w.text().strip()
        if not text and s.optional:
            return None
        return parse_value(s, text)


class SettingsDialog(QDialog):
    """Edit a :class:`TrainConfig`; ``config()`` returns the edited copy (validated on OK)."""

    def __init__(self, config: TrainConfig, devices: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Training settings — recipe '{recipe}'").format(recipe=config.recipe))
        self._base = config
        self._recipe = RECIPES[config.recipe]() if config.recipe in RECIPES else TrainConfig()
        self.rows: dict[str, _Row] = {}
        self._labels: dict[str, QLabel] = {}
        self._hints: dict[str, QLabel] = {}
        self.tabs = QTabWidget()
        kernels = setting_table.BY_KEY.get("kernels")  # the longest hint: "recipe: by towers and width"
        widest_hint = self.tr("recipe: {value}").format(value=tr_core(kernels.none_label) if kernels else "")
        for group in GROUPS:
            form = QFormLayout()
            for setting in (s for s in setting_table.SETTINGS if s.group == group):
                row = _Row(setting, devices)
                self.rows[setting.key] = row
                label, hint = QLabel(tr_core(setting.label)), QLabel("")
                label.setToolTip(tr_core(setting.help))
                hint.setStyleSheet("QLabel { color: #777; }")
                hint.setMinimumWidth(hint.fontMetrics().horizontalAdvance(widest_hint))
                self._labels[setting.key], self._hints[setting.key] = label, hint
                line = QHBoxLayout()
                line.addWidget(row.widget, 1)
                if setting.kind == "path":
                    browse = QPushButton("…")
                    browse.setToolTip(self.tr("Choose a folder") if setting.browse == "folder" else
                                      self.tr("Choose a file"))
                    browse.clicked.connect(lambda _=False, key=setting.key: self._browse(key))
                    line.addWidget(browse)
                line.addWidget(hint)
                form.addRow(label, line)
                row.edited.connect(lambda *_a, key=setting.key: self._on_edited(key))
            page = QWidget()
            page.setLayout(form)
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setWidget(page)
            self.tabs.addTab(scroll, tr_core(group))
        self.problem = QLabel("")
        self.problem.setStyleSheet("QLabel { color: #a01020; }")
        self.problem.setWordWrap(True)
        note = QLabel(self.tr("Grey: the recipe's value. A bold name: changed from it. The same keys work on the "
                              "command line as <tt>alexnet-gui train --set KEY=VALUE</tt>."))
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel |
                                   QDialogButtonBox.StandardButton.RestoreDefaults)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        restore = buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults)
        restore.setText(self.tr("Recipe's values"))
        restore.clicked.connect(self._restore)
        lay = QVBoxLayout(self)
        lay.addWidget(self.tabs, 1)
        lay.addWidget(note)
        lay.addWidget(self.problem)
        lay.addWidget(buttons)
        self.resize(760, 580)
        self._load(config)

    # ------------------------------------------------------------------ values
    def value(self, key: str) -> Any:
        return self.rows[key].get()

    def set_value(self, key: str, value: Any) -> None:
        self.rows[key].set(value)

    def _load(self, c: TrainConfig) -> None:
        """Show ``c``'s values (a model option ``c``'s model lacks: the recipe's model's value or its default)."""
        self._loading = True
        try:
            for key, row in self.rows.items():
                s = row.setting
                if s.target == "model" and c.model not in s.models:
                    row.set(current_value(self._recipe, key) if self._recipe.model in s.models else None)
                else:
                    row.set(current_value(c, key))
        finally:
            self._loading = False
        self.problem.setText("")
        self._refresh()

    def _on_edited(self, key: str) -> None:
        if not getattr(self, "_loading", False):
            self._refresh()
            needs = self.rows[key].setting.needs
            if needs is not None:  # e.g. an optional package: say at once, not only on OK, when it is missing
                self.problem.setText(tr_core((needs() if self.rows[key].get() else None) or ""))

    def _refresh(self) -> None:
        """The recipe's value beside each row, names in bold where changed, options of another model greyed."""
        model = self._current_model()
        for key, row in self.rows.items():
            s = row.setting
            applies = s.target == "config" or model in s.models
            row.widget.setEnabled(applies)
            self._labels[key].setEnabled(applies)
            if not applies:
                self._hints[key].setText(self.tr("({models} model only)").format(models=", ".join(s.models)))
                self._labels[key].setStyleSheet("")
                continue
            recipe_has = s.target == "config" or self._recipe.model in s.models
            recipe_value = current_value(self._recipe, key) if recipe_has else \
                current_value(TrainConfig(model=model), key)
            self._hints[key].setText(self.tr("recipe: {value}").format(value=shown_value(s, recipe_value)))
            try:
                changed = row.get() != recipe_value
            except SettingError:
                changed = True
            self._labels[key].setStyleSheet("QLabel { font-weight: bold; }" if changed else "")

    def _current_model(self) -> str:
        try:
            return self.rows["model"].get()
        except SettingError:
            return self._base.model

    def _browse(self, key: str) -> None:
        row = self.rows[key]
        start = row.widget.text()
        if row.setting.browse == "folder":
            path = QFileDialog.getExistingDirectory(self, self.tr("Data folder"), start)
        else:
            patterns = " ".join("*" + s for s in TORCH_SUFFIXES)
            path, _ = QFileDialog.getOpenFileName(self, self.tr("Weights to start from"), start,
                                                  self.tr("Weights ({patterns});;All files (*)").format(
                                                      patterns=patterns))
        if path:
            row.widget.setText(path)

    def _restore(self) -> None:
        self._load(self._recipe.replace(device=self._base.device))

    def config(self) -> TrainConfig:
        """The edited config (:class:`SettingError` for a value the widgets cannot parse, e.g. kernel counts)."""
        model = self._current_model()
        values = {key: row.get() for key, row in self.rows.items()
                  if row.setting.target == "config" or model in row.setting.models}
        base = self._base.replace()
        base.model_options = {}  # the options shown for the chosen model are all in `values`
        return apply_settings(base, values)

    def accept(self) -> None:
        try:
            self.config().validate()
        except (ConfigError, SettingError) as err:
            self.problem.setText(tr_core(err.message) if hasattr(err, "message") else str(err))
            return
        super().accept()


def read_only_dialog(dlg: QDialog, why: str) -> None:
    """Every editor of ``dlg`` disabled, OK hidden, and ``why`` in its title: a dialog to look at, not to change."""
    for editor in dlg.findChildren(QWidget):
        if isinstance(editor, (QAbstractSpinBox, QComboBox, QLineEdit, QAbstractButton)) and \
                not isinstance(editor.parent(), QDialogButtonBox):
            editor.setEnabled(False)
    for box in dlg.findChildren(QDialogButtonBox):
        for button in box.buttons():
            if box.buttonRole(button) != QDialogButtonBox.ButtonRole.RejectRole:
                button.setVisible(False)
            else:
                button.setText(translate("SettingsDialog", "Close"))
    dlg.setWindowTitle(f"{dlg.windowTitle()} ({why})")
