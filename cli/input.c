/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli/input.c — the data file from the options: reading it, --subset, columns by option (see
 * cli.h). */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"
#include "suggest.h"
#include "text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

int input_options(tbl *t, const args *a) {
    t->decimal_comma = arg_flag(a, "decimal-comma");
    t->progress = isatty(STDERR_FILENO);
    t->na_values = (const char *const *)a->na_list;
    const char *d = arg_get(a, "delimiter");
    if (d) {
        if (strcmp(d, ",") == 0 || strcmp(d, "comma") == 0)
            t->delimiter = ',';
        else if (strcmp(d, ";") == 0 || strcmp(d, "semicolon") == 0)
            t->delimiter = ';';
        else if (strcmp(d, "tab") == 0 || strcmp(d, "\t") == 0)
            t->delimiter = '\t';
        else {
            char shown[200];
            return usage_error(a->command,
                               "--delimiter must be comma, semicolon or tab, not \"%s\"%s",
                               show_text(d, strlen(d), shown, sizeof shown),
                               strcmp(d, "\\t") == 0 ? " (for a tab write --delimiter tab)" : "");
        }
    }
    if (t->decimal_comma && t->delimiter == ',')
        return usage_error(a->command, "--decimal-comma needs a semicolon or tab delimiter");
    const char *e = arg_get(a, "encoding");
    if (e) {
        static const char *const names[] = {"utf-8", "windows-1252"};
        if (strcasecmp(e, "utf-8") == 0 || strcasecmp(e, "utf8") == 0) {
            t->encoding = TBL_UTF8;
        } else if (strcasecmp(e, "windows-1252") == 0 || strcasecmp(e, "cp1252") == 0) {
            t->encoding = TBL_CP1252;
        } else {
            char msg[200];
            snprintf(msg, sizeof msg, "--encoding must be utf-8 or windows-1252, not \"%.60s\"", e);
            suggest_append(msg, sizeof msg, e, names, 2, "", 1);
            return usage_error(a->command, "%s", msg);
        }
    }
    return 0;
}

void input_files(const args *a) {
    static const char *const opts[] = {"poststratify", "rake",    "calibrate", "rep-factors",
                                       "rep-rscales",  "compare", NULL};
    for (int i = 0; opts[i]; i++) {
        const char *path = arg_get(a, opts[i]);
        /* ("-" is standard input to --compare only; the others open it by name) */
        const int in = path && strcmp(path, "-") == 0 && strcmp(opts[i], "compare") == 0;
        if (path) outw_input(in ? "/dev/stdin" : path);
    }
}

int output_setup(const args *a) {
    const char *o = arg_get(a, "output"), *cw = arg_get(a, "calibrated-weights");
    char err[512];
    /* (without --output: whether standard output is an input file) */
    if (outw_check(o, err, sizeof err))
        return fail_with(EXIT_OUTPUT, "%s%s", err, o && !*o ? " (--output)" : "");
    if (cw && outw_check(cw, err, sizeof err))
        return fail_with(EXIT_OUTPUT, "%s (--calibrated-weights)", err);
    if (cw && outw_same(cw, o) && (!o || strcmp(o, "-") == 0))
        return fail_with(EXIT_OUTPUT,
                         "--calibrated-weights %s and the estimates would both be written to "
                         "standard output; name another file for one of them (--output FILE)",
                         cw);
    if (cw && outw_same(cw, o))
        return fail_with(EXIT_OUTPUT,
                         "%s: --calibrated-weights and --output name the same file; name another "
                         "file for one of them",
                         cw);
    return 0;
}

int table_setup(tbl *t, const args *a) {
    memset(t, 0, sizeof *t);
    if (!a->file) return usage_error(a->command, "no input file (\"-\" reads standard input)");
    t->path = strcmp(a->file, "-") == 0 ? "/dev/stdin" : a->file;
    outw_input(t->path);
    input_files(a);
    const int rc = output_setup(a);
    return rc ? rc : input_options(t, a);
}

#define MAX_SUBSET 32

static const char *const COND_OPS[] = {"=", "!=", "<", "<=", ">", ">="};

int cond_parse(const char *text, cond *c) {
    memset(c, 0, sizeof *c);
    size_t i = strcspn(text, "=!<>");
    if (!text[i] || i == 0 || i >= sizeof c->name) return 1;
    const char *v = text + i;
    if (v[0] == '!' && v[1] == '=')
        c->op = COND_NE, v += 2;
    else if (v[0] == '!')
        return 1;
    else if (v[0] == '<')
        c->op = v[1] == '=' ? COND_LE : COND_LT, v += v[1] == '=' ? 2 : 1;
    else if (v[0] == '>')
        c->op = v[1] == '=' ? COND_GE : COND_GT, v += v[1] == '=' ? 2 : 1;
    else
        c->op = COND_EQ, v += 1;
    /* "COL==V", "COL=>V", "COL<>V": read two ways (an operator, or a value
       starting with one), refused */
    if (strchr("=<>!", v[0]) && v[0] != '\0') return 1;
    memcpy(c->name, text, i);
    c->name[i] = '\0';
    c->value = v;
    c->col = -1;
    c->num = NAN;
    return 0;
}

