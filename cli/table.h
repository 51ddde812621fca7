/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cli/table.h — reading the columns a command needs from a data file.
 *
 * Formats. Stata .dta and SPSS .sav/.zsav (by the name's extension, any
 * case) are read by ReadStat; any other name is CSV (comma, semicolon or tab
 * separated, quoted fields, parsed by libcsv), except that the content
 * decides first: an Excel workbook (.xlsx: a ZIP archive; .xls: OLE2), an
 * OpenDocument spreadsheet or a gzip file is refused with advice whatever its
 * name, and an SPSS file ("$FL2"/"$FL3") or a Stata file (117+:
 * "<stata_dta>"; before: its release byte, byte order and file type 1) with
 * another name is read as what it is — standard input too, when a file is
 * redirected to it (a pipe cannot be looked at first: it is read as CSV).
 *
 * Text is UTF-8 on the way out, always. A CSV file may be UTF-8 (a byte-order
 * mark is skipped), UTF-16 or UTF-32 in either byte order, with or without a
 * byte-order mark (without one, recognised from the NUL bytes of its first
 * 4 KB) — transcoded while streaming, whatever `encoding` says — or, with
 * encoding = TBL_CP1252, Windows-1252, unless its bytes are valid UTF-8 with
 * characters beyond ASCII (then they read two ways and the file is refused
 * naming both readings; one byte sequence that is not UTF-8 settles it). In UTF-8 mode the header
 * and every cell of a requested column must be valid UTF-8 (no overlong forms, surrogates or code
 * points above U+10FFFF); columns nobody asked for are not checked. NUL bytes are refused.
 * .dta/.sav text comes through ReadStat, which converts from the file's declared encoding (Stata
 * before 118: Windows-1252 through iconv) or passes the bytes through (Stata 118+, SPSS files
 * without an encoding record): a requested text value, or a value label it uses, that is not valid
 * UTF-8 is refused; with TBL_CP1252 ReadStat passes every byte through and they are read as
 * Windows-1252 — unless every text read is valid UTF-8 and some has characters beyond ASCII
 * (refused, as for CSV).
 *
 * Missing values. A cell is missing when, with spaces, tabs and CRs around
 * it trimmed, it equals one of na_values (default TBL_NA_DEFAULT) — in number
 * and label columns of CSV files and in text variables of .dta/.sav files.
 * So are Stata's . and .a–.z, SPSS's system-missing value, a variable's SPSS
 * user-missing values and ranges, and NaN in a .dta/.sav number. A missing
 * cell is NaN (number column) or code −1 (label column); each requested
 * column counts its missing cells in n_missing. Anything else in a number
 * column must be a number (see tbl_parse_number), else the read fails.
 *
 * Messages. Every failure writes one line into err that names the file and,
 * for a value, where it is: "PATH:LINE:COLUMN: column "NAME" (--OPTION): …"
 * for CSV (LINE is the physical line, 1 = the header, where the cell
 * starts — for text that is not UTF-8, the line of the offending byte within
 * a quoted multi-line cell; COLUMN 1-based) and
 * "PATH: observation N, variable "NAME" (--OPTION): …"
 * for .dta/.sav. Text quoted from the file is cut at 40 characters ("..."),
 * with control characters and bytes that are not UTF-8 written \xNN, so a
 * message is valid UTF-8 (PATH excepted: it is the caller's) even when cut
 * to errcap. The messages a caller may see:
 *   PATH: cannot open: REASON
 *   PATH: this is an Excel workbook (.xlsx, a ZIP archive), not a CSV file:
 *     in Excel use File > Save As > "CSV UTF-8 (Comma delimited)"
 *   PATH: this is an Excel 97-2003 workbook (.xls), not a CSV file: in Excel
 *     use File > Save As > "CSV UTF-8 (Comma delimited)"
 *   PATH: this is an OpenDocument spreadsheet (.ods), not a CSV file: …
 *   PATH: this is a gzip-compressed file, not a CSV file: decompress it …
 *   PATH:LINE: a NUL byte: this is not a text (CSV) file; open it in the
 *     program that made it and save it as CSV UTF-8
 *   PATH:LINE: not valid UTF-16 (or UTF-32): WHAT; save the file as CSV UTF-8
 *   PATH:LINE:COL: the header is not valid UTF-8 (byte 0xNN in "TEXT"); if
 *     the file is in Windows-1252 (…), --encoding windows-1252 reads it as
 *     Windows-1252                                   (and likewise:)
 *   PATH:LINE:COL: column "NAME" (--OPT): not valid UTF-8 (byte 0xNN in …)…
 *   PATH: observation N, variable "NAME" (--OPT): not valid UTF-8 (…)…
 *   PATH: variable "NAME" (--OPT): the value label of V is not valid UTF-8…
 *   PATH: the file starts with UTF-8's byte-order mark, so it is UTF-8, but
 *     --encoding windows-1252 says it is Windows-1252: leave out --encoding
 *   PATH:LINE: the text is valid UTF-8 ("Café" as UTF-8), and --encoding
 *     windows-1252 would read it as "CafÃ©": leave out --encoding if the
 *     file is UTF-8, as its bytes say     (LINE: the first such text's;
 *     .dta/.sav: "PATH: the text is …")
 *   PATH:LINE:COL: column "NAME" (--OPT): "TEXT" is not a number[: ADVICE]
 *     (ADVICE by the text's shape: thousands separators, a decimal comma
 *     without --decimal-comma, a decimal point under it; both readings named
 *     when the shape allows two, e.g. "1,862"; or a number beyond the range
 *     of a double, "1e400", or nearer 0 than its smallest, "1e-400")
 *   PATH: observation N, variable "NAME" (--OPT): "TEXT" is not a number…
 *   PATH: observation N, variable "NAME" (--OPT): the value is infinite
 *   PATH:LINE: no column "NAME" (named by --OPT); the header has: A, B, …
 *     [; did you mean "X"?]       (suggest(): a case-only difference always)
 *   PATH: no variable "NAME" (named by --OPT); the file has: A, B, …
 *     [; did you mean "X"?]
 *   PATH:LINE: column "NAME" (--OPT) appears twice in the header
 *   PATH: variable "NAME" (--OPT) appears twice in the file
 *   PATH:LINE:COL: column "NAME" (--OPT) has more than N distinct values
 *   PATH: observation N, variable "NAME" (--OPT) has more than N distinct …
 *   PATH:1: the header's columns are separated by commas, and a comma cannot
 *     also be the decimal separator: --decimal-comma reads files separated
 *     by semicolons or tabs (…)            (decimal_comma with a comma
 *     delimiter, given or detected; a header without any delimiter is one
 *     column, read with ';')
 *   PATH:LINE: N fields, but the header has M
 *   PATH:LINE:COL: malformed CSV: …
 *   PATH:LINE: malformed CSV: a quoted field is not closed before the end …
 *   PATH: empty file (no header row) | no data rows after the header |
 *     no observations
 *   PATH: not a readable Stata|SPSS file: READSTAT'S REASON[; the
 *     --encoding windows-1252 hint when ReadStat could not convert text]
 *   PATH: not a readable SPSS file: its header says N observations, but its
 *     data hold M (…)
 *   PATH: not a readable Stata file: its header says N observations, but its
 *     data hold M (…)   (formats 104-116: M the rows after which the value
 *     labels end the file; when no count does: "… but what follows them is
 *     not the value labels that end a Stata file (…)")
 *   PATH: out of memory[…] | PATH: read error: REASON
 *
 * Limits. A label column holds at most TBL_MAX_LABELS distinct values. Rows
 * are reserved by doubling as they arrive; a .dta/.sav header's row count
 * reserves at most what the file's size can hold (file size / variables).
 * Nothing else is allocated from a count the file states.
 *
 * Ownership and threads. The caller's strings (path, column names, options,
 * na_values) are used, not copied: they must outlive the tbl. Everything the
 * reader allocates belongs to the tbl and is freed by tbl_free. There is no
 * global mutable state: different tbl may be read in different threads
 * (progress, when on, writes to stderr).
 *
 * Files. table.c is the table (columns, labels, tbl_keep, tbl_where,
 * tbl_free); reader.c is tbl_read (what a file is, which reader reads it);
 * csv_reader.c and readstat_reader.c are the readers; numbers.c is what a
 * cell is (missing spellings, tbl_parse_number, tbl_parse_option_number);
 * text.c the UTF-8 and Windows-1252 helpers the reader and the writers
 * share. reader.h, numbers.h and text.h are their private headers.
 */
