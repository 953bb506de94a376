import json
import threading
import time

import numpy as np
import pytest
import torch

from tests.conftest import requires_fashion_mnist
from tests.tiny import TINY, tiny_config
from train_backend.models import lrn as lrn_module
from train_backend.data import load_dataset
from train_backend.engine import Callback, EpochSampler, Trainer, TrainControl, resolve_device
from train_backend.config import ConfigError
from train_backend.recipes import RECIPES, recipe



@pytest.fixture(scope="module")
def small_synthetic():
    return load_dataset("synthetic", n_train=96, n_val=32, size=48)


class Recorder(Callback):
    def __init__(self):
        self.steps, self.losses, self.events, self.vals, self.epochs, self.kernels = [], [], [], [], [], 0
        self.end = None

    def on_train_start(self, t, info):
        self.info = info
        self.events.append("start")

    def on_batch_end(self, t, m):
        self.steps.append(m.step)
        self.losses.append(m.loss)

    def on_validation_end(self, t, r):
        self.vals.append(r)

    def on_epoch_end(self, t, e):
        self.epochs.append(e)

    def on_kernels(self, t, k):
        self.kernels += 1

    def on_pause(self, t):
        self.events.append("pause")

    def on_resume(self, t):
        self.events.append("resume")

    def on_checkpoint(self, t, c):
        self.events.append(f"ckpt:{c.kind}")

    def on_train_end(self, t, end):
        self.end = end

    def on_note(self, t, text):
        self.events.append(f"note:{text}")

    def notes(self):
        return [e[5:] for e in self.events if e.startswith("note:")]


def weights_of(trainer):
    return {k: v.detach().clone() for k, v in trainer.model.state_dict().items()}


def assert_same_weights(a, b):
    assert a.keys() == b.keys()
    for k in a:
        torch.testing.assert_close(a[k], b[k], rtol=0, atol=0, msg=k)


def test_a_run_trains_validates_and_writes_its_folder(tmp_path, small_synthetic):
    rec = Recorder()
    end = Trainer(tiny_config(), [rec], run_dir=tmp_path / "run", bundle=small_synthetic).run()
    assert end.reason == "finished" and end.ok
    assert rec.steps == list(range(1, 13))  # 96 / 16 = 6 batches x 2 epochs
    assert len(rec.epochs) == 2 and len(rec.vals) == 2
    e = rec.epochs[-1]
    assert 0 <= e.val_top1_error <= 1 and 0 <= e.val_top5_error <= e.val_top1_error
    assert rec.vals[0].confusion.shape == (8, 8) and rec.vals[0].confusion.sum() == 32
    assert rec.kernels >= 12
    run = tmp_path / "run"
    assert (run / "last.pt").exists() and (run / "best.pt").exists()
    cfg = json.loads((run / "config.json").read_text())
    assert cfg["batch_size"] == 16 and cfg["model_options"]["width"] == 0.25
    lines = [json.loads(l) for l in (run / "metrics.jsonl").read_text().splitlines()]
    assert {l["kind"] for l in lines} == {"start", "step", "validation", "epoch", "end"}
    assert rec.info.batches_per_epoch == 6 and rec.info.total_steps == 12


def test_loss_falls_on_synthetic_data(small_synthetic):
    bundle = load_dataset("synthetic", n_train=256, n_val=64, size=48)
    rec = Recorder()
    Trainer(tiny_config(epochs=4, model_options={**TINY, "hidden": 256}, lr=0.02), [rec], bundle=bundle).run()
    first, last = np.mean(rec.losses[:4]), np.mean(rec.losses[-4:])
    assert last < first - 0.3, (first, last)
    assert rec.vals[-1].top1_error < 0.6  # 8 classes: chance is 0.875


def test_data_order_is_a_seeded_permutation_and_resumable():
    s = EpochSampler(10, seed=1, epoch=0)
    order = [i for i, _ in s]
    assert sorted(order) == list(range(10))
    assert [i for i, _ in EpochSampler(10, 1, 0, start=4)] == order[4:]
    assert order != [i for i, _ in EpochSampler(10, 1, 1)]


