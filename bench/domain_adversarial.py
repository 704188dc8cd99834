"""The training of bench/domain-adversarial.sh: the demo CNN (model.net.CustomCnn with
configs/demo.yaml's layers, Adam at 1e-3, batches of 64, 23,730 images seen, the demo's 8
symmetries and photometric jitter) on synthetic labels, plus, when --weight > 0, a domain classifier
on the flattened convolutions behind a gradient-reversal layer whose weight rises from 0 to
--weight over the run (Ganin et al. 2016's schedule). Each batch of 64 synthetic images is paired
with 64 images drawn from the real tune half; only their pixels are used in training.

With --batch-norm, a batch normalisation after each convolution, and the model is scored three
times: with the statistics of its synthetic training, with statistics re-estimated on the real tune
half's pixels (AdaBN, Li et al. 2016), and with each real half's own statistics (test-time
adaptation to the sample being predicted, Schneider et al. 2020).

With --fourier-beta B > 0, Fourier domain adaptation (Yang and Soatto 2020, FDA): each synthetic
training image takes the low-frequency amplitude spectrum (the B * 69 lowest frequencies on each
axis) of a random real tune-half image and keeps its own phase, so it carries the real images'
overall levels and blur with its own structure.

Prints one line per scoring: the synthetic validation RMSE, the AUCs of 'spiral: yes' / 'features
or disk' on the tune and held-out halves (folder labels), and the share of real galaxies with
Class8.6 >= 0.4.
"""
import argparse
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fidelity_train import as_input, read_split  # noqa: E402  (the ingested shards, as gz train reads them)

SPIRAL, FEATURES, MERGER = 7, 1, 24  # Class4.1, Class1.2, Class8.6 in the 37 answers' order


def read(folder):
    parts = [read_split(os.path.join(folder, split)) for split in ("train", "val")]
    return torch.cat([p[0] for p in parts]), torch.cat([p[1] for p in parts])


def augment(x, g, brightness=0.2, colour=0.1, noise=0.02):
    """The demo's augment: one of the 8 symmetries (per batch here), gains and noise per image."""
    x = torch.rot90(x, int(torch.randint(4, (1,), generator=g)), (2, 3))
    if torch.rand(1, generator=g) < 0.5:
        x = x.flip(3)
    n = x.shape[0]
    x = x * (1 + brightness * (2 * torch.rand(n, 1, 1, 1, generator=g) - 1))
    x = x * (1 + colour * (2 * torch.rand(n, 3, 1, 1, generator=g) - 1))
    x = x + noise * torch.rand(n, 1, 1, 1, generator=g) * torch.randn(x.shape, generator=g)
    return x.clamp(0, 1)


class ReverseGradient(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, weight):
        ctx.weight = weight
        return x.view_as(x)

    @staticmethod
    def backward(ctx, grad):
        return -ctx.weight * grad, None


class Net(nn.Module):
    def __init__(self, filters=(16, 32, 64), dense=64, dropout=0.25, size=69, batch_norm=False):
        super().__init__()
        layers, c, s = [], 3, size
        for f in filters:
            norm = [nn.BatchNorm2d(f)] if batch_norm else []
            layers += [nn.Conv2d(c, f, 3, padding=1), *norm, nn.ReLU(), nn.MaxPool2d(2, 2)]
            c, s = f, s // 2
        self.features = nn.Sequential(*layers, nn.Flatten())
        self.head = nn.Sequential(nn.Linear(c * s * s, dense), nn.ReLU(), nn.Dropout(dropout), nn.Linear(dense, 37), nn.Sigmoid())
        self.domain = nn.Sequential(nn.Linear(c * s * s, 100), nn.ReLU(), nn.Linear(100, 1))

    def forward(self, x, weight=0.0):
        f = self.features(x)
        return self.head(f), self.domain(ReverseGradient.apply(f, weight))


def auc(score, positive):
    ranks = np.empty(len(score))
    ranks[np.argsort(score)] = np.arange(1, len(score) + 1)
    n1, n0 = positive.sum(), (~positive).sum()
    return (ranks[positive].sum() - n1 * (n1 + 1) / 2) / (n1 * n0)


def predict(net, pixels):
    net.eval()
    with torch.no_grad():
        out = torch.cat([net(as_input(pixels[i:i + 256]))[0] for i in range(0, len(pixels), 256)]).numpy()
    net.train()
    return out


