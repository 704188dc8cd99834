"""Real vs synthetic galaxies by class, for bench/realism-by-class.sh (issue 12's second pass).

gz synth --compare-real pools every galaxy of a set; this script splits them the way the transfer
is scored, at the model's input: the real sample by folder (spirals/, non_spirals/) and the
synthetic set by its truth.json (armed disks, armless disks, ellipticals, edge-on disks). Per class:
the galaxy's red/blue flux ratio, its colour gradient (centre over outer disk), the concentration
r80/r20 and the 180-degree asymmetry of the 207-pixel centre crop averaged 3x3 (as ingest makes the
model's input), and how well each alone ranks spirals above non-spirals; per set: the
autocorrelation of the sky noise in the corners of the full frames, the noise of single pixels,
3x3 and 6x6 means of the red channel, and how much the three channels' noise correlates.

Hand-written because these are a few numpy lines; the pooled statistics of gz synth's own table
live in synth.ImageStatistics (Java), which does not know the classes of a real sample.

Usage: realism_by_class.py <real folder with spirals/ and non_spirals/> <gz synth output> [images per class]
"""
import glob
import json
import os
import random
import sys

import numpy as np
from PIL import Image

CROP = 207
INPUT = 69
LAGS = (1, 2, 3, 4, 6, 8)


