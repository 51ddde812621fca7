/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli/growth_cols.c — the growth columns shared by growth, nutrition and report: requested,
 * checked, noted, and anthro's exclusions (see cli.h). */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int growth_want(tbl *t, const args *a, growth_cols *g) {
    g->sex = col_want(t, a, "sex", TBL_LABEL);
    const char *days = arg_get(a, "age-days"), *months = arg_get(a, "age-months");
    if (days && months) return usage_error(a->command, "give --age-days or --age-months, not both");
    if (!arg_get(a, "sex")) return usage_error(a->command, "--sex COL is required");
    if (!days && !months) return usage_error(a->command, "--age-days or --age-months is required");
    g->age_in_months = months != NULL;
    g->age = col_want(t, a, months ? "age-months" : "age-days", TBL_NUM);
    g->weight_kg = col_want(t, a, "weight-kg", TBL_NUM);
    g->lenhei = col_want(t, a, "lenhei-cm", TBL_NUM);
    g->measure = col_want(t, a, "measure", TBL_LABEL);
    g->oedema = col_want(t, a, "oedema", TBL_LABEL);
    g->headc = col_want(t, a, "headc-cm", TBL_NUM);
    g->armc = col_want(t, a, "armc-cm", TBL_NUM);
    g->triskin = col_want(t, a, "triskin-mm", TBL_NUM);
    g->subskin = col_want(t, a, "subskin-mm", TBL_NUM);
    g->id = col_want(t, a, "id", TBL_LABEL);
    return 0;
}

void growth_input_of(const tbl *t, const growth_cols *g, const growth_codes_t *c,
                     socind_growth_input *in) {
    socind_growth_input_init(in);
    in->sex = c->sex;
    in->age = t->cols[g->age].num;
    in->age_in_months = g->age_in_months;
    in->weight = col_num(t, g->weight_kg);
    in->lenhei = col_num(t, g->lenhei);
    in->measure = c->measure;
    in->oedema = c->oedema;
    in->headc = col_num(t, g->headc);
    in->armc = col_num(t, g->armc);
    in->triskin = col_num(t, g->triskin);
    in->subskin = col_num(t, g->subskin);
}

void age_unit_count(double age, const double *len, const double *wt, size_t r, size_t *measured,
                    size_t *big) {
    const int has_len = len && !isnan(len[r]), has_wt = wt && !isnan(wt[r]);
    if (isnan(age) || (!has_len && !has_wt)) return;
    ++*measured;
    *big +=
        age <= SMALL_AGE && ((has_len && len[r] >= BIG_LENGTH) || (has_wt && wt[r] >= BIG_WEIGHT));
}

/* check_age_unit's decision on its counts: 0 or EXIT_USAGE with the
 * message. */
static int age_unit_refused(const args *a, const tbl *t, const growth_cols *g, size_t measured,
                            size_t big) {
    if (g->age_in_months || measured == 0 || 2 * big <= measured) return 0;
    const tbl_col *c = &t->cols[g->age];
    return usage_error(a->command,
                       "%zu of the %zu children measured have an age of at most %g in column "
                       "\"%s\" (--%s), yet are 65 cm or longer or weigh 7.5 kg or more, which no "
                       "child under two months does: these ages look like months — give the "
                       "column as --age-months %s",
                       big, measured, SMALL_AGE, c->name, c->option, c->name);
}

int check_age_unit(const args *a, const tbl *t, const growth_cols *g) {
    if (g->age_in_months) return 0;
    const double *age = t->cols[g->age].num;
    const double *len = col_num(t, g->lenhei), *wt = col_num(t, g->weight_kg);
    size_t measured = 0, big = 0;
    for (size_t r = 0; r < t->nrows; r++) age_unit_count(age[r], len, wt, r, &measured, &big);
    return age_unit_refused(a, t, g, measured, big);
}

