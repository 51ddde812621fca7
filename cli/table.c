/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli/table.c — see table.h. */
#define _POSIX_C_SOURCE 200809L
#include "table.h"

#include <csv.h>
#include <errno.h>
#include <math.h>
#include <readstat.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

const char *const TBL_NA_DEFAULT[] = {"", "NA", "NaN", ".", NULL};

/* ------------------------------------------------------------------ labels */

static uint32_t hash_str(const char *s, size_t len) {
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static int rehash(tbl_col *c, int32_t cap) {
    int32_t *h = malloc((size_t)cap * sizeof *h);
    if (!h) return -1;
    for (int32_t i = 0; i < cap; i++) h[i] = -1;
    for (int32_t k = 0; k < c->n_labels; k++) {
        uint32_t j = hash_str(c->labels[k], strlen(c->labels[k])) & (uint32_t)(cap - 1);
        while (h[j] >= 0) j = (j + 1) & (uint32_t)(cap - 1);
        h[j] = k;
    }
    free(c->hash);
    c->hash = h;
    c->hash_cap = cap;
    return 0;
}

/* Code of the label s[0..len), added if new; −2 on allocation failure, −3
 * when the column already has TBL_MAX_LABELS distinct values. The arrays
 * stay within int32: labels ≤ TBL_MAX_LABELS = 2^29, the hash table at most
 * twice that. */
static int32_t intern(tbl_col *c, const char *s, size_t len, double value) {
    if (c->hash_cap == 0 && rehash(c, 64) != 0) return -2;
    uint32_t mask = (uint32_t)(c->hash_cap - 1);
    uint32_t j = hash_str(s, len) & mask;
    while (c->hash[j] >= 0) {
        const char *l = c->labels[c->hash[j]];
        if (strncmp(l, s, len) == 0 && l[len] == '\0') return c->hash[j];
        j = (j + 1) & mask;
    }
    if (c->n_labels >= TBL_MAX_LABELS) return -3;
    if (c->n_labels == c->cap_labels) {
        int64_t cap = c->cap_labels ? 2 * (int64_t)c->cap_labels : 16;
        if (cap > TBL_MAX_LABELS) cap = TBL_MAX_LABELS;
        char **l = realloc(c->labels, (size_t)cap * sizeof *l);
        if (!l) return -2;
        c->labels = l;
        double *v = realloc(c->label_value, (size_t)cap * sizeof *v);
        if (!v) return -2;
        c->label_value = v;
        c->cap_labels = (int32_t)cap;
    }
    char *copy = malloc(len + 1);
    if (!copy) return -2;
    memcpy(copy, s, len);
    copy[len] = '\0';
    int32_t k = c->n_labels++;
    c->labels[k] = copy;
    c->label_value[k] = value;
    c->hash[j] = k;
    if (2 * (int64_t)c->n_labels > c->hash_cap && rehash(c, 2 * c->hash_cap) != 0) return -2;
    return k;
}

static uint32_t mix64(uint64_t x) { /* splitmix64's finalizer */
    x ^= x >> 30;
    x *= 0xBF58476D1CE4E5B9ull;
    x ^= x >> 27;
    x *= 0x94D049BB133111EBull;
    x ^= x >> 31;
    return (uint32_t)x;
}

/* shortest text that reads back as v */
static void shortest(double v, char *buf, size_t cap) {
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, cap, "%.*g", prec, v);
        if (strtod(buf, NULL) == v) return;
    }
}

/* Code of a number read from a .dta/.sav variable, written as the shortest
 * text that reads back as the same double (so two numbers are never one
 * label) the first time it is seen; a hash on its bits spares the formatting
 * after. −0 is 0. Codes as intern(). */
static int32_t intern_number(tbl_col *c, double d) {
    if (d == 0) d = 0; /* −0 */
    uint64_t bits;
    memcpy(&bits, &d, sizeof bits);
    if (c->num_cap > 0) {
        uint32_t mask = (uint32_t)(c->num_cap - 1);
        for (uint32_t j = mix64(bits) & mask; c->num_code[j] >= 0; j = (j + 1) & mask)
            if (c->num_key[j] == bits) return c->num_code[j];
    }
    if (c->n_labels >= TBL_MAX_LABELS) return -3;
    /* num_used < TBL_MAX_LABELS here, so num_cap stays <= 2 * TBL_MAX_LABELS */
    if (2 * ((int64_t)c->num_used + 1) > c->num_cap) {
        int32_t cap = c->num_cap ? 2 * c->num_cap : 256;
        uint64_t *k = malloc((size_t)cap * sizeof *k);
        int32_t *v = malloc((size_t)cap * sizeof *v);
        if (!k || !v) {
            free(k);
            free(v);
            return -2;
        }
        for (int32_t i = 0; i < cap; i++) v[i] = -1;
        for (int32_t i = 0; i < c->num_cap; i++) {
            if (c->num_code[i] < 0) continue;
            uint32_t j = mix64(c->num_key[i]) & (uint32_t)(cap - 1);
            while (v[j] >= 0) j = (j + 1) & (uint32_t)(cap - 1);
            k[j] = c->num_key[i];
            v[j] = c->num_code[i];
        }
        free(c->num_key);
        free(c->num_code);
        c->num_key = k;
        c->num_code = v;
        c->num_cap = cap;
    }
    uint32_t mask = (uint32_t)(c->num_cap - 1);
    uint32_t j = mix64(bits) & mask;
    while (c->num_code[j] >= 0) j = (j + 1) & mask;
    char buf[40];
    shortest(d, buf, sizeof buf);
    int32_t k = intern(c, buf, strlen(buf), d);
    if (k < 0) return k;
    c->num_key[j] = bits;
    c->num_code[j] = k;
    c->num_used++;
    return k;
}

