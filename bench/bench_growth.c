/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench/bench_growth.c — height-for-age and weight-for-height z-scores
 * (WHO 2006) for 10 million children, as children/s, next to a loop that only
 * reads the same input arrays. Usage: bench_growth [children] */
#include "bench_util.h"

#include <math.h>
#include <stdlib.h>

#include "socind/socind.h"

int main(int argc, char **argv) {
    size_t n = argc > 1 ? (size_t)strtoull(argv[1], NULL, 10) : 10000000;
    int32_t *sex = malloc(n * sizeof *sex), *measure = malloc(n * sizeof *measure);
    double *age = malloc(n * sizeof *age), *weight = malloc(n * sizeof *weight);
    double *lenhei = malloc(n * sizeof *lenhei), *z = malloc(n * sizeof *z);
    double *z2 = malloc(n * sizeof *z2);
    int32_t *f = malloc(n * sizeof *f);
    if (!sex || !measure || !age || !weight || !lenhei || !z || !z2 || !f) return 1;
    uint64_t seed = 5;
    for (size_t k = 0; k < n; k++) {
        sex[k] = 1 + (int32_t)(bench_rng(&seed) & 1);
        age[k] = floor(1826.0 * bench_unif(&seed));
        double months = age[k] / 30.4375;
        measure[k] = age[k] < 731 ? SOCIND_MEASURE_LYING : SOCIND_MEASURE_STANDING;
        lenhei[k] = 50.0 + 1.2 * months - 0.004 * months * months + 6.0 * (bench_unif(&seed) - 0.5);
        weight[k] = 3.3 + 0.25 * months + 2.0 * (bench_unif(&seed) - 0.5);
    }
    printf("bench_growth: %zu children, ages 0-1825 days\n", n);
    double t_read, t_haz, t_whz, t_both, sink = 0;
    BENCH_BEST(3, t_read, {
        double s = 0;
        for (size_t k = 0; k < n; k++)
            s += (double)sex[k] + age[k] + lenhei[k] + (double)measure[k];
        sink += s;
    });
    socind_growth_input in;
    socind_growth_output out;
    socind_growth_input_init(&in);
    in.sex = sex, in.age = age, in.lenhei = lenhei, in.measure = measure, in.weight = weight;
    socind_growth_output_init(&out);
    out.zlen = z, out.flen = f;
    BENCH_BEST(5, t_haz, socind_growth_who2006(n, &in, SOCIND_ROUND_WHO, &out));
    socind_growth_output_init(&out);
    out.zwfl = z2, out.fwfl = f;
    BENCH_BEST(5, t_whz, socind_growth_who2006(n, &in, SOCIND_ROUND_WHO, &out));
    socind_growth_output_init(&out);
    out.zlen = z, out.zwfl = z2;
    BENCH_BEST(3, t_both, socind_growth_who2006(n, &in, SOCIND_ROUND_WHO, &out));
    size_t stunted = 0;
    for (size_t k = 0; k < n; k++) stunted += z[k] < -2;
    printf("share with HAZ < -2: %.3f\n", (double)stunted / (double)n);
    printf("read-only loop          %8.1f M children/s (%.4f s)\n", n / t_read / 1e6, t_read);
    printf("height-for-age z + flag %8.1f M children/s (%.4f s)  (goal >= 30)\n", n / t_haz / 1e6,
           t_haz);
    printf("weight-for-height z     %8.1f M children/s (%.4f s)\n", n / t_whz / 1e6, t_whz);
    printf("both                    %8.1f M children/s (%.4f s)\n", n / t_both / 1e6, t_both);
    printf("ratio HAZ/read-only     %8.3f\n", t_read / t_haz);
    free(sex), free(measure), free(age), free(weight), free(lenhei), free(z), free(z2), free(f);
    return sink == 1.0;
}
