/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cli/cli.h — what the subcommands of the `socind` command share, the one
 * header they include: options, messages, the data file, the survey design
 * from columns, breakdowns, the tidy estimate table, growth columns and
 * codes; grouped below by the file that defines them. The command computes
 * nothing itself: every figure comes from the public C API. The data
 * file's reader is table.h, the writer output.h.
 */
#ifndef SOCIND_CLI_H
#define SOCIND_CLI_H

#include <socind/socind.h>

#include "output.h"
#include "table.h"

#include <stdarg.h>

/* exit codes */
#define EXIT_DATA 1    /* the data file cannot be read or holds an invalid value */
#define EXIT_USAGE 2   /* the command line is wrong */
#define EXIT_COMPUTE 3 /* the library refused the computation (e.g. a lonely PSU) */
#define EXIT_OUTPUT 4  /* the output cannot be written */

/* ------------------------------------------------------------------ args.c */
/* options and usage errors */

#define OPT_FLAG 0   /* --name */
#define OPT_VALUE 1  /* --name VALUE, at most once */
#define OPT_REPEAT 2 /* --name VALUE, may be repeated (--by, --subset, --keep) */

typedef struct opt_spec {
    const char *name; /* without the leading "--" */
    int takes_value;  /* OPT_FLAG, OPT_VALUE or OPT_REPEAT */
} opt_spec;

typedef struct opt_kv {
    const char *name;
    const char *value; /* NULL for a flag */
} opt_kv;

typedef struct args {
    const char *command;
    const char *file;             /* the one positional argument (may be NULL) */
    const opt_spec *const *specs; /* the options the command accepts */
    const char *const *refused;   /* of those, the ones it refuses whatever their value
                                     (NULL-terminated, or NULL): never advised */
    opt_kv *kv;
    size_t n;
    /* --na-values split at the commas (NULL-terminated), NULL if not given */
    char *na_buf;
    const char **na_list;
} args;

/* Parses argv[first..argc) against a NULL-terminated spec list. An unknown
 * option (also one written with a single dash, "-income") is a usage error
 * with "did you mean"; so is an OPT_VALUE option given twice (naming both
 * values). Returns 0, or 1 after printing a usage message. */
int args_parse(args *a, const char *command, int argc, char **argv, int first,
               const opt_spec *const *specs);
void args_free(args *a);
/* The value given for an option, or NULL. */
const char *arg_get(const args *a, const char *name);
/* 1 if a flag was given. */
int arg_flag(const args *a, const char *name);
/* Every value of a repeatable option, in order; returns the count. */
size_t arg_all(const args *a, const char *name, const char **out, size_t max);
/* 1 if the command accepts the option (name without "--") and does not
 * refuse it (args.refused): a message may advise it. */
int arg_accepts(const args *a, const char *name);
/* 0 when every item of the list text (items separated by sep) has more
 * than blanks; else a usage error naming the option (without "--") and the
 * first empty item's position: 1 after the message. An empty item (two
 * separators in a row, one at an end) is refused, not skipped: it is most
 * likely a typo; so is an empty (or blank) list, which no option takes as
 * "none". */
int list_items_check(const args *a, const char *option, const char *text, char sep);
/* Lists of numbers (--alpha, --percentiles, --cal-bounds) and of
 * KEY=NUMBER entries (--cpi, --amounts), one rule for all: items separated
 * by ","; under --decimal-comma, where "," is the decimal separator, a
 * value holding ";" is split at the ";", and a value with "," and no ";"
 * is read both ways, as one number (one entry) with a decimal comma and as
 * a list separated by ",": the reading that is valid (every item passing
 * the option's checks, the list passing its own) is taken; a value valid
 * both ways ("1,5": the list 1;5 or the number 1.5) is refused naming both
 * spellings, one valid neither way naming the spelling with ";" ("0,1,0,5"
 * for --percentiles: "0,1;0,5"). An empty list or item is refused, and so
 * is a value of NUM_LIST_MAX_TEXT characters or more (naming the limit). */
