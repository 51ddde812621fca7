/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench/bench_simulate_coverage.c — coverage of socind_simulate_transfer's
 * 95 % intervals over repeated samples (socind/simulate.h).
 *
 * The population is bench/sim_survey.h's (seed 42 by default: 20 strata ×
 * 100 PSUs × 50 households); each replication draws 30 PSUs a stratum with
 * replacement (or the third argument's number) and 10 households in each
 * (6,000 households), builds the
 * design (person weights, strata, PSUs) and simulates two transfers
 * against the line 550,000, the first overall and by sub-district:
 *   A  300,000 a household a month to the registry's deciles 1 and 2
 *      (--per household: t = 300,000/size for each person);
 *   B  the programme's recipients, 200,000 a household of up to 4 persons
 *      and 400,000 from 5 (amounts by group, per household);
 *   C  A's transfer against a relative line, 0.6 times the median income,
 *      estimated on each sample's baseline and held fixed (its influence
 *      and the kernel density at the line in every SE).
 * The population value of each figure is socind_simulate_transfer on every
 * household of the population with weight = size and no strata or PSUs.
 * Printed for each figure: the coverage of the 95 % interval (should lie
 * in 93–97 %), the mean SE over the empirical SD of the estimates, and
 * for the changes the mean estimate against the population value.
 *
 * usage: bench_simulate_coverage [replications (1000)] [seed (42)] [PSUs a stratum (30)] */
#define _POSIX_C_SOURCE 200809L

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "sim_survey.h"
#include "socind/socind.h"

#define LINE 550000.0
#define NA 3
#define K SOCIND_SIM_COUNT(NA)
#define NREG 5
#define K_HH 10

static const double ALPHA[NA] = {0.0, 1.0, 2.0};

/* the figures reported, by index in a domain's K estimates */
static const struct {
    int k;
    const char *name;
} FIG[] = {
    {SOCIND_SIM_FGT(0, SOCIND_SIM_FGT_BEFORE), "fgt0 before"},
    {SOCIND_SIM_FGT(0, SOCIND_SIM_FGT_AFTER), "fgt0 after"},
    {SOCIND_SIM_FGT(0, SOCIND_SIM_FGT_CHANGE), "fgt0 change"},
    {SOCIND_SIM_FGT(1, SOCIND_SIM_FGT_CHANGE), "fgt1 change"},
    {SOCIND_SIM_FGT(2, SOCIND_SIM_FGT_CHANGE), "fgt2 change"},
    {SOCIND_SIM_GINI_AFTER, "gini after"},
    {SOCIND_SIM_GINI_CHANGE, "gini change"},
    {SOCIND_SIM_POOR_CHANGE, "poor change"},
    {SOCIND_SIM_COST, "cost"},
    {SOCIND_SIM_FGT(0, SOCIND_SIM_FGT_PER_UNIT), "fgt0 per billion"},
    {SOCIND_SIM_FGT(2, SOCIND_SIM_FGT_PER_UNIT), "fgt2 per billion"},
    {SOCIND_SIM_LIFTED_PER_UNIT, "lifted per billion"},
};
#define NFIG (sizeof FIG / sizeof *FIG)

typedef struct {
    double truth;
    long cover, used;
    double sum, sum2, sum_se;
} tally;

static void tally_add(tally *t, const socind_estimate *e) {
    if (e->status != SOCIND_OK) return;
    t->used++;
    t->cover += e->ci_low <= t->truth && t->truth <= e->ci_high;
    t->sum += e->value;
    t->sum2 += e->value * e->value;
    t->sum_se += e->se;
}

static void tally_print(const char *scen, const char *dom, const char *name, const tally *t) {
    double n = (double)t->used, mean = t->sum / n;
    double sd = sqrt((t->sum2 - n * mean * mean) / (n - 1.0));
    printf("%-2s %-10s %-20s %6.1f %%  (%ld reps)  SE/SD %.3f  mean %.6g  true %.6g\n", scen, dom,
           name, 100.0 * (double)t->cover / n, t->used, t->sum_se / n / sd, mean, t->truth);
}

/* the transfers of scenarios A and B over n rows */
typedef struct {
    int32_t *sel_a, *sel_b, *code_b;
    double *size;
} transfers;

