"""Run folders read back (train_backend.runs): records, curves, damaged files, the lock, following a run that
another process writes, the kernels file, and ``alexnet-gui runs``."""

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pytest

from tests.tiny import tiny_config
from train_backend.cli import main
from train_backend.data import load_dataset
from train_backend.engine import Callback, Trainer
from train_backend.runs import (KERNELS_FILE, LOCK_FILE, KernelFileError, MetricsFollower, NotARunFolder,
                                RunLock, RunLocked, RunStatus, delete_run, legend_labels, list_runs, lock_holder,
                                read_curves, read_kernel_file, read_run, runs_root, write_kernel_file)
from train_backend.config import TrainConfig
from train_backend.runs.curves import MAX_LINE_BYTES

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def bundle():
    return load_dataset("synthetic", n_train=48, n_val=16, size=48)


@pytest.fixture(scope="module")
def finished_run(tmp_path_factory, bundle):
    """A real run of two epochs (6 steps), written by the engine."""
    out = tmp_path_factory.mktemp("runs") / "20240102-030405-quick-synthetic"
    end = Trainer(tiny_config(recipe="quick", model_options={"width": 0.25, "hidden": 64, "init": "kaiming",
                                                             "lrn": False}), run_dir=out, bundle=bundle).run()
    assert end.reason == "finished", end.message
    return out


def copy_run(src: Path, dst: Path) -> Path:
    dst.mkdir(parents=True)
    for f in src.iterdir():
        if f.is_file():
            (dst / f.name).write_bytes(f.read_bytes())
    return dst


def step_record(step: int, loss: float = 1.0, bpe: int = 10) -> dict:
    return {"kind": "step", "step": step, "epoch": (step - 1) // bpe, "batch": (step - 1) % bpe + 1,
            "batches_per_epoch": bpe, "total_steps": 10 ** 9, "loss": loss, "top1": 0.5, "lr": 0.01,
            "images_per_sec": 100.0, "elapsed_s": step * 0.1, "eta_s": None}


def jsonl(records) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)


# ------------------------------------------------------------------------------------------ a sound run
def test_a_finished_run_reads_back_with_its_settings_progress_and_best_errors(finished_run):
    r = read_run(finished_run)
    assert r.status is RunStatus.FINISHED and r.end_reason == "finished"
    assert r.recipe == "quick" and r.dataset == "synthetic" and r.model == "paper"
    assert r.steps == 6 and r.total_steps == 6 and r.epochs == 2
    assert 0 <= r.best_top1_error <= 1 and 0 <= r.best_top5_error <= r.best_top1_error
    assert set(r.checkpoints) == {"last", "best"} and r.has_kernels and r.holder is None
    assert r.differs["lrn"] is False and r.differs["width"] == 0.25 and "device" not in r.differs
    assert r.started is not None and abs(r.started - time.time()) < 600  # the start record's time
    assert r.problems == ()
    assert not (finished_run / LOCK_FILE).exists()  # released at the end


def test_curves_have_every_metric_against_every_axis(finished_run):
    c = read_curves(finished_run)
    assert c.problems == [] and c.steps == 6
    x, y = c.series("loss", "step")
    assert list(x) == [1, 2, 3, 4, 5, 6] and np.all(np.isfinite(y))
    ximg, _ = c.series("loss", "images")
    assert list(ximg) == [16 * s for s in range(1, 7)]  # batch 16 from config.json
    xe, ye = c.series("val_top1_error", "epoch")
    assert list(xe) == [1.0, 2.0] and np.all((0 <= ye) & (ye <= 1))
    xt, _ = c.series("val_top5_error", "time")
    assert len(xt) == 2 and np.all(xt > 0)
    with pytest.raises(KeyError):
        c.series("accuracy")


def test_the_kernels_file_holds_conv1_at_the_end(finished_run):
    snap = read_kernel_file(finished_run)
    assert snap.step == 6 and snap.towers == 2 and snap.weights.shape == (24, 3, 11, 11)
    assert sum(len(t) for t in snap.tiles) == 24 and snap.tiles[0].shape[1:] == (11, 11, 3)