/* ------------------------------------------------------------------ numbers */

static int is_digit(char ch) {
    return ch >= '0' && ch <= '9';
}

/* s[*a..*b) without the spaces, tabs and CRs around it */
static void trim(const char *s, size_t *a, size_t *b) {
    while (*a < *b && (s[*a] == ' ' || s[*a] == '\t' || s[*a] == '\r')) ++*a;
    while (*b > *a && (s[*b - 1] == ' ' || s[*b - 1] == '\t' || s[*b - 1] == '\r')) --*b;
}

/* 1 when the (trimmed) text is one of the spellings of a missing value */
static int is_na(const char *const *na, const char *s, size_t len) {
    for (; na && *na; na++)
        if (strlen(*na) == len && memcmp(*na, s, len) == 0) return 1;
    return 0;
}

static const char *const *na_list(const tbl *t) {
    return t->na_values ? t->na_values : TBL_NA_DEFAULT;
}

/* a trimmed text that is not a missing value: 0 and the number, or −1 */
static int parse_plain(const char *s, size_t len, int decimal_comma, double *out) {
    *out = NAN;
    if (len == 0 || len > 60) return -1;
    char buf[64];
    size_t m = 0;
    size_t i = 0;
    if (s[0] == '+' || s[0] == '-') buf[m++] = s[i++];
    /* integer part, with '.' as thousands separator under decimal_comma */
    size_t group = 0, ngroups = 0, digits = 0;
    for (; i < len; i++) {
        char ch = s[i];
        if (is_digit(ch)) {
            buf[m++] = ch;
            group++;
            digits++;
        } else if (decimal_comma && ch == '.') {
            if ((ngroups == 0 && (group < 1 || group > 3)) || (ngroups > 0 && group != 3))
                return -1;
            ngroups++;
            group = 0;
        } else {
            break;
        }
    }
    if (ngroups > 0 && group != 3) return -1;
    if (i < len && s[i] == (decimal_comma ? ',' : '.')) {
        buf[m++] = '.';
        for (i++; i < len && is_digit(s[i]); i++) buf[m++] = s[i], digits++;
    }
    if (digits == 0) return -1;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        buf[m++] = 'e';
        i++;
        if (i < len && (s[i] == '+' || s[i] == '-')) buf[m++] = s[i++];
        size_t ed = 0;
        for (; i < len && is_digit(s[i]); i++) buf[m++] = s[i], ed++;
        if (ed == 0) return -1;
    }
    if (i != len) return -1;
    buf[m] = '\0';
    /* Clinger's fast path: an integer of at most 15 digits divided by a power
       of ten <= 10^22, both exact doubles, is the correctly rounded value —
       what strtod returns */
    static const double p10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                 1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    {
        uint64_t mant = 0;
        int nd = 0, frac = -1, ok = 1;
        size_t q = (buf[0] == '-' || buf[0] == '+') ? 1 : 0;
        for (; buf[q] && ok; q++) {
            if (buf[q] == '.')
                frac = 0;
            else if (is_digit(buf[q])) {
                if (mant || buf[q] != '0') nd++;
                mant = mant * 10 + (uint64_t)(buf[q] - '0');
                if (frac >= 0) frac++;
                ok = nd <= 15;
            } else
                ok = 0; /* an exponent: strtod */
        }
        if (ok && (frac < 0 ? 0 : frac) <= 22) {
            double v = (double)mant / p10[frac < 0 ? 0 : frac];
            *out = buf[0] == '-' ? -v : v;
            return 0;
        }
    }
    errno = 0;
    char *end = NULL;
    double v = strtod(buf, &end);
    if (end != buf + m || !isfinite(v)) return -1;
    *out = v;
    return 0;
}

int tbl_parse_number(const char *s, size_t len, int decimal_comma, double *out) {
    size_t a = 0, b = len;
    *out = NAN;
    trim(s, &a, &b);
    if (is_na(TBL_NA_DEFAULT, s + a, b - a)) return 1;
    return parse_plain(s + a, b - a, decimal_comma, out);
}

