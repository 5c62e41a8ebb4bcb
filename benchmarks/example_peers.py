#!/usr/bin/python3
"""PyTorch 1.13 processes that mirror three of Kasane's examples, for comparing peak RSS (GNU time's maximum
resident set size) with the examples run as README says:

    /usr/bin/time -v /usr/bin/python3 benchmarks/example_peers.py lenet            # lenet --epochs 1
    /usr/bin/time -v /usr/bin/python3 benchmarks/example_peers.py dcgan            # dcgan --epochs 1
    /usr/bin/time -v /usr/bin/python3 benchmarks/example_peers.py resnet --limit 4096   # resnet --limit 4096

Each mirrors its example's data, model, batch size, optimizer and evaluation, written as a PyTorch user would:
the IDX files read into uint8 tensors, the split converted once to normalised float32, a TensorDataset and a
shuffling DataLoader, evaluation in batches without grad.

- lenet: LeNet-5, Adam 1e-3, batch 64, Fashion-MNIST normalised with mean 0.2860 / std 0.3530, then the test set in
  batches of 1000 (loss, accuracy).
- dcgan: DCGAN-28 (the zoo's), Adam 2e-4 betas (0.5, 0.999), batch 64 (last partial batch dropped), data scaled to
  [-1, 1]; per batch one discriminator step on real and detached fake, one generator step; then 10,000 generated
  images (in batches of 500) against as many test images through a network of FID-FMNIST's shape (random weights:
  the memory is the point, not the score), features in batches of 256.
- resnet: ResNet-18 with the CIFAR stem, Adam 1e-3, batch 64, the first --limit training images padded to 32x32 and
  normalised, each batch repeated to 3 channels; the whole test set in batches of 256.

The models come from the peers folder's reference_models.py (KASANE_PEERS, default ../shared/peers next to the
repository, as benchmarks/compare.sh).
"""
import argparse, gzip, os, struct, sys, time
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.environ.get("KASANE_PEERS", os.path.join(HERE, "..", "..", "shared", "peers")))
from reference_models import LeNet5, dcgan28, resnet18  # noqa: E402

FMNIST = os.environ.get("FASHION_MNIST_DIR", "/usr/share/datasets/fashion-mnist")


def idx(name):
    with gzip.open(f"{FMNIST}/{name}.gz", "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return torch.frombuffer(bytearray(data[4 + 4 * ndim:]), dtype=torch.uint8).reshape(dims)


def fashion_mnist(train, mean, std, limit=0):
    """The split as float32 [N, 1, 28, 28], (x / 255 - mean) / std, and int64 labels."""
    prefix = "train" if train else "t10k"
    x, y = idx(f"{prefix}-images-idx3-ubyte"), idx(f"{prefix}-labels-idx1-ubyte").long()
    if limit:
        x, y = x[:limit], y[:limit]
    return ((x.float() / 255 - mean) / std).unsqueeze(1), y


def loader(x, y, batch, shuffle, drop_last=False):
    return torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=batch, shuffle=shuffle,
                                       drop_last=drop_last)


def train_classifier(model, x, y, xt, yt, eval_batch, prepare=lambda b: b):
    opt = torch.optim.Adam(model.parameters(), 1e-3)
    model.train()
    for xb, yb in loader(x, y, 64, True):
        opt.zero_grad()
        loss = F.cross_entropy(model(prepare(xb)), yb)
        loss.backward()
        opt.step()
    model.eval()
    loss_sum, correct = 0.0, 0
    with torch.no_grad():
        for xb, yb in loader(xt, yt, eval_batch, False):
            logits = model(prepare(xb))
            loss_sum += F.cross_entropy(logits, yb, reduction="sum").item()
            correct += (logits.argmax(1) == yb).sum().item()
    return "test loss %.4f, accuracy %.4f" % (loss_sum / len(yt), correct / len(yt))


def lenet(a):
    x, y = fashion_mnist(True, 0.2860, 0.3530, a.limit)
    xt, yt = fashion_mnist(False, 0.2860, 0.3530)
    return train_classifier(LeNet5(), x, y, xt, yt, 1000)


def resnet(a):
    def padded(train, limit):
        x, y = fashion_mnist(train, 0, 1, limit)
        return (F.pad(x, (2, 2, 2, 2)) - 0.2860) / 0.3530, y
    x, y = padded(True, a.limit)
    xt, yt = padded(False, 0)
    return train_classifier(resnet18(10, cifar=True), x, y, xt, yt, 256,
                            lambda b: b.expand(-1, 3, -1, -1).contiguous())


def fid_network():
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, 1, 1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, 1, 1), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 7 * 7, 64), nn.ReLU()).eval()


def frechet(fa, fb):
    ma, mb = fa.mean(0), fb.mean(0)
    ca, cb = torch.cov(fa.T), torch.cov(fb.T)
    eig = torch.linalg.eigvals(ca @ cb).real.clamp(min=0)
    return ((ma - mb) ** 2).sum().item() + (ca.trace() + cb.trace() - 2 * eig.sqrt().sum()).item()


def dcgan(a):
    x, y = fashion_mnist(True, 0.5, 0.5, a.limit)
    g, d = dcgan28()
    og = torch.optim.Adam(g.parameters(), 2e-4, betas=(0.5, 0.999))
    od = torch.optim.Adam(d.parameters(), 2e-4, betas=(0.5, 0.999))
    bce = F.binary_cross_entropy_with_logits
    for real, _ in loader(x, y, 64, True, drop_last=True):
        n = real.shape[0]
        with torch.no_grad():
            fake = g(torch.randn(n, 100))
        od.zero_grad()
        ld = bce(d(real), torch.ones(n, 1)) + bce(d(fake), torch.zeros(n, 1))
        ld.backward()
        od.step()
        og.zero_grad()
        lg = bce(d(g(torch.randn(n, 100))), torch.ones(n, 1))
        lg.backward()
        og.step()
    g.eval()
    net = fid_network()
    with torch.no_grad():
        generated = torch.cat([g(torch.randn(500, 100)) for _ in range(20)])
        real = fashion_mnist(False, 0.5, 0.5)[0]
        fa = torch.cat([net(b) for b in real.split(256)]).double()
        fb = torch.cat([net(b) for b in generated.split(256)]).double()
    return "D loss %.4f, G loss %.4f, Frechet distance (random features) %.3f" % (ld.item(), lg.item(), frechet(fa, fb))


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("example", choices=["lenet", "dcgan", "resnet"])
    ap.add_argument("--limit", type=int, default=0, help="use only the first N training images, 0 = all")
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    t = time.perf_counter()
    note = {"lenet": lenet, "dcgan": dcgan, "resnet": resnet}[a.example](a)
    print("%s: %.1f s, %s" % (a.example, time.perf_counter() - t, note), flush=True)