#define NUM_LIST_WHY 10000
#define NUM_LIST_MAX_TEXT 8192
typedef struct num_item {
    const char *raw;  /* the item as written */
    const char *text; /* without the blanks around it */
    const char *key;  /* KEY=NUMBER: the key, trimmed; NULL without "=" */
    const char *num;  /* the number's text, trimmed (NULL: an entry without "=") */
    double value;     /* set by the item check */
} num_item;
enum { LIST_NUMBERS = 0, LIST_PAIRS_FIRST = 1, LIST_PAIRS_LAST = 2 }; /* split at which "=" */
typedef struct num_list_spec {
    const char *option; /* without "--" */
    int pairs;          /* LIST_NUMBERS, or KEY=NUMBER split at the first or last "=" */
    /* the item's number into it->value (num_item_read) and the option's
       checks of one item: 0, or 1 with the message in why */
    int (*item)(const args *a, num_item *it, void *ctx, char *why, size_t cap);
    /* the whole list's (count, repeats, order …): 0, or 1; may be NULL */
    int (*list)(const args *a, const num_item *it, size_t n, void *ctx, char *why, size_t cap);
    void *ctx;
} num_list_spec;
typedef struct num_list {
    char *buf;
    num_item *item;
    size_t n;
} num_list;
/* 0 with the items in *out (num_list_free), or 1 after the usage error. */
int num_list_parse(const args *a, const num_list_spec *s, const char *text, num_list *out);
void num_list_free(num_list *v);
/* it->num as a number option (--decimal-comma's rule) into it->value: 0, or
 * 1 with "--OPTION: …" (an entry: "--OPTION: entry \"…\": …") in why. */
int num_item_read(const args *a, const char *option, num_item *it, char *why, size_t cap);
/* A list check's common part: 1 with "--OPTION lists X twice (as "…" and
 * "…")" in why when two items have the same value, else 0. */
int num_items_repeat(const char *option, const num_item *it, size_t n, char *why, size_t cap);
/* Parses a number option (finite) under the file's number format
 * (--decimal-comma: a value readable two ways is refused naming both).
 * 0 ok, 1 after a usage error. */
int parse_double_opt(const args *a, const char *name, const char *text, double *out);
/* parse_double_opt for a poverty line or threshold (--line, --rich-line):
 * a usage error also for a value not > 0, before the file is read (the
 * library would refuse it after). 0, or 1 with the message printed. */
int parse_line_opt(const args *a, const char *name, const char *text, double *out);

/* spec lists shared by several commands */
extern const opt_spec cli_design_opts[];
extern const opt_spec cli_output_opts[];
extern const opt_spec cli_input_opts[];
extern const opt_spec cli_growth_opts[];
extern const opt_spec cli_codes_opts[];

/* Prints "socind COMMAND: message" and a pointer to the help on stderr. */
int usage_error(const char *command, const char *fmt, ...);
/* 1 when s is a long option of specs (a NULL-terminated list of lists)
 * written without "=VALUE" that takes a value: the next argument is its
 * value, not a file (the commands that take two files). */
int args_takes_value(const opt_spec *const *specs, const char *s);
/* --relative F:median|F:mean (opt names the option in messages, example
 * shows one) into L's type and value (income.c); nonzero after a usage
 * message. */
int cli_relative_opt(const args *a, const char *opt, const char *v, const char *example,
                     socind_poverty_line *L);

/* ------------------------------------------------------------------ input.c */
/* the data file from the options */

/* Opens the table from the input options (file, --decimal-comma,
 * --delimiter, --na-values, --encoding, --subset). Before any work, every
 * file the options name for reading is registered as an input
 * (input_files) and the outputs (--output, --calibrated-weights) are
 * checked: neither may be an input, nor both the same file. */
int table_setup(tbl *t, const args *a);
/* Registers as inputs (outw_input) the files the options name for reading
 * beside the data: --poststratify, --rake, --calibrate, --rep-factors,
 * --rep-rscales and --compare; an output naming one is refused. */
void input_files(const args *a);
/* The checks of the outputs --output and --calibrated-weights before any
 * work (outw_check, and not both the same file): 0, or an exit status
 * with the message written. */
int output_setup(const args *a);
/* Only --decimal-comma, --delimiter, --na-values and --encoding (and
 * progress on a terminal). */
int input_options(tbl *t, const args *a);
/* Reads the table and applies every --subset COL=VALUE (all must hold: rows
 * of one survey round or file part). Returns 0 or an exit code (message
 * printed). */
