#!/usr/bin/env python3
"""Reference figures for tests/agree.rs (not run by `cargo test`).

Computes Krippendorff's alpha with the `krippendorff` package (nominal) and
Cohen's kappa with scikit-learn's `cohen_kappa_score` on small generated
data, and writes the data and the figures as Rust literals between the
GENERATED markers of tests/agree.rs. Run it again after changing the data:

    python3 -m venv /tmp/agree-venv
    /tmp/agree-venv/bin/pip install krippendorff scikit-learn
    /tmp/agree-venv/bin/python tests/agree_reference.py

Package versions used are written into the generated block.
"""

import pathlib
from importlib import metadata
import random
import re

import krippendorff
import numpy as np
import sklearn
from sklearn.metrics import cohen_kappa_score

rng = random.Random(12)


def alpha(rows):
    """rows: coders x units, None for missing."""
    data = np.array([[np.nan if v is None else v for v in r] for r in rows], dtype=float)
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))


def units_literal(rows):
    """Per unit, the values given (missing left out), as Rust."""
    units = []
    for u in range(len(rows[0])):
        units.append([r[u] for r in rows if r[u] is not None])
    return "&[" + ", ".join("&[" + ", ".join(str(v) for v in unit) + "]" for unit in units) + "]"


def matrix(coders, units, cats, missing):
    rows = []
    truth = [rng.randrange(cats) for _ in range(units)]
    for _ in range(coders):
        row = []
        for u in range(units):
            if rng.random() < missing:
                row.append(None)
            elif rng.random() < 0.7:
                row.append(truth[u])
            else:
                row.append(rng.randrange(cats))
        rows.append(row)
    return rows


out = []
out.append(f"// krippendorff {metadata.version('krippendorff')}, scikit-learn {sklearn.__version__}")

# Cohen's kappa on two coders.
for name, n, cats in [("KAPPA_A", 40, 3), ("KAPPA_B", 25, 2)]:
    a, b = matrix(2, n, cats, 0.0)
    k = float(cohen_kappa_score(a, b))
    out.append(f"const {name}: (&[u32], &[u32], f64) = (&{a}, &{b}, {k!r});")

# Krippendorff's alpha, with and without missing values.
for name, coders, n, cats, missing in [
    ("ALPHA_A", 3, 50, 2, 0.0),
    ("ALPHA_B", 4, 30, 3, 0.25),
    ("ALPHA_C", 6, 40, 4, 0.4),
]:
    rows = matrix(coders, n, cats, missing)
    al = alpha(rows)
    out.append(f"const {name}: (&[&[u32]], f64) = ({units_literal(rows)}, {al!r});")

# A project: three annotators, two documents (cho did not have the second),
# words separated by single spaces, spans over whole words.
SYLL = ["ka", "lo", "mi", "nu", "pe", "ra", "so", "tu"]
LABELS = ["Claim", "Speaker"]
CODERS = ["ana", "ben", "cho"]
docs = []
for d, (n_words, coders) in enumerate([(30, CODERS), (24, CODERS[:2])]):
    words = [rng.choice(SYLL) + rng.choice(SYLL) for _ in range(n_words)]
    starts, pos = [], 0
    for w in words:
        starts.append(pos)
        pos += len(w) + 1
    text = " ".join(words)
    # A shared skeleton of spans, then each annotator's noisy copy.
    skeleton = []
    i = 0
    while i < n_words - 2:
        i += rng.randrange(1, 4)
        j = min(n_words, i + rng.randrange(1, 5))
        if i < j:
            skeleton.append((i, j, rng.choice(LABELS)))
        i = j
    spans = {}
    for c in coders:
        mine = []
        for (i, j, l) in skeleton:
            r = rng.random()
            if r < 0.15:
                continue
            if r < 0.3:
                j = max(i + 1, j - 1)
            if r > 0.9:
                l = "Claim" if l == "Speaker" else "Speaker"
            mine.append((i, j, l))
        if rng.random() < 0.5:
            i = rng.randrange(n_words - 1)
            mine.append((i, i + 1, rng.choice(LABELS)))
        # No two spans of one label over the same word.
        kept = []
        for s in mine:
            if not any(t[2] == s[2] and t[0] < s[1] and s[0] < t[1] for t in kept):
                kept.append(s)
        spans[c] = kept
    docs.append((text, words, starts, coders, spans))


def values(words, spans, label):
    inside = [set() for _ in words]
    for (i, j, l) in spans:
        for t in range(i, j):
            inside[t].add(l)
    if label is None:
        return ["+".join(sorted(s)) for s in inside]
    return [1 if label in s else 0 for s in inside]


figures = {}
for label in LABELS + [None]:
    rows = {c: [] for c in CODERS}
    for (text, words, starts, coders, spans) in docs:
        for c in CODERS:
            if c in coders:
                rows[c].extend(values(words, spans[c], label))
            else:
                rows[c].extend([None] * len(words))
    cats = sorted({v for r in rows.values() for v in r if v is not None}, key=str)
    num = [[None if v is None else cats.index(v) for v in rows[c]] for c in CODERS]
    key = label or "all"
    figures[(key, "alpha")] = alpha(num)
    for a, b in [("ana", "ben"), ("ana", "cho"), ("ben", "cho")]:
        va = [x for x, y in zip(rows[a], rows[b]) if x is not None and y is not None]
        vb = [y for x, y in zip(rows[a], rows[b]) if x is not None and y is not None]
        figures[(key, a + "+" + b)] = float(cohen_kappa_score([str(v) for v in va], [str(v) for v in vb]))

doc_lines = []
for (text, words, starts, coders, spans) in docs:
    sp = []
    for c in coders:
        for (i, j, l) in spans[c]:
            sp.append(f'("{c}", {starts[i]}, {starts[j - 1] + len(words[j - 1])}, "{l}")')
    doc_lines.append(f'    ("{text}", &[{", ".join(chr(34) + c + chr(34) for c in coders)}], &[{", ".join(sp)}]),')
out.append("/// (text, annotators, spans as (annotator, start, end, label)).")
out.append("#[allow(clippy::type_complexity)]")
out.append("const PROJECT: &[(&str, &[&str], &[(&str, usize, usize, &str)])] = &[")
out.extend(doc_lines)
out.append("];")
out.append("/// (label, \"alpha\" or the pair, figure).")
out.append("const PROJECT_FIGURES: &[(&str, &str, f64)] = &[")
for (k, what), v in figures.items():
    out.append(f'    ("{k}", "{what}", {v!r}),')
out.append("];")

path = pathlib.Path(__file__).with_name("agree.rs")
src = path.read_text()
block = "// BEGIN GENERATED by tests/agree_reference.py\n" + "\n".join(out) + "\n// END GENERATED\n"
src = re.sub(r"// BEGIN GENERATED.*?// END GENERATED\n", lambda _: block, src, flags=re.S)
path.write_text(src)
print(block)
