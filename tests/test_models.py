import pytest
import torch
import torchvision
from torch import nn

from train_backend.models import (LAYER_NAMES, build_model, count_parameters, load_torchvision_state_dict,
                                  min_input_size, summarize, to_torchvision_keys)


@pytest.fixture(scope="module")
def paper():
    torch.manual_seed(0)
    return build_model("paper")


def test_paper_has_exactly_the_papers_parameter_count(paper):
    assert count_parameters(paper) == 60_965_224


def test_torchvision_variant_parameter_count():
    assert count_parameters(build_model("torchvision")) == 61_100_840


def test_stable_layer_names(paper):
    names = dict(paper.named_modules())
    for n in LAYER_NAMES:
        assert n in names, n
    tv_names = dict(build_model("torchvision").named_modules())
    assert [n for n in LAYER_NAMES if n in tv_names] == [n for n in LAYER_NAMES if not n.startswith("lrn")]


def test_shapes_at_227_are_the_papers(paper):
    shapes = {l.name: l.output_shape for l in summarize(paper, 227)}
    assert shapes["conv1"] == (96, 55, 55)
    assert shapes["pool1"] == (96, 27, 27)
    assert shapes["conv2"] == (256, 27, 27)
    assert shapes["pool2"] == (256, 13, 13)
    assert shapes["conv3"] == shapes["conv4"] == (384, 13, 13)
    assert shapes["pool5"] == (256, 6, 6)
    assert shapes["fc6"] == shapes["fc7"] == (4096,)
    assert shapes["fc8"] == (1000,)


@pytest.mark.parametrize("size", [224, 112, 67])
def test_other_input_sizes_run(paper, size):
    out = paper.eval()(torch.randn(2, 3, size, size))
    assert out.shape == (2, 1000)


def test_minimum_input_size(paper):
    m = min_input_size(paper)
    assert m == 67
    paper.eval()(torch.randn(1, 3, m, m))
    with pytest.raises(RuntimeError):
        paper(torch.randn(1, 3, m - 1, m - 1))


def test_towers_are_grouped_convolutions(paper):
    assert paper.conv2.groups == paper.conv4.groups == paper.conv5.groups == 2
    assert paper.conv3.groups == 1 and paper.conv1.groups == 1
    assert paper.conv2.weight.shape == (256, 48, 5, 5)  # each kernel sees its tower's 48 maps
    assert paper.conv4.weight.shape == (384, 192, 3, 3)
    assert paper.conv3.weight.shape == (384, 256, 3, 3)  # conv3 crosses towers


def test_tower_isolation_in_conv2():
    # changing tower 2's maps must not change tower 1's conv2 outputs
    m = build_model("paper").eval()
    x = torch.rand(1, 96, 27, 27)
    y = m.conv2(x)
    x2 = x.clone()
    x2[:, 48:] += 1.0
    y2 = m.conv2(x2)
    torch.testing.assert_close(y[:, :128], y2[:, :128])
    assert not torch.allclose(y[:, 128:], y2[:, 128:])


def test_paper_layers(paper):
    assert (paper.conv1.kernel_size, paper.conv1.stride, paper.conv1.padding) == ((11, 11), (4, 4), (0, 0))
    assert (paper.pool1.kernel_size, paper.pool1.stride) == (3, 2)
    assert paper.drop6.p == paper.drop7.p == 0.5
    assert paper.lrn1.k == 2 and paper.lrn1.size == 5 and paper.lrn1.alpha == 1e-4 and paper.lrn1.beta == 0.75
    order = [n for n, _ in paper.named_children()]
    assert order.index("drop6") == order.index("fc6") - 1 and order.index("drop7") == order.index("fc7") - 1
    assert order.index("relu1") < order.index("lrn1") < order.index("pool1")


def test_paper_initialisation(paper):
    for name in ("conv1", "conv2", "conv3", "conv4", "conv5", "fc6", "fc7", "fc8"):
        w = getattr(paper, name).weight
        assert abs(w.mean().item()) < 2e-3
        assert w.std().item() == pytest.approx(0.01, rel=0.1), name
    for name in ("conv2", "conv4", "conv5", "fc6", "fc7"):
        assert torch.all(getattr(paper, name).bias == 1), name
    for name in ("conv1", "conv3", "fc8"):
        assert torch.all(getattr(paper, name).bias == 0), name


def test_ablations():
    no_lrn = build_model("paper", lrn=False)
    assert "lrn1" not in dict(no_lrn.named_children()) and "lrn2" not in dict(no_lrn.named_children())
    assert count_parameters(no_lrn) == 60_965_224
    flat = build_model("paper", overlapping_pool=False)
    assert flat.pool1.kernel_size == 2 and flat.pool1.stride == 2
    assert flat.eval()(torch.randn(1, 3, 227, 227)).shape == (1, 1000)
    tanh = build_model("paper", activation="tanh")
    assert isinstance(tanh.relu1, nn.Tanh)
    one = build_model("paper", towers=1)
    assert one.conv2.groups == 1 and one.towers == 1
    assert count_parameters(one) > 60_965_224
    half = build_model("paper", towers=1, width=0.5)
    assert half.conv1.out_channels == 48
    weak = build_model("paper", lrn_convention="pytorch")
    assert weak.lrn1.convention == "pytorch"
    with pytest.raises(ValueError):
        build_model("paper", towers=3)
    with pytest.raises(ValueError):
        build_model("paper", activation="sigmoid")
    with pytest.raises(ValueError):
        build_model("vgg")


def test_grey_input_and_class_count():
    m = build_model("paper", num_classes=10, in_channels=1)
    assert m.eval()(torch.randn(3, 1, 112, 112)).shape == (3, 10)
    assert m.conv1.weight.shape == (96, 1, 11, 11)


def test_torchvision_equivalence_same_state_dict():
    torch.manual_seed(3)
    ref = torchvision.models.alexnet(weights=None).eval()
    ours = build_model("torchvision").eval()
    load_torchvision_state_dict(ours, ref.state_dict())
    x = torch.randn(2, 3, 224, 224)
    with torch.no_grad():
        torch.testing.assert_close(ours(x), ref(x), rtol=0, atol=0)
    back = to_torchvision_keys(ours.state_dict())
    assert set(back) == set(ref.state_dict())


def test_torchvision_weights_from_local_pth(tmp_path):
    torch.manual_seed(4)
    ref = torchvision.models.alexnet(weights=None).eval()
    path = tmp_path / "alexnet-owt-7be5be79.pth"
    torch.save(ref.state_dict(), path)
    ours = build_model("torchvision", weights=str(path)).eval()
    x = torch.randn(1, 3, 224, 224)
    with torch.no_grad():
        torch.testing.assert_close(ours(x), ref(x))
    tuned = build_model("torchvision", weights=str(path), num_classes=2)
    assert tuned.fc8.out_features == 2
    torch.testing.assert_close(tuned.conv1.weight, ref.features[0].weight)


def test_reset_classifier_and_config_roundtrip(paper):
    m = build_model("paper", num_classes=5, lrn=False, width=0.5)
    cfg = m.config()
    again = build_model(**cfg)
    assert again.config() == cfg
    m.reset_classifier(3)
    assert m.fc8.out_features == 3 and m.num_classes == 3
    assert torch.all(m.fc8.bias == 0)


def test_forward_features_and_head(paper):
    x = torch.randn(1, 3, 227, 227)
    paper.eval()
    with torch.no_grad():
        f = paper.forward_features(x)
        assert f.shape == (1, 256, 6, 6)
        torch.testing.assert_close(paper.forward_head(f), paper(x))