int table_read(tbl *t, const args *a);
/* A condition COL OP VALUE of --subset (OP "=" only) or --where: the text
 * split at the first of = != < <= > >= (name non-empty, under 256 bytes). */
#define COND_EQ 0
#define COND_NE 1
#define COND_LT 2
#define COND_LE 3
#define COND_GT 4
#define COND_GE 5
typedef struct cond {
    char name[256];
    int op;            /* COND_* */
    const char *value; /* the text after the operator (the caller's) */
    const char *text;  /* the whole condition as given */
    double num;        /* < <= > >=: the value as a number */
    int col;           /* the column in the table, −1 before it is requested */
} cond;
/* Splits text into *c. 0, or 1 when it is no condition. */
int cond_parse(const char *text, cond *c);

/* --where COND (repeatable, every condition must hold): the rows outside it
 * stay in the design and are in no domain (group code −1), as R's subset()
 * of a survey design; unlike --subset, which drops rows before the design
 * is built. COL=V and COL!=V compare the column's text as --subset does;
 * COL<V, <=, > and >= compare numbers (V read as an option number, the
 * column read as numbers). A row whose COL is missing meets no condition
 * (!= included). */
#define MAX_WHERE 32
typedef struct where_set {
    size_t n;
    cond c[MAX_WHERE];
} where_set;
/* Parses every --where and requests its columns (before table_read). 0 or
 * an exit code (message printed). */
int where_want(tbl *t, const args *a, where_set *w);
/* After the table is read (and any rows dropped): *mask, nrows flags, 1 for
 * the rows meeting every condition (the caller frees it), NULL without
 * --where. Notes each condition's missing values on stderr; no row meeting
 * them all is an error. 0 or an exit code. */
int where_mask(const char *command, const tbl *t, const where_set *w, unsigned char **mask);
/* Whether an = or != condition (value: cond_value's) that matches no
 * category's text was likely meant for category *k: 1 when the value is a
 * number of a .dta/.sav numeric column that reads otherwise (a value label:
 * 1 is "urban"), 2 when it is a number and cell *k's text ("1" for "1.0",
 * "01", "1e0", "+1") reads as the same number (*others: how many more
 * categories do), 0 otherwise (*k = −1). */
int cond_meant(const tbl *t, const cond *c, const char *value, int32_t *k, int32_t *others);
/* A condition cond_meant finds meant for another text is refused naming the
 * text to write: 1 after the message (EXIT_DATA), else 0. option: "where",
 * "select" or "subset". */
int cond_labels_check(const tbl *t, const cond *c, const char *option, const char *value);
/* Notes the missing values of condition c's column (where_mask's note). */
void where_note(const char *command, const tbl *t, const cond *c);
/* The value of a condition as rows are compared with it (spaces, tabs
 * and a CR around it trimmed), into value (cap bytes). */
void cond_value(const cond *c, char *value, size_t cap);
/* Whether row r of t meets condition c (value: cond_value's; a missing
 * value meets none). */
int cond_holds(const tbl *t, const cond *c, const char *value, size_t r);
/* code[r] = −1 where mask[r] is 0 (nothing when mask is NULL). */
void where_apply(const unsigned char *mask, size_t n, int32_t *code);
/* Rows of column c without a value (NaN, or no label). */
size_t col_missing(const tbl *t, int c);
/* A numeric column's values, or NULL when the column was not requested (c < 0). */
const double *col_num(const tbl *t, int c);
/* Requests the column named by the value of `option` (as tbl_want), −1
 * when the option is not given. */
int col_want(tbl *t, const args *a, const char *option, int kind);

/* ------------------------------------------------------------------ design_cols.c */
/* the survey design from columns and options */

#define CAL_MAX_COLS 32
typedef struct design_cols {
    int weight, strata, psu, fpc; /* indexes into tbl.cols, −1 if not given */
    int cal;                      /* SOCIND_CAL_* asked by the options, −1 none */
    const char *cal_file;         /* its targets file */
    const char *cal_opt;          /* "poststratify", "rake" or "calibrate" */
    double cal_lower, cal_upper;  /* --cal-bounds */
    int ncal;                     /* columns the targets name */
    int cal_col[CAL_MAX_COLS];    /* their indexes into tbl.cols */
    int rep_key;                  /* --rep-key's column, −1 if not given */
    int *rep_cols;                /* --repweights: the replicate weight columns, or NULL */
    size_t nrep;
} design_cols;

