/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cli/output.h — writing a table as CSV or JSON, all or nothing.
 *
 * With a file name the table is written to a temporary file next to it and
 * renamed over it only when complete, so a failed command leaves no partial
 * file. Standard output is written only after every figure has been computed.
 */
#ifndef SOCIND_CLI_OUTPUT_H
#define SOCIND_CLI_OUTPUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define OUT_CSV 0
#define OUT_JSON 1
#define OUT_RAW 2 /* no table framing: the caller writes to w.f */

typedef struct outw {
    FILE *f;
    int format;
    const char *path; /* NULL: standard output */
    char *tmp;        /* temporary file name */
    int ncols;
    const char *const *names;
    int col;
    long long rows;
} outw;

/* Opens the output and writes the header (CSV) or the opening bracket (JSON).
 * Returns 0, or 1 with a message in err. */
int outw_open(outw *w, const char *path, int format, int ncols, const char *const *names, char *err,
              size_t errcap);

/* Cells, left to right; a row ends after ncols cells. NULL / NaN = missing
 * (an empty CSV cell, JSON null). */
void outw_str(outw *w, const char *s);
/* A number: decimals < 0 writes %.17g (round-trips), else that many decimals. */
void outw_num(outw *w, double v, int decimals);
void outw_int(outw *w, long long v);

/* Finishes: ok = 1 commits (renames the temporary file), ok = 0 discards.
 * Returns 0, or 1 with a message in err (a write error). */
int outw_close(outw *w, int ok, char *err, size_t errcap);

#endif
