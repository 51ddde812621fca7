/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli/simulate.c — `socind simulate FILE`: what a transfer would do
 * (socind_simulate_transfer, socind/simulate.h). The design, input and
 * output options are the other commands'; --where and --by as in socind
 * poverty; the line --line X, --line-col COL or --relative F:median|F:mean
 * (estimated on the baseline income and held fixed). The transfer:
 *   --amount X                       one amount (currency of --income, per period)
 *   --amount-by COL --amounts G=V,…  the amount of each row's COL group (a
 *                                    group not listed gets nothing)
 *   --per person|household           per person (default) or per household,
 *                                    divided by --household-size COL
 *   --select COND                    the selection rule, repeatable (every
 *                                    condition holds): --where's syntax, COL=V,
 *                                    COL!=V (text), COL<V, <=, >, >= (numbers);
 *                                    a row whose COL is missing is not selected
 *   --select-poorest P               and income <= the weighted P-quantile of
 *                                    the baseline income (P = 0.1: decile 1)
 *                                    over the rows --where keeps, computed
 *                                    once and then a fixed rule
 * Output: the tidy table, indicator,parameter,group,…:
 *   fgtA   before|after|change        (A each --alpha)
 *   fgtA_reduction per_billion        −ΔP_A/(|cost|/unit)
 *   gini   before|after|change
 *   poor   before|after|change        number of poor (persons)
 *   cost   total                      Σ w·t
 *   lifted per_billion                people lifted out of poverty per unit */
#define _POSIX_C_SOURCE 200809L

#include "cli.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const opt_spec own_opts[] = {{"income", OPT_VALUE},
                                    {"line", OPT_VALUE},
                                    {"line-col", OPT_VALUE},
                                    {"relative", OPT_VALUE},
                                    {"inclusive", OPT_FLAG},
                                    {"amount", OPT_VALUE},
                                    {"per", OPT_VALUE},
                                    {"household-size", OPT_VALUE},
                                    {"amount-by", OPT_VALUE},
                                    {"amounts", OPT_VALUE},
                                    {"select", OPT_REPEAT},
                                    {"select-poorest", OPT_VALUE},
                                    {"alpha", OPT_VALUE},
                                    {"cost-unit", OPT_VALUE},
                                    {"by", OPT_REPEAT},
                                    {"where", OPT_REPEAT},
                                    {NULL, 0}};

#define MAX_BY_SIM 8
#define MAX_SELECT 32
#define MAX_AMOUNTS 256

typedef struct amount_entry {
    char label[256];
    double value;
    int code; /* the column's label code, −1 when no row has it */
} amount_entry;

static int alpha_item(const args *a, num_item *it, void *ctx, char *why, size_t cap) {
    (void)ctx;
    if (num_item_read(a, "alpha", it, why, cap)) return 1;
    if (!(it->value >= 0.0)) return snprintf(why, cap, "--alpha: %s is not >= 0", it->text), 1;
    return 0;
}

static int alpha_all(const args *a, const num_item *it, size_t n, void *ctx, char *why,
                     size_t cap) {
    (void)a, (void)ctx;
    if (n > SOCIND_SIM_MAX_ALPHA)
        return snprintf(why, cap, "--alpha takes at most %d values", SOCIND_SIM_MAX_ALPHA), 1;
    return num_items_repeat("alpha", it, n, why, cap);
}

/* --alpha A,B,… (1 to SOCIND_SIM_MAX_ALPHA numbers; num_list_parse's rule) */
static int alpha_opt(const args *a, double *alpha, int32_t *na) {
    const char *v = arg_get(a, "alpha");
    if (!v) {
        alpha[0] = 0.0, alpha[1] = 1.0, alpha[2] = 2.0;
        *na = 3;
        return 0;
    }
    const num_list_spec spec = {"alpha", LIST_NUMBERS, alpha_item, alpha_all, NULL};
    num_list L;
    if (num_list_parse(a, &spec, v, &L)) return EXIT_USAGE;
    for (size_t i = 0; i < L.n; i++) alpha[i] = L.item[i].value;
    *na = (int32_t)L.n;
    num_list_free(&L);
    return 0;
}

