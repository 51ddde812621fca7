/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/fuzz/fuzz_readstat.c — the command's Stata/SPSS reader (tbl_read of
 * cli/table.h, cli/readstat_reader.c) on a .dta, .sav or .zsav file made of the
 * fuzzer's bytes; the first byte picks the extension, the next ones the
 * columns and options (fuzz_table.h). corpus/readstat/ starts from small
 * valid files of each format (make_seeds.c). */
#include "fuzz_table.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static const char *const ext[5] = {".dta", ".sav", ".zsav", ".DTA", ".Sav"};
    return fz_table_one(data, size, ext[(size ? data[0] : 0) % 5]);
}
