"""Data parallel training under torchrun (engine/distributed.py): CPU, gloo, two processes, the tiny model."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch

from train_backend.data import load_dataset
from train_backend.engine import Trainer
from train_backend.engine.distributed import DistributedError, torchrun_context
from train_backend.engine.sampling import EpochSampler, ShardedBatches, shard_positions
from train_backend.io.checkpoints import read_checkpoint_file
from tests.tiny import tiny_config

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from ddp_worker import Gradients, StartWeights, no_augmentation  # noqa: E402

pytestmark = pytest.mark.skipif(not torch.distributed.is_available(), reason="torch.distributed is not built in")

TORCHRUN = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc-per-node", "2"]


def kill_group(proc: subprocess.Popen) -> None:
    """torchrun and its workers (their own process group): a timed-out job leaves no orphan training on."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


def torchrun(*args, timeout=180) -> subprocess.CompletedProcess:
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": str(ROOT)}
    cmd = [*TORCHRUN, *map(str, args)]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        kill_group(proc)
        raise
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


# ------------------------------------------------------------------------------------------ sharding
def test_the_shards_of_a_step_are_the_global_batch_of_one_process():
    one = list(ShardedBatches(EpochSampler(37, seed=5, epoch=2), batch_size=8))
    assert [b for b, _ in one] == [0, 1, 2, 3, 4]
    two = [list(ShardedBatches(EpochSampler(37, 5, 2), batch_size=4, rank=r, world_size=2)) for r in (0, 1)]
    assert len(two[0]) == len(two[1]) == len(one)
    for (b, whole), (b0, r0), (b1, r1) in zip(one, *two):
        assert b == b0 == b1
        if len(whole) == 8:
            assert r0 + r1 == whole  # rank 0 the first half of the global batch, rank 1 the second
        else:  # the last 5 images: 3 each, every image used, the shorter side wrapping round
            assert len(r0) == len(r1) == 3 and set(r0 + r1) == set(whole)


def test_a_resume_position_continues_every_rank_at_the_same_global_batch():
    full = [list(ShardedBatches(EpochSampler(50, 1, 0), 4, r, 3)) for r in range(3)]
    resumed = [list(ShardedBatches(EpochSampler(50, 1, 0, start=2 * 12), 4, r, 3)) for r in range(3)]
    for r in range(3):
        assert resumed[r] == full[r][2:]


def test_validation_shards_cover_each_position_once():
    for n, w in ((10, 3), (2, 4), (0, 2), (7, 1)):
        parts = [list(shard_positions(n, r, w)) for r in range(w)]
        assert sum(parts, []) == list(range(n))


def test_torchrun_environment():
    assert torchrun_context({}) is None
    assert torchrun_context({"RANK": "0", "WORLD_SIZE": "1", "LOCAL_RANK": "0"}) is None  # one process: plain
    ctx = torchrun_context({"RANK": "3", "WORLD_SIZE": "4", "LOCAL_RANK": "1"})
    assert (ctx.rank, ctx.world_size, ctx.local_rank, ctx.is_main) == (3, 4, 1, False)
    with pytest.raises(DistributedError):
        torchrun_context({"RANK": "4", "WORLD_SIZE": "4"})
    with pytest.raises(DistributedError):
        torchrun_context({"RANK": "x", "WORLD_SIZE": "2"})


