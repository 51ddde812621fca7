/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli/income.c — `socind poverty` and `socind inequality`: an income column,
 * a design, a list of indicators, overall and by breakdowns. */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"
#include "stream.h"
#include "suggest.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_BY 16
#define MAX_IND 64
/* the most parts an estimator gives per group (common.h's out[g·COUNT + k]) */
#define MAX_PARTS SOCIND_FGTDEC_COUNT
_Static_assert(SOCIND_WATTSDEC_COUNT <= MAX_PARTS && SOCIND_PROFILE_COUNT <= MAX_PARTS &&
                   SOCIND_GEDEC_COUNT <= MAX_PARTS && SOCIND_SEN_COUNT <= MAX_PARTS &&
                   SOCIND_SST_COUNT <= MAX_PARTS && SOCIND_JDIVDEC_COUNT <= MAX_PARTS &&
                   SOCIND_RMIR_COUNT <= MAX_PARTS,
               "MAX_PARTS holds every multi-part estimator");

typedef struct indicator {
    const char *token; /* as given: "ge:2" */
    char stem[24];     /* "ge" */
    const char *param; /* text after the first ':' ("2"), "" if none */
    int nparam;
    double p[2];
    int32_t rich_type; /* rich:TYPE:G[:LINE]: SOCIND_RICH_*, TYPE not in p */
} indicator;

static const char *const RICH_TYPES[] = {"Cha", "FGTT1", "FGTT2", NULL};

/* Splits "fgt0,ge:2,share_ratio:0.2:0.8" (modifies list); parameters are
 * read as option numbers (--decimal-comma: "0.500" is refused as ambiguous). */
