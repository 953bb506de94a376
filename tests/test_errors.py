"""One error family: every refusal a user reads derives from AlexNetGuiError (a message and an exit code), keeps the
built-in base it always had, stays importable where it was, and the command line says it in one place."""

from __future__ import annotations

import pytest

from train_backend.errors import AlexNetGuiError, Cancelled


def _family():
    from train_backend.analysis import Cancelled as AnalysisCancelled
    from train_backend.analysis.passes import AnalysisError
    from train_backend.data import DataError
    from train_backend.data.images import ImageLoadError
    from train_backend.engine import ConfigError as EngineConfigError
    from train_backend.engine.distributed import DistributedError
    from train_backend.io.caffe import CaffeImportError
    from train_backend.io.checkpoints import CheckpointError
    from train_backend.io.onnx_export import OnnxExportError, OnnxUnavailable
    from train_backend.models.towers import TowerPlacementError
    from train_backend.config import ConfigError
    from train_backend.runs import NotARunFolder, RunLocked
    from train_backend.runs.kernels_file import KernelFileError
    from train_backend.settings import SettingError

    assert AnalysisCancelled is Cancelled and EngineConfigError is ConfigError
    return {AnalysisError: ValueError, DataError: ValueError, ImageLoadError: ValueError, ConfigError: ValueError,
            DistributedError: RuntimeError, CaffeImportError: ValueError, CheckpointError: ValueError,
            OnnxExportError: ValueError, OnnxUnavailable: RuntimeError, TowerPlacementError: ValueError,
            NotARunFolder: ValueError, RunLocked: RuntimeError, KernelFileError: ValueError,
            SettingError: ValueError, Cancelled: Exception}


def test_every_user_facing_error_is_of_the_family_and_keeps_its_builtin_base():
    for cls, builtin in _family().items():
        assert issubclass(cls, AlexNetGuiError) and issubclass(cls, builtin), cls
        assert isinstance(cls.exit_code, int)
    assert Cancelled.exit_code == 130


def test_the_command_line_says_any_of_the_family_in_one_line_with_its_exit_code(monkeypatch, capsys):
    import dataclasses

    from train_backend import cli
    from train_backend.cli import listing

    class Odd(AlexNetGuiError):
        exit_code = 7

    def refuse(args):
        raise Odd("first line\nsecond line")

    monkeypatch.setattr(listing, "COMMANDS", tuple(dataclasses.replace(c, run=refuse) for c in listing.COMMANDS))
    assert cli.main(["list"]) == 7
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == "alexnet-gui: error: first line second line\n"


@pytest.mark.parametrize("argv", [["summary", "--compare", ","], ["summary", "--set", "width=-3"],
                                  ["export-kernels", "-o", "k.txt"]])
def test_refusals_of_the_commands_go_through_the_one_handler(argv, capsys):
    from train_backend.cli import main

    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("alexnet-gui: error: ")