void note_growth_missing(const char *command, const tbl *t, const growth_cols *g, int per_child) {
    if (per_child) {
        note_missing(command, t, g->sex, "their z-scores are empty");
        note_missing(command, t, g->age,
                     "their age-based z-scores are empty (weight-for-length/height needs no age)");
    } else {
        note_missing(command, t, g->sex, "they are left out of every indicator");
        note_missing(command, t, g->age,
                     "they are left out of every indicator but weight-for-length/height, and of "
                     "the age groups");
    }
    const char *uses = per_child ? "the z-scores that use it are empty for them"
                                 : "they are left out of the indicators that use it";
    note_missing(command, t, g->weight_kg, uses);
    note_missing(command, t, g->lenhei, uses);
    note_missing(command, t, g->measure,
                 "their length/height gets no ±0.7 cm adjustment (as WHO's anthro does)");
    note_missing(command, t, g->oedema, "they are taken as without oedema (as WHO's anthro does)");
    note_missing(command, t, g->headc, uses);
    note_missing(command, t, g->armc, uses);
    note_missing(command, t, g->triskin, uses);
    note_missing(command, t, g->subskin, uses);
    if (per_child) note_missing(command, t, g->id, "their id is empty");
}

/* R's round_up for ages: halves up */
static double days_of(double age, int in_months) {
    return floor((in_months ? age * 30.4375 : age) + 0.5);
}

/* anthro's (WHO 2006, ref 0) or anthroplus's (2007, ref 1) rule for ages:
 * keep[r] cleared for the rows it leaves out, with its warning */
static void exclude_ages(const char *command, const tbl *t, const growth_cols *g, int ref,
                         unsigned char *keep, anthro_counts *n) {
    const double *age = t->cols[g->age].num;
    size_t age_out = 0, age_na = 0;
    for (size_t r = 0; r < t->nrows; r++) {
        if (ref == 0) {
            /* anthro: age > 1826 days goes; a missing age stays */
            if (isnan(age[r]))
                age_na++;
            else if (days_of(age[r], g->age_in_months) > 1826)
                keep[r] = 0;
            else
                n->age_neg += age[r] < 0;
        } else {
            /* anthroplus: age NA or outside 60–228 months goes */
            double m = g->age_in_months ? age[r] : age[r] / 30.4375;
            if (!(m >= 60 && m <= 228)) keep[r] = 0;
        }
        age_out += !keep[r];
    }
    anthro_warn_ages(command, ref, age_out, age_na);
    warn_negative_ages(command, t, g, n->age_neg, 0);
    n->age_out = age_out, n->age_na = age_na;
}

void warn_negative_ages(const char *command, const tbl *t, const growth_cols *g, size_t n,
                        int per_child) {
    if (n == 0) return;
    fprintf(stderr,
            "socind %s: warning: %zu row%s %s an age below 0 in column \"%s\" (WHO's anthro "
            "refuses a file with one): %s\n",
            command, n, n == 1 ? "" : "s", n == 1 ? "has" : "have", t->cols[g->age].name,
            per_child ? "every z-score of theirs is empty (reason: age negative)"
                      : "they are left out of every indicator");
}

void anthro_warn_ages(const char *command, int ref, size_t age_out, size_t age_na) {
    if (age_out > 0 && ref == 0) {
        fprintf(stderr,
                "socind %s: warning: %zu %s will be excluded for the prevalence computation due "
                "to missing age or age > 1826 days \n",
                command, age_out, age_out == 1 ? "row" : "rows");
        if (age_na > 0)
            fprintf(stderr,
                    "socind %s: (as in anthro, that count is of ages over 1826 days; the %zu "
                    "row%s without an age stay%s in the table)\n",
                    command, age_na, age_na == 1 ? "" : "s", age_na == 1 ? "s" : "");
    } else if (age_out > 0) {
        fprintf(stderr,
                "socind %s: warning: %zu row(s) with age NA or age < 60 months or > 228 months "
                "were excluded from the computation.\n",
                command, age_out);
    }
}

/* anthro's rule for rows without cluster or stratum (when given): out, with
 * its warning and the counts per column */
