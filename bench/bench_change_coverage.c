/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench/bench_change_coverage.c — do the change decompositions' 95 %
 * intervals cover the population value 95 % of the time?
 *
 * The synthetic regency of sim_survey.h (seed 42, 20 strata × 100 PSUs × 50
 * households) has incomes y1 and y2 in the same prices; round 2's are
 * written in round 2's prices, y2 × 1.05, and the decompositions are given
 * price_ratio 1.05. Each replication draws two independent samples with
 * the same stratified two-stage design (in each stratum m PSUs with
 * replacement, k households in each) — round 1 from y1, round 2 from y2 —
 * and computes socind_growth_redistribution (overall and by urban/rural)
 * and socind_sectoral_decomposition (by the household head's sector, where
 * one household in ten of sector 0 has moved to sector 1 by round 2: a
 * population shift) with
 * their 95 % t intervals. The population value is the same function called
 * on every household of the population in both rounds, weight = size, no
 * strata or PSUs. Printed: each component's coverage and the mean SE
 * against the Monte Carlo SD of the estimates.
 *
 * usage: bench_change_coverage [REPS [M [K]]]   (default 2000 10 10) */
#include "sim_survey.h"

#include <socind/socind.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RATIO 1.05
#define LINE 550000.0
#define NSEC 3

typedef struct {
    const char *name;
    double truth;
    long covered, ok;
    double se_sum, x_sum, x2_sum;
} tally;

static void tally_add(tally *t, const socind_estimate *e) {
    if (e->status != SOCIND_OK) return;
    t->ok++;
    t->covered += e->ci_low <= t->truth && t->truth <= e->ci_high;
    t->se_sum += e->se;
    t->x_sum += e->value;
    t->x2_sum += e->value * e->value;
}

static void tally_print(const tally *t, int *outside) {
    double cov = t->ok ? (double)t->covered / (double)t->ok : NAN;
    double m = t->x_sum / (double)t->ok;
    double sd = sqrt((t->x2_sum / (double)t->ok - m * m) * (double)t->ok / (double)(t->ok - 1));
    int bad = !(cov >= 0.93 && cov <= 0.97);
    *outside += bad;
    printf("  %-44s %12.6g  %6.1f %%  %5ld  se/sd %.3f%s\n", t->name, t->truth, 100.0 * cov, t->ok,
           t->se_sum / (double)t->ok / sd, bad ? "   <-- outside 93-97 %" : "");
}

static const char *const GR[SOCIND_GR_COUNT] = {"fgt1",
                                                "fgt2",
                                                "change",
                                                "dr_growth",
                                                "dr_redistribution",
                                                "dr_residual",
                                                "shapley_growth",
                                                "shapley_redistribution",
                                                "mean1",
                                                "mean2"};
static const char *const RH[SOCIND_RH_COUNT] = {"fgt1",   "fgt2",  "change",
                                                "within", "shift", "interaction"};
static const char *const RHS[SOCIND_RH_SECTOR_COUNT] = {"fgt1",   "fgt2",  "share1",     "share2",
                                                        "within", "shift", "interaction"};

/* the cases: α and the line */
typedef struct {
    const char *label;
    double alpha;
    int relative;
} gr_case;
static const gr_case CASES[] = {{"FGT0, line 550,000", 0.0, 0},
                                {"FGT1, line 550,000", 1.0, 0},
                                {"FGT0, 0.6 x round 1's median", 0.0, 1}};
#define NCASES 3

static socind_poverty_line line_of(int relative) {
    socind_poverty_line L;
    socind_poverty_line_init(&L);
    if (relative) {
        L.type = SOCIND_LINE_RELATIVE_QUANTILE;
        L.value = 0.6;
        L.quantile = 0.5;
    } else {
        L.type = SOCIND_LINE_ABSOLUTE;
        L.value = LINE;
    }
    return L;
}

