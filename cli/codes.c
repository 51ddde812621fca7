/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli/codes.c — growth codes as WHO's anthro accepts them, and their recoding (--sex-codes,
 * --measure-codes, --oedema-codes, --invalid-codes) (see cli.h). */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"
#include "numbers.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ code tables */

/* one code table: text → code (NULL-terminated) */
typedef struct code_map {
    const char *text;
    int32_t code;
} code_map;

static const code_map SEX_CODES[] = {{"1", SOCIND_SEX_MALE},
                                     {"2", SOCIND_SEX_FEMALE},
                                     {"m", SOCIND_SEX_MALE},
                                     {"f", SOCIND_SEX_FEMALE},
                                     {"M", SOCIND_SEX_MALE},
                                     {"F", SOCIND_SEX_FEMALE},
                                     {NULL, 0}};

static const code_map MEASURE_CODES[] = {{"l", SOCIND_MEASURE_LYING},
                                         {"h", SOCIND_MEASURE_STANDING},
                                         {"L", SOCIND_MEASURE_LYING},
                                         {"H", SOCIND_MEASURE_STANDING},
                                         {NULL, 0}};

static const code_map OEDEMA_CODES[] = {{"n", SOCIND_OEDEMA_NO},
                                        {"y", SOCIND_OEDEMA_YES},
                                        {"N", SOCIND_OEDEMA_NO},
                                        {"Y", SOCIND_OEDEMA_YES},
                                        {"1", SOCIND_OEDEMA_YES},
                                        {"2", SOCIND_OEDEMA_NO},
                                        {NULL, 0}};

/* the three code columns: option, recoding option, codes, what they mean */
typedef struct code_kind {
    const char *option, *recode, *what;
    const code_map *map;
    const char *accepted;
    int bad;
} code_kind;

static const code_kind KINDS[3] = {
    {"sex", "sex-codes", "sex", SEX_CODES, "1, 2, m, f, M, F", BAD_SEX},
    {"measure", "measure-codes", "measure", MEASURE_CODES, "l, h, L, H", BAD_MEASURE},
    {"oedema", "oedema-codes", "oedema", OEDEMA_CODES, "n, y, N, Y, 1 = yes, 2 = no", BAD_OEDEMA}};

/* ------------------------------------------------------------------ a code's value */

/* The number D·10^E as the exact decimal text of its value into out (160
 * bytes): d its significant digits (nd of them, the last not 0), neg its
 * sign. */
static void decimal_text(int neg, const char *d, size_t nd, long e, char *out) {
    long len = (long)nd;
    size_t m = 0;
    if (neg) out[m++] = '-';
    if (e >= 0 && e <= 60) { /* an integer: D and E zeros */
        memcpy(out + m, d, nd);
        m += nd;
        for (long i = 0; i < e; i++) out[m++] = '0';
    } else if (e < 0 && -e < len) { /* D with a decimal point inside */
        memcpy(out + m, d, (size_t)(len + e));
        m += (size_t)(len + e);
        out[m++] = '.';
        memcpy(out + m, d + len + e, (size_t)-e);
        m += (size_t)-e;
    } else if (e < 0 && -e <= 60) { /* 0.000D */
        out[m++] = '0';
        out[m++] = '.';
        for (long i = 0; i < -e - len; i++) out[m++] = '0';
        memcpy(out + m, d, nd);
        m += nd;
    } else { /* far from 1: DeE */
        m += (size_t)snprintf(out + m, 160 - m, "%.*se%ld", (int)nd, d, e);
    }
    out[m] = '\0';
}

/* A code's text compared by its value when it is a number: a label that
 * reads as a number (the reader's syntax with a decimal point: sign, digits,
 * '.', exponent) becomes the exact decimal text of that number — "1.0",
 * "01", "+1" and "1e0" are "1", "1.50" is "1.5" — with no rounding to a
 * double, so "1.0000000000000002" (or "1.00000000000000001") stays itself
 * and is no code 1. Other labels are compared as written. buf holds >= 160
 * bytes. */
