"""PyTorch side of bench/fidelity.sh: trains the same network as `gz train` on the same ingested
Avro shards with the same settings, and prints the validation RMSE at the same evaluation points.

What is matched, and where the Java side does it:
- data: the Galaxy records of <data>/train and <data>/val (schemas/src/main/avro/Galaxy.avsc), pixels
  uint8 HWC as ingest stored them, converted to float NCHW in [0, 1] (model.data.HostBatch.images);
- network: bench/pytorch_train.py's builders (the same layers as model.net.CustomCnn / ResNet, sigmoid
  head); weights initialised as DJL does (Parameter.Type.WEIGHT: XavierInitializer(GAUSSIAN, IN, 2),
  i.e. normal with std sqrt(2 / fan_in); biases 0; batch norm gamma 1, beta 0), not PyTorch's default;
- loss: mean squared error over images and the 37 outputs (GalaxyTrainer: Loss.l2Loss("mse", 1f));
- optimiser: torch.optim.Adam, betas 0.9/0.999, eps 1e-8, constant learning rate, no weight decay
  (gz's model.train.PyTorchAdam computes the same update);
- loop: an epoch is one pass over the training records in a seeded shuffled order, batches of
  --batch-size with a partial last batch; the budget is checked after each batch, and the validation
  RMSE (eval mode, whole val split, sqrt of the mean squared error over all values) is computed when
  the images seen reach the next multiple of --eval-every or the budget (GalaxyTrainer.Loop).
- random streams: with --streams <folder of bench/FidelityStreams.java>, DJL's own: its initial
  parameters (init.npz), its batches (batches.csv: each batch's engine seed and galaxy ids) and,
  the generator being seeded before each batch as DJL's engine was (both are libtorch), its dropout
  masks. Without it, PyTorch's own, from --seed: then only more seeds can tell the two sides apart
  from chance (docs/BENCHMARKS.md, "Fidelity to PyTorch").

Output: one CSV line per evaluation, `images_seen,train_rmse,val_rmse`, after a header; with
--steps N, `step,loss` for each of the first N batches instead (bench/fidelity.sh --steps).
"""
import argparse
import glob
import os
import sys
import time

import fastavro
import numpy as np
import torch
import torch.nn as nn

sys.dont_write_bytecode = True  # no __pycache__ left in the checkout by the import below
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pytorch_train import custom_cnn, resnet  # noqa: E402  (the networks of the speed comparison)


def read_split(folder):
    files = sorted(glob.glob(os.path.join(folder, "*.avro")))
    if not files:
        sys.exit(f"fidelity_train: no .avro shards in {folder}: give a folder written by gz ingest")
    pixels, labels, ids = [], [], []
    for f in files:
        with open(f, "rb") as fh:
            for r in fastavro.reader(fh):
                if r["labels"] is None:
                    sys.exit(f"fidelity_train: galaxy {r['galaxyId']} in {f} has no labels: train/ and val/ must be labelled")
                pixels.append(np.frombuffer(r["pixels"], dtype=np.uint8).reshape(r["height"], r["width"], r["channels"]))
                labels.append(np.asarray(r["labels"], dtype=np.float32))
                ids.append(r["galaxyId"])
    return torch.from_numpy(np.stack(pixels)), torch.from_numpy(np.stack(labels)), ids


def as_input(pixels):
    return pixels.permute(0, 3, 1, 2).float().div_(255)


def djl_init(net):
    for m in net.modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            nn.init.kaiming_normal_(m.weight, mode="fan_in", nonlinearity="relu")
            if m.bias is not None:
                nn.init.zeros_(m.bias)


def val_rmse(net, pixels, labels, batch):
    net.eval()
    se, n = 0.0, 0
    with torch.no_grad():
        for i in range(0, len(pixels), batch):
            p = net(as_input(pixels[i:i + batch]))
            se += float(((p - labels[i:i + batch]) ** 2).sum())
            n += p.numel()
    net.train()
    return (se / n) ** 0.5


def own_batches(n, batch, seed):
    """PyTorch's own streams: a seeded permutation each epoch; dropout draws from the global generator."""
    gen = torch.Generator().manual_seed(seed)
    while True:
        order = torch.randperm(n, generator=gen)
        for i in range(0, n, batch):
            yield None, order[i:i + batch]


