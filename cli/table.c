/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli/table.c — see table.h. */
#define _POSIX_C_SOURCE 200809L
#include "table.h"

#include "numbers.h"
#include "suggest.h"
#include "text.h"

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

/* ------------------------------------------------------------------ labels */

/* FNV-1a, then a finalizer (murmur3's fmix32): FNV-1a's low bits — the
 * table's index — barely change between labels that differ in their last
 * characters (ids 1, 2, …, 400000), and linear probing then walks long
 * clusters */
static uint32_t hash_str(const char *s, size_t len) {
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
    h ^= h >> 16;
    h *= 0x85EBCA6Bu;
    h ^= h >> 13;
    h *= 0xC2B2AE35u;
    h ^= h >> 16;
    return h;
}

/* The hash table's slots: 0 empty, else the label's hash in the high 32 bits
 * and its code + 1 in the low ones, so that a probe compares hashes before
 * it reads a label (one cache miss per probe instead of three). */
static uint64_t slot_of(uint32_t h, int32_t k) {
    return (uint64_t)h << 32 | (uint32_t)(k + 1);
}

static int rehash(tbl_col *c, int32_t cap) {
    uint64_t *h = calloc((size_t)cap, sizeof *h);
    if (!h) return -1;
    for (int32_t k = 0; k < c->n_labels; k++) {
        uint32_t hk = hash_str(c->labels[k], strlen(c->labels[k]));
        uint32_t j = hk & (uint32_t)(cap - 1);
        while (h[j]) j = (j + 1) & (uint32_t)(cap - 1);
        h[j] = slot_of(hk, k);
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
static int32_t intern_lookup(tbl_col *c, const char *s, size_t len, double value) {
    if (c->hash_cap == 0 && rehash(c, 64) != 0) return -2;
    uint32_t mask = (uint32_t)(c->hash_cap - 1);
    uint32_t hs = hash_str(s, len);
    uint32_t j = hs & mask;
    for (uint64_t e; (e = c->hash[j]) != 0; j = (j + 1) & mask) {
        if ((uint32_t)(e >> 32) != hs) continue;
        int32_t k = (int32_t)(uint32_t)e - 1;
        const char *l = c->labels[k];
        if (strncmp(l, s, len) == 0 && l[len] == '\0') return k;
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
    c->hash[j] = slot_of(hs, k);
    if (2 * (int64_t)c->n_labels > c->hash_cap && rehash(c, 2 * c->hash_cap) != 0) return -2;
    return k;
}

static int32_t intern(tbl_col *c, const char *s, size_t len, double value) {
    /* files sorted by stratum or PSU repeat the last label: no hashing */
    if (c->last_code > 0 && c->last_code <= c->n_labels) {
        const char *l = c->labels[c->last_code - 1];
        if (strncmp(l, s, len) == 0 && l[len] == '\0') return c->last_code - 1;
    }
    int32_t k = intern_lookup(c, s, len, value);
    if (k >= 0) c->last_code = k + 1;
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
    number_shortest(d, buf, sizeof buf);
    int32_t k = intern(c, buf, strlen(buf), d);
    if (k < 0) return k;
    c->num_key[j] = bits;
    c->num_code[j] = k;
    c->num_used++;
    return k;
}

/* ------------------------------------------------------------------ table */

int tbl_want(tbl *t, const char *name, const char *option, int kind) {
    if (!t || !name || (kind != TBL_NUM && kind != TBL_LABEL && kind != TBL_ID)) return -1;
    if (!option) option = "";
    for (size_t i = 0; i < t->ncols; i++)
        if (strcmp(t->cols[i].name, name) == 0 && t->cols[i].kind == kind) return (int)i;
    if (t->ncols >= INT32_MAX) return -1;
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

/* After rows were dropped: each label column's labels renumbered in order of
 * first appearance among the rows left, those no row uses dropped; every
 * column's n_missing counted again. */
static void compact(tbl *t) {
    for (size_t i = 0; i < t->ncols; i++) {
        tbl_col *c = &t->cols[i];
        int64_t missing = 0;
        if (c->kind == TBL_NUM) {
            for (size_t r = 0; r < t->nrows; r++) missing += isnan(c->num[r]);
            c->n_missing = missing;
            continue;
        }
        for (size_t r = 0; r < t->nrows; r++) missing += c->code[r] < 0;
        c->n_missing = missing;
        if (c->n_labels == 0) continue;
        int32_t *remap = malloc((size_t)c->n_labels * sizeof *remap);
        if (!remap) continue; /* the labels stay, unused ones too */
        for (int32_t k = 0; k < c->n_labels; k++) remap[k] = -1;
        int32_t m = 0;
        for (size_t r = 0; r < t->nrows; r++) {
            int32_t k = c->code[r];
            if (k < 0) continue;
            if (remap[k] < 0) remap[k] = m++;
            c->code[r] = remap[k];
        }
        char **labels = malloc((m ? (size_t)m : 1) * sizeof *labels);
        double *values = malloc((m ? (size_t)m : 1) * sizeof *values);
        char **vlabels = c->value_label ? calloc(m ? (size_t)m : 1, sizeof *vlabels) : NULL;
        if (!labels || !values || (c->value_label && !vlabels)) {
            /* undo: the codes go back to the old labels */
            int32_t *back = malloc((m ? (size_t)m : 1) * sizeof *back);
            if (back) {
                for (int32_t k = 0; k < c->n_labels; k++)
                    if (remap[k] >= 0) back[remap[k]] = k;
                for (size_t r = 0; r < t->nrows; r++)
                    if (c->code[r] >= 0) c->code[r] = back[c->code[r]];
                free(back);
            } else { /* no memory for either: the rows lose their labels */
                for (size_t r = 0; r < t->nrows; r++) c->code[r] = -1;
            }
            free(labels);
            free(values);
            free(vlabels);
            free(remap);
            continue;
        }
        for (int32_t k = 0; k < c->n_labels; k++) {
            if (remap[k] < 0) {
                free(c->labels[k]);
                if (vlabels) free(c->value_label[k]);
            } else {
                labels[remap[k]] = c->labels[k];
                values[remap[k]] = c->label_value[k];
                if (vlabels) vlabels[remap[k]] = c->value_label[k];
            }
        }
        free(remap);
        free(c->labels);
        free(c->label_value);
        free(c->value_label);
        c->labels = labels;
        c->label_value = values;
        c->value_label = vlabels;
        c->n_labels = c->cap_labels = m;
        c->last_code = 0;
        /* the lookup tables of reading are not needed any more */
        free(c->hash);
        c->hash = NULL;
        c->hash_cap = 0;
        free(c->num_key);
        free(c->num_code);
        c->num_key = NULL;
        c->num_code = NULL;
        c->num_cap = c->num_used = 0;
    }
}

/* Keeps the rows r with mask[r] (mask given) or codes[r] == code (codes
 * given; neither: none), in order, in every column, t->line and t->record;
 * then compact(). */
static size_t keep_where(tbl *t, const int32_t *codes, int32_t code, const unsigned char *mask) {
    size_t m = 0;
    for (size_t r = 0; r < t->nrows && (codes || mask); r++) {
        if (mask ? !mask[r] : codes[r] != code) continue;
        t->line[m] = t->line[r];
        t->record[m] = t->record[r];
        for (size_t i = 0; i < t->ncols; i++) {
            if (t->cols[i].kind == TBL_NUM)
                t->cols[i].num[m] = t->cols[i].num[r];
            else
                t->cols[i].code[m] = t->cols[i].code[r];
        }
        m++;
    }
    t->nrows = m;
    compact(t);
    return m;
}

size_t tbl_keep(tbl *t, int col, const char *value) {
    if (!t) return 0;
    int32_t code = -2;
    if (col >= 0 && (size_t)col < t->ncols && t->cols[col].kind != TBL_NUM && value &&
        t->cols[col].code) {
        const tbl_col *c = &t->cols[col];
        size_t a = 0, b = strlen(value);
        trim_blanks(value, &a, &b);
        for (int32_t k = 0; k < c->n_labels && code < 0; k++)
            if (strlen(c->labels[k]) == b - a && memcmp(c->labels[k], value + a, b - a) == 0)
                code = k;
    }
    return keep_where(t, code >= 0 ? t->cols[col].code : NULL, code, NULL);
}

size_t tbl_keep_mask(tbl *t, const unsigned char *keep) {
    if (!t) return 0;
    return keep_where(t, NULL, 0, keep);
}

void tbl_free(tbl *t) {
    for (size_t i = 0; i < t->ncols; i++) {
        tbl_col *c = &t->cols[i];
        free(c->num);
        free(c->code);
        for (int32_t k = 0; k < c->n_labels; k++) {
            free(c->labels[k]);
            if (c->value_label) free(c->value_label[k]);
        }
        free(c->labels);
        free(c->value_label);
        free(c->label_value);
        free(c->hash);
        free(c->value_labels);
        free(c->num_key);
        free(c->num_code);
    }
    free(t->cols);
    free(t->line);
    free(t->record);
    t->cols = NULL;
    t->line = NULL;
    t->record = NULL;
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
    l = realloc(t->record, cap * sizeof *l);
    if (!l) return -1;
    t->record = l;
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
    if (!e->err || e->errcap == 0) return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(e->err, e->errcap, fmt, ap);
    va_end(ap);
    if (n >= 0 && (size_t)n >= e->errcap) utf8_cut_whole(e->err); /* cut short */
}

/* "a, b, c" from names[0..n) for a message, each shown escaped, the whole
 * cut with "..." to fit cap (>= 8) */
static const char *name_list(char *list, size_t cap, char *const *names, size_t n) {
    size_t used = 0; /* room is kept for ", ..." after what is written */
    list[0] = '\0';
    for (size_t f = 0; f < n; f++) {
        char shown[200];
        show_text(names[f], strlen(names[f]), shown, sizeof shown);
        size_t need = strlen(shown) + (f ? 2 : 0);
        if (used + need + 6 > cap) {
            strcpy(list + used, f ? ", ..." : "...");
            break;
        }
        used += (size_t)snprintf(list + used, cap - used, "%s%s", f ? ", " : "", shown);
    }
    return list;
}

/* "AT: no column "NAME" (named by --OPT); the header has: A, B, …[; did you
 * mean "X"?]" (noun "column", holder "the header"; "variable", "the file") */
static void no_such_column(errbuf *e, const char *at, const char *noun, const char *holder,
                           const tbl_col *c, char *const *names, size_t n) {
    char list[512], mean[700] = "";
    name_list(list, sizeof list, names, n);
    const char *near = suggest(c->name, (const char *const *)names, n);
    if (near) {
        char shown[600];
        snprintf(mean, sizeof mean, "; did you mean \"%s\"?",
                 show_text_n(near, strlen(near), 120, shown, sizeof shown));
    }
    set_error(e, "%s: no %s \"%s\" (named by --%s); %s has: %s%s", at, noun, c->name, c->option,
              holder, list, mean);
}

/* ------------------------------------------------------------------ CSV */

/* A CSV file's text as UTF-8 lines, transcoded while streaming. */
#define SRC_UTF8 0
#define SRC_CP1252 1
#define SRC_UTF16LE 2
#define SRC_UTF16BE 3
#define SRC_UTF32LE 4
#define SRC_UTF32BE 5
#define SRC_RAW_CAP ((size_t)1 << 16)

typedef struct src {
    FILE *f;
    int enc;
    unsigned char raw[SRC_RAW_CAP];
    size_t rlen, rpos;
    int eof, ioerr;
    char *line; /* the current line, UTF-8 (in UTF-8 mode: the file's bytes) */
    size_t llen, lcap;
    uint64_t consumed; /* bytes of the file behind the lines so far */
    const char *why;   /* what was wrong with the text */
    char *conv;        /* Windows-1252: the line converted to UTF-8 */
    size_t convcap;
    int64_t lineno; /* lines read */
    u8_watch watch; /* Windows-1252: whether the bytes read as UTF-8 too */
} src;

static size_t src_fill(src *s) {
    if (s->rpos > 0) {
        memmove(s->raw, s->raw + s->rpos, s->rlen - s->rpos);
        s->rlen -= s->rpos;
        s->rpos = 0;
    }
    while (!s->eof && s->rlen < SRC_RAW_CAP) {
        size_t got = fread(s->raw + s->rlen, 1, SRC_RAW_CAP - s->rlen, s->f);
        s->rlen += got;
        if (got == 0) {
            s->ioerr = ferror(s->f);
            s->eof = 1;
        }
        if (got > 0) break;
    }
    return s->rlen - s->rpos;
}

static int line_room(src *s, size_t extra) {
    if (s->llen + extra <= s->lcap) return 0;
    size_t cap = s->lcap ? s->lcap : 256;
    while (cap < s->llen + extra) {
        if (cap > SIZE_MAX / 2) return -1;
        cap *= 2;
    }
    char *l = realloc(s->line, cap);
    if (!l) return -1;
    s->line = l;
    s->lcap = cap;
    return 0;
}

/* The next line (with its "\n", unless the file ends without one) in
 * s->line[0..llen) — for Windows-1252 still in its bytes: 1; 0 at the end
 * of the file; −1 out of memory; −2 text that is not valid in the file's
 * encoding (s->why says how); −3 a read error. */
static int src_raw_line(src *s) {
    s->llen = 0;
    if (s->enc == SRC_UTF8 || s->enc == SRC_CP1252) {
        for (;;) {
            if (s->rpos == s->rlen && src_fill(s) == 0) return s->ioerr ? -3 : s->llen > 0;
            const unsigned char *p = s->raw + s->rpos;
            size_t n = s->rlen - s->rpos;
            /* a line ends at LF, CR LF, or a CR alone (old Macintosh files) */
            const unsigned char *nl = memchr(p, '\n', n);
            const unsigned char *cr = memchr(p, '\r', nl ? (size_t)(nl - p) : n);
            if (cr && cr + 1 < p + n && cr[1] != '\n') {
                nl = cr;
            } else if (cr && cr + 1 == p + n) {
                /* a CR at the end of what is buffered: the next byte decides */
                size_t before = (size_t)(cr - p);
                if (line_room(s, before + 1) != 0) return -1;
                memcpy(s->line + s->llen, p, before + 1);
                s->llen += before + 1;
                s->rpos += before + 1;
                s->consumed += before + 1;
                if (s->rpos == s->rlen) src_fill(s);
                if (s->rpos < s->rlen && s->raw[s->rpos] == '\n') {
                    if (line_room(s, 1) != 0) return -1;
                    s->line[s->llen++] = '\n';
                    s->rpos++;
                    s->consumed++;
                }
                return s->ioerr ? -3 : 1;
            }
            size_t take = nl ? (size_t)(nl - p) + 1 : n;
            if (line_room(s, take) != 0) return -1;
            memcpy(s->line + s->llen, p, take);
            s->llen += take;
            s->rpos += take;
            s->consumed += take;
            if (nl) return 1;
        }
    }
    int wide = s->enc == SRC_UTF32LE || s->enc == SRC_UTF32BE;
    int be = s->enc == SRC_UTF16BE || s->enc == SRC_UTF32BE;
    size_t unit = wide ? 4 : 2;
    for (;;) {
        if (s->rlen - s->rpos < 4) src_fill(s);
        size_t n = s->rlen - s->rpos;
        if (n == 0) return s->ioerr ? -3 : s->llen > 0;
        if (s->ioerr) return -3;
        const unsigned char *p = s->raw + s->rpos;
        if (n < unit) {
            s->why = "the file ends in the middle of a character";
            return -2;
        }
        uint32_t cp, take = (uint32_t)unit;
        if (wide)
            cp = be ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]
                    : (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
        else
            cp = be ? (uint32_t)p[0] << 8 | p[1] : (uint32_t)p[1] << 8 | p[0];
        if (!wide && cp >= 0xD800 && cp <= 0xDBFF) {
            uint32_t lo = n < 4 ? 0 : be ? (uint32_t)p[2] << 8 | p[3] : (uint32_t)p[3] << 8 | p[2];
            if (lo < 0xDC00 || lo > 0xDFFF) {
                s->why = "a high surrogate without its low surrogate";
                return -2;
            }
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            take = 4;
        } else if (cp >= 0xD800 && cp <= 0xDFFF) {
            s->why = wide ? "a surrogate code point" : "a low surrogate without its high surrogate";
            return -2;
        } else if (cp > 0x10FFFF) {
            s->why = "a code point above U+10FFFF";
            return -2;
        } else if (cp == 0) {
            s->why = "a NUL character";
            return -2;
        }
        if (line_room(s, 4) != 0) return -1;
        s->llen += utf8_encode(s->line + s->llen, cp);
        s->rpos += take;
        s->consumed += take;
        if (cp == '\n') return 1;
        if (cp == '\r') { /* a CR alone ends a line too; CR LF ends at the LF */
            if (s->rlen - s->rpos < unit) src_fill(s);
            const unsigned char *q = s->raw + s->rpos;
            if (s->rlen - s->rpos < unit) return 1;
            uint32_t next =
                wide
                    ? (be ? q[3] | (uint32_t)q[2] << 8 | (uint32_t)q[1] << 16 | (uint32_t)q[0] << 24
                          : q[0] | (uint32_t)q[1] << 8 | (uint32_t)q[2] << 16 |
                                (uint32_t)q[3] << 24)
                    : (be ? q[1] | (uint32_t)q[0] << 8 : q[0] | (uint32_t)q[1] << 8);
            if (next != '\n') return 1;
        }
    }
}

/* The next line as UTF-8 (src_raw_line's returns): Windows-1252 converted,
 * its bytes watched for a second reading as UTF-8. */
static int src_line(src *s) {
    int rc = src_raw_line(s);
    if (rc != 1) return rc;
    s->lineno++;
    if (s->enc != SRC_CP1252) return rc;
    u8_watch_text(&s->watch, s->line, s->llen, s->lineno);
    if (s->llen > (SIZE_MAX - 1) / 3) return -1;
    if (3 * s->llen + 1 > s->convcap) {
        size_t cap = 3 * s->llen + 1 > 256 ? 3 * s->llen + 1 : 256;
        char *c = realloc(s->conv, cap);
        if (!c) return -1;
        s->conv = c;
        s->convcap = cap;
    }
    size_t m = cp1252_to_utf8(s->line, s->llen, s->conv);
    char *raw = s->line;
    size_t rawcap = s->lcap;
    s->line = s->conv;
    s->lcap = s->convcap;
    s->llen = m;
    s->conv = raw;
    s->convcap = rawcap;
    return rc;
}

/* UTF-16 or UTF-32 without a byte-order mark, from the NUL bytes of the
 * first few kilobytes: text in those encodings that is mostly ASCII (CSV
 * headers and numbers are) has a NUL in every other byte (UTF-16) or three
 * of every four (UTF-32), at positions that tell the byte order. −1: none
 * of them. */
static int guess_wide(const unsigned char *b, size_t n) {
    if (n > 4096) n = 4096;
    size_t z[4] = {0, 0, 0, 0}, c[4] = {0, 0, 0, 0};
    size_t n4 = n & ~(size_t)3, n2 = n & ~(size_t)1;
    for (size_t i = 0; i < n4; i++) z[i % 4] += b[i] == 0, c[i % 4]++;
    if (n4 >= 4) { /* the top byte is always 0, the next one mostly */
        if (z[3] == c[3] && 10 * z[2] >= 9 * c[2] && z[0] < c[0]) return SRC_UTF32LE;
        if (z[0] == c[0] && 10 * z[1] >= 9 * c[1] && z[3] < c[3]) return SRC_UTF32BE;
    }
    size_t ze = 0, zo = 0;
    for (size_t i = 0; i < n2; i++) {
        if (b[i] != 0) continue;
        if (i % 2)
            zo++;
        else
            ze++;
    }
    size_t half = n2 / 2;
    if (half == 0) return -1;
    if (2 * zo >= half && 8 * ze < half) return SRC_UTF16LE;
    if (2 * ze >= half && 8 * zo < half) return SRC_UTF16BE;
    return -1;
}

typedef struct csv_ctx {
    tbl *t;
    errbuf e;
    na_set na;
    int in_header;
    char **header;
    size_t nheader, capheader;
    size_t field; /* index of the next field in the current record */
    int64_t line; /* current physical line */
    int64_t row_line;
} csv_ctx;

/* the physical line of byte `at` of a field that ends on line x->line */
static int64_t line_of(const csv_ctx *x, const char *str, size_t len, size_t at) {
    int64_t line = x->line;
    for (size_t i = at; i < len; i++) line -= str[i] == '\n';
    return line;
}

static void on_field(void *s, size_t len, void *data) {
    csv_ctx *x = data;
    if (x->e.failed) return;
    tbl *t = x->t;
    const char *str = s ? s : "";
    char shown[200];
    if (x->field == 0) x->row_line = x->line;
    if (x->in_header) {
        size_t bad = utf8_invalid_at(str, len);
        if (bad < len) {
            set_error(
                &x->e,
                "%s:%lld:%zu: the header is not valid UTF-8 (byte 0x%02X in \"%s\")" CP1252_HINT,
                t->path, (long long)line_of(x, str, len, bad), x->field + 1,
                (unsigned char)str[bad], show_text(str, len, shown, sizeof shown));
            return;
        }
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
        size_t bad = utf8_invalid_at(str, len);
        if (bad < len) {
            set_error(&x->e,
                      "%s:%lld:%zu: column \"%s\" (--%s): not valid UTF-8 (byte 0x%02X in "
                      "\"%s\")" CP1252_HINT,
                      t->path, (long long)line_of(x, str, len, bad), f + 1, c->name, c->option,
                      (unsigned char)str[bad], show_text(str, len, shown, sizeof shown));
            return;
        }
        size_t a = 0, b = len;
        trim_blanks(str, &a, &b);
        if (na_set_has(&x->na, str + a, b - a)) {
            c->n_missing++;
            if (c->kind == TBL_NUM)
                c->num[t->nrows] = NAN;
            else
                c->code[t->nrows] = -1;
        } else if (c->kind == TBL_NUM) {
            double v;
            if (number_parse(str + a, b - a, t->decimal_comma, &v) < 0) {
                char hint[400];
                set_error(&x->e, "%s:%lld:%zu: column \"%s\" (--%s): \"%s\" is not a number%s",
                          t->path, (long long)line_of(x, str, len, 0), f + 1, c->name, c->option,
                          show_text(str + a, b - a, shown, sizeof shown),
                          number_hint(str + a, b - a, t->decimal_comma, hint, sizeof hint));
                return;
            }
            c->num[t->nrows] = v;
        } else {
            int32_t k = intern(c, str + a, b - a, NAN);
            if (k == -3) {
                set_error(&x->e,
                          "%s:%lld:%zu: column \"%s\" (--%s) has more than %d distinct "
                          "values",
                          t->path, (long long)line_of(x, str, len, 0), f + 1, c->name, c->option,
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
                char at[4200];
                snprintf(at, sizeof at, "%s:%lld", t->path, (long long)x->row_line);
                no_such_column(&x->e, at, "column", "the header", c, x->header, x->nheader);
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
    t->line[t->nrows] = x->row_line;
    t->record[t->nrows] = (int64_t)t->nrows + 1;
    t->nrows++;
    x->field = 0;
}

/* the header's delimiter: ',' ';' or tab, whichever it has most of (a comma
 * on a tie), 0 when it has none */
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
    return comma ? ',' : 0;
}

static const char *const wide_name[] = {"", "", "UTF-16", "UTF-16", "UTF-32", "UTF-32"};

static int read_csv(tbl *t, char *err, size_t errcap) {
    src *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errcap, "%s: out of memory", t->path);
        return 1;
    }
    s->f = fopen(t->path, "rb");
    if (!s->f) {
        snprintf(err, errcap, "%s: cannot open: %s", t->path, strerror(errno));
        free(s);
        return 1;
    }
    struct stat st;
    double size = fstat(fileno(s->f), &st) == 0 ? (double)st.st_size : 0;
    csv_ctx x = {.t = t, .e = {err, errcap, 0}, .na = na_set_of(t->na_values), .in_header = 1};
    /* the encoding: a byte-order mark, or UTF-16/32's NUL bytes, or the
       caller's (UTF-8 or Windows-1252) */
    src_fill(s);
    const unsigned char *b = s->raw;
    size_t n = s->rlen;
    int bom_utf8 = n >= 3 && memcmp(b, "\xEF\xBB\xBF", 3) == 0;
    if (n >= 4 && memcmp(b, "\xFF\xFE\0\0", 4) == 0)
        s->enc = SRC_UTF32LE, s->rpos = 4;
    else if (n >= 4 && memcmp(b, "\0\0\xFE\xFF", 4) == 0)
        s->enc = SRC_UTF32BE, s->rpos = 4;
    else if (n >= 2 && memcmp(b, "\xFF\xFE", 2) == 0)
        s->enc = SRC_UTF16LE, s->rpos = 2;
    else if (n >= 2 && memcmp(b, "\xFE\xFF", 2) == 0)
        s->enc = SRC_UTF16BE, s->rpos = 2;
    else if (bom_utf8)
        s->enc = SRC_UTF8, s->rpos = 3;
    else if ((s->enc = guess_wide(b, n)) < 0)
        s->enc = t->encoding == TBL_CP1252 ? SRC_CP1252 : SRC_UTF8;
    s->consumed = s->rpos;
    if (bom_utf8 && t->encoding == TBL_CP1252)
        set_error(&x.e,
                  "%s: the file starts with UTF-8's byte-order mark, so it is UTF-8, but "
                  "--encoding windows-1252 says it is Windows-1252: leave out --encoding",
                  t->path);
    struct csv_parser p;
    int parser = 0;
    if (!x.e.failed) {
        if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
            set_error(&x.e, "%s: out of memory", t->path);
        else
            parser = 1;
    }
    /* libcsv's defaults: spaces and tabs around unquoted fields are trimmed,
       CR and LF end a record */
    progress pr = {.on = t->progress && size > 0};
    int got = 0;
    while (!x.e.failed && (got = src_line(s)) == 1) {
        x.line++;
        const char *line = s->line;
        size_t len = s->llen;
        if (x.line == 1) {
            /* one column: no delimiter to see (a comma cannot be one with a
               decimal comma) */
            int d = t->delimiter ? t->delimiter : detect_delimiter(line, len);
            if (d == 0) d = t->decimal_comma ? ';' : ',';
            if (t->decimal_comma && d == ',') {
                set_error(&x.e,
                          "%s:1: the header's columns are separated by commas, and a comma "
                          "cannot also be the decimal separator: --decimal-comma reads files "
                          "separated by semicolons or tabs (leave out --decimal-comma if \".\" "
                          "is the decimal point)",
                          t->path);
                break;
            }
            csv_set_delim(&p, (unsigned char)d);
        }
        if (memchr(line, '\0', len)) {
            set_error(&x.e,
                      "%s:%lld: a NUL byte: this is not a text (CSV) file; open it in the program "
                      "that made it and save it as CSV UTF-8",
                      t->path, (long long)x.line);
            break;
        }
        size_t used = csv_parse(&p, line, len, on_field, on_record, &x);
        if (x.e.failed) break;
        if (used != len) {
            set_error(&x.e,
                      "%s:%lld:%zu: malformed CSV: %s (a quote inside an unquoted field, or "
                      "text after a closing quote)",
                      t->path, (long long)x.line, x.field + 1, csv_strerror(csv_error(&p)));
            break;
        }
        if ((x.line & 0xffff) == 0) progress_show(&pr, t->path, (double)s->consumed / size);
    }
    if (!x.e.failed && got == -1) set_error(&x.e, "%s: out of memory", t->path);
    if (!x.e.failed && got == -2)
        set_error(&x.e, "%s:%lld: not valid %s: %s; save the file as CSV UTF-8", t->path,
                  (long long)x.line + 1, wide_name[s->enc], s->why);
    if (!x.e.failed && got == -3) set_error(&x.e, "%s: read error: %s", t->path, strerror(errno));
    if (!x.e.failed && csv_fini(&p, on_field, on_record, &x) != 0 && !x.e.failed)
        set_error(&x.e,
                  "%s:%lld: malformed CSV: a quoted field is not closed before the end of the file",
                  t->path, (long long)x.line);
    progress_done(&pr);
    if (!x.e.failed && x.nheader == 0) set_error(&x.e, "%s: empty file (no header row)", t->path);
    if (!x.e.failed && x.in_header) set_error(&x.e, "%s: empty file (no header row)", t->path);
    char twice[1024];
    if (!x.e.failed && s->enc == SRC_CP1252 && u8_watch_refuses(&s->watch, twice, sizeof twice))
        set_error(&x.e, "%s:%lld: %s", t->path, (long long)s->watch.line, twice);
    if (!x.e.failed && t->nrows == 0) set_error(&x.e, "%s: no data rows after the header", t->path);
    if (parser) csv_free(&p);
    free(s->line);
    free(s->conv);
    fclose(s->f);
    free(s);
    for (size_t i = 0; i < x.nheader; i++) free(x.header[i]);
    free(x.header);
    return x.e.failed;
}

/* ------------------------------------------------------------------ ReadStat */

typedef struct rs_label {
    char *set;
    double value;
    char *svalue; /* a text value's (SPSS short strings), trimmed; NULL for numbers */
    char *label;
    int bad;    /* the label is not valid UTF-8 */
    size_t seq; /* order in the file: the first of equal values wins */
} rs_label;

typedef struct rs_ctx {
    tbl *t;
    errbuf e;
    na_set na;
    int sav;
    int version;        /* the file's format version (Stata: 104-119) */
    uint64_t file_size; /* bytes */
    char **names;       /* every variable's name, for messages */
    size_t nnames, capnames;
    rs_label *labels;
    size_t nlabels, caplabels;
    char *conv; /* Windows-1252 text converted to UTF-8 */
    size_t convcap;
    u8_watch watch; /* Windows-1252: whether the bytes read as UTF-8 too */
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

/* Text from ReadStat as UTF-8: with --encoding windows-1252 ReadStat passes
 * the file's bytes through (ISO-8859-1 to itself, below) and they are
 * converted here; otherwise ReadStat has converted them from the file's
 * declared encoding (or passed them through when it declares UTF-8 or
 * nothing) and they are returned as they are, to be checked. NULL when out
 * of memory. */
static const char *rs_text(rs_ctx *x, const char *s, size_t *len) {
    *len = strlen(s);
    if (x->t->encoding != TBL_CP1252) return s;
    u8_watch_text(&x->watch, s, *len, 1);
    if (*len > (SIZE_MAX - 1) / 3) return NULL;
    if (3 * *len + 1 > x->convcap) {
        size_t cap = 3 * *len + 1 > 256 ? 3 * *len + 1 : 256;
        char *c = realloc(x->conv, cap);
        if (!c) return NULL;
        x->conv = c;
        x->convcap = cap;
    }
    *len = cp1252_to_utf8(s, *len, x->conv);
    x->conv[*len] = '\0';
    return x->conv;
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
    const char *raw = readstat_variable_get_name(v); /* NULL for an empty name */
    size_t len;
    const char *name = rs_text(x, raw ? raw : "", &len);
    if (!name) goto oom;
    if (x->nnames == x->capnames) {
        size_t cap = x->capnames ? 2 * x->capnames : 64;
        char **l = realloc(x->names, cap * sizeof *l);
        if (!l) goto oom;
        x->names = l;
        x->capnames = cap;
    }
    if (!(x->names[x->nnames] = strdup(name))) goto oom;
    x->nnames++;
    int used = 0;
    for (size_t i = 0; i < x->t->ncols; i++) {
        tbl_col *c = &x->t->cols[i];
        if (strcmp(c->name, name) != 0) continue;
        if (c->index >= 0 && c->index != index) {
            set_error(&x->e, "%s: variable \"%s\" (--%s) appears twice in the file", x->t->path,
                      c->name, c->option);
            return READSTAT_HANDLER_ABORT;
        }
        c->index = index;
        used = 1;
        if (val_labels && val_labels[0] && c->kind != TBL_NUM && !c->value_labels) {
            c->value_labels = strndup(val_labels, set_name_len(x, val_labels, 0));
            if (!c->value_labels) goto oom;
        }
    }
    return used ? READSTAT_HANDLER_OK : READSTAT_HANDLER_SKIP_VARIABLE;
oom:
    set_error(&x->e, "%s: out of memory", x->t->path);
    return READSTAT_HANDLER_ABORT;
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
    if (obs < 0) return READSTAT_HANDLER_OK;
    size_t row = (size_t)obs;
    if (reserve(t, row + 1) != 0) {
        set_error(&x->e, "%s: out of memory after %zu observations", t->path, row);
        return READSTAT_HANDLER_ABORT;
    }
    if (row >= t->nrows) {
        for (size_t r = t->nrows; r <= row; r++) {
            t->line[r] = (int64_t)r + 1;
            t->record[r] = (int64_t)r + 1;
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
    char shown[200];
    for (size_t i = 0; i < t->ncols; i++) {
        tbl_col *c = &t->cols[i];
        if (c->index != index) continue;
        const char *s = NULL;
        size_t a = 0, b = 0;
        double d = NAN;
        if (!missing && rs_is_string(v)) {
            s = readstat_string_value(v);
            s = rs_text(x, s ? s : "", &b);
            if (!s) {
                set_error(&x->e, "%s: out of memory", t->path);
                return READSTAT_HANDLER_ABORT;
            }
            size_t bad = utf8_invalid_at(s, b);
            if (bad < b) {
                set_error(&x->e,
                          "%s: observation %d, variable \"%s\" (--%s): not valid UTF-8 (byte "
                          "0x%02X in \"%s\")" CP1252_HINT,
                          t->path, obs + 1, c->name, c->option, (unsigned char)s[bad],
                          show_text(s, b, shown, sizeof shown));
                return READSTAT_HANDLER_ABORT;
            }
            trim_blanks(s, &a, &b);
            missing = na_set_has(&x->na, s + a, b - a);
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
            if (s && number_parse(s + a, b - a, t->decimal_comma, &d) < 0) {
                char hint[400];
                set_error(&x->e,
                          "%s: observation %d, variable \"%s\" (--%s): \"%s\" is not a number%s",
                          t->path, obs + 1, c->name, c->option,
                          show_text(s + a, b - a, shown, sizeof shown),
                          number_hint(s + a, b - a, t->decimal_comma, hint, sizeof hint));
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
    /* kept whatever the variable: SPSS files give the labels before the
       variables; labels of missing values are never used */
    if (readstat_value_is_missing(v, NULL)) return READSTAT_HANDLER_OK;
    if (!rs_is_string(v) && isnan(rs_number(v))) return READSTAT_HANDLER_OK;
    if (x->nlabels == x->caplabels) {
        size_t cap = x->caplabels ? 2 * x->caplabels : 64;
        rs_label *l = realloc(x->labels, cap * sizeof *l);
        if (!l) goto oom;
        x->labels = l;
        x->caplabels = cap;
    }
    rs_label *l = &x->labels[x->nlabels];
    memset(l, 0, sizeof *l);
    l->seq = x->nlabels;
    l->value = rs_is_string(v) ? NAN : rs_number(v);
    if (l->value == 0) l->value = 0; /* −0 */
    x->nlabels++;
    size_t len;
    if (!(l->set = strndup(set, set_name_len(x, set, 1)))) goto oom;
    const char *text = rs_text(x, label ? label : "", &len);
    if (!text) goto oom;
    size_t a = 0;
    trim_blanks(text, &a, &len); /* as every label is */
    if (!(l->label = strndup(text + a, len - a))) goto oom;
    l->bad = utf8_invalid_at(l->label, len - a) < len - a;
    if (rs_is_string(v)) {
        const char *sv = readstat_string_value(v);
        if (!(text = rs_text(x, sv ? sv : "", &len))) goto oom;
        a = 0;
        trim_blanks(text, &a, &len);
        if (!(l->svalue = strndup(text + a, len - a))) goto oom;
    }
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

static int cmp_label(const void *pa, const void *pb) {
    const rs_label *a = *(const rs_label *const *)pa, *b = *(const rs_label *const *)pb;
    int d;
    if (a->svalue || b->svalue)
        d = !a->svalue ? -1 : !b->svalue ? 1 : strcmp(a->svalue, b->svalue);
    else
        d = a->value < b->value ? -1 : a->value > b->value;
    return d ? d : a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* the first label of the sorted set l[0..n) for a number (text NULL) or a
 * text value, or NULL */
static const rs_label *find_label(rs_label **l, size_t n, const char *text, double value) {
    size_t lo = 0, hi = n;
    while (lo < hi) { /* the first entry not below the value */
        size_t mid = lo + (hi - lo) / 2;
        const rs_label *m = l[mid];
        int below =
            text ? (m->svalue ? strcmp(m->svalue, text) < 0 : 1) : (!m->svalue && m->value < value);
        if (below)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == n) return NULL;
    const rs_label *m = l[lo];
    if (text) return m->svalue && strcmp(m->svalue, text) == 0 ? m : NULL;
    return !m->svalue && m->value == value ? m : NULL;
}

/* A labelled variable's value labels: in a TBL_LABEL column they replace its
 * values (two values with the same label become one category; a value
 * without a label, or with an empty one, keeps its own text); in a TBL_ID
 * column the values stay and each one's label goes into value_label. −1 out
 * of memory, −2 a label used is not valid UTF-8 (reported). */
static int apply_value_labels(rs_ctx *x, tbl_col *c) {
    size_t n = 0;
    rs_label **set = malloc((x->nlabels ? x->nlabels : 1) * sizeof *set);
    int32_t *remap = malloc(((size_t)c->n_labels + 1) * sizeof *remap);
    tbl_col fresh;
    memset(&fresh, 0, sizeof fresh);
    int rc = -1;
    if (!set || !remap) goto done;
    if (c->kind == TBL_ID && c->n_labels > 0 &&
        !(c->value_label = calloc((size_t)c->n_labels, sizeof *c->value_label)))
        goto done;
    for (size_t j = 0; j < x->nlabels; j++)
        if (strcmp(x->labels[j].set, c->value_labels) == 0) set[n++] = &x->labels[j];
    qsort(set, n, sizeof *set, cmp_label);
    for (int32_t k = 0; k < c->n_labels; k++) {
        const char *text = c->labels[k];
        const rs_label *l =
            find_label(set, n, isnan(c->label_value[k]) ? c->labels[k] : NULL, c->label_value[k]);
        if (l && l->bad) {
            char shown[200];
            set_error(&x->e,
                      "%s: variable \"%s\" (--%s): the value label of %s is not valid UTF-8 "
                      "(\"%s\")" CP1252_HINT,
                      x->t->path, c->name, c->option, c->labels[k],
                      show_text(l->label, strlen(l->label), shown, sizeof shown));
            rc = -2;
            goto done;
        }
        if (c->kind == TBL_ID) {
            if (l && l->label[0] && !(c->value_label[k] = strdup(l->label))) goto done;
            continue;
        }
        if (l && l->label[0]) text = l->label;
        remap[k] = intern(&fresh, text, strlen(text), c->label_value[k]);
        if (remap[k] < 0) goto done; /* fewer labels than before: never −3 */
    }
    if (c->kind == TBL_ID) {
        rc = 0;
        goto done;
    }
    for (size_t r = 0; r < x->t->nrows; r++)
        if (c->code[r] >= 0) c->code[r] = remap[c->code[r]];
    tbl_col old = *c;
    c->labels = fresh.labels;
    c->label_value = fresh.label_value;
    c->hash = fresh.hash;
    c->n_labels = fresh.n_labels;
    c->cap_labels = fresh.cap_labels;
    c->hash_cap = fresh.hash_cap;
    c->last_code = 0;
    fresh = old; /* freed below */
    free(c->num_key);
    free(c->num_code);
    c->num_key = NULL;
    c->num_code = NULL;
    c->num_cap = c->num_used = 0;
    rc = 0;
done:
    for (int32_t i = 0; i < fresh.n_labels; i++) free(fresh.labels[i]);
    free(fresh.labels);
    free(fresh.label_value);
    free(fresh.hash);
    free(set);
    free(remap);
    return rc;
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

static void set_io(readstat_parser_t *p, rs_io *io) {
    readstat_set_open_handler(p, io_open);
    readstat_set_close_handler(p, io_close);
    readstat_set_seek_handler(p, io_seek);
    readstat_set_read_handler(p, io_read);
    readstat_set_update_handler(p, io_update);
    readstat_set_io_ctx(p, io);
}

static int rs_declares_utf8(readstat_metadata_t *m, void *ctx) {
    const char *e = readstat_get_file_encoding(m);
    *(int *)ctx = e && strcmp(e, "UTF-8") == 0;
    return READSTAT_HANDLER_ABORT; /* the dictionary is all this pass needs */
}

/* ReadStat 1.1.8 (Debian 12's) reads a .sav/.zsav file that declares UTF-8
 * by dropping NUL bytes from text and, for a very long string (over 255
 * bytes) whose first segment is all NULs, counts its length below zero and
 * reads far past its buffer (upstream issue #285, fixed after 1.1.8). It
 * takes that path only when the encoding's name is exactly "UTF-8": such a
 * file is read under glibc's alias "UTF8" instead — the same conversion,
 * with NUL bytes kept, so a text ends at its first NUL (padding with NULs
 * reads as before). 1 when the file declares UTF-8. */
static int sav_declares_utf8(const char *path) {
    int utf8 = 0;
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) return 0; /* a pipe is read once */
    readstat_parser_t *p = readstat_parser_init();
    if (!p) return 0;
    rs_io io = {NULL};
    set_io(p, &io);
    readstat_set_metadata_handler(p, rs_declares_utf8);
    readstat_parse_sav(p, path, &utf8);
    readstat_parser_free(p);
    if (io.f) fclose(io.f);
    return utf8;
}

static int read_readstat(tbl *t, int sav, char *err, size_t errcap) {
    int utf8 = sav && t->encoding != TBL_CP1252 && sav_declares_utf8(t->path);
    readstat_parser_t *p = readstat_parser_init();
    if (!p) {
        snprintf(err, errcap, "%s: out of memory", t->path);
        return 1;
    }
    rs_ctx x = {.t = t,
                .e = {err, errcap, 0},
                .na = na_set_of(t->na_values),
                .sav = sav,
                .pr = {.on = t->progress}};
    struct stat st;
    if (stat(t->path, &st) == 0 && st.st_size > 0) x.file_size = (uint64_t)st.st_size;
    readstat_set_metadata_handler(p, rs_metadata);
    readstat_set_variable_handler(p, rs_variable);
    readstat_set_value_handler(p, rs_value);
    readstat_set_value_label_handler(p, rs_value_label);
    readstat_set_progress_handler(p, rs_progress);
    if (t->encoding == TBL_CP1252) {
        /* ISO-8859-1 to itself passes every byte through; rs_text converts
           them from Windows-1252 (glibc's WINDOWS-1252 refuses five bytes) */
        readstat_set_file_character_encoding(p, "ISO-8859-1");
        readstat_set_handler_character_encoding(p, "ISO-8859-1");
    }
    if (utf8) readstat_set_file_character_encoding(p, "UTF8");
    rs_io io = {NULL};
    set_io(p, &io);
    readstat_error_t e =
        sav ? readstat_parse_sav(p, t->path, &x) : readstat_parse_dta(p, t->path, &x);
    readstat_parser_free(p);
    if (io.f) fclose(io.f);
    progress_done(&x.pr);
    if (!x.e.failed && e == READSTAT_ERROR_OPEN)
        set_error(&x.e, "%s: cannot open: %s", t->path, strerror(errno));
    if (!x.e.failed && e != READSTAT_OK)
        set_error(&x.e, "%s: not a readable %s file: %s%s", t->path, sav ? "SPSS" : "Stata",
                  readstat_error_message(e),
                  e == READSTAT_ERROR_CONVERT_BAD_STRING || e == READSTAT_ERROR_CONVERT
                      ? CP1252_HINT
                      : "");
    for (size_t i = 0; i < t->ncols && !x.e.failed; i++) {
        tbl_col *c = &t->cols[i];
        if (c->index < 0) {
            no_such_column(&x.e, t->path, "variable", "the file", c, x.names, x.nnames);
        } else if (c->value_labels) {
            int rc = apply_value_labels(&x, c);
            if (rc == -1) set_error(&x.e, "%s: out of memory", t->path);
        }
    }
    if (!x.e.failed && t->nrows == 0) set_error(&x.e, "%s: no observations", t->path);
    char twice[1024];
    if (!x.e.failed && t->encoding == TBL_CP1252 && u8_watch_refuses(&x.watch, twice, sizeof twice))
        set_error(&x.e, "%s: %s", t->path, twice);
    for (size_t j = 0; j < x.nlabels; j++) {
        free(x.labels[j].set);
        free(x.labels[j].label);
        free(x.labels[j].svalue);
    }
    free(x.labels);
    for (size_t j = 0; j < x.nnames; j++) free(x.names[j]);
    free(x.names);
    free(x.conv);
    return x.e.failed;
}

/* ------------------------------------------------------------------ dispatch */

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

#define SAVE_AS_CSV "in Excel use File > Save As > \"CSV UTF-8 (Comma delimited)\""

int tbl_read(tbl *t, char *err, size_t errcap) {
    /* what the first bytes say the file is, whatever its name */
    unsigned char head[128];
    size_t n = 0;
    /* stat first: a pipe (a FIFO, /dev/stdin) is opened once, by the reader
       its name calls for, and read as its name says */
    struct stat st;
    if (stat(t->path, &st) != 0) {
        snprintf(err, errcap, "%s: cannot open: %s", t->path, strerror(errno));
        return 1;
    }
    if (S_ISDIR(st.st_mode)) {
        snprintf(err, errcap, "%s: cannot open: it is a directory", t->path);
        return 1;
    }
    if (S_ISREG(st.st_mode)) {
        FILE *f = fopen(t->path, "rb");
        if (!f) {
            snprintf(err, errcap, "%s: cannot open: %s", t->path, strerror(errno));
            return 1;
        }
        n = fread(head, 1, sizeof head, f);
        fclose(f);
    }
    if (n >= 4 && memcmp(head, "PK\x03\x04", 4) == 0) {
        if (n >= 72 && memcmp(head + 30, "mimetypeapplication/vnd.oasis.opendocument", 42) == 0)
            snprintf(err, errcap,
                     "%s: this is an OpenDocument spreadsheet (.ods), not a CSV file: in "
                     "LibreOffice use File > Save As > \"Text CSV (.csv)\", character set "
                     "\"Unicode (UTF-8)\"",
                     t->path);
        else
            snprintf(err, errcap,
                     "%s: this is an Excel workbook (.xlsx, a ZIP archive), not a CSV "
                     "file: " SAVE_AS_CSV,
                     t->path);
        return 1;
    }
    if (n >= 8 && memcmp(head, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0) {
        snprintf(err, errcap,
                 "%s: this is an Excel 97-2003 workbook (.xls), not a CSV file: " SAVE_AS_CSV,
                 t->path);
        return 1;
    }
    if (n >= 2 && head[0] == 0x1F && head[1] == 0x8B) {
        snprintf(err, errcap,
                 "%s: this is a gzip-compressed file, not a CSV file: decompress it first "
                 "(gunzip)",
                 t->path);
        return 1;
    }
    t->is_csv = 0;
    if (ends_with(t->path, ".dta")) return read_readstat(t, 0, err, errcap);
    if (ends_with(t->path, ".sav") || ends_with(t->path, ".zsav"))
        return read_readstat(t, 1, err, errcap);
    /* SPSS and Stata (117 on) files named otherwise are read as what they are */
    if (n >= 4 && (memcmp(head, "$FL2", 4) == 0 || memcmp(head, "$FL3", 4) == 0))
        return read_readstat(t, 1, err, errcap);
    if (n >= 11 && memcmp(head, "<stata_dta>", 11) == 0) return read_readstat(t, 0, err, errcap);
    t->is_csv = 1;
    return read_csv(t, err, errcap);
}
