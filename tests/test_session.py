"""The session model (train_backend.session) on its own, without Qt: run state, start plans, probe coalescing,
recipe and data set rules, the run folder, config problems, checkpoints that resume, images."""

import re

import pytest
from PIL import Image

from train_backend import session as session_mod
from train_backend.payloads import TrainEnd
from train_backend.config import ConfigError
from train_backend.session import (PlanKind, ProbeCoalescer, RunState, RunTarget, Session, SessionImage, WeightsInfo,
                                   config_run_dir, initial_config, resumable_checkpoint)


def recorded(event):
    calls = []
    event.connect(lambda *args: calls.append(args))
    return calls


@pytest.fixture
def session(monkeypatch):
    monkeypatch.setattr(session_mod, "default_dataset", lambda: "synthetic")  # as on a machine without the files
    s = Session(initial_config("quick", "synthetic"))
    s.notices = recorded(s.notice)
    return s


def with_image(s: Session) -> Session:
    s.set_images([SessionImage("a.png", Image.new("RGB", (32, 24), "red"))])
    return s


def test_run_state_is_an_enum_equal_to_its_text():
    assert RunState("running") is RunState.RUNNING and RunState.RUNNING == "running"
    assert str(RunState.PAUSED) == "paused" and f"{RunState.IDLE}" == "idle"
    assert [s for s in RunState if s.busy] == [RunState.STARTING, RunState.RUNNING, RunState.PAUSED,
                                               RunState.STOPPING]
    assert RunState.FINISHED.can_start and RunState.ERROR.can_start and not RunState.STOPPING.can_stop


def test_state_changes_are_told_once_and_drive_the_start_button(session):
    changes = recorded(session.state_changed)
    assert session.toggle_intent() == "start" and session.start_label == "New run"
    session.set_run_state("running")
    session.set_run_state(RunState.RUNNING)
    assert changes == [(RunState.RUNNING,)]
    assert session.toggle_intent() == "pause" and session.start_label == "Pause"
    session.set_run_state("paused")
    assert session.toggle_intent() == "resume" and session.start_label == "Resume"
    session.set_run_state("stopping")
    assert session.toggle_intent() is None  # a second press while stopping changes nothing
    session.run_finished(TrainEnd("stopped", "stopped by the user", 5, 0, checkpoint="/runs/x/last.pt"))
    session.set_run_state("finished")
    assert session.start_label == "Continue"
    with pytest.raises(ValueError):
        session.set_run_state("flying")


def test_start_refuses_bad_settings_and_says_why(session):
    session.config.lr = -1.0
    session.config.batch_size = 0
    assert session.start() is None
    assert session.state == RunState.IDLE
    level, text = session.notices[-1]
    assert level == "error" and "learning rate must be positive" in text and "batch size must be at least 1" in text


def _info(cfg, run_dir):
    from train_backend.payloads import RunInfo

    return RunInfo("cpu", "CPU", None, cfg.model, 1, cfg.dataset, "generated", ("a", "b"), 100, 10, 4, 8, 0, 0,
                   cfg.to_dict(), run_dir)


def test_start_plans_once_and_continues_a_stopped_run_in_its_own_folder(session):
    plan = session.start()
    assert plan is not None and plan.resume_from is None and plan.config is not session.config
    assert plan.kind == PlanKind.NEW and plan.run_dir is None
    assert session.state == RunState.STARTING and session.start() is None  # pressed twice: one run
    session.set_run_state("running")
    session.run_began(_info(plan.config, "/runs/a"))
    session.run_finished(TrainEnd("stopped", "", 7, 0, checkpoint="/runs/a/last.pt"))
    session.set_run_state("finished")
    assert session.start_label == "Continue" and session.plan().describe().startswith("Continue a at step 7 of ")
    again = session.start()
    assert (again.kind, again.resume_from, again.run_dir, again.step) == (PlanKind.CONTINUE, "/runs/a/last.pt",
                                                                        "/runs/a", 7)
    session.set_run_state("finished")
    assert session.start(fresh=True).resume_from is None


