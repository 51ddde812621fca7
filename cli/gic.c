/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli/gic.c — `socind gic BASE_FILE COMPARE_FILE`: the growth incidence
 * curve between two survey rounds (socind_growth_incidence), each file read
 * with the same input and design options as `socind inequality`, the line
 * (for H1) as `socind poverty` takes it, on the base round. */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"
#include "numbers.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GIC_MAX_POINTS 999

static const opt_spec own_gic[] = {{"income", OPT_VALUE},
                                   {"price-ratio", OPT_VALUE},
                                   {"percentiles", OPT_VALUE},
                                   {"line", OPT_VALUE},
                                   {"line-col", OPT_VALUE},
                                   {"relative", OPT_VALUE},
                                   {"inclusive", OPT_FLAG},
                                   {"base-subset", OPT_REPEAT},
                                   {"compare-subset", OPT_REPEAT},
                                   {"by", OPT_REPEAT},
                                   {NULL, 0}};
#define GIC_MAX_BY 8

static int percentile_item(const args *a, num_item *it, void *ctx, char *why, size_t cap) {
    (void)ctx;
    if (num_item_read(a, "percentiles", it, why, cap)) return 1;
    if (!(it->value > 0.0 && it->value < 1.0))
        return snprintf(why, cap,
                        "--percentiles: %s is not a fraction in (0, 1) (the 10th percentile is "
                        "0.1, as in quantile:0.1%s)",
                        it->text,
                        arg_flag(a, "decimal-comma") ? "; 0,1 under --decimal-comma" : ""),
               1;
    return 0;
}

static int percentiles_all(const args *a, const num_item *it, size_t n, void *ctx, char *why,
                           size_t cap) {
    (void)a, (void)ctx;
    if (n > GIC_MAX_POINTS)
        return snprintf(why, cap, "--percentiles: more than %d points", GIC_MAX_POINTS), 1;
    return num_items_repeat("percentiles", it, n, why, cap);
}

/* --percentiles "0.1,0.5,0.9" (fractions, as quantile:P; num_list_parse's rule
 * under --decimal-comma, e.g. "0,1;0,5;0,9"): *p (the caller frees) and
 * their texts (pointers into L, or, for one written with a decimal comma,
 * into num: the number with a decimal point, as the output's numbers
 * have). */
static int percentiles_opt(const args *a, const char *given, num_list *L, double **p,
                           const char **text, char (*num)[32], size_t *np) {
    *np = 0;
    *p = NULL;
    const num_list_spec spec = {"percentiles", LIST_NUMBERS, percentile_item, percentiles_all,
                                NULL};
    if (num_list_parse(a, &spec, given, L)) return EXIT_USAGE;
    *p = malloc(GIC_MAX_POINTS * sizeof **p);
    if (!*p) return fail_with(EXIT_USAGE, "out of memory");
    for (size_t i = 0; i < L->n; i++) {
        (*p)[i] = L->item[i].value;
        text[i] = L->item[i].text;
        if (strchr(text[i], ',')) {
            number_shortest((*p)[i], num[i], sizeof num[i]);
            text[i] = num[i];
        }
    }
    *np = L->n;
    return 0;
}

/* The line from --line, --line-col or --relative (on the base file). */
static int gic_line(const args *a, tbl *t, socind_poverty_line *L, int *line_col) {
    const char *lv = arg_get(a, "line"), *lc = arg_get(a, "line-col"),
               *rel = arg_get(a, "relative");
    socind_poverty_line_init(L);
    *line_col = -1;
    if ((lv != NULL) + (lc != NULL) + (rel != NULL) != 1)
        return usage_error(a->command,
                           "give exactly one of --line X, --line-col COL, --relative F:median "
                           "or --relative F:mean: the base round's poverty line, whose "
                           "headcount H1 marks the poor");
    if (lv) {
        if (parse_line_opt(a, "line", lv, &L->value)) return EXIT_USAGE;
    } else if (lc) {
        L->type = SOCIND_LINE_PER_ROW;
        *line_col = tbl_want(t, lc, "line-col", TBL_NUM);
        if (*line_col < 0) return fail_with(EXIT_DATA, "out of memory");
    } else if (cli_relative_opt(a, "relative", rel, "0.6:median", L)) {
        return EXIT_USAGE;
    }
    L->inclusive = arg_flag(a, "inclusive");
    return 0;
}

