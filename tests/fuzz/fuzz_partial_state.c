/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/fuzz/fuzz_partial_state.c — the partial-state byte reader
 * (socind_state_from_bytes, docs/state-format.md) on arbitrary bytes, and
 * what it reads merged and finished.
 *
 * Input: a 9-byte prefix, then the state bytes.
 *   [0]    flags: 1 = write the CRC-32 into each state's last 4 bytes first
 *          (so that mutations reach the reader's rules behind the
 *          checksum), 2 = the bytes hold two states, split at [5..8]
 *   [1..4] the finishing options (NULL, or level, ci_dist, prop_ci,
 *          domain_rule)
 *   [5..8] the first state's length (two states), and which bit to flip
 *          and where to cut for the damage checks
 * corpus/partial_state/ starts from states the library wrote
 * (make_state_seeds.c).
 *
 * The contract checked (include/socind/state.h):
 *  - a read either fails with SOCIND_ERR_FORMAT (or NOMEM) and *out NULL,
 *    or gives a state that merges and finishes like any other;
 *  - a state that reads back is written again to the same bytes (round
 *    trip, and socind_state_info's size is the length), the rewritten bytes
 *    read back and finish to the same figures as the original; finishing is
 *    deterministic;
 *  - those bytes with one bit flipped, or cut short, are refused with
 *    SOCIND_ERR_FORMAT (a CRC-32 catches every single-bit error);
 *  - two states merge in either order with the same outcome, and a+b and
 *    b+a finish to the same figures, whose merged state round-trips too; a
 *    failed merge leaves its state as it was (the same bytes); states of
 *    different specs (estimator, parameters, design, domains, pass) refuse
 *    with SOCIND_ERR_MISMATCH, never a figure; a state does not merge into
 *    itself;
 *  - no crash, leak, out-of-bounds read, undefined behaviour (ASan, LSan,
 *    UBSan); lengths and counts inside the bytes are never trusted (a state
 *    claiming 2^31 domains finishes only into a buffer that large: a smaller
 *    one gives SOCIND_ERR_BUFFER with nothing written); GSL's handler is
 *    never reached;
 *  - the estimates of a finished state pass fuzz_estimators.c's checks
 *    (fuzz_checks.h): defined statuses, NaN on failure, finite figures
 *    with status SOCIND_OK, nothing left unwritten. */
#include "fuzz.h"
#include "fuzz_checks.h"

#include <gsl/gsl_errno.h>

#include "socind/socind.h"

#define PREFIX 9
#define HEADER_BYTES 96
/* the most estimates a finish writes here (more: only SOCIND_ERR_BUFFER is
   checked) */
#define MAX_OUT 4096

static void gsl_handler_aborts(const char *reason, const char *file, int line, int gsl_errno) {
    fz_fail("GSL's error handler was reached: %s (%s:%d, gsl_errno %d)", reason, file, line,
            gsl_errno);
}

/* CRC-32 (IEEE 802.3, zlib's), written here from the format's text */
static uint32_t crc32_ieee(const uint8_t *p, size_t n) {
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
    }
    return ~c;
}

static uint8_t *copy_bytes(const uint8_t *p, size_t n) {
    uint8_t *q = malloc(n ? n : 1); /* exact size: ASan sees a read past the end */
    if (!q) abort();
    if (n) memcpy(q, p, n);
    return q;
}

static uint32_t le32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p) {
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v |= (uint64_t)p[i] << (8 * i);
    return v;
}

