/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cli/table.h — reading the columns a command needs from a data file.
 *
 * CSV (comma, semicolon or tab separated, quoted fields, UTF-8 BOM, optional
 * decimal comma) is parsed by libcsv; Stata .dta and SPSS .sav/.zsav by
 * ReadStat. Only the requested columns are kept: a numeric column as doubles
 * (NaN = missing: an empty cell or NA), a label column as codes into a list
 * of distinct strings (−1 = missing). Every error message names the file and,
 * for a value, its line (CSV) or observation (.dta/.sav) and column.
 */
#ifndef SOCIND_CLI_TABLE_H
#define SOCIND_CLI_TABLE_H

#include <stddef.h>
#include <stdint.h>

#define TBL_NUM 0   /* numbers */
#define TBL_LABEL 1 /* categories: ids, codes, names */

typedef struct tbl_col {
    const char *name;    /* column name as given on the command line */
    const char *option;  /* the option that named it, for messages */
    int kind;            /* TBL_NUM or TBL_LABEL */
    int index;           /* position in the file (0-based), −1 before reading */
    double *num;         /* TBL_NUM: nrows values */
    int32_t *code;       /* TBL_LABEL: nrows codes into labels, −1 missing */
    char **labels;       /* TBL_LABEL: the distinct values, in order of appearance */
    double *label_value; /* the number behind a label read from a numeric
                            .dta/.sav variable (NaN otherwise) */
    int32_t n_labels;
    int32_t cap_labels;
    int32_t *hash; /* open addressing over labels */
    int32_t hash_cap;
    int64_t n_missing;  /* cells read as missing (a missing-value spelling, or the
                           format's own missing codes) */
    char *value_labels; /* .dta/.sav: name of the variable's value-label set */
    uint64_t *num_key;  /* .dta/.sav: numbers already seen (bits), and */
    int32_t *num_code;  /* their codes (open addressing, num_cap slots) */
    int32_t num_cap, num_used;
} tbl_col;

/* The most distinct values a label column holds (2^29: its arrays and hash
 * table stay within int32); one more is refused with a message. */
#ifndef TBL_MAX_LABELS
#define TBL_MAX_LABELS (1 << 29)
#endif

#define TBL_UTF8 0   /* text must be valid UTF-8: invalid bytes refused naming the line */
#define TBL_CP1252 1 /* text is Windows-1252 (Latin-1 and its extensions): converted */

/* The missing-value spellings when none are set: an empty cell, NA, NaN
 * and "." (R, pandas, Stata and SPSS exports). NULL-terminated. */
extern const char *const TBL_NA_DEFAULT[];

typedef struct tbl {
    const char *path;
    const char *const *na_values; /* spellings of a missing value, compared after
                                     trimming spaces (NULL-terminated); NULL: the
                                     defaults TBL_NA_DEFAULT. Applies to number and
                                     label columns alike; .dta/.sav files' own
                                     missing codes (Stata's . and .a–.z, SPSS system
                                     and user-missing values) are missing too. */
    int encoding;                 /* TBL_UTF8 (default) or TBL_CP1252 */
    int decimal_comma;            /* 1: "1.234,5" is 1234.5 */
    int delimiter;                /* 0: detect from the header (',' ';' or tab) */
    int progress;                 /* 1: show progress on stderr */
    size_t nrows;
    size_t cap;
    int64_t *line; /* CSV: the line each row starts on; .dta/.sav: observation number */
    int is_csv;
    tbl_col *cols;
    size_t ncols;
} tbl;

/* Adds a requested column (the same name may be requested twice with the
 * same kind; it is read once). Returns the column's index in t->cols, −1 on
 * allocation failure. */
int tbl_want(tbl *t, const char *name, const char *option, int kind);

/* Reads the file. Returns 0, or 1 with a message in err. */
int tbl_read(tbl *t, char *err, size_t errcap);

/* Keeps the rows whose label in column `col` (a TBL_LABEL column) is
 * `value`, in order; the others are dropped from every column. Returns the
 * number of rows kept. */
size_t tbl_keep(tbl *t, int col, const char *value);

/* Frees everything tbl_want/tbl_read allocated. */
void tbl_free(tbl *t);

/* "line 17" (CSV) or "observation 17" (.dta/.sav) of row i, into buf. */
const char *tbl_where(const tbl *t, size_t row, char *buf, size_t cap);

/* Parses a number as the CSV reader does. Returns 0 (ok), 1 (missing: empty
 * or NA) or −1 (not a number). */
int tbl_parse_number(const char *s, size_t len, int decimal_comma, double *out);

/* Parses a number given on the command line (an option's value) under the
 * file's number format: with decimal_comma = 0 the decimal point rule only;
 * with decimal_comma = 1 a text that reads as a number under both rules
 * ("545.000": 545000 with "." separating thousands, or 545) is refused,
 * naming both readings in why; a text valid under one rule only ("0.6",
 * "0,6", "545000") takes that reading. Returns 0 (ok), 1 (not a number;
 * why says so) or 2 (ambiguous). why gets a sentence without the option's
 * name, e.g. "\"545.000\" reads as 545000 (with --decimal-comma, \".\"
 * separates thousands) or as 545 (a decimal point); write 545000 or 545". */
int tbl_parse_option_number(const char *s, int decimal_comma, double *out, char *why, size_t cap);

#endif