/* One round's file: read, its income column, its design. */
typedef struct {
    args a; /* the options, file = this round's; its own option list, where
               each --base-subset (round 0) or --compare-subset (round 1)
               value is also a --subset */
    tbl t;
    design_cols dc;
    int y;
    socind_design *d;
} round_file;

static int round_open(round_file *r, const args *a, const char *file, int k) {
    r->a = *a;
    r->a.file = file;
    r->a.kv = calloc(2 * a->n + 1, sizeof *r->a.kv);
    if (!r->a.kv) return fail_with(EXIT_USAGE, "out of memory");
    for (size_t i = 0; i < a->n; i++) r->a.kv[i] = a->kv[i];
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->kv[i].name, k ? "compare-subset" : "base-subset") == 0)
            r->a.kv[r->a.n++] = (opt_kv){"subset", a->kv[i].value};
    int rc = table_setup(&r->t, &r->a);
    if (rc) return rc;
    r->y = tbl_want(&r->t, arg_get(a, "income"), "income", TBL_NUM);
    if (r->y < 0) return fail_with(EXIT_DATA, "out of memory");
    return design_want(&r->t, &r->a, &r->dc);
}

/* A breakdown's domains over both files: the base file's labels (sorted as
 * --by sorts them), then the compare file's others; code[k] per row of
 * file k (−1: missing). */
typedef struct {
    int32_t n;
    char **label; /* borrowed from b[0] / b[1] */
    int32_t *code[2];
    breakdown b[2];
} domains;

static void domains_free(domains *d) {
    free(d->label);
    free(d->code[0]);
    free(d->code[1]);
    breakdown_free(&d->b[0]);
    breakdown_free(&d->b[1]);
    memset(d, 0, sizeof *d);
}

static int domains_make(const tbl *t0, const tbl *t1, int c0, int c1, domains *d) {
    memset(d, 0, sizeof *d);
    int rc = breakdown_make(t0, &t0->cols[c0], &d->b[0]);
    if (!rc) rc = breakdown_make(t1, &t1->cols[c1], &d->b[1]);
    if (rc) return domains_free(d), rc;
    const int32_t n0 = d->b[0].n_groups, n1 = d->b[1].n_groups;
    d->label = malloc(((size_t)n0 + (size_t)n1 + 1) * sizeof *d->label);
    int32_t *map1 = malloc(((size_t)n1 + 1) * sizeof *map1);
    d->code[0] = malloc((t0->nrows ? t0->nrows : 1) * sizeof *d->code[0]);
    d->code[1] = malloc((t1->nrows ? t1->nrows : 1) * sizeof *d->code[1]);
    if (!d->label || !map1 || !d->code[0] || !d->code[1]) {
        free(map1);
        domains_free(d);
        return fail_with(EXIT_DATA, "out of memory");
    }
    for (int32_t g = 0; g < n0; g++) d->label[d->n++] = d->b[0].label[g];
    if ((rc = labels_index((const char *const *)d->b[0].label, n0,
                           (const char *const *)d->b[1].label, n1, map1))) {
        free(map1);
        domains_free(d);
        return rc;
    }
    for (int32_t g = 0; g < n1; g++)
        if (map1[g] < 0) {
            map1[g] = d->n;
            d->label[d->n++] = d->b[1].label[g];
        }
    memcpy(d->code[0], d->b[0].code, t0->nrows * sizeof *d->code[0]);
    for (size_t r = 0; r < t1->nrows; r++)
        d->code[1][r] = d->b[1].code[r] < 0 ? -1 : map1[d->b[1].code[r]];
    free(map1);
    return 0;
}