int tbl_parse_option_number(const char *s, int decimal_comma, double *out, char *why, size_t cap) {
    double point, comma;
    size_t len = strlen(s);
    int a = tbl_parse_number(s, len, 0, &point);
    int b = decimal_comma ? tbl_parse_number(s, len, 1, &comma) : -1;
    *out = NAN;
    if (a == 0 && b == 0 && point != comma) {
        char p1[40], p2[40];
        shortest(comma, p1, sizeof p1);
        shortest(point, p2, sizeof p2);
        snprintf(why, cap,
                 "\"%s\" reads as %s (with --decimal-comma, \".\" separates thousands) or as %s "
                 "(a decimal point); write %s or %s",
                 s, p1, p2, p1, p2);
        return 2;
    }
    if (a == 0) return *out = point, 0;
    if (b == 0) return *out = comma, 0;
    snprintf(why, cap, "\"%s\" is not a number", s);
    return 1;
}

/* ------------------------------------------------------------------ table */

int tbl_want(tbl *t, const char *name, const char *option, int kind) {
    for (size_t i = 0; i < t->ncols; i++)
        if (strcmp(t->cols[i].name, name) == 0 && t->cols[i].kind == kind) return (int)i;
    tbl_col *c = realloc(t->cols, (t->ncols + 1) * sizeof *c);
    if (!c) return -1;
    t->cols = c;
    memset(&c[t->ncols], 0, sizeof *c);
    c[t->ncols].name = name;
    c[t->ncols].option = option;
    c[t->ncols].kind = kind;
    c[t->ncols].index = -1;
    return (int)t->ncols++;
}

size_t tbl_keep(tbl *t, int col, const char *value) {
    const tbl_col *c = &t->cols[col];
    int32_t code = -2;
    for (int32_t k = 0; k < c->n_labels; k++)
        if (strcmp(c->labels[k], value) == 0) code = k;
    size_t m = 0;
    const int32_t *keep = c->code;
    for (size_t r = 0; r < t->nrows; r++) {
        if (keep[r] != code) continue;
        t->line[m] = t->line[r];
        for (size_t i = 0; i < t->ncols; i++) {
            if (t->cols[i].kind == TBL_NUM)
                t->cols[i].num[m] = t->cols[i].num[r];
            else
                t->cols[i].code[m] = t->cols[i].code[r];
        }
        m++;
    }
    t->nrows = m;
    return m;
}

void tbl_free(tbl *t) {
    for (size_t i = 0; i < t->ncols; i++) {
        tbl_col *c = &t->cols[i];
        free(c->num);
        free(c->code);
        for (int32_t k = 0; k < c->n_labels; k++) free(c->labels[k]);
        free(c->labels);
        free(c->label_value);
        free(c->hash);
        free(c->value_labels);
        free(c->num_key);
        free(c->num_code);
    }
    free(t->cols);
    free(t->line);
    t->cols = NULL;
    t->line = NULL;
    t->ncols = t->nrows = t->cap = 0;
}

const char *tbl_where(const tbl *t, size_t row, char *buf, size_t cap) {
    snprintf(buf, cap, "%s %lld", t->is_csv ? "line" : "observation",
             (long long)(row < t->nrows ? t->line[row] : (int64_t)row + 1));
    return buf;
}

/* Room for `rows` rows in every column (doubling); −1 when out of memory. */
static int reserve(tbl *t, size_t rows) {
    if (rows <= t->cap) return 0;
    size_t cap = t->cap ? t->cap : 1024;
    while (cap < rows) {
        if (cap > SIZE_MAX / 2 / sizeof(double)) return -1;
        cap *= 2;
    }
    int64_t *l = realloc(t->line, cap * sizeof *l);
    if (!l) return -1;
    t->line = l;
    for (size_t i = 0; i < t->ncols; i++) {
        tbl_col *c = &t->cols[i];
        if (c->kind == TBL_NUM) {
            double *p = realloc(c->num, cap * sizeof *p);
            if (!p) return -1;
            c->num = p;
        } else {
            int32_t *p = realloc(c->code, cap * sizeof *p);
            if (!p) return -1;
            c->code = p;
        }
    }
    t->cap = cap;
    return 0;
}

/* progress on stderr, at most every quarter second, after the first second */
typedef struct progress {
    int on;
    int shown;
    double start, last;
} progress;

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void progress_show(progress *p, const char *path, double fraction) {
    if (!p->on) return;
    double t = now_s();
    if (p->start == 0) p->start = t;
    if (t - p->start < 1.0 || t - p->last < 0.25) return;
    p->last = t;
    p->shown = 1;
    fprintf(stderr, "\rreading %s: %3.0f%%", path, 100 * fraction);
    fflush(stderr);
}

static void progress_done(progress *p) {
    if (p->shown) fprintf(stderr, "\r\033[K");
}

