/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli/replicate_opts.c — replicate weights from the command line (socind/replicate.h):
 *   --repweights PREFIX         every column of the data file whose name starts with
 *                               PREFIX, in file order, but the --weight column: the
 *                               replicate weights
 *   --rep-factors FILE --rep-key COL
 *                               a CSV whose first column is a key and whose other
 *                               columns are replicate factors (a factor multiplies the
 *                               row's --weight); COL is the data column the key matches
 *   --rep-type jk1|jkn|brr|fay|bootstrap|subbootstrap|other, --rep-scale S,
 *   --rep-rscales FILE (one column rscale, a row per replicate), --fay-rho R, --mse
 *   --rep-make TYPE             made from --strata/--psu (--replicates R --seed S for
 *                               the bootstraps)
 * The design of every subcommand that takes one (design_cols.c) becomes the replicate
 * design; the estimates' SEs come from the replicates. */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_REP_COLS 10000
static int rep_cols_store[MAX_REP_COLS];
/* --repweights: the table whose columns rep_cols_store indexes, and how
   many (rep_columns_check) */
static const tbl *rep_table;
static size_t rep_count;

static const char *const TYPE_NAMES[SOCIND_REP_TYPE_COUNT] = {
    "other", "jk1", "jkn", "brr", "fay", "bootstrap", "subbootstrap"};

int rep_requested(const args *a) {
    return arg_get(a, "repweights") || arg_get(a, "rep-factors") || arg_get(a, "rep-make");
}

#define HEADER_MAX (16 << 20) /* bytes of a header row read at most */

/* The header's names of CSV file path (delimiter as the reader detects it
 * when delim is 0, or when the header holds no delim outside quotes: the
 * most frequent of , ; and tab), quotes and spaces around them removed,
 * into names (the caller frees each and the array);
 * the delimiter used into *used (when not NULL; 0: detected, and the
 * header has none). 0, or an exit code after the message. */
static int csv_header(const char *command, const char *path, int delim, char ***names,
                      size_t *count, int *used) {
    *names = NULL, *count = 0;
    FILE *fp = fopen(path, "rb");
    if (!fp) return fail_with(EXIT_DATA, "%s: cannot open (--%s)", path, command);
    /* the first line, up to HEADER_MAX bytes: a file with no line end (a
       device of NULs, a binary file) is not read whole */
    size_t len = 0, cap = 256;
    char *line = malloc(cap);
    int c = EOF, nul = 0, hint = 0;
    for (int first = 1;; first = 0) {
        while (line && len < HEADER_MAX && (c = getc(fp)) != EOF) {
            if (len + 2 > cap) {
                char *l2 = realloc(line, cap *= 2);
                if (!l2) free(line);
                line = l2;
                if (!line) break;
            }
            nul |= c == 0;
            line[len++] = (char)c;
            if (c == '\n') break;
        }
        /* Excel's first line "sep=X" names the delimiter (as in the data
           file): the header is the next line */
        const size_t bom = line && len >= 3 && (unsigned char)line[0] == 0xEF &&
                                   (unsigned char)line[1] == 0xBB && (unsigned char)line[2] == 0xBF
                               ? 3
                               : 0;
        if (!first || !line || nul || !(hint = tbl_sep_hint(line + bom, len - bom))) break;
        len = 0;
    }
    fclose(fp);
    if (hint && !delim) delim = hint == '?' ? 0 : hint;
    if (!line) return fail_with(EXIT_DATA, "out of memory");
    line[len] = '\0';
    if (len == HEADER_MAX && c != '\n' && c != EOF) {
        free(line);
        return fail_with(EXIT_DATA,
                         "%s: no line end in its first %d MiB%s: not a CSV file's header (--%s)",
                         path, HEADER_MAX >> 20, nul ? ", and NUL bytes" : "", command);
    }
    if (nul) {
        free(line);
        return fail_with(EXIT_DATA, "%s: a NUL byte in its header row: not a CSV file (--%s)", path,
                         command);
    }
    if (len == 0) {
        free(line);
        return fail_with(EXIT_DATA, "%s: empty file (no header row)", path);
    }
    char *s = line;
    if ((unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB && (unsigned char)s[2] == 0xBF)
        s += 3;
    /* a delimiter given that the header does not hold is not the file's (a
       comma-separated factor file beside a semicolon-separated data file);
       0: one column */
    delim = tbl_header_delimiter(s, strlen(s), delim);
    if (used) *used = delim;
    const int split = delim ? delim : ',';
    size_t room = 16;
    char **v = malloc(room * sizeof *v);
    if (!v) {
        free(line);
        return fail_with(EXIT_DATA, "out of memory");
    }
    char *p = s;
    for (;;) {
        char buf[4096];
        size_t b = 0;
        int q = 0;
        while (*p == ' ') p++;
        for (; *p && (q || (*p != split && *p != '\n' && *p != '\r')); p++) {
            if (*p == '"') {
                if (q && p[1] == '"') {
                    if (b + 1 < sizeof buf) buf[b++] = '"';
                    p++;
                } else {
                    q = !q;
                }
                continue;
            }
            if (b + 1 < sizeof buf) buf[b++] = *p;
        }
        while (b > 0 && (buf[b - 1] == ' ' || buf[b - 1] == '\t')) b--;
        buf[b] = '\0';
        if (*count == room) {
            char **nv = realloc(v, (room *= 2) * sizeof *v);
            if (!nv) break;
            v = nv;
        }
        v[(*count)++] = strdup(buf);
        if (*p != split) break;
        p++;
    }
    free(line);
    *names = v;
    return 0;
}

static void free_names(char **names, size_t n) {
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
}

/* --rep-make refused for a stratum's PSU count (row >= 0: a row of it;
 * st SOCIND_ERR_LONELY_PSU or, for BRR and Fay, SOCIND_ERR_ARG): the
 * stratum named by its label in the file (the library's detail has the
 * design's stratum number), and said that --lonely-psu, a policy of the
 * linearized variance, does not make replicates of a one-PSU stratum.
 * EXIT_DATA after the message, or 0 when there is nothing to add. */
static int say_scheme_strata(const tbl *t, int32_t type, int32_t st, int64_t row) {
    const tbl_col *c = NULL;
    for (size_t j = 0; j < t->ncols && !c; j++)
        if (strcmp(t->cols[j].option, "strata") == 0 ||
            strcmp(t->cols[j].option, "child-strata") == 0)
            c = &t->cols[j];
    const char *name = TYPE_NAMES[type];
    char where[64] = "", stratum[600];
    if (row >= 0) tbl_where(t, (size_t)row, where, sizeof where);
    if (type == SOCIND_REP_JK1 || !c || row < 0 || (size_t)row >= t->nrows || c->code[row] < 0 ||
        !c->labels)
        snprintf(stratum, sizeof stratum, "%s",
                 type == SOCIND_REP_JK1 ? "the design" : "a stratum");
    else
        snprintf(stratum, sizeof stratum, "stratum \"%s\" (column \"%s\", --%s; %s is in it)",
                 c->labels[c->code[row]], c->name, c->option, where);
    if (st == SOCIND_ERR_LONELY_PSU) {
        const char *why = type == SOCIND_REP_JK1
                              ? "JK1 deletes one PSU in each replicate and needs 2 or more"
                          : type == SOCIND_REP_JKN
                              ? "JKn deletes one PSU of a stratum in each replicate, so every "
                                "stratum needs 2 or more: collapse it with another"
                              : "the subbootstrap draws n_h - 1 of a stratum's PSUs, so every "
                                "stratum needs 2 or more: collapse it with another";
        return fail_with(EXIT_DATA,
                         "%s: --rep-make %s: %s has only one PSU; %s (--lonely-psu applies to "
                         "the linearized variance, not to the replicates --rep-make makes)",
                         t->path, name, stratum, why);
    }
    if (type != SOCIND_REP_BRR && type != SOCIND_REP_FAY) return 0;
    const char *d = strstr(socind_last_error_detail(), " has ");
    unsigned long k = d ? strtoul(d + 5, NULL, 10) : 0;
    if (!d) return 0;
    return fail_with(EXIT_DATA,
                     "%s: --rep-make %s: %s has %lu PSU%s; BRR and Fay need exactly 2 in every "
                     "stratum (form variance strata of 2 half-samples)",
                     t->path, name, stratum, k, k == 1 ? "" : "s");
}

int rep_want(tbl *t, const args *a, design_cols *dc) {
    dc->rep_cols = NULL;
    dc->nrep = 0;
    dc->rep_key = -1;
    rep_table = NULL, rep_count = 0;
    const char *prefix = arg_get(a, "repweights"), *factors = arg_get(a, "rep-factors");
    const char *make = arg_get(a, "rep-make"), *key = arg_get(a, "rep-key");
    int given = (prefix != NULL) + (factors != NULL) + (make != NULL);
    if (given > 1)
        return usage_error(a->command, "give one of --repweights, --rep-factors and --rep-make");
    if (key && !factors)
        return usage_error(a->command, "--rep-key names the data column that --rep-factors' "
                                       "keys match; it needs --rep-factors");
    if (factors && !key)
        return usage_error(a->command, "--rep-factors needs --rep-key COL: the data column "
                                       "(e.g. the PSU) that the factor file's first column "
                                       "matches");
    if (!given) {
        static const char *const only[] = {"rep-type", "rep-scale",  "rep-rscales", "fay-rho",
                                           "mse",      "replicates", "seed"};
        for (size_t i = 0; i < sizeof only / sizeof *only; i++)
            if (arg_get(a, only[i]) || arg_flag(a, only[i]))
                return usage_error(a->command,
                                   "--%s sets up replicate weights: give --repweights, "
                                   "--rep-factors or --rep-make too",
                                   only[i]);
        return 0;
    }
    if (make && arg_get(a, "rep-type"))
        return usage_error(a->command, "--rep-make names the scheme; --rep-type is for replicate "
                                       "weights or factors the file gives");
    if (!make && (arg_get(a, "replicates") || arg_get(a, "seed")))
        return usage_error(a->command, "--replicates and --seed go with --rep-make bootstrap "
                                       "or subbootstrap");
    if (key) dc->rep_key = tbl_want(t, key, "rep-key", TBL_ID);
    if (prefix) {
        if (!t->path || strcmp(t->path, "-") == 0)
            return usage_error(a->command, "--repweights reads the data file's header: give a "
                                           "file, not standard input");
        size_t len = strlen(t->path);
        if (len >= 4 &&
            (strcmp(t->path + len - 4, ".dta") == 0 || strcmp(t->path + len - 4, ".sav") == 0))
            return usage_error(a->command, "--repweights PREFIX reads a CSV file's header; with a "
                                           ".dta or .sav file, write the replicate weights to a "
                                           "CSV file and give --rep-factors, or convert the file");
        /* the table keeps the names it is given: they live as long as the
           process (still reachable) */
        static char **names;
        static size_t n;
        free_names(names, n);
        names = NULL, n = 0;
        int rc = csv_header("repweights", t->path, t->delimiter, &names, &n, NULL);
        if (rc) return rc;
        size_t pl = strlen(prefix);
        /* the full-sample weight column is never one of its replicates, even
           when its name starts with the prefix (PWGTP beside PWGTP1 ..
           PWGTP80); a column another option reads is refused once every
           option has requested its columns (rep_columns_check) */
        const char *wname = arg_get(a, "weight");
        for (size_t i = 0; i < n; i++) {
            if (strncmp(names[i], prefix, pl) != 0) continue;
            if (wname && strcmp(names[i], wname) == 0) continue;
            if (dc->nrep == MAX_REP_COLS)
                return usage_error(a->command, "more than %d columns start with \"%s\"",
                                   MAX_REP_COLS, prefix);
            rep_cols_store[dc->nrep++] = tbl_want(t, names[i], "repweights", TBL_NUM);
        }
        if (dc->nrep == 0)
            return fail_with(EXIT_DATA,
                             "%s: no column's name starts with \"%s\" (--repweights PREFIX: every "
                             "column whose name starts with PREFIX, but the --weight column, is a "
                             "replicate weight)",
                             t->path, prefix);
        dc->rep_cols = rep_cols_store;
        rep_table = t, rep_count = dc->nrep;
    }
    return 0;
}

int rep_columns_check(const tbl *t, const args *a) {
    const char *prefix = arg_get(a, "repweights");
    if (!prefix || t != rep_table) return 0;
    for (size_t k = 0; k < rep_count; k++) {
        const tbl_col *c = &t->cols[rep_cols_store[k]];
        /* requested first by another option (the same kind: the same
           column), after it with the same kind (also), or with another
           kind (a column of its own, of the same name) */
        const char *other = strcmp(c->option, "repweights") != 0 ? c->option : c->also;
        int32_t cols[3];
        const size_t same = other ? 0 : tbl_cols_named(t, c->name, cols);
        for (size_t j = 0; !other && j < same; j++) {
            const tbl_col *o = &t->cols[cols[j]];
            if (o != c && strcmp(o->option, "repweights") != 0) other = o->option;
        }
        if (other)
            return usage_error(a->command,
                               "--repweights %s: column \"%s\" starts with the prefix but is "
                               "--%s's column; give a prefix that only the replicate weights' "
                               "names start with",
                               prefix, c->name, other);
    }
    return 0;
}

/* A replicate file (--rep-factors, --rep-rscales) is read as the data file
 * is: split at delim (--delimiter's where the header holds it, else the
 * header's), in --encoding; its
 * numbers, read as text (TBL_LABEL), become numbers in side_numbers. */
static void side_file_format(tbl *f, const tbl *t, int delim) {
    /* (one column: no delimiter, and "0,5" is one number under
       --decimal-comma) */
    f->delimiter = delim ? delim : t->decimal_comma ? ';' : ',';
    f->encoding = t->encoding;
}

/* Column c of replicate file f, read as text, made a number column (num,
 * NaN where missing): each value read as the number options are
 * (tbl_parse_option_number: under --decimal-comma either separator, a
 * value that reads two ways refused), so that a file written with decimal
 * points, given beside a --decimal-comma data file, reads as written. 0, or
 * an exit code after the message naming the line and column. */
static int side_numbers(tbl *f, const args *a, int c, const char *opt) {
    tbl_col *col = &f->cols[c];
    const int dc = arg_flag(a, "decimal-comma");
    double *lv = malloc(((size_t)col->n_labels + 1) * sizeof *lv);
    unsigned char *bad = calloc((size_t)col->n_labels + 1, 1);
    double *num = malloc((f->nrows ? f->nrows : 1) * sizeof *num);
    if (!lv || !bad || !num) {
        free(lv), free(bad), free(num);
        return fail_with(EXIT_DATA, "out of memory");
    }
    for (int32_t k = 0; k < col->n_labels; k++) {
        char why[300];
        bad[k] = (unsigned char)tbl_parse_option_number(col->labels[k], dc, &lv[k], why, 1);
    }
    int rc = 0;
    for (size_t r = 0; r < f->nrows && !rc; r++) {
        const int32_t k = col->code[r];
        if (k >= 0 && bad[k]) {
            char why[300], at[64];
            tbl_parse_option_number(col->labels[k], dc, &lv[k], why, sizeof why);
            rc = fail_with(EXIT_DATA, "%s: %s: column \"%s\" (--%s): %s", f->path,
                           tbl_where(f, r, at, sizeof at), col->name, opt, why);
        }
        num[r] = k >= 0 ? lv[k] : NAN;
    }
    free(lv), free(bad);
    if (rc) return free(num), rc;
    free(col->num);
    col->num = num;
    return 0;
}

/* --rep-rscales FILE: R values of its column rscale, into *out (malloc'd). */
static int read_rscales(const args *a, const tbl *t, const char *path, size_t R, double **out) {
    *out = NULL;
    tbl f;
    memset(&f, 0, sizeof f);
    f.path = path;
    int delim;
    char **names;
    size_t nn;
    int rc = csv_header("rep-rscales", path, t->delimiter, &names, &nn, &delim);
    if (rc) return rc;
    free_names(names, nn);
    side_file_format(&f, t, delim);
    int c = tbl_want(&f, "rscale", "rep-rscales", TBL_LABEL);
    char err[1024];
    if (c < 0 || tbl_read(&f, err, sizeof err)) {
        tbl_free(&f);
        return fail_with(EXIT_DATA, "%s (--rep-rscales)", c < 0 ? "out of memory" : err);
    }
    if ((rc = side_numbers(&f, a, c, "rep-rscales"))) return tbl_free(&f), rc;
    if (f.nrows != R)
        rc = fail_with(EXIT_DATA,
                       "%s: %zu rows of rscale, but there are %zu replicates (--rep-rscales: one "
                       "row per replicate, in order)",
                       path, f.nrows, R);
    for (size_t r = 0; !rc && r < f.nrows; r++) {
        double v = f.cols[c].num[r];
        if (!(v >= 0)) {
            char buf[64];
            rc =
                fail_with(EXIT_DATA, "%s: %s: rscale is %s; rscales must be present and >= 0", path,
                          tbl_where(&f, r, buf, sizeof buf), isnan(v) ? "missing" : "negative");
        }
    }
    if (!rc) {
        *out = malloc(R * sizeof **out);
        if (!*out)
            rc = fail_with(EXIT_DATA, "out of memory");
        else
            memcpy(*out, f.cols[c].num, R * sizeof **out);
    }
    tbl_free(&f);
    return rc;
}

typedef struct {
    const char *label;
    size_t row;
} keyrow;

static int cmp_key(const void *x, const void *y) {
    return strcmp(((const keyrow *)x)->label, ((const keyrow *)y)->label);
}

/* --rep-factors FILE matched to the data's --rep-key: n·R factors. */
static int read_factors(const args *a, const tbl *t, const design_cols *dc, double **vals,
                        size_t *Rout) {
    const char *path = arg_get(a, "rep-factors");
    char **names;
    size_t nn;
    int delim;
    int rc = csv_header("rep-factors", path, t->delimiter, &names, &nn, &delim);
    if (rc) return rc;
    if (nn < 2) {
        free_names(names, nn);
        return fail_with(EXIT_DATA,
                         "%s: %zu column; --rep-factors needs a key column, then one column of "
                         "factors per replicate",
                         path, nn);
    }
    const size_t R = nn - 1;
    if (R > SOCIND_REP_MAX) { /* before the rows are read */
        free_names(names, nn);
        return fail_with(EXIT_DATA,
                         "%s: %zu replicate columns after the key column; at most %d replicates",
                         path, R, SOCIND_REP_MAX);
    }
    tbl f;
    memset(&f, 0, sizeof f);
    f.path = path;
    side_file_format(&f, t, delim);
    int kc = tbl_want(&f, names[0], "rep-factors key", TBL_ID);
    int *fc = malloc(R * sizeof *fc);
    for (size_t r = 0; fc && r < R; r++)
        fc[r] = tbl_want(&f, names[r + 1], "rep-factors", TBL_LABEL);
    char err[1024];
    if (!fc || kc < 0 || tbl_read(&f, err, sizeof err)) {
        rc = fail_with(EXIT_DATA, "%s (--rep-factors)", !fc || kc < 0 ? "out of memory" : err);
        goto done;
    }
    for (size_t r = 0; r < R && !rc; r++) rc = side_numbers(&f, a, fc[r], "rep-factors");
    if (rc) goto done;
    /* each factor: present, >= 0 */
    for (size_t r = 0; r < R && !rc; r++)
        for (size_t i = 0; i < f.nrows && !rc; i++) {
            double v = f.cols[fc[r]].num[i];
            if (!(v >= 0)) {
                char buf[64];
                rc = fail_with(EXIT_DATA,
                               "%s: %s: the factor of column \"%s\" is %s; replicate factors "
                               "must be present and >= 0",
                               path, tbl_where(&f, i, buf, sizeof buf), names[r + 1],
                               isnan(v) ? "missing" : "negative");
            }
        }
    if (rc) goto done;
    /* the keys: one row each */
    const tbl_col *fk = &f.cols[kc];
    keyrow *kr = malloc((f.nrows ? f.nrows : 1) * sizeof *kr);
    size_t *frow = malloc(((size_t)fk->n_labels + 1) * sizeof *frow);
    const tbl_col *dk = &t->cols[dc->rep_key];
    size_t *drow = malloc(((size_t)dk->n_labels + 1) * sizeof *drow);
    unsigned char *used = calloc(f.nrows ? f.nrows : 1, 1);
    if (!kr || !frow || !drow || !used) {
        rc = fail_with(EXIT_DATA, "out of memory");
    } else {
        for (size_t i = 0; i < f.nrows && !rc; i++) {
            char buf[64];
            if (fk->code[i] < 0)
                rc = fail_with(EXIT_DATA, "%s: %s: the key (column \"%s\") is empty", path,
                               tbl_where(&f, i, buf, sizeof buf), names[0]);
            kr[i].label = fk->code[i] >= 0 ? fk->labels[fk->code[i]] : "";
            kr[i].row = i;
        }
        if (!rc) qsort(kr, f.nrows, sizeof *kr, cmp_key);
        for (size_t i = 1; i < f.nrows && !rc; i++)
            if (strcmp(kr[i].label, kr[i - 1].label) == 0) {
                char b1[64], b2[64];
                size_t x = kr[i - 1].row < kr[i].row ? kr[i - 1].row : kr[i].row;
                size_t y = kr[i - 1].row < kr[i].row ? kr[i].row : kr[i - 1].row;
                rc = fail_with(EXIT_DATA, "%s: key \"%s\" is on %s and %s; each key needs one row",
                               path, kr[i].label, tbl_where(&f, x, b1, sizeof b1),
                               tbl_where(&f, y, b2, sizeof b2));
            }
        /* each data key's factor row */
        for (int32_t l = 0; l < dk->n_labels && !rc; l++) {
            keyrow k = {dk->labels[l], 0};
            keyrow *hit = bsearch(&k, kr, f.nrows, sizeof *kr, cmp_key);
            if (!hit) {
                size_t r0 = 0;
                while (r0 < t->nrows && dk->code[r0] != l) r0++;
                char buf[64];
                rc = fail_with(EXIT_DATA,
                               "%s: %s: %s \"%s\" (--rep-key %s) is not a key of %s (its first "
                               "column, \"%s\")",
                               t->path, tbl_where(t, r0, buf, sizeof buf), dk->name, dk->labels[l],
                               dk->name, path, names[0]);
                break;
            }
            drow[l] = hit->row;
            used[hit->row] = 1;
        }
        for (size_t r = 0; r < t->nrows && !rc; r++)
            if (dk->code[r] < 0) {
                char buf[64];
                rc = fail_with(EXIT_DATA,
                               "%s: %s: column \"%s\" (--rep-key) is empty; every row "
                               "needs the key of its replicate factors",
                               t->path, tbl_where(t, r, buf, sizeof buf), dk->name);
            }
        for (size_t i = 0; i < f.nrows && !rc; i++)
            if (!used[i]) {
                char buf[64];
                rc = fail_with(EXIT_DATA,
                               "%s: %s: key \"%s\" is in no row of the data (column \"%s\" of %s)",
                               path, tbl_where(&f, i, buf, sizeof buf), fk->labels[fk->code[i]],
                               dk->name, t->path);
            }
        if (!rc) {
            const size_t n = t->nrows;
            double *v = malloc(n * R * sizeof *v);
            if (!v) {
                rc = fail_with(EXIT_DATA, "out of memory");
            } else {
                for (size_t r = 0; r < R; r++)
                    for (size_t k = 0; k < n; k++)
                        v[r * n + k] = f.cols[fc[r]].num[drow[dk->code[k]]];
                *vals = v;
                *Rout = R;
            }
        }
    }
    free(kr), free(frow), free(drow), free(used);
done:
    free(fc);
    free_names(names, nn);
    tbl_free(&f);
    return rc;
}

static int type_of(const char *command, const char *option, const char *v, int32_t *type) {
    for (int i = 0; i < SOCIND_REP_TYPE_COUNT; i++)
        if (strcmp(v, TYPE_NAMES[i]) == 0) return *type = i, 0;
    return usage_error(command, "--%s must be jk1, jkn, brr, fay, bootstrap, subbootstrap%s",
                       option, strcmp(option, "rep-type") == 0 ? " or other" : "");
}

int rep_wrap(const tbl *t, const args *a, const design_cols *dc, socind_design **design) {
    if (!rep_requested(a)) return 0;
    socind_replicate_options o;
    socind_replicate_options_init(&o);
    const char *v;
    int rc = 0;
    o.mse = arg_flag(a, "mse");
    if ((v = arg_get(a, "rep-type")) && (rc = type_of(a->command, "rep-type", v, &o.type)))
        return rc;
    if ((v = arg_get(a, "rep-make"))) {
        if ((rc = type_of(a->command, "rep-make", v, &o.type))) return rc;
        if (o.type == SOCIND_REP_OTHER)
            return usage_error(a->command, "--rep-make must be jk1, jkn, brr, fay, bootstrap or "
                                           "subbootstrap");
    }
    if ((v = arg_get(a, "rep-scale"))) {
        if (parse_double_opt(a, "rep-scale", v, &o.scale)) return EXIT_USAGE;
        if (!(o.scale > 0)) return usage_error(a->command, "--rep-scale must be > 0");
    }
    if ((v = arg_get(a, "fay-rho"))) {
        if (o.type != SOCIND_REP_FAY)
            return usage_error(a->command, "--fay-rho goes with the fay scheme (--rep-type fay "
                                           "or --rep-make fay)");
        if (parse_double_opt(a, "fay-rho", v, &o.fay_rho)) return EXIT_USAGE;
        if (!(o.fay_rho >= 0 && o.fay_rho < 1))
            return usage_error(a->command, "--fay-rho must be in [0, 1)");
    } else if (o.type == SOCIND_REP_FAY && !arg_get(a, "rep-make")) {
        return usage_error(a->command, "--rep-type fay needs --fay-rho (Fay's rho, e.g. 0.5)");
    }
    if ((v = arg_get(a, "replicates"))) {
        char *end;
        long r = strtol(v, &end, 10);
        if (*end || end == v || r < 0 || r > 2147483647L)
            return usage_error(a->command,
                               "--replicates must be a whole number from 2 to %d (the "
                               "bootstraps' count), not \"%s\"",
                               SOCIND_REP_MAX, v);
        o.replicates = (int32_t)r;
        if (o.type != SOCIND_REP_BOOTSTRAP && o.type != SOCIND_REP_SUBBOOTSTRAP)
            return usage_error(a->command, "--replicates goes with --rep-make bootstrap or "
                                           "subbootstrap (the other schemes' count follows from "
                                           "the design)");
    }
    if ((v = arg_get(a, "seed"))) {
        char *end;
        errno = 0;
        unsigned long long s = strtoull(v, &end, 10);
        /* digits only: strtoull skips blanks and negates a "-" (" -1" would
           be 2^64 - 1), and clamps what is past its range to that too */
        if (*end || end == v || !isdigit((unsigned char)v[0]) || errno == ERANGE)
            return usage_error(a->command,
                               "--seed must be a whole number from 0 to %llu, not \"%s\"",
                               (unsigned long long)UINT64_MAX, v);
        o.seed = s;
    }
    socind_design *rd = NULL;
    int32_t st;
    if (arg_get(a, "rep-make")) {
        if (arg_get(a, "rep-rscales"))
            return usage_error(a->command, "--rep-make makes the rscales; --rep-rscales is for "
                                           "replicate weights the file gives");
        st = socind_design_replicate_make(*design, &o, &rd);
        if (st) {
            /* a stratum's PSU count (BRR, Fay), a lonely stratum: named */
            int64_t row = socind_last_error_row();
            char buf[64];
            if (st == SOCIND_ERR_LONELY_PSU || (st == SOCIND_ERR_ARG && row >= 0)) {
                int rc2 = say_scheme_strata(t, o.type, st, row);
                if (rc2) return rc2;
            }
            return fail_with(st == SOCIND_ERR_NOMEM ? EXIT_COMPUTE : EXIT_DATA,
                             "%s%s%s: --rep-make %s: %s (%s)", t->path, row >= 0 ? ": " : "",
                             row >= 0 ? tbl_where(t, (size_t)row, buf, sizeof buf) : "",
                             TYPE_NAMES[o.type], socind_strerror(st), socind_last_error_detail());
        }
    } else {
        const size_t n = t->nrows;
        size_t R = 0;
        double *vals = NULL;
        int kind = SOCIND_REP_FACTORS;
        if (dc->rep_cols) {
            R = dc->nrep;
            kind = SOCIND_REP_WEIGHTS;
            vals = malloc(n * R * sizeof *vals);
            if (!vals) return fail_with(EXIT_DATA, "out of memory");
            for (size_t r = 0; r < R && !rc; r++) {
                const tbl_col *c = &t->cols[dc->rep_cols[r]];
                for (size_t k = 0; k < n && !rc; k++) {
                    double x = c->num[k];
                    if (!(x >= 0)) {
                        char buf[64];
                        rc = fail_with(EXIT_DATA,
                                       "%s: %s: the replicate weight (column \"%s\") is %s; "
                                       "replicate weights (--repweights) must be present and >= 0",
                                       t->path, tbl_where(t, k, buf, sizeof buf), c->name,
                                       isnan(x) ? "missing" : "negative");
                    }
                    vals[r * n + k] = x;
                }
            }
        } else {
            rc = read_factors(a, t, dc, &vals, &R);
        }
        double *rs = NULL;
        if (!rc && (v = arg_get(a, "rep-rscales"))) rc = read_rscales(a, t, v, R, &rs);
        if (!rc && o.type == SOCIND_REP_JKN && !rs)
            rc = usage_error(a->command, "--rep-type jkn needs --rep-rscales FILE (each "
                                         "replicate's (n_h - 1)/n_h)");
        if (!rc && R > SOCIND_REP_MAX)
            rc = fail_with(EXIT_DATA, "%zu replicates; at most %d", R, SOCIND_REP_MAX);
        if (!rc) {
            st = socind_design_replicate_new(*design, R, vals, kind, rs, &o, &rd);
            if (st) rc = lib_fail(a, t, NULL, "replicate weights", st);
        }
        free(vals);
        free(rs);
        if (rc) return rc;
    }
    socind_design_free(*design);
    *design = rd;
    return 0;
}