def test_resume_equals_uninterrupted(tmp_path, small_synthetic):
    full = Recorder()
    t_full = Trainer(tiny_config(), [full], bundle=small_synthetic)
    assert t_full.run().reason == "finished"
    first = Recorder()
    end = Trainer(tiny_config(max_steps=4), [first], run_dir=tmp_path / "a", bundle=small_synthetic).run()
    assert end.reason == "max_steps" and end.step == 4
    second = Recorder()
    t2 = Trainer(tiny_config(), [second], run_dir=tmp_path / "a", bundle=small_synthetic)
    end2 = t2.run(resume_from=tmp_path / "a" / "last.pt")
    assert end2.reason == "finished"
    assert second.steps == list(range(5, 13))
    np.testing.assert_allclose(first.losses + second.losses, full.losses, rtol=0, atol=0)
    assert_same_weights(weights_of(t2), weights_of(t_full))


@pytest.fixture(scope="module")
def small_tensor_data():
    """An in-memory uint8 data set (as Fashion-MNIST and CIFAR-10 are held): 28 px grey stripes, 4 classes."""
    from train_backend.data import DatasetBundle, TensorImages

    g = torch.Generator().manual_seed(0)
    n = 128
    labels = torch.arange(n) % 4
    yy, xx = torch.meshgrid(torch.arange(28), torch.arange(28), indexing="ij")
    patterns = torch.stack([(yy // 4) % 2, (xx // 4) % 2, ((yy + xx) // 4) % 2, ((yy - xx) // 4) % 2]) * 200
    images = (patterns[labels] + torch.randint(0, 50, (n, 28, 28), generator=g)).to(torch.uint8)
    ds = TensorImages(images, labels)
    return DatasetBundle("tensor-test", ds, TensorImages(images[:32], labels[:32]), ["a", "b", "c", "d"],
                         (0.4,), (0.4,), 1, 28, "made by the test")


def test_batch_augment_path_learns_and_resumes_exactly(tmp_path, small_tensor_data):
    """In-memory uint8 data augmented a batch at a time (the CUDA default, forced here on the CPU)."""
    cfg = tiny_config(batch_augment=True, channels=3, epochs=3, val_every_steps=None)
    full = Recorder()
    t_full = Trainer(cfg, [full], bundle=small_tensor_data)
    assert t_full.run().reason == "finished"
    assert t_full._batch_aug is not None and full.steps == list(range(1, 25))
    assert np.mean(full.losses[-4:]) < np.mean(full.losses[:4])
    first = Recorder()
    Trainer(cfg.replace(max_steps=11), [first], run_dir=tmp_path / "a", bundle=small_tensor_data).run()
    second = Recorder()
    t2 = Trainer(cfg, [second], run_dir=tmp_path / "a", bundle=small_tensor_data)
    assert t2.run(resume_from=tmp_path / "a" / "last.pt").reason == "finished"
    np.testing.assert_allclose(first.losses + second.losses, full.losses, rtol=0, atol=0)
    assert_same_weights(weights_of(t2), weights_of(t_full))
    off = Trainer(tiny_config(channels=3, max_steps=1), bundle=small_tensor_data)  # the CPU default: per image
    assert off.run().reason == "max_steps" and off._batch_aug is None


@pytest.mark.parametrize("schedule", ["cosine", "plateau"])
def test_a_finished_trainer_is_freed_without_the_cycle_collector(schedule, small_synthetic):
    """No reference cycle through the trainer (its schedule's closures hold it weakly): its model and optimizer state
    go as soon as the last reference does, on any thread, whatever the garbage collector is doing."""
    import gc
    import weakref

    was_enabled = gc.isenabled()
    gc.disable()
    try:
        trainer = Trainer(tiny_config(schedule=schedule, max_steps=3, epochs=1, time_budget_s=60.0),
                          bundle=small_synthetic)
        assert trainer.run().ok
        gone = weakref.ref(trainer), weakref.ref(trainer.optimizer), weakref.ref(trainer.model)
        del trainer
        assert all(r() is None for r in gone)
    finally:
        if was_enabled:
            gc.enable()


def test_max_steps_counts_the_whole_run(tmp_path, small_synthetic):
    Trainer(tiny_config(max_steps=3), run_dir=tmp_path, bundle=small_synthetic).run()
    rec = Recorder()
    end = Trainer(tiny_config(max_steps=5), [rec], run_dir=tmp_path, bundle=small_synthetic).run(
        resume_from=tmp_path / "last.pt")
    assert end.reason == "max_steps" and rec.steps == [4, 5]


def test_pause_resume_stop_from_another_thread(tmp_path, small_synthetic):
    """Pause and resume at random points (training and validation) leave the result unchanged."""
    ref = Trainer(tiny_config(epochs=2), bundle=small_synthetic)
    ref.run()
    control = TrainControl()
    rec = Recorder()
    trainer = Trainer(tiny_config(epochs=2), [rec], control, bundle=small_synthetic)
    rng = np.random.default_rng(0)
    done = threading.Event()

    def poke():
        while not done.is_set():
            time.sleep(float(rng.uniform(0.0, 0.05)))
            control.pause()
            time.sleep(float(rng.uniform(0.0, 0.05)))
            control.resume()

    th = threading.Thread(target=poke)
    th.start()
    try:
        end = trainer.run()
    finally:
        done.set()
        th.join()
    assert end.reason == "finished"
    assert rec.steps == list(range(1, 13))  # no batch lost or repeated
    assert rec.events.count("pause") >= 1 and rec.events.count("pause") == rec.events.count("resume")
    assert_same_weights(weights_of(trainer), weights_of(ref))


def test_pause_holds_the_loop_idle(small_synthetic):
    control = TrainControl()
    rec = Recorder()

    class PauseAt2(Callback):
        def on_batch_end(self, t, m):
            if m.step == 2:
                control.pause()

    trainer = Trainer(tiny_config(), [rec, PauseAt2()], control, bundle=small_synthetic)
    th = threading.Thread(target=trainer.run)
    th.start()
    deadline = time.time() + 20
    while "pause" not in rec.events and time.time() < deadline:
        time.sleep(0.01)
    assert "pause" in rec.events
    steps_when_paused = list(rec.steps)
    cpu0 = time.process_time()
    time.sleep(0.5)
    assert rec.steps == steps_when_paused == [1, 2]
    assert time.process_time() - cpu0 < 0.25  # not spinning
    control.resume()
    th.join(30)
    assert rec.end.reason == "finished" and rec.steps == list(range(1, 13))


def test_stop_during_validation_writes_a_checkpoint(tmp_path, small_synthetic):
    control = TrainControl()

    class StopInVal(Callback):
        def on_validation_progress(self, t, p):
            control.stop()

    rec = Recorder()
    end = Trainer(tiny_config(batch_size=8), [rec, StopInVal()], control, run_dir=tmp_path,
                  bundle=small_synthetic).run()
    assert end.reason == "stopped" and end.checkpoint == str(tmp_path / "last.pt")
    assert "ckpt:stop" in rec.events and rec.vals == []
    again = Recorder()
    assert Trainer(tiny_config(batch_size=8), [again], run_dir=tmp_path, bundle=small_synthetic).run(
        resume_from=end.checkpoint).ok


def test_pause_during_validation_then_stop(tmp_path, small_synthetic):
    control = TrainControl()

    class PauseInVal(Callback):
        def on_validation_progress(self, t, p):
            control.pause()

    rec = Recorder()
    trainer = Trainer(tiny_config(batch_size=8), [rec, PauseInVal()], control, run_dir=tmp_path,
                      bundle=small_synthetic)
    th = threading.Thread(target=trainer.run)
    th.start()
    deadline = time.time() + 30
    while "pause" not in rec.events and time.time() < deadline:
        time.sleep(0.01)
    assert "pause" in rec.events
    control.stop()
    th.join(30)
    assert not th.is_alive() and rec.end.reason == "stopped"


def test_stop_while_running_finishes_the_batch(tmp_path, small_synthetic):
    control = TrainControl()

    class StopAt3(Callback):
        def on_batch_end(self, t, m):
            if m.step == 3:
                control.stop()

    rec = Recorder()
    end = Trainer(tiny_config(), [rec, StopAt3()], control, run_dir=tmp_path, bundle=small_synthetic).run()
    assert end.reason == "stopped" and end.step == 3 and rec.steps == [1, 2, 3]
    ck = torch.load(tmp_path / "last.pt", weights_only=True)
    assert ck["progress"] == {"epoch": 0, "batch_in_epoch": 3, "step": 3}


class Poisonable(torch.utils.data.Dataset):
    """Returns NaN images once armed: a corrupt batch in the middle of a run."""

    def __init__(self, base):
        self.base, self.armed = base, False
        self.targets = base.targets

    def __len__(self):
        return len(self.base)

    def __getitem__(self, i):
        x, y = self.base[i]
        return (torch.full(x.shape, float("nan")) if self.armed else x.float() / 255), y


def test_nan_loss_stops_with_an_explanation_and_keeps_the_checkpoint(tmp_path, small_synthetic):
    import copy

    bundle = copy.copy(small_synthetic)
    bundle.train = Poisonable(small_synthetic.train)

    class Arm(Callback):
        def on_epoch_end(self, trainer, e):
            bundle.train.armed = True

    t = Trainer(tiny_config(epochs=3), [Arm()], run_dir=tmp_path, bundle=bundle)
    end = t.run()
    assert end.reason == "diverged"
    assert "loss diverged at step 7" in end.message and "lower learning rate" in end.message
    assert str(tmp_path / "last.pt") in end.message
    ck = torch.load(tmp_path / "last.pt", weights_only=True)
    assert ck["progress"]["step"] == 6  # the last good checkpoint, not overwritten
    assert all(torch.isfinite(v).all() for v in ck["state_dict"].values())
    assert all(torch.isfinite(p).all() for p in t.model.parameters())  # the bad batch never reached the weights


def test_exploding_learning_rate_is_reported(small_synthetic):
    end = Trainer(tiny_config(lr=100.0, momentum=0.0), bundle=small_synthetic).run()  # the bound the table allows
    assert end.reason == "diverged" and "try a lower learning rate" in end.message


def test_a_data_error_names_the_file_and_the_trainer_survives(tmp_path):
    from tests.imagefiles import gradient_rgb

    root = tmp_path / "data"
    for c in ("a", "b"):
        (root / c).mkdir(parents=True)
        for i in range(4):
            gradient_rgb(70 + i, 70).save(root / c / f"{i}.png")
    bundle = load_dataset("folder", root=root, val_fraction=0.25)

    n_train, train_targets = len(bundle.train), bundle.train.targets

    class Broken(torch.utils.data.Dataset):
        targets = train_targets

        def __len__(self):
            return n_train

        def __getitem__(self, i):
            from train_backend.data.images import ImageLoadError
            raise ImageLoadError(root / "a" / "0.png", "the file is damaged (test)")

    bundle.train = Broken()
    errors = []

    class Err(Callback):
        def on_exception(self, t, e):
            errors.append(e)

    end = Trainer(tiny_config(dataset="folder"), [Err()], bundle=bundle).run()
    assert end.reason == "error" and "0.png" in end.message and len(errors) == 1


def test_config_errors_are_said_before_starting(small_synthetic):
    for bad in (dict(lr=-1.0), dict(batch_size=0), dict(epochs=0), dict(input_size=40), dict(schedule="zigzag")):
        end = Trainer(tiny_config(**bad), bundle=small_synthetic).run()
        assert end.reason == "config" and not end.ok, bad
    if not torch.cuda.is_available():
        end = Trainer(tiny_config(device="cuda"), bundle=small_synthetic).run()
        assert end.reason == "config" and "no CUDA GPU" in end.message
        with pytest.raises(ConfigError):
            resolve_device("cuda")
    assert resolve_device("cpu").type == "cpu"


def test_resume_refuses_weights_only_files(tmp_path, small_synthetic):
    Trainer(tiny_config(), run_dir=tmp_path, bundle=small_synthetic).run()
    end = Trainer(tiny_config(), bundle=small_synthetic).run(resume_from=tmp_path / "best.pt")
    assert end.reason == "config" and "not a resumable" in end.message


@pytest.mark.parametrize("name", sorted(RECIPES))
def test_each_recipe_builds(name, tmp_path):
    cfg = recipe(name)
    cfg.validate()
    assert cfg.recipe == name
    assert recipe(name, lr=0.123).lr == 0.123
    if name == "paper":
        assert (cfg.batch_size, cfg.lr, cfg.momentum, cfg.weight_decay, cfg.schedule) == \
               (128, 0.01, 0.9, 5e-4, "plateau")
    if name == "d2l":
        assert (cfg.input_size, cfg.lr, cfg.batch_size, cfg.epochs, cfg.dataset) == (224, 0.01, 128, 10,
                                                                                       "fashion-mnist")
    if name == "quick":
        assert cfg.input_size <= 128


def test_finetune_recipe_runs_from_local_torchvision_weights(tmp_path):
    import torchvision

    from tests.imagefiles import gradient_rgb

    pth = tmp_path / "alexnet-owt-7be5be79.pth"
    torch.manual_seed(0)
    ref = torchvision.models.alexnet(weights=None)
    torch.save(ref.state_dict(), pth)
    root = tmp_path / "catsdogs"
    for c in ("cats", "dogs"):
        for part in ("train", "val"):
            (root / part / c).mkdir(parents=True)
            for i in range(3):
                gradient_rgb(80 + i, 70).save(root / part / c / f"{i}.png")
    cfg = recipe("finetune", init_weights=str(pth), data_root=str(root), input_size=96, batch_size=4,
                 max_steps=2, device="cpu", num_workers=0, ten_crop_val=True, feature_lr_mult=0.1)
    rec = Recorder()
    t = Trainer(cfg, [rec], run_dir=tmp_path / "run")
    end = t.run()
    assert end.ok, end.message
    assert t.model.fc8.out_features == 2
    groups = {g["name"]: g["lr"] for g in t.optimizer.param_groups}
    assert groups["features"] == pytest.approx(0.1 * groups["classifier"])
    frozen = Trainer(cfg.replace(freeze_features=True), run_dir=tmp_path / "run2")
    frozen.run()
    torch.testing.assert_close(frozen.model.conv1.weight, ref.features[0].weight)


def test_finetune_recipe_is_the_seed_script(tmp_path):
    """SGD lr 0.001 momentum 0.9 without weight decay, one lr for every layer, StepLR(1, 0.1) once per epoch,
    3 epochs of 128, no lighting, validation on Resize((256, 256)) ten crops, a log line every iteration."""
    import dataclasses

    from tests.test_data import make_kaggle

    cfg = recipe("finetune")
    assert (cfg.lr, cfg.momentum, cfg.weight_decay, cfg.schedule, cfg.step_size, cfg.gamma, cfg.epochs,
            cfg.batch_size, cfg.lighting, cfg.flip, cfg.feature_lr_mult, cfg.freeze_features) == \
           (0.001, 0.9, 0.0, "step", 1, 0.1, 3, 128, 0.0, True, 1.0, False)
    assert (cfg.input_size, cfg.ten_crop_val, cfg.eval_resize, cfg.log_every) == (224, True, "square", 1)
    root = make_kaggle(tmp_path / "kaggle", n=5)
    run = dataclasses.replace(cfg, init_weights=None, data_root=str(root), input_size=63, batch_size=4,
                              device="cpu", num_workers=0, val_fraction=0.2, split_seed=1)
    rec = Recorder()
    t = Trainer(run, [rec])
    end = t.run()
    assert end.ok, end.message
    assert t.bundle.classes == ["cat", "dog"] and (len(t.bundle.train), len(t.bundle.val)) == (8, 2)
    groups = t.optimizer.param_groups
    assert [g["lr"] for g in groups] == pytest.approx([1e-6] * len(groups))
    assert {g["weight_decay"] for g in groups} == {0.0}
    assert {g["initial_lr"] for g in groups} == {0.001} and {g["momentum"] for g in groups} == {0.9}
    assert isinstance(t.scheduler, torch.optim.lr_scheduler.StepLR)
    assert (t.scheduler.step_size, t.scheduler.gamma, t.scheduler.last_epoch) == (1, 0.1, 3)  # once per epoch
    assert [e.lr for e in rec.epochs] == pytest.approx([1e-4, 1e-5, 1e-6])
    assert len(rec.steps) == 6 and rec.steps == [1, 2, 3, 4, 5, 6]  # metrics every iteration
    assert all(v.ten_crop and v.batches == 1 for v in rec.vals)


def test_validation_uses_the_configured_eval_resize_and_split(tmp_path):
    from tests.test_data import make_kaggle
    from train_backend.engine import evaluate

    root = make_kaggle(tmp_path / "kaggle", n=5)
    cfg = tiny_config(dataset="folder", data_root=str(root), epochs=1, batch_size=4, eval_resize="square",
                      val_fraction=0.4, split_seed=2, ten_crop_val=True)
    t = Trainer(cfg, run_dir=tmp_path / "run")
    assert t.run().ok
    assert len(t.bundle.val) == 4
    resize = [s for s in t.evaluation.transform.transforms if type(s).__name__ == "Resize"][0]
    assert list(resize.size) == [77, 77]  # squashed, not the shorter side
    weights = t.as_weights()
    assert weights.eval_resize == "square"
    from train_backend.io.weights import load_weights

    assert load_weights(tmp_path / "run" / "last.pt").eval_resize == "square"
    r = evaluate(tmp_path / "run" / "last.pt", device="cpu")
    assert r.images == 4  # the training run's split, not a fresh one
    ws = [s for s in t.evaluation.transform.transforms if type(s).__name__ == "TenCropStack"]
    assert ws and ws[0].square == 77


def test_new_settings_are_checked():
    for bad, words in ((dict(val_fraction=1.0), "validation fraction"), (dict(val_fraction=-0.1), "validation"),
                       (dict(eval_resize="stretch"), "validation resize"), (dict(log_every=0), "log line every must be at least 1")):
        with pytest.raises(ConfigError, match=words):
            tiny_config(**bad).validate()


@requires_fashion_mnist
def test_quick_recipe_on_real_fashion_mnist_learns(tmp_path):
    cfg = recipe("quick", max_steps=30, val_every_steps=None, val_subset=200, batch_size=32, seed=0,
                 model_options={"hidden": 512})
    rec = Recorder()
    end = Trainer(cfg, [rec], run_dir=tmp_path).run()
    assert end.reason == "max_steps"
    assert np.mean(rec.losses[-5:]) < np.mean(rec.losses[:5])
    assert rec.vals and rec.vals[-1].top1_error < 0.8  # 10 classes: chance is 0.9


def lrn_layers(trainer):
    return [m for m in trainer.model.modules() if isinstance(m, lrn_module.LocalResponseNorm)]


class LayerWatch(Recorder):
    """Records each LRN layer's ``compiled_batch`` at every step."""

    def __init__(self):
        super().__init__()
        self.seen = []

    def on_batch_end(self, t, m):
        self.seen.append([x.compiled_batch for x in lrn_layers(t)])
        super().on_batch_end(t, m)


def test_compile_lrn_on_the_cpu_trains_like_the_eager_lrn(small_synthetic):
    """The real torch.compile of the LRN kernels on the CPU (inductor and a C++ compiler): compiled before the first
    step, the same losses as the eager LRN, eager again after the run."""
    runs = {}
    for compiled in (False, True):
        rec = LayerWatch()
        trainer = Trainer(tiny_config(compile_lrn=compiled, max_steps=3, epochs=1, val_every_steps=None),
                          [rec], bundle=small_synthetic)
        end = trainer.run()
        assert end.ok, end.message
        if compiled and any("could not compile the LRN" in n for n in rec.notes()):
            pytest.skip(f"torch.compile cannot build CPU kernels here: {rec.notes()}")
        runs[compiled] = rec
    rec = runs[True]
    assert any(n.startswith("compiling the 2 LRN layers") for n in rec.notes()), rec.notes()
    assert any(n.startswith("LRN compiled in") for n in rec.notes()), rec.notes()
    assert rec.events.index(next(e for e in rec.events if e.startswith("note:"))) < rec.events.index("start")
    assert rec.seen == [[16, 16]] * 3 and runs[False].seen == [[None, None]] * 3
    assert all(m.compiled_batch is None for m in lrn_layers(trainer))  # eager again after the run
    np.testing.assert_allclose(rec.losses, runs[False].losses, rtol=1e-4)


def test_compile_lrn_on_the_cpu_without_a_compiler_trains_eagerly(monkeypatch, small_synthetic):
    def no_compiler():
        def fail(*args):
            raise RuntimeError("InvalidCxxCompiler: No working C++ compiler found\nmore detail")
        return fail, fail

    monkeypatch.setattr(lrn_module, "lrn_kernels", no_compiler)
    rec = Recorder()
    trainer = Trainer(tiny_config(compile_lrn=True, max_steps=2, epochs=1), [rec], bundle=small_synthetic)
    end = trainer.run()
    assert end.ok, end.message
    assert any("could not compile the LRN (RuntimeError: InvalidCxxCompiler" in n for n in rec.notes()), rec.notes()
    assert all(m.compiled_batch is None for m in lrn_layers(trainer))


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU (run on a GPU machine)")
def test_compile_lrn_on_cuda_trains_like_the_eager_lrn(small_synthetic):
    """Compiled before the first step (not during it), the same losses as eager, and the RNG untouched."""
    runs = {}
    for compiled in (False, True):
        rec = LayerWatch()
        trainer = Trainer(tiny_config(device="cuda", compile_lrn=compiled, amp=False, max_steps=4, epochs=1,
                                      metrics_every=1, val_every_steps=None), [rec], bundle=small_synthetic)
        end = trainer.run()
        assert end.ok, end.message
        runs[compiled] = rec
    rec = runs[True]
    assert any(n.startswith("LRN compiled in") for n in rec.notes()), rec.notes()
    assert rec.seen == [[16, 16]] * 4 and runs[False].seen == [[None, None]] * 4
    assert all(m.compiled_batch is None for m in lrn_layers(trainer))  # eager again after the run
    np.testing.assert_allclose(rec.losses, runs[False].losses, rtol=2e-3)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU (run on a GPU machine)")
def test_compile_lrn_that_cannot_compile_falls_back_to_eager(monkeypatch, small_synthetic):
    def no_compiler():
        def fail(*args):
            raise RuntimeError("no C compiler found\nmore detail")
        return fail

    monkeypatch.setattr(lrn_module, "_compiled", no_compiler)
    rec = Recorder()
    trainer = Trainer(tiny_config(device="cuda", compile_lrn=True, max_steps=2, epochs=1), [rec],
                      bundle=small_synthetic)
    end = trainer.run()
    assert end.ok, end.message
    assert any("could not compile the LRN (RuntimeError: no C compiler found)" in n for n in rec.notes())
    assert all(m.compiled_batch is None for m in lrn_layers(trainer))


def test_the_metrics_log_checkpoints_and_kernel_snapshots_are_callbacks_around_the_listeners():
    from train_backend.engine.callbacks import BestCheckpoint, KernelFile, KernelSnapshots, LastCheckpoint, \
        MetricsLog

    t = Trainer(tiny_config(), [Recorder()])
    assert [type(c) for c in t.callbacks] == [MetricsLog, Recorder, KernelSnapshots, KernelFile, LastCheckpoint,
                                              BestCheckpoint]


@pytest.mark.parametrize("computes_bf16", [True, False])
def test_cpu_bf16_trains_in_bf16_where_the_cpu_computes_it_and_says_so_elsewhere(computes_bf16, monkeypatch,
                                                                                small_synthetic):
    from train_backend.engine import trainer as trainer_module

    monkeypatch.setattr(trainer_module, "cpu_computes_bf16", lambda: computes_bf16)
    seen = []

    class Dtypes(Recorder):
        def on_train_start(self, t, info):
            super().on_train_start(t, info)
            t.model.conv2.register_forward_hook(lambda m, i, o: seen.append(o.dtype))

    rec = Dtypes()
    trainer = Trainer(tiny_config(cpu_bf16=True, max_steps=2, epochs=1), [rec], bundle=small_synthetic)
    end = trainer.run()
    assert end.ok, end.message
    assert np.isfinite(rec.losses).all() and all(p.dtype == torch.float32 for p in trainer.model.parameters())
    if computes_bf16:
        assert rec.info.amp_dtype == "bfloat16" and seen[0] == torch.bfloat16
        assert not any("cpu_bf16" in n for n in rec.notes())
    else:
        assert rec.info.amp_dtype is None and seen[0] == torch.float32
        assert any(n.startswith("cpu_bf16: this CPU does not compute bf16") for n in rec.notes()), rec.notes()