/* ------------------------------------------------------------------ replicate_opts.c */
/* replicate weights (--repweights, --rep-factors, --rep-make and their constants) */

/* 1 when the options ask for a replicate design. */
int rep_requested(const args *a);
/* Checks the replicate options and requests their columns (design_want
 * calls it). --repweights PREFIX: every column whose name starts with
 * PREFIX but the --weight column. 0 or an exit code (message printed). */
int rep_want(tbl *t, const args *a, design_cols *dc);
/* --repweights PREFIX, once every option has requested its columns of t
 * (table_read calls it before reading): a replicate column that another
 * option reads too, requested before rep_want or after it, is refused
 * naming that option. 0 or an exit code (message printed). */
int rep_columns_check(const tbl *t, const args *a);
/* Replaces *design (built from the columns) by its replicate design when
 * the options ask for one (design_build calls it). 0 or an exit code. */
int rep_wrap(const tbl *t, const args *a, const design_cols *dc, socind_design **design);

/* Requests the design columns named by the options, and those the
 * calibration's targets file names (cal_want). 0 or an exit code (message
 * printed). */
int design_want(tbl *t, const args *a, design_cols *dc);
/* cli/calibrate.c: --poststratify FILE, --rake FILE, --calibrate FILE
 * --cal-method linear|raking|logit [--cal-bounds L,U], --calibrated-weights
 * FILE (the file formats: calibrate.c's top). cal_want checks the options,
 * reads the targets file and requests its columns; cal_apply (after the
 * table is read; w0 the weights, NULL for 1) replaces *design by the
 * calibrated design and writes --calibrated-weights (columns row,
 * weight, calibrated_weight; row the data record's number). 0 or an exit
 * code (message printed). */
int cal_want(tbl *t, const args *a, design_cols *dc);
int cal_apply(const tbl *t, const args *a, const design_cols *dc, const double *w0,
              socind_design **design);
/* Two rounds (change, gic). 1 when both arguments name the same input
 * file (the same name, both "-", or the same file by device and inode). */
int same_input_file(const char *a, const char *b);
/* Refuses two rounds that are one sample: the same file without both
 * --base-subset and --compare-subset, or with the same subsets. 0 or
 * EXIT_USAGE (message printed). */
int two_rounds_check(const char *command, const args *a, const char *base, const char *compare);
/* Refuses the first option of names (NULL-ended) given in a: each round
 * (change, gic) has its own design, its final weights given as --weight.
 * 0 or EXIT_USAGE (message printed). */
int refuse_round_options(const char *command, const args *a, const char *const *names);
/* A round's rows for shared_psus: the strata and PSU columns of t (−1:
 * none), the rows (NULL: the first n rows of t). */
typedef struct psu_round {
    const tbl *t;
    int strata, psu;
    const size_t *rows;
    size_t n;
} psu_round;
/* The (stratum, PSU) ids of round 2 that round 1 has too: *shared of round
 * 2's *n2 distinct ids (round 1 has *n1). All 0 without a PSU column in
 * either (each row its own PSU, no id to compare). 0, or −1 when out of
 * memory. */
int shared_psus(const psu_round *r1, const psu_round *r2, size_t *shared, size_t *n1, size_t *n2);
/* Warns on stderr when the two rounds share (stratum, PSU) ids
 * (shared_psus, every row of t1 and t2): they are then not independent
 * samples, which the SEs of a change assume. Nothing without --psu in
 * either. */
void warn_shared_psus(const char *command, const tbl *t1, const design_cols *d1, const tbl *t2,
                      const design_cols *d2);
/* Builds the design and the estimation options. Returns 0 or an exit code
 * (message printed). */
int design_build(const tbl *t, const args *a, const design_cols *dc, socind_design **design,
                 socind_options *opts);
/* --lonely-psu as a SOCIND_LONELY_* policy (default fail). 0 or an exit code. */
int lonely_option(const args *a, int32_t *policy);
/* Every weight of the column present and >= 0, else an error naming the
 * line. 0 or an exit code. */
