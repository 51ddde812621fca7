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
                             "%s: %s: the sampling weight (column \"%s\") is %s; weights (--%s) "
                             "must be present and >= 0",
                             t->path, tbl_where(t, r, buf, sizeof buf), c->name,
                             isnan(c->num[r]) ? "missing" : "negative", c->option);
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