def model_input(path):
    """The grey and RGB 69x69 input ingest makes: the centre crop, averaged 3x3."""
    a = np.asarray(Image.open(path).convert("RGB"), dtype=np.float64)
    h, w, _ = a.shape
    a = a[(h - CROP) // 2:(h + CROP) // 2, (w - CROP) // 2:(w + CROP) // 2]
    return a.reshape(INPUT, 3, INPUT, 3, 3).mean(axis=(1, 3))


def galaxy_stats(path):
    rgb = model_input(path)
    grey = rgb.mean(axis=2)
    edge = np.concatenate([grey[:4].ravel(), grey[-4:].ravel()])
    light = grey - np.median(edge)
    yy, xx = np.mgrid[:INPUT, :INPUT]
    c = (INPUT - 1) / 2
    r = np.hypot(yy - c, xx - c)
    # colour: sky-subtracted red / blue within 13 px (40 px of the full frame)
    sky_rgb = np.median(np.concatenate([rgb[:4].reshape(-1, 3), rgb[-4:].reshape(-1, 3)]), axis=0)
    inner = (r < 13) & (light > 5)
    red_blue = ratio_red_blue(rgb - sky_rgb, inner)
    # colour gradient: red/blue of the centre (4 px) over that of the ring 6-13 px
    gradient = ratio_red_blue(rgb - sky_rgb, (r < 4) & (light > 5)) / ratio_red_blue(
        rgb - sky_rgb, (r >= 6) & (r < 13) & (light > 5))
    # concentration from the curve of growth
    positive = np.clip(light, 0, None)
    growth = np.array([positive[r <= k].sum() for k in range(1, 30)])
    radii = np.arange(1, 30)
    total = growth[-1]
    r20 = radii[np.searchsorted(growth, 0.2 * total)]
    r80 = radii[min(len(radii) - 1, np.searchsorted(growth, 0.8 * total))]
    # asymmetry about the frame centre within 20 px
    mask = r < 20
    rotated = light[::-1, ::-1]
    asymmetry = np.abs(light - rotated)[mask].sum() / (2 * np.abs(light[mask]).sum())
    return red_blue, r80 / r20, asymmetry, gradient


def ratio_red_blue(rgb, mask):
    """Red over blue flux of the masked pixels (NaN where too few or too faint)."""
    if mask.sum() < 10:
        return np.nan
    flux = rgb[mask].sum(axis=0)
    return flux[0] / flux[2] if flux[2] > 1 else np.nan


def noise_stats(paths):
    """Sky-noise autocorrelation and red-channel noise at 1, 3 and 6 px, medians over the corners.

    Every corner counts (choosing "star-free" ones picks the noisiest skies, which hide a faint star
    best); a corner's plane is removed and its pixels clipped at 3 sigma, so a sky gradient, a star
    or a neighbour's edge does not pass for noise, and the median over corners ignores the rest.
    """
    acfs, levels, channels = [], [], []
    for path in paths:
        a = np.asarray(Image.open(path).convert("RGB"), dtype=np.float64)
        h, w, _ = a.shape
        for y, x in ((0, 0), (0, w - 78), (h - 78, 0), (h - 78, w - 78)):
            p = a[y:y + 78, x:x + 78].copy()
            p -= plane(p)  # a sky that rises towards one side is not noise
            red = p[..., 0]
            levels.append([clipped_std(red), clipped_std(red.reshape(26, 3, 26, 3).mean(axis=(1, 3))),
                           clipped_std(red.reshape(13, 6, 13, 6).mean(axis=(1, 3)))])
            limit = 3 * np.array([clipped_std(p[..., k]) for k in range(3)])
            p = np.clip(p, -limit, limit)
            p -= p.mean(axis=(0, 1))
            var = (p * p).mean(axis=(0, 1))
            acfs.append([((p[:, k:] * p[:, :-k]).mean(axis=(0, 1)) / var).mean() for k in LAGS])
            channels.append(np.corrcoef(p.reshape(-1, 3).T)[np.triu_indices(3, 1)].mean())
    return len(acfs), np.median(acfs, axis=0), np.median(levels, axis=0), np.median(channels)


def plane(patch):
    """The least-squares plane through each channel of a patch."""
    n = patch.shape[0]
    yy, xx = np.mgrid[:n, :n]
    design = np.c_[np.ones(n * n), yy.ravel(), xx.ravel()]
    coef, *_ = np.linalg.lstsq(design, patch.reshape(n * n, -1), rcond=None)
    return (design @ coef).reshape(patch.shape)


def clipped_std(values, rounds=5):
    """Standard deviation after iterative 3-sigma clipping: noise without the odd faint source."""
    v = values.ravel()
    mean, std = np.median(v), v.std()
    for _ in range(rounds):
        kept = v[np.abs(v - mean) < 3 * std]
        mean, std = kept.mean(), kept.std()
    return std


def auc(above, below):
    above = np.asarray([v for v in above if np.isfinite(v)])
    below = np.asarray([v for v in below if np.isfinite(v)])
    return ((above[:, None] > below[None, :]).mean() + 0.5 * (above[:, None] == below[None, :]).mean())


def summary(name, rows):
    rows = np.asarray(rows, dtype=np.float64)
    cells = []
    for k in range(rows.shape[1]):
        v = rows[:, k][np.isfinite(rows[:, k])]
        cells.append("%.2f (%.2f-%.2f)" % (np.median(v), np.percentile(v, 16), np.percentile(v, 84)))
    print("%-22s %5d  %-20s %-20s %-20s %-20s" % ((name, len(rows)) + tuple(cells)))


def main():
    real, synth = sys.argv[1], sys.argv[2]
    per_class = int(sys.argv[3]) if len(sys.argv) > 3 else 300
    rng = random.Random(1)
    classes = {}
    for folder in ("spirals", "non_spirals"):
        files = sorted(glob.glob(os.path.join(real, folder, "*.jpg")))
        rng.shuffle(files)
        classes["real " + folder] = files[:per_class]
    galaxies = json.load(open(os.path.join(synth, "truth.json")))["training"]["galaxies"]
    for g in galaxies:
        if g.get("merger"):
            continue
        m = g["morphology"]
        name = "synthetic " + {"DISK": "armed disk" if g.get("armCount", 0) > 0 else "armless disk",
                               "SMOOTH": "elliptical", "EDGE_ON_DISK": "edge-on disk"}.get(m, "star/artifact")
        files = classes.setdefault(name, [])
        if len(files) < per_class:
            files.append(os.path.join(synth, "images_training_rev1", "%d.jpg" % g["galaxyId"]))
    print("at the model's input (207-px crop, 3x3 means), median (16-84%)")
    print("%-22s %5s  %-20s %-20s %-20s %-20s" % ("class", "n", "red/blue", "r80/r20", "asymmetry",
                                                 "centre/ring red/blue"))
    stats = {}
    for name in sorted(classes):
        stats[name] = [galaxy_stats(f) for f in classes[name]]
        summary(name, stats[name])
    others = [s for n in stats if n.startswith("synthetic") and n != "synthetic armed disk" for s in stats[n]]
    armed = stats.get("synthetic armed disk", [])
    for what, key in (("blue above red", lambda s: -s[0]), ("the more asymmetric above the less", lambda s: s[2]),
                      ("the redder centre (colour gradient)", lambda s: s[3])):
        line = "AUC of %s: real spirals above non-spirals %.2f" % (what, auc(
            [key(s) for s in stats["real spirals"]], [key(s) for s in stats["real non_spirals"]]))
        if armed:
            line += "; synthetic armed disks above every other class %.2f" % auc(
                [key(s) for s in armed], [key(s) for s in others])
        print(line)
    print("sky noise in the 78x78 corners of the full frames (medians): autocorrelation at lags %s px;"
          " red-channel noise of pixels, 3x3 and 6x6 means (grey levels); correlation between channels"
          % "/".join(map(str, LAGS)))
    for name, files in (("real", classes["real spirals"] + classes["real non_spirals"]),
                        ("synthetic", [f for n in classes if n.startswith("synthetic") for f in classes[n]])):
        n, acf, levels, channels = noise_stats(files[:400])
        print("%-10s %3d corners  %s   %s   %.2f" % (name, n, " / ".join("%.2f" % v for v in acf),
                                                    " / ".join("%.2f" % v for v in levels), channels))


if __name__ == "__main__":
    main()
