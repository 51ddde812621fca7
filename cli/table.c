/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli/table.c — the table the readers fill (see table.h): its columns, the
 * labels of a label column (interned through a hash table), the rows kept
 * by tbl_keep, and freeing it. Reading a file is reader.c's. */
#include "table.h"

#include "numbers.h"
#include "reader.h"
#include "text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

int32_t tbl_intern(tbl_col *c, const char *s, size_t len, double value) {
    /* files sorted by stratum or PSU repeat the last label: no hashing */
    if (c->last_code > 0 && c->last_code <= c->n_labels) {
        const char *l = c->labels[c->last_code - 1];
        if (strncmp(l, s, len) == 0 && l[len] == '\0') return c->last_code - 1;
    }
    int32_t k = intern_lookup(c, s, len, value);
    if (k >= 0) c->last_code = k + 1;
    return k;
}

int32_t tbl_intern_new_number(tbl_col *c, double d, uint64_t bits) {
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
            uint32_t j = tbl_mix64(c->num_key[i]) & (uint32_t)(cap - 1);
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
    uint32_t j = tbl_mix64(bits) & mask;
    while (c->num_code[j] >= 0) j = (j + 1) & mask;
    char buf[40];
    number_shortest(d, buf, sizeof buf);
    int32_t k = tbl_intern(c, buf, strlen(buf), d);
    if (k < 0) return k;
    c->num_key[j] = bits;
    c->num_code[j] = k;
    c->num_used++;
    return k;
}

/* ------------------------------------------------------------------ table */