#ifndef SOCIND_CLI_TABLE_H
#define SOCIND_CLI_TABLE_H

#include <stddef.h>
#include <stdint.h>

#define TBL_NUM 0   /* numbers */
#define TBL_LABEL 1 /* categories: codes, names, groups (--by) */
/* design ids (strata, PSUs): categories as TBL_LABEL, except that a .dta/.sav
 * variable's values stay its categories — two values that share a value label
 * stay two ids — and each value's label is kept beside it (value_label), for
 * messages */
#define TBL_ID 2

typedef struct tbl_col {
    const char *name;    /* column name as given on the command line */
    const char *option;  /* the option that named it, for messages */
    const char *also;    /* the first other option that named it too with
                            the same kind (tbl_want), or NULL */
    int kind;            /* TBL_NUM, TBL_LABEL or TBL_ID */
    int index;           /* position in the file (0-based), −1 before reading */
    double *num;         /* TBL_NUM: nrows values, NaN = missing, never ±inf */
    int32_t *code;       /* TBL_LABEL/TBL_ID: nrows codes into labels, −1 missing */
    char **labels;       /* TBL_LABEL/TBL_ID: the distinct values (trimmed,
                            UTF-8), in order of first appearance among the rows;
                            in a TBL_LABEL column a .dta/.sav variable's value
                            labels replace its values (two values with one label
                            are one category; a value without a label, or with
                            an empty one, keeps its own text), in a TBL_ID
                            column they do not; numbers of .dta/.sav variables
                            are written as the shortest text that reads back as
                            the same double ("545000", "0.1", "2.5e-300") */
    char **value_label;  /* TBL_ID: the .dta/.sav value label of each label
                            (NULL where there is none, and for CSV files) */
    double *label_value; /* the number behind a label read from a numeric
                            .dta/.sav variable (NaN otherwise) */
    int32_t n_labels;
    int32_t cap_labels;
    uint64_t *hash; /* open addressing over labels (while reading): hash << 32 | code + 1 */
    int32_t hash_cap;
    int32_t last_code;  /* code + 1 of the label interned last (0: none), tried first */
    int64_t n_missing;  /* the column's missing cells among the rows (recounted
                           by tbl_keep) */
    char *value_labels; /* .dta/.sav: name of the variable's value-label set */
    uint64_t *num_key;  /* .dta/.sav: numbers already seen (bits), and */
    int32_t *num_code;  /* their codes (open addressing, num_cap slots) */
    int32_t num_cap, num_used;
    int32_t *remap; /* chunked .dta/.sav reads: the code each value had
                       while its rows were handed over → its code after the
                       value labels replaced the values (n_remap entries);
                       NULL when nothing was remapped */
    int32_t n_remap;
    int defer;       /* chunked CSV reads (tbl_read_chunks), a TBL_NUM column:
                        1 keeps each cell's text (raw_off, raw_len into
                        tbl.raw) for the sink to read, unchecked and
                        uncounted (num and n_missing untouched) */
    size_t *raw_off; /* defer: the cell's text is tbl.raw[raw_off .. + raw_len) */
    uint32_t *raw_len;
} tbl_col;

