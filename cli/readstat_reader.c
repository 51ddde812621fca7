/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli/readstat_reader.c — the Stata (.dta) and SPSS (.sav/.zsav) reader of
 * tbl_read (table.h), through ReadStat: its callbacks fill the requested
 * columns, then value labels are applied (read here, not by ReadStat, for
 * the formats before 108: dta_read_old_labels). */
#define _POSIX_C_SOURCE 200809L
#include "reader.h"

#include "numbers.h"
#include "text.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <readstat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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
    int version;         /* the file's format version (Stata: 104-119) */
    int64_t rows;        /* the count of observations the header gives (−1: none) */
    uint64_t record_len; /* Stata: the bytes of a row (every variable's storage width) */
    uint64_t file_size;  /* bytes */
    char **names;        /* every variable's name, for messages */
    size_t nnames, capnames;
    rs_label *labels;
    size_t nlabels, caplabels;
    char *conv; /* Windows-1252 text converted to UTF-8 */
    size_t convcap;
    u8_watch watch; /* Windows-1252: whether the bytes read as UTF-8 too */
    progress pr;
    int own_labels;   /* a Stata file before format 108: its value labels are read here
                         (dta_read_old_labels), not by ReadStat */
    tbl_fieldmap map; /* the variables and the columns read from them */
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

/* s[0..*len) (not NUL-terminated) converted from Windows-1252 to UTF-8 into
 * x->conv, NUL-terminated, its length in *len; watched under --encoding
 * windows-1252 (whether the bytes read as UTF-8 too). NULL when out of
 * memory. */
