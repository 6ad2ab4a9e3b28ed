"""Loads a model exported by `wm export` into PyTorch modules built like wm's and checks its outputs.

    /usr/bin/python3 tests/python/check_export.py MODEL.safetensors PROBE.safetensors

MODEL is `wm export`'s file: PyTorch-style names, the run's config in its metadata. PROBE holds frames
(B, C, H, W), actions (B, A) and what wm computed from them: latents, predictions (one predictor
step) and, when the model has a decoder, decoded logits. The modules below mirror
src/WorldModel.Models (ImpalaEncoder, the predictors, Decoder, InverseDynamics) attribute for
attribute, so `load_state_dict(strict=True)` takes the file's names unchanged. Prints the largest
difference per output and exits 1 when any is above 1e-4.

Needs only Debian's python3-torch (no safetensors package): the format is an 8-byte header length,
a JSON header and raw little-endian float32 data.
"""
import json
import struct
import sys

import torch
from torch import nn
from torch.nn import functional as F

TOLERANCE = 1e-4


def read_safetensors(path):
    with open(path, "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(length))
        data = f.read()
    meta = header.pop("__metadata__", {})
    tensors = {}
    for name, info in header.items():
        assert info["dtype"] == "F32", f"{name}: dtype {info['dtype']}, expected F32"
        start, end = info["data_offsets"]
        flat = torch.frombuffer(bytearray(data[start:end]), dtype=torch.float32)
        tensors[name] = flat.reshape(info["shape"]) if info["shape"] else flat.reshape(())
    return tensors, meta


class ResidualBlock(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c1 = nn.Conv2d(c, c, 3, padding=1)
        self.c2 = nn.Conv2d(c, c, 3, padding=1)

    def forward(self, x):
        return x + self.c2(F.relu(self.c1(F.relu(x))))


class ImpalaStage(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, 3, padding=1)
        self.a, self.b = ResidualBlock(cout), ResidualBlock(cout)

    def forward(self, x):
        return self.b(self.a(F.max_pool2d(self.conv(x), 3, 2, 1)))


class ImpalaEncoder(nn.Module):
    def __init__(self, model, channels, size):
        super().__init__()
        stages, c = [], channels
        for w in model["widths"]:
            stages.append(ImpalaStage(c, w))
            c, size = w, (size + 1) // 2
        self.stages = nn.ModuleList(stages)
        if model["latent"] == "spatial":
            self.latent_shape = (c, size, size)
            self.head = nn.Sequential(nn.GroupNorm(min(4, c), c), nn.LayerNorm(self.latent_shape))
        else:
            self.latent_shape = (model["latentDim"],)
            self.head = nn.Sequential(nn.Flatten(), nn.Linear(c * size * size, model["latentDim"]),
                                      nn.LayerNorm(model["latentDim"]))

    def forward(self, x):
        for stage in self.stages:
            x = stage(x)
        return self.head(F.relu(x))


class ConvPredictor(nn.Module):
    def __init__(self, latent_shape, action_dim, hidden):
        super().__init__()
        c = latent_shape[0]
        self.net = nn.Sequential(nn.Conv2d(c + action_dim, hidden, 3, padding=1), nn.ReLU(),
                                 nn.Conv2d(hidden, hidden, 3, padding=1), nn.ReLU(),
                                 nn.Conv2d(hidden, c, 3, padding=1))

    def forward(self, z, a):
        planes = a[:, :, None, None].expand(-1, -1, z.shape[2], z.shape[3])
        return z + self.net(torch.cat([z, planes], 1))


class ResidualMlpPredictor(nn.Module):
    def __init__(self, latent_dim, action_dim, hidden):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(latent_dim + action_dim, hidden), nn.ReLU(),
                                 nn.Linear(hidden, hidden), nn.ReLU(), nn.Linear(hidden, latent_dim))

    def forward(self, z, a):
        return z + self.mlp(torch.cat([z, a], 1))


class GruPredictor(nn.Module):
    def __init__(self, latent_dim, action_dim, hidden):
        super().__init__()
        self.embed = nn.Linear(action_dim, hidden)
        self.cell = nn.GRUCell(hidden, latent_dim)

    def forward(self, z, a):
        return self.cell(F.relu(self.embed(a)), z)


class Decoder(nn.Module):
    def __init__(self, latent_shape, channels, size, width):
        super().__init__()
        start = latent_shape[1] if len(latent_shape) == 3 else 8
        self.stem = (nn.Conv2d(latent_shape[0], width, 3, padding=1) if len(latent_shape) == 3
                     else nn.Sequential(nn.Linear(latent_shape[0], width * start * start),
                                        nn.Unflatten(1, (width, start, start))))
        layers, s = [], start
        while s < size:
            layers += [nn.ReLU(), nn.ConvTranspose2d(width, width, 4, stride=2, padding=1)]
            s *= 2
        layers += [nn.ReLU(), nn.Conv2d(width, channels, 3, padding=1)]
        self.up = nn.Sequential(*layers)

    def forward(self, z):
        return self.up(self.stem(z))


class InverseDynamics(nn.Module):
    def __init__(self, latent_size, action_dim, hidden=128):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(2 * latent_size, hidden), nn.ReLU(), nn.Linear(hidden, action_dim))

    def forward(self, z, z_next):
        return self.mlp(torch.cat([z.flatten(1), z_next.flatten(1)], 1))


class LatentWorldModel(nn.Module):
    """wm's LatentWorldModel; the optional parts exist when the exported file has them."""

    def __init__(self, model, channels, size, action_dim, names):
        super().__init__()
        has = lambda prefix: any(n.startswith(prefix + ".") for n in names)
        self.encoder = ImpalaEncoder(model, channels, size)
        shape = self.encoder.latent_shape
        if has("target_encoder"):
            self.target_encoder = ImpalaEncoder(model, channels, size)
        if model["latent"] == "spatial":
            self.predictor = ConvPredictor(shape, action_dim, model["predictorHidden"])
        elif model["predictor"] == "gru":
            self.predictor = GruPredictor(shape[0], action_dim, model["predictorHidden"])
        else:
            self.predictor = ResidualMlpPredictor(shape[0], action_dim, model["predictorHidden"])
        if has("decoder"):
            self.decoder = Decoder(shape, channels, size, model["decoderWidth"])
        if has("inverse_dynamics"):
            size_of = 1
            for d in shape:
                size_of *= d
            self.inverse_dynamics = InverseDynamics(size_of, action_dim)


def main():
    weights, meta = read_safetensors(sys.argv[1])
    probe, _ = read_safetensors(sys.argv[2])
    config = json.loads(meta["worldmodel_config"])
    frames, actions = probe["frames"], probe["actions"]
    model = LatentWorldModel(config["model"], frames.shape[1], frames.shape[2], actions.shape[1], weights.keys())
    model.load_state_dict(weights, strict=True)  # raises, naming them, on any missing or unexpected name
    model.eval()
    worst = 0.0
    with torch.no_grad():
        z = model.encoder(frames)
        outputs = {"latents": z, "predictions": model.predictor(z, actions)}
        if hasattr(model, "decoder"):
            outputs["decoded"] = model.decoder(z)
        for name, ours in outputs.items():
            diff = (ours - probe[name]).abs().max().item()
            worst = max(worst, diff)
            print(f"{name}: shape {tuple(ours.shape)}, largest difference {diff:.2e}")
    print(f"{len(weights)} tensors loaded by name; largest difference {worst:.2e} (tolerance {TOLERANCE})")
    sys.exit(0 if worst <= TOLERANCE else 1)


if __name__ == "__main__":
    main()
