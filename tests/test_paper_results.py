"""The paper's Tables 1 and 2: one source (train_backend/paper_results.py) that README, the reports and the
Evaluation view read."""

from __future__ import annotations

import re
from pathlib import Path

from train_backend.paper_results import (TABLE1, TABLE2, imagenet_comparison, is_imagenet, report_tables_markdown,
                                         tables_markdown)

README = Path(__file__).resolve().parents[1] / "README.md"


def test_the_tables_hold_the_papers_figures():
    assert [(r.model, r.top1, r.top5) for r in TABLE1.rows] == [
        ("Sparse coding", 47.1, 28.2), ("SIFT + FVs", 45.7, 25.7), ("CNN", 37.5, 17.0)]
    assert [(r.model, r.top1, r.top5, r.test_top5) for r in TABLE2.rows] == [
        ("SIFT + FVs", None, None, 26.2), ("1 CNN", 40.7, 18.2, None), ("5 CNNs", 38.1, 16.4, 16.4),
        ("1 CNN*", 39.0, 16.6, None), ("7 CNNs*", 36.7, 15.4, 15.3)]


def test_readmes_table_is_the_data():
    text = README.read_text(encoding="utf-8")
    found = re.search(r"<!-- paper-tables[^>]*-->\n(.*?)<!-- /paper-tables -->", text, re.S)
    assert found, "README has no paper-tables block"
    assert found.group(1) == tables_markdown()


def test_reports_that_relate_to_them_show_table_2_and_others_none():
    from train_backend.experiments.report import report_markdown

    assert "| 5 CNNs | 38.1 | 16.4 | 16.4 |" in report_tables_markdown("ensemble")
    assert report_tables_markdown("relu-vs-tanh") == ""  # CIFAR-10's Figure 1: no ImageNet table
    from train_backend.experiments import get_experiment
    from train_backend.experiments.report import ArmRecorder, ReportMeta, build_report

    def arm(key):
        rec = ArmRecorder()
        rec.add_step(1, 0.5, 0.1)
        rec.add_validation(1, 0.4, 0.1)
        return rec.result(key, key, 0, f"/runs/{key}-seed0", "max_steps", "reached", 1, 0.1)

    exp = get_experiment("lrn")
    md = report_markdown(build_report(exp, [arm(a.key) for a in exp.arms],
                                      ReportMeta("synthetic", "", 1, None, (0,), planned=2)))
    assert "## The paper's results" in md
    assert "| 1 CNN | 40.7 | 18.2 | — |" in md


def test_the_evaluation_comparison_names_the_protocol_differences():
    text = imagenet_comparison(0.43, 0.2, ten_crop=False, dataset="imagenet", variant="torchvision")
    assert "40.7 % / 18.2 %" in text and "37.5 % / 17.0 %" in text
    assert "one centre crop here, ten crops averaged in the paper" in text
    assert "ILSVRC-2012 validation" in text and "ILSVRC-2010 test" in text and "one-tower variant" in text
    assert "one centre crop" not in imagenet_comparison(0.43, 0.2, ten_crop=True)
    names = ["tench", "goldfish"] + [f"c{i}" for i in range(997)] + ["toilet tissue"]
    assert is_imagenet(names, True) and not is_imagenet(names, False) and not is_imagenet(names[:10], True)


def test_the_evaluation_view_shows_the_papers_figures_only_for_imagenet_weights(qtbot):
    from types import SimpleNamespace

    import numpy as np

    from alexnet_gui.panels.evaluation import EvaluationPanel
    from train_backend.models import imagenet_categories
    from train_backend.payloads import ValidationResult
    from train_backend.session import WeightsInfo

    panel = EvaluationPanel()
    qtbot.addWidget(panel)
    result = ValidationResult(0, 0, 1.0, 0.43, 0.2, np.eye(1000, dtype=np.int64), 1000, False, False)
    info = WeightsInfo("torchvision", "torchvision", True, "torchvision ImageNet (IMAGENET1K_V1)",
                       tuple(imagenet_categories()), 224, 1)
    panel.lab = SimpleNamespace(weights=lambda: info)
    panel.set_result(result)
    text = panel.paper_line.text()
    assert not panel.paper_line.isHidden() and "40.7 % / 18.2 %" in text and "ten crops averaged" in text
    info = WeightsInfo("fresh", "paper", False, "untrained", tuple(imagenet_categories()), 227, 2)
    panel.set_result(result)
    assert panel.paper_line.isHidden() and panel.paper_line.text() == ""
