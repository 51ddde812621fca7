/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli/calibrate.c — the calibration options of every command that builds a
 * design (see cli.h): --poststratify FILE, --rake FILE, --calibrate FILE
 * --cal-method linear|raking|logit [--cal-bounds L,U], and
 * --calibrated-weights FILE. The targets file is a UTF-8 CSV file with a
 * header (quoted fields allowed), read as the data file is: its delimiter is
 * --delimiter's where its header holds it, else detected from its header
 * (comma, semicolon or tab, the most frequent), and under --decimal-comma its totals are read as
 * number options are (tbl_parse_option_number: "1.234,5", a quoted "0,5" in a comma-separated file;
 * a total that reads two ways is refused); lines end in LF, CR LF or CR; text that is not UTF-8 is
 * read as Windows-1252 under
 * --encoding windows-1252, else refused:
 *   --poststratify: the grouping columns, then `total`; one row per cell.
 *   --rake:         `variable,level,total`; the margins in the order their
 *                   variable first appears, every level of each listed.
 *   --calibrate:    `term,total`; a term is `(Intercept)`, `COL:LEVEL` (the
 *                   indicator of a category; split at the first ':') or
 *                   `COL` (a numeric column's total).
 * Levels are matched with the data column's values as text (spaces around
 * them trimmed). */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"
#include "text.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CAL_MAX_ROWS 100000
#define CAL_MAX_FIELDS 64

/* The targets file, parsed once (its strings outlive the table, which
 * keeps the column names it is given). */
static struct {
    char **hdr;
    size_t nhdr;
    char ***cell; /* rows × nhdr */
    int64_t *line;
    size_t nrow;
    char *names[CAL_MAX_COLS]; /* --calibrate's column names (the table keeps them) */
} tf;

/* Splits one record starting at *p (quoted fields, "" inside quotes, fields
 * separated by delim) into out; advances *p past its newline and *line by the
 * newlines read. The number of fields, or −1 (an unclosed quote, too many
 * fields). */
static int split_record(const char **p, int64_t *line, char **out, char *buf, char delim) {
    const char *s = *p;
    int nf = 0;
    char *b = buf;
    out[nf++] = b;
    int quoted = 0;
    for (;; s++) {
        char ch = *s;
        if (ch == '\0' && quoted) return -1;
        if (quoted) {
            if (ch == '"' && s[1] == '"') {
                *b++ = '"';
                s++;
            } else if (ch == '"') {
                quoted = 0;
            } else {
                if (ch == '\n') ++*line;
                *b++ = ch;
            }
            continue;
        }
        if (ch == '"') {
            quoted = 1;
        } else if (ch == delim) {
            *b++ = '\0';
            if (nf == CAL_MAX_FIELDS) return -1;
            out[nf++] = b;
        } else if (ch == '\n' || ch == '\r' || ch == '\0') { /* LF, CR LF or CR */
            *b++ = '\0';
            if (ch == '\r' && s[1] == '\n') s++;
            *p = ch ? s + 1 : s;
            ++*line;
            break;
        } else {
            *b++ = ch;
        }
    }
    for (int i = 0; i < nf; i++) trim_text(out[i]);
    return nf;
}

static const char *delimiter_name(char d) {
    return d == ';' ? "semicolons" : d == '\t' ? "tabs" : "commas";
}

