"""The training-settings dialog: every value of the chosen recipe, visible and overridable."""

from __future__ import annotations

from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox, QFileDialog,
                               QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSpinBox,
                               QVBoxLayout, QWidget)

from train_backend.data import DATASET_NAMES
from train_backend.recipes import SCHEDULES, ConfigError, TrainConfig


def _dspin(lo: float, hi: float, decimals: int, step: float) -> QDoubleSpinBox:
    s = QDoubleSpinBox()
    s.setRange(lo, hi)
    s.setDecimals(decimals)
    s.setSingleStep(step)
    return s


def _spin(lo: int, hi: int) -> QSpinBox:
    s = QSpinBox()
    s.setRange(lo, hi)
    return s


class SettingsDialog(QDialog):
    """Edit a :class:`TrainConfig`; ``config()`` returns the edited copy (validated on OK)."""

    def __init__(self, config: TrainConfig, devices: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Training settings — recipe '{config.recipe}'")
        self._base = config

        self.dataset = QComboBox()
        self.dataset.addItems(list(DATASET_NAMES))
        self.data_root = QLineEdit()
        self.data_root.setPlaceholderText("default location")
        browse = QPushButton("…")
        browse.clicked.connect(self._browse)
        root_row = QHBoxLayout()
        root_row.addWidget(self.data_root, 1)
        root_row.addWidget(browse)
        self.model = QComboBox()
        self.model.addItems(["paper", "torchvision"])
        self.device = QComboBox()
        self.device.addItems(devices)
        self.compile_lrn = QCheckBox("compile the LRN (CUDA: ~15 % faster)")
        self.compile_lrn.setToolTip("torch.compile fuses each LRN layer's passes into one GPU kernel for the training "
                                    "batch, after 15-45 s of compiling at the start; other devices ignore it. Worth it "
                                    "for runs of more than a few minutes.")

        self.lr = _dspin(0.0, 10.0, 6, 0.001)
        self.batch = _spin(0, 8192)
        self.epochs = _spin(0, 10_000)
        self.max_steps = _spin(0, 10_000_000)
        self.max_steps.setSpecialValueText("no limit")
        self.input_size = _spin(16, 512)
        self.momentum = _dspin(0.0, 0.999, 3, 0.05)
        self.wd = _dspin(0.0, 0.1, 6, 0.0001)
        self.schedule = QComboBox()
        self.schedule.addItems(list(SCHEDULES))
        self.seed = _spin(0, 2**31 - 1)
        self.lighting = _dspin(0.0, 1.0, 3, 0.05)
        self.flip = QCheckBox("random horizontal flips")
        self.ten_crop = QCheckBox("validate on the ten crops")

        self.lrn = QCheckBox("local response normalisation (after conv1 and conv2)")
        self.overlap = QCheckBox("overlapping pooling (3×3 stride 2; off: 2×2 stride 2)")
        self.tanh = QCheckBox("tanh instead of ReLU")
        self.towers = QComboBox()
        self.towers.addItem("two towers (grouped conv2/4/5)", 2)
        self.towers.addItem("one tower", 1)
        self.init = QComboBox()
        self.init.addItem("paper: N(0, 0.01), biases 1", "paper")
        self.init.addItem("He (Kaiming): fast start", "kaiming")
        self.lrn_conv = QComboBox()
        self.lrn_conv.addItem("paper (α as written)", "paper")
        self.lrn_conv.addItem("PyTorch (α / n)", "pytorch")

        data = QFormLayout()
        data.addRow("Data set", self.dataset)
        data.addRow("Data folder", root_row)
        data.addRow("Model", self.model)
        data.addRow("Device", self.device)
        data.addRow("", self.compile_lrn)
        data.addRow("Input size (px)", self.input_size)
        opt = QFormLayout()
        opt.addRow("Learning rate", self.lr)
        opt.addRow("Batch size", self.batch)
        opt.addRow("Epochs", self.epochs)
        opt.addRow("Max steps", self.max_steps)
        opt.addRow("Momentum", self.momentum)
        opt.addRow("Weight decay", self.wd)
        opt.addRow("LR schedule", self.schedule)
        opt.addRow("PCA lighting σ", self.lighting)
        opt.addRow("", self.flip)
        opt.addRow("", self.ten_crop)
        opt.addRow("Seed", self.seed)
        abl = QFormLayout()
        abl.addRow(self.lrn)
        abl.addRow("LRN convention", self.lrn_conv)
        abl.addRow(self.overlap)
        abl.addRow(self.tanh)
        abl.addRow("Towers", self.towers)
        abl.addRow("Initialisation", self.init)

        boxes = QHBoxLayout()
        for title, form in (("Data and model", data), ("Optimisation", opt), ("Paper ablations (paper model)", abl)):
            g = QGroupBox(title)
            g.setLayout(form)
            boxes.addWidget(g)
        self.problem = QLabel("")
        self.problem.setStyleSheet("QLabel { color: #a01020; }")
        self.problem.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel |
                                   QDialogButtonBox.StandardButton.RestoreDefaults)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults).clicked.connect(self._restore)
        lay = QVBoxLayout(self)
        lay.addLayout(boxes)
        lay.addWidget(self.problem)
        lay.addWidget(buttons)
        self._load(config)

    def _load(self, c: TrainConfig) -> None:
        """Show ``c``'s values in the widgets."""
        self._base = c
        self.dataset.setCurrentText(c.dataset)
        self.data_root.setText(c.data_root or "")
        self.model.setCurrentText(c.model)
        self.device.setCurrentText(c.device if self.device.findText(c.device) >= 0 else "auto")
        self.lr.setValue(c.lr)
        self.batch.setValue(c.batch_size)
        self.epochs.setValue(c.epochs)
        self.max_steps.setValue(c.max_steps or 0)
        self.input_size.setValue(c.input_size)
        self.momentum.setValue(c.momentum)
        self.wd.setValue(c.weight_decay)
        self.schedule.setCurrentText(c.schedule)
        self.seed.setValue(c.seed)
        self.lighting.setValue(c.lighting)
        self.flip.setChecked(c.flip)
        self.compile_lrn.setChecked(c.compile_lrn)
        self.ten_crop.setChecked(c.ten_crop_val)
        o = c.model_options
        self.lrn.setChecked(o.get("lrn", True))
        self.overlap.setChecked(o.get("overlapping_pool", True))
        self.tanh.setChecked(o.get("activation", "relu") == "tanh")
        self.towers.setCurrentIndex(0 if o.get("towers", 2) == 2 else 1)
        self.init.setCurrentIndex(0 if o.get("init", "paper") == "paper" else 1)
        self.lrn_conv.setCurrentIndex(0 if o.get("lrn_convention", "paper") == "paper" else 1)
        self.problem.setText("")

    def _browse(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Data folder", self.data_root.text())
        if path:
            self.data_root.setText(path)

    def _restore(self) -> None:
        from train_backend.recipes import RECIPES

        self._load(RECIPES[self._base.recipe]() if self._base.recipe in RECIPES else TrainConfig())

    def config(self) -> TrainConfig:
        opts = dict(self._base.model_options)
        opts.update(lrn=self.lrn.isChecked(), overlapping_pool=self.overlap.isChecked(),
                    activation="tanh" if self.tanh.isChecked() else "relu", towers=self.towers.currentData(),
                    init=self.init.currentData(), lrn_convention=self.lrn_conv.currentData())
        cfg = self._base.replace(
            dataset=self.dataset.currentText(), model=self.model.currentText(), device=self.device.currentText(),
            lr=self.lr.value(), batch_size=self.batch.value(), epochs=self.epochs.value(),
            input_size=self.input_size.value(), momentum=self.momentum.value(), weight_decay=self.wd.value(),
            schedule=self.schedule.currentText(), seed=self.seed.value(), lighting=self.lighting.value(),
            flip=self.flip.isChecked(), ten_crop_val=self.ten_crop.isChecked(),
            compile_lrn=self.compile_lrn.isChecked())
        cfg.model_options = opts if cfg.model == "paper" else {k: v for k, v in opts.items() if k == "dropout"}
        cfg.data_root = self.data_root.text().strip() or None
        cfg.max_steps = self.max_steps.value() or None
        return cfg

    def accept(self) -> None:
        try:
            self.config().validate()
        except ConfigError as err:
            self.problem.setText(str(err))
            return
        super().accept()
