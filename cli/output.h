/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cli/output.h — writing a table as CSV or JSON, all or nothing.
 *
 * A regular file is written to a temporary file next to it and renamed over
 * it only when complete, so a failed command leaves no partial file; the
 * existing file's mode is kept. A symbolic link is followed: its target is
 * replaced, the link stays. A file that is not a regular file (/dev/null,
 * /dev/stdout, a FIFO) is written directly. Refused: a file the command
 * reads (the same device and inode, through any path or link), and a file
 * that cannot be written (no write permission: "Permission denied", even
 * where rename could replace it), and standard output redirected onto a
 * file the command reads. A temporary file is removed when SIGINT, SIGTERM
 * or SIGHUP stops the command. Standard output is written only after
 * every figure has been computed. Text that is not valid UTF-8 is written
 * with U+FFFD in place of each invalid byte, so CSV and JSON stay valid.
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
    char *target;     /* the file replaced (the link's target), NULL when written directly */
    char *tmp;        /* temporary file name, NULL when written directly */
    int ncols;
    const char *const *names;
    int col;
    long long rows;
} outw;

/* Registers a file the command reads; an output naming it is refused. */
void outw_input(const char *path);

/* Whether the outputs a and b name the same file: both standard output
 * (NULL or "-"), one existing file (the same device and inode, through any
 * path or link; standard output's is the file or pipe it is, so that
 * /dev/stdout, or the file it is redirected to, is standard output), or,
 * where neither exists yet, the same name in the same directory once links
 * are followed. */
int outw_same(const char *a, const char *b);

/* Whether path could be opened for output, before any work is done: the
 * checks of outw_open, and for a regular or new file whether a file can be
 * created in its (the link's target's) directory — a temporary file of the
 * name outw_open uses is created there and removed. Returns 0, or 1 with a
 * message in err. NULL or "-" is standard output: refused where it is a
 * file the command reads. */
int outw_check(const char *path, char *err, size_t errcap);

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

/* How a writer escapes an ASCII character: its replacement, or NULL to
 * write it as it is. */
typedef const char *(*text_escape)(unsigned char ch);

/* Writes the text s to f — the one place text leaves the command: each
 * valid UTF-8 character as it is (utf8_len in text.h decides), each byte that is
 * not valid UTF-8 as U+FFFD, each ASCII character through esc (NULL: none).
 * CSV, JSON, the report's Markdown and HTML are its escapes. */
void out_text(FILE *f, const char *s, text_escape esc);

#endif