/* ------------------------------------------------------------------ errors */

/* the first error of a read, kept (later ones are consequences) */
typedef struct errbuf {
    char *err;
    size_t errcap;
    int failed;
} errbuf;

static void set_error(errbuf *e, const char *fmt, ...) {
    if (e->failed) return;
    e->failed = 1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->err, e->errcap, fmt, ap);
    va_end(ap);
}

/* ------------------------------------------------------------------ CSV */

typedef struct csv_ctx {
    tbl *t;
    errbuf e;
    int in_header;
    char **header;
    size_t nheader, capheader;
    size_t field; /* index of the next field in the current record */
    int64_t line; /* current physical line */
    int64_t row_line;
} csv_ctx;

static void on_field(void *s, size_t len, void *data) {
    csv_ctx *x = data;
    if (x->e.failed) return;
    tbl *t = x->t;
    const char *str = s ? s : "";
    if (x->field == 0) x->row_line = x->line;
    if (x->in_header) {
        if (x->nheader >= INT32_MAX) { /* column indexes are ints */
            set_error(&x->e, "%s:%lld: more than %d columns in the header", t->path,
                      (long long)x->line, (int)INT32_MAX);
            return;
        }
        if (x->nheader == x->capheader) {
            size_t cap = x->capheader ? 2 * x->capheader : 32;
            char **h = realloc(x->header, cap * sizeof *h);
            if (!h) {
                set_error(&x->e, "%s: out of memory", t->path);
                return;
            }
            x->header = h;
            x->capheader = cap;
        }
        char *copy = malloc(len + 1);
        if (!copy) {
            set_error(&x->e, "%s: out of memory", t->path);
            return;
        }
        memcpy(copy, str, len);
        copy[len] = '\0';
        x->header[x->nheader++] = copy;
        x->field++;
        return;
    }
    size_t f = x->field++;
    if (f >= x->nheader) return; /* reported at the end of the record */
    if (f == 0 && reserve(t, t->nrows + 1) != 0) {
        set_error(&x->e, "%s: out of memory after %zu rows", t->path, t->nrows);
        return;
    }
    for (size_t i = 0; i < t->ncols; i++) {
        tbl_col *c = &t->cols[i];
        if (c->index != (int)f) continue;
        size_t a = 0, b = len;
        trim(str, &a, &b);
        if (is_na(na_list(t), str + a, b - a)) {
            c->n_missing++;
            if (c->kind == TBL_NUM)
                c->num[t->nrows] = NAN;
            else
                c->code[t->nrows] = -1;
        } else if (c->kind == TBL_NUM) {
            double v;
            if (parse_plain(str + a, b - a, t->decimal_comma, &v) < 0) {
                set_error(
                    &x->e, "%s:%lld:%zu: column \"%s\" (--%s): \"%.*s\" is not a number%s", t->path,
                    (long long)x->line, f + 1, c->name, c->option, (int)(len > 40 ? 40 : len), str,
                    t->decimal_comma ? ""
                                     : (memchr(str, ',', len) ? " (see --decimal-comma)" : ""));
                return;
            }
            c->num[t->nrows] = v;
        } else {
            int32_t k = intern(c, str + a, b - a, NAN);
            if (k == -3) {
                set_error(&x->e,
                          "%s:%lld:%zu: column \"%s\" (--%s) has more than %d distinct "
                          "values",
                          t->path, (long long)x->line, f + 1, c->name, c->option,
                          (int)TBL_MAX_LABELS);
                return;
            }
            if (k < 0) {
                set_error(&x->e, "%s: out of memory", t->path);
                return;
            }
            c->code[t->nrows] = k;
        }
    }
}

static void on_record(int term, void *data) {
    (void)term;
    csv_ctx *x = data;
    if (x->e.failed) return;
    tbl *t = x->t;
    if (x->in_header) {
        x->in_header = 0;
        for (size_t i = 0; i < t->ncols; i++) {
            tbl_col *c = &t->cols[i];
            for (size_t f = 0; f < x->nheader; f++) {
                if (strcmp(x->header[f], c->name) != 0) continue;
                if (c->index >= 0) {
                    set_error(&x->e, "%s:%lld: column \"%s\" (--%s) appears twice in the header",
                              t->path, (long long)x->row_line, c->name, c->option);
                    return;
                }
                c->index = (int)f;
            }
            if (c->index < 0) {
                size_t used = 0;
                char list[512] = "";
                for (size_t f = 0; f < x->nheader && used + 4 < sizeof list; f++) {
                    int k = snprintf(list + used, sizeof list - used, "%s%s", f ? ", " : "",
                                     x->header[f]);
                    if (k < 0) break;
                    used += (size_t)k;
                }
                if (used >= sizeof list) strcpy(list + sizeof list - 5, "...");
                set_error(&x->e, "%s:%lld: no column \"%s\" (named by --%s); the header has: %s",
                          t->path, (long long)x->row_line, c->name, c->option, list);
                return;
            }
        }
        x->field = 0;
        return;
    }
    if (x->field != x->nheader) {
        set_error(&x->e, "%s:%lld: %zu fields, but the header has %zu", t->path,
                  (long long)x->row_line, x->field, x->nheader);
        return;
    }
    t->line[t->nrows++] = x->row_line;
    x->field = 0;
}

