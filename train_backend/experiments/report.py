"""An experiment's results and its report: per arm the final errors (mean and spread over seeds), steps and time to
the target, the difference between the arms, the paper's figure beside it and whether the direction agrees; written
as ``report.json``, ``report.md`` and ``curves.png`` (drawn with PIL: no plotting library).

Torch-free: the panel fills its table with :func:`build_report` from the results the worker sends.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from ..i18n import QT_TRANSLATE_NOOP, joined
from ..io.atomic import write_atomic
from ..paper_results import report_tables_markdown
from .registry import Experiment

#: the training error a step reports is one batch's; the curves and the time to a target use the mean over this
#: many step reports (20 batches of 128 = 2,560 images)
SMOOTH_STEPS = 20

DATASET_NOTES = {
    "cifar10": QT_TRANSLATE_NOOP("Experiments", "CIFAR-10 (found on this machine): the paper's own small data set "
                                                "(Figure 1 and its LRN note), 32 px colour images, 10 classes"),
    "fashion-mnist": QT_TRANSLATE_NOOP("Experiments", "Fashion-MNIST: CIFAR-10 is not on this machine and the real "
                                                      "Fashion-MNIST is; 28 px grey images, 10 classes"),
    "synthetic": QT_TRANSLATE_NOOP("Experiments", "the generated shapes: neither CIFAR-10 nor Fashion-MNIST is on "
                                                  "this machine; 8 easy classes"),
}
MAGNITUDE_NOTE = (QT_TRANSLATE_NOOP("Experiments", "The paper's differences are for ImageNet (1,000 classes, 1.2 "
                                                   "million 224 px images, about 90 epochs on two GPUs); these runs "
                                                   "use a small data set with 10 or fewer classes for a short budget, "
                                                   "so top-5 error is near zero, differences of a few tenths of a "
                                                   "point are within the seed-to-seed spread, and only the direction "
                                                   "can be compared, not the magnitude."))


@dataclass(frozen=True)
class ArmResult:
    """One arm's run with one seed: how it ended and what it measured (plain Python: crosses threads)."""

    arm: str
    label: str
    seed: int
    run_dir: str
    reason: str  # the engine's TrainEnd reason: max_steps, time_budget, finished, stopped, diverged, error, ...
    message: str
    steps: int
    train_time_s: float
    val_top1: float | None = None  # the last validation's errors
    val_top5: float | None = None
    train_error: float | None = None  # the mean training error over the last SMOOTH_STEPS step reports
    steps_to_target: int | None = None
    time_to_target_s: float | None = None
    curve_steps: tuple[int, ...] = ()
    curve_train_error: tuple[float, ...] = ()  # smoothed
    val_steps: tuple[int, ...] = ()
    val_top1s: tuple[float, ...] = ()

    @property
    def complete(self) -> bool:
        """It trained its whole budget (a stopped, diverged or failed run is not compared)."""
        return self.reason in ("max_steps", "time_budget", "finished")


class ArmRecorder:
    """Collects one run's step reports and validations into an :class:`ArmResult` (engine-free: fed by a hook)."""

    def __init__(self, target: float | None = None) -> None:
        self.target = target
        self.steps: list[int] = []
        self.errors: list[float] = []
        self.smoothed: list[float] = []
        self.times: list[float] = []
        self.val_steps: list[int] = []
        self.val_top1: list[float] = []
        self.val_top5: list[float] = []
        self.steps_to_target: int | None = None
        self.time_to_target: float | None = None

    def add_step(self, step: int, top1_accuracy: float, elapsed_s: float) -> None:
        self.steps.append(step)
        self.errors.append(1.0 - top1_accuracy)
        window = self.errors[-SMOOTH_STEPS:]
        smooth = sum(window) / len(window)
        self.smoothed.append(smooth)
        self.times.append(elapsed_s)
        # a full window first: one lucky batch does not reach the target
        if self.target is not None and self.steps_to_target is None and len(window) == SMOOTH_STEPS \
                and smooth <= self.target:
            self.steps_to_target, self.time_to_target = step, elapsed_s

    def add_validation(self, step: int, top1_error: float, top5_error: float) -> None:
        self.val_steps.append(step)
        self.val_top1.append(top1_error)
        self.val_top5.append(top5_error)

    def result(self, arm: str, label: str, seed: int, run_dir: str, reason: str, message: str, steps: int,
               train_time_s: float, max_points: int = 400) -> ArmResult:
        every = max(1, math.ceil(len(self.steps) / max_points))
        return ArmResult(
            arm, label, seed, run_dir, reason, message, steps, train_time_s,
            self.val_top1[-1] if self.val_top1 else None, self.val_top5[-1] if self.val_top5 else None,
            self.smoothed[-1] if self.smoothed else None, self.steps_to_target, self.time_to_target,
            tuple(self.steps[::every]), tuple(self.smoothed[::every]), tuple(self.val_steps), tuple(self.val_top1))


