/* SPDX-License-Identifier: GPL-3.0-or-later */
/* examples/weighted_mean.c — build a stratified two-stage design and print a
 * weighted mean with its standard error and 95% confidence interval, overall
 * and by urban/rural. Built against the installed library:
 *
 *   cc weighted_mean.c $(pkg-config --cflags --libs socind) -o weighted_mean
 */
#include <stdio.h>

#include <socind/socind.h>

int main(void) {
    /* Per-capita monthly expenditure (rupiah) of 12 households in 2 strata,
     * 2 census blocks (PSUs) per stratum; person weights. */
    const double expenditure[12] = {412000, 655000, 1210000, 380000, 905000, 1530000,
                                    720000, 498000, 2150000, 610000, 830000, 1175000};
    const double weight[12] = {1200, 1200, 1100, 1350, 1350, 1400, 900, 950, 900, 1020, 1020, 980};
    const int64_t stratum[12] = {1601, 1601, 1601, 1601, 1601, 1601,
                                 1602, 1602, 1602, 1602, 1602, 1602};
    const int64_t block[12] = {11, 11, 11, 12, 12, 12, 21, 21, 21, 22, 22, 22};
    const int32_t urban[12] = {0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1};

    socind_design *design = NULL;
    int32_t status = socind_design_new(12, weight, stratum, block, NULL, NULL, &design);
    if (status != SOCIND_OK) {
        fprintf(stderr, "design: %s (%s)\n", socind_strerror(status), socind_last_error_detail());
        return 1;
    }
    printf("socind %s: %zu rows, %zu strata, %zu PSUs, df = %g\n", socind_version(),
           socind_design_nrows(design), socind_design_nstrata(design), socind_design_npsu(design),
           socind_design_df(design));

    socind_estimate all, by[2];
    status = socind_mean(design, expenditure, NULL, 0, NULL, &all);
    if (status == SOCIND_OK) status = socind_mean(design, expenditure, urban, 2, NULL, by);
    if (status != SOCIND_OK) {
        fprintf(stderr, "mean: %s (%s)\n", socind_strerror(status), socind_last_error_detail());
        socind_design_free(design);
        return 1;
    }
    const char *label[3] = {"all", "rural", "urban"};
    const socind_estimate *est[3] = {&all, &by[0], &by[1]};
    printf("%-6s %12s %10s %25s %4s\n", "group", "mean", "se", "95% CI (t)", "n");
    for (int i = 0; i < 3; i++)
        printf("%-6s %12.0f %10.0f %12.0f - %10.0f %4lld\n", label[i], est[i]->value, est[i]->se,
               est[i]->ci_low, est[i]->ci_high, (long long)est[i]->n);
    socind_design_free(design);
    return 0;
}
