/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/cli/make_sav.c — writes SPSS .sav/.zsav and Stata .dta files with
 * ReadStat's writer, for the command's tests (pandas writes .dta, not .sav).
 *   make_sav IN.csv OUT.{sav,zsav,dta} COLUMN
 * Every column of IN.csv becomes a variable (numeric when every cell is a
 * number or missing, text otherwise); COLUMN gets the value labels
 * 0 "rural", 1 "urban"; the text column "note" (all rows "x") is added.
 *
 * The tests of the reader (test_table.c) include this file with
 * MAKE_SAV_NO_MAIN defined and call mk_write() directly. */
#define _POSIX_C_SOURCE 200809L
#include <readstat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct mk_spec {
    int nrow, ncol;
    const char *const *names;        /* ncol variable names */
    const char *const *cells;        /* nrow * ncol texts, row by row. In a numeric column
                                        NULL, "" and "." are system-missing, ".a"-".z"
                                        Stata's extended missing values (SPSS: system-
                                        missing); NULL is "" in a text column */
    const char *label_col;           /* gets the value labels 0 "rural", 1 "urban" */
    const char *label_set;           /* their set's name (NULL: "area") */
    const char *const *extra_labels; /* more value labels for label_col: value,
                                        text, value, text, …, NULL */
    int dta_version;                 /* .dta format (0: 118) */
    const char *const *user_missing; /* columns with SPSS user-missing values
                                        (NULL-terminated): -9 and 97 thru 99
                                        (numeric), "refused" (text) */
    int note;                        /* 1: add the text column "note" = "x" */
} mk_spec;

static ssize_t mk_write_bytes(const void *data, size_t len, void *ctx) {
    return (ssize_t)fwrite(data, 1, len, (FILE *)ctx);
}

