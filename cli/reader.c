/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli/reader.c — tbl_read (table.h): what a file is, by its first bytes and
 * its name, and which reader reads it; and what both readers share (the
 * first error of a read, the "no such column" message, progress). */
#define _POSIX_C_SOURCE 200809L
#include "reader.h"

#include "numbers.h"
#include "suggest.h"
#include "text.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ------------------------------------------------------------------ which reader */

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

/* The first bytes of the file (at most cap) into head: their count (0 for
 * a pipe: a FIFO, /dev/stdin is opened once, by the reader its name calls
 * for, and read as its name says), or −1 with a message in err. */
static long read_head(const char *path, unsigned char *head, size_t cap, char *err, size_t errcap) {
    struct stat st;
    if (stat(path, &st) != 0) {
        snprintf(err, errcap, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    if (S_ISDIR(st.st_mode)) {
        snprintf(err, errcap, "%s: cannot open: it is a directory", path);
        return -1;
    }
    if (!S_ISREG(st.st_mode)) return 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errcap, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    size_t n = fread(head, 1, cap, f);
    fclose(f);
    return (long)n;
}

/* 1 with the message in err when the first bytes say the file is a
 * workbook or compressed, whatever its name; else 0 */
static int refused_by_content(const char *path, const unsigned char *head, size_t n, char *err,
                              size_t errcap) {
    if (n >= 4 && memcmp(head, "PK\x03\x04", 4) == 0) {
        if (n >= 72 && memcmp(head + 30, "mimetypeapplication/vnd.oasis.opendocument", 42) == 0)
            snprintf(err, errcap,
                     "%s: this is an OpenDocument spreadsheet (.ods), not a CSV file: in "
                     "LibreOffice use File > Save As > \"Text CSV (.csv)\", character set "
                     "\"Unicode (UTF-8)\"",
                     path);
        else
            snprintf(err, errcap,
                     "%s: this is an Excel workbook (.xlsx, a ZIP archive), not a CSV "
                     "file: " SAVE_AS_CSV,
                     path);
        return 1;
    }
    if (n >= 8 && memcmp(head, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0) {
        snprintf(err, errcap,
                 "%s: this is an Excel 97-2003 workbook (.xls), not a CSV file: " SAVE_AS_CSV,
                 path);
        return 1;
    }
    if (n >= 2 && head[0] == 0x1F && head[1] == 0x8B) {
        snprintf(err, errcap,
                 "%s: this is a gzip-compressed file, not a CSV file: decompress it first "
                 "(gunzip)",
                 path);
        return 1;
    }
    return 0;
}

/* Whether path is a name of standard input: "-" is read as /dev/stdin;
 * /dev/fd/0 and /proc/self/fd/0 (or this process's number) name it too. */
static int names_stdin(const char *path) {
    char own[64];
    snprintf(own, sizeof own, "/proc/%ld/fd/0", (long)getpid());
    return strcmp(path, "/dev/stdin") == 0 || strcmp(path, "/dev/fd/0") == 0 ||
           strcmp(path, "/proc/self/fd/0") == 0 || strcmp(path, own) == 0;
}

/* Standard input is read by a name of it (names_stdin), and a regular file
 * redirected there is so read from its start, whatever was read of it
 * before the command started (`{ read -r title; socind poverty - …; } <
 * FILE` leaves it past its first line): those bytes would be read again,
 * as if they were the input's. 1 with the message in err when standard
 * input is such a file. */
static int stdin_read_before(const char *path, char *err, size_t errcap) {
    struct stat st;
    if (!names_stdin(path) || fstat(STDIN_FILENO, &st) != 0 || !S_ISREG(st.st_mode)) return 0;
    off_t at = lseek(STDIN_FILENO, 0, SEEK_CUR);
    if (at <= 0) return 0;
    snprintf(err, errcap,
             "%s: standard input is a file whose first %lld bytes were read before socind "
             "started, and socind reads a file from its start: name the file, or pipe the "
             "rest of it (tail -c +%lld FILE | socind ... -)",
             path, (long long)at, (long long)at + 1);
    return 1;
}

static int read_any(tbl *t, char *err, size_t errcap) {
    unsigned char head[128];
    if (stdin_read_before(t->path, err, errcap)) return 1;
    long got = read_head(t->path, head, sizeof head, err, errcap);
    if (got < 0) return 1;
    size_t n = (size_t)got;
    if (refused_by_content(t->path, head, n, err, errcap)) return 1;
    t->is_csv = 0;
    /* SPSS and Stata files are read as what they are, whatever their name
       (a .dta that is an SPSS file, a .sav that is a Stata file, either
       named .csv) */
    if (n >= 4 && (memcmp(head, "$FL2", 4) == 0 || memcmp(head, "$FL3", 4) == 0))
        return read_readstat(t, 1, err, errcap);
    if (n >= 11 && memcmp(head, "<stata_dta>", 11) == 0) return read_readstat(t, 0, err, errcap);
    /* Stata 102–115: the release, the byte order (1 or 2), file type 1, 0 */
    if (n >= 4 && head[0] >= 102 && head[0] <= 115 && (head[1] == 1 || head[1] == 2) &&
        head[2] == 1 && head[3] == 0)
        return read_readstat(t, 0, err, errcap);
    int dta = ends_with(t->path, ".dta"),
        sav = ends_with(t->path, ".sav") || ends_with(t->path, ".zsav");
    if (dta || sav) {
        /* named so, but it starts as neither: ReadStat's own words, and
           what the file does look like */
        if (!read_readstat(t, sav, err, errcap)) return 0;
        int text = n > 0;
        for (size_t i = 0; i < n && text; i++)
            text = (head[i] >= 0x20 && head[i] != 0x7f) || head[i] == '\t' || head[i] == '\r' ||
                   head[i] == '\n';
        size_t len = strlen(err);
        if (len < errcap)
            snprintf(err + len, errcap - len, " (its first bytes are no %s file's%s)",
                     sav ? "SPSS" : "Stata",
                     text ? ": it looks like text — a CSV file is read as such when its name "
                            "does not end in .dta, .sav or .zsav"
                          : "");
        return 1;
    }
    t->is_csv = 1;
    return read_csv(t, err, errcap);
}

int tbl_read(tbl *t, char *err, size_t errcap) {
    size_t chunk = t->chunk_rows;
    t->chunk_rows = 0;
    int rc = read_any(t, err, errcap);
    t->chunk_rows = chunk;
    return rc;
}

int tbl_read_chunks(tbl *t, char *err, size_t errcap) {
    if (err && errcap) err[0] = '\0';
    t->row_base = 0;
    t->sink_stopped = 0;
    if (t->chunk_rows == 0 || !t->sink) {
        snprintf(err, errcap, "%s: a chunked read needs chunk_rows > 0 and a sink", t->path);
        return 1;
    }
    return read_any(t, err, errcap);
}

int tbl_flush(tbl *t) {
    if (t->nrows == 0) return 0;
    int rc = t->sink(t, t->sink_ctx);
    t->row_base += (int64_t)t->nrows;
    t->nrows = 0;
    t->raw_used = 0;
    if (rc) t->sink_stopped = 1;
    return rc ? -1 : 0;
}

/* ------------------------------------------------------------------ errors */

void set_error(errbuf *e, const char *fmt, ...) {
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

void no_such_column(errbuf *e, const char *at, const char *noun, const char *holder,
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

void cell_error(errbuf *e, int rc, const tbl *t, const char *at, const tbl_col *c, const char *s,
                size_t len) {
    char shown[200], hint[400];
    if (rc == CELL_NOT_A_NUMBER)
        set_error(e, "%s \"%s\" (--%s): \"%s\" is not a number%s", at, c->name, c->option,
                  show_text(s, len, shown, sizeof shown),
                  number_hint(s, len, t->decimal_comma, hint, sizeof hint));
    else if (rc == CELL_TOO_MANY)
        set_error(e, "%s \"%s\" (--%s) has more than %d distinct values", at, c->name, c->option,
                  (int)TBL_MAX_LABELS);
    else if (rc == CELL_NOT_UTF8)
        set_error(e, "%s \"%s\" (--%s): not valid UTF-8 (byte 0x%02X in \"%s\")" CP1252_HINT, at,
                  c->name, c->option, (unsigned char)s[utf8_invalid_at(s, len)],
                  show_text(s, len, shown, sizeof shown));
    else
        set_error(e, "%s: out of memory", t->path);
}

/* ------------------------------------------------------------------ the bytes read */

/* splitmix64's finalizer, all 64 bits */
static uint64_t mix64(uint64_t x) {
    x ^= x >> 30;
    x *= 0xBF58476D1CE4E5B9ull;
    x ^= x >> 27;
    x *= 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

/* (Each step of a lane is a bijection of its state for a given word — the
 * xor, the odd multiplier, the xorshift — so a reading that differs from
 * another in one word of 8 bytes always ends in another lane, hence another
 * checksum but for the final mixing's collisions, at 2^-64.) */
uint64_t digest_value(const bytes_digest *d) {
    bytes_digest c = *d;
    unsigned char last[32] = {0};
    memcpy(last, c.part, c.npart);
    digest_block(&c, last);
    uint64_t h = mix64(c.total);
    for (int i = 0; i < 4; i++) h = mix64(h ^ c.lane[i]);
    return h;
}

/* ------------------------------------------------------------------ progress */

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void progress_show(progress *p, const char *path, double fraction) {
    if (!p->on) return;
    double t = now_s();
    if (p->start == 0) p->start = t;
    if (t - p->start < 1.0 || t - p->last < 0.25) return;
    p->last = t;
    p->shown = 1;
    fprintf(stderr, "\rreading %s: %3.0f%%", path, 100 * fraction);
    fflush(stderr);
}

void progress_done(progress *p) {
    if (p->shown) fprintf(stderr, "\r\033[K");
}
