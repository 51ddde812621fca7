/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/fuzz/make_seeds.c — writes the seed inputs of the reader harnesses
 * (the layout of fuzz_table.h: three option bytes, one byte per column,
 * then the file):
 *   OUTDIR/readstat/seed-*   small valid Stata .dta files of each version
 *                            ReadStat writes, and SPSS .sav (uncompressed,
 *                            row-compressed) and .zsav files, with value
 *                            labels, strings, system and tagged missing
 *                            values;
 *   OUTDIR/csv/seed-*        small CSV files: each delimiter, quotes, a BOM,
 *                            CRLF, decimal comma, missing-value spellings.
 * Usage: fuzz_make_seeds OUTDIR (the directories must exist). The corpus in
 * tests/fuzz/corpus/ started from these and grew by fuzzing. */
#define _POSIX_C_SOURCE 200809L
#include <readstat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct buf {
    unsigned char *p;
    size_t n, cap;
} buf;

static void put(buf *b, const void *data, size_t len) {
    if (b->n + len > b->cap) {
        b->cap = 2 * (b->n + len) + 256;
        b->p = realloc(b->p, b->cap);
        if (!b->p) exit(1);
    }
    memcpy(b->p + b->n, data, len);
    b->n += len;
}

static ssize_t write_bytes(const void *data, size_t len, void *ctx) {
    put(ctx, data, len);
    return (ssize_t)len;
}

/* the harness prefix: extension index, options, columns and their specs
   (fz_names: y w g id area note x "a b"; bit 3 = label column) */
static void save(const char *dir, const char *name, unsigned char ext, unsigned char opts,
                 const unsigned char *specs, int nspecs, int keep, const buf *file) {
    char path[512];
    snprintf(path, sizeof path, "%s/seed-%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f) {
        perror(path);
        exit(1);
    }
    unsigned char head[3] = {ext, opts, (unsigned char)((nspecs - 1) | (keep ? 4 : 0))};
    fwrite(head, 1, 3, f);
    fwrite(specs, 1, (size_t)nspecs, f);
    fwrite(file->p, 1, file->n, f);
    if (fclose(f) != 0) exit(1);
}

enum { DTA, SAV, ZSAV };

/* y double, w float, g int8 with value labels, id int32, note string;
   the last rows have missing values */
static int write_stat(int kind, long version, buf *out) {
    readstat_writer_t *w = readstat_writer_init();
    readstat_set_data_writer(w, write_bytes);
    if (kind == DTA) readstat_writer_set_file_format_version(w, version);
    if (kind == SAV && version == 1) readstat_writer_set_compression(w, READSTAT_COMPRESS_ROWS);
    if (kind == ZSAV) readstat_writer_set_compression(w, READSTAT_COMPRESS_BINARY);
    readstat_label_set_t *ls =
        readstat_add_label_set(w, kind == DTA ? READSTAT_TYPE_INT32 : READSTAT_TYPE_DOUBLE, "area");
    if (kind == DTA) {
        readstat_label_int32_value(ls, 0, "rural");
        readstat_label_int32_value(ls, 1, "urban");
    } else {
        readstat_label_double_value(ls, 0, "rural");
        readstat_label_double_value(ls, 1, "urban");
    }
    readstat_variable_t *y = readstat_add_variable(w, "y", READSTAT_TYPE_DOUBLE, 0);
    readstat_variable_t *wt = readstat_add_variable(w, "w", READSTAT_TYPE_FLOAT, 0);
    readstat_variable_t *g =
        readstat_add_variable(w, "g", kind == DTA ? READSTAT_TYPE_INT8 : READSTAT_TYPE_DOUBLE, 0);
    readstat_variable_set_label_set(g, ls);
    readstat_variable_t *id = readstat_add_variable(w, "id", READSTAT_TYPE_INT32, 0);
    readstat_variable_t *note = readstat_add_variable(w, "note", READSTAT_TYPE_STRING, 8);
    readstat_variable_set_label(y, "income per person");
    int rows = 5, rc = 0;
    readstat_error_t e = kind == DTA ? readstat_begin_writing_dta(w, out, rows)
                                     : readstat_begin_writing_sav(w, out, rows);
    rc |= e != READSTAT_OK;
    static const char *notes[5] = {"a", "b b", "", "NA", "zz"};
    for (int i = 0; i < rows && !rc; i++) {
        rc |= readstat_begin_row(w) != READSTAT_OK;
        if (i < 3)
            rc |= readstat_insert_double_value(w, y, 1000.5 * (i + 1)) != READSTAT_OK;
        else if (kind == DTA && version >= 113)
            rc |= readstat_insert_tagged_missing_value(w, y, 'a') != READSTAT_OK;
        else
            rc |= readstat_insert_missing_value(w, y) != READSTAT_OK;
        rc |= readstat_insert_float_value(w, wt, 1.5f + (float)i) != READSTAT_OK;
        if (i == 4)
            rc |= readstat_insert_missing_value(w, g) != READSTAT_OK;
        else if (kind == DTA)
            rc |= readstat_insert_int8_value(w, g, (int8_t)(i % 3)) != READSTAT_OK;
        else
            rc |= readstat_insert_double_value(w, g, (double)(i % 3)) != READSTAT_OK;
        rc |= readstat_insert_int32_value(w, id, 100 + i) != READSTAT_OK;
        rc |= readstat_insert_string_value(w, note, notes[i]) != READSTAT_OK;
        rc |= readstat_end_row(w) != READSTAT_OK;
    }
    if (!rc) rc |= readstat_end_writing(w) != READSTAT_OK;
    readstat_writer_free(w);
    return rc;
}

