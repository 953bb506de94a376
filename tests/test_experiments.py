"""The paper's experiments end to end on the synthetic set: every arm trains into its own run folder, the arms differ
in exactly one setting and see the same data in the same order, and the report holds them against the paper."""

import json

import pytest
import torch

from train_backend.cli import build_parser, main
from train_backend.data import TensorImages, load_dataset
from train_backend.data.synthetic import SyntheticShapes
from train_backend.engine import TrainControl
from train_backend.engine.sampling import EpochSampler
from train_backend.experiments import EXPERIMENTS, get_experiment
from train_backend.experiments.runner import ExperimentCallback, choose_dataset, run_experiment
from train_backend.models import build_model, count_parameters
from train_backend.config import ConfigError, TrainConfig

from .conftest import requires_fashion_mnist


def tiny_overrides(name: str) -> dict:
    """Tiny widths, batches and validations: seconds per experiment on a CPU."""
    model = get_experiment(name).base("synthetic").model
    options = {"width": 0.25, **({"hidden": 32} if model == "paper" else {})}
    return dict(model_options=options, batch_size=8, val_subset=16, val_every_steps=2, device="cpu",
                **({"input_size": 67} if model == "paper" else {}))


class RecordingShapes(SyntheticShapes):
    """The synthetic images, noting which index each training draw asked for, run by run."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.orders: list[list[int]] = []

    def __getitem__(self, i):
        if self.orders:
            self.orders[-1].append(i)
        return super().__getitem__(i)


class NewOrderPerRun(ExperimentCallback):
    def __init__(self, data: RecordingShapes) -> None:
        self.data = data
        self.started: list[tuple[str, int]] = []

    def on_arm_start(self, run) -> None:
        self.started.append((run.arm, run.seed))
        self.data.orders.append([])



def small_bundle(recording: bool = False):
    """48 training and 16 validation images of the synthetic shapes, held in memory as uint8 tensors (batches are
    augmented a batch at a time, as the experiments do on in-memory data), or, ``recording``, drawn image by image."""
    bundle = load_dataset("synthetic", n_train=48, n_val=16)
    if recording:
        bundle.train = RecordingShapes(48, 64, seed=0)
        return bundle
    for split in ("train", "val"):
        ds = getattr(bundle, split)
        pixels = torch.stack([ds[i][0] for i in range(len(ds))])
        setattr(bundle, split, TensorImages(pixels, torch.tensor(ds.targets)))
    return bundle


@pytest.mark.parametrize("name", [n for n, e in EXPERIMENTS.items() if not e.members])
def test_each_experiment_runs_every_arm_and_writes_its_report(name, tmp_path):
    exp = get_experiment(name)
    report = run_experiment(name, tmp_path, steps=3, bundle=small_bundle(), overrides=tiny_overrides(name))
    assert report["complete"] and report["experiment"] == name and len(report["arms"]) == len(exp.arms)
    for path in ("report.json", "report.md", "curves.png"):
        assert (tmp_path / path).stat().st_size > 0
    assert json.loads((tmp_path / "report.json").read_text())["comparison"]["kind"] == exp.claim.kind
    md = (tmp_path / "report.md").read_text()
    assert exp.title in md and "the paper" in md.lower() and "synthetic" in md
    configs = {}
    for arm in exp.arms:
        run = tmp_path / f"{arm.key}-seed0"
        assert {"config.json", "metrics.jsonl", "last.pt"} <= {p.name for p in run.iterdir()}
        records = [json.loads(line) for line in (run / "metrics.jsonl").read_text().splitlines()]
        assert [r["step"] for r in records if r["kind"] == "step"] == [1, 2, 3]
        assert any(r["kind"] == "validation" for r in records) and records[-1]["kind"] == "end"
        configs[arm.key] = json.loads((run / "config.json").read_text())
        if exp.on == "model":
            assert configs[arm.key]["model_options"][exp.setting] == arm.value
    first, *others = configs.values()
    for other in others:  # exactly one setting differs: the experiment's (and the lr its sweep chose)
        changed = {k for k in first if first[k] != other[k]} - ({"lr"} if exp.sweep else set())
        if exp.on == "model":
            assert changed == {"model_options"}
            a, b = first["model_options"], other["model_options"]
            assert {k for k in a.keys() | b.keys() if a.get(k) != b.get(k)} == {exp.setting}
        else:
            assert changed == (set(exp.arms[0].value) if isinstance(exp.arms[0].value, dict) else {exp.setting})
    # every report: the set-up's differences from the paper's, the maps checked equal, no top-5 with 8 classes
    assert {d["aspect"] for d in report["differences"]} >= {"data", "input size", "init", "schedule", "steps",
                                                            "precision"}
    assert report["fairness"]["equal"] and not report["top5_informative"]
    assert "How this set-up differs from the paper's" in md and "Top-5 error is not reported" in md
    for a in report["arms"]:
        assert a["top1_error"]["n"] == 1 and 0 <= a["top1_error"]["mean"] <= 1 and a["steps"]["mean"] == 3
    if exp.claim.kind == "error":
        c = report["comparison"]
        assert c["top1_difference"] == pytest.approx(report["arms"][0]["top1_error"]["mean"]
                                                     - report["arms"][1]["top1_error"]["mean"])
        assert c["paper_top1_difference"] == exp.claim.top1 and c["agrees"] == (c["top1_difference"] < 0)


def test_arms_see_the_same_images_in_the_same_order_and_seeds_change_it(tmp_path):
    bundle = small_bundle(recording=True)
    listener = NewOrderPerRun(bundle.train)
    report = run_experiment("overlap", tmp_path, steps=4, seeds=(0, 1), bundle=bundle,
                            overrides={**tiny_overrides("overlap"), "val_every_steps": None},
                            listeners=[listener])
    assert listener.started == [("overlap", 0), ("overlap", 1), ("no-overlap", 0), ("no-overlap", 1)]
    seed0, seed1, other0, other1 = bundle.train.orders
    assert seed0 == other0 and seed1 == other1 and seed0 != seed1
    assert seed0 == EpochSampler(48, 0, 0).order()[:len(seed0)] and len(seed0) == 4 * 8
    arm = report["arms"][0]
    assert arm["seeds_done"] == [0, 1] and arm["top1_error"]["n"] == 2 and arm["top1_error"]["spread"] >= 0
    assert "±" in (tmp_path / "report.md").read_text()


def test_a_stop_ends_the_run_under_way_and_leaves_a_report_of_what_finished(tmp_path):
    control = TrainControl()

    class StopInSecondArm(ExperimentCallback):
        arm = None

        def on_arm_start(self, run):
            self.arm = run.arm

        def on_batch_end(self, trainer, m):
            if self.arm == "no-lrn" and m.step == 2:
                control.stop()

    report = run_experiment("lrn", tmp_path, steps=5, seeds=(0,), bundle=small_bundle(),
                            overrides=tiny_overrides("lrn"), listeners=[StopInSecondArm()], control=control)
    assert not report["complete"]
    assert [(r["arm"], r["reason"], r["steps"]) for r in report["runs"]] == [("lrn", "max_steps", 5),
                                                                           ("no-lrn", "stopped", 2)]
    assert report["arms"][0]["seeds_done"] == [0] and report["arms"][1]["seeds_done"] == []
    assert report["comparison"]["agrees"] is None  # nothing to compare with
    assert "Incomplete" in (tmp_path / "report.md").read_text()
    assert (tmp_path / "no-lrn-seed0" / "last.pt").exists()  # the stopped run kept its checkpoint


def test_time_to_target_needs_a_full_window_under_the_target_and_the_ratio_is_held_against_six():
    """Steps to 25 % training error: the first step where the mean error of the last 20 batches is at or under it (one
    lucky batch does not count); the ratio is the other arm's steps over the paper arm's, a lower bound when the
    other arm never got there."""
    from train_backend.experiments.report import SMOOTH_STEPS, ArmRecorder, ReportMeta, build_report

    def run(arm, errors):
        rec = ArmRecorder(target=0.25)
        for step, e in enumerate(errors, 1):
            rec.add_step(step, 1 - e, elapsed_s=0.5 * step)
        rec.add_validation(len(errors), 0.3, 0.05)
        return rec.result(arm, arm, 0, f"/runs/{arm}-seed0", "max_steps", "reached", len(errors), 0.5 * len(errors))

    relu = run("relu", [0.0] * 3 + [0.5] * 7 + [0.2] * 50)  # under 25 % at step 3, but the window is not full
    tanh = run("tanh", [0.5] * 20 + [0.2] * 80)
    assert SMOOTH_STEPS == 20
    assert relu.steps_to_target == 27 and relu.time_to_target_s == 13.5  # 3 x 0.5 + 17 x 0.2 over 20 batches
    assert tanh.steps_to_target == 37
    exp = get_experiment("relu-vs-tanh")
    meta = ReportMeta("synthetic", "", 100, None, (0,), planned=2)
    c = build_report(exp, [relu, tanh], meta)["comparison"]
    assert c["ratio"] == pytest.approx(37 / 27) and not c["ratio_is_lower_bound"] and c["agrees"]
    assert c["paper_ratio"] == 6.0 and c["time_ratio"] == pytest.approx(18.5 / 13.5)
    never = run("tanh", [0.5] * 100)
    c = build_report(exp, [relu, never], meta)["comparison"]
    assert never.steps_to_target is None and c["ratio_is_lower_bound"] and c["ratio"] == pytest.approx(100 / 27)


def test_the_experiment_settings_cannot_be_overridden_or_budgets_mixed(tmp_path):
    with pytest.raises(ConfigError, match="sets lrn itself"):
        run_experiment("lrn", tmp_path, steps=1, bundle=small_bundle(), overrides={"model_options": {"lrn": False}})
    with pytest.raises(ConfigError, match="not both"):
        run_experiment("lrn", tmp_path, steps=1, time_budget_s=5, bundle=small_bundle())
    with pytest.raises(ConfigError, match="unknown experiment"):
        run_experiment("batchnorm", tmp_path, steps=1, bundle=small_bundle())
    with pytest.raises(ConfigError, match="learning rate"):  # every arm is checked before anything trains
        run_experiment("lrn", tmp_path, steps=1, bundle=small_bundle(), overrides={"lr": -1.0})
    assert not any(tmp_path.iterdir())


def test_the_figure1_net_is_cuda_convnets_four_layer_net():
    relu, tanh = build_model("convnet4", num_classes=10), build_model("convnet4", num_classes=10, activation="tanh")
    # conv 3->32 5x5, 32->32 5x5, 32->64 5x5, fc 64*4*4->10
    assert count_parameters(relu) == (3 * 32 * 25 + 32) + (32 * 32 * 25 + 32) + (32 * 64 * 25 + 64) + (1024 * 10 + 10)
    assert [n for n, m in relu.named_children() if isinstance(m, (torch.nn.Conv2d, torch.nn.Linear))] == \
        ["conv1", "conv2", "conv3", "fc8"]
    assert sum(isinstance(m, torch.nn.Tanh) for m in tanh.modules()) == 3 and \
        not any(isinstance(m, torch.nn.ReLU) for m in tanh.modules())
    assert relu(torch.zeros(2, 3, 32, 32)).shape == (2, 10)
    grey = build_model("convnet4", num_classes=10, in_channels=1, width=0.5)
    assert grey(torch.zeros(2, 1, 28, 28)).shape == (2, 10)
    with pytest.raises(ValueError, match="activation"):
        build_model("convnet4", activation="sigmoid")
    assert TrainConfig(model="convnet4", input_size=32, model_options={"activation": "tanh"}).problems() == []


def test_cli_runs_an_experiment_and_reports_on_stderr_and_stdout(tmp_path, capsys):
    out = tmp_path / "rt"
    assert main(["experiment", "relu-vs-tanh", "--dataset", "synthetic", "--steps", "2", "--seeds", "0",
                 "--device", "cpu", "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert "[1/2] ReLU, seed 0" in captured.err and "[2/2] tanh, seed 0" in captured.err
    assert "direction agrees" in captured.out and "6× sooner" in captured.out
    report = json.loads((out / "report.json").read_text())
    assert report["budget"]["steps"] == 2 and report["data"]["dataset"] == "synthetic"
    assert sorted(p.name for p in out.iterdir()) == ["curves.png", "relu-seed0", "report.json", "report.md",
                                                     "sweep", "tanh-seed0"]


@pytest.mark.parametrize("argv, problem", [
    (["experiment", "lrn", "--steps", "5", "--time-budget", "10", "--out", "x"], "not allowed with"),
    (["experiment", "lrn", "--steps", "0", "--out", "x"], "at least 1"),
    (["experiment", "lrn", "--time-budget", "-3", "--out", "x"], "positive number of seconds"),
    (["experiment", "lrn", "--seeds", "-1", "--out", "x"], "a seed must be at least 0"),
    (["experiment", "batchnorm", "--out", "x"], "invalid choice"),
    (["experiment", "lrn"], "--out"),
])
def test_cli_refuses_bad_arguments_with_a_message(argv, problem, capsys):
    with pytest.raises(SystemExit) as err:
        build_parser().parse_args(argv)
    assert err.value.code == 2 and problem in capsys.readouterr().err


def test_cli_parses_every_documented_argument():
    args = build_parser().parse_args(["experiment", "towers", "--dataset", "fashion-mnist", "--time-budget", "300",
                                      "--seeds", "0", "1", "2", "--out", "d"])
    assert (args.name, args.dataset, args.time_budget, args.steps, args.seeds, args.out) == \
        ("towers", "fashion-mnist", 300.0, None, [0, 1, 2], "d")


@requires_fashion_mnist
def test_the_data_set_is_cifar10_when_here_else_fashion_mnist():
    name, why, bundle = choose_dataset()
    if name == "cifar10":
        pytest.skip("CIFAR-10 is on this machine")
    assert name == "fashion-mnist" and "CIFAR-10 is not on this machine" in why and len(bundle.train) == 60_000


def test_alexnet_gui_list_shows_the_experiments(capsys):
    assert main(["list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)["experiments"]
    assert [e["name"] for e in listed] == list(EXPERIMENTS) == ["relu-vs-tanh", "lrn", "overlap", "towers", "dropout",
                                                                "lrn-cifar", "lighting", "augment", "depth", "ensemble"]
    assert {e["name"]: e["setting"] for e in listed}["towers"] == "towers"
    assert all(len(e["arms"]) >= 2 and e["paper"] for e in listed)  # depth: the full net and three without a layer
    assert main(["list"]) == 0 and "experiments (alexnet-gui experiment NAME):" in capsys.readouterr().out


def test_the_paper_ablations_train_the_papers_network_not_quicks_shortcuts():
    """quick drops dropout and trains in bf16 for speed; the LRN, overlap and towers arms compare the paper's network
    (dropout 0.5 on fc6 and fc7) in fp32, as README's figures were measured."""
    from train_backend.experiments.paper import alexnet_base

    cfg = alexnet_base("fashion-mnist")
    assert cfg.model_options["dropout"] == 0.5 and cfg.cpu_bf16 is False and cfg.input_size == 83


