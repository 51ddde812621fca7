/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench/sim_survey.h — a synthetic regency and a stratified two-stage
 * sampler, for the coverage simulations of the benchmarks (do 95 %
 * intervals cover the population value 95 % of the time over repeated
 * samples drawn with the design the variance formulas assume?).
 *
 * The population: n_strata strata × psu_per_stratum PSUs × hh_per_psu
 * households, one row per household, its per-capita incomes in two rounds
 * (the same prices) and the columns the change, targeting and transfer
 * measures need:
 *
 *   log y1 = 13.7 + 0.15·a_h + 0.25·b_PSU + 0.3·urban + s_sector
 *            − 0.05·(size − 4) + 0.55·e,   a, b, e ~ N(0, 1)
 *   y2     = y1 · exp(0.04 + 0.03·urban − 0.03·(log y1 − 13.97) + 0.12·e2)
 *
 * (so incomes grow about 4 % a round, a little faster for the poor);
 * region is a sub-district (5 of them, constant within a PSU); urban is
 * per PSU (probability 0.4); sector 0..2 depends on urban; size is
 * 1 + ⌊3·Exp(1)⌋ capped at 10 persons. A household receives the programme
 * with probability 0.03 + 0.8/(1 + exp(3·(log y1 − 13.35))) — the poor
 * more often, not all of them, some of the rich — and its benefit is
 * 200,000 a month (400,000 from 5 persons), 0 when not a recipient.
 * decile is a registry's welfare ranking: the person-weighted deciles
 * (1 the poorest) of log y1 plus N(0, 0.3²) noise, so it mis-ranks some
 * households as real registries do. With seed 42 and 20 strata × 100 PSUs
 * × 50 households (340,097 persons), a line of 550,000 puts 14.8 % of the
 * persons below it in round 1 and 12.8 % in round 2; the mean grows
 * 5.1 %; 23.5 % of the persons live in recipient households, and 65 % of
 * the poor do.
 *
 * The sampler draws, in each stratum, m PSUs with replacement (equal
 * probabilities) and k households without replacement in each drawn PSU;
 * a household's person weight is (M/m)·(K/k)·size, and a PSU drawn twice
 * gets two ids with independent subsamples. With PSUs drawn with
 * replacement, the with-replacement variance estimator the library uses
 * by default (no fpc) is unbiased for the design: the simulation tests
 * the estimators' linearization, not a finite-population approximation.
 *
 * The population value of an estimator is the same function called on
 * every household with weight = size and no strata or PSUs.
 *
 * Random numbers: bench_util.h's splitmix64 (uint64_t state), so a seed
 * gives the same population and samples on every machine. */
#ifndef SOCIND_BENCH_SIM_SURVEY_H
#define SOCIND_BENCH_SIM_SURVEY_H

#include "bench_util.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct sim_population {
    size_t n_hh; /* households (rows) */
    int32_t n_strata, psu_per_stratum, hh_per_psu;
    int64_t *stratum;   /* 1..n_strata */
    int64_t *psu;       /* 1..n_strata·psu_per_stratum, unique across strata */
    int32_t *region;    /* sub-district 0..4, constant within a PSU */
    int32_t *urban;     /* 0/1, per PSU */
    int32_t *sector;    /* sector of the household head 0..2 */
    double *size;       /* persons */
    double *y1, *y2;    /* per-capita income, rounds 1 and 2, same prices */
    int32_t *recipient; /* 0/1 */
    double *benefit;    /* per-household amount when a recipient, else 0 */
    int32_t *decile;    /* registry welfare decile 1..10 */
} sim_population;

typedef struct sim_sample {
    size_t n;       /* rows (sampled households) */
    size_t *hh;     /* index of each row's household in the population */
    double *weight; /* person weight (M/m)·(K/k)·size */
    int64_t *stratum;
    int64_t *psu; /* ids unique within the sample */
} sim_sample;