/* Reads a state; checks the outcome's contract. NULL when refused. */
static socind_state *read_state(const char *what, const uint8_t *b, size_t len) {
    socind_state *s;
    memset(&s, FZ_POISON, sizeof s);
    int32_t st = socind_state_from_bytes(b, len, &s);
    fz_check_call(what, st);
    if (st != SOCIND_OK) {
        FZ_CHECK(s == NULL, "%s failed (%d) but *out is not NULL", what, (int)st);
        FZ_CHECK(st == SOCIND_ERR_FORMAT || st == SOCIND_ERR_NOMEM,
                 "%s: %zu bytes refused with status %d (%s), not SOCIND_ERR_FORMAT", what, len,
                 (int)st, socind_last_error_detail());
        return NULL;
    }
    FZ_CHECK(s != NULL, "%s succeeded with *out NULL", what);
    return s;
}

/* The state's bytes (exact size, never NULL), *len their length. */
static uint8_t *state_bytes(const char *what, const socind_state *s, size_t *len) {
    size_t need = (size_t)-1;
    int32_t st = socind_state_to_bytes(s, NULL, 0, &need);
    fz_check_call(what, st);
    FZ_CHECK(st == SOCIND_OK && need >= HEADER_BYTES + 4, "%s: size query gave %d, %zu bytes", what,
             (int)st, need);
    uint8_t *b = malloc(need);
    if (!b) abort();
    memset(b, FZ_POISON, need);
    if (need > 0) {
        /* one byte short: SOCIND_ERR_BUFFER, nothing written, the size told */
        size_t told = 0;
        st = socind_state_to_bytes(s, b, need - 1, &told);
        fz_check_call(what, st);
        FZ_CHECK(st == SOCIND_ERR_BUFFER && told == need,
                 "%s into %zu bytes of %zu gave status %d, length %zu", what, need - 1, need,
                 (int)st, told);
        for (size_t i = 0; i < need; i++)
            FZ_CHECK(b[i] == FZ_POISON, "%s: a refused write changed byte %zu", what, i);
    }
    st = socind_state_to_bytes(s, b, need, len);
    fz_check_call(what, st);
    FZ_CHECK(st == SOCIND_OK && *len == need, "%s: status %d, length %zu of %zu", what, (int)st,
             *len, need);
    return b;
}

typedef struct finished {
    int32_t st;
    size_t count;
    socind_estimate *e; /* NULL when count > MAX_OUT */
} finished;

/* Finishes s (info's count, checked against a smaller buffer too). */
static finished finish(const char *what, const socind_state *s, const socind_options *o) {
    finished f = {0, 0, NULL};
    size_t count = 0, npsu = 0, ncells = 0, nbytes = 0;
    int32_t st = socind_state_info(s, &count, &npsu, &ncells, &nbytes);
    fz_check_call(what, st);
    FZ_CHECK(st == SOCIND_OK && count >= 1, "%s: socind_state_info gave %d, count %zu", what,
             (int)st, count);
    int32_t pass = 0, passes = 0;
    st = socind_state_passes(s, &pass, &passes);
    fz_check_call(what, st);
    FZ_CHECK(st == SOCIND_OK && pass >= 1 && pass <= passes, "%s: pass %d of %d (status %d)", what,
             (int)pass, (int)passes, (int)st);
    f.count = count;
    size_t n_out = count > MAX_OUT ? MAX_OUT : count - 1;
    socind_estimate *small = fz_poisoned((n_out ? n_out : 1), sizeof *small);
    st = socind_state_finish(s, o, small, n_out);
    fz_check_call(what, st);
    FZ_CHECK(st == SOCIND_ERR_BUFFER, "%s: finishing %zu estimates into %zu gave status %d", what,
             count, n_out, (int)st);
    for (size_t i = 0; i < n_out; i++)
        FZ_CHECK(fz_is_poison(&small[i], sizeof small[i]),
                 "%s: a finish refused with SOCIND_ERR_BUFFER wrote estimate %zu", what, i);
    free(small);
    if (count > MAX_OUT) return f;
    f.e = fz_poisoned(count, sizeof *f.e);
    f.st = socind_state_finish(s, o, f.e, count);
    fz_check_call(what, f.st);
    fz_check_estimates(what, f.st, f.e, count, INT64_MAX);
    return f;
}

