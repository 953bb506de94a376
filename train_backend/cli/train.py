"""``alexnet-gui train`` and ``alexnet-gui evaluate``: the engine from a terminal."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any

from ..data import DATASET_NAMES
from ..recipes import RECIPES
from ..config import apply_settings
from ..settings import add_setting_flags, assignment_arg, flag_values
from .command import Command
from .common import UsageError, print_error


#: the fine-tune script's log lines (``log_every``): 0-based epoch, epochs, 1-based iteration, batches, loss, accuracy
SCRIPT_TRAIN_LINE = "Training:Epoch[{:0>3}/{:0>3}] Iteration[{:0>3}/{:0>3}] Loss: {:.4f} Acc:{:.2%}"
SCRIPT_VALID_LINE = "Valid:\t Epoch[{:0>3}/{:0>3}] Iteration[{:0>3}/{:0>3}] Loss: {:.4f} Acc:{:.2%}"


def _train_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--recipe", choices=sorted(RECIPES),
                   help="preset (default: quick; with --resume, the settings the run was started with)")
    add_setting_flags(p)  # a flag per setting, from the settings table
    p.add_argument("--set", dest="settings", action="append", default=[], type=assignment_arg, metavar="KEY=VALUE",
                   help="set any config value or model option (repeatable; after the named flags, so it wins): "
                        "e.g. --set step_size=1 --set dropout=0.3 --set kernels=64,192,384,256,256. "
                        "--list-settings shows every key with the recipe's value")
    p.add_argument("--list-settings", action="store_true",
                   help="print every setting (its kind and the recipe's value after the flags) and exit")
    p.add_argument("--out", help="run folder (created; required to train, unless --resume names a run's checkpoint)")
    p.add_argument("--resume", help="continue from this checkpoint (e.g. RUN/last.pt): in its folder unless --out "
                                    "names another, with the settings in the folder's config.json unless --recipe "
                                    "is given (flags still override them)")
    p.add_argument("--print-config", action="store_true", help="print the exact config and exit")
    p.add_argument("--quiet", action="store_true", help="no progress bar")



def _evaluate_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--weights", required=True)
    p.add_argument("--dataset", choices=DATASET_NAMES, help="default: the one the checkpoint was trained on")
    p.add_argument("--data-root")
    p.add_argument("--ten-crop", action="store_true")
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--device", default="auto")
    p.add_argument("--limit", type=int, help="only the first N images")
    p.add_argument("--json", action="store_true",
                   help="one JSON object: the errors, per-class accuracy and the confusion matrix (rows = true class)")
    p.add_argument("--wrong", type=int, default=0, metavar="N",
                   help="with -o: save the N most confidently wrong images as a grid")
    p.add_argument("-o", "--output", metavar="GRID.png", help="where --wrong writes its grid (.png, .jpg, .pdf)")


def resumed_config(checkpoint: str):
    """The settings a run was started with (its folder's config.json, beside ``checkpoint``), or None."""
    from ..config import TrainConfig

    path = Path(checkpoint).parent / "config.json"
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    saved.pop("distributed", None)  # what torchrun's processes were, not a setting
    return TrainConfig.from_dict(saved)


def config_from_args(args: argparse.Namespace):
    """The config the flags say: the recipe's (or, resuming, the run's own), then the named flags, then ``--set``."""
    values = flag_values(args)
    saved = resumed_config(args.resume) if args.resume and args.recipe is None else None
    if saved is not None:  # a run resumed as it was started; the flags given now override its settings
        cfg = saved
    else:
        chosen = RECIPES[args.recipe or "quick"]
        cfg = chosen()
        if "dataset" in values:  # what another data set changes for this recipe (its channels)
            cfg = chosen.for_dataset(cfg, values["dataset"])
    return apply_settings(cfg, {**values, **dict(args.settings)})


def _fmt_time(s: float | None) -> str:
    if s is None or s != s or s == float("inf"):
        return "--:--"
    s = int(s)
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60:02d}:{s % 60:02d}"


