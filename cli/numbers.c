/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli/numbers.c — see numbers.h and, for the rules, table.h. */
#include "numbers.h"

#include "table.h"
#include "text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

const char *const TBL_NA_DEFAULT[] = {"", "NA", "NaN", ".", NULL};

/* ------------------------------------------------------------------ missing values */

na_set na_set_of(const char *const *na) {
    if (!na) na = TBL_NA_DEFAULT;
    na_set n = {na, 0};
    for (; na && *na; na++) {
        size_t len = strlen(*na);
        n.lengths |= (uint64_t)1 << (len < 63 ? len : 63);
    }
    return n;
}

/* ------------------------------------------------------------------ numbers */

static int is_digit(char ch) {
    return ch >= '0' && ch <= '9';
}

/* The trimmed text s[0..len) in C's syntax (sign, digits, '.', exponent)
 * into buf (64 bytes), under the file's rule: its length, or 0 when the text
 * is not a number. */
static size_t c_syntax(const char *s, size_t len, int decimal_comma, char *buf) {
    if (len == 0 || len > 60) return 0;
    size_t m = 0;
    size_t i = 0;
    if (s[0] == '+' || s[0] == '-') buf[m++] = s[i++];
    /* integer part, with '.' as thousands separator under decimal_comma: a
       first group of 1-3 digits that does not start with 0 ("0.125" and
       "012.345" are no thousands), then groups of three */
    size_t group = 0, ngroups = 0, digits = 0, first = i;
    for (; i < len; i++) {
        char ch = s[i];
        if (is_digit(ch)) {
            buf[m++] = ch;
            group++;
            digits++;
        } else if (decimal_comma && ch == '.') {
            if ((ngroups == 0 && (group < 1 || group > 3 || s[first] == '0')) ||
                (ngroups > 0 && group != 3))
                return 0;
            ngroups++;
            group = 0;
        } else {
            break;
        }
    }
    if (ngroups > 0 && group != 3) return 0;
    if (i < len && s[i] == (decimal_comma ? ',' : '.')) {
        buf[m++] = '.';
        for (i++; i < len && is_digit(s[i]); i++) buf[m++] = s[i], digits++;
    }
    if (digits == 0) return 0;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        buf[m++] = 'e';
        i++;
        if (i < len && (s[i] == '+' || s[i] == '-')) buf[m++] = s[i++];
        size_t ed = 0;
        for (; i < len && is_digit(s[i]); i++) buf[m++] = s[i], ed++;
        if (ed == 0) return 0;
    }
    if (i != len) return 0;
    buf[m] = '\0';
    return m;
}

/* Clinger's fast path: an integer of at most 15 digits divided by a power
 * of ten <= 10^22, both exact doubles, is the correctly rounded value —
 * what strtod returns. 1 with the value of buf (c_syntax's) in *out, or 0
 * when buf is not such a number (an exponent, more digits). */
static int fast_path(const char *buf, double *out) {
    static const double p10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                 1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    uint64_t mant = 0;
    int nd = 0, frac = -1, ok = 1;
    size_t q = (buf[0] == '-' || buf[0] == '+') ? 1 : 0;
    for (; buf[q] && ok; q++) {
        if (buf[q] == '.')
            frac = 0;
        else if (is_digit(buf[q])) {
            if (mant || buf[q] != '0') nd++;
            mant = mant * 10 + (uint64_t)(buf[q] - '0');
            if (frac >= 0) frac++;
            ok = nd <= 15;
        } else
            ok = 0; /* an exponent: strtod */
    }
    if (!ok || (frac < 0 ? 0 : frac) > 22) return 0;
    double v = (double)mant / p10[frac < 0 ? 0 : frac];
    *out = buf[0] == '-' ? -v : v;
    return 1;
}

/* 1 when a digit of buf's (c_syntax's) mantissa is not 0 */
static int nonzero_mantissa(const char *buf) {
    for (; *buf && *buf != 'e'; buf++)
        if (*buf >= '1' && *buf <= '9') return 1;
    return 0;
}

/* Why the value v that strtod gave for buf (c_syntax's) cannot be taken: 1
 * beyond the largest double ("1e400": ±HUGE_VAL), 2 nearer 0 than the
 * smallest one ("1e-400", "-1e-400": ±0 for digits that are not all 0), or
 * 0 (taken).
 *
 * Underflow is refused as overflow is: a 0 read for a text that is not 0
 * would turn a positive weight into a zero weight, or an income into 0,
 * without a word. A subnormal result ("1e-310", between 4.9e-324 and
 * 2.2e-308) is taken, although glibc's strtod sets ERANGE for it: it is the
 * double nearest to the text, as for any other number, only with fewer
 * significant bits, so the value is representable and not wrong; only a
 * result that lost the value altogether (0) is refused. errno is therefore
 * not looked at (C leaves it to the implementation whether underflow sets
 * it); the digits say whether the text was 0. */
static int out_of_range(const char *buf, double v) {
    if (!isfinite(v)) return 1;
    if (v == 0 && nonzero_mantissa(buf)) return 2;
    return 0;
}