static int amounts_item(const args *a, num_item *it, void *ctx, char *why, size_t cap) {
    (void)ctx;
    const int dc = arg_flag(a, "decimal-comma");
    if (!it->key || !*it->key) {
        if (it->key)
            return snprintf(why, cap, "--amounts: an item \"%s\" has no group name", it->text), 1;
        return snprintf(why, cap, "--amounts must be GROUP=AMOUNT%s… (e.g. %s), not \"%s\"",
                        dc ? ";" : ",",
                        dc ? "\"1=300000;2=150000\" under --decimal-comma" : "1=300000,2=150000",
                        it->text),
               1;
    }
    if (strlen(it->key) >= sizeof((amount_entry *)0)->label)
        return snprintf(why, cap, "--amounts: a group name is too long"), 1;
    return num_item_read(a, "amounts", it, why, cap);
}

static int amounts_all(const args *a, const num_item *it, size_t n, void *ctx, char *why,
                       size_t cap) {
    (void)a, (void)ctx;
    if (n > MAX_AMOUNTS)
        return snprintf(why, cap, "--amounts lists more than %d groups", MAX_AMOUNTS), 1;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < i; j++)
            if (strcmp(it[j].key, it[i].key) == 0)
                return snprintf(why, cap, "--amounts names group \"%s\" twice", it[i].key), 1;
    return 0;
}

/* --amounts G=V,G=V (labels as the --amount-by column writes them;
 * num_list_parse's rule), read before the file */
static int amounts_opt(const args *a, amount_entry *e, int *ne) {
    const num_list_spec spec = {"amounts", LIST_PAIRS_LAST, amounts_item, amounts_all, NULL};
    num_list L;
    if (num_list_parse(a, &spec, arg_get(a, "amounts"), &L)) return EXIT_USAGE;
    for (size_t i = 0; i < L.n; i++) {
        snprintf(e[i].label, sizeof e[i].label, "%s", L.item[i].key);
        e[i].value = L.item[i].value;
        e[i].code = -1;
    }
    *ne = (int)L.n;
    num_list_free(&L);
    return 0;
}

/* Parses every --select and requests its columns (as where_want). */
static int select_want(tbl *t, const args *a, where_set *w) {
    memset(w, 0, sizeof *w);
    const char *txt[MAX_SELECT + 1];
    size_t n = arg_all(a, "select", txt, MAX_SELECT + 1);
    if (n > MAX_SELECT) return usage_error(a->command, "more than %d --select", MAX_SELECT);
    for (size_t i = 0; i < n; i++) {
        cond *c = &w->c[i];
        if (cond_parse(txt[i], c))
            return usage_error(a->command,
                               "--select must be COL=V, COL!=V, COL<V, COL<=V, COL>V or COL>=V "
                               "(e.g. decile=1 or recipient=1), not \"%s\"",
                               txt[i]);
        c->text = txt[i];
        if (c->op == COND_EQ || c->op == COND_NE) {
            c->col = tbl_want(t, c->name, "select", TBL_LABEL);
        } else {
            char why[300];
            if (tbl_parse_option_number(c->value, arg_flag(a, "decimal-comma"), &c->num, why,
                                        sizeof why))
                return usage_error(a->command, "--select %s: %s", txt[i], why);
            c->col = tbl_want(t, c->name, "select", TBL_NUM);
        }
        if (c->col < 0) return fail_with(EXIT_DATA, "out of memory");
    }
    w->n = n;
    return 0;
}

typedef struct sim_run {
    const args *a;
    const tbl *t;
    const socind_design *d;
    const socind_options *opts;
    const double *y;
    socind_poverty_line line;
    const double *alpha;
    int32_t na;
    const socind_transfer *tr;
    socind_estimate *buf;
    est_list out;
    char unit_name[64];
} sim_run;