def test_overlap_is_refused_where_the_maps_differ_and_runs_where_they_are_equal(tmp_path):
    from train_backend.experiments.fairness import map_check

    exp = get_experiment("overlap")
    at = lambda size: {a.key: exp.config(a, "synthetic").replace(input_size=size) for a in exp.arms}  # noqa: E731
    check = map_check(at(83))
    assert not check["equal"] and check["problems"] == ["pool5: overlap 1x1, no-overlap 2x2"]
    assert map_check(at(99))["equal"] and map_check(at(227))["equal"]
    assert exp.base("synthetic").input_size == 99
    with pytest.raises(ConfigError, match="pool5"):
        run_experiment("overlap", tmp_path / "refused", steps=1, bundle=small_bundle(),
                       overrides={**tiny_overrides("overlap"), "input_size": 83})
    assert not (tmp_path / "refused" / "overlap-seed0").exists()  # refused before anything trained


def test_the_sweep_picks_each_arms_lr_and_the_report_records_it(tmp_path):
    report = run_experiment("relu-vs-tanh", tmp_path, steps=8, bundle=small_bundle(),
                            overrides=tiny_overrides("relu-vs-tanh"))
    sweep = report["sweep"]
    assert set(sweep["tried"]) == {"relu", "tanh"} and sweep["rates"] == list(get_experiment("relu-vs-tanh").sweep)
    for arm, rows in sweep["tried"].items():
        best = min((r for r in rows if r["train_error"] is not None), key=lambda r: r["train_error"])
        assert sweep["chosen"][arm] == best["lr"] == report["configs"][arm]["lr"]
        assert all(r["steps"] == 2 for r in rows)  # a quarter of the budget
    assert "Learning rates by sweep" in (tmp_path / "report.md").read_text()


