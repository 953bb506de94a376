"""Caffe's ``.caffemodel`` (BVLC AlexNet, the paper's architecture with ImageNet weights) into the paper model.

What is mapped, and how (``bvlc_alexnet``'s conventions differ from the paper's and from torchvision's):

* the layers, by type and order (their names do not matter): five convolutions, two LRNs, three max poolings and
  three inner products with ReLUs between and dropouts after relu6 and relu7, exactly in the paper's order
  (``conv relu norm pool``: CaffeNet's ``conv relu pool norm`` is another network and is refused).  The kernel
  counts, the fc6/fc7 width and the class count come from the blob shapes, so a scaled-down net imports too; each
  blob's shape and each layer's kernel, stride, padding and group are checked against the paper model's;
* conv1's input channels: Caffe's images are BGR, the app's RGB, so conv1's kernels are flipped on that axis;
* the preprocessing: Caffe feeds 0-255 pixels minus a mean, with no std division.  The mean image of
  ``imagenet_mean.binaryproto`` (256 x 256 x 3) is reduced to its mean pixel, as Caffe's own ``classify.py``
  example does (the crop it would subtract varies with the image's position; the mean pixel differs from it by a
  few grey levels at most); without ``--mean`` it is ImageNet's mean pixel as Caffe's examples give it.  In the
  app's terms (pixels in [0, 1], then ``(x - mean) / std``) that is ``mean = pixel / 255``, ``std = 1 / 255``.
  Images are squashed to 256 x 256 before the central 227 crop, as Caffe's ImageNet data were;
* the LRN: Caffe's ``k`` (1 in bvlc_alexnet), ``alpha`` divided by ``n`` (the model's ``lrn_convention="pytorch"``,
  whose window matches Caffe's for the odd sizes Caffe allows), across *all* channels (``lrn_across_towers``);
* ImageNet's class names (torchvision's list, the same 1000 synsets in the same order) for a 1000-class fc8.

The file is untrusted: its size is checked before it is read (:data:`MAX_CAFFEMODEL_BYTES`), the parser is
protobuf's (bounded recursion), and every count and shape is checked before any array is built; any failure is
one :class:`CaffeImportError` (a :class:`CheckpointError`) naming the file and the reason.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch

from .checkpoints import CheckpointError, InputSpec, LoadedWeights, fit_classes, save_checkpoint

#: bvlc_alexnet.caffemodel is 244 MB (233 MiB); twice that is refused before reading
MAX_CAFFEMODEL_BYTES = 512 * 2**20
MAX_PROTOTXT_BYTES = 4 * 2**20
MAX_MEAN_BYTES = 64 * 2**20
MAX_LAYERS = 1000
#: the mean pixel of ilsvrc_2012_mean.npy, BGR, as Caffe's examples use it when no mean file is given
IMAGENET_MEAN_BGR = (104.00698793, 116.66876762, 122.67891434)

#: V1LayerParameter.LayerType -> the new layout's type strings (the types the importer looks at)
_V1_TYPES = {"CONVOLUTION": "Convolution", "INNER_PRODUCT": "InnerProduct", "LRN": "LRN", "POOLING": "Pooling",
             "RELU": "ReLU", "DROPOUT": "Dropout", "SOFTMAX": "Softmax", "SOFTMAX_LOSS": "SoftmaxWithLoss",
             "DATA": "Data", "ACCURACY": "Accuracy", "SPLIT": "Split", "SILENCE": "Silence",
             "IMAGE_DATA": "ImageData", "MEMORY_DATA": "MemoryData", "DUMMY_DATA": "DummyData",
             "WINDOW_DATA": "WindowData", "HDF5_DATA": "HDF5Data", "FLATTEN": "Flatten"}
#: layers with nothing to compute for the classifier (data input, loss, accuracy, the final softmax; a Flatten
#: before fc6 changes nothing, since an InnerProduct flattens its input in the same order)
_PASSIVE = {"Data", "Input", "ImageData", "MemoryData", "DummyData", "WindowData", "HDF5Data", "Softmax",
            "SoftmaxWithLoss", "Accuracy", "Split", "Silence", "Flatten"}
#: the paper's order (Dropout is optional: a deploy net may leave it out)
_EXPECTED = ["Convolution", "ReLU", "LRN", "Pooling", "Convolution", "ReLU", "LRN", "Pooling",
             "Convolution", "ReLU", "Convolution", "ReLU", "Convolution", "ReLU", "Pooling",
             "InnerProduct", "ReLU", "Dropout", "InnerProduct", "ReLU", "Dropout", "InnerProduct"]
_OURS = ["conv1", "relu1", "lrn1", "pool1", "conv2", "relu2", "lrn2", "pool2", "conv3", "relu3", "conv4", "relu4",
         "conv5", "relu5", "pool5", "fc6", "relu6", "drop6", "fc7", "relu7", "drop7", "fc8"]
#: (kernel, stride, pad, groups in a two-tower net) of conv1..conv5
_CONV_GEOMETRY = [(11, 4, 0, 1), (5, 1, 2, 2), (3, 1, 1, 1), (3, 1, 1, 2), (3, 1, 1, 2)]


class CaffeImportError(CheckpointError):
    """A Caffe file could not be imported; the message names the file and the reason."""


@dataclass
class CaffeLayer:
    """One layer of either layout, in the new layout's terms."""

    name: str
    type: str
    blobs: list[Any] = field(default_factory=list)  # BlobProto messages (raw or faithful)
    param: Any = None  # the message of its *_param, or None


