/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench/bench_domains.c — estimates by many small domains: FGT0 against a
 * fixed line and against 60% of the median, the Gini coefficient and the
 * median (then, with "all", the other families: Watts, the FGT
 * decomposition, the profile, a mean, the GE decomposition, the WHO
 * prevalence table and the growth–redistribution decomposition of a
 * second round, fixed and relative line, on the same design) for G = 5k, 10k, 20k, 40k and 100k
 * groups on n = 8·G rows, two rows per PSU (PSUs = n/2), ten strata (stratum = PSU mod 10) and each
 * row in a random group. Each line prints the seconds of one call and the time per (row + group +
 * PSU): constant when the cost is linear in rows, groups and PSUs. A plain weighted sum of the same
 * rows is printed as the usual baseline. Usage: bench_domains [max_groups [reps [all]]] (defaults
 * 100000 and 3). */
#include "bench_util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "socind/socind.h"

int main(int argc, char **argv) {
    long gmax = argc > 1 ? strtol(argv[1], NULL, 10) : 100000;
    int reps = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 3;
    int all = argc > 3 && strcmp(argv[3], "all") == 0;
    if (reps < 1) reps = 1;
    static const long sizes[] = {5000, 10000, 20000, 40000, 100000};
    printf("bench_domains: n = 8 G rows, PSUs = n/2, 10 strata, random groups; best of %d\n", reps);
    printf("%7s %8s %8s  %-22s %10s %14s\n", "G", "rows", "PSUs", "estimate", "seconds",
           "ns/(n+G+PSU)");
    for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++) {
        long G = sizes[si];
        if (G > gmax) break;
        size_t n = (size_t)G * 8;
        double *w = malloc(n * sizeof *w), *y = malloc(n * sizeof *y);
        int64_t *strata = malloc(n * sizeof *strata), *psu = malloc(n * sizeof *psu);
        int32_t *g = malloc(n * sizeof *g);
        socind_estimate *e = malloc((size_t)G * sizeof *e);
        if (!w || !y || !strata || !psu || !g || !e) return 1;
        uint64_t seed = 42;
        for (size_t k = 0; k < n; k++) {
            psu[k] = (int64_t)(k / 2);
            strata[k] = psu[k] % 10;
            w[k] = 50.0 + 400.0 * bench_unif(&seed);
            double u1 = bench_unif(&seed) + 1e-12, u2 = bench_unif(&seed);
            y[k] = exp(12.0 + 0.6 * sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2));
            g[k] = (int32_t)(bench_rng(&seed) % (uint64_t)G);
        }
        socind_design *d = NULL;
        if (socind_design_new(n, w, strata, psu, NULL, NULL, &d) != SOCIND_OK) return 1;
        socind_poverty_line L, R;
        socind_poverty_line_init(&L);
        L.value = 150000;
        socind_poverty_line_init(&R);
        R.type = SOCIND_LINE_RELATIVE_QUANTILE;
        R.value = 0.6;
        double units = (double)n + (double)G + (double)socind_design_npsu(d);
        double t, sink = 0;
        int32_t st = SOCIND_OK;
        BENCH_BEST(reps, t, sink += bench_plain_sum(w, y, n));
        printf("%7ld %8zu %8zu  %-22s %10.4f %14.2f\n", G, n, socind_design_npsu(d),
               "plain weighted sum", t, t / units * 1e9);
