/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/cli/test_table.c — the command's reader (cli/table.h): numbers as
 * strtod reads them (the fast path included), decimal commas, missing cells,
 * text that is not a number, and CSV files with quotes, BOM, semicolons,
 * CRLF, embedded newlines and malformed records. */
#include "../test_util.h"

#include "reader.h"
#include "table.h"

#include <sys/stat.h>

/* a test's own UTF-8 check (independent of the reader's) */
static int valid_utf8(const char *str) {
    const unsigned char *s = (const unsigned char *)str;
    while (*s) {
        uint32_t cp;
        int n;
        if (*s < 0x80) {
            s++;
            continue;
        } else if ((*s & 0xE0) == 0xC0)
            cp = *s & 0x1F, n = 1;
        else if ((*s & 0xF0) == 0xE0)
            cp = *s & 0x0F, n = 2;
        else if ((*s & 0xF8) == 0xF0)
            cp = *s & 0x07, n = 3;
        else
            return 0;
        for (int k = 1; k <= n; k++) {
            if ((s[k] & 0xC0) != 0x80) return 0;
            cp = cp << 6 | (s[k] & 0x3F);
        }
        if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
            cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        s += n + 1;
    }
    return 1;
}

static void check_number(const char *s, int dc, int want_rc, double want) {
    double v;
    int rc = tbl_parse_number(s, strlen(s), dc, &v);
    if (rc != want_rc) {
        print_error("\"%s\" (decimal comma %d): rc %d, expected %d\n", s, dc, rc, want_rc);
        fail();
    }
    if (rc == 0 && memcmp(&v, &want, sizeof v) != 0) {
        print_error("\"%s\": %.17g, expected %.17g\n", s, v, want);
        fail();
    }
    if (rc != 0) assert_true(isnan(v));
}

static void test_numbers(void **state) {
    (void)state;
    check_number("520000", 0, 0, 520000);
    check_number(" 1.5 ", 0, 0, 1.5);
    check_number("-0.25", 0, 0, -0.25);
    check_number("+3", 0, 0, 3);
    check_number("1e3", 0, 0, 1000);
    check_number("2.5E-2", 0, 0, 0.025);
    check_number(".5", 0, 0, 0.5);
    check_number("5.", 0, 0, 5.0);
    check_number("0.1", 0, 0, 0.1);
    check_number("123456789012345678901234", 0, 0, strtod("123456789012345678901234", NULL));
    check_number("0.30000000000000004", 0, 0, strtod("0.30000000000000004", NULL));
    /* missing: the default spellings TBL_NA_DEFAULT */
    check_number("", 0, 1, NAN);
    check_number("   ", 0, 1, NAN);
    check_number("NA", 0, 1, NAN);
    check_number(" NaN ", 0, 1, NAN);
    check_number(".", 1, 1, NAN);
    /* not numbers */
    const char *bad[] = {"abc", "1,5",   "1.2.3", "nan", "NAN", "inf", "-inf", "0x10", "1e", "1e+",
                         "--1", "1 000", "1e400", "e5",  "..",  "-",   "12x",  "N/A",  "na", NULL};
    for (int i = 0; bad[i]; i++) check_number(bad[i], 0, -1, NAN);
    /* decimal comma, '.' grouping thousands */
    check_number("1,5", 1, 0, 1.5);
    check_number("1.234,5", 1, 0, 1234.5);
    check_number("12.345.678", 1, 0, 12345678);
    check_number("-520.000", 1, 0, -520000);
    check_number("1.5", 1, -1, NAN);      /* not a group of three */
    check_number("1234.567", 1, -1, NAN); /* first group of four */
    check_number("1.23.456", 1, -1, NAN);
    check_number("1.5,2", 1, -1, NAN);
    /* a first group starting with 0 is no thousands group */
    check_number("0.125", 1, -1, NAN);
    check_number("-0.125", 1, -1, NAN);
    check_number("+0.500", 1, -1, NAN);
    check_number("012.345", 1, -1, NAN);
    check_number("0.000.001", 1, -1, NAN);
    check_number("0,125", 1, 0, 0.125);
    check_number("-0,125", 1, 0, -0.125);
    check_number("012,5", 1, 0, 12.5);
    check_number("1.000", 1, 0, 1000);
    check_number("100.000,25", 1, 0, 100000.25);
    /* random decimals agree with strtod to the bit */
    uint64_t seed = 42;
    char s[64];
    for (int it = 0; it < 300000; it++) {
        int p = 0;
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        int intd = (int)((seed >> 33) % 12), fd = (int)((seed >> 40) % 10);
        if ((seed >> 50) % 4 == 0) s[p++] = '-';
        for (int i = 0; i <= intd; i++) {
            seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
            s[p++] = (char)('0' + (seed >> 35) % 10);
        }
        if (fd) {
            s[p++] = '.';
            for (int i = 0; i < fd; i++) {
                seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
                s[p++] = (char)('0' + (seed >> 35) % 10);
            }
        }
        s[p] = '\0';
        check_number(s, 0, 0, strtod(s, NULL));
    }
}

static const char *write_file(const char *name, const char *content, size_t len) {
    static char path[256];
    snprintf(path, sizeof path, "socind-test-%s", name); /* in the test directory */
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(content, 1, len, f), len);
    fclose(f);
    return path;
}

/* reads columns y (number) and g (label) */
static int read_text(const char *content, int dc, tbl *t, char *err, size_t cap) {
    memset(t, 0, sizeof *t);
    t->path = write_file("t.csv", content, strlen(content));
    t->decimal_comma = dc;
    assert_int_equal(tbl_want(t, "y", "income", TBL_NUM), 0);
    assert_int_equal(tbl_want(t, "g", "by", TBL_LABEL), 1);
    int rc = tbl_read(t, err, cap);
    remove(t->path);
    return rc;
}

