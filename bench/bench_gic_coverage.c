/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench/bench_gic_coverage.c — coverage of the growth incidence curve's 95 %
 * intervals (socind_growth_incidence) over repeated pairs of independent
 * samples from the synthetic regency of sim_survey.h.
 *
 * Population: sim_population_make(seed 42, 20 strata × 100 PSUs × 50
 * households); round 1's incomes y1, round 2's y2 × 1.05 (round 2 at
 * prices 5 % higher, price ratio r = 1.05). The population values are
 * socind_growth_incidence on every household, weight = size, no strata or
 * PSUs, both rounds the whole population.
 * Each replication draws two independent samples (by default 10 PSUs with
 * replacement per stratum, 10 households in each: 2,000 households a round,
 * df 180 + 180)
 * and computes the curve at 7 percentiles and the summaries, against an
 * absolute line of 550,000 and against a relative one (0.6 × round 1's
 * median, estimated), and counts how often each 95 % interval covers the
 * population value.
 *
 * It also prints the plain weighted sum's rate (bench_util.h's baseline)
 * and the ratio of its time for a call's rows to the call's time.
 *
 * usage: bench_gic_coverage [replications (default 1000)] [seed (default 2026)]
 *        [PSUs per stratum (default 10)] [households per PSU (default 10)] */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>

#include "sim_survey.h"
#include "socind/socind.h"

#define NP 7
static const double P[NP] = {0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95};
#define PRICE 1.05

static const char *const SUMMARY[SOCIND_GIC_COUNT] = {"mean_growth", "mean_poor_growth",
                                                      "pro_poor_growth", "headcount"};