def cmd_train(args: argparse.Namespace) -> int:
    from ..engine import Callback, Trainer, TrainControl
    from ..engine.distributed import torchrun_context
    from ..engine.preflight import check_before_run

    # its refusals (a config, a checkpoint, a data root, a torchrun job) are the family the command dispatch says
    dist_ctx = torchrun_context()  # started by torchrun with several processes: data parallel
    cfg = config_from_args(args)
    if args.list_settings:
        from ..settings import describe_all

        print(f"recipe {cfg.recipe}, every setting (--set KEY=VALUE; none/auto for the optional ones):")
        print(describe_all(cfg))
        return 0
    cfg.validate()
    if args.print_config:
        print(cfg.to_json())
        return 0
    out = args.out or (str(Path(args.resume).parent) if args.resume else None)
    if not out:
        raise UsageError("the following arguments are required: --out (or --resume RUN/last.pt)")
    check_before_run(cfg, out, args.resume)  # every config problem, before the run folder exists
    control = TrainControl()
    quiet = args.quiet or not sys.stderr.isatty() or bool(cfg.log_every)
    main = dist_ctx is None or dist_ctx.is_main  # in a torchrun job, rank 0 alone reports progress

    class Progress(Callback):
        last_line = 0.0

        def on_note(self, trainer, text):
            print(text, flush=True)

        def on_train_start(self, trainer, info):
            print(f"training {info.model} AlexNet ({info.parameters:,} parameters) on {info.dataset} "
                  f"({info.train_size:,} train / {info.val_size:,} val, {len(info.classes)} classes) "
                  f"on {info.device_name}, " + (f"AMP {info.amp_dtype}" if info.amp_dtype else "fp32"), flush=True)
            if dist_ctx is not None:
                print(f"data parallel: {dist_ctx.world_size} processes ({trainer.group.backend}), batch "
                      f"{cfg.batch_size} per process = global batch {trainer.global_batch_size}; rank 0 writes "
                      f"{trainer.run_dir}", flush=True)
            print(f"recipe {cfg.recipe}: batch {cfg.batch_size}, lr {cfg.lr:g}, momentum {cfg.momentum:g}, "
                  f"weight decay {cfg.weight_decay:g}, {'the paper' if cfg.optimizer == 'paper' else 'torch'}'s "
                  f"SGD, {cfg.schedule} schedule, input {cfg.input_size}px; "
                  f"{info.total_steps:,} steps" + (f", resuming at step {info.start_step}" if info.start_step else ""),
                  flush=True)

        def on_batch_end(self, trainer, m):
            if cfg.log_every:
                if m.batch % cfg.log_every == 0:  # the script logs at whole intervals only
                    st = trainer.state
                    print(SCRIPT_TRAIN_LINE.format(m.epoch, cfg.epochs, m.batch, m.batches_per_epoch, m.loss,
                                                   st.epoch_correct / max(1, st.epoch_seen)), flush=True)
                return
            now = time.monotonic()
            line = (f"epoch {m.epoch + 1}/{cfg.epochs} step {m.step}/{m.total_steps} "
                    f"[{m.batch}/{m.batches_per_epoch}] loss {m.loss:.4f} acc {100 * m.top1:5.1f}% "
                    f"lr {m.lr:.2e} {m.images_per_sec:6.1f} img/s ETA {_fmt_time(m.eta_s)}")
            if quiet:
                if now - self.last_line >= 10 or m.step == 1 or m.step == m.total_steps:
                    print(line, flush=True)
                    self.last_line = now
            else:
                sys.stderr.write("\r" + line.ljust(110))
                sys.stderr.flush()

        def on_validation_end(self, trainer, r):
            if cfg.log_every:
                print(SCRIPT_VALID_LINE.format(r.epoch, cfg.epochs, r.batches, r.batches, r.batch_mean_loss,
                                               1 - r.top1_error), flush=True)
                return
            if not quiet:
                sys.stderr.write("\n")
            what = "ten-crop " if r.ten_crop else ""
            print(f"  validation @ step {r.step}: loss {r.loss:.4f}, {what}top-1 error {100 * r.top1_error:.2f}%, "
                  f"top-5 error {100 * r.top5_error:.2f}% ({r.images:,} images)", flush=True)

        def on_epoch_end(self, trainer, e):
            val = (f", val loss {e.val_loss:.4f}, top-1 error {100 * e.val_top1_error:.2f}%, top-5 error "
                   f"{100 * e.val_top5_error:.2f}%") if e.val_loss is not None else ""
            print(f"epoch {e.epoch + 1}: train loss {e.train_loss:.4f}, train error {100 * e.train_top1_error:.2f}%"
                  f"{val}, lr {e.lr:.2e}, {_fmt_time(e.elapsed_s)}", flush=True)

        def on_checkpoint(self, trainer, c):
            if c.kind == "stop":
                interrupts["saved"] = c.path
            if c.kind != "last":
                print(f"  saved {c.kind} checkpoint {c.path}", flush=True)

    interrupts: dict[str, Any] = {"count": 0, "saved": None}

    def on_sigint(signum, frame):
        interrupts["count"] += 1
        if interrupts["count"] > 1:  # abandon: whatever is being written is left unwritten (writes are atomic)
            raise KeyboardInterrupt
        print("\nstopping after this batch and writing the checkpoint (Ctrl+C again: stop without writing it)...",
              file=sys.stderr, flush=True)
        control.stop()

    old = signal.signal(signal.SIGINT, on_sigint)
    old_term = None
    if dist_ctx is not None:  # torchrun ends the other processes with SIGTERM when one fails: say so
        def on_sigterm(signum, frame):
            os.write(2, f"rank {dist_ctx.rank}: ended by torchrun (another process of the run failed or was "
                        f"stopped); rank 0's run folder keeps the last checkpoint (last.pt) to --resume from\n"
                        .encode())
            os._exit(128 + signum)

        old_term = signal.signal(signal.SIGTERM, on_sigterm)
    end = None
    try:
        end = Trainer(cfg, [Progress()] if main else [], control, run_dir=out,
                      distributed=dist_ctx).run(resume_from=args.resume)
    except KeyboardInterrupt:  # the second Ctrl+C, out of the loop or the checkpoint's write
        pass
    finally:
        signal.signal(signal.SIGINT, old)
        if old_term is not None:
            signal.signal(signal.SIGTERM, old_term)
    if not quiet and main:
        sys.stderr.write("\n")
    if interrupts["count"] > 1:
        return _abandoned(out, interrupts["saved"])
    if end.reason in ("config", "locked"):  # refused at set-up (a checkpoint that does not fit, a folder in use)
        print_error(" ".join(end.message.split()))
        return 2
    if main or not end.ok:
        who = f"rank {dist_ctx.rank}: " if dist_ctx is not None and not main else ""
        print(f"{who}{end.reason}: {end.message}" + (f" (checkpoint: {end.checkpoint})" if end.checkpoint and
                                                     end.checkpoint not in end.message else ""), flush=True)
    if interrupts["count"]:  # Ctrl+C: stopped after the batch, its checkpoint written (or the write's failure said)
        if end.checkpoint and main:
            print(f"to resume: {resume_command(end.checkpoint)}", file=sys.stderr, flush=True)
        return 130
    return 0 if end.ok else 1