def test_speed_magnitude_and_dropout_convergence_are_judged():
    from train_backend.experiments.report import ArmResult, ReportMeta, build_report, verdict_text

    exp = get_experiment("relu-vs-tanh")
    meta = ReportMeta("synthetic", "", 100, None, (0,), planned=2, num_classes=10)

    def run(arm, to_target, curve=()):
        return ArmResult(arm, arm, 0, "", "max_steps", "", 100, 1.0, 0.5, 0.1, 0.2, to_target, float(to_target or 1),
                         tuple(range(len(curve))), tuple(curve))

    report = build_report(exp, [run("relu", 100), run("tanh", 107)], meta)
    c = report["comparison"]
    assert c["agrees"] and c["magnitude_agrees"] is False and "magnitude no" in verdict_text(c)
    report = build_report(exp, [run("relu", 10), run("tanh", 60)], meta)
    assert report["comparison"]["magnitude_agrees"] and "magnitude yes" in verdict_text(report["comparison"])
    drop = get_experiment("dropout")
    fast, slow = [0.9, 0.5, 0.3, 0.2, 0.2], [0.9, 0.8, 0.6, 0.45, 0.3]
    report = build_report(drop, [run("dropout", None, slow), run("no-dropout", None, fast)], meta)
    c = report["comparison"]
    # both arms' final training error is 0.2 (ArmResult.train_error): dropout needs its curve to get there
    assert c["paper_converge_ratio"] == 2.0 and "steps to converge" in " ".join(
        __import__("train_backend.experiments.report", fromlist=["x"]).comparison_text(report))


