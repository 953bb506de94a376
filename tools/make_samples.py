"""Regenerate the sample images shipped in resources/samples (run from the repository root)."""

from pathlib import Path

from PIL import Image

from train_backend.data import SyntheticShapes, fashion_mnist_folder, load_dataset

out = Path("resources/samples")
out.mkdir(parents=True, exist_ok=True)
gen = SyntheticShapes(16, size=256, seed=7)
for index, name in ((0, "sample-shapes.png"), (6, "sample-stripes.png"), (3, "sample-ring.png")):
    Image.fromarray(gen.render(index, gen.targets[index]).transpose(1, 2, 0)).save(out / name, optimize=True)
if fashion_mnist_folder() is not None:  # Fashion-MNIST is MIT-licensed (Zalando Research)
    b = load_dataset("fashion-mnist")
    for i, name in ((0, "fashion-boot.png"), (1, "fashion-pullover.png")):
        x, _ = b.val[i]
        Image.fromarray(x[0].numpy()).resize((112, 112), Image.NEAREST).save(out / name, optimize=True)
print(sorted(p.name for p in out.iterdir()))
