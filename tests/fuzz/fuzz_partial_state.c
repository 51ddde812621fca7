/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/fuzz/fuzz_partial_state.c — PLACE FOR THE PARTIAL-STATE HARNESS.
 *
 * Not built yet: lib/ has no partial states (design.md, "Growth toward
 * scale"). When the byte reader lands (a state serialised to bytes and read
 * back, carried between processes by the command or by Dask), this harness
 * feeds it arbitrary bytes:
 *
 *   - read a state from the input (and, split at a byte-chosen point, two
 *     states to merge); a read must either fail with a status and no handle
 *     (NULL), or give a state that merges and finishes like any other;
 *   - a state that reads back is written again and must give the same bytes
 *     (round trip), and finishing it gives the figures of finishing the
 *     original; merging is order-free (a+b and b+a finish bit-identically);
 *   - states of different designs, domains or estimators refuse to merge
 *     with a status, never a wrong figure;
 *   - no crash, leak, out-of-bounds read (lengths and counts inside the
 *     bytes are never trusted: a count of 2^31 domains in a 40-byte state is
 *     an error, not a reservation), and GSL's handler is never reached;
 *   - an estimate a finished state gives with status SOCIND_OK is finite,
 *     as fuzz_estimators.c checks (reuse its check_call/check_estimates).
 *
 * To add it: write LLVMFuzzerTestOneInput here (see fuzz_estimators.c),
 * uncomment the socind_fuzz_harness(partial_state ...) line in
 * CMakeLists.txt, seed corpus/partial_state/ with states written by the
 * library (a small generator like make_seeds.c), and add "partial_state"
 * to the harness list of bench/fuzz.sh. */
