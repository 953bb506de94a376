"""The few messages of Caffe's ``caffe.proto`` that a ``.caffemodel``, a ``deploy.prototxt`` and a mean
``.binaryproto`` use, declared here (Caffe itself is not needed) with the same names and field numbers as
``BVLC/caffe/src/caffe/proto/caffe.proto``.

The descriptors are built in Python (``descriptor_pb2`` + ``message_factory``) rather than shipped as a generated
``_pb2`` module: a generated module is tied to the protobuf release that generated it, a descriptor built at run
time works with every release since 3.20.  Fields a caffemodel has that are not declared here (solver settings,
fillers, learning-rate multipliers, data-layer parameters...) are skipped by the parser as unknown fields.

Two variants of the same messages:

* ``messages(raw_blobs=True)`` (for reading): ``BlobProto.data``/``double_data`` are declared ``bytes``.  Caffe
  declares them ``repeated float ... [packed = true]``, and a packed repeated float is on the wire exactly a
  length-delimited run of little-endian float32, which a ``bytes`` field takes as it is: ``numpy.frombuffer`` then
  reads 61 M weights at once instead of 61 M Python floats one by one.  A writer that did not pack them (each float
  its own field) leaves them as unknown fields there; the importer then parses again with the faithful variant.
* ``messages(raw_blobs=False)``: the faithful declaration (``repeated float``), used to write files (the tests write
  synthetic caffemodels with it) and to read unpacked ones.
"""

from __future__ import annotations

import functools
from types import SimpleNamespace

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

_F = descriptor_pb2.FieldDescriptorProto
OPT, REP = _F.LABEL_OPTIONAL, _F.LABEL_REPEATED
T = SimpleNamespace(float=_F.TYPE_FLOAT, double=_F.TYPE_DOUBLE, int64=_F.TYPE_INT64, int32=_F.TYPE_INT32,
                    uint32=_F.TYPE_UINT32, bool=_F.TYPE_BOOL, string=_F.TYPE_STRING, bytes=_F.TYPE_BYTES,
                    msg=_F.TYPE_MESSAGE, enum=_F.TYPE_ENUM)

#: V1LayerParameter.LayerType (the old layout names layer types by this enum, the new one by a string)
V1_LAYER_TYPES = {
    "NONE": 0, "ABSVAL": 35, "ACCURACY": 1, "ARGMAX": 30, "BNLL": 2, "CONCAT": 3, "CONTRASTIVE_LOSS": 37,
    "CONVOLUTION": 4, "DATA": 5, "DECONVOLUTION": 39, "DROPOUT": 6, "DUMMY_DATA": 32, "EUCLIDEAN_LOSS": 7,
    "ELTWISE": 25, "EXP": 38, "FLATTEN": 8, "HDF5_DATA": 9, "HDF5_OUTPUT": 10, "HINGE_LOSS": 28, "IM2COL": 11,
    "IMAGE_DATA": 12, "INFOGAIN_LOSS": 13, "INNER_PRODUCT": 14, "LRN": 15, "MEMORY_DATA": 29,
    "MULTINOMIAL_LOGISTIC_LOSS": 16, "MVN": 34, "POOLING": 17, "POWER": 26, "RELU": 18, "SIGMOID": 19,
    "SIGMOID_CROSS_ENTROPY_LOSS": 27, "SILENCE": 36, "SOFTMAX": 20, "SOFTMAX_LOSS": 21, "SPLIT": 22, "SLICE": 33,
    "TANH": 23, "WINDOW_DATA": 24, "THRESHOLD": 31,
}


def _enum(parent, name: str, values: dict[str, int]) -> None:
    e = parent.enum_type.add(name=name)
    for key, number in values.items():
        e.value.add(name=key, number=number)


def _message(fd, name: str, fields: list[tuple]) -> descriptor_pb2.DescriptorProto:
    m = fd.message_type.add(name=name)
    for spec in fields:
        fname, number, label, ftype = spec[:4]
        extra = spec[4] if len(spec) > 4 else {}
        f = m.field.add(name=fname, number=number, label=label, type=ftype)
        if ftype in (T.msg, T.enum):
            f.type_name = extra["type_name"]
        if "default" in extra:
            f.default_value = extra["default"]
        if extra.get("packed"):
            f.options.packed = True
    return m