def djl_batches(folder, ids):
    """DJL's streams, as bench/FidelityStreams.java wrote them: each batch's engine seed and galaxy ids."""
    row = {g: i for i, g in enumerate(ids)}
    with open(os.path.join(folder, "batches.csv")) as f:
        for line in f:
            seed, batch = line.split(",")
            yield int(seed), torch.tensor([row[int(g)] for g in batch.split()])


def load_djl_init(net, folder):
    """DJL's initial parameters: its order (layer by layer; conv or linear weight, bias; batch norm
    gamma, beta, running mean, running variance) is that of PyTorch's state_dict, less the
    num_batches_tracked counters DJL does not have."""
    init = np.load(os.path.join(folder, "init.npz"))
    mine = [t for k, t in net.state_dict().items() if not k.endswith("num_batches_tracked")]
    if [t.shape for t in mine] != [init[k].shape for k in init.files]:
        sys.exit(f"fidelity_train: DJL's parameters in {folder} are not this network's")
    with torch.no_grad():
        for t, name in zip(mine, init.files):
            t.copy_(torch.from_numpy(init[name]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--architecture", default="custom-cnn", choices=["custom-cnn", "resnet18"])
    ap.add_argument("--filters", default="16,32,64")
    ap.add_argument("--dense", type=int, default=64)
    ap.add_argument("--dropout", type=float, default=0.25)
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--max-images", type=int, default=0)
    ap.add_argument("--eval-every", type=int, default=0)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--streams", help="folder of bench/FidelityStreams.java: DJL's initial weights, batches and "
                    "dropout seeds instead of PyTorch's own")
    ap.add_argument("--steps", type=int, default=0, help="instead: train this many batches, print each one's loss")
    a = ap.parse_args()
    if not a.steps and (a.max_images <= 0 or a.eval_every <= 0):
        ap.error("--max-images and --eval-every (both > 0) are needed, unless --steps")
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    train_x, train_y, train_ids = read_split(os.path.join(a.data, "train"))
    val_x, val_y, _ = read_split(os.path.join(a.data, "val"))
    size = train_x.shape[1]
    if a.architecture == "custom-cnn":
        net = custom_cnn(size, tuple(int(f) for f in a.filters.split(",")), a.dense, a.dropout)
    else:
        net = resnet((2, 2, 2, 2))
    if a.streams:
        load_djl_init(net, a.streams)
        batches = djl_batches(a.streams, train_ids)
    else:
        djl_init(net)
        batches = own_batches(len(train_x), a.batch_size, a.seed)
    opt = torch.optim.Adam(net.parameters(), lr=a.lr, betas=(0.9, 0.999), eps=1e-8)
    loss_fn = nn.MSELoss()
    print(f"# torch {torch.__version__}, {a.architecture}, {len(train_x)} train / {len(val_x)} val images "
          f"{size}x{size}, seed {a.seed}", file=sys.stderr, flush=True)
    print("step,loss" if a.steps else "images_seen,train_rmse,val_rmse", flush=True)
    seen, next_eval, se, n = 0, a.eval_every, 0.0, 0
    start = time.perf_counter()
    net.train()
    for step, (seed, idx) in enumerate(batches, 1):
        if step > a.steps if a.steps else seen >= a.max_images:
            break
        if seed is not None:
            torch.manual_seed(seed & 0xFFFF_FFFF_FFFF_FFFF)  # as DJL's engine (libtorch) was seeded: the same masks
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(net(as_input(train_x[idx])), train_y[idx])
        loss.backward()
        opt.step()
        seen += len(idx)
        if a.steps:
            print(f"{step},{float(loss):.8g}", flush=True)
            continue
        se += float(loss) * len(idx)
        n += len(idx)
        if seen >= next_eval or seen >= a.max_images:
            print(f"{seen},{(se / n) ** 0.5:.6f},{val_rmse(net, val_x, val_y, a.batch_size):.6f}", flush=True)
            se, n = 0.0, 0
            while next_eval <= seen:
                next_eval += a.eval_every
    print(f"# {seen} images in {time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