def _read_bounded(path: str | os.PathLike, limit: int, what: str) -> bytes:
    p = Path(path)
    if p.is_dir():
        raise CaffeImportError(f"'{p}' is a folder, not a {what}")
    if not p.exists():
        raise CaffeImportError(f"'{p}': no such file")
    size = p.stat().st_size
    if size == 0:
        raise CaffeImportError(f"'{p}' is empty")
    if size > limit:
        raise CaffeImportError(f"'{p}' is {size / 2**20:,.0f} MiB, more than a {what} can be "
                               f"({limit / 2**20:,.0f} MiB at most): refused without reading it")
    try:
        return p.read_bytes()
    except OSError as err:
        raise CaffeImportError(f"'{p}' cannot be read ({err.strerror or err})") from None


def _parse(cls, data: bytes, where: str, what: str):
    msg = cls()
    try:
        msg.ParseFromString(data)
    except RecursionError:
        raise CaffeImportError(f"'{where}' nests too deeply to be a {what}: refused") from None
    except Exception as err:  # noqa: BLE001 - DecodeError, and whatever else a damaged message raises
        first = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise CaffeImportError(f"'{where}' is truncated, damaged or not a {what} ({first})") from None
    return msg


def _layers(net, v1_types) -> list[CaffeLayer]:
    if len(net.layer) and len(net.layers):
        raise CaffeImportError("it mixes both layouts (layer and layers)")
    out = []
    if len(net.layers):  # V1: an enum type, the params in fields 10-19
        for l in net.layers:
            kind = v1_types.get(l.type, "?")
            out.append(CaffeLayer(l.name, _V1_TYPES.get(kind, kind), list(l.blobs), _param_of(l, _V1_TYPES.get(kind))))
    else:
        for l in net.layer:
            out.append(CaffeLayer(l.name, l.type, list(l.blobs), _param_of(l, l.type)))
    return out


def _param_of(layer, kind: str | None):
    name = {"Convolution": "convolution_param", "InnerProduct": "inner_product_param", "LRN": "lrn_param",
            "Pooling": "pooling_param", "Dropout": "dropout_param"}.get(kind or "")
    return getattr(layer, name) if name and layer.HasField(name) else None


