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
from ..config import ConfigError
from ..i18n import QT_TRANSLATE_NOOP
from .fairness import map_check, refusal
from .registry import DATASET_PREFERENCE, Experiment, get_experiment
from .report import DATASET_NOTES, ArmRecorder, ArmResult, ReportMeta, build_report, setup_differences, write_report


def paper_setup_overrides(experiment: Experiment) -> dict[str, Any]:
    """``--paper-setup``: the paper's initialisation, inputs (0-255 RGB minus the training set's mean image), update
    rule (``optimizer="paper"``), batch, schedule and precision for experiments on its network (hours per arm on a
    CPU)."""
    base = experiment.base("synthetic")
    if base.model != "paper":
        return {}  # Figure 1's net: its set-up is already Figure 1's
    return {"model_options": {"init": "paper"}, "batch_size": 128, "lr": 0.01, "momentum": 0.9,
            "weight_decay": 5e-4, "warmup_steps": 0, "schedule": "plateau", "amp": False, "cpu_bf16": False,
            "optimizer": "paper", "pixels": "mean-image", "normalize": True}


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
    if spec is None:
        return QT_TRANSLATE_NOOP("Experiments", "{name}, the data set asked for").format(name=name)
    return QT_TRANSLATE_NOOP("Experiments", "{name}, the data set asked for ({description})").format(
        name=name, description=spec.description)


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
                   bundle: DatasetBundle | None = None, paper_setup: bool = False) -> dict:
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
    if paper_setup:
        extra = paper_setup_overrides(experiment)
        overrides = {**extra, **overrides,
                     "model_options": {**extra.get("model_options", {}), **overrides.get("model_options", {})}}
    if data_root:
        overrides["data_root"] = data_root
    if device:
        overrides["device"] = device
    if bundle is not None:
        ds_name, note = bundle.name, asked_note(bundle.name)
    else:
        ds_name, note, bundle = choose_dataset(dataset, data_root)
    if experiment.members:  # an ensemble: `members` runs per seed, all one config (the arms are how they are read)
        arm = experiment.arms[1]
        plans = [(arm, seed * experiment.members + i, experiment.config(arm, ds_name, seed * experiment.members + i,
                                                                        steps, time_budget_s, overrides))
                 for seed in seeds for i in range(experiment.members)]
    else:
        plans = [(arm, seed, experiment.config(arm, ds_name, seed, steps, time_budget_s, overrides))
                 for arm in experiment.arms for seed in seeds]
    for arm, seed, cfg in plans:  # every arm's config is checked before the first one trains
        cfg.validate()
    if bundle is None:
        bundle = load_dataset(ds_name, plans[0][2].data_root, **dataset_options(plans[0][2]))
    if experiment.colour and bundle.channels != 3:  # grey data stays grey: the arms would not differ at all
        raise ConfigError(f"the {experiment.name} experiment changes colours, but {ds_name} is grey "
                          f"({bundle.channels} channel): its arms would train exactly alike (PCA lighting leaves "
                          "grey images grey). Use colour data: --dataset cifar10, or a folder of colour images")
    # fair arms: every layer's maps equal in size in every arm, on the configured input, before anything trains
    fairness = map_check({arm.key: cfg for arm, seed, cfg in plans if seed == plans[0][1]}, bundle.num_classes)
    if not fairness["equal"]:
        raise ConfigError(refusal(experiment.name, fairness))
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    runs = tuple(ArmRun(experiment.name, arm.key, arm.label, seed, i, len(plans), str(out / f"{arm.key}-seed{seed}"))
                 for i, (arm, seed, _) in enumerate(plans))
    plan = ExperimentPlan(experiment.name, ds_name, note, runs, steps, time_budget_s)
    dev = resolve_device(plans[0][2].device)
    meta = ReportMeta(ds_name, note, steps, time_budget_s, seeds, device=device_name(dev), planned=len(plans),
                      configs={arm.key: cfg.to_dict() for arm, seed, cfg in plans if seed == plans[0][1]},
                      num_classes=bundle.num_classes, fairness=fairness, paper_setup=paper_setup)
    meta.differences = setup_differences(experiment, plans[0][2].to_dict(), ds_name, bundle.num_classes, dev.type,
                                         steps, time_budget_s)
    if experiment.sweep:
        chosen = sweep_learning_rates(experiment, plans, out, bundle, control, steps, time_budget_s, meta)
        for arm, seed, cfg in plans:
            cfg.lr = chosen[arm.key]
        meta.configs = {arm.key: cfg.to_dict() for arm, seed, cfg in plans if seed == plans[0][1]}
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
        if experiment.members and end.reason in ("max_steps", "time_budget", "finished"):
            meta.member_probs.append(member_probabilities(trainer))
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
    if experiment.members:
        meta.ensemble = ensemble_errors(meta.member_probs, seeds, experiment.members)
    report = build_report(experiment, results, meta)
    write_report(out, report)
    for cb in listeners:
        cb.on_experiment_end(report)
    return report