int main(int argc, char **argv) {
    long reps = argc > 1 ? atol(argv[1]) : 1000;
    uint64_t seed = argc > 2 ? (uint64_t)atoll(argv[2]) : 2026;
    const int32_t M_PSU = argc > 3 ? atoi(argv[3]) : 10, K_HH = argc > 4 ? atoi(argv[4]) : 10;
    double t0 = bench_now();
    sim_population pop;
    if (sim_population_make(&pop, 42, 20, 100, 50)) return fprintf(stderr, "no memory\n"), 1;
    const size_t N = pop.n_hh;
    double *y2p = malloc(N * sizeof *y2p);
    for (size_t i = 0; i < N; i++) y2p[i] = PRICE * pop.y2[i];
    socind_design *dpop = NULL;
    if (socind_design_new(N, pop.size, NULL, NULL, NULL, NULL, &dpop)) return 1;
    socind_poverty_line lines[2];
    for (int l = 0; l < 2; l++) socind_poverty_line_init(&lines[l]);
    lines[0].value = 550000.0;
    lines[1].type = SOCIND_LINE_RELATIVE_QUANTILE;
    lines[1].value = 0.6;
    socind_estimate truth_c[2][NP], truth_s[2][SOCIND_GIC_COUNT];
    for (int l = 0; l < 2; l++)
        if (socind_growth_incidence(dpop, pop.y1, NULL, dpop, y2p, NULL, 0, PRICE, P, NP, &lines[l],
                                    NULL, truth_c[l], truth_s[l]))
            return fprintf(stderr, "population: %s\n", socind_last_error_detail()), 1;
    socind_design_free(dpop);
    long cover_c[2][NP] = {{0}}, cover_s[2][SOCIND_GIC_COUNT] = {{0}};
    long valid_c[2][NP] = {{0}}, valid_s[2][SOCIND_GIC_COUNT] = {{0}};
    double sum_se_s[2][SOCIND_GIC_COUNT] = {{0}}, sum_v[2][SOCIND_GIC_COUNT] = {{0}},
           sum_v2[2][SOCIND_GIC_COUNT] = {{0}};
    double sum_se_c[2][NP] = {{0}}, sum_vc[2][NP] = {{0}}, sum_vc2[2][NP] = {{0}};
    uint64_t rng = seed;
    double tcall = 0.0;
    for (long rep = 0; rep < reps; rep++) {
        sim_sample s[2];
        double *y[2];
        socind_design *d[2];
        for (int t = 0; t < 2; t++) {
            if (sim_sample_draw(&pop, &rng, M_PSU, K_HH, &s[t])) return 1;
            y[t] = malloc(s[t].n * sizeof *y[t]);
            sim_gather_d(&s[t], t ? y2p : pop.y1, y[t]);
            if (socind_design_new(s[t].n, s[t].weight, s[t].stratum, s[t].psu, NULL, NULL, &d[t]))
                return 1;
        }
        for (int l = 0; l < 2; l++) {
            socind_estimate c[NP], sm[SOCIND_GIC_COUNT];
            double tc = bench_now();
            int32_t st = socind_growth_incidence(d[0], y[0], NULL, d[1], y[1], NULL, 0, PRICE, P,
                                                 NP, &lines[l], NULL, c, sm);
            tcall += bench_now() - tc;
            if (st) return fprintf(stderr, "rep %ld: %s\n", rep, socind_last_error_detail()), 1;
            for (int j = 0; j < NP; j++) {
                if (c[j].status) continue;
                valid_c[l][j]++;
                cover_c[l][j] +=
                    c[j].ci_low <= truth_c[l][j].value && truth_c[l][j].value <= c[j].ci_high;
                sum_se_c[l][j] += c[j].se;
                sum_vc[l][j] += c[j].value;
                sum_vc2[l][j] += c[j].value * c[j].value;
            }
            for (int k = 0; k < SOCIND_GIC_COUNT; k++) {
                if (sm[k].status) continue;
                valid_s[l][k]++;
                cover_s[l][k] +=
                    sm[k].ci_low <= truth_s[l][k].value && truth_s[l][k].value <= sm[k].ci_high;
                sum_se_s[l][k] += sm[k].se;
                sum_v[l][k] += sm[k].value;
                sum_v2[l][k] += sm[k].value * sm[k].value;
            }
        }
        for (int t = 0; t < 2; t++) {
            socind_design_free(d[t]);
            free(y[t]);
            sim_sample_free(&s[t]);
        }
    }
    double elapsed = bench_now() - t0;
    /* the baseline every benchmark prints: the plain weighted sum Σ w·y
       (bench_util.h) over the population's arrays, its rate applied to a
       call's rows against the call's time */
    double t_plain;
    volatile double sink = 0.0;
    BENCH_BEST(20, t_plain, sink += bench_plain_sum(pop.size, pop.y1, N));
    (void)sink;
    const double call_rows = 2.0 * 20 * M_PSU * K_HH, t_per_call = tcall / (2.0 * (double)reps);
    printf("bench_gic_coverage: %ld replications (seed %llu), population %zu households "
           "(seed 42, 20 x 100 x 50), samples %d PSUs x %d households per stratum and round, "
           "price ratio %.2f\n",
           reps, (unsigned long long)seed, N, M_PSU, K_HH, PRICE);
    for (int l = 0; l < 2; l++) {
        printf("\nline: %s\n",
               l ? "relative, 0.6 x round 1's median (estimated)" : "absolute, 550,000");
        printf("  %-18s %12s %10s %10s %10s\n", "estimate", "population", "coverage", "mean SE",
               "SD");
        for (int j = 0; j < NP; j++) {
            double v = valid_c[l][j] ? (double)valid_c[l][j] : 1.0;
            double m = sum_vc[l][j] / v, sd = sqrt(fmax(sum_vc2[l][j] / v - m * m, 0.0));
            printf("  gic p=%-12.2f %12.5f %9.1f%% %10.5f %10.5f  (%ld valid)\n", P[j],
                   truth_c[l][j].value, 100.0 * cover_c[l][j] / v, sum_se_c[l][j] / v, sd,
                   valid_c[l][j]);
        }
        for (int k = 0; k < SOCIND_GIC_COUNT; k++) {
            double v = valid_s[l][k] ? (double)valid_s[l][k] : 1.0;
            double m = sum_v[l][k] / v, sd = sqrt(fmax(sum_v2[l][k] / v - m * m, 0.0));
            printf("  %-18s %12.5f %9.1f%% %10.5f %10.5f  (%ld valid)\n", SUMMARY[k],
                   truth_s[l][k].value, 100.0 * cover_s[l][k] / v, sum_se_s[l][k] / v, sd,
                   valid_s[l][k]);
        }
    }
    printf("\ntime: %.1f s in all, %.2f ms per socind_growth_incidence call (%d + %d rows, 7 "
           "points and the summaries)\n",
           elapsed, 1e3 * t_per_call, 20 * M_PSU * K_HH, 20 * M_PSU * K_HH);
    printf("plain weighted sum: %.1f Mrows/s (%zu rows in %.6f s); ratio to plain %.5f (the "
           "plain sum's time for a call's %.0f rows over the call's)\n",
           (double)N / t_plain / 1e6, N, t_plain, t_plain * call_rows / (double)N / t_per_call,
           call_rows);
    sim_population_free(&pop);
    free(y2p);
    return 0;
}