def _stats(values: Sequence[float | None]) -> dict[str, Any]:
    """Mean and spread (sample standard deviation; 0 with one seed) of the values that exist."""
    xs = [float(v) for v in values if v is not None]
    if not xs:
        return {"mean": None, "spread": None, "n": 0}
    return {"mean": float(np.mean(xs)), "spread": float(np.std(xs, ddof=1)) if len(xs) > 1 else 0.0, "n": len(xs)}


@dataclass
class ReportMeta:
    """What the report says about how it was run."""

    dataset: str
    dataset_note: str
    steps: int | None
    time_budget_s: float | None
    seeds: tuple[int, ...]
    device: str = ""
    planned: int = 0  # runs planned (arms x seeds)
    stopped_early: bool = False
    configs: dict[str, dict] = field(default_factory=dict)  # arm key -> its (seed 0's) config
    num_classes: int = 0  # top-5 is not reported below TOP5_MIN_CLASSES
    fairness: dict | None = None  # fairness.map_check: every shared layer's maps in every arm
    paper_setup: bool = False  # --paper-setup: the paper's init, optimizer and precision
    differences: list = field(default_factory=list)  # setup_differences
    sweep: dict | None = None  # the learning-rate sweep (relu-vs-tanh)
    member_probs: list = field(default_factory=list)  # an ensemble's members' (softmax, labels), not reported
    ensemble: list = field(default_factory=list)  # per seed: the averaged softmax's errors


#: below this many classes top-5 error says nothing (it is near zero for every arm) and is not reported
TOP5_MIN_CLASSES = 20


def precision_text(cfg: dict, device: str) -> str:
    if device == "cuda" and cfg.get("amp"):
        return "bf16 autocast (amp)"
    if device == "cpu" and cfg.get("cpu_bf16"):
        return "bf16 autocast where the CPU computes bf16 (cpu_bf16), else fp32"
    return "fp32"


def setup_differences(experiment: Experiment, cfg: dict, dataset: str, num_classes: int, device: str,
                      steps: int | None, time_budget_s: float | None) -> list[dict[str, str]]:
    """Every way this experiment's set-up differs from the paper's, one row each: aspect, the paper's, ours."""
    opts = cfg.get("model_options", {})
    init = opts.get("init", "paper") if cfg.get("model") == "paper" else f"{cfg.get('model')}'s default"
    init_text = {"paper": "N(0, 0.01); biases 1 in conv2, conv4, conv5, fc6, fc7",
                 "kaiming": "He (kaiming) normal, biases 0"}.get(init, init)
    budget = f"{steps} steps" if steps else (f"{time_budget_s:g} s of training" if time_budget_s else
                                              f"{cfg.get('epochs')} epochs")
    schedule = {"cosine": f"cosine from lr {cfg.get('lr'):g} over the budget",
                "constant": f"constant lr {cfg.get('lr'):g}",
                "plateau": f"lr {cfg.get('lr'):g} / 10 on a plateau", "step": f"lr {cfg.get('lr'):g} step"
                }.get(cfg.get("schedule"), cfg.get("schedule"))
    if cfg.get("warmup_steps"):
        schedule += f", {cfg['warmup_steps']}-step warm-up"
    ours = {
        "data": f"{dataset}: {num_classes} classes",
        "input size": f"{cfg.get('input_size')} px, {cfg.get('channels')} channels",
        "inputs": {"mean-image": "0-255 RGB minus the training set's mean image",
                   "mean-pixel": "0-255 RGB minus the training set's mean pixel"}.get(
            cfg.get("pixels", "standardised"), "(x / 255 - mean) / std") if cfg.get("normalize", True)
        else "x / 255, not centred",
        "init": init_text,
        "optimizer": ("the paper's update rule" if cfg.get("optimizer") == "paper" else "PyTorch SGD") +
                     f", momentum {cfg.get('momentum'):g}, weight decay {cfg.get('weight_decay'):g}; "
                     f"batch {cfg.get('batch_size')}",
        "schedule": schedule,
        "steps": budget,
        "precision": precision_text(cfg, device),
    }
    return [{"aspect": k, "paper": v, "ours": ours[k]} for k, v in experiment.setup.items() if k in ours]