def test_a_kernels_file_round_trips_and_a_damaged_one_is_refused(tmp_path):
    w = np.random.default_rng(0).normal(size=(96, 3, 11, 11)).astype(np.float32)
    write_kernel_file(tmp_path, w, towers=2, step=7, epoch=1)
    snap = read_kernel_file(tmp_path / KERNELS_FILE)
    assert np.array_equal(snap.weights, w) and (snap.step, snap.epoch, snap.towers) == (7, 1, 2)
    assert [p.name for p in tmp_path.iterdir()] == [KERNELS_FILE]  # no temporary file left
    (tmp_path / KERNELS_FILE).write_bytes(b"PK\x03\x04 garbage")
    with pytest.raises(KernelFileError, match="damaged"):
        read_kernel_file(tmp_path)
    np.savez(tmp_path / KERNELS_FILE, weights=np.zeros((4, 5)))
    with pytest.raises(KernelFileError, match="shape"):
        read_kernel_file(tmp_path)
    with pytest.raises(FileNotFoundError):
        read_kernel_file(tmp_path / "none.npz")


# ------------------------------------------------------------------------------------------ damage
def test_a_metrics_file_cut_off_mid_line_is_read_up_to_the_cut(finished_run, tmp_path):
    run = copy_run(finished_run, tmp_path / "run")
    text = (run / "metrics.jsonl").read_text()
    cut = text.index('{"kind": "end"') + 20
    (run / "metrics.jsonl").write_text(text[:cut])
    r = read_run(run)
    assert r.status is RunStatus.CRASHED and r.steps == 6  # no end record: killed mid-write
    assert any("cut off" in p for p in r.problems)
    c = read_curves(run)
    assert len(c.series("loss")[0]) == 6 and c.cut_off_tail and c.bad_lines == 0


def test_garbage_lines_are_skipped_and_counted(tmp_path):
    run = tmp_path / "run"
    run.mkdir()
    lines = jsonl([step_record(1)]) + "not json\n" + "\x00\x01\x02\n" + "[1, 2]\n" + '{"no": "kind"}\n' + "\n"
    (run / "metrics.jsonl").write_bytes(lines.encode() + b"\xff\xfe garbage\n" + jsonl([step_record(2)]).encode())
    c = read_curves(run)
    assert c.bad_lines == 5 and list(c.series("loss")[0]) == [1, 2]
    assert "5 line(s)" in c.problems[0] and "line 2, 3, 4, 5, 7" in c.problems[0]
    r = read_run(run)
    assert r.steps == 2 and any("not records" in p for p in r.problems)
    assert any("no config.json" in p for p in r.problems)


def test_a_huge_metrics_file_is_read_in_bounded_memory(tmp_path):
    run = tmp_path / "run"
    run.mkdir()
    n = 120_000
    block = jsonl(step_record(s, loss=1.0 / s) for s in range(1, n + 1))
    with open(run / "metrics.jsonl", "w") as f:
        f.write(block)
        f.write("x" * (3 * MAX_LINE_BYTES) + "\n")  # an endless line
        f.write(jsonl([{"kind": "end", "reason": "finished", "message": "", "step": n, "epoch": 0}]))
    size = (run / "metrics.jsonl").stat().st_size
    tracemalloc.start()
    try:
        c = read_curves(run, max_points=500)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    x, y = c.series("loss", "step")
    assert c.steps == n and len(x) <= 500 and x[-1] > n - 300 and c.bad_lines == 1
    assert peak < 8 * MAX_LINE_BYTES and peak < size / 4, (peak, size)
    r = read_run(run)
    assert r.status is RunStatus.FINISHED and r.steps == n


def test_a_config_from_a_newer_version_is_read_as_far_as_it_is_known(finished_run, tmp_path):
    run = copy_run(finished_run, tmp_path / "run")
    cfg = json.loads((run / "config.json").read_text())
    cfg.update(version=7, hyperdrive=True, towers_of_hanoi=3)
    (run / "config.json").write_text(json.dumps(cfg))
    r = read_run(run)
    assert any("newer alexnet-gui (format version 7" in p for p in r.problems)
    assert any("hyperdrive, towers_of_hanoi" in p for p in r.problems)
    assert r.recipe == "quick" and "hyperdrive" not in r.config
    tc = r.train_config()
    assert tc is not None and tc.batch_size == 16
    (run / "config.json").write_text("{ damaged")
    r = read_run(run)
    assert r.config == {} and r.train_config() is None and any("cannot be read" in p for p in r.problems)
    assert r.steps == 6  # the metrics still read


