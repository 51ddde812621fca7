/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cli/numbers.h — what a cell is: one of the spellings of a missing value,
 * or a number under the file's rule (a decimal point, or --decimal-comma),
 * with the advice its shape calls for when it is not one; and the shortest
 * text of a double. The readers' side of tbl_parse_number and
 * tbl_parse_option_number (table.h, whose comments give the rules). Private
 * to the command (cli/); no state.
 */
#ifndef SOCIND_CLI_NUMBERS_H
#define SOCIND_CLI_NUMBERS_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* The spellings of a missing value, with a bit per length that one of them
 * has (bit 63: 63 or more) to turn most cells away without a comparison. */
typedef struct na_set {
    const char *const *s;
    uint64_t lengths;
} na_set;

/* The set of the NULL-terminated list na; NULL: TBL_NA_DEFAULT. */
na_set na_set_of(const char *const *na);

/* 1 when the (trimmed) text s[0..len) is one of the spellings. */
static inline int na_set_has(const na_set *na, const char *s, size_t len) {
    if (!(na->lengths >> (len < 63 ? len : 63) & 1)) return 0;
    for (const char *const *p = na->s; p && *p; p++)
        if (strlen(*p) == len && memcmp(*p, s, len) == 0) return 1;
    return 0;
}

/* A trimmed text that is not a missing value, under the file's rule
 * (decimal_comma 0 or 1; see tbl_parse_number): 0 and the number in *out,
 * or −1 (*out NaN), also for a number beyond the range of a double or one
 * that would read as 0 but is not ("1e400", "1e-400"; a subnormal is read). */
int number_parse(const char *s, size_t len, int decimal_comma, double *out);

/* What to do about a trimmed text that is not a number under the file's
 * rule, when its shape says: thousands separators ("1,862.66", "1,862",
 * "1 000"), a decimal comma without --decimal-comma ("1,5", "1.234,5"), a
 * decimal point under --decimal-comma ("1.5") or the reverse convention
 * ("1,862.66" under --decimal-comma), or a number out of a double's range
 * ("1e400", "1e-400"). Written into buf (cap >= 400) as
 * ": …", or ""; returns buf. */
const char *number_hint(const char *s, size_t len, int decimal_comma, char *buf, size_t cap);

/* The shortest text that reads back as v (cap >= 32): the fewest significant
 * digits that round-trip, written without an exponent when it is between −5
 * and 16 ("545000", "0.00012", "1234567890123456"), with one otherwise
 * ("2.5e-300"). */
void number_shortest(double v, char *buf, size_t cap);

/* number_shortest's text, made one that reads as v alone also under
 * --decimal-comma (cap >= 40): where "." would separate thousands there
 * ("12.345": 12345), a 0 is added to the decimals ("12.3450"), so that the
 * text reads one way with and without --decimal-comma, alone or as an item
 * of a list. */
void number_unambiguous(double v, char *buf, size_t cap);

#endif
