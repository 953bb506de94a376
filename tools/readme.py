"""README's example outputs, regenerated from the real commands.

A fenced block right after the marker line ``<!-- readme: output -->`` is a shell session: its ``$ `` lines are the
commands, and everything else in it is their output. This tool runs the commands (in order, in one scratch folder
per block, with this checkout's code, ``resources/`` reachable as in the repository root and the runs folder and
caches inside the scratch folder) and writes what they print (stdout and stderr, as a terminal shows them) under
each command::

    python3 tools/readme.py            # rewrite README.md's generated blocks
    python3 tools/readme.py --check    # exit 1, with a diff, when README.md differs from what the commands print

``--check`` ignores what is measured rather than computed: speeds (img/s, ms, ETA), sizes on disk, the thread count, the precision
the CPU offers (bf16 or fp32), dates, process ids and the figures a few training steps reach (losses, errors,
accuracies differ between CPUs and precisions); everything else must match, so a changed output fails the check
(tests/test_readme.py runs it). Only quick, deterministic commands belong in such blocks (a few seconds each);
measured figures stay as text with their date and machine.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
MARKER = "<!-- readme: output -->"

#: measured, not computed: masked on both sides before comparing
VOLATILE = [
    (re.compile(r"\d+(\.\d+)? img/s"), "N img/s"),
    (re.compile(r"ETA \d\d:\d\d(:\d\d)?"), "ETA T"),
    (re.compile(r"\(\d+ threads?\)"), "(N threads)"),
    (re.compile(r"AMP bfloat16|AMP float16|fp32"), "PRECISION"),
    (re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d(:\d\d)?"), "DATE"),
    (re.compile(r"\bpid \d+|process \d+"), "pid N"),
    (re.compile(r"\d+(\.\d+)? ms\b"), "N ms"),
    (re.compile(r"(loss|acc|error) +\d+\.\d+"), r"\1 X"),
    (re.compile(r"(?<=\s)\d+\.\d\d%"), "X%"),
    (re.compile(r"\d+(\.\d+)? [KMG]i?B\b"), "N MB"),  # a run's size moves with its metrics.jsonl's lengths
]

_WRAPPER = """#!/bin/sh
exec "{python}" -c 'import sys; from alexnet_gui.cli import main; sys.exit(main())' "$@"
"""


def blocks(text: str) -> list[tuple[int, int, list[str]]]:
    """(start, end, commands) of each generated block: the line range of the fenced block's body."""
    lines = text.split("\n")
    found = []
    for i, line in enumerate(lines):
        if line.strip() != MARKER:
            continue
        if i + 1 >= len(lines) or not lines[i + 1].startswith("```"):
            raise SystemExit(f"README.md:{i + 1}: {MARKER} is not followed by a fenced block")
        end = next((j for j in range(i + 2, len(lines)) if lines[j].startswith("```")), None)
        if end is None:
            raise SystemExit(f"README.md:{i + 2}: the fenced block is not closed")
        commands = [line[2:] for line in lines[i + 2:end] if line.startswith("$ ")]
        if not commands:
            raise SystemExit(f"README.md:{i + 2}: a generated block names no command ('$ ' lines)")
        found.append((i + 2, end, commands))
    return found


def run_block(commands: list[str]) -> list[str]:
    """The session the commands print, run one after another in a fresh scratch folder."""
    out: list[str] = []
    with tempfile.TemporaryDirectory(prefix="readme-") as scratch:
        tmp = Path(scratch)
        (tmp / "bin").mkdir()
        wrapper = tmp / "bin" / "alexnet-gui"
        wrapper.write_text(_WRAPPER.format(python=sys.executable))
        wrapper.chmod(0o755)
        work = tmp / "work"
        work.mkdir()
        (work / "resources").symlink_to(ROOT / "resources")
        env = dict(os.environ, PATH=f"{tmp / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
                   PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
                   PYTHONUNBUFFERED="1", COLUMNS="120", ALEXNET_GUI_RUNS=str(tmp / "user-runs"),
                   ALEXNET_GUI_CACHE=str(tmp / "cache"), TORCH_HOME=str(tmp / "torch"), HOME=str(tmp / "home"))
        env.pop("QT_QPA_PLATFORM", None)
        for command in commands:
            done = subprocess.run(["bash", "-c", command], check=False, cwd=work, env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True, timeout=300)
            out.append(f"$ {command}")
            out.extend(line.rstrip() for line in done.stdout.rstrip("\n").split("\n") if done.stdout.strip())
    return out


def masked(lines: list[str]) -> list[str]:
    result = []
    for line in lines:
        for pattern, replacement in VOLATILE:
            line = pattern.sub(replacement, line)
        result.append(" ".join(line.split()))  # columns widen and narrow with the figures in them
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing; exit 1 on a difference")
    parser.add_argument("--readme", type=Path, default=README)
    args = parser.parse_args(argv)
    text = args.readme.read_text(encoding="utf-8")
    lines = text.split("\n")
    differences = []
    for start, end, commands in reversed(blocks(text)):
        now = run_block(commands)
        before = lines[start:end]
        if args.check:
            if masked(before) != masked(now):
                differences.append("\n".join(difflib.unified_diff(before, now, "README.md", "the commands",
                                                                  lineterm="", n=1)))
        else:
            lines[start:end] = now
    if args.check:
        if differences:
            print("README.md's generated outputs are stale (python3 tools/readme.py rewrites them):\n", file=sys.stderr)
            print("\n\n".join(reversed(differences)), file=sys.stderr)
            return 1
        return 0
    new = "\n".join(lines)
    if new != text:
        args.readme.write_text(new, encoding="utf-8")
        print(f"updated {args.readme}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
