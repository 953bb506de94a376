"""``alexnet-gui import-caffe`` (Caffe's BVLC AlexNet into a checkpoint of this app) and ``alexnet-gui export-onnx``
(any weights of the app into an ONNX graph).  A bad input gives one line and exit 2, and no output file is written
(files are written whole, through a temporary file)."""

from __future__ import annotations

import argparse
import sys

from .command import Command
from .common import UsageError, WriteError


def _import_caffe_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("caffemodel", metavar="MODEL.caffemodel")
    p.add_argument("--prototxt", help="the network description (deploy.prototxt); default: the one stored in the "
                                      "caffemodel")
    p.add_argument("--mean", help="the mean image (imagenet_mean.binaryproto), reduced to its mean pixel; default: "
                                  "ImageNet's mean pixel (B, G, R) = (104.0, 116.7, 122.7)")
    p.add_argument("-o", "--output", required=True, help="the checkpoint to write (.pt)")
    p.add_argument("--json", action="store_true", help="machine-readable summary on stdout")



def _export_onnx_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--weights", required=True, help="checkpoint, torchvision .pth, .caffemodel or 'torchvision'")
    p.add_argument("-o", "--output", required=True, help="the .onnx file to write")
    p.add_argument("--opset", type=int, default=None, help="ONNX opset (default: the exporter's)")
    p.add_argument("--batch", type=int, default=1, help="the batch size of the check (the graph's batch is dynamic)")
    p.add_argument("--no-check", action="store_true", help="skip the onnxruntime check")
    p.add_argument("--json", action="store_true", help="machine-readable summary on stdout")


def cmd_import_caffe(args: argparse.Namespace) -> int:
    import json

    from ..analysis.probes import kernel_snapshot
    from ..io.caffe import import_caffemodel, save_imported

    weights = import_caffemodel(args.caffemodel, args.prototxt, args.mean)
    try:
        out = save_imported(weights, args.output)
    except OSError as err:
        raise WriteError(args.output, err) from None
    snap = kernel_snapshot(weights.model)
    m = weights.model
    info = {"output": str(out), "layout": weights.checkpoint["imported_from"]["layout"],
            "towers": m.towers, "kernels": list(m.options["kernels"]), "hidden": m.options["hidden"],
            "classes": len(weights.classes), "mean_rgb_0_255": [round(v * 255, 4) for v in weights.input.mean],
            "lrn": {k: m.options[f"lrn_{k}"] for k in ("n", "alpha", "beta", "k")},
            "colour_selectivity": [round(float(s), 4) for s in snap.mean_selectivity]}
    if args.json:
        print(json.dumps(info))
        return 0
    sel = ", ".join(f"GPU {i + 1} {s:.3f}" for i, s in enumerate(snap.mean_selectivity))
    print(f"wrote {out}: paper AlexNet from {args.caffemodel} ({info['layout']} layout), {m.towers} tower(s), "
          f"kernels {'-'.join(map(str, info['kernels']))}, fc6/fc7 {info['hidden']}, {info['classes']} classes")
    print(f"preprocessing: 0-255 RGB minus mean pixel {tuple(round(v, 2) for v in info['mean_rgb_0_255'])}, "
          f"no std; LRN n={info['lrn']['n']} alpha={info['lrn']['alpha']:g} (divided by n) "
          f"beta={info['lrn']['beta']:g} k={info['lrn']['k']:g} across both towers")
    print(f"conv1 mean colour selectivity: {sel}")
    return 0


def cmd_export_onnx(args: argparse.Namespace) -> int:
    import json

    from ..io.weights import resolve_weights
    from ..io.onnx_export import export_onnx

    if args.batch < 1:
        raise UsageError("--batch must be at least 1")
    weights = resolve_weights(args.weights)
    try:  # its refusals (OnnxUnavailable, OnnxExportError) are the family the command dispatch says
        report = export_onnx(weights, args.output, opset=args.opset, check=not args.no_check, batch=args.batch)
    except OSError as err:
        raise WriteError(args.output, err) from None
    if args.json:
        print(json.dumps(report))
        return 0
    check = (f"; onnxruntime agrees with the model within {report['max_abs_diff']:.2e} (max |difference| of the "
             f"logits, whose largest is {report['max_abs_logit']:.3g})" if report.get("max_abs_diff") is not None else "; not checked")
    print(f"wrote {report['output']}: the {report['model']} AlexNet, opset {report['opset']}, input "
          f"{report['input_name']} (N, {report['channels']}, {report['size']}, {report['size']}) normalised as "
          f"(x - mean) / std with mean {report['mean']} and std {report['std']}{check}", file=sys.stdout)
    return 0


COMMANDS = (
    Command("import-caffe",
            help="Caffe's bvlc_alexnet.caffemodel (the paper's net with ImageNet weights) "
                 "into a checkpoint of this app",
            description="Import a Caffe AlexNet (.caffemodel, either of Caffe's layouts) into the paper "
                        "model: conv1 from BGR to RGB, Caffe's preprocessing (0-255 pixels minus the mean "
                        "pixel, no std), Caffe's LRN (k, alpha / n, across both towers), ImageNet's class "
                        "names for 1000 classes. The result loads wherever the app loads weights.",
            arguments=_import_caffe_arguments, run=cmd_import_caffe),
    Command("export-onnx",
            help="a model and its weights as an ONNX graph (Netron, onnxruntime, ...)",
            description="Export weights (a checkpoint of this app, a torchvision .pth, a .caffemodel or "
                        "'torchvision') as ONNX, the paper's LRN written out in plain operations, and "
                        "check the graph with onnxruntime against the model's forward pass. Needs the "
                        "optional extra: pip install 'alexnet-gui[onnx]'.",
            arguments=_export_onnx_arguments, run=cmd_export_onnx),
)
