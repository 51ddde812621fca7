/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/fuzz/make_seeds.c — writes the seed inputs of the reader harnesses
 * (the layout of fuzz_table.h: three option bytes, one byte per column,
 * then the file):
 *   OUTDIR/readstat/seed-*   small valid Stata .dta files of each version
 *                            ReadStat writes, and SPSS .sav (uncompressed,
 *                            row-compressed) and .zsav files, with value
 *                            labels, strings, system and tagged missing
 *                            values; and Stata .dta files of formats 104
 *                            and 105, in either byte order, with value
 *                            labels in Stata's layout before format 108
 *                            (which ReadStat does not write);
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

/* the n-byte integer v at b's end, in the byte order big (1) or not */
static void put_int(buf *b, unsigned long v, int n, int big) {
    unsigned char c[4];
    for (int i = 0; i < n; i++) c[big ? n - 1 - i : i] = (unsigned char)(v >> (8 * i));
    put(b, c, (size_t)n);
}

/* text in a field of n bytes, padded with NULs */
static void put_field(buf *b, const char *text, size_t n) {
    unsigned char f[128] = {0};
    memcpy(f, text, strlen(text) < n ? strlen(text) : n);
    put(b, f, n);
}

/* A Stata file of format 104 or 105 as Stata wrote it: y double, w float,
   g byte labelled by the set "area" (a label that fills its 8 bytes, a
   negative code), and a second set no variable uses; its value-label
   tables in the layout before format 108 (a count, a 9-byte name, a byte
   of padding, the 2-byte codes, labels of 8 bytes). */
static void write_old_stata(int version, int big, buf *out) {
    static const char *const names[3] = {"y", "w", "g"};
    const int rows = 5;
    const unsigned char head[4] = {(unsigned char)version, big ? 1 : 2, 1, 0};
    put(out, head, 4);
    put_int(out, 3, 2, big);
    put_int(out, (unsigned long)rows, 4, big);
    put_field(out, "old", 32);
    if (version >= 105) put_field(out, "01 Jan 1997 10:00", 18);
    put(out, "dfb", 3);
    for (int i = 0; i < 3; i++) put_field(out, names[i], 9);
    put_field(out, "", 8); /* the sort list */
    for (int i = 0; i < 3; i++) put_field(out, i < 2 ? "%9.0g" : "%8.0g", version >= 105 ? 12 : 7);
    for (int i = 0; i < 3; i++) put_field(out, i == 2 ? "area" : "", 9);
    for (int i = 0; i < 3; i++) put_field(out, i == 0 ? "income per person" : "", 32);
    if (version >= 105) put_field(out, "", 3); /* no expansion fields */
    static const double ys[5] = {1000.5, 2001, 3001.5, 0, 7};
    for (int r = 0; r < rows; r++) {
        double y = ys[r];
        float w = 1.5f + (float)r;
        unsigned long long yb;
        unsigned int wb;
        memcpy(&yb, &y, 8);
        memcpy(&wb, &w, 4);
        put_int(out, (unsigned long)(big ? yb >> 32 : yb & 0xFFFFFFFFu), 4, big);
        put_int(out, (unsigned long)(big ? yb & 0xFFFFFFFFu : yb >> 32), 4, big);
        put_int(out, wb, 4, big);
        const unsigned char g = r == 4 ? 0x7F : r == 3 ? (unsigned char)-3 : (unsigned char)(r % 2);
        put(out, &g, 1);
    }
    static const struct {
        const char *set;
        int n;
        int code[3];
        const char *label[3];
    } sets[2] = {{"area", 3, {0, 1, -3}, {"rural", "urban", "refused!"}},
                 {"unused", 1, {1}, {"yes"}}};
    for (int t = 0; t < 2; t++) {
        put_int(out, (unsigned long)sets[t].n, 2, big);
        put_field(out, sets[t].set, 9);
        put_field(out, "", 1);
        for (int i = 0; i < sets[t].n; i++)
            put_int(out, (unsigned long)sets[t].code[i] & 0xFFFF, 2, big);
        for (int i = 0; i < sets[t].n; i++) put_field(out, sets[t].label[i], 8);
    }
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
    /* g as a label column, then as a design id */
    const unsigned char specs_old[3] = {0, 1, 2 | 8}, specs_old_id[2] = {2 | 8 | 16, 1};
    for (int v = 104; v <= 105; v++)
        for (int big = 0; big <= 1; big++) {
            buf b = {0};
            write_old_stata(v, big, &b);
            char name[64];
            snprintf(name, sizeof name, "dta%d-stata-labels-%s", v, big ? "hilo" : "lohi");
            save(rs, name, 0, 0, big ? specs_old_id : specs_old, big ? 2 : 3, v == 105, &b);
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
