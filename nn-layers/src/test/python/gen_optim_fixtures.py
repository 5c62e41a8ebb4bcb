#!/usr/bin/env python3
"""Optimizer and LR-scheduler parity fixtures for dev.kasane.optim (run with the PyTorch interpreter).

    /usr/bin/python3 nn-layers/src/test/python/gen_optim_fixtures.py

Writes nn-layers/src/test/resources/optim/optimizers.txt and schedulers.txt, read by OptimizerParityTest and
SchedulerParityTest (CI has no PyTorch, so the Java tests read only these files).

The problem (float64): parameters p_k with fixed initial values, and the loss
    L = sum_k sum( 0.5 * (a_k * p_k - c_k)^2 + 0.25 * p_k^4 )
whose gradient is a_k * (a_k * p_k - c_k) + p_k^3, computed by autograd here and analytically in the Java test.
Each case runs 10 optimizer steps and records every parameter after each step.

optimizers.txt format (one item per line, whitespace-separated, floats as Python reprs):
    case <name> <Optimizer>
    group <g> <option>=<value> ...        options in Kasane's keys (PyTorch's names, betas as beta1/beta2,
                                          flags as 1/0); only the options the case sets, the rest are defaults
    param <k> <g> <shape as d0,d1 or - for a 0-d>
    init <k> v...
    coef <k> v...                         a_k
    target <k> v...                       c_k
    expect <step> <k> v...
    end
schedulers.txt:
    sched <name> <Scheduler> <Optimizer>
    arg <key>=<value> ...                 the scheduler's arguments
    groups <lr of group 0> <lr of group 1> ...
    metrics v...                          (ReduceLROnPlateau: the metric passed at each step)
    lr <g> v0 v1 ... v30                  the lr of group g after construction and after each of 30 steps
    momentum <g> v0 ... v30               (OneCycleLR: momentum, or beta1 for Adam)
    end
"""
import os

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "resources", "optim")
STEPS = 10

torch.set_default_dtype(torch.float64)


def problem():
    g = torch.Generator().manual_seed(7)
    shapes = [(2, 3), (4,), ()]
    params = []
    for shape in shapes:
        init = (torch.rand(shape, generator=g) * 3 - 1.5)
        a = torch.rand(shape, generator=g) * 2 + 0.5
        c = torch.randn(shape, generator=g)
        params.append((init, a, c))
    return params


def fmt(v):
    return repr(float(v))


def vals(t):
    return " ".join(fmt(v) for v in t.detach().reshape(-1).tolist())


def shape_str(t):
    return ",".join(str(s) for s in t.shape) if t.dim() > 0 else "-"


def kasane_options(opts):
    out = {}
    for k, v in opts.items():
        if k == "betas":
            out["beta1"], out["beta2"] = v
        elif isinstance(v, bool):
            out[k] = 1 if v else 0
        else:
            out[k] = v
    return out


def run_case(f, name, cls, groups_opts, assignment, defaults):
    """groups_opts: per-group option dicts; assignment: group of each param; defaults: optimizer kwargs."""
    data = problem()
    ps = [init.clone().requires_grad_(True) for init, _, _ in data]
    groups = []
    for gi, opts in enumerate(groups_opts):
        groups.append(dict(params=[p for p, a in zip(ps, assignment) if a == gi], **opts))
    opt = getattr(torch.optim, cls)(groups, **defaults)
    f.write("case %s %s\n" % (name, cls))
    for gi, opts in enumerate(groups_opts):
        merged = dict(defaults)
        merged.update(opts)
        f.write("group %d %s\n" % (gi, " ".join("%s=%s" % (k, fmt(v)) for k, v in kasane_options(merged).items())))
    for k, ((init, a, c), gi) in enumerate(zip(data, assignment)):
        f.write("param %d %d %s\n" % (k, gi, shape_str(init)))
        f.write("init %d %s\n" % (k, vals(init)))
        f.write("coef %d %s\n" % (k, vals(a)))
        f.write("target %d %s\n" % (k, vals(c)))
    for step in range(1, STEPS + 1):
        opt.zero_grad()
        loss = sum((0.5 * (a * p - c) ** 2 + 0.25 * p ** 4).sum() for p, (_, a, c) in zip(ps, data))
        loss.backward()
        opt.step()
        for k, p in enumerate(ps):
            f.write("expect %d %d %s\n" % (step, k, vals(p)))
    f.write("end\n")