def read_caffemodel(path: str | os.PathLike) -> tuple[list[CaffeLayer], str]:
    """The layers of a ``.caffemodel`` (either layout) and which layout it is ("V1 layers" or "layer")."""
    from .caffe_proto import messages

    where = str(path)
    data = _read_bounded(path, MAX_CAFFEMODEL_BYTES, "Caffe model")
    raw = messages(raw_blobs=True)
    net = _parse(raw.NetParameter, data, where, "Caffe model (.caffemodel)")
    v1_types = {v.number: v.name for v in raw.V1LayerParameter.DESCRIPTOR.enum_types_by_name["LayerType"].values}
    if not len(net.layer) and not len(net.layers):
        raise CaffeImportError(f"'{where}' holds no layers: it is not a Caffe model (or is empty or damaged)")
    if len(net.layer) + len(net.layers) > MAX_LAYERS:
        raise CaffeImportError(f"'{where}' has more than {MAX_LAYERS} layers: not an AlexNet")
    unpacked = any(not b.HasField("data") and not b.HasField("double_data") and b.ByteSize()
                   for l in (*net.layer, *net.layers) for b in l.blobs)
    if unpacked:  # written without [packed = true]: read those floats one by one
        net = _parse(messages(raw_blobs=False).NetParameter, data, where, "Caffe model (.caffemodel)")
    try:
        layers = _layers(net, v1_types)
    except CaffeImportError as err:
        raise CaffeImportError(f"'{where}': {err}") from None
    return layers, ("V1 layers" if len(net.layers) else "layer")


def read_prototxt(path: str | os.PathLike) -> list[CaffeLayer]:
    """The layers of a text ``deploy.prototxt`` (either layout; fields not declared here are skipped)."""
    from google.protobuf import text_format

    from .caffe_proto import messages

    where = str(path)
    data = _read_bounded(path, MAX_PROTOTXT_BYTES, "network description (.prototxt)")
    faithful = messages(raw_blobs=False)
    try:
        text = data.decode("utf-8")
        net = text_format.Parse(text, faithful.NetParameter(), allow_unknown_field=True)
    except (UnicodeDecodeError, text_format.ParseError, RecursionError) as err:
        first = str(err).splitlines()[0] if str(err) else type(err).__name__
        first = first if len(first) <= 160 else first[:160] + "…"
        raise CaffeImportError(f"'{where}' is not a Caffe network description ({first})") from None
    v1_types = {v.number: v.name for v in
                faithful.V1LayerParameter.DESCRIPTOR.enum_types_by_name["LayerType"].values}
    try:
        return _layers(net, v1_types)
    except CaffeImportError as err:
        raise CaffeImportError(f"'{where}': {err}") from None


def _blob_shape(blob) -> tuple[int, ...]:
    if blob.HasField("shape"):
        dims = tuple(int(d) for d in blob.shape.dim)
    else:  # the V1 blob: num, channels, height, width
        dims = (int(blob.num), int(blob.channels), int(blob.height), int(blob.width))
    if len(dims) > 8 or any(d < 0 for d in dims):
        raise CaffeImportError(f"a blob has an impossible shape {dims}")
    return dims


def _blob_array(blob, rank: int, what: str) -> np.ndarray:
    """A blob as a float32 array of ``rank`` dimensions (Caffe's V1 blobs pad shapes with leading ones)."""
    shape = list(_blob_shape(blob))
    while len(shape) > rank and shape[0] == 1:
        shape.pop(0)
    if len(shape) != rank:
        raise CaffeImportError(f"{what} has shape {tuple(shape)}, not {rank}-dimensional")
    count = int(np.prod(shape, dtype=np.int64))
    data = blob.data  # read once: each access to a bytes field hands out a new copy
    if isinstance(data, bytes):  # the raw variant: packed little-endian floats
        if data:
            if len(data) % 4:
                raise CaffeImportError(f"{what}: its data is truncated")
            values = np.frombuffer(data, dtype="<f4")
        else:
            data = blob.double_data
            if len(data) % 8:
                raise CaffeImportError(f"{what}: its data is truncated")
            values = np.frombuffer(data, dtype="<f8")
    else:
        values = np.asarray(data if len(data) else blob.double_data, dtype=np.float64)
    if values.size != count:
        raise CaffeImportError(f"{what} has shape {tuple(shape)} ({count:,} values) but holds {values.size:,}")
    arr = values.astype(np.float32).reshape(shape)
    if not np.isfinite(arr).all():
        raise CaffeImportError(f"{what} holds NaN or infinite values")
    return arr