int number_parse(const char *s, size_t len, int decimal_comma, double *out) {
    *out = NAN;
    char buf[64];
    size_t m = c_syntax(s, len, decimal_comma, buf);
    if (m == 0) return -1;
    if (fast_path(buf, out)) return 0; /* (no exponent: within the range) */
    char *end = NULL;
    double v = strtod(buf, &end);
    if (end != buf + m || out_of_range(buf, v)) return -1;
    *out = v;
    return 0;
}

void number_shortest(double v, char *buf, size_t cap) {
    int prec = 1;
    for (; prec < 17; prec++) {
        snprintf(buf, cap, "%.*e", prec - 1, v);
        if (strtod(buf, NULL) == v) break;
    }
    snprintf(buf, cap, "%.*e", prec - 1, v);
    const char *e = strchr(buf, 'e');
    int exp10 = e ? atoi(e + 1) : 0;
    if (isfinite(v) && exp10 >= -5 && exp10 < 17) {
        int decimals = prec - 1 - exp10;
        snprintf(buf, cap, "%.*f", decimals > 0 ? decimals : 0, v);
    } else {
        snprintf(buf, cap, "%.*g", prec, v);
    }
    if (strtod(buf, NULL) != v) snprintf(buf, cap, "%.17g", v);
}

void number_unambiguous(double v, char *buf, size_t cap) {
    number_shortest(v, buf, cap);
    size_t len = strlen(buf);
    double other;
    if (number_parse(buf, len, 1, &other) != 0 || other == v || len + 2 > cap) return;
    /* "1.234" or "1.234e+20": "." before three digits would separate
       thousands under --decimal-comma; a fourth digit, 0, leaves it the
       decimal point ("1.2340") */
    const char *e = strchr(buf, 'e');
    size_t at = e ? (size_t)(e - buf) : len;
    memmove(buf + at + 1, buf + at, len - at + 1);
    buf[at] = '0';
}

/* ------------------------------------------------------------------ advice */

/* Length of the prefix of s that is digits grouped by `sep` into thousands
 * (1-3 digits not starting with 0, then one or more groups of sep and three
 * digits), or 0 — c_syntax's rule for decimal_comma. */
static size_t grouped(const char *s, size_t len, char sep) {
    size_t i = 0, groups = 0;
    while (i < len && is_digit(s[i])) i++;
    if (i < 1 || i > 3 || s[0] == '0') return 0;
    while (i + 3 < len && s[i] == sep && is_digit(s[i + 1]) && is_digit(s[i + 2]) &&
           is_digit(s[i + 3]) && (i + 4 == len || !is_digit(s[i + 4]))) {
        i += 4;
        groups++;
    }
    return groups ? i : 0;
}

static int all_digits(const char *s, size_t len) {
    if (len == 0) return 0;
    for (size_t i = 0; i < len; i++)
        if (!is_digit(s[i])) return 0;
    return 1;
}

/* s[0..len) without the character drop, `from` replaced by `to` */
static void strip(const char *s, size_t len, char drop, char from, char to, char *out) {
    size_t m = 0;
    for (size_t i = 0; i < len; i++)
        if (s[i] != drop) out[m++] = s[i] == from ? to : s[i];
    out[m] = '\0';
}

static size_t count_char(const char *s, size_t len, char ch) {
    size_t n = 0;
    for (size_t i = 0; i < len; i++) n += s[i] == ch;
    return n;
}

/* "1 000 000": spaces that separate thousands, read under the file's rule */
static void hint_spaces(const char *s, size_t len, int decimal_comma, char *buf, size_t cap) {
    char plain[64];
    double v;
    strip(s, len, ' ', 0, 0, plain);
    if (number_parse(plain, strlen(plain), decimal_comma, &v) == 0)
        snprintf(buf, cap, ": spaces separate thousands in it; write the numbers without them (%s)",
                 plain);
}

/* the shape of a text that is not a number */
typedef struct shape {
    const char *s, *b;   /* the text, and after its sign */
    size_t len, n;       /* their lengths */
    size_t g;            /* grouped(b, n, ',') */
    int comma_thousands; /* ',' separates thousands, with nothing or '.' and digits after */
} shape;

/* without --decimal-comma: "1,862.66", "1,862", "1,5", "1.234,5", "1 000" */
static void hint_point(const shape *x, char *buf, size_t cap) {
    char plain[64], other[64];
    double v;
    if (x->comma_thousands) {
        strip(x->s, x->len, ',', 0, 0, plain);
        if (x->g == x->n && count_char(x->s, x->len, ',') == 1) {
            strip(x->s, x->len, 0, ',', '.', other);
            snprintf(buf, cap,
                     ": \",\" separates thousands (%s: write the numbers without thousands "
                     "separators) or is a decimal comma (%s: see --decimal-comma)",
                     plain, other);
        } else {
            snprintf(buf, cap,
                     ": \",\" separates thousands in it; write the numbers without thousands "
                     "separators (%s)",
                     plain);
        }
    } else if (number_parse(x->s, x->len, 1, &v) == 0) {
        number_shortest(v, plain, sizeof plain);
        snprintf(buf, cap,
                 ": with --decimal-comma (\",\" the decimal point, \".\" separating "
                 "thousands) it reads as %s; see --decimal-comma",
                 plain);
    } else if (grouped(x->b, x->n, ' ')) {
        hint_spaces(x->s, x->len, 0, buf, cap);
    }
}