# ------------------------------------------------------------------------------------------ two processes
def test_two_processes_train_one_run_folder_with_equal_weights(tmp_path):
    r = torchrun(ROOT / "tests" / "ddp_worker.py", "train", tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    ranks = [torch.load(tmp_path / f"rank{i}.pt", weights_only=False) for i in (0, 1)]
    assert [x["end"]["reason"] for x in ranks] == ["max_steps", "max_steps"]
    assert ranks[0]["run_dir"] == str(tmp_path / "run") and ranks[1]["run_dir"] is None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rank0.pt", "rank1.pt", "run"]  # rank 1 wrote nothing
    for k, v in ranks[0]["weights"].items():
        assert torch.equal(v, ranks[1]["weights"][k]), k
    assert ranks[0]["batches_per_epoch"] == 3  # 96 images / global batch 32
    run = tmp_path / "run"
    assert {"config.json", "metrics.jsonl", "last.pt", "kernels.npz"} <= {p.name for p in run.iterdir()}
    import json

    cfg = json.loads((run / "config.json").read_text())
    assert cfg["distributed"] == {"world_size": 2, "batch_size_per_process": 16, "global_batch_size": 32,
                                  "backend": "gloo"}
    from train_backend.runs.folder import read_config

    assert read_config(run) == (read_config(run)[0], [])  # the record is no unknown setting to the runs view
    assert read_config(run)[0]["batch_size"] == 16
    records = [json.loads(line) for line in (run / "metrics.jsonl").read_text().splitlines()]
    assert [x["step"] for x in records if x["kind"] == "step"] == [1, 2, 3, 4]
    vals = [x for x in records if x["kind"] == "validation"]
    # every 2 steps, at the epoch's end (3 steps) and at max_steps; both shards (15 + 15) tallied
    assert [(v["step"], v["images"]) for v in vals] == [(2, 30), (3, 30), (4, 30)]
    def same(h):  # each process times itself; everything else agrees
        return [{k: v for k, v in x.items() if k != "elapsed_s"} for x in h]

    assert same(ranks[0]["history"]) == same(ranks[1]["history"])  # every rank holds the summed validation
    ckpt = read_checkpoint_file(run / "last.pt")
    for k, v in ckpt["state_dict"].items():
        assert torch.equal(v, ranks[0]["weights"][k])


def test_first_step_gradient_of_2_x_16_equals_1_x_32(tmp_path):
    r = torchrun(ROOT / "tests" / "ddp_worker.py", "grad", tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    ranks = [torch.load(tmp_path / f"rank{i}.pt", weights_only=False) for i in (0, 1)]
    bundle = load_dataset("synthetic", n_train=96, n_val=30, size=48)
    grads, start = Gradients(), StartWeights()
    end = Trainer(no_augmentation(batch_size=32, max_steps=1, val_every_steps=None, weight_decay=0.0),
                  [start, grads], bundle=bundle).run()
    assert end.ok
    for k, v in start.weights.items():
        assert torch.equal(v, ranks[0]["start"][k]), k
    for name, g in grads.grads.items():
        torch.testing.assert_close(ranks[0]["grads"][name], g, rtol=1e-4, atol=1e-6)
        torch.testing.assert_close(ranks[1]["grads"][name], g, rtol=1e-4, atol=1e-6)


def test_a_two_process_run_stopped_and_resumed_equals_one_never_stopped(tmp_path):
    r = torchrun(ROOT / "tests" / "ddp_worker.py", "resume", tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    for i in (0, 1):
        x = torch.load(tmp_path / f"rank{i}.pt", weights_only=False)
        assert x["end"]["step"] == x["end2"]["step"] == 5
        for k, v in x["straight"].items():
            assert torch.equal(x["resumed"][k], v), (i, k)


@pytest.mark.skipif(torch.cuda.device_count() < 2, reason="NCCL data parallel needs two CUDA GPUs (this machine "
                    f"has {torch.cuda.device_count()}); the gloo form is tested on the CPU above")
def test_two_gpus_train_with_nccl(tmp_path):
    r = torchrun(ROOT / "tests" / "ddp_worker.py", "train", tmp_path, "cuda")
    assert r.returncode == 0, r.stdout + r.stderr
    ranks = [torch.load(tmp_path / f"rank{i}.pt", weights_only=False, map_location="cpu") for i in (0, 1)]
    for k, v in ranks[0]["weights"].items():
        torch.testing.assert_close(v, ranks[1]["weights"][k], rtol=0, atol=0)
    import json

    assert json.loads((tmp_path / "run" / "config.json").read_text())["distributed"]["backend"] == "nccl"


def _rank_pid(parent: int, rank: int) -> int | None:
    """The pid of torchrun's worker with RANK=rank (a child of the torchrun process)."""
    for task in Path(f"/proc/{parent}/task").iterdir():
        for child in (task / "children").read_text().split():
            try:
                env = Path(f"/proc/{child}/environ").read_bytes().split(b"\0")
            except OSError:
                continue
            if f"RANK={rank}".encode() in env:
                return int(child)
    return None


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="finds the worker through /proc")
def test_a_killed_rank_ends_the_job_clearly_and_the_last_checkpoint_resumes(tmp_path):
    run = tmp_path / "run"
    args = ["-m", "train_backend", "train", "--recipe", "quick", "--dataset", "synthetic", "--model", "paper",
            "--set", "width=0.25", "--set", "hidden=64", "--set", "init=kaiming", "--input-size", "67",
            "--epochs", "3", "--max-steps", "400", "--batch-size", "8", "--schedule", "constant",
            "--val-subset", "16", "--device", "cpu", "--workers", "0", "--set", "checkpoint_interval_s=0.2",
            "--out", run, "--quiet"]
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([*TORCHRUN, *map(str, args)], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        deadline = time.monotonic() + 90
        while not (run / "last.pt").exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        assert (run / "last.pt").exists(), "no checkpoint was written"
        victim = _rank_pid(proc.pid, 1)
        assert victim is not None
        os.kill(victim, signal.SIGKILL)
        out, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            kill_group(proc)
    assert proc.returncode != 0
    # rank 0 says the run broke (its collective lost its peer) or that torchrun ended it; torchrun names rank 1
    assert ("the distributed run broke" in out or "rank 0: ended by torchrun" in out), out
    assert "--resume" in out or "last.pt" in out
    ckpt = read_checkpoint_file(run / "last.pt")
    step = ckpt["progress"]["step"]
    assert 0 < step < 400 and ckpt["distributed"]["world_size"] == 2
    # one process resumes the two's checkpoint (batch 16 = the old global batch) exactly where it stopped
    cfg = tiny_config(dataset="synthetic", batch_size=16, epochs=3, max_steps=step + 2, schedule="constant")
    cfg.model_options = dict(ckpt["config"]["model_options"])
    cfg.input_size, cfg.lr = 67, ckpt["config"]["lr"]
    trainer = Trainer(cfg, run_dir=tmp_path / "resumed")
    end = trainer.run(resume_from=run / "last.pt")
    assert end.reason == "max_steps", end.message
    assert end.step == step + 2
    assert (trainer.state.epoch, trainer.state.batch_in_epoch) == divmod(step + 2, 128)  # 2,048 / 16 a epoch
