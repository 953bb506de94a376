"""Any model of the app as an ONNX graph (Netron, onnxruntime, any runtime), checked with onnxruntime.

The paper's LRN is a custom autograd function (fast on a CPU) that no exporter knows; for the export each LRN layer
is replaced by the same formula in plain operations (:func:`plain_lrn`: a square, channel shifts made of Slice and
Concat, adds, a power: operations every opset has), per tower or across all channels as the layer says.

What the graph keeps: the weights, the layer names (the ONNX initialisers are ``conv1.weight`` ...), a dynamic batch
axis; the preprocessing and the class names are not operations of the graph but go into its metadata
(``metadata_props``: ``input_size``, ``resize``, ``eval_resize``, ``mean``, ``std``, ``channel_order``,
``pixel_range``, ``classes``, ``model_config``), so a runtime normalises the image itself: RGB in [0, 1], then
``(x - mean) / std``.

The optional extra ``pip install 'alexnet-gui[onnx]'`` brings ``onnx``, ``onnxruntime`` and ``onnxscript`` (which
torch's exporter needs); without them :class:`OnnxUnavailable` says so.
"""

from __future__ import annotations

import contextlib
import copy
import inspect
import json
import logging
import os
import warnings
from pathlib import Path
from typing import Any

import torch
from torch import nn

from ..errors import AlexNetGuiError
from ..models.lrn import LocalResponseNorm, _window
from .atomic import write_atomic
from .checkpoints import LoadedWeights

EXTRA_HINT = "pip install 'alexnet-gui[onnx]' (onnx, onnxruntime, onnxscript)"
#: how close onnxruntime's logits must be to the model's: relative to the largest logit (at least 1), float32
TOLERANCE = 1e-4
#: the lowest opset torch's exporter writes (it writes 18 and converts down, as far as 17)
MIN_OPSET = 17


class OnnxUnavailable(AlexNetGuiError, RuntimeError):
    """The optional packages for ONNX are not installed."""


class OnnxExportError(AlexNetGuiError, ValueError):
    """The model could not be exported, or the exported graph does not compute what the model does: nothing was
    written."""

    exit_code = 1


class OnnxOpsetError(OnnxExportError):
    """An opset the exporter cannot write was asked for (said before any export is tried)."""

    exit_code = 2


def opset_problem(opset: int | None) -> str | None:
    """Why ``opset`` cannot be asked of the exporter (None: it can, or the exporter's default), said before any
    export is tried; needs ``onnx`` for the newest opset it knows."""
    if opset is None:
        return None
    import onnx

    newest = onnx.defs.onnx_opset_version()
    if MIN_OPSET <= opset <= newest:
        return None
    return (f"torch's exporter cannot write opset {opset}: ask for --opset {MIN_OPSET} or later (up to {newest}, "
            "the newest the installed onnx knows): nothing written")


def onnx_missing() -> str | None:
    """Which of the optional packages is missing (None: all there)."""
    import importlib.util

    for name in ("onnx", "onnxruntime", "onnxscript"):
        if importlib.util.find_spec(name) is None:
            return name
    return None


def _shifted(t: torch.Tensor, d: int) -> torch.Tensor:
    """``t`` moved ``d`` channels along dim 1 (out[i] = t[i + d]), zeros shifted in: Slice and Concat only, which
    every opset has (a Pad over the channel axis would need opset 18)."""
    c = t.shape[1]
    if d == 0:
        return t
    if abs(d) >= c:
        return torch.zeros_like(t)
    if d > 0:
        return torch.cat([t[:, d:], torch.zeros_like(t[:, :d])], dim=1)
    return torch.cat([torch.zeros_like(t[:, :(-d)]), t[:, :d]], dim=1)


def plain_lrn(x: torch.Tensor, front: int, back: int, alpha: float, beta: float, k: float) -> torch.Tensor:
    """The LRN formula on (N, C, H, W) over channels [i - front, i + back] (alpha already divided by the
    convention's divisor), in operations every ONNX opset has."""
    sq = x * x
    total = sq
    for d in range(1, front + 1):
        total = total + _shifted(sq, -d)
    for d in range(1, back + 1):
        total = total + _shifted(sq, d)
    return x * torch.pow(total * alpha + k, -beta)