static const char *canonical(const char *label, char *buf, size_t cap) {
    double v;
    if (tbl_parse_number(label, strlen(label), 0, &v) != 0) return label;
    /* the significant digits D and the exponent E of the value D·10^E */
    char d[80];
    size_t nd = 0;
    long e = 0;
    int neg = 0, frac = 0;
    const char *p = label;
    while (*p == ' ' || *p == '\t' || *p == '\r') p++;
    if (*p == '+' || *p == '-') neg = *p++ == '-';
    for (; *p && *p != 'e' && *p != 'E'; p++) {
        if (*p == '.') {
            frac = 1;
        } else if (*p >= '0' && *p <= '9') {
            if (nd > 0 || *p != '0') d[nd++] = *p;
            if (frac) e--;
        } else {
            break; /* trailing spaces */
        }
    }
    if (*p == 'e' || *p == 'E') { /* bounded: "0.5e-99999999999999999999" is 0 */
        long x = strtol(p + 1, NULL, 10);
        e += x > 100000 ? 100000 : x < -100000 ? -100000 : x;
    }
    while (nd > 0 && d[nd - 1] == '0') nd--, e++;
    if (nd == 0) return snprintf(buf, cap, "0"), buf;
    char out[160];
    decimal_text(neg, d, nd, e, out);
    snprintf(buf, cap, "%s", out);
    return buf;
}

static int code_of(const char *label, const code_map *map, int32_t *code) {
    char canon[160];
    const char *s = canonical(label, canon, sizeof canon);
    for (const code_map *m = map; m->text; m++)
        if (strcmp(s, m->text) == 0) return *code = m->code, 0;
    return -1;
}

/* ------------------------------------------------------------------ recoding options */

#define MAX_RECODE 64

typedef struct recode {
    char from[64];
    int32_t code;
} recode;

/* --sex-codes L=1,P=2 → pairs; 0, or EXIT_USAGE after a message */
static int parse_recodes(const args *a, const code_kind *k, recode *out, int *n) {
    *n = 0;
    const char *text = arg_get(a, k->recode);
    if (!text) return 0;
    const char *p = text;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        const char *eq = memchr(p, '=', len);
        if (!eq || len == 0)
            return usage_error(a->command,
                               "--%s must be FILE_VALUE=CODE,... (e.g. --%s %s), not \"%s\"",
                               k->recode, k->recode,
                               k->bad == BAD_SEX       ? "L=1,P=2"
                               : k->bad == BAD_MEASURE ? "B=l,D=h"
                                                       : "0=n,1=y",
                               text);
        size_t flen = (size_t)(eq - p), tlen = len - flen - 1;
        while (flen > 0 && p[flen - 1] == ' ') flen--;
        const char *from = p;
        while (flen > 0 && *from == ' ') from++, flen--;
        char to[64];
        const char *tp = eq + 1;
        while (tlen > 0 && *tp == ' ') tp++, tlen--;
        while (tlen > 0 && tp[tlen - 1] == ' ') tlen--;
        snprintf(to, sizeof to, "%.*s", (int)(tlen < 63 ? tlen : 63), tp);
        if (flen == 0 || flen >= sizeof out->from)
            return usage_error(a->command, "--%s: \"%.*s\": the file's value before \"=\" is %s",
                               k->recode, (int)len, p, flen == 0 ? "empty" : "too long");
        int32_t code;
        if (code_of(to, k->map, &code) != 0)
            return usage_error(a->command,
                               "--%s: \"%.*s\": \"%s\" is not a %s code WHO's anthro accepts (%s)",
                               k->recode, (int)len, p, to, k->what, k->accepted);
        for (int i = 0; i < *n; i++)
            if (strlen(out[i].from) == flen && strncmp(out[i].from, from, flen) == 0 &&
                out[i].code != code)
                return usage_error(a->command, "--%s: \"%.*s\" is recoded twice", k->recode,
                                   (int)flen, from);
        if (*n == MAX_RECODE)
            return usage_error(a->command, "--%s: more than %d codes", k->recode, MAX_RECODE);
        snprintf(out[*n].from, sizeof out[*n].from, "%.*s", (int)flen, from);
        out[*n].code = code;
        (*n)++;
        if (!comma) break;
        p = comma + 1;
    }
    return 0;
}

/* 1 when --invalid-codes missing, 0 for error (the default), −1 after a usage error */
static int invalid_policy(const args *a) {
    const char *v = arg_get(a, "invalid-codes");
    if (!v || strcmp(v, "error") == 0) return 0;
    if (strcmp(v, "missing") == 0) return 1;
    usage_error(a->command, "--invalid-codes must be error or missing");
    return -1;
}

