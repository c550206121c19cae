#!/usr/bin/env python3
"""Writes texts built to exercise every VADER rule, with the scores vaderSentiment 3.3.2 gives
them, as JSON lines {"text","neg","neu","pos","compound"}: the reference of the Swift
Sentiment module's differential test. usage: vader-reference.py COUNT SEED > reference.jsonl"""
import json, random, sys
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer, BOOSTER_DICT, NEGATE, SPECIAL_CASES

count, seed = int(sys.argv[1]), int(sys.argv[2])
rng = random.Random(seed)
analyzer = SentimentIntensityAnalyzer()
lexicon = sorted(analyzer.lexicon)
emoji = sorted(e for e in analyzer.emojis if len(e) == 1)
plain = ["the", "movie", "book", "was", "is", "it", "and", "a", "of", "kind", "sort", "at", "very", "or", "nor",
         "this", "so", "doubt", "least", "no", "never", "without", "but", "BUT", "But", "data", "stream", "today"]
phrases = list(SPECIAL_CASES) + ["kind of", "sort of", "at least", "very least", "never so", "never this",
                                 "without a doubt", "without doubt", "no or", "not only", "isn't", "can't"]
pieces = [lambda: rng.choice(lexicon), lambda: rng.choice(lexicon), lambda: rng.choice(plain), lambda: rng.choice(plain),
          lambda: rng.choice(list(BOOSTER_DICT)), lambda: rng.choice(NEGATE), lambda: rng.choice(phrases),
          lambda: rng.choice(emoji), lambda: rng.choice(lexicon) + rng.choice(["!", "?", ".", ",", "!!!", "??", "'s", ")"])]

def word():
    w = rng.choice(pieces)()
    r = rng.random()
    if r < 0.15:
        w = w.upper()
    elif r < 0.2:
        w = w.capitalize()
    return w

def text():
    words = [word() for _ in range(rng.randint(0, 14))]
    spaces = [" "] * 12 + ["  ", "\t", "\u00a0", "\n"]
    out = ""
    for w in words:
        out += w + rng.choice(spaces) if rng.random() < 0.9 else w
    return out + rng.choice(["", "", "!", "!!", "!!!!!!", "?", "??", "????", "?!", " :)", " :("])

for _ in range(count):
    t = text()
    s = analyzer.polarity_scores(t)
    print(json.dumps({"text": t, "neg": s["neg"], "neu": s["neu"], "pos": s["pos"], "compound": s["compound"]},
                     ensure_ascii=False))