static int detect_delimiter(const char *s, size_t len) {
    size_t comma = 0, semi = 0, tab = 0;
    int quoted = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '"') quoted = !quoted;
        if (quoted) continue;
        comma += s[i] == ',';
        semi += s[i] == ';';
        tab += s[i] == '\t';
    }
    if (semi > comma && semi >= tab) return ';';
    if (tab > comma && tab > semi) return '\t';
    return ',';
}

static int read_csv(tbl *t, char *err, size_t errcap) {
    FILE *f = fopen(t->path, "rb");
    if (!f) {
        snprintf(err, errcap, "%s: cannot open: %s", t->path, strerror(errno));
        return 1;
    }
    struct stat st;
    double size = fstat(fileno(f), &st) == 0 ? (double)st.st_size : 0;
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        fclose(f);
        snprintf(err, errcap, "%s: out of memory", t->path);
        return 1;
    }
    /* libcsv's defaults: spaces and tabs around unquoted fields are trimmed,
       CR and LF end a record */
    csv_ctx x = {.t = t, .e = {err, errcap, 0}, .in_header = 1};
    progress pr = {.on = t->progress && size > 0};
    char *buf = NULL;
    size_t bufcap = 0;
    ssize_t len;
    double done = 0;
    int rc = 0;
    while ((len = getline(&buf, &bufcap, f)) > 0) {
        x.line++;
        const char *s = buf;
        size_t n = (size_t)len;
        if (x.line == 1) {
            if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) s += 3, n -= 3;
            int d = t->delimiter ? t->delimiter : detect_delimiter(s, n);
            csv_set_delim(&p, (unsigned char)d);
        }
        if (memchr(s, '\0', n)) {
            set_error(&x.e, "%s:%lld: a NUL byte: this is not a text (CSV) file", t->path,
                      (long long)x.line);
            break;
        }
        size_t used = csv_parse(&p, s, n, on_field, on_record, &x);
        if (x.e.failed) break;
        if (used != n) {
            set_error(&x.e,
                      "%s:%lld:%zu: malformed CSV: %s (a quote inside an unquoted field, or "
                      "text after a closing quote)",
                      t->path, (long long)x.line, x.field + 1, csv_strerror(csv_error(&p)));
            break;
        }
        done += (double)len;
        if ((x.line & 0xffff) == 0) progress_show(&pr, t->path, done / size);
    }
    if (!x.e.failed && ferror(f)) set_error(&x.e, "%s: read error: %s", t->path, strerror(errno));
    if (!x.e.failed && csv_fini(&p, on_field, on_record, &x) != 0 && !x.e.failed)
        set_error(&x.e,
                  "%s:%lld: malformed CSV: a quoted field is not closed before the end of the file",
                  t->path, (long long)x.line);
    progress_done(&pr);
    if (!x.e.failed && x.nheader == 0) set_error(&x.e, "%s: empty file (no header row)", t->path);
    if (!x.e.failed && x.in_header) set_error(&x.e, "%s: empty file (no header row)", t->path);
    if (!x.e.failed && t->nrows == 0) set_error(&x.e, "%s: no data rows after the header", t->path);
    rc = x.e.failed;
    csv_free(&p);
    free(buf);
    for (size_t i = 0; i < x.nheader; i++) free(x.header[i]);
    free(x.header);
    fclose(f);
    return rc;
}

/* ------------------------------------------------------------------ ReadStat */

typedef struct rs_label {
    char *set;
    double value;
    char *svalue;
    char *label;
} rs_label;

typedef struct rs_ctx {
    tbl *t;
    errbuf e;
    int sav;
    int version;        /* the file's format version (Stata: 104-119) */
    uint64_t file_size; /* bytes */
    char names[512];
    size_t names_used;
    rs_label *labels;
    size_t nlabels, caplabels;
    progress pr;
} rs_ctx;

/* ReadStat hands over Stata's value-label set names as they lie in the file:
 * fixed-width fields that need not end in a NUL (a name that fills its field
 * has none). The width depends on the format version (readstat_dta.c,
 * dta_ctx_init: lbllist_entry_len for a variable's set, and
 * value_label_table_labname_len for a table's), so they are read within it.
 * SPSS set names are ReadStat's own ("labels0", …), NUL-terminated in a
 * 256-byte buffer. */
