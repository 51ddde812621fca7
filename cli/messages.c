/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli/messages.c — what the command says on stderr: failures, the library's failures in the
 * command's terms, missing values, estimates without figures (see cli.h). */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"
#include "text.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ failures */

int fail_with(int code, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "socind: ");
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return code;
}

/* appends printf text to buf */
void buf_appendf(char *buf, size_t cap, const char *fmt, ...) {
    size_t used = strlen(buf);
    if (used + 1 >= cap) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + used, cap - used, fmt, ap);
    va_end(ap);
}

char *str_vprintf(const char *fmt, va_list ap) {
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (s) vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

char *str_printf(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *s = str_vprintf(fmt, ap);
    va_end(ap);
    return s;
}

int str_appendf(char **s, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *more = str_vprintf(fmt, ap);
    va_end(ap);
    if (!more) return -1;
    size_t had = *s ? strlen(*s) : 0, add = strlen(more);
    char *t = realloc(*s, had + add + 1);
    if (!t) {
        free(more);
        return -1;
    }
    memcpy(t + had, more, add + 1);
    free(more);
    *s = t;
    return 0;
}

/* ------------------------------------------------------------------ the library's failures */

/* the column a command option named in this table, or NULL */
static const tbl_col *col_of_option(const tbl *t, const char *option) {
    if (!t) return NULL;
    for (size_t i = 0; i < t->ncols; i++)
        if (t->cols[i].option && strcmp(t->cols[i].option, option) == 0) return &t->cols[i];
    return NULL;
}

/* The column an option reads, also where another option named it first
 * (its `also`): for messages that name the option themselves. */
static const tbl_col *col_read_by(const tbl *t, const char *option) {
    const tbl_col *c = col_of_option(t, option);
    for (size_t i = 0; !c && t && i < t->ncols; i++)
        if (t->cols[i].also && strcmp(t->cols[i].also, option) == 0) c = &t->cols[i];
    return c;
}

static const tbl_col *col_of_options(const tbl *t, const char *o1, const char *o2) {
    const tbl_col *c = col_of_option(t, o1);
    return c ? c : col_of_option(t, o2);
}

/* a row's label in a label column ("" if missing) */
static const char *label_at(const tbl_col *c, size_t r) {
    int32_t k = c->code[r];
    return k >= 0 ? c->labels[k] : "";
}

/* a row's id as the file writes it, quoted, and its .dta/.sav value label:
 * "3" (value label "Urban") */
static const char *id_at(const tbl_col *c, size_t r, char *buf, size_t cap) {
    int32_t k = c->code[r];
    const char *vl = k >= 0 && c->value_label ? c->value_label[k] : NULL;
    if (vl)
        snprintf(buf, cap, "\"%s\" (value label \"%s\")", label_at(c, r), vl);
    else
        snprintf(buf, cap, "\"%s\"", label_at(c, r));
    return buf;
}

/* what the measure that needs incomes > 0 is called */
static const char *nonpositive_measure(const char *what, char *buf, size_t cap) {
    if (strncmp(what, "watts", 5) == 0) return "the Watts index";
    if (strncmp(what, "atkinson", 8) == 0) return "the Atkinson index";
    snprintf(buf, cap, "generalized entropy (%s)", what);
    return buf;
}

typedef struct id_pair {
    int32_t stratum, psu;
} id_pair;

static int cmp_pair(const void *pa, const void *pb) {
    const id_pair *a = pa, *b = pb;
    if (a->stratum != b->stratum) return a->stratum < b->stratum ? -1 : 1;
    return a->psu < b->psu ? -1 : a->psu > b->psu;
}

/* An fpc that is a count below the stratum's sampled PSUs (the library's
 * rule: counts when some fpc > 1): says so and returns 1, else 0. */
static int fpc_below_psus(const char *path, const tbl *t, const tbl_col *fpc, const tbl_col *st,
                          const tbl_col *ps) {
    int counts = 0;
    for (size_t r = 0; r < t->nrows; r++) counts |= fpc->num[r] > 1.0;
    if (!counts || t->nrows == 0) return 0;
    id_pair *p = malloc(t->nrows * sizeof *p);
    if (!p) return 0;
    for (size_t r = 0; r < t->nrows; r++) {
        p[r].stratum = st ? st->code[r] : 0;
        p[r].psu = ps ? ps->code[r] : (int32_t)r;
    }
    qsort(p, t->nrows, sizeof *p, cmp_pair);
    int found = 0;
    for (size_t a = 0; a < t->nrows && !found;) {
        size_t b = a, npsu = 0;
        for (; b < t->nrows && p[b].stratum == p[a].stratum; b++)
            npsu += b == a || p[b].psu != p[b - 1].psu;
        size_t r = 0; /* a row of the stratum, for its fpc and label */
        while (r < t->nrows && (st ? st->code[r] : 0) != p[a].stratum) r++;
        if (r < t->nrows && fpc->num[r] < (double)npsu) {
            char id[400], where[96];
            if (st)
                fprintf(stderr,
                        "socind: %s: stratum %s (column \"%s\", --%s; %s is in it): column "
                        "\"%s\" (--fpc) gives %.17g PSUs in the population, fewer than the "
                        "%zu PSUs of the sample\n",
                        path, id_at(st, r, id, sizeof id), st->name, st->option,
                        tbl_where(t, r, where, sizeof where), fpc->name, fpc->num[r], npsu);
            else
                fprintf(stderr,
                        "socind: %s: column \"%s\" (--fpc) gives %.17g PSUs in the population, "
                        "fewer than the %zu PSUs of the sample\n",
                        path, fpc->name, fpc->num[r], npsu);
            found = 1;
        }
        a = b;
    }
    free(p);
    return found;
}

/* The message for an fpc the library refused, from the columns; 0 when the
 * columns do not show what is wrong. */
static int fpc_message(const char *path, const tbl *t, const size_t *rows, int64_t lr, size_t r,
                       int has_row, const char *where) {
    const tbl_col *c = col_read_by(t, "fpc");
    if (!c || c->kind != TBL_NUM) return 0;
    const tbl_col *st = col_of_options(t, "strata", "child-strata");
    const tbl_col *ps = col_of_options(t, "psu", "child-psu");
    if (!has_row) return fpc_below_psus(path, t, c, st, ps);
    double v = c->num[r];
    if (!(v > 0) || isinf(v)) {
        fprintf(stderr,
                "socind: %s: %s: column \"%s\" (--fpc) is %.17g; it must be finite and > 0 (the "
                "stratum's number of PSUs, or its sampling fraction)\n",
                path, where, c->name, v);
        return 1;
    }
    /* an earlier row of the same stratum with another value */
    for (int64_t k = 0; k < lr; k++) {
        size_t q = rows ? rows[k] : (size_t)k;
        if ((st ? st->code[q] == st->code[r] : 1) && c->num[q] != v) {
            char w2[96], id[400];
            tbl_where(t, q, w2, sizeof w2);
            if (st)
                fprintf(stderr,
                        "socind: %s: %s: column \"%s\" (--fpc) is %.17g here and %.17g on %s, in "
                        "the same stratum %s (column \"%s\", --%s); it must be the same for every "
                        "row of a stratum\n",
                        path, where, c->name, v, c->num[q], w2, id_at(st, r, id, sizeof id),
                        st->name, st->option);
            else
                fprintf(stderr,
                        "socind: %s: %s: column \"%s\" (--fpc) is %.17g here and %.17g on %s; "
                        "without --strata it must be the same for every row\n",
                        path, where, c->name, v, c->num[q], w2);
            return 1;
        }
    }
    return 0;
}

/* a library failure, and the row of the table it names */
typedef struct failure {
    const args *a;
    const tbl *t; /* NULL: no table */
    const size_t *rows;
    const char *what;
    int32_t status;
    int64_t lr;       /* socind_last_error_row() */
    size_t r;         /* the table row it names, when has_row */
    int has_row;      /* 1 when the library names a row of the table */
    const char *path; /* the file's, "" without a table */
    char where[96];   /* "line 17" of row r, when has_row */
} failure;

/* the row's sampling weight is not a weight (or, after --cal-method
 * linear, its calibrated weight is negative) */
static int say_weight(const failure *f) {
    const char *opt = col_read_by(f->t, "weight") ? "weight" : "child-weight";
    const tbl_col *c = col_read_by(f->t, opt);
    if (!f->has_row || !c || c->kind != TBL_NUM) return 0;
    const char *method = arg_get(f->a, "cal-method");
    const double w = c->num[f->r];
    if (method && strcmp(method, "linear") == 0 && isfinite(w) && w >= 0) {
        /* the file's weight is a weight: the linear calibration's is not */
        fprintf(stderr,
                "socind: %s: %s: %s: the calibrated weight is negative (the sampling weight, "
                "column \"%s\", is %.17g), and %s needs weights >= 0; --cal-method linear "
                "can make weights negative: --cal-method logit --cal-bounds L,U keeps each "
                "within L and U times its sampling weight, and --cal-method raking keeps them "
                "positive\n",
                f->path, f->where, f->what, c->name, w, f->what);
        return 1;
    }
    fprintf(stderr,
            "socind: %s: %s: the sampling weight (column \"%s\") is %.17g; weights (--%s) "
            "must be finite and >= 0\n",
            f->path, f->where, c->name, c->num[f->r], opt);
    return 1;
}

/* every sampling weight is 0 */
static int say_zero_weights(const failure *f) {
    const char *opt = col_read_by(f->t, "weight") ? "weight" : "child-weight";
    const tbl_col *c = col_read_by(f->t, opt);
    if (!c) return 0;
    fprintf(stderr,
            "socind: %s: every sampling weight in column \"%s\" (--%s) is 0: no row counts\n",
            f->path, c->name, opt);
    return 1;
}

/* an income a measure needs above 0 */
static int say_nonpositive(const failure *f) {
    const tbl_col *c = col_read_by(f->t, "income");
    if (!f->has_row || !c) return 0;
    char buf[96];
    fprintf(stderr, "socind: %s: %s: column \"%s\" (--income) is %.17g; %s needs incomes > 0%s\n",
            f->path, f->where, c->name, c->num[f->r], nonpositive_measure(f->what, buf, sizeof buf),
            arg_accepts(f->a, "nonpositive")
                ? " — to leave such rows out of it, add --nonpositive exclude"
                : "");
    return 1;
}

/* invalid data: the row's poverty line (--line-col), when that is what is
 * wrong */
static int say_line(const failure *f) {
    const tbl_col *c = col_read_by(f->t, "line-col");
    if (!f->has_row || !c || c->kind != TBL_NUM || (c->num[f->r] > 0 && isfinite(c->num[f->r])))
        return 0;
    fprintf(stderr,
            "socind: %s: %s: %s: column \"%s\" (--line-col) is %.17g; a poverty line must be "
            "finite and > 0\n",
            f->path, f->where, f->what, c->name, c->num[f->r]);
    return 1;
}

/* a stratum with one PSU, or (no row: the 'average' policy) every one */
static int say_lonely(const failure *f) {
    if (!f->has_row) {
        fprintf(stderr,
                "socind: %s: %s: every stratum with rows has one PSU, so --lonely-psu average has "
                "nothing to average; choose --lonely-psu remove|adjust|certainty\n",
                f->path, f->what);
        return 1;
    }
    const tbl_col *c = col_of_options(f->t, "strata", "child-strata");
    const char *choose = arg_accepts(f->a, "lonely-psu")
                             ? "; choose what to do with such strata: --lonely-psu "
                               "remove|adjust|average|certainty"
                             : "";
    char id[400];
    if (c)
        fprintf(stderr,
                "socind: %s: stratum %s (column \"%s\", --%s; %s is in it) has only one "
                "PSU, so its variance cannot be estimated%s\n",
                f->path, id_at(c, f->r, id, sizeof id), c->name, c->option, f->where, choose);
    else
        fprintf(stderr,
                "socind: %s: the design has only one PSU, so no variance can be estimated%s%s\n",
                f->path, choose,
                arg_accepts(f->a, "psu") && !col_of_options(f->t, "psu", "child-psu")
                    ? ", or give --psu"
                    : "");
    return 1;
}

/* a PSU in two strata: here and on an earlier row */
static int say_nesting(const failure *f) {
    const tbl_col *c = col_of_options(f->t, "psu", "child-psu");
    const tbl_col *s = col_of_options(f->t, "strata", "child-strata");
    if (!f->has_row || !c || !s) return 0;
    size_t r = f->r, other = r;
    for (int64_t k = 0; k < f->lr; k++) {
        size_t q = f->rows ? f->rows[k] : (size_t)k;
        if (c->code[q] == c->code[r] && s->code[q] != s->code[r]) {
            other = q;
            break;
        }
    }
    char w2[96], id[400], i2[400], i3[400];
    tbl_where(f->t, other, w2, sizeof w2);
    fprintf(stderr,
            "socind: %s: %s: PSU %s (column \"%s\", --%s) is in stratum %s here and "
            "in stratum %s on %s (column \"%s\", --%s); PSU ids must be unique across "
            "strata%s\n",
            f->path, f->where, id_at(c, r, id, sizeof id), c->name, c->option,
            id_at(s, r, i2, sizeof i2), id_at(s, other, i3, sizeof i3), w2, s->name, s->option,
            arg_accepts(f->a, "nest") ? " — if they restart in every stratum, add --nest" : "");
    return 1;
}

/* an fpc the library refused, from the columns */
static int say_fpc(const failure *f) {
    return f->t && fpc_message(f->path, f->t, f->rows, f->lr, f->r, f->has_row, f->where);
}

/* Who says which status in the command's terms (columns, flags, ids as the
 * file writes them); each returns 1 when it said it, 0 when only the
 * status's sentence can. */
static const struct {
    int32_t status;
    int (*say)(const failure *f);
} SAYS[] = {{SOCIND_ERR_WEIGHT, say_weight},
            {SOCIND_ERR_ZERO_WEIGHTS, say_zero_weights},
            {SOCIND_ERR_NONPOSITIVE, say_nonpositive},
            {SOCIND_ERR_DATA, say_line},
            {SOCIND_ERR_LONELY_PSU, say_lonely},
            {SOCIND_ERR_NESTING, say_nesting},
            {SOCIND_ERR_FPC, say_fpc}};

static int explained(const failure *f) {
    for (size_t i = 0; i < sizeof SAYS / sizeof *SAYS; i++)
        if (SAYS[i].status == f->status) return SAYS[i].say(f);
    return 0;
}

int lib_fail(const args *a, const tbl *t, const size_t *rows, const char *what, int32_t status) {
    int code = EXIT_COMPUTE;
    if (status == SOCIND_ERR_WEIGHT || status == SOCIND_ERR_FPC || status == SOCIND_ERR_NESTING ||
        status == SOCIND_ERR_DATA || status == SOCIND_ERR_NONPOSITIVE ||
        status == SOCIND_ERR_CODE || status == SOCIND_ERR_ZERO_WEIGHTS)
        code = EXIT_DATA;
    failure f = {a, t, rows, what, status, socind_last_error_row(), 0, 0, t ? t->path : "", ""};
    if (t && f.lr >= 0) {
        f.r = rows ? rows[f.lr] : (size_t)f.lr;
        f.has_row = f.r < t->nrows;
        if (f.has_row) tbl_where(t, f.r, f.where, sizeof f.where);
    }
    if (!explained(&f)) {
        /* the status's sentence; the library's detail verbatim, unparsed,
           for what only it knows */
        const char *detail = socind_last_error_detail();
        fprintf(stderr, "socind: %s%s%s%s%s: %s%s%s%s\n", f.path, t ? ": " : "",
                f.has_row ? f.where : "", f.has_row ? ": " : "", what, socind_strerror(status),
                detail[0] ? " (the library's detail: \"" : "", detail, detail[0] ? "\")" : "");
    }
    return code;
}

/* ------------------------------------------------------------------ missing values */

/* "they are" → "it is", "they stay" → "it stays", "and are" → "and is",
 * "their" → "its", "them"/"they" → "it", outside quotes (a column's name
 * stays as it is) */
static void singular(const char *s, char *out, size_t cap) {
    static const struct {
        const char *from, *to;
    } w[] = {{"they are", "it is"},
             {"they do not", "it does not"},
             {"they stay", "it stays"},
             {"and are", "and is"},
             {"their", "its"},
             {"them", "it"},
             {"they", "it"},
             {"have", "has"}};
    out[0] = '\0';
    int quoted = 0;
    const char *start = s;
    while (*s) {
        int done = 0;
        int word_start = s == start || !isalnum((unsigned char)s[-1]);
        for (size_t i = 0; i < sizeof w / sizeof *w && !done && !quoted && word_start; i++) {
            size_t l = strlen(w[i].from);
            if (strncmp(s, w[i].from, l) == 0 && !isalnum((unsigned char)s[l]) && s[l] != '_') {
                buf_appendf(out, cap, "%s", w[i].to);
                s += l;
                done = 1;
            }
        }
        if (done) continue;
        if (*s == '"') quoted = !quoted;
        buf_appendf(out, cap, "%c", *s++);
    }
}

size_t note_missing(const char *command, const tbl *t, int c, const char *consequence) {
    size_t k = col_missing(t, c);
    if (k == 0) return 0;
    const tbl_col *col = &t->cols[c];
    char one[512];
    singular(consequence, one, sizeof one);
    fprintf(stderr, "socind %s: %zu row%s no value in column \"%s\" (--%s); %s\n", command, k,
            k == 1 ? " has" : "s have", col->name, col->option, k == 1 ? one : consequence);
    return k;
}

/* ------------------------------------------------------------------ estimates without figures */

/* What an estimate's empty cells are (an empty cell is a figure that is not
 * finite). */
#define GAP_ESTIMATE 0 /* no estimate: estimate, se, ci_low, ci_high */
#define GAP_SE 1       /* no standard error: se, ci_low, ci_high */
#define GAP_CI 2       /* no interval: ci_low, ci_high */
#define GAP_LIMIT 3    /* one limit */
#define GAP_NONE 4     /* every figure given */

static int gap_of(const socind_estimate *e) {
    if (!isfinite(e->value)) return GAP_ESTIMATE;
    if (!isfinite(e->se)) return GAP_SE;
    int lo = isfinite(e->ci_low), hi = isfinite(e->ci_high);
    return !lo && !hi ? GAP_CI : !lo || !hi ? GAP_LIMIT : GAP_NONE;
}

/* "has no estimate (empty estimate, se, ci_low and ci_high cells)"; the
 * brief (cells 0) shows "–" instead */
static void gap_words(int gap, const socind_estimate *e, int plural, int cells_named, char *buf,
                      size_t cap) {
    static const char *const what[5] = {"no estimate", "no standard error or interval",
                                        "no interval", "one confidence limit only", ""};
    static const char *const cells[5] = {"estimate, se, ci_low and ci_high",
                                         "se, ci_low and ci_high", "ci_low and ci_high", NULL,
                                         NULL};
    const char *has = plural ? "have" : "has";
    if (!cells_named && gap != GAP_NONE)
        snprintf(buf, cap, "%s %s (shown as –)", has, what[gap]);
    else if (gap == GAP_NONE)
        snprintf(buf, cap, "%s every figure, with a warning", has);
    else if (gap == GAP_LIMIT)
        snprintf(buf, cap, "%s %s (an empty %s cell)", has, what[gap],
                 isfinite(e->ci_low) ? "ci_high" : "ci_low");
    else
        snprintf(buf, cap, "%s %s (empty %s cells)", has, what[gap], cells[gap]);
}

/* the first groups of the estimates i (where pick[i]), distinct, "(a, b, c, ...)" */
static void first_groups(const est_list *l, const unsigned char *pick, char *buf, size_t cap) {
    const char *shown[3];
    int n = 0, more = 0;
    for (size_t i = 0; i < l->n; i++) {
        if (!pick[i]) continue;
        int seen = 0;
        for (int j = 0; j < n; j++) seen |= strcmp(shown[j], l->rows[i].group) == 0;
        if (seen) continue;
        if (n == 3) {
            more = 1;
            break;
        }
        shown[n++] = l->rows[i].group;
    }
    snprintf(buf, cap, "(");
    /* (a label's control characters escaped: a file's text cannot drive
       the terminal or reorder the message) */
    for (int j = 0; j < n; j++) buf_appendf(buf, cap, "%s%s", j ? ", " : "", msg_text(shown[j]));
    buf_appendf(buf, cap, "%s)", more ? ", ..." : "");
}

/* the brief's names of its children's figures (report_compute.c) */
static int report_child_figure(const char *indicator) {
    static const char *const names[] = {"Stunting", "Wasting", "Underweight", "Overweight",
                                        "mean height-for-age z"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(indicator, names[i]) == 0) return 1;
    return 0;
}

/* what the command can say beyond the status's sentence */
static void status_hint(const args *a, const char *indicator, int32_t status, int gap, char *buf,
                        size_t cap) {
    buf[0] = '\0';
    const size_t il = strlen(indicator);
    if (status == SOCIND_ERR_DATA && strcmp(a->command, "nutrition") == 0 && il > 3 &&
        strcmp(indicator + il - 3, "_sd") == 0)
        snprintf(buf, cap,
                 " (an SD needs two children or more with the z-score and a weight above 0)");
    else if (status == SOCIND_ERR_DF && arg_accepts(a, "ci"))
        snprintf(buf, cap, "; --ci normal gives normal intervals");
    else if (status == SOCIND_ERR_RANGE &&
             (strncmp(indicator, "quantile", 8) == 0 || strcmp(indicator, "median") == 0))
        snprintf(buf, cap,
                 " (a confidence limit of the quantile falls outside the data, where R's "
                 "svyquantile gives NA)");
    else if (status == SOCIND_ERR_LONELY_PSU && arg_accepts(a, "lonely-psu"))
        snprintf(buf, cap,
                 "; here the policy is average and every stratum with rows has one PSU, so "
                 "there is nothing to average: choose --lonely-psu remove, adjust or certainty");
    else if (status == SOCIND_ERR_DATA && strcmp(indicator, "gini") == 0)
        snprintf(buf, cap, " (a Gini coefficient needs a total income above 0)");
    else if (status == SOCIND_ERR_DATA &&
             (strcmp(a->command, "nutrition") == 0 ||
              (strcmp(a->command, "report") == 0 && report_child_figure(indicator))))
        snprintf(buf, cap, " (every child counted has a sampling weight of 0)");
    else if (status == SOCIND_ERR_DATA && strcmp(a->command, "targeting") == 0)
        snprintf(buf, cap,
                 " (a share with no denominator: %s in the group; or, where a density enters "
                 "its SE — a relative line, estimated welfare groups —, every income equal)",
                 strcmp(indicator, "coverage") == 0 || strcmp(indicator, "exclusion") == 0
                     ? "no poor person"
                 : strcmp(indicator, "leakage") == 0   ? "no recipient"
                 : strcmp(indicator, "inclusion") == 0 ? "no non-poor person"
                                                       : "no benefit paid (or no ranked row)");
    else if (status == SOCIND_ERR_DATA && strcmp(a->command, "simulate") == 0 &&
             (strcmp(indicator, "lifted") == 0 ||
              (strncmp(indicator, "fgt", 3) == 0 && strstr(indicator, "_reduction"))))
        snprintf(buf, cap,
                 " (a figure per unit of cost, and the transfer costs nothing here: no row "
                 "selected in the group, or an amount of 0)");
    else if (status == SOCIND_ERR_DATA && strcmp(a->command, "gic") == 0 && gap == GAP_SE)
        snprintf(buf, cap,
                 " (the growth rate stands, but not its SE: a round has no income density at "
                 "a percentile it reads, e.g. every income of the round equal)");
    else if (status == SOCIND_ERR_DATA && strcmp(a->command, "gic") == 0 &&
             strcmp(indicator, "gic") == 0)
        snprintf(buf, cap,
                 " (the base round's income at this percentile is 0 or below, e.g. zero "
                 "incomes: no growth rate from it)");
    else if (status == SOCIND_ERR_DATA && strcmp(a->command, "gic") == 0 &&
             strcmp(indicator, "mean_growth") == 0)
        snprintf(buf, cap, " (the base round's mean income is 0 or below: no growth rate)");
    else if (status == SOCIND_ERR_DATA && strcmp(a->command, "gic") == 0 &&
             strcmp(indicator, "pro_poor_growth") == 0)
        snprintf(buf, cap,
                 " (the mean of g(p) over the percentiles p <= H1: no poor in the base round "
                 "at this line, H1 = 0, or H1 below the first percentile; or the base round's "
                 "income at one of those percentiles is 0 or below, e.g. zero incomes, where "
                 "g(p) is undefined)");
    else if (status == SOCIND_ERR_DATA && strcmp(a->command, "gic") == 0 &&
             strcmp(indicator, "mean_poor_growth") == 0)
        snprintf(buf, cap,
                 " (no poor in the base round at this line, H1 = 0, or the base round's "
                 "poorest H1 have a total income of 0 or below)");
}

static int cmp_cstr(const void *x, const void *y) {
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* The estimates of empty domains, in one line; each is marked done. pick:
 * scratch, one per estimate. */
static void note_empty_domains(const est_list *l, const args *a, int cells_named,
                               unsigned char *done, unsigned char *pick) {
    size_t n_empty = 0, n_groups = 0;
    for (size_t i = 0; i < l->n; i++) {
        pick[i] = l->rows[i].e.status == SOCIND_ERR_EMPTY_DOMAIN;
        done[i] = pick[i];
        n_empty += pick[i];
    }
    /* the distinct groups among them (sorted: many groups stay cheap) */
    const char **names = malloc((n_empty ? n_empty : 1) * sizeof *names);
    if (names) {
        size_t k = 0;
        for (size_t i = 0; i < l->n; i++)
            if (pick[i]) names[k++] = l->rows[i].group;
        qsort(names, n_empty, sizeof *names, cmp_cstr);
        for (size_t i = 0; i < n_empty; i++)
            n_groups += i == 0 || strcmp(names[i], names[i - 1]) != 0;
        free(names);
    }
    if (n_empty == 0) return;
    char what[160], groups[600];
    first_groups(l, pick, groups, sizeof groups);
    gap_words(GAP_ESTIMATE, NULL, n_empty > 1, cells_named, what, sizeof what);
    fprintf(stderr, "socind %s: %zu estimate%s of %zu group%s %s %s: %s\n", a->command, n_empty,
            n_empty == 1 ? "" : "s", n_groups, n_groups == 1 ? "" : "s", groups, what,
            socind_strerror(SOCIND_ERR_EMPTY_DOMAIN));
}

void note_statuses(const est_list *l, const args *a, int cells_named) {
    unsigned char *done = calloc(l->n ? l->n : 1, 1), *pick = calloc(l->n ? l->n : 1, 1);
    if (!done || !pick) {
        free(done);
        free(pick);
        fprintf(stderr, "socind %s: some estimates have no figure (see their empty cells)\n",
                a->command);
        return;
    }
    note_empty_domains(l, a, cells_named, done, pick);
    /* the others: per indicator, status and gap, in order of first appearance */
    char what[160], groups[600], hint[300];
    for (size_t i = 0; i < l->n; i++) {
        const est_row *r = &l->rows[i];
        if (done[i] || r->e.status == SOCIND_OK) continue;
        int gap = gap_of(&r->e);
        size_t count = 0;
        for (size_t j = i; j < l->n; j++) {
            const est_row *q = &l->rows[j];
            pick[j] = !done[j] && q->e.status == r->e.status && gap_of(&q->e) == gap &&
                      strcmp(q->indicator, r->indicator) == 0;
            if (!pick[j]) continue;
            done[j] = 1;
            count++;
        }
        memset(pick, 0, i);
        first_groups(l, pick, groups, sizeof groups);
        gap_words(gap, &r->e, count > 1, cells_named, what, sizeof what);
        status_hint(a, r->indicator, r->e.status, gap, hint, sizeof hint);
        fprintf(stderr, "socind %s: %s: %zu estimate%s %s %s: %s%s\n", a->command, r->indicator,
                count, count == 1 ? "" : "s", groups, what, socind_strerror(r->e.status), hint);
    }
    /* a replicate design's estimates whose variance left replicates out
       (svrVar's warning), per indicator */
    memset(done, 0, l->n);
    for (size_t i = 0; i < l->n; i++) {
        const est_row *r = &l->rows[i];
        if (done[i] || r->e.replicates_left_out <= 0) continue;
        size_t count = 0;
        int32_t most = 0, least = INT32_MAX;
        memset(pick, 0, l->n);
        for (size_t j = i; j < l->n; j++) {
            const est_row *q = &l->rows[j];
            pick[j] =
                !done[j] && q->e.replicates_left_out > 0 && strcmp(q->indicator, r->indicator) == 0;
            if (!pick[j]) continue;
            done[j] = 1;
            count++;
            most = q->e.replicates_left_out > most ? q->e.replicates_left_out : most;
            least = q->e.replicates_left_out < least ? q->e.replicates_left_out : least;
        }
        first_groups(l, pick, groups, sizeof groups);
        fprintf(stderr,
                "socind %s: warning: %s: %zu estimate%s %s: %s%d replicate%s gave no "
                "estimate (no row of the group in the replicate) and %s left out of the "
                "variance, as R's svrVar discards them\n",
                a->command, r->indicator, count, count == 1 ? "" : "s", groups,
                least < most ? "up to " : "", (int)most, most == 1 ? "" : "s",
                most == 1 ? "was" : "were");
    }
    free(done);
    free(pick);
}
