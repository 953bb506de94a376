"""The seeds' other networks: seed 001's port exactly as its code, LeNet-5 (d2l's), VGG-16 and ResNet-18
(torchvision's builders), ``summary --compare``, and the summary's dropout, flatten and pool3 rows."""

import json

import pytest
import torch
import torchvision
from torch import nn

from train_backend.cli import main
from train_backend.models import MODELS, build_model, count_parameters, summarize
from train_backend.recipes import recipe


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_seed001_is_the_ports_code():
    m = build_model("seed001")
    assert count_parameters(m) == 62_378_344
    names = m.all_layer_names()
    # dropout *before* fc6 and fc7, none after fc7
    assert names[names.index("flatten"):] == ["flatten", "drop6", "fc6", "relu6", "drop7", "fc7", "relu7", "fc8"]
    assert m.conv2.groups == 1 and m.conv1.out_channels == 96
    # PyTorch's LRN convention: the same numbers as nn.LocalResponseNorm(5, 1e-4, 0.75, 2)
    x = torch.rand(2, 96, 7, 7) * 30
    assert torch.allclose(m.lrn1(x), nn.LocalResponseNorm(5, 1e-4, 0.75, 2.0)(x), atol=1e-6)
    # only the conv layers initialised: N(0, 0.01), biases 1 in conv2/4/5 and 0 in conv1/3
    for name in ("conv1", "conv2", "conv3", "conv4", "conv5"):
        layer = getattr(m, name)
        assert abs(float(layer.weight.std()) - 0.01) < 1e-3
        assert torch.all(layer.bias == (1.0 if name in ("conv2", "conv4", "conv5") else 0.0))
    # fc layers keep PyTorch's default (uniform within 1/sqrt(fan_in)), not N(0, 0.01) or bias 1
    bound = 1 / (256 * 36) ** 0.5 + 1e-7
    with torch.no_grad():
        assert float(m.fc6.weight.abs().max()) <= bound and float(m.fc6.bias.abs().max()) <= bound
        assert float(m.fc6.bias.abs().max()) > 0  # not zeroed either
    assert m.min_input_size() == 227 and m.input_size_problem(224) is not None
    assert recipe("seed001").model == "seed001"


def test_lenet_vgg_resnet_match_their_references():
    assert count_parameters(build_model("lenet", num_classes=10, in_channels=1)) == 61_706
    assert count_parameters(build_model("vgg16")) == count_parameters(torchvision.models.vgg16()) == 138_357_544
    assert count_parameters(build_model("resnet18")) == count_parameters(torchvision.models.resnet18()) == 11_689_512
    # the same function as torchvision's network, given its weights
    tv = torchvision.models.resnet18().eval()
    ours = build_model("resnet18").eval()
    ours.load_state_dict(dict(zip(ours.state_dict(), tv.state_dict().values())))
    x = torch.randn(1, 3, 64, 64)
    assert torch.allclose(ours(x), tv(x), atol=1e-5)


@pytest.mark.parametrize("name", ["lenet", "vgg16", "resnet18", "seed001"])
def test_each_trains_a_step_on_one_channel_and_fine_tunes(name):
    """Fashion-MNIST's 1 channel at the network's own input size (VGG and ResNet at a small size that fits)."""
    cls = MODELS[name]
    size = {"vgg16": 32, "resnet18": 32}.get(name, cls.native_size)
    m = build_model(name, num_classes=10, in_channels=1)
    opt = torch.optim.SGD(m.parameters(), lr=0.01)
    loss = nn.functional.cross_entropy(m(torch.rand(2, 1, size, size)), torch.tensor([0, 1]))
    loss.backward()
    opt.step()
    assert m.first_conv.weight.shape[1] == 1
    m.reset_classifier(2)
    assert m(torch.rand(2, 1, size, size)).shape == (2, 2)


def test_summary_compare_prints_the_networks_side_by_side(capsys):
    code, out, _ = run(capsys, "summary", "--compare", "lenet,d2l,paper,vgg16,resnet18", "--json")
    assert code == 0
    rows = {r["model"]: r for r in json.loads(out)["models"]}
    assert rows["lenet"]["params"] == 61_706 and rows["lenet"]["input"] == [1, 28, 28]
    assert rows["d2l"]["params"] == 46_764_746 and rows["paper"]["params"] == 60_965_224
    assert rows["vgg16"]["params"] == 138_357_544 and rows["resnet18"]["params"] == 11_689_512
    assert rows["lenet"]["macs"] == 416_520  # conv1 117,600 + conv2 240,000 + fc 48,000 + 10,080 + 840
    code, out, _ = run(capsys, "summary", "--compare", "lenet,d2l")
    assert code == 0 and "params x" in out and "46,764,746" in out
    code, _, err = run(capsys, "summary", "--compare", "lenet,nonesuch")
    assert code == 2 and "nonesuch" in err


def test_summary_shows_dropout_flatten_and_pool3_and_the_recipes_classes(capsys):
    code, out, _ = run(capsys, "summary", "--model", "paper")
    assert code == 0 and "drop6" in out and "flatten" in out and "Dropout" in out
    names = [l.name for l in summarize(build_model("convnet4", num_classes=10), 32)]
    assert "pool3" in names and "flatten" in names
    code, out, _ = run(capsys, "summary", "--recipe", "finetune", "--json")
    assert code == 0 and json.loads(out)["num_classes"] == 2


def test_choosing_a_network_that_cannot_take_the_size_takes_its_own():
    """LeNet-5 flattens 16×5×5 maps: chosen in the settings (or with train --model), it trains at its 28 px."""
    from train_backend.recipes import recipe
    from train_backend.config import apply_settings

    assert apply_settings(recipe("quick"), {"model": "lenet"}).input_size == 28
    assert apply_settings(recipe("quick"), {"model": "lenet", "input_size": 30}).input_size == 30  # said: kept
    assert apply_settings(recipe("quick"), {"model": "resnet18"}).input_size == 83  # it takes any size