/* FNV-1a of a column's name */
static uint64_t name_hash(const char *s) {
    uint64_t h = 1469598103934665603u;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

/* The slot of t->want_index holding the column named name of that kind, or
 * the empty slot where it would go. */
static size_t want_slot(const tbl *t, const char *name, int kind) {
    const size_t mask = t->want_cap - 1;
    for (size_t s = (size_t)name_hash(name) & mask;; s = (s + 1) & mask) {
        const uint32_t e = t->want_index[s];
        if (e == 0) return s;
        const tbl_col *c = &t->cols[e - 1];
        if (c->kind == kind && strcmp(c->name, name) == 0) return s;
    }
}

/* t->want_index with room for one more column (at most half full):
 * made anew, twice as large, when it would be fuller. 0, or −1 when out of
 * memory. */
static int want_room(tbl *t) {
    if (2 * (t->ncols + 1) <= t->want_cap) return 0;
    size_t cap = t->want_cap ? 2 * t->want_cap : 64;
    while (cap < 2 * (t->ncols + 1)) cap *= 2;
    uint32_t *ix = calloc(cap, sizeof *ix);
    if (!ix) return -1;
    free(t->want_index);
    t->want_index = ix;
    t->want_cap = cap;
    for (size_t i = 0; i < t->ncols; i++)
        ix[want_slot(t, t->cols[i].name, t->cols[i].kind)] = (uint32_t)i + 1;
    return 0;
}

int tbl_want(tbl *t, const char *name, const char *option, int kind) {
    if (!t || !name || (kind != TBL_NUM && kind != TBL_LABEL && kind != TBL_ID)) return -1;
    if (!option) option = "";
    if (t->ncols >= INT32_MAX || want_room(t) != 0) return -1;
    const size_t slot = want_slot(t, name, kind);
    if (t->want_index[slot]) {
        tbl_col *c = &t->cols[t->want_index[slot] - 1];
        if (!c->also && strcmp(c->option, option) != 0) c->also = option;
        return (int)(t->want_index[slot] - 1);
    }
    tbl_col *c = realloc(t->cols, (t->ncols + 1) * sizeof *c);
    if (!c) return -1;
    t->cols = c;
    t->want_index[slot] = (uint32_t)t->ncols + 1;
    memset(&c[t->ncols], 0, sizeof *c);
    c[t->ncols].name = name;
    c[t->ncols].option = option;
    c[t->ncols].kind = kind;
    c[t->ncols].index = -1;
    return (int)t->ncols++;
}

/* The lookup tables of reading freed: the labels' hash table and the
 * numbers seen (tbl_intern, tbl_intern_number). */
static void drop_lookups(tbl_col *c) {
    free(c->hash);
    c->hash = NULL;
    c->hash_cap = 0;
    free(c->num_key);
    free(c->num_code);
    c->num_key = NULL;
    c->num_code = NULL;
    c->num_cap = c->num_used = 0;
}

/* After a failed renumbering: the codes of c's rows, numbered by remap (m
 * labels), back to the labels' own; without memory for that, the rows lose
 * their labels. */
static void unmap_codes(const tbl *t, tbl_col *c, const int32_t *remap, int32_t m) {
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
}

/* A label column's labels renumbered in order of first appearance among the
 * rows, those no row uses dropped, and the lookup tables of reading freed;
 * without memory, the labels stay (unused ones too). */
static void renumber(const tbl *t, tbl_col *c) {
    int32_t *remap = malloc((size_t)c->n_labels * sizeof *remap);
    if (!remap) return;
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
        unmap_codes(t, c, remap, m);
        free(labels);
        free(values);
        free(vlabels);
        free(remap);
        return;
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
    c->labels = labels;
    free(c->label_value);
    c->label_value = values;
    free(c->value_label);
    c->value_label = vlabels;
    c->n_labels = c->cap_labels = m;
    c->last_code = 0;
    drop_lookups(c); /* not needed any more */
}

/* After rows were dropped: every column's n_missing counted again, each
 * label column's labels renumbered. */
static void compact(tbl *t) {
    for (size_t i = 0; i < t->ncols; i++) {
        tbl_col *c = &t->cols[i];
        int64_t missing = 0;
        if (c->kind == TBL_NUM) {
            for (size_t r = 0; r < t->nrows; r++) missing += isnan(c->num[r]);
        } else {
            for (size_t r = 0; r < t->nrows; r++) missing += c->code[r] < 0;
        }
        c->n_missing = missing;
        if (c->kind != TBL_NUM && c->n_labels > 0) renumber(t, c);
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

/* A column's labels and lookups freed (its rows' arrays kept). */
static void drop_labels(tbl_col *c) {
    for (int32_t k = 0; k < c->n_labels; k++) {
        free(c->labels[k]);
        if (c->value_label) free(c->value_label[k]);
    }
    free(c->labels);
    free(c->value_label);
    free(c->label_value);
    free(c->value_labels);
    free(c->remap);
    c->labels = c->value_label = NULL;
    c->label_value = NULL;
    c->value_labels = NULL;
    c->remap = NULL;
    c->n_remap = c->n_labels = c->cap_labels = 0;
    c->last_code = 0;
    drop_lookups(c);
}

void tbl_rewind(tbl *t) {
    for (size_t i = 0; i < t->ncols; i++) {
        tbl_col *c = &t->cols[i];
        drop_labels(c);
        c->index = -1;
        c->n_missing = 0;
    }
    t->nrows = 0;
    t->row_base = 0;
    t->sink_stopped = 0;
}

size_t tbl_cols_named(const tbl *t, const char *name, int32_t cols[3]) {
    size_t k = 0;
    for (int kind = TBL_NUM; t->want_cap && kind <= TBL_ID; kind++) {
        const uint32_t e = t->want_index[want_slot(t, name, kind)];
        if (e) cols[k++] = (int32_t)e - 1;
    }
    /* in column order (at most three: an insertion) */
    for (size_t i = 1; i < k; i++)
        for (size_t j = i; j > 0 && cols[j - 1] > cols[j]; j--) {
            const int32_t c = cols[j];
            cols[j] = cols[j - 1], cols[j - 1] = c;
        }
    return k;
}

int tbl_fieldmap_fields(const tbl *t, tbl_fieldmap *m, size_t nfields) {
    free(m->first), free(m->next);
    m->first = malloc((nfields ? nfields : 1) * sizeof *m->first);
    m->next = malloc((t->ncols ? t->ncols : 1) * sizeof *m->next);
    if (!m->first || !m->next) {
        free(m->first), free(m->next);
        m->first = m->next = NULL;
        return -1;
    }
    m->nfields = nfields;
    for (size_t f = 0; f < nfields; f++) m->first[f] = -1;
    for (size_t i = t->ncols; i-- > 0;) { /* in column order along each chain */
        const int f = t->cols[i].index;
        m->next[i] = -1;
        if (f < 0 || (size_t)f >= nfields) continue;
        m->next[i] = m->first[f];
        m->first[f] = (int32_t)i;
    }
    return 0;
}

void tbl_fieldmap_free(tbl_fieldmap *m) {
    free(m->first), free(m->next);
    memset(m, 0, sizeof *m);
}

void tbl_free(tbl *t) {
    for (size_t i = 0; i < t->ncols; i++) {
        tbl_col *c = &t->cols[i];
        free(c->num);
        free(c->code);
        free(c->raw_off);
        free(c->raw_len);
        c->raw_off = NULL;
        c->raw_len = NULL;
        drop_labels(c);
    }
    free(t->raw);
    t->raw = NULL;
    t->raw_used = t->raw_cap = 0;
    free(t->cols);
    free(t->line);
    free(t->record);
    free(t->want_index);
    t->want_index = NULL;
    t->want_cap = 0;
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

/* ------------------------------------------------------------------ rows */

/* Room for `rows` rows in every column (doubling); −1 when out of memory. */
int tbl_reserve(tbl *t, size_t rows) {
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
            if (c->defer) {
                size_t *o = realloc(c->raw_off, cap * sizeof *o);
                if (!o) return -1;
                c->raw_off = o;
                uint32_t *l = realloc(c->raw_len, cap * sizeof *l);
                if (!l) return -1;
                c->raw_len = l;
            }
        } else {
            int32_t *p = realloc(c->code, cap * sizeof *p);
            if (!p) return -1;
            c->code = p;
        }
    }
    t->cap = cap;
    return 0;
}
