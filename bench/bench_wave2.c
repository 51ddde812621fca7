/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench/bench_wave2.c — the estimators of R's convey added in the second
 * wave (and DASP's Sen and SST), each with its SE, overall and in 20
 * domains, on 10 million rows with strata and PSUs: time, rows/s and the
 * ratio to the plain weighted sum (one-pass measures) or to the Gini
 * (rank-based ones: they sort or select), measured in the same run.
 * Usage: bench_wave2 [rows] */
#include "bench_util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "socind/socind.h"

enum { G = 20 };

int main(int argc, char **argv) {
    size_t n = argc > 1 ? (size_t)strtoull(argv[1], NULL, 10) : 10000000;
    double *w = malloc(n * sizeof *w), *y = malloc(n * sizeof *y), *age = malloc(n * sizeof *age);
    int64_t *strata = malloc(n * sizeof *strata), *psu = malloc(n * sizeof *psu);
    int32_t *sex = malloc(n * sizeof *sex), *grp = malloc(n * sizeof *grp);
    if (!w || !y || !age || !strata || !psu || !sex || !grp) return 1;
    uint64_t seed = 77;
    for (size_t k = 0; k < n; k++) {
        psu[k] = (int64_t)(k / 1000);
        strata[k] = (int64_t)(k / 50000);
        grp[k] = (int32_t)((k / 1000) % G); /* whole PSUs */
        w[k] = 50.0 + 400.0 * bench_unif(&seed);
        double u1 = bench_unif(&seed) + 1e-12, u2 = bench_unif(&seed);
        y[k] = round(exp(13.7 + 0.55 * sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2)));
        sex[k] = 1 + (bench_unif(&seed) < 0.5);
        age[k] = floor(90.0 * bench_unif(&seed));
    }
    socind_design *d = NULL;
    if (socind_design_new(n, w, strata, psu, NULL, NULL, &d) != SOCIND_OK) return 1;
    socind_poverty_line L, rich;
    socind_poverty_line_init(&L);
    L.value = 600000.0;
    socind_poverty_line_init(&rich);
    rich.type = SOCIND_LINE_RELATIVE_QUANTILE;
    rich.value = 1.5;
    rich.quantile = 0.5;
    static socind_estimate e[G * 4];
    double t_plain, t_gini, t, sink = 0;
    BENCH_BEST(5, t_plain, sink += bench_plain_sum(w, y, n));
    BENCH_BEST(3, t_gini, socind_gini(d, y, NULL, 0, NULL, e));
    printf("bench_wave2: %zu rows, %zu PSUs, %zu strata, %d domains\n", n, socind_design_npsu(d),
           socind_design_nstrata(d), G);
    printf("plain weighted sum            %8.1f Mrows/s (%.4f s)\n", n / t_plain / 1e6, t_plain);
    printf("Gini + SE                     %8.1f Mrows/s (%.4f s)\n", n / t_gini / 1e6, t_gini);
#define ROW(label, rank, call)                                                                     \
    do {                                                                                           \
        int32_t st_ = SOCIND_OK;                                                                   \
        BENCH_BEST(3, t, st_ = (call));                                                            \
        printf("%-29s %8.1f Mrows/s (%.4f s)  %s %.2f%s\n", label, n / t / 1e6, t,                 \
               rank ? "time/Gini" : "plain/time", rank ? t / t_gini : t_plain / t,                 \
               st_ ? "  (failed)" : "");                                                           \
    } while (0)
    ROW("jdiv", 0, socind_jdiv(d, y, SOCIND_NONPOS_ERROR, NULL, 0, NULL, e));
    ROW("jdiv, 20 domains", 0, socind_jdiv(d, y, SOCIND_NONPOS_ERROR, grp, G, NULL, e));
    ROW("jdiv decomposition, 20 groups", 0,
        socind_jdiv_decomposition(d, y, SOCIND_NONPOS_ERROR, grp, G, NULL, e));
    ROW("zenga", 1, socind_zenga(d, y, SOCIND_NONPOS_ERROR, NULL, 0, NULL, e));
    ROW("gender pay gap", 0, socind_gender_pay_gap(d, y, sex, NULL, 0, NULL, e));
    ROW("gender pay gap, 20 domains", 0, socind_gender_pay_gap(d, y, sex, grp, G, NULL, e));
    ROW("iqalpha 0.5 (density SE)", 1, socind_quantile_linearized(d, y, 0.5, NULL, 0, NULL, e));
    ROW("isq 0.2", 1, socind_quantile_income_total(d, y, 0.2, 0, NULL, 0, NULL, e));
    ROW("rmir (age 65)", 1, socind_median_income_ratio(d, y, age, 65.0, NULL, 0, NULL, e));
    ROW("poormed", 1, socind_poor_median(d, y, 0.6, 0.5, NULL, 0, NULL, e));
    ROW("rmpg", 1, socind_relative_median_gap(d, y, 0.6, 0.5, NULL, 0, NULL, e));
    ROW("rich Cha g=1, 1.5 x median", 1,
        socind_richness(d, y, &rich, SOCIND_RICH_CHA, 1.0, NULL, 0, NULL, e));
    ROW("sen", 1, socind_sen(d, y, &L, NULL, 0, NULL, e));
    ROW("sst", 1, socind_sst(d, y, &L, NULL, 0, NULL, e));
    ROW("sst, 20 domains", 1, socind_sst(d, y, &L, grp, G, NULL, e));
    socind_design_free(d);
    free(w), free(y), free(age), free(strata), free(psu), free(sex), free(grp);
    return sink == 1.0;
}
