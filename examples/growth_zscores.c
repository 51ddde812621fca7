/* SPDX-License-Identifier: GPL-3.0-or-later */
/* examples/growth_zscores.c — WHO 2006 z-scores and flags for a few children
 * (columns in, columns out), the one-child call, and a count of the rows
 * that carried a data problem.
 *
 *   cc growth_zscores.c $(pkg-config --cflags --libs socind) -o growth_zscores
 */
#include <math.h>
#include <stdio.h>

#include <socind/socind.h>

int main(void) {
    enum { N = 6 };
    const int32_t sex[N] = {1, 2, 2, 1, 3, 2};
    const double age_days[N] = {120, 400, 731, 1500, 800, 250};
    const double weight[N] = {5.9, 8.1, 10.2, 14.9, 11.0, 7.4};
    const double lenhei[N] = {61.0, 71.5, 80.3, 99.0, 84.0, 66.0};
    const int32_t measure[N] = {SOCIND_MEASURE_LYING,    SOCIND_MEASURE_LYING,
                                SOCIND_MEASURE_LYING,    SOCIND_MEASURE_STANDING,
                                SOCIND_MEASURE_STANDING, SOCIND_MEASURE_STANDING};
    const int32_t oedema[N] = {0, 0, 0, 0, 0, 1};
    double zlen[N], zwei[N], zwfl[N], clenhei[N];
    int32_t flen[N], fwei[N], fwfl[N], reason[N];

    socind_growth_input in;
    socind_growth_output out;
    socind_growth_input_init(&in);
    socind_growth_output_init(&out);
    in.sex = sex, in.age = age_days, in.weight = weight, in.lenhei = lenhei;
    in.measure = measure, in.oedema = oedema;
    out.zlen = zlen, out.flen = flen, out.zwei = zwei, out.fwei = fwei;
    out.zwfl = zwfl, out.fwfl = fwfl, out.clenhei = clenhei, out.reason = reason;
    int32_t st = socind_growth_who2006(N, &in, SOCIND_ROUND_WHO, &out);
    if (st != SOCIND_OK) {
        fprintf(stderr, "%s (%s)\n", socind_strerror(st), socind_last_error_detail());
        return 1;
    }
    printf("%4s %5s %8s %6s %4s %6s %4s %6s %4s %s\n", "row", "sex", "clenhei", "zlen", "flen",
           "zwei", "fwei", "zwfl", "fwfl", "reason");
    int stunted = 0, problems = 0;
    for (int k = 0; k < N; k++) {
        printf("%4d %5d %8.2f %6.2f %4d %6.2f %4d %6.2f %4d 0x%03x\n", k + 1, (int)sex[k],
               clenhei[k], zlen[k], (int)flen[k], zwei[k], (int)fwei[k], zwfl[k], (int)fwfl[k],
               (unsigned)reason[k]);
        stunted += zlen[k] < -2.0 && flen[k] == 0;
        problems += (reason[k] & (SOCIND_GROWTH_SEX_INVALID | SOCIND_GROWTH_SEX_MISSING)) != 0;
    }
    printf("stunted (HAZ < -2, not flagged): %d of %d; rows with an unusable sex code: %d\n",
           stunted, N, problems);

    /* one child: the same fields as the columns, one value each */
    socind_growth_child_input child;
    socind_growth_child_output res;
    socind_growth_child_input_init(&child); /* everything missing to start with */
    socind_growth_child_output_init(&res);
    child.sex = SOCIND_SEX_FEMALE, child.age = 400, child.weight = 8.1, child.lenhei = 71.5;
    child.measure = SOCIND_MEASURE_LYING, child.oedema = SOCIND_OEDEMA_NO;
    child.headc = 44.5, child.armc = 14.0;
    st = socind_growth_who2006_child(&child, SOCIND_ROUND_WHO, &res);
    if (st != SOCIND_OK) {
        fprintf(stderr, "%s (%s)\n", socind_strerror(st), socind_last_error_detail());
        return 1;
    }
    const double *z = res.z;
    printf("one child: HAZ %.2f, WAZ %.2f, WHZ %.2f, BMIZ %.2f, HCZ %.2f, MUACZ %.2f\n",
           z[SOCIND_Z_LEN], z[SOCIND_Z_WEI], z[SOCIND_Z_WFL], z[SOCIND_Z_BMI], z[SOCIND_Z_HC],
           z[SOCIND_Z_AC]);
    return 0;
}