int codes_check_options(const args *a) {
    recode r[MAX_RECODE];
    int n;
    for (int i = 0; i < 3; i++)
        if (parse_recodes(a, &KINDS[i], r, &n)) return EXIT_USAGE;
    return invalid_policy(a) < 0 ? EXIT_USAGE : 0;
}

/* ------------------------------------------------------------------ the codes of the rows */

#define MAX_LISTED 20

/* The code of each label of column c (lut[k]; −9: none): after the
 * recoding options rec[0..nrec) (the file's value as written, or the same
 * exact number), the codes WHO's anthro accepts. */
static void label_codes(const tbl_col *c, const code_kind *kind, const recode *rec, int nrec,
                        int32_t *lut) {
    for (int32_t k = 0; k < c->n_labels; k++) {
        lut[k] = -9;
        char canon[160], canon2[160];
        const char *label = c->labels[k];
        for (int i = 0; i < nrec && lut[k] == -9; i++)
            if (strcmp(label, rec[i].from) == 0 ||
                strcmp(canonical(label, canon, sizeof canon),
                       canonical(rec[i].from, canon2, sizeof canon2)) == 0)
                lut[k] = rec[i].code;
        if (lut[k] == -9 && code_of(label, kind->map, &lut[k]) != 0) lut[k] = -9;
    }
}

/* under --invalid-codes missing: how many rows of column c had an invalid
 * code, the first distinct ones (shown[0..nshown), 5 at most) */
static void say_taken_as_missing(const args *a, const tbl_col *c, size_t nbad,
                                 const char *const *shown, int nshown, const char *who) {
    fprintf(stderr, "socind %s: %zu row%s a code in column \"%s\" (--%s) that %s does not accept (",
            a->command, nbad, nbad == 1 ? " has" : "s have", c->name, c->option, who);
    for (int i = 0; i < nshown; i++) fprintf(stderr, "%s\"%s\"", i ? ", " : "", shown[i]);
    fprintf(stderr, "%s); %s taken as missing (--invalid-codes missing)\n",
            nshown == 5 ? ", ..." : "", nbad == 1 ? "it is" : "they are");
}

/* the codes of one column; *nbad invalid rows (listed on stderr under the
 * error policy, counted under "missing") */
static int codes_of(const args *a, const tbl *t, int col, const code_kind *kind, int as_missing,
                    const char *who, int32_t **out, unsigned char **bad, size_t *nbad) {
    *out = NULL;
    *nbad = 0;
    if (col < 0) return 0;
    recode rec[MAX_RECODE];
    int nrec;
    if (parse_recodes(a, kind, rec, &nrec)) return EXIT_USAGE;
    const tbl_col *c = &t->cols[col];
    int32_t *lut = malloc((c->n_labels ? (size_t)c->n_labels : 1) * sizeof *lut);
    int32_t *codes = malloc((t->nrows ? t->nrows : 1) * sizeof *codes);
    if (!lut || !codes) {
        free(lut);
        free(codes);
        return fail_with(EXIT_DATA, "out of memory");
    }
    label_codes(c, kind, rec, nrec, lut);
    /* distinct invalid values, for the warning under "missing" */
    const char *shown[5];
    int nshown = 0;
    for (size_t r = 0; r < t->nrows; r++) {
        int32_t k = c->code[r];
        codes[r] = k < 0 ? SOCIND_CODE_MISSING : lut[k];
        if (codes[r] != -9) continue;
        (*nbad)++;
        codes[r] = SOCIND_CODE_MISSING;
        if (as_missing) {
            if (!*bad) *bad = calloc(t->nrows, 1);
            if (!*bad) {
                free(lut);
                free(codes);
                return fail_with(EXIT_DATA, "out of memory");
            }
            (*bad)[r] |= (unsigned char)kind->bad;
            int seen = 0;
            for (int i = 0; i < nshown; i++) seen |= strcmp(shown[i], c->labels[k]) == 0;
            if (!seen && nshown < 5) shown[nshown++] = c->labels[k];
        } else if (*nbad <= MAX_LISTED) {
            char buf[64], hint[320] = "";
            /* a .dta/.sav value label: the codes are read as the labels'
               text, which --*-codes recodes (as --where compares them); not
               said of a value without a label (its own text is read) */
            char num[40];
            if (c->value_labels && c->label_value && !isnan(c->label_value[k])) {
                const double v = c->label_value[k];
                double own;
                const char *l = c->labels[k];
                number_shortest(v, num, sizeof num);
                if (tbl_parse_number(l, strlen(l), t->decimal_comma, &own) != 0 || own != v)
                    snprintf(hint, sizeof hint,
                             "; the file's value %s has the value label \"%s\", which is what "
                             "is read: recode the labels (--%s \"%s=CODE,...\", CODE one of the "
                             "codes above)",
                             num, c->labels[k], kind->recode, c->labels[k]);
            }
            fprintf(stderr,
                    "socind: %s: %s: column \"%s\" (--%s): \"%s\" is not a code %s accepts "
                    "(%s, or a missing value)%s\n",
                    t->path, tbl_where(t, r, buf, sizeof buf), c->name, c->option, c->labels[k],
                    who, kind->accepted, hint);
        }
    }
    if (*nbad > MAX_LISTED && !as_missing)
        fprintf(stderr, "socind: %s: and %zu more line%s with such a code in column \"%s\"\n",
                t->path, *nbad - MAX_LISTED, *nbad - MAX_LISTED == 1 ? "" : "s", c->name);
    if (*nbad > 0 && as_missing) say_taken_as_missing(a, c, *nbad, shown, nshown, who);
    free(lut);
    *out = codes;
    return 0;
}