int check_weights(const tbl *t, const tbl_col *c);
/* The options --level, --ci, --prop-ci and --domain-rule. 0 or an exit code. */
int options_from_args(const args *a, socind_options *opts);
/* Stratum/cluster ids from a label column: its integer values when every
 * label is the canonical text of an integer within the int64 range ("17",
 * "-3", "0"), else the label codes — so "01" and "1", "+1" and "1", "-0" and
 * "0" stay two ids, as they are two groups of --by, and labels beyond int64
 * stay distinct; missing → error naming the line. */
int ids_from_labels(const tbl *t, const tbl_col *c, int64_t **out);

/* ------------------------------------------------------------------ breakdown.c */
/* --by COL: a breakdown's groups */

/* A breakdown (--by COL): the labels some row has, sorted (numerically when
 * every label is a number), codes in that order, −1 = missing. */
typedef struct breakdown {
    const char *column;
    int32_t n_groups;
    int32_t *code;
    char **label; /* "COL: value" */
} breakdown;

int breakdown_make(const tbl *t, const tbl_col *c, breakdown *b);
/* The same over the rows r with keep[r] nonzero (keep NULL: every row): the
 * labels only those rows have, and code −1 for the others (--where). */
int breakdown_make_in(const tbl *t, const tbl_col *c, const unsigned char *keep, breakdown *b);
void breakdown_free(breakdown *b);
/* Two rounds (change, gic): says on stderr which groups of a breakdown
 * (--by or --sector, named by `option`) one round's file t1 (b1) or t2
 * (b2) has and the other lacks, the first three of each, and that groups
 * are matched by their text; nothing when both have the same groups. */
void note_one_round_groups(const char *command, const char *option, const tbl *t1,
                           const breakdown *b1, const tbl *t2, const breakdown *b2);
/* For each string q[i] (nq of them), the index of the equal string in s
 * (ns strings, distinct) into at[i], or −1 when s has none: by sorting and
 * binary search, O((ns + nq)·log ns) comparisons (a pairwise scan took 10 s
 * between two rounds of 20,000 groups). 0, or the exit status of "out of
 * memory" (said on stderr). */
int labels_index(const char *const *s, int32_t ns, const char *const *q, int32_t nq, int32_t *at);

/* ------------------------------------------------------------------ estimates.c */
/* the tidy table of estimates */

typedef struct est_row {
    char *indicator;
    char *parameter;
    char *group;
    socind_estimate e;
} est_row;

typedef struct est_list {
    est_row *rows;
    size_t n, cap;
} est_list;

int est_add(est_list *l, const char *indicator, const char *parameter, const char *group,
            const socind_estimate *e);
void est_free(est_list *l);
/* note_statuses, then writes the tidy table (--output, --format). Returns 0
 * or EXIT_OUTPUT. */
int est_write(const est_list *l, const args *a);
/* --format: OUT_CSV / OUT_JSON, −1 after a usage error */
int output_format(const args *a);

/* ------------------------------------------------------------------ messages.c */
/* what the command says on stderr */

/* Prints "socind: message" on stderr and returns code. */
int fail_with(int code, const char *fmt, ...);
/* A library failure, in the command's terms: the row the library names
 * (socind_last_error_row(), through `rows` — the table row of each row
 * passed to the library, NULL when they are the table's rows — to the
 * file's line), the columns and flags that hold the offending value (not the
 * library's argument names), stratum and PSU ids as the file writes them,
 * and the flag that changes the rule (--nest, --lonely-psu ...). Returns
 * EXIT_COMPUTE, or EXIT_DATA for statuses that mean invalid data. */
int lib_fail(const args *a, const tbl *t, const size_t *rows, const char *what, int32_t status);
/* Says on stderr how many rows have no value in column c and what that does
 * to them: "socind CMD: 12 rows have no value in column "exp_pc" (--income);
 * they are left out of every estimate". `consequence` is written for
 * several rows ("they are ...", "their ..."); for one row it reads "it is",
 * "its". Nothing when no value is missing (or c < 0). Returns the count. */