#define ROW(label, call)                                                                           \
    do {                                                                                           \
        BENCH_BEST(reps, t, st |= (call));                                                         \
        printf("%7ld %8zu %8zu  %-22s %10.4f %14.2f\n", G, n, socind_design_npsu(d), label, t,     \
               t / units * 1e9);                                                                   \
        fflush(stdout);                                                                            \
    } while (0)
        ROW("FGT0, fixed line", socind_fgt(d, y, &L, 0, g, (int32_t)G, NULL, e));
        ROW("FGT0, 60% of median", socind_fgt(d, y, &R, 0, g, (int32_t)G, NULL, e));
        ROW("Gini", socind_gini(d, y, g, (int32_t)G, NULL, e));
        ROW("median", socind_quantile(d, y, 0.5, g, (int32_t)G, NULL, e));
        if (all) {
            socind_estimate *e5 = malloc(SOCIND_FGTDEC_COUNT * (size_t)G * sizeof *e5);
            if (!e5) return 1;
            ROW("Watts, fixed line",
                socind_watts(d, y, &L, SOCIND_NONPOS_ERROR, g, (int32_t)G, NULL, e));
            ROW("FGT dec. (2), relative",
                socind_fgt_decomposition(d, y, &R, 2.0, g, (int32_t)G, NULL, e5));
            ROW("profile FGT0, fixed",
                socind_poverty_profile(d, y, &L, 0.0, g, (int32_t)G, NULL, e5));
            ROW("profile FGT0, relative",
                socind_poverty_profile(d, y, &R, 0.0, g, (int32_t)G, NULL, e5));
            ROW("mean", socind_mean(d, y, g, (int32_t)G, NULL, e));
            ROW("GE(2) decomposition",
                socind_ge_decomposition(d, y, 2.0, SOCIND_NONPOS_ERROR, g, (int32_t)G, NULL, e5));
            /* children: the same rows as clusters within strata */
            int32_t *sex = malloc(n * sizeof *sex), *meas = malloc(n * sizeof *meas);
            double *age = malloc(n * sizeof *age), *wt = malloc(n * sizeof *wt),
                   *lh = malloc(n * sizeof *lh);
            if (!sex || !meas || !age || !wt || !lh) return 1;
            for (size_t k = 0; k < n; k++) {
                sex[k] = 1 + (int32_t)(bench_rng(&seed) & 1);
                age[k] = floor(1826.0 * bench_unif(&seed));
                double mo = age[k] / 30.4375;
                meas[k] = age[k] < 731 ? 1 : 2;
                lh[k] = 49.5 + 7.9 * sqrt(mo) + (1.0 + 0.04 * mo) * (bench_unif(&seed) - 1.5);
                wt[k] = 3.3 + 1.75 * sqrt(mo) + (0.4 + 0.02 * mo) * (bench_unif(&seed) - 0.9);
            }
            socind_growth_input in;
            socind_growth_input_init(&in);
            in.sex = sex, in.age = age, in.weight = wt, in.lenhei = lh, in.measure = meas;
            socind_prevalence_table *tab = NULL;
            ROW("WHO prevalence table",
                (socind_prevalence_table_free(tab), tab = NULL,
                 socind_prevalence_who2006(d, &in, g, (int32_t)G, NULL, &tab)));
            socind_prevalence_table_free(tab);
            free(sex), free(meas), free(age), free(wt), free(lh);
            /* why poverty changed, by group: round 2 the same design with
               incomes grown unevenly */
            socind_estimate *eg = malloc(SOCIND_GR_COUNT * (size_t)G * sizeof *eg);
            double *y2 = malloc(n * sizeof *y2);
            if (!eg || !y2) return 1;
            for (size_t k = 0; k < n; k++) y2[k] = y[k] * (1.02 + 0.1 * bench_unif(&seed));
            ROW("GR decomp., fixed", socind_growth_redistribution(d, y, g, d, y2, g, (int32_t)G, &L,
                                                                  NULL, 1.05, 0.0, NULL, eg));
            ROW("GR decomp., relative",
                socind_growth_redistribution(d, y, g, d, y2, g, (int32_t)G, &R, NULL, 1.05, 0.0,
                                             NULL, eg));
            free(eg), free(y2);
            free(e5);
        }
#undef ROW
        if (st != SOCIND_OK) printf("  (a call failed: status %d)\n", (int)st);
        socind_design_free(d);
        free(w), free(y), free(strata), free(psu), free(g), free(e);
        if (sink == 1.0) printf(" ");
    }
    return 0;
}