static int parse_indicators(const char *command, int decimal_comma, char *list, indicator *ind,
                            int *n) {
    *n = 0;
    for (char *save = NULL, *tok = strtok_r(list, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        while (*tok == ' ') tok++;
        size_t len = strlen(tok);
        while (len > 0 && tok[len - 1] == ' ') tok[--len] = '\0';
        if (!*tok) continue;
        /* "quantile:0,5": the comma split a parameter's decimals off */
        if (*n > 0 && ind[*n - 1].nparam > 0 && !strchr(ind[*n - 1].param, '.') && tok[0] >= '0' &&
            tok[0] <= '9')
            return usage_error(command,
                               "--indicators: \"%s,%s\": \",\" separates indicators, so \"%s\" "
                               "would be an indicator of its own; write a parameter with a decimal "
                               "point (%s.%s), also under --decimal-comma",
                               ind[*n - 1].token, tok, tok, ind[*n - 1].token, tok);
        if (*n == MAX_IND) return usage_error(command, "more than %d indicators", MAX_IND);
        indicator *x = &ind[(*n)++];
        memset(x, 0, sizeof *x);
        x->token = tok;
        const char *colon = strchr(tok, ':');
        size_t stem = colon ? (size_t)(colon - tok) : len;
        if (stem >= sizeof x->stem) return usage_error(command, "unknown indicator \"%s\"", tok);
        memcpy(x->stem, tok, stem);
        x->param = colon ? colon + 1 : "";
        const char *p = x->param;
        if (strcmp(x->stem, "rich") == 0) {
            /* rich:TYPE:G[:LINE]: TYPE is a name */
            const char *next = colon ? strchr(p, ':') : NULL;
            size_t tl = colon ? (next ? (size_t)(next - p) : strlen(p)) : 0;
            x->rich_type = -1;
            for (int i = 0; RICH_TYPES[i]; i++)
                if (tl == strlen(RICH_TYPES[i]) && strncmp(p, RICH_TYPES[i], tl) == 0)
                    x->rich_type = i;
            if (x->rich_type < 0) {
                char ty[32], mean[80] = "";
                snprintf(ty, sizeof ty, "%.*s", (int)(tl < 31 ? tl : 31), p);
                const char *near = suggest(ty, RICH_TYPES, 3);
                if (near) snprintf(mean, sizeof mean, " (did you mean %s?)", near);
                return usage_error(command,
                                   "indicator \"%s\": rich takes rich:TYPE:G or rich:TYPE:G:LINE "
                                   "with TYPE Cha, FGTT1 or FGTT2; \"%s\" is no TYPE%s",
                                   tok, ty, mean);
            }
            colon = next;
            if (next) p = next + 1;
        }
        while (colon) {
            const char *next = strchr(p, ':');
            size_t plen = next ? (size_t)(next - p) : strlen(p);
            char num[64], why[300];
            snprintf(num, sizeof num, "%.*s", (int)(plen < 63 ? plen : 63), p);
            if (x->nparam == 2)
                return usage_error(command, "indicator \"%s\": \"%s\" is one parameter too many",
                                   tok, num);
            if (tbl_parse_option_number(num, decimal_comma, &x->p[x->nparam], why, sizeof why))
                return usage_error(command, "indicator \"%s\": %s", tok, why);
            x->nparam++;
            if (!next) break;
            p = next + 1;
        }
    }
    if (*n == 0) return usage_error(command, "--indicators lists no indicator");
    return 0;
}

/* stem → number of parameters it takes (−1: unknown) */
static int arity(const char *const *names, const int *counts, const char *stem) {
    for (int i = 0; names[i]; i++)
        if (strcmp(names[i], stem) == 0) return counts[i];
    return -1;
}

/* arity RICH_ARITY: rich:TYPE:G or rich:TYPE:G:LINE (one or two numbers) */
#define RICH_ARITY 9
static const char *const POVERTY_NAMES[] = {
    "fgt0",   "fgt1",     "fgt2", "fgt", "poor",    "watts", "gap",  "shortfall", "line",
    "fgtdec", "wattsdec", "sen",  "sst", "poormed", "rmpg",  "rich", NULL};
static const int POVERTY_ARITY[] = {0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, RICH_ARITY};
static const char *const INEQUALITY_NAMES[] = {
    "mean",  "total", "population", "median", "quantile", "gini",        "ge",
    "theil", "mld",   "atkinson",   "qsr",    "palma",    "share_ratio", "lorenz",
    "gedec", "jdiv",  "jdivdec",    "zenga",  "iqalpha",  "isq",         "isq_upper",
    "rmir",  "rich",  "gpg",        NULL};
static const int INEQUALITY_ARITY[] = {0, 0, 0, 0, 1, 0, 1, 0, 0, 1, 0,          0,
                                       2, 1, 1, 0, 0, 0, 1, 1, 1, 0, RICH_ARITY, 0};

/* The ranges of the indicators' parameters, the library's (checked before
 * the file is read; the library checks them again): NONNEG >= 0, GT1 > 1,
 * OPEN01 in (0, 1), POS > 0, UNIT in [0, 1] (a parameter is a finite number
 * already). */
enum { R_NONNEG, R_GT1, R_OPEN01, R_POS, R_UNIT };
static const struct {
    const char *stem;
    int index, rule;
    const char *name;
} PARAM_RANGES[] = {{"fgt", 0, R_NONNEG, "alpha"},
                    {"fgtdec", 0, R_GT1, "alpha"},
                    {"quantile", 0, R_OPEN01, "p"},
                    {"lorenz", 0, R_OPEN01, "p"},
                    {"share_ratio", 0, R_OPEN01, "X"},
                    {"share_ratio", 1, R_OPEN01, "Y"},
                    {"atkinson", 0, R_POS, "epsilon"},
                    {"iqalpha", 0, R_OPEN01, "alpha"},
                    {"isq", 0, R_OPEN01, "alpha"},
                    {"isq_upper", 0, R_OPEN01, "alpha"},
                    {NULL, 0, 0, NULL}};

static int param_in_range(int rule, double v) {
    switch (rule) {
    case R_NONNEG:
        return v >= 0.0;
    case R_GT1:
        return v > 1.0;
    case R_OPEN01:
        return v > 0.0 && v < 1.0;
    case R_UNIT:
        return v >= 0.0 && v <= 1.0;
    default:
        return v > 0.0;
    }
}

static const char *const RANGE_TEXT[] = {">= 0", "> 1", "in (0, 1)", "> 0", "in [0, 1]"};

/* A usage error for an indicator's parameter out of its range, or 0. */
static int check_param_ranges(const char *command, const indicator *x) {
    for (int k = 0; PARAM_RANGES[k].stem; k++) {
        if (strcmp(PARAM_RANGES[k].stem, x->stem) != 0) continue;
        const int i = PARAM_RANGES[k].index, rule = PARAM_RANGES[k].rule;
        if (i < x->nparam && !param_in_range(rule, x->p[i]))
            return usage_error(command, "indicator \"%s\": %s must be %s, got %g", x->token,
                               PARAM_RANGES[k].name, RANGE_TEXT[rule], x->p[i]);
    }
    if (strcmp(x->stem, "rich") == 0 && x->rich_type >= 0) {
        /* rich:TYPE:G[:LINE]: G in the type's range (convey's), LINE > 0 */
        static const int rule_of[] = {
            [SOCIND_RICH_CHA] = R_POS, [SOCIND_RICH_FGTT1] = R_UNIT, [SOCIND_RICH_FGTT2] = R_GT1};
        const int rule = rule_of[x->rich_type];
        if (!param_in_range(rule, x->p[0]))
            return usage_error(command, "indicator \"%s\": %s richness needs G %s, got %g",
                               x->token, RICH_TYPES[x->rich_type], RANGE_TEXT[rule], x->p[0]);
        if (x->nparam == 2 && !(x->p[1] > 0.0))
            return usage_error(command, "indicator \"%s\": its line must be > 0, got %g", x->token,
                               x->p[1]);
    }
    return 0;
}

/* poormed and rmpg: convey's own line, 0.6 × the whole sample's median
 * (poor: y <= it), whatever --line, --line-col or --relative say */
static int own_line(const char *stem) {
    return strcmp(stem, "poormed") == 0 || strcmp(stem, "rmpg") == 0;
}
#define OWN_FRACTION 0.6
#define OWN_QUANTILE 0.5

static int check_indicators(const char *command, const indicator *ind, int n,
                            const char *const *names, const int *counts) {
    for (int i = 0; i < n; i++) {
        int k = arity(names, counts, ind[i].stem);
        if (k < 0) {
            char list[400] = "", mean[200] = "";
            size_t nn = 0;
            while (names[nn]) nn++;
            const char *near = suggest(ind[i].stem, names, nn);
            if (near)
                snprintf(mean, sizeof mean, " (did you mean \"%s%s%s\"?)", near,
                         ind[i].param[0] ? ":" : "", ind[i].param);
            size_t used = 0;
            for (int j = 0; names[j]; j++) {
                int w = snprintf(list + used, sizeof list - used, "%s%s%s", j ? " " : "", names[j],
                                 counts[j] == 1            ? ":X"
                                 : counts[j] == 2          ? ":X:Y"
                                 : counts[j] == RICH_ARITY ? ":TYPE:G[:LINE]"
                                                           : "");
                if (w > 0) used += (size_t)w;
            }
            return usage_error(command, "unknown indicator \"%s\"%s; known: %s", ind[i].token, mean,
                               list);
        }
        if (k == RICH_ARITY) {
            if (ind[i].nparam < 1)
                return usage_error(command,
                                   "indicator \"%s\" takes TYPE and G, and optionally its own "
                                   "line (rich:TYPE:G or rich:TYPE:G:LINE, e.g. rich:Cha:1)",
                                   ind[i].token);
            continue;
        }
        if (ind[i].nparam != k)
            return usage_error(command, "indicator \"%s\" takes %d parameter%s (%s%s)",
                               ind[i].token, k, k == 1 ? "" : "s", ind[i].stem,
                               k == 0   ? ""
                               : k == 1 ? ":X"
                                        : ":X:Y");
    }
    for (int i = 0; i < n; i++) {
        const int rc = check_param_ranges(command, &ind[i]);
        if (rc) return rc;
    }
    return 0;
}

typedef struct run {
    const args *a;
    const tbl *t;
    const socind_design *d;
    const socind_options *opts;
    const double *y;
    const double *age; /* --age (rmir), or NULL */
    double age_limit;  /* --age-limit, 65 by default */
    socind_poverty_line line;
    socind_poverty_line rich_line; /* --rich-line or --rich-relative (type −1: neither) */
    const int32_t *sex;            /* --sex's codes (gpg) */
    int32_t nonpositive;
    est_list out;
    socind_estimate *buf;    /* room for MAX_PARTS × max groups */
    const int32_t *all_code; /* --where: "all" as one group (0, −1 outside), else NULL */
} run;

/* Adds the estimates of one group set: n_groups estimates per part. */
static int add_rows(run *r, const char *name, const char *param, const breakdown *b,
                    const socind_estimate *e, int stride, int part) {
    if (!b) return est_add(&r->out, name, param, "all", &e[part]);
    for (int32_t g = 0; g < b->n_groups; g++) {
        int rc = est_add(&r->out, name, param, b->label[g], &e[(size_t)g * stride + part]);
        if (rc) return rc;
    }
    return 0;
}

/* rich:TYPE:G[:LINE] against its own line or the command's --rich-line /
 * --rich-relative (both commands). */
static int rich_one(run *r, const indicator *x, const int32_t *group, int32_t G,
                    const breakdown *b) {
    socind_poverty_line L = r->rich_line;
    if (x->nparam == 2) {
        socind_poverty_line_init(&L);
        L.value = x->p[1];
    }
    int32_t st = socind_richness(r->d, r->y, &L, x->rich_type, x->p[0], group, G, r->opts, r->buf);
    if (st) return lib_fail(r->a, r->t, NULL, x->token, st);
    return add_rows(r, x->token, x->param, b, r->buf, 1, 0);
}

/* The Sen and SST indices' rows, sen:<part> and sst:<part> (in memory and
 * streamed alike). */
static const char *const SEN_PARTS[SOCIND_SEN_COUNT] = {[SOCIND_SEN_INDEX] = "index",
                                                        [SOCIND_SEN_HEADCOUNT] = "headcount",
                                                        [SOCIND_SEN_GAP] = "gap",
                                                        [SOCIND_SEN_GINI_POOR] = "gini_poor"};
static const char *const SST_PARTS[SOCIND_SST_COUNT] = {[SOCIND_SST_INDEX] = "index",
                                                        [SOCIND_SST_HEADCOUNT] = "headcount",
                                                        [SOCIND_SST_GAP] = "gap",
                                                        [SOCIND_SST_GINI_GAPS] = "gini_gaps"};

/* The rows of a Sen or SST estimate e (its four parts a group). */
static int sen_rows(run *r, const indicator *x, const breakdown *b, const socind_estimate *e) {
    const int sen = strcmp(x->stem, "sen") == 0;
    char name[96];
    for (int k = 0; k < SOCIND_SEN_COUNT; k++) {
        snprintf(name, sizeof name, "%s:%s", x->token, sen ? SEN_PARTS[k] : SST_PARTS[k]);
        int rc = add_rows(r, name, x->param, b, e, SOCIND_SEN_COUNT, k);
        if (rc) return rc;
    }
    return 0;
}

static int poverty_one(run *r, const indicator *x, const breakdown *b) {
    if (b && b->n_groups == 0) return 0; /* every row's value missing (said on stderr) */
    const int32_t *group = b ? b->code : r->all_code;
    int32_t G = b ? b->n_groups : 1;
    socind_estimate *e = r->buf;
    int32_t st;
    const char *s = x->stem;
    char name[96];
    if (strcmp(s, "rich") == 0) return rich_one(r, x, group, G, b);
    if (strcmp(s, "line") == 0) {
        if (b) return 0; /* the line is the whole sample's */
        if (r->line.type == SOCIND_LINE_PER_ROW) return 0;
        st = socind_poverty_line_estimate(r->d, r->y, &r->line, r->opts, e);
        if (st) return lib_fail(r->a, r->t, NULL, x->token, st);
        return add_rows(r, x->token, x->param, NULL, e, 1, 0);
    }
    if (strcmp(s, "fgtdec") == 0) {
        st = socind_fgt_decomposition(r->d, r->y, &r->line, x->p[0], group, G, r->opts, e);
        if (st) return lib_fail(r->a, r->t, NULL, x->token, st);
        char last[48];
        snprintf(last, sizeof last, "fgt%s", x->param);
        const char *parts[SOCIND_FGTDEC_COUNT] = {[SOCIND_FGTDEC_P0] = "fgt0",
                                                  [SOCIND_FGTDEC_P1] = "fgt1",
                                                  [SOCIND_FGTDEC_PALPHA] = last,
                                                  [SOCIND_FGTDEC_IGR] = "igr",
                                                  [SOCIND_FGTDEC_GE] = "ge"};
        for (int k = 0; k < SOCIND_FGTDEC_COUNT; k++) {
            snprintf(name, sizeof name, "%s:%s", x->token, parts[k]);
            int rc = add_rows(r, name, x->param, b, e, SOCIND_FGTDEC_COUNT, k);
            if (rc) return rc;
        }
        return 0;
    }
    if (strcmp(s, "wattsdec") == 0) {
        st = socind_watts_decomposition(r->d, r->y, &r->line, r->nonpositive, group, G, r->opts, e);
        if (st) return lib_fail(r->a, r->t, NULL, x->token, st);
        const char *parts[SOCIND_WATTSDEC_COUNT] = {[SOCIND_WATTSDEC_WATTS] = "watts",
                                                    [SOCIND_WATTSDEC_P0] = "fgt0",
                                                    [SOCIND_WATTSDEC_GAP_RATIO] = "gap_ratio",
                                                    [SOCIND_WATTSDEC_THEIL_POOR] = "theil_poor"};
        for (int k = 0; k < SOCIND_WATTSDEC_COUNT; k++) {
            snprintf(name, sizeof name, "%s:%s", x->token, parts[k]);
            int rc = add_rows(r, name, x->param, b, e, SOCIND_WATTSDEC_COUNT, k);
            if (rc) return rc;
        }
        return 0;
    }
    if (own_line(s)) {
        st = strcmp(s, "poormed") == 0
                 ? socind_poor_median(r->d, r->y, OWN_FRACTION, OWN_QUANTILE, group, G, r->opts, e)
                 : socind_relative_median_gap(r->d, r->y, OWN_FRACTION, OWN_QUANTILE, group, G,
                                              r->opts, e);
        if (st) return lib_fail(r->a, r->t, NULL, x->token, st);
        return add_rows(r, x->token, x->param, b, e, 1, 0);
    }
    if (strcmp(s, "sen") == 0 || strcmp(s, "sst") == 0) {
        /* rows sen:index, sen:headcount, sen:gap, sen:gini_poor (sst: …,
           sst:gini_gaps) */
        int sen = strcmp(s, "sen") == 0;
        st = sen ? socind_sen(r->d, r->y, &r->line, group, G, r->opts, e)
                 : socind_sst(r->d, r->y, &r->line, group, G, r->opts, e);
        if (st) return lib_fail(r->a, r->t, NULL, x->token, st);
        return sen_rows(r, x, b, e);
    }
    if (strncmp(s, "fgt", 3) == 0) {
        double alpha = strcmp(s, "fgt") == 0 ? x->p[0] : (double)(s[3] - '0');
        st = socind_fgt(r->d, r->y, &r->line, alpha, group, G, r->opts, e);
    } else if (strcmp(s, "poor") == 0) {
        st = socind_poor_count(r->d, r->y, &r->line, group, G, r->opts, e);
    } else if (strcmp(s, "watts") == 0) {
        st = socind_watts(r->d, r->y, &r->line, r->nonpositive, group, G, r->opts, e);
    } else if (strcmp(s, "gap") == 0) {
        st = socind_poverty_gap_total(r->d, r->y, &r->line, group, G, r->opts, e);
    } else {
        st = socind_mean_shortfall(r->d, r->y, &r->line, group, G, r->opts, e);
    }
    if (st) return lib_fail(r->a, r->t, NULL, x->token, st);
    return add_rows(r, x->token, x->param, b, e, 1, 0);
}

static int inequality_one(run *r, const indicator *x, const breakdown *b, double *ones) {
    if (b && b->n_groups == 0) return 0;
    const int32_t *group = b ? b->code : r->all_code;
    int32_t G = b ? b->n_groups : 1;
    socind_estimate *e = r->buf;
    int32_t st;
    const char *s = x->stem;
    if (strcmp(s, "mean") == 0)
        st = socind_mean(r->d, r->y, group, G, r->opts, e);
    else if (strcmp(s, "total") == 0)
        st = socind_total(r->d, r->y, group, G, r->opts, e);
    else if (strcmp(s, "population") == 0)
        st = socind_total(r->d, ones, group, G, r->opts, e);
    else if (strcmp(s, "median") == 0)
        st = socind_quantile(r->d, r->y, 0.5, group, G, r->opts, e);
    else if (strcmp(s, "quantile") == 0)
        st = socind_quantile(r->d, r->y, x->p[0], group, G, r->opts, e);
    else if (strcmp(s, "gini") == 0)
        st = socind_gini(r->d, r->y, group, G, r->opts, e);
    else if (strcmp(s, "ge") == 0)
        st = socind_ge(r->d, r->y, x->p[0], r->nonpositive, group, G, r->opts, e);
    else if (strcmp(s, "theil") == 0)
        st = socind_ge(r->d, r->y, 1.0, r->nonpositive, group, G, r->opts, e);
    else if (strcmp(s, "mld") == 0)
        st = socind_ge(r->d, r->y, 0.0, r->nonpositive, group, G, r->opts, e);
    else if (strcmp(s, "atkinson") == 0)
        st = socind_atkinson(r->d, r->y, x->p[0], r->nonpositive, group, G, r->opts, e);
    else if (strcmp(s, "qsr") == 0)
        st = socind_share_ratio(r->d, r->y, 0.2, 0.8, group, G, r->opts, e);
    else if (strcmp(s, "palma") == 0)
        st = socind_share_ratio(r->d, r->y, 0.4, 0.9, group, G, r->opts, e);
    else if (strcmp(s, "share_ratio") == 0)
        st = socind_share_ratio(r->d, r->y, x->p[0], x->p[1], group, G, r->opts, e);
    else if (strcmp(s, "lorenz") == 0)
        st = socind_lorenz(r->d, r->y, x->p[0], group, G, r->opts, e);
    else if (strcmp(s, "jdiv") == 0)
        st = socind_jdiv(r->d, r->y, r->nonpositive, group, G, r->opts, e);
    else if (strcmp(s, "zenga") == 0)
        st = socind_zenga(r->d, r->y, r->nonpositive, group, G, r->opts, e);
    else if (strcmp(s, "rich") == 0)
        return rich_one(r, x, group, G, b);
    else if (strcmp(s, "gpg") == 0)
        st = socind_gender_pay_gap(r->d, r->y, r->sex, group, G, r->opts, e);
    else if (strcmp(s, "iqalpha") == 0)
        st = socind_quantile_linearized(r->d, r->y, x->p[0], group, G, r->opts, e);
    else if (strcmp(s, "isq") == 0 || strcmp(s, "isq_upper") == 0)
        st = socind_quantile_income_total(r->d, r->y, x->p[0], s[3] == '_', group, G, r->opts, e);
    else if (strcmp(s, "rmir") == 0) {
        st = socind_median_income_ratio(r->d, r->y, r->age, r->age_limit, group, G, r->opts, e);
        if (st) return lib_fail(r->a, r->t, NULL, x->token, st);
        const char *parts[SOCIND_RMIR_COUNT] = {[SOCIND_RMIR_RATIO] = NULL,
                                                [SOCIND_RMIR_MED_OLD] = "med_old",
                                                [SOCIND_RMIR_MED_YOUNG] = "med_young"};
        for (int k = 0; k < SOCIND_RMIR_COUNT; k++) {
            char name[96];
            if (parts[k])
                snprintf(name, sizeof name, "%s:%s", x->token, parts[k]);
            else
                snprintf(name, sizeof name, "%s", x->token);
            int rc = add_rows(r, name, x->param, b, e, SOCIND_RMIR_COUNT, k);
            if (rc) return rc;
        }
        return 0;
    } else
        return 0; /* gedec, jdivdec: handled with --decompose-by */
    if (st) return lib_fail(r->a, r->t, NULL, x->token, st);
    return add_rows(r, x->token, x->param, b, e, 1, 0);
}

/* --nonpositive error|exclude */
static int nonpositive_opt(const args *a, int32_t *out) {
    const char *v = arg_get(a, "nonpositive");
    *out = SOCIND_NONPOS_ERROR;
    if (!v || strcmp(v, "error") == 0) return 0;
    if (strcmp(v, "exclude") == 0) return *out = SOCIND_NONPOS_EXCLUDE, 0;
    return usage_error(a->command, "--nonpositive must be error or exclude");
}

int cli_relative_opt(const args *a, const char *opt, const char *v, const char *example,
                     socind_poverty_line *L) {
    const char *colon = strchr(v, ':');
    if (!colon || (size_t)(colon - v) >= 64 ||
        (strcmp(colon + 1, "median") != 0 && strcmp(colon + 1, "mean") != 0))
        return usage_error(a->command, "--%s must be F:median or F:mean (e.g. %s)", opt, example);
    char f[64], why[300];
    snprintf(f, sizeof f, "%.*s", (int)(colon - v), v);
    if (tbl_parse_option_number(f, arg_flag(a, "decimal-comma"), &L->value, why, sizeof why))
        return usage_error(a->command, "--%s: %s", opt, why);
    if (!(L->value > 0.0))
        return usage_error(a->command, "--%s: the fraction F must be > 0, got %s", opt, f);
    L->type = strcmp(colon + 1, "median") == 0 ? SOCIND_LINE_RELATIVE_QUANTILE
                                               : SOCIND_LINE_RELATIVE_MEAN;
    return 0;
}

/* The richness threshold from --rich-line V or --rich-relative F:median|mean
 * (r->rich_line; type −1 without either): one of them when a rich indicator
 * has no line of its own, neither without a rich indicator. */
static int rich_setup(run *r, const args *a, const indicator *ind, int nind) {
    const char *lv = arg_get(a, "rich-line"), *rel = arg_get(a, "rich-relative");
    int nrich = 0, need = 0;
    for (int i = 0; i < nind; i++)
        if (strcmp(ind[i].stem, "rich") == 0) nrich++, need |= ind[i].nparam == 1;
    socind_poverty_line_init(&r->rich_line);
    r->rich_line.type = -1;
    if (lv && rel)
        return usage_error(a->command, "give --rich-line V or --rich-relative F:median|mean, "
                                       "not both");
    if ((lv || rel) && !nrich)
        return usage_error(a->command,
                           "--%s is the threshold of rich:TYPE:G indicators, and "
                           "--indicators lists none",
                           lv ? "rich-line" : "rich-relative");
    if (need && !lv && !rel)
        return usage_error(a->command,
                           "rich:TYPE:G needs a threshold: --rich-line V, --rich-relative "
                           "F:median or F:mean (e.g. 1.5:median), or its own (rich:TYPE:G:LINE)");
    if (lv) {
        r->rich_line.type = SOCIND_LINE_ABSOLUTE;
        if (parse_line_opt(a, "rich-line", lv, &r->rich_line.value)) return EXIT_USAGE;
    } else if (rel && cli_relative_opt(a, "rich-relative", rel, "1.5:median", &r->rich_line)) {
        return EXIT_USAGE;
    }
    return 0;
}

/* The line from --line, --line-col or --relative (poverty only): r->line;
 * *line_col the --line-col column asked for (−1 without). Richness alone
 * needs none. */
static int line_setup(run *r, const args *a, tbl *t, const indicator *ind, int nind,
                      int *line_col) {
    const char *command = a->command;
    const char *lv = arg_get(a, "line"), *lc = arg_get(a, "line-col"),
               *rel = arg_get(a, "relative");
    *line_col = -1;
    /* poormed and rmpg bring their own line, rich:TYPE:G its threshold: the
       line options serve the other indicators; with only poormed and rmpg
       they are refused, with only rich indicators they may be left out */
    int nown = 0, nrich = 0;
    const char *own = NULL;
    for (int i = 0; i < nind; i++) {
        if (own_line(ind[i].stem))
            nown++, own = ind[i].token;
        else if (strcmp(ind[i].stem, "rich") == 0)
            nrich++;
    }
    int given = (lv != NULL) + (lc != NULL) + (rel != NULL);
    if (nown + nrich == nind) {
        if (nrich == 0 && (given || arg_flag(a, "inclusive")))
            return usage_error(command,
                               "%s %s convey's own line, 0.6 times the median of the whole "
                               "sample (poor: income <= that line), and no other: --line, "
                               "--line-col, --relative and --inclusive are used by no indicator "
                               "here; leave them out",
                               nind == 1 ? own : "poormed and rmpg", nind == 1 ? "uses" : "use");
        if (given || arg_flag(a, "inclusive"))
            return usage_error(command,
                               "rich:TYPE:G takes its threshold from --rich-line, --rich-relative "
                               "or its own :LINE%s: --line, --line-col, --relative and "
                               "--inclusive are used by no indicator here; leave them out",
                               nown ? " (poormed and rmpg their own line)" : "");
        if (!given) {
            if (nown) {
                r->line.type = SOCIND_LINE_RELATIVE_QUANTILE; /* unused */
                r->line.value = OWN_FRACTION;
                r->line.inclusive = 1;
            }
            return 0;
        }
    }
    if (given != 1)
        return usage_error(command, "give exactly one of --line X, --line-col COL, "
                                    "--relative F:median or --relative F:mean");
    if (nown)
        fprintf(stderr,
                "socind %s: note: poormed and rmpg use convey's own line, 0.6 times the median "
                "of the whole sample (poor: income <= that line); the line given serves the "
                "other indicators only\n",
                command);
    if (lv) {
        r->line.type = SOCIND_LINE_ABSOLUTE;
        if (parse_line_opt(a, "line", lv, &r->line.value)) return EXIT_USAGE;
    } else if (lc) {
        r->line.type = SOCIND_LINE_PER_ROW;
        *line_col = tbl_want(t, lc, "line-col", TBL_NUM);
    } else {
        if (cli_relative_opt(a, "relative", rel, "0.6:median", &r->line)) return EXIT_USAGE;
    }
    r->line.inclusive = arg_flag(a, "inclusive");
    for (int i = 0; i < nind; i++)
        if (strcmp(ind[i].stem, "line") == 0 && r->line.type == SOCIND_LINE_PER_ROW)
            return usage_error(command, "indicator \"line\": a line per row (--line-col) has no "
                                        "single value to estimate");
    return 0;
}

/* The columns an income command reads beyond the design's. */
typedef struct income_cols {
    int y, line;    /* −1: none */
    int age;        /* --age (rmir), −1: none */
    int by[MAX_BY]; /* --by, nby of them */
    size_t nby;
    int dec; /* --decompose-by, −1: none */
    int sex; /* --sex (gpg), −1: none */
} income_cols;

static int want_columns(const args *a, tbl *t, const indicator *ind, int nind, income_cols *c) {
    const char *command = a->command;
    c->y = tbl_want(t, arg_get(a, "income"), "income", TBL_NUM);
    const char *by_names[MAX_BY + 1];
    size_t nby = arg_all(a, "by", by_names, MAX_BY + 1);
    if (nby > MAX_BY) return usage_error(command, "more than %d --by", MAX_BY);
    c->nby = nby;
    for (size_t i = 0; i < nby; i++) c->by[i] = tbl_want(t, by_names[i], "by", TBL_LABEL);
    const char *dec_name = arg_get(a, "decompose-by");
    c->dec = dec_name ? tbl_want(t, dec_name, "decompose-by", TBL_LABEL) : -1;
    for (int i = 0; i < nind; i++) {
        if (strcmp(ind[i].stem, "gedec") == 0 && !dec_name)
            return usage_error(command, "gedec:T needs --decompose-by COL");
        if (strcmp(ind[i].stem, "jdivdec") == 0 && !dec_name)
            return usage_error(command, "jdivdec needs --decompose-by COL");
    }
    int gpg = 0;
    for (int i = 0; i < nind; i++) gpg |= strcmp(ind[i].stem, "gpg") == 0;
    const char *sex = arg_get(a, "sex");
    if (gpg && !sex)
        return usage_error(command, "gpg needs --sex COL (1 male, 2 female; or --sex-codes)");
    if (sex && !gpg)
        return usage_error(command, "--sex is the column of gpg, and --indicators lists no gpg");
    if (!sex && (arg_get(a, "sex-codes") || arg_get(a, "invalid-codes")))
        return usage_error(command, "--sex-codes and --invalid-codes read gpg's --sex column, "
                                    "which is not given");
    c->sex = sex ? tbl_want(t, sex, "sex", TBL_LABEL) : -1;
    /* --age and --age-limit serve rmir, and only it */
    int rmir = 0;
    for (int i = 0; i < nind; i++) rmir |= strcmp(ind[i].stem, "rmir") == 0;
    const char *age_name = arg_get(a, "age");
    if (rmir && !age_name)
        return usage_error(command, "rmir needs --age COL (the persons' ages; --age-limit A, 65 "
                                    "by default, splits them)");
    if (!rmir && (age_name || arg_get(a, "age-limit")))
        return usage_error(command, "--age and --age-limit serve the indicator rmir only, which "
                                    "--indicators does not list");
    c->age = age_name ? tbl_want(t, age_name, "age", TBL_NUM) : -1;
    return 0;
}

/* What missing values take out, column by column (on stderr). */
static void note_income_missing(const char *command, int poverty, const tbl *t,
                                const income_cols *c, const indicator *ind, int nind) {
    note_missing(command, t, c->y, "they are left out of every estimate");
    note_missing(command, t, c->line, "they are left out of every estimate");
    note_missing(command, t, c->sex, "they are left out of gpg");
    note_missing(command, t, c->age, "they are left out of rmir");
    for (size_t i = 0; i < c->nby; i++) {
        char what[600];
        snprintf(what, sizeof what,
                 "they are left out of the \"%s: ...\" rows of that breakdown and kept in \"all\"",
                 t->cols[c->by[i]].name);
        note_missing(command, t, c->by[i], what);
    }
    if (c->dec < 0) return;
    /* a decomposition's total is over the rows with a subgroup; ge:T and
       jdiv keep them */
    char gedecs[400] = "", what[700], whole[80] = "ge:T";
    int ngedec = 0, njdivdec = 0;
    size_t used = 0;
    for (int i = 0; i < nind; i++) {
        int is_ge = strcmp(ind[i].stem, "gedec") == 0, is_j = strcmp(ind[i].stem, "jdivdec") == 0;
        if ((is_ge || is_j) && used + strlen(ind[i].token) + 3 < sizeof gedecs)
            used += (size_t)snprintf(gedecs + used, sizeof gedecs - used, "%s%s",
                                     ngedec + njdivdec ? ", " : "", ind[i].token);
        ngedec += is_ge;
        njdivdec += is_j;
    }
    for (int i = 0; i < nind && ngedec + njdivdec == 1; i++) {
        if (strcmp(ind[i].stem, "gedec") == 0) snprintf(whole, sizeof whole, "ge:%s", ind[i].param);
        if (strcmp(ind[i].stem, "jdivdec") == 0) snprintf(whole, sizeof whole, "jdiv");
    }
    if (ngedec && njdivdec)
        snprintf(whole, sizeof whole, "ge:T or jdiv");
    else if (njdivdec)
        snprintf(whole, sizeof whole, "jdiv");
    if (ngedec + njdivdec)
        snprintf(what, sizeof what,
                 "they are left out of the total, within and between of %s (so %s total can "
                 "differ from %s, which keeps them)",
                 gedecs, ngedec + njdivdec == 1 ? "its" : "each", whole);
    else if (poverty)
        snprintf(what, sizeof what,
                 "they are in none of the groups of the profile rows, whose shares and "
                 "contributions then add up to less than the whole");
    else
        snprintf(what, sizeof what,
                 "no estimate here uses that column (--decompose-by serves gedec:T and jdivdec "
                 "only)");
    note_missing(command, t, c->dec, what);
}

/* The --decompose-by rows of one indicator: gedec:T's and jdivdec's total,
 * within and between (inequality), an FGT's poverty profile (poverty). */
static int decomposed_one(run *r, const indicator *x, const breakdown *b, int poverty) {
    char name[96];
    socind_estimate *e = r->buf;
    if (!poverty && strcmp(x->stem, "jdivdec") == 0) {
        int32_t st =
            socind_jdiv_decomposition(r->d, r->y, r->nonpositive, b->code, b->n_groups, r->opts, e);
        if (st) return lib_fail(r->a, r->t, NULL, x->token, st);
        const char *parts[SOCIND_JDIVDEC_COUNT] = {[SOCIND_JDIVDEC_TOTAL] = "total",
                                                   [SOCIND_JDIVDEC_WITHIN] = "within",
                                                   [SOCIND_JDIVDEC_BETWEEN] = "between"};
        char group[300];
        snprintf(group, sizeof group, "decomposed by %s", b->column);
        for (int k = 0; k < SOCIND_JDIVDEC_COUNT; k++) {
            snprintf(name, sizeof name, "%s:%s", x->token, parts[k]);
            int rc = est_add(&r->out, name, x->param, group, &e[k]);
            if (rc) return rc;
        }
        return 0;
    }
    if (!poverty && strcmp(x->stem, "gedec") == 0) {
        int32_t st = socind_ge_decomposition(r->d, r->y, x->p[0], r->nonpositive, b->code,
                                             b->n_groups, r->opts, e);
        if (st) return lib_fail(r->a, r->t, NULL, x->token, st);
        const char *parts[SOCIND_GEDEC_COUNT] = {[SOCIND_GEDEC_TOTAL] = "total",
                                                 [SOCIND_GEDEC_WITHIN] = "within",
                                                 [SOCIND_GEDEC_BETWEEN] = "between"};
        char group[300];
        snprintf(group, sizeof group, "decomposed by %s", b->column);
        for (int k = 0; k < SOCIND_GEDEC_COUNT; k++) {
            snprintf(name, sizeof name, "%s:%s", x->token, parts[k]);
            int rc = est_add(&r->out, name, x->param, group, &e[k]);
            if (rc) return rc;
        }
        return 0;
    }
    if (!poverty || strncmp(x->stem, "fgt", 3) != 0 || strcmp(x->stem, "fgtdec") == 0) return 0;
    double alpha = strcmp(x->stem, "fgt") == 0 ? x->p[0] : (double)(x->stem[3] - '0');
    int32_t st =
        socind_poverty_profile(r->d, r->y, &r->line, alpha, b->code, b->n_groups, r->opts, e);
    if (st) return lib_fail(r->a, r->t, NULL, x->token, st);
    const char *parts[SOCIND_PROFILE_COUNT] = {[SOCIND_PROFILE_SHARE] = "share",
                                               [SOCIND_PROFILE_FGT] = "fgt",
                                               [SOCIND_PROFILE_CONTRIBUTION] = "contribution",
                                               [SOCIND_PROFILE_CONTRIBUTION_SHARE] =
                                                   "contribution_share"};
    for (int k = 0; k < SOCIND_PROFILE_COUNT; k++) {
        snprintf(name, sizeof name, "profile:%s:%s", x->token, parts[k]);
        int rc = add_rows(r, name, x->param, b, e, SOCIND_PROFILE_COUNT, k);
        if (rc) return rc;
    }
    return 0;
}

/* ------------------------------------------------------------------ streaming */

/* What an indicator's rows stream through: the state of its rows overall
 * and by every --by (main), of its rows overall only (the line), none (gedec
 * and jdivdec have rows with --decompose-by only), and the state of its
 * --decompose-by rows (dec; estimator 0: none). */
#define MAIN_NONE 0
#define MAIN_ALL 1
#define MAIN_WHOLE 2 /* overall only */

typedef struct stream_plan {
    int main;             /* MAIN_* */
    socind_state_spec sp; /* main's state */
    int y;                /* STREAM_Y_* */
    socind_state_spec dec;
} stream_plan;

static int is_relative_line(int32_t type) {
    return type == SOCIND_LINE_RELATIVE_QUANTILE || type == SOCIND_LINE_RELATIVE_MEAN;
}

/* 1 for the states that make their domains once (socind_state_set_groups
 * refuses them: the rank-based ones). */
static int fixed_groups(const socind_state_spec *sp) {
    return (sp->estimator >= SOCIND_STATE_QUANTILE && sp->estimator <= SOCIND_STATE_LORENZ) ||
           sp->estimator == SOCIND_STATE_SEN || sp->estimator == SOCIND_STATE_SST ||
           sp->estimator == SOCIND_STATE_POOR_MEDIAN ||
           sp->estimator == SOCIND_STATE_RELATIVE_MEDIAN_GAP ||
           ((sp->estimator >= SOCIND_STATE_FGT &&
             sp->estimator <= SOCIND_STATE_WATTS_DECOMPOSITION) &&
            is_relative_line(sp->line_type)) ||
           (sp->estimator == SOCIND_STATE_POVERTY_PROFILE && is_relative_line(sp->line_type));
}

/* The states an indicator streams through (*pl), or 0 when it has none
 * (the run then reads the file into memory). dec: --decompose-by given. */
static int stream_spec(const run *r, const indicator *x, int poverty, int dec, stream_plan *pl) {
    const char *s = x->stem;
    socind_state_spec *sp = &pl->sp;
    socind_state_spec_init(sp);
    socind_state_spec_init(&pl->dec);
    pl->y = STREAM_Y_VALUE;
    pl->main = MAIN_ALL;
    if (poverty && own_line(s)) { /* convey's own line, whatever the line options say */
        sp->estimator =
            strcmp(s, "poormed") == 0 ? SOCIND_STATE_POOR_MEDIAN : SOCIND_STATE_RELATIVE_MEDIAN_GAP;
        sp->line_type = SOCIND_LINE_RELATIVE_QUANTILE;
        sp->line = OWN_FRACTION, sp->p = OWN_QUANTILE, sp->inclusive = 1;
        return 1;
    }
    if (poverty) {
        int fgt = 0;
        if (strcmp(s, "fgt0") == 0 || strcmp(s, "fgt1") == 0 || strcmp(s, "fgt2") == 0)
            sp->estimator = SOCIND_STATE_FGT, sp->alpha = (double)(s[3] - '0'), fgt = 1;
        else if (strcmp(s, "fgt") == 0)
            sp->estimator = SOCIND_STATE_FGT, sp->alpha = x->p[0], fgt = 1;
        else if (strcmp(s, "poor") == 0)
            sp->estimator = SOCIND_STATE_POOR_COUNT;
        else if (strcmp(s, "watts") == 0)
            sp->estimator = SOCIND_STATE_WATTS;
        else if (strcmp(s, "gap") == 0)
            sp->estimator = SOCIND_STATE_POVERTY_GAP_TOTAL;
        else if (strcmp(s, "shortfall") == 0)
            sp->estimator = SOCIND_STATE_MEAN_SHORTFALL;
        else if (strcmp(s, "fgtdec") == 0)
            sp->estimator = SOCIND_STATE_FGT_DECOMPOSITION, sp->alpha = x->p[0];
        else if (strcmp(s, "wattsdec") == 0)
            sp->estimator = SOCIND_STATE_WATTS_DECOMPOSITION;
        else if (strcmp(s, "sen") == 0)
            sp->estimator = SOCIND_STATE_SEN; /* (a relative line: its state refuses it) */
        else if (strcmp(s, "sst") == 0)
            sp->estimator = SOCIND_STATE_SST;
        else if (strcmp(s, "line") == 0) {
            /* the whole sample's line; a line per row has none */
            if (r->line.type == SOCIND_LINE_PER_ROW) {
                pl->main = MAIN_NONE;
                return 1;
            }
            sp->estimator = SOCIND_STATE_POVERTY_LINE, pl->main = MAIN_WHOLE;
        } else
            return 0;
        sp->line_type = r->line.type;
        sp->inclusive = r->line.inclusive;
        if (r->line.type != SOCIND_LINE_PER_ROW) sp->line = r->line.value;
        if (r->line.type == SOCIND_LINE_RELATIVE_QUANTILE) sp->p = r->line.quantile;
        /* the poverty profile by --decompose-by: FGT's, against every line
           (a relative line's: two passes) */
        if (dec && fgt) {
            pl->dec = *sp;
            pl->dec.estimator = SOCIND_STATE_POVERTY_PROFILE;
        }
    } else {
        if (strcmp(s, "mean") == 0)
            sp->estimator = SOCIND_STATE_MEAN;
        else if (strcmp(s, "total") == 0)
            sp->estimator = SOCIND_STATE_TOTAL;
        else if (strcmp(s, "population") == 0)
            sp->estimator = SOCIND_STATE_TOTAL, pl->y = STREAM_Y_ONES;
        else if (strcmp(s, "ge") == 0)
            sp->estimator = SOCIND_STATE_GE, sp->alpha = x->p[0];
        else if (strcmp(s, "theil") == 0)
            sp->estimator = SOCIND_STATE_GE, sp->alpha = 1.0;
        else if (strcmp(s, "mld") == 0)
            sp->estimator = SOCIND_STATE_GE, sp->alpha = 0.0;
        else if (strcmp(s, "atkinson") == 0)
            sp->estimator = SOCIND_STATE_ATKINSON, sp->alpha = x->p[0];
        else if (strcmp(s, "median") == 0)
            sp->estimator = SOCIND_STATE_QUANTILE, sp->p = 0.5;
        else if (strcmp(s, "quantile") == 0)
            sp->estimator = SOCIND_STATE_QUANTILE, sp->p = x->p[0];
        else if (strcmp(s, "gini") == 0)
            sp->estimator = SOCIND_STATE_GINI;
        else if (strcmp(s, "qsr") == 0)
            sp->estimator = SOCIND_STATE_SHARE_RATIO, sp->p = 0.2, sp->p2 = 0.8;
        else if (strcmp(s, "palma") == 0)
            sp->estimator = SOCIND_STATE_SHARE_RATIO, sp->p = 0.4, sp->p2 = 0.9;
        else if (strcmp(s, "share_ratio") == 0)
            sp->estimator = SOCIND_STATE_SHARE_RATIO, sp->p = x->p[0], sp->p2 = x->p[1];
        else if (strcmp(s, "lorenz") == 0)
            sp->estimator = SOCIND_STATE_LORENZ, sp->p = x->p[0];
        else if (strcmp(s, "gedec") == 0) {
            /* rows with --decompose-by only */
            pl->main = MAIN_NONE;
            pl->dec.estimator = SOCIND_STATE_GE_DECOMPOSITION;
            pl->dec.alpha = x->p[0];
            pl->dec.nonpositive = r->nonpositive;
            return 1;
        } else
            return 0;
    }
    sp->nonpositive = r->nonpositive;
    pl->dec.nonpositive = r->nonpositive;
    return 1;
}

/* The rows of one finished state: as poverty_one / inequality_one add
 * them (e: the groups in the breakdown's order). */
static int stream_rows(run *r, const indicator *x, const breakdown *b, const socind_estimate *e) {
    char name[96];
    if (strcmp(x->stem, "fgtdec") == 0) {
        char last[48];
        snprintf(last, sizeof last, "fgt%s", x->param);
        const char *parts[SOCIND_FGTDEC_COUNT] = {[SOCIND_FGTDEC_P0] = "fgt0",
                                                  [SOCIND_FGTDEC_P1] = "fgt1",
                                                  [SOCIND_FGTDEC_PALPHA] = last,
                                                  [SOCIND_FGTDEC_IGR] = "igr",
                                                  [SOCIND_FGTDEC_GE] = "ge"};
        for (int k = 0; k < SOCIND_FGTDEC_COUNT; k++) {
            snprintf(name, sizeof name, "%s:%s", x->token, parts[k]);
            int rc = add_rows(r, name, x->param, b, e, SOCIND_FGTDEC_COUNT, k);
            if (rc) return rc;
        }
        return 0;
    }
    if (strcmp(x->stem, "sen") == 0 || strcmp(x->stem, "sst") == 0) return sen_rows(r, x, b, e);
    if (strcmp(x->stem, "wattsdec") == 0) {
        const char *parts[SOCIND_WATTSDEC_COUNT] = {[SOCIND_WATTSDEC_WATTS] = "watts",
                                                    [SOCIND_WATTSDEC_P0] = "fgt0",
                                                    [SOCIND_WATTSDEC_GAP_RATIO] = "gap_ratio",
                                                    [SOCIND_WATTSDEC_THEIL_POOR] = "theil_poor"};
        for (int k = 0; k < SOCIND_WATTSDEC_COUNT; k++) {
            snprintf(name, sizeof name, "%s:%s", x->token, parts[k]);
            int rc = add_rows(r, name, x->param, b, e, SOCIND_WATTSDEC_COUNT, k);
            if (rc) return rc;
        }
        return 0;
    }
    return add_rows(r, x->token, x->param, b, e, 1, 0);
}

/* The --decompose-by rows of one finished state, as decomposed_one adds
 * them (profile: e in the breakdown's order). */
static int stream_dec_rows(run *r, const indicator *x, const breakdown *b,
                           const socind_estimate *e) {
    char name[96];
    if (strcmp(x->stem, "gedec") == 0) {
        const char *parts[SOCIND_GEDEC_COUNT] = {[SOCIND_GEDEC_TOTAL] = "total",
                                                 [SOCIND_GEDEC_WITHIN] = "within",
                                                 [SOCIND_GEDEC_BETWEEN] = "between"};
        char group[300];
        snprintf(group, sizeof group, "decomposed by %s", b->column);
        for (int k = 0; k < SOCIND_GEDEC_COUNT; k++) {
            snprintf(name, sizeof name, "%s:%s", x->token, parts[k]);
            int rc = est_add(&r->out, name, x->param, group, &e[k]);
            if (rc) return rc;
        }
        return 0;
    }
    const char *parts[SOCIND_PROFILE_COUNT] = {[SOCIND_PROFILE_SHARE] = "share",
                                               [SOCIND_PROFILE_FGT] = "fgt",
                                               [SOCIND_PROFILE_CONTRIBUTION] = "contribution",
                                               [SOCIND_PROFILE_CONTRIBUTION_SHARE] =
                                                   "contribution_share"};
    for (int k = 0; k < SOCIND_PROFILE_COUNT; k++) {
        snprintf(name, sizeof name, "profile:%s:%s", x->token, parts[k]);
        int rc = add_rows(r, name, x->param, b, e, SOCIND_PROFILE_COUNT, k);
        if (rc) return rc;
    }
    return 0;
}

/* Every indicator through partial states from the file read in chunks
 * (stream.h; the rank-based ones in as many passes as their states take:
 * the file once, the other passes over its rows kept on disk), when each
 * has one and the run asks nothing that
 * needs the rows in memory (rich, gpg, rmir, jdiv,
 * zenga, iqalpha, isq, jdivdec, a
 * quantile's interval at other than the default level, t interval and
 * domain rule, standard input, a design without PSUs). 0 or an exit code
 * after the estimates or the message; STREAM_REDO: read in memory. */
static int stream_income(run *r, const args *a, tbl *t, const income_cols *c, const design_cols *dc,
                         const indicator *ind, int nind, int poverty, const where_set *ws,
                         int threads) {
    struct stat st;
    if (!stream_enabled() || stat(t->path, &st) != 0 || !S_ISREG(st.st_mode)) return STREAM_REDO;
    const int dec = c->dec >= 0;
    if (c->sex >= 0 || c->age >= 0 || c->nby + (size_t)dec > STREAM_MAX_BY) return STREAM_REDO;
    /* without PSUs every row is its own PSU, and a state keeps a cell per
       row: more than the rows in memory take */
    if (dc->psu < 0) return STREAM_REDO;
    /* a calibration needs every row's auxiliaries at once; replicate
       weights: every estimate again under each replicate, in memory */
    if (dc->cal >= 0 || rep_requested(a)) return STREAM_REDO;
    /* --subset COL=VALUE as table_read reads it (anything else: its message) */
    const char *sub[STREAM_MAX_SUBSET + 1];
    size_t nsub = arg_all(a, "subset", sub, STREAM_MAX_SUBSET + 1);
    if (nsub > STREAM_MAX_SUBSET) return STREAM_REDO;
    int sub_col[STREAM_MAX_SUBSET];
    const char *sub_value[STREAM_MAX_SUBSET];
    static cond sc[STREAM_MAX_SUBSET]; /* the table keeps the names: they outlive it */
    for (size_t i = 0; i < nsub; i++) {
        if (cond_parse(sub[i], &sc[i]) || sc[i].op != COND_EQ) return STREAM_REDO;
        sub_value[i] = sc[i].value;
        if ((sub_col[i] = tbl_want(t, sc[i].name, "subset", TBL_LABEL)) < 0) return STREAM_REDO;
    }
    /* the option values are checked before the file is read */
    socind_options opts, dflt;
    int32_t lonely;
    int rc = options_from_args(a, &opts);
    if (rc) return rc;
    if ((rc = lonely_option(a, &lonely))) return rc;
    socind_options_init(&dflt);
    /* per indicator: the slot overall, by each --by, and --decompose-by's
       (slot_at[i·per + b], −1: none) */
    const size_t per = c->nby + 2, dslot = c->nby + 1;
    stream s;
    memset(&s, 0, sizeof s);
    s.slot = calloc((size_t)nind * per, sizeof *s.slot);
    int *slot_at = malloc((size_t)nind * per * sizeof *slot_at);
    if (!s.slot || !slot_at) {
        free(s.slot);
        free(slot_at);
        return fail_with(EXIT_DATA, "out of memory");
    }
    rc = 0;
    for (int i = 0; i < nind && !rc; i++) {
        stream_plan pl;
        if (!stream_spec(r, &ind[i], poverty, dec, &pl)) rc = STREAM_REDO;
        for (size_t b = 0; b < per; b++) slot_at[(size_t)i * per + b] = -1;
        socind_state_spec *specs[2] = {&pl.sp, &pl.dec};
        for (int k = 0; k < 2 && !rc; k++) {
            socind_state_spec *sp = specs[k];
            if (sp->estimator == 0 || (k == 0 && pl.main == MAIN_NONE) || (k == 1 && !dec))
                continue;
            sp->has_strata = dc->strata >= 0;
            sp->has_psu = dc->psu >= 0;
            sp->has_fpc = dc->fpc >= 0;
            sp->lonely_psu = lonely;
            sp->nest = arg_flag(a, "nest");
            /* a quantile's state finds its interval's rows at the default
               level, t interval and domain rule */
            if (sp->estimator == SOCIND_STATE_QUANTILE &&
                (opts.level != dflt.level || opts.ci_dist != dflt.ci_dist ||
                 opts.domain_rule != dflt.domain_rule))
                rc = STREAM_REDO;
            socind_state *probe = NULL; /* a parameter the state refuses: in memory */
            socind_state_spec ps = *sp;
            ps.n_groups = k == 1 ? 1 : 0;
            if (!rc && socind_state_new(&ps, &probe) != SOCIND_OK) rc = STREAM_REDO;
            /* a rank-based state that took one pass would keep its rows
               (none does now: each takes its bounded passes, and the line
               estimate's one pass keeps cell sums): more memory than the
               rows in a table take, so such a run would read in memory
               (SOCIND_STREAM_ROWS=1, a testing knob, streams them) */
            int32_t passes = 1;
            if (!rc && fixed_groups(sp) && sp->estimator != SOCIND_STATE_POVERTY_LINE &&
                socind_state_passes(probe, NULL, &passes) == SOCIND_OK && passes == 1 &&
                !stream_rows_kept())
                rc = STREAM_REDO;
            socind_state_free(probe);
            size_t from = k == 1 ? dslot : 0;
            size_t to = k == 1 ? dslot : pl.main == MAIN_WHOLE ? 0 : c->nby;
            for (size_t b = from; b <= to && !rc; b++) {
                slot_at[(size_t)i * per + b] = (int)s.nslot;
                stream_slot *sl = &s.slot[s.nslot++];
                sl->spec = *sp;
                sl->by = b == dslot                         ? (int)c->nby
                         : b > 0                            ? (int)b - 1
                         : ws->n > 0 && pl.main == MAIN_ALL ? STREAM_BY_WHERE
                                                            : -1;
                sl->y = k == 0 ? pl.y : STREAM_Y_VALUE;
                sl->fixed = fixed_groups(sp);
            }
        }
    }
    s.t = t;
    s.weight = dc->weight, s.strata = dc->strata, s.psu = dc->psu, s.fpc = dc->fpc;
    s.value = c->y;
    s.y2 = r->line.type == SOCIND_LINE_PER_ROW ? c->line : -1;
    s.nby = c->nby + (size_t)dec;
    for (size_t b = 0; b < c->nby; b++) s.by[b] = c->by[b];
    if (dec) s.by[c->nby] = c->dec;
    s.threads = threads;
    s.chunk_rows = stream_chunk_rows();
    s.nsub = nsub;
    for (size_t i = 0; i < nsub; i++) s.sub_col[i] = sub_col[i], s.sub_value[i] = sub_value[i];
    s.where = ws->n > 0 ? ws : NULL;
    if (!rc) rc = stream_run(&s);
    socind_estimate *fin = NULL, *sorted = NULL;
    breakdown bd[STREAM_MAX_BY];
    int32_t *code[STREAM_MAX_BY];
    memset(bd, 0, sizeof bd);
    memset(code, 0, sizeof code);
    for (size_t b = 0; b < s.nby && !rc; b++) rc = stream_groups(&s, s.by[b], &bd[b], &code[b]);
    /* the finished estimates, every one, before anything is said */
    size_t maxcount = 0;
    for (size_t k = 0; k < s.nslot && !rc; k++) {
        size_t count = 0;
        if (s.slot[k].state) socind_state_info(s.slot[k].state, &count, NULL, NULL, NULL);
        if (count > maxcount) maxcount = count;
    }
    if (!rc) {
        fin = malloc((maxcount ? maxcount : 1) * sizeof *fin);
        sorted = malloc((maxcount ? maxcount : 1) * sizeof *sorted);
        if (!fin || !sorted) rc = fail_with(EXIT_COMPUTE, "out of memory");
    }
    est_list out;
    memset(&out, 0, sizeof out);
    est_list keep = r->out;
    r->out = out;
    for (int i = 0; i < nind && !rc; i++) {
        for (size_t b = 0; b < per && !rc; b++) {
            int at = slot_at[(size_t)i * per + b];
            if (at < 0) continue;
            stream_slot *sl = &s.slot[at];
            const breakdown *bk = sl->by >= 0 ? &bd[sl->by] : NULL;
            if (bk && bk->n_groups == 0) continue;
            size_t count = 0;
            if (!sl->state || socind_state_info(sl->state, &count, NULL, NULL, NULL) ||
                (sl->by == STREAM_BY_WHERE && sl->groups != 1) ||
                socind_state_finish(sl->state, &opts, fin, count) != SOCIND_OK) {
                rc = STREAM_REDO; /* the in-memory path says why, naming the row */
                break;
            }
            const socind_estimate *e = fin;
            /* a decomposition's three estimates are not per group */
            int per_group = bk && sl->spec.estimator != SOCIND_STATE_GE_DECOMPOSITION;
            if (per_group) {
                size_t nout = count / (size_t)sl->groups;
                for (int32_t g = 0; g < bk->n_groups; g++) {
                    int32_t j = code[sl->by][g];
                    if (j < 0 || j >= sl->groups) {
                        rc = STREAM_REDO;
                        break;
                    }
                    memcpy(&sorted[(size_t)g * nout], &fin[(size_t)j * nout],
                           nout * sizeof *sorted);
                }
                e = sorted;
            }
            if (!rc)
                rc = b == dslot ? stream_dec_rows(r, &ind[i], bk, e)
                                : stream_rows(r, &ind[i], bk, e);
        }
    }
    if (!rc) {
        if (stream_verbose()) {
            fprintf(stderr, "socind %s: streamed %lld rows in %zu chunks on %d threads", a->command,
                    (long long)s.rows, s.chunks, s.threads);
            if (s.passes + s.spill_passes > 1) fprintf(stderr, ", readings: %d", s.passes);
            if (s.spill_passes)
                fprintf(stderr, ", passes over its rows kept on disk: %d", s.spill_passes);
            if (s.spill_lost) fputs(", its rows kept on disk lost (read again)", stderr);
            fputc('\n', stderr);
        }
        if (s.missing) /* the missing cells of the rows --subset keeps */
            for (size_t k = 0; k < t->ncols; k++) t->cols[k].n_missing = s.missing[k];
        note_income_missing(a->command, poverty, t, c, ind, nind);
        for (size_t k = 0; k < ws->n; k++) where_note(a->command, t, &ws->c[k]);
        rc = est_write(&r->out, a);
    }
    est_free(&r->out);
    r->out = keep;
    for (size_t b = 0; b < STREAM_MAX_BY; b++) {
        breakdown_free(&bd[b]);
        free(code[b]);
    }
    free(fin);
    free(sorted);
    for (size_t k = 0; k < s.nslot; k++) socind_state_free(s.slot[k].state);
    free(s.slot);
    free(slot_at);
    stream_free(&s);
    return rc;
}

static int run_income(int argc, char **argv, int poverty) {
    static const opt_spec own_poverty[] = {
        {"income", OPT_VALUE},        {"line", OPT_VALUE},
        {"line-col", OPT_VALUE},      {"relative", OPT_VALUE},
        {"inclusive", OPT_FLAG},      {"indicators", OPT_VALUE},
        {"by", OPT_REPEAT},           {"decompose-by", OPT_VALUE},
        {"nonpositive", OPT_VALUE},   {"rich-line", OPT_VALUE},
        {"rich-relative", OPT_VALUE}, {"where", OPT_REPEAT},
        {"threads", OPT_VALUE},       {NULL, 0}};
    static const opt_spec own_inequality[] = {
        {"income", OPT_VALUE},        {"indicators", OPT_VALUE},  {"by", OPT_REPEAT},
        {"decompose-by", OPT_VALUE},  {"nonpositive", OPT_VALUE}, {"rich-line", OPT_VALUE},
        {"rich-relative", OPT_VALUE}, {"sex", OPT_VALUE},         {"sex-codes", OPT_VALUE},
        {"invalid-codes", OPT_VALUE}, {"where", OPT_REPEAT},      {"age", OPT_VALUE},
        {"age-limit", OPT_VALUE},     {"threads", OPT_VALUE},     {NULL, 0}};
    const opt_spec *const specs[] = {poverty ? own_poverty : own_inequality, cli_design_opts,
                                     cli_output_opts, cli_input_opts, NULL};
    const char *command = poverty ? "poverty" : "inequality";
    args a;
    tbl t;
    run r;
    memset(&r, 0, sizeof r);
    breakdown by[MAX_BY + 1]; /* the --by columns, then --decompose-by's */
    memset(by, 0, sizeof by);
    income_cols c = {.y = -1, .line = -1, .age = -1, .nby = 0, .dec = -1, .sex = -1};
    int32_t *sex = NULL;
    socind_design *d = NULL;
    socind_options opts;
    double *ones = NULL;
    char *list = NULL;
    where_set ws;
    unsigned char *keep = NULL;
    int32_t *all_code = NULL;
    indicator ind[MAX_IND];
    int nind = 0;
    memset(&t, 0, sizeof t);
    if (args_parse(&a, command, argc, argv, 2, specs)) return EXIT_USAGE;
    int rc = table_setup(&t, &a);
    if (rc) goto done;
    if (!arg_get(&a, "income")) {
        rc = usage_error(command, "--income COL is required");
        goto done;
    }
    const char *ind_text = arg_get(&a, "indicators");
    list = strdup(ind_text ? ind_text : poverty ? "fgt0,fgt1,fgt2" : "gini");
    if (!list) {
        rc = fail_with(EXIT_USAGE, "out of memory");
        goto done;
    }
    if (ind_text && list_items_check(&a, "indicators", ind_text, ',')) {
        rc = EXIT_USAGE;
        goto done;
    }
    if ((rc = parse_indicators(command, arg_flag(&a, "decimal-comma"), list, ind, &nind)))
        goto done;
    if ((rc = check_indicators(command, ind, nind, poverty ? POVERTY_NAMES : INEQUALITY_NAMES,
                               poverty ? POVERTY_ARITY : INEQUALITY_ARITY)))
        goto done;
    if ((rc = nonpositive_opt(&a, &r.nonpositive))) goto done;
    int threads = 1;
    if ((rc = threads_option(&a, &threads))) goto done;
    r.age_limit = SOCIND_RMIR_DEFAULT_AGE_LIMIT;
    const char *age_limit = poverty ? NULL : arg_get(&a, "age-limit");
    if (age_limit && parse_double_opt(&a, "age-limit", age_limit, &r.age_limit)) {
        rc = EXIT_USAGE;
        goto done;
    }
    socind_poverty_line_init(&r.line);
    if (poverty && (rc = line_setup(&r, &a, &t, ind, nind, &c.line))) goto done;
    if ((rc = rich_setup(&r, &a, ind, nind))) goto done;
    if ((rc = want_columns(&a, &t, ind, nind, &c))) goto done;
    if ((rc = where_want(&t, &a, &ws))) goto done;
    if (poverty && ws.n > 0 && c.dec >= 0) {
        rc = usage_error(command, "--decompose-by (the poverty profile, whose shares are of the "
                                  "whole sample) does not combine with --where; use --subset");
        goto done;
    }
    design_cols dc;
    if ((rc = design_want(&t, &a, &dc))) goto done;
    if (c.y < 0 || (c.line < 0 && r.line.type == SOCIND_LINE_PER_ROW)) {
        rc = fail_with(EXIT_DATA, "out of memory");
        goto done;
    }
    rc = stream_income(&r, &a, &t, &c, &dc, ind, nind, poverty, &ws, threads);
    if (rc != STREAM_REDO) goto done;
    tbl_rewind(&t); /* read again, into memory */
    if (stream_verbose()) fprintf(stderr, "socind %s: read into memory\n", command);
    if ((rc = table_read(&t, &a))) goto done;
    note_income_missing(command, poverty, &t, &c, ind, nind);
    if (c.sex >= 0 && (rc = sex_codes(&a, &t, c.sex, &sex))) goto done;
    if ((rc = design_build(&t, &a, &dc, &d, &opts))) goto done;
    if ((rc = where_mask(command, &t, &ws, &keep))) goto done;
    if (keep) {
        all_code = malloc(t.nrows * sizeof *all_code);
        if (!all_code) {
            rc = fail_with(EXIT_COMPUTE, "out of memory");
            goto done;
        }
        for (size_t k = 0; k < t.nrows; k++) all_code[k] = keep[k] ? 0 : -1;
        r.all_code = all_code;
    }
    r.a = &a;
    r.t = &t;
    r.d = d;
    r.opts = &opts;
    r.y = t.cols[c.y].num;
    r.sex = sex;
    if (c.line >= 0) r.line.lines = t.cols[c.line].num;
    if (c.age >= 0) r.age = t.cols[c.age].num;
    int32_t maxg = 1;
    size_t nbreak = c.nby + (c.dec >= 0);
    for (size_t i = 0; i < nbreak; i++) {
        int col = i < c.nby ? c.by[i] : c.dec;
        if ((rc = breakdown_make_in(&t, &t.cols[col], keep, &by[i]))) goto done;
        if (by[i].n_groups > maxg) maxg = by[i].n_groups;
    }
    r.buf = malloc((size_t)maxg * MAX_PARTS * sizeof *r.buf);
    ones = malloc(t.nrows * sizeof *ones);
    if (!r.buf || !ones) {
        rc = fail_with(EXIT_COMPUTE, "out of memory");
        goto done;
    }
    for (size_t k = 0; k < t.nrows; k++) ones[k] = isnan(r.y[k]) ? NAN : 1.0;
    for (int i = 0; i < nind; i++) {
        for (size_t s = 0; s <= c.nby; s++) {
            const breakdown *b = s == 0 ? NULL : &by[s - 1];
            rc = poverty ? poverty_one(&r, &ind[i], b) : inequality_one(&r, &ind[i], b, ones);
            if (rc) goto done;
        }
        if (c.dec >= 0 && by[c.nby].n_groups > 0 &&
            (rc = decomposed_one(&r, &ind[i], &by[c.nby], poverty)))
            goto done;
    }
    rc = est_write(&r.out, &a);
done:
    for (size_t i = 0; i <= MAX_BY; i++) breakdown_free(&by[i]);
    est_free(&r.out);
    free(r.buf);
    free(ones);
    free(sex);
    free(list);
    free(keep);
    free(all_code);
    socind_design_free(d);
    tbl_free(&t);
    args_free(&a);
    return rc;
}

int cmd_poverty(int argc, char **argv) {
    return run_income(argc, argv, 1);
}

int cmd_inequality(int argc, char **argv) {
    return run_income(argc, argv, 0);
}