static size_t set_name_len(const rs_ctx *x, const char *name, int in_table) {
    size_t field;
    if (x->sav)
        field = 256;
    else if (in_table)
        field = x->version >= 118 ? 129 : x->version >= 105 ? 33 : 12;
    else
        field = x->version >= 118 ? 129 : x->version >= 110 ? 33 : 9;
    return strnlen(name, field);
}

static int rs_metadata(readstat_metadata_t *m, void *ctx) {
    rs_ctx *x = ctx;
    x->version = readstat_get_file_format_version(m);
    /* The header's count is a claim: reserve no more rows than the file can
       hold (a .dta row or an uncompressed or bytecode-compressed .sav row
       takes at least one byte per variable; a .zsav row may take less, and
       grows the arrays by doubling as it arrives). */
    int n = readstat_get_row_count(m);
    int nvar = readstat_get_var_count(m);
    uint64_t bound = x->file_size / (uint64_t)(nvar > 1 ? nvar : 1);
    if (n > 0) {
        uint64_t rows = (uint64_t)n < bound ? (uint64_t)n : bound;
        if (rows > 0 && reserve(x->t, (size_t)rows) != 0) {
            set_error(&x->e, "%s: out of memory for %d observations", x->t->path, n);
            return READSTAT_HANDLER_ABORT;
        }
    }
    return READSTAT_HANDLER_OK;
}

static int rs_variable(int index, readstat_variable_t *v, const char *val_labels, void *ctx) {
    rs_ctx *x = ctx;
    const char *name = readstat_variable_get_name(v); /* NULL for an empty name */
    if (!name) name = "";
    if (x->names_used + 4 < sizeof x->names) {
        int k = snprintf(x->names + x->names_used, sizeof x->names - x->names_used, "%s%s",
                         index ? ", " : "", name);
        if (k > 0) x->names_used += (size_t)k;
        if (x->names_used >= sizeof x->names) strcpy(x->names + sizeof x->names - 5, "...");
    }
    int used = 0;
    for (size_t i = 0; i < x->t->ncols; i++) {
        tbl_col *c = &x->t->cols[i];
        if (strcmp(c->name, name) != 0) continue;
        c->index = index;
        used = 1;
        if (val_labels && val_labels[0] && c->kind == TBL_LABEL && !c->value_labels) {
            c->value_labels = strndup(val_labels, set_name_len(x, val_labels, 0));
            if (!c->value_labels) {
                set_error(&x->e, "%s: out of memory", x->t->path);
                return READSTAT_HANDLER_ABORT;
            }
        }
    }
    return used ? READSTAT_HANDLER_OK : READSTAT_HANDLER_SKIP_VARIABLE;
}

static double rs_number(readstat_value_t v) {
    switch (readstat_value_type(v)) {
    case READSTAT_TYPE_INT8:
        return readstat_int8_value(v);
    case READSTAT_TYPE_INT16:
        return readstat_int16_value(v);
    case READSTAT_TYPE_INT32:
        return readstat_int32_value(v);
    case READSTAT_TYPE_FLOAT:
        return readstat_float_value(v);
    case READSTAT_TYPE_DOUBLE:
        return readstat_double_value(v);
    default:
        return NAN;
    }
}

static int rs_is_string(readstat_value_t v) {
    readstat_type_t ty = readstat_value_type(v);
    return ty == READSTAT_TYPE_STRING || ty == READSTAT_TYPE_STRING_REF;
}

static int rs_value(int obs, readstat_variable_t *var, readstat_value_t v, void *ctx) {
    rs_ctx *x = ctx;
    tbl *t = x->t;
    size_t row = (size_t)obs;
    if (reserve(t, row + 1) != 0) {
        set_error(&x->e, "%s: out of memory after %zu observations", t->path, row);
        return READSTAT_HANDLER_ABORT;
    }
    if (row >= t->nrows) {
        for (size_t r = t->nrows; r <= row; r++) {
            t->line[r] = (int64_t)r + 1;
            for (size_t i = 0; i < t->ncols; i++) {
                if (t->cols[i].kind == TBL_NUM)
                    t->cols[i].num[r] = NAN;
                else
                    t->cols[i].code[r] = -1;
            }
        }
        t->nrows = row + 1;
    }
    int index = readstat_variable_get_index(var);
    /* the format's own missing values: Stata's . and .a-.z, SPSS's system-
       missing value and the variable's user-missing values and ranges */
    int missing = readstat_value_is_missing(v, var);
    for (size_t i = 0; i < t->ncols; i++) {
        tbl_col *c = &t->cols[i];
        if (c->index != index) continue;
        const char *s = NULL;
        size_t a = 0, b = 0;
        double d = NAN;
        if (!missing && rs_is_string(v)) {
            s = readstat_string_value(v);
            s = s ? s : "";
            b = strlen(s);
            trim(s, &a, &b);
            missing = is_na(na_list(t), s + a, b - a);
        } else if (!missing) {
            d = rs_number(v);
            missing = isnan(d);
            if (isinf(d)) {
                set_error(&x->e, "%s: observation %d, variable \"%s\" (--%s): the value is %s",
                          t->path, obs + 1, c->name, c->option, d > 0 ? "infinite" : "-infinite");
                return READSTAT_HANDLER_ABORT;
            }
        }
        if (missing) {
            c->n_missing++;
            if (c->kind == TBL_NUM)
                c->num[row] = NAN;
            else
                c->code[row] = -1;
        } else if (c->kind == TBL_NUM) {
            if (s && parse_plain(s + a, b - a, t->decimal_comma, &d) < 0) {
                set_error(&x->e,
                          "%s: observation %d, variable \"%s\" (--%s): \"%.40s\" is not a number",
                          t->path, obs + 1, c->name, c->option, s);
                return READSTAT_HANDLER_ABORT;
            }
            c->num[row] = d;
        } else {
            int32_t k = s ? intern(c, s + a, b - a, NAN) : intern_number(c, d);
            if (k == -3) {
                set_error(&x->e,
                          "%s: observation %d, variable \"%s\" (--%s) has more than %d "
                          "distinct values",
                          t->path, obs + 1, c->name, c->option, (int)TBL_MAX_LABELS);
                return READSTAT_HANDLER_ABORT;
            }
            if (k < 0) {
                set_error(&x->e, "%s: out of memory", t->path);
                return READSTAT_HANDLER_ABORT;
            }
            c->code[row] = k;
        }
    }
    return READSTAT_HANDLER_OK;
}

