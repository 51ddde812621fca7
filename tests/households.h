/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/households.h — the poverty reference sample (households.csv and
 * expected.csv) loaded once, with its "wr" and "fpc" designs, for the
 * reference tests. */
#ifndef SOCIND_TEST_HOUSEHOLDS_H
#define SOCIND_TEST_HOUSEHOLDS_H

#include "test_util.h"

#include "socind/socind.h"

typedef struct {
    test_csv *hh, *ex;
    size_t n;
    double *w, *y, *fpc, *line_region;
    int64_t *stratum, *psu, *subdistrict, *urban;
    socind_design *wr, *fpc_design;
} households;

static inline int households_setup(void **state) {
    households *f = calloc(1, sizeof *f);
    f->hh = test_csv_read(SOCIND_TEST_REFDIR "/poverty/households.csv");
    f->ex = test_csv_read(SOCIND_TEST_REFDIR "/poverty/expected.csv");
    if (!f->hh || !f->ex) return -1;
    f->n = f->hh->nrow;
    f->w = test_csv_doubles(f->hh, "w_person");
    f->y = test_csv_doubles(f->hh, "cons_pc");
    f->fpc = test_csv_doubles(f->hh, "fpc_psu");
    f->line_region = test_csv_doubles(f->hh, "line_region");
    f->stratum = test_csv_int64(f->hh, "stratum");
    f->psu = test_csv_int64(f->hh, "psu");
    f->subdistrict = test_csv_int64(f->hh, "subdistrict");
    f->urban = test_csv_int64(f->hh, "urban");
    if (socind_design_new(f->n, f->w, f->stratum, f->psu, NULL, NULL, &f->wr)) return -1;
    if (socind_design_new(f->n, f->w, f->stratum, f->psu, f->fpc, NULL, &f->fpc_design)) return -1;
    *state = f;
    return 0;
}

static inline int households_teardown(void **state) {
    households *f = *state;
    socind_design_free(f->wr);
    socind_design_free(f->fpc_design);
    free(f->w), free(f->y), free(f->fpc), free(f->line_region);
    free(f->stratum), free(f->psu), free(f->subdistrict), free(f->urban);
    test_csv_free(f->hh);
    test_csv_free(f->ex);
    free(f);
    return 0;
}

/* Dense codes of the sub-districts (group[k] in 0..*ncodes−1); codes holds
 * the ids (at most 64). */
static inline int32_t *households_subdistricts(const households *f, int64_t *codes,
                                               int32_t *ncodes) {
    int32_t *g = calloc(f->n, sizeof *g);
    int32_t nc = 0;
    for (size_t k = 0; k < f->n; k++) {
        int32_t j;
        for (j = 0; j < nc; j++)
            if (codes[j] == f->subdistrict[k]) break;
        if (j == nc && nc < 64) codes[nc++] = f->subdistrict[k];
        g[k] = j;
    }
    *ncodes = nc;
    return g;
}

/* Column positions of expected.csv. */
typedef struct {
    int ind, stat, par, des, sub, est, se, lo, hi;
} expected_cols;

static inline expected_cols households_columns(const test_csv *t) {
    expected_cols c = {
        test_csv_col(t, "indicator"), test_csv_col(t, "statistic"), test_csv_col(t, "parameters"),
        test_csv_col(t, "design"),    test_csv_col(t, "subgroup"),  test_csv_col(t, "estimate"),
        test_csv_col(t, "se"),        test_csv_col(t, "ci_low"),    test_csv_col(t, "ci_high")};
    return c;
}

/* The design of an expected row ("wr" or "fpc") and its domain: *grp is NULL
 * for "all", else g filled with 0 for the domain's rows and −1 elsewhere
 * ("subdistrict=<code>" or "urban=<0/1>"). */
static inline const socind_design *households_row(const households *f, char *const *cell,
                                                  const expected_cols *c, int32_t *g,
                                                  const int32_t **grp) {
    const char *sub = cell[c->sub];
    *grp = NULL;
    if (strncmp(sub, "subdistrict=", 12) == 0 || strncmp(sub, "urban=", 6) == 0) {
        const int64_t *var = sub[0] == 's' ? f->subdistrict : f->urban;
        int64_t level = strtoll(strchr(sub, '=') + 1, NULL, 10);
        for (size_t k = 0; k < f->n; k++) g[k] = var[k] == level ? 0 : -1;
        *grp = g;
    }
    return strcmp(cell[c->des], "fpc") == 0 ? f->fpc_design : f->wr;
}

#endif
