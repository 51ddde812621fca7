/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli/design_cols.c — the survey design from the file's columns and the options: ids, weights,
 * --lonely-psu, --level/--ci/--prop-ci (see cli.h). */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int design_want(tbl *t, const args *a, design_cols *dc) {
    dc->weight = col_want(t, a, "weight", TBL_NUM);
    dc->strata = col_want(t, a, "strata", TBL_ID);
    dc->psu = col_want(t, a, "psu", TBL_ID);
    dc->fpc = col_want(t, a, "fpc", TBL_NUM);
    int rc = cal_want(t, a, dc);
    if (!rc) rc = rep_want(t, a, dc);
    if (!rc && dc->cal >= 0 && rep_requested(a))
        return usage_error(a->command, "a calibration and replicate weights cannot be combined "
                                       "(calibrating each replicate is not supported): give "
                                       "one of them");
    return rc;
}

int options_from_args(const args *a, socind_options *opts) {
    socind_options_init(opts);
    const char *v;
    if ((v = arg_get(a, "level"))) {
        if (parse_double_opt(a, "level", v, &opts->level)) return EXIT_USAGE;
        if (!(opts->level > 0 && opts->level < 1))
            return usage_error(a->command, "--level must be between 0 and 1 (e.g. 0.95)");
    }
    if ((v = arg_get(a, "ci"))) {
        if (strcmp(v, "t") == 0)
            opts->ci_dist = SOCIND_CI_T;
        else if (strcmp(v, "normal") == 0)
            opts->ci_dist = SOCIND_CI_NORMAL;
        else
            return usage_error(a->command, "--ci must be t or normal");
    }
    if ((v = arg_get(a, "prop-ci"))) {
        /* the names of R's svyciprop methods (and wald), in code order */
        static const char *const names[SOCIND_PROP_CI_COUNT] = {
            "logit", "wald", "likelihood", "asin", "beta", "mean", "xlogit"};
        int found = -1;
        for (int k = 0; k < SOCIND_PROP_CI_COUNT; k++)
            if (strcmp(v, names[k]) == 0) found = k;
        if (found < 0)
            return usage_error(
                a->command,
                "--prop-ci must be logit, wald, likelihood, asin, beta, mean or xlogit");
        opts->prop_ci = found;
    }
    if ((v = arg_get(a, "domain-rule"))) {
        if (strcmp(v, "auto") == 0)
            opts->domain_rule = SOCIND_DOMAIN_RULE_AUTO;
        else if (strcmp(v, "subset") == 0)
            opts->domain_rule = SOCIND_DOMAIN_RULE_SUBSET;
        else if (strcmp(v, "full") == 0)
            opts->domain_rule = SOCIND_DOMAIN_RULE_FULL;
        else
            return usage_error(a->command, "--domain-rule must be auto, subset or full");
    }
    return 0;
}

/* A label that is the canonical text of an integer within the int64 range:
 * "0", or digits without leading zeros after an optional "-" ("17", "-3";
 * not "017", "+17", "-0" or one strtoll would clamp), so that two different
 * labels are never one id. */
static int parse_int64(const char *s, int64_t *out) {
    char *end;
    const char *d = s + (s[0] == '-');
    if (!isdigit((unsigned char)d[0]) || (d[0] == '0' && (d[1] != '\0' || d != s))) return -1;
    for (const char *q = d; *q; q++)
        if (!isdigit((unsigned char)*q)) return -1;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (*end != '\0' || errno == ERANGE) return -1;
    *out = v;
    return 0;
}

/* 1 when every label of c is an integer within int64, written canonically */
static int labels_are_int64(const tbl_col *c, int64_t *v) {
    for (int32_t k = 0; k < c->n_labels; k++) {
        int64_t x;
        if (parse_int64(c->labels[k], &x) != 0) return 0;
        if (v) v[k] = x;
    }
    return 1;
}

int ids_from_labels(const tbl *t, const tbl_col *c, int64_t **out) {
    int64_t *v = malloc(c->n_labels ? (size_t)c->n_labels * sizeof *v : 1);
    int64_t *ids = malloc(t->nrows ? t->nrows * sizeof *ids : 1);
    if (!v || !ids) {
        free(v);
        free(ids);
        return fail_with(EXIT_DATA, "out of memory");
    }
    int numeric = labels_are_int64(c, v);
    for (size_t r = 0; r < t->nrows; r++) {
        int32_t k = c->code[r];
        if (k < 0) {
            char buf[64];
            free(v);
            free(ids);
            return fail_with(EXIT_DATA,
                             "%s: %s: column \"%s\" (--%s) is empty; every row needs one", t->path,
                             tbl_where(t, r, buf, sizeof buf), c->name, c->option);
        }
        ids[r] = numeric ? v[k] : k;
    }
    free(v);
    *out = ids;
    return 0;
}

