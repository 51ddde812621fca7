/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/cli/make_sav.c — writes an SPSS .sav file from a CSV of numbers with
 * ReadStat's writer, for the command's tests (pandas writes .dta, not .sav).
 *   make_sav IN.csv OUT.sav COLUMN
 * Every column becomes a numeric variable; COLUMN (0/1) gets the value labels
 * 0 "rural", 1 "urban"; the text column "note" (all rows "x") is added. */
#define _POSIX_C_SOURCE 200809L
#include <readstat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static ssize_t write_bytes(const void *data, size_t len, void *ctx) {
    return (ssize_t)fwrite(data, 1, len, (FILE *)ctx);
}

int main(int argc, char **argv) {
    if (argc != 4) return fprintf(stderr, "usage: make_sav IN.csv OUT.sav COLUMN\n"), 2;
    FILE *in = fopen(argv[1], "r");
    FILE *out = fopen(argv[2], "wb");
    if (!in || !out) return fprintf(stderr, "make_sav: cannot open files\n"), 1;
    char line[65536];
    char *names[256];
    int ncol = 0;
    if (!fgets(line, sizeof line, in)) return 1;
    line[strcspn(line, "\r\n")] = '\0';
    for (char *save = NULL, *t = strtok_r(line, ",", &save); t && ncol < 256;
         t = strtok_r(NULL, ",", &save))
        names[ncol++] = strdup(t);
    size_t cap = 1024, nrow = 0;
    double *v = malloc(cap * (size_t)ncol * sizeof *v);
    while (fgets(line, sizeof line, in)) {
        if (nrow == cap) v = realloc(v, (cap *= 2) * (size_t)ncol * sizeof *v);
        char *p = line;
        for (int j = 0; j < ncol; j++) {
            v[nrow * (size_t)ncol + (size_t)j] = strtod(p, &p);
            if (*p == ',') p++;
        }
        nrow++;
    }
    readstat_writer_t *w = readstat_writer_init();
    readstat_set_data_writer(w, write_bytes);
    readstat_label_set_t *labels = readstat_add_label_set(w, READSTAT_TYPE_DOUBLE, "area");
    readstat_label_double_value(labels, 0, "rural");
    readstat_label_double_value(labels, 1, "urban");
    readstat_variable_t *vars[257];
    for (int j = 0; j < ncol; j++) {
        vars[j] = readstat_add_variable(w, names[j], READSTAT_TYPE_DOUBLE, 0);
        if (strcmp(names[j], argv[3]) == 0) readstat_variable_set_label_set(vars[j], labels);
    }
    vars[ncol] = readstat_add_variable(w, "note", READSTAT_TYPE_STRING, 8);
    int rc = readstat_begin_writing_sav(w, out, (long)nrow) != READSTAT_OK;
    for (size_t i = 0; i < nrow && !rc; i++) {
        rc |= readstat_begin_row(w) != READSTAT_OK;
        for (int j = 0; j < ncol; j++)
            rc |= readstat_insert_double_value(w, vars[j], v[i * (size_t)ncol + (size_t)j]) !=
                  READSTAT_OK;
        rc |= readstat_insert_string_value(w, vars[ncol], "x") != READSTAT_OK;
        rc |= readstat_end_row(w) != READSTAT_OK;
    }
    rc |= readstat_end_writing(w) != READSTAT_OK;
    readstat_writer_free(w);
    fclose(in);
    rc |= fclose(out) != 0;
    for (int j = 0; j < ncol; j++) free(names[j]);
    free(v);
    if (rc) fprintf(stderr, "make_sav: writing %s failed\n", argv[2]);
    return rc;
}
