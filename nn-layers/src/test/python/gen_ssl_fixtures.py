"""Writes the PyTorch parity fixtures of Kasane's self-supervised learning pieces: the NT-Xent loss (ContrastiveTest)
and the LARS optimizer (LarsParityTest).

Run with a Python that has torch (here: /usr/bin/python3, PyTorch 1.13):

    /usr/bin/python3 nn-layers/src/test/python/gen_ssl_fixtures.py

NT-Xent: same text format as gen_nn_fixtures.py (whose writer it uses): each case becomes
nn-layers/src/test/resources/nn/<case>.txt. LARS: nn-layers/src/test/resources/optim/lars.txt in the format of
gen_optim_fixtures.py's optimizers.txt, on its problem (float64, 10 steps). Seeded on its own, so it changes no
other fixture.

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


class LARS(torch.optim.Optimizer):
    """The reference LARS (as in the SimCLR and Barlow Twins code): g = grad + weight_decay * p; if trust_adaptation
    and both norms are positive, g = g * trust_coefficient * ||p|| / ||g||; buf = momentum * buf + g (buf = g at
    the first step); p = p - lr * buf. maximize negates the gradient first."""

    def __init__(self, params, lr=0.1, momentum=0.9, weight_decay=0.0, trust_coefficient=0.001,
                 trust_adaptation=True, maximize=False):
        super().__init__(params, dict(lr=lr, momentum=momentum, weight_decay=weight_decay,
                                      trust_coefficient=trust_coefficient, trust_adaptation=trust_adaptation,
                                      maximize=maximize))

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            for p in group["params"]:
                g = -p.grad if group["maximize"] else p.grad
                g = g.add(p, alpha=group["weight_decay"])
                if group["trust_adaptation"]:
                    p_norm, g_norm = torch.norm(p), torch.norm(g)
                    one = torch.ones_like(p_norm)
                    q = torch.where(p_norm > 0, torch.where(g_norm > 0, group["trust_coefficient"] * p_norm / g_norm,
                                                            one), one)
                    g = g.mul(q)
                if group["momentum"] != 0:
                    state = self.state[p]
                    if "momentum_buffer" not in state:
                        state["momentum_buffer"] = g.clone()
                    else:
                        state["momentum_buffer"].mul_(group["momentum"]).add_(g)
                    g = state["momentum_buffer"]
                p.add_(g, alpha=-group["lr"])


LARS_CASES = [
    # name, defaults, per-group options, group of each param (gen_optim_fixtures.py's three parameters)
    ("lars", dict(lr=1.0, trust_coefficient=0.02), [{}], [0, 0, 0]),
    ("lars_wd", dict(lr=0.5, momentum=0.8, weight_decay=0.05, trust_coefficient=0.05), [{}], [0, 0, 0]),
    ("lars_excluded_group", dict(lr=0.5, weight_decay=0.01, trust_coefficient=0.05),
     [{}, {"trust_adaptation": False, "weight_decay": 0.0, "lr": 0.05}], [0, 1, 1]),
    ("lars_no_momentum_maximize", dict(lr=0.05, momentum=0.0, trust_coefficient=0.1, maximize=True), [{}], [0, 0, 0]),
]


def lars_fixtures():
    import gen_optim_fixtures as O  # sets float64 as the default dtype, as that script's problem needs
    with open(os.path.join(O.OUT, "lars.txt"), "w") as f:
        for name, defaults, groups_opts, assignment in LARS_CASES:
            data = O.problem()
            ps = [init.clone().requires_grad_(True) for init, _, _ in data]
            groups = [dict(params=[p for p, a in zip(ps, assignment) if a == gi], **opts)
                      for gi, opts in enumerate(groups_opts)]
            opt = LARS(groups, **defaults)
            f.write("case %s LARS\n" % name)
            for gi, opts in enumerate(groups_opts):
                merged = dict(defaults)
                merged.update(opts)
                f.write("group %d %s\n" % (gi, " ".join("%s=%s" % (k, O.fmt(v))
                                                         for k, v in O.kasane_options(merged).items())))
            for k, ((init, a, c), gi) in enumerate(zip(data, assignment)):
                f.write("param %d %d %s\n" % (k, gi, O.shape_str(init)))
                f.write("init %d %s\ncoef %d %s\ntarget %d %s\n" % (k, O.vals(init), k, O.vals(a), k, O.vals(c)))
            for step in range(1, O.STEPS + 1):
                opt.zero_grad()
                loss = sum((0.5 * (a * p - c) ** 2 + 0.25 * p ** 4).sum() for p, (_, a, c) in zip(ps, data))
                loss.backward()
                opt.step()
                for k, p in enumerate(ps):
                    f.write("expect %d %d %s\n" % (step, k, O.vals(p)))
            f.write("end\n")


def main():
    torch.manual_seed(23)
    case("ntxent_t05", torch.randn(4, 6), torch.randn(4, 6), 0.5)
    case("ntxent_t01_scaled", 5 * torch.randn(3, 5), 0.2 * torch.randn(3, 5), 0.1)
    case("ntxent_single", torch.randn(1, 3), torch.randn(1, 3), 1.0)
    z = torch.randn(5, 4)
    case("ntxent_close_views", z, z + 0.05 * torch.randn(5, 4), 0.2)
    lars_fixtures()


if __name__ == "__main__":
    main()
