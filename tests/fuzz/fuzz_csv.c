/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/fuzz/fuzz_csv.c — the command's CSV reader (tbl_want/tbl_read of
 * cli/table.h, cli/csv_reader.c) on a .csv file made of the fuzzer's bytes, with the columns
 * and the options (decimal comma, delimiter, missing-value spellings,
 * encoding) chosen by the input's first bytes: see fuzz_table.h. */
#include "fuzz_table.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    return fz_table_one(data, size, ".csv");
}
