"""Reference: the same JEPA training step as `wm bench train`, in PyTorch, on the same machine.

Mirrors src/WorldModel.Models (ImpalaEncoder with a spatial latent, ConvPredictor, InverseDynamics,
the JEPA objective with PLDM's weights, AdamW + gradient clipping). Frames are fixed random
coverages, so this times the model step only; compare it with the "model s/step" column of
`./wm bench train`, which times the same part of the C# step.

    apt-get install python3-torch libopenblas0-pthread
    /usr/bin/python3 bench/pytorch/train_step.py [--steps 10] [--threads 2]

Debian's torch links the reference BLAS by default; libopenblas0-pthread registers OpenBLAS as
the libblas.so.3 alternative, which this script checks and reports.

`wm` starts itself with glibc tunables (one malloc arena, no mmap, no trimming; `./wm info` prints
them). To give PyTorch the same allocator, run this script with that GLIBC_TUNABLES value set:

    GLIBC_TUNABLES=glibc.malloc.arena_max=1:glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=0x7fffffffffffffff:glibc.malloc.top_pad=268435456 \
        /usr/bin/python3 bench/pytorch/train_step.py --channels-last
"""
import argparse
import json
import statistics
import time

import torch
from torch import nn
from torch.nn import functional as F


class Residual(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c1 = nn.Conv2d(c, c, 3, padding=1)
        self.c2 = nn.Conv2d(c, c, 3, padding=1)

    def forward(self, x):
        return x + self.c2(F.relu(self.c1(F.relu(x))))


class Stage(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, 3, padding=1)
        self.a, self.b = Residual(cout), Residual(cout)

    def forward(self, x):
        return self.b(self.a(F.max_pool2d(self.conv(x), 3, 2, 1)))


class Encoder(nn.Module):
    def __init__(self, widths, cin, size):
        super().__init__()
        stages, c = [], cin
        for w in widths:
            stages.append(Stage(c, w))
            c, size = w, (size + 1) // 2
        self.stages = nn.Sequential(*stages)
        self.shape = (c, size, size)
        self.head = nn.Sequential(nn.GroupNorm(min(4, c), c), nn.LayerNorm(self.shape))

    channels_last = False  # --channels-last: the NHWC layout `wm` convolves in (its ImpalaEncoder)

    def forward(self, x):
        x = x.contiguous(memory_format=torch.channels_last) if Encoder.channels_last else x.contiguous()
        return self.head(F.relu(self.stages(x)))


class ConvPredictor(nn.Module):
    def __init__(self, shape, action_dim, hidden):
        super().__init__()
        c, h = shape[0], max(16, min(hidden, 128))
        self.net = nn.Sequential(nn.Conv2d(c + action_dim, h, 3, padding=1), nn.ReLU(),
                                 nn.Conv2d(h, h, 3, padding=1), nn.ReLU(), nn.Conv2d(h, c, 3, padding=1))

    def forward(self, z, a):
        planes = a[:, :, None, None].expand(-1, -1, z.shape[2], z.shape[3])
        return z + self.net(torch.cat([z, planes], 1))


class Model(nn.Module):
    def __init__(self, widths, hidden, channels=2, size=64, action_dim=2):
        super().__init__()
        self.encoder = Encoder(widths, channels, size)
        self.predictor = ConvPredictor(self.encoder.shape, action_dim, hidden)
        n = self.encoder.shape[0] * self.encoder.shape[1] * self.encoder.shape[2]
        self.idm = nn.Sequential(nn.Linear(2 * n, 128), nn.ReLU(), nn.Linear(128, action_dim))


def as_samples(z):
    return z.permute(0, 2, 3, 1).reshape(-1, z.shape[1])


def variance(z):
    x = as_samples(z)
    return F.relu(1 - (x.var(0) + 1e-4).sqrt()).mean()


def covariance(z):
    x = as_samples(z)
    n, d = x.shape
    xc = x - x.mean(0, keepdim=True)
    cov = xc.t() @ xc / (n - 1)
    off = cov - torch.diag(torch.diag(cov))
    return off.pow(2).sum() / d


def jepa_loss(model, frames, actions):
    b, t = frames.shape[:2]
    z = model.encoder(frames.flatten(0, 1)).reshape(b, t, *model.encoder.shape)
    zs, zt = z[:, 0], []
    for h in range(actions.shape[1]):
        zs = model.predictor(zs, actions[:, h])
        zt.append(zs)
    predicted = torch.stack(zt, 1)
    prediction = (predicted - z[:, 1:].detach()).pow(2).mean()
    first = z[:, 0]
    temporal = (z[:, 1:] - z[:, :-1]).pow(2).mean()
    idm = (model.idm(torch.cat([z[:, :-1].flatten(0, 1).flatten(1), z[:, 1:].flatten(0, 1).flatten(1)], 1))
           - actions.flatten(0, 1)).pow(2).mean()
    return prediction + 3.98 * variance(first) + 6.92 * covariance(first) + 0.74 * temporal + 1.07 * idm


def seconds_per_step(widths, hidden, batch, frames, steps, device="cpu"):
    torch.manual_seed(0)
    model = Model(widths, hidden).to(device)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-4)
    x = torch.rand(batch, frames, 2, 64, 64, device=device)
    a = torch.randn(batch, frames - 1, 2, device=device)
    times = []
    for i in range(steps + 3):
        start = time.perf_counter()
        loss = jepa_loss(model, x, a)
        loss.item()
        opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        if device != "cpu":
            torch.cuda.synchronize()
        if i >= 3:
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--steps", type=int, default=10)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--device", default="cpu", help="cpu or cuda (the GPU config's expected step time)")
    p.add_argument("--channels-last", action="store_true", help="convolve NHWC tensors, as wm's encoder does")
    p.add_argument("--out")
    args = p.parse_args()
    Encoder.channels_last = args.channels_last
    torch.set_num_threads(args.threads)
    blas = "unknown"
    try:
        import os
        blas = os.path.realpath("/etc/alternatives/libblas.so.3-x86_64-linux-gnu")
    except OSError:
        pass
    where = torch.cuda.get_device_name() if args.device != "cpu" else f"{torch.get_num_threads()} threads, libblas.so.3 -> {blas}"
    print(f"torch {torch.__version__}, {args.device}: {where}{', channels last' if args.channels_last else ''}")
    results = []
    # The same two models as `wm bench train`: configs/two-rooms-cpu.json and the PLDM-size one.
    for name, widths, hidden, batch, frames in [("two-rooms-cpu config", [16, 32, 32], 64, 32, 9),
                                                ("PLDM size (widths 32-64-64, 17 frames)", [32, 64, 64], 128, 64, 17)]:
        s = seconds_per_step(widths, hidden, batch, frames, args.steps, args.device)
        print(f"{name:40s} {batch} x {frames}  {s:.3f} s/step")
        results.append({"model": name, "batch": batch, "frames": frames, "secondsPerStep": s})
    if args.out:
        with open(args.out, "w") as f:
            json.dump({"bench": "train-pytorch", "device": args.device, "torch": torch.__version__, "blas": blas, "results": results}, f, indent=2)


if __name__ == "__main__":
    main()