def test_missing_checkpoints_are_said(finished_run, tmp_path):
    run = copy_run(finished_run, tmp_path / "run")
    (run / "last.pt").unlink()
    (run / "best.pt").unlink()
    r = read_run(run)
    assert r.checkpoints == {} and r.status is RunStatus.FINISHED
    assert any("last.pt is missing" in p for p in r.problems) and any("best.pt is missing" in p for p in r.problems)


def test_an_empty_folder_is_not_a_run_and_is_not_listed(tmp_path, finished_run):
    (tmp_path / "empty").mkdir()
    with pytest.raises(NotARunFolder, match="not a run folder"):
        read_run(tmp_path / "empty")
    with pytest.raises(NotARunFolder, match="does not exist"):
        read_run(tmp_path / "nowhere")
    copy_run(finished_run, tmp_path / "exp" / "arm-a")  # an experiment's arm, one level down
    (tmp_path / "exp" / "notes.txt").write_text("x")
    assert [r.name for r in list_runs(tmp_path)] == ["arm-a"]
    assert list_runs(tmp_path / "nowhere") == []
    assert [r.name for r in list_runs(tmp_path / "exp" / "arm-a")] == ["arm-a"]  # a run folder itself


def test_a_resumed_run_is_not_finished_until_it_ends_again(finished_run, tmp_path):
    run = copy_run(finished_run, tmp_path / "run")
    with open(run / "metrics.jsonl", "a") as f:
        f.write(jsonl([{"kind": "start", "time": time.time(), "step": 6, "epoch": 2}, step_record(7)]))
    r = read_run(run)
    assert r.status is RunStatus.CRASHED and r.steps == 7 and r.end_reason is None


def test_states_from_end_reasons():
    assert RunStatus.from_end_reason("max_steps") is RunStatus.FINISHED
    assert RunStatus.from_end_reason("time_budget") is RunStatus.FINISHED
    assert RunStatus.from_end_reason("stopped") is RunStatus.STOPPED
    assert RunStatus.from_end_reason("diverged") is RunStatus.DIVERGED
    assert RunStatus.from_end_reason("oom") is RunStatus.FAILED


def test_a_run_that_logged_nothing_yet_is_waiting_in_the_table_and_for_a_follower(tmp_path):
    """Its config written, no record, no lock left behind: not started, not crashed; one record without an end is a
    crash (as is a lock file left by a killed process: test_a_lock_held_by_a_live_process...)."""
    run = tmp_path / "run"
    run.mkdir()
    (run / "config.json").write_text(TrainConfig().to_json())
    (run / "metrics.jsonl").write_text("")
    assert read_run(run).status is RunStatus.WAITING
    assert MetricsFollower(run).poll().status is RunStatus.WAITING
    (run / "metrics.jsonl").write_text('{"kind": "start", "time": 1.0, "step": 0, "epoch": 0, "pid": 1, "host": "h"}\n')
    assert read_run(run).status is RunStatus.CRASHED
    assert MetricsFollower(run).poll().status is RunStatus.CRASHED


def test_legend_labels_name_the_settings_that_differ(finished_run, tmp_path):
    a = copy_run(finished_run, tmp_path / "a")
    b = copy_run(finished_run, tmp_path / "b")
    cfg = json.loads((b / "config.json").read_text())
    cfg["model_options"]["lrn"] = True
    cfg["seed"] = 9
    (b / "config.json").write_text(json.dumps(cfg))
    assert legend_labels([read_run(a), read_run(b)]) == ["seed=3, lrn=off", "seed=9, lrn=on"]
    assert legend_labels([read_run(a), read_run(a)]) == ["a", "a"]


def test_delete_run_removes_a_run_and_refuses_anything_else(finished_run, tmp_path):
    run = copy_run(finished_run, tmp_path / "run")
    (tmp_path / "stuff").mkdir()
    (tmp_path / "stuff" / "precious.txt").write_text("keep")
    with pytest.raises(NotARunFolder):
        delete_run(tmp_path / "stuff")
    assert (tmp_path / "stuff" / "precious.txt").exists()
    with RunLock(run):
        with pytest.raises(RunLocked, match=f"process {os.getpid()}"):
            delete_run(run)
    assert run.exists()
    delete_run(run)
    assert not run.exists()


