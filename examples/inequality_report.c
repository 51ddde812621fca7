/* SPDX-License-Identifier: GPL-3.0-or-later */
/* examples/inequality_report.c — inequality of per-capita expenditure in
 * the bundled sample (data/sample/households.csv, one year): Gini, Theil,
 * MLD, Atkinson, S80/S20, Palma, the median and deciles, Lorenz ordinates and
 * the urban/rural decomposition of the Theil index, each with its SE under
 * the survey design.
 *
 *   cc inequality_report.c $(pkg-config --cflags --libs socind) -o inequality_report
 *   ./inequality_report data/sample/households.csv 2024
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <socind/socind.h>

static void show(const char *what, int32_t st, const socind_estimate *e) {
    if (st != SOCIND_OK) {
        printf("%-28s %s (%s)\n", what, socind_strerror(st), socind_last_error_detail());
        return;
    }
    printf("%-28s %14.4f %12.4f %14.4f %14.4f\n", what, e->value, e->se, e->ci_low, e->ci_high);
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s households.csv YEAR\n", argv[0]);
        return 2;
    }
    FILE *fp = fopen(argv[1], "r");
    if (!fp) {
        perror(argv[1]);
        return 1;
    }
    long year = strtol(argv[2], NULL, 10);
    /* columns of data/sample/households.csv, by position */
    enum { YEAR = 0, URBAN = 4, STRATUM = 5, PSU = 6, WPERSON = 9, EXP = 10, NCOL = 12 };
    size_t n = 0, cap = 4096;
    double *w = malloc(cap * sizeof *w), *y = malloc(cap * sizeof *y);
    int64_t *st = malloc(cap * sizeof *st), *psu = malloc(cap * sizeof *psu);
    int32_t *urban = malloc(cap * sizeof *urban);
    char *line = NULL;
    size_t lcap = 0;
    int header = 1;
    while (getline(&line, &lcap, fp) >= 0) {
        if (header) {
            header = 0;
            continue;
        }
        char *f[NCOL];
        int nf = 0;
        for (char *p = line; nf < NCOL; p = NULL) {
            char *tok = strtok(p, ",\n");
            if (!tok) break;
            f[nf++] = tok;
        }
        if (nf < NCOL || strtol(f[YEAR], NULL, 10) != year) continue;
        if (n == cap) {
            cap *= 2;
            w = realloc(w, cap * sizeof *w), y = realloc(y, cap * sizeof *y);
            st = realloc(st, cap * sizeof *st), psu = realloc(psu, cap * sizeof *psu);
            urban = realloc(urban, cap * sizeof *urban);
        }
        w[n] = strtod(f[WPERSON], NULL);
        y[n] = strtod(f[EXP], NULL);
        st[n] = strtoll(f[STRATUM], NULL, 10);
        psu[n] = strtoll(f[PSU], NULL, 10);
        urban[n] = (int32_t)strtol(f[URBAN], NULL, 10);
        n++;
    }
    free(line);
    fclose(fp);
    socind_design *d = NULL;
    int32_t s = socind_design_new(n, w, st, psu, NULL, NULL, &d);
    if (s != SOCIND_OK) {
        fprintf(stderr, "design: %s (%s)\n", socind_strerror(s), socind_last_error_detail());
        return 1;
    }
    printf("%zu households in %ld\n%-28s %14s %12s %14s %14s\n", n, year, "indicator", "estimate",
           "se", "ci_low", "ci_high");
    socind_estimate e, dec[SOCIND_GEDEC_COUNT];
    show("Gini", socind_gini(d, y, NULL, 0, NULL, &e), &e);
    show("Theil (GE 1)", socind_ge(d, y, 1, SOCIND_NONPOS_ERROR, NULL, 0, NULL, &e), &e);
    show("MLD (GE 0)", socind_ge(d, y, 0, SOCIND_NONPOS_ERROR, NULL, 0, NULL, &e), &e);
    show("Atkinson (1)", socind_atkinson(d, y, 1, SOCIND_NONPOS_ERROR, NULL, 0, NULL, &e), &e);
    show("S80/S20", socind_share_ratio(d, y, 0.2, 0.8, NULL, 0, NULL, &e), &e);
    show("Palma (S90/S40)", socind_share_ratio(d, y, 0.4, 0.9, NULL, 0, NULL, &e), &e);
    for (int k = 1; k <= 9; k++) {
        char what[32];
        snprintf(what, sizeof what, "decile %d (Rp)", k);
        show(k == 5 ? "median (Rp)" : what, socind_quantile(d, y, k / 10.0, NULL, 0, NULL, &e), &e);
    }
    for (int k = 2; k <= 8; k += 2) {
        char what[32];
        snprintf(what, sizeof what, "Lorenz L(0.%d)", k);
        show(what, socind_lorenz(d, y, k / 10.0, NULL, 0, NULL, &e), &e);
    }
    s = socind_ge_decomposition(d, y, 1, SOCIND_NONPOS_ERROR, urban, 2, NULL, dec);
    show("Theil: total", s, &dec[SOCIND_GEDEC_TOTAL]);
    show("Theil: within urban/rural", s, &dec[SOCIND_GEDEC_WITHIN]);
    show("Theil: between", s, &dec[SOCIND_GEDEC_BETWEEN]);
    socind_design_free(d);
    free(w), free(y), free(st), free(psu), free(urban);
    return 0;
}