def test_the_ensemble_averages_its_members_softmax(tmp_path):
    from dataclasses import replace

    exp = replace(get_experiment("ensemble"), name="ensemble", members=2)
    # a validation subset (8 of the 16 images): every member validates on the same 8, whatever its seed
    report = run_experiment(exp, tmp_path, steps=3, bundle=small_bundle(),
                            overrides={**tiny_overrides("ensemble"), "val_subset": 8})
    assert report["complete"] and [r["seed"] for r in report["runs"]] == [0, 1]
    assert {r["arm"] for r in report["runs"]} == {"single"}
    ens, single = report["arms"]
    assert ens["key"] == "ensemble" and ens["top1_error"]["n"] == 1 and single["top1_error"]["n"] == 2
    assert 0 <= ens["top1_error"]["mean"] <= 1
    assert report["comparison"]["top1_difference"] == pytest.approx(ens["top1_error"]["mean"]
                                                                    - single["top1_error"]["mean"])
    assert "5 CNNs" in (tmp_path / "report.md").read_text() or "CNN" in (tmp_path / "report.md").read_text()


def test_paper_setup_runs_the_papers_init_optimizer_and_fp32(tmp_path):
    from train_backend.experiments.runner import paper_setup_overrides

    o = paper_setup_overrides(get_experiment("lrn"))
    assert o["model_options"]["init"] == "paper" and o["batch_size"] == 128 and not o["amp"] and not o["cpu_bf16"]
    assert (o["optimizer"], o["pixels"]) == ("paper", "mean-image")  # the paper's update rule and inputs
    assert paper_setup_overrides(get_experiment("relu-vs-tanh")) == {}  # Figure 1's set-up already
    report = run_experiment("lighting", tmp_path, steps=2, bundle=small_bundle(), paper_setup=True,
                            overrides={**tiny_overrides("lighting"), "batch_size": 8})
    assert report["paper_setup"] and report["configs"]["lighting"]["model_options"]["init"] == "paper"
    rows = {row["aspect"]: row["ours"] for row in report["differences"]}
    assert rows["optimizer"].startswith("the paper's update rule") and rows["inputs"].startswith("0-255 RGB minus")
    assert build_parser().parse_args(["experiment", "depth", "--out", "x", "--paper-setup"]).paper_setup