def _pair(values, single_h: int, single_w: int, default: int, what: str) -> int:
    """Caffe's ``kernel_size``/``stride``/``pad`` (repeated, or *_h/*_w): one square value."""
    vals = list(values) if not isinstance(values, int) else [values]
    if single_h or single_w:
        if single_h != single_w:
            raise CaffeImportError(f"{what} is not square ({single_h} x {single_w})")
        return int(single_h)
    if not vals:
        return default
    if len(set(vals)) != 1:
        raise CaffeImportError(f"{what} is not square ({vals})")
    return int(vals[0])


@dataclass
class CaffeNet:
    """What the importer found: the model options, the state_dict (our names, RGB conv1) and where it came from."""

    options: dict[str, Any]
    num_classes: int
    state: dict[str, torch.Tensor]
    layout: str
    names: dict[str, str]  # our layer name -> the file's


def _structure(layers: list[CaffeLayer], where: str) -> list[tuple[str, CaffeLayer]]:
    active = [l for l in layers if l.type not in _PASSIVE]
    matched: list[tuple[str, CaffeLayer]] = []
    i = 0
    for ours, kind in zip(_OURS, _EXPECTED):
        if i < len(active) and active[i].type == kind:
            matched.append((ours, active[i]))
            i += 1
        elif kind == "Dropout":
            continue
        else:
            found = active[i].type if i < len(active) else "the end of the network"
            pos = f"after {matched[-1][1].name!r}" if matched else "first"
            seq = " ".join(l.type for l in active[:24]) + (" ..." if len(active) > 24 else "")
            raise CaffeImportError(
                f"'{where}' is not the paper's AlexNet: {kind} expected {pos} (as {ours}), found {found} "
                f"(its layers: {seq})")
    if i < len(active):
        raise CaffeImportError(f"'{where}' is not the paper's AlexNet: it goes on after fc8 with "
                               f"{', '.join(l.type for l in active[i:i + 4])}")
    return matched


