/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cli/report_compute.c — every figure of the brief, from the public API:
 * per survey round the national-line poverty (fgt, poor_count), the
 * international extreme poverty (fgt at socind_ppp_line's line), the gap,
 * severity and Gini, by sub-district; their change between the last two
 * rounds (socind_difference); the children's prevalences, data quality and
 * HAZ histogram. Proportions take the Korn–Graubard interval
 * (SOCIND_PROP_CI_BETA, R's svyciprop(method = "beta")); a proportion that
 * is 0 or 1 in the sample gets the Clopper–Pearson interval on its rows
 * (prop_zero_interval).
 */
#define _POSIX_C_SOURCE 200809L
#include "report.h"
#include "text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const int NUT_IND[N_NUT] = {SOCIND_NUT_HA, SOCIND_NUT_WH, SOCIND_NUT_WA, SOCIND_NUT_WH};
static const int NUT_STAT[N_NUT] = {SOCIND_NUT_LT2, SOCIND_NUT_LT2, SOCIND_NUT_LT2, SOCIND_NUT_GT2};

const char *opt_or(const args *a, const char *name, const char *dflt) {
    const char *v = arg_get(a, name);
    return v ? v : dflt;
}

/* highest first estimate first (one that is not a number last), then by
 * label */
int cmp_area_row(const void *a, const void *b) {
    const area_row *x = a, *y = b;
    double u = x->e[0].value, v = y->e[0].value;
    int nu = isnan(u), nv = isnan(v);
    if (nu != nv) return nu - nv;
    if (!nu && u != v) return u < v ? 1 : -1;
    return strcmp(x->label, y->label);
}

static void beta_options(socind_options *o) {
    socind_options_init(o);
    o->prop_ci = SOCIND_PROP_CI_BETA;
}

/* The round's name on stderr: "survey round R (column "C")", or the file's
 * path where it has no round column. */
static void say_round(const year_fig *f, const tbl *t, const hh_cols *c, const int32_t *year_code) {
    if (year_code)
        fprintf(stderr, "survey round %s (column \"%s\")", msg_text(f->label),
                t->cols[c->year].name);
    else
        fputs(t->path, stderr);
}

int compute_year(const args *a, const tbl *t, const hh_cols *c, const int64_t *st_all,
                 const int64_t *ps_all, int32_t lonely, const int32_t *year_code, int32_t yi,
                 const breakdown *area, const brief *b, year_fig *f) {
    size_t n = 0;
    for (size_t r = 0; r < t->nrows; r++) n += !year_code || year_code[r] == yi;
    size_t na = (size_t)(area->n_groups ? area->n_groups : 1);
    double *y = malloc(n * sizeof *y), *w = malloc(n * sizeof *w), *line = malloc(n * sizeof *line);
    int64_t *st = malloc(n * sizeof *st), *ps = malloc(n * sizeof *ps);
    int32_t *grp = malloc(n * sizeof *grp);
    size_t *rows = malloc(n * sizeof *rows); /* the table row of each of the round's rows */
    socind_estimate *ea = malloc(na * sizeof *ea), *ex = malloc(na * sizeof *ex);
    socind_design *d = NULL;
    int rc = 0;
    if (!y || !w || !line || !st || !ps || !grp || !ea || !ex || !rows) {
        rc = fail_with(EXIT_COMPUTE, "out of memory");
        goto done;
    }
    size_t k = 0;
    f->line = NAN;
    f->population = 0;
    /* the line shown: the one every row with a line has (a row without
       one is no other line) */
    int constant = 1;
    double first_line = NAN;
    for (size_t r = 0; r < t->nrows; r++) {
        if (year_code && year_code[r] != yi) continue;
        y[k] = t->cols[c->income].num[r];
        w[k] = t->cols[c->weight].num[r];
        line[k] = t->cols[c->line].num[r];
        st[k] = st_all[r];
        ps[k] = ps_all[r];
        grp[k] = area->code[r];
        rows[k] = r;
        if (isfinite(w[k])) f->population += w[k];
        if (!isnan(line[k])) {
            if (isnan(first_line)) first_line = line[k];
            if (line[k] != first_line) constant = 0;
        }
        k++;
    }
    if (constant) f->line = first_line;
    f->households = n;
    /* negative incomes are counted as given (the FGT measures and the Gini
       are defined for them, as in R's convey): said, never silent */
    f->negative = 0;
    for (size_t r = 0; r < n; r++) f->negative += isfinite(y[r]) && y[r] < 0 && w[r] > 0;
    if (f->negative > 0) {
        fprintf(stderr, "socind report: warning: %zu household%s of ", f->negative,
                f->negative == 1 ? "" : "s");
        say_round(f, t, c, year_code);
        fprintf(stderr,
                " %s an income below 0 in column \"%s\" (--income); the poverty gap P1, the "
                "severity P2 and the Gini count %s as given (a negative income's gap is more "
                "than the line, and the Gini can leave its range of 0 to 1) — check %s before "
                "using these figures\n",
                f->negative == 1 ? "has" : "have", t->cols[c->income].name,
                f->negative == 1 ? "it" : "them", f->negative == 1 ? "it" : "them");
    }
    socind_design_options dopt;
    socind_design_options_init(&dopt);
    dopt.lonely_psu = lonely;
    dopt.nest = arg_flag(a, "nest");
    /* the weights are checked over the file: a round of zero weights is
       the round's failure, not the file's */
    if (year_code && n > 0 && f->population == 0) {
        rc = fail_with(EXIT_DATA,
                       "%s: every sampling weight of survey round %s (column \"%s\") in column "
                       "\"%s\" (--weight) is 0: no household of the round counts",
                       t->path, msg_text(f->label), t->cols[c->year].name, t->cols[c->weight].name);
        goto done;
    }
    /* weights that sum to less than the households sampled cannot expand
       the sample to the population (each household represents at least
       itself): shares, relative weights; the counts are then on their
       scale */
    if (n > 0 && f->population > 0 && f->population < (double)n) {
        fprintf(stderr,
                "socind report: warning: the sampling weights (column \"%s\", --weight) of ",
                t->cols[c->weight].name);
        say_round(f, t, c, year_code);
        fprintf(stderr,
                " sum to %.6g, less than its %zu households sampled: they look like shares "
                "(relative weights), not expansion factors; the rates, indices and the Gini do "
                "not depend on the weights' scale, but the numbers of poor and the people "
                "represented are on it, not counts of people — give weights that expand the "
                "sample to the population for those\n",
                f->population, n);
    }
    /* the round's international line, shown whether or not its figures
       can be made */
    int32_t s = socind_ppp_line(b->ppp_daily, b->ppp_factor, f->cpi, b->cpi_base, 365.0 / 12.0,
                                &f->ext_line);
    if (s) {
        rc = lib_fail(a, t, NULL, "international poverty line", s);
        goto done;
    }
    /* a round without a usable income has no poverty figure (shown as –,
       the reason said here and at the top of the brief); the other rounds
       and the children's figures are still made */
    size_t with_income = 0, usable = 0;
    for (size_t r = 0; r < n; r++) {
        with_income += !isnan(y[r]);
        usable += !isnan(y[r]) && w[r] > 0;
    }
    f->no_income = n > 0 && usable == 0;
    if (f->no_income) {
        for (int k = 0; k < N_POV; k++) {
            no_figure(&f->e[k], SOCIND_ERR_EMPTY);
        }
        f->n_areas = 0;
        fputs("socind report: ", stderr);
        say_round(f, t, c, year_code);
        if (with_income == 0)
            fprintf(stderr, ": every income in column \"%s\" (--income) is missing (%zu row%s)",
                    t->cols[c->income].name, n, n == 1 ? "" : "s");
        else
            fprintf(stderr,
                    ": the %zu row%s with an income in column \"%s\" (--income) %s a sampling "
                    "weight of 0 (column \"%s\", --weight)",
                    with_income, with_income == 1 ? "" : "s", t->cols[c->income].name,
                    with_income == 1 ? "has" : "all have", t->cols[c->weight].name);
        fputs(": its poverty and inequality figures (the poverty and extreme-poverty rates and "
              "numbers, P1, P2, the Gini, by sub-district) are not available (shown as –)\n",
              stderr);
        goto done;
    }
    /* the households that count without a national line are left out of
       the figures against it (said at the top of the brief; note_missing
       says it of the file); a round where none has one has no such figure
       (shown as –, said here and at the top of the brief), and still its
       extreme-poverty figures and Gini */
    f->no_line_rows = 0;
    for (size_t r = 0; r < n; r++) f->no_line_rows += !isnan(y[r]) && w[r] > 0 && isnan(line[r]);
    f->no_line = f->no_line_rows == usable;
    if (f->no_line) {
        for (int k = 0; k < N_POV; k++) {
            if (!NATIONAL_LINE_FIG(k)) continue;
            no_figure(&f->e[k], SOCIND_ERR_EMPTY);
        }
        fputs("socind report: ", stderr);
        say_round(f, t, c, year_code);
        fprintf(stderr,
                ": no household with an income has a poverty line in column \"%s\" (--line-col; "
                "%zu row%s): its figures against the national line (the poverty rate P0 and the "
                "number of poor, P1 and P2, overall and by sub-district) are not available "
                "(shown as –); its extreme-poverty figures and Gini are still given\n",
                t->cols[c->line].name, usable, usable == 1 ? "" : "s");
    }
    s = socind_design_new(n, w, st, ps, NULL, &dopt, &d);
    if (s) {
        rc = lib_fail(a, t, rows, "survey design", s);
        goto done;
    }
    socind_options opt;
    beta_options(&opt);
    socind_poverty_line L, E;
    socind_poverty_line_init(&L);
    L.type = SOCIND_LINE_PER_ROW;
    L.lines = line;
    socind_poverty_line_init(&E);
    E.type = SOCIND_LINE_ABSOLUTE;
    E.value = f->ext_line;
    socind_estimate *e = f->e;
    /* a round none of whose usable households has a sub-district (the
       column empty in it) has no sub-district rows, and still its figures */
    int in_areas = 0;
    for (size_t k2 = 0; k2 < n && !in_areas; k2++)
        in_areas = grp[k2] >= 0 && !isnan(y[k2]) && w[k2] > 0;
    if (!in_areas)
        for (size_t g = 0; g < na; g++) ea[g].n = ex[g].n = 0;
    const int nl = !f->no_line;
    if ((nl && (s = socind_fgt(d, y, &L, 0, NULL, 1, &opt, &e[POV_P0]))) ||
        (nl && (s = socind_poor_count(d, y, &L, NULL, 1, NULL, &e[POV_POOR]))) ||
        (s = socind_fgt(d, y, &E, 0, NULL, 1, &opt, &e[POV_EXT])) ||
        (s = socind_poor_count(d, y, &E, NULL, 1, NULL, &e[POV_EXT_POOR])) ||
        (nl && (s = socind_fgt(d, y, &L, 1, NULL, 1, NULL, &e[POV_P1]))) ||
        (nl && (s = socind_fgt(d, y, &L, 2, NULL, 1, NULL, &e[POV_P2]))) ||
        (s = socind_gini(d, y, NULL, 1, NULL, &e[POV_GINI])) ||
        (in_areas && nl && (s = socind_fgt(d, y, &L, 0, grp, area->n_groups, &opt, ea))) ||
        (in_areas && (s = socind_fgt(d, y, &E, 0, grp, area->n_groups, &opt, ex)))) {
        rc = lib_fail(a, t, rows, "poverty", s);
        if (year_code)
            fprintf(stderr, "socind report: (the figures of survey round %s, column \"%s\")\n",
                    msg_text(f->label), t->cols[c->year].name);
        goto done;
    }
    if (in_areas && !nl)
        for (int32_t g = 0; g < area->n_groups; g++) no_figure(&ea[g], SOCIND_ERR_EMPTY);
    if (nl) prop_zero_interval(&e[POV_P0], opt.level);
    prop_zero_interval(&e[POV_EXT], opt.level);
    f->areas = calloc(na, sizeof *f->areas);
    if (!f->areas) {
        rc = fail_with(EXIT_COMPUTE, "out of memory");
        goto done;
    }
    /* the round's households of each sub-district, with an income (and a
       weight > 0) or not */
    size_t *in_area = calloc(na, sizeof *in_area);
    if (!in_area) {
        rc = fail_with(EXIT_COMPUTE, "out of memory");
        goto done;
    }
    for (size_t r = 0; r < n; r++)
        if (grp[r] >= 0) in_area[grp[r]]++;
    for (int32_t g = 0; g < area->n_groups; g++) {
        /* a sub-district without a household in the round has no row (its
           change: note_new_areas); one whose households have no usable
           income keeps its row, every cell "–" (the status said on stderr
           by report_statuses, the reason in the brief); one whose
           households have no national line keeps its extreme poverty */
        if (in_area[g] == 0) continue;
        area_row *ar = &f->areas[f->n_areas++];
        ar->label = area->label[g] + strlen(area->column) + 2;
        ar->e[0] = ea[g];
        ar->e[1] = ex[g];
        ar->households = in_area[g];
        /* (no usable income: none, or only with a weight of 0 — FGT's
           empty domain then counts its rows in n) */
        const int none_a = ea[g].n == 0 || ea[g].status == SOCIND_ERR_EMPTY_DOMAIN,
                  none_x = ex[g].n == 0 || ex[g].status == SOCIND_ERR_EMPTY_DOMAIN;
        if (none_a && none_x) {
            /* (also a round none of whose usable households has a
               sub-district: in_areas 0) */
            no_figure(&ar->e[0], SOCIND_ERR_EMPTY);
            no_figure(&ar->e[1], SOCIND_ERR_EMPTY);
            ar->e[0].n = ar->e[1].n = 0;
        }
        prop_zero_interval(&ar->e[0], opt.level);
        prop_zero_interval(&ar->e[1], opt.level);
        for (int i = 2; i < N_NUT; i++) {
            memset(&ar->e[i], 0, sizeof ar->e[i]);
            ar->e[i].value = NAN;
        }
    }
    free(in_area);
    qsort(f->areas, (size_t)f->n_areas, sizeof *f->areas, cmp_area_row);
done:
    socind_design_free(d);
    free(y), free(w), free(line), free(st), free(ps), free(grp), free(ea), free(ex), free(rows);
    return rc;
}

/* The change from p to z; a figure of a round without a value (its
 * status said on stderr) gives a change without one, of that status (not
 * socind_difference's "an argument outside its valid range"); a change
 * whose SE is 0 has no interval (not one of no width). */
static int32_t change_of(const socind_estimate *p, const socind_estimate *z, socind_estimate *d) {
    if (isfinite(p->value) && isfinite(z->value)) {
        int32_t s = socind_difference(p, z, NULL, d);
        /* an SE of 0 (two figures without one: 0 in both rounds, or no
           degrees of freedom) gives an interval of no width, no sign of
           precision: none, as the rounds' figures have none (change_mover
           gives one where a round's proportion has its exact interval) */
        if (!s && d->se == 0 && d->ci_low == d->ci_high) d->ci_low = d->ci_high = NAN;
        return s;
    }
    no_figure(d, !isfinite(p->value) && p->status != SOCIND_OK   ? p->status
                 : !isfinite(z->value) && z->status != SOCIND_OK ? z->status
                                                                 : SOCIND_ERR_EMPTY);
    return SOCIND_OK;
}

int compute_changes(const args *a, const tbl *t, brief *b) {
    if (b->n_years < 2) return 0;
    const year_fig *p = &b->years[b->n_years - 2];
    year_fig *z = &b->years[b->n_years - 1];
    if (p->no_income || z->no_income) {
        /* a round without incomes (said): no change either */
        for (int k = 0; k < N_POV; k++) no_figure(&b->change[k], SOCIND_ERR_EMPTY);
        fprintf(stderr,
                "socind report: change %s to %s: not available (shown as –): round %s has no "
                "income\n",
                msg_text(p->label), msg_text(z->label),
                msg_text(p->no_income ? p->label : z->label));
        return 0;
    }
    /* a round without a national line (said): no change of the figures
       against it; the others' change still */
    const int no_line = p->no_line || z->no_line;
    if (no_line)
        fprintf(stderr,
                "socind report: change %s to %s of the figures against the national line (the "
                "poverty rate P0 and the number of poor, P1 and P2, overall and by "
                "sub-district): not available (shown as –): round %s has no poverty line\n",
                msg_text(p->label), msg_text(z->label), msg_text(p->no_line ? p->label : z->label));
    for (int k = 0; k < N_POV; k++) {
        if (no_line && NATIONAL_LINE_FIG(k)) {
            no_figure(&b->change[k], SOCIND_ERR_EMPTY);
            continue;
        }
        int32_t s = change_of(&p->e[k], &z->e[k], &b->change[k]);
        /* a figure the data cannot give leaves its change NaN (said on stderr) */
        if (s && s != SOCIND_ERR_ARG && s != SOCIND_ERR_DF)
            return lib_fail(a, t, NULL, "change between rounds", s);
        /* a rate without a design effect in a round: the rounds' own
           intervals (MOVER) */
        if (!s && (k == POV_P0 || k == POV_EXT)) change_mover(&p->e[k], &z->e[k], &b->change[k]);
    }
    for (int32_t i = 0; i < z->n_areas; i++) {
        area_row *ar = &z->areas[i];
        for (int32_t j = 0; j < p->n_areas; j++) {
            if (strcmp(p->areas[j].label, ar->label) != 0) continue;
            for (int k = 0; k < 2; k++) {
                if (k == 0 && no_line) {
                    no_figure(&ar->change[0], SOCIND_ERR_EMPTY);
                    continue;
                }
                int32_t s = change_of(&p->areas[j].e[k], &ar->e[k], &ar->change[k]);
                if (s && s != SOCIND_ERR_ARG && s != SOCIND_ERR_DF)
                    return lib_fail(a, t, NULL, "change between rounds", s);
                if (!s) change_mover(&p->areas[j].e[k], &ar->e[k], &ar->change[k]);
            }
            ar->has_change = 1;
        }
    }
    return 0;
}

static int find_row(const socind_prevalence_table *tab, int kind, int level, int ind, int stat,
                    socind_prevalence_row *row) {
    size_t nr = socind_prevalence_table_nrows(tab);
    socind_prevalence_row_init(row);
    for (size_t i = 0; i < nr; i++) {
        socind_prevalence_table_row(tab, i, row);
        if (row->group_kind == kind && row->group_level == level && row->indicator == ind &&
            row->statistic == stat)
            return 1;
    }
    return 0;
}

static void nut_of(const socind_prevalence_table *tab, int kind, int level, socind_estimate *e) {
    for (int k = 0; k < N_NUT; k++) {
        socind_prevalence_row row;
        if (find_row(tab, kind, level, NUT_IND[k], NUT_STAT[k], &row)) {
            e[k] = row.est;
            e[k].n = row.pop_unweighted;
            e[k].weight_sum = row.pop_weighted;
            prop_zero_interval(&e[k], 0.95);
        } else {
            no_figure(&e[k], SOCIND_ERR_EMPTY);
        }
    }
}

#define FLAG_WARN 0.05 /* a share of flagged z-scores worth a warning */

/* the children's columns beyond the growth columns */
typedef struct kid_cols {
    int year, area, sw, st, cl;
} kid_cols;

/* the children's columns: oedema and the round only when asked for or
 * present */
static void want_children(tbl *t, const args *a, growth_cols *g, int with_oedema, int with_year,
                          kid_cols *k) {
    k->year =
        with_year ? tbl_want(t, opt_or(a, "child-year", "year"), "child-year", TBL_LABEL) : -1;
    g->sex = tbl_want(t, opt_or(a, "sex", "sex"), "sex", TBL_LABEL);
    g->age_in_months = arg_get(a, "age-months") != NULL;
    if (g->age_in_months)
        g->age = tbl_want(t, arg_get(a, "age-months"), "age-months", TBL_NUM);
    else
        g->age = tbl_want(t, opt_or(a, "age-days", "age_days"), "age-days", TBL_NUM);
    g->weight_kg = tbl_want(t, opt_or(a, "weight-kg", "weight"), "weight-kg", TBL_NUM);
    g->lenhei = tbl_want(t, opt_or(a, "lenhei-cm", "lenhei"), "lenhei-cm", TBL_NUM);
    g->measure = tbl_want(t, opt_or(a, "measure", "measure"), "measure", TBL_LABEL);
    g->oedema = with_oedema ? tbl_want(t, opt_or(a, "oedema", "oedema"), "oedema", TBL_LABEL) : -1;
    g->headc = g->armc = g->triskin = g->subskin = g->id = -1;
    k->area = tbl_want(t, opt_or(a, "child-area", "kecamatan"), "child-area", TBL_LABEL);
    k->sw = tbl_want(t, opt_or(a, "child-weight", "sw"), "child-weight", TBL_NUM);
    k->st = tbl_want(t, opt_or(a, "child-strata", "strata"), "child-strata", TBL_ID);
    k->cl = tbl_want(t, opt_or(a, "child-psu", "cluster"), "child-psu", TBL_ID);
}

/* Children of several rounds: the brief's nutrition is the latest round's
 * (said on stderr). 0 or an exit code. */
static int latest_round(tbl *t, int col, brief *b) {
    breakdown r;
    memset(&r, 0, sizeof r);
    int rc = breakdown_make(t, &t->cols[col], &r);
    if (rc) return rc;
    b->kid_rounds = r.n_groups;
    if (r.n_groups > 0) {
        const char *latest = r.label[r.n_groups - 1] + strlen(r.column) + 2;
        free(b->kid_round);
        if (!(b->kid_round = strdup(latest))) {
            breakdown_free(&r);
            return fail_with(EXIT_COMPUTE, "out of memory");
        }
        if (r.n_groups > 1 || t->cols[col].n_missing > 0) {
            const size_t all = t->nrows, miss = (size_t)t->cols[col].n_missing;
            char without[96] = "";
            if (miss > 0)
                snprintf(without, sizeof without, ", and %zu row%s without one (left out)", miss,
                         miss == 1 ? "" : "s");
            size_t kept = tbl_keep(t, col, b->kid_round);
            fprintf(stderr,
                    "socind report: the children's file has %d survey round%s (column \"%s\", "
                    "--child-year)%s; the brief's child nutrition is of the latest, %s: %zu of "
                    "%zu children\n",
                    (int)r.n_groups, r.n_groups == 1 ? "" : "s", t->cols[col].name, without,
                    b->kid_round, kept, all);
        }
    }
    breakdown_free(&r);
    return 0;
}

/* Reads the children's file: without an oedema column (none asked for)
 * every child is without oedema; without a round column (none asked for)
 * the file is one round; with several rounds the latest is kept. 0 or an
 * exit code. */
static int read_children(tbl *t, const args *a, brief *b, growth_cols *g, kid_cols *k) {
    char err[1024];
    b->has_oedema = 1;
    int with_year = 1;
    want_children(t, a, g, 1, 1, k);
    while (tbl_read(t, err, sizeof err)) {
        int no_oedema =
            b->has_oedema && !arg_get(a, "oedema") && strstr(err, "\"oedema\" (named by --oedema)");
        int no_year = with_year && !arg_get(a, "child-year") &&
                      strstr(err, "\"year\" (named by --child-year)");
        if ((!no_oedema && !no_year) || strcmp(t->path, "/dev/stdin") == 0)
            return fail_with(EXIT_DATA, "%s", err);
        tbl_free(t);
        if (no_oedema) b->has_oedema = 0;
        if (no_year) with_year = 0;
        want_children(t, a, g, b->has_oedema, with_year, k);
    }
    b->kid_file_rows = t->nrows;
    b->kid_rounds = 1;
    return k->year >= 0 ? latest_round(t, k->year, b) : 0;
}

/* a warning for each indicator with more than FLAG_WARN of its z-scores
 * flagged: on stderr, and in the brief's language at its top. 0 or an
 * exit code. */
static int quality_warnings(brief *b) {
    static const char *const qi[2][4] = {
        {"height-for-age", "weight-for-age", "BMI-for-age", "weight-for-height"},
        {"tinggi menurut umur", "berat menurut umur", "IMT menurut umur", "berat menurut tinggi"}};
    for (int k = 0; k < 4; k++) {
        long long with_z = (long long)b->q.n - (long long)b->q.missing[k];
        if (with_z <= 0 || (double)b->q.flagged[k] <= FLAG_WARN * (double)with_z) continue;
        double share = 100.0 * (double)b->q.flagged[k] / (double)with_z;
        char *msg = str_printf(
            "%.1f%% of the %s z-scores (%lld of %lld) are flagged as implausible by WHO's "
            "limits and left out of the prevalences; more than %.0f%% points to errors in "
            "the ages (months given as days?) or the measurements — check them before "
            "using these figures.",
            share, qi[0][k], (long long)b->q.flagged[k], with_z, 100 * FLAG_WARN);
        if (!msg) return fail_with(EXIT_COMPUTE, "out of memory");
        fprintf(stderr, "socind report: warning: %s\n", msg);
        char v[48];
        if (b->lang == LANG_ID) {
            free(msg);
            msg = str_printf("%s%% skor-z %s (%lld dari %lld) ditandai tidak wajar menurut batas "
                             "WHO dan tidak dihitung dalam prevalensi; lebih dari %.0f%% "
                             "menunjukkan kesalahan umur (bulan ditulis sebagai hari?) atau "
                             "pengukuran — periksa sebelum memakai angka ini.",
                             fmt_num(LANG_ID, share, 1, v, sizeof v), qi[1][k],
                             (long long)b->q.flagged[k], with_z, 100 * FLAG_WARN);
            if (!msg) return fail_with(EXIT_COMPUTE, "out of memory");
        }
        b->warning[b->n_warnings++] = msg;
    }
    return 0;
}

/* the histogram of every child's unflagged height-for-age z-score */
static int haz_histogram(const args *a, const tbl *t, const socind_growth_input *in, brief *b) {
    double *zlen = malloc((t->nrows ? t->nrows : 1) * sizeof *zlen);
    int32_t *flen = malloc((t->nrows ? t->nrows : 1) * sizeof *flen);
    int rc = 0;
    if (!zlen || !flen) {
        rc = fail_with(EXIT_COMPUTE, "out of memory");
        goto done;
    }
    socind_growth_output out;
    socind_growth_output_init(&out);
    out.zlen = zlen;
    out.flen = flen;
    int32_t s = socind_growth_who2006(t->nrows, in, SOCIND_ROUND_WHO, &out);
    if (s) {
        rc = lib_fail(a, t, NULL, "z-scores", s);
        goto done;
    }
    for (size_t r = 0; r < t->nrows; r++) {
        if (isnan(zlen[r]) || flen[r]) continue;
        int bin = (int)floor((zlen[r] - HIST_LO) / HIST_W);
        if (bin < 0 || bin >= HIST_BINS) continue;
        b->hist[bin] += 1;
        b->hist_n += 1;
    }
done:
    free(zlen), free(flen);
    return rc;
}

/* the age groups' labels (en, id) */
static const char *const AGE_LABEL[2][N_AGE] = {
    {"0–5 months", "6–11 months", "12–23 months", "24–35 months", "36–47 months", "48–59 months"},
    {"0–5 bulan", "6–11 bulan", "12–23 bulan", "24–35 bulan", "36–47 bulan", "48–59 bulan"}};

/* the prevalences of the table, overall, by sub-district (sorted by
 * stunting) and by age group */
static int prevalence_rows(const socind_prevalence_table *tab, const breakdown *area, brief *b) {
    nut_of(tab, SOCIND_GROUP_ALL, 0, b->nut);
    socind_prevalence_row row;
    if (find_row(tab, SOCIND_GROUP_ALL, 0, SOCIND_NUT_HA, SOCIND_NUT_MEAN, &row))
        b->haz_mean = row.est;
    const breakdown *all = &b->kid_all_area;
    int32_t cap = area->n_groups > all->n_groups ? area->n_groups : all->n_groups;
    b->areas = calloc((size_t)(cap ? cap : 1), sizeof *b->areas);
    if (!b->areas) return fail_with(EXIT_COMPUTE, "out of memory");
    /* every sub-district with a child left keeps its row, a figure it
       cannot give "–" (a stunting without heights, an underweight still) */
    for (int32_t gi = 0; gi < area->n_groups; gi++) {
        area_row *an = &b->areas[b->n_areas++];
        nut_of(tab, SOCIND_GROUP_DOMAIN, gi, an->e);
        an->label = area->label[gi] + strlen(area->column) + 2;
    }
    /* and one whose every child went by anthro's exclusions: every figure
       "–", said on stderr and under the table */
    for (int32_t gi = 0; gi < all->n_groups; gi++) {
        const char *label = all->label[gi] + strlen(all->column) + 2;
        int kept = 0;
        for (int32_t j = 0; j < area->n_groups && !kept; j++)
            kept = strcmp(area->label[j] + strlen(area->column) + 2, label) == 0;
        if (kept) continue;
        area_row *an = &b->areas[b->n_areas++];
        an->label = label;
        for (int k = 0; k < N_NUT; k++) no_figure(&an->e[k], SOCIND_ERR_EMPTY);
        for (size_t r = 0; r < b->n_children; r++) an->children_out += all->code[r] == gi;
        fprintf(stderr,
                "socind report: sub-district %s of the children's file: every child of it (%zu) "
                "is left out of the prevalences by WHO anthro's exclusions (older than 1826 "
                "days, or without a cluster or stratum): its stunting, wasting, underweight and "
                "overweight are not available (shown as –)\n",
                msg_text(label), an->children_out);
    }
    qsort(b->areas, (size_t)b->n_areas, sizeof *b->areas, cmp_area_row);
    for (int i = 0; i < N_AGE; i++) {
        b->age[i].label = AGE_LABEL[b->lang == LANG_EN ? 0 : 1][i];
        nut_of(tab, SOCIND_GROUP_AGE, i, b->age[i].e);
    }
    return 0;
}

/* No child left for the prevalences by anthro's rules: every nutrition
 * figure "–" (no sub-district row), and why on stderr. 0 or an exit code. */
static int no_child_figures(const tbl *t, const kid_cols *k, brief *b) {
    b->no_child_left = 1;
    for (int j = 0; j < N_NUT; j++) no_figure(&b->nut[j], SOCIND_ERR_EMPTY);
    no_figure(&b->haz_mean, SOCIND_ERR_EMPTY);
    for (int i = 0; i < N_AGE; i++) {
        b->age[i].label = AGE_LABEL[b->lang == LANG_EN ? 0 : 1][i];
        for (int j = 0; j < N_NUT; j++) no_figure(&b->age[i].e[j], SOCIND_ERR_EMPTY);
    }
    const anthro_counts *c = &b->kid_out;
    char *why = NULL;
    int oom = str_appendf(&why, "%s", "");
    if (c->age_out > 0)
        oom |= str_appendf(&why, ", %zu older than 1826 days (60 months)", c->age_out);
    if (c->design_out > 0)
        oom |= str_appendf(&why,
                           ", %zu without a cluster (column \"%s\", --child-psu) or a stratum "
                           "(column \"%s\", --child-strata)",
                           c->design_out, t->cols[k->cl].name, t->cols[k->st].name);
    if (c->sw_na > 0 && c->sw_na == t->nrows)
        oom |= str_appendf(&why,
                           ", %zu with no sampling weight (column \"%s\", --child-weight: set to "
                           "0, which leaves them out)",
                           c->sw_na, t->cols[k->sw].name);
    if (oom) {
        free(why);
        return fail_with(EXIT_COMPUTE, "out of memory");
    }
    fprintf(stderr,
            "socind report: warning: no child of %s%s%s%s is left for the prevalences by WHO "
            "anthro's exclusions (as socind nutrition applies them): of the %zu children%s; "
            "stunting, wasting, underweight and overweight (overall, by sub-district and by age "
            "group) are not available (shown as –)\n",
            t->path, b->kid_round ? " (survey round " : "", b->kid_round ? b->kid_round : "",
            b->kid_round ? ", the latest)" : "", b->n_children, why);
    free(why);
    return 0;
}

int compute_children(tbl *t, const args *a, brief *b, breakdown *area) {
    growth_cols g = {0};
    kid_cols k;
    growth_codes_t codes;
    int64_t *strata = NULL, *cluster = NULL;
    socind_prevalence_table *tab = NULL;
    socind_design *design = NULL;
    memset(&codes, 0, sizeof codes);
    int rc = read_children(t, a, b, &g, &k);
    if (rc) return rc;
    b->n_children = t->nrows;
    if ((rc = check_age_unit(a, t, &g))) goto done;
    if ((rc = growth_codes(a, t, &g, &codes))) goto done;
    socind_growth_input in;
    growth_input_of(t, &g, &codes, &in);
    /* the data-quality lines and the HAZ histogram: every child of the file */
    socind_growth_quality_init(&b->q);
    int32_t s;
    if ((s = socind_growth_quality_who2006(t->nrows, &in, &b->q))) {
        rc = lib_fail(a, t, NULL, "data quality", s);
        goto done;
    }
    if ((rc = quality_warnings(b))) goto done;
    if ((rc = haz_histogram(a, t, &in, b))) goto done;
    /* the sub-districts before the exclusions (a sub-district whose every
       child goes keeps its row) */
    if (k.area >= 0 && (rc = breakdown_make(t, &t->cols[k.area], &b->kid_all_area))) goto done;
    /* the prevalences: anthro_prevalence's exclusions and warnings */
    if ((rc = anthro_exclusions("report", t, &g, 0, k.sw, k.st, k.cl, &codes, &b->kid_out)))
        goto done;
    /* none left, or only children whose missing weight became 0: no
       prevalence, the brief still written (weights given as 0 stop it, as
       the households' do) */
    if (t->nrows == 0 || b->kid_out.sw_na == t->nrows) {
        rc = no_child_figures(t, &k, b);
        goto done;
    }
    note_growth_missing("report", t, &g, 0);
    note_missing("report", t, k.area,
                 "they are left out of the sub-district rows of child nutrition and kept in the "
                 "overall figures");
    if ((rc = ids_from_labels(t, &t->cols[k.st], &strata))) goto done;
    if ((rc = ids_from_labels(t, &t->cols[k.cl], &cluster))) goto done;
    if ((rc = breakdown_make(t, &t->cols[k.area], area))) goto done;
    growth_input_of(t, &g, &codes, &in);
    if ((rc = anthro_design(a, t, k.sw, strata, cluster, &design))) goto done;
    socind_options opt;
    beta_options(&opt);
    s = socind_prevalence_who2006(design, &in, area->n_groups ? area->code : NULL, area->n_groups,
                                  &opt, &tab);
    if (s) {
        rc = lib_fail(a, t, NULL, "prevalence", s);
        goto done;
    }
    rc = prevalence_rows(tab, area, b);
done:
    socind_prevalence_table_free(tab);
    socind_design_free(design);
    growth_codes_free(&codes);
    free(strata), free(cluster);
    return rc;
}

/* The number of sub-districts of `in` that `from` does not have; with f,
 * the first three are written to it ("A, B, C and 2 more"), whole. */
static int areas_missing_in(const year_fig *in, const year_fig *from, FILE *f) {
    int n = 0;
    for (int32_t i = 0; i < in->n_areas; i++) {
        int found = 0;
        for (int32_t j = 0; j < from->n_areas && !found; j++)
            found = strcmp(in->areas[i].label, from->areas[j].label) == 0;
        if (found) continue;
        if (f && n < 3) fprintf(f, "%s%s", n ? ", " : "", msg_text(in->areas[i].label));
        n++;
    }
    if (f && n > 3) fprintf(f, " and %d more", n - 3);
    return n;
}

/* A sub-district of the latest round without a household in the round
 * before has no change (its cells show –): said on stderr, with the
 * sub-districts of the round before that the latest does not have. */
static void note_new_areas(const brief *b) {
    const year_fig *p = &b->years[b->n_years - 2], *z = &b->years[b->n_years - 1];
    int n_new = areas_missing_in(z, p, NULL);
    if (n_new == 0) return;
    int n_gone = areas_missing_in(p, z, NULL);
    fprintf(stderr, "socind report: change since %s by sub-district: %d sub-district%s of %s (",
            msg_text(p->label), n_new, n_new == 1 ? "" : "s", msg_text(z->label));
    areas_missing_in(z, p, stderr);
    fprintf(stderr,
            ") %s no change of the poverty and extreme poverty rates (shown as –): %s no "
            "household in %s",
            n_new == 1 ? "has" : "have", n_new == 1 ? "it has" : "they have", msg_text(p->label));
    if (n_gone > 0) {
        fprintf(stderr, "; %d sub-district%s of %s (", n_gone, n_gone == 1 ? "" : "s",
                msg_text(p->label));
        areas_missing_in(p, z, stderr);
        fprintf(stderr, ") %s no household in %s (renamed?)", n_gone == 1 ? "has" : "have",
                msg_text(z->label));
    }
    fputs("\n", stderr);
}

/* "2023 to 2024" (free it), or NULL when out of memory */
static char *gic_rounds(const gic_fig *g) {
    return str_printf("%s to %s", *g->base ? msg_text(g->base) : "--compare's round",
                      *g->latest ? msg_text(g->latest) : "the brief's round");
}

/* What SOCIND_ERR_DATA ("a data value is invalid for this estimator")
 * means for the growth incidence figures (growth_incidence.h), in the
 * brief's terms: incomes all equal in a round (no density: values without
 * an interval), or a base-round income, mean or mean of the poor <= 0 or
 * too few poor (no value). */
static void note_gic_data(const gic_fig *g) {
    int no_se = 0, no_value = 0;
    for (int i = 0; i < SOCIND_GIC_DEFAULT_POINTS; i++)
        if (g->curve[i].status == SOCIND_ERR_DATA)
            isfinite(g->curve[i].value) ? no_se++ : no_value++;
    const socind_estimate *s = g->s;
    for (int k = 0; k < SOCIND_GIC_HEADCOUNT; k++)
        if (s[k].status == SOCIND_ERR_DATA && isfinite(s[k].value)) no_se++;
    const double h1 = s[SOCIND_GIC_HEADCOUNT].value;
    const int mean =
        s[SOCIND_GIC_MEAN].status == SOCIND_ERR_DATA && !isfinite(s[SOCIND_GIC_MEAN].value);
    const int poor = s[SOCIND_GIC_MEAN_POOR].status == SOCIND_ERR_DATA &&
                     !isfinite(s[SOCIND_GIC_MEAN_POOR].value);
    const int ppg =
        s[SOCIND_GIC_PRO_POOR].status == SOCIND_ERR_DATA && !isfinite(s[SOCIND_GIC_PRO_POOR].value);
    if (!no_se && !no_value && !mean && !poor && !ppg) return;
    char msg[1200] = "";
    if (no_se)
        buf_appendf(msg, sizeof msg,
                    "; every income of a round is equal, so the income density at a percentile "
                    "cannot be estimated: growth by percentile and the pro-poor rate have no "
                    "standard error (shown without their interval)");
    if (no_value || mean)
        buf_appendf(msg, sizeof msg,
                    "; the base round's income is 0 or less at %d of the %d percentiles%s: no "
                    "growth rate from it",
                    no_value, SOCIND_GIC_DEFAULT_POINTS, mean ? " and on average" : "");
    if ((poor || ppg) && !g->no_line) { /* (without a line: said by compute_gic) */
        if (isfinite(h1) && h1 == 0)
            buf_appendf(msg, sizeof msg,
                        "; nobody of the base round is below the national line: the poor have "
                        "no mean income and no pro-poor rate");
        else if (isfinite(h1) && h1 < 0.01 && ppg && !poor)
            buf_appendf(msg, sizeof msg,
                        "; less than 1%% of the base round is below the national line: the "
                        "pro-poor rate averages the percentiles up to that share, none here");
        else
            buf_appendf(msg, sizeof msg,
                        "; the mean income of the base round's poor is 0 or less, or a "
                        "percentile's growth among the poor has no value: no growth rate of the "
                        "poor");
    }
    fprintf(stderr, "socind report: growth incidence %s to %s: %s\n",
            *g->base ? g->base : "--compare's round", *g->latest ? g->latest : "the brief's round",
            msg + 2);
}

/* Every figure of the brief whose status is not OK, said on stderr as the
 * other commands say it (note_statuses): the brief shows "–" for what it
 * cannot give. 0 or an exit code. */
int report_statuses(const brief *b, const args *a) {
    est_list l;
    memset(&l, 0, sizeof l);
    int rc = 0;
    char *group = NULL;
#define NOTE(name, grp, est)                                                                       \
    do {                                                                                           \
        if (!rc && (est)->status != SOCIND_OK) rc = est_add(&l, name, "", grp, est);               \
    } while (0)
    static const char *const pov[N_POV] = {"poverty rate P0",
                                           "number of poor",
                                           "extreme poverty rate",
                                           "number of extreme poor",
                                           "poverty gap P1",
                                           "severity P2",
                                           "Gini"};
    static const char *const nut[N_NUT] = {"Stunting", "Wasting", "Underweight", "Overweight"};
    for (int32_t y = 0; y < b->n_years; y++) {
        const year_fig *f = &b->years[y];
        if (f->no_income) continue; /* said by compute_year */
        for (int k = 0; k < N_POV; k++)
            if (!(f->no_line && NATIONAL_LINE_FIG(k))) NOTE(pov[k], msg_text(f->label), &f->e[k]);
    }
    if (b->n_years > 0) {
        const year_fig *z = &b->years[b->n_years - 1];
        for (int32_t i = 0; i < z->n_areas && !rc; i++) {
            free(group);
            if (!(group = str_printf("%s, %s", msg_text(z->label), msg_text(z->areas[i].label))))
                goto oom;
            if (!z->no_line) NOTE("poverty rate P0 by sub-district", group, &z->areas[i].e[0]);
            NOTE("extreme poverty rate by sub-district", group, &z->areas[i].e[1]);
        }
    }
    if (b->n_years > 1 && !b->years[b->n_years - 2].no_income &&
        !b->years[b->n_years - 1].no_income) { /* (else said by compute_changes) */
        const year_fig *p = &b->years[b->n_years - 2], *z = &b->years[b->n_years - 1];
        const int no_line = p->no_line || z->no_line; /* (said by compute_changes) */
        free(group);
        if (!(group = str_printf("%s to %s", msg_text(p->label), msg_text(z->label)))) goto oom;
        for (int k = 0; k < N_POV; k++) {
            if (no_line && NATIONAL_LINE_FIG(k)) continue;
            char name[64];
            snprintf(name, sizeof name, "change of the %s", pov[k]);
            NOTE(name, group, &b->change[k]);
        }
        for (int32_t i = 0; i < z->n_areas; i++) {
            if (!z->areas[i].has_change) continue; /* said below */
            free(group);
            if (!(group = str_printf("%s to %s, %s", msg_text(p->label), msg_text(z->label),
                                     msg_text(z->areas[i].label))))
                goto oom;
            if (!no_line)
                NOTE("change of the poverty rate P0 by sub-district", group,
                     &z->areas[i].change[0]);
            NOTE("change of the extreme poverty rate by sub-district", group,
                 &z->areas[i].change[1]);
        }
    }
    if (b->gic) {
        const gic_fig *g = b->gic;
        static const char *const gic_name[SOCIND_GIC_COUNT] = {
            [SOCIND_GIC_MEAN] = "growth of the mean income",
            [SOCIND_GIC_MEAN_POOR] = "growth of the mean income of the poor",
            [SOCIND_GIC_PRO_POOR] = "rate of pro-poor growth",
            [SOCIND_GIC_HEADCOUNT] = "share below the national line in the base round"};
        char *from = gic_rounds(g), *name = from ? str_printf("real income growth by "
                                                              "percentile, %s",
                                                              from)
                                                 : NULL;
        if (!from || !name) {
            free(from), free(name);
            goto oom;
        }
        for (int k = 0; k < SOCIND_GIC_COUNT; k++)
            if (!(g->no_line && k != SOCIND_GIC_MEAN)) /* (else said by compute_gic) */
                NOTE(gic_name[k], from, &g->s[k]);
        for (int i = 0; i < SOCIND_GIC_DEFAULT_POINTS; i++) {
            char pc[32];
            snprintf(pc, sizeof pc, "percentile %d", i + 1);
            NOTE(name, pc, &g->curve[i]);
        }
        free(from), free(name);
    }
    if (!b->no_child_left) { /* (else said by compute_children) */
        for (int k = 0; k < N_NUT; k++) NOTE(nut[k], "all children", &b->nut[k]);
        for (int32_t i = 0; i < b->n_areas; i++)
            if (!b->areas[i].children_out) /* (else said by prevalence_rows) */
                for (int k = 0; k < N_NUT; k++)
                    NOTE(nut[k], msg_text(b->areas[i].label), &b->areas[i].e[k]);
        for (int i = 0; i < N_AGE; i++)
            for (int k = 0; k < N_NUT; k++) NOTE(nut[k], b->age[i].label, &b->age[i].e[k]);
        NOTE("mean height-for-age z", "all children", &b->haz_mean);
    }
#undef NOTE
    free(group);
    if (!rc) note_statuses(&l, a, 0);
    est_free(&l);
    if (!rc && b->n_years > 1 && !b->years[b->n_years - 2].no_income &&
        !b->years[b->n_years - 1].no_income)
        note_new_areas(b);
    if (!rc && b->gic) note_gic_data(b->gic);
    return rc;
oom:
    free(group);
    est_free(&l);
    return fail_with(EXIT_COMPUTE, "out of memory");
}