static void test_csv_files(void **state) {
    (void)state;
    tbl t;
    char err[512];
    /* BOM, semicolons, CRLF, quotes with "" and ; and a newline inside */
    const char *ok = "\xEF\xBB\xBF"
                     "x;\"y\";g\r\n"
                     "a;1,5;\"Sungai \"\"Lilin\"\"; kota\"\r\n"
                     "b;NA;\"two\nlines\"\r\n"
                     "c;1.234,5;Sekayu\r\n";
    assert_int_equal(read_text(ok, 1, &t, err, sizeof err), 0);
    assert_int_equal((int)t.nrows, 3);
    assert_close(t.cols[0].num[0], 1.5, 0);
    assert_true(isnan(t.cols[0].num[1]));
    assert_close(t.cols[0].num[2], 1234.5, 0);
    assert_string_equal(t.cols[1].labels[t.cols[1].code[0]], "Sungai \"Lilin\"; kota");
    assert_string_equal(t.cols[1].labels[t.cols[1].code[1]], "two\nlines");
    assert_int_equal((int)t.line[0], 2);
    assert_int_equal((int)t.line[2], 5); /* the record after the two-line one */
    tbl_free(&t);

    struct {
        const char *content, *message;
    } bad[] = {
        {"y,g\n1,a\n2,b,c\n", ":3: 3 fields, but the header has 2"},
        {"y,g\n1,a\n\"2,b\n", "not closed before the end of the file"},
        {"y,g\n1,a\n2x,b\n", ":3:1: column \"y\" (--income): \"2x\" is not a number"},
        {"y,g\n1,a\n\"2\n3\",b\n", ":3:1: column \"y\" (--income): \"2\\x0A3\" is not a number"},
        {"y,g\n1,a\n2,b\"c\"\n", ":3:2: malformed CSV"},
        {"y,h\n1,a\n", "no column \"g\" (named by --by); the header has: y, h"},
        {"", "empty file (no header row)"},
        {"y,g\n", "no data rows after the header"},
        {"y,g\n1,a\n\0,b\n", "a NUL byte"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        memset(&t, 0, sizeof t);
        size_t len = strlen(bad[i].content);
        if (strstr(bad[i].message, "NUL")) len = 12; /* the NUL byte */
        t.path = write_file("bad.csv", bad[i].content, len);
        tbl_want(&t, "y", "income", TBL_NUM);
        tbl_want(&t, "g", "by", TBL_LABEL);
        assert_int_equal(tbl_read(&t, err, sizeof err), 1);
        if (!strstr(err, bad[i].message)) {
            print_error("case %zu: \"%s\" lacks \"%s\"\n", i, err, bad[i].message);
            fail();
        }
        remove(t.path);
        tbl_free(&t);
    }
}

/* a CR alone ends a line (old Macintosh files), as CR LF and LF do: rows and
 * messages name the right lines, also when the CR ends a read buffer */
static void test_cr_line_ends(void **state) {
    (void)state;
    tbl t;
    char err[512];
    assert_int_equal(read_text("y,g\r1,a\r2,b\r\r3,c\r", 0, &t, err, sizeof err), 0);
    assert_int_equal((int)t.nrows, 3);
    assert_int_equal((int)t.line[0], 2);
    assert_int_equal((int)t.line[1], 3);
    assert_int_equal((int)t.line[2], 5); /* after an empty line */
    tbl_free(&t);
    assert_int_equal(read_text("y,g\r1,a\r2x,b\r", 0, &t, err, sizeof err), 1);
    assert_non_null(strstr(err, ":3:1: column \"y\" (--income): \"2x\" is not a number"));
    tbl_free(&t);
    /* lines of 65,535 bytes put a CR at the end of the 64 KB read buffer */
    size_t len = 4 + 3 * 65536 + 16;
    char *big = malloc(len);
    assert_non_null(big);
    size_t o = (size_t)sprintf(big, "y,g\r");
    for (int r = 0; r < 3; r++) {
        o += (size_t)sprintf(big + o, "%d,", r);
        while ((o + 2) % 65536 != 0) big[o++] = 'a';
        big[o++] = '\r';
        if (r == 1) big[o++] = '\n'; /* one CR LF split across two reads */
    }
    o += (size_t)sprintf(big + o, "9x,z\r");
    big[o] = '\0';
    assert_int_equal(read_text(big, 0, &t, err, sizeof err), 1);
    assert_non_null(strstr(err, ":5:1: column \"y\" (--income): \"9x\" is not a number"));
    tbl_free(&t);
    free(big);
}

static void test_keep(void **state) {
    (void)state;
    tbl t;
    char err[512];
    assert_int_equal(read_text("y,g\n1,a\n2,b\n3,a\n4,\n", 0, &t, err, sizeof err), 0);
    assert_int_equal((int)tbl_keep(&t, 1, "a"), 2);
    assert_close(t.cols[0].num[0], 1, 0);
    assert_close(t.cols[0].num[1], 3, 0);
    assert_int_equal((int)t.line[1], 4);
    assert_int_equal((int)tbl_keep(&t, 1, "zzz"), 0);
    tbl_free(&t);
    /* records are the file's data rows, whatever lines their cells span */
    assert_int_equal(
        read_text("y,g\n1,\"a\nb\"\n2,b\n3,\"c\n\nd\"\n4,\n5,b\n", 0, &t, err, sizeof err), 0);
    int64_t line[] = {2, 4, 5, 8, 9};
    for (int r = 0; r < 5; r++) {
        assert_int_equal((int)t.line[r], (int)line[r]);
        assert_int_equal((int)t.record[r], r + 1);
    }
    /* tbl_keep_mask: the rows of a mask, n_missing recounted */
    assert_int_equal((int)t.cols[1].n_missing, 1);
    unsigned char keep[] = {0, 1, 0, 1, 1};
    assert_int_equal((int)tbl_keep_mask(&t, keep), 3);
    assert_int_equal((int)t.record[0], 2);
    assert_int_equal((int)t.record[1], 4);
    assert_int_equal((int)t.record[2], 5);
    assert_int_equal((int)t.line[2], 9);
    assert_close(t.cols[0].num[1], 4, 0);
    assert_int_equal((int)t.cols[1].n_missing, 1);
    assert_int_equal(t.cols[1].n_labels, 1); /* "b" */
    unsigned char keep2[] = {1, 0, 1};
    assert_int_equal((int)tbl_keep_mask(&t, keep2), 2);
    assert_int_equal((int)t.cols[1].n_missing, 0);
    assert_int_equal((int)tbl_keep_mask(&t, NULL), 0);
    tbl_free(&t);
}

/* Several conditions (several --subset): each keeps the rows that meet it
 * among those left, so all must hold; labels no row uses any more are
 * dropped (the others renumbered in order of appearance) and n_missing
 * counts the rows left. */
static void test_keep_several(void **state) {
    (void)state;
    tbl t;
    char err[512];
    memset(&t, 0, sizeof t);
    const char *text = "year,area,y,g\n"
                       "2023,north,1,a\n"
                       "2024,south,2,b\n"
                       "2024,north,NA,c\n"
                       "2023,south,4,\n"
                       "2024,north,5,a\n"
                       "2024,north,6,\n"
                       "2024,east,7,d\n";
    t.path = write_file("keep.csv", text, strlen(text));
    assert_int_equal(tbl_want(&t, "year", "subset", TBL_LABEL), 0);
    assert_int_equal(tbl_want(&t, "area", "subset", TBL_LABEL), 1);
    assert_int_equal(tbl_want(&t, "y", "income", TBL_NUM), 2);
    assert_int_equal(tbl_want(&t, "g", "by", TBL_LABEL), 3);
    assert_int_equal(tbl_read(&t, err, sizeof err), 0);
    assert_int_equal((int)t.cols[2].n_missing, 1);
    assert_int_equal((int)t.cols[3].n_missing, 2);
    assert_int_equal(t.cols[3].n_labels, 4);
    assert_int_equal((int)tbl_keep(&t, 0, " 2024 "), 5); /* trimmed like the labels */
    assert_int_equal((int)tbl_keep(&t, 1, "north"), 3);
    assert_int_equal((int)t.nrows, 3);
    int want_line[] = {4, 6, 7};
    for (int r = 0; r < 3; r++) assert_int_equal((int)t.line[r], want_line[r]);
    for (int r = 0; r < 3; r++) assert_int_equal((int)t.record[r], want_line[r] - 1);
    assert_true(isnan(t.cols[2].num[0]));
    assert_close(t.cols[2].num[1], 5, 0);
    assert_close(t.cols[2].num[2], 6, 0);
    assert_int_equal((int)t.cols[2].n_missing, 1);
    assert_int_equal((int)t.cols[3].n_missing, 1);
    /* g: "c" then "a" among the rows left; "b" and "d" gone */
    assert_int_equal(t.cols[3].n_labels, 2);
    assert_string_equal(t.cols[3].labels[0], "c");
    assert_string_equal(t.cols[3].labels[1], "a");
    assert_int_equal(t.cols[3].code[0], 0);
    assert_int_equal(t.cols[3].code[1], 1);
    assert_int_equal(t.cols[3].code[2], -1);
    assert_int_equal(t.cols[0].n_labels, 1);
    assert_string_equal(t.cols[0].labels[0], "2024");
    assert_int_equal(t.cols[1].n_labels, 1);
    /* the same condition again changes nothing; one no row meets leaves none */
    assert_int_equal((int)tbl_keep(&t, 1, "north"), 3);
    assert_int_equal((int)tbl_keep(&t, 3, "b"), 0);
    assert_int_equal((int)t.nrows, 0);
    assert_int_equal(t.cols[3].n_labels, 0);
    assert_int_equal((int)t.cols[2].n_missing, 0);
    assert_int_equal((int)tbl_keep(&t, 3, "a"), 0);
    tbl_free(&t);
    tbl_free(&t); /* twice is harmless */

    /* arguments that name no label column keep nothing, without a crash */
    assert_int_equal(read_text("y,g\n1,a\n2,b\n", 0, &t, err, sizeof err), 0);
    assert_int_equal((int)tbl_keep(&t, 0, "1"), 0); /* a number column */
    tbl_free(&t);
    int bad_cols[] = {-1, 2, 1};
    for (int i = 0; i < 3; i++) {
        assert_int_equal(read_text("y,g\n1,a\n2,b\n", 0, &t, err, sizeof err), 0);
        assert_int_equal((int)tbl_keep(&t, bad_cols[i], i == 2 ? NULL : "a"), 0);
        assert_int_equal((int)t.nrows, 0);
        tbl_free(&t);
    }
    /* before reading: no rows */
    memset(&t, 0, sizeof t);
    assert_int_equal(tbl_want(&t, "g", "by", TBL_LABEL), 0);
    assert_int_equal((int)tbl_keep(&t, 0, "a"), 0);
    assert_int_equal(tbl_want(&t, NULL, "by", TBL_LABEL), -1);
    assert_int_equal(tbl_want(&t, "g", "by", 7), -1);
    assert_int_equal(tbl_want(&t, "g", "by", TBL_LABEL), 0); /* asked twice: read once */
    assert_int_equal(tbl_want(&t, "g", "income", TBL_NUM), 1);
    tbl_free(&t);
    remove("socind-test-keep.csv");
}

/* Random damage to a valid file (bytes replaced, inserted, deleted; quotes,
 * delimiters, NULs and newlines among them) never crashes the reader: each
 * version either reads or fails with a message naming the file. */
static void test_damaged_files(void **state) {
    (void)state;
    const char *base = "\xEF\xBB\xBF"
                       "id;y;g;note\r\n"
                       "1;1.234,5;a;\"x;y\"\r\n"
                       "2;NA;b;\"two\nlines\"\r\n"
                       "3;17;\"c \"\"q\"\"\";\r\n"
                       "4;-2,5e3;a;z\r\n";
    const char alphabet[] = ";,\"\n\r\t 0123456789.eE-+NAx\0\xEF\xBB\xBF";
    size_t blen = strlen(base);
    char buf[512], err[512];
    uint64_t seed = 7;
    int readable = 0, failed = 0;
    for (int it = 0; it < 3000; it++) {
        memcpy(buf, base, blen);
        size_t len = blen;
        int edits = 1 + it % 4;
        for (int e = 0; e < edits; e++) {
            seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
            size_t pos = (size_t)(seed >> 33) % (len + 1);
            char ch = alphabet[(seed >> 20) % (sizeof alphabet - 1)];
            int op = (int)((seed >> 50) % 3);
            if (op == 0 && pos < len) {
                buf[pos] = ch;
            } else if (op == 1 && len + 1 < sizeof buf) {
                memmove(buf + pos + 1, buf + pos, len - pos);
                buf[pos] = ch;
                len++;
            } else if (pos < len) {
                memmove(buf + pos, buf + pos + 1, len - pos - 1);
                len--;
            }
        }
        tbl t;
        memset(&t, 0, sizeof t);
        t.path = write_file("damaged.csv", buf, len);
        t.decimal_comma = 1;
        tbl_want(&t, "y", "income", TBL_NUM);
        tbl_want(&t, "g", "by", TBL_LABEL);
        err[0] = '\0';
        if (tbl_read(&t, err, sizeof err) == 0) {
            readable++;
            assert_true(t.nrows > 0);
        } else {
            failed++;
            assert_non_null(strstr(err, "socind-test-damaged.csv"));
            assert_true(valid_utf8(err));
        }
        remove(t.path);
        tbl_free(&t);
    }
    /* both outcomes occur */
    assert_true(readable > 100 && failed > 100);
}

/* ------------------------------------------------------------ .dta / .sav */

#define MAKE_SAV_NO_MAIN
#include "make_sav.c"

static unsigned char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = malloc((size_t)n + 1);
    assert_non_null(b);
    assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return b;
}

/* twelve rows: y (number; row 4 system-missing), urban (0/1, labelled
 * "rural"/"urban"), g (text) */
static const char *const fx_names[] = {"y", "g", "urban"};
static const char *const fx_cells[] = {
    "1.5", "a", "0", "2", "b", "1", "3", "a", "1", "",   "c", "0", "5",  "a", "1", "6",  "b", "0",
    "7",   "c", "1", "8", "a", "0", "9", "b", "1", "10", "c", "0", "11", "a", "1", "12", "b", "0"};

static const char *fixture(const char *file, int dta_version, const char *label_set) {
    static char path[256];
    snprintf(path, sizeof path, "socind-test-%s", file);
    mk_spec s = {.nrow = 12,
                 .ncol = 3,
                 .names = fx_names,
                 .cells = fx_cells,
                 .label_col = "urban",
                 .label_set = label_set,
                 .dta_version = dta_version};
    assert_int_equal(mk_write(path, &s), 0);
    return path;
}

static int read_yug(tbl *t, const char *path, char *err, size_t cap) {
    memset(t, 0, sizeof *t);
    t->path = path;
    assert_int_equal(tbl_want(t, "y", "income", TBL_NUM), 0);
    assert_int_equal(tbl_want(t, "urban", "by", TBL_LABEL), 1);
    assert_int_equal(tbl_want(t, "g", "strata", TBL_LABEL), 2);
    return tbl_read(t, err, cap);
}

static const char *label_of(const tbl *t, int col, size_t row) {
    int32_t k = t->cols[col].code[row];
    return k < 0 ? NULL : t->cols[col].labels[k];
}

static void check_fixture(const tbl *t) {
    assert_int_equal((int)t->nrows, 12);
    assert_close(t->cols[0].num[0], 1.5, 0);
    assert_true(isnan(t->cols[0].num[3]));
    assert_close(t->cols[0].num[11], 12, 0);
    assert_string_equal(label_of(t, 1, 0), "rural");
    assert_string_equal(label_of(t, 1, 1), "urban");
    assert_string_equal(label_of(t, 2, 3), "c");
    assert_int_equal(t->cols[1].n_labels, 2);
    assert_int_equal(t->cols[2].n_labels, 3);
}

/* The formats ReadStat reads, as make_sav writes them. */
static void test_stata_and_spss_files(void **state) {
    (void)state;
    const char *files[] = {"f.dta", "f.sav", "f.zsav"};
    int versions[] = {118, 117, 114};
    char err[512];
    tbl t;
    for (int i = 0; i < 5; i++) {
        const char *path = fixture(i < 3 ? "f.dta" : files[i - 2], i < 3 ? versions[i] : 0, NULL);
        if (read_yug(&t, path, err, sizeof err) != 0) {
            print_error("%s (%d): %s\n", path, i, err);
            fail();
        }
        check_fixture(&t);
        assert_int_equal(t.is_csv, 0);
        assert_int_equal((int)t.line[4], 5);
        tbl_free(&t);
        remove(path);
    }
}

/* Corrupted files: ReadStat hands over a NULL name for a variable whose name
 * is empty (here zeroed in the file); the reader names the file and does not
 * crash. */