def caffe_net(caffemodel: str | os.PathLike, prototxt: str | os.PathLike | None = None) -> CaffeNet:
    """Read and check a caffemodel (and its prototxt): the paper model's options and weights, or an error."""
    where = str(caffemodel)
    layers, layout = read_caffemodel(caffemodel)
    by_name = {l.name: l for l in layers}
    if prototxt is not None:  # the structure from the description, the weights from the model, by layer name
        described = read_prototxt(prototxt)
        structure = _structure(described, str(prototxt))
        for _, l in structure:
            if l.type in ("Convolution", "InnerProduct"):
                if l.name not in by_name or not by_name[l.name].blobs:
                    raise CaffeImportError(f"'{where}' has no weights for layer {l.name!r} of '{prototxt}'")
                l.blobs = by_name[l.name].blobs
    else:
        structure = _structure(layers, where)
    layer = dict(structure)

    def blobs(name: str, ranks: tuple[int, int]) -> tuple[np.ndarray, np.ndarray | None]:
        l = layer[name]
        p = l.param
        bias_term = True if p is None else bool(p.bias_term)
        if len(l.blobs) != (2 if bias_term else 1):
            raise CaffeImportError(f"'{where}': layer {l.name!r} ({name}) has {len(l.blobs)} blobs, expected "
                                   f"{2 if bias_term else 1}")
        w = _blob_array(l.blobs[0], ranks[0], f"the weights of {l.name!r}")
        b = _blob_array(l.blobs[1], ranks[1], f"the biases of {l.name!r}") if bias_term else None
        return w, b

    try:
        state: dict[str, torch.Tensor] = {}
        convs = [blobs(f"conv{i}", (4, 1)) for i in range(1, 6)]
        kernels = [int(w.shape[0]) for w, _ in convs]
        groups = []
        for i, ((w, b), (k, s, pad, g2)) in enumerate(zip(convs, _CONV_GEOMETRY), 1):
            l = layer[f"conv{i}"]
            p = l.param
            if p is not None:
                kk = _pair(p.kernel_size, p.kernel_h, p.kernel_w, 0, f"the kernel of {l.name!r}")
                ss = _pair(p.stride, p.stride_h, p.stride_w, 1, f"the stride of {l.name!r}")
                pp = _pair(p.pad, p.pad_h, p.pad_w, 0, f"the padding of {l.name!r}")
                if (kk, ss, pp) != (k, s, pad):
                    raise CaffeImportError(f"'{where}': {l.name!r} is a {kk}x{kk} convolution, stride {ss}, "
                                           f"padding {pp}; the paper's conv{i} is {k}x{k}, stride {s}, padding {pad}")
                if any(d != 1 for d in p.dilation):
                    raise CaffeImportError(f"'{where}': {l.name!r} is dilated; the paper's AlexNet is not")
                if p.num_output and p.num_output != w.shape[0]:
                    raise CaffeImportError(f"'{where}': {l.name!r} says {p.num_output} outputs but its weights "
                                           f"have {w.shape[0]}")
            fan_in = 3 if i == 1 else kernels[i - 2]
            g = fan_in // w.shape[1] if w.shape[1] and fan_in % w.shape[1] == 0 else 0
            if p is not None and p.group != g:
                g = 0  # the blob and the layer's group disagree
            groups.append(g)
            if w.shape[2:] != (k, k) or g not in (1, 2) or (g == 2 and g2 == 1):
                raise CaffeImportError(
                    f"'{where}': {l.name!r} has weights of shape {tuple(w.shape)}"
                    + (f", group {p.group}" if p is not None else "")
                    + f"; the paper's conv{i} needs ({kernels[i - 1]}, "
                    + (f"{fan_in}, {k}, {k}): it sees both towers" if g2 == 1 else
                       f"{fan_in} or {fan_in // 2} in two towers, {k}, {k})"))
            if b is not None and b.shape != (w.shape[0],):
                raise CaffeImportError(f"'{where}': {l.name!r} has {b.shape[0]} biases for {w.shape[0]} kernels")
            state[f"conv{i}.weight"] = torch.from_numpy(w)
            state[f"conv{i}.bias"] = torch.from_numpy(b if b is not None else np.zeros(w.shape[0], np.float32))
        two = [g for g, (_, _, _, g2) in zip(groups, _CONV_GEOMETRY) if g2 == 2]
        if len(set(two)) != 1:
            raise CaffeImportError(f"'{where}': conv2, conv4 and conv5 must all have two groups (the two towers) "
                                   f"or all one; they have {two}")
        towers = two[0]
        if any(k % towers for k in kernels):
            raise CaffeImportError(f"'{where}': the kernel counts {kernels} do not split into {towers} towers")
        if state["conv1.weight"].shape[1] != 3:
            raise CaffeImportError(f"'{where}': conv1 takes {state['conv1.weight'].shape[1]} channels, not 3 (BGR)")
        state["conv1.weight"] = state["conv1.weight"].flip(1).contiguous()  # Caffe's BGR -> the app's RGB
        fcs = [blobs(f"fc{i}", (2, 1)) for i in (6, 7, 8)]
        hidden = int(fcs[0][0].shape[0])
        want_in = [kernels[4] * 36, hidden, hidden]
        for (w, b), i, n_in in zip(fcs, (6, 7, 8), want_in):
            l = layer[f"fc{i}"]
            if l.param is not None and (l.param.transpose or l.param.axis != 1):
                raise CaffeImportError(f"'{where}': {l.name!r} is transposed or not over axis 1")
            if w.shape[1] != n_in or (i == 7 and w.shape[0] != hidden):
                raise CaffeImportError(
                    f"'{where}': {l.name!r} has weights of shape {tuple(w.shape)}; the paper's fc{i} needs "
                    f"({hidden if i < 8 else 'classes'}, {n_in})" + (" (conv5's kernels x 6 x 6)" if i == 6 else ""))
            if b is not None and b.shape != (w.shape[0],):
                raise CaffeImportError(f"'{where}': {l.name!r} has {b.shape[0]} biases for {w.shape[0]} outputs")
            state[f"fc{i}.weight"] = torch.from_numpy(w)
            state[f"fc{i}.bias"] = torch.from_numpy(b if b is not None else np.zeros(w.shape[0], np.float32))
        lrn = set()
        for name in ("lrn1", "lrn2"):
            p = layer[name].param
            if p is None:
                lrn.add((5, 1.0, 0.75, 1.0))
                continue
            if p.norm_region != 0:
                raise CaffeImportError(f"'{where}': {layer[name].name!r} normalises within a channel; the paper's "
                                       "LRN runs across channels")
            if p.local_size % 2 == 0 or p.local_size < 1:
                raise CaffeImportError(f"'{where}': {layer[name].name!r} has an LRN window of {p.local_size}; "
                                       "Caffe allows only odd sizes")
            lrn.add((int(p.local_size), float(p.alpha), float(p.beta), float(p.k)))
        if len(lrn) != 1:
            raise CaffeImportError(f"'{where}': its two LRN layers differ ({sorted(lrn)}); the model has one setting")
        n, alpha, beta, k = lrn.pop()
        pools = set()
        for name in ("pool1", "pool2", "pool5"):
            p = layer[name].param
            if p is None:
                raise CaffeImportError(f"'{where}': {layer[name].name!r} has no pooling parameters")
            kk = _pair(p.kernel_size, p.kernel_h, p.kernel_w, 0, f"the kernel of {layer[name].name!r}")
            ss = _pair(p.stride, p.stride_h, p.stride_w, 1, f"the stride of {layer[name].name!r}")
            pp = _pair(p.pad, p.pad_h, p.pad_w, 0, f"the padding of {layer[name].name!r}")
            if p.pool != 0 or p.global_pooling or pp:
                raise CaffeImportError(f"'{where}': {layer[name].name!r} is not an unpadded max pooling")
            pools.add((kk, ss))
        if pools not in ({(3, 2)}, {(2, 2)}):
            raise CaffeImportError(f"'{where}': its poolings are {sorted(pools)} (kernel, stride); the paper's are "
                                   "all 3x3 stride 2 (or 2x2 stride 2 without overlap)")
        dropout = 0.5
        for name in ("drop6", "drop7"):
            if name in layer and layer[name].param is not None:
                dropout = float(layer[name].param.dropout_ratio)
        if not 0 <= dropout < 1:
            raise CaffeImportError(f"'{where}': dropout ratio {dropout} is outside [0, 1)")
    except CaffeImportError as err:
        if where in str(err):
            raise
        raise CaffeImportError(f"'{where}': {err}") from None
    except (ValueError, TypeError, OverflowError, MemoryError) as err:
        raise CaffeImportError(f"'{where}' holds blobs that cannot be read ({err})") from None
    options = dict(towers=towers, kernels=tuple(kernels), hidden=hidden, lrn=True, overlapping_pool=pools == {(3, 2)},
                   lrn_convention="pytorch", lrn_k=k, lrn_n=n, lrn_alpha=alpha, lrn_beta=beta,
                   lrn_across_towers=True, dropout=dropout)
    names = {ours: l.name for ours, l in structure}
    return CaffeNet(options, int(fcs[2][0].shape[0]), state, layout, names)


