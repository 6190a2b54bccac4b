"""DQN on CartPole-v1 (gymnasium) or the built-in corridor: replay buffer + target network.

Q(s, .) is an MLP with one output per action. Each environment step:

1. act epsilon-greedily (epsilon falls linearly from ``eps_start`` to
   ``eps_end`` over ``eps_decay_steps``);
2. store (s, a, r, s', done) in a replay buffer;
3. sample a mini-batch and take one Adam step on the Huber loss between
   Q(s, a) and the TD target  y = r + gamma (1 - done) max_a' Q_target(s', a'),
   where Q_target trails Q: a soft update theta' <- tau theta + (1 - tau) theta'
   after every step (or, with tau = 0, a hard copy every ``target_every``
   steps); the target is a constant, computed under no_grad.

``done`` is "terminated" only: a time-limit truncation still bootstraps.

Huber loss with delta = 1 is written with a clamp:  with a = |d|, q = min(a, 1),
    huber(d) = q^2 / 2 + (a - q)
which equals d^2 / 2 for |d| <= 1 and |d| - 1/2 beyond; its gradient is d
clipped to [-1, 1].
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

import glassgrad as gg
from glassgrad.optim import Adam
from glassgrad.rl import ReplayBuffer
from glassgrad_experiments.common.rl import MLP, RLConfig, copy_parameters, running_mean, summarize_returns
from glassgrad_experiments.envs import make_env

NAME = "dqn"
DESCRIPTION = "DQN (replay buffer + target network) on CartPole-v1 (gymnasium): episodes to a 475 average"


@dataclass
class Config(RLConfig):
    max_steps: int = 80000
    hidden: int = 128
    lr: float = 1e-4
    batch_size: int = 128
    buffer_size: int = 50000
    warmup_steps: int = 1000
    target_every: int = 500
    tau: float = 0.005
    eps_start: float = 1.0
    eps_end: float = 0.05
    eps_decay_steps: int = 5000


def smoke() -> Config:
    return Config(env="corridor", max_steps=1500, hidden=16, lr=5e-3, buffer_size=2000, warmup_steps=100,
                  target_every=100, eps_decay_steps=600, target=0.9, window=10, batch_size=32)


def huber(d: gg.Tensor) -> gg.Tensor:
    """Mean Huber loss (delta = 1) of the residuals ``d``."""
    a = d.abs()
    q = gg.minimum(a, 1.0)
    return (0.5 * q * q + (a - q)).mean()


def soft_update(source: MLP, target: MLP, tau: float) -> None:
    """theta_target <- tau theta + (1 - tau) theta_target, in place."""
    with gg.no_grad():
        for p, q in zip(source.parameters(), target.parameters()):
            q.mul_(1.0 - tau).add_(p, alpha=tau)


def td_step(q_net: MLP, target_net: MLP, opt: Adam, batch: tuple, gamma: float) -> float:
    """One gradient step on a replay mini-batch; returns the loss."""
    states, actions, rewards, next_states, dones = batch
    with gg.no_grad():
        next_q = target_net(gg.tensor(next_states)).numpy().max(axis=1)  # (B,)
    y = rewards + gamma * (1.0 - dones) * next_q  # (B,)
    q = q_net(gg.tensor(states))[np.arange(len(actions)), actions]  # (B,)
    loss = huber(q - gg.tensor(y.astype(np.float32)))
    opt.zero_grad()
    loss.backward()
    opt.step()
    return loss.item()


def run(cfg: Config, out_dir: Path) -> dict:
    gg.manual_seed(cfg.seed)
    rng = np.random.default_rng(cfg.seed)
    env = make_env(cfg.env, seed=cfg.seed)
    sizes = [env.observation_size, cfg.hidden, cfg.hidden, env.num_actions]
    q_net, target_net = MLP(sizes, rng=rng), MLP(sizes, rng=rng)
    copy_parameters(q_net, target_net)
    opt = Adam(q_net.parameters(), lr=cfg.lr)
    buffer = ReplayBuffer(cfg.buffer_size, env.observation_size, rng=rng)
    returns: list[float] = []
    steps, solved_at, start = 0, None, time.perf_counter()
    while steps < cfg.max_steps and len(returns) < cfg.max_episodes and solved_at is None:
        obs, _ = env.reset()
        total, done = 0.0, False
        while not done:
            eps = max(cfg.eps_end, cfg.eps_start - (cfg.eps_start - cfg.eps_end) * steps / cfg.eps_decay_steps)
            if rng.random() < eps:
                action = int(rng.integers(env.num_actions))
            else:
                with gg.no_grad():
                    action = int(q_net(gg.tensor(obs[None])).numpy()[0].argmax())
            next_obs, reward, terminated, truncated, _ = env.step(action)
            buffer.push(obs, action, reward, next_obs, terminated)
            obs, total, done, steps = next_obs, total + reward, terminated or truncated, steps + 1
            if steps >= cfg.warmup_steps:
                td_step(q_net, target_net, opt, buffer.sample(cfg.batch_size), cfg.gamma)
            if cfg.tau > 0:
                soft_update(q_net, target_net, cfg.tau)
            elif steps % cfg.target_every == 0:
                copy_parameters(q_net, target_net)
        returns.append(total)
        if len(returns) % 25 == 0:
            print(f"episode {len(returns):5d}  step {steps:6d}  eps {eps:.2f}  mean return (last {cfg.window}) "
                  f"{running_mean(returns, cfg.window)[-1]:8.2f}")
        if len(returns) >= cfg.window and np.mean(returns[-cfg.window:]) >= cfg.target:
            solved_at = len(returns)
    env.close()
    seconds = time.perf_counter() - start
    result = summarize_returns(returns, solved_at, cfg.window, cfg.target, out_dir / "returns.png",
                               f"DQN on {cfg.env}")
    result.update({"best_episode_return": float(max(returns)), "env_steps": steps,
                   "train_seconds": round(seconds, 2)})
    print(result)
    return result
