#!/usr/bin/env python3
"""How well the first user request alone predicts the called tool: a naive Bayes classifier over the request's
lower-cased words, punctuation and word pairs, 5-fold cross-validated over the training samples that call a tool.
Experiment code for docs/benchmarks.md (runs 18-22), not part of the build. Standard library only.

usage: nb.py examples/filesystem-agent/target/forge/data/train_clean.jsonl
"""
import collections
import json
import math
import random
import re
import sys


def load(path):
    out = []
    for line in open(path, encoding="utf-8"):
        msgs = json.loads(line)["messages"]
        user = next(m["content"] for m in msgs if m["role"] == "user")
        calls = [m for m in msgs if m["role"] == "assistant" and m.get("tool_calls")]
        if calls:
            call = calls[0]["tool_calls"][0]
            out.append((user, call["function"]["name"] if "function" in call else call["name"]))
    return out


def features(text):
    words = re.findall(r"[a-z]+|[^\sa-z0-9]", text.lower())
    return words + [a + " " + b for a, b in zip(words, words[1:])]


def main(path):
    data = load(path)
    random.Random(0).shuffle(data)
    right = 0
    confusions = collections.Counter()
    for fold in range(5):
        test = data[fold::5]
        counts = collections.defaultdict(collections.Counter)
        prior = collections.Counter()
        for i, (user, tool) in enumerate(data):
            if i % 5 != fold:
                prior[tool] += 1
                counts[tool].update(features(user))
        vocab = {w for c in counts.values() for w in c}
        total = {t: sum(c.values()) for t, c in counts.items()}

        def score(tool, feats):
            return math.log(prior[tool]) + sum(
                math.log((counts[tool][w] + 0.1) / (total[tool] + 0.1 * len(vocab))) for w in feats)

        for user, tool in test:
            feats = features(user)
            guess = max(prior, key=lambda t: score(t, feats))
            right += guess == tool
            if guess != tool:
                confusions[(tool, guess)] += 1
    print("naive Bayes, 5-fold: %.1f%% of %d requests" % (100.0 * right / len(data), len(data)))
    for (tool, guess), n in confusions.most_common(10):
        print("  %3d  %s -> %s" % (n, tool, guess))


if __name__ == "__main__":
    main(sys.argv[1])
