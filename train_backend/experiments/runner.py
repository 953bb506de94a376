"""Runs an experiment: every arm, for every seed, one after another, with the engine (``Trainer``), each into its
own run folder ``DIR/<arm>-seed<k>/`` (config.json, metrics.jsonl, last.pt, best.pt), then the report in ``DIR``.

Every arm gets the same data (loaded once), the same order and augmentation (both seeded by the run's seed), the
same seed and the same budget; the configs differ in the experiment's one setting.  A stop (the control's, which a
listener or Ctrl+C sets) ends the run in progress with its checkpoint, starts no other, and leaves a report of the
runs that finished.  The report is rewritten after every run, so a killed process leaves one too.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from ..data import DATASETS, DataError, DatasetBundle, load_dataset
from ..devices import device_name, resolve_device
from ..engine import Callback, Trainer, TrainControl
from ..engine.sampling import dataset_options
from ..recipes import ConfigError
from .registry import DATASET_PREFERENCE, Experiment, get_experiment
from .report import DATASET_NOTES, ArmRecorder, ArmResult, ReportMeta, build_report, write_report


@dataclass(frozen=True)
class ArmRun:
    """One run about to start: which arm and seed, its place in the plan and its folder."""

    experiment: str
    arm: str
    label: str
    seed: int
    index: int  # 0-based, over arms x seeds
    total: int
    run_dir: str


@dataclass(frozen=True)
class ExperimentPlan:
    experiment: str
    dataset: str
    dataset_note: str
    runs: tuple[ArmRun, ...]
    steps: int | None
    time_budget_s: float | None


class ExperimentCallback(Callback):
    """An engine listener that also hears the experiment's own events (all on the training thread)."""

    def on_experiment_start(self, plan: ExperimentPlan) -> None: ...
    def on_arm_start(self, run: ArmRun) -> None: ...
    def on_arm_end(self, run: ArmRun, result: ArmResult, report: dict) -> None: ...
    def on_experiment_end(self, report: dict) -> None: ...


class _Record(Callback):
    def __init__(self, recorder: ArmRecorder) -> None:
        self.recorder = recorder

    def on_batch_end(self, trainer, m) -> None:
        self.recorder.add_step(m.step, m.top1, m.elapsed_s)

    def on_validation_end(self, trainer, r) -> None:
        self.recorder.add_validation(r.step, r.top1_error, r.top5_error)


def asked_note(name: str) -> str:
    spec = DATASETS.get(name)
    return f"{name}, the data set asked for" + (f" ({spec.description})" if spec is not None else "")


def choose_dataset(requested: str | None = None, data_root: str | None = None) -> tuple[str, str, DatasetBundle | None]:
    """(name, why, the loaded bundle or None): the one asked for, else the first of CIFAR-10, Fashion-MNIST and
    the synthetic set that loads here (nothing is downloaded)."""
    if requested:
        key = requested.lower().replace("_", "-")
        key = next((s.name for s in DATASETS.values() if key in s.aliases), key)
        return key, asked_note(key), None
    for name in DATASET_PREFERENCE:
        try:
            bundle = load_dataset(name, data_root if name != "synthetic" else None)
        except (DataError, OSError):
            continue
        return name, DATASET_NOTES[name], bundle
    raise DataError("no data set could be loaded")  # the synthetic set always loads


def run_experiment(name: str | Experiment, out: str | os.PathLike, *, dataset: str | None = None,
                   data_root: str | None = None, steps: int | None = None, time_budget_s: float | None = None,
                   seeds: Sequence[int] = (0,), device: str | None = None, overrides: dict[str, Any] | None = None,
                   listeners: Sequence[ExperimentCallback] = (), control: TrainControl | None = None,
                   bundle: DatasetBundle | None = None) -> dict:
    """Run every arm of the experiment ``name`` for every seed into ``out`` and return the report (also written
    there).  Raises :class:`ConfigError` / :class:`DataError` before anything trains when the settings cannot
    work; a run that fails later is reported in the report, and the others still run."""
    experiment = get_experiment(name) if isinstance(name, str) else name
    if steps is not None and time_budget_s is not None:
        raise ConfigError("give a step budget or a time budget, not both")
    if steps is not None and steps < 1 or time_budget_s is not None and not time_budget_s > 0:
        raise ConfigError("the budget must be positive")
    seeds = tuple(dict.fromkeys(int(s) for s in seeds))
    if not seeds or min(seeds) < 0:
        raise ConfigError("give at least one seed, none negative")
    control = control or TrainControl()
    overrides = dict(overrides or {})
    if data_root:
        overrides["data_root"] = data_root
    if device:
        overrides["device"] = device
    if bundle is not None:
        ds_name, note = bundle.name, asked_note(bundle.name)
    else:
        ds_name, note, bundle = choose_dataset(dataset, data_root)
    plans = [(arm, seed, experiment.config(arm, ds_name, seed, steps, time_budget_s, overrides))
             for arm in experiment.arms for seed in seeds]
    for arm, seed, cfg in plans:  # every arm's config is checked before the first one trains
        cfg.validate()
    if bundle is None:
        bundle = load_dataset(ds_name, plans[0][2].data_root, **dataset_options(plans[0][2]))
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    runs = tuple(ArmRun(experiment.name, arm.key, arm.label, seed, i, len(plans), str(out / f"{arm.key}-seed{seed}"))
                 for i, (arm, seed, _) in enumerate(plans))
    plan = ExperimentPlan(experiment.name, ds_name, note, runs, steps, time_budget_s)
    dev = resolve_device(plans[0][2].device)
    meta = ReportMeta(ds_name, note, steps, time_budget_s, seeds, device=device_name(dev), planned=len(plans),
                      configs={arm.key: cfg.to_dict() for arm, seed, cfg in plans if seed == seeds[0]})
    for cb in listeners:
        cb.on_experiment_start(plan)
    results: list[ArmResult] = []
    report = build_report(experiment, results, meta)
    for run, (arm, seed, cfg) in zip(runs, plans):
        if control.stop_requested:
            meta.stopped_early = True
            break
        for cb in listeners:
            cb.on_arm_start(run)
        recorder = ArmRecorder(experiment.claim.target)
        trainer = Trainer(cfg, [_Record(recorder), *listeners], control, run_dir=run.run_dir, bundle=bundle)
        end = trainer.run()
        result = recorder.result(arm.key, arm.label, seed, run.run_dir, end.reason, end.message, end.step,
                                 trainer.state.elapsed_s)
        results.append(result)
        if end.reason == "stopped":
            meta.stopped_early = True
        report = build_report(experiment, results, meta)
        write_report(out, report)
        for cb in listeners:
            cb.on_arm_end(run, result, report)
        if end.reason == "config":  # the same settings will not work for the next arm either
            break
    report = build_report(experiment, results, meta)
    write_report(out, report)
    for cb in listeners:
        cb.on_experiment_end(report)
    return report
