"""Figure 4's neighbours: the feature index's build rate, its size and load time at 60,000 images, and a query.

    python3 benchmarks/neighbours.py [--images 512] [--queries 30]

(1) Build: the paper model (untrained: the work is the same) at 227 px over the first ``--images`` images of the real
Fashion-MNIST train split (the synthetic set where it is absent), relu7 and pixel vectors, no cache; the rate gives
the time for all 60,000.  (2) A 60,000 x 4,096 index of random non-negative float16 features (building the real one
takes tens of minutes on a 2-core CPU): its bytes against the 600 MB budget, the time to write it to the cache and
to read it back with its checksums.  (3) Queries against it: a feature query (the float16 product plus the exact
re-rank), a pixel query, and a whole Figure 4 answer for an image (its forward pass, both queries and twelve
thumbnails; the thumbnails come from Fashion-MNIST when it is installed).  Budgets (issue 14): <= 600 MB, <= 100 ms.
"""

from __future__ import annotations

import argparse
import os
import resource
import time

import numpy as np

from common import machine, median, scratch_dir, verdict

import torch  # noqa: E402

from train_backend.analysis import features as feats  # noqa: E402
from train_backend.analysis.passes import CacheNote  # noqa: E402
from train_backend.data import fashion_mnist_folder, load_dataset  # noqa: E402
from train_backend.io.checkpoints import InputSpec, untrained_weights  # noqa: E402

N, D = 60_000, 4096


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--images", type=int, default=512)
    ap.add_argument("--queries", type=int, default=30)
    args = ap.parse_args()
    os.environ["ALEXNET_GUI_CACHE"] = scratch_dir("neighbours-bench-")  # 540 MB, removed at exit
    print(machine())
    real = fashion_mnist_folder() is not None
    bundle = load_dataset("fashion-mnist" if real else "synthetic")
    weights = untrained_weights("paper", num_classes=len(bundle.classes), classes=bundle.classes,
                                input_spec=InputSpec(227, 3, bundle.mean, bundle.std))

    # (1) build rate
    t0 = time.perf_counter()
    index = feats.feature_index(weights, bundle, "train", limit=args.images, cache=False)
    rate = args.images / (time.perf_counter() - t0)
    print(f"build: {args.images} {bundle.name} images at 227 px in {args.images / rate:.1f} s: {rate:.1f} img/s "
          f"-> 60,000 in {N / rate / 60:.1f} min ({index.dim}-d relu7, pixel vectors {index.pixels.shape[1]} B)")

    # (2) a 60,000-image index: bytes, write, read
    rng = np.random.default_rng(0)
    table = np.empty((N, D), np.float16)
    for i in range(0, N, 4096):
        table[i:i + 4096] = np.maximum(rng.normal(0.0, 1.0, (min(4096, N - i), D)).astype(np.float32), 0)
    sq = feats._chunked_sqnorms(table)
    pixels = rng.integers(0, 256, (N, index.pixels.shape[1]), dtype=np.uint8)  # 256 B grey, 768 B RGB
    labels = rng.integers(0, len(bundle.classes), N).astype(np.int64)
    arrays = {"features": table, "sqnorms": sq, "pixels": pixels, "labels": labels, "indices": np.arange(N)}
    big = feats.FeatureIndex(**arrays, classes=tuple(bundle.classes), layer="relu7", key={"data": {
        "name": bundle.name, "split": "train"}}, path=None, note=CacheNote("built"),
        images=bundle.train if len(bundle.train) >= N else None)
    mb = big.nbytes / 1e6
    print(f"index of {N:,} x {D}: {mb:.0f} MB (features {table.nbytes / 1e6:.0f}, pixels {pixels.nbytes / 1e6:.0f}, "
          f"norms, labels, indices {(sq.nbytes + labels.nbytes + N * 8) / 1e6:.1f}) budget 600 MB: "
          f"{verdict(mb, 600, higher_is_better=False)}; peak RSS so far {rss_mb():.0f} MB")
    key = {"bench": True, "layer": "relu7"}
    meta = {"key": key, "n": N, "dim": D, "sha256": {a: feats.array_digest(arrays[a]) for a in feats.ARRAYS}}
    root = feats.analysis_cache("features")
    t0 = time.perf_counter()
    folder = feats._publish(root, root / "bench", arrays, meta)
    t_write = time.perf_counter() - t0
    t0 = time.perf_counter()
    feats._read(folder, key, bundle, list(range(N)))
    t_read = time.perf_counter() - t0
    print(f"cache: written in {t_write:.2f} s, read back with its checksums in {t_read:.2f} s")

    # (3) queries
    torch.set_num_threads(min(2, os.cpu_count() or 1))
    times, ptimes = [], []
    for i in range(args.queries):
        q = table[rng.integers(N)].astype(np.float32) + np.abs(rng.normal(0, 0.3, D)).astype(np.float32)
        t0 = time.perf_counter()
        big.query(q, k=6)
        times.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        big.query_pixels(pixels[rng.integers(N)], k=6)
        ptimes.append(time.perf_counter() - t0)
    qms, p90 = 1000 * median(times), 1000 * float(np.percentile(times, 90))
    print(f"feature query, k=6, {N:,} images: median {qms:.1f} ms, p90 {p90:.1f} ms, worst {1000 * max(times):.1f} ms "
          f"(budget 100 ms: {verdict(qms, 100, higher_is_better=False)}); pixel query median "
          f"{1000 * median(ptimes):.1f} ms")
    image = bundle.val[0][0]
    totals = []
    for _ in range(5):
        t0 = time.perf_counter()
        feats.find_neighbours(weights, image, big, k=6)
        totals.append(time.perf_counter() - t0)
    thumbs = "with thumbnails from the data set" if big.images is not None else "blank thumbnails (no 60k data set)"
    print(f"a Figure 4 answer for one image (forward pass, both queries, {thumbs}): median "
          f"{1000 * median(totals):.0f} ms")


if __name__ == "__main__":
    main()