size_t note_missing(const char *command, const tbl *t, int c, const char *consequence);
/* Says on stderr what every estimate whose status is not SOCIND_OK lacks and
 * why, aggregated per indicator, status and kind of gap (count, first groups,
 * which cells are empty, the status's sentence, and the flag that changes it
 * where the command has one); the estimates of empty domains in one line:
 *   socind inequality: quantile:0.5: 1 estimate (all) has no standard error
 *   or interval (empty se, ci_low and ci_high cells): STATUS SENTENCE
 * No figure goes out without its status. cells_named 0 (the report's brief)
 * says "(shown as –)" instead of naming the table's cells. Then, per
 * indicator, a warning for the estimates of a replicate design whose
 * variance left out replicates without an estimate (svrVar's). */
void note_statuses(const est_list *l, const args *a, int cells_named);
/* Appends printf text to buf (of capacity cap, NUL-terminated). */
void buf_appendf(char *buf, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* printf text in a new string of its own length (free it), or NULL when
 * out of memory: for text that holds labels, which have no length limit. */
char *str_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* str_printf's, from a va_list (ap is consumed). */
char *str_vprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
/* Appends printf text to the string *s (NULL: empty; reallocated). 0, or
 * -1 when out of memory (*s left as it was). */
int str_appendf(char **s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ------------------------------------------------------------------ growth_cols.c */
/* growth, nutrition and report's columns */

/* Growth columns shared by growth, nutrition and report. */
typedef struct growth_cols {
    int sex, age, weight_kg, lenhei, measure, oedema, headc, armc, triskin, subskin, id;
    int age_in_months;
} growth_cols;

typedef struct growth_codes_t growth_codes_t; /* codes.c, below */

/* Requests the growth columns named by the options (--sex and --age-days
 * or --age-months required). 0 or EXIT_USAGE. */
int growth_want(tbl *t, const args *a, growth_cols *g);
/* The library's input struct over the table's columns and the codes. */
void growth_input_of(const tbl *t, const growth_cols *g, const growth_codes_t *c,
                     socind_growth_input *in);
/* No child under two months (61 days) measures 65 cm or weighs 7.5 kg: WHO's
 * +3 SD at 61 days is about 64 cm and 7.1 kg (boys). */
#define SMALL_AGE 60.0
#define BIG_LENGTH 65.0
#define BIG_WEIGHT 7.5
/* Refuses ages in months given as --age-days: most children measured have
 * an age of at most 60 yet measure as no child under two months does (not
 * "every age at most 60": one age above it, a typo or months rounded up to
 * 61, would switch the rule off). 0 or EXIT_USAGE. */
int check_age_unit(const args *a, const tbl *t, const growth_cols *g);
/* check_age_unit's counts, row r of age (its value), len and wt (NULL: no
 * such column) added: children measured (an age, a length or a weight),
 * and those of them of age <= SMALL_AGE as long or heavy as no child under
 * two months is. */
void age_unit_count(double age, const double *len, const double *wt, size_t r, size_t *measured,
                    size_t *big);
/* Notes the growth columns' missing values (note_missing) with what they do
 * in `command` (growth: z-scores; nutrition/report: indicators). */
void note_growth_missing(const char *command, const tbl *t, const growth_cols *g, int per_child);
/* What anthro_exclusions did: the rows out by the age rule (age_out; WHO
 * 2006: of them none without an age, those age_na rows stay), then the rows
 * out without a cluster or stratum (design_out, among those the age rule
 * kept), and the rows kept whose missing sampling weight became 0 (sw_na);
 * age_neg: the rows kept with an age below 0 (WHO 2006; said by
 * warn_negative_ages). */
typedef struct anthro_counts {
    size_t age_out, age_na, design_out, sw_na, age_neg;
} anthro_counts;
/* anthro_prevalence's rules for rows (WHO 2006: age over 1826 days; 2007:
 * anthroplus's age NA or outside 60–228 months), then rows without cluster
 * or stratum (when given: excluded), then missing sampling weights (set to
 * 0), each with WHO's own warning on stderr; the table (and the codes)
 * keep the rows that go on. ref: 0 = 2006, 1 = 2007. With counts NULL, no
 * row left is an error (EXIT_DATA, "no child is left"); with counts, they
 * are filled and a table left empty is the caller's to handle. Returns 0
 * or an exit code. */
int anthro_exclusions(const char *command, tbl *t, const growth_cols *g, int ref, int sw_col,
                      int st_col, int cl_col, growth_codes_t *codes, anthro_counts *counts);
/* anthro_exclusions' warnings from their counts (a file read in chunks):
 * rows out by age (of them age_na without an age, WHO 2006), out for a
 * missing cluster or stratum (no_cl, no_st among the rows the age rule
 * kept), and the weights set to 0 (sw_na). */
void anthro_warn_ages(const char *command, int ref, size_t age_out, size_t age_na);
/* The rows with an age below 0 (n of them; −0 is 0), which WHO's anthro
 * refuses the whole file for (its ages must be >= 0) and socind gives no
 * z-score (reason "age negative"), said on stderr: per_child (growth)
 * their z-scores are empty, else (nutrition, report) they are left out of
 * every indicator. */
void warn_negative_ages(const char *command, const tbl *t, const growth_cols *g, size_t n,
                        int per_child);
void anthro_warn_design(const char *command, const tbl *t, int st_col, int cl_col,
                        size_t design_out, size_t no_cl, size_t no_st);
void anthro_warn_weights(const char *command, size_t sw_na);

/* ------------------------------------------------------------------ codes.c */
/* growth codes and their recoding */

/* The codes of the growth columns, and which rows had a code WHO's anthro
 * does not accept (taken as missing under --invalid-codes missing). */
#define BAD_SEX 1
#define BAD_MEASURE 2
#define BAD_OEDEMA 4
typedef struct growth_codes_t {
    int32_t *sex, *measure, *oedema; /* NULL when the column is not given */
    unsigned char *bad;              /* BAD_* bits per row, NULL if none */
} growth_codes_t;

/* Checks --sex-codes, --measure-codes, --oedema-codes and --invalid-codes
 * (before reading: usage errors). 0 or EXIT_USAGE. */
int codes_check_options(const args *a);
/* The code of one label of the sex (which 0), measure (1) or oedema (2)
 * column as growth_codes gives it (after --sex-codes …): *code, −9 when
 * WHO's anthro does not accept it. 0, or −1 (the options are checked
 * before: codes_check_options). */
int growth_label_code(const args *a, int which, const char *label, int32_t *code);
/* Codes as WHO's anthro accepts them (sex 1/2/m/f/M/F; measure l/h/L/H;
 * oedema n/y/N/Y/1/2; a number is a code only when its decimal value is
 * exactly the code: "1.0" is 1, "1.0000000000000002" is not), after the
 * recoding options. Other values stop the
 * run naming every offending line (up to 20 per column), unless
 * --invalid-codes missing (then a count on stderr). 0 or an exit code. */
int growth_codes(const args *a, const tbl *t, const growth_cols *g, growth_codes_t *out);
void growth_codes_free(growth_codes_t *c);
/* The sex codes of column col (1 male, 2 female, SOCIND_CODE_MISSING), read
 * as growth reads them (1/m/M, 2/f/F, --sex-codes, --invalid-codes): *out
 * (t->nrows, the caller frees), or EXIT_USAGE / EXIT_DATA after the
 * messages (every invalid line named). */
int sex_codes(const args *a, const tbl *t, int col, int32_t **out);

/* ------------------------------------------------------------------ the commands */
/* income.c, growth.c, report.c; main.c's help */

int cmd_poverty(int argc, char **argv);
int cmd_inequality(int argc, char **argv);
int cmd_growth(int argc, char **argv);
int cmd_nutrition(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_gic(int argc, char **argv);
int cmd_change(int argc, char **argv); /* change.c; its help text: */
extern const char HELP_CHANGE[];
int cmd_targeting(int argc, char **argv); /* cli/targeting.c, with its help text: */
extern const char HELP_TARGETING[];
int cmd_simulate(int argc, char **argv); /* simulate.c */
int cmd_help(const char *topic, FILE *f);

/* The design anthro_prevalence builds over the table's rows, after
 * anthro_exclusions: sampling weights from column sw_col (−1: 1 each),
 * strata and cluster ids or NULL, lonely PSUs "adjust", clusters nested in
 * strata, and every row its own PSU when every cluster id is the same
 * (anthro's ids = ~1) — cli/growth.c. 0, or lib_fail's exit code (what:
 * "prevalence"). */
int anthro_design(const args *a, const tbl *t, int sw_col, const int64_t *strata,
                  const int64_t *cluster, socind_design **out);

#endif
