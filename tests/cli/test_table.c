/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/cli/test_table.c — the command's reader (cli/table.c): numbers as
 * strtod reads them (the fast path included), decimal commas, missing cells,
 * text that is not a number, and CSV files with quotes, BOM, semicolons,
 * CRLF, embedded newlines and malformed records. */
#include "../test_util.h"

#include "table.h"

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
    /* missing */
    check_number("", 0, 1, NAN);
    check_number("   ", 0, 1, NAN);
    check_number("NA", 0, 1, NAN);
    /* not numbers */
    const char *bad[] = {"abc", "1,5",   "1.2.3", "nan", "NaN", "inf", "-inf", "0x10", "1e", "1e+",
                         "--1", "1 000", "1e400", "e5",  ".",   "-",   "12x",  "N/A",  NULL};
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
        {"y,g\n1,a\n2,b\"c\"\n", ":3:2: malformed CSV"},
        {"y,h\n1,a\n", "no column \"g\" (named by --by); the header has: y, h"},
        {"", "empty file (no header row)"},
        {"y,g\n", "no data rows after the header"},
        {"y,g\n1,a\n\0,b\n", "a NUL byte"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        memset(&t, 0, sizeof t);
        size_t len = strlen(bad[i].content);
        if (i == 7) len = 12; /* the NUL byte */
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
        }
        remove(t.path);
        tbl_free(&t);
    }
    /* both outcomes occur */
    assert_true(readable > 100 && failed > 100);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_csv_files),
        cmocka_unit_test(test_keep),
        cmocka_unit_test(test_damaged_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
