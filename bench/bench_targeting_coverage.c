/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench/bench_targeting_coverage.c — do socind_targeting's 95 % intervals
 * cover the population value 95 % of the time? Repeated stratified
 * two-stage samples (bench/sim_survey.h) from a synthetic regency whose
 * households receive a programme (the poor more often) and carry a noisy
 * registry decile. Each replication estimates every part (coverage,
 * exclusion, leakage, inclusion, CGH at 40 %, the ten benefit shares) in
 * four settings:
 *
 *   registry   an absolute line, the registry's deciles as the ranking
 *              (fixed groups), benefit amounts                — fixed terms
 *   by region  the same by sub-district (5 domains)           — domains
 *   estimated  the deciles of income estimated from each sample, their
 *              cut points' terms in the SEs (kernel density)  — density terms
 *   relative   0.6 × the median as the line and estimated deciles — the
 *              line's term too
 *
 * and, for comparison, "cuts fixed": the sample's own deciles passed as a
 * ranking, i.e. the shares' SEs without the cut points' terms; and "by
 * region, recipients": the by-region setting without amounts, whose shares
 * are shares of recipients (proportions: the logit interval).
 *
 * The population value is socind_targeting on every household with weight
 * = persons and no strata or PSUs. The benefit is the household's amount
 * per person (benefit / size), so that person weights total the
 * households' amounts.
 *
 * usage: bench_targeting_coverage [replications (1000)] [seed (20261202)] */
#include "bench_util.h" /* first: it sets _POSIX_C_SOURCE */
#include "sim_survey.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "socind/socind.h"

#define K 10
#define C SOCIND_TARGETING_COUNT(K)
#define NREG 5
#define NSET 6

static const char *part_name(int k, char *buf) {
    static const char *const names[5] = {"coverage", "exclusion", "leakage", "inclusion",
                                         "cgh(0.4)"};
    if (k < 5) return names[k];
    sprintf(buf, "share d%d", k - 4);
    return buf;
}

static int check(int32_t st, const char *what) {
    if (st == SOCIND_OK) return 0;
    fprintf(stderr, "%s: %s (%s)\n", what, socind_strerror(st), socind_last_error_detail());
    return 1;
}