def resume_command(checkpoint: str | os.PathLike) -> str:
    """The command that continues a run from ``checkpoint`` (in its folder, with the settings it was started with)."""
    import shlex

    return f"alexnet-gui train --resume {shlex.quote(str(checkpoint))}"


def _abandoned(out: str, saved: str | None) -> int:
    """A second Ctrl+C: the run ends at once, saying whether a checkpoint to resume from exists (exit 130)."""
    last = Path(out) / "last.pt"
    if saved:
        where = f"the stop's checkpoint {saved} was written before it; to resume: {resume_command(saved)}"
    elif last.is_file():
        where = f"the checkpoint being written was abandoned; {last} (an earlier one) is unchanged; to resume: " \
                f"{resume_command(last)}"
    else:
        where = f"the checkpoint being written was abandoned: no checkpoint exists in {out}, so the run cannot be " \
                "resumed"
    print(f"abandoned: {where}", file=sys.stderr, flush=True)
    return 130


def cmd_evaluate(args: argparse.Namespace) -> int:
    from ..analysis.export import IMAGE_FORMATS
    from ..data import DataError
    from ..engine.evaluate import evaluate_on, open_evaluation

    if args.wrong < 0 or (args.wrong and not args.output) or (args.output and not args.wrong):
        raise UsageError("--wrong N and -o GRID.png go together (N >= 1)")
    if args.output and Path(args.output).suffix.lower() not in IMAGE_FORMATS:
        raise UsageError(f"-o must end in one of {', '.join(IMAGE_FORMATS)}")
    loaded, bundle = open_evaluation(args.weights, args.dataset, args.data_root)
    r = evaluate_on(loaded, bundle, ten_crop=args.ten_crop, batch_size=args.batch_size, device=args.device,
                    limit=args.limit, keep_wrong=args.wrong)
    if r is None:
        raise DataError("the validation split is empty")
    classes = list(bundle.classes)
    if args.output:
        save_wrong_grid(bundle, r, args.output)
    if args.json:
        acc = r.per_class_accuracy()
        print(json.dumps({"weights": args.weights, "dataset": bundle.name, "images": r.images, "loss": r.loss,
                          "top1_error": r.top1_error, "top5_error": r.top5_error, "ten_crop": r.ten_crop,
                          "classes": classes,
                          "per_class_accuracy": {c: (None if a != a else float(a)) for c, a in zip(classes, acc)},
                          "confusion": r.confusion.tolist(),
                          "wrong": [{"index": w.index, "true": classes[w.true], "predicted": classes[w.predicted],
                                     "confidence": w.confidence} for w in r.wrong],
                          "grid": args.output}))
    else:
        crop = "ten-crop" if r.ten_crop else "centre crop"
        print(f"{args.weights}: {r.images:,} images, {crop}: top-1 error {100 * r.top1_error:.2f}%, "
              f"top-5 error {100 * r.top5_error:.2f}%, loss {r.loss:.4f}")
        if args.output:
            print(f"the {len(r.wrong)} most confidently wrong images: {args.output}")
    return 0


