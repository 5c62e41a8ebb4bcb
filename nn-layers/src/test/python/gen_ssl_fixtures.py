"""Writes the PyTorch parity fixtures of Kasane's self-supervised learning pieces: the NT-Xent loss (ContrastiveTest).

Run with a Python that has torch (here: /usr/bin/python3, PyTorch 1.13):

    /usr/bin/python3 nn-layers/src/test/python/gen_ssl_fixtures.py

Same text format as gen_nn_fixtures.py (whose writer it uses): each case becomes
nn-layers/src/test/resources/nn/<case>.txt. Seeded on its own, so it changes no other fixture.

PyTorch has no NT-Xent, so the reference is written here twice: the usual batched form (cosine similarity matrix,
diagonal masked, cross entropy with the other view as the class) and the paper's per-pair definition (Chen et al.
2020, Algorithm 1), and the script checks they agree before writing.
"""
import os
import sys

import torch
import torch.nn.functional as F

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_nn_fixtures import write  # noqa: E402


def nt_xent(z1, z2, tau):
    n = z1.shape[0]
    z = F.normalize(torch.cat([z1, z2]), dim=1)
    sim = z @ z.t() / tau
    sim = sim.masked_fill(torch.eye(2 * n, dtype=torch.bool), float("-inf"))
    target = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)])
    return F.cross_entropy(sim, target)


def nt_xent_paper(z1, z2, tau):
    """Algorithm 1 of the paper: l(i, j) = -log(exp(s_ij / tau) / sum_{k != i} exp(s_ik / tau)), averaged over the
    2N ordered positive pairs."""
    n = z1.shape[0]
    z = torch.cat([z1, z2])
    s = lambda i, k: F.cosine_similarity(z[i], z[k], dim=0, eps=0) / tau  # noqa: E731
    total = 0
    for i in range(2 * n):
        j = (i + n) % (2 * n)
        denom = sum(torch.exp(s(i, k)) for k in range(2 * n) if k != i)
        total = total - torch.log(torch.exp(s(i, j)) / denom)
    return total / (2 * n)


def case(name, z1, z2, tau):
    z1 = z1.double().requires_grad_(True)
    z2 = z2.double().requires_grad_(True)
    loss = nt_xent(z1, z2, tau)
    paper = nt_xent_paper(z1.detach(), z2.detach(), tau)
    assert torch.allclose(loss.detach(), paper, rtol=1e-10), (name, loss.item(), paper.item())
    loss.backward()
    write(name, {"z1": z1.float(), "z2": z2.float(), "temperature": torch.tensor([tau]), "output": loss,
                 "grad_z1": z1.grad, "grad_z2": z2.grad})


def main():
    torch.manual_seed(23)
    case("ntxent_t05", torch.randn(4, 6), torch.randn(4, 6), 0.5)
    case("ntxent_t01_scaled", 5 * torch.randn(3, 5), 0.2 * torch.randn(3, 5), 0.1)
    case("ntxent_single", torch.randn(1, 3), torch.randn(1, 3), 1.0)
    z = torch.randn(5, 4)
    case("ntxent_close_views", z, z + 0.05 * torch.randn(5, 4), 0.2)


if __name__ == "__main__":
    main()