/* under --decimal-comma: "1,862.66", "1.5", "0.125", "1 000,5" */
static void hint_comma(const shape *x, char *buf, size_t cap) {
    char plain[64];
    double v;
    if (x->comma_thousands && x->g < x->n) {
        strip(x->s, x->len, ',', 0, 0, plain);
        snprintf(buf, cap,
                 ": \",\" separates thousands and \".\" is the decimal point in it, the other way "
                 "round from --decimal-comma; leave out --decimal-comma and write the numbers "
                 "without thousands separators (%s)",
                 plain);
    } else if (number_parse(x->s, x->len, 0, &v) == 0) {
        if (count_char(x->s, x->len, '.') == 1) {
            strip(x->s, x->len, 0, '.', ',', plain);
            snprintf(buf, cap,
                     ": with --decimal-comma \".\" separates thousands (groups of three digits%s) "
                     "and \",\" is the decimal point; write %s, or leave out --decimal-comma if "
                     "\".\" is the decimal point",
                     x->b[0] == '0' ? " after a first group that does not start with 0" : "",
                     plain);
        } else {
            snprintf(buf, cap,
                     ": with --decimal-comma \".\" separates thousands (groups of three digits) "
                     "and \",\" is the decimal point");
        }
    } else if (grouped(x->b, x->n, ' ')) {
        hint_spaces(x->s, x->len, 1, buf, cap);
    }
}

const char *number_hint(const char *s, size_t len, int decimal_comma, char *buf, size_t cap) {
    buf[0] = '\0';
    if (len == 0 || len > 60) return buf;
    char c[64];
    if (c_syntax(s, len, decimal_comma, c) > 0) { /* a number, out of range */
        int why = out_of_range(c, strtod(c, NULL));
        if (why == 1)
            snprintf(buf, cap, ": it is beyond the range of numbers (magnitudes up to 1.8e308)");
        else if (why == 2)
            snprintf(buf, cap,
                     ": it is nearer 0 than the smallest number that can be held (4.9e-324) "
                     "and would read as 0; write 0 if 0 is meant");
        return buf;
    }
    size_t i = s[0] == '+' || s[0] == '-';
    shape x = {s, s + i, len, len - i, 0, 0};
    x.g = grouped(x.b, x.n, ',');
    x.comma_thousands =
        x.g && (x.g == x.n || (x.b[x.g] == '.' && all_digits(x.b + x.g + 1, x.n - x.g - 1)));
    if (decimal_comma)
        hint_comma(&x, buf, cap);
    else
        hint_point(&x, buf, cap);
    return buf;
}

/* ------------------------------------------------------------------ the public face */

int tbl_parse_number(const char *s, size_t len, int decimal_comma, double *out) {
    if (!s) s = "", len = 0;
    size_t a = 0, b = len;
    *out = NAN;
    trim_blanks(s, &a, &b);
    na_set na = na_set_of(TBL_NA_DEFAULT);
    if (na_set_has(&na, s + a, b - a)) return 1;
    return number_parse(s + a, b - a, decimal_comma, out);
}

int tbl_parse_option_number(const char *s, int decimal_comma, double *out, char *why, size_t cap) {
    if (!s) s = "";
    double point, comma;
    size_t len = strlen(s);
    int a = tbl_parse_number(s, len, 0, &point);
    int b = decimal_comma ? tbl_parse_number(s, len, 1, &comma) : -1;
    *out = NAN;
    if (a == 0 && b == 0 && point != comma) {
        /* the readings, and texts for them that read one way (not "12.345"
           again for 12.345) */
        char p1[40], p2[40], w1[48], w2[48];
        number_shortest(comma, p1, sizeof p1);
        number_shortest(point, p2, sizeof p2);
        number_unambiguous(comma, w1, sizeof w1);
        number_unambiguous(point, w2, sizeof w2);
        snprintf(why, cap,
                 "\"%s\" reads as %s (with --decimal-comma, \".\" separates thousands) or as %s "
                 "(a decimal point); write %s or %s",
                 s, p1, p2, w1, w2);
        return 2;
    }
    if (a == 0) return *out = point, 0;
    if (b == 0) return *out = comma, 0;
    char hint[400];
    size_t lo = 0, hi = len;
    trim_blanks(s, &lo, &hi);
    if (hi - lo > 60) { /* (quoted whole, the reason would be cut off) */
        char shown[200];
        snprintf(why, cap,
                 "\"%s\" is not a number: it is %zu characters long, and a number may have at "
                 "most 60",
                 show_text(s + lo, hi - lo, shown, sizeof shown), hi - lo);
        return 1;
    }
    snprintf(why, cap, "\"%s\" is not a number%s", s,
             a == 1 ? "" : number_hint(s + lo, hi - lo, decimal_comma, hint, sizeof hint));
    return 1;
}