int lonely_option(const args *a, int32_t *policy) {
    static const char *names[] = {"fail", "remove", "adjust", "average", "certainty"};
    const char *v = arg_get(a, "lonely-psu");
    *policy = SOCIND_LONELY_FAIL;
    if (!v) return 0;
    for (int i = 0; i < 5; i++)
        if (strcmp(v, names[i]) == 0) return *policy = i, 0; /* SOCIND_LONELY_* in this order */
    return usage_error(a->command,
                       "--lonely-psu must be fail, remove, adjust, average or certainty");
}

int check_weights(const tbl *t, const tbl_col *c) {
    for (size_t r = 0; r < t->nrows; r++) {
        if (!(c->num[r] >= 0)) {
            char buf[64];
            return fail_with(EXIT_DATA,
                             "%s: %s: the sampling weight (column \"%s\") is %s; weights "
                             "(--weight) must be present and >= 0",
                             t->path, tbl_where(t, r, buf, sizeof buf), c->name,
                             isnan(c->num[r]) ? "missing" : "negative");
        }
    }
    return 0;
}

int design_build(const tbl *t, const args *a, const design_cols *dc, socind_design **design,
                 socind_options *opts) {
    int rc = options_from_args(a, opts);
    if (rc) return rc;
    socind_design_options dopt;
    socind_design_options_init(&dopt);
    if ((rc = lonely_option(a, &dopt.lonely_psu))) return rc;
    dopt.nest = arg_flag(a, "nest");
    size_t n = t->nrows;
    double *w = NULL;
    int64_t *strata = NULL, *psu = NULL;
    const double *fpc = NULL;
    rc = 0;
    if (dc->weight >= 0) {
        if ((rc = check_weights(t, &t->cols[dc->weight]))) return rc;
    } else {
        w = malloc(n * sizeof *w);
        if (!w) return fail_with(EXIT_DATA, "out of memory");
        for (size_t r = 0; r < n; r++) w[r] = 1.0;
    }
    if (dc->strata >= 0 && (rc = ids_from_labels(t, &t->cols[dc->strata], &strata))) goto done;
    if (dc->psu >= 0 && (rc = ids_from_labels(t, &t->cols[dc->psu], &psu))) goto done;
    if (dc->fpc >= 0) {
        const tbl_col *c = &t->cols[dc->fpc];
        for (size_t r = 0; r < n; r++)
            if (isnan(c->num[r])) {
                char buf[64];
                rc = fail_with(EXIT_DATA,
                               "%s: %s: column \"%s\" (--fpc) is empty; every row needs one",
                               t->path, tbl_where(t, r, buf, sizeof buf), c->name);
                goto done;
            }
        fpc = c->num;
    }
    int32_t st =
        socind_design_new(n, w ? w : t->cols[dc->weight].num, strata, psu, fpc, &dopt, design);
    if (st != SOCIND_OK) rc = lib_fail(a, t, NULL, "survey design", st);
    if (!rc) rc = cal_apply(t, a, dc, w ? w : t->cols[dc->weight].num, design);
    if (!rc) rc = rep_wrap(t, a, dc, design);
done:
    free(w);
    free(strata);
    free(psu);
    return rc;
}

/* ---- two rounds (change, gic): the same file, shared PSUs ---- */

/* The label of row i of column c, or "" (missing or no column). */
static const char *cell_label(const tbl *t, int c, size_t i) {
    if (c < 0) return "";
    int32_t k = t->cols[c].code[i];
    return k < 0 ? "" : t->cols[c].labels[k];
}

static int cmp_str(const void *pa, const void *pb) {
    return strcmp(*(const char *const *)pa, *(const char *const *)pb);
}

/* The (stratum, PSU) pairs of a round's rows (rows NULL: the first m
 * rows) as sorted distinct strings "s\x1fp". */
static char **psu_keys(const tbl *t, int strata, int psu, const size_t *rows, size_t m, size_t *n) {
    char **k = malloc((m ? m : 1) * sizeof *k);
    if (!k) return NULL;
    size_t u = 0;
    for (size_t j = 0; j < m; j++) {
        size_t i = rows ? rows[j] : j;
        const char *a = cell_label(t, strata, i), *b = cell_label(t, psu, i);
        size_t la = strlen(a), lb = strlen(b);
        char *s = malloc(la + lb + 2);
        if (!s) {
            while (u) free(k[--u]);
            free(k);
            return NULL;
        }
        memcpy(s, a, la);
        s[la] = '\x1f';
        memcpy(s + la + 1, b, lb + 1);
        k[u++] = s;
    }
    qsort(k, u, sizeof *k, cmp_str);
    size_t d = 0;
    for (size_t i = 0; i < u; i++) {
        if (d > 0 && strcmp(k[d - 1], k[i]) == 0) {
            free(k[i]);
            continue;
        }
        k[d++] = k[i];
    }
    *n = d;
    return k;
}

