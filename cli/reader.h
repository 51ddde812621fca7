/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cli/reader.h — what the table (table.c), tbl_read (reader.c) and the two
 * readers (csv_reader.c, readstat_reader.c) share; private to them. The
 * commands and the fuzz harnesses use table.h only.
 */
#ifndef SOCIND_CLI_READER_H
#define SOCIND_CLI_READER_H

#include "numbers.h"
#include "table.h"

#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* ------------------------------------------------------------------ table.c */

/* Room for `rows` rows in t->line, t->record and every column (doubling);
 * 0, or −1 when out of memory. */
int tbl_reserve(tbl *t, size_t rows);

/* The code of the label s[0..len) in column c, added if new with the number
 * behind it (`value`: NaN for text); −2 on allocation failure, −3 when the
 * column already has TBL_MAX_LABELS distinct values. */
int32_t tbl_intern(tbl_col *c, const char *s, size_t len, double value);

/* splitmix64's finalizer: the hash of a number's bits */
static inline uint32_t tbl_mix64(uint64_t x) {
    x ^= x >> 30;
    x *= 0xBF58476D1CE4E5B9ull;
    x ^= x >> 27;
    x *= 0x94D049BB133111EBull;
    x ^= x >> 31;
    return (uint32_t)x;
}

/* tbl_intern_number for a number not seen yet in c (bits: its bits) */
int32_t tbl_intern_new_number(tbl_col *c, double d, uint64_t bits);

/* The code of a number read from a .dta/.sav variable, written as the
 * shortest text that reads back as the same double (so two numbers are
 * never one label) the first time it is seen; a hash on its bits spares the
 * formatting after. −0 is 0. Returns as tbl_intern. (Inline: every number
 * of a label column passes here.) */
static inline int32_t tbl_intern_number(tbl_col *c, double d) {
    if (d == 0) d = 0; /* −0 */
    uint64_t bits;
    memcpy(&bits, &d, sizeof bits);
    if (c->num_cap > 0) {
        uint32_t mask = (uint32_t)(c->num_cap - 1);
        for (uint32_t j = tbl_mix64(bits) & mask; c->num_code[j] >= 0; j = (j + 1) & mask)
            if (c->num_key[j] == bits) return c->num_code[j];
    }
    return tbl_intern_new_number(c, d, bits);
}

/* What is wrong with a cell (tbl_store's answers but CELL_NOT_UTF8, which
 * is the readers'). */
#define CELL_OK 0
#define CELL_NOT_A_NUMBER 1 /* a number column's text is not a number */
#define CELL_TOO_MANY 2     /* a label column's TBL_MAX_LABELS + 1st distinct value */
#define CELL_NO_MEMORY 3
#define CELL_NOT_UTF8 4 /* the text is not valid UTF-8 */

/* Stores the cell of column c in row `row` (reserved): missing (missing 1:
 * NaN or code −1, counted in n_missing), or the trimmed text s[0..len) — a
 * number under the file's rule (t->decimal_comma) or a label — or, with s
 * NULL, the .dta/.sav number d. Returns CELL_OK or what is wrong (the cell
 * is then left as it was). Inline: every cell of a requested column passes
 * here. */
static inline int tbl_store(tbl *t, tbl_col *c, size_t row, int missing, const char *s, size_t len,
                            double d) {
    if (missing) {
        c->n_missing++;
        if (c->kind == TBL_NUM)
            c->num[row] = NAN;
        else
            c->code[row] = -1;
        return CELL_OK;
    }
    if (c->kind == TBL_NUM) {
        if (s && number_parse(s, len, t->decimal_comma, &d) < 0) return CELL_NOT_A_NUMBER;
        c->num[row] = d;
        return CELL_OK;
    }
    int32_t k = s ? tbl_intern(c, s, len, NAN) : tbl_intern_number(c, d);
    if (k == -3) return CELL_TOO_MANY;
    if (k < 0) return CELL_NO_MEMORY;
    c->code[row] = k;
    return CELL_OK;
}

/* ------------------------------------------------------------------ the bytes read */

/* A checksum of a stream of bytes: those a read takes in from the file, in
 * the order it takes them, to tell two readings of a file apart (stream.c
 * reads a file again for the passes of rank-based estimates: a file
 * rewritten in place to the same size and given its modification time back
 * is seen only in its bytes), and each chunk of rows stream.c keeps on disk,
 * checked as it is read back. Not cryptographic: it catches a change, not a
 * forgery. Four lanes of a multiply-xorshift over 8-byte words, each word's
 * place in the stream kept by the lane it goes to and the count of bytes;
 * independent of how the bytes are cut into calls. Start from a zeroed one. */