/* Equal figures: the same statuses and n, and for estimates of status OK
 * the same numbers (NaN equal to NaN: a NaN deff). */
static int same_number(double a, double b) {
    return (isnan(a) && isnan(b)) || a == b;
}
static void same_figures(const char *what, const finished *a, const finished *b) {
    FZ_CHECK(a->st == b->st && a->count == b->count,
             "%s: statuses %d and %d, %zu and %zu estimates", what, (int)a->st, (int)b->st,
             a->count, b->count);
    if (!a->e || !b->e) return;
    for (size_t i = 0; i < a->count; i++) {
        const socind_estimate *x = &a->e[i], *y = &b->e[i];
        FZ_CHECK(x->status == y->status && x->n == y->n,
                 "%s: estimate %zu: status %d and %d, n %lld and %lld", what, i, (int)x->status,
                 (int)y->status, (long long)x->n, (long long)y->n);
        if (x->status != SOCIND_OK) continue;
        FZ_CHECK(same_number(x->value, y->value) && same_number(x->se, y->se) &&
                     same_number(x->ci_low, y->ci_low) && same_number(x->ci_high, y->ci_high) &&
                     same_number(x->df, y->df) && same_number(x->weight_sum, y->weight_sum) &&
                     same_number(x->deff, y->deff),
                 "%s: estimate %zu differs: value %.17g and %.17g, se %.17g and %.17g, ci "
                 "%.17g..%.17g and %.17g..%.17g, df %g and %g, weight_sum %.17g and %.17g, deff "
                 "%.17g and %.17g",
                 what, i, x->value, y->value, x->se, y->se, x->ci_low, x->ci_high, y->ci_low,
                 y->ci_high, x->df, y->df, x->weight_sum, y->weight_sum, x->deff, y->deff);
    }
}

static void finished_free(finished *f) {
    free(f->e);
    f->e = NULL;
}

/* A state read from b (len bytes): round trip, damage, finishing. */
static void exercise(const char *what, const socind_state *s, const uint8_t *b, size_t len,
                     const socind_options *o, uint32_t knobs) {
    char msg[96];
    size_t nbytes = 0, wlen = 0;
    FZ_CHECK(socind_state_info(s, NULL, NULL, NULL, &nbytes) == SOCIND_OK && nbytes == len,
             "%s: %zu bytes read, socind_state_info says %zu", what, len, nbytes);
    snprintf(msg, sizeof msg, "%s: socind_state_to_bytes", what);
    uint8_t *w = state_bytes(msg, s, &wlen);
    FZ_CHECK(wlen == len, "%s: %zu bytes read, %zu written back", what, len, wlen);
    for (size_t i = 0; i < len; i++)
        FZ_CHECK(w[i] == b[i], "%s: round trip: byte %zu was %#x, written back %#x", what, i,
                 (unsigned)b[i], (unsigned)w[i]);
    snprintf(msg, sizeof msg, "%s: reading its bytes again", what);
    socind_state *s2 = read_state(msg, w, wlen);
    FZ_CHECK(s2 != NULL, "%s: the bytes written back do not read", what);
    /* damaged: one bit flipped, or cut short */
    size_t at = (size_t)(knobs >> 3) % wlen;
    w[at] ^= (uint8_t)(1u << (knobs & 7));
    snprintf(msg, sizeof msg, "%s: bit %u of byte %zu flipped", what, knobs & 7, at);
    FZ_CHECK(read_state(msg, w, wlen) == NULL, "%s: read as a state", msg);
    w[at] ^= (uint8_t)(1u << (knobs & 7));
    uint8_t *cut = copy_bytes(w, at);
    snprintf(msg, sizeof msg, "%s: cut to %zu bytes", what, at);
    FZ_CHECK(read_state(msg, cut, at) == NULL, "%s: read as a state", msg);
    free(cut);
    /* finishing: the original, again, and its copy */
    snprintf(msg, sizeof msg, "%s: socind_state_finish", what);
    finished f1 = finish(msg, s, o), f2 = finish(msg, s, o), f3 = finish(msg, s2, o);
    snprintf(msg, sizeof msg, "%s: finished twice", what);
    same_figures(msg, &f1, &f2);
    snprintf(msg, sizeof msg, "%s: finished and finished after a round trip", what);
    same_figures(msg, &f1, &f3);
    finished_free(&f1), finished_free(&f2), finished_free(&f3);
    socind_state_free(s2);
    free(w);
}

