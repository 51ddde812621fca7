/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/fuzz/fuzz_readstat.c — the command's Stata/SPSS reader (tbl_read in
 * cli/table.c through ReadStat) on a .dta, .sav or .zsav file made of the
 * fuzzer's bytes; the first byte picks the extension, the next ones the
 * columns and options (fuzz_table.h). corpus/readstat/ starts from small
 * valid files of each format (make_seeds.c). */
#define _GNU_SOURCE
#include "fuzz_table.h"

#include <readstat.h>

#if SOCIND_FUZZ_KNOWN_OPEN
/* Known open (tests/fuzz/pending/readstat/): until cli/table.c is fixed,
 * these shims (the harness's definitions win over libreadstat's for
 * table.c's calls) keep two ReadStat quirks away from it:
 *  - a variable with an empty name is named NULL, which the reader passes
 *    to strcmp and printf: the shim gives "";
 *  - a .dta value-label name that fills its field is not NUL-terminated,
 *    and the reader strdup()s it: the shim hands over a terminated copy of
 *    its addressable bytes (ASan tells which; without ASan it copies up to
 *    the NUL, as the reader would);
 *  - the reader reserves memory for the row count the file's header claims
 *    (2^31 rows: gigabytes before a row is read): the shim caps the count
 *    it reports at 65,536 (the reader still grows its columns as rows
 *    arrive). */
#include <dlfcn.h>

#if defined(__SANITIZE_ADDRESS__)
#define FZ_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FZ_ASAN 1
#endif
#endif
#ifdef FZ_ASAN
#include <sanitizer/asan_interface.h>
#define FZ_ADDRESSABLE(p) (!__asan_address_is_poisoned(p))
#else
#define FZ_ADDRESSABLE(p) 1
#endif

static void *fz_real(const char *name) {
    void *f = dlsym(RTLD_NEXT, name);
    if (!f) abort();
    return f;
}

const char *readstat_variable_get_name(const readstat_variable_t *v) {
    static const char *(*real)(const readstat_variable_t *);
    if (!real) *(void **)&real = fz_real("readstat_variable_get_name");
    const char *s = real(v);
    return s ? s : "";
}

int readstat_get_row_count(readstat_metadata_t *m) {
    static int (*real)(readstat_metadata_t *);
    if (!real) *(void **)&real = fz_real("readstat_get_row_count");
    int n = real(m);
    return n > 65536 ? 65536 : n;
}

static readstat_variable_handler fz_variable_handler;

static int fz_variable_shim(int index, readstat_variable_t *v, const char *val_labels, void *ctx) {
    char copy[256];
    if (val_labels) {
        size_t len = 0;
        while (len < sizeof copy - 1 && FZ_ADDRESSABLE(val_labels + len) && val_labels[len]) len++;
        memcpy(copy, val_labels, len);
        copy[len] = '\0';
        val_labels = copy;
    }
    return fz_variable_handler(index, v, val_labels, ctx);
}

readstat_error_t readstat_set_variable_handler(readstat_parser_t *p, readstat_variable_handler h) {
    static readstat_error_t (*real)(readstat_parser_t *, readstat_variable_handler);
    if (!real) *(void **)&real = fz_real("readstat_set_variable_handler");
    fz_variable_handler = h;
    return real(p, h ? fz_variable_shim : NULL);
}
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static const char *const ext[5] = {".dta", ".sav", ".zsav", ".DTA", ".Sav"};
    /* known open: numbers of a .dta/.sav file are taken as they are, ±Inf
       included (the CSV reader refuses them) */
    return fz_table_one(data, size, ext[(size ? data[0] : 0) % 5], SOCIND_FUZZ_KNOWN_OPEN);
}