static int rs_value_label(const char *set, readstat_value_t v, const char *label, void *ctx) {
    rs_ctx *x = ctx;
    /* kept whatever the variable: SPSS files give the labels before the variables */
    if (x->nlabels == x->caplabels) {
        size_t cap = x->caplabels ? 2 * x->caplabels : 64;
        rs_label *l = realloc(x->labels, cap * sizeof *l);
        if (!l) goto oom;
        x->labels = l;
        x->caplabels = cap;
    }
    rs_label *l = &x->labels[x->nlabels];
    memset(l, 0, sizeof *l);
    l->value = rs_is_string(v) ? NAN : rs_number(v);
    l->set = strndup(set, set_name_len(x, set, 1));
    l->label = strdup(label ? label : "");
    l->svalue =
        rs_is_string(v) ? strdup(readstat_string_value(v) ? readstat_string_value(v) : "") : NULL;
    x->nlabels++;
    if (!l->set || !l->label || (rs_is_string(v) && !l->svalue)) goto oom;
    return READSTAT_HANDLER_OK;
oom:
    set_error(&x->e, "%s: out of memory", x->t->path);
    return READSTAT_HANDLER_ABORT;
}

static int rs_progress(double fraction, void *ctx) {
    rs_ctx *x = ctx;
    progress_show(&x->pr, x->t->path, fraction);
    return READSTAT_HANDLER_OK;
}

/* Replaces the codes of labelled variables by their value labels (two values
 * with the same label become one category). */
static int apply_value_labels(rs_ctx *x, tbl_col *c) {
    tbl_col fresh;
    memset(&fresh, 0, sizeof fresh);
    int32_t *remap = malloc(((size_t)c->n_labels + 1) * sizeof *remap);
    if (!remap) return -1;
    for (int32_t k = 0; k < c->n_labels; k++) {
        const char *text = c->labels[k];
        for (size_t j = 0; j < x->nlabels; j++) {
            rs_label *l = &x->labels[j];
            if (strcmp(l->set, c->value_labels) != 0) continue;
            if ((l->svalue && strcmp(l->svalue, c->labels[k]) == 0) ||
                (!l->svalue && l->value == c->label_value[k])) {
                text = l->label;
                break;
            }
        }
        remap[k] = intern(&fresh, text, strlen(text), c->label_value[k]);
        if (remap[k] < 0) {
            free(remap);
            for (int32_t i = 0; i < fresh.n_labels; i++) free(fresh.labels[i]);
            free(fresh.labels);
            free(fresh.label_value);
            free(fresh.hash);
            return -1;
        }
    }
    for (size_t r = 0; r < x->t->nrows; r++)
        if (c->code[r] >= 0) c->code[r] = remap[c->code[r]];
    free(remap);
    for (int32_t k = 0; k < c->n_labels; k++) free(c->labels[k]);
    free(c->labels);
    free(c->label_value);
    free(c->hash);
    c->labels = fresh.labels;
    c->label_value = fresh.label_value;
    c->hash = fresh.hash;
    c->n_labels = fresh.n_labels;
    c->cap_labels = fresh.cap_labels;
    c->hash_cap = fresh.hash_cap;
    return 0;
}

/* Buffered file access for ReadStat (its default reads each row with a
 * system call). */
typedef struct rs_io {
    FILE *f;
} rs_io;

