/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lib/growth_tables.h — the WHO LMS tables compiled into the library
 * (generated from data/who-growth/ by tools/gen_who_tables.c). */
#ifndef SOCIND_GROWTH_TABLES_H
#define SOCIND_GROWTH_TABLES_H

#include <stdint.h>

/* Rows over the integer keys lo..hi (age in days or months, or round(10 ×
 * length in cm)); lms[(sex − 1)·rows·3 + (key − lo)·3 + {0,1,2}] = L, M, S. */
typedef struct {
    int32_t lo, hi;
    const double *lms;
} socind__lms_table;

extern const socind__lms_table socind__who_lenanthro, socind__who_weianthro, socind__who_bmianthro,
    socind__who_hcanthro, socind__who_acanthro, socind__who_tsanthro, socind__who_ssanthro,
    socind__who_wflanthro, socind__who_wfhanthro, socind__who_hfawho2007, socind__who_wfawho2007,
    socind__who_bfawho2007;

/* k/100 for k < SOCIND_HUNDREDTHS, correctly rounded (the division's result). */
#define SOCIND_HUNDREDTHS 4096
extern const double socind__hundredths[SOCIND_HUNDREDTHS];

/* L, M, S of `sex` (1/2) at `key`, or NULL outside the table. */
static inline const double *socind__lms_row(const socind__lms_table *t, int32_t sex, int64_t key) {
    if (key < t->lo || key > t->hi || (sex != 1 && sex != 2)) return 0;
    int64_t rows = (int64_t)t->hi - t->lo + 1;
    return t->lms + ((int64_t)(sex - 1) * rows + (key - t->lo)) * 3;
}

#endif