def test_runs_root_follows_the_environment(monkeypatch, tmp_path):
    from train_backend.session import config_run_dir

    monkeypatch.setenv("ALEXNET_GUI_RUNS", str(tmp_path))
    assert runs_root() == tmp_path
    assert Path(config_run_dir(tiny_config())).parent == tmp_path


# ------------------------------------------------------------------------------------------ the lock
HOLDER = textwrap.dedent("""
    import sys, time
    from train_backend.runs import RunLock
    lock = RunLock(sys.argv[1]).acquire()
    print("held", flush=True)
    time.sleep(120)
""")


def hold_lock(path: Path) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdout=subprocess.PIPE, text=True,
                            cwd=ROOT)
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_a_lock_held_by_a_live_process_refuses_with_its_pid_and_a_killed_ones_is_recovered(tmp_path):
    run = tmp_path / "run"
    proc = hold_lock(run)
    try:
        with pytest.raises(RunLocked, match=f"process {proc.pid} ") as info:
            RunLock(run).acquire()
        assert info.value.holder.pid == proc.pid
        assert lock_holder(run).pid == proc.pid
        assert read_run(run).status is RunStatus.RUNNING
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    assert (run / LOCK_FILE).exists()  # left behind by the killed process
    assert lock_holder(run) is None and read_run(run).status is RunStatus.CRASHED
    lock = RunLock(run).acquire()
    try:
        assert lock.recovered is not None and lock.recovered.pid == proc.pid
        assert lock_holder(run).pid == os.getpid()
        with pytest.raises(RunLocked):  # not even this process trains twice into one folder
            RunLock(run).acquire()
    finally:
        lock.release()
    assert not (run / LOCK_FILE).exists() and lock_holder(run) is None


FORKING_HOLDER = textwrap.dedent("""
    import os, sys, time
    from train_backend.runs import RunLock
    lock = RunLock(sys.argv[1]).acquire()
    ready = sys.argv[1] + ".child-ready"
    child = os.fork()  # as a DataLoader worker is forked
    if child == 0:
        open(ready, "w").close()  # fork's after-in-child hooks have run (a loaded machine may run the child late)
        time.sleep(120)
        os._exit(0)
    deadline = time.monotonic() + 60
    while not os.path.exists(ready) and time.monotonic() < deadline:
        time.sleep(0.01)
    print(child, flush=True)
    time.sleep(120)
""")


def test_a_forked_child_does_not_keep_its_killed_parents_lock(tmp_path):
    run = tmp_path / "run"
    proc = subprocess.Popen([sys.executable, "-c", FORKING_HOLDER, str(run)], stdout=subprocess.PIPE, text=True,
                            cwd=ROOT)
    child = int(proc.stdout.readline())
    try:
        assert lock_holder(run).pid == proc.pid
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        assert lock_holder(run) is None  # the child lives on, without the lock
        with RunLock(run) as lock:
            assert lock.recovered.pid == proc.pid
    finally:
        os.kill(child, signal.SIGKILL)


def test_probing_the_lock_does_not_refuse_a_trainer(tmp_path):
    run = tmp_path / "run"
    run.mkdir()
    (run / LOCK_FILE).write_text(json.dumps({"pid": 999_999_999, "host": os.uname().nodename}))
    import fcntl

    fd = os.open(run / LOCK_FILE, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_SH)  # a reader probing it right now
    try:
        import threading

        threading.Timer(0.2, os.close, (fd,)).start()
        with RunLock(run) as lock:
            assert lock.held
    finally:
        try:
            os.close(fd)
        except OSError:
            pass


class Boom(Callback):
    def __init__(self, error):
        self.error = error

    def on_batch_end(self, trainer, m):
        assert lock_holder(trainer.run_dir).pid == os.getpid()  # held while training
        raise self.error