static void test_empty_variable_name(void **state) {
    (void)state;
    const char *files[] = {"e.dta", "e.sav", "e.zsav"};
    char err[512];
    for (int i = 0; i < 3; i++) {
        const char *path = fixture(files[i], 0, NULL);
        size_t len;
        unsigned char *b = slurp(path, &len);
        /* the variable g's name: "g" followed by NUL (.dta) or spaces (.sav) */
        int patched = 0;
        for (size_t p = 1; p + 2 < len; p++) {
            if (b[p] != 'g' && b[p] != 'G') continue;
            if (b[p - 1] != 0 && b[p - 1] != '>' && b[p - 1] != ' ' && b[p - 1] != 0x1) continue;
            if (!(b[p + 1] == 0 || (b[p + 1] == ' ' && b[p + 2] == ' '))) continue;
            b[p] = i == 0 ? 0 : ' ';
            patched++;
        }
        assert_true(patched > 0);
        FILE *f = fopen(path, "wb");
        fwrite(b, 1, len, f);
        fclose(f);
        free(b);
        tbl t;
        int rc = read_yug(&t, path, err, sizeof err);
        if (rc == 0) {
            print_error("%s: read although g has no name\n", path);
            fail();
        }
        assert_non_null(strstr(err, path));
        tbl_free(&t);
        remove(path);
    }
}

/* Stata's value-label set names are fixed-width fields that need not end in
 * a NUL: a name that fills its field (here 32 characters and the NUL
 * replaced) is read within the field, in the variable's entry and in the
 * label table alike, and the labels apply. */
static void test_unterminated_label_set_name(void **state) {
    (void)state;
    const char *set = "abcdefghijklmnopqrstuvwxyzABCDEF"; /* 32 characters */
    int versions[] = {117, 118};
    for (int v = 0; v < 2; v++) {
        const char *path = fixture("u.dta", versions[v], set);
        size_t len;
        unsigned char *b = slurp(path, &len);
        int patched = 0;
        for (size_t p = 0; p + 33 <= len; p++) {
            if (memcmp(b + p, set, 32) != 0) continue;
            /* fill the whole field (33 or 129 bytes) */
            size_t field = versions[v] < 118 ? 33 : 129;
            for (size_t q = 32; q < field && p + q < len; q++) b[p + q] = 'Z';
            patched++;
        }
        assert_int_equal(patched, 2); /* the variable's entry and the table */
        FILE *f = fopen(path, "wb");
        fwrite(b, 1, len, f);
        fclose(f);
        free(b);
        tbl t;
        char err[512];
        if (read_yug(&t, path, err, sizeof err) != 0) {
            print_error("%s: %s\n", path, err);
            fail();
        }
        check_fixture(&t);
        tbl_free(&t);
        remove(path);
    }
}

/* A header that claims far more observations than the file holds: the
 * reservation is bounded by the file's size, never the claim. */
static void test_row_count_claim(void **state) {
    (void)state;
    const char *path = fixture("n.dta", 118, NULL);
    size_t len;
    unsigned char *b = slurp(path, &len);
    unsigned char *n = NULL;
    for (size_t p = 0; p + 11 <= len && !n; p++)
        if (memcmp(b + p, "<N>", 3) == 0) n = b + p;
    assert_non_null(n);
    uint64_t claim = (uint64_t)1 << 31; /* 2^31 - 1 observations */
    claim -= 1;
    memcpy(n + 3, &claim, 8); /* little-endian file on a little-endian machine */
    FILE *f = fopen(path, "wb");
    fwrite(b, 1, len, f);
    fclose(f);
    free(b);
    tbl t;
    char err[512];
    assert_int_equal(read_yug(&t, path, err, sizeof err), 1);
    assert_non_null(strstr(err, path));
    if (t.cap > 2 * len + 1024) {
        print_error("%zu rows reserved for a %zu-byte file\n", t.cap, len);
        fail();
    }
    tbl_free(&t);
    remove(path);
}

/* A very long string (over 255 bytes) of a UTF-8 .sav/.zsav whose bytes are
 * all NUL: ReadStat 1.1.8 counted its length below zero and read past its
 * buffer (issue #285; the sanitizers saw it, the plain build refused the
 * file). It reads as an empty, so missing, text. */
static void test_long_string_of_nuls(void **state) {
    (void)state;
    static char x300[301], y600[601];
    memset(x300, 'x', 300);
    memset(y600, 'y', 600);
    const char *names[] = {"y", "g"};
    const char *cells[] = {"1", x300, "2", y600, "3", "short"};
    mk_spec s = {.nrow = 3, .ncol = 2, .names = names, .cells = cells};
    assert_int_equal(mk_write("socind-test-nul.sav", &s), 0);
    size_t len;
    unsigned char *b = slurp("socind-test-nul.sav", &len);
    size_t i = 0, j;
    while (i + 8 <= len && memcmp(b + i, "yyyyyyyy", 8) != 0) i++;
    assert_true(i + 8 <= len);
    for (j = i; j < len && (b[j] == 'y' || b[j] == ' '); j++) b[j] = 0;
    assert_true(j - i >= 600);
    FILE *f = fopen("socind-test-nul.sav", "wb");
    fwrite(b, 1, len, f);
    fclose(f);
    free(b);
    tbl t;
    memset(&t, 0, sizeof t);
    t.path = "socind-test-nul.sav";
    tbl_want(&t, "y", "income", TBL_NUM);
    tbl_want(&t, "g", "by", TBL_LABEL);
    char err[512];
    if (tbl_read(&t, err, sizeof err) != 0) {
        print_error("%s\n", err);
        fail();
    }
    assert_int_equal((int)t.nrows, 3);
    assert_string_equal(label_of(&t, 1, 0), x300);
    assert_int_equal(t.cols[1].code[1], -1);
    assert_int_equal((int)t.cols[1].n_missing, 1);
    assert_string_equal(label_of(&t, 1, 2), "short");
    assert_close(t.cols[0].num[2], 3, 0);
    tbl_free(&t);
    remove("socind-test-nul.sav");
}

/* Every single-byte corruption of a valid .dta/.sav/.zsav at a deterministic
 * subset of (position, value) pairs either reads or fails with a message
 * naming the file; the reservation stays within the file's size. Under the
 * sanitizers (the second ctest pass) any out-of-bounds access fails it. */
static void test_corrupted_files(void **state) {
    (void)state;
    struct {
        const char *file;
        int version;
    } fx[] = {{"c.dta", 118}, {"c.dta", 117}, {"c.dta", 114}, {"c.sav", 0}, {"c.zsav", 0}};
    char err[512];
    int total = 0, readable = 0;
    for (size_t i = 0; i < sizeof fx / sizeof fx[0]; i++) {
        const char *path = fixture(fx[i].file, fx[i].version, NULL);
        size_t len;
        unsigned char *good = slurp(path, &len);
        char bad[64];
        snprintf(bad, sizeof bad, "socind-test-bad-%s", fx[i].file);
        FILE *w = fopen(bad, "wb");
        assert_non_null(w);
        fwrite(good, 1, len, w);
        fclose(w);
        for (size_t p = 0; p < len; p++) {
            unsigned char vals[3] = {0x00, 0xFF, (unsigned char)(good[p] ^ (1u << (p % 8)))};
            for (int k = 0; k < 3; k++) {
                if (vals[k] == good[p]) continue;
                /* one byte rewritten in place (creating a file per case is slow on
                   some file systems) */
                FILE *f = fopen(bad, "r+b");
                assert_non_null(f);
                fseek(f, (long)p, SEEK_SET);
                fputc(vals[k], f);
                fclose(f);
                tbl t;
                err[0] = '\0';
                int rc = read_yug(&t, bad, err, sizeof err);
                total++;
                if (rc == 0) {
                    readable++;
                    assert_true(t.nrows > 0);
                } else if (!strstr(err, bad)) {
                    print_error("byte %zu = 0x%02X: \"%s\" does not name the file\n", p, vals[k],
                                err);
                    fail();
                }
                if (t.cap > 2 * len + 1024 && strstr(fx[i].file, ".zsav") == NULL) {
                    print_error("%s byte %zu = 0x%02X: %zu rows reserved for %zu bytes\n",
                                fx[i].file, p, vals[k], t.cap, len);
                    fail();
                }
                tbl_free(&t);
            }
            FILE *f = fopen(bad, "r+b");
            fseek(f, (long)p, SEEK_SET);
            fputc(good[p], f);
            fclose(f);
        }
        remove(bad);
        remove(path);
        free(good);
    }
    assert_true(total > 10000);
    assert_true(readable > 100);
}

/* A label column holds at most TBL_MAX_LABELS distinct values (1000 in this
 * test's build; 2^29 in the command): one more is refused, for CSV text and
 * for numbers read from a .dta file. */
static void test_label_cap(void **state) {
    (void)state;
    assert_int_equal(TBL_MAX_LABELS, 1000);
    char err[512];
    for (int extra = 0; extra < 2; extra++) {
        size_t n = TBL_MAX_LABELS + (size_t)extra;
        char *text = malloc(16 * (n + 2));
        assert_non_null(text);
        size_t used = (size_t)sprintf(text, "y,g\n");
        for (size_t i = 0; i < n; i++) used += (size_t)sprintf(text + used, "1,v%zu\n", i);
        tbl t;
        int rc = read_text(text, 0, &t, err, sizeof err);
        if (extra == 0) {
            assert_int_equal(rc, 0);
            assert_int_equal(t.cols[1].n_labels, TBL_MAX_LABELS);
        } else {
            assert_int_equal(rc, 1);
            assert_non_null(
                strstr(err, ":1002:2: column \"g\" (--by) has more than 1000 distinct values"));
        }
        tbl_free(&t);
        free(text);
        /* numbers of a .dta variable */
        const char *names[] = {"y", "g"};
        const char **cells = malloc(2 * n * sizeof *cells);
        char *nums = malloc(16 * n);
        assert_true(cells && nums);
        for (size_t i = 0; i < n; i++) {
            sprintf(nums + 16 * i, "%zu", i);
            cells[2 * i] = "1";
            cells[2 * i + 1] = nums + 16 * i;
        }
        mk_spec s = {.nrow = (int)n, .ncol = 2, .names = names, .cells = cells};
        assert_int_equal(mk_write("socind-test-cap.dta", &s), 0);
        memset(&t, 0, sizeof t);
        t.path = "socind-test-cap.dta";
        tbl_want(&t, "g", "by", TBL_LABEL);
        rc = tbl_read(&t, err, sizeof err);
        if (extra == 0) {
            assert_int_equal(rc, 0);
            assert_int_equal(t.cols[0].n_labels, TBL_MAX_LABELS);
            assert_string_equal(t.cols[0].labels[999], "999");
        } else {
            assert_int_equal(rc, 1);
            assert_string_equal(err, "socind-test-cap.dta: observation 1001, variable \"g\" (--by) "
                                     "has more than 1000 distinct values");
        }
        tbl_free(&t);
        remove("socind-test-cap.dta");
        free(cells);
        free(nums);
    }
}

/* Numbers of a .dta/.sav variable become labels written as the shortest text
 * that reads back as the same double: two numbers are never one label. */