def build_report(experiment: Experiment, results: Sequence[ArmResult], meta: ReportMeta) -> dict[str, Any]:
    """The report as plain data: every arm's summary, the comparison with the paper's claim, every run."""
    claim = experiment.claim
    arms = []
    for arm in experiment.arms:
        if experiment.members and arm is experiment.arms[0]:  # the ensemble: its members' averaged softmax
            e = meta.ensemble
            arms.append({"key": arm.key, "label": arm.label, "value": arm.value,
                         "seeds_done": [x["seed"] for x in e], "top1_error": _stats([x["top1_error"] for x in e]),
                         "top5_error": _stats([x["top5_error"] for x in e]), "train_error": _stats([]),
                         "gap": _stats([]), "steps": _stats([]), "train_time_s": _stats([]),
                         "steps_to_target": None, "time_to_target_s": None, "reached_target": None})
            continue
        runs = [r for r in results if r.arm == arm.key and r.complete]
        gaps = [r.val_top1 - r.train_error for r in runs if r.val_top1 is not None and r.train_error is not None]
        reached = [r for r in runs if r.steps_to_target is not None]
        arms.append({
            "key": arm.key, "label": arm.label, "value": arm.value, "seeds_done": [r.seed for r in runs],
            "top1_error": _stats([r.val_top1 for r in runs]), "top5_error": _stats([r.val_top5 for r in runs]),
            "train_error": _stats([r.train_error for r in runs]), "gap": _stats(gaps),
            "steps": _stats([r.steps for r in runs]), "train_time_s": _stats([r.train_time_s for r in runs]),
            "steps_to_target": _stats([r.steps_to_target for r in reached]) if claim.target is not None else None,
            "time_to_target_s": _stats([r.time_to_target_s for r in reached]) if claim.target is not None else None,
            "reached_target": f"{len(reached)}/{len(runs)}" if claim.target is not None else None,
        })
    comparison = compare(experiment, arms, results)
    return {
        "experiment": experiment.name, "title": experiment.title, "description": experiment.description,
        "setting": experiment.setting, "claim": asdict(claim),
        "data": {"dataset": meta.dataset, "why": meta.dataset_note, "magnitudes": MAGNITUDE_NOTE},
        "budget": {"steps": meta.steps, "time_budget_s": meta.time_budget_s, "seeds": list(meta.seeds),
                   "per": "arm and seed", "device": meta.device},
        "complete": len([r for r in results if r.complete]) == meta.planned and not meta.stopped_early,
        "runs_planned": meta.planned,
        "arms": arms, "comparison": comparison,
        "runs": [{k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(r).items()} for r in results],
        "configs": meta.configs,
        "num_classes": meta.num_classes, "top5_informative": meta.num_classes >= TOP5_MIN_CLASSES,
        "fairness": meta.fairness, "paper_setup": meta.paper_setup, "differences": meta.differences,
        "sweep": meta.sweep, "ensemble": meta.ensemble,
    }


def steps_to_level(run: ArmResult, level: float) -> int | None:
    """The first step at which a run's smoothed training error is at ``level`` or below."""
    return next((s for s, e in zip(run.curve_steps, run.curve_train_error) if e <= level), None)