static int mk_ends_with(const char *s, const char *suffix) {
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

static int mk_is_missing(const char *s) {
    return !s || !*s || strcmp(s, ".") == 0 || (s[0] == '.' && s[1] >= 'a' && s[1] <= 'z' && !s[2]);
}

static int mk_is_number(const char *s) {
    char *end;
    if (mk_is_missing(s)) return 1;
    strtod(s, &end);
    return end != s && *end == '\0';
}

/* Writes the file (format from the extension: .sav, .zsav or .dta). 0 on
 * success. */
static int mk_write(const char *path, const mk_spec *s) {
    int zsav = mk_ends_with(path, ".zsav"), dta = mk_ends_with(path, ".dta");
    FILE *out = fopen(path, "wb");
    if (!out) return 1;
    int nv = s->ncol + (s->note ? 1 : 0);
    readstat_variable_t **vars = calloc((size_t)nv + 1, sizeof *vars);
    int *text = calloc((size_t)nv + 1, sizeof *text);
    readstat_writer_t *w = readstat_writer_init();
    int rc = !vars || !text || !w;
    if (rc) goto done;
    readstat_set_data_writer(w, mk_write_bytes);
    if (zsav) readstat_writer_set_compression(w, READSTAT_COMPRESS_BINARY);
    if (dta) readstat_writer_set_file_format_version(w, s->dta_version ? s->dta_version : 118);
    readstat_label_set_t *labels = NULL;
    if (s->label_col) {
        labels =
            readstat_add_label_set(w, READSTAT_TYPE_DOUBLE, s->label_set ? s->label_set : "area");
        readstat_label_double_value(labels, 0, "rural");
        readstat_label_double_value(labels, 1, "urban");
        for (const char *const *e = s->extra_labels; e && e[0] && e[1]; e += 2)
            readstat_label_double_value(labels, strtod(e[0], NULL), e[1]);
    }
    for (int j = 0; j < s->ncol; j++) {
        size_t width = 1;
        for (int i = 0; i < s->nrow; i++) {
            const char *c = s->cells[(size_t)i * (size_t)s->ncol + (size_t)j];
            if (!mk_is_number(c)) text[j] = 1;
            if (c && strlen(c) > width) width = strlen(c);
        }
        vars[j] = readstat_add_variable(w, s->names[j],
                                        text[j] ? READSTAT_TYPE_STRING : READSTAT_TYPE_DOUBLE,
                                        text[j] ? width : 0);
        if (s->label_col && strcmp(s->names[j], s->label_col) == 0)
            readstat_variable_set_label_set(vars[j], labels);
        int um = 0;
        for (const char *const *u = s->user_missing; u && *u; u++)
            um |= strcmp(*u, s->names[j]) == 0;
        if (um) {
            if (text[j]) {
                readstat_variable_add_missing_string_value(vars[j], "refused");
            } else {
                readstat_variable_add_missing_double_value(vars[j], -9);
                readstat_variable_add_missing_double_range(vars[j], 97, 99);
            }
        }
    }
    if (s->note) {
        vars[s->ncol] = readstat_add_variable(w, "note", READSTAT_TYPE_STRING, 8);
        text[s->ncol] = 1;
    }
    rc = (dta ? readstat_begin_writing_dta(w, out, s->nrow)
              : readstat_begin_writing_sav(w, out, s->nrow)) != READSTAT_OK;
    for (int i = 0; i < s->nrow && !rc; i++) {
        rc |= readstat_begin_row(w) != READSTAT_OK;
        for (int j = 0; j < s->ncol; j++) {
            const char *c = s->cells[(size_t)i * (size_t)s->ncol + (size_t)j];
            if (text[j])
                rc |= readstat_insert_string_value(w, vars[j], c ? c : "") != READSTAT_OK;
            else if (c && c[0] == '.' && c[1] >= 'a' && c[1] <= 'z' && dta)
                rc |= readstat_insert_tagged_missing_value(w, vars[j], c[1]) != READSTAT_OK;
            else if (mk_is_missing(c))
                rc |= readstat_insert_missing_value(w, vars[j]) != READSTAT_OK;
            else
                rc |= readstat_insert_double_value(w, vars[j], strtod(c, NULL)) != READSTAT_OK;
        }
        if (s->note) rc |= readstat_insert_string_value(w, vars[s->ncol], "x") != READSTAT_OK;
        rc |= readstat_end_row(w) != READSTAT_OK;
    }
    rc |= readstat_end_writing(w) != READSTAT_OK;
done:
    if (w) readstat_writer_free(w);
    free(vars);
    free(text);
    rc |= fclose(out) != 0;
    return rc;
}

#ifndef MAKE_SAV_NO_MAIN
int main(int argc, char **argv) {
    if (argc != 4) return fprintf(stderr, "usage: make_sav IN.csv OUT.{sav,zsav,dta} COLUMN\n"), 2;
    FILE *in = fopen(argv[1], "r");
    if (!in) return fprintf(stderr, "make_sav: cannot open %s\n", argv[1]), 1;
    static char line[65536];
    char *names[256];
    int ncol = 0;
    if (!fgets(line, sizeof line, in)) return 1;
    line[strcspn(line, "\r\n")] = '\0';
    for (char *save = NULL, *t = strtok_r(line, ",", &save); t && ncol < 256;
         t = strtok_r(NULL, ",", &save))
        names[ncol++] = strdup(t);
    size_t cap = 1024, nrow = 0;
    char **cells = malloc(cap * (size_t)ncol * sizeof *cells);
    while (cells && fgets(line, sizeof line, in)) {
        if (nrow == cap) {
            char **c = realloc(cells, (cap *= 2) * (size_t)ncol * sizeof *cells);
            if (!c) break;
            cells = c;
        }
        line[strcspn(line, "\r\n")] = '\0';
        char *p = line;
        for (int j = 0; j < ncol; j++) {
            size_t len = strcspn(p, ",");
            char *cell = strndup(p, len);
            if (cell && strcmp(cell, "NA") == 0) cell[0] = '\0';
            cells[nrow * (size_t)ncol + (size_t)j] = cell;
            p += len;
            if (*p == ',') p++;
        }
        nrow++;
    }
    fclose(in);
    mk_spec s = {.nrow = (int)nrow,
                 .ncol = ncol,
                 .names = (const char *const *)names,
                 .cells = (const char *const *)cells,
                 .label_col = argv[3],
                 .note = 1};
    int rc = !cells || mk_write(argv[2], &s);
    for (size_t i = 0; cells && i < nrow * (size_t)ncol; i++) free(cells[i]);
    free(cells);
    for (int j = 0; j < ncol; j++) free(names[j]);
    if (rc) fprintf(stderr, "make_sav: writing %s failed\n", argv[2]);
    return rc;
}
#endif