def read_mean(path: str | os.PathLike) -> tuple[float, float, float]:
    """The mean pixel (BGR, 0-255) of a Caffe mean ``.binaryproto`` (a mean image, reduced over its pixels)."""
    from .caffe_proto import messages

    where = str(path)
    data = _read_bounded(path, MAX_MEAN_BYTES, "mean file (.binaryproto)")
    blob = _parse(messages(raw_blobs=True).BlobProto, data, where, "Caffe mean file (.binaryproto)")
    try:
        arr = _blob_array(blob, 3, "the mean")
    except CaffeImportError as err:
        raise CaffeImportError(f"'{where}' is not a Caffe mean image: {err}") from None
    if arr.shape[0] != 3 or arr.size == 0:
        raise CaffeImportError(f"'{where}' is a mean of shape {arr.shape}, not 3 x H x W (BGR)")
    pixel = arr.reshape(3, -1).mean(axis=1)
    if not ((pixel >= 0) & (pixel <= 255)).all():
        raise CaffeImportError(f"'{where}': its mean pixel {pixel.round(2).tolist()} is outside 0-255")
    return tuple(float(v) for v in pixel)  # type: ignore[return-value]


def caffe_input_spec(mean_bgr: tuple[float, float, float]) -> InputSpec:
    """Caffe's preprocessing in the app's terms: x in [0, 1]; (x - m/255) / (1/255) = 255 x - m, in RGB."""
    r, g, b = mean_bgr[2], mean_bgr[1], mean_bgr[0]
    return InputSpec(size=227, channels=3, mean=(r / 255, g / 255, b / 255), std=(1 / 255,) * 3, resize=256)


