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

SEED = 20261129
HERE = os.path.dirname(os.path.abspath(__file__))
WHO = os.path.join(HERE, "..", "who-growth")

# (code, name, urban share of blocks, relative consumption level)
KECAMATAN = [
    (1601010, "Sekayu", 0.55, 1.18), (1601020, "Lais", 0.10, 0.97),
    (1601030, "Sungai Keruh", 0.00, 0.88), (1601040, "Babat Toman", 0.15, 0.95),
    (1601050, "Sanga Desa", 0.00, 0.90), (1601060, "Batanghari Leko", 0.00, 0.84),
    (1601070, "Keluang", 0.00, 0.93), (1601080, "Plakat Tinggi", 0.00, 0.91),
    (1601090, "Lawang Wetan", 0.00, 0.92), (1601100, "Sungai Lilin", 0.35, 1.10),
    (1601110, "Bayung Lencir", 0.25, 1.05), (1601120, "Lalan", 0.00, 0.94),
    (1601130, "Tungkal Jaya", 0.10, 1.00), (1601140, "Babat Supat", 0.00, 0.96),
]
# year: (poverty line in rupiah per person per month, median consumption)
# With the spread between sub-districts and blocks these medians put about
# 6.7% and 4.7% of people below the lines.
YEARS = {2023: (520000.0, 1135000.0), 2024: (545000.0, 1315000.0)}
SIGMA = 0.45
BLOCKS_PER_STRATUM = (6, 10)
HOUSEHOLDS_PER_BLOCK = 10


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
    for year, (line, median) in YEARS.items():
        hh_id = 0
        for code, name, urban_share, level in KECAMATAN:
            for urban in (0, 1):
                if urban and urban_share == 0:
                    continue
                share = urban_share if urban else 1 - urban_share
                nblocks = max(2, round(rng.randint(*BLOCKS_PER_STRATUM) * (0.5 + share)))
                frame_blocks = nblocks * rng.randint(12, 30)
                stratum = code * 10 + urban
                for b in range(nblocks):
                    psu = stratum * 100 + b + 1
                    block_effect = rng.gauss(0, 0.18)
                    hh_weight = round(frame_blocks / nblocks * rng.uniform(28, 42) / HOUSEHOLDS_PER_BLOCK * 10, 2)
                    for _ in range(HOUSEHOLDS_PER_BLOCK):
                        hh_id += 1
                        size = min(12, 1 + int(rng.expovariate(1 / 3.2)))
                        mu = math.log(median * level * (1.12 if urban else 1.0)) + block_effect
                        exp_pc = int(round(math.exp(rng.gauss(mu, SIGMA)), -2))
                        households.append(dict(
                            year=year, hh_id=hh_id, kecamatan_code=code, kecamatan=name,
                            urban=urban, stratum=stratum, psu=psu, weight=hh_weight,
                            hhsize=size, weight_person=round(hh_weight * size, 2),
                            exp_pc=exp_pc, poverty_line=int(line)))
                        if year != 2024:
                            continue
                        for _c in range(sum(rng.random() < 0.17 for _ in range(min(size - 1, 3)))):
                            children.append(make_child(rng, year, hh_id, len(children) + 1, stratum,
                                                       psu, hh_weight, name, level, lenanthro, wfl, wfh))
    write(os.path.join(out, "households.csv"), households)
    write(os.path.join(out, "children.csv"), children)


def make_child(rng, year, hh_id, child_id, stratum, psu, weight, kecamatan, level, lenanthro, wfl, wfh):
    sex = rng.choice((1, 2))
    age = rng.randint(0, 1825)
    haz = rng.gauss(-1.2 + 0.8 * (level - 1.0), 1.1)
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