def test_the_trainer_releases_the_lock_at_the_end_after_an_error_and_an_interrupt(tmp_path, bundle):
    run = tmp_path / "run"
    end = Trainer(tiny_config(max_steps=2), [Boom(ValueError("boom"))], run_dir=run, bundle=bundle).run()
    assert end.reason == "error" and "boom" in end.message
    assert lock_holder(run) is None and not (run / LOCK_FILE).exists()
    with pytest.raises(KeyboardInterrupt):  # a second Ctrl+C leaves run() by an exception
        Trainer(tiny_config(max_steps=2), [Boom(KeyboardInterrupt())], run_dir=run, bundle=bundle).run()
    assert lock_holder(run) is None and not (run / LOCK_FILE).exists()


def test_a_second_trainer_is_refused_and_writes_nothing_into_the_folder(tmp_path, bundle, capsys):
    run = tmp_path / "run"
    proc = hold_lock(run)
    try:
        end = Trainer(tiny_config(max_steps=2), run_dir=run, bundle=bundle).run()
        assert end.reason == "locked" and f"process {proc.pid}" in end.message and not end.ok
        assert sorted(p.name for p in run.iterdir()) == [LOCK_FILE]
        code = main(["train", "--recipe", "quick", "--dataset", "synthetic", "--max-steps", "2", "--batch-size", "8",
                     "--input-size", "67", "--val-subset", "8", "--out", str(run), "--quiet"])
        err = capsys.readouterr().err  # refused before the run starts: one line on stderr, as every config problem
        assert code == 2 and f"alexnet-gui: error: the run folder '{run}' is in use: process {proc.pid}" in err
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()


def test_a_killed_training_process_can_be_resumed_into_the_same_folder(tmp_path, capsys):
    run = tmp_path / "run"
    args = ["train", "--recipe", "quick", "--dataset", "synthetic", "--batch-size", "8", "--input-size", "67",
            "--val-subset", "8", "--quiet", "--out", str(run)]
    assert main(args + ["--max-steps", "2"]) == 0
    # a process killed while it trains leaves its lock (and no end record) behind
    proc = hold_lock(run)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    code = main(args + ["--max-steps", "3", "--resume", str(run / "last.pt")])
    out = capsys.readouterr().out
    assert code == 0 and "resuming at step 2" in out and f"left by process {proc.pid}" in out
    r = read_run(run)
    assert r.status is RunStatus.FINISHED and r.steps == 3 and r.end_reason == "max_steps"


# ------------------------------------------------------------------------------------------ following
WRITER = textwrap.dedent("""
    import json, os, shutil, sys
    run = sys.argv[1]
    path = os.path.join(run, "metrics.jsonl")
    f = None
    def rec(step):
        return json.dumps({"kind": "step", "step": step, "epoch": 0, "batch": step, "batches_per_epoch": 1000,
                           "total_steps": 1000, "loss": 1.0 / step, "top1": 0.5, "lr": 0.01,
                           "images_per_sec": 1.0, "elapsed_s": float(step), "eta_s": None}) + "\\n"
    for line in sys.stdin:
        cmd, *arg = line.split()
        if cmd == "open":
            os.makedirs(run, exist_ok=True)
            f = open(path, "a")
        elif cmd == "steps":
            for s in range(int(arg[0]), int(arg[1]) + 1):
                f.write(rec(s))
            f.flush()
        elif cmd == "half":  # the first half of a record, flushed
            f.write(rec(int(arg[0]))[:40]); f.flush()
        elif cmd == "rest":
            f.write(rec(int(arg[0]))[40:]); f.flush()
        elif cmd == "replace":  # a new file (a new inode) moved over the old one
            tmp = path + ".new"
            with open(tmp, "w") as g:
                g.write(rec(1))
            os.replace(tmp, path)
            f.close(); f = open(path, "a")
        elif cmd == "truncate":
            f.truncate(0); f.seek(0)
        elif cmd == "rmtree":
            f.close(); shutil.rmtree(run)
        print("ok", flush=True)
""")