class PlainLRN(nn.Module):
    """A :class:`LocalResponseNorm` in plain operations only (what ONNX exporters understand), same numbers."""

    def __init__(self, lrn: LocalResponseNorm) -> None:
        super().__init__()
        self.front, self.back, div = _window(lrn.size, lrn.convention)
        self.alpha, self.beta, self.k, self.groups = lrn.alpha / div, lrn.beta, lrn.k, lrn.groups

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        g = self.groups
        if g > 1:  # each tower on its own: towers side by side in the batch axis
            n, c, h, w = x.shape
            x = x.reshape(n * g, c // g, h, w)
            return plain_lrn(x, self.front, self.back, self.alpha, self.beta, self.k).reshape(n, c, h, w)
        return plain_lrn(x, self.front, self.back, self.alpha, self.beta, self.k)


def exportable(model: nn.Module) -> nn.Module:
    """A copy of ``model`` in eval mode with each LRN layer in plain operations."""
    clone = copy.deepcopy(model).eval().float().cpu()
    for name, module in list(clone.named_children()):
        if isinstance(module, LocalResponseNorm):
            setattr(clone, name, PlainLRN(module))
    return clone


def onnx_metadata(weights: LoadedWeights) -> dict[str, str]:
    spec = weights.input
    return {"model": weights.model.variant, "input_size": str(spec.size), "resize": str(spec.resize or ""),
            "eval_resize": weights.eval_resize, "mean": json.dumps(list(spec.mean)), "std": json.dumps(list(spec.std)),
            "channel_order": "RGB" if spec.channels == 3 else "grey", "pixel_range": "0-1", "pixels": spec.pixels,
            "classes": json.dumps(list(weights.classes)), "source": str(weights.source),
            "model_config": json.dumps({k: (list(v) if isinstance(v, tuple) else v)
                                        for k, v in weights.model.config().items()})}


def export_onnx(weights: LoadedWeights, output: str | os.PathLike, opset: int | None = None, check: bool = True,
                batch: int = 1, seed: int = 0) -> dict[str, Any]:
    """Write ``weights`` as ONNX to ``output`` (whole or not at all) and, with ``check``, run the written graph in
    onnxruntime on a random image (uniform in [0, 1], normalised as the weights' input spec says); returns a summary
    (``max_abs_diff``: the largest logit difference).  Raises :class:`OnnxUnavailable` without the optional
    packages, :class:`OnnxExportError` (a ``ValueError``) when the opset cannot be written or the check fails (nothing
    written); the check allows a difference of ``TOLERANCE`` times the largest logit (at least 1)."""
    missing = onnx_missing()
    if missing:
        raise OnnxUnavailable(f"exporting to ONNX needs the optional package {missing!r}: {EXTRA_HINT}")
    if "dynamo" not in inspect.signature(torch.onnx.export).parameters:  # the older TorchScript exporter only
        raise OnnxUnavailable(f"exporting to ONNX needs torch 2.5 or later (torch {torch.__version__} is installed)")
    import onnx

    problem = opset_problem(opset)
    if problem:
        raise OnnxOpsetError(problem)
    model = exportable(weights.model)
    spec = weights.input
    gen = torch.Generator().manual_seed(seed)
    u = torch.rand(batch, spec.channels, spec.size, spec.size, generator=gen)  # an image's range, normalised
    x = (u - torch.tensor(spec.mean).view(-1, 1, 1)) / torch.tensor(spec.std).view(-1, 1, 1)
    kwargs: dict[str, Any] = {"input_names": ["image"], "output_names": ["logits"], "dynamo": True,
                              "dynamic_shapes": ({0: torch.export.Dim("batch", min=1, max=4096)},)}
    if opset is not None:
        kwargs["opset_version"] = opset
    with warnings.catch_warnings(), torch.no_grad(), _quiet_loggers():
        warnings.simplefilter("ignore")  # the exporter's notes on its own progress
        try:
            program = torch.onnx.export(model, (x,), None, verbose=False, **kwargs)
        except Exception as err:  # noqa: BLE001 - the exporter's many failure types
            first = str(err).splitlines()[0] if str(err) else type(err).__name__
            raise OnnxExportError(f"the exporter could not convert the {weights.model.variant} model: {first}") from None
    proto = program.model_proto
    if opset is not None and _opset(proto) != opset:  # the exporter writes 18+ and converts down when it can
        raise OnnxExportError(f"torch's exporter could not write opset {opset} (it wrote {_opset(proto)}); ask "
                              f"for --opset {MIN_OPSET} or later: nothing written")
    for key, value in onnx_metadata(weights).items():
        entry = proto.metadata_props.add()
        entry.key, entry.value = key, value
    centred = ("minus the training set's mean image at the centre crop (the .mean_image.npy file beside this one), "
               "divided by std" if spec.mean_image is not None else "normalised as (x - mean) / std")
    proto.doc_string = (f"{weights.model.variant} AlexNet from alexnet-gui: input 'image' (N, {spec.channels}, "
                        f"{spec.size}, {spec.size}), RGB in [0, 1] {centred} (see metadata); "
                        "output 'logits' (softmax them for probabilities)")
    if spec.mean_image is not None:
        entry = proto.metadata_props.add()
        entry.key, entry.value = "mean_image", mean_image_file(output).name
    data = proto.SerializeToString()
    report: dict[str, Any] = {"output": str(output), "model": weights.model.variant, "opset": _opset(proto),
                              "input_name": "image", "output_name": "logits", "channels": spec.channels,
                              "size": spec.size, "mean": [round(v, 6) for v in spec.mean],
                              "std": [round(v, 6) for v in spec.std], "bytes": len(data), "max_abs_diff": None}
    if check:
        onnx.checker.check_model(onnx.load_model_from_string(data))
        report["max_abs_diff"], report["max_abs_logit"] = differences(data, model, x)
        scale = max(1.0, report["max_abs_logit"])
        if not report["max_abs_diff"] <= TOLERANCE * scale:
            raise OnnxExportError(f"the exported graph differs from the model by {report['max_abs_diff']:.3g}, "
                                  f"{report['max_abs_diff'] / scale:.3g} of the largest logit "
                                  f"({report['max_abs_logit']:.3g}; more than {TOLERANCE:g}): not written")
    write_atomic(output, lambda tmp: Path(tmp).write_bytes(data))
    if spec.mean_image is not None:  # the paper's inputs: what to subtract from the centre crop, beside the graph
        import numpy as np

        side = mean_image_file(output)
        offset = spec.offset().numpy()
        def save(tmp: str) -> None:
            with open(tmp, "wb") as f:
                np.save(f, offset)

        write_atomic(side, save)
        report["mean_image"] = str(side)
    return report


def mean_image_file(output: str | os.PathLike) -> Path:
    """Where an export of weights trained on mean-image inputs puts the mean image's centre crop (C, S, S), in [0, 1]
    units: the graph's input is (x - that) / std, x the crop's pixels in [0, 1]."""
    return Path(str(output) + ".mean_image.npy")


@contextlib.contextmanager
def _quiet_loggers():
    """The exporter logs its version conversions (with a traceback when one fails) on stderr: the caller reports."""
    names = ("torch.onnx", "onnxscript", "onnx_ir")
    loggers = [logging.getLogger(n) for n in names]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for lg, level in zip(loggers, levels):
            lg.setLevel(level)


def _opset(proto) -> int:
    return next((int(o.version) for o in proto.opset_import if o.domain in ("", "ai.onnx")), 0)


def run_onnx(data: bytes | str | os.PathLike, x: torch.Tensor):
    """Run an exported graph (bytes or a file) in onnxruntime on the CPU: the logits as a NumPy array."""
    import onnxruntime as ort

    if not isinstance(data, bytes):
        data = Path(data).read_bytes()
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    session = ort.InferenceSession(data, options, providers=["CPUExecutionProvider"])
    return session.run(None, {session.get_inputs()[0].name: x.numpy()})[0]


def differences(data: bytes, model: nn.Module, x: torch.Tensor) -> tuple[float, float]:
    """The largest |difference| between the graph's logits and the model's, and the largest |logit| of the model."""
    with torch.no_grad():
        want = model(x).numpy()
    got = run_onnx(data, x)
    return float(abs(got - want).max()), float(abs(want).max())


def max_difference(data: bytes, model: nn.Module, x: torch.Tensor) -> float:
    return differences(data, model, x)[0]


__all__ = ["EXTRA_HINT", "MIN_OPSET", "OnnxExportError", "OnnxOpsetError", "OnnxUnavailable", "PlainLRN", "TOLERANCE", "differences",
           "export_onnx", "exportable", "max_difference", "onnx_metadata", "onnx_missing", "opset_problem", "run_onnx"]