/* The option a --subset value was given as: change and gic add each
 * --base-subset or --compare-subset value to their round's --subset (the
 * same text, so messages name the option typed). */
static const char *subset_option(const args *a, const char *value) {
    for (size_t j = 0; j < a->n; j++)
        if (a->kv[j].value == value && (strcmp(a->kv[j].name, "base-subset") == 0 ||
                                        strcmp(a->kv[j].name, "compare-subset") == 0))
            return a->kv[j].name;
    return "subset";
}

int table_read(tbl *t, const args *a) {
    char err[1024];
    const char *sub[MAX_SUBSET + 1];
    size_t ns = arg_all(a, "subset", sub, MAX_SUBSET + 1);
    if (ns > MAX_SUBSET) return usage_error(a->command, "more than %d --subset", MAX_SUBSET);
    cond sc[MAX_SUBSET];
    for (size_t i = 0; i < ns; i++) {
        if (cond_parse(sub[i], &sc[i]) || sc[i].op != COND_EQ)
            return usage_error(
                a->command, "--subset must be COL=VALUE (e.g. year=2024), not \"%s\"%s", sub[i],
                cond_parse(sub[i], &sc[i]) ? "" : " (--where takes <, <=, >, >= and !=)");
        sc[i].text = sub[i];
        sc[i].col = tbl_want(t, sc[i].name, "subset", TBL_LABEL);
        if (sc[i].col < 0) return fail_with(EXIT_DATA, "out of memory");
    }
    /* every option's columns are requested now */
    int rc = rep_columns_check(t, a);
    if (rc) return rc;
    if (tbl_read(t, err, sizeof err)) return fail_with(EXIT_DATA, "%s", err);
    /* a value written otherwise than the column's text ("1.0" for cells
       "1", a code for its value label): refused naming the text to write,
       checked against the whole file before any --subset drops a row */
    for (size_t i = 0; i < ns; i++) {
        char v[512];
        cond_value(&sc[i], v, sizeof v);
        if (cond_labels_check(t, &sc[i], subset_option(a, sub[i]), v)) return EXIT_DATA;
    }
    for (size_t i = 0; i < ns; i++) {
        if (tbl_keep(t, sc[i].col, sc[i].value) != 0) continue;
        char all[1024] = "";
        for (size_t j = 0; j <= i; j++)
            buf_appendf(all, sizeof all, "%s%s = \"%s\"", j ? " and " : "", sc[j].name,
                        sc[j].value);
        return fail_with(EXIT_DATA, "%s: no row has %s (--%s)", t->path, all,
                         subset_option(a, sub[i]));
    }
    return 0;
}

int col_want(tbl *t, const args *a, const char *option, int kind) {
    const char *name = arg_get(a, option);
    return name ? tbl_want(t, name, option, kind) : -1;
}

size_t col_missing(const tbl *t, int c) {
    return c < 0 ? 0 : (size_t)t->cols[c].n_missing; /* recounted by tbl_keep(_mask) */
}

const double *col_num(const tbl *t, int c) {
    return c >= 0 ? t->cols[c].num : NULL;
}

/* ------------------------------------------------------------------ --where */

int where_want(tbl *t, const args *a, where_set *w) {
    memset(w, 0, sizeof *w);
    const char *txt[MAX_WHERE + 1];
    size_t n = arg_all(a, "where", txt, MAX_WHERE + 1);
    if (n > MAX_WHERE) return usage_error(a->command, "more than %d --where", MAX_WHERE);
    for (size_t i = 0; i < n; i++) {
        cond *c = &w->c[i];
        if (cond_parse(txt[i], c))
            return usage_error(a->command,
                               "--where must be COL=V, COL!=V, COL<V, COL<=V, COL>V or COL>=V "
                               "(e.g. earnings>0), not \"%s\"",
                               txt[i]);
        c->text = txt[i];
        if (c->op == COND_EQ || c->op == COND_NE) {
            c->col = tbl_want(t, c->name, "where", TBL_LABEL);
        } else {
            char why[300];
            if (tbl_parse_option_number(c->value, arg_flag(a, "decimal-comma"), &c->num, why,
                                        sizeof why))
                return usage_error(a->command, "--where %s: %s compares numbers: %s", txt[i],
                                   COND_OPS[c->op], why);
            c->col = tbl_want(t, c->name, "where", TBL_NUM);
        }
        if (c->col < 0) return fail_with(EXIT_DATA, "out of memory");
    }
    w->n = n;
    return 0;
}

/* whether row r meets condition c (a missing value meets none) */
int cond_holds(const tbl *t, const cond *c, const char *value, size_t r) {
    const tbl_col *col = &t->cols[c->col];
    if (c->op == COND_EQ || c->op == COND_NE) {
        int32_t k = col->code[r];
        if (k < 0) return 0;
        int eq = strcmp(col->labels[k], value) == 0;
        return c->op == COND_EQ ? eq : !eq;
    }
    double x = col->num[r];
    if (isnan(x)) return 0;
    switch (c->op) {
    case COND_LT:
        return x < c->num;
    case COND_LE:
        return x <= c->num;
    case COND_GT:
        return x > c->num;
    default:
        return x >= c->num;
    }
}

