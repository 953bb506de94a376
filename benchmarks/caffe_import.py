"""Importing a full-size BVLC AlexNet caffemodel, and exporting it to ONNX (issue 17).

The real ``bvlc_alexnet.caffemodel`` needs the network; this writes a file of the same layout and shapes (V1
``layers``, blobs with num/channels/height/width, 96-256-384-384-256 kernels, 4096-4096-1000, packed float32:
233 MiB) with random weights, then times ``import_caffemodel`` (parse, checks, model), ``save_imported`` and, with
``--onnx``, ``export_onnx`` with its onnxruntime check, and prints the peak RSS.  Pass ``--file`` to time a real
caffemodel instead (then each tower's mean colour selectivity is a figure worth quoting).

    python3 benchmarks/caffe_import.py [--file bvlc_alexnet.caffemodel] [--onnx]
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

import numpy as np

from common import scratch_dir  # noqa: F401  (puts the repository on sys.path)

SHAPES = {"conv1": ((96, 3, 11, 11), (11, 4, 0, 1)), "conv2": ((256, 48, 5, 5), (5, 1, 2, 2)),
          "conv3": ((384, 256, 3, 3), (3, 1, 1, 1)), "conv4": ((384, 192, 3, 3), (3, 1, 1, 2)),
          "conv5": ((256, 192, 3, 3), (3, 1, 1, 2)), "fc6": ((4096, 9216), None), "fc7": ((4096, 4096), None),
          "fc8": ((1000, 4096), None)}
SEQUENCE = ["data", "conv1", "relu1", "norm1", "pool1", "conv2", "relu2", "norm2", "pool2", "conv3", "relu3", "conv4",
            "relu4", "conv5", "relu5", "pool5", "fc6", "relu6", "drop6", "fc7", "relu7", "drop7", "fc8", "loss"]
KINDS = {"data": "DATA", "conv": "CONVOLUTION", "relu": "RELU", "norm": "LRN", "pool": "POOLING", "drop": "DROPOUT",
         "fc": "INNER_PRODUCT", "loss": "SOFTMAX_LOSS"}


def write_full_size(path: Path, seed: int = 0) -> int:
    """A bvlc_alexnet-shaped V1 caffemodel; blob values go in as raw packed bytes (the wire format of packed floats)."""
    from train_backend.io.caffe_proto import messages

    m = messages(raw_blobs=True)
    types = {v.name: v.number for v in m.V1LayerParameter.DESCRIPTOR.enum_types_by_name["LayerType"].values}
    rng = np.random.default_rng(seed)
    net = m.NetParameter(name="AlexNet")
    for name in SEQUENCE:
        layer = net.layers.add(name=name, type=types[KINDS[name.rstrip("0123456789")]])
        if name in SHAPES:
            shape, geometry = SHAPES[name]
            if geometry:
                k, s, p, g = geometry
                cp = layer.convolution_param
                cp.num_output, cp.group = shape[0], g
                cp.kernel_size.append(k)
                if s != 1:
                    cp.stride.append(s)
                if p:
                    cp.pad.append(p)
            else:
                layer.inner_product_param.num_output = shape[0]
            for arr in (rng.normal(0, 0.01, shape).astype("<f4"), np.full(shape[0], 0.1, "<f4")):
                blob = layer.blobs.add()
                blob.num, blob.channels, blob.height, blob.width = (1,) * (4 - arr.ndim) + arr.shape
                blob.data = arr.tobytes()
        elif name.startswith("norm"):
            layer.lrn_param.local_size, layer.lrn_param.alpha, layer.lrn_param.beta = 5, 1e-4, 0.75
        elif name.startswith("pool"):
            layer.pooling_param.pool, layer.pooling_param.kernel_size, layer.pooling_param.stride = 0, 3, 2
        elif name.startswith("drop"):
            layer.dropout_param.dropout_ratio = 0.5
    data = net.SerializeToString()
    path.write_bytes(data)
    return len(data)


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--file", help="a real caffemodel (default: a synthetic full-size one)")
    ap.add_argument("--onnx", action="store_true", help="also export to ONNX and check it with onnxruntime")
    args = ap.parse_args()
    tmp = Path(scratch_dir("caffe-bench-"))
    src = Path(args.file) if args.file else tmp / "full.caffemodel"
    if not args.file:
        t = time.perf_counter()
        size = write_full_size(src)
        print(f"wrote a synthetic bvlc_alexnet-shaped caffemodel: {size / 2**20:.1f} MiB in "
              f"{time.perf_counter() - t:.1f} s (peak RSS so far {peak_mib():.0f} MiB)")
    from train_backend.analysis.probes import kernel_snapshot
    from train_backend.io.caffe import import_caffemodel, save_imported

    t = time.perf_counter()
    w = import_caffemodel(src)
    t_import = time.perf_counter() - t
    t = time.perf_counter()
    save_imported(w, tmp / "out.pt")
    t_save = time.perf_counter() - t
    sel = kernel_snapshot(w.model).mean_selectivity
    print(f"import {t_import:.2f} s, save {t_save:.2f} s, peak RSS {peak_mib():.0f} MiB; "
          f"conv1 mean colour selectivity GPU 1 {sel[0]:.3f}, GPU 2 {sel[1]:.3f}")
    if args.onnx:
        from train_backend.io.onnx_export import export_onnx

        t = time.perf_counter()
        report = export_onnx(w, tmp / "out.onnx")
        print(f"export-onnx {time.perf_counter() - t:.1f} s (with the onnxruntime check: max |logit difference| "
              f"{report['max_abs_diff']:.2e}), {report['bytes'] / 2**20:.0f} MiB, peak RSS {peak_mib():.0f} MiB")


if __name__ == "__main__":
    main()