static int read_targets(const tbl *t, const char *opt, const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return fail_with(EXIT_DATA, "%s: cannot open (--%s): %s", path, opt, strerror(errno));
    size_t cap = 1 << 16, len = 0;
    char *text = malloc(cap);
    for (size_t got; text && (got = fread(text + len, 1, cap - len - 1, f)) > 0;) {
        len += got;
        if (memchr(text + len - got, '\0', got)) break; /* refused below: read no further */
        if (len + 1 == cap) {
            char *t2 = cap < (1u << 28) ? realloc(text, cap *= 2) : NULL;
            if (!t2) free(text);
            text = t2;
        }
    }
    fclose(f);
    if (!text) return fail_with(EXIT_DATA, "%s: too large or out of memory (--%s)", path, opt);
    text[len] = '\0';
    if (memchr(text, '\0', len)) {
        const unsigned char *u = (const unsigned char *)text;
        const int wide =
            (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) ||
            (len >= 2 && (u[0] == 0) != (u[1] == 0));
        free(text);
        return fail_with(EXIT_DATA,
                         wide ? "%s: this is UTF-16 or UTF-32 text: a targets file is read as "
                                "UTF-8 (or Windows-1252 with --encoding windows-1252); save it "
                                "as \"CSV UTF-8\" (--%s)"
                              : "%s: a NUL byte: not a CSV file (--%s)",
                         path, opt);
    }
    /* UTF-8, or under --encoding windows-1252 a file that is not UTF-8 read
       as Windows-1252 (the levels are matched with the data's text, which
       is UTF-8 whatever the data file's encoding) */
    const size_t bad = utf8_invalid_at(text, len);
    if (bad < len) {
        if (t->encoding != TBL_CP1252) {
            long long at = 1;
            for (size_t i = 0; i < bad; i++)
                at += text[i] == '\n' || (text[i] == '\r' && text[i + 1] != '\n');
            free(text);
            return fail_with(EXIT_DATA,
                             "%s:%lld: bytes that are not UTF-8 (--%s); if the file is in "
                             "Windows-1252, give --encoding windows-1252",
                             path, at, opt);
        }
        char *u8 = len < SIZE_MAX / 3 ? malloc(3 * len + 1) : NULL;
        if (!u8) return free(text), fail_with(EXIT_DATA, "out of memory");
        len = cp1252_to_utf8(text, len, u8);
        u8[len] = '\0';
        free(text);
        text = u8;
    }
    const char *p = text;
    if (len >= 3 && (unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBB &&
        (unsigned char)p[2] == 0xBF)
        p += 3;
    char *fields[CAL_MAX_FIELDS];
    char *buf = malloc(len + 2);
    if (!buf) return free(text), fail_with(EXIT_DATA, "out of memory");
    /* Excel's first line "sep=X" names the delimiter and is not the header
       (as in the data file) */
    const char *eol = strchr(p, '\n');
    const int hint = tbl_sep_hint(p, eol ? (size_t)(eol - p) : strlen(p));
    int64_t line = 0, start;
    if (hint == '?' && !t->delimiter) {
        free(text), free(buf);
        return fail_with(EXIT_DATA,
                         "%s:1: the first line is Excel's hint of a delimiter the command does not "
                         "read (it reads commas, semicolons and tabs); delete that line, or give "
                         "--delimiter (--%s)",
                         path, opt);
    }
    if (hint) p = eol ? eol + 1 : p + strlen(p), line = 1;
    /* --delimiter's where the header holds it, else the hint's, else
       detected (a comma file beside a semicolon-separated data file is
       read as commas; a header without any delimiter is one column) */
    const int found = hint && hint != '?' && !t->delimiter
                          ? hint
                          : tbl_header_delimiter(p, strlen(p), t->delimiter);
    const int given_used = t->delimiter && found == t->delimiter;
    const char delim = found ? (char)found : ',';
    int nf = split_record(&p, &line, fields, buf, delim);
    if (nf < 2 || fields[0][0] == '\0') {
        free(text), free(buf);
        return fail_with(EXIT_DATA,
                         "%s:%lld: the header needs at least two columns, separated by %s (%s; "
                         "--%s)",
                         path, (long long)(hint ? 2 : 1), delimiter_name(delim),
                         given_used ? "--delimiter"
                         : hint     ? "the first line's hint"
                                    : "detected: the most frequent of comma, "
                                      "semicolon and tab in the header, or "
                                      "--delimiter",
                         opt);
    }
    tf.nhdr = (size_t)nf;
    tf.hdr = malloc((size_t)nf * sizeof *tf.hdr);
    for (int i = 0; tf.hdr && i < nf; i++) tf.hdr[i] = strdup(fields[i]);
    tf.cell = malloc(CAL_MAX_ROWS * sizeof *tf.cell);
    tf.line = malloc(CAL_MAX_ROWS * sizeof *tf.line);
    if (!tf.hdr || !tf.cell || !tf.line) {
        free(text), free(buf);
        return fail_with(EXIT_DATA, "out of memory");
    }
    while (*p) {
        start = line + 1;
        nf = split_record(&p, &line, fields, buf, delim);
        if (nf == 1 && fields[0][0] == '\0') continue;           /* an empty line */
        if (nf == 1 && strcmp(fields[0], "\x1a") == 0) continue; /* DOS's end-of-file mark */
        if (nf != (int)tf.nhdr) {
            free(text), free(buf);
            return fail_with(EXIT_DATA, "%s:%lld: %d fields, but the header has %zu (--%s)", path,
                             (long long)start, nf < 0 ? 0 : nf, tf.nhdr, opt);
        }
        if (tf.nrow == CAL_MAX_ROWS) {
            free(text), free(buf);
            return fail_with(EXIT_DATA, "%s: more than %d targets (--%s)", path, CAL_MAX_ROWS, opt);
        }
        char **row = malloc(tf.nhdr * sizeof *row);
        if (!row) return free(text), free(buf), fail_with(EXIT_DATA, "out of memory");
        for (size_t i = 0; i < tf.nhdr; i++) row[i] = strdup(fields[i]);
        tf.line[tf.nrow] = start;
        tf.cell[tf.nrow++] = row;
    }
    free(text), free(buf);
    if (tf.nrow == 0)
        return fail_with(EXIT_DATA, "%s: no targets after the header (--%s)", path, opt);
    return 0;
}

static int hdr_col(const char *name) {
    for (size_t i = 0; i < tf.nhdr; i++)
        if (strcmp(tf.hdr[i], name) == 0) return (int)i;
    return -1;
}

/* The file's `total` of row r: a number >= 0 (the library checks again),
 * under --decimal-comma read as the number options are. */
/* The total of the targets' row r (column col); a count of people (a cell,
 * a level, the population: count) may not be negative, a numeric term's
 * total may (count 0). */
static int total_of(const args *a, const char *opt, const char *path, size_t r, int col, int count,
                    double *out) {
    char why[300];
    const char *s = tf.cell[r][col];
    int bad = tbl_parse_option_number(s, arg_flag(a, "decimal-comma"), out, why, sizeof why);
    if (bad)
        return fail_with(EXIT_DATA, "%s:%lld: the total \"%s\" %s: %s (--%s)", path,
                         (long long)tf.line[r], s, bad == 2 ? "reads two ways" : "is not a number",
                         why, opt);
    if (count && *out < 0)
        return fail_with(EXIT_DATA,
                         "%s:%lld: the total \"%s\" is negative: a population count is >= 0 "
                         "(--%s)",
                         path, (long long)tf.line[r], s, opt);
    return 0;
}

/* A line of the targets file whose category no sampled row has (rake's
 * level, calibrate's category: what, under --opt): met as it is when its
 * total is 0 (survey leaves it out: rake's post-stratification the cell,
 * calibrate the column of zeros), *skip then set; else refused naming the
 * line. 0, or the exit code after the message. */
static int unsampled_line(const args *a, const char *opt, const char *what, const char *path,
                          size_t r, int col, const char *name, const char *label, int *skip) {
    double t0 = NAN;
    *skip = 0;
    int rc = total_of(a, opt, path, r, col, 1, &t0);
    if (rc) return rc;
    if (t0 == 0.0) {
        *skip = 1;
        return 0;
    }
    return fail_with(EXIT_DATA,
                     "%s:%lld: no sampled row has %s = \"%s\": the %s cannot be "
                     "calibrated (--%s)",
                     path, (long long)tf.line[r], name, label, what, opt);
}

static const char *const METHOD_OPTS[] = {"poststratify", "rake", "calibrate"};

static int bound_item(const args *a, num_item *it, void *ctx, char *why, size_t cap) {
    (void)ctx;
    return num_item_read(a, "cal-bounds", it, why, cap);
}

/* --cal-bounds L,U (under --decimal-comma num_list_parse's rule: "0,5;2") */
static int bounds_pair(const args *a, const num_item *it, size_t n, void *ctx, char *why,
                       size_t cap) {
    (void)ctx;
    if (n != 2)
        return snprintf(why, cap, "--cal-bounds must be L,U (e.g. 0.5,2)%s",
                        arg_flag(a, "decimal-comma") ? "; under --decimal-comma also L;U (e.g. "
                                                       "\"0,5;2\")"
                                                     : ""),
               1;
    if (!(it[0].value < 1 && it[1].value > 1))
        return snprintf(why, cap, "--cal-bounds L,U needs L < 1 < U, got %g,%g", it[0].value,
                        it[1].value),
               1;
    return 0;
}

int cal_want(tbl *t, const args *a, design_cols *dc) {
    dc->cal = -1;
    dc->ncal = 0;
    const char *given = NULL, *file = NULL;
    for (int i = 0; i < 3; i++) {
        const char *v = arg_get(a, METHOD_OPTS[i]);
        if (!v) continue;
        if (given)
            return usage_error(a->command, "--%s and --%s: give one calibration", given,
                               METHOD_OPTS[i]);
        given = METHOD_OPTS[i];
        file = v;
        dc->cal = i == 0 ? SOCIND_CAL_POSTSTRATIFY : i == 1 ? SOCIND_CAL_RAKE : SOCIND_CAL_LINEAR;
    }
    const char *meth = arg_get(a, "cal-method"), *bounds = arg_get(a, "cal-bounds");
    if (!given) {
        if (meth || bounds || arg_get(a, "calibrated-weights"))
            return usage_error(a->command, "--%s needs --poststratify, --rake or --calibrate",
                               meth     ? "cal-method"
                               : bounds ? "cal-bounds"
                                        : "calibrated-weights");
        return 0;
    }
    if (dc->cal == SOCIND_CAL_LINEAR) {
        if (!meth)
            return usage_error(a->command, "--calibrate needs --cal-method linear, raking or "
                                           "logit");
        if (strcmp(meth, "linear") == 0)
            dc->cal = SOCIND_CAL_LINEAR;
        else if (strcmp(meth, "raking") == 0)
            dc->cal = SOCIND_CAL_RAKING;
        else if (strcmp(meth, "logit") == 0)
            dc->cal = SOCIND_CAL_LOGIT;
        else
            return usage_error(a->command, "--cal-method must be linear, raking or logit");
        if ((dc->cal == SOCIND_CAL_LOGIT) != (bounds != NULL))
            return usage_error(a->command, bounds ? "--cal-bounds applies to --cal-method logit"
                                                  : "--cal-method logit needs --cal-bounds L,U "
                                                    "(L < 1 < U)");
        if (bounds) {
            const num_list_spec spec = {"cal-bounds", LIST_NUMBERS, bound_item, bounds_pair, NULL};
            num_list L;
            if (num_list_parse(a, &spec, bounds, &L)) return EXIT_USAGE;
            dc->cal_lower = L.item[0].value;
            dc->cal_upper = L.item[1].value;
            num_list_free(&L);
        }
    } else if (meth || bounds) {
        return usage_error(a->command, "--%s applies to --calibrate",
                           meth ? "cal-method" : "cal-bounds");
    }
    dc->cal_file = file;
    dc->cal_opt = given;
    int rc = read_targets(t, given, file);
    if (rc) return rc;
    /* the columns the targets name */
    const char *need[CAL_MAX_COLS];
    int kind[CAL_MAX_COLS];
    size_t nneed = 0;
    if (dc->cal == SOCIND_CAL_POSTSTRATIFY) {
        if (strcmp(tf.hdr[tf.nhdr - 1], "total") != 0)
            return fail_with(EXIT_DATA,
                             "%s:1: the last column must be \"total\" (--poststratify: "
                             "the grouping columns, then total)",
                             file);
        for (size_t i = 0; i + 1 < tf.nhdr && nneed < CAL_MAX_COLS; i++) {
            for (size_t j = 0; j < i; j++)
                if (strcmp(tf.hdr[j], tf.hdr[i]) == 0)
                    return fail_with(EXIT_DATA,
                                     "%s:1: column \"%s\" appears twice in the header "
                                     "(--poststratify: each grouping column once, then total)",
                                     file, tf.hdr[i]);
            need[nneed] = tf.hdr[i], kind[nneed++] = TBL_LABEL;
        }
    } else if (dc->cal == SOCIND_CAL_RAKE) {
        int cv = hdr_col("variable"), cl = hdr_col("level"), ct = hdr_col("total");
        if (cv < 0 || cl < 0 || ct < 0 || tf.nhdr != 3)
            return fail_with(EXIT_DATA, "%s:1: --rake needs the columns variable,level,total",
                             file);
        for (size_t r = 0; r < tf.nrow; r++) {
            size_t j = 0;
            while (j < nneed && strcmp(need[j], tf.cell[r][cv]) != 0) j++;
            if (j == nneed) {
                if (nneed == CAL_MAX_COLS)
                    return fail_with(EXIT_DATA, "%s: more than %d variables", file, CAL_MAX_COLS);
                need[nneed] = tf.cell[r][cv], kind[nneed++] = TBL_LABEL;
            }
        }
    } else {
        int cm = hdr_col("term"), ct = hdr_col("total");
        if (cm < 0 || ct < 0 || tf.nhdr != 2)
            return fail_with(EXIT_DATA, "%s:1: --calibrate needs the columns term,total", file);
        for (size_t r = 0; r < tf.nrow; r++) {
            char *term = tf.cell[r][cm];
            if (strcmp(term, "(Intercept)") == 0) continue;
            char *colon = strchr(term, ':');
            int k = colon ? TBL_LABEL : TBL_NUM;
            if (colon) *colon = '\0'; /* the column's name; the level after it */
            if (term[0] == '\0')
                return fail_with(EXIT_DATA, "%s:%lld: the term \"%s\" names no column", file,
                                 (long long)tf.line[r], tf.cell[r][cm]);
            size_t j = 0;
            while (j < nneed && strcmp(need[j], term) != 0) j++;
            if (j < nneed && kind[j] != k)
                return fail_with(EXIT_DATA,
                                 "%s:%lld: column \"%s\" is used both as a numeric total "
                                 "(COL) and as categories (COL:LEVEL)",
                                 file, (long long)tf.line[r], term);
            if (j == nneed) {
                if (nneed == CAL_MAX_COLS)
                    return fail_with(EXIT_DATA, "%s: more than %d columns", file, CAL_MAX_COLS);
                char *name = tf.names[nneed] = strdup(term); /* the column's name, kept */
                if (!name) return fail_with(EXIT_DATA, "out of memory");
                need[nneed] = name, kind[nneed++] = k;
            }
            if (colon) *colon = ':';
        }
    }
    for (size_t j = 0; j < nneed; j++) {
        dc->cal_col[j] = tbl_want(t, need[j], given, kind[j]);
        if (dc->cal_col[j] < 0) return fail_with(EXIT_DATA, "out of memory");
    }
    dc->ncal = (int)nneed;
    return 0;
}

/* A label column's codes in the byte order of their labels (ties by code),
 * for label_code's binary search: a targets file of many cells against a
 * column of many labels costs cells × log(labels), not their product. */
static const tbl_col *order_col; /* qsort's comparator has no context */
static int by_label(const void *pa, const void *pb) {
    int32_t a = *(const int32_t *)pa, b = *(const int32_t *)pb;
    int c = strcmp(order_col->labels[a], order_col->labels[b]);
    return c ? c : (a > b) - (a < b);
}

static int32_t *label_order(const tbl_col *c) {
    int32_t *o = malloc(((size_t)c->n_labels + 1) * sizeof *o);
    if (!o) return NULL;
    for (int32_t k = 0; k < c->n_labels; k++) o[k] = k;
    order_col = c;
    qsort(o, (size_t)c->n_labels, sizeof *o, by_label);
    return o;
}

/* The label code of text s in column c (order: label_order's), the first
 * such code where two labels read alike, or −1. */
static int32_t label_code(const tbl_col *c, const int32_t *order, const char *s) {
    size_t lo = 0, hi = (size_t)c->n_labels;
    while (lo < hi) { /* the first label not below s */
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(c->labels[order[mid]], s) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < (size_t)c->n_labels && strcmp(c->labels[order[lo]], s) == 0 ? order[lo] : -1;
}

/* --poststratify's cells by their columns' label codes: open addressing,
 * slot = cell + 1 (0 empty), at most half full, so that finding each data
 * row's cell costs its g codes, not a scan of the cells. */
typedef struct {
    int32_t *slot;
    uint32_t mask;
} cell_index;

static int cell_index_init(cell_index *x, size_t cells) {
    size_t cap = 16;
    while (cap < 2 * cells) cap *= 2; /* cells ≤ CAL_MAX_ROWS */
    x->slot = calloc(cap, sizeof *x->slot);
    x->mask = (uint32_t)(cap - 1);
    return x->slot ? 0 : -1;
}

static uint32_t cell_hash(const int32_t *key, size_t g) {
    uint64_t h = 0x9E3779B97F4A7C15ull;
    for (size_t j = 0; j < g; j++) {
        h ^= (uint32_t)key[j];
        h *= 0xBF58476D1CE4E5B9ull;
        h ^= h >> 31;
    }
    return (uint32_t)(h ^ (h >> 32));
}

/* The cell whose g codes (in cellcode, g a cell) are key's, or −1. */
static int32_t cell_find(const cell_index *x, const int32_t *cellcode, size_t g,
                         const int32_t *key) {
    for (uint32_t j = cell_hash(key, g) & x->mask; x->slot[j]; j = (j + 1) & x->mask) {
        int32_t r = x->slot[j] - 1;
        if (!memcmp(&cellcode[(size_t)r * g], key, g * sizeof *key)) return r;
    }
    return -1;
}

static void cell_add(cell_index *x, const int32_t *cellcode, size_t g, int32_t r) {
    uint32_t j = cell_hash(&cellcode[(size_t)r * g], g) & x->mask;
    while (x->slot[j]) j = (j + 1) & x->mask;
    x->slot[j] = r + 1;
}

/* A data row with a missing calibration value: refused, naming it. */
static int missing_row(const tbl *t, const design_cols *dc, const tbl_col *c, size_t r) {
    char buf[64];
    return fail_with(EXIT_DATA,
                     "%s: %s: column \"%s\" (--%s) is empty; calibration needs it on "
                     "every row",
                     t->path, tbl_where(t, r, buf, sizeof buf), c->name, dc->cal_opt);
}

int cal_apply(const tbl *t, const args *a, const design_cols *dc, const double *w0,
              socind_design **design) {
    if (dc->cal < 0) return 0;
    const size_t n = t->nrows;
    const char *file = dc->cal_file;
    socind_calibration cal;
    socind_calibration_init(&cal);
    cal.method = dc->cal;
    int rc = 0;
    int32_t *codes = NULL, *levels = NULL;
    double *totals = NULL, *x = NULL, *xt = NULL, *wout = NULL;
    size_t nm = 0, ntot = 0;
    int32_t *order[CAL_MAX_COLS] = {NULL}; /* each label column's label_order */
    /* the targets file's line of each level the library numbers (its flat
       index, margin after margin; −1: none), to name it in its messages */
    size_t ncap = tf.nrow + 1;
    for (int j = 0; j < dc->ncal; j++)
        if (t->cols[dc->cal_col[j]].kind != TBL_NUM)
            ncap += (size_t)t->cols[dc->cal_col[j]].n_labels;
    int64_t *tline = malloc(ncap * sizeof *tline);
    if (!tline) return fail_with(EXIT_DATA, "out of memory");
    for (size_t i = 0; i < ncap; i++) tline[i] = -1;
    for (int j = 0; j < dc->ncal; j++)
        if (t->cols[dc->cal_col[j]].kind != TBL_NUM &&
            !(order[j] = label_order(&t->cols[dc->cal_col[j]]))) {
            rc = fail_with(EXIT_DATA, "out of memory");
            goto done;
        }
    if (dc->cal == SOCIND_CAL_POSTSTRATIFY) {
        /* one margin: the cells are the file's rows */
        nm = 1;
        const size_t g = (size_t)dc->ncal;
        codes = malloc((n ? n : 1) * sizeof *codes);
        levels = malloc(sizeof *levels);
        totals = malloc(tf.nrow * sizeof *totals);
        int32_t *cellcode = malloc((tf.nrow + 1) * g * sizeof *cellcode);
        cell_index cells = {NULL, 0};
        if (!codes || !levels || !totals || !cellcode || cell_index_init(&cells, tf.nrow)) {
            free(cellcode);
            free(cells.slot);
            rc = fail_with(EXIT_DATA, "out of memory");
            goto done;
        }
        for (size_t r = 0; r < tf.nrow && !rc; r++) {
            rc = total_of(a, "poststratify", file, r, (int)g, 1, &totals[r]);
            int unsampled = 0;
            for (size_t j = 0; j < g && !rc; j++) {
                const tbl_col *c = &t->cols[dc->cal_col[j]];
                cellcode[r * g + j] = label_code(c, order[j], tf.cell[r][j]);
                /* a cell no row has and whose total is 0 is met as it is
                   (survey's postStratify leaves it out) */
                if (cellcode[r * g + j] < 0 && totals[r] == 0.0)
                    unsampled = 1;
                else if (cellcode[r * g + j] < 0)
                    rc = fail_with(EXIT_DATA,
                                   "%s:%lld: no sampled row has %s = \"%s\": the cell cannot be "
                                   "calibrated (--poststratify)",
                                   file, (long long)tf.line[r], c->name, tf.cell[r][j]);
            }
            if (rc) break;
            if (unsampled) continue;
            int32_t q = cell_find(&cells, cellcode, g, &cellcode[r * g]);
            if (q >= 0)
                rc = fail_with(EXIT_DATA, "%s:%lld: the cell of line %lld again", file,
                               (long long)tf.line[r], (long long)tf.line[q]);
            else
                cell_add(&cells, cellcode, g, (int32_t)r);
        }
        int32_t *key = cellcode + tf.nrow * g; /* one data row's codes */
        for (size_t k = 0; k < n && !rc; k++) {
            int32_t found = -1;
            for (size_t j = 0; j < g && !rc; j++)
                if ((key[j] = t->cols[dc->cal_col[j]].code[k]) < 0)
                    rc = missing_row(t, dc, &t->cols[dc->cal_col[j]], k);
            if (!rc) found = cell_find(&cells, cellcode, g, key);
            if (!rc && found < 0) {
                char buf[64];
                rc = fail_with(EXIT_DATA, "%s: %s: its cell has no total in %s (--poststratify)",
                               t->path, tbl_where(t, k, buf, sizeof buf), file);
            }
            codes[k] = found;
        }
        free(cellcode);
        free(cells.slot);
        levels[0] = (int32_t)tf.nrow;
        ntot = tf.nrow;
        for (size_t r = 0; r < tf.nrow; r++) tline[r] = tf.line[r];
    } else if (dc->cal == SOCIND_CAL_RAKE) {
        nm = (size_t)dc->ncal;
        int cv = hdr_col("variable"), cl = hdr_col("level"), ct = hdr_col("total");
        codes = malloc((n ? n : 1) * nm * sizeof *codes);
        levels = calloc(nm, sizeof *levels);
        totals = malloc(tf.nrow * sizeof *totals);
        int32_t *map = malloc(tf.nrow * sizeof *map); /* label code → level, per margin */
        if (!codes || !levels || !totals || !map) {
            free(map);
            rc = fail_with(EXIT_DATA, "out of memory");
            goto done;
        }
        for (size_t i = 0; i < nm && !rc; i++) {
            const tbl_col *c = &t->cols[dc->cal_col[i]];
            int32_t *lv = malloc(((size_t)c->n_labels + 1) * sizeof *lv);
            if (!lv) {
                rc = fail_with(EXIT_DATA, "out of memory");
                break;
            }
            for (int32_t k = 0; k < c->n_labels; k++) lv[k] = -1;
            for (size_t r = 0; r < tf.nrow && !rc; r++) {
                if (strcmp(tf.cell[r][cv], c->name) != 0) continue;
                int32_t code = label_code(c, order[i], tf.cell[r][cl]);
                if (code < 0) {
                    int skip;
                    rc = unsampled_line(a, "rake", "level", file, r, ct, c->name, tf.cell[r][cl],
                                        &skip);
                    if (skip) continue;
                } else if (lv[code] >= 0) {
                    rc = fail_with(EXIT_DATA, "%s:%lld: %s = \"%s\" is listed twice", file,
                                   (long long)tf.line[r], c->name, tf.cell[r][cl]);
                } else {
                    lv[code] = levels[i]++;
                    tline[ntot] = tf.line[r];
                    rc = total_of(a, "rake", file, r, ct, 1, &totals[ntot++]);
                }
            }
            for (size_t k = 0; k < n && !rc; k++) {
                int32_t code = c->code[k];
                if (code < 0)
                    rc = missing_row(t, dc, c, k);
                else if (lv[code] < 0)
                    rc = fail_with(EXIT_DATA,
                                   "%s: %s = \"%s\" has no total (--rake: every level "
                                   "of a margin needs one)",
                                   file, c->name, c->labels[code]);
                else
                    codes[i * n + k] = lv[code];
            }
            free(lv);
        }
        free(map);
    } else {
        int cm = hdr_col("term"), ct = hdr_col("total");
        size_t nnum = 0;
        for (int j = 0; j < dc->ncal; j++) nnum += t->cols[dc->cal_col[j]].kind == TBL_NUM;
        nm = (size_t)dc->ncal - nnum;
        size_t maxlev = 0;
        for (int j = 0; j < dc->ncal; j++)
            if (t->cols[dc->cal_col[j]].kind != TBL_NUM)
                maxlev += (size_t)t->cols[dc->cal_col[j]].n_labels;
        codes = malloc((n ? n : 1) * (nm ? nm : 1) * sizeof *codes);
        levels = calloc(nm ? nm : 1, sizeof *levels);
        totals = malloc((maxlev ? maxlev : 1) * sizeof *totals);
        x = malloc((n ? n : 1) * (nnum ? nnum : 1) * sizeof *x);
        xt = malloc((nnum ? nnum : 1) * sizeof *xt);
        if (!codes || !levels || !totals || !x || !xt) {
            rc = fail_with(EXIT_DATA, "out of memory");
            goto done;
        }
        for (size_t i = 0; i < maxlev; i++) totals[i] = NAN;
        size_t mi = 0, xi = 0, off = 0;
        int have_intercept = 0;
        for (size_t r = 0; r < tf.nrow && !rc; r++)
            if (strcmp(tf.cell[r][cm], "(Intercept)") == 0) {
                if (have_intercept)
                    rc = fail_with(EXIT_DATA, "%s:%lld: (Intercept) is listed twice", file,
                                   (long long)tf.line[r]);
                have_intercept = 1;
                cal.intercept = 1;
                rc = rc ? rc : total_of(a, "calibrate", file, r, ct, 1, &cal.intercept_total);
            }
        for (int j = 0; j < dc->ncal && !rc; j++) {
            const tbl_col *c = &t->cols[dc->cal_col[j]];
            const size_t nl = strlen(c->name);
            if (c->kind == TBL_NUM) {
                for (size_t k = 0; k < n && !rc; k++) {
                    if (isnan(c->num[k])) rc = missing_row(t, dc, c, k);
                    x[xi * n + k] = c->num[k];
                }
                for (size_t r = 0; r < tf.nrow && !rc; r++)
                    if (strcmp(tf.cell[r][cm], c->name) == 0)
                        rc = total_of(a, "calibrate", file, r, ct, 0, &xt[xi]);
                xi++;
                continue;
            }
            levels[mi] = c->n_labels;
            for (size_t k = 0; k < n && !rc; k++) {
                if (c->code[k] < 0) rc = missing_row(t, dc, c, k);
                codes[mi * n + k] = c->code[k];
            }
            for (size_t r = 0; r < tf.nrow && !rc; r++) {
                const char *term = tf.cell[r][cm];
                if (strncmp(term, c->name, nl) != 0 || term[nl] != ':') continue;
                int32_t code = label_code(c, order[j], term + nl + 1);
                if (code < 0) {
                    int skip;
                    rc = unsampled_line(a, "calibrate", "category", file, r, ct, c->name,
                                        term + nl + 1, &skip);
                    if (skip) continue;
                } else if (!isnan(totals[off + (size_t)code]))
                    rc = fail_with(EXIT_DATA, "%s:%lld: the term %s is listed twice", file,
                                   (long long)tf.line[r], term);
                else {
                    tline[off + (size_t)code] = tf.line[r];
                    rc = total_of(a, "calibrate", file, r, ct, 1, &totals[off + (size_t)code]);
                }
            }
            off += (size_t)c->n_labels;
            mi++;
        }
        ntot = off;
        cal.n_numeric = (int32_t)nnum;
        cal.x = x;
        cal.x_totals = xt;
        if (dc->cal == SOCIND_CAL_LOGIT) {
            cal.lower = dc->cal_lower;
            cal.upper = dc->cal_upper;
        }
    }
    if (rc) goto done;
    (void)ntot;
    cal.n_margins = (int32_t)nm;
    cal.codes = codes;
    cal.levels = levels;
    cal.margin_totals = totals;
    wout = malloc((n ? n : 1) * sizeof *wout);
    if (!wout) {
        rc = fail_with(EXIT_DATA, "out of memory");
        goto done;
    }
    socind_design *c = NULL;
    int32_t iters = 0;
    int32_t st = socind_calibrate(*design, &cal, wout, &iters, &c);
    if (st != SOCIND_OK) {
        /* the library names a category "margin i, level l": said as the
           targets file's line */
        const char *detail = socind_last_error_detail(), *at = strstr(detail, "margin ");
        int mi = -1, ml = -1, used = 0;
        if (at && sscanf(at, "margin %d, level %d%n", &mi, &ml, &used) == 2 && mi >= 0 &&
            (size_t)mi < nm && ml >= 0 && ml < levels[mi]) {
            size_t flat = (size_t)ml;
            for (int i = 0; i < mi; i++) flat += (size_t)levels[i];
            if (flat < ncap && tline[flat] >= 0) {
                fprintf(stderr,
                        "socind: %s:%lld: calibration (--%s): %s: %.*sthis line's "
                        "category%s\n",
                        file, (long long)tline[flat], dc->cal_opt, socind_strerror(st),
                        (int)(at - detail), detail, at + used);
                rc = EXIT_COMPUTE;
                goto done;
            }
        }
        char what[300];
        snprintf(what, sizeof what, "calibration to %s (--%s)", file, dc->cal_opt);
        rc = lib_fail(a, t, NULL, what, st);
        goto done;
    }
    socind_design_free(*design);
    *design = c;
    const char *out = arg_get(a, "calibrated-weights");
    if (out) { /* (all or nothing, never over an input: output.h) */
        static const char *const names[] = {"row", "weight", "calibrated_weight"};
        outw w;
        char err[512];
        if (outw_open(&w, out, OUT_CSV, 3, names, err, sizeof err)) {
            rc = fail_with(EXIT_OUTPUT, "%s (--calibrated-weights)", err);
            goto done;
        }
        for (size_t k = 0; k < n; k++) {
            outw_int(&w, t->record ? (long long)t->record[k] : (long long)k + 1);
            outw_num(&w, w0 ? w0[k] : 1.0, -1);
            outw_num(&w, wout[k], -1);
        }
        if (outw_close(&w, 1, err, sizeof err))
            rc = fail_with(EXIT_OUTPUT, "%s (--calibrated-weights)", err);
    }
done:
    for (int j = 0; j < dc->ncal; j++) free(order[j]);
    free(codes), free(levels), free(totals), free(x), free(xt), free(wout), free(tline);
    return rc;
}