static void test_number_labels(void **state) {
    (void)state;
    const char *names[] = {"g"};
    const char *cells[] = {"1234567890123456", "1234567890123457", "0.1",     "-0",     "0",
                           "2.5e-300",         "545000",           "0.00012", "-1e+22", "1e17",
                           "123.456"};
    mk_spec s = {.nrow = 11, .ncol = 1, .names = names, .cells = cells};
    assert_int_equal(mk_write("socind-test-num.sav", &s), 0);
    tbl t;
    memset(&t, 0, sizeof t);
    t.path = "socind-test-num.sav";
    tbl_want(&t, "g", "by", TBL_LABEL);
    char err[512];
    assert_int_equal(tbl_read(&t, err, sizeof err), 0);
    assert_int_equal(t.cols[0].n_labels, 10);
    assert_string_equal(label_of(&t, 0, 0), "1234567890123456");
    assert_string_equal(label_of(&t, 0, 1), "1234567890123457");
    assert_string_equal(label_of(&t, 0, 2), "0.1");
    assert_string_equal(label_of(&t, 0, 3), "0");
    assert_int_equal(t.cols[0].code[4], t.cols[0].code[3]);
    assert_string_equal(label_of(&t, 0, 5), "2.5e-300");
    assert_string_equal(label_of(&t, 0, 6), "545000");
    assert_string_equal(label_of(&t, 0, 7), "0.00012");
    assert_string_equal(label_of(&t, 0, 8), "-1e+22");
    assert_string_equal(label_of(&t, 0, 9), "1e+17");
    assert_string_equal(label_of(&t, 0, 10), "123.456");
    tbl_free(&t);
    remove("socind-test-num.sav");
}

/* A design id (TBL_ID) keeps a labelled variable's values: two values with
 * one label stay two ids (a TBL_LABEL column of the same variable merges
 * them), and each value's label is kept beside it; tbl_keep keeps both. */
static void test_id_columns_keep_values(void **state) {
    (void)state;
    const char *names[] = {"y", "s"};
    const char *cells[] = {"1", "0", "2", "1", "3", "2", "4", "2", "5", "7"};
    const char *extra[] = {"2", "urban", NULL}; /* 1 and 2 are "urban"; 7 has no label */
    const char *files[] = {"socind-test-id.dta", "socind-test-id.sav"};
    for (int i = 0; i < 2; i++) {
        mk_spec s = {.nrow = 5,
                     .ncol = 2,
                     .names = names,
                     .cells = cells,
                     .label_col = "s",
                     .extra_labels = extra};
        assert_int_equal(mk_write(files[i], &s), 0);
        tbl t;
        memset(&t, 0, sizeof t);
        t.path = files[i];
        assert_int_equal(tbl_want(&t, "s", "by", TBL_LABEL), 0);
        assert_int_equal(tbl_want(&t, "s", "strata", TBL_ID), 1);
        assert_int_equal(tbl_want(&t, "s", "strata", TBL_ID), 1);
        char err[512];
        if (tbl_read(&t, err, sizeof err) != 0) {
            print_error("%s: %s\n", files[i], err);
            fail();
        }
        assert_int_equal(t.cols[0].n_labels, 3); /* rural, urban, 7 */
        assert_int_equal(t.cols[1].n_labels, 4); /* 0, 1, 2, 7 */
        assert_int_equal(t.cols[0].code[1], t.cols[0].code[2]);
        assert_true(t.cols[1].code[1] != t.cols[1].code[2]);
        assert_null(t.cols[0].value_label);
        assert_non_null(t.cols[1].value_label);
        const char *want[][2] = {{"0", "rural"}, {"1", "urban"}, {"2", "urban"}, {"7", NULL}};
        for (int r = 0; r < 5; r++) {
            int32_t k = t.cols[1].code[r];
            int w = r < 3 ? r : r == 3 ? 2 : 3;
            assert_string_equal(t.cols[1].labels[k], want[w][0]);
            if (want[w][1])
                assert_string_equal(t.cols[1].value_label[k], want[w][1]);
            else
                assert_null(t.cols[1].value_label[k]);
        }
        /* the rows of "urban" (by the merged label): the ids stay apart */
        assert_int_equal((int)tbl_keep(&t, 0, "urban"), 3);
        assert_int_equal(t.cols[1].n_labels, 2);
        assert_string_equal(t.cols[1].labels[t.cols[1].code[0]], "1");
        assert_string_equal(t.cols[1].value_label[t.cols[1].code[0]], "urban");
        assert_string_equal(t.cols[1].labels[t.cols[1].code[2]], "2");
        assert_string_equal(t.cols[1].value_label[t.cols[1].code[2]], "urban");
        tbl_free(&t);
        remove(files[i]);
    }
    /* CSV: the same as a label column, no value labels */
    FILE *f = fopen("socind-test-id.csv", "w");
    assert_non_null(f);
    fputs("s\n1\n2\n1\n", f);
    fclose(f);
    tbl t;
    memset(&t, 0, sizeof t);
    t.path = "socind-test-id.csv";
    tbl_want(&t, "s", "psu", TBL_ID);
    char err[512];
    assert_int_equal(tbl_read(&t, err, sizeof err), 0);
    assert_int_equal(t.cols[0].n_labels, 2);
    assert_null(t.cols[0].value_label);
    assert_int_equal(t.cols[0].code[0], t.cols[0].code[2]);
    tbl_free(&t);
    remove("socind-test-id.csv");
}

/* ------------------------------------------------------------ missing values */

static void test_missing_csv(void **state) {
    (void)state;
    tbl t;
    char err[512];
    /* the defaults: empty, NA, NaN and ".", after trimming spaces, quoted or not */
    const char *text = "y,g\n"
                       "1,a\n"
                       ",b\n"
                       " NA ,c\n"
                       "NaN,NA\n"
                       ".,.\n"
                       "\"NA\",\" NaN \"\n"
                       "2,\n"
                       "3,\"\"\n";
    assert_int_equal(read_text(text, 0, &t, err, sizeof err), 0);
    assert_int_equal((int)t.nrows, 8);
    assert_int_equal((int)t.cols[0].n_missing, 5);
    assert_int_equal((int)t.cols[1].n_missing, 5);
    assert_close(t.cols[0].num[0], 1, 0);
    for (int r = 1; r <= 5; r++) assert_true(isnan(t.cols[0].num[r]));
    assert_int_equal(t.cols[1].code[3], -1);
    assert_int_equal(t.cols[1].code[7], -1);
    assert_int_equal(t.cols[1].n_labels, 3);
    tbl_free(&t);

    /* spellings set by the caller replace the defaults */
    static const char *const na[] = {"-99", "n/a", NULL};
    memset(&t, 0, sizeof t);
    const char *custom = "y,g\n-99,n/a\n 1 , NA \n-99.0,\n";
    t.path = write_file("na.csv", custom, strlen(custom));
    t.na_values = na;
    tbl_want(&t, "y", "income", TBL_NUM);
    tbl_want(&t, "g", "by", TBL_LABEL);
    assert_int_equal(tbl_read(&t, err, sizeof err), 0);
    assert_int_equal((int)t.cols[0].n_missing, 1);
    assert_int_equal((int)t.cols[1].n_missing, 1);
    assert_close(t.cols[0].num[2], -99, 0);
    assert_string_equal(label_of(&t, 1, 1), "NA");
    assert_string_equal(label_of(&t, 1, 2), "");
    tbl_free(&t);
    memset(&t, 0, sizeof t);
    t.path = write_file("na.csv", "y,g\n-99,n/a\nNA,a\n", 17);
    t.na_values = na;
    tbl_want(&t, "y", "income", TBL_NUM);
    assert_int_equal(tbl_read(&t, err, sizeof err), 1);
    assert_string_equal(err,
                        "socind-test-na.csv:3:1: column \"y\" (--income): \"NA\" is not a number");
    tbl_free(&t);
    remove("socind-test-na.csv");
}

/* WHO's test data as anthro's R scripts wrote it: clusters, strata and
 * weights removed as empty, NA, "." or NaN (missing_design_inputs.csv), and
 * NaN among the numbers of an anthroplus table. */
static void test_missing_reference_files(void **state) {
    (void)state;
    tbl t;
    char err[512];
    memset(&t, 0, sizeof t);
    t.path = SOCIND_TEST_REFDIR "/growth/missing_design_inputs.csv";
    tbl_want(&t, "strata", "strata", TBL_LABEL);
    tbl_want(&t, "cluster", "psu", TBL_LABEL);
    tbl_want(&t, "sw", "weight", TBL_NUM);
    tbl_want(&t, "weight", "weight-kg", TBL_NUM);
    tbl_want(&t, "sex", "sex", TBL_LABEL);
    if (tbl_read(&t, err, sizeof err) != 0) {
        print_error("%s\n", err);
        fail();
    }
    assert_int_equal((int)t.nrows, 2072);
    int64_t want[] = {12, 25, 18, 53, 5};
    for (int i = 0; i < 5; i++) assert_int_equal((int)t.cols[i].n_missing, (int)want[i]);
    assert_close(t.cols[2].num[0], 943.1567, 0);
    assert_true(isnan(t.cols[2].num[2]));
    tbl_free(&t);

    memset(&t, 0, sizeof t);
    t.path = SOCIND_TEST_REFDIR "/growth/prevalence_5to19_expected_swonly.csv";
    tbl_want(&t, "stdev", "x", TBL_NUM);
    tbl_want(&t, "estimate", "y", TBL_NUM);
    assert_int_equal(tbl_read(&t, err, sizeof err), 0);
    assert_int_equal((int)t.nrows, 567);
    assert_int_equal((int)t.cols[0].n_missing, 507);
    assert_int_equal((int)t.cols[1].n_missing, 126);
    tbl_free(&t);
}

/* Stata's . and .a-.z, SPSS's system-missing value, user-missing values and
 * ranges, and text that is a missing spelling. */
static void test_missing_stata_spss(void **state) {
    (void)state;
    const char *names[] = {"y", "g", "u", "s"};
    const char *cells[] = {".",  "NA", "-9",   "refused", ".a", ".",    "97",  "ok",
                           ".z", "",   "98.5", "refused", "1",  "NaN",  "99",  "x",
                           "2",  "a",  "96",   "y",       "3",  " NA ", "100", "z"};
    const char *um[] = {"u", "s", NULL};
    const char *files[] = {"m.dta", "m.sav", "m.zsav"};
    for (int i = 0; i < 3; i++) {
        char path[64];
        snprintf(path, sizeof path, "socind-test-%s", files[i]);
        mk_spec s = {.nrow = 6, .ncol = 4, .names = names, .cells = cells, .user_missing = um};
        assert_int_equal(mk_write(path, &s), 0);
        tbl t;
        memset(&t, 0, sizeof t);
        t.path = path;
        tbl_want(&t, "y", "income", TBL_NUM);
        tbl_want(&t, "g", "by", TBL_LABEL);
        tbl_want(&t, "u", "weight", TBL_NUM);
        tbl_want(&t, "s", "strata", TBL_LABEL);
        tbl_want(&t, "u", "psu", TBL_LABEL);
        char err[512];
        if (tbl_read(&t, err, sizeof err) != 0) {
            print_error("%s\n", err);
            fail();
        }
        int sav = i > 0; /* Stata has no user-missing values */
        assert_int_equal((int)t.cols[0].n_missing, 3);
        assert_int_equal((int)t.cols[1].n_missing, 5);
        assert_int_equal((int)t.cols[2].n_missing, sav ? 4 : 0);
        assert_int_equal((int)t.cols[3].n_missing, sav ? 2 : 0);
        assert_int_equal((int)t.cols[4].n_missing, sav ? 4 : 0);
        assert_close(t.cols[0].num[3], 1, 0);
        assert_string_equal(label_of(&t, 1, 4), "a");
        assert_close(t.cols[2].num[4], 96, 0);
        assert_close(t.cols[2].num[5], 100, 0);
        if (sav) {
            assert_true(isnan(t.cols[2].num[2])); /* 98.5 in the range 97-99 */
            assert_int_equal(t.cols[3].code[0], -1);
            assert_string_equal(label_of(&t, 3, 1), "ok");
            assert_string_equal(label_of(&t, 4, 4), "96");
        } else {
            assert_close(t.cols[2].num[0], -9, 0);
            assert_string_equal(label_of(&t, 4, 2), "98.5");
        }
        tbl_free(&t);
        remove(path);
    }
}