def test_the_plan_says_what_start_will_do_and_how_long_it_takes_here(session):
    cfg = session.config
    plan = session.plan()
    steps = cfg.epochs * -(-2048 // cfg.batch_size)  # the synthetic set: 2,048 training images
    assert plan.kind == PlanKind.NEW and plan.total_steps == steps and plan.minutes is None
    assert plan.describe() == f"New run · quick · synthetic · {steps:,} steps"
    session.remember_speed(cfg, 64 * cfg.batch_size)  # 64 steps a second measured here
    assert session.plan().describe() == f"New run · quick · synthetic · {steps:,} steps · ≈ " + (
        "1 min" if steps / 64 > 30 else "< 1 min") + " here"
    told = recorded(session.plan_changed)
    session.set_recipe("paper")
    assert told and told[-1][0].config.recipe == "paper"


def test_a_finished_run_is_not_fine_tuned_from_weights_loaded_before_it(session):
    """Seen: after Runs ▸ Load last weights, every later Start silently fine-tuned from that old last.pt."""
    assert session.load_weights("/w/old/last.pt")
    session.weights_changed_to(WeightsInfo("a checkpoint", "paper", True, "checkpoint", ("a", "b"), 67, 2))
    assert session.plan().kind == PlanKind.FINETUNE and session.start_label == "Fine-tune"
    assert session.plan().describe().startswith("Fine-tune old/last.pt on synthetic")
    plan = session.start()
    session.set_run_state("running")
    session.run_began(_info(plan.config, "/runs/b"))
    session.run_finished(TrainEnd("finished", "", 64, 1, checkpoint="/runs/b/last.pt"))
    session.set_run_state("finished")
    nxt = session.plan()
    assert nxt.kind == PlanKind.NEW and nxt.config.init_weights is None
    session.set_dataset("synthetic")
    assert session.plan().kind == PlanKind.NEW


def test_a_run_left_unfinished_is_offered_unless_the_user_chose_otherwise(session):
    own = session.config.replace(lr=0.005)
    target = RunTarget("/runs/c/last.pt", 88, own, "/runs/c")
    assert session.offer_target(target)
    assert session.config.lr == 0.005 and session.plan().describe().startswith("Continue c at step 88")
    session.reset_weights()  # Fresh untrained model: a new run
    assert session.plan().kind == PlanKind.NEW
    assert session.load_weights("/w/x.pt")
    session.weights_changed_to(WeightsInfo("x", "paper", True, "checkpoint", ("a", "b"), 67, 2))
    assert session.plan().kind == PlanKind.FINETUNE
    assert not session.offer_target(target)  # found late, after the user loaded weights: theirs is the plan


def test_pause_says_pausing_until_the_batch_ends(session):
    session.set_run_state("running")
    session.pause_requested()
    assert session.start_label == "Pausing…" and session.toggle_intent() is None
    session.set_run_state("paused")
    assert session.start_label == "Resume" and not session.pausing
    assert set(session.START_LABELS) >= {"New run", "Continue", "Fine-tune", "Pause", "Resume", "Pausing…"}


def test_start_fine_tunes_loaded_trained_weights(session):
    assert session.load_weights("/w/trained.pt")
    session.weights_changed_to(WeightsInfo("a checkpoint", "paper", True, "checkpoint", ("a", "b"), 67, 2))
    plan = session.start()
    assert plan.config.init_weights == "/w/trained.pt" and plan.config.model == "paper"


def test_other_weights_are_refused_while_a_run_holds_the_model(session):
    session.set_run_state("running")
    assert not session.load_weights("/w/other.pt")
    assert session.notices[-1] == ("warning", "stop training before loading other weights")


def test_three_rapid_probe_requests_send_one_and_keep_the_newest_pending(session):
    sent = recorded(session.probe_requested)
    with_image(session)  # a new current image: probe 1 goes out
    assert [r.token for (r,) in sent] == [1]
    for _ in range(3):
        assert session.request_probe() is None
    assert len(sent) == 1 and session.probes.in_flight and session.probes.pending and not session.probe_idle
    assert not session.probe_answered(1)  # out of date: the newest request is sent instead
    assert [r.token for (r,) in sent] == [1, 2] and not session.probes.pending
    assert not session.probe_answered(1)  # a stale token is dropped
    assert session.probes.in_flight
    assert session.probe_answered(2) and session.probe_idle


def test_a_failed_probe_is_not_shown_and_frees_the_way(session):
    sent = recorded(session.probe_requested)
    with_image(session)
    assert not session.probe_answered(1, ok=False) and session.probe_idle
    session.set_ten_crop(True)
    assert sent[-1][0].token == 2 and sent[-1][0].ten_crop


def test_no_probe_without_an_image_or_while_closing(session):
    sent = recorded(session.probe_requested)
    assert session.request_probe() is None
    with_image(session)
    session.closing = True
    session.weights_changed_to(WeightsInfo("x", "paper", False, "untrained", ("a",), 67, 2))
    assert len(sent) == 1


def test_new_weights_and_a_finished_run_reprobe(session):
    sent = recorded(session.probe_requested)
    with_image(session)
    session.probe_answered(1)
    session.weights_changed_to(WeightsInfo("x", "paper", False, "untrained", ("a",), 67, 2))
    session.probe_answered(2)
    session.run_finished(TrainEnd("max_steps", "", 3, 0))
    assert [r.token for (r,) in sent] == [1, 2, 3]


def test_recipe_keeps_the_data_set_and_device_where_it_can(session):
    changes = recorded(session.config_changed)
    session.config.device = "cpu"
    assert session.set_recipe("d2l")  # d2l trains on Fashion-MNIST; without its files, on the synthetic set
    assert (session.config.recipe, session.config.dataset, session.config.device) == ("d2l", "synthetic", "cpu")
    assert len(changes) == 1 and changes[0][1].recipe == "quick"
    assert session.notices[-1][1].startswith("recipe 'd2l': d2l model, synthetic")
    assert not session.set_recipe("d2l") and not session.set_recipe("no-such-recipe")
    assert session.set_recipe("paper")  # the paper's recipe wants a folder of images: none is open yet
    assert (session.config.dataset, session.config.data_root) == ("folder", None)
    session.set_dataset("folder", "/data/cats-and-dogs")
    assert session.set_recipe("quick") and session.set_recipe("finetune")  # an open folder is kept
    assert (session.config.dataset, session.config.data_root) == ("folder", "/data/cats-and-dogs")


def test_d2l_takes_fashion_mnist_where_its_files_are(session, monkeypatch):
    monkeypatch.setattr(session_mod, "default_dataset", lambda: "fashion-mnist")
    session.set_recipe("d2l")
    assert session.config.dataset == "fashion-mnist"


def test_a_new_data_set_keeps_the_run_to_continue_and_start_asks_first(session):
    """Seen: Continue after a data-set change failed with "checkpoint has 10 classes but synthetic has 8" and left an
    empty folder. Now the plan says it will ask, and Start does nothing until the user chooses."""
    session.run_info = _info(session.config, "/runs/a")  # a run on the synthetic set, stopped
    session.run_finished(TrainEnd("stopped", "", 7, 0, checkpoint="/runs/a/last.pt"))
    assert session.continues and session.plan().question is None
    session.set_dataset("cifar10")
    assert session.continues and session.notices[-1][1] == "dataset: cifar10 (loaded when training starts)"
    plan = session.plan()
    assert plan.kind == PlanKind.CONTINUE and "synthetic" in plan.question and plan.describe().endswith("asks first")
    assert [c for c, _text in plan.choices] == ["continue", "finetune", "cancel"]
    assert session.start() is None and session.state == RunState.IDLE  # no choice: nothing starts
    assert session.start(choice="cancel") is None and session.state == RunState.IDLE
    cont = session.start(choice="continue")
    assert (cont.kind, cont.run_dir, cont.resume_from, cont.config.dataset) == (
        PlanKind.CONTINUE, "/runs/a", "/runs/a/last.pt", "synthetic")
    session.set_run_state("idle")
    tune = session.start(choice="finetune")
    assert (tune.kind, tune.run_dir, tune.resume_from, tune.config.init_weights, tune.config.dataset) == (
        PlanKind.FINETUNE, None, None, "/runs/a/last.pt", "cifar10")


def test_initial_config_rules():
    assert initial_config("no-such-recipe", "synthetic").recipe == "quick"
    cfg = initial_config("quick", "synthetic", data_root="/ignored", model="d2l", device="cpu")
    assert (cfg.model, cfg.model_options, cfg.channels, cfg.device, cfg.data_root) == ("d2l", {}, 1, "cpu", None)
    assert cfg.problems() == []


def test_config_problems_are_listed_one_by_one(session):
    assert session.problems() == []
    session.config.epochs = 0
    session.config.momentum = 1.5
    assert session.problems() == ["epochs must be at least 1 (got 0)", "momentum must be below 1 (got 1.5)"]
    with pytest.raises(ConfigError, match="epochs must be at least 1 .*; momentum"):
        session.config.validate()


def test_saved_overrides_are_adopted_for_the_same_recipe_only(session):
    saved = session.config.replace(lr=0.123, dataset="fashion-mnist")
    assert session.restore_overrides(saved.to_json(), device="cpu")
    assert (session.config.lr, session.config.dataset, session.config.device) == (0.123, "synthetic", "cpu")
    assert not session.restore_overrides(saved.replace(recipe="paper").to_json())
    assert not session.restore_overrides(saved.replace(lr=-1.0).to_json())
    assert not session.restore_overrides("{not json") and not session.restore_overrides(None)
    assert session.config.lr == 0.123


def test_run_folders_are_named_by_time_recipe_and_data_set_and_never_reused(tmp_path, monkeypatch):
    cfg = initial_config("quick", "synthetic")
    first = config_run_dir(cfg, base=tmp_path)
    assert re.fullmatch(r"\d{8}-\d{6}-quick-synthetic", first.rsplit("/", 1)[1])
    (tmp_path / first).mkdir()
    second = config_run_dir(cfg, base=tmp_path)
    assert second != first and (second == first + "-2" or not second.startswith(first))
    monkeypatch.setenv("ALEXNET_GUI_RUNS", str(tmp_path / "elsewhere"))
    assert config_run_dir(cfg).startswith(str(tmp_path / "elsewhere"))


def test_a_checkpoint_with_optimizer_state_resumes_with_its_settings(session, tmp_path):
    import torch

    saved = session.config.replace(recipe="paper", lr=0.02, device="cuda")
    path = tmp_path / "run.pt"
    torch.save({"optimizer": {}, "config": saved.to_dict()}, path)
    bad = tmp_path / "bad.pt"
    bad.write_bytes(b"garbage")
    plain = tmp_path / "plain.pt"
    torch.save({"state_dict": {}}, plain)
    assert resumable_checkpoint(str(bad)) is None and resumable_checkpoint(str(plain)) is None
    assert resumable_checkpoint("torchvision") is None
    found = resumable_checkpoint(str(path))
    assert found.checkpoint == str(path) and found.config.lr == 0.02
    assert found.run_dir is None  # not in a run folder: continuing writes a new one

    session.config.device = "cpu"
    session.load_weights("/other.pt")
    session.checkpoint_resumes(found)  # other weights were asked for since: ignored
    assert session.target is None and session.config.recipe == "quick"
    session.load_weights(str(path))
    session.checkpoint_resumes(found)
    assert session.target == found
    assert (session.config.recipe, session.config.lr, session.config.device) == ("paper", 0.02, "cpu")
    assert session.start().resume_from == str(path)
    session.set_run_state("finished")
    session.load_weights(str(path))
    session.checkpoint_resumes(RunTarget(str(path)))  # settings that no longer parse: resume anyway
    assert session.target.checkpoint == str(path)


def test_opening_images_keeps_the_list_when_none_can_be_read(session, tmp_path):
    good = tmp_path / "good.png"
    Image.new("RGB", (40, 30), "blue").save(good)
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"no image")
    lists, currents = recorded(session.images_changed), recorded(session.current_changed)
    loaded = session.open_images([bad, good])
    assert [d.error is None for d in loaded] == [False, True] and "bad.png" in loaded[0].error
    assert session.current == 1 and session.current_image() is not None and currents[-1][1].name == "good.png"
    assert len(lists) == 1
    assert session.select(0) is not None and session.current == 1  # unreadable: says why, changes nothing
    assert session.open_images([bad])[0].error and len(lists) == 1 and session.current == 1