/* The most distinct values a label column holds (2^29: its arrays and hash
 * table stay within int32); one more is refused with a message. */
#ifndef TBL_MAX_LABELS
#define TBL_MAX_LABELS (1 << 29)
#endif

#define TBL_UTF8 0 /* text must be valid UTF-8: invalid bytes refused naming the line */
#define TBL_CP1252                                                                                 \
    1 /* text is Windows-1252: every byte converted to UTF-8 — 0x80-0x9F as                      \
         Windows maps them (0x80 €, 0x9F Ÿ …), the five it leaves unassigned                  \
         (0x81 0x8D 0x8F 0x90 0x9D) to the C1 controls U+0081 U+008D U+008F                        \
         U+0090 U+009D as Windows and the WHATWG standard do, so different                         \
         texts stay different; UTF-16/32 files are read as such regardless */

/* The missing-value spellings when none are set: an empty cell, NA, NaN
 * and "." (R, pandas, Stata and SPSS exports). NULL-terminated. */
extern const char *const TBL_NA_DEFAULT[];

typedef struct tbl tbl;
struct tbl {
    const char *path;
    const char *const *na_values; /* spellings of a missing value (NULL-terminated),
                                     compared exactly (case too) with the cell after
                                     trimming; they replace the defaults (a list
                                     without "" makes an empty number cell "not a
                                     number" and an empty label cell the label "");
                                     NULL: TBL_NA_DEFAULT */
    int encoding;                 /* TBL_UTF8 (default) or TBL_CP1252 */
    int decimal_comma;            /* 1: "1.234,5" is 1234.5 (see tbl_parse_number); a
                                     CSV file's delimiter must then not be a comma */
    int delimiter;                /* 0: detect from the header (',' ';' or tab) */
    int progress;                 /* 1: show progress on stderr */
    size_t nrows;
    size_t cap;      /* rows reserved in every column */
    int64_t *line;   /* CSV: the line each row starts on; .dta/.sav: observation number */
    int64_t *record; /* the row's data record in the whole file, 1-based (the header
                        is no record; a record is one row however many lines its
                        cells span): kept by tbl_keep, so it numbers the rows of the
                        file, not of a subset */
    int is_csv;      /* set by tbl_read: 1 CSV, 0 .dta/.sav */
    tbl_col *cols;
    size_t ncols;
    uint32_t *want_index; /* tbl_want's hash of the columns by name (col + 1; 0 empty) */
    size_t want_cap;      /* its slots: a power of 2, at least twice ncols */
    /* Chunked reading (tbl_read_chunks): every chunk_rows rows the reader
       hands the rows it holds to sink and drops them (the columns' labels,
       codes and n_missing go on across chunks); 0 reads the whole file. */
    size_t chunk_rows;
    int (*sink)(tbl *t, void *ctx); /* 0 to go on; nonzero stops the read */
    void *sink_ctx;
    int64_t row_base; /* rows handed over before the ones held */
    int sink_stopped; /* 1: the sink stopped the read (no message in err) */
    char *raw;        /* the text of the chunk's deferred cells (tbl_col.defer) */
    size_t raw_used, raw_cap;
    uint64_t digest; /* after a read to its end: a checksum of the bytes it took in from
                        the file, to tell two readings of it apart */
};

