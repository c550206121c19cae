#!/usr/bin/env python3
"""Times the Python reference, vaderSentiment 3.3.2, per tweet on one core: the other side of
sentiment-bench. usage: vader-bench.py TWEETS.jsonl [REPEATS]"""
import json, sys, time
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

analyzer = SentimentIntensityAnalyzer()
texts = []
for line in open(sys.argv[1], encoding="utf-8"):
    try:
        t = json.loads(line)
    except ValueError:
        continue
    if isinstance(t, dict) and isinstance(t.get("text"), str) and isinstance(t.get("user"), dict):
        texts.append(t["text"])
best = float("inf")
for _ in range(int(sys.argv[2]) if len(sys.argv) > 2 else 3):
    started = time.perf_counter()
    checksum = sum(analyzer.polarity_scores(t)["compound"] for t in texts)
    best = min(best, time.perf_counter() - started)
print(f"texts: {len(texts)}, best: {best:.3f} s, {best / len(texts) * 1e6:.2f} µs/tweet (one core); sum of compounds {checksum:.4f}")