def sweep_learning_rates(experiment: Experiment, plans, out: Path, bundle: DatasetBundle, control: TrainControl,
                         steps: int | None, time_budget_s: float | None, meta: ReportMeta) -> dict[str, float]:
    """Each arm's learning rate by a short sweep (Figure 1: each network's rate "chosen independently to make
    training as fast as possible"): every rate of ``experiment.sweep`` trains a quarter of the budget with the first
    seed, and the rate with the lowest training error at the end (mean of the last batches) is kept.  The sweep's
    runs go to ``out/sweep/<arm>-lr<rate>/``; the report lists every rate tried."""
    chosen, tried = {}, {}
    for arm in experiment.arms:
        cfg0 = next(cfg for a, seed, cfg in plans if a.key == arm.key)
        rows = []
        for lr in experiment.sweep:
            if control.stop_requested:
                break
            cfg = cfg0.replace(lr=lr)
            cfg.max_steps = max(1, steps // 4) if steps else None
            cfg.time_budget_s = time_budget_s / 4 if time_budget_s else None
            cfg.val_every_steps = None
            recorder = ArmRecorder()
            trainer = Trainer(cfg, [_Record(recorder)], control, run_dir=str(out / "sweep" / f"{arm.key}-lr{lr:g}"),
                              bundle=bundle)
            end = trainer.run()
            error = recorder.smoothed[-1] if recorder.smoothed and end.reason != "diverged" else None
            rows.append({"lr": lr, "steps": end.step, "train_error": error, "reason": end.reason})
        done = [r for r in rows if r["train_error"] is not None and r["train_error"] == r["train_error"]]
        chosen[arm.key] = min(done, key=lambda r: r["train_error"])["lr"] if done else cfg0.lr
        tried[arm.key] = rows
    meta.sweep = {"rates": list(experiment.sweep), "tried": tried, "chosen": chosen,
                  "budget": "a quarter of each run's budget, first seed"}
    return chosen


def member_probabilities(trainer: Trainer):
    """The trained network's softmax on the validation images the runs validate on (its subset when it has one),
    through the run's own evaluation loop, and their labels: one member of an ensemble."""
    return trainer.evaluation.member_probabilities()


def ensemble_errors(members, seeds: Sequence[int], k: int) -> list[dict[str, Any]]:
    """Per seed, the top-1/top-5 error of the ``k`` members' averaged softmax (the ensemble arm)."""
    import numpy as np

    out = []
    for i, seed in enumerate(seeds):
        group = members[i * k:(i + 1) * k]
        if len(group) < k:
            break
        labels = group[0][1]
        if any(len(y) != len(labels) or (y != labels).any() for _, y in group):  # not one set of images
            raise ValueError("the ensemble's members were evaluated on different images; their softmax cannot "
                             "be averaged")
        probs = np.mean([p for p, _ in group], axis=0)
        top = np.argsort(-probs, axis=1)
        out.append({"seed": seed, "members": k, "top1_error": float(np.mean(top[:, 0] != labels)),
                    "top5_error": float(np.mean(~(top[:, :5] == labels[:, None]).any(axis=1)))})
    return out
