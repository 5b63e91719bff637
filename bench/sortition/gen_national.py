#!/usr/bin/env python3
"""bench/sortition/gen_national.py: a realistic national sortition pool,
deterministic from a seed, for the LEXIMIN bench and tests (issue #19).

    gen_national.py N OUTDIR [--seed S] [--panel-size K] [--categories C]

Writes OUTDIR/categories.csv (category,feature,min,max) and
OUTDIR/respondents.csv (id and one column per category) for N people.

The population has six categories (gender 3, age 5, region 10, education
4, ethnicity 5, urban/rural 2; --categories C keeps the first C). Values
are correlated as in real populations: education with age and with urban
life, ethnicity with region, urban/rural with region. The pool is who
answered the invitation, not the population: volunteers are more educated
and older than those they come from (self-selection skew), so quotas bind.
The quotas are the population's shares of K, +/- 10% of K's share
(at least one seat of slack), as panels are usually specified.

Nothing here is drawn from real people: the shares are round figures of
the kind national statistics publish, chosen for the bench.
"""
import argparse
import csv
import os
import random

# category -> [(value, population share)]
CATEGORIES = [
    ("gender", [("female", 0.50), ("male", 0.49), ("other", 0.01)]),
    ("age", [("16-24", 0.14), ("25-39", 0.25), ("40-54", 0.24),
             ("55-69", 0.22), ("70+", 0.15)]),
    ("region", [(f"region{i:02d}", s) for i, s in enumerate(
        [0.16, 0.14, 0.12, 0.11, 0.10, 0.09, 0.08, 0.08, 0.07, 0.05], 1)]),
    ("education", [("primary", 0.20), ("secondary", 0.40), ("vocational", 0.15),
                   ("degree", 0.25)]),
    ("ethnicity", [("group_a", 0.78), ("group_b", 0.08), ("group_c", 0.06),
                   ("group_d", 0.05), ("group_e", 0.03)]),
    ("setting", [("urban", 0.70), ("rural", 0.30)]),
]


def pick(rng, pairs):
    total = sum(w for _, w in pairs)
    x = rng.random() * total
    for v, w in pairs:
        x -= w
        if x < 0:
            return v
    return pairs[-1][0]


def reweight(pairs, boost):
    """Multiply the weight of each value by boost.get(value, 1)."""
    return [(v, w * boost.get(v, 1.0)) for v, w in pairs]


def person(rng, volunteer):
    """One person's values; volunteer=True applies the self-selection skew."""
    cat = dict(CATEGORIES)
    p = {}
    p["gender"] = pick(rng, cat["gender"])
    age_boost = {"55-69": 1.5, "70+": 1.4, "16-24": 0.6} if volunteer else {}
    p["age"] = pick(rng, reweight(cat["age"], age_boost))
    p["region"] = pick(rng, cat["region"])
    ri = int(p["region"][-2:])
    # the first regions are the cities: more urban, more mixed
    urban = {"urban": 1.6 if ri <= 3 else (0.6 if ri >= 8 else 1.0)}
    p["setting"] = pick(rng, reweight(cat["setting"], urban))
    edu = {}
    if p["age"] in ("55-69", "70+"):
        edu.update(primary=1.8, degree=0.7)
    if p["age"] in ("25-39",):
        edu.update(degree=1.5)
    if p["setting"] == "urban":
        edu["degree"] = edu.get("degree", 1.0) * 1.3
    if volunteer:
        edu["degree"] = edu.get("degree", 1.0) * 2.0
        edu["primary"] = edu.get("primary", 1.0) * 0.5
    p["education"] = pick(rng, reweight(cat["education"], edu))
    eth = {"group_a": 0.8, "group_b": 1.8, "group_c": 1.6} if ri <= 3 else {}
    if volunteer:
        eth = {k: v * 0.8 for k, v in eth.items()} or {"group_a": 1.1}
    p["ethnicity"] = pick(rng, reweight(cat["ethnicity"], eth))
    return p


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int)
    ap.add_argument("outdir")
    ap.add_argument("--seed", default="pnyx-national-1")
    ap.add_argument("--panel-size", type=int, default=150)
    ap.add_argument("--categories", type=int, default=len(CATEGORIES))
    a = ap.parse_args()
    cats = CATEGORIES[:a.categories]
    rng = random.Random(a.seed)
    os.makedirs(a.outdir, exist_ok=True)
    k = a.panel_size
    with open(os.path.join(a.outdir, "categories.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["category", "feature", "min", "max"])
        for name, values in cats:
            for v, share in values:
                lo = int(share * k * 0.9)
                hi = -(-share * k * 1.1 // 1)
                hi = int(max(hi, lo + 1))
                w.writerow([name, v, lo, hi])
    with open(os.path.join(a.outdir, "respondents.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id"] + [name for name, _ in cats])
        for i in range(a.n):
            p = person(rng, True)
            w.writerow([f"p{i + 1}"] + [p[name] for name, _ in cats])


if __name__ == "__main__":
    main()
