"""REINFORCE with a learned baseline on CartPole-v1 (gymnasium) or the built-in corridor.

The policy pi(a | s) is a small MLP giving action logits; a second MLP V(s)
learns the expected return and serves as the baseline. After each batch of
episodes, with G_t the discounted return from step t::

    advantage A_t = G_t - V(s_t)            (then standardised over the batch)
    policy loss   = -mean_t  log pi(a_t | s_t) * A_t
    value loss    =  mean_t  (V(s_t) - G_t)^2 / scale^2

The gradient of the policy loss is the policy-gradient estimate; subtracting
the baseline leaves it unbiased and lowers its variance. Actions are sampled
with an explicit generator, so a run is reproducible from its seed.

Reported: the number of episodes until the mean return of the last 100
episodes reaches ``target`` (CartPole-v1: 475), or the best 100-episode mean
within ``max_episodes``; a plot of the returns.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

import glassgrad as gg
from glassgrad.optim import Adam
from glassgrad.rl import discounted_returns
from glassgrad_experiments.common.rl import MLP, RLConfig, running_mean, summarize_returns
from glassgrad_experiments.envs import make_env

NAME = "reinforce"
DESCRIPTION = "REINFORCE with a value baseline on CartPole-v1 (gymnasium): episodes to a 475 average"


@dataclass
class Config(RLConfig):
    max_episodes: int = 2000
    episodes_per_update: int = 4
    lr: float = 5e-3
    value_lr: float = 1e-2


def smoke() -> Config:
    return Config(env="corridor", max_episodes=120, episodes_per_update=4, hidden=16, lr=2e-2,
                  value_lr=2e-2, gamma=0.99, target=0.9, window=10)


def run_episode(env, policy: MLP, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, list[float]]:
    """One episode with actions sampled from the policy (no graph is recorded)."""
    states, actions, rewards = [], [], []
    obs, _ = env.reset()
    done = False
    while not done:
        with gg.no_grad():
            probs = gg.softmax(policy(gg.tensor(obs[None])), axis=1).numpy()[0].astype(np.float64)
        action = int(rng.choice(len(probs), p=probs / probs.sum()))
        next_obs, reward, terminated, truncated, _ = env.step(action)
        states.append(obs)
        actions.append(action)
        rewards.append(reward)
        obs, done = next_obs, terminated or truncated
    return np.stack(states), np.asarray(actions), rewards


def update(policy: MLP, value: MLP, opt_pi: Adam, opt_v: Adam, batch: list, gamma: float) -> None:
    """One policy-gradient step and one baseline step on a batch of episodes."""
    states = np.concatenate([s for s, _, _ in batch]).astype(np.float32)  # (T, obs)
    actions = np.concatenate([a for _, a, _ in batch])  # (T,)
    returns = np.concatenate([discounted_returns(r, gamma) for _, _, r in batch])  # (T,)
    scale = max(float(np.abs(returns).max()), 1.0)
    target = gg.tensor((returns / scale).astype(np.float32))  # value net predicts G / scale
    v = value(gg.tensor(states)).reshape(-1)  # (T,)
    adv = returns / scale - v.numpy()
    adv = (adv - adv.mean()) / (adv.std() + 1e-8)
    logp = gg.log_softmax(policy(gg.tensor(states)), axis=1)[np.arange(len(actions)), actions]  # (T,)
    policy_loss = -(logp * gg.tensor(adv.astype(np.float32))).mean()
    value_loss = ((v - target) ** 2).mean()
    opt_pi.zero_grad()
    opt_v.zero_grad()
    policy_loss.backward()
    value_loss.backward()
    opt_pi.step()
    opt_v.step()


def run(cfg: Config, out_dir: Path) -> dict:
    gg.manual_seed(cfg.seed)
    rng = np.random.default_rng(cfg.seed)
    env = make_env(cfg.env, seed=cfg.seed)
    policy = MLP([env.observation_size, cfg.hidden, env.num_actions], rng=rng)
    value = MLP([env.observation_size, cfg.hidden, 1], rng=rng)
    opt_pi = Adam(policy.parameters(), lr=cfg.lr)
    opt_v = Adam(value.parameters(), lr=cfg.value_lr)
    returns: list[float] = []
    batch: list = []
    start = time.perf_counter()
    solved_at, env_steps = None, 0
    for episode in range(1, cfg.max_episodes + 1):
        states, actions, rewards = run_episode(env, policy, rng)
        returns.append(float(sum(rewards)))
        env_steps += len(actions)
        batch.append((states, actions, rewards))
        if len(batch) == cfg.episodes_per_update:
            update(policy, value, opt_pi, opt_v, batch, cfg.gamma)
            batch = []
        if episode % 50 == 0:
            print(f"episode {episode:5d}  mean return (last {cfg.window}) "
                  f"{running_mean(returns, cfg.window)[-1]:8.2f}")
        if len(returns) >= cfg.window and np.mean(returns[-cfg.window:]) >= cfg.target:
            solved_at = episode
            break
    env.close()
    seconds = time.perf_counter() - start
    result = summarize_returns(returns, solved_at, cfg.window, cfg.target, out_dir / "returns.png",
                               f"REINFORCE + baseline on {cfg.env}")
    result.update({"env_steps": env_steps, "train_seconds": round(seconds, 2)})
    print(result)
    return result
