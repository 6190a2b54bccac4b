"""pytorch/examples mnist_hogwild, written for glassgrad: several processes train one shared model.

The parent builds the network, moves its parameters to shared memory (``model.share_memory()``) and starts
``--num-processes`` workers; each trains the same model object on its own shuffled pass over MNIST with
SGD, without locks (Hogwild), and the parent then tests the model they trained together. Only the imports
differ from a torch program. ``main(["--epochs", "1", ...])`` runs it and returns the model.
"""

# ruff: noqa: UP004, UP008, UP031, UP032 (written the way PyTorch's examples are)

import argparse
import os

import glassgrad as torch
import glassgrad.multiprocessing as mp
import glassgrad.nn as nn
import glassgrad.nn.functional as F
import glassgrad.optim as optim
from glassgrad.vision import datasets, transforms


class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.conv1 = nn.Conv2d(1, 10, kernel_size=5)
        self.conv2 = nn.Conv2d(10, 20, kernel_size=5)
        self.fc1 = nn.Linear(320, 50)
        self.fc2 = nn.Linear(50, 10)

    def forward(self, x):
        x = F.relu(F.max_pool2d(self.conv1(x), 2))
        x = F.relu(F.max_pool2d(self.conv2(x), 2))
        x = x.view(-1, 320)
        x = F.relu(self.fc1(x))
        return F.log_softmax(self.fc2(x), dim=1)


def train(rank, args, model, dataset, dataloader_kwargs):
    torch.manual_seed(args.seed + rank)  # each worker its own shuffle
    loader = torch.utils.data.DataLoader(dataset, **dataloader_kwargs)
    optimizer = optim.SGD(model.parameters(), lr=args.lr, momentum=args.momentum)
    model.train()
    for epoch in range(1, args.epochs + 1):
        for batch_idx, (data, target) in enumerate(loader):
            optimizer.zero_grad()
            loss = F.nll_loss(model(data), target)
            loss.backward()
            optimizer.step()  # updates the shared parameters in place
            if batch_idx % args.log_interval == 0:
                print("{}\tTrain Epoch: {} [{}/{}]\tLoss: {:.6f}".format(
                    os.getpid(), epoch, batch_idx * len(data), len(loader.dataset), loss.item()))


def test(model, dataset):
    model.eval()
    loader = torch.utils.data.DataLoader(dataset, batch_size=len(dataset))
    with torch.no_grad():
        data, target = next(iter(loader))
        output = model(data)
        loss = F.nll_loss(output, target, reduction="sum").item() / len(dataset)
        correct = output.argmax(dim=1).eq(target).sum().item()
    print("Test set: Average loss: {:.4f}, Accuracy: {}/{}".format(loss, correct, len(dataset)))
    return loss, correct


def main(argv=None):
    parser = argparse.ArgumentParser(description="PyTorch MNIST Hogwild Example")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--lr", type=float, default=0.01)
    parser.add_argument("--momentum", type=float, default=0.5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--log-interval", type=int, default=10)
    parser.add_argument("--num-processes", type=int, default=2)
    parser.add_argument("--data", default="../data")
    args = parser.parse_args(argv)

    transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])
    train_set = datasets.MNIST(args.data, train=True, download=False, transform=transform)
    test_set = datasets.MNIST(args.data, train=False, transform=transform)
    torch.manual_seed(args.seed)
    context = mp.get_context("fork")  # Linux's default start method: the children inherit the shared model
    model = Net()
    model.share_memory()  # gradients are allocated lazily, so they are not shared

    processes = []
    for rank in range(args.num_processes):
        p = context.Process(target=train, args=(rank, args, model, train_set, {"batch_size": args.batch_size,
                                                                           "shuffle": True}))
        p.start()
        processes.append(p)
    for p in processes:
        p.join()
    return model, [p.exitcode for p in processes], test(model, test_set)


if __name__ == "__main__":
    main()