OPTIMIZER_CASES = [
    # name, class, defaults, per-group options, group of each param
    ("sgd", "SGD", dict(lr=0.1), [{}], [0, 0, 0]),
    ("sgd_momentum", "SGD", dict(lr=0.05, momentum=0.9), [{}], [0, 0, 0]),
    ("sgd_dampening_wd", "SGD", dict(lr=0.05, momentum=0.8, dampening=0.3, weight_decay=0.05), [{}], [0, 0, 0]),
    ("sgd_nesterov", "SGD", dict(lr=0.05, momentum=0.9, nesterov=True), [{}], [0, 0, 0]),
    ("sgd_maximize", "SGD", dict(lr=0.01, momentum=0.5, maximize=True), [{}], [0, 0, 0]),
    ("sgd_groups", "SGD", dict(lr=0.1, momentum=0.9), [{}, {"lr": 0.01, "nesterov": True, "weight_decay": 0.1}],
     [0, 1, 0]),
    ("adam", "Adam", dict(lr=0.05), [{}], [0, 0, 0]),
    ("adam_wd", "Adam", dict(lr=0.05, weight_decay=0.1), [{}], [0, 0, 0]),
    ("adam_amsgrad", "Adam", dict(lr=0.05, amsgrad=True, betas=(0.8, 0.9)), [{}], [0, 0, 0]),
    ("adam_eps_maximize", "Adam", dict(lr=0.01, eps=1e-3, maximize=True), [{}], [0, 0, 0]),
    ("adam_groups", "Adam", dict(lr=0.05), [{"weight_decay": 0.2}, {"lr": 0.1, "amsgrad": True}], [1, 0, 1]),
    ("adamw", "AdamW", dict(lr=0.05), [{}], [0, 0, 0]),
    ("adamw_wd_amsgrad", "AdamW", dict(lr=0.05, weight_decay=0.3, amsgrad=True, betas=(0.85, 0.95)), [{}], [0, 0, 0]),
    ("adamw_maximize", "AdamW", dict(lr=0.01, maximize=True), [{}], [0, 0, 0]),
    ("rmsprop", "RMSprop", dict(lr=0.01), [{}], [0, 0, 0]),
    ("rmsprop_centered", "RMSprop", dict(lr=0.01, centered=True), [{}], [0, 0, 0]),
    ("rmsprop_momentum", "RMSprop", dict(lr=0.01, momentum=0.5, alpha=0.9, eps=1e-3), [{}], [0, 0, 0]),
    ("rmsprop_all", "RMSprop", dict(lr=0.005, momentum=0.7, centered=True, weight_decay=0.1, maximize=True), [{}],
     [0, 0, 0]),
    ("adagrad", "Adagrad", dict(lr=0.1), [{}], [0, 0, 0]),
    ("adagrad_all", "Adagrad", dict(lr=0.2, lr_decay=0.1, weight_decay=0.05, initial_accumulator_value=0.5, eps=1e-3),
     [{}], [0, 0, 0]),
    ("adagrad_maximize", "Adagrad", dict(lr=0.05, maximize=True), [{}], [0, 0, 0]),
    ("adadelta", "Adadelta", dict(), [{}], [0, 0, 0]),
    ("adadelta_all", "Adadelta", dict(lr=0.5, rho=0.5, eps=1e-3, weight_decay=0.1), [{}], [0, 0, 0]),
    ("adadelta_maximize", "Adadelta", dict(lr=0.5, maximize=True), [{}, {"rho": 0.7}], [0, 1, 1]),
]


