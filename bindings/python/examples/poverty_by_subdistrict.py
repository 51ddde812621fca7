# SPDX-License-Identifier: GPL-3.0-or-later
"""Poverty by sub-district from a CSV with pandas: the rate, its 95% CI and the
number of poor for each kecamatan of the bundled sample (2024), sorted."""

import os
import sys

import pandas as pd

import socind

here = os.path.dirname(os.path.abspath(__file__))
path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "..", "..", "data",
                                                          "sample", "households.csv")
hh = pd.read_csv(path).query("year == 2024")
line = float(hh.poverty_line.iloc[0])
design = socind.Design(hh.weight_person, strata=hh.stratum, psu=hh.psu)
# one row per kecamatan, and the overall row "all" first
rate = socind.fgt(hh.exp_pc, line, design=design, by=hh.kecamatan)
poor = socind.poor_count(hh.exp_pc, line, design=design, by=hh.kecamatan)
overall = rate.loc["all"]
rate, poor = rate.drop("all"), poor.drop("all")
table = pd.DataFrame({"poverty rate %": 100 * rate.value,
                      "ci low %": 100 * rate.ci_low, "ci high %": 100 * rate.ci_high,
                      "number of poor": poor.value.round(),
                      "rows without income": rate.n_missing}).sort_values("poverty rate %",
                                                                         ascending=False)
print(f"Musi Banyuasin 2024, line Rp {line:,.0f}: {100 * overall.value:.2f}% poor "
      f"(95% CI {100 * overall.ci_low:.2f}-{100 * overall.ci_high:.2f})")
print(table.round(2).to_string())