def test_a_follower_survives_partial_lines_replacement_truncation_and_a_vanishing_folder(tmp_path):
    run = tmp_path / "run"
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(run)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True)

    def do(cmd):
        proc.stdin.write(cmd + "\n")
        proc.stdin.flush()
        assert proc.stdout.readline().strip() == "ok"

    def steps(update):
        return [r["step"] for r in update.records]

    try:
        follower = MetricsFollower(run)
        u = follower.poll()
        assert u.missing and not u.records
        do("open")
        do("steps 1 3")
        u = follower.poll()
        assert steps(u) == [1, 2, 3] and not u.reset and not u.missing and u.status is RunStatus.CRASHED
        do("half 4")
        assert steps(follower.poll()) == []  # half a line waits for its end
        do("rest 4")
        do("steps 5 5")
        assert steps(follower.poll()) == [4, 5]
        assert list(follower.curves.series("loss")[0]) == [1, 2, 3, 4, 5]
        do("replace")
        u = follower.poll()
        assert u.reset and steps(u) == [1] and list(follower.curves.series("loss")[0]) == [1]
        do("steps 2 6")
        assert steps(follower.poll()) == [2, 3, 4, 5, 6]
        do("truncate")
        do("steps 1 2")  # shorter than before: truncated
        u = follower.poll()
        assert u.reset and steps(u) == [1, 2]
        do("steps 3 3")
        do("truncate")
        do("steps 7 9")  # truncated and grown past the old end: told by its first bytes
        u = follower.poll()
        assert u.reset and steps(u) == [7, 8, 9]
        do("rmtree")
        u = follower.poll()
        assert u.missing and u.reset and u.status is None
        assert follower.poll().missing and not follower.poll().reset
        do("open")
        do("steps 1 2")
        u = follower.poll()
        assert not u.missing and steps(u) == [1, 2] and follower.curves.steps == 2
        assert follower.curves.bad_lines == 0
    finally:
        proc.stdin.close()
        proc.wait(timeout=10)


def test_a_follower_watches_a_live_training_process(tmp_path):
    """A headless ``alexnet-gui train`` in another process, followed from disk: curves, kernels and state."""
    run = tmp_path / "run"
    proc = subprocess.Popen([sys.executable, "-m", "train_backend", "train", "--recipe", "quick", "--dataset",
                             "synthetic", "--batch-size", "8", "--input-size", "67", "--val-subset", "8",
                             "--max-steps", "15", "--set", "kernel_interval_s=0", "--quiet", "--out", str(run)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT)
    follower = MetricsFollower(run)
    seen_running, kernels, steps = False, [], []
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        u = follower.poll()
        seen_running |= u.status is RunStatus.RUNNING
        steps += [r["step"] for r in u.records if r["kind"] == "step"]
        if u.kernels is not None:
            kernels.append(u.kernels.step)
        if proc.poll() is not None and u.status is not RunStatus.RUNNING and not u.records:
            break
        time.sleep(0.05)
    out = proc.communicate()[0]
    assert proc.returncode == 0, out
    assert seen_running and steps == list(range(1, 16))
    assert follower.status() is RunStatus.FINISHED
    assert kernels and kernels[-1] == 15 and follower.config["batch_size"] == 8


# ------------------------------------------------------------------------------------------ the command
def test_the_runs_command_lists_runs_as_a_table_and_as_json(finished_run, tmp_path, capsys, monkeypatch):
    copy_run(finished_run, tmp_path / finished_run.name)
    crashed = copy_run(finished_run, tmp_path / "20240102-040000-quick-synthetic")
    text = (crashed / "metrics.jsonl").read_text()
    (crashed / "metrics.jsonl").write_text(text[:text.index('{"kind": "end"')])
    (tmp_path / "empty").mkdir()
    assert main(["runs", str(tmp_path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["name", "state", "recipe", "dataset", "differs", "steps", "top-1", "top-5", "size",
                            "started"]
    assert out[1].startswith("20240102-040000-quick-synthetic  crashed ")  # newest first
    assert out[2].startswith(finished_run.name) and " finished " in out[2] and "lrn=off" in out[2]
    assert " 6/6 " in out[2] and "%" in out[2] and out[-1].startswith(f"2 run(s) in {tmp_path}, ")
    assert main(["runs", str(tmp_path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [d["status"] for d in data] == ["crashed", "finished"] and data[1]["steps"] == 6
    monkeypatch.setenv("ALEXNET_GUI_RUNS", str(tmp_path / "none"))
    assert main(["runs"]) == 0 and "no runs in" in capsys.readouterr().out
    assert main(["runs", str(tmp_path / "missing")]) == 2 and "does not exist" in capsys.readouterr().err