/* The spec in a state's bytes (offsets 12 .. 71: pass, ten int32, line,
 * alpha), as socind_state_merge compares it. */
static int same_spec_bytes(const uint8_t *a, const uint8_t *b) {
    if (memcmp(a + 12, b + 12, 44) != 0) return 0;
    for (int off = 56; off <= 64; off += 8) {
        uint64_t x = le64(a + off), y = le64(b + off);
        double u, v;
        memcpy(&u, &x, 8), memcpy(&v, &y, 8);
        if (!same_number(u, v)) return 0;
    }
    return 1;
}

/* into + from, checked: into is a fresh copy of ib (il bytes). */
static int32_t merge_checked(const char *what, socind_state *into, const uint8_t *ib, size_t il,
                             const socind_state *from) {
    int32_t st = socind_state_merge(into, from);
    fz_check_call(what, st);
    if (st != SOCIND_OK) {
        size_t len = 0;
        uint8_t *b = state_bytes(what, into, &len);
        FZ_CHECK(len == il && memcmp(b, ib, len) == 0,
                 "%s failed (%d) and changed the state (%zu bytes, were %zu)", what, (int)st, len,
                 il);
        free(b);
    }
    return st;
}

static void merge_both_ways(const socind_state *a, const uint8_t *ab, size_t al,
                            const socind_state *b, const uint8_t *bb, size_t bl,
                            const socind_options *o) {
    socind_state *ab1 = read_state("copy of the first state", ab, al);
    socind_state *ba1 = read_state("copy of the second state", bb, bl);
    FZ_CHECK(ab1 && ba1, "a state's own bytes do not read again");
    int32_t st1 = merge_checked("socind_state_merge(a, b)", ab1, ab, al, b);
    int32_t st2 = merge_checked("socind_state_merge(b, a)", ba1, bb, bl, a);
    const int same = same_spec_bytes(ab, bb);
    if (!same)
        FZ_CHECK(st1 == SOCIND_ERR_MISMATCH && st2 == SOCIND_ERR_MISMATCH,
                 "states of different specs merged: statuses %d and %d", (int)st1, (int)st2);
    /* the same header spec merges, for one-pass estimates (offset 76: the
       passes); a rank-based state's p and p2 and a later pass's plan are
       not in the header, and may differ (SOCIND_ERR_MISMATCH, rightly) */
    else if (le32(ab + 76) == 1 && le32(bb + 76) == 1)
        FZ_CHECK(st1 != SOCIND_ERR_MISMATCH && st2 != SOCIND_ERR_MISMATCH,
                 "states of the same spec refused as a mismatch: statuses %d and %d", (int)st1,
                 (int)st2);
    FZ_CHECK((st1 == SOCIND_OK) == (st2 == SOCIND_OK), "a+b gave status %d, b+a %d", (int)st1,
             (int)st2);
    if (st1 == SOCIND_OK && st2 == SOCIND_OK) {
        size_t pa, pb, ca, cb, na = 0, nb = 0, n1 = 0, n2 = 0, c1 = 0, c2 = 0;
        socind_state_info(a, NULL, &na, &ca, NULL);
        socind_state_info(b, NULL, &nb, &cb, NULL);
        socind_state_info(ab1, NULL, &n1, &c1, NULL);
        socind_state_info(ba1, NULL, &n2, &c2, NULL);
        pa = na > nb ? na : nb;
        pb = ca > cb ? ca : cb;
        FZ_CHECK(n1 == n2 && c1 == c2 && n1 >= pa && n1 <= na + nb && c1 >= pb && c1 <= ca + cb,
                 "merged states hold %zu and %zu PSUs, %zu and %zu cells, from %zu + %zu PSUs "
                 "and %zu + %zu cells",
                 n1, n2, c1, c2, na, nb, ca, cb);
        finished f1 = finish("a+b: socind_state_finish", ab1, o);
        finished f2 = finish("b+a: socind_state_finish", ba1, o);
        same_figures("a+b and b+a", &f1, &f2);
        size_t len = 0;
        uint8_t *w = state_bytes("a+b: socind_state_to_bytes", ab1, &len);
        socind_state *r = read_state("a+b read back", w, len);
        FZ_CHECK(r != NULL, "the bytes of a merged state do not read");
        finished f3 = finish("a+b read back: socind_state_finish", r, o);
        same_figures("a+b and a+b after a round trip", &f1, &f3);
        finished_free(&f1), finished_free(&f2), finished_free(&f3);
        socind_state_free(r);
        free(w);
    }
    socind_state_free(ab1);
    socind_state_free(ba1);
}

