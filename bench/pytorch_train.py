"""PyTorch reference for `gz bench train`: the same networks, batch sizes, input size, loss and
optimiser, on random data, so DJL's images/s can be compared with PyTorch itself on one machine.

Usage: python bench/pytorch_train.py [--size 69] [--batches 64,128] [--steps 15] [--threads 2]
"""
import argparse
import time

import torch
import torch.nn as nn


def custom_cnn(size, filters=(32, 64, 128), dense=256, dropout=0.5):
    layers, c, s = [], 3, size
    for f in filters:
        layers += [nn.Conv2d(c, f, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2, 2)]
        c, s = f, s // 2
    layers += [nn.Flatten(), nn.Linear(c * s * s, dense), nn.ReLU(), nn.Dropout(dropout), nn.Linear(dense, 37), nn.Sigmoid()]
    return nn.Sequential(*layers)


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.main = nn.Sequential(
            nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(),
            nn.Conv2d(cout, cout, 3, 1, 1, bias=False), nn.BatchNorm2d(cout))
        self.short = (nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))
                      if stride != 1 or cin != cout else nn.Identity())

    def forward(self, x):
        return torch.relu(self.main(x) + self.short(x))


def resnet(blocks=(2, 2, 2, 2)):
    """torchvision's ResNet-18/34 layout (basic blocks) with a 37-way sigmoid head."""
    layers = [nn.Conv2d(3, 64, 7, 2, 3, bias=False), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(3, 2, 1)]
    cin = 64
    for stage, (width, n) in enumerate(zip((64, 128, 256, 512), blocks)):
        for b in range(n):
            stride = 2 if stage > 0 and b == 0 else 1
            layers.append(BasicBlock(cin, width, stride))
            cin = width
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(512, 37), nn.Sigmoid()]
    return nn.Sequential(*layers)


def bench(name, net, batch, size, steps, warmup=3):
    params = sum(p.numel() for p in net.parameters() if p.requires_grad)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    loss_fn = nn.MSELoss()
    # As the Java side: uint8 HWC pixels converted to float NCHW in [0, 1] every step.
    pixels = torch.randint(0, 256, (batch, size, size, 3), dtype=torch.uint8)
    labels = torch.rand(batch, 37)
    net.train()
    for i in range(warmup + steps):
        if i == warmup:
            start = time.perf_counter()
        x = pixels.permute(0, 3, 1, 2).float().div_(255)
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(net(x), labels)
        loss.backward()
        opt.step()
        loss.item()
    train_rate = steps * batch / (time.perf_counter() - start)
    net.eval()
    with torch.no_grad():
        for i in range(warmup + steps):
            if i == warmup:
                start = time.perf_counter()
            net(pixels.permute(0, 3, 1, 2).float().div_(255)).numpy()
    infer_rate = steps * batch / (time.perf_counter() - start)
    print(f"pytorch {name:10s} batch {batch:4d}  params {params:,}  train {train_rate:8.0f} images/s  "
          f"inference {infer_rate:8.0f} images/s", flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=69)
    ap.add_argument("--batches", default="64,128")
    ap.add_argument("--steps", type=int, default=15)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--architectures", default="custom-cnn,resnet18")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, input 3x{a.size}x{a.size}")
    for arch in a.architectures.split(","):
        for b in map(int, a.batches.split(",")):
            net = {"custom-cnn": lambda: custom_cnn(a.size), "resnet18": lambda: resnet((2, 2, 2, 2)),
                   "resnet34": lambda: resnet((3, 4, 6, 3))}[arch]()
            bench(arch, net, b, a.size, a.steps)


if __name__ == "__main__":
    main()
