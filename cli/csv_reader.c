/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli/csv_reader.c — the CSV reader of tbl_read (table.h): the file's text
 * as UTF-8 lines (UTF-8, Windows-1252, UTF-16/32 transcoded while
 * streaming), parsed by libcsv into the requested columns. */
#define _POSIX_C_SOURCE 200809L
#include "reader.h"

#include "numbers.h"
#include "text.h"

#include <csv.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

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
    int64_t lineno;      /* lines read */
    u8_watch watch;      /* Windows-1252: whether the bytes read as UTF-8 too */
    bytes_digest digest; /* of the bytes read */
} src;

static size_t src_fill(src *s) {
    if (s->rpos > 0) {
        memmove(s->raw, s->raw + s->rpos, s->rlen - s->rpos);
        s->rlen -= s->rpos;
        s->rpos = 0;
    }
    while (!s->eof && s->rlen < SRC_RAW_CAP) {
        size_t got = fread(s->raw + s->rlen, 1, SRC_RAW_CAP - s->rlen, s->f);
        digest_add(&s->digest, s->raw + s->rlen, got);
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

/* src_raw_line for UTF-8 and Windows-1252: the bytes up to a line end,
 * which is LF, CR LF, or a CR alone (old Macintosh files) */
static int byte_line(src *s) {
    for (;;) {
        if (s->rpos == s->rlen && src_fill(s) == 0) return s->ioerr ? -3 : s->llen > 0;
        const unsigned char *p = s->raw + s->rpos;
        size_t n = s->rlen - s->rpos;
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
        /* a line holding a NUL goes to the parser at once, which refuses
           it: waiting for its end would hold a file of NULs whole */
        if (memchr(p, '\0', take)) return 1;
    }
}

/* the code unit at p: `unit` (2 or 4) bytes, big-endian when be */
static uint32_t code_unit(const unsigned char *p, size_t unit, int be) {
    if (unit == 4)
        return be ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]
                  : (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
    return be ? (uint32_t)p[0] << 8 | p[1] : (uint32_t)p[1] << 8 | p[0];
}

/* The next character of a UTF-16 or UTF-32 file: 1 with its code point in
 * *cp and its bytes in *take; 0 at the end of the file; −2 (s->why) or −3
 * as src_raw_line. */
static int wide_char(src *s, size_t unit, int be, uint32_t *cp, size_t *take) {
    if (s->rlen - s->rpos < 4) src_fill(s);
    size_t n = s->rlen - s->rpos;
    if (n == 0) return s->ioerr ? -3 : 0;
    if (s->ioerr) return -3;
    const unsigned char *p = s->raw + s->rpos;
    if (n < unit) {
        s->why = "the file ends in the middle of a character";
        return -2;
    }
    *cp = code_unit(p, unit, be);
    *take = unit;
    if (unit == 2 && *cp >= 0xD800 && *cp <= 0xDBFF) {
        uint32_t lo = n < 4 ? 0 : code_unit(p + 2, 2, be);
        if (lo < 0xDC00 || lo > 0xDFFF) {
            s->why = "a high surrogate without its low surrogate";
            return -2;
        }
        *cp = 0x10000 + ((*cp - 0xD800) << 10) + (lo - 0xDC00);
        *take = 4;
    } else if (*cp >= 0xD800 && *cp <= 0xDFFF) {
        s->why =
            unit == 4 ? "a surrogate code point" : "a low surrogate without its high surrogate";
        return -2;
    } else if (*cp > 0x10FFFF) {
        s->why = "a code point above U+10FFFF";
        return -2;
    } else if (*cp == 0) {
        s->why = "a NUL character";
        return -2;
    }
    return 1;
}

/* src_raw_line for UTF-16 and UTF-32: the characters up to a line end (LF,
 * CR LF or a CR alone), as UTF-8 */
static int wide_line(src *s) {
    size_t unit = s->enc == SRC_UTF32LE || s->enc == SRC_UTF32BE ? 4 : 2;
    int be = s->enc == SRC_UTF16BE || s->enc == SRC_UTF32BE;
    for (;;) {
        uint32_t cp;
        size_t take;
        int rc = wide_char(s, unit, be, &cp, &take);
        if (rc != 1) return rc == 0 ? s->llen > 0 : rc;
        if (line_room(s, 4) != 0) return -1;
        s->llen += utf8_encode(s->line + s->llen, cp);
        s->rpos += take;
        s->consumed += take;
        if (cp == '\n') return 1;
        if (cp == '\r') { /* CR LF ends at the LF */
            if (s->rlen - s->rpos < unit) src_fill(s);
            if (s->rlen - s->rpos < unit) return 1;
            if (code_unit(s->raw + s->rpos, unit, be) != '\n') return 1;
        }
    }
}

/* The next line (with its "\n", unless the file ends without one) in
 * s->line[0..llen) — for Windows-1252 still in its bytes: 1; 0 at the end
 * of the file; −1 out of memory; −2 text that is not valid in the file's
 * encoding (s->why says how); −3 a read error. */
static int src_raw_line(src *s) {
    s->llen = 0;
    return s->enc == SRC_UTF8 || s->enc == SRC_CP1252 ? byte_line(s) : wide_line(s);
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

/* What binary file the bytes start (a first line holding a NUL, or the
 * head the encoding is guessed from): "an SPSS .sav", "a Stata .dta", or
 * NULL. (A file given by name is recognised before it reaches this reader,
 * reader.c; a pipe is not.) */
static const char *binary_kind(const char *line, size_t len) {
    const unsigned char *u = (const unsigned char *)line;
    if (len >= 4 && (memcmp(line, "$FL2", 4) == 0 || memcmp(line, "$FL3", 4) == 0))
        return "an SPSS .sav";
    if (len >= 11 && memcmp(line, "<stata_dta>", 11) == 0) return "a Stata .dta";
    if (len >= 4 && u[0] >= 102 && u[0] <= 115 && (u[1] == 1 || u[1] == 2) && u[2] == 1 &&
        u[3] == 0)
        return "a Stata .dta";
    return NULL;
}

/* UTF-16 or UTF-32 without a byte-order mark, from the NUL bytes of the
 * first few kilobytes: text in those encodings that is mostly ASCII (CSV
 * headers and numbers are) has a NUL in every other byte (UTF-16) or three
 * of every four (UTF-32), at positions that tell the byte order. −1: none
 * of them. */
static int guess_wide(const unsigned char *b, size_t n) {
    if (binary_kind((const char *)b, n)) return -1; /* (.sav, .dta: named as such) */
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
    int hint; /* the delimiter of a first line "sep=X" (Excel's hint; 0: none) */
    /* a cell's error, said at the end of its record unless the record has
       another number of fields than the header: then a cell may hold its
       neighbour's value, and the count is what is wrong (as the streamed
       path, which reads the number cells after the record, says it) */
    errbuf cell;
    char cell_err[2048];
    tbl_fieldmap map; /* the header's fields and the columns read from them */
} csv_ctx;

/* the physical line of byte `at` of a field that ends on line x->line */
static int64_t line_of(const csv_ctx *x, const char *str, size_t len, size_t at) {
    int64_t line = x->line;
    for (size_t i = at; i < len; i++) line -= str[i] == '\n';
    return line;
}

/* a field of the header: a column's name */
static void header_field(csv_ctx *x, const char *str, size_t len) {
    tbl *t = x->t;
    char shown[200];
    size_t bad = utf8_invalid_at(str, len);
    if (bad < len) {
        set_error(&x->e,
                  "%s:%lld:%zu: the header is not valid UTF-8 (byte 0x%02X in \"%s\")" CP1252_HINT,
                  t->path, (long long)line_of(x, str, len, bad), x->field + 1,
                  (unsigned char)str[bad], show_text(str, len, shown, sizeof shown));
        return;
    }
    if (x->nheader >= INT32_MAX) { /* column indexes are ints */
        set_error(&x->e, "%s:%lld: more than %d columns in the header", t->path, (long long)x->line,
                  (int)INT32_MAX);
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
}

/* field f of a data record, the cell of column c; 0, or −1 after an error */
static int data_cell(csv_ctx *x, tbl_col *c, size_t f, const char *str, size_t len) {
    tbl *t = x->t;
    char at[AT_CAP];
    if (c->defer && t->chunk_rows) { /* the text kept for the sink */
        if (len > UINT32_MAX || t->raw_used + len < len) {
            set_error(&x->e, "%s: out of memory", t->path);
            return -1;
        }
        if (t->raw_used + len > t->raw_cap) {
            size_t cap = t->raw_cap ? t->raw_cap : 1 << 16;
            while (cap < t->raw_used + len) cap *= 2;
            char *r = realloc(t->raw, cap);
            if (!r) {
                set_error(&x->e, "%s: out of memory", t->path);
                return -1;
            }
            t->raw = r;
            t->raw_cap = cap;
        }
        if (len) memcpy(t->raw + t->raw_used, str, len);
        c->raw_off[t->nrows] = t->raw_used;
        c->raw_len[t->nrows] = (uint32_t)len;
        t->raw_used += len;
        return 0;
    }
    size_t bad = utf8_invalid_at(str, len);
    if (bad < len) {
        snprintf(at, sizeof at, "%s:%lld:%zu: column", t->path,
                 (long long)line_of(x, str, len, bad), f + 1);
        cell_error(&x->cell, CELL_NOT_UTF8, t, at, c, str, len);
        return -1;
    }
    size_t a = 0, b = len;
    trim_blanks(str, &a, &b);
    int missing = na_set_has(&x->na, str + a, b - a);
    int rc = tbl_store(t, c, t->nrows, missing, str + a, b - a, NAN);
    if (rc == CELL_OK) return 0;
    snprintf(at, sizeof at, "%s:%lld:%zu: column", t->path, (long long)line_of(x, str, len, 0),
             f + 1);
    cell_error(rc == CELL_NO_MEMORY ? &x->e : &x->cell, rc, t, at, c, str + a, b - a);
    return -1;
}

static void on_field(void *s, size_t len, void *data) {
    csv_ctx *x = data;
    if (x->e.failed) return;
    tbl *t = x->t;
    const char *str = s ? s : "";
    if (x->field == 0) x->row_line = x->line;
    if (x->in_header) {
        header_field(x, str, len);
        return;
    }
    size_t f = x->field++;
    if (f >= x->nheader || x->cell.failed) return; /* reported at the end of the record */
    if (f == 0 && tbl_reserve(t, t->nrows + 1) != 0) {
        set_error(&x->e, "%s: out of memory after %zu rows", t->path, t->nrows);
        return;
    }
    for (int32_t i = x->map.first[f]; i >= 0; i = x->map.next[i])
        if (data_cell(x, &t->cols[i], f, str, len) != 0) return;
}

/* "comma", "semicolon" or "tab": --delimiter's word for d */
static const char *delimiter_word(int d) {
    return d == '\t' ? "tab" : d == ';' ? "semicolon" : "comma";
}

/* A delimiter other than the one given (given: --delimiter's, 0 when
 * detected) that a header read as one column holds: ',' ';' or tab, the
 * first found; else 0. */
static int other_delimiter(int given, const char *name) {
    if (!given) return 0;
    for (const char *p = name; *p; p++)
        if ((*p == ',' || *p == ';' || *p == '\t') && *p != given) return *p;
    return 0;
}

/* the end of the header: each requested column found, once */
static void header_done(csv_ctx *x) {
    tbl *t = x->t;
    x->in_header = 0;
    /* each column's first field, and whether another field has its name
       (tbl_cols_named: linear in the fields) */
    unsigned char *twice = calloc(t->ncols ? t->ncols : 1, 1);
    if (!twice) {
        set_error(&x->e, "%s: out of memory", t->path);
        return;
    }
    for (size_t f = 0; f < x->nheader; f++) {
        int32_t cols[3];
        for (size_t k = 0, m = tbl_cols_named(t, x->header[f], cols); k < m; k++) {
            tbl_col *c = &t->cols[cols[k]];
            if (c->index < 0)
                c->index = (int)f;
            else
                twice[cols[k]] = 1;
        }
    }
    for (size_t i = 0; i < t->ncols; i++) {
        tbl_col *c = &t->cols[i];
        if (twice[i]) {
            free(twice);
            set_error(&x->e, "%s:%lld: column \"%s\" (--%s) appears twice in the header", t->path,
                      (long long)x->row_line, c->name, c->option);
            return;
        }
        if (c->index < 0) {
            free(twice);
            char at[AT_CAP];
            snprintf(at, sizeof at, "%s:%lld", t->path, (long long)x->row_line);
            const int other = x->nheader == 1 ? other_delimiter(t->delimiter, x->header[0]) : 0;
            if (other) { /* --delimiter is not the file's */
                char shown[200];
                set_error(&x->e,
                          "%s: no column \"%s\" (named by --%s): split at --delimiter %s, the "
                          "header is one column, \"%s\", which holds %s: give --delimiter %s, "
                          "or leave --delimiter out (the header's delimiter is then detected)",
                          at, c->name, c->option, delimiter_word(t->delimiter),
                          show_text(x->header[0], strlen(x->header[0]), shown, sizeof shown),
                          other == '\t'  ? "tabs"
                          : other == ';' ? "semicolons"
                                         : "commas",
                          delimiter_word(other));
                return;
            }
            no_such_column(&x->e, at, "column", "the header", c, x->header, x->nheader);
            return;
        }
    }
    free(twice);
    if (tbl_fieldmap_fields(t, &x->map, x->nheader) != 0) {
        set_error(&x->e, "%s: out of memory", t->path);
        return;
    }
    x->field = 0;
}

static void on_record(int term, void *data) {
    (void)term;
    csv_ctx *x = data;
    if (x->e.failed) return;
    tbl *t = x->t;
    if (x->in_header) {
        header_done(x);
        return;
    }
    if (x->field != x->nheader) {
        set_error(&x->e, "%s:%lld: %zu fields, but the header has %zu", t->path,
                  (long long)x->row_line, x->field, x->nheader);
        return;
    }
    if (x->cell.failed) {
        set_error(&x->e, "%s", x->cell_err);
        return;
    }
    t->line[t->nrows] = x->row_line;
    t->record[t->nrows] = t->row_base + (int64_t)t->nrows + 1;
    t->nrows++;
    x->field = 0;
    if (t->chunk_rows && t->nrows >= t->chunk_rows && tbl_flush(t) != 0) x->e.failed = 1;
}

int tbl_header_delimiter(const char *s, size_t len, int given) {
    size_t comma = 0, semi = 0, tab = 0;
    int quoted = 0;
    for (size_t i = 0; i < len && (quoted || (s[i] != '\n' && s[i] != '\r')); i++) {
        if (s[i] == '"') quoted = !quoted;
        if (quoted) continue;
        comma += s[i] == ',';
        semi += s[i] == ';';
        tab += s[i] == '\t';
    }
    if (given && (given == ',' ? comma : given == ';' ? semi : tab)) return given;
    if (semi > comma && semi >= tab) return ';';
    if (tab > comma && tab > semi) return '\t';
    return comma ? ',' : 0;
}

/* the header's delimiter: ',' ';' or tab, whichever it has most of (a comma
 * on a tie), 0 when it has none */
static int detect_delimiter(const char *s, size_t len) {
    return tbl_header_delimiter(s, len, 0);
}

/* The file opened for reading, or NULL with a message in err. */
static src *src_open(const char *path, char *err, size_t errcap) {
    src *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errcap, "%s: out of memory", path);
        return NULL;
    }
    s->f = fopen(path, "rb");
    if (!s->f) {
        snprintf(err, errcap, "%s: cannot open: %s", path, strerror(errno));
        free(s);
        return NULL;
    }
    return s;
}

static void src_close(src *s) {
    free(s->line);
    free(s->conv);
    fclose(s->f);
    free(s);
}

/* The text's encoding: a byte-order mark (skipped), or UTF-16/32's NUL
 * bytes, or the caller's (TBL_UTF8 or TBL_CP1252). 1 when the file starts
 * with UTF-8's byte-order mark. */
static int src_encoding(src *s, int encoding) {
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
        s->enc = encoding == TBL_CP1252 ? SRC_CP1252 : SRC_UTF8;
    s->consumed = s->rpos;
    return bom_utf8;
}

/* The header's delimiter, given or detected, set in the parser; 0, or −1
 * after an error (a comma with --decimal-comma). */
static int set_delimiter(csv_ctx *x, struct csv_parser *p, const char *line, size_t len) {
    tbl *t = x->t;
    /* one column: no delimiter to see (a comma cannot be one with a decimal
       comma) */
    int d = t->delimiter ? t->delimiter : x->hint ? x->hint : detect_delimiter(line, len);
    if (d == 0) d = t->decimal_comma ? ';' : ',';
    if (t->decimal_comma && d == ',') {
        set_error(&x->e,
                  "%s:%lld: the header's columns are separated by commas, and a comma cannot also "
                  "be the decimal separator: --decimal-comma reads files separated by semicolons "
                  "or tabs (leave out --decimal-comma if \".\" is the decimal point)",
                  t->path, (long long)x->line);
        return -1;
    }
    csv_set_delim(p, (unsigned char)d);
    return 0;
}

int tbl_sep_hint(const char *line, size_t len) {
    while (len && (line[len - 1] == '\n' || line[len - 1] == '\r')) len--;
    if (len != 5 || strncasecmp(line, "sep=", 4) != 0) return 0;
    return line[4] == ',' || line[4] == ';' || line[4] == '\t' ? line[4] : '?';
}

/* One line of the file through the parser (libcsv's defaults: spaces and
 * tabs around unquoted fields are trimmed, CR and LF end a record); 0, or
 * −1 after an error. A first line "sep=X" sets the delimiter (--delimiter,
 * given, takes precedence) and is not the header. */
static int parse_line(csv_ctx *x, struct csv_parser *p, const char *line, size_t len) {
    tbl *t = x->t;
    x->line++;
    if (x->line == 1 && (x->hint = tbl_sep_hint(line, len)) != 0) {
        /* --delimiter, given, reads the file (the hint line is passed over) */
        if (x->hint == '?' && !t->delimiter) {
            set_error(&x->e,
                      "%s:1: the first line, \"%.*s\", is Excel's hint of the delimiter, one the "
                      "command does not read (it reads commas, semicolons and tabs); delete that "
                      "line, or give --delimiter comma, semicolon or tab to read the file so",
                      t->path, (int)(len > 5 ? 5 : len), line);
            return -1;
        }
        if (t->delimiter) x->hint = t->delimiter;
        return 0;
    }
    /* a line of DOS's end-of-file mark alone (Ctrl-Z, 0x1A, which old
       programs append) between records (libcsv's pstate 0, ROW_NOT_BEGUN;
       not inside a quoted field): no record */
    if (x->line > 1 && p->pstate == 0 && len >= 1 && line[0] == '\x1a' &&
        (len == 1 || (len == 2 && line[1] == '\n') ||
         (len == 3 && line[1] == '\r' && line[2] == '\n')))
        return 0;
    if (x->line == 1 + (x->hint != 0) && set_delimiter(x, p, line, len) != 0) return -1;
    const char *kind = x->line == 1 ? binary_kind(line, len) : NULL;
    if (kind) { /* (a Stata 117 header may end its first line before a NUL) */
        set_error(&x->e,
                  "%s: this looks like %s file coming through a pipe, which is read as CSV: "
                  "give the file's name instead, or redirect it (\"- < FILE\") rather than "
                  "piping it",
                  t->path, kind);
        return -1;
    }
    if (memchr(line, '\0', len)) {
        set_error(&x->e,
                  "%s:%lld: a NUL byte: this is not a text (CSV) file; open it in the program "
                  "that made it and save it as CSV UTF-8",
                  t->path, (long long)x->line);
        return -1;
    }
    size_t used = csv_parse(p, line, len, on_field, on_record, x);
    if (x->e.failed) return -1;
    if (used != len) {
        set_error(&x->e,
                  "%s:%lld:%zu: malformed CSV: %s (a quote inside an unquoted field, or text "
                  "after a closing quote)",
                  t->path, (long long)x->line, x->field + 1, csv_strerror(csv_error(p)));
        return -1;
    }
    return 0;
}

static const char *const wide_name[] = {"", "", "UTF-16", "UTF-16", "UTF-32", "UTF-32"};

/* After the last line: what src_line's `got` says went wrong, and the last
 * record through the parser. */
static void parse_end(csv_ctx *x, struct csv_parser *p, const src *s, int got) {
    tbl *t = x->t;
    if (!x->e.failed && got == -1) set_error(&x->e, "%s: out of memory", t->path);
    if (!x->e.failed && got == -2)
        set_error(&x->e, "%s:%lld: not valid %s: %s; save the file as CSV UTF-8", t->path,
                  (long long)x->line + 1, wide_name[s->enc], s->why);
    if (!x->e.failed && got == -3) set_error(&x->e, "%s: read error: %s", t->path, strerror(errno));
    if (!x->e.failed && csv_fini(p, on_field, on_record, x) != 0 && !x->e.failed)
        set_error(&x->e,
                  "%s:%lld: malformed CSV: a quoted field is not closed before the end of the file",
                  t->path, (long long)x->line);
}

/* What the whole file says: a header, data rows, and under --encoding
 * windows-1252 text that does not read as UTF-8 too. */
static void check_read(csv_ctx *x, const src *s) {
    tbl *t = x->t;
    if (!x->e.failed && x->nheader == 0)
        set_error(&x->e, "%s: empty file (no header row)", t->path);
    if (!x->e.failed && x->in_header) set_error(&x->e, "%s: empty file (no header row)", t->path);
    char twice[1024];
    if (!x->e.failed && s->enc == SRC_CP1252 && u8_watch_refuses(&s->watch, twice, sizeof twice))
        set_error(&x->e, "%s:%lld: %s", t->path, (long long)s->watch.line, twice);
    if (!x->e.failed && t->row_base + (int64_t)t->nrows == 0)
        set_error(&x->e, "%s: no data rows after the header", t->path);
}

int read_csv(tbl *t, char *err, size_t errcap) {
    src *s = src_open(t->path, err, errcap);
    if (!s) return 1;
    struct stat st;
    double size = fstat(fileno(s->f), &st) == 0 ? (double)st.st_size : 0;
    csv_ctx x = {.t = t, .e = {err, errcap, 0}, .na = na_set_of(t->na_values), .in_header = 1};
    x.cell = (errbuf){x.cell_err, sizeof x.cell_err, 0};
    if (src_encoding(s, t->encoding) && t->encoding == TBL_CP1252)
        set_error(&x.e,
                  "%s: the file starts with UTF-8's byte-order mark, so it is UTF-8, but "
                  "--encoding windows-1252 says it is Windows-1252: leave out --encoding",
                  t->path);
    struct csv_parser p;
    int parser = 0;
    if (!x.e.failed) {
        if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
            set_error(&x.e, "%s: out of memory", t->path);
        } else {
            parser = 1;
            /* a field's buffer grows by this much at a time (libcsv's
               default, 128 bytes, makes a field of n bytes cost n/128
               reallocations, each a copy where realloc cannot extend) */
            csv_set_blk_size(&p, (size_t)1 << 16);
        }
    }
    progress pr = {.on = t->progress && size > 0};
    int got = 0;
    while (!x.e.failed && (got = src_line(s)) == 1) {
        if (parse_line(&x, &p, s->line, s->llen) != 0) break;
        if ((x.line & 0xffff) == 0) progress_show(&pr, t->path, (double)s->consumed / size);
    }
    parse_end(&x, &p, s, got);
    progress_done(&pr);
    if (!x.e.failed && t->chunk_rows && tbl_flush(t) != 0) x.e.failed = 1;
    check_read(&x, s);
    t->digest = digest_value(&s->digest);
    if (parser) csv_free(&p);
    src_close(s);
    for (size_t i = 0; i < x.nheader; i++) free(x.header[i]);
    free(x.header);
    tbl_fieldmap_free(&x.map);
    return x.e.failed;
}
