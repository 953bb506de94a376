"""One evaluation loop (engine/validation.py's EvaluationLoop): training's validation, ``evaluate_on`` and the
ensemble's members compute the same numbers through it; it serves stops, pauses and submitted work through a small
host interface; the engine's parts use no private attribute of the Trainer, and no engine function is long."""

import ast
import re
from pathlib import Path

import numpy as np
import pytest

from tests.tiny import tiny_config
from train_backend.data import load_dataset
from train_backend.engine import Callback, Trainer, TrainControl
from train_backend.engine.evaluate import evaluate_on
from train_backend.engine.host import Listeners
from train_backend.engine.validation import EvaluationLoop, ValidationStopped
from train_backend.errors import Cancelled
from train_backend.experiments.runner import ensemble_errors, member_probabilities

ENGINE = Path(__file__).resolve().parents[1] / "train_backend" / "engine"


@pytest.fixture(scope="module")
def trained():
    bundle = load_dataset("synthetic", n_train=64, n_val=24, size=48)
    trainer = Trainer(tiny_config(epochs=1, batch_size=8, channels_last=False), bundle=bundle)
    assert trainer.run().ok
    return trainer, bundle


def test_the_runs_validation_evaluate_on_and_an_ensemble_member_agree(trained):
    trainer, bundle = trained
    mine = trainer.validate()
    theirs = evaluate_on(trainer.as_weights(), bundle, batch_size=5, device="cpu")
    assert (mine.images, mine.ten_crop, mine.subset) == (theirs.images, False, False) == (24, False, False)
    assert theirs.top1_error == pytest.approx(mine.top1_error)
    assert theirs.top5_error == pytest.approx(mine.top5_error)
    assert theirs.loss == pytest.approx(mine.loss, rel=1e-5)
    assert np.array_equal(theirs.confusion, mine.confusion)
    probs, labels = member_probabilities(trainer)
    assert probs.shape == (24, bundle.num_classes) and np.allclose(probs.sum(1), 1, atol=1e-5)
    (one,) = ensemble_errors([(probs, labels)], [3], 1)  # an ensemble of one is the member's own validation
    assert one["top1_error"] == pytest.approx(mine.top1_error)
    assert one["top5_error"] == pytest.approx(mine.top5_error)
    assert trainer.state.history[-1]["kind"] == "validation"  # the run records its validations, evaluate_on not


def test_a_limit_evaluates_the_first_images(trained):
    trainer, bundle = trained
    loop = EvaluationLoop.for_weights(trainer.as_weights(), bundle, ten_crop=True, batch_size=4, device="cpu",
                                      limit=10)
    r = loop.run(Listeners())
    assert (r.images, r.ten_crop, r.subset, r.batches) == (10, True, True, 3)
    assert loop.dataset().indices == list(range(10))


class _Steer(Callback):
    """Pauses the evaluation after its first batch and, once paused, submits work that resumes it (or stops it)."""

    def __init__(self, control, stop=False):
        self.control, self.stop, self.heard, self.hosts = control, stop, [], []

    def on_validation_progress(self, host, p):
        self.heard.append(p.done)
        if p.done == 1:
            self.control.pause()

    def work(self, host):
        self.hosts.append(host)
        (self.control.stop if self.stop else self.control.resume)()

    def on_pause(self, host):
        self.heard.append("pause")
        self.control.submit(self.work)  # run by the paused loop, on its thread

    def on_resume(self, host):
        self.heard.append("resume")


def test_an_evaluation_pauses_serves_work_and_resumes(trained):
    trainer, bundle = trained
    control = TrainControl()
    steer = _Steer(control)
    r = evaluate_on(trainer.as_weights(), bundle, batch_size=8, device="cpu", callbacks=[steer], control=control)
    assert r.images == 24
    assert steer.heard == [1, "pause", "resume", 2, 3]
    assert isinstance(steer.hosts[0], Listeners)  # submitted work runs on the evaluation's thread, given its host


def test_a_stop_during_an_evaluation_cancels_it_and_the_runs_validation_raises(trained):
    trainer, bundle = trained
    control = TrainControl()
    steer = _Steer(control, stop=True)
    with pytest.raises(Cancelled):
        evaluate_on(trainer.as_weights(), bundle, batch_size=8, device="cpu", callbacks=[steer], control=control)
    assert steer.heard == [1, "pause", "resume"]
    loop = EvaluationLoop.for_weights(trainer.as_weights(), bundle, batch_size=8, device="cpu")
    stopped = TrainControl()
    stopped.stop()
    with pytest.raises(ValidationStopped):
        loop.run(Listeners([], stopped))
    was = trainer.model.training  # the model's mode is restored after a stopped pass
    with pytest.raises(ValidationStopped):
        EvaluationLoop.for_weights(trainer.as_weights(), bundle, device="cpu").run(Listeners([], stopped))
    assert trainer.model.training == was


def test_trainer_has_no_for_evaluation():
    assert not hasattr(Trainer, "for_evaluation")


def test_the_engines_parts_use_no_private_attribute_of_the_trainer():
    src = Path(__file__).resolve().parents[1] / "train_backend"
    offenders = [f"{p.name}:{i}" for p in [*ENGINE.glob("*.py"), *(src / "experiments").glob("*.py")]
                 if p.name != "trainer.py"
                 for i, line in enumerate(p.read_text().splitlines(), 1) if re.search(r"\btrainer\._", line)]
    assert offenders == []


def test_no_engine_function_is_longer_than_sixty_lines():
    long = []
    for p in sorted(ENGINE.glob("*.py")):
        for node in ast.walk(ast.parse(p.read_text())):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                n = node.end_lineno - node.lineno + 1
                if n > 60:
                    long.append(f"{p.name}:{node.name} ({n} lines)")
    assert long == []