static const socind_options *decode_options(const uint8_t *p, socind_options *o) {
    if (p[0] < 96) return NULL;
    socind_options_init(o);
    static const double levels[] = {0.95, 0.9, 0.99, 0.5, 0.8};
    o->level = levels[p[1] % 5];
    o->ci_dist = p[2] & 1;
    o->prop_ci = (p[2] >> 1) % SOCIND_PROP_CI_COUNT;
    o->domain_rule = p[3] % 3;
    return o;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static int init;
    if (!init) {
        gsl_set_error_handler(gsl_handler_aborts);
        init = 1;
    }
    if (size < PREFIX) return 0;
    const uint8_t flags = data[0];
    socind_options opts;
    const socind_options *o = decode_options(data + 1, &opts);
    const uint32_t knobs = (uint32_t)data[5] | (uint32_t)data[6] << 8 | (uint32_t)data[7] << 16 |
                           (uint32_t)data[8] << 24;
    const uint8_t *body = data + PREFIX;
    const size_t blen = size - PREFIX;
    size_t la = blen, lb = 0;
    if (flags & 2) {
        la = knobs % (blen + 1);
        lb = blen - la;
    }
    uint8_t *pa = copy_bytes(body, la), *pb = copy_bytes(body + la, lb);
    if (flags & 1) {
        if (la >= 4) {
            uint32_t c = crc32_ieee(pa, la - 4);
            for (int i = 0; i < 4; i++) pa[la - 4 + i] = (uint8_t)(c >> (8 * i));
        }
        if (lb >= 4) {
            uint32_t c = crc32_ieee(pb, lb - 4);
            for (int i = 0; i < 4; i++) pb[lb - 4 + i] = (uint8_t)(c >> (8 * i));
        }
    }
    socind_state *a = read_state("socind_state_from_bytes (first state)", pa, la);
    socind_state *b =
        (flags & 2) ? read_state("socind_state_from_bytes (second state)", pb, lb) : NULL;
    if (a) exercise("first state", a, pa, la, o, knobs >> 8);
    if (b) exercise("second state", b, pb, lb, o, knobs >> 12);
    if (a) {
        int32_t st = socind_state_merge(a, a);
        fz_check_call("socind_state_merge(a, a)", st);
        FZ_CHECK(st == SOCIND_ERR_ARG, "a state merged into itself: status %d", (int)st);
    }
    if (a && b) merge_both_ways(a, pa, la, b, pb, lb, o);
    socind_state_free(a);
    socind_state_free(b);
    free(pa);
    free(pb);
    return 0;
}