void where_note(const char *command, const tbl *t, const cond *c) {
    char what[700];
    snprintf(what, sizeof what,
             "they do not meet --where %s and are outside every estimate (they stay in the "
             "design)",
             c->text);
    note_missing(command, t, c->col, what);
}

void cond_value(const cond *c, char *value, size_t cap) {
    const char *v = c->value;
    while (*v == ' ' || *v == '\t') v++;
    size_t len = strlen(v);
    while (len > 0 && (v[len - 1] == ' ' || v[len - 1] == '\t' || v[len - 1] == '\r')) len--;
    snprintf(value, cap, "%.*s", (int)(len < cap ? len : cap - 1), v);
}

int cond_meant(const tbl *t, const cond *c, const char *value, int32_t *k, int32_t *others) {
    *k = -1;
    *others = 0;
    if (c->op != COND_EQ && c->op != COND_NE) return 0;
    const tbl_col *col = &t->cols[c->col];
    for (int32_t j = 0; j < col->n_labels; j++)
        if (strcmp(col->labels[j], value) == 0) return 0;
    /* no category reads so: a number (read as the file's numbers are) */
    double x, y;
    if (tbl_parse_number(value, strlen(value), t->decimal_comma, &x) != 0) return 0;
    /* of the file that reads as another text (its value label, or its
       shortest spelling) was likely meant */
    for (int32_t j = 0; col->label_value && j < col->n_labels; j++)
        if (col->label_value[j] == x) {
            *k = j;
            return 1;
        }
    /* or a cell's text that reads as the same number ("1" for "1.0") */
    for (int32_t j = 0; j < col->n_labels; j++) {
        if (col->label_value && !isnan(col->label_value[j])) continue;
        const char *l = col->labels[j];
        if (tbl_parse_number(l, strlen(l), t->decimal_comma, &y) != 0 || y != x) continue;
        if (*k < 0)
            *k = j;
        else
            ++*others;
    }
    return *k >= 0 ? 2 : 0;
}

int cond_labels_check(const tbl *t, const cond *c, const char *option, const char *value) {
    int32_t k, others;
    const int how = cond_meant(t, c, value, &k, &others);
    if (how == 0) return 0;
    const tbl_col *col = &t->cols[c->col];
    const char *op = c->op == COND_EQ ? "=" : "!=";
    if (how == 1)
        return fail_with(EXIT_DATA,
                         "%s: --%s %s: column \"%s\" is compared as its categories' text, "
                         "and no category is \"%s\": the file's value %s reads as \"%s\" "
                         "(%s); write --%s %s%s%s",
                         t->path, option, c->text, col->name, value, value, col->labels[k],
                         col->value_labels ? "its value label" : "its shortest spelling", option,
                         c->name, op, col->labels[k]);
    char also[160] = "";
    if (others > 0)
        snprintf(also, sizeof also,
                 " (and %d other spelling%s of that number, each a category of its own)",
                 (int)others, others == 1 ? "" : "s");
    return fail_with(EXIT_DATA,
                     "%s: --%s %s: column \"%s\" is compared as text, and no cell is \"%s\": "
                     "its cells \"%s\" read as the same number%s; write --%s %s%s%s",
                     t->path, option, c->text, col->name, value, col->labels[k], also, option,
                     c->name, op, col->labels[k]);
}

int where_mask(const char *command, const tbl *t, const where_set *w, unsigned char **mask) {
    *mask = NULL;
    if (w->n == 0) return 0;
    unsigned char *m = malloc(t->nrows ? t->nrows : 1);
    if (!m) return fail_with(EXIT_DATA, "out of memory");
    memset(m, 1, t->nrows);
    for (size_t i = 0; i < w->n; i++) {
        const cond *c = &w->c[i];
        /* the value compared as labels are: spaces and tabs around it trimmed */
        char value[512];
        cond_value(c, value, sizeof value);
        if (cond_labels_check(t, c, "where", value)) {
            free(m);
            return EXIT_DATA;
        }
        for (size_t r = 0; r < t->nrows; r++)
            if (m[r] && !cond_holds(t, c, value, r)) m[r] = 0;
        where_note(command, t, c);
    }
    size_t kept = 0;
    for (size_t r = 0; r < t->nrows; r++) kept += m[r];
    if (kept == 0) {
        char all[1024] = "";
        for (size_t i = 0; i < w->n; i++)
            buf_appendf(all, sizeof all, "%s%s", i ? " and " : "", w->c[i].text);
        free(m);
        return fail_with(EXIT_DATA, "%s: no row meets --where %s", t->path, all);
    }
    *mask = m;
    return 0;
}

void where_apply(const unsigned char *mask, size_t n, int32_t *code) {
    if (!mask) return;
    for (size_t r = 0; r < n; r++)
        if (!mask[r]) code[r] = -1;
}