def test_the_coalescer_alone():
    c = ProbeCoalescer()
    assert c.request() == 1 and c.request() is None and c.request() is None
    assert c.pending and not c.answered(1) and not c.in_flight
    assert c.request() == 2 and not c.pending
    assert not c.answered(7) and c.in_flight  # not the token in flight: ignored
    assert c.answered(2) and c.idle


def test_watching_a_run_from_disk_is_refused_while_training_and_ends_when_training_starts(session, tmp_path):
    changes = recorded(session.watch_changed)
    watched = session.watch(tmp_path / "run-a")
    assert watched is not None and session.watched.path == str(tmp_path / "run-a")
    assert session.watched.describe() == "watching run-a: opening"
    session.watch_update(state="running", step=1200, epoch=2)
    assert session.watched.describe() == "watching run-a: running, epoch 3, step 1,200"
    session.watch_update(state="running", step=1200, epoch=2)  # nothing new: no event
    assert len(changes) == 2
    session.watch(tmp_path / "run-b")  # another run replaces it
    assert session.watched.name == "run-b" and changes[-1][0].name == "run-b"
    assert session.start() is not None  # training starts: watching stops, said once
    assert session.watched is None and changes[-1] == (None,)
    assert any("stopped watching run-b (training started)" in text for _level, text in session.notices)
    assert session.watch(tmp_path / "run-c") is None  # refused while this window's run is on
    assert session.notices[-1] == ("warning", "stop training before watching a run from disk")
    session.watch_update(step=5)  # no watched run: nothing happens
    assert session.watched is None and not session.stop_watching()
