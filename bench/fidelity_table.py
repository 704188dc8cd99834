"""Table of bench/fidelity.sh: validation RMSE per evaluation point, DJL and PyTorch side by side
(mean and standard deviation over seeds), and whether the final RMSEs agree within the
seed-to-seed spread. Usage: fidelity_table.py <work dir> <architectures> <seeds>"""
import csv
import os
import statistics
import sys


def curve(path):
    with open(path) as f:
        return {int(r["images_seen"]): float(r["val_rmse"]) for r in csv.DictReader(f)}


def summary(values):
    return statistics.mean(values), (statistics.stdev(values) if len(values) > 1 else float("nan"))


def main():
    work, archs, seeds = sys.argv[1], sys.argv[2].split(","), sys.argv[3].split(",")
    for arch in archs:
        runs = {fw: [curve(os.path.join(work, f"{fw}-{arch}-{s}.csv")) for s in seeds] for fw in ("djl", "pytorch")}
        points = sorted(set.intersection(*(set(c) for fw in runs for c in runs[fw])))
        print(f"\n{arch}, {len(seeds)} seeds ({', '.join(seeds)}): validation RMSE, mean ± sd over seeds\n")
        print("| images seen | DJL | PyTorch | DJL per seed | PyTorch per seed |")
        print("| ---: | ---: | ---: | --- | --- |")
        for p in points:
            cells = []
            for fw in ("djl", "pytorch"):
                m, s = summary([c[p] for c in runs[fw]])
                cells.append(f"{m:.4f} ± {s:.4f}")
            per = [" / ".join(f"{c[p]:.4f}" for c in runs[fw]) for fw in ("djl", "pytorch")]
            print(f"| {p:,} | {cells[0]} | {cells[1]} | {per[0]} | {per[1]} |")
        last = points[-1]
        (dm, ds), (pm, ps) = (summary([c[last] for c in runs[fw]]) for fw in ("djl", "pytorch"))
        pooled = ((ds ** 2 + ps ** 2) / 2) ** 0.5
        verdict = "agree" if abs(dm - pm) <= pooled else "DISAGREE"
        print(f"\nfinal ({last:,} images): DJL {dm:.4f} ± {ds:.4f}, PyTorch {pm:.4f} ± {ps:.4f}; difference of means "
              f"{dm - pm:+.4f}, pooled seed-to-seed sd {pooled:.4f}: {verdict} within the seed-to-seed spread")


if __name__ == "__main__":
    main()