def compare(experiment: Experiment, arms: list[dict], results: Sequence[ArmResult] = ()) -> dict[str, Any]:
    """The paper's arm against the other (the first two arms; with more, each other arm too), and whether the
    direction, and where the paper gives one the magnitude, agree with the paper."""
    claim, a, b = experiment.claim, arms[0], arms[1]
    out: dict[str, Any] = {"paper_arm": a["key"], "other_arm": b["key"], "kind": claim.kind, "agrees": None}

    def diff(key: str) -> float | None:
        x, y = a[key]["mean"], b[key]["mean"]
        return None if x is None or y is None else x - y

    out["top1_difference"], out["top5_difference"] = diff("top1_error"), diff("top5_error")
    if claim.kind == "error":
        out["paper_top1_difference"], out["paper_top5_difference"] = claim.top1, claim.top5
        d = out["top1_difference"]
        out["agrees"] = None if d is None else d < 0
        out["statement"] = "lower top-1 error with the paper's choice"
    elif claim.kind == "speed":
        sa, sb = a["steps_to_target"]["mean"], b["steps_to_target"]["mean"]
        longest = b["steps"]["mean"]
        out["paper_ratio"] = claim.ratio
        out["target"] = claim.target
        if sa is None:
            out["ratio"], out["ratio_is_lower_bound"] = None, False
        elif sb is None:  # the other arm never got there: the ratio is at least its whole budget over ours
            out["ratio"] = None if longest is None else longest / sa
            out["ratio_is_lower_bound"] = True
        else:
            out["ratio"], out["ratio_is_lower_bound"] = sb / sa, False
        ta, tb = a["time_to_target_s"]["mean"], b["time_to_target_s"]["mean"]
        out["time_ratio"] = tb / ta if ta and tb else None
        out["agrees"] = None if out["ratio"] is None else out["ratio"] > 1
        # magnitude: within a factor of two of the paper's ratio (a 1.07x speed-up does not agree with 6x)
        r = out["ratio"]
        out["magnitude_agrees"] = None if r is None else (
            (r >= claim.ratio / 2 if out["ratio_is_lower_bound"] else claim.ratio / 2 <= r <= claim.ratio * 2))
        out["statement"] = f"the paper's arm reaches {100 * claim.target:.0f} % training error sooner"
    else:  # overfitting: the gap between validation and training error
        ga, gb = a["gap"]["mean"], b["gap"]["mean"]
        out["gap_difference"] = None if ga is None or gb is None else ga - gb
        out["agrees"] = None if out["gap_difference"] is None else out["gap_difference"] < 0
        out["statement"] = "a smaller gap between validation and training error with the paper's choice"
        if claim.ratio is not None:  # dropout: the steps each arm needs to converge
            finals = [x["train_error"]["mean"] for x in arms[:2]]
            level = max(finals) if None not in finals else None
            out["converge_level"] = level
            for key, arm in (("paper_steps_to_converge", a), ("other_steps_to_converge", b)):
                runs = [r for r in results if r.arm == arm["key"] and r.complete]
                found = [steps_to_level(r, level) for r in runs] if level is not None else []
                out[key] = float(np.mean(found)) if found and None not in found else None
            pa, pb = out["paper_steps_to_converge"], out["other_steps_to_converge"]
            out["converge_ratio"] = pa / pb if pa and pb else None
            out["paper_converge_ratio"] = claim.ratio
    if claim.kind == "error" and len(arms) > 2:
        out["others"] = [{"arm": x["key"], "label": x["label"],
                          "top1_difference": None if a["top1_error"]["mean"] is None or x["top1_error"]["mean"] is None
                          else a["top1_error"]["mean"] - x["top1_error"]["mean"]} for x in arms[1:]]
    return out


# ------------------------------------------------------------------------------------------------ text


def pct(x: float | None, signed: bool = False) -> str:
    if x is None:
        return "–"
    return f"{100 * x:+.2f}" if signed else f"{100 * x:.2f}"


def stat_text(s: dict | None, scale: float = 100.0, digits: int = 2) -> str:
    """"mean ± spread" (percent by default) or "–"."""
    if not s or s["mean"] is None:
        return "–"
    text = f"{scale * s['mean']:.{digits}f}"
    return text + (f" ± {scale * s['spread']:.{digits}f}" if s["n"] > 1 else "")