int growth_codes(const args *a, const tbl *t, const growth_cols *g, growth_codes_t *out) {
    memset(out, 0, sizeof *out);
    int as_missing = invalid_policy(a);
    if (as_missing < 0) return EXIT_USAGE;
    const int cols[3] = {g->sex, g->measure, g->oedema};
    int32_t **dst[3] = {&out->sex, &out->measure, &out->oedema};
    size_t nbad[3] = {0, 0, 0};
    for (int i = 0; i < 3; i++) {
        int rc = codes_of(a, t, cols[i], &KINDS[i], as_missing, "WHO's anthro", dst[i], &out->bad,
                          &nbad[i]);
        if (rc) {
            growth_codes_free(out);
            return rc;
        }
    }
    if (!as_missing && nbad[0] + nbad[1] + nbad[2] > 0) {
        static const char *const example[3] = {"--sex-codes L=1,P=2", "--measure-codes B=l,D=h",
                                               "--oedema-codes tidak=n,ya=y"};
        char flags[120] = "";
        int first = -1;
        for (int i = 0; i < 3; i++)
            if (nbad[i]) {
                buf_appendf(flags, sizeof flags, "%s--%s", flags[0] ? ", " : "", KINDS[i].recode);
                if (first < 0) first = i;
            }
        size_t total = nbad[0] + nbad[1] + nbad[2];
        fprintf(stderr,
                "socind: %s: %zu value%s WHO's anthro does not accept; map the file's codes with "
                "%s (e.g. %s), or take them as missing with --invalid-codes missing\n",
                t->path, total, total == 1 ? "" : "s", flags, example[first]);
        growth_codes_free(out);
        return EXIT_DATA;
    }
    return 0;
}

int sex_codes(const args *a, const tbl *t, int col, int32_t **out) {
    *out = NULL;
    int as_missing = invalid_policy(a);
    if (as_missing < 0) return EXIT_USAGE;
    unsigned char *bad = NULL;
    size_t nbad = 0;
    int rc = codes_of(a, t, col, &KINDS[0], as_missing, "socind", out, &bad, &nbad);
    free(bad);
    if (rc) return rc;
    if (!as_missing && nbad > 0) {
        fprintf(stderr,
                "socind: %s: %zu sex value%s socind does not accept; map the file's codes with "
                "--sex-codes (e.g. --sex-codes L=1,P=2), or take them as missing with "
                "--invalid-codes missing\n",
                t->path, nbad, nbad == 1 ? "" : "s");
        free(*out);
        *out = NULL;
        return EXIT_DATA;
    }
    return 0;
}

void growth_codes_free(growth_codes_t *c) {
    free(c->sex);
    free(c->measure);
    free(c->oedema);
    free(c->bad);
    memset(c, 0, sizeof *c);
}

int growth_label_code(const args *a, int which, const char *label, int32_t *code) {
    recode rec[MAX_RECODE];
    int nrec;
    if (parse_recodes(a, &KINDS[which], rec, &nrec)) return -1;
    tbl_col c;
    memset(&c, 0, sizeof c);
    char *labels[1] = {(char *)label};
    c.labels = labels;
    c.n_labels = 1;
    label_codes(&c, &KINDS[which], rec, nrec, code);
    return 0;
}
