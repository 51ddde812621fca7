/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cli/reader.h — what the table (table.c), tbl_read (reader.c) and the two
 * readers (csv_reader.c, readstat_reader.c) share; private to them. The
 * commands and the fuzz harnesses use table.h only.
 */
#ifndef SOCIND_CLI_READER_H
#define SOCIND_CLI_READER_H

#include "table.h"

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

/* ------------------------------------------------------------------ table.c */

/* Room for `rows` rows in t->line, t->record and every column (doubling);
 * 0, or −1 when out of memory. */
int tbl_reserve(tbl *t, size_t rows);

/* The code of the label s[0..len) in column c, added if new with the number
 * behind it (`value`: NaN for text); −2 on allocation failure, −3 when the
 * column already has TBL_MAX_LABELS distinct values. */
int32_t tbl_intern(tbl_col *c, const char *s, size_t len, double value);

/* The code of a number read from a .dta/.sav variable, written as the
 * shortest text that reads back as the same double (so two numbers are
 * never one label); −0 is 0. Returns as tbl_intern. */
int32_t tbl_intern_number(tbl_col *c, double d);

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
 * is then left as it was). */
int tbl_store(tbl *t, tbl_col *c, size_t row, int missing, const char *s, size_t len, double d);

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

/* ------------------------------------------------------------------ the readers */

/* Read the file as tbl_read says (table.h): 0, or 1 with the message in err. */
int read_csv(tbl *t, char *err, size_t errcap);               /* csv_reader.c */
int read_readstat(tbl *t, int sav, char *err, size_t errcap); /* readstat_reader.c */

#endif
