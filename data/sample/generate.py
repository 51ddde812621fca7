#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Generates socind's bundled sample: a synthetic household survey of Musi
Banyuasin regency (South Sumatra) for two years and the children under five
of the second year's households. Standard library only; fixed seed, so the
output is the same on every run. Usage: python3 generate.py [output_dir]"""

import csv
import math
import os
import random
import sys

SEED = 20261202
HERE = os.path.dirname(os.path.abspath(__file__))
WHO = os.path.join(HERE, "..", "who-growth")

# (code, name, people (thousands, the order of the 2020 census's relative
# sizes), share of people in urban blocks, relative consumption level)
KECAMATAN = [
    (1601010, "Sekayu", 93, 0.55, 1.16), (1601020, "Lais", 48, 0.10, 0.98),
    (1601030, "Sungai Keruh", 38, 0.00, 0.90), (1601040, "Babat Toman", 48, 0.15, 0.96),
    (1601050, "Sanga Desa", 34, 0.00, 0.92), (1601060, "Batanghari Leko", 26, 0.00, 0.86),
    (1601070, "Keluang", 42, 0.00, 0.95), (1601080, "Plakat Tinggi", 26, 0.00, 0.93),
    (1601090, "Lawang Wetan", 22, 0.00, 0.94), (1601100, "Sungai Lilin", 78, 0.35, 1.08),
    (1601110, "Bayung Lencir", 95, 0.25, 1.04), (1601120, "Lalan", 52, 0.00, 0.95),
    (1601130, "Tungkal Jaya", 46, 0.10, 1.00), (1601140, "Babat Supat", 40, 0.00, 0.97),
]
# year: (population, poverty line in rupiah per person per month, median
# consumption). Tuned so that about 15% (2023) and 13% (2024) of people are
# below the line and well under 1% below the international extreme-poverty
# line (the order BPS published for the regency: 14.90% and 12.88%, 0.47%
# extreme in 2024), and the weights add up to the regency's people.
YEARS = {2023: (682000, 560000.0, 862000.0), 2024: (690000, 575000.0, 912000.0)}
SIGMA = 0.34
BLOCKS_PER_STRATUM = (6, 10)
HOUSEHOLDS_PER_BLOCK = 10


def log_draw(rng, mu):
    """log consumption: normal, with a thinner left tail (few people very far
    below the median, as in Indonesia's Susenas)"""
    e = rng.gauss(0, 1)
    if e < -1.0:
        e = -1.0 + 0.55 * (e + 1.0)
    return mu + SIGMA * e


def read_lms(name, key_is_length=False):
    table = {}
    with open(os.path.join(WHO, name)) as f:
        next(f)
        for line in f:
            p = line.split("\t")
            key = round(float(p[1]) * 10) if key_is_length else int(p[1])
            table[(int(p[0]), key)] = (float(p[2]), float(p[3]), float(p[4]))
    return table


def from_z(lms, z):
    l, m, s = lms
    return m * (1.0 + l * s * z) ** (1.0 / l)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else HERE
    rng = random.Random(SEED)
    lenanthro = read_lms("lenanthro.txt")
    wfl = read_lms("wflanthro.txt", True)
    wfh = read_lms("wfhanthro.txt", True)
    households, children = [], []
    total_k = sum(k[2] for k in KECAMATAN)
    for year, (population, line, median) in YEARS.items():
        hh_id = 0
        for code, name, people_k, urban_share, level in KECAMATAN:
            people = population * people_k / total_k
            for urban in (0, 1):
                if urban and urban_share == 0:
                    continue
                share = urban_share if urban else 1 - urban_share
                nblocks = max(2, round(rng.randint(*BLOCKS_PER_STRATUM) * (0.5 + share)))
                stratum = code * 10 + urban
                rows = []
                for b in range(nblocks):
                    psu = stratum * 100 + b + 1
                    block_effect = rng.gauss(0, 0.16)
                    spread = rng.uniform(0.8, 1.25)  # blocks of unequal size
                    for _ in range(HOUSEHOLDS_PER_BLOCK):
                        hh_id += 1
                        size = min(12, 1 + int(rng.expovariate(1 / 3.1)))
                        mu = math.log(median * level * (1.15 if urban else 1.0)) + block_effect
                        mu -= 0.035 * (size - 4)  # larger households, less per head
                        exp_pc = int(round(math.exp(log_draw(rng, mu)), -2))
                        rows.append(dict(
                            year=year, hh_id=hh_id, kecamatan_code=code, kecamatan=name,
                            urban=urban, stratum=stratum, psu=psu, weight=spread,
                            hhsize=size, weight_person=0.0, exp_pc=exp_pc,
                            poverty_line=int(line)))
                # the weights add up to the stratum's people
                raw = sum(r["weight"] * r["hhsize"] for r in rows)
                for r in rows:
                    r["weight"] = round(r["weight"] * people * share / raw, 2)
                    r["weight_person"] = round(r["weight"] * r["hhsize"], 2)
                households.extend(rows)
                if year != 2024:
                    continue
                for r in rows:
                    for _c in range(sum(rng.random() < 0.17 for _ in range(min(r["hhsize"] - 1, 3)))):
                        poorer = r["exp_pc"] < line
                        children.append(make_child(rng, year, r["hh_id"], len(children) + 1,
                                                   stratum, r["psu"], r["weight"], name, level,
                                                   poorer, lenanthro, wfl, wfh))
    write(os.path.join(out, "households.csv"), households)
    write(os.path.join(out, "children.csv"), children)


def make_child(rng, year, hh_id, child_id, stratum, psu, weight, kecamatan, level, poorer, lenanthro,
               wfl, wfh):
    sex = rng.choice((1, 2))
    age = rng.randint(0, 1825)
    haz = rng.gauss(-0.92 + 1.2 * (level - 1.0) - (0.25 if poorer else 0.0), 1.05)
    whz = rng.gauss(-0.35, 1.0)
    length = from_z(lenanthro[(sex, age)], haz)  # length below 731 days, height from 731
    right = "l" if age < 731 else "h"
    measure = right if rng.random() > 0.05 else ("h" if right == "l" else "l")
    measured = length
    if measure != right:  # the other position: standing is 0.7 cm shorter than lying
        measured = length - 0.7 if measure == "h" else length + 0.7
    table = wfl if age < 731 else wfh
    key = min(max(round(length * 10), 450 if age < 731 else 650), 1100 if age < 731 else 1200)
    kg = from_z(table[(sex, key)], whz)
    oedema = "y" if rng.random() < 0.003 else "n"
    slip = rng.random()
    if slip < 0.004:
        kg *= 10  # data-entry slips that WHO's flags catch
    elif slip < 0.008:
        measured += 28
    return dict(year=year, hh_id=hh_id, child_id=child_id, kecamatan=kecamatan, strata=stratum,
                cluster=psu, sw=weight, sex=sex, age_days=age, weight=round(kg, 1),
                lenhei=round(measured, 1), measure=measure, oedema=oedema)


def write(path, rows):
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


if __name__ == "__main__":
    main()