static void exclude_no_design(const char *command, const tbl *t, int st_col, int cl_col,
                              unsigned char *keep, anthro_counts *n) {
    size_t design_out = 0, no_cl = 0, no_st = 0;
    for (size_t r = 0; r < t->nrows; r++) {
        int cl_na = cl_col >= 0 && t->cols[cl_col].code[r] < 0;
        int st_na = st_col >= 0 && t->cols[st_col].code[r] < 0;
        if (!keep[r]) continue;
        no_cl += cl_na;
        no_st += st_na;
        if (cl_na || st_na) keep[r] = 0, design_out++;
    }
    /* rows anthro had already left out, but without cluster or stratum:
       out too (the design needs both) */
    for (size_t r = 0; r < t->nrows; r++)
        if ((cl_col >= 0 && t->cols[cl_col].code[r] < 0) ||
            (st_col >= 0 && t->cols[st_col].code[r] < 0))
            keep[r] = 0;
    anthro_warn_design(command, t, st_col, cl_col, design_out, no_cl, no_st);
    n->design_out = design_out;
}

void anthro_warn_design(const char *command, const tbl *t, int st_col, int cl_col,
                        size_t design_out, size_t no_cl, size_t no_st) {
    if (design_out == 0) return;
    fprintf(stderr,
            "socind %s: warning: %zu %s will be excluded for the prevalence computation due "
            "to missing cluster and strata.\n",
            command, design_out, design_out == 1 ? "row" : "rows");
    fprintf(stderr, "socind %s: rows without a value:", command);
    if (cl_col >= 0)
        fprintf(stderr, " %zu in column \"%s\" (--%s)%s", no_cl, t->cols[cl_col].name,
                t->cols[cl_col].option, st_col >= 0 ? "," : "");
    if (st_col >= 0)
        fprintf(stderr, " %zu in column \"%s\" (--%s)", no_st, t->cols[st_col].name,
                t->cols[st_col].option);
    fputc('\n', stderr);
}

/* anthro's rule for missing sampling weights: 0, with its warning (counting
 * the rows kept) */
static void zero_missing_weights(const char *command, tbl *t, int sw_col, const unsigned char *keep,
                                 anthro_counts *n) {
    if (sw_col < 0) return;
    double *w = t->cols[sw_col].num;
    size_t sw_na = 0;
    for (size_t r = 0; r < t->nrows; r++) sw_na += keep[r] && isnan(w[r]);
    anthro_warn_weights(command, sw_na);
    n->sw_na = sw_na;
    for (size_t r = 0; r < t->nrows; r++)
        if (isnan(w[r])) w[r] = 0.0;
}

void anthro_warn_weights(const char *command, size_t sw_na) {
    if (sw_na > 0)
        fprintf(stderr,
                "socind %s: warning: %zu %s had missing sampling weights and they will be set to "
                "0. Doing this excludes them in the prevalence calculation.\n",
                command, sw_na, sw_na == 1 ? "row" : "rows");
}

static void compact_codes(int32_t *c, const unsigned char *keep, size_t n) {
    if (!c) return;
    size_t m = 0;
    for (size_t r = 0; r < n; r++)
        if (keep[r]) c[m++] = c[r];
}

int anthro_exclusions(const char *command, tbl *t, const growth_cols *g, int ref, int sw_col,
                      int st_col, int cl_col, growth_codes_t *codes, anthro_counts *counts) {
    size_t n = t->nrows;
    anthro_counts own;
    anthro_counts *c = counts ? counts : &own;
    memset(c, 0, sizeof *c);
    unsigned char *keep = malloc(n ? n : 1);
    if (!keep) return fail_with(EXIT_DATA, "out of memory");
    memset(keep, 1, n);
    exclude_ages(command, t, g, ref, keep, c);
    exclude_no_design(command, t, st_col, cl_col, keep, c);
    zero_missing_weights(command, t, sw_col, keep, c);
    tbl_keep_mask(t, keep);
    compact_codes(codes->sex, keep, n);
    compact_codes(codes->measure, keep, n);
    compact_codes(codes->oedema, keep, n);
    if (codes->bad) {
        size_t m = 0;
        for (size_t r = 0; r < n; r++)
            if (keep[r]) codes->bad[m++] = codes->bad[r];
    }
    free(keep);
    if (t->nrows == 0 && !counts)
        return fail_with(EXIT_DATA, "%s: no child is left for the prevalence computation", t->path);
    return 0;
}