def save_wrong_grid(bundle, result, path: str) -> None:
    """The most confidently wrong images, each captioned with its true and predicted class."""
    import numpy as np
    import torch

    from ..analysis.export import image_grid, save_image

    tiles, captions = [], []
    for w in result.wrong:
        image = bundle.val[w.index][0]
        if isinstance(image, torch.Tensor):
            arr = image.numpy()
            arr = arr.transpose(1, 2, 0) if arr.ndim == 3 else arr
            arr = arr[..., 0] if arr.ndim == 3 and arr.shape[2] == 1 else arr
        else:
            arr = np.asarray(image.convert("RGB"))
        tiles.append(arr)
        captions.append(f"#{w.index} {bundle.classes[w.true]}\n-> {bundle.classes[w.predicted]} "
                        f"{100 * w.confidence:.0f} %")
    save_image(image_grid(tiles, captions, columns=min(8, max(1, len(tiles)))), path)


COMMANDS = (
    Command("train",
            help="train headless with the same engine the window uses",
            description="Train a model. Every recipe value can be overridden; the run folder gets "
                        "config.json, metrics.jsonl, last.pt and best.pt. Ctrl+C stops after the batch, "
                        "writes the checkpoint and says how to resume (exit 130); a second Ctrl+C stops "
                        "without writing it.",
            arguments=_train_arguments, run=cmd_train),
    Command("evaluate",
            help="top-1 / top-5 error of a checkpoint",
            description="Evaluate a checkpoint on a data set's validation/test split.",
            arguments=_evaluate_arguments, run=cmd_evaluate),
)