def test_lighting_is_refused_on_grey_data_where_its_arms_would_train_alike(tmp_path):
    """PCA lighting leaves grey images grey (as the per-image transform does), so on one-channel data the lighting
    experiment's two arms would be the same run twice: refused before anything is written, with what to use."""
    bundle = small_bundle()
    bundle.channels = 1
    with pytest.raises(ConfigError, match="grey .*train exactly alike.*--dataset cifar10"):
        run_experiment("lighting", tmp_path / "grey", steps=2, bundle=bundle, overrides=tiny_overrides("lighting"))
    assert not (tmp_path / "grey").exists()
    assert not EXPERIMENTS["augment"].colour and EXPERIMENTS["lighting"].colour


def test_runs_with_other_seeds_validate_on_the_same_images_and_an_ensemble_refuses_mixed_ones():
    """The validation subset is drawn with split_seed, not the run's seed (the 400-step Fashion-MNIST ensemble once
    averaged five members' softmax over five different 1,000-image subsets: 67 % error against 22.6 % each)."""
    import numpy as np

    from train_backend.config import TrainConfig
    from train_backend.engine.validation import validation_subset
    from train_backend.experiments.runner import ensemble_errors

    a, b = TrainConfig(seed=0, val_subset=100), TrainConfig(seed=7, val_subset=100)
    assert validation_subset(a, 10_000) == validation_subset(b, 10_000)
    assert validation_subset(a, 10_000) != validation_subset(a.replace(split_seed=1), 10_000)
    probs = np.eye(3)[[0, 1, 2, 0]]
    same = ensemble_errors([(probs, np.array([0, 1, 2, 0])), (probs, np.array([0, 1, 2, 0]))], [0], 2)
    assert same == [{"seed": 0, "members": 2, "top1_error": 0.0, "top5_error": 0.0}]
    with pytest.raises(ValueError, match="different images"):
        ensemble_errors([(probs, np.array([0, 1, 2, 0])), (probs, np.array([0, 1, 2, 1]))], [0], 2)