/* The rows of one call: the whole sample (dm NULL) or a breakdown's domains. */
static int gic_rows(round_file *R, const socind_poverty_line *L, double ratio, const double *p,
                    size_t np, const char *const *ptext, const socind_options *opts,
                    const domains *dm, est_list *out) {
    const int32_t G = dm ? dm->n : 1;
    socind_estimate *curve = malloc(np * (size_t)G * sizeof *curve);
    socind_estimate *s = malloc((size_t)SOCIND_GIC_COUNT * (size_t)G * sizeof *s);
    if (!curve || !s) {
        free(curve), free(s);
        return fail_with(EXIT_COMPUTE, "out of memory");
    }
    int32_t st = socind_growth_incidence(R[0].d, R[0].t.cols[R[0].y].num, dm ? dm->code[0] : NULL,
                                         R[1].d, R[1].t.cols[R[1].y].num, dm ? dm->code[1] : NULL,
                                         G, ratio, p, p ? np : 0, L, opts, curve, s);
    int rc = 0;
    if (st) {
        /* the detail says which round a row belongs to */
        int second = strncmp(socind_last_error_detail(), "round 2", 7) == 0;
        rc = lib_fail(&R[second].a, &R[second].t, NULL, "gic", st);
    }
    static const char *const names[SOCIND_GIC_COUNT] = {[SOCIND_GIC_MEAN] = "mean_growth",
                                                        [SOCIND_GIC_MEAN_POOR] = "mean_poor_growth",
                                                        [SOCIND_GIC_PRO_POOR] = "pro_poor_growth",
                                                        [SOCIND_GIC_HEADCOUNT] = "headcount"};
    for (int32_t g = 0; !rc && g < G; g++) {
        const char *group = dm ? dm->label[g] : "all";
        for (size_t i = 0; !rc && i < np; i++) {
            char par[32];
            if (p)
                snprintf(par, sizeof par, "%s", ptext[i]);
            else
                snprintf(par, sizeof par, "%.2f", (double)(i + 1) / 100.0);
            rc = est_add(out, "gic", par, group, &curve[(size_t)g * np + i]);
        }
        /* the pro-poor rate's grid: p = 0.01 .. K/100 <= H1 */
        const socind_estimate *sg = &s[(size_t)g * SOCIND_GIC_COUNT];
        char ppg[48] = "";
        double H = sg[SOCIND_GIC_HEADCOUNT].value;
        int K = 0;
        while (K < SOCIND_GIC_DEFAULT_POINTS && (double)(K + 1) / 100.0 <= H) K++;
        if (K > 0) snprintf(ppg, sizeof ppg, "p<=%.2f", (double)K / 100.0);
        for (int k = 0; !rc && k < SOCIND_GIC_COUNT; k++)
            rc = est_add(out, names[k], k == SOCIND_GIC_PRO_POOR ? ppg : "", group, &sg[k]);
    }
    free(curve);
    free(s);
    return rc;
}