int shared_psus(const psu_round *r1, const psu_round *r2, size_t *shared, size_t *n1, size_t *n2) {
    *shared = *n1 = *n2 = 0;
    if (r1->psu < 0 || r2->psu < 0) return 0;
    char **k1 = psu_keys(r1->t, r1->strata, r1->psu, r1->rows, r1->n, n1),
         **k2 = k1 ? psu_keys(r2->t, r2->strata, r2->psu, r2->rows, r2->n, n2) : NULL;
    if (k1 && k2)
        for (size_t i = 0; i < *n2; i++)
            *shared += bsearch(&k2[i], k1, *n1, sizeof *k1, cmp_str) != NULL;
    if (k1)
        for (size_t i = 0; i < *n1; i++) free(k1[i]);
    if (k2)
        for (size_t i = 0; i < *n2; i++) free(k2[i]);
    free(k1), free(k2);
    return k1 && k2 ? 0 : -1;
}

void warn_shared_psus(const char *command, const tbl *t1, const design_cols *d1, const tbl *t2,
                      const design_cols *d2) {
    const psu_round r1 = {t1, d1->strata, d1->psu, NULL, t1->nrows},
                    r2 = {t2, d2->strata, d2->psu, NULL, t2->nrows};
    size_t n1, n2, shared;
    if (shared_psus(&r1, &r2, &shared, &n1, &n2) == 0 && shared > 0)
        fprintf(stderr,
                "socind %s: warning: %zu of round 2's %zu (stratum, PSU) ids are also round 1's "
                "(of %zu): where an id names the same PSU in both rounds (a panel or revisited "
                "PSUs), the rounds are not independent samples, and the SEs, which assume they "
                "are, ignore their covariance\n",
                command, shared, n2, n1);
}

/* "-" is standard input: /dev/stdin to stat */
static const char *stat_path(const char *path) {
    return strcmp(path, "-") == 0 ? "/dev/stdin" : path;
}

int same_input_file(const char *a, const char *b) {
    if (strcmp(a, b) == 0) return 1;
    struct stat sa, sb;
    if (stat(stat_path(a), &sa) != 0 || stat(stat_path(b), &sb) != 0) return 0;
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* Whether the lists a[0 .. na) and b[0 .. nb) hold the same strings (in
 * any order, each counted once). */
static int same_set(const char **a, size_t na, const char **b, size_t nb) {
    for (int pass = 0; pass < 2; pass++) {
        const char **x = pass ? b : a, **y = pass ? a : b;
        const size_t nx = pass ? nb : na, ny = pass ? na : nb;
        for (size_t i = 0; i < nx; i++) {
            size_t j = 0;
            while (j < ny && strcmp(x[i], y[j]) != 0) j++;
            if (j == ny) return 0;
        }
    }
    return 1;
}

int refuse_round_options(const char *command, const args *a, const char *const *names) {
    for (size_t i = 0; names[i]; i++)
        if (arg_get(a, names[i]))
            return usage_error(command,
                               "--%s is not taken here: each round has its own design; give each "
                               "file's final (calibrated) weights as --weight (the SEs are then "
                               "those of a design with those weights)",
                               names[i]);
    return 0;
}

int two_rounds_check(const char *command, const args *a, const char *base, const char *compare) {
    if (!same_input_file(base, compare)) return 0;
    /* both rounds read it: standard input, a FIFO or a device gives its
       bytes once (a second read would find nothing, or wait forever) */
    struct stat st;
    if (strcmp(base, "-") == 0 || (stat(stat_path(base), &st) == 0 && !S_ISREG(st.st_mode)))
        return usage_error(command,
                           "BASE_FILE and COMPARE_FILE are the same input (\"%s\"), which is "
                           "%s, not a regular file: it can be read only once, and each round "
                           "reads it; save it to a file and name that file twice",
                           strcmp(base, "-") == 0 ? "/dev/stdin" : base,
                           strcmp(base, "-") == 0 ? "standard input" : "a pipe or a device");
    enum { MAX_SUB = 64 };
    const char *b[MAX_SUB], *c[MAX_SUB];
    size_t nb = arg_all(a, "base-subset", b, MAX_SUB),
           nc = arg_all(a, "compare-subset", c, MAX_SUB);
    if (nb == 0 || nc == 0)
        return usage_error(command,
                           "BASE_FILE and COMPARE_FILE are the same file (\"%s\"): give "
                           "--base-subset COL=VALUE and --compare-subset COL=VALUE to take the "
                           "two rounds from it (e.g. year=2023, year=2024); the rounds must be "
                           "independent samples",
                           base);
    if (nb <= MAX_SUB && nc <= MAX_SUB && same_set(b, nb, c, nc))
        return usage_error(command,
                           "--base-subset and --compare-subset select the same rows of the same "
                           "file (\"%s\"): the two rounds would be one sample compared with "
                           "itself",
                           base);
    return 0;
}