/* A standard normal draw (Box–Muller, one of the pair). */
static inline double sim_normal(uint64_t *s) {
    double u1 = bench_unif(s), u2 = bench_unif(s);
    if (u1 < 1e-300) u1 = 1e-300;
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

typedef struct {
    double key;
    double w;
    size_t i;
} sim__ranked;

static int sim__cmp_ranked(const void *a, const void *b) {
    double x = ((const sim__ranked *)a)->key, y = ((const sim__ranked *)b)->key;
    return (x > y) - (x < y);
}

static inline void sim_population_free(sim_population *p) {
    if (!p) return;
    free(p->stratum);
    free(p->psu);
    free(p->region);
    free(p->urban);
    free(p->sector);
    free(p->size);
    free(p->y1);
    free(p->y2);
    free(p->recipient);
    free(p->benefit);
    free(p->decile);
    memset(p, 0, sizeof *p);
}

/* Builds the population; returns 0, or −1 (out of memory or a size < 1;
 * *p is then empty). */
static inline int sim_population_make(sim_population *p, uint64_t seed, int32_t n_strata,
                                      int32_t psu_per_stratum, int32_t hh_per_psu) {
    memset(p, 0, sizeof *p);
    if (n_strata < 1 || psu_per_stratum < 1 || hh_per_psu < 1) return -1;
    size_t n = (size_t)n_strata * (size_t)psu_per_stratum * (size_t)hh_per_psu;
    p->n_hh = n;
    p->n_strata = n_strata;
    p->psu_per_stratum = psu_per_stratum;
    p->hh_per_psu = hh_per_psu;
    p->stratum = malloc(n * sizeof *p->stratum);
    p->psu = malloc(n * sizeof *p->psu);
    p->region = malloc(n * sizeof *p->region);
    p->urban = malloc(n * sizeof *p->urban);
    p->sector = malloc(n * sizeof *p->sector);
    p->size = malloc(n * sizeof *p->size);
    p->y1 = malloc(n * sizeof *p->y1);
    p->y2 = malloc(n * sizeof *p->y2);
    p->recipient = malloc(n * sizeof *p->recipient);
    p->benefit = malloc(n * sizeof *p->benefit);
    p->decile = malloc(n * sizeof *p->decile);
    sim__ranked *rk = malloc(n * sizeof *rk);
    if (!p->stratum || !p->psu || !p->region || !p->urban || !p->sector || !p->size || !p->y1 ||
        !p->y2 || !p->recipient || !p->benefit || !p->decile || !rk) {
        free(rk);
        sim_population_free(p);
        return -1;
    }
    uint64_t s = seed;
    static const double sector_effect[3] = {0.0, 0.2, 0.35};
    size_t i = 0;
    for (int32_t h = 0; h < n_strata; h++) {
        double a = sim_normal(&s);
        for (int32_t j = 0; j < psu_per_stratum; j++) {
            double b = sim_normal(&s);
            int32_t urban = bench_unif(&s) < 0.4;
            int32_t region = (int32_t)((h * 7 + j) % 5);
            int64_t psu = (int64_t)h * psu_per_stratum + j + 1;
            for (int32_t k = 0; k < hh_per_psu; k++, i++) {
                double u = bench_unif(&s);
                int32_t sector = urban ? (u < 0.2   ? 0
                                          : u < 0.6 ? 1
                                                    : 2)
                                       : (u < 0.6    ? 0
                                          : u < 0.85 ? 1
                                                     : 2);
                double size = 1.0 + floor(-3.0 * log(1.0 - bench_unif(&s)));
                if (size > 10.0) size = 10.0;
                double ly = 13.7 + 0.15 * a + 0.25 * b + 0.3 * urban + sector_effect[sector] -
                            0.05 * (size - 4.0) + 0.55 * sim_normal(&s);
                double g = 0.04 + 0.03 * urban - 0.03 * (ly - 13.97) + 0.12 * sim_normal(&s);
                double pr = 0.03 + 0.8 / (1.0 + exp(3.0 * (ly - 13.35)));
                int32_t rec = bench_unif(&s) < pr;
                p->stratum[i] = h + 1;
                p->psu[i] = psu;
                p->region[i] = region;
                p->urban[i] = urban;
                p->sector[i] = sector;
                p->size[i] = size;
                p->y1[i] = exp(ly);
                p->y2[i] = exp(ly + g);
                p->recipient[i] = rec;
                p->benefit[i] = rec ? (size >= 5.0 ? 400000.0 : 200000.0) : 0.0;
                rk[i].key = ly + 0.3 * sim_normal(&s);
                rk[i].w = size;
                rk[i].i = i;
            }
        }
    }
    qsort(rk, n, sizeof *rk, sim__cmp_ranked);
    double total = 0.0, cum = 0.0;
    for (size_t r = 0; r < n; r++) total += rk[r].w;
    for (size_t r = 0; r < n; r++) {
        double mid = cum + 0.5 * rk[r].w; /* a household's decile: where its middle person falls */
        int32_t d = (int32_t)(10.0 * mid / total) + 1;
        p->decile[rk[r].i] = d > 10 ? 10 : d;
        cum += rk[r].w;
    }
    free(rk);
    return 0;
}

static inline void sim_sample_free(sim_sample *s) {
    if (!s) return;
    free(s->hh);
    free(s->weight);
    free(s->stratum);
    free(s->psu);
    memset(s, 0, sizeof *s);
}

/* Draws a sample: in each stratum m PSUs with replacement, k households
 * without replacement in each (1 <= m, 1 <= k <= hh_per_psu). Returns 0, or
 * −1 (bad sizes or out of memory; *smp is then empty). *smp must be freed
 * with sim_sample_free; drawing again into the same sample frees it first
 * only if the caller does. */
static inline int sim_sample_draw(const sim_population *p, uint64_t *rng, int32_t m, int32_t k,
                                  sim_sample *smp) {
    memset(smp, 0, sizeof *smp);
    if (m < 1 || k < 1 || k > p->hh_per_psu) return -1;
    size_t n = (size_t)p->n_strata * (size_t)m * (size_t)k;
    smp->hh = malloc(n * sizeof *smp->hh);
    smp->weight = malloc(n * sizeof *smp->weight);
    smp->stratum = malloc(n * sizeof *smp->stratum);
    smp->psu = malloc(n * sizeof *smp->psu);
    size_t *perm = malloc((size_t)p->hh_per_psu * sizeof *perm);
    if (!smp->hh || !smp->weight || !smp->stratum || !smp->psu || !perm) {
        free(perm);
        sim_sample_free(smp);
        return -1;
    }
    smp->n = n;
    double f = ((double)p->psu_per_stratum / m) * ((double)p->hh_per_psu / k);
    size_t r = 0;
    for (int32_t h = 0; h < p->n_strata; h++) {
        for (int32_t j = 0; j < m; j++) {
            int32_t c = (int32_t)(bench_unif(rng) * p->psu_per_stratum);
            if (c >= p->psu_per_stratum) c = p->psu_per_stratum - 1;
            size_t first = ((size_t)h * p->psu_per_stratum + (size_t)c) * p->hh_per_psu;
            for (int32_t q = 0; q < p->hh_per_psu; q++) perm[q] = (size_t)q;
            for (int32_t q = 0; q < k; q++) { /* partial Fisher–Yates */
                size_t left = (size_t)(p->hh_per_psu - q);
                size_t pick = (size_t)q + (size_t)(bench_unif(rng) * (double)left);
                if (pick >= (size_t)p->hh_per_psu) pick = (size_t)p->hh_per_psu - 1;
                size_t t = perm[q];
                perm[q] = perm[pick];
                perm[pick] = t;
                size_t hh = first + perm[q];
                smp->hh[r] = hh;
                smp->weight[r] = f * p->size[hh];
                smp->stratum[r] = h + 1;
                smp->psu[r] = (int64_t)h * m + j + 1;
                r++;
            }
        }
    }
    free(perm);
    return 0;
}

/* out[i] = col[s->hh[i]] for each row of the sample. */
static inline void sim_gather_d(const sim_sample *s, const double *col, double *out) {
    for (size_t i = 0; i < s->n; i++) out[i] = col[s->hh[i]];
}
static inline void sim_gather_i(const sim_sample *s, const int32_t *col, int32_t *out) {
    for (size_t i = 0; i < s->n; i++) out[i] = col[s->hh[i]];
}

#endif
