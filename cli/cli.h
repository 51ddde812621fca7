/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cli/cli.h — what the subcommands of the `socind` command share: options,
 * the survey design from columns, breakdowns, the tidy estimate table.
 * The command computes nothing itself: every figure comes from the public
 * C API.
 */
#ifndef SOCIND_CLI_H
#define SOCIND_CLI_H

#include <socind/socind.h>

#include "output.h"
#include "table.h"

/* exit codes */
#define EXIT_DATA 1    /* the data file cannot be read or holds an invalid value */
#define EXIT_USAGE 2   /* the command line is wrong */
#define EXIT_COMPUTE 3 /* the library refused the computation (e.g. a lonely PSU) */
#define EXIT_OUTPUT 4  /* the output cannot be written */

/* ------------------------------------------------------------------ options */

typedef struct opt_spec {
    const char *name; /* without the leading "--" */
    int takes_value;
} opt_spec;

typedef struct opt_kv {
    const char *name;
    const char *value; /* NULL for a flag */
} opt_kv;

typedef struct args {
    const char *command;
    const char *file; /* the one positional argument (may be NULL) */
    opt_kv *kv;
    size_t n;
} args;

/* Parses argv[first..argc) against a NULL-terminated spec list. Returns 0, or
 * 1 after printing a usage message. */
int args_parse(args *a, const char *command, int argc, char **argv, int first,
               const opt_spec *const *specs);
void args_free(args *a);
/* The last value given for an option, or NULL. */
const char *arg_get(const args *a, const char *name);
/* 1 if a flag was given. */
int arg_flag(const args *a, const char *name);
/* Every value of a repeatable option, in order; returns the count. */
size_t arg_all(const args *a, const char *name, const char **out, size_t max);

/* spec lists shared by several commands */
extern const opt_spec cli_design_opts[];
extern const opt_spec cli_output_opts[];
extern const opt_spec cli_input_opts[];
extern const opt_spec cli_growth_opts[];

/* Prints "socind COMMAND: message" and a pointer to the help on stderr. */
int usage_error(const char *command, const char *fmt, ...);
/* Prints "socind: message" on stderr and returns code. */
int fail_with(int code, const char *fmt, ...);
/* A library failure: status sentence + detail, with a row index in the detail
 * translated to the file's line; returns EXIT_COMPUTE (or EXIT_DATA for
 * statuses that mean invalid data). */
int lib_fail(const tbl *t, const char *what, int32_t status);

/* Parses a number option (finite); 0 ok, 1 after a usage error. */
int parse_double_opt(const char *command, const char *name, const char *text, double *out);

/* ------------------------------------------------------------------ data + design */

typedef struct design_cols {
    int weight, strata, psu, fpc; /* indexes into tbl.cols, −1 if not given */
} design_cols;

/* Opens the table from the input options (file, --decimal-comma,
 * --delimiter, --subset). */
int table_setup(tbl *t, const args *a);
/* Only --decimal-comma and --delimiter (and progress on a terminal). */
int input_options(tbl *t, const args *a);
/* Reads the table and applies --subset COL=VALUE (rows of one survey round
 * or file part). Returns 0 or an exit code (message printed). */
int table_read(tbl *t, const args *a);
/* Requests the design columns named by the options. */
int design_want(tbl *t, const args *a, design_cols *dc);
/* Builds the design and the estimation options. Returns 0 or an exit code
 * (message printed). */
int design_build(const tbl *t, const args *a, const design_cols *dc, socind_design **design,
                 socind_options *opts);
/* --lonely-psu as a SOCIND_LONELY_* policy (default fail). 0 or an exit code. */
int lonely_option(const args *a, int32_t *policy);
/* Every weight of the column present and >= 0, else an error naming the
 * line. 0 or an exit code. */
int check_weights(const tbl *t, const tbl_col *c);
/* A numeric column's values, or NULL when the column was not requested (c < 0). */
const double *col_num(const tbl *t, int c);
/* The options --level, --ci and --prop-ci. 0 or an exit code. */
int options_from_args(const args *a, socind_options *opts);
/* Stratum/cluster ids from a label column (its integer values when every
 * label is an integer, else the label codes); missing → error naming the line. */
int ids_from_labels(const tbl *t, const tbl_col *c, int64_t **out);

/* A breakdown (--by COL): labels sorted (numerically when every label is a
 * number), codes in that order, −1 = missing. */
typedef struct breakdown {
    const char *column;
    int32_t n_groups;
    int32_t *code;
    char **label; /* "COL: value" */
} breakdown;

int breakdown_make(const tbl *t, const tbl_col *c, breakdown *b);
void breakdown_free(breakdown *b);

/* ------------------------------------------------------------------ estimates */

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
/* Writes the tidy table (--output, --format). Returns 0 or EXIT_OUTPUT. */
int est_write(const est_list *l, const args *a);
/* --format: OUT_CSV / OUT_JSON, −1 after a usage error */
int output_format(const args *a);

/* ------------------------------------------------------------------ commands */

int cmd_poverty(int argc, char **argv);
int cmd_inequality(int argc, char **argv);
int cmd_growth(int argc, char **argv);
int cmd_nutrition(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_help(const char *topic, FILE *f);

/* Growth columns shared by growth, nutrition and report. */
typedef struct growth_cols {
    int sex, age, weight_kg, lenhei, measure, oedema, headc, armc, triskin, subskin, id;
    int age_in_months;
} growth_cols;

int growth_want(tbl *t, const args *a, growth_cols *g);
/* Codes as WHO's anthro accepts them (sex 1/2/m/f/M/F; measure l/h/L/H;
 * oedema n/y/N/Y/1/2); an other value is an error naming the line. */
int growth_codes(const tbl *t, const growth_cols *g, int32_t **sex, int32_t **measure,
                 int32_t **oedema);
/* The library's input struct over the table's columns and the codes. */
void growth_input_of(const tbl *t, const growth_cols *g, const int32_t *sex, const int32_t *measure,
                     const int32_t *oedema, socind_growth_input *in);

#endif