/* Adds a requested column, before tbl_read. The same name requested again
 * with the same kind returns the same index (read once; the first option
 * names it in messages, the first other option is kept in `also`); with
 * another kind it is another column read from the same one in the file.
 * Returns the column's index in t->cols; −1 on allocation failure, for a
 * NULL t or name, or a kind that is not TBL_NUM, TBL_LABEL or TBL_ID. A
 * NULL option is "". */
int tbl_want(tbl *t, const char *name, const char *option, int kind);

/* Reads the file, once per tbl (start from a zeroed tbl with path and the
 * options set, then tbl_want). Returns 0 with nrows > 0 and every requested
 * column filled, or 1 with a message in err (of errcap bytes; see
 * "Messages") — then the columns hold what was read so far and must still be
 * freed with tbl_free. */
int tbl_read(tbl *t, char *err, size_t errcap);

/* Reads the file chunk by chunk: as tbl_read, but the rows go to
 * t->sink (t->sink_ctx) every t->chunk_rows rows (> 0) and at the end of
 * the file (a last, shorter chunk; never an empty one), each chunk's rows
 * in t's columns as rows 0 .. nrows − 1, its first row being the file's
 * record t->row_base + 1 (t->line and t->record name them in the file as
 * tbl_read does, so messages name the same lines). Label codes are given in
 * order of first appearance over the whole file and stay the same across
 * chunks; n_missing counts the whole file. The checks that need the whole
 * file (no data rows, Windows-1252 text that reads as UTF-8 too, a .dta/
 * .sav variable's value labels) are made at the end, after the last chunk
 * went to the sink: a read that returns 1 may have handed rows over. .dta/
 * .sav value labels that replace a label column's values are applied to
 * its labels at the end; col->remap then maps the codes the chunks carried
 * to the codes of the final labels. Returns 0, or 1 with a message in err
 * — or with t->sink_stopped set and no message, when the sink returned
 * nonzero. Memory: the chunk's rows, the columns' labels. */
int tbl_read_chunks(tbl *t, char *err, size_t errcap);

/* Makes t ready to read its file again (a second pass): rows, labels and
 * counts dropped, the requested columns kept. The same file read again
 * gives the same codes. */
void tbl_rewind(tbl *t);

/* Keeps the rows whose label in column `col` (a TBL_LABEL or TBL_ID column) is
 * `value` (compared with spaces around it trimmed, as the labels are), in
 * order; the others are dropped from every column, t->line and t->record
 * (which keep each row's place in the file). May be called several times
 * (several conditions: the rows left meet all). After each call the label
 * columns keep only the labels some row left uses, renumbered in order of
 * first appearance, and every n_missing counts the rows left. A value no row
 * has — a missing spelling included — keeps no row; so does a col that is
 * not a label column of t or a NULL value.
 * Returns the number of rows kept. */
