"""Comparable spaCy pipeline over the same corpus as `examples/bench_rules.rs`.

blank English + sentencizer + a PhraseMatcher (the lexicons of en-news.ron:
reporting verbs, stance cues, titles, group mentions, ...) + a Matcher with
token patterns comparable to the Rust rules (speaker + verb + that, quote +
speaker + verb, stance cue with light verb and negation, according to).
Prints MB/s on one core.

Usage:
    cargo run --release --example bench_rules        # writes target/bench_corpus.jsonl
    python3 -m venv /tmp/spacyvenv && /tmp/spacyvenv/bin/pip install spacy
    /tmp/spacyvenv/bin/python benches/spacy_compare.py [target/bench_corpus.jsonl] [MB]
"""
import json
import os
import re
import sys
import time

import spacy
from spacy.matcher import Matcher, PhraseMatcher

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def lexicons():
    """Reads the word lists of the RON rule file (no RON parser needed)."""
    src = open(os.path.join(ROOT, "assets", "rules", "en-news.ron"), encoding="utf-8").read()
    out = {}
    for m in re.finditer(r'"([a-z_]+)":\s*\[(.*?)\]', src, re.S):
        out[m.group(1)] = re.findall(r'"([^"]+)"', m.group(2))
    stance = re.search(r'"stance_cues":\s*\{(.*?)\}', src, re.S)
    out["stance_cues"] = re.findall(r'"([^"]+)":\s*"', stance.group(1)) if stance else []
    return out


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "target", "bench_corpus.jsonl")
    limit_mb = float(sys.argv[2]) if len(sys.argv) > 2 else 1e9
    texts, total = [], 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            t = json.loads(line)["text"]
            texts.append(t)
            total += len(t.encode("utf-8"))
            if total >= limit_mb * 1e6:
                break
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    lex = lexicons()
    pm = PhraseMatcher(nlp.vocab, attr="LOWER")
    for name, words in lex.items():
        pm.add(name, [nlp.make_doc(w) for w in words])
    m = Matcher(nlp.vocab)
    L = lambda name: {"LOWER": {"IN": lex.get(name, [])}}
    name_tok = {"IS_TITLE": True}
    m.add("speaker-verb-that", [[name_tok, {"IS_TITLE": True, "OP": "*"}, dict(L("adverbs"), OP="{0,3}"),
                                 L("reporting_verbs"), {"IS_PUNCT": False, "OP": "{0,5}"}, {"LOWER": "that"}]])
    m.add("quote-speaker", [[{"ORTH": {"IN": ["”", '"']}}, name_tok, {"IS_TITLE": True, "OP": "*"}, L("reporting_verbs")],
                            [{"ORTH": {"IN": ["”", '"']}}, L("reporting_verbs"), name_tok, {"IS_TITLE": True, "OP": "*"}]])
    m.add("speaker-quote", [[name_tok, L("reporting_verbs"), {"ORTH": {"IN": [":", ","]}, "OP": "?"}, {"ORTH": {"IN": ["“", '"']}}]])
    m.add("according-to", [[{"LOWER": "according"}, {"LOWER": "to"}, {"IS_PUNCT": False, "OP": "{0,3}"}, name_tok]])
    m.add("participle", [[{"ORTH": ","}, L("reporting_gerunds"), {"LOWER": "that", "OP": "?"}]])
    m.add("stance", [[dict(L("auxiliaries"), OP="?"), dict(L("negators"), OP="?"), dict(L("light_verbs"), OP="?"),
                      dict(L("stance_determiners"), OP="?"), dict(L("intensifiers"), OP="*"), L("stance_cues"),
                      dict(L("stance_preps"), OP="?")]])
    m.add("intent", [[L("intent_cues"), {"LOWER": "to"}, {"IS_ALPHA": True}]])
    m.add("neutral", [[L("neutral_adjs"), {"LOWER": {"IN": ["and", ","]}, "OP": "?"}, dict(L("neutral_adjs"), OP="?"), L("stance_nouns")]])
    start = time.perf_counter()
    n_matches = 0
    for doc in nlp.pipe(texts, batch_size=64):
        n_matches += len(pm(doc)) + len(m(doc))
        n_matches += sum(1 for _ in doc.sents)
    secs = time.perf_counter() - start
    print(f"spaCy {spacy.__version__}: {len(texts)} documents, {total / 1e6:.1f} MB in {secs:.1f} s: "
          f"{total / 1e6 / secs:.2f} MB/s (one core), {n_matches} matches+sentences")


if __name__ == "__main__":
    main()
