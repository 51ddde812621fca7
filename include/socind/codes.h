/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * socind/codes.h — group codes from the caller's labels.
 *
 * Every estimator takes its domains as dense int32 codes, 0 .. n_groups − 1,
 * with −1 for a row in no domain. Data rarely come so: BPS writes a
 * sub-district as a 7-digit number (1606010), a register as text
 * ("Sekayu"). A socind_codes handle turns n labels — int64 numbers or
 * NUL-terminated strings — into those codes, and gives each code's label
 * back for output:
 *
 *     socind_codes *kec = NULL;
 *     socind_codes_from_int64(n, kecamatan, NULL, &kec);
 *     socind_fgt(design, income, &line, 0.0, socind_codes_row_codes(kec),
 *                socind_codes_count(kec), NULL, est);
 *     for (int32_t j = 0; j < socind_codes_count(kec); j++) {
 *         int64_t label;
 *         socind_codes_int64_label(kec, j, &label);  // est[j] is label's
 *     }
 *     socind_codes_free(kec);
 *
 * Codes follow the sorted order of the distinct labels: numeric order for
 * int64 labels (−5 < 3 < 1606010), byte order for strings (C's strcmp,
 * each byte taken as unsigned: for UTF-8 text, the order of the code points;
 * "B" < "a" < "b" < "é"; no locale collation, no case folding, no trimming:
 * "Sekayu" and "Sekayu " are two labels). So code 0 is the smallest label,
 * and the same set of labels gets the same codes whatever the rows' order.
 * A missing label gets code −1 (in no domain; still in the design).
 *
 * Cost: one hashing pass over the rows (expected O(n)) plus a sort of the k
 * distinct labels (int64: a radix sort, O(k); strings: O(k log k)
 * comparisons). Memory kept: 4 bytes per row, and each distinct label (8
 * bytes, or the string and its offset); while building, at most about 200
 * bytes per distinct label more (the hash table and the sort).
 *
 * Ownership: the constructors copy what they keep (the caller may free its
 * labels afterwards); the handle is freed with socind_codes_free().
 * Thread safety: a handle, once built, is immutable; any number of threads
 * may read it at once. The constructors are reentrant.
 */
#ifndef SOCIND_CODES_H
#define SOCIND_CODES_H

#include "socind/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Opaque, immutable table of group codes. */
typedef struct socind_codes socind_codes;

/* The kind of labels a handle was built from (socind_codes_kind). */
#define SOCIND_CODES_INT64 1  /* socind_codes_from_int64 */
#define SOCIND_CODES_STRING 2 /* socind_codes_from_strings */

/* Codes for n int64 labels.
 *  labels   n labels, any int64 values (INT64_MIN and INT64_MAX included);
 *           may be NULL only when n = 0.
 *  missing  NULL (no label is missing) or n bytes: row k's label is missing
 *           when missing[k] is nonzero (its value is then not read), and its
 *           code is −1. A NumPy bool array or pandas' isna() passes as is.
 * Returns SOCIND_OK and *out, or: SOCIND_ERR_NULL (out NULL, or labels NULL
 * with n > 0), SOCIND_ERR_RANGE (n above 2^31 − 1, as a design), or
 * SOCIND_ERR_NOMEM. n = 0, or every label missing, gives a handle with no
 * code (socind_codes_count() = 0). On failure *out is NULL. Thread-safe. */
SOCIND_API int32_t socind_codes_from_int64(size_t n, const int64_t *labels, const uint8_t *missing,
                                           socind_codes **out);

/* Codes for n NUL-terminated strings; labels[k] NULL is a missing label
 * (code −1). Any bytes but NUL, in any encoding, of any length; the empty
 * string "" is a label like any other, not a missing one. labels may be NULL
 * only when n = 0. Returns SOCIND_OK and *out, or: SOCIND_ERR_NULL (out
 * NULL, or labels NULL with n > 0), SOCIND_ERR_RANGE (n above 2^31 − 1),
 * SOCIND_ERR_NOMEM. On failure *out is NULL. Thread-safe. */
SOCIND_API int32_t socind_codes_from_strings(size_t n, const char *const *labels,
                                             socind_codes **out);

/* Frees a handle; NULL is accepted. Not while another thread reads it. */
SOCIND_API void socind_codes_free(socind_codes *codes);

/* The number of distinct (non-missing) labels k: codes are 0 .. k − 1, the
 * n_groups an estimator takes. 0 for NULL. */
SOCIND_API int32_t socind_codes_count(const socind_codes *codes);
/* The number of rows n the handle was built from (0 for NULL). */
SOCIND_API size_t socind_codes_nrows(const socind_codes *codes);
/* The number of rows whose label is missing (code −1; 0 for NULL). */
SOCIND_API size_t socind_codes_nmissing(const socind_codes *codes);
/* SOCIND_CODES_INT64 or SOCIND_CODES_STRING (0 for NULL). */
SOCIND_API int32_t socind_codes_kind(const socind_codes *codes);

/* The code of each row: n values in [−1, k), owned by the handle and valid
 * until socind_codes_free(); pass it as an estimator's group column. NULL
 * for NULL, and for a handle of n = 0. */
SOCIND_API const int32_t *socind_codes_row_codes(const socind_codes *codes);

/* Copies the n row codes into out (n slots, n = socind_codes_nrows()).
 * Returns SOCIND_OK, SOCIND_ERR_NULL (codes NULL, or out NULL with n > 0) or
 * SOCIND_ERR_ARG (n is not the handle's number of rows); on failure a
 * non-NULL out has its n slots set to −1. Thread-safe. */
SOCIND_API int32_t socind_codes_copy_row_codes(const socind_codes *codes, int32_t *out, size_t n);

/* The int64 label of code `code` (0 <= code < k). Returns SOCIND_OK,
 * SOCIND_ERR_NULL (codes or label NULL) or SOCIND_ERR_ARG (code outside
 * [0, k), or a handle of string labels); *label is 0 on failure.
 * Thread-safe. */
SOCIND_API int32_t socind_codes_int64_label(const socind_codes *codes, int32_t code,
                                            int64_t *label);

/* The label of code `code` (0 <= code < k) as text: the string itself, or
 * an int64 label's decimal digits ("-42", "1606010"). Writes it
 * NUL-terminated into buf (cap bytes) and sets *needed (unless needed is
 * NULL) to the bytes it takes, NUL included. buf NULL with cap 0 asks for
 * the size only (SOCIND_OK, *needed set). Returns SOCIND_OK;
 * SOCIND_ERR_NULL (codes NULL, or buf NULL with cap > 0); SOCIND_ERR_ARG
 * (code outside [0, k)); SOCIND_ERR_BUFFER (cap is below *needed: nothing is
 * truncated, buf is ""). On failure buf (when cap > 0) is "" and *needed is
 * 0, except with SOCIND_ERR_BUFFER, where it is the size needed.
 * Thread-safe. */
SOCIND_API int32_t socind_codes_string_label(const socind_codes *codes, int32_t code, char *buf,
                                             size_t cap, size_t *needed);

#ifdef __cplusplus
}
#endif

#endif /* SOCIND_CODES_H */