size_t tbl_keep(tbl *t, int col, const char *value);

/* Keeps the rows r whose keep[r] is nonzero (keep has nrows entries), in
 * order, as tbl_keep does: every column, t->line and t->record, the label
 * columns renumbered and every n_missing recounted. A NULL keep keeps no row.
 * Returns the number of rows kept. */
size_t tbl_keep_mask(tbl *t, const unsigned char *keep);

/* Frees everything tbl_want/tbl_read allocated and zeroes the counts (the
 * options stay); calling it again is harmless. */
void tbl_free(tbl *t);

/* The columns of t named `name` (at most one of each kind: tbl_want's
 * index, O(1)), in column order, into cols[0 .. return value). */
size_t tbl_cols_named(const tbl *t, const char *name, int32_t cols[3]);

/* The readers' map from a file's fields to t's columns, so that a file of
 * many columns (replicate weights: up to 100,000) is read in time linear in
 * its cells: first[f] the first column read from field f (−1: none) and
 * next[i] the next one after column i (several options may name one
 * field), in column order. */
typedef struct tbl_fieldmap {
    int32_t *first; /* nfields */
    int32_t *next;  /* ncols */
    size_t nfields;
} tbl_fieldmap;

/* Makes m from the columns' index (nfields fields; an index outside [0,
 * nfields) is read from no field). 0, or −1 when out of memory. */
int tbl_fieldmap_fields(const tbl *t, tbl_fieldmap *m, size_t nfields);

/* Frees m's arrays (m zeroed; harmless on a zeroed m). */
void tbl_fieldmap_free(tbl_fieldmap *m);

/* "line 17" (CSV) or "observation 17" (.dta/.sav) of row i, into buf; for a
 * row past the end, row + 1. Returns buf. */
const char *tbl_where(const tbl *t, size_t row, char *buf, size_t cap);

/* The delimiter of a header line s (len bytes; it ends at a newline outside
 * quotes): given (--delimiter's character, or 0) where the header holds it
 * outside quotes, else whichever of ',' ';' and tab it holds most of outside
 * quotes (a comma on a tie), 0 when it holds none. The data file's reader
 * (with given 0) and the side files (targets, replicate factors and
 * rscales, whose format may differ from the data file's) share it. */
int tbl_header_delimiter(const char *s, size_t len, int given);

/* Whether the line s[0 .. len) (its line end included or not) is Excel's
 * hint of the delimiter, "sep=X" in any case: X when it is a comma, a
 * semicolon or a tab, '?' for another character, 0 when the line is not
 * one. The data file's reader and the option files' take it alike: such a
 * first line names the delimiter and is not the header. */
int tbl_sep_hint(const char *s, size_t len);

/* Parses a number as the CSV reader does, after trimming spaces, tabs and
 * CRs: an optional sign, digits with an optional decimal separator ('.', or
 * ',' when decimal_comma is 1, when '.' may separate thousands in groups of
 * three after a first group of 1-3 digits that does not start with 0:
 * "1.234.567,5", not "0.125" or "012.345"), an optional exponent; at most 60 characters; the
 * value correctly rounded (as strtod), finite, and not 0 unless its digits
 * are (a subnormal is read). Returns 0 (ok), 1 (one of TBL_NA_DEFAULT:
 * empty, NA, NaN, ".") or −1 (not a number: "nan", "inf", "0x10", "1e400",
 * "1e-400", "1,5" without decimal_comma …); *out is NaN unless 0. A
 * NULL s reads as empty. */
int tbl_parse_number(const char *s, size_t len, int decimal_comma, double *out);

/* Parses a number given on the command line (an option's value) under the
 * file's number format: with decimal_comma = 0 the decimal point rule only;
 * with decimal_comma = 1 a text that reads as a number under both rules
 * ("545.000": 545000 with "." separating thousands, or 545) is refused,
 * naming both readings in why; a text valid under one rule only ("0.6",
 * "0,6", "545000", "0.950") takes that reading. Returns 0 (ok), 1 (not a number;
 * why says so, with the same advice as the reader's message when the shape
 * calls for it; a text of more than 60 characters, shortened, with its
 * length and the limit) or 2 (ambiguous). why gets a sentence without the option's
 * name, e.g. "\"545.000\" reads as 545000 (with --decimal-comma, \".\"
 * separates thousands) or as 545 (a decimal point); write 545000 or 545". */
int tbl_parse_option_number(const char *s, int decimal_comma, double *out, char *why, size_t cap);

#endif
