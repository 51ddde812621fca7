# SPDX-License-Identifier: GPL-3.0-or-later
"""Stunting, wasting, underweight and overweight prevalence from a children
CSV (the bundled sample by default) with WHO's flags and the survey design,
overall and by sub-district."""

import os
import sys

import pandas as pd

import socind

here = os.path.dirname(os.path.abspath(__file__))
path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "..", "..", "data",
                                                          "sample", "children.csv")
kids = pd.read_csv(path)
z = socind.zscores(kids.sex, age_days=kids.age_days, weight_kg=kids.weight,
                   lenhei_cm=kids.lenhei, measure=kids.measure.tolist(),
                   oedema=kids.oedema.tolist())
print(f"{len(kids)} children; HAZ mean {pd.Series(z['zlen']).mean():.2f}, "
      f"flagged HAZ {int((z['flen'] == 1).sum())}")
t = socind.prevalence(kids.sex, age_days=kids.age_days, weight_kg=kids.weight,
                      lenhei_cm=kids.lenhei, measure=kids.measure.tolist(),
                      oedema=kids.oedema.tolist(), sw=kids.sw, strata=kids.strata,
                      cluster=kids.cluster, by=kids.kecamatan)
named = {("HA", "< -2"): "stunting", ("WH", "< -2"): "wasting", ("WA", "< -2"): "underweight",
         ("WH", "> +2"): "overweight"}
rows = t[[(i, s) in named for i, s in zip(t.indicator, t.statistic)]].copy()
rows["indicator"] = [named[(i, s)] for i, s in zip(rows.indicator, rows.statistic)]
for col in ("estimate", "ci_low", "ci_high"):
    rows[col] = (100 * rows[col]).round(1)
print(rows[rows.group == "All"][["indicator", "estimate", "ci_low", "ci_high", "n_unweighted"]]
      .to_string(index=False))
stunting = rows[rows.indicator == "stunting"].set_index("group")
print(stunting[["estimate", "ci_low", "ci_high", "n_unweighted"]].to_string())