/* ------------------------------------------------------------ encodings */

/* UTF-8 text as UTF-16 (unit 2) or UTF-32 (unit 4), little- or big-endian,
 * with or without a byte-order mark; its length */
static size_t encode_wide(const char *utf8, int unit, int be, int bom, unsigned char *out) {
    size_t m = 0;
    const unsigned char *s = (const unsigned char *)utf8;
    uint32_t units[2];
    int first = 1;
    while (*s || (bom && first)) {
        uint32_t cp;
        if (bom && first) {
            cp = 0xFEFF;
        } else if (*s < 0x80) {
            cp = *s++;
        } else if ((*s & 0xE0) == 0xC0) {
            cp = (uint32_t)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
            s += 2;
        } else if ((*s & 0xF0) == 0xE0) {
            cp = (uint32_t)(s[0] & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
            s += 3;
        } else {
            cp = (uint32_t)(s[0] & 0x07) << 18 | (uint32_t)(s[1] & 0x3F) << 12 |
                 (uint32_t)(s[2] & 0x3F) << 6 | (s[3] & 0x3F);
            s += 4;
        }
        first = 0;
        int nu = 1;
        units[0] = cp;
        if (unit == 2 && cp >= 0x10000) {
            units[0] = 0xD800 + ((cp - 0x10000) >> 10);
            units[1] = 0xDC00 + ((cp - 0x10000) & 0x3FF);
            nu = 2;
        }
        for (int u = 0; u < nu; u++)
            for (int k = 0; k < unit; k++)
                out[m++] = (unsigned char)(units[u] >> (8 * (be ? unit - 1 - k : k)));
    }
    return m;
}

static const char *enc_text = "id,y,g\n"
                              "1,1.5,Sekayu\n"
                              "2,NA,\"Lais, \xC3\xA9t\xC3\xA9\"\n"
                              "3,-2,Babat \xF0\x9F\x98\x80 Toman\r\n"
                              "4,7,Sekayu\n";

static void check_enc_table(const tbl *t) {
    assert_int_equal((int)t->nrows, 4);
    assert_close(t->cols[0].num[0], 1.5, 0);
    assert_true(isnan(t->cols[0].num[1]));
    assert_close(t->cols[0].num[2], -2, 0);
    assert_int_equal((int)t->cols[0].n_missing, 1);
    assert_string_equal(label_of(t, 1, 1), "Lais, \xC3\xA9t\xC3\xA9");
    assert_string_equal(label_of(t, 1, 2), "Babat \xF0\x9F\x98\x80 Toman");
    assert_int_equal(t->cols[1].code[3], t->cols[1].code[0]);
    assert_int_equal((int)t->line[3], 5);
}

static int read_bytes(const unsigned char *b, size_t len, int encoding, tbl *t, char *err,
                      size_t cap) {
    memset(t, 0, sizeof *t);
    t->path = write_file("enc.csv", (const char *)b, len);
    t->encoding = encoding;
    tbl_want(t, "y", "income", TBL_NUM);
    tbl_want(t, "g", "by", TBL_LABEL);
    int rc = tbl_read(t, err, cap);
    remove(t->path);
    return rc;
}

/* --encoding windows-1252 on text that is valid UTF-8 with characters beyond
 * ASCII: two readings, refused naming both; one byte that is not UTF-8
 * anywhere in the file settles it (read as Windows-1252). */
static void test_windows_1252_on_utf8(void **state) {
    (void)state;
    tbl t;
    char err[512];
    const char *u8 = "y,g\n1,x\n2,Caf\xC3\xA9 au lait\n3,\xE2\x82\xAC\n";
    assert_int_equal(
        read_bytes((const unsigned char *)u8, strlen(u8), TBL_CP1252, &t, err, sizeof err), 1);
    assert_string_equal(err, "socind-test-enc.csv:3: the text is valid UTF-8 (\"Caf\xC3\xA9 au "
                             "lait\" as UTF-8), and --encoding windows-1252 would read it as "
                             "\"Caf\xC3\x83\xC2\xA9 au lait\": leave out --encoding if the file "
                             "is UTF-8, as its bytes say");
    tbl_free(&t);
    /* the same file as UTF-8 */
    assert_int_equal(
        read_bytes((const unsigned char *)u8, strlen(u8), TBL_UTF8, &t, err, sizeof err), 0);
    assert_string_equal(t.cols[1].labels[1], "Caf\xC3\xA9 au lait");
    tbl_free(&t);
    /* a byte that is no UTF-8 (0xE9 alone, on a later line): Windows-1252 */
    const char *mixed = "y,g\n1,\xC3\xA9\n2,caf\xE9\n";
    assert_int_equal(
        read_bytes((const unsigned char *)mixed, strlen(mixed), TBL_CP1252, &t, err, sizeof err),
        0);
    assert_string_equal(t.cols[1].labels[0], "\xC3\x83\xC2\xA9");
    assert_string_equal(t.cols[1].labels[1], "caf\xC3\xA9");
    tbl_free(&t);
    /* ASCII only: one reading */
    assert_int_equal(
        read_bytes((const unsigned char *)"y,g\n1,a\n", 8, TBL_CP1252, &t, err, sizeof err), 0);
    tbl_free(&t);
    /* a Stata 118 file (UTF-8) read as Windows-1252 */
    const char *names[] = {"y", "g"};
    const char *cells[] = {"1", "caf\xC3\xA9", "2", "x"};
    mk_spec s = {.nrow = 2, .ncol = 2, .names = names, .cells = cells};
    assert_int_equal(mk_write("socind-test-u8.dta", &s), 0);
    memset(&t, 0, sizeof t);
    t.path = "socind-test-u8.dta";
    t.encoding = TBL_CP1252;
    tbl_want(&t, "g", "by", TBL_LABEL);
    assert_int_equal(tbl_read(&t, err, sizeof err), 1);
    assert_string_equal(err, "socind-test-u8.dta: the text is valid UTF-8 (\"caf\xC3\xA9\" as "
                             "UTF-8), and --encoding windows-1252 would read it as "
                             "\"caf\xC3\x83\xC2\xA9\": leave out --encoding if the file is "
                             "UTF-8, as its bytes say");
    tbl_free(&t);
    t.encoding = TBL_UTF8;
    tbl_want(&t, "g", "by", TBL_LABEL);
    assert_int_equal(tbl_read(&t, err, sizeof err), 0);
    assert_string_equal(t.cols[0].labels[0], "caf\xC3\xA9");
    tbl_free(&t);
    remove("socind-test-u8.dta");
}

/* UTF-16 and UTF-32, either byte order, with or without a byte-order mark:
 * transcoded to UTF-8 while reading, lines counted as in UTF-8. */
static void test_utf16_utf32(void **state) {
    (void)state;
    unsigned char buf[1024];
    char err[512];
    tbl t;
    for (int unit = 2; unit <= 4; unit += 2)
        for (int be = 0; be < 2; be++)
            for (int bom = 0; bom < 2; bom++)
                for (int enc = 0; enc < 2; enc++) { /* --encoding has no say over UTF-16/32 */
                    size_t len = encode_wide(enc_text, unit, be, bom, buf);
                    if (read_bytes(buf, len, enc ? TBL_CP1252 : TBL_UTF8, &t, err, sizeof err)) {
                        print_error("unit %d be %d bom %d: %s\n", unit, be, bom, err);
                        fail();
                    }
                    check_enc_table(&t);
                    tbl_free(&t);
                }
    /* what is not valid UTF-16/32 is refused naming the line */
    struct {
        int unit, be, cut;
        uint32_t bad;
        const char *message;
    } bad[] = {
        {2, 0, 0, 0xD83D,
         "socind-test-enc.csv:3: not valid UTF-16: a high surrogate without its low surrogate; "
         "save the file as CSV UTF-8"},
        {2, 1, 0, 0xDE00,
         "socind-test-enc.csv:3: not valid UTF-16: a low surrogate without its high surrogate; "
         "save the file as CSV UTF-8"},
        {4, 0, 0, 0x110000,
         "socind-test-enc.csv:3: not valid UTF-32: a code point above U+10FFFF; save the file as "
         "CSV UTF-8"},
        {4, 1, 0, 0xD800,
         "socind-test-enc.csv:3: not valid UTF-32: a surrogate code point; save the file as CSV "
         "UTF-8"},
        {2, 0, 0, 0,
         "socind-test-enc.csv:3: not valid UTF-16: a NUL character; save the file as "
         "CSV UTF-8"},
        {2, 1, 1, 'x',
         "socind-test-enc.csv:6: not valid UTF-16: the file ends in the middle of "
         "a character; save the file as CSV UTF-8"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        size_t len = encode_wide(enc_text, bad[i].unit, bad[i].be, 1, buf);
        /* the unit replaces the "B" of "Babat" on line 4 (3 with the cut) */
        size_t at = 0, u = (size_t)bad[i].unit;
        for (size_t p = 0; p + u <= len; p += u)
            if (buf[p + (bad[i].be ? u - 1 : 0)] == 'B') at = p;
        assert_true(at > 0);
        if (bad[i].cut) {
            buf[len++] = 'x'; /* half a unit after the last line */
        } else {
            for (size_t k = 0; k < u; k++)
                buf[at + k] = (unsigned char)(bad[i].bad >> (8 * (bad[i].be ? u - 1 - k : k)));
            /* line 3 has the bad unit: drop line 2's newline */
            for (size_t p = 0; p + u <= at; p += u)
                if (buf[p + (bad[i].be ? u - 1 : 0)] == '\n' && p > 20 * u) {
                    buf[p + (bad[i].be ? u - 1 : 0)] = ' ';
                    break;
                }
        }
        assert_int_equal(read_bytes(buf, len, TBL_UTF8, &t, err, sizeof err), 1);
        if (strcmp(err, bad[i].message) != 0) {
            print_error("case %zu: \"%s\"\n      expected \"%s\"\n", i, err, bad[i].message);
            fail();
        }
        tbl_free(&t);
    }
}

/* Spreadsheets and other binary files are recognised by their content,
 * whatever their name, and refused with advice. */
#define B(literal) literal, sizeof literal - 1 /* bytes and their count */
static void test_binary_files(void **state) {
    (void)state;
    char err[512];
    struct {
        const char *name;
        const char *bytes;
        size_t len;
        const char *message;
    } cases[] = {
        {"x.csv", B("PK\x03\x04\x14\0\x06\0\x08\0\0\0!\0[Content_Types].xml"),
         ": this is an Excel workbook (.xlsx, a ZIP archive), not a CSV file: in Excel use File > "
         "Save As > \"CSV UTF-8 (Comma delimited)\""},
        {"x.dta", B("PK\x03\x04\x14\0\x06\0\x08\0\0\0!\0[Content_Types].xml"),
         ": this is an Excel workbook (.xlsx, a ZIP archive), not a CSV file: in Excel use File > "
         "Save As > \"CSV UTF-8 (Comma delimited)\""},
        {"x.txt", B("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0\0\0\0\0\0\0"),
         ": this is an Excel 97-2003 workbook (.xls), not a CSV file: in Excel use File > Save As "
         "> \"CSV UTF-8 (Comma delimited)\""},
        {"x.sav", B("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0\0\0\0\0\0\0"),
         ": this is an Excel 97-2003 workbook (.xls), not a CSV file"},
        {"x.csv",
         B("PK\x03\x04\x14\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\x08\0"
           "mimetypeapplication/vnd.oasis.opendocument.spreadsheet"),
         ": this is an OpenDocument spreadsheet (.ods), not a CSV file"},
        {"x.csv", B("\x1F\x8B\x08\0\0\0\0\0"),
         ": this is a gzip-compressed file, not a CSV file: decompress it first (gunzip)"},
        {"x.csv", B("y,g\n1,a\n\x01\x02\0\x03\x04,b\n"),
         ":3: a NUL byte: this is not a text (CSV) file; open it in the program that made it and "
         "save it as CSV UTF-8"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char path[64];
        snprintf(path, sizeof path, "socind-test-%s", cases[i].name);
        FILE *f = fopen(path, "wb");
        fwrite(cases[i].bytes, 1, cases[i].len, f);
        fclose(f);
        tbl t;
        memset(&t, 0, sizeof t);
        t.path = path;
        tbl_want(&t, "y", "income", TBL_NUM);
        assert_int_equal(tbl_read(&t, err, sizeof err), 1);
        char want[512];
        snprintf(want, sizeof want, "%s%s", path, cases[i].message);
        if (strncmp(err, want, strlen(want)) != 0) {
            print_error("case %zu: \"%s\"\n      expected \"%s\"\n", i, err, want);
            fail();
        }
        tbl_free(&t);
        remove(path);
    }
    /* a directory; a pipe (read once, as CSV) */
    {
        tbl d;
        memset(&d, 0, sizeof d);
        d.path = ".";
        tbl_want(&d, "y", "income", TBL_NUM);
        assert_int_equal(tbl_read(&d, err, sizeof err), 1);
        assert_string_equal(err, ".: cannot open: it is a directory");
        tbl_free(&d);
        remove("socind-test-fifo");
        assert_int_equal(mkfifo("socind-test-fifo", 0600), 0);
        FILE *p = popen("printf 'y,g\\n1.5,a\\n2,b\\n' > socind-test-fifo", "r");
        assert_non_null(p);
        memset(&d, 0, sizeof d);
        d.path = "socind-test-fifo";
        tbl_want(&d, "y", "income", TBL_NUM);
        if (tbl_read(&d, err, sizeof err) != 0) {
            print_error("%s\n", err);
            fail();
        }
        pclose(p);
        assert_int_equal((int)d.nrows, 2);
        assert_close(d.cols[0].num[0], 1.5, 0);
        tbl_free(&d);
        remove("socind-test-fifo");
    }
    /* an SPSS file named .csv is read as what it is */
    const char *path = fixture("x.sav", 0, NULL);
    assert_int_equal(rename(path, "socind-test-sav.csv"), 0);
    tbl t;
    assert_int_equal(read_yug(&t, "socind-test-sav.csv", err, sizeof err), 0);
    check_fixture(&t);
    assert_int_equal(t.is_csv, 0);
    tbl_free(&t);
    remove("socind-test-sav.csv");
}

#define HINT                                                                                       \
    "; if the file is in Windows-1252 (as Excel saves \"CSV (Comma delimited)\" in Western "       \
    "Europe and the Americas), --encoding windows-1252 reads it as Windows-1252"

/* Text that is not UTF-8 in the header or in a requested cell is refused
 * naming the line and column; --encoding windows-1252 reads every byte. */
static void test_invalid_utf8(void **state) {
    (void)state;
    char err[512];
    tbl t;
    struct {
        const char *text, *message;
    } bad[] = {
        {"y,g\xE9\n1,a\n",
         "socind-test-t.csv:1:2: the header is not valid UTF-8 (byte 0xE9 in \"g\\xE9\")" HINT},
        {"y,g\n1,caf\xE9\n", "socind-test-t.csv:2:2: column \"g\" (--by): not valid UTF-8 (byte "
                             "0xE9 in \"caf\\xE9\")" HINT},
        {"y,g\n1,\"a\nb\xE9\nc\"\n2,d\n", "socind-test-t.csv:3:2: column \"g\" (--by): not valid "
                                          "UTF-8 (byte 0xE9 in \"a\\x0Ab\\xE9\\x0Ac\")" HINT},
        {"y,g\n1\xA0,a\n", "socind-test-t.csv:2:1: column \"y\" (--income): not valid UTF-8 (byte "
                           "0xA0 in \"1\\xA0\")" HINT},
        {"y,g\n1,\xC0\xAF\n", "(byte 0xC0 in \"\\xC0\\xAF\")"},          /* overlong */
        {"y,g\n1,\xED\xA0\x80\n", "(byte 0xED in \"\\xED\\xA0\\x80\")"}, /* a surrogate */
        {"y,g\n1,\xF4\x90\x80\x80\n", "(byte 0xF4 in"},                  /* above U+10FFFF */
        {"y,g\n1,a\xE2\x82\n", "(byte 0xE2 in \"a\\xE2\\x82\")"},        /* cut short */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(read_text(bad[i].text, 0, &t, err, sizeof err), 1);
        if (!strstr(err, bad[i].message)) {
            print_error("case %zu: \"%s\"\n      lacks \"%s\"\n", i, err, bad[i].message);
            fail();
        }
        assert_true(valid_utf8(err));
        tbl_free(&t);
    }
    /* a long header cut in the message: never inside a character */
    char text[4096];
    size_t m = 0;
    for (int i = 0; i < 200; i++)
        m += (size_t)sprintf(text + m, "%s\xC3\xA9t\xC3\xA9%d", i ? "," : "", i);
    m += (size_t)sprintf(text + m, "\n1\n");
    for (int cut = 0; cut < 2; cut++) {
        memset(&t, 0, sizeof t);
        t.path = write_file("t.csv", text, m);
        tbl_want(&t, "y", "income", TBL_NUM);
        char small[300], big[1024];
        assert_int_equal(tbl_read(&t, cut ? small : big, cut ? sizeof small : sizeof big), 1);
        const char *msg = cut ? small : big;
        assert_true(valid_utf8(msg));
        if (!cut) {
            assert_non_null(strstr(msg, "the header has: \xC3\xA9t\xC3\xA9"
                                        "0, \xC3\xA9t\xC3\xA9"
                                        "1, "));
            assert_non_null(strstr(msg, ", ..."));
        }
        tbl_free(&t);
    }
    /* every way the list can meet the end of its buffer (the sanitizers watch) */
    for (int width = 1; width <= 12; width++) {
        m = 0;
        for (int i = 0; i < 300; i++)
            m += (size_t)sprintf(text + m, "%s%.*s", i ? "," : "", width, "abcdefghijkl");
        m += (size_t)sprintf(text + m, "\n1\n");
        memset(&t, 0, sizeof t);
        t.path = write_file("t.csv", text, m);
        tbl_want(&t, "y", "income", TBL_NUM);
        char big[1024];
        assert_int_equal(tbl_read(&t, big, sizeof big), 1);
        assert_non_null(strstr(big, ", ..."));
        tbl_free(&t);
    }
    remove("socind-test-t.csv");
    /* a column nobody asked for is not checked */
    assert_int_equal(read_text("y,g,z\n1,a,\xFF\xFE\n", 0, &t, err, sizeof err), 0);
    tbl_free(&t);
    /* a byte-order mark says UTF-8: --encoding windows-1252 contradicts it */
    const char *bom = "\xEF\xBB\xBFy,g\n1,a\n";
    assert_int_equal(
        read_bytes((const unsigned char *)bom, strlen(bom), TBL_CP1252, &t, err, sizeof err), 1);
    assert_string_equal(err, "socind-test-enc.csv: the file starts with UTF-8's byte-order mark, "
                             "so it is UTF-8, but --encoding windows-1252 says it is "
                             "Windows-1252: leave out --encoding");
    tbl_free(&t);
}

/* Windows-1252 → UTF-8 for all 256 byte values: ASCII as it is, 0xA0-0xFF as
 * U+00A0-U+00FF, 0x80-0x9F as Windows maps them, the five bytes it leaves
 * unassigned (0x81 0x8D 0x8F 0x90 0x9D) as the C1 controls U+0081 … */
static void test_windows_1252(void **state) {
    (void)state;
    static const uint32_t hi[32] = {0x20AC, 0x81,   0x201A, 0x192,  0x201E, 0x2026, 0x2020, 0x2021,
                                    0x2C6,  0x2030, 0x160,  0x2039, 0x152,  0x8D,   0x17D,  0x8F,
                                    0x90,   0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                    0x2DC,  0x2122, 0x161,  0x203A, 0x153,  0x9D,   0x17E,  0x178};
    char text[4096];
    size_t m = (size_t)sprintf(text, "y;g\n");
    int rows = 0;
    for (int b = 1; b < 256; b++) {
        if (b == '\n' || b == '\r' || b == ';' || b == '"') continue;
        m += (size_t)sprintf(text + m, "%d;<%c>\n", b, b);
        rows++;
    }
    char err[512];
    tbl t;
    assert_int_equal(read_bytes((const unsigned char *)text, m, TBL_CP1252, &t, err, sizeof err),
                     0);
    assert_int_equal((int)t.nrows, rows);
    for (int r = 0; r < rows; r++) {
        int b = (int)t.cols[0].num[r];
        uint32_t cp = b < 0x80 ? (uint32_t)b : b < 0xA0 ? hi[b - 0x80] : (uint32_t)b;
        char want[8];
        unsigned char *w = (unsigned char *)want;
        size_t n = 0;
        w[n++] = '<';
        if (cp < 0x80)
            w[n++] = (unsigned char)cp;
        else if (cp < 0x800)
            w[n++] = (unsigned char)(0xC0 | cp >> 6), w[n++] = (unsigned char)(0x80 | (cp & 0x3F));
        else
            w[n++] = (unsigned char)(0xE0 | cp >> 12),
            w[n++] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F)),
            w[n++] = (unsigned char)(0x80 | (cp & 0x3F));
        w[n++] = '>';
        w[n] = 0;
        if (b == ' ' || b == '\t') strcpy(want, b == ' ' ? "< >" : "<\t>");
        const char *got = label_of(&t, 1, (size_t)r);
        if (strcmp(got, want) != 0) {
            print_error("byte 0x%02X: \"%s\", expected \"%s\"\n", b, got, want);
            fail();
        }
        assert_true(valid_utf8(got));
    }
    tbl_free(&t);
    /* the same file as UTF-8 is refused at its first byte above 0x7F */
    assert_int_equal(read_bytes((const unsigned char *)text, m, TBL_UTF8, &t, err, sizeof err), 1);
    assert_non_null(strstr(err, "socind-test-enc.csv:125:2: column \"g\" (--by): not valid UTF-8 "
                                "(byte 0x80 in \"<\\x80>\")"));
    tbl_free(&t);
}

/* .dta/.sav text: ReadStat converts from the file's declared encoding (old
 * .dta: Windows-1252; .dta 118 and .sav from ReadStat: UTF-8, passed through
 * unchecked or refused by iconv); what is not UTF-8 is refused naming the
 * observation and variable, and --encoding windows-1252 reads the bytes as
 * Windows-1252. */
static void test_stata_spss_encodings(void **state) {
    (void)state;
    const char *names[] = {"g", "urban"};
    const char *cells[] = {"caf\xE9", "0", "\x80uro", "1", "ok", "2", "x", "3"};
    const char *extra[] = {"2", "m\xE9tro", "3", "  town ", NULL};
    struct {
        const char *file;
        int version, encoding;
        const char *message; /* NULL: reads */
        const char *g0, *g1, *label2;
    } cases[] = {
        {"x.dta", 118, TBL_UTF8,
         "socind-test-x.dta: observation 1, variable \"g\" (--by): not valid UTF-8 (byte 0xE9 in "
         "\"caf\\xE9\")" HINT,
         NULL, NULL, NULL},
        {"x.dta", 118, TBL_CP1252, NULL, "caf\xC3\xA9", "\xE2\x82\xACuro", "m\xC3\xA9tro"},
        {"x.dta", 117, TBL_UTF8, NULL, "caf\xC3\xA9", "\xE2\x82\xACuro", "m\xC3\xA9tro"},
        {"x.dta", 117, TBL_CP1252, NULL, "caf\xC3\xA9", "\xE2\x82\xACuro", "m\xC3\xA9tro"},
        {"x.sav", 0, TBL_UTF8, "socind-test-x.sav: not a readable SPSS file: ", NULL, NULL, NULL},
        {"x.sav", 0, TBL_CP1252, NULL, "caf\xC3\xA9", "\xE2\x82\xACuro", "m\xC3\xA9tro"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char path[64];
        snprintf(path, sizeof path, "socind-test-%s", cases[i].file);
        mk_spec s = {.nrow = 4,
                     .ncol = 2,
                     .names = names,
                     .cells = cells,
                     .label_col = "urban",
                     .extra_labels = extra,
                     .dta_version = cases[i].version};
        assert_int_equal(mk_write(path, &s), 0);
        tbl t;
        memset(&t, 0, sizeof t);
        t.path = path;
        t.encoding = cases[i].encoding;
        tbl_want(&t, "g", "by", TBL_LABEL);
        tbl_want(&t, "urban", "strata", TBL_LABEL);
        char err[512];
        int rc = tbl_read(&t, err, sizeof err);
        if (cases[i].message) {
            assert_int_equal(rc, 1);
            if (strncmp(err, cases[i].message, strlen(cases[i].message)) != 0) {
                print_error("case %zu: \"%s\"\n", i, err);
                fail();
            }
            assert_true(valid_utf8(err));
            if (strstr(cases[i].file, ".sav")) assert_non_null(strstr(err, HINT));
        } else {
            if (rc != 0) {
                print_error("case %zu: %s\n", i, err);
                fail();
            }
            assert_string_equal(label_of(&t, 0, 0), cases[i].g0);
            assert_string_equal(label_of(&t, 0, 1), cases[i].g1);
            assert_string_equal(label_of(&t, 1, 2), cases[i].label2);
            assert_string_equal(label_of(&t, 1, 1), "urban");
            assert_string_equal(label_of(&t, 1, 3), "town"); /* trimmed as every label */
            assert_int_equal((int)tbl_keep(&t, 1, "town"), 1);
        }
        tbl_free(&t);
        remove(path);
    }
    /* a value label that is not UTF-8, used by a requested variable */
    const char *cells2[] = {"a", "0", "b", "2"};
    mk_spec s = {.nrow = 2,
                 .ncol = 2,
                 .names = names,
                 .cells = cells2,
                 .label_col = "urban",
                 .extra_labels = extra};
    assert_int_equal(mk_write("socind-test-l.dta", &s), 0);
    tbl t;
    memset(&t, 0, sizeof t);
    t.path = "socind-test-l.dta";
    tbl_want(&t, "urban", "by", TBL_LABEL);
    char err[512];
    assert_int_equal(tbl_read(&t, err, sizeof err), 1);
    assert_string_equal(err,
                        "socind-test-l.dta: variable \"urban\" (--by): the value label of 2 is "
                        "not valid UTF-8 (\"m\\xE9tro\")" HINT);
    tbl_free(&t);
    remove("socind-test-l.dta");
}

/* ------------------------------------------------------------ number messages */

/* A number that does not read gets the advice its shape calls for, never a
 * reading of its own. */
static void test_number_messages(void **state) {
    (void)state;
    struct {
        const char *cell;
        int dc;
        const char *message;
    } cases[] = {
        {"1,862.66", 0,
         "\"1,862.66\" is not a number: \",\" separates thousands in it; write the numbers without "
         "thousands separators (1862.66)"},
        {"-1,234,567", 0,
         "\"-1,234,567\" is not a number: \",\" separates thousands in it; write the numbers "
         "without thousands separators (-1234567)"},
        {"1,862", 0,
         "\"1,862\" is not a number: \",\" separates thousands (1862: write the numbers without "
         "thousands separators) or is a decimal comma (1.862: see --decimal-comma)"},
        {"1,5", 0,
         "\"1,5\" is not a number: with --decimal-comma (\",\" the decimal point, \".\" separating "
         "thousands) it reads as 1.5; see --decimal-comma"},
        {"1.234,56", 0,
         "\"1.234,56\" is not a number: with --decimal-comma (\",\" the decimal point, \".\" "
         "separating thousands) it reads as 1234.56; see --decimal-comma"},
        {"1 000 000", 0,
         "\"1 000 000\" is not a number: spaces separate thousands in it; write the numbers "
         "without them (1000000)"},
        {"1.5", 1,
         "\"1.5\" is not a number: with --decimal-comma \".\" separates thousands (groups of three "
         "digits) and \",\" is the decimal point; write 1,5, or leave out --decimal-comma if \".\" "
         "is the decimal point"},
        {"1,862.66", 1,
         "\"1,862.66\" is not a number: \",\" separates thousands and \".\" is the decimal point "
         "in it, the other way round from --decimal-comma; leave out --decimal-comma and write "
         "the numbers without thousands separators (1862.66)"},
        {"1 234,5", 1,
         "\"1 234,5\" is not a number: spaces separate thousands in it; write the numbers without "
         "them (1234,5)"},
        {"12x", 0, "\"12x\" is not a number"},
        {"1,2,3", 0, "\"1,2,3\" is not a number"},
        {"1.2.3", 1, "\"1.2.3\" is not a number"},
    };
    char err[512], text[128];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(text, sizeof text, "y;g\n1;a\n%s;b\n", cases[i].cell);
        tbl t;
        assert_int_equal(read_text(text, cases[i].dc, &t, err, sizeof err), 1);
        char want[600];
        snprintf(want, sizeof want, "socind-test-t.csv:3:1: column \"y\" (--income): %s",
                 cases[i].message);
        if (strcmp(err, want) != 0) {
            print_error("case %zu: \"%s\"\n      expected \"%s\"\n", i, err, want);
            fail();
        }
        tbl_free(&t);
    }
    /* the cells that gave advice read under the other rule, as the advice says */
    tbl t;
    assert_int_equal(read_text("y;g\n1,5;a\n1.234,56;b\n1,862;c\n", 1, &t, err, sizeof err), 0);
    assert_close(t.cols[0].num[0], 1.5, 0);
    assert_close(t.cols[0].num[1], 1234.56, 0);
    assert_close(t.cols[0].num[2], 1.862, 0);
    tbl_free(&t);
}

/* Numbers given on the command line under the file's rule: with
 * --decimal-comma a text that reads both ways is refused naming both. */
static void test_option_numbers(void **state) {
    (void)state;
    char why[400];
    double v;
    struct {
        const char *s;
        int dc, rc;
        double value;
        const char *why;
    } cases[] = {
        {"0.6", 1, 0, 0.6, NULL},
        {"0,6", 1, 0, 0.6, NULL},
        {"545000", 1, 0, 545000, NULL},
        {"545000", 0, 0, 545000, NULL},
        {"0.6", 0, 0, 0.6, NULL},
        {"-1.5e3", 1, 0, -1500, NULL},
        {"1.234,5", 1, 0, 1234.5, NULL},
        {"545.000", 1, 2, NAN,
         "\"545.000\" reads as 545000 (with --decimal-comma, \".\" separates thousands) or as 545 "
         "(a decimal point); write 545000 or 545"},
        {"1.234", 1, 2, NAN,
         "\"1.234\" reads as 1234 (with --decimal-comma, \".\" separates thousands) or as 1.234 "
         "(a decimal point); write 1234 or 1.2340"},
        /* the spellings named read one way: not "1.234e+23" (1.234e26) again */
        {"1.234e20", 1, 2, NAN,
         "\"1.234e20\" reads as 1.234e+23 (with --decimal-comma, \".\" separates thousands) or "
         "as 1.234e+20 (a decimal point); write 1.2340e+23 or 1.2340e+20"},
        {"1.2340e+20", 1, 0, 1.234e20, NULL},
        {"1.2340", 1, 0, 1.234, NULL},
        {"545.000", 0, 0, 545, NULL},
        /* the cells' rule: a first group starting with 0 is no thousands group,
           so these read one way only */
        {"0.950", 1, 0, 0.95, NULL},
        {"0.500", 1, 0, 0.5, NULL},
        {"012.345", 1, 0, 12.345, NULL},
        {"-0.125", 1, 0, -0.125, NULL},
        {"0,6", 0, 1, NAN,
         "\"0,6\" is not a number: with --decimal-comma (\",\" the decimal point, \".\" separating "
         "thousands) it reads as 0.6; see --decimal-comma"},
        {"1,862.66", 1, 1, NAN, "\"1,862.66\" is not a number: \",\" separates thousands"},
        {"x", 1, 1, NAN, "\"x\" is not a number"},
        {"NA", 0, 1, NAN, "\"NA\" is not a number"},
        {"", 1, 1, NAN, "\"\" is not a number"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        why[0] = '\0';
        int rc = tbl_parse_option_number(cases[i].s, cases[i].dc, &v, why, sizeof why);
        if (rc != cases[i].rc) {
            print_error("case %zu \"%s\": rc %d (%s)\n", i, cases[i].s, rc, why);
            fail();
        }
        if (rc == 0) {
            assert_close(v, cases[i].value, 0);
        } else {
            assert_true(isnan(v));
            if (strncmp(why, cases[i].why, strlen(cases[i].why)) != 0 ||
                (cases[i].rc == 2 && strcmp(why, cases[i].why) != 0)) {
                print_error("case %zu: \"%s\"\n      expected \"%s\"\n", i, why, cases[i].why);
                fail();
            }
        }
    }
}

/* ------------------------------------------------------------ did you mean */

static void test_did_you_mean(void **state) {
    (void)state;
    char err[1024];
    tbl t;
    struct {
        const char *header, *want, *message;
    } cases[] = {
        {"id,Income,w", "income",
         "socind-test-t.csv:1: no column \"income\" (named by --income); the header has: id, "
         "Income, w; did you mean \"Income\"?"},
        {"id,incme,w", "income",
         "socind-test-t.csv:1: no column \"income\" (named by --income); the header has: id, "
         "incme, w; did you mean \"incme\"?"},
        {"id,expenditure,w", "income",
         "socind-test-t.csv:1: no column \"income\" (named by --income); the header has: id, "
         "expenditure, w"},
        {"y,v", "w",
         "socind-test-t.csv:1: no column \"w\" (named by --income); the header has: "
         "y, v"},
        {"y,W", "w",
         "socind-test-t.csv:1: no column \"w\" (named by --income); the header has: "
         "y, W; did you mean \"W\"?"},
        {"a_very_long_column_name_that_goes_on_and_on_for_more_than_sixty_four_characters,b",
         "A_VERY_LONG_COLUMN_NAME_THAT_GOES_ON_AND_ON_FOR_MORE_THAN_SIXTY_FOUR_CHARACTERS",
         "; did you mean "
         "\"a_very_long_column_name_that_goes_on_and_on_for_more_than_sixty_four_characters\"?"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[256];
        snprintf(text, sizeof text, "%s\n1,2,3\n", cases[i].header);
        memset(&t, 0, sizeof t);
        t.path = write_file("t.csv", text, strlen(text));
        tbl_want(&t, cases[i].want, "income", TBL_NUM);
        assert_int_equal(tbl_read(&t, err, sizeof err), 1);
        if (!strstr(err, cases[i].message) ||
            (cases[i].message[0] == 's' && strcmp(err, cases[i].message) != 0)) {
            print_error("case %zu: \"%s\"\n      expected \"%s\"\n", i, err, cases[i].message);
            fail();
        }
        tbl_free(&t);
    }
    remove("socind-test-t.csv");
    /* .dta/.sav variables */
    const char *path = fixture("d.sav", 0, NULL);
    memset(&t, 0, sizeof t);
    t.path = path;
    tbl_want(&t, "Urban", "by", TBL_LABEL);
    assert_int_equal(tbl_read(&t, err, sizeof err), 1);
    assert_string_equal(err, "socind-test-d.sav: no variable \"Urban\" (named by --by); the file "
                             "has: y, g, urban; did you mean \"urban\"?");
    tbl_free(&t);
    remove(path);
}

/* ------------------------------------------------------------------ chunks */

typedef struct collected {
    size_t n, chunks, stop_at;
    int64_t line[64], record[64];
    double y[64];
    int32_t g[64];
} collected;

static int collect(tbl *t, void *ctx) {
    collected *c = ctx;
    c->chunks++;
    assert_true(t->nrows > 0 && t->nrows <= t->chunk_rows);
    assert_int_equal(t->row_base, (int64_t)c->n);
    for (size_t r = 0; r < t->nrows && c->n < 64; r++, c->n++) {
        c->line[c->n] = t->line[r];
        c->record[c->n] = t->record[r];
        c->y[c->n] = t->cols[0].num[r];
        c->g[c->n] = t->cols[1].code[r];
    }
    return c->stop_at && c->chunks == c->stop_at;
}

/* tbl_read_chunks hands over the rows tbl_read reads, with the same lines,
 * records, numbers and codes, for any chunk size; a second pass after
 * tbl_rewind gives them again; a sink that stops the read stops it without
 * a message; an error in a later chunk is the same message. */
static void test_chunks(void **state) {
    (void)state;
    const char *text = "y,g,other\n1.5,b,x\n2,a,\"two\nlines\"\nNA,b,z\n4,,z\n5,c,z\n"
                       "6,a,z\n7,\"c\",z\n";
    char err[512];
    tbl whole;
    memset(&whole, 0, sizeof whole);
    whole.path = write_file("chunks.csv", text, strlen(text));
    tbl_want(&whole, "y", "income", TBL_NUM);
    tbl_want(&whole, "g", "by", TBL_LABEL);
    assert_int_equal(tbl_read(&whole, err, sizeof err), 0);
    assert_int_equal(whole.nrows, 7);
    for (size_t chunk = 1; chunk <= 8; chunk++) {
        tbl t;
        memset(&t, 0, sizeof t);
        t.path = whole.path;
        tbl_want(&t, "y", "income", TBL_NUM);
        tbl_want(&t, "g", "by", TBL_LABEL);
        for (int pass = 0; pass < 2; pass++) {
            collected c;
            memset(&c, 0, sizeof c);
            t.chunk_rows = chunk;
            t.sink = collect;
            t.sink_ctx = &c;
            if (pass) tbl_rewind(&t);
            assert_int_equal(tbl_read_chunks(&t, err, sizeof err), 0);
            assert_int_equal(c.n, 7);
            assert_int_equal(c.chunks, (7 + chunk - 1) / chunk);
            assert_int_equal(t.cols[0].n_missing, 1);
            assert_int_equal(t.cols[1].n_missing, 1);
            assert_int_equal(t.cols[1].n_labels, whole.cols[1].n_labels);
            for (int32_t k = 0; k < t.cols[1].n_labels; k++)
                assert_string_equal(t.cols[1].labels[k], whole.cols[1].labels[k]);
            for (size_t r = 0; r < 7; r++) {
                assert_int_equal(c.line[r], whole.line[r]);
                assert_int_equal(c.record[r], whole.record[r]);
                assert_int_equal(c.g[r], whole.cols[1].code[r]);
                assert_true(c.y[r] == whole.cols[0].num[r] ||
                            (isnan(c.y[r]) && isnan(whole.cols[0].num[r])));
            }
        }
        /* a sink that stops at the second chunk */
        collected c;
        memset(&c, 0, sizeof c);
        c.stop_at = 2;
        t.sink_ctx = &c;
        tbl_rewind(&t);
        int rc = tbl_read_chunks(&t, err, sizeof err);
        if (chunk < 7) { /* two chunks or more */
            assert_int_equal(rc, 1);
            assert_true(t.sink_stopped);
            assert_string_equal(err, "");
            assert_int_equal(c.chunks, 2);
        } else {
            assert_int_equal(rc, 0);
        }
        tbl_free(&t);
    }
    tbl_free(&whole);
    /* a bad number in a later chunk: tbl_read's message */
    const char *bad = "y,g\n1,a\n2,a\n3,b\n4x,b\n";
    tbl t;
    memset(&t, 0, sizeof t);
    t.path = write_file("chunks.csv", bad, strlen(bad));
    tbl_want(&t, "y", "income", TBL_NUM);
    tbl_want(&t, "g", "by", TBL_LABEL);
    char want[512];
    assert_int_equal(tbl_read(&t, want, sizeof want), 1);
    tbl_free(&t);
    memset(&t, 0, sizeof t);
    t.path = write_file("chunks.csv", bad, strlen(bad));
    tbl_want(&t, "y", "income", TBL_NUM);
    tbl_want(&t, "g", "by", TBL_LABEL);
    collected c;
    memset(&c, 0, sizeof c);
    t.chunk_rows = 1;
    t.sink = collect;
    t.sink_ctx = &c;
    assert_int_equal(tbl_read_chunks(&t, err, sizeof err), 1);
    assert_false(t.sink_stopped);
    assert_string_equal(err, want);
    assert_int_equal(c.chunks, 3);
    tbl_free(&t);
    /* no data rows; a read without a sink */
    memset(&t, 0, sizeof t);
    t.path = write_file("chunks.csv", "y,g\n", 4);
    tbl_want(&t, "y", "income", TBL_NUM);
    t.chunk_rows = 2;
    t.sink = collect;
    t.sink_ctx = &c;
    assert_int_equal(tbl_read_chunks(&t, err, sizeof err), 1);
    assert_non_null(strstr(err, "no data rows after the header"));
    tbl_rewind(&t);
    t.sink = NULL;
    assert_int_equal(tbl_read_chunks(&t, err, sizeof err), 1);
    tbl_free(&t);
    remove(whole.path);
}

/* The checksum of the bytes read (reader.h) does not depend on how the
 * bytes are cut into calls, a call of 0 bytes with no buffer (a read that
 * got nothing) included, which must not touch the buffer: under the
 * sanitizers a memcpy from NULL is an error even of 0 bytes. Another byte,
 * or one byte more, is another checksum. */
static void test_bytes_digest(void **state) {
    (void)state;
    unsigned char b[100];
    for (size_t i = 0; i < sizeof b; i++) b[i] = (unsigned char)(i * 37 + 11);
    bytes_digest whole = {0};
    digest_add(&whole, b, sizeof b);
    const uint64_t want = digest_value(&whole);
    static const size_t cuts[][3] = {{0, 0, 100},  {1, 31, 100},  {5, 5, 64},   {33, 33, 99},
                                     {32, 64, 96}, {99, 99, 100}, {0, 100, 100}};
    for (size_t c = 0; c < sizeof cuts / sizeof *cuts; c++) {
        bytes_digest d = {0};
        digest_add(&d, NULL, 0);
        digest_add(&d, b, cuts[c][0]);
        digest_add(&d, NULL, 0);
        digest_add(&d, b + cuts[c][0], cuts[c][1] - cuts[c][0]);
        digest_add(&d, NULL, 0);
        digest_add(&d, b + cuts[c][1], cuts[c][2] - cuts[c][1]);
        digest_add(&d, b + cuts[c][2], sizeof b - cuts[c][2]);
        digest_add(&d, NULL, 0);
        assert_true(digest_value(&d) == want);
    }
    b[57] ^= 1;
    bytes_digest other = {0};
    digest_add(&other, b, sizeof b);
    assert_true(digest_value(&other) != want);
    b[57] ^= 1;
    bytes_digest longer = {0};
    digest_add(&longer, b, sizeof b);
    digest_add(&longer, "", 1);
    assert_true(digest_value(&longer) != want);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_csv_files),
        cmocka_unit_test(test_cr_line_ends),
        cmocka_unit_test(test_keep),
        cmocka_unit_test(test_keep_several),
        cmocka_unit_test(test_damaged_files),
        cmocka_unit_test(test_stata_and_spss_files),
        cmocka_unit_test(test_empty_variable_name),
        cmocka_unit_test(test_unterminated_label_set_name),
        cmocka_unit_test(test_row_count_claim),
        cmocka_unit_test(test_long_string_of_nuls),
        cmocka_unit_test(test_corrupted_files),
        cmocka_unit_test(test_label_cap),
        cmocka_unit_test(test_number_labels),
        cmocka_unit_test(test_id_columns_keep_values),
        cmocka_unit_test(test_missing_csv),
        cmocka_unit_test(test_missing_reference_files),
        cmocka_unit_test(test_missing_stata_spss),
        cmocka_unit_test(test_utf16_utf32),
        cmocka_unit_test(test_binary_files),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_windows_1252),
        cmocka_unit_test(test_windows_1252_on_utf8),
        cmocka_unit_test(test_stata_spss_encodings),
        cmocka_unit_test(test_number_messages),
        cmocka_unit_test(test_option_numbers),
        cmocka_unit_test(test_did_you_mean),
        cmocka_unit_test(test_chunks),
        cmocka_unit_test(test_bytes_digest),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