static const char *from_cp1252(rs_ctx *x, const char *s, size_t *len) {
    if (x->t->encoding == TBL_CP1252) u8_watch_text(&x->watch, s, *len, 1);
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

/* Text from ReadStat as UTF-8: with --encoding windows-1252 ReadStat passes
 * the file's bytes through (ISO-8859-1 to itself, below) and they are
 * converted here; otherwise ReadStat has converted them from the file's
 * declared encoding (or passed them through when it declares UTF-8 or
 * nothing) and they are returned as they are, to be checked. NULL when out
 * of memory. */
static const char *rs_text(rs_ctx *x, const char *s, size_t *len) {
    *len = strlen(s);
    if (x->t->encoding != TBL_CP1252) return s;
    return from_cp1252(x, s, len);
}

static int rs_metadata(readstat_metadata_t *m, void *ctx) {
    rs_ctx *x = ctx;
    x->version = readstat_get_file_format_version(m);
    x->rows = readstat_get_row_count(m);
    /* The header's count is a claim: reserve no more rows than the file can
       hold (a .dta row or an uncompressed or bytecode-compressed .sav row
       takes at least one byte per variable; a .zsav row may take less, and
       grows the arrays by doubling as it arrives). */
    int n = readstat_get_row_count(m);
    int nvar = readstat_get_var_count(m);
    uint64_t bound = x->file_size / (uint64_t)(nvar > 1 ? nvar : 1);
    if (n > 0) {
        uint64_t rows = (uint64_t)n < bound ? (uint64_t)n : bound;
        if (x->t->chunk_rows && rows > x->t->chunk_rows) rows = x->t->chunk_rows;
        if (rows > 0 && tbl_reserve(x->t, (size_t)rows) != 0) {
            set_error(&x->e, "%s: out of memory for %d observations", x->t->path, n);
            return READSTAT_HANDLER_ABORT;
        }
    }
    return READSTAT_HANDLER_OK;
}

static int rs_variable(int index, readstat_variable_t *v, const char *val_labels, void *ctx) {
    rs_ctx *x = ctx;
    /* (ReadStat gives a Stata string's width with room for a NUL:
       readstat_dta_read.c, dta_handle_variables) */
    size_t width = readstat_variable_get_storage_width(v);
    x->record_len += width - (width > 0 && readstat_variable_get_type(v) == READSTAT_TYPE_STRING);
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
    int32_t cols[3];
    for (size_t k = 0, m = tbl_cols_named(x->t, name, cols); k < m; k++) {
        tbl_col *c = &x->t->cols[cols[k]]; /* the columns of that name, in column order */
        if (c->index >= 0 && c->index != index) {
            set_error(&x->e, "%s: variable \"%s\" (--%s) appears twice in the file", x->t->path,
                      c->name, c->option);
            return READSTAT_HANDLER_ABORT;
        }
        /* the system's ReadStat reads a strL's (v, o) reference with format
           118's widths (2 and 6 bytes) where format 119 gives 3 and 5: every
           value would arrive missing. It gives a strL as a string of storage
           width 0 (a str# has at least 1) */
        if (!x->sav && x->version >= 119 && readstat_variable_get_type(v) == READSTAT_TYPE_STRING &&
            width == 0) {
            set_error(&x->e,
                      "%s: variable \"%s\" (--%s) is a long string (strL) in a Stata format-%d "
                      "file, which this reader cannot read (its values would all come out "
                      "missing); in Stata, recast it to str# (recast str2045 %s), or keep the "
                      "variables needed and save in format 118 (save, version(118))",
                      x->t->path, c->name, c->option, x->version, c->name);
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

/* Rows up to `row`, the new ones missing in every column until their values
 * arrive; 0, or −1 after an error. */
static int rs_rows_to(rs_ctx *x, size_t row) {
    tbl *t = x->t;
    if (tbl_reserve(t, row + 1) != 0) {
        set_error(&x->e, "%s: out of memory after %zu observations", t->path, row);
        return -1;
    }
    if (row < t->nrows) return 0;
    for (size_t r = t->nrows; r <= row; r++) {
        t->line[r] = t->row_base + (int64_t)r + 1;
        t->record[r] = t->row_base + (int64_t)r + 1;
        for (size_t i = 0; i < t->ncols; i++) {
            if (t->cols[i].kind == TBL_NUM)
                t->cols[i].num[r] = NAN;
            else
                t->cols[i].code[r] = -1;
        }
    }
    t->nrows = row + 1;
    return 0;
}

/* what is wrong (rc) with observation obs's text s[0..len) in column c;
 * returns −1 */
static int rs_cell_error(rs_ctx *x, int rc, const tbl_col *c, int obs, const char *s, size_t len) {
    char at[AT_CAP];
    snprintf(at, sizeof at, "%s: observation %d, variable", x->t->path, obs + 1);
    cell_error(&x->e, rc, x->t, at, c, s, len);
    return -1;
}

/* Observation obs's value v (missing in the format's terms, or not) as the
 * cell of column c: a text is checked, trimmed and compared with the
 * missing spellings; a number may not be infinite. 0, or −1 after an
 * error. */
static int rs_cell(rs_ctx *x, tbl_col *c, int obs, size_t row, readstat_value_t v, int missing) {
    tbl *t = x->t;
    const char *s = NULL;
    size_t a = 0, b = 0;
    double d = NAN;
    if (!missing && rs_is_string(v)) {
        s = readstat_string_value(v);
        s = rs_text(x, s ? s : "", &b);
        if (!s) {
            set_error(&x->e, "%s: out of memory", t->path);
            return -1;
        }
        if (utf8_invalid_at(s, b) < b) return rs_cell_error(x, CELL_NOT_UTF8, c, obs, s, b);
        trim_blanks(s, &a, &b);
        missing = na_set_has(&x->na, s + a, b - a);
    } else if (!missing) {
        d = rs_number(v);
        missing = isnan(d);
        if (isinf(d)) {
            set_error(&x->e, "%s: observation %d, variable \"%s\" (--%s): the value is %s", t->path,
                      obs + 1, c->name, c->option, d > 0 ? "infinite" : "-infinite");
            return -1;
        }
    }
    int rc = tbl_store(t, c, row, missing, s ? s + a : NULL, b - a, d);
    return rc == CELL_OK ? 0 : rs_cell_error(x, rc, c, obs, s ? s + a : NULL, b - a);
}

static int rs_value(int obs, readstat_variable_t *var, readstat_value_t v, void *ctx) {
    rs_ctx *x = ctx;
    tbl *t = x->t;
    if (obs < 0) return READSTAT_HANDLER_OK;
    size_t row = (size_t)obs;
    if (t->chunk_rows) {
        /* ReadStat gives the observations in order: the rows held are
           complete once a later one starts */
        if ((int64_t)obs < t->row_base) {
            set_error(&x->e, "%s: observation %d comes after observation %lld", t->path, obs + 1,
                      (long long)t->row_base + (long long)t->nrows);
            return READSTAT_HANDLER_ABORT;
        }
        if ((size_t)((int64_t)obs - t->row_base) >= t->chunk_rows && tbl_flush(t) != 0) {
            x->e.failed = 1;
            return READSTAT_HANDLER_ABORT;
        }
        row = (size_t)((int64_t)obs - t->row_base);
    }
    if (rs_rows_to(x, row) != 0) return READSTAT_HANDLER_ABORT;
    int index = readstat_variable_get_index(var);
    /* the format's own missing values: Stata's . and .a-.z, SPSS's system-
       missing value and the variable's user-missing values and ranges */
    int missing = readstat_value_is_missing(v, var);
    /* (every variable is known before the first value) */
    if (!x->map.first && tbl_fieldmap_fields(t, &x->map, x->nnames) != 0) {
        set_error(&x->e, "%s: out of memory", t->path);
        return READSTAT_HANDLER_ABORT;
    }
    const int32_t first = index >= 0 && (size_t)index < x->map.nfields ? x->map.first[index] : -1;
    for (int32_t i = first; i >= 0; i = x->map.next[i])
        if (rs_cell(x, &t->cols[i], obs, row, v, missing) != 0) return READSTAT_HANDLER_ABORT;
    return READSTAT_HANDLER_OK;
}

/* A value label kept: set[0..setlen) its set's name, value its number (NAN
 * for a text value, whose text the caller sets in svalue), text[0..len) the
 * label as UTF-8 (trimmed here, as every label is). NULL when out of
 * memory. */
static rs_label *keep_label(rs_ctx *x, const char *set, size_t setlen, double value,
                            const char *text, size_t len) {
    if (x->nlabels == x->caplabels) {
        size_t cap = x->caplabels ? 2 * x->caplabels : 64;
        rs_label *l = realloc(x->labels, cap * sizeof *l);
        if (!l) return NULL;
        x->labels = l;
        x->caplabels = cap;
    }
    rs_label *l = &x->labels[x->nlabels];
    memset(l, 0, sizeof *l);
    l->seq = x->nlabels;
    l->value = value == 0 ? 0 : value; /* (−0) */
    x->nlabels++;
    size_t a = 0;
    trim_blanks(text, &a, &len);
    if (!(l->set = strndup(set, setlen)) || !(l->label = strndup(text + a, len - a))) return NULL;
    l->bad = utf8_invalid_at(l->label, len - a) < len - a;
    return l;
}

static int rs_value_label(const char *set, readstat_value_t v, const char *label, void *ctx) {
    rs_ctx *x = ctx;
    /* kept whatever the variable: SPSS files give the labels before the
       variables; labels of missing values are never used */
    if (readstat_value_is_missing(v, NULL)) return READSTAT_HANDLER_OK;
    if (!rs_is_string(v) && isnan(rs_number(v))) return READSTAT_HANDLER_OK;
    size_t len;
    const char *text = rs_text(x, label ? label : "", &len);
    rs_label *l = text ? keep_label(x, set, set_name_len(x, set, 1),
                                    rs_is_string(v) ? NAN : rs_number(v), text, len)
                       : NULL;
    if (!l) goto oom;
    if (rs_is_string(v)) {
        const char *sv = readstat_string_value(v);
        if (!(text = rs_text(x, sv ? sv : "", &len))) goto oom;
        size_t a = 0;
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

/* The label of c's k-th value in the sorted set[0..n), or NULL; *bad when
 * it is not valid UTF-8 (reported). */
static const rs_label *label_of(rs_ctx *x, const tbl_col *c, int32_t k, rs_label **set, size_t n,
                                int *bad) {
    const rs_label *l =
        find_label(set, n, isnan(c->label_value[k]) ? c->labels[k] : NULL, c->label_value[k]);
    *bad = l && l->bad;
    if (*bad) {
        char shown[200];
        set_error(&x->e,
                  "%s: variable \"%s\" (--%s): the value label of %s is not valid UTF-8 "
                  "(\"%s\")" CP1252_HINT,
                  x->t->path, c->name, c->option, c->labels[k],
                  show_text(l->label, strlen(l->label), shown, sizeof shown));
    }
    return l;
}

/* A TBL_ID column: its values stay, each one's label goes into value_label.
 * Returns as apply_value_labels. */
static int label_ids(rs_ctx *x, tbl_col *c, rs_label **set, size_t n) {
    if (c->n_labels > 0 && !(c->value_label = calloc((size_t)c->n_labels, sizeof *c->value_label)))
        return -1;
    for (int32_t k = 0; k < c->n_labels; k++) {
        int bad;
        const rs_label *l = label_of(x, c, k, set, n, &bad);
        if (bad) return -2;
        if (l && l->label[0] && !(c->value_label[k] = strdup(l->label))) return -1;
    }
    return 0;
}

/* A TBL_LABEL column: the labels replace its values (two values with the
 * same label become one category; a value without a label, or with an
 * empty one, keeps its own text). Returns as apply_value_labels. */
static int label_values(rs_ctx *x, tbl_col *c, rs_label **set, size_t n) {
    int32_t *remap = malloc(((size_t)c->n_labels + 1) * sizeof *remap);
    tbl_col fresh;
    memset(&fresh, 0, sizeof fresh);
    int rc = -1;
    if (!remap) goto done;
    for (int32_t k = 0; k < c->n_labels; k++) {
        int bad;
        const rs_label *l = label_of(x, c, k, set, n, &bad);
        if (bad) {
            rc = -2;
            goto done;
        }
        const char *text = l && l->label[0] ? l->label : c->labels[k];
        remap[k] = tbl_intern(&fresh, text, strlen(text), c->label_value[k]);
        if (remap[k] < 0) goto done; /* fewer labels than before: never −3 */
    }
    for (size_t r = 0; r < x->t->nrows; r++)
        if (c->code[r] >= 0) c->code[r] = remap[c->code[r]];
    if (x->t->chunk_rows) { /* the chunks handed over carried the old codes */
        free(c->remap);
        c->remap = remap;
        c->n_remap = c->n_labels;
        remap = NULL;
    }
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
    free(remap);
    return rc;
}

/* A labelled variable's value labels: in a TBL_LABEL column they replace its
 * values, in a TBL_ID column they go beside them. −1 out of memory, −2 a
 * label used is not valid UTF-8 (reported). */
static int apply_value_labels(rs_ctx *x, tbl_col *c) {
    size_t n = 0;
    rs_label **set = malloc((x->nlabels ? x->nlabels : 1) * sizeof *set);
    if (!set) return -1;
    for (size_t j = 0; j < x->nlabels; j++)
        if (strcmp(x->labels[j].set, c->value_labels) == 0) set[n++] = &x->labels[j];
    qsort(set, n, sizeof *set, cmp_label);
    int rc = c->kind == TBL_ID ? label_ids(x, c, set, n) : label_values(x, c, set, n);
    free(set);
    return rc;
}

/* Buffered file access for ReadStat (its default reads each row with a
 * system call). */
typedef struct rs_io {
    FILE *f;
    int sav_rows_seen;   /* a .sav header was read: its case count is in sav_rows */
    int64_t sav_rows;    /* the header's count of observations (−1: unknown) */
    off_t last_set;      /* the last absolute seek's offset (−1: none) */
    off_t first_set;     /* the first absolute seek's past byte 0 (−1: none): a Stata file
                            before format 117 has its data there */
    bytes_digest digest; /* of the bytes read, in the order ReadStat asked for them */
} rs_io;

/* A .sav header's count of observations is a claim ReadStat 1.1.8 takes on
 * trust: it stops after that many rows, so a count below the file's rows
 * drops the rest silently, and an uncompressed file that says −1 (unknown,
 * as the format allows) reads as empty. The count is kept here and −1
 * handed on, so that ReadStat reads every row the data hold (to the end
 * code, the last block or the end of the file; its row limit is set to
 * INT_MAX for the uncompressed case), and rs_finish compares the two. The
 * count is at byte 80 of the 176-byte header, in the byte order that the
 * layout code at byte 64 (2 or 3) shows; −1 is the same in either. */
static void sav_header_rows(rs_io *io, unsigned char *head) {
    int32_t layout, rows;
    memcpy(&layout, head + 64, 4);
    memcpy(&rows, head + 80, 4);
    if (layout != 2 && layout != 3) {
        uint32_t u;
        memcpy(&u, &rows, 4);
        u = (u >> 24) | ((u >> 8) & 0xFF00u) | ((u << 8) & 0xFF0000u) | (u << 24);
        memcpy(&rows, &u, 4);
    }
    io->sav_rows = rows < 0 ? -1 : rows;
    io->sav_rows_seen = 1;
    memset(head + 80, 0xFF, 4);
}

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
    if (w == SEEK_SET) io->last_set = offset;
    if (w == SEEK_SET && offset > 0 && io->first_set < 0) io->first_set = offset;
    return ftello(io->f);
}

static ssize_t io_read(void *buf, size_t nbyte, void *ctx) {
    rs_io *io = ctx;
    off_t at = ftello(io->f);
    size_t got = fread(buf, 1, nbyte, io->f);
    digest_add(&io->digest, buf, got);
    if (at == 0 && got >= 84 && (memcmp(buf, "$FL2", 4) == 0 || memcmp(buf, "$FL3", 4) == 0))
        sav_header_rows(io, buf);
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
    rs_io io = {.f = NULL, .sav_rows = -1, .last_set = -1, .first_set = -1};
    set_io(p, &io);
    readstat_set_metadata_handler(p, rs_declares_utf8);
    readstat_parse_sav(p, path, &utf8);
    readstat_parser_free(p);
    if (io.f) fclose(io.f);
    return utf8;
}

/* A parser with the handlers and encodings of this read, reading through
 * io; NULL when out of memory. utf8: the .sav file declares UTF-8; labels:
 * ReadStat reads the value labels (not those of a Stata file before format
 * 108: dta_read_old_labels). */
static readstat_parser_t *rs_parser(const tbl *t, int utf8, int labels, rs_io *io) {
    readstat_parser_t *p = readstat_parser_init();
    if (!p) return NULL;
    readstat_set_metadata_handler(p, rs_metadata);
    readstat_set_variable_handler(p, rs_variable);
    readstat_set_value_handler(p, rs_value);
    if (labels) readstat_set_value_label_handler(p, rs_value_label);
    readstat_set_progress_handler(p, rs_progress);
    if (t->encoding == TBL_CP1252) {
        /* ISO-8859-1 to itself passes every byte through; rs_text converts
           them from Windows-1252 (glibc's WINDOWS-1252 refuses five bytes) */
        readstat_set_file_character_encoding(p, "ISO-8859-1");
        readstat_set_handler_character_encoding(p, "ISO-8859-1");
    }
    if (utf8) readstat_set_file_character_encoding(p, "UTF8");
    set_io(p, io);
    readstat_set_row_limit(p, INT_MAX); /* every row of a .sav (sav_header_rows) */
    return p;
}

/* A Stata file before format 117 has no tags: its data are the header's
 * count of rows from the end of the dictionary, and its value-label tables
 * follow them to the end of the file, where ReadStat goes by an absolute
 * seek after the data and reads tables until one does not fit (silently).
 * A count below the rows the file holds leaves the rest unread, and read
 * as tables: those do not end where the file ends. So the tables are
 * walked here, in the layouts a file of the format may have — Stata's, and
 * ReadStat's where it reads (and writes) another:
 *   DTA_NEW: a 4-byte length, a name of 33 bytes (from format 110; 9 in
 *     formats 108 and 109 by Stata's description, 33 as ReadStat reads and
 *     writes them, so both are tried there), 3 bytes of padding, then n,
 *     the text's length, n offsets, n values and the text (formats 108 to
 *     116; ReadStat's for 105 to 107);
 *   DTA_OLD: Stata's before format 108: a 2-byte n, a 9-byte name, a byte
 *     of padding, n 2-byte codes and n labels of 8 bytes;
 *   DTA_OLD_RS: ReadStat's for format 104: a 2-byte length (a multiple of
 *     8), a 12-byte name, 2 bytes of padding and that many bytes, a label
 *     of 8 bytes for each code from 0.
 * A name field (but the 12-byte one, which ReadStat fills as it likes) ends
 * in a NUL: a name is at most one byte shorter than its field. */
#define DTA_NEW 0
#define DTA_OLD 1
#define DTA_OLD_RS 2

/* the unsigned `bytes`-byte integer at p, in the file's byte order */
static uint32_t dta_uint(const unsigned char *p, int bytes, int big) {
    uint32_t v = 0;
    for (int i = 0; i < bytes; i++) v |= (uint32_t)p[i] << (8 * (big ? bytes - 1 - i : i));
    return v;
}

/* The most table headers read in all by one check of a file's count of
 * rows (dta_count_is_the_rows): a file's own tables are at most one per
 * variable, but a walk from each of many counts through a region of zeros,
 * which reads as tables of the layouts before format 108 (12 or 16 bytes
 * each), would read (region / 12)^2 / 2 of them. (A table that follows
 * the last is read without a seek, from the stream's buffer.) */
#define DTA_WALK_BUDGET 1000000

/* 1 when the tables from `at` in f (of `end` bytes; big: its byte order)
 * are tables of the layout (name: DTA_NEW's name width) that end exactly
 * at the end of the file, else 0 (also when it cannot be read); −1 when
 * *budget (table headers still to be read) ran out first. */
static int dta_walk(FILE *f, int big, off_t at, off_t end, int layout, int name, long *budget) {
    const int hdr = layout == DTA_NEW ? 4 + name + 3 : layout == DTA_OLD ? 12 : 16;
    const int want = layout == DTA_NEW ? hdr + 8 : hdr; /* bytes read: the header, n, txtlen */
    while (at < end) {
        if (*budget <= 0) return -1;
        --*budget;
        unsigned char b[48];
        if (end - at < want || (ftello(f) != at && fseeko(f, at, SEEK_SET) != 0) ||
            fread(b, 1, (size_t)want, f) != (size_t)want)
            return 0;
        uint64_t size; /* the table's bytes */
        if (layout == DTA_NEW) {
            const uint64_t len = dta_uint(b, 4, big), n = dta_uint(b + hdr, 4, big),
                           txtlen = dta_uint(b + hdr + 4, 4, big);
            if (b[4 + name - 1] != 0 || len < 8 || txtlen > len - 8 || n > (len - 8 - txtlen) / 8)
                return 0;
            size = (uint64_t)hdr + len;
        } else if (layout == DTA_OLD) {
            if (b[2 + 8] != 0) return 0;
            size = 12 + 10 * (uint64_t)dta_uint(b, 2, big);
        } else {
            const uint32_t len = dta_uint(b, 2, big);
            if (len > 0x7fff || len % 8) return 0; /* (ReadStat reads it signed) */
            size = 16 + (uint64_t)len;
        }
        if ((uint64_t)(end - at) < size) return 0;
        at += (off_t)size;
    }
    return at == end;
}

/* 1 when, from `at`, the file (f, of `end` bytes) holds the value-label
 * tables of a Stata file of format `version` (104 to 116) to its end, with
 * their layout in *layout and DTA_NEW's name width in *name; 0 when it does
 * not, −1 when *budget ran out (dta_walk). Stata's own layout is tried
 * first. */
static int dta_labels_end(FILE *f, int big, off_t at, off_t end, int version, long *budget,
                          int *layout, int *name) {
    int lay[2], width[2] = {33, 33}, n = 1;
    if (version >= 108) {
        lay[0] = DTA_NEW;
        if (version < 110) lay[n] = DTA_NEW, width[n++] = 9;
    } else {
        lay[0] = DTA_OLD;
        lay[n++] = version >= 105 ? DTA_NEW : DTA_OLD_RS;
    }
    for (int i = 0; i < n; i++) {
        const int r = dta_walk(f, big, at, end, lay[i], width[i], budget);
        if (r > 0) *layout = lay[i], *name = width[i];
        if (r != 0) return r;
    }
    return 0;
}

/* The most rows tried below the most the file could hold, looking for the
 * count after which its value labels end it. */
#define DTA_ROWS_TRIED 100000

/* Whether the header's count of observations is the rows a Stata file
 * before format 117 holds, its data from byte `data` on, rows of
 * record_len bytes: 1 when the value-label tables after that count of rows
 * end the file; 0 when they do not, with *held the rows after which they
 * do (the most such, counting down from the most the file could hold), or
 * −1 when no count tried is one (or DTA_WALK_BUDGET ran out first); 1 as
 * well when the file cannot be read again (ReadStat's parse said what it
 * had to) or its tables after the header's count outrun DTA_WALK_BUDGET. */
static int dta_count_is_the_rows(const char *path, int version, off_t data, uint64_t record_len,
                                 int64_t rows, int64_t *held) {
    *held = -1;
    FILE *f = fopen(path, "rb");
    if (!f) return 1;
    struct stat st;
    unsigned char head[2];
    int ok = 1;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode) || fread(head, 1, 2, f) != 2 ||
        data <= 0 || data > st.st_size || record_len == 0 || rows < 0)
        goto done;
    const int big = head[1] == 1; /* the byte order: 1 high first, 2 low first */
    const off_t end = st.st_size;
    const uint64_t most = (uint64_t)(end - data) / record_len;
    /* (tables beyond the budget: the count is taken, as it was before the
       check; the search for another stops, naming none) */
    long budget = DTA_WALK_BUDGET;
    int layout, name;
    ok = (uint64_t)rows <= most &&
         dta_labels_end(f, big, data + (off_t)((uint64_t)rows * record_len), end, version, &budget,
                        &layout, &name) != 0;
    for (uint64_t k = most + 1; !ok && k-- > 0 && most - k < DTA_ROWS_TRIED;) {
        const int r = dta_labels_end(f, big, data + (off_t)(k * record_len), end, version, &budget,
                                     &layout, &name);
        if (r < 0) break;
        if (r > 0) {
            *held = (int64_t)k;
            break;
        }
    }
done:
    fclose(f);
    return ok;
}

/* ------------------------------------------- value labels before format 108 */

/* ReadStat reads the value labels of a Stata file of formats 104 to 107 in
 * its own layouts only (DTA_OLD_RS for 104, DTA_NEW for 105 to 107), and
 * those of Stata's layout (DTA_OLD) as if they were in them: it gives none,
 * or labels made of other bytes, and may fail. So such a file is parsed
 * without ReadStat's value-label handler (dta_before_108), and its tables
 * are read here, in the layout whose tables end the file. */

/* 1 when path is a regular file that starts as a Stata file of format 104
 * to 107 (the release, the byte order 1 or 2), else 0 */
static int dta_before_108(const char *path) {
    struct stat st;
    unsigned char head[2];
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) return 0;
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    const int got = fread(head, 1, 2, f) == 2;
    fclose(f);
    return got && head[0] >= 104 && head[0] <= 107 && (head[1] == 1 || head[1] == 2);
}

/* 1 when a requested column uses the value-label set set[0..len) */
static int set_wanted(const rs_ctx *x, const char *set, size_t len) {
    for (size_t i = 0; i < x->t->ncols; i++) {
        const char *v = x->t->cols[i].value_labels;
        if (v && strlen(v) == len && memcmp(v, set, len) == 0) return 1;
    }
    return 0;
}

/* The label raw[0..len) (Windows-1252, as ReadStat takes the text of these
 * formats to be) of `value` in the set set[0..setlen), kept when a requested
 * column uses the set. 0, or −1 out of memory (reported). */
static int keep_old_label(rs_ctx *x, const char *set, size_t setlen, double value,
                          const unsigned char *raw, size_t len) {
    if (!set_wanted(x, set, setlen)) return 0;
    const char *text = from_cp1252(x, (const char *)raw, &len);
    if (text && keep_label(x, set, setlen, value, text, len)) return 0;
    set_error(&x->e, "%s: out of memory", x->t->path);
    return -1;
}

/* the signed integer of `bytes` bytes (2 or 4) at p, in the file's byte order */
static double dta_int(const unsigned char *p, int bytes, int big) {
    const uint32_t u = dta_uint(p, bytes, big);
    const double span = bytes == 2 ? 65536.0 : 4294967296.0;
    return u >= (uint32_t)(span / 2) ? (double)u - span : (double)u;
}

/* The labels of one table: its header h (hdr bytes) and body b[0..len) in
 * `layout` (name: DTA_NEW's name width). 0, or −1 with the error set. */
static int dta_old_table(rs_ctx *x, const unsigned char *h, const unsigned char *b, size_t len,
                         int layout, int name, int big) {
    const char *set = (const char *)h + (layout == DTA_NEW ? 4 : 2);
    const size_t setlen = strnlen(set, layout == DTA_OLD   ? 9
                                       : layout == DTA_NEW ? (size_t)name
                                                           : 12);
    if (layout == DTA_OLD) { /* n codes of 2 bytes, then n labels of 8 */
        const size_t n = len / 10;
        for (size_t i = 0; i < n; i++) {
            const unsigned char *l = b + 2 * n + 8 * i;
            if (keep_old_label(x, set, setlen, dta_int(b + 2 * i, 2, big), l,
                               strnlen((const char *)l, 8)) != 0)
                return -1;
        }
    } else if (layout == DTA_OLD_RS) { /* a label of 8 bytes for each code from 0 */
        for (size_t i = 0; i < len / 8; i++) {
            const size_t l = strnlen((const char *)b + 8 * i, 8);
            if (l > 0 && keep_old_label(x, set, setlen, (double)i, b + 8 * i, l) != 0) return -1;
        }
    } else { /* n, the text's length, n offsets into it, n values, the text */
        const uint32_t n = len >= 8 ? dta_uint(b, 4, big) : 0,
                       txtlen = len >= 8 ? dta_uint(b + 4, 4, big) : 0;
        if (len < 8 || txtlen > len - 8 || n > (len - 8 - txtlen) / 8) { /* (as dta_walk) */
            set_error(&x->e, "%s: cannot read its value labels: the file changed while it was read",
                      x->t->path);
            return -1;
        }
        const unsigned char *txt = b + 8 + 8 * (size_t)n;
        for (uint32_t i = 0; i < n; i++) {
            const uint32_t off = dta_uint(b + 8 + 4 * (size_t)i, 4, big);
            if (off >= txtlen) {
                char shown[200];
                set_error(&x->e,
                          "%s: not a readable Stata file: its value-label table \"%s\" is "
                          "damaged: label %u of %u starts at byte %u of a text of %u bytes; save "
                          "it again from Stata or the program that made it",
                          x->t->path, show_text(set, setlen, shown, sizeof shown), i + 1, n, off,
                          txtlen);
                return -1;
            }
            const double value = dta_int(b + 8 + 4 * ((size_t)n + i), 4, big);
            if (keep_old_label(x, set, setlen, value, txt + off,
                               strnlen((const char *)txt + off, txtlen - off)) != 0)
                return -1;
        }
    }
    return 0;
}

/* The value labels of a Stata file before format 108, whose tables run from
 * byte `at` to the end of the file (its rows checked: dta_count_is_the_rows):
 * read in the layout in which they end the file (dta_labels_end), the labels
 * of the sets that requested columns use kept as ReadStat's are for later
 * formats. 0, or −1 with the error set. */
static int dta_read_old_labels(rs_ctx *x, off_t at) {
    const char *path = x->t->path;
    errno = 0;
    FILE *f = fopen(path, "rb");
    struct stat st;
    unsigned char head[2];
    unsigned char *body = NULL;
    size_t cap = 0;
    int rc = -1;
    if (!f || fstat(fileno(f), &st) != 0 || fread(head, 1, 2, f) != 2) {
        set_error(&x->e, "%s: cannot read its value labels: %s", path,
                  errno ? strerror(errno) : "the file is shorter than before");
        goto done;
    }
    const int big = head[1] == 1;
    const off_t end = st.st_size;
    long budget = LONG_MAX; /* one walk: as many tables as the file holds */
    int layout = DTA_OLD, name = 33;
    if (at < 0 || at > end ||
        dta_labels_end(f, big, at, end, x->version, &budget, &layout, &name) <= 0) {
        set_error(&x->e,
                  "%s: not a readable Stata file: what follows its %lld observations is not "
                  "the value labels that end a Stata file of format %d (the file is damaged); "
                  "save it again from Stata or the program that made it",
                  path, (long long)x->rows, x->version);
        goto done;
    }
    const int hdr = layout == DTA_NEW ? 4 + name + 3 : layout == DTA_OLD ? 12 : 16;
    while (at < end) {
        unsigned char h[48];
        if (fseeko(f, at, SEEK_SET) != 0 || fread(h, 1, (size_t)hdr, f) != (size_t)hdr) break;
        const size_t len = layout == DTA_NEW   ? dta_uint(h, 4, big)
                           : layout == DTA_OLD ? 10 * (size_t)dta_uint(h, 2, big)
                                               : dta_uint(h, 2, big);
        if ((uint64_t)(end - at) < (uint64_t)hdr + len) break; /* (dta_walk's check) */
        if (len > cap) {
            unsigned char *nb = realloc(body, len);
            if (!nb) {
                set_error(&x->e, "%s: out of memory for a value-label table of %zu bytes", path,
                          len);
                goto done;
            }
            body = nb;
            cap = len;
        }
        if (len > 0 && fread(body, 1, len, f) != len) break;
        if (dta_old_table(x, h, body, len, layout, name, big) != 0) goto done;
        at += (off_t)(hdr + len);
    }
    if (at != end)
        set_error(&x->e, "%s: cannot read its value labels: the file changed while it was read",
                  path);
    else
        rc = 0;
done:
    free(body);
    if (f) fclose(f);
    return rc;
}

/* After the parse: what ReadStat said (e), then every requested variable
 * found and its value labels applied, the observations, and under
 * --encoding windows-1252 text that does not read as UTF-8 too. */
static void rs_finish(rs_ctx *x, const rs_io *io, readstat_error_t e) {
    tbl *t = x->t;
    if (!x->e.failed && e == READSTAT_ERROR_OPEN)
        set_error(&x->e, "%s: cannot open: %s", t->path, strerror(errno));
    /* A Stata file before format 117: is the header's count of observations
       the rows the file holds (the value labels after them end the file)?
       A count that is not either reads (too low: rows dropped) or fails in
       ReadStat's own words (far off, or too high without value labels). */
    const int old = !x->sav && x->version >= 104 && x->version < 117 && io->first_set > 0;
    /* (a row's bytes as ReadStat went past them to the value labels, where it did) */
    if (old && e == READSTAT_OK && x->rows > 0 && io->last_set > io->first_set &&
        (uint64_t)(io->last_set - io->first_set) % (uint64_t)x->rows == 0)
        x->record_len = (uint64_t)(io->last_set - io->first_set) / (uint64_t)x->rows;
    const int old_error = old && (e == READSTAT_ERROR_MALLOC || e == READSTAT_ERROR_READ);
    int64_t rows_held = -1;
    const int count_wrong = !x->e.failed && (e == READSTAT_OK || old_error) && old &&
                            !dta_count_is_the_rows(t->path, x->version, io->first_set,
                                                   x->record_len, x->rows, &rows_held);
    if (count_wrong && rows_held >= 0)
        set_error(&x->e,
                  "%s: not a readable Stata file: its header says %lld observations, but its "
                  "data hold %lld (the value labels that end a Stata file follow that many "
                  "rows: the file was changed by a program that left the header as it was, or "
                  "is damaged); save it again from Stata or the program that made it",
                  t->path, (long long)x->rows, (long long)rows_held);
    char count_hint[256] = "";
    if (old_error && count_wrong)
        snprintf(count_hint, sizeof count_hint,
                 " (in a Stata file before format 117, as here, so too a header whose count of "
                 "observations, %lld, is not the rows the file holds: save it again from Stata "
                 "or the program that made it)",
                 (long long)x->rows);
    if (!x->e.failed && e != READSTAT_OK)
        set_error(&x->e, "%s: not a readable %s file: %s%s", t->path, x->sav ? "SPSS" : "Stata",
                  readstat_error_message(e),
                  e == READSTAT_ERROR_CONVERT_BAD_STRING || e == READSTAT_ERROR_CONVERT
                      ? CP1252_HINT
                      : count_hint);
    if (!x->e.failed && t->chunk_rows && tbl_flush(t) != 0) x->e.failed = 1;
    /* (before format 108: the tables after the rows, read here) */
    int labelled = 0;
    for (size_t i = 0; i < t->ncols; i++)
        labelled |= t->cols[i].index >= 0 && t->cols[i].value_labels;
    if (!x->e.failed && !count_wrong && x->own_labels && labelled) {
        if (io->first_set <= 0 || x->rows < 0 || x->version >= 108)
            set_error(&x->e,
                      "%s: cannot read its value labels: where its data end is not known "
                      "(format %d)",
                      t->path, x->version);
        else
            dta_read_old_labels(x, io->first_set + (off_t)((uint64_t)x->rows * x->record_len));
    }
    for (size_t i = 0; i < t->ncols && !x->e.failed; i++) {
        tbl_col *c = &t->cols[i];
        if (c->index < 0) {
            no_such_column(&x->e, t->path, "variable", "the file", c, x->names, x->nnames);
        } else if (c->value_labels) {
            int rc = apply_value_labels(x, c);
            if (rc == -1) set_error(&x->e, "%s: out of memory", t->path);
        }
    }
    if (!x->e.failed && count_wrong)
        set_error(&x->e,
                  "%s: not a readable Stata file: its header says %lld observations, but what "
                  "follows them is not the value labels that end a Stata file (the file was "
                  "changed by a program that left the header as it was, or is damaged); save "
                  "it again from Stata or the program that made it",
                  t->path, (long long)x->rows);
    int64_t held = t->row_base + (int64_t)t->nrows;
    if (!x->e.failed && x->sav && io->sav_rows_seen && io->sav_rows >= 0 && held != io->sav_rows)
        set_error(&x->e,
                  "%s: not a readable SPSS file: its header says %lld observations, but its "
                  "data hold %lld (the file was cut short, or changed by a program that left "
                  "the header as it was); save it again from SPSS or the program that made it",
                  t->path, (long long)io->sav_rows, (long long)held);
    if (!x->e.failed && held == 0) set_error(&x->e, "%s: no observations", t->path);
    char twice[1024];
    if (!x->e.failed && t->encoding == TBL_CP1252 &&
        u8_watch_refuses(&x->watch, twice, sizeof twice))
        set_error(&x->e, "%s: %s", t->path, twice);
}

static void rs_ctx_free(rs_ctx *x) {
    for (size_t j = 0; j < x->nlabels; j++) {
        free(x->labels[j].set);
        free(x->labels[j].label);
        free(x->labels[j].svalue);
    }
    free(x->labels);
    for (size_t j = 0; j < x->nnames; j++) free(x->names[j]);
    free(x->names);
    tbl_fieldmap_free(&x->map);
    free(x->conv);
}

int read_readstat(tbl *t, int sav, char *err, size_t errcap) {
    int utf8 = sav && t->encoding != TBL_CP1252 && sav_declares_utf8(t->path);
    const int own_labels = !sav && dta_before_108(t->path);
    rs_io io = {.f = NULL, .sav_rows = -1, .last_set = -1, .first_set = -1};
    readstat_parser_t *p = rs_parser(t, utf8, !own_labels, &io);
    if (!p) {
        snprintf(err, errcap, "%s: out of memory", t->path);
        return 1;
    }
    rs_ctx x = {.t = t,
                .e = {err, errcap, 0},
                .na = na_set_of(t->na_values),
                .sav = sav,
                .pr = {.on = t->progress},
                .own_labels = own_labels};
    struct stat st;
    if (stat(t->path, &st) == 0 && st.st_size > 0) x.file_size = (uint64_t)st.st_size;
    readstat_error_t e =
        sav ? readstat_parse_sav(p, t->path, &x) : readstat_parse_dta(p, t->path, &x);
    readstat_parser_free(p);
    if (io.f) fclose(io.f);
    progress_done(&x.pr);
    rs_finish(&x, &io, e);
    t->digest = digest_value(&io.digest);
    rs_ctx_free(&x);
    return x.e.failed;
}