int cmd_gic(int argc, char **argv) {
    const opt_spec *const specs[] = {own_gic, cli_design_opts, cli_output_opts, cli_input_opts,
                                     NULL};
    const char *command = "gic";
    /* the two files: the first positional argument is the base, the second
       the comparison; args_parse takes one, so the second is set apart */
    char **av = malloc((size_t)(argc + 1) * sizeof *av);
    if (!av) return fail_with(EXIT_USAGE, "out of memory");
    int ac = 0, only = 0;
    const char *files[3] = {NULL, NULL, NULL};
    int nfiles = 0;
    for (int i = 0; i < argc; i++) {
        const char *s = argv[i];
        if (i < 2) {
            av[ac++] = argv[i];
            continue;
        }
        if (!only && strcmp(s, "--") == 0) {
            only = 1;
            av[ac++] = argv[i];
            continue;
        }
        if (only || s[0] != '-' || s[1] == '\0') {
            if (nfiles < 3) files[nfiles] = s;
            nfiles++;
            if (nfiles == 1) av[ac++] = argv[i];
            continue;
        }
        av[ac++] = argv[i];
        if (args_takes_value(specs, s) && i + 1 < argc) av[ac++] = argv[++i];
    }
    av[ac] = NULL;
    args a;
    if (args_parse(&a, command, ac, av, 2, specs)) {
        free(av);
        return EXIT_USAGE;
    }
    round_file R[2];
    memset(R, 0, sizeof R);
    est_list out = {NULL, 0, 0};
    double *p = NULL;
    num_list plist = {0};
    const char **ptext = NULL;
    char(*pnum)[32] = NULL;
    int rc = 0;
    if (nfiles != 2) {
        rc = usage_error(command,
                         nfiles < 2 ? "two input files expected (BASE_FILE COMPARE_FILE), got %d"
                                    : "two input files expected (BASE_FILE COMPARE_FILE), got %d: "
                                      "\"%s\", \"%s\", \"%s\"…",
                         nfiles, files[0], files[1], files[2]);
        goto done;
    }
    if ((rc = two_rounds_check(command, &a, files[0], files[1]))) goto done;
    if (!arg_get(&a, "income")) {
        rc = usage_error(command, "--income COL is required (per-capita income or "
                                  "consumption, the same column in both files)");
        goto done;
    }
    /* each round has its own design (and one targets file cannot be both
       rounds' totals), as in socind change */
    static const char *const refused[] = {
        "poststratify",       "rake", "calibrate", "cal-method", "cal-bounds",
        "calibrated-weights", NULL};
    a.refused = refused;
    if ((rc = refuse_round_options(command, &a, refused))) goto done;
    if (rep_requested(&a)) {
        rc = usage_error(command, "replicate weights are not supported by gic (its SEs are "
                                  "linearized): leave out --repweights, --rep-factors and "
                                  "--rep-make");
        goto done;
    }
    double ratio = 1.0;
    const char *pr = arg_get(&a, "price-ratio");
    if (pr) {
        if (parse_double_opt(&a, "price-ratio", pr, &ratio)) {
            rc = EXIT_USAGE;
            goto done;
        }
        if (!(ratio > 0.0)) {
            rc = usage_error(command,
                             "--price-ratio must be > 0 (the compare round's CPI over the base "
                             "round's), got %s",
                             pr);
            goto done;
        }
    }
    size_t np = SOCIND_GIC_DEFAULT_POINTS;
    const char *pl = arg_get(&a, "percentiles");
    ptext = calloc(GIC_MAX_POINTS, sizeof *ptext);
    pnum = calloc(GIC_MAX_POINTS, sizeof *pnum);
    if (!ptext || !pnum) {
        rc = fail_with(EXIT_USAGE, "out of memory");
        goto done;
    }
    if (pl && (rc = percentiles_opt(&a, pl, &plist, &p, ptext, pnum, &np))) goto done;
    if ((rc = round_open(&R[0], &a, files[0], 0))) goto done;
    socind_poverty_line L;
    int line_col;
    if ((rc = gic_line(&a, &R[0].t, &L, &line_col))) goto done;
    if ((rc = round_open(&R[1], &a, files[1], 1))) goto done;
    const char *by_names[GIC_MAX_BY + 1];
    size_t nby = arg_all(&a, "by", by_names, GIC_MAX_BY + 1);
    if (nby > GIC_MAX_BY) {
        rc = usage_error(command, "more than %d --by", GIC_MAX_BY);
        goto done;
    }
    int bycol[2][GIC_MAX_BY];
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; i < nby; i++)
            if ((bycol[k][i] = tbl_want(&R[k].t, by_names[i], "by", TBL_LABEL)) < 0) {
                rc = fail_with(EXIT_DATA, "out of memory");
                goto done;
            }
    socind_options opts;
    for (int k = 0; k < 2; k++) {
        if ((rc = table_read(&R[k].t, &R[k].a))) goto done;
        note_missing(command, &R[k].t, R[k].y,
                     k ? "they are left out of the compare round's quantiles"
                       : "they are left out of the base round's quantiles and of H1");
        if (k == 0 && line_col >= 0)
            note_missing(
                command, &R[k].t, line_col,
                "they are left out of H1 (the base round's headcount) and kept in its quantiles");
        for (size_t i = 0; i < nby; i++)
            note_missing(command, &R[k].t, bycol[k][i],
                         k ? "they are left out of the compare round's rows of that "
                             "breakdown and kept in \"all\""
                           : "they are left out of the base round's rows of that "
                             "breakdown and kept in \"all\"");
        if ((rc = design_build(&R[k].t, &R[k].a, &R[k].dc, &R[k].d, &opts))) goto done;
    }
    warn_shared_psus(command, &R[0].t, &R[0].dc, &R[1].t, &R[1].dc);
    if (line_col >= 0) L.lines = R[0].t.cols[line_col].num;
    /* the whole sample, then each --by's domains (labels of either file) */
    for (size_t s_ = 0; s_ <= nby; s_++) {
        domains dm;
        if (s_ == 0)
            memset(&dm, 0, sizeof dm);
        else if ((rc = domains_make(&R[0].t, &R[1].t, bycol[0][s_ - 1], bycol[1][s_ - 1], &dm)))
            goto done;
        if (s_ > 0 && dm.n == 0) {
            domains_free(&dm);
            continue;
        }
        if (s_ > 0) note_one_round_groups(command, "by", &R[0].t, &dm.b[0], &R[1].t, &dm.b[1]);
        rc =
            gic_rows(R, &L, ratio, p, np, (const char *const *)ptext, &opts, s_ ? &dm : NULL, &out);
        domains_free(&dm);
        if (rc) goto done;
    }
    rc = est_write(&out, &a);
done:
    est_free(&out);
    free(p);
    num_list_free(&plist);
    free(ptext);
    free(pnum);
    for (int k = 0; k < 2; k++) {
        socind_design_free(R[k].d);
        tbl_free(&R[k].t);
        free(R[k].a.kv);
    }
    args_free(&a);
    free(av);
    return rc;
}