def _file(raw_blobs: bool, packed: bool = True) -> descriptor_pb2.FileDescriptorProto:
    fd = descriptor_pb2.FileDescriptorProto(name="alexnet_gui_caffe.proto", package="caffe", syntax="proto2")
    floats = dict(packed=packed)
    data = (T.bytes, OPT, {}) if raw_blobs else (T.float, REP, floats)
    ddata = (T.bytes, OPT, {}) if raw_blobs else (T.double, REP, floats)
    _message(fd, "BlobShape", [("dim", 1, REP, T.int64, floats)])
    _message(fd, "BlobProto", [
        ("shape", 7, OPT, T.msg, {"type_name": ".caffe.BlobShape"}),
        ("data", 5, data[1], data[0], data[2]),
        ("double_data", 8, ddata[1], ddata[0], ddata[2]),
        ("num", 1, OPT, T.int64), ("channels", 2, OPT, T.int64), ("height", 3, OPT, T.int64),
        ("width", 4, OPT, T.int64),
    ])
    _message(fd, "ConvolutionParameter", [
        ("num_output", 1, OPT, T.uint32), ("bias_term", 2, OPT, T.bool, {"default": "true"}),
        ("pad", 3, REP, T.uint32), ("kernel_size", 4, REP, T.uint32), ("stride", 6, REP, T.uint32),
        ("dilation", 18, REP, T.uint32),
        ("pad_h", 9, OPT, T.uint32), ("pad_w", 10, OPT, T.uint32), ("kernel_h", 11, OPT, T.uint32),
        ("kernel_w", 12, OPT, T.uint32), ("stride_h", 13, OPT, T.uint32), ("stride_w", 14, OPT, T.uint32),
        ("group", 5, OPT, T.uint32, {"default": "1"}),
    ])
    lrn = _message(fd, "LRNParameter", [
        ("local_size", 1, OPT, T.uint32, {"default": "5"}), ("alpha", 2, OPT, T.float, {"default": "1"}),
        ("beta", 3, OPT, T.float, {"default": "0.75"}),
        ("norm_region", 4, OPT, T.enum, {"type_name": ".caffe.LRNParameter.NormRegion"}),
        ("k", 5, OPT, T.float, {"default": "1"}),
    ])
    _enum(lrn, "NormRegion", {"ACROSS_CHANNELS": 0, "WITHIN_CHANNEL": 1})
    pool = _message(fd, "PoolingParameter", [
        ("pool", 1, OPT, T.enum, {"type_name": ".caffe.PoolingParameter.PoolMethod"}),
        ("pad", 4, OPT, T.uint32), ("pad_h", 9, OPT, T.uint32), ("pad_w", 10, OPT, T.uint32),
        ("kernel_size", 2, OPT, T.uint32), ("kernel_h", 5, OPT, T.uint32), ("kernel_w", 6, OPT, T.uint32),
        ("stride", 3, OPT, T.uint32, {"default": "1"}), ("stride_h", 7, OPT, T.uint32),
        ("stride_w", 8, OPT, T.uint32), ("global_pooling", 12, OPT, T.bool),
    ])
    _enum(pool, "PoolMethod", {"MAX": 0, "AVE": 1, "STOCHASTIC": 2})
    _message(fd, "InnerProductParameter", [
        ("num_output", 1, OPT, T.uint32), ("bias_term", 2, OPT, T.bool, {"default": "true"}),
        ("axis", 5, OPT, T.int32, {"default": "1"}), ("transpose", 6, OPT, T.bool),
    ])
    _message(fd, "DropoutParameter", [("dropout_ratio", 1, OPT, T.float, {"default": "0.5"})])
    _message(fd, "InputParameter", [("shape", 1, REP, T.msg, {"type_name": ".caffe.BlobShape"})])
    common = [
        ("convolution_param", T.msg, ".caffe.ConvolutionParameter"), ("lrn_param", T.msg, ".caffe.LRNParameter"),
        ("pooling_param", T.msg, ".caffe.PoolingParameter"),
        ("inner_product_param", T.msg, ".caffe.InnerProductParameter"),
        ("dropout_param", T.msg, ".caffe.DropoutParameter"),
    ]
    new_numbers = {"convolution_param": 106, "lrn_param": 118, "pooling_param": 121, "inner_product_param": 117,
                   "dropout_param": 108}
    v1_numbers = {"convolution_param": 10, "lrn_param": 18, "pooling_param": 19, "inner_product_param": 17,
                  "dropout_param": 12}
    _message(fd, "LayerParameter", [
        ("name", 1, OPT, T.string), ("type", 2, OPT, T.string), ("bottom", 3, REP, T.string),
        ("top", 4, REP, T.string), ("blobs", 7, REP, T.msg, {"type_name": ".caffe.BlobProto"}),
        ("input_param", 143, OPT, T.msg, {"type_name": ".caffe.InputParameter"}),
    ] + [(n, new_numbers[n], OPT, t, {"type_name": tn}) for n, t, tn in common])
    v1 = _message(fd, "V1LayerParameter", [
        ("bottom", 2, REP, T.string), ("top", 3, REP, T.string), ("name", 4, OPT, T.string),
        ("type", 5, OPT, T.enum, {"type_name": ".caffe.V1LayerParameter.LayerType"}),
        ("blobs", 6, REP, T.msg, {"type_name": ".caffe.BlobProto"}),
    ] + [(n, v1_numbers[n], OPT, t, {"type_name": tn}) for n, t, tn in common])
    _enum(v1, "LayerType", V1_LAYER_TYPES)
    _message(fd, "NetParameter", [
        ("name", 1, OPT, T.string), ("input", 3, REP, T.string),
        ("input_shape", 8, REP, T.msg, {"type_name": ".caffe.BlobShape"}), ("input_dim", 4, REP, T.int64),
        ("layer", 100, REP, T.msg, {"type_name": ".caffe.LayerParameter"}),
        ("layers", 2, REP, T.msg, {"type_name": ".caffe.V1LayerParameter"}),
    ])
    return fd


NAMES = ("BlobShape", "BlobProto", "ConvolutionParameter", "LRNParameter", "PoolingParameter",
         "InnerProductParameter", "DropoutParameter", "InputParameter", "LayerParameter", "V1LayerParameter",
         "NetParameter")


@functools.cache
def messages(raw_blobs: bool = True, packed: bool = True) -> SimpleNamespace:
    """The message classes (``.NetParameter``, ``.BlobProto`` ...), built once per variant in a private pool.

    ``packed=False`` (with ``raw_blobs=False``): blob values written one field each, as a writer that ignores
    caffe.proto's ``[packed = true]`` would (for tests: such files must import too)."""
    pool = descriptor_pool.DescriptorPool()
    pool.AddSerializedFile(_file(raw_blobs, packed).SerializeToString())  # in every release since 3.x
    get = getattr(message_factory, "GetMessageClass", None)
    if get is None:  # protobuf < 4.21
        factory = message_factory.MessageFactory(pool)
        get = factory.GetPrototype
    return SimpleNamespace(**{n: get(pool.FindMessageTypeByName(f"caffe.{n}")) for n in NAMES})
