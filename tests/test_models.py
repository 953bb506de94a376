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
    assert order.index("relu1") < order.index("lrn1") < order.index("pool1")


def _forward_order(model):
    """The names of the leaf modules in the order a forward pass calls them."""
    seen = []
    hooks = [m.register_forward_hook(lambda _m, _i, _o, n=n: seen.append(n)) for n, m in model.named_children()]
    with torch.no_grad():
        model.eval()(torch.zeros(1, model.in_channels, model.native_size, model.native_size))
    for h in hooks:
        h.remove()
    return seen


@pytest.mark.parametrize("name", ["paper", "d2l"])
def test_dropout_zeroes_the_outputs_of_fc6_and_fc7(name):
    """The paper, Caffe's bvlc_alexnet and d2l: fc6 relu6 drop6 fc7 relu7 drop7 fc8 (pool5's output is never dropped)."""
    order = _forward_order(build_model(name, in_channels=1 if name == "d2l" else 3))
    tail = order[order.index("fc6"):]
    assert tail == ["fc6", "relu6", "drop6", "fc7", "relu7", "drop7", "fc8"]


def test_torchvision_keeps_torchvisions_dropout_order():
    """Its ImageNet weights were trained with dropout before fc6 and fc7."""
    order = _forward_order(build_model("torchvision"))
    assert order[order.index("flatten"):] == ["flatten", "drop6", "fc6", "relu6", "drop7", "fc7", "relu7", "fc8"]


def test_dropout_in_training_zeroes_half_of_fc6s_outputs():
    torch.manual_seed(0)
    m = build_model("paper", num_classes=10, hidden=4096, dropout=0.5, lrn=False).train()
    m.relu6.inplace = False  # keep relu6's output for the comparison
    captured = {}
    for name in ("relu6", "drop6"):
        getattr(m, name).register_forward_hook(lambda _m, _i, out, name=name: captured.__setitem__(name, out.detach()))
    m(torch.rand(4, 3, 67, 67))
    before, after = captured["relu6"], captured["drop6"]
    alive = before > 0
    kept = after[alive] != 0
    assert 0.45 < kept.float().mean().item() < 0.55  # each of fc6's active outputs zeroed with probability 0.5
    torch.testing.assert_close(after[alive][kept], 2 * before[alive][kept])  # the survivors scaled by 1 / (1 - p)


def test_each_tower_normalises_only_its_own_maps():
    """Changing tower 2's conv1 kernels leaves tower 1's maps unchanged up to pool2 (LRN included)."""
    torch.manual_seed(0)
    m = build_model("paper", num_classes=10).eval()
    assert m.lrn1.groups == m.lrn2.groups == 2
    x = torch.rand(1, 3, 227, 227) * 2
    names = ["conv1", "relu1", "lrn1", "pool1", "conv2", "relu2", "lrn2", "pool2"]

    def maps():
        out, h = {}, x
        with torch.no_grad():
            for n in names:
                h = getattr(m, n)(h)
                out[n] = h.clone()
        return out

    before = maps()
    with torch.no_grad():
        m.conv1.weight[48:] *= 5.0  # tower 2's kernels: much stronger maps
        m.conv1.bias[48:] += 1.0
    after = maps()
    for n in names:
        half = before[n].shape[1] // 2
        torch.testing.assert_close(after[n][:, :half], before[n][:, :half], rtol=0, atol=0, msg=n)
        assert not torch.equal(after[n][:, half:], before[n][:, half:]), n
    # one tower (the one-GPU net) normalises across all its maps
    assert build_model("paper", towers=1).lrn1.groups == 1


def test_one_gpu_net_is_the_papers_footnote():
    """Half the kernels of conv1-conv4, conv5 and the FC layers full size, no groups: 59,798,312 parameters."""
    one = build_model("paper", towers=1)
    assert [getattr(one, f"conv{i}").out_channels for i in range(1, 6)] == [48, 128, 192, 192, 256]
    assert all(getattr(one, f"conv{i}").groups == 1 for i in range(1, 6))
    assert one.fc6.in_features == 256 * 36 and one.fc6.out_features == one.fc7.out_features == 4096
    assert count_parameters(one) == 59_798_312
    assert abs(count_parameters(one) - 60_965_224) / 60_965_224 < 0.02  # "about the same number of parameters"
    narrow = build_model("paper", towers=1, width=0.5)  # width stays its own knob
    assert [getattr(narrow, f"conv{i}").out_channels for i in range(1, 6)] == [24, 64, 96, 96, 128]


def test_d2l_is_d2ls_network():
    m = build_model("d2l", num_classes=10, in_channels=1)
    assert count_parameters(m) == 46_764_746
    assert (m.conv1.in_channels, m.conv1.out_channels, m.conv1.padding) == (1, 96, (1, 1))
    assert "lrn1" not in dict(m.named_children()) and "avgpool" not in dict(m.named_children())
    assert all(getattr(m, f"conv{i}").groups == 1 for i in range(1, 6))
    shapes = {l.name: l.output_shape for l in summarize(m, 224)}
    assert shapes["conv1"] == (96, 54, 54) and shapes["pool5"] == (256, 5, 5) and m.fc6.in_features == 6400
    # Xavier-uniform: every weight within sqrt(6 / (fan_in + fan_out)), spread as a uniform one
    fan_in, fan_out = 6400, 4096
    bound = (6 / (fan_in + fan_out)) ** 0.5
    assert m.fc6.weight.abs().max() <= bound and m.fc6.weight.std().item() == pytest.approx(bound / 3 ** 0.5, rel=0.02)
    assert m.input_size_problem(224) is None
    assert "5x5" in m.input_size_problem(227)


def test_summary_counts_neurons_and_multiply_adds(paper):
    from train_backend.models import count_neurons

    layers = {l.name: l for l in summarize(paper, 227)}
    assert layers["conv1"].neurons == 96 * 55 * 55
    assert layers["conv1"].macs == 96 * 55 * 55 * 3 * 11 * 11
    assert layers["conv2"].macs == 256 * 27 * 27 * 48 * 5 * 5  # grouped: each kernel sees 48 maps
    assert layers["fc6"].macs == 9216 * 4096 and layers["relu1"].macs == 0
    total = count_neurons(list(layers.values()))
    assert total == 659_272  # the paper's "650,000 neurons" (conv and fc outputs at 227 px)
    assert count_neurons(summarize(paper, 224)) == 609_640


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