def import_caffemodel(caffemodel: str | os.PathLike, prototxt: str | os.PathLike | None = None,
                      mean: str | os.PathLike | None = None) -> LoadedWeights:
    """The paper model with a caffemodel's weights, ready to classify (see the module docstring)."""
    from ..models import build_model, imagenet_categories

    net = caffe_net(caffemodel, prototxt)
    mean_bgr = read_mean(mean) if mean is not None else IMAGENET_MEAN_BGR
    model = build_model("paper", num_classes=net.num_classes, **net.options)
    model.load_state_dict(net.state)
    model.eval()
    classes = imagenet_categories() if net.num_classes == 1000 else [f"class {i}" for i in range(net.num_classes)]
    spec = caffe_input_spec(mean_bgr)
    source = {"format": "caffemodel", "file": Path(caffemodel).name, "layout": net.layout,
              "prototxt": None if prototxt is None else Path(prototxt).name,
              "mean": Path(mean).name if mean is not None else "ImageNet mean pixel",
              "mean_bgr": [float(v) for v in mean_bgr], "layers": dict(net.names)}
    ckpt = {"config": {"eval_resize": "square"}, "imported_from": source}
    return LoadedWeights(model, classes, spec, str(caffemodel), True, ckpt)


def load_caffe_weights(path: str | os.PathLike, num_classes: int | None = None, reinit_classifier: bool = False,
                       expect_variant: str | None = None) -> LoadedWeights:
    """A caffemodel imported into the paper model on the fly, for a caller that needs ``num_classes`` (see
    :func:`~train_backend.io.checkpoints.fit_classes`) and, when ``expect_variant`` is given, that network."""
    where = str(path)
    if expect_variant is not None and expect_variant != "paper":
        raise CheckpointError(f"'{where}' holds the 'paper' AlexNet, not the {expect_variant!r} one")
    loaded = import_caffemodel(path)
    loaded.classes = fit_classes(loaded.model, loaded.classes, num_classes, reinit_classifier, where)
    return loaded


def save_imported(weights: LoadedWeights, output: str | os.PathLike) -> Path:
    """Write imported weights as a checkpoint of this app (loads wherever the app loads weights)."""
    return save_checkpoint(output, weights.model, weights.classes, weights.input, **weights.checkpoint)
