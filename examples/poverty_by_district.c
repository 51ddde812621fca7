/* SPDX-License-Identifier: GPL-3.0-or-later */
/* examples/poverty_by_district.c — the questions a planning office asks:
 * what share of people are poor, how many is that, how deep and how severe
 * is poverty, overall and by sub-district, against a fixed line, a line
 * converted from international dollars, and 60% of the median — each with
 * its standard error and 95% confidence interval under the survey design.
 *
 *   cc poverty_by_district.c $(pkg-config --cflags --libs socind) -o poverty_by_district
 */
#include <stdio.h>

#include <socind/socind.h>

enum { N = 24 };
/* per-capita monthly consumption (rupiah), person weights (household weight
 * × size), strata (sub-district × urban/rural), census blocks, sub-district */
static const double consumption[N] = {412000, 655000, 1210000, 380000, 905000, 1530000,
                                      720000, 498000, 2150000, 610000, 830000, 1175000,
                                      455000, 520000, 1390000, 300000, 760000, 980000,
                                      640000, 475000, 1820000, 560000, 690000, 1050000};
static const double weight[N] = {1200, 1200, 1100, 1350, 1350, 1400, 900,  950,
                                 900,  1020, 1020, 980,  800,  820,  790,  860,
                                 860,  840,  1500, 1480, 1510, 1390, 1400, 1420};
static const int64_t stratum[N] = {11, 11, 11, 11, 11, 11, 12, 12, 12, 12, 12, 12,
                                   21, 21, 21, 21, 21, 21, 22, 22, 22, 22, 22, 22};
static const int64_t block[N] = {1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4,
                                 5, 5, 5, 6, 6, 6, 7, 7, 7, 8, 8, 8};
static const int32_t district[N] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
static const char *district_name[2] = {"Sekayu", "Babat Toman"};

static void print(const char *what, const char *group, const socind_estimate *e) {
    printf("%-26s %-12s %14.4f %12.4f %14.4f %14.4f\n", what, group, e->value, e->se, e->ci_low,
           e->ci_high);
}

static int check(int32_t st, const char *what) {
    if (st == SOCIND_OK) return 0;
    fprintf(stderr, "%s: %s (%s)\n", what, socind_strerror(st), socind_last_error_detail());
    return 1;
}

int main(void) {
    socind_design *d = NULL;
    if (check(socind_design_new(N, weight, stratum, block, NULL, NULL, &d), "design")) return 1;

    /* a line from $2.15 a day at 2017 PPP (illustrative PPP factor and CPI) */
    double ppp_line;
    if (check(socind_ppp_line(2.15, 4700, 125, 100, 365.0 / 12.0, &ppp_line), "ppp")) return 1;

    socind_poverty_line line;
    socind_poverty_line_init(&line);
    line.value = 500000; /* rupiah per person per month; poor means below it */

    printf("%-26s %-12s %14s %12s %14s %14s\n", "indicator", "group", "estimate", "se", "ci_low",
           "ci_high");
    socind_estimate e, by[2];
    const char *names[3] = {"P0 poverty rate", "P1 poverty gap index", "P2 severity"};
    for (int a = 0; a < 3; a++) {
        if (check(socind_fgt(d, consumption, &line, a, NULL, 0, NULL, &e), names[a])) return 1;
        print(names[a], "all", &e);
        if (check(socind_fgt(d, consumption, &line, a, district, 2, NULL, by), names[a])) return 1;
        for (int j = 0; j < 2; j++) print(names[a], district_name[j], &by[j]);
    }
    if (check(socind_poor_count(d, consumption, &line, NULL, 0, NULL, &e), "poor")) return 1;
    print("number of poor", "all", &e);
    if (check(socind_poverty_gap_total(d, consumption, &line, NULL, 0, NULL, &e), "gap")) return 1;
    print("total gap (Rp/month)", "all", &e);
    if (check(socind_watts(d, consumption, &line, SOCIND_NONPOS_ERROR, NULL, 0, NULL, &e), "watts"))
        return 1;
    print("Watts index", "all", &e);

    line.value = ppp_line;
    if (check(socind_fgt(d, consumption, &line, 0, NULL, 0, NULL, &e), "ppp fgt")) return 1;
    printf("(PPP line: %.0f rupiah per person per month)\n", ppp_line);
    print("P0 at $2.15/day", "all", &e);

    socind_poverty_line rel;
    socind_poverty_line_init(&rel);
    rel.type = SOCIND_LINE_RELATIVE_QUANTILE;
    rel.value = 0.6;
    if (check(socind_poverty_line_estimate(d, consumption, &rel, NULL, &e), "line")) return 1;
    print("60% of median (Rp)", "all", &e);
    if (check(socind_fgt(d, consumption, &rel, 0, NULL, 0, NULL, &e), "relative fgt")) return 1;
    print("P0 at 60% of median", "all", &e);
    socind_design_free(d);
    return 0;
}