/* One breakdown's estimates (b NULL: "all", over group, NULL or --where's). */
static int sim_one(sim_run *r, const breakdown *b, const int32_t *all_code) {
    if (b && b->n_groups == 0) return 0;
    const int32_t *group = b ? b->code : all_code;
    int32_t G = b ? b->n_groups : 1;
    int32_t st = socind_simulate_transfer(r->d, r->y, &r->line, r->alpha, r->na, r->tr, group, G,
                                          r->opts, r->buf);
    if (st) return lib_fail(r->a, r->t, NULL, "simulate", st);
    const size_t K = (size_t)SOCIND_SIM_COUNT(r->na);
    static const char *const part[4] = {"before", "after", "change", NULL};
    for (int32_t g = 0; g < G; g++) {
        const socind_estimate *e = r->buf + (size_t)g * K;
        const char *lab = b ? b->label[g] : "all";
        int rc = 0;
        for (int32_t i = 0; i < r->na && !rc; i++) {
            char name[64], red[80];
            snprintf(name, sizeof name, "fgt%g", r->alpha[i]);
            snprintf(red, sizeof red, "%s_reduction", name);
            for (int p = 0; p < 3 && !rc; p++)
                rc = est_add(&r->out, name, part[p], lab, &e[SOCIND_SIM_FGT(i, p)]);
            if (!rc)
                rc = est_add(&r->out, red, r->unit_name, lab,
                             &e[SOCIND_SIM_FGT(i, SOCIND_SIM_FGT_PER_UNIT)]);
        }
        for (int p = 0; p < 3 && !rc; p++) rc = est_add(&r->out, "gini", part[p], lab, &e[p]);
        for (int p = 0; p < 3 && !rc; p++)
            rc = est_add(&r->out, "poor", part[p], lab, &e[SOCIND_SIM_POOR_BEFORE + p]);
        if (!rc) rc = est_add(&r->out, "cost", "total", lab, &e[SOCIND_SIM_COST]);
        if (!rc) rc = est_add(&r->out, "lifted", r->unit_name, lab, &e[SOCIND_SIM_LIFTED_PER_UNIT]);
        if (rc) return rc;
    }
    return 0;
}