def budget_text(report: dict) -> str:
    b = report["budget"]
    what = f"{b['steps']} steps" if b["steps"] else (f"{b['time_budget_s']:g} s of training" if b["time_budget_s"]
                                                     else "the recipe's epochs")
    seeds = ", ".join(map(str, b["seeds"]))
    return f"{what} per arm and seed (seeds {seeds})" + (f", on {b['device']}" if b.get("device") else "")


def verdict_text(comparison: dict) -> str:
    agrees = comparison["agrees"]
    unmeasured = QT_TRANSLATE_NOOP("Experiments", "not measured")
    text = QT_TRANSLATE_NOOP("Experiments", "yes") if agrees else \
        QT_TRANSLATE_NOOP("Experiments", "no") if agrees is False else unmeasured
    if "magnitude_agrees" in comparison:
        m = comparison["magnitude_agrees"]
        magnitude = QT_TRANSLATE_NOOP("Experiments", "yes (within 2x of the paper's)") if m else \
            QT_TRANSLATE_NOOP("Experiments", "no (not within 2x of the paper's)") if m is False else unmeasured
        text = QT_TRANSLATE_NOOP("Experiments", "direction {direction}; magnitude {magnitude}").format(
            direction=text, magnitude=magnitude)
    return text


def comparison_text(report: dict) -> tuple[str, str]:
    """(what was measured, the paper's figure) as short strings, for the table and the panel."""
    c, claim = report["comparison"], report["claim"]
    if c["kind"] == "error":
        top1 = QT_TRANSLATE_NOOP("Experiments", "top-1 {top1} points")
        if not report.get("top5_informative", True) or claim["top5"] is None:
            versus = QT_TRANSLATE_NOOP("Experiments", "vs {arm}: {top1}")
            parts = [top1.format(top1=pct(c["top1_difference"], True))]
            parts += [versus.format(arm=o["label"], top1=pct(o["top1_difference"], True))
                      for o in c.get("others", [])[1:]]
            return joined("; ", parts), top1.format(top1=pct(claim["top1"], True))
        both = QT_TRANSLATE_NOOP("Experiments", "top-1 {top1} / top-5 {top5} points")
        return (both.format(top1=pct(c["top1_difference"], True), top5=pct(c["top5_difference"], True)),
                both.format(top1=pct(claim["top1"], True), top5=pct(claim["top5"], True)))
    if c["kind"] == "speed":
        if c["ratio"] is None:
            measured = QT_TRANSLATE_NOOP("Experiments", "the paper's arm did not reach the target")
        else:
            a, b = (next(x["label"] for x in report["arms"] if x["key"] == c[k]) for k in ("paper_arm", "other_arm"))
            took = QT_TRANSLATE_NOOP("Experiments", "{other} took ≥ {ratio:.2f}× the steps of {paper}") \
                if c["ratio_is_lower_bound"] else \
                QT_TRANSLATE_NOOP("Experiments", "{other} took {ratio:.2f}× the steps of {paper}")
            measured = took.format(other=b, ratio=c["ratio"], paper=a)
            if c.get("time_ratio"):
                measured = QT_TRANSLATE_NOOP("Experiments", "{measured} ({ratio:.2f}× the time)").format(
                    measured=measured, ratio=c["time_ratio"])
        sooner = QT_TRANSLATE_NOOP("Experiments", "{ratio:g}× sooner to {target:.0f} % training error")
        return measured, sooner.format(ratio=claim["ratio"], target=100 * claim["target"])
    measured = QT_TRANSLATE_NOOP("Experiments", "gap {gap} points (val − train error, paper's arm minus other)").format(
        gap=pct(c.get("gap_difference"), True))
    paper = QT_TRANSLATE_NOOP("Experiments", "less overfitting (smaller val − train gap)")
    if "converge_ratio" in c:
        r = c["converge_ratio"]
        ratio = QT_TRANSLATE_NOOP("Experiments", "{ratio:.2f}× the other arm's").format(ratio=r) if r else \
            QT_TRANSLATE_NOOP("Experiments", "not measured")
        measured = QT_TRANSLATE_NOOP("Experiments", "{measured}; steps to converge {ratio}").format(
            measured=measured, ratio=ratio)
        paper = QT_TRANSLATE_NOOP("Experiments", "{paper}; about {ratio:g}× the iterations to converge").format(
            paper=paper, ratio=c["paper_converge_ratio"])
    return measured, paper