static void make_transfers(size_t n, const double *size, const int32_t *decile,
                           const int32_t *recipient, transfers *x, socind_transfer *ta,
                           socind_transfer *tb) {
    static const double amounts_b[2] = {200000.0, 400000.0};
    for (size_t i = 0; i < n; i++) {
        x->sel_a[i] = decile[i] <= 2;
        x->sel_b[i] = recipient[i];
        x->code_b[i] = size[i] >= 5.0;
    }
    socind_transfer_init(ta);
    ta->per = SOCIND_TRANSFER_PER_HOUSEHOLD;
    ta->household_size = size;
    ta->amount = 300000.0;
    ta->selected = x->sel_a;
    socind_transfer_init(tb);
    tb->per = SOCIND_TRANSFER_PER_HOUSEHOLD;
    tb->household_size = size;
    tb->n_codes = 2;
    tb->code = x->code_b;
    tb->amounts = amounts_b;
    tb->selected = x->sel_b;
}

int main(int argc, char **argv) {
    long R = argc > 1 ? atol(argv[1]) : 1000;
    uint64_t seed = argc > 2 ? strtoull(argv[2], NULL, 10) : 42;
    const int32_t m_psu = argc > 3 ? (int32_t)atoi(argv[3]) : 30;
    if (R < 2 || m_psu < 2 || m_psu > 100) {
        fprintf(stderr, "usage: bench_simulate_coverage [replications >= 2] [seed] [PSUs a "
                        "stratum, 2..100]\n");
        return 2;
    }
    double t0 = bench_now();
    sim_population pop;
    if (sim_population_make(&pop, seed, 20, 100, 50)) return 1;
    const size_t N = pop.n_hh;

    /* the population values */
    transfers px = {malloc(N * sizeof(int32_t)), malloc(N * sizeof(int32_t)),
                    malloc(N * sizeof(int32_t)), NULL};
    socind_transfer pa, pb;
    make_transfers(N, pop.size, pop.decile, pop.recipient, &px, &pa, &pb);
    socind_design *pd = NULL;
    if (socind_design_new(N, pop.size, NULL, NULL, NULL, NULL, &pd)) return 1;
    socind_poverty_line L;
    socind_poverty_line_init(&L);
    L.value = LINE;
    socind_estimate trueA[K], trueB[K], trueC[K], trueR[K * NREG];
    socind_poverty_line Lrel;
    socind_poverty_line_init(&Lrel);
    Lrel.type = SOCIND_LINE_RELATIVE_QUANTILE;
    Lrel.value = 0.6;
    if (socind_simulate_transfer(pd, pop.y1, &L, ALPHA, NA, &pa, NULL, 0, NULL, trueA) ||
        socind_simulate_transfer(pd, pop.y1, &L, ALPHA, NA, &pb, NULL, 0, NULL, trueB) ||
        socind_simulate_transfer(pd, pop.y1, &Lrel, ALPHA, NA, &pa, NULL, 0, NULL, trueC) ||
        socind_simulate_transfer(pd, pop.y1, &L, ALPHA, NA, &pa, pop.region, NREG, NULL, trueR)) {
        fprintf(stderr, "population: %s\n", socind_last_error_detail());
        return 1;
    }
    socind_estimate zpop;
    if (socind_poverty_line_estimate(pd, pop.y1, &Lrel, NULL, &zpop)) return 1;
    socind_design_free(pd);
    tally tA[NFIG], tB[NFIG], tC[NFIG], tR[NREG][NFIG];
    memset(tA, 0, sizeof tA), memset(tB, 0, sizeof tB), memset(tC, 0, sizeof tC);
    memset(tR, 0, sizeof tR);
    for (size_t f = 0; f < NFIG; f++) {
        tA[f].truth = trueA[FIG[f].k].value;
        tB[f].truth = trueB[FIG[f].k].value;
        tC[f].truth = trueC[FIG[f].k].value;
        for (int g = 0; g < NREG; g++) tR[g][f].truth = trueR[g * K + FIG[f].k].value;
    }
    double t1 = bench_now();

    /* the replications */
    uint64_t rng = seed ^ 0x5eed5eedULL;
    const size_t n = (size_t)pop.n_strata * m_psu * K_HH;
    double *y = malloc(n * sizeof *y), *size = malloc(n * sizeof *size);
    int32_t *dec = malloc(n * sizeof *dec), *rec = malloc(n * sizeof *rec),
            *reg = malloc(n * sizeof *reg);
    transfers sx = {malloc(n * sizeof(int32_t)), malloc(n * sizeof(int32_t)),
                    malloc(n * sizeof(int32_t)), NULL};
    socind_estimate eA[K], eB[K], eC[K], eR[K * NREG];
    long failed = 0;
    for (long r = 0; r < R; r++) {
        sim_sample s;
        if (sim_sample_draw(&pop, &rng, m_psu, K_HH, &s)) return 1;
        sim_gather_d(&s, pop.y1, y);
        sim_gather_d(&s, pop.size, size);
        sim_gather_i(&s, pop.decile, dec);
        sim_gather_i(&s, pop.recipient, rec);
        sim_gather_i(&s, pop.region, reg);
        socind_transfer sa, sb;
        make_transfers(n, size, dec, rec, &sx, &sa, &sb);
        socind_design *d = NULL;
        if (socind_design_new(n, s.weight, s.stratum, s.psu, NULL, NULL, &d) ||
            socind_simulate_transfer(d, y, &L, ALPHA, NA, &sa, NULL, 0, NULL, eA) ||
            socind_simulate_transfer(d, y, &L, ALPHA, NA, &sb, NULL, 0, NULL, eB) ||
            socind_simulate_transfer(d, y, &Lrel, ALPHA, NA, &sa, NULL, 0, NULL, eC) ||
            socind_simulate_transfer(d, y, &L, ALPHA, NA, &sa, reg, NREG, NULL, eR)) {
            failed++;
        } else {
            for (size_t f = 0; f < NFIG; f++) {
                tally_add(&tA[f], &eA[FIG[f].k]);
                tally_add(&tB[f], &eB[FIG[f].k]);
                tally_add(&tC[f], &eC[FIG[f].k]);
                for (int g = 0; g < NREG; g++) tally_add(&tR[g][f], &eR[g * K + FIG[f].k]);
            }
        }
        socind_design_free(d);
        sim_sample_free(&s);
    }
    double t2 = bench_now();
    printf("bench_simulate_coverage: %ld replications (%ld failed), seed %" PRIu64
           ", population %zu households, samples of %zu households (%d PSUs x %d households "
           "in each of %d strata), line %.0f\n",
           R, failed, seed, N, n, (int)m_psu, K_HH, (int)pop.n_strata, LINE);
    printf("A: 300,000 a household to registry deciles 1-2; B: recipients, 200,000 a "
           "household (400,000 from 5 persons)\n");
    printf("figure                        coverage of the 95 %% interval, mean SE over the SD "
           "of the estimates, mean estimate, population value\n");
    for (size_t f = 0; f < NFIG; f++) tally_print("A", "all", FIG[f].name, &tA[f]);
    for (size_t f = 0; f < NFIG; f++) tally_print("B", "all", FIG[f].name, &tB[f]);
    printf("C: A's transfer against 0.6 x the median, estimated on each sample's baseline "
           "(the population's line: %.0f)\n",
           zpop.value);
    for (size_t f = 0; f < NFIG; f++) tally_print("C", "all", FIG[f].name, &tC[f]);
    for (int g = 0; g < NREG; g++) {
        char dom[16];
        snprintf(dom, sizeof dom, "region %d", g);
        for (size_t f = 0; f < NFIG; f++)
            if (FIG[f].k == SOCIND_SIM_FGT(0, SOCIND_SIM_FGT_BEFORE) ||
                FIG[f].k == SOCIND_SIM_FGT(0, SOCIND_SIM_FGT_CHANGE) ||
                FIG[f].k == SOCIND_SIM_FGT(2, SOCIND_SIM_FGT_CHANGE) ||
                FIG[f].k == SOCIND_SIM_GINI_CHANGE || FIG[f].k == SOCIND_SIM_COST)
                tally_print("A", dom, FIG[f].name, &tR[g][f]);
    }
    /* the range over every figure and domain */
    double lo = 1.0, hi = 0.0;
    for (size_t f = 0; f < NFIG; f++) {
        const tally *all[3 + NREG] = {&tA[f], &tB[f], &tC[f]};
        for (int g = 0; g < NREG; g++) all[3 + g] = &tR[g][f];
        for (int i = 0; i < 3 + NREG; i++) {
            double c = (double)all[i]->cover / (double)all[i]->used;
            if (c < lo) lo = c;
            if (c > hi) hi = c;
        }
    }
    printf("coverage over every figure and domain: %.1f %% to %.1f %%\n", 100 * lo, 100 * hi);
    printf("time: population values %.2f s, replications %.2f s (%.2f ms each)\n", t1 - t0, t2 - t1,
           1000.0 * (t2 - t1) / (double)R);
    free(y), free(size), free(dec), free(rec), free(reg);
    free(sx.sel_a), free(sx.sel_b), free(sx.code_b);
    free(px.sel_a), free(px.sel_b), free(px.code_b);
    sim_population_free(&pop);
    return 0;
}