typedef struct bytes_digest {
    uint64_t lane[4];
    unsigned char part[32]; /* bytes short of a block of 32 */
    size_t npart;
    uint64_t total;
} bytes_digest;

/* One word w into a lane: for any lane a bijection of w, for any w a
 * bijection of the lane. */
static inline uint64_t digest_step(uint64_t lane, uint64_t w) {
    lane = (lane ^ w) * 0x9E3779B97F4A7C15ull;
    return lane ^ (lane >> 29);
}

/* One block of 32 bytes into the lanes. */
static inline void digest_block(bytes_digest *d, const unsigned char *p) {
    uint64_t w[4];
    memcpy(w, p, sizeof w);
    for (int i = 0; i < 4; i++) d->lane[i] = digest_step(d->lane[i], w[i]);
}

/* Adds p[0..n). (Inline: every byte of a file read, and of the command's
 * rows kept on disk, passes here.) */
static inline void digest_add(bytes_digest *d, const void *data, size_t n) {
    const unsigned char *p = data;
    if (n == 0) return; /* (data may then be NULL: no memcpy from it) */
    d->total += n;
    if (d->npart) {
        size_t take = 32 - d->npart < n ? 32 - d->npart : n;
        memcpy(d->part + d->npart, p, take);
        d->npart += take;
        p += take;
        n -= take;
        if (d->npart < 32) return;
        digest_block(d, d->part);
        d->npart = 0;
    }
    /* (the four lanes in variables of their own: their steps overlap) */
    uint64_t h0 = d->lane[0], h1 = d->lane[1], h2 = d->lane[2], h3 = d->lane[3], w[4];
    for (; n >= 32; p += 32, n -= 32) {
        memcpy(w, p, sizeof w);
        h0 = digest_step(h0, w[0]);
        h1 = digest_step(h1, w[1]);
        h2 = digest_step(h2, w[2]);
        h3 = digest_step(h3, w[3]);
    }
    d->lane[0] = h0, d->lane[1] = h1, d->lane[2] = h2, d->lane[3] = h3;
    memcpy(d->part, p, n);
    d->npart = n;
}

/* The checksum of the bytes added so far (d is left as it was). */
uint64_t digest_value(const bytes_digest *d);

/* ------------------------------------------------------------------ reader.c */

/* The first error of a read, kept (later ones are consequences). */
typedef struct errbuf {
    char *err;
    size_t errcap;
    int failed;
} errbuf;

/* Writes the message into e->err, cut (if need be) where it stays valid
 * UTF-8, unless an earlier one is there; marks the read failed. */
void set_error(errbuf *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* "AT: no column "NAME" (named by --OPT); the header has: A, B, …[; did you
 * mean "X"?]" (noun "column", holder "the header"; "variable", "the file"). */
void no_such_column(errbuf *e, const char *at, const char *noun, const char *holder,
                    const tbl_col *c, char *const *names, size_t n);

/* The message for what is wrong (rc, not CELL_OK) with the cell s[0..len) of
 * column c: "AT "NAME" (--OPT): "TEXT" is not a number: ADVICE", "AT "NAME"
 * (--OPT) has more than N distinct values", "AT "NAME" (--OPT): not valid
 * UTF-8 (byte 0xNN in "TEXT")…", "PATH: out of memory". `at` is where the
 * cell is, with the noun: "PATH:LINE:COL: column" (CSV; for text that is
 * not UTF-8, the line of its first invalid byte) or "PATH: observation N,
 * variable" (.dta/.sav). */
void cell_error(errbuf *e, int rc, const tbl *t, const char *at, const tbl_col *c, const char *s,
                size_t len);

/* Room for `at` above, or "PATH:LINE" (a path the system opened is shorter
 * than PATH_MAX). */
#define AT_CAP (PATH_MAX + 100)

/* Progress on stderr (when on), at most every quarter second, after the
 * first second. Start from a zeroed progress with `on` set. */
typedef struct progress {
    int on;
    int shown;
    double start, last;
} progress;

void progress_show(progress *p, const char *path, double fraction);
/* Clears the progress line, if one was shown. */
void progress_done(progress *p);

/* Chunked reads (tbl_read_chunks): hands the rows held to the sink (none
 * held: nothing), then drops them (row_base moves on). 0, or −1 when the
 * sink stopped the read (t->sink_stopped set). */
int tbl_flush(tbl *t);

/* ------------------------------------------------------------------ the readers */

/* Read the file as tbl_read says (table.h): 0, or 1 with the message in err. */
int read_csv(tbl *t, char *err, size_t errcap);               /* csv_reader.c */
int read_readstat(tbl *t, int sav, char *err, size_t errcap); /* readstat_reader.c */

#endif