def report_markdown(report: dict) -> str:
    lines = [f"# {report['title']} (`{report['experiment']}`)", "", report["description"] + ".", "",
             f"**The paper:** {report['claim']['text']}.", "",
             f"**Data:** {report['data']['why']}.  **Budget:** {budget_text(report)}.", ""]
    if not report["complete"]:
        lines += ["**Incomplete:** the experiment was stopped; only the runs that trained their whole budget are "
                  "summarised.", ""]
    target = report["claim"]["target"]
    head = ["arm", "value", "seeds", "top-1 error %", "top-5 error %", "train error %", "val − train %", "steps",
            "train time s"]
    if target is not None:
        head += [f"steps to {100 * target:.0f} %", f"time to {100 * target:.0f} % (s)", "reached"]
    lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    top5_ok = report.get("top5_informative", True)
    for a in report["arms"]:
        row = [a["label"], f"`{a['value']}`", str(len(a["seeds_done"])), stat_text(a["top1_error"]),
               stat_text(a["top5_error"]) if top5_ok else "n/a", stat_text(a["train_error"]), stat_text(a["gap"]),
               stat_text(a["steps"], 1, 0), stat_text(a["train_time_s"], 1, 1)]
        if target is not None:
            row += [stat_text(a["steps_to_target"], 1, 0), stat_text(a["time_to_target_s"], 1, 1),
                    a["reached_target"]]
        lines.append("| " + " | ".join(row) + " |")
    measured, paper = comparison_text(report)
    lines += ["", "| measured | the paper | direction agrees? |", "|---|---|---|",
              f"| {measured} | {paper} | {verdict_text(report['comparison'])} |", ""]
    if not top5_ok:
        lines += [f"Top-5 error is not reported: with {report.get('num_classes')} classes (fewer than "
                  f"{TOP5_MIN_CLASSES}) it is near zero for every arm and cannot tell them apart.", ""]
    if report.get("differences"):
        lines += ["How this set-up differs from the paper's" + (" (`--paper-setup`: the paper's init, optimizer and "
                                                                "precision)" if report.get("paper_setup") else "")
                  + ":", "", "| aspect | the paper | here |", "|---|---|---|"]
        lines += [f"| {d['aspect']} | {d['paper']} | {d['ours']} |" for d in report["differences"]] + [""]
    fair = report.get("fairness")
    if fair:
        keys = [a["key"] for a in report["arms"]]
        lines += [f"Map sizes, checked equal in every arm before training ({fair['input_size']} px input):", "",
                  "| layer | " + " | ".join(keys) + " |", "|---|" + "---|" * len(keys)]
        lines += ["| " + r["layer"] + " | " + " | ".join(r["maps"].get(k, "–") for k in keys) + " |"
                  for r in fair["layers"] if "x" in "".join(r["maps"].values())] + [""]
    sweep = report.get("sweep")
    if sweep:
        lines += [f"Learning rates by sweep ({sweep['budget']}): the training error at the end of each try, "
                  "the lowest kept.", "", "| arm | " + " | ".join(f"lr {r:g}" for r in sweep["rates"]) + " | chosen |",
                  "|---|" + "---|" * (len(sweep["rates"]) + 1)]
        for key, rows in sweep["tried"].items():
            by = {r["lr"]: r for r in rows}
            cells = [pct(by[r]["train_error"]) if r in by and by[r]["train_error"] is not None else
                     (by[r]["reason"] if r in by else "–") for r in sweep["rates"]]
            lines.append(f"| {key} | " + " | ".join(cells) + f" | {sweep['chosen'][key]:g} |")
        lines.append("")
    lines += [
              "Errors are on the validation split (a fixed subset when the config says so) after the budget; "
              "mean ± sample standard deviation over seeds.  The training error is the mean over the last "
              f"{SMOOTH_STEPS} batches.", "", MAGNITUDE_NOTE, ""]
    tables = report_tables_markdown(report["experiment"])
    if tables:
        lines += [tables]
    lines += ["Runs:", ""]
    for r in report["runs"]:
        lines.append(f"- `{r['run_dir']}`: {r['label']}, seed {r['seed']}: {r['reason']} ({r['message']})")
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------------------------------ picture

