/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench/bench_nutrition.c — the full WHO prevalence table with CIs for one
 * million children in 20 strata × 60 clusters, measurements in, table out
 * (anthro's design built from the columns, then the table), next to the
 * table on a design built once and the z-scores alone. Usage:
 * bench_nutrition [children] */
#include "bench_util.h"

#include <math.h>
#include <stdlib.h>

#include "socind/socind.h"

int main(int argc, char **argv) {
    size_t n = argc > 1 ? (size_t)strtoull(argv[1], NULL, 10) : 1000000;
    int32_t *sex = malloc(n * sizeof *sex), *meas = malloc(n * sizeof *meas);
    int32_t *oed = malloc(n * sizeof *oed);
    double *age = malloc(n * sizeof *age), *wt = malloc(n * sizeof *wt);
    double *lh = malloc(n * sizeof *lh), *sw = malloc(n * sizeof *sw), *z[4];
    int64_t *strata = malloc(n * sizeof *strata), *cluster = malloc(n * sizeof *cluster);
    int32_t *f[4];
    for (int i = 0; i < 4; i++)
        z[i] = malloc(n * sizeof(double)), f[i] = malloc(n * sizeof(int32_t));
    uint64_t seed = 9;
    for (size_t k = 0; k < n; k++) {
        strata[k] = (int64_t)(k * 20 / n);
        cluster[k] = (int64_t)((k * 1200 / n) % 60); /* 60 clusters per stratum, numbered 0..59 */
        sex[k] = 1 + (int32_t)(bench_rng(&seed) & 1);
        age[k] = floor(1826.0 * bench_unif(&seed));
        double mo = age[k] / 30.4375;
        meas[k] = age[k] < 731 ? 1 : 2;
        /* roughly WHO's medians, a little short and light, with noise */
        double g1 = sqrt(-2.0 * log(bench_unif(&seed) + 1e-300)) *
                    cos(6.283185307179586 * bench_unif(&seed));
        double g2 = sqrt(-2.0 * log(bench_unif(&seed) + 1e-300)) *
                    cos(6.283185307179586 * bench_unif(&seed));
        lh[k] = 49.5 + 7.9 * sqrt(mo) + (1.0 + 0.04 * mo) * (g1 - 1.0);
        wt[k] = 3.3 + 1.75 * sqrt(mo) + (0.4 + 0.02 * mo) * (g2 - 0.4);
        oed[k] = bench_unif(&seed) < 0.005;
        sw[k] = 200.0 + 800.0 * bench_unif(&seed);
    }
    socind_growth_input in;
    socind_growth_input_init(&in);
    in.sex = sex, in.age = age, in.weight = wt, in.lenhei = lh, in.measure = meas, in.oedema = oed;
    socind_growth_output out;
    socind_growth_output_init(&out);
    out.zlen = z[0], out.zwei = z[1], out.zbmi = z[2], out.zwfl = z[3];
    out.flen = f[0], out.fwei = f[1], out.fbmi = f[2], out.fwfl = f[3];
    double t_z, t_table, t_only;
    BENCH_BEST(3, t_z, socind_growth_who2006(n, &in, SOCIND_ROUND_WHO, &out));
    /* anthro's design: lonely PSUs "adjust", clusters numbered within strata */
    socind_design_options dopt;
    socind_design_options_init(&dopt);
    dopt.lonely_psu = SOCIND_LONELY_ADJUST;
    dopt.nest = 1;
    socind_prevalence_table *t = NULL;
    socind_design *d = NULL;
    BENCH_BEST(3, t_table, {
        socind_prevalence_table_free(t);
        socind_design_free(d);
        t = NULL;
        d = NULL;
        if (socind_design_new(n, sw, strata, cluster, NULL, &dopt, &d) != SOCIND_OK ||
            socind_prevalence_who2006(d, &in, NULL, 0, NULL, &t) != SOCIND_OK) {
            fprintf(stderr, "prevalence: %s\n", socind_last_error_detail());
            return 1;
        }
    });
    BENCH_BEST(3, t_only, {
        socind_prevalence_table_free(t);
        t = NULL;
        if (socind_prevalence_who2006(d, &in, NULL, 0, NULL, &t) != SOCIND_OK) return 1;
    });
    socind_design_free(d);
    socind_prevalence_row r;
    socind_prevalence_row_init(&r);
    socind_prevalence_table_row(t, 1, &r);
    printf("bench_nutrition: %zu children, 20 strata x 60 clusters, %zu table rows\n", n,
           socind_prevalence_table_nrows(t));
    printf("stunting %.4f (SE %.4f, 95%% CI %.4f-%.4f)\n", r.est.value, r.est.se, r.est.ci_low,
           r.est.ci_high);
    printf("z-scores only (HAZ, WAZ, BMIZ, WHZ)  %.3f s\n", t_z);
    printf("full prevalence table with CIs       %.3f s  (goal < 0.5 s; the design included)\n",
           t_table);
    printf("  the table on a design built once   %.3f s\n", t_only);
    socind_prevalence_table_free(t);
    free(sex), free(meas), free(oed), free(age), free(wt), free(lh), free(sw), free(strata);
    free(cluster);
    for (int i = 0; i < 4; i++) free(z[i]), free(f[i]);
    return 0;
}
