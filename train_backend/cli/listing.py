"""``alexnet-gui list``: every registry (models, recipes, data sets, analyses, experiments, settings), the
same lists every other list in the app reads."""

from __future__ import annotations

import argparse
import json
import textwrap

from .command import Command


def _arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="machine-readable output")


def registries() -> dict[str, list[dict]]:
    """Everything registered, as plain data (what ``alexnet-gui list --json`` prints)."""
    from ..analysis import ANALYSES
    from ..data import DATASETS
    from ..experiments import EXPERIMENTS
    from ..models import MODELS, model_option_defaults
    from ..recipes import RECIPES, REFERENCES
    from ..settings import SETTINGS

    def first_line(fn) -> str:  # the docstring's first sentence
        text = " ".join((fn.build.__doc__ or "").split("\n\n")[0].split())  # the recipe function's own words
        return text.split(". ")[0].rstrip(".") + "."

    def plain(v):
        return list(v) if isinstance(v, tuple) else v

    return {
        "models": [{"name": n, "description": c.description, "input_size": c.native_size,
                    "options": {k: plain(v) for k, v in model_option_defaults(n).items()},
                    "weights": list(c.weights_aliases)} for n, c in MODELS.items()],
        "recipes": [{"name": n, "description": first_line(fn), "model": cfg.model, "dataset": cfg.dataset,
                     "reference": REFERENCES[n].value if n in REFERENCES else None}
                    for n, fn in RECIPES.items() for cfg in [fn()]],
        "datasets": [{"name": d.name, "description": d.description, "classes": len(d.classes) if d.classes else None,
                      "channels": d.channels, "aliases": list(d.aliases)} for d in DATASETS.values()],
        "analyses": [{"name": a.name, "description": a.description, "cost": a.cost} for a in ANALYSES.values()],
        "experiments": [{"name": e.name, "title": e.title, "description": e.description, "setting": e.setting,
                         "arms": [{"key": a.key, "label": a.label, "value": a.value} for a in e.arms],
                         "paper": e.claim.text} for e in EXPERIMENTS.values()],
        "settings": [{"key": s.key, "group": s.group, "kind": s.kind, "target": s.target} for s in SETTINGS],
    }


def cmd_list(args: argparse.Namespace) -> int:
    reg = registries()
    if args.json:
        print(json.dumps(reg, indent=2))
        return 0
    print("models:")
    for m in reg["models"]:
        weights = f"; weights: {', '.join(m['weights'])}" if m["weights"] else ""
        print(f"  {m['name']:<12} {m['input_size']} px  {m['description']}{weights}")
    print("recipes:")
    for r in reg["recipes"]:
        print(textwrap.fill(f"{r['model']} on {r['dataset']}: {r['description']}", 110,
                            initial_indent=f"  {r['name']:<12} ", subsequent_indent=" " * 15))
    print("data sets:")
    for d in reg["datasets"]:
        print(f"  {d['name']:<14} {d['description']}")
    print("analyses:")
    for a in reg["analyses"]:
        print(f"  {a['name']:<14} [{a['cost']}] {a['description']}")
    print("experiments (alexnet-gui experiment NAME):")
    for e in reg["experiments"]:
        print(textwrap.fill(f"{e['description']}; the paper: {e['paper']}", 110,
                            initial_indent=f"  {e['name']:<12} ", subsequent_indent=" " * 15))
    print(f"settings: {len(reg['settings'])} (alexnet-gui train --list-settings shows them with a recipe's values)")
    return 0


COMMANDS = (
    Command("list",
            help="what is registered: models, recipes, data sets, analyses, settings",
            description="List the registries every other list in the app reads.",
            arguments=_arguments, run=cmd_list),
)