int cmd_simulate(int argc, char **argv) {
    const opt_spec *const specs[] = {own_opts, cli_design_opts, cli_output_opts, cli_input_opts,
                                     NULL};
    const char *command = "simulate";
    args a;
    tbl t;
    memset(&t, 0, sizeof t);
    sim_run r;
    memset(&r, 0, sizeof r);
    breakdown by[MAX_BY_SIM];
    memset(by, 0, sizeof by);
    socind_design *d = NULL;
    socind_options opts;
    where_set ws, ss;
    unsigned char *keep = NULL;
    int32_t *all_code = NULL, *selected = NULL, *code = NULL;
    double *amounts = NULL;
    amount_entry *ae = NULL;
    int nae = 0;
    double alpha[SOCIND_SIM_MAX_ALPHA];
    socind_transfer tr;
    socind_transfer_init(&tr);
    if (args_parse(&a, command, argc, argv, 2, specs)) return EXIT_USAGE;
    int rc = table_setup(&t, &a);
    if (rc) goto done;
    /* the income and the line */
    if (!arg_get(&a, "income")) {
        rc = usage_error(command, "--income COL is required");
        goto done;
    }
    const char *lv = arg_get(&a, "line"), *lc = arg_get(&a, "line-col"),
               *rel = arg_get(&a, "relative");
    if ((lv != NULL) + (lc != NULL) + (rel != NULL) != 1) {
        rc = usage_error(command, "give exactly one of --line X, --line-col COL, --relative "
                                  "F:median or --relative F:mean");
        goto done;
    }
    socind_poverty_line_init(&r.line);
    int line_col = -1;
    if (lv) {
        if (parse_line_opt(&a, "line", lv, &r.line.value)) {
            rc = EXIT_USAGE;
            goto done;
        }
    } else if (lc) {
        r.line.type = SOCIND_LINE_PER_ROW;
        line_col = tbl_want(&t, lc, "line-col", TBL_NUM);
    } else if (cli_relative_opt(&a, "relative", rel, "0.6:median", &r.line)) {
        rc = EXIT_USAGE;
        goto done;
    }
    r.line.inclusive = arg_flag(&a, "inclusive");
    if ((rc = alpha_opt(&a, alpha, &r.na))) goto done;
    r.alpha = alpha;
    /* the transfer */
    const char *amt = arg_get(&a, "amount"), *aby = arg_get(&a, "amount-by"),
               *ams = arg_get(&a, "amounts"), *per = arg_get(&a, "per"),
               *hs = arg_get(&a, "household-size");
    if ((aby != NULL) != (ams != NULL)) {
        rc = usage_error(command, "--amount-by COL and --amounts G=V,... go together");
        goto done;
    }
    if ((amt != NULL) == (aby != NULL)) {
        rc = usage_error(command, "give --amount X, or --amount-by COL with --amounts G=V,... "
                                  "(one of them)");
        goto done;
    }
    if (amt && parse_double_opt(&a, "amount", amt, &tr.amount)) {
        rc = EXIT_USAGE;
        goto done;
    }
    if (ams) {
        ae = calloc(MAX_AMOUNTS, sizeof *ae);
        if (!ae) {
            rc = fail_with(EXIT_USAGE, "out of memory");
            goto done;
        }
        if ((rc = amounts_opt(&a, ae, &nae))) goto done;
    }
    if (!per || strcmp(per, "person") == 0) {
        tr.per = SOCIND_TRANSFER_PER_PERSON;
        if (hs) {
            rc = usage_error(command, "--household-size is read with --per household only");
            goto done;
        }
    } else if (strcmp(per, "household") == 0) {
        tr.per = SOCIND_TRANSFER_PER_HOUSEHOLD;
        if (!hs) {
            rc = usage_error(command, "--per household needs --household-size COL (persons in "
                                      "the row's household: the amount is shared among them)");
            goto done;
        }
    } else {
        rc = usage_error(command, "--per must be person or household");
        goto done;
    }
    const char *cu = arg_get(&a, "cost-unit");
    if (cu) {
        if (parse_double_opt(&a, "cost-unit", cu, &tr.cost_unit)) {
            rc = EXIT_USAGE;
            goto done;
        }
        if (!(tr.cost_unit >= DBL_MIN) || isinf(tr.cost_unit)) {
            rc = usage_error(command,
                             "--cost-unit must be > 0 (1e9: per billion), finite and at least "
                             "%g, got %s",
                             DBL_MIN, cu);
            goto done;
        }
    }
    if (tr.cost_unit == 1e9)
        snprintf(r.unit_name, sizeof r.unit_name, "per_billion");
    else
        snprintf(r.unit_name, sizeof r.unit_name, "per_%g", tr.cost_unit);
    double poorest = NAN;
    const char *sp = arg_get(&a, "select-poorest");
    if (sp) {
        if (parse_double_opt(&a, "select-poorest", sp, &poorest)) {
            rc = EXIT_USAGE;
            goto done;
        }
        if (!(poorest > 0.0 && poorest < 1.0)) {
            rc = usage_error(command, "--select-poorest P: a share in (0, 1), e.g. 0.1 for "
                                      "the poorest decile");
            goto done;
        }
    }
    /* the columns */
    int ycol = tbl_want(&t, arg_get(&a, "income"), "income", TBL_NUM);
    int hcol = hs ? tbl_want(&t, hs, "household-size", TBL_NUM) : -1;
    int acol = aby ? tbl_want(&t, aby, "amount-by", TBL_LABEL) : -1;
    const char *by_names[MAX_BY_SIM + 1];
    size_t nby = arg_all(&a, "by", by_names, MAX_BY_SIM + 1);
    if (nby > MAX_BY_SIM) {
        rc = usage_error(command, "more than %d --by", MAX_BY_SIM);
        goto done;
    }
    int bycol[MAX_BY_SIM];
    for (size_t i = 0; i < nby; i++) bycol[i] = tbl_want(&t, by_names[i], "by", TBL_LABEL);
    if ((rc = select_want(&t, &a, &ss))) goto done;
    if ((rc = where_want(&t, &a, &ws))) goto done;
    design_cols dc;
    if ((rc = design_want(&t, &a, &dc))) goto done;
    if (ycol < 0 || (lc && line_col < 0) || (hs && hcol < 0) || (aby && acol < 0)) {
        rc = fail_with(EXIT_DATA, "out of memory");
        goto done;
    }
    if ((rc = table_read(&t, &a))) goto done;
    note_missing(command, &t, ycol,
                 "they are left out of every estimate (a selected row is still paid: its "
                 "transfer counts in the cost)");
    note_missing(command, &t, line_col, "they are left out of every estimate");
    for (size_t i = 0; i < nby; i++) {
        char what[600];
        snprintf(what, sizeof what,
                 "they are left out of the \"%s: ...\" rows of that breakdown and kept in \"all\"",
                 t.cols[bycol[i]].name);
        note_missing(command, &t, bycol[i], what);
    }
    if ((rc = design_build(&t, &a, &dc, &d, &opts))) goto done;
    if ((rc = where_mask(command, &t, &ws, &keep))) goto done;
    const size_t n = t.nrows;
    r.y = t.cols[ycol].num;
    if (line_col >= 0) r.line.lines = t.cols[line_col].num;
    /* the selection: every --select, and --select-poorest */
    selected = malloc(n * sizeof *selected);
    all_code = keep ? malloc(n * sizeof *all_code) : NULL;
    if (!selected || (keep && !all_code)) {
        rc = fail_with(EXIT_COMPUTE, "out of memory");
        goto done;
    }
    for (size_t k = 0; k < n; k++) selected[k] = 1;
    for (size_t i = 0; i < ss.n; i++) {
        char value[512], what[700];
        cond_value(&ss.c[i], value, sizeof value);
        if (cond_labels_check(&t, &ss.c[i], "select", value)) {
            rc = EXIT_DATA;
            goto done;
        }
        for (size_t k = 0; k < n; k++)
            if (selected[k] && !cond_holds(&t, &ss.c[i], value, k)) selected[k] = 0;
        snprintf(what, sizeof what, "they do not meet --select %s: no transfer for them",
                 ss.c[i].text);
        note_missing(command, &t, ss.c[i].col, what);
    }
    if (keep)
        for (size_t k = 0; k < n; k++) all_code[k] = keep[k] ? 0 : -1;
    if (sp) {
        /* the quantile of the rows --where keeps (one domain), as every
           estimate is */
        socind_estimate q;
        int32_t st = socind_quantile(d, r.y, poorest, all_code, keep ? 1 : 0, &opts, &q);
        if (!st && isnan(q.value)) st = q.status ? q.status : SOCIND_ERR_EMPTY;
        if (st) {
            rc = lib_fail(&a, &t, NULL, "--select-poorest", st);
            goto done;
        }
        for (size_t k = 0; k < n; k++)
            if (!(r.y[k] <= q.value)) selected[k] = 0;
        fprintf(stderr,
                "socind simulate: --select-poorest %g: rows with %s <= %.17g (the weighted "
                "%g-quantile of the baseline income%s), a fixed rule: the SEs do not carry the "
                "quantile's own sampling error\n",
                poorest, t.cols[ycol].name, q.value, poorest,
                keep ? " over the rows --where keeps" : "");
    }
    size_t nsel = 0;
    for (size_t k = 0; k < n; k++) nsel += (size_t)selected[k];
    if (nsel == 0) fprintf(stderr, "socind simulate: note: no row meets the selection rule\n");
    tr.selected = selected;
    if (hcol >= 0) {
        /* a selected household's size is needed (its per-person amount and
           the cost): a missing one is named, as the library would name an
           invalid one */
        const double *hsz = t.cols[hcol].num;
        size_t nmiss = 0, first = 0;
        for (size_t k = 0; k < n; k++)
            if (selected[k] && isnan(hsz[k]) && nmiss++ == 0) first = k;
        if (nmiss) {
            char where[64];
            rc = fail_with(EXIT_DATA,
                           "%s: %zu selected row%s no value in column \"%s\" "
                           "(--household-size), the first at %s: a transfer per household needs "
                           "the household's size (its amount per person and the cost); fill it "
                           "in, or leave such rows out with --where",
                           a.file, nmiss, nmiss == 1 ? " has" : "s have", t.cols[hcol].name,
                           tbl_where(&t, first, where, sizeof where));
            goto done;
        }
        tr.household_size = hsz;
    }
    if (acol >= 0) {
        const tbl_col *col = &t.cols[acol];
        code = malloc(n * sizeof *code);
        amounts = malloc((size_t)nae * sizeof *amounts);
        if (!code || !amounts) {
            rc = fail_with(EXIT_COMPUTE, "out of memory");
            goto done;
        }
        for (int i = 0; i < nae; i++) {
            amounts[i] = ae[i].value;
            for (int32_t l = 0; col->labels && l < col->n_labels; l++)
                if (strcmp(col->labels[l], ae[i].label) == 0) ae[i].code = l;
            if (ae[i].code < 0) {
                rc = fail_with(EXIT_DATA,
                               "%s: --amounts names group \"%s\", which no row of "
                               "column \"%s\" (--amount-by) has",
                               t.path, ae[i].label, col->name);
                goto done;
            }
        }
        size_t none = 0;
        for (size_t k = 0; k < n; k++) {
            code[k] = -1;
            for (int i = 0; i < nae; i++)
                if (col->code[k] == ae[i].code) code[k] = i;
            none += selected[k] && code[k] < 0;
        }
        if (none)
            fprintf(stderr,
                    "socind simulate: %zu selected row%s ha%s a group of \"%s\" (--amount-by) "
                    "that --amounts does not list, or none: no transfer\n",
                    none, none == 1 ? "" : "s", none == 1 ? "s" : "ve", col->name);
        tr.n_codes = nae;
        tr.code = code;
        tr.amounts = amounts;
    }
    int32_t maxg = 1;
    for (size_t i = 0; i < nby; i++) {
        if ((rc = breakdown_make_in(&t, &t.cols[bycol[i]], keep, &by[i]))) goto done;
        if (by[i].n_groups > maxg) maxg = by[i].n_groups;
    }
    r.buf = malloc((size_t)maxg * (size_t)SOCIND_SIM_COUNT(r.na) * sizeof *r.buf);
    if (!r.buf) {
        rc = fail_with(EXIT_COMPUTE, "out of memory");
        goto done;
    }
    r.a = &a;
    r.t = &t;
    r.d = d;
    r.opts = &opts;
    r.tr = &tr;
    for (size_t s = 0; s <= nby; s++)
        if ((rc = sim_one(&r, s ? &by[s - 1] : NULL, all_code))) goto done;
    rc = est_write(&r.out, &a);
done:
    for (size_t i = 0; i < MAX_BY_SIM; i++) breakdown_free(&by[i]);
    est_free(&r.out);
    free(r.buf);
    free(selected);
    free(code);
    free(amounts);
    free(ae);
    free(keep);
    free(all_code);
    socind_design_free(d);
    tbl_free(&t);
    args_free(&a);
    return rc;
}
