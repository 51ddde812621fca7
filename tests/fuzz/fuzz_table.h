/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/fuzz/fuzz_table.h — the socind command's reader (cli/table.h) on a
 * file made of the fuzzer's bytes: fuzz_csv.c and fuzz_readstat.c differ
 * only in the file's extension (CSV, or .dta/.sav/.zsav chosen by a byte).
 *
 * Input layout (corpus files follow it; make_seeds.c writes the binary ones):
 *   byte 0   the extension (fuzz_readstat.c: index into its list; CSV: unused)
 *   byte 1   bit 0 decimal comma; bits 1-2 delimiter (detect, ',', ';', tab);
 *            bits 3-4 encoding (UTF-8, Windows-1252, UTF-8, an unknown code);
 *            bits 5-7 the missing-value spellings (NULL = the defaults, or
 *            one of the lists below)
 *   byte 2   columns requested: 1 + (b & 3); bit 2: keep the rows of one
 *            label of the first label column (tbl_keep); bits 3-7 its value
 *   then a byte per column: bits 0-2 the name (list below), bit 3 the kind
 *            (number, or with bit 4 clear a label column, set a design id)
 *   the rest: the file's bytes.
 *
 * Checked: no crash, out-of-bounds access, leak or undefined behaviour; a
 * failed read returns 1 with a message that names the file; a successful
 * one has rows, every requested column found, numbers finite or NaN,
 * label codes in [−1, n_labels) naming distinct NUL-terminated labels
 * (a design id's value labels, where there are any, one per label),
 * missing counts within the rows, CSV lines increasing (observation numbers
 * 1, 2, … for .dta/.sav), records 1, 2, …, and tbl_keep keeps exactly the
 * rows of its label, in order, each with its record and its missing count;
 * the rows reserved are at most twice the rows read or the file's bytes
 * (at least 1024), whatever a header claims.
 * Labels read as UTF-8 are valid UTF-8. */
#ifndef SOCIND_FUZZ_TABLE_H
#define SOCIND_FUZZ_TABLE_H

#include "fuzz.h"

#include <unistd.h>

#include "table.h"

static const char *const fz_names[8] = {"y", "w", "g", "id", "area", "note", "x", "a b"};
static const char *const fz_na_1[] = {"", NULL};
static const char *const fz_na_2[] = {"NA", "-", "n/a", "", NULL};
static const char *const fz_na_3[] = {"-999", ".", NULL};
static const char *const fz_na_4[] = {NULL};

static char fz_path[256];

static void fz_remove_file(void) {
    if (fz_path[0]) unlink(fz_path);
}

static int fz_utf8_valid(const unsigned char *s) {
    while (*s) {
        unsigned c = *s;
        int extra = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : -1;
        if (extra < 0 || (extra == 1 && c < 0xC2)) return 0;
        s++;
        for (int i = 0; i < extra; i++, s++)
            if ((*s & 0xC0) != 0x80) return 0;
    }
    return 1;
}

/* 1 if the number v read from the file breaks the contract (±Inf is never
 * a value: the readers refuse it) */
static int fz_bad_number(double v) {
    return !(isnan(v) || isfinite(v));
}

static void fz_check_table(tbl *t) {
    FZ_CHECK(t->nrows > 0 && t->nrows <= t->cap, "read succeeded with %zu rows (cap %zu)", t->nrows,
             t->cap);
    for (size_t r = 0; r < t->nrows; r++) {
        if (t->is_csv)
            FZ_CHECK(t->line[r] >= 1 && (r == 0 || t->line[r] > t->line[r - 1]),
                     "row %zu starts on line %lld after %lld", r, (long long)t->line[r],
                     (long long)(r ? t->line[r - 1] : 0));
        else
            FZ_CHECK(t->line[r] == (int64_t)r + 1, "row %zu is observation %lld", r,
                     (long long)t->line[r]);
        FZ_CHECK(t->record[r] == (int64_t)r + 1, "row %zu is record %lld", r,
                 (long long)t->record[r]);
    }
    for (size_t i = 0; i < t->ncols; i++) {
        tbl_col *c = &t->cols[i];
        FZ_CHECK(c->index >= 0, "column \"%s\" read without a position", c->name);
        FZ_CHECK(c->n_missing >= 0 && (size_t)c->n_missing <= t->nrows,
                 "column \"%s\": %lld missing of %zu rows", c->name, (long long)c->n_missing,
                 t->nrows);
        if (c->kind == TBL_NUM) {
            FZ_CHECK(c->num != NULL, "number column \"%s\" without values", c->name);
            for (size_t r = 0; r < t->nrows; r++)
                FZ_CHECK(!fz_bad_number(c->num[r]), "column \"%s\", row %zu: %g", c->name, r,
                         c->num[r]);
            continue;
        }
        FZ_CHECK(c->code != NULL, "label column \"%s\" without codes", c->name);
        FZ_CHECK(c->n_labels >= 0, "column \"%s\": %d labels", c->name, (int)c->n_labels);
        for (size_t r = 0; r < t->nrows; r++)
            FZ_CHECK(c->code[r] >= -1 && c->code[r] < c->n_labels,
                     "column \"%s\", row %zu: code %d of %d labels", c->name, r, (int)c->code[r],
                     (int)c->n_labels);
        for (int32_t k = 0; k < c->n_labels; k++) {
            FZ_CHECK(c->labels[k] != NULL, "column \"%s\": label %d is NULL", c->name, (int)k);
            size_t len = strlen(c->labels[k]);
            if (t->encoding == TBL_UTF8)
                FZ_CHECK(fz_utf8_valid((const unsigned char *)c->labels[k]),
                         "column \"%s\": label %d is not UTF-8", c->name, (int)k);
            for (int32_t j = 0; j < k && c->n_labels <= 256; j++)
                FZ_CHECK(strcmp(c->labels[j], c->labels[k]) != 0 || len == 0,
                         "column \"%s\": labels %d and %d are both \"%s\"", c->name, (int)j, (int)k,
                         c->labels[k]);
            if (c->value_label && c->value_label[k] && t->encoding == TBL_UTF8)
                FZ_CHECK(fz_utf8_valid((const unsigned char *)c->value_label[k]),
                         "column \"%s\": the value label of %d is not UTF-8", c->name, (int)k);
        }
        FZ_CHECK(c->kind == TBL_ID || c->value_label == NULL,
                 "column \"%s\" of kind %d has value labels beside its labels", c->name, c->kind);
    }
    char where[64];
    for (size_t r = 0; r <= t->nrows; r += t->nrows > 2 ? t->nrows - 1 : 1)
        FZ_CHECK(tbl_where(t, r, where, sizeof where) && where[0], "tbl_where(%zu) is empty", r);
}

/* ext: the file's extension, with its dot */
static int fz_table_one(const uint8_t *data, size_t size, const char *ext) {
    fz_in in = {data, size};
    fz_byte(&in); /* the extension: chosen by the caller */
    uint8_t o = fz_byte(&in), cols = fz_byte(&in);
    tbl t;
    memset(&t, 0, sizeof t);
    if (!fz_path[0]) atexit(fz_remove_file);
    const char *dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(fz_path, sizeof fz_path, "%s/socind-fuzz-%ld%s", dir, (long)getpid(), ext);
    t.path = fz_path;
    t.decimal_comma = o & 1;
    static const int delims[4] = {0, ',', ';', '\t'};
    t.delimiter = delims[(o >> 1) & 3];
    static const int encodings[4] = {TBL_UTF8, TBL_CP1252, TBL_UTF8, 7};
    t.encoding = encodings[(o >> 3) & 3];
    const char *const *na[8] = {NULL, fz_na_1, fz_na_2, fz_na_3, fz_na_4, NULL, NULL, NULL};
    t.na_values = na[o >> 5];
    int ncols = 1 + (cols & 3);
    for (int i = 0; i < ncols; i++) {
        uint8_t b = fz_byte(&in);
        int kind = !((b >> 3) & 1) ? TBL_NUM : (b >> 4) & 1 ? TBL_ID : TBL_LABEL;
        int k = tbl_want(&t, fz_names[b & 7], "fuzz", kind);
        FZ_CHECK(k >= 0 && (size_t)k < t.ncols, "tbl_want gave %d", k);
    }
    FILE *f = fopen(fz_path, "wb");
    if (!f) {
        perror(fz_path);
        abort();
    }
    if (in.n && fwrite(in.p, 1, in.n, f) != in.n) abort();
    if (fclose(f) != 0) abort();

    char err[512];
    memset(err, FZ_POISON, sizeof err);
    int rc = tbl_read(&t, err, sizeof err);
    FZ_CHECK(rc == 0 || rc == 1, "tbl_read returned %d", rc);
    if (getenv("FUZZ_TRACE")) fprintf(stderr, "tbl_read: %s\n", rc ? err : "ok");
    if (rc) {
        FZ_CHECK(memchr(err, 0, sizeof err) != NULL, "the error message is not terminated");
        FZ_CHECK(strncmp(err, fz_path, strlen(fz_path)) == 0,
                 "the error message does not start with the file's name: \"%s\"", err);
    } else {
        fz_check_table(&t);
        if (cols & 4) {
            for (size_t i = 0; i < t.ncols; i++) {
                tbl_col *c = &t.cols[i];
                if (c->kind == TBL_NUM || c->n_labels == 0) continue;
                int32_t want = (cols >> 3) % c->n_labels;
                char *value = strdup(c->labels[want]);
                if (!value) abort();
                size_t before = t.nrows, expect = 0;
                for (size_t r = 0; r < before; r++) expect += c->code[r] == want;
                size_t kept = tbl_keep(&t, (int)i, value);
                FZ_CHECK(kept == t.nrows && kept == expect,
                         "tbl_keep(\"%s\") kept %zu of %zu rows, %zu have the label", value, kept,
                         before, expect);
                for (size_t r = 1; r < kept; r++)
                    FZ_CHECK(t.record[r] > t.record[r - 1], "tbl_keep: record %lld after %lld",
                             (long long)t.record[r], (long long)t.record[r - 1]);
                for (size_t k = 0; k < t.ncols; k++) {
                    int64_t missing = 0;
                    for (size_t r = 0; r < kept; r++)
                        missing += t.cols[k].kind == TBL_NUM ? isnan(t.cols[k].num[r])
                                                             : t.cols[k].code[r] < 0;
                    FZ_CHECK(missing == t.cols[k].n_missing,
                             "tbl_keep: column \"%s\" counts %lld missing of %lld", t.cols[k].name,
                             (long long)t.cols[k].n_missing, (long long)missing);
                }
                /* codes are renumbered after tbl_keep: compare the labels */
                for (size_t r = 0; r < kept; r++)
                    FZ_CHECK(c->code[r] >= 0 && c->code[r] < c->n_labels &&
                                 strcmp(c->labels[c->code[r]], value) == 0,
                             "tbl_keep left a row with code %d, not label \"%s\"", (int)c->code[r],
                             value);
                free(value);
                break;
            }
        }
    }
    /* the reservation is bounded by what the file holds (a row takes at
       least a byte), not by a row count its header claims */
    size_t bound = t.nrows > in.n ? t.nrows : in.n;
    bound = 2 * (bound > 1024 ? bound : 1024);
    FZ_CHECK(t.cap <= bound, "%zu rows reserved for a file of %zu bytes (%zu rows read)", t.cap,
             in.n, t.nrows);
    tbl_free(&t);
    return 0;
}

#endif
