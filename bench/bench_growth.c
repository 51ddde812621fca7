/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench/bench_growth.c — WHO 2006 z-scores: height-for-age (HAZ) on 1 and 2
 * threads at three sizes (time per child and the ratio 1 thread / 2
 * threads), and at the largest size height-for-age and weight-for-height as
 * children/s next to a loop that only reads the same input arrays.
 * Usage: bench_growth [children ...]   (default 100000 1000000 10000000) */
#include "bench_util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "socind/socind.h"

/* one timing of HAZ + flag on the first n children */
static double haz_once(size_t n, socind_growth_input in, int32_t threads, double *z, int32_t *f) {
    socind_growth_output out;
    socind_growth_output_init(&out);
    out.zlen = z, out.flen = f;
    in.threads = threads;
    double t0 = bench_now();
    if (socind_growth_who2006(n, &in, SOCIND_ROUND_WHO, &out) != SOCIND_OK) exit(1);
    return bench_now() - t0;
}

/* best of reps timings of HAZ + flag on the first n children */
static double haz_time(size_t n, socind_growth_input in, int32_t threads, double *z, int32_t *f,
                       int reps) {
    double best = 1e300;
    for (int r = 0; r < reps; r++) {
        double t = haz_once(n, in, threads, z, f);
        best = t < best ? t : best;
    }
    return best;
}

int main(int argc, char **argv) {
    size_t sizes[16] = {100000, 1000000, 10000000};
    int nsizes = 3;
    if (argc > 1) {
        nsizes = 0;
        for (int a = 1; a < argc && nsizes < 16; a++)
            sizes[nsizes++] = (size_t)strtoull(argv[a], NULL, 10);
    }
    size_t n = 0;
    for (int s = 0; s < nsizes; s++) n = sizes[s] > n ? sizes[s] : n;
    int32_t *sex = malloc(n * sizeof *sex), *measure = malloc(n * sizeof *measure);
    double *age = malloc(n * sizeof *age), *weight = malloc(n * sizeof *weight);
    double *lenhei = malloc(n * sizeof *lenhei), *z = malloc(n * sizeof *z);
    double *z2 = malloc(n * sizeof *z2), *z1 = malloc(n * sizeof *z1);
    int32_t *f = malloc(n * sizeof *f), *f1 = malloc(n * sizeof *f1);
    if (!sex || !measure || !age || !weight || !lenhei || !z || !z2 || !z1 || !f || !f1) return 1;
    uint64_t seed = 5;
    for (size_t k = 0; k < n; k++) {
        sex[k] = 1 + (int32_t)(bench_rng(&seed) & 1);
        age[k] = floor(1826.0 * bench_unif(&seed));
        double months = age[k] / 30.4375;
        measure[k] = age[k] < 731 ? SOCIND_MEASURE_LYING : SOCIND_MEASURE_STANDING;
        lenhei[k] = 50.0 + 1.2 * months - 0.004 * months * months + 6.0 * (bench_unif(&seed) - 0.5);
        weight[k] = 3.3 + 0.25 * months + 2.0 * (bench_unif(&seed) - 0.5);
    }
    socind_growth_input in;
    socind_growth_input_init(&in);
    in.sex = sex, in.age = age, in.lenhei = lenhei, in.measure = measure, in.weight = weight;

    printf("bench_growth: height-for-age z + flag (WHO 2006), ages 0-1825 days, best of 51/15/5 "
           "runs\n");
    printf("%12s %12s %12s %10s %10s %8s\n", "children", "1 thread s", "2 threads s", "ns/row 1",
           "ns/row 2", "ratio");
    for (int s = 0; s < nsizes; s++) {
        size_t m = sizes[s];
        /* more repetitions for the small sizes: on a shared machine the
           best of many is the figure that other work disturbs least */
        int reps = m >= 4000000 ? 5 : m >= 400000 ? 15 : 51;
        double t1 = 1e300, t2 = 1e300;
        for (int r = 0; r < reps; r++) { /* alternated: both see the same load */
            double a = haz_once(m, in, 1, z1, f1), b = haz_once(m, in, 2, z, f);
            t1 = a < t1 ? a : t1;
            t2 = b < t2 ? b : t2;
        }
        /* the threads' results are the one thread's, bit for bit */
        if (memcmp(z1, z, m * sizeof *z) || memcmp(f1, f, m * sizeof *f)) {
            printf("2 threads differ from 1 thread at %zu children\n", m);
            return 1;
        }
        printf("%12zu %12.5f %12.5f %10.2f %10.2f %8.2f\n", m, t1, t2, 1e9 * t1 / (double)m,
               1e9 * t2 / (double)m, t1 / t2);
    }

    double t_read, t_haz, t_whz, t_both, sink = 0;
    BENCH_BEST(3, t_read, {
        double s = 0;
        for (size_t k = 0; k < n; k++)
            s += (double)sex[k] + age[k] + lenhei[k] + (double)measure[k];
        sink += s;
    });
    socind_growth_output out;
    t_haz = haz_time(n, in, 1, z, f, 5);
    socind_growth_output_init(&out);
    out.zwfl = z2, out.fwfl = f;
    BENCH_BEST(5, t_whz, socind_growth_who2006(n, &in, SOCIND_ROUND_WHO, &out));
    socind_growth_output_init(&out);
    out.zlen = z, out.zwfl = z2;
    BENCH_BEST(3, t_both, socind_growth_who2006(n, &in, SOCIND_ROUND_WHO, &out));
    size_t stunted = 0;
    for (size_t k = 0; k < n; k++) stunted += z[k] < -2;
    printf("%zu children, 1 thread:\n", n);
    printf("share with HAZ < -2: %.3f\n", (double)stunted / (double)n);
    printf("read-only loop          %8.1f M children/s (%.4f s)\n", n / t_read / 1e6, t_read);
    printf("height-for-age z + flag %8.1f M children/s (%.4f s)  (goal >= 30)\n", n / t_haz / 1e6,
           t_haz);
    printf("weight-for-height z     %8.1f M children/s (%.4f s)\n", n / t_whz / 1e6, t_whz);
    printf("both                    %8.1f M children/s (%.4f s)\n", n / t_both / 1e6, t_both);
    printf("ratio HAZ/read-only     %8.3f\n", t_read / t_haz);
    free(sex), free(measure), free(age), free(weight), free(lenhei), free(z), free(z2), free(z1);
    free(f), free(f1);
    return sink == 1.0;
}