int main(int argc, char **argv) {
    const int reps = argc > 1 ? atoi(argv[1]) : 1000;
    const uint64_t seed = argc > 2 ? strtoull(argv[2], NULL, 10) : 20261202ULL;
    const int32_t NS = 20, PPS = 100, HH = 50, M = 10, KH = 12;
    const double ZLINE = 550000.0;
    double t0 = bench_now();
    sim_population pop;
    if (sim_population_make(&pop, seed, NS, PPS, HH)) return 1;
    const size_t N = pop.n_hh;
    double *pb = malloc(N * sizeof *pb), *prec = malloc(N * sizeof *prec);
    for (size_t i = 0; i < N; i++) {
        pb[i] = pop.benefit[i] / pop.size[i];
        prec[i] = pop.recipient[i];
    }
    /* population values */
    socind_poverty_line Labs, Lrel;
    socind_poverty_line_init(&Labs);
    Labs.value = ZLINE;
    socind_poverty_line_init(&Lrel);
    Lrel.type = SOCIND_LINE_RELATIVE_QUANTILE;
    Lrel.value = 0.6;
    socind_design *pd = NULL;
    if (check(socind_design_new(N, pop.size, NULL, NULL, NULL, NULL, &pd), "population")) return 1;
    static socind_estimate pv[NSET][NREG * C], tmp[NREG * C];
    if (check(socind_targeting(pd, pop.y1, &Labs, prec, pb, pop.decile, NULL, 0, NULL, NULL, pv[0]),
              "population registry") ||
        check(socind_targeting(pd, pop.y1, &Labs, prec, pb, pop.decile, pop.region, NREG, NULL,
                               NULL, pv[1]),
              "population by region") ||
        check(socind_targeting(pd, pop.y1, &Labs, prec, pb, NULL, NULL, 0, NULL, NULL, pv[2]),
              "population estimated") ||
        check(socind_targeting(pd, pop.y1, &Lrel, prec, pb, NULL, NULL, 0, NULL, NULL, pv[3]),
              "population relative") ||
        check(socind_targeting(pd, pop.y1, &Labs, prec, NULL, pop.decile, pop.region, NREG, NULL,
                               NULL, pv[5]),
              "population by region, recipients"))
        return 1;
    memcpy(pv[4], pv[2], sizeof pv[2]); /* cuts fixed: the same population values */
    socind_design_free(pd);
    const double t_pop = bench_now() - t0;

    static long hit[NSET][NREG * C], used[NSET][NREG * C];
    static double se_sum[NSET][NREG * C], v_sum[NSET][NREG * C], v_sq[NSET][NREG * C];
    const int nparts[NSET] = {C, NREG * C, C, C, C, NREG * C};
    uint64_t rng = seed ^ 0x5eedULL;
    size_t rows = 0;
    double t1 = bench_now();
    for (int r = 0; r < reps; r++) {
        sim_sample s;
        if (sim_sample_draw(&pop, &rng, M, KH, &s)) return 1;
        const size_t n = s.n;
        rows += n;
        double *y = malloc(n * sizeof *y), *b = malloc(n * sizeof *b), *rc = malloc(n * sizeof *rc);
        int32_t *dec = malloc(n * sizeof *dec), *reg = malloc(n * sizeof *reg),
                *own = malloc(n * sizeof *own);
        sim_gather_d(&s, pop.y1, y);
        sim_gather_d(&s, pb, b);
        sim_gather_d(&s, prec, rc);
        sim_gather_i(&s, pop.decile, dec);
        sim_gather_i(&s, pop.region, reg);
        socind_design *d = NULL;
        if (check(socind_design_new(n, s.weight, s.stratum, s.psu, NULL, NULL, &d), "design"))
            return 1;
        /* the sample's own deciles, as a fixed ranking */
        double q[K];
        for (int g = 1; g < K; g++) {
            socind_estimate e;
            if (check(socind_quantile(d, y, g / (double)K, NULL, 0, NULL, &e), "quantile"))
                return 1;
            q[g] = e.value;
        }
        for (size_t i = 0; i < n; i++) {
            int g = 1;
            while (g < K && y[i] > q[g]) g++;
            own[i] = g;
        }
        for (int set = 0; set < NSET; set++) {
            int32_t st;
            switch (set) {
            case 0:
                st = socind_targeting(d, y, &Labs, rc, b, dec, NULL, 0, NULL, NULL, tmp);
                break;
            case 1:
                st = socind_targeting(d, y, &Labs, rc, b, dec, reg, NREG, NULL, NULL, tmp);
                break;
            case 2:
                st = socind_targeting(d, y, &Labs, rc, b, NULL, NULL, 0, NULL, NULL, tmp);
                break;
            case 3:
                st = socind_targeting(d, y, &Lrel, rc, b, NULL, NULL, 0, NULL, NULL, tmp);
                break;
            case 4:
                st = socind_targeting(d, y, &Labs, rc, b, own, NULL, 0, NULL, NULL, tmp);
                break;
            default:
                st = socind_targeting(d, y, &Labs, rc, NULL, dec, reg, NREG, NULL, NULL, tmp);
                break;
            }
            if (check(st, "sample")) return 1;
            for (int k = 0; k < nparts[set]; k++) {
                const socind_estimate *e = &tmp[k];
                if (e->status != SOCIND_OK || pv[set][k].status != SOCIND_OK) continue;
                used[set][k]++;
                hit[set][k] += e->ci_low <= pv[set][k].value && pv[set][k].value <= e->ci_high;
                se_sum[set][k] += e->se;
                v_sum[set][k] += e->value;
                v_sq[set][k] += e->value * e->value;
            }
        }
        socind_design_free(d);
        free(y), free(b), free(rc), free(dec), free(reg), free(own);
        sim_sample_free(&s);
    }
    const double t_run = bench_now() - t1;
    printf("bench_targeting_coverage: %d replications, seed %llu; population %zu households "
           "(%d strata x %d PSUs x %d), samples of %d PSUs x %d households a stratum (%zu rows); "
           "line %.0f\n",
           reps, (unsigned long long)seed, N, NS, PPS, HH, M, KH, rows / (size_t)(reps ? reps : 1),
           ZLINE);
    printf("population %.2f s, replications %.2f s (%.1f ms each, 6 settings)\n", t_pop, t_run,
           1e3 * t_run / (reps ? reps : 1));
    static const char *const sets[NSET] = {"registry",
                                           "by region (5 domains, pooled)",
                                           "estimated deciles",
                                           "relative line 0.6 x median",
                                           "cuts fixed (no cut terms)",
                                           "by region, shares of recipients (logit)"};
    int outside = 0;
    for (int set = 0; set < NSET; set++) {
        printf("\n%s\n  %-12s %10s %9s %9s %9s %8s\n", sets[set], "part", "pop value", "mean SE",
               "SD(est)", "SE/SD", "cover");
        long H = 0, U = 0;
        for (int k = 0; k < C; k++) {
            /* by region: the five domains' counts pooled per part */
            long h = 0, u = 0;
            double ses = 0, vs = 0, vq = 0, pvv = 0;
            int nd = set == 1 || set == 5 ? NREG : 1;
            for (int j = 0; j < nd; j++) {
                int idx = j * C + k;
                h += hit[set][idx], u += used[set][idx];
                ses += se_sum[set][idx];
                if (nd == 1) vs = v_sum[set][idx], vq = v_sq[set][idx], pvv = pv[set][idx].value;
            }
            H += h, U += u;
            char buf[32];
            double cover = u ? (double)h / (double)u : NAN;
            if (nd == 1 && u > 1) {
                double mean = vs / u, sd = sqrt((vq - u * mean * mean) / (u - 1));
                printf("  %-12s %10.4f %9.4f %9.4f %9.3f %7.1f%%\n", part_name(k, buf), pvv,
                       ses / u, sd, ses / u / sd, 100 * cover);
            } else {
                printf("  %-12s %10s %9.4f %9s %9s %7.1f%%  (%ld estimates)\n", part_name(k, buf),
                       "-", u ? ses / u : NAN, "-", "-", 100 * cover, u);
            }
            if (set != 4 && u >= 1000 && !(cover >= 0.93 && cover <= 0.97)) {
                outside++;
                fprintf(stderr, "outside 93-97 %%: %s, %s: %.1f%%\n", sets[set], part_name(k, buf),
                        100 * cover);
            }
        }
        printf("  all parts: %.2f%% of %ld intervals\n", U ? 100.0 * H / U : NAN, U);
    }
    printf("\nparts outside 93-97 %% (every setting but \"cuts fixed\"): %d\n", outside);
    free(pb), free(prec);
    sim_population_free(&pop);
    return 0;
}