def fourier_style(synthetic, real, beta):
    """FDA: the synthetic images with the low-frequency amplitudes of the real ones, per channel."""
    spectrum, real_amplitude = torch.fft.fft2(synthetic), torch.fft.fft2(real).abs()
    amplitude = spectrum.abs()
    h, w = synthetic.shape[-2:]
    b = max(1, int(min(h, w) * beta))
    for rows in (slice(0, b), slice(h - b, h)):  # the low frequencies sit in the spectrum's four corners
        for cols in (slice(0, b), slice(w - b, w)):
            amplitude[..., rows, cols] = real_amplitude[..., rows, cols]
    return torch.fft.ifft2(torch.polar(amplitude, spectrum.angle())).real.clamp(0, 1)


def adapt_batch_norm(net, pixels):
    """Replaces every batch norm's running statistics by those of these images (a cumulative mean
    over batches of 128, momentum None); the weights stay as trained."""
    for m in net.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.reset_running_stats()
            m.momentum = None
    net.train()
    with torch.no_grad():
        for i in range(0, len(pixels), 128):
            net(as_input(pixels[i:i + 128]))


def report(what, a, rmse, tune, held, tune_y, held_y, start):
    tune_spiral, held_spiral = tune_y.numpy()[:, SPIRAL] > 0.5, held_y.numpy()[:, SPIRAL] > 0.5
    mergers = float((np.concatenate([tune, held])[:, MERGER] >= 0.4).mean())
    print(f"weight {a.weight:g}, seed {a.seed}{what}: synthetic validation RMSE {rmse:.4f}; AUC tune "
          f"{auc(tune[:, SPIRAL], tune_spiral):.3f} / {auc(tune[:, FEATURES], tune_spiral):.3f}, held-out "
          f"{auc(held[:, SPIRAL], held_spiral):.3f} / {auc(held[:, FEATURES], held_spiral):.3f}; {100 * mergers:.1f}% of "
          f"{len(tune) + len(held)} real galaxies called mergers; {time.time() - start:.0f} s", flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--synthetic", required=True)
    ap.add_argument("--tune", required=True)
    ap.add_argument("--held-out", required=True)
    ap.add_argument("--weight", type=float, default=0.0)
    ap.add_argument("--images", type=int, default=23730)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--batch-norm", action="store_true")
    ap.add_argument("--fourier-beta", type=float, default=0.0)
    a = ap.parse_args()
    torch.set_num_threads(2)
    torch.manual_seed(a.seed)
    g = torch.Generator().manual_seed(a.seed)
    train_px, train_y, _ = read_split(os.path.join(a.synthetic, "train"))
    val_px, val_y, _ = read_split(os.path.join(a.synthetic, "val"))
    tune_px, tune_y = read(a.tune)
    held_px, held_y = read(a.held_out)
    net = Net(batch_norm=a.batch_norm)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    domain_loss = nn.BCEWithLogitsLoss()
    steps, step, seen, start = math.ceil(a.images / 64), 0, 0, time.time()
    while seen < a.images:
        order = torch.randperm(len(train_px), generator=g)
        for i in range(0, len(order), 64):
            if seen >= a.images:
                break
            idx = order[i:i + 64]
            x = augment(as_input(train_px[idx]), g)
            if a.fourier_beta > 0:
                x = fourier_style(x, augment(as_input(tune_px[torch.randint(len(tune_px), (len(idx),), generator=g)]), g), a.fourier_beta)
            opt.zero_grad()
            if a.weight > 0:
                weight = a.weight * (2 / (1 + math.exp(-10 * step / steps)) - 1)
                real = augment(as_input(tune_px[torch.randint(len(tune_px), (len(idx),), generator=g)]), g)
                out, domain = net(torch.cat([x, real]), weight)
                pred = out[:len(idx)]
                extra = domain_loss(domain.squeeze(1), torch.cat([torch.zeros(len(idx)), torch.ones(len(idx))]))
            else:
                pred, extra = net(x)[0], 0.0
            (((pred - train_y[idx]) ** 2).mean() + extra).backward()
            opt.step()
            seen, step = seen + len(idx), step + 1
    rmse = float(np.sqrt(((predict(net, val_px) - val_y.numpy()) ** 2).mean()))
    what = (", batch norm" if a.batch_norm else "") + (f", FDA beta {a.fourier_beta:g}" if a.fourier_beta > 0 else "")
    report(what, a, rmse, predict(net, tune_px), predict(net, held_px), tune_y, held_y, start)
    if a.batch_norm:
        adapt_batch_norm(net, tune_px)
        tune = predict(net, tune_px)
        report(", AdaBN on the tune half", a, rmse, tune, predict(net, held_px), tune_y, held_y, start)
        adapt_batch_norm(net, held_px)
        report(", each half's own statistics", a, rmse, tune, predict(net, held_px), tune_y, held_y, start)


if __name__ == "__main__":
    main()