COLOURS = [(31, 119, 180), (214, 39, 40), (44, 160, 44), (148, 103, 189), (255, 127, 14), (23, 190, 207)]


def draw_curves(report: dict, size: tuple[int, int] = (960, 540)):
    """The arms' training error (smoothed, solid) and validation top-1 error (dots) against steps, one colour per
    arm, each seed a line; the target as a dashed line where there is one."""
    from PIL import Image, ImageDraw, ImageFont

    w, h = size
    left, right, top, bottom = 70, 20, 40, 60
    img = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(img)
    font = ImageFont.load_default()
    runs = report["runs"]
    xmax = max([max(r["curve_steps"] or [0]) for r in runs] + [max(r["val_steps"] or [0]) for r in runs] + [1])
    ys = [v for r in runs for v in r["curve_train_error"] + r["val_top1s"]]
    ymax = min(1.0, math.ceil(max(ys + [0.1]) * 1.05 * 10) / 10)  # a whole tenth: ticks at round percentages

    def px(x: float, y: float) -> tuple[float, float]:
        return (left + (w - left - right) * x / xmax, top + (h - top - bottom) * (1 - y / ymax))

    draw.rectangle([left, top, w - right, h - bottom], outline=(120, 120, 120))
    for i in range(6):
        y = ymax * i / 5
        _, yy = px(0, y)
        draw.line([left, yy, w - right, yy], fill=(230, 230, 230))
        draw.text((8, yy - 6), f"{100 * y:.0f} %", fill=(60, 60, 60), font=font)
        x = xmax * i / 5
        xx, _ = px(x, 0)
        draw.text((xx - 10, h - bottom + 6), f"{x:.0f}", fill=(60, 60, 60), font=font)
    draw.text((w // 2 - 20, h - bottom + 22), "step", fill=(0, 0, 0), font=font)
    draw.text((left, 10), f"{report['title']}: training error (line, last {SMOOTH_STEPS} batches) and validation "
                          f"top-1 error (dots) on {report['data']['dataset']}", fill=(0, 0, 0), font=font)
    target = report["claim"].get("target")
    if target is not None and target < ymax:
        _, yy = px(0, target)
        for x0 in range(left, w - right, 12):
            draw.line([x0, yy, min(x0 + 6, w - right), yy], fill=(90, 90, 90))
    keys = [a["key"] for a in report["arms"]]
    for r in runs:
        colour = COLOURS[keys.index(r["arm"]) % len(COLOURS)] if r["arm"] in keys else (0, 0, 0)
        points = [px(x, y) for x, y in zip(r["curve_steps"], r["curve_train_error"])]
        if len(points) > 1:
            draw.line(points, fill=colour, width=2)
        for x, y in zip(r["val_steps"], r["val_top1s"]):
            cx, cy = px(x, y)
            draw.ellipse([cx - 3, cy - 3, cx + 3, cy + 3], fill=colour)
    for i, a in enumerate(report["arms"]):
        x0 = left + 10 + 170 * i
        draw.line([x0, h - 14, x0 + 24, h - 14], fill=COLOURS[i % len(COLOURS)], width=3)
        draw.text((x0 + 30, h - 20), a["label"], fill=(0, 0, 0), font=font)
    return img


def write_report(out: str | Path, report: dict) -> dict[str, Path]:
    """``report.json``, ``report.md`` and ``curves.png`` in ``out``, each written atomically."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = {"json": out / "report.json", "md": out / "report.md", "png": out / "curves.png"}
    text = json.dumps(report, indent=2, default=str)
    write_atomic(paths["json"], lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))
    md = report_markdown(report)
    write_atomic(paths["md"], lambda tmp: Path(tmp).write_text(md, encoding="utf-8"))
    img = draw_curves(report)
    write_atomic(paths["png"], lambda tmp: img.save(tmp, format="PNG"))
    return paths