int main(int argc, char **argv) {
    if (argc != 2) return fprintf(stderr, "usage: fuzz_make_seeds OUTDIR\n"), 2;
    char rs[512], csv[512];
    snprintf(rs, sizeof rs, "%s/readstat", argv[1]);
    snprintf(csv, sizeof csv, "%s/csv", argv[1]);
    /* y, w numbers; g, note labels */
    const unsigned char specs[4] = {0, 1, 2 | 8, 5 | 8};
    const unsigned char specs_num[3] = {3, 0, 2}; /* id, y, g as numbers */
    static const long dta_versions[] = {104, 105, 108, 110, 111, 113, 114, 115, 117, 118, 119};
    for (size_t v = 0; v < sizeof dta_versions / sizeof dta_versions[0]; v++) {
        buf b = {0};
        if (write_stat(DTA, dta_versions[v], &b) != 0) {
            fprintf(stderr, "dta %ld: ReadStat cannot write it, skipped\n", dta_versions[v]);
            free(b.p);
            continue;
        }
        char name[64];
        snprintf(name, sizeof name, "dta%ld", dta_versions[v]);
        save(rs, name, 0, 0, specs, 4, v % 2, &b);
        if (dta_versions[v] == 118) save(rs, "dta118-numbers", 3, 0, specs_num, 3, 0, &b);
        free(b.p);
    }
    for (int k = 0; k < 3; k++) {
        buf b = {0};
        int kind = k == 2 ? ZSAV : SAV;
        if (write_stat(kind, k == 1, &b) != 0) return fprintf(stderr, "sav %d failed\n", k), 1;
        static const char *names[3] = {"sav", "sav-rows", "zsav"};
        save(rs, names[k], k == 2 ? 2 : 1, 0, specs, 4, k == 0, &b);
        if (k == 0) save(rs, "sav-numbers", 4, 0, specs_num, 3, 0, &b);
        free(b.p);
    }
    /* CSV: opts bit 0 decimal comma, bits 1-2 delimiter, 3-4 encoding, 5-7 NA list */
    static const struct {
        const char *name, *text;
        unsigned char opts;
    } csvs[] = {
        {"comma", "y,w,g,id\n1.5,2,a,1\n2.5,3,b,2\n,4,a,3\nNA,1,,4\n", 0},
        {"semicolon-decimal-comma", "y;w;g\n1.234,5;2;urban\n\"2,5\";3;rural\n.;1;urban\n", 1},
        {"tab-crlf", "y\tw\tg\r\n1\t2\tx\r\n3\t4\ty\r\n", 0},
        {"bom-quotes",
         "\xEF\xBB\xBFy,w,g,note\n1,2,\"a, b\",\"say \"\"hi\"\"\"\n3,4,c,\"two\nlines\"\n", 0},
        {"na-spellings", "y,w,g\n-999,1,n/a\n2,.,-\n3,2,b\n", 3 << 5},
        {"exponents", "y,w,g\n1e5,2E-3,a\n-0.0,+7,b\n1.7976931348623157e308,1,c\n", 0},
        {"cp1252", "y,w,g\n1,2,S\xE3o Paulo\n2,3,caf\xE9\n", 1 << 3},
        {"explicit-semicolon", "y;w;g\n1;2;a\n3;4;b\n", 2 << 1},
        {"header-spaces", "a b,y,w\nx,1,2\ny,3,4\n", 0},
    };
    const unsigned char cspecs[4] = {0, 1, 2 | 8, 5 | 8};
    const unsigned char cspecs2[3] = {7 | 8, 0, 1};
    for (size_t i = 0; i < sizeof csvs / sizeof csvs[0]; i++) {
        buf b = {0};
        put(&b, csvs[i].text, strlen(csvs[i].text));
        int spaces = strcmp(csvs[i].name, "header-spaces") == 0;
        int note = strcmp(csvs[i].name, "bom-quotes") == 0;
        save(csv, csvs[i].name, 0, csvs[i].opts, spaces ? cspecs2 : cspecs,
             spaces ? 3
             : note ? 4
                    : 3,
             (int)(i % 2), &b);
        free(b.p);
    }
    return 0;
}