int main(int argc, char **argv) {
    long reps = argc > 1 ? atol(argv[1]) : 2000;
    int m = argc > 2 ? atoi(argv[2]) : 10, k = argc > 3 ? atoi(argv[3]) : 10;
    const uint64_t seed = 42;
    double t0 = bench_now();
    sim_population pop;
    if (sim_population_make(&pop, seed, 20, 100, 50)) return 1;
    const size_t N = pop.n_hh;
    double *y2nom = malloc(N * sizeof *y2nom);
    int32_t *sector2 = malloc(N * sizeof *sector2);
    for (size_t i = 0; i < N; i++) {
        y2nom[i] = pop.y2[i] * RATIO;
        sector2[i] = pop.sector[i] == 0 && i % 10 == 3 ? 1 : pop.sector[i];
    }
    socind_design *dp = NULL;
    if (socind_design_new(N, pop.size, NULL, NULL, NULL, NULL, &dp)) return 1;
    /* the population values */
    enum { NG = 2 };
    tally gr[NCASES][(1 + NG) * SOCIND_GR_COUNT];
    tally rh[SOCIND_RH_COUNT + NSEC * SOCIND_RH_SECTOR_COUNT];
    static char names[NCASES * (1 + NG) * SOCIND_GR_COUNT + 64][96];
    int nn = 0;
    memset(gr, 0, sizeof gr);
    memset(rh, 0, sizeof rh);
    for (int c = 0; c < NCASES; c++) {
        socind_poverty_line L = line_of(CASES[c].relative);
        socind_estimate e[(1 + NG) * SOCIND_GR_COUNT];
        if (socind_growth_redistribution(dp, pop.y1, NULL, dp, y2nom, NULL, 0, &L, NULL, RATIO,
                                         CASES[c].alpha, NULL, e) ||
            socind_growth_redistribution(dp, pop.y1, pop.urban, dp, y2nom, pop.urban, NG, &L, NULL,
                                         RATIO, CASES[c].alpha, NULL, e + SOCIND_GR_COUNT))
            return 1;
        for (int j = 0; j < (1 + NG) * SOCIND_GR_COUNT; j++) {
            int g = j / SOCIND_GR_COUNT;
            snprintf(names[nn], sizeof names[nn], "%s %s",
                     g == 0   ? "all"
                     : g == 1 ? "rural"
                              : "urban",
                     GR[j % SOCIND_GR_COUNT]);
            gr[c][j].name = names[nn++];
            gr[c][j].truth = e[j].value;
        }
    }
    socind_poverty_line LA = line_of(0);
    {
        socind_estimate e[SOCIND_RH_COUNT + NSEC * SOCIND_RH_SECTOR_COUNT];
        if (socind_sectoral_decomposition(dp, pop.y1, pop.sector, dp, y2nom, sector2, NSEC, &LA,
                                          NULL, RATIO, 0.0, NULL, e, e + SOCIND_RH_COUNT))
            return 1;
        for (int j = 0; j < SOCIND_RH_COUNT + NSEC * SOCIND_RH_SECTOR_COUNT; j++) {
            if (j < SOCIND_RH_COUNT)
                snprintf(names[nn], sizeof names[nn], "all %s", RH[j]);
            else
                snprintf(names[nn], sizeof names[nn], "sector %d %s",
                         (j - SOCIND_RH_COUNT) / SOCIND_RH_SECTOR_COUNT,
                         RHS[(j - SOCIND_RH_COUNT) % SOCIND_RH_SECTOR_COUNT]);
            rh[j].name = names[nn++];
            rh[j].truth = e[j].value;
        }
    }
    double t_pop = bench_now() - t0;
    /* the replications */
    uint64_t rng = seed ^ 0x5eedULL;
    size_t nmax = (size_t)20 * (size_t)m * (size_t)k;
    double *y1s = malloc(nmax * sizeof *y1s), *y2s = malloc(nmax * sizeof *y2s);
    int32_t *u1 = malloc(nmax * sizeof *u1), *u2 = malloc(nmax * sizeof *u2);
    int32_t *s1 = malloc(nmax * sizeof *s1), *s2 = malloc(nmax * sizeof *s2);
    long failed = 0;
    for (long r = 0; r < reps; r++) {
        sim_sample a, b;
        if (sim_sample_draw(&pop, &rng, m, k, &a) || sim_sample_draw(&pop, &rng, m, k, &b))
            return 1;
        sim_gather_d(&a, pop.y1, y1s);
        sim_gather_d(&b, y2nom, y2s);
        sim_gather_i(&a, pop.urban, u1);
        sim_gather_i(&b, pop.urban, u2);
        sim_gather_i(&a, pop.sector, s1);
        sim_gather_i(&b, sector2, s2);
        socind_design *d1 = NULL, *d2 = NULL;
        if (socind_design_new(a.n, a.weight, a.stratum, a.psu, NULL, NULL, &d1) ||
            socind_design_new(b.n, b.weight, b.stratum, b.psu, NULL, NULL, &d2))
            return 1;
        for (int c = 0; c < NCASES; c++) {
            socind_poverty_line L = line_of(CASES[c].relative);
            socind_estimate e[(1 + NG) * SOCIND_GR_COUNT];
            if (socind_growth_redistribution(d1, y1s, NULL, d2, y2s, NULL, 0, &L, NULL, RATIO,
                                             CASES[c].alpha, NULL, e) ||
                socind_growth_redistribution(d1, y1s, u1, d2, y2s, u2, NG, &L, NULL, RATIO,
                                             CASES[c].alpha, NULL, e + SOCIND_GR_COUNT)) {
                failed++;
                continue;
            }
            for (int j = 0; j < (1 + NG) * SOCIND_GR_COUNT; j++) tally_add(&gr[c][j], &e[j]);
        }
        socind_estimate e[SOCIND_RH_COUNT + NSEC * SOCIND_RH_SECTOR_COUNT];
        if (socind_sectoral_decomposition(d1, y1s, s1, d2, y2s, s2, NSEC, &LA, NULL, RATIO, 0.0,
                                          NULL, e, e + SOCIND_RH_COUNT))
            failed++;
        else
            for (int j = 0; j < SOCIND_RH_COUNT + NSEC * SOCIND_RH_SECTOR_COUNT; j++)
                tally_add(&rh[j], &e[j]);
        socind_design_free(d1);
        socind_design_free(d2);
        sim_sample_free(&a);
        sim_sample_free(&b);
    }
    double t_all = bench_now() - t0;
    printf("bench_change_coverage: %ld replications, seed %llu, population %zu households "
           "(20 strata x 100 PSUs x 50), two independent samples of %d PSUs x %d households a "
           "stratum (%zu rows each), price ratio %.2f; %ld calls failed; population values "
           "%.2f s, total %.1f s\n",
           reps, (unsigned long long)seed, N, m, k, nmax, RATIO, failed, t_pop, t_all);
    printf("  %-44s %12s  %8s  %5s  %s\n", "component", "population", "coverage", "reps",
           "mean SE / SD of estimates");
    int outside = 0, total = 0;
    for (int c = 0; c < NCASES; c++) {
        printf("growth-redistribution, %s:\n", CASES[c].label);
        for (int j = 0; j < (1 + NG) * SOCIND_GR_COUNT; j++, total++)
            tally_print(&gr[c][j], &outside);
    }
    printf("Ravallion-Huppi by sector, FGT0, line 550,000:\n");
    for (int j = 0; j < SOCIND_RH_COUNT + NSEC * SOCIND_RH_SECTOR_COUNT; j++, total++)
        tally_print(&rh[j], &outside);
    printf("%d of %d components outside 93-97 %% (Monte Carlo SE of a 95 %% coverage over %ld "
           "replications: %.2f points)\n",
           outside, total, reps, 100.0 * sqrt(0.95 * 0.05 / (double)reps));
    free(y2nom), free(sector2), free(y1s), free(y2s), free(u1), free(u2), free(s1), free(s2);
    socind_design_free(dp);
    sim_population_free(&pop);
    return 0;
}