static int io_open(const char *path, void *ctx) {
    rs_io *io = ctx;
    io->f = fopen(path, "rb");
    if (!io->f) return -1;
    setvbuf(io->f, NULL, _IOFBF, (size_t)1 << 20);
    return 0;
}

static int io_close(void *ctx) {
    rs_io *io = ctx;
    int rc = io->f ? fclose(io->f) : 0;
    io->f = NULL;
    return rc;
}

static readstat_off_t io_seek(readstat_off_t offset, readstat_io_flags_t whence, void *ctx) {
    rs_io *io = ctx;
    int w = whence == READSTAT_SEEK_SET   ? SEEK_SET
            : whence == READSTAT_SEEK_CUR ? SEEK_CUR
                                          : SEEK_END;
    if (fseeko(io->f, offset, w) != 0) return -1;
    return ftello(io->f);
}

static ssize_t io_read(void *buf, size_t nbyte, void *ctx) {
    rs_io *io = ctx;
    size_t got = fread(buf, 1, nbyte, io->f);
    return got == 0 && ferror(io->f) ? -1 : (ssize_t)got;
}

static readstat_error_t io_update(long file_size, readstat_progress_handler progress,
                                  void *user_ctx, void *ctx) {
    rs_io *io = ctx;
    if (!progress || file_size <= 0) return READSTAT_OK;
    double fraction = (double)ftello(io->f) / (double)file_size;
    return progress(fraction, user_ctx) == READSTAT_HANDLER_OK ? READSTAT_OK
                                                               : READSTAT_ERROR_USER_ABORT;
}

static int ends_with(const char *s, const char *suffix) {
    size_t a = strlen(s), b = strlen(suffix);
    if (a < b) return 0;
    for (size_t i = 0; i < b; i++) {
        char ch = s[a - b + i];
        if (ch >= 'A' && ch <= 'Z') ch = (char)(ch - 'A' + 'a');
        if (ch != suffix[i]) return 0;
    }
    return 1;
}

static int read_readstat(tbl *t, int sav, char *err, size_t errcap) {
    FILE *probe = fopen(t->path, "rb");
    if (!probe) {
        snprintf(err, errcap, "%s: cannot open: %s", t->path, strerror(errno));
        return 1;
    }
    fclose(probe);
    readstat_parser_t *p = readstat_parser_init();
    if (!p) {
        snprintf(err, errcap, "%s: out of memory", t->path);
        return 1;
    }
    rs_ctx x = {.t = t, .e = {err, errcap, 0}, .sav = sav, .pr = {.on = t->progress}};
    struct stat st;
    if (stat(t->path, &st) == 0 && st.st_size > 0) x.file_size = (uint64_t)st.st_size;
    readstat_set_metadata_handler(p, rs_metadata);
    readstat_set_variable_handler(p, rs_variable);
    readstat_set_value_handler(p, rs_value);
    readstat_set_value_label_handler(p, rs_value_label);
    readstat_set_progress_handler(p, rs_progress);
    rs_io io = {NULL};
    readstat_set_open_handler(p, io_open);
    readstat_set_close_handler(p, io_close);
    readstat_set_seek_handler(p, io_seek);
    readstat_set_read_handler(p, io_read);
    readstat_set_update_handler(p, io_update);
    readstat_set_io_ctx(p, &io);
    readstat_error_t e =
        sav ? readstat_parse_sav(p, t->path, &x) : readstat_parse_dta(p, t->path, &x);
    readstat_parser_free(p);
    if (io.f) fclose(io.f);
    progress_done(&x.pr);
    if (!x.e.failed && e != READSTAT_OK)
        set_error(&x.e, "%s: not a readable %s file: %s", t->path, sav ? "SPSS" : "Stata",
                  readstat_error_message(e));
    for (size_t i = 0; i < t->ncols && !x.e.failed; i++) {
        tbl_col *c = &t->cols[i];
        if (c->index < 0)
            set_error(&x.e, "%s: no variable \"%s\" (named by --%s); the file has: %s", t->path,
                      c->name, c->option, x.names);
        else if (c->value_labels && apply_value_labels(&x, c) != 0)
            set_error(&x.e, "%s: out of memory", t->path);
    }
    if (!x.e.failed && t->nrows == 0) set_error(&x.e, "%s: no observations", t->path);
    for (size_t j = 0; j < x.nlabels; j++) {
        free(x.labels[j].set);
        free(x.labels[j].label);
        free(x.labels[j].svalue);
    }
    free(x.labels);
    return x.e.failed;
}

int tbl_read(tbl *t, char *err, size_t errcap) {
    if (ends_with(t->path, ".dta")) return read_readstat(t, 0, err, errcap);
    if (ends_with(t->path, ".sav") || ends_with(t->path, ".zsav"))
        return read_readstat(t, 1, err, errcap);
    t->is_csv = 1;
    return read_csv(t, err, errcap);
}