def scheduler_cases():
    return [
        ("step", "StepLR", "SGD", dict(step_size=7, gamma=0.5), None),
        ("multistep", "MultiStepLR", "SGD", dict(milestones=[3, 8, 8, 20], gamma=0.3), None),
        ("exponential", "ExponentialLR", "SGD", dict(gamma=0.9), None),
        ("cosine", "CosineAnnealingLR", "SGD", dict(T_max=10, eta_min=0.001), None),
        ("cosine_zero", "CosineAnnealingLR", "SGD", dict(T_max=7), None),
        ("linear", "LinearLR", "SGD", dict(), None),
        ("linear_custom", "LinearLR", "SGD", dict(start_factor=0.1, end_factor=0.5, total_iters=12), None),
        ("onecycle", "OneCycleLR", "SGD", dict(max_lr=1.0, total_steps=30), None),
        ("onecycle_linear_three", "OneCycleLR", "SGD",
         dict(max_lr=0.5, total_steps=40, anneal_strategy="linear", three_phase=True, pct_start=0.25), None),
        ("onecycle_adam", "OneCycleLR", "Adam", dict(max_lr=0.01, total_steps=30, div_factor=10.0,
                                                     final_div_factor=100.0, base_momentum=0.8, max_momentum=0.9),
         None),
        ("plateau", "ReduceLROnPlateau", "SGD", dict(patience=2, factor=0.5), "loss"),
        ("plateau_max_abs_cooldown", "ReduceLROnPlateau", "SGD",
         dict(mode="max", threshold=0.05, threshold_mode="abs", cooldown=2, patience=1, min_lr=0.02), "acc"),
    ]


def metrics(kind):
    if kind == "loss":
        return [1.0, 0.9, 0.95, 0.95, 0.95, 0.8, 0.8, 0.8, 0.81, 0.7] + [0.7] * 20
    return [0.5, 0.52, 0.6, 0.62, 0.61, 0.7, 0.7, 0.7, 0.71, 0.72, 0.8] + [0.8] * 19


def run_sched(f, name, cls, opt_cls, kwargs, metric_kind):
    p1 = torch.zeros(2, requires_grad=True)
    p2 = torch.zeros(1, requires_grad=True)
    lrs = [0.1, 0.05]
    if opt_cls == "SGD":
        opt = torch.optim.SGD([dict(params=[p1], lr=lrs[0]), dict(params=[p2], lr=lrs[1])], lr=0.1, momentum=0.9)
    else:
        opt = torch.optim.Adam([dict(params=[p1], lr=lrs[0]), dict(params=[p2], lr=lrs[1])], lr=0.1)
    sched = getattr(torch.optim.lr_scheduler, cls)(opt, **kwargs)
    f.write("sched %s %s %s\n" % (name, cls, opt_cls))
    args = []
    for k, v in kwargs.items():
        if isinstance(v, list):
            v = ",".join(str(x) for x in v)
        elif isinstance(v, bool):
            v = 1 if v else 0
        args.append("%s=%s" % (k, v))
    f.write("arg %s\n" % " ".join(args))
    f.write("groups %s\n" % " ".join(fmt(x) for x in lrs))
    hist = [[g["lr"] for g in opt.param_groups]]
    mom = [[g["betas"][0] if "betas" in g else g["momentum"] for g in opt.param_groups]]
    ms = metrics(metric_kind) if metric_kind else None
    for i in range(30):
        opt.step()
        if ms:
            sched.step(ms[i])
        else:
            sched.step()
        hist.append([g["lr"] for g in opt.param_groups])
        mom.append([g["betas"][0] if "betas" in g else g["momentum"] for g in opt.param_groups])
    if ms:
        f.write("metrics %s\n" % " ".join(fmt(m) for m in ms))
    for gi in range(2):
        f.write("lr %d %s\n" % (gi, " ".join(fmt(h[gi]) for h in hist)))
        if cls == "OneCycleLR":
            f.write("momentum %d %s\n" % (gi, " ".join(fmt(m[gi]) for m in mom)))
    f.write("end\n")


def main():
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "optimizers.txt"), "w") as f:
        f.write("# generated by src/test/python/gen_optim_fixtures.py with torch %s\n" % torch.__version__)
        for name, cls, defaults, groups, assignment in OPTIMIZER_CASES:
            run_case(f, name, cls, groups, assignment, defaults)
    with open(os.path.join(OUT, "schedulers.txt"), "w") as f:
        f.write("# generated by src/test/python/gen_optim_fixtures.py with torch %s\n" % torch.__version__)
        for case in scheduler_cases():
            run_sched(f, *case)
    print("wrote fixtures to", os.path.normpath(OUT))


if __name__ == "__main__":
    main()
