"""Data-set images by index (what the Evaluation panel lists) and Figure 4 (left)'s grid of validation images with
their top-5, against brute force: ``predict`` on each image, the true class's index and rank."""

import numpy as np
import pytest
import torch
from PIL import Image

from train_backend.analysis import ANALYSES, run_analysis
from train_backend.analysis.gallery import item_rgb, validation_bundle, validation_options
from train_backend.analysis.passes import AnalysisError
from train_backend.analysis.probes import predict
from train_backend.analysis.top5_grid import sample_rows
from train_backend.data import load_dataset
from train_backend.io.checkpoints import InputSpec, LoadedWeights, untrained_weights


@pytest.fixture(scope="module")
def bundle():
    return load_dataset("synthetic", n_train=64, n_val=40, size=32)


@pytest.fixture(scope="module")
def weights(bundle) -> LoadedWeights:
    return untrained_weights("paper", num_classes=8, classes=bundle.classes, seed=3,
                             input_spec=InputSpec(67, 3, bundle.mean, bundle.std), width=0.25, hidden=32,
                             init="kaiming")


def test_dataset_images_are_the_split_items_in_the_order_asked(weights, bundle):
    shown = run_analysis("dataset_images", weights, None, dataset=bundle, indices=[5, 0, 17], thumb=24)
    assert shown.indices.tolist() == [5, 0, 17] and len(shown) == 3
    assert shown.labels.tolist() == [bundle.val[i][1] for i in (5, 0, 17)]
    assert shown.classes == tuple(bundle.classes[c] for c in shown.labels)
    assert shown.thumbnails.shape == (3, 24, 24, 3) and shown.thumbnails.dtype == np.uint8
    for i, image in zip((5, 0, 17), shown.images):  # the image itself, channels last
        assert np.array_equal(image, bundle.val[i][0].numpy().transpose(1, 2, 0))
    train = run_analysis("dataset_images", weights, None, dataset=bundle, split="train", indices=[3])
    assert np.array_equal(train.images[0], bundle.train[3][0].numpy().transpose(1, 2, 0))
    assert len(run_analysis("dataset_images", weights, None, dataset=bundle, indices=[])) == 0
    assert ANALYSES["dataset_images"].cost == "dataset" and ANALYSES["top5_grid"].cost == "dataset"


def test_dataset_images_refuse_bad_input_in_one_line(weights, bundle):
    with pytest.raises(AnalysisError, match="0..39"):
        run_analysis("dataset_images", weights, None, dataset=bundle, indices=[40])
    with pytest.raises(AnalysisError, match="split must be"):
        run_analysis("dataset_images", weights, None, dataset=bundle, split="test", indices=[0])
    with pytest.raises(AnalysisError, match="which data set"):
        run_analysis("dataset_images", weights, None, indices=[0])


def test_item_rgb_takes_tensors_grey_floats_and_pil_and_shrinks_large_ones():
    grey = torch.arange(12, dtype=torch.uint8).reshape(1, 3, 4)
    out = item_rgb(grey)
    assert out.shape == (3, 4, 3) and np.array_equal(out[..., 0], grey[0].numpy()) and np.array_equal(out[..., 2],
                                                                                                       out[..., 0])
    assert item_rgb(torch.ones(3, 2, 2))[0, 0].tolist() == [255, 255, 255]
    big = Image.new("RGB", (1200, 600), (10, 20, 30))
    assert item_rgb(big).shape == (256, 512, 3)


def test_an_evaluation_and_the_gallery_split_a_folder_alike(weights):
    assert validation_options(weights, "synthetic") == {}
    assert validation_options(weights, "folder") == {"val_fraction": 0.2, "seed": 0}
    trained = LoadedWeights(weights.model, weights.classes, weights.input, "x.pt", True,
                            {"dataset": "synthetic", "config": {"val_fraction": 0.3, "split_seed": 4}})
    assert validation_options(trained, "folder") == {"val_fraction": 0.3, "seed": 4}
    assert validation_bundle(trained, None).name == "synthetic"  # the data set the weights were trained on


def test_top5_grid_equals_predict_on_each_image(weights, bundle):
    grid = run_analysis("top5_grid", weights, None, dataset=bundle, count=6, seed=2, thumb=32)
    rows = sample_rows(len(bundle.val), 6, 2)
    assert grid.images.indices.tolist() == rows.tolist() and len(set(rows.tolist())) == 6
    assert grid.images.thumbnails.shape == (6, 32, 32, 3)
    for n, i in enumerate(rows):
        image, label = bundle.val[int(i)]
        ref = predict(weights, image, topk=5)
        assert grid.top_indices[n].tolist() == list(ref.indices)
        np.testing.assert_allclose(grid.top_probabilities[n], ref.probabilities, rtol=1e-4, atol=1e-6)
        assert grid.top_classes[n] == ref.classes
        assert grid.images.labels[n] == label and grid.images.classes[n] == bundle.classes[label]
        # the true class: its probability, and its rank among all classes (brute force)
        probs = np.asarray(predict(weights, image, topk=8).probabilities)
        order = list(predict(weights, image, topk=8).indices)
        assert grid.true_probability[n] == pytest.approx(probs[order.index(label)], rel=1e-4)
        assert grid.true_rank[n] == order.index(label)
        in_top = label in grid.top_indices[n]
        assert in_top == (grid.true_rank[n] < 5)
    same = run_analysis("top5_grid", weights, None, dataset=bundle, count=6, seed=2, thumb=32)
    assert same.images.indices.tolist() == grid.images.indices.tolist()  # a seed names a sample
    other = run_analysis("top5_grid", weights, None, dataset=bundle, count=6, seed=3, thumb=32)
    assert other.images.indices.tolist() != grid.images.indices.tolist()


def test_top5_grid_ten_crop_averages_like_predict(weights, bundle):
    grid = run_analysis("top5_grid", weights, None, dataset=bundle, count=2, ten_crop=True)
    for n, i in enumerate(grid.images.indices):
        ref = predict(weights, bundle.val[int(i)][0], topk=5, ten_crop=True)
        assert grid.top_indices[n].tolist() == list(ref.indices)
        np.testing.assert_allclose(grid.top_probabilities[n], ref.probabilities, rtol=1e-4, atol=1e-6)


def test_top5_grid_refuses_weights_for_other_classes(bundle):
    other = untrained_weights("paper", num_classes=5, input_spec=InputSpec(67, 3, bundle.mean, bundle.std),
                              width=0.25, hidden=32)
    with pytest.raises(AnalysisError, match="5 classes but synthetic has 8"):
        run_analysis("top5_grid", other, None, dataset=bundle)
