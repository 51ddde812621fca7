/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lib/state_bytes.c — a partial state as portable bytes (docs/state-format.md):
 * little-endian, versioned, a CRC-32 over everything before it; and the
 * reader, which refuses anything that breaks the format's rules. */
#include <pthread.h>
#include <stdlib.h>

#include "state_internal.h"

#define MAGIC "SOCINDST"
/* One version per layout, so that bytes that read write back the same.
 * Version 3 adds the mean's shifts and the relative line's extremes: a
 * mean's state and a poverty estimate's against a relative line are
 * written and read in version 3 (so is a proportion's likelihood state,
 * which came with it: its fit part follows the cells). Version 4 adds each
 * domain's window to the histogram states' plans (a quantile's pass 2
 * keeps the rows around its quantile, so that its limits need no third
 * pass), gives the Lorenz ordinate's cells four sums, and ends the share
 * ratio's and the line's histogram part with the kernel's and the
 * incomes' moments (docs/state-format.md): a QUANTILE's, LORENZ's,
 * SHARE_RATIO's states. Version 5 takes a relative quantile line in two
 * passes: its POVERTY_LINE state sums the incomes' moments in pass 1 and
 * in pass 2 its cells' weight below the quantile's bucket and the kernel's
 * moments; a poverty estimate's state against a relative line (quantile
 * or mean) holds the window of a window pass (its bounds, sums and rows).
 * Version 6 takes the median of the poor, the relative median gap and the
 * poverty profile against a relative quantile line in two passes: the
 * first two add each domain's histogram (pass 1) and its range where the
 * median of its poor lies (a window pass); the profile's pass 2 is a
 * window pass, which keeps its rows in no group. Version 7 is version 2
 * for GE's, the GE decomposition's and Atkinson's states whose θ is within
 * SOCIND__GE_NEAR of 0 or 1 (ε of 1), where the third sum keeps the digits
 * of y^θ − 1 or y^θ − y (lib/internal.h, socind__ge_form): in version 2
 * their sums were of y^θ. Every other state is in version 2, whose
 * layout is unchanged. A state in another version than its estimator's is refused. */
#define FORMAT_VERSION 2u
#define FORMAT_VERSION_3 3u
#define FORMAT_VERSION_4 4u
#define FORMAT_VERSION_5 5u
#define FORMAT_VERSION_6 6u
#define FORMAT_VERSION_7 7u

/* Whether a state of estimator with parameter alpha keeps version 7's
 * sums (θ near 0 or 1, ε near 1). */
static int ge_near(int32_t estimator, double alpha) {
    if (estimator == SOCIND_STATE_GE || estimator == SOCIND_STATE_GE_DECOMPOSITION)
        return socind__ge_form(alpha) != 0;
    return estimator == SOCIND_STATE_ATKINSON && socind__ge_form(1.0 - alpha) == 1;
}

/* The version an estimator's states are written and read in. */
static uint32_t version_of(int32_t estimator, int32_t line_type, double alpha) {
    if (ge_near(estimator, alpha)) return FORMAT_VERSION_7;
    if (socind__state_is_poor_median(estimator) ||
        (estimator == SOCIND_STATE_POVERTY_PROFILE && line_type == SOCIND_LINE_RELATIVE_QUANTILE))
        return FORMAT_VERSION_6;
    if ((estimator == SOCIND_STATE_POVERTY_LINE && line_type == SOCIND_LINE_RELATIVE_QUANTILE) ||
        socind__state_is_relative(estimator, line_type))
        return FORMAT_VERSION_5;
    if (estimator == SOCIND_STATE_QUANTILE || estimator == SOCIND_STATE_LORENZ ||
        estimator == SOCIND_STATE_SHARE_RATIO)
        return FORMAT_VERSION_4;
    if (estimator == SOCIND_STATE_MEAN || estimator == SOCIND_STATE_PROPORTION_LIKELIHOOD)
        return FORMAT_VERSION_3;
    return FORMAT_VERSION;
}
#define SHIFT_BYTES 16u
#define HEADER_BYTES 96u
#define PSU_BYTES 40u
#define CELL_FIXED_BYTES 32u
#define TRAILER_BYTES 4u

/* CRC-32 by slicing eight bytes at a time (about 1 ns a byte instead of
 * the bitwise loop's 25): tables made once, on first use, for any thread. */
static uint32_t crc_table[8][256];
static pthread_once_t crc_once = PTHREAD_ONCE_INIT;

static void crc_tables(void) {
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
        crc_table[0][i] = c;
    }
    for (uint32_t i = 0; i < 256; i++)
        for (int t = 1; t < 8; t++)
            crc_table[t][i] =
                (crc_table[t - 1][i] >> 8) ^ crc_table[0][crc_table[t - 1][i] & 0xFFu];
}

uint32_t socind__crc32(uint32_t crc, const unsigned char *p, size_t n) {
    pthread_once(&crc_once, crc_tables);
    crc = ~crc;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint32_t lo = crc ^ ((uint32_t)p[i] | (uint32_t)p[i + 1] << 8 | (uint32_t)p[i + 2] << 16 |
                             (uint32_t)p[i + 3] << 24);
        crc = crc_table[7][lo & 0xFFu] ^ crc_table[6][(lo >> 8) & 0xFFu] ^
              crc_table[5][(lo >> 16) & 0xFFu] ^ crc_table[4][lo >> 24] ^ crc_table[3][p[i + 4]] ^
              crc_table[2][p[i + 5]] ^ crc_table[1][p[i + 6]] ^ crc_table[0][p[i + 7]];
    }
    for (; i < n; i++) crc = (crc >> 8) ^ crc_table[0][(crc ^ p[i]) & 0xFFu];
    return ~crc;
}

/* The spec's doubles: a NaN (an unused parameter) is written as the one
 * quiet NaN 0x7FF8000000000000, whatever its bits in memory, so that a
 * state's bytes are the same on every platform and a read state is written
 * back to the same bytes. */
#define CANONICAL_NAN 0x7FF8000000000000ull
static uint64_t spec_f64_bits(double v) {
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    return isnan(v) ? CANONICAL_NAN : u;
}

static size_t cell_bytes(int32_t K) {
    return CELL_FIXED_BYTES + 16u * (size_t)K;
}

/* The bytes of the mean's shifts after the cells (0 for other states). */
static size_t shift_bytes(const socind_state_spec *sp) {
    if (sp->estimator != SOCIND_STATE_MEAN) return 0;
    return SHIFT_BYTES * (size_t)(sp->n_groups > 0 ? sp->n_groups : 1);
}

/* The bytes after the cells of a state that is not rank-based: a mean's
 * shifts, a proportion's likelihood state's fit part, or none. */
static size_t tail_bytes(const socind_state_spec *sp) {
    return shift_bytes(sp) + socind__fit_bytes(sp);
}

int32_t socind_state_to_bytes(const socind_state *s, void *buf, size_t cap, size_t *len) {
    socind__clear_detail();
    if (!s) return socind__fail(SOCIND_ERR_NULL, "state is NULL");
    if (s->prev) return socind__prev_to_bytes(s, buf, cap, len);
    const size_t cb = cell_bytes(s->K);
    const size_t need = HEADER_BYTES + s->npsu * PSU_BYTES + s->ncell * cb + socind__rank_bytes(s) +
                        tail_bytes(&s->sp) + TRAILER_BYTES;
    if (len) *len = need;
    if (!buf && cap == 0) return SOCIND_OK;
    if (!buf) return socind__fail(SOCIND_ERR_NULL, "buf is NULL and cap is %zu", cap);
    if (cap < need)
        return socind__fail(SOCIND_ERR_BUFFER, "the state takes %zu bytes; cap is %zu", need, cap);
    unsigned char *b = buf;
    memset(b, 0, HEADER_BYTES);
    memcpy(b, MAGIC, 8);
    socind__put_u32(b + 8, version_of(s->sp.estimator, s->sp.line_type, s->sp.alpha));
    socind__put_u32(b + 12, (uint32_t)s->pass);
    socind__put_u32(b + 76, (uint32_t)s->passes);
    int32_t v[10];
    socind__spec_ints(&s->sp, v);
    for (int i = 0; i < 10; i++) socind__put_u32(b + 16 + 4 * i, (uint32_t)v[i]);
    socind__put_u64(b + 56, spec_f64_bits(s->sp.line));
    socind__put_u64(b + 64, spec_f64_bits(s->sp.alpha));
    socind__put_u32(b + 72, (uint32_t)s->K);
    socind__put_u64(b + 80, s->npsu);
    socind__put_u64(b + 88, s->ncell);
    unsigned char *q = b + HEADER_BYTES;
    for (size_t i = 0; i < s->npsu; i++, q += PSU_BYTES) {
        socind__put_u64(q, (uint64_t)s->p_stratum[i]);
        socind__put_u64(q + 8, (uint64_t)s->p_id[i]);
        socind__put_u64(q + 16, (uint64_t)s->p_row[i]);
        socind__put_f64(q + 24, s->p_fpc[i]);
        memset(q + 32, 0, 8);
        q[32] = s->p_pos[i];
    }
    const size_t K2 = 2 * (size_t)s->K;
    for (size_t i = 0; i < s->ncell; i++, q += cb) {
        socind__put_u32(q, (uint32_t)s->c_psu[i]);
        socind__put_u32(q + 4, (uint32_t)s->c_group[i]);
        socind__put_u64(q + 8, (uint64_t)s->c_n[i]);
        socind__put_u64(q + 16, (uint64_t)s->c_npos[i]);
        socind__put_u64(q + 24, (uint64_t)s->c_dpos[i]);
        for (size_t j = 0; j < K2; j++) socind__put_f64(q + 32 + 8 * j, s->c_sum[i * K2 + j]);
    }
    socind__rank_write(s, q); /* a rank-based state's rows */
    q += socind__rank_bytes(s);
    for (size_t g = 0; s->g_shift && g < shift_bytes(&s->sp) / SHIFT_BYTES; g++, q += SHIFT_BYTES) {
        socind__put_u64(q, (uint64_t)socind__state_shift_row(s, g));
        socind__put_f64(q + 8, s->g_shift[g]);
    }
    socind__fit_write(s, q); /* a proportion's likelihood state's fit part */
    q += socind__fit_bytes(&s->sp);
    socind__put_u32(q, socind__crc32(0, b, (size_t)(q - b)));
    return SOCIND_OK;
}

static int32_t bad(const char *what) {
    return socind__fail(SOCIND_ERR_FORMAT, "not a socind partial state: %s", what);
}

int32_t socind_state_from_bytes(const void *buf, size_t len, socind_state **out) {
    socind__clear_detail();
    if (!out) return socind__fail(SOCIND_ERR_NULL, "out is NULL");
    *out = NULL;
    if (!buf) return socind__fail(SOCIND_ERR_NULL, "buf is NULL");
    const unsigned char *b = buf;
    if (len < 8 || memcmp(b, MAGIC, 8) != 0) return bad("the bytes do not start with SOCINDST");
    if (len < HEADER_BYTES + TRAILER_BYTES) return bad("truncated (shorter than the header)");
    uint32_t ver = socind__get_u32(b + 8);
    if (ver < FORMAT_VERSION || ver > FORMAT_VERSION_7)
        return socind__fail(SOCIND_ERR_FORMAT,
                            "the state is in format version %u; this library (socind %s) reads "
                            "versions %u to %u",
                            ver, SOCIND_VERSION_STRING, FORMAT_VERSION, FORMAT_VERSION_7);
    const int32_t est = (int32_t)socind__get_u32(b + 16);
    const int mean = est == SOCIND_STATE_MEAN;
    const uint32_t own = version_of(est, (int32_t)socind__get_u32(b + 48), socind__get_f64(b + 64));
    if (own == FORMAT_VERSION_7 && ver != FORMAT_VERSION_7)
        return socind__fail(SOCIND_ERR_FORMAT,
                            "a GE or Atkinson state with θ within %g of 0 or 1 (ε of 1) in "
                            "format version %u is not read: version %u's sums keep the digits "
                            "of y^θ − 1 (y^θ − y) there",
                            SOCIND__GE_NEAR, ver, FORMAT_VERSION_7);
    if (own != FORMAT_VERSION_7 && ver == FORMAT_VERSION_7)
        return socind__fail(SOCIND_ERR_FORMAT,
                            "the state is in format version %u; version %u is GE's and "
                            "Atkinson's with θ within %g of 0 or 1 (ε of 1) only (this "
                            "estimator's states are in version %u)",
                            ver, FORMAT_VERSION_7, SOCIND__GE_NEAR, own);
    if (own == FORMAT_VERSION_6 && ver != FORMAT_VERSION_6)
        return socind__fail(SOCIND_ERR_FORMAT,
                            "a median of the poor's, relative median gap's or poverty profile's "
                            "state against a relative quantile line in format version %u is not "
                            "read: version %u's take them in two passes",
                            ver, FORMAT_VERSION_6);
    if (own != FORMAT_VERSION_6 && ver == FORMAT_VERSION_6)
        return socind__fail(SOCIND_ERR_FORMAT,
                            "the state is in format version %u; version %u is the median of the "
                            "poor's, the relative median gap's and the poverty profile's against "
                            "a relative quantile line only (this estimator's states are in "
                            "version %u)",
                            ver, FORMAT_VERSION_6, own);
    if (own == FORMAT_VERSION_5 && ver != FORMAT_VERSION_5)
        return socind__fail(SOCIND_ERR_FORMAT,
                            "a relative line's or a poverty estimate's state against one in "
                            "format version %u is not read: version %u's take a relative "
                            "quantile line in two passes",
                            ver, FORMAT_VERSION_5);
    if (own != FORMAT_VERSION_5 && ver == FORMAT_VERSION_5)
        return socind__fail(SOCIND_ERR_FORMAT,
                            "the state is in format version %u; version %u is a relative "
                            "quantile line's and a poverty estimate's against a relative line "
                            "only (this estimator's states are in version %u)",
                            ver, FORMAT_VERSION_5, own);
    if (own == FORMAT_VERSION_4 && ver != FORMAT_VERSION_4)
        return socind__fail(SOCIND_ERR_FORMAT,
                            "a quantile's, Lorenz ordinate's or share ratio's state in format "
                            "version %u is not read: version %u's plan holds the window of rows "
                            "a quantile's second pass keeps",
                            ver, FORMAT_VERSION_4);
    if (own != FORMAT_VERSION_4 && ver == FORMAT_VERSION_4)
        return socind__fail(SOCIND_ERR_FORMAT,
                            "the state is in format version %u; version %u is a quantile's, "
                            "Lorenz ordinate's and share ratio's only (this estimator's states "
                            "are in version %u)",
                            ver, FORMAT_VERSION_4, own);
    if (mean && ver != FORMAT_VERSION_3)
        return socind__fail(SOCIND_ERR_FORMAT,
                            "a mean's state in format version %u is not read: its sums are of "
                            "the values themselves; version %u's are of the values less a "
                            "shift, which keeps the design effect's digits",
                            ver, FORMAT_VERSION_3);
    if (est == SOCIND_STATE_PROPORTION_LIKELIHOOD && ver != FORMAT_VERSION_3)
        return socind__fail(SOCIND_ERR_FORMAT,
                            "a proportion's likelihood state is written in format version %u "
                            "only, not %u",
                            FORMAT_VERSION_3, ver);
    if (own == FORMAT_VERSION && ver != FORMAT_VERSION)
        return socind__fail(SOCIND_ERR_FORMAT,
                            "the state is in format version %u; version %u is a mean's and a "
                            "proportion's likelihood state's only (this estimator's states are "
                            "in version %u)",
                            ver, FORMAT_VERSION_3, FORMAT_VERSION);
    if (socind__prev_estimator(est)) return socind__prev_from_bytes(b, len, out);
    const uint32_t pass = socind__get_u32(b + 12), passes = socind__get_u32(b + 76);
    uint64_t npsu = socind__get_u64(b + 80), ncell = socind__get_u64(b + 88);
    int32_t Kf = (int32_t)socind__get_u32(b + 72);
    if (Kf < 1 || Kf > SOCIND__STATE_KMAX) return bad("the number of sums per cell is invalid");
    const size_t cb = cell_bytes(Kf);
    const size_t body = len - HEADER_BYTES - TRAILER_BYTES;
    if (npsu > body / PSU_BYTES || ncell > (body - npsu * PSU_BYTES) / cb)
        return bad("its length does not match its PSU and cell counts (truncated or extended)");
    /* what follows the cells: a rank-based state's rows, else nothing */
    const unsigned char *rank = b + HEADER_BYTES + npsu * PSU_BYTES + ncell * cb;
    const size_t rank_len = body - npsu * PSU_BYTES - ncell * cb;
    if (npsu > (uint64_t)INT32_MAX || ncell > (uint64_t)INT32_MAX)
        return bad("too many PSUs or cells");
    if (socind__get_u32(b + len - TRAILER_BYTES) != socind__crc32(0, b, len - TRAILER_BYTES))
        return bad("the checksum does not match (damaged bytes)");
    /* the spec, checked as socind_state_new checks it, and unchanged by
       that resolution (a resolved spec is what was written) */
    socind_state_spec in, sp;
    socind_state_spec_init(&in);
    int32_t v[10];
    for (int i = 0; i < 10; i++) v[i] = (int32_t)socind__get_u32(b + 16 + 4 * i);
    in.estimator = v[0], in.n_groups = v[1], in.has_strata = v[2], in.has_psu = v[3];
    in.has_fpc = v[4], in.lonely_psu = v[5], in.nest = v[6], in.nonpositive = v[7];
    in.line_type = v[8], in.inclusive = v[9];
    in.line = socind__get_f64(b + 56);
    in.alpha = socind__get_f64(b + 64);
    /* a rank-based state's section starts with p and p2 (a mean's holds
       its shifts, a proportion's likelihood state its fit part) */
    const size_t plen =
        in.estimator == SOCIND_STATE_MEAN || in.estimator == SOCIND_STATE_PROPORTION_LIKELIHOOD
            ? 0
            : rank_len;
    socind__rank_params(rank, plen, &in.p, &in.p2);
    if (socind__state_spec_resolve(&in, &sp)) return bad("its spec is invalid");
    if (!socind__rank_is(&sp) && rank_len != tail_bytes(&sp))
        return bad("its length does not match its PSU and cell counts (truncated or extended)");
    /* a spec claiming more domains than its bytes hold is refused before
       anything is allocated for them */
    if (socind__rank_is(&sp) && rank_len < socind__rank_min_bytes(&sp))
        return bad("its domains do not fit in its length (truncated, or a forged count)");
    int32_t w[10];
    socind__spec_ints(&sp, w);
    if (memcmp(v, w, sizeof v) != 0 || socind__get_u64(b + 56) != spec_f64_bits(sp.line) ||
        socind__get_u64(b + 64) != spec_f64_bits(sp.alpha) ||
        (plen >= 16 && (socind__get_u64(rank) != spec_f64_bits(sp.p) ||
                        socind__get_u64(rank + 8) != spec_f64_bits(sp.p2))))
        return bad("its spec holds values a state does not (an unused parameter is the NaN "
                   "0x7FF8000000000000)");
    socind__clear_detail();
    int32_t K, nout;
    socind__state_shape(sp.estimator, &K, &nout);
    if (K != Kf) return bad("its sums per cell do not match its estimator");
    socind_state *s = socind__state_alloc(&sp);
    if (!s) return socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    /* the Gini's passes follow its plan (state_gini.c checks them); a
       quantile's, a share ratio's, a Lorenz ordinate's and a relative
       quantile line's third pass says 3 */
    const int var =
        ((sp.estimator == SOCIND_STATE_GINI || socind__state_is_sen(sp.estimator)) && pass > 1 &&
         passes <= pass + 1u) ||
        ((sp.estimator == SOCIND_STATE_QUANTILE || sp.estimator == SOCIND_STATE_SHARE_RATIO ||
          sp.estimator == SOCIND_STATE_LORENZ ||
          (sp.estimator == SOCIND_STATE_POVERTY_LINE &&
           sp.line_type == SOCIND_LINE_RELATIVE_QUANTILE)) &&
         pass == 3 && passes == 3) ||
        /* a poverty measure's against a relative quantile line: 3 from a
           pass 2 without a window */
        (socind__state_is_relative(sp.estimator, sp.line_type) &&
         sp.line_type == SOCIND_LINE_RELATIVE_QUANTILE &&
         !socind__state_is_poor_median(sp.estimator) && pass >= 2 && passes == 3) ||
        /* the median of the poor's: 5 from a pass 2 without a window, 3 in
           the pass 3 after one */
        (socind__state_is_poor_median(sp.estimator) &&
         ((pass >= 2 && passes == 5) || (pass == 3 && passes == 3)));
    if ((passes != (uint32_t)s->passes && !var) || pass < 1 || pass > passes) {
        socind_state_free(s);
        return bad("its pass does not match its estimator");
    }
    s->pass = (int32_t)pass;
    s->passes = (int32_t)passes;
    int32_t st = SOCIND_OK;
    const int32_t G =
        (sp.n_groups > 0 ? sp.n_groups : 1) + (socind__state_keeps_ungrouped(sp.estimator) ? 1 : 0);
    const unsigned char *q = b + HEADER_BYTES;
    for (uint64_t i = 0; !st && i < npsu; i++, q += PSU_BYTES) {
        int64_t h = (int64_t)socind__get_u64(q), id = (int64_t)socind__get_u64(q + 8),
                row = (int64_t)socind__get_u64(q + 16);
        double f = socind__get_f64(q + 24);
        unsigned char pos = q[32];
        int pad = 0;
        for (int k = 33; k < 40; k++) pad |= q[k];
        if (pos > 1 || pad || row < 0 || (!sp.has_strata && h != 0) ||
            (sp.has_fpc ? !(f > 0.0) || isinf(f) : !isnan(f))) {
            st = bad("a PSU record breaks the format's rules");
            break;
        }
        size_t slot = socind__idmap_slot(&s->pmap, socind__state_pkey1(s, h), id);
        int32_t idx;
        if (s->pmap.val[slot] >= 0)
            st = bad("a PSU occurs twice (or in two strata)");
        else if (!socind__state_push_psu(s, h, id, row, f, pos, &idx))
            st = socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    }
    const size_t K2 = 2 * (size_t)K;
    for (uint64_t i = 0; !st && i < ncell; i++, q += cb) {
        int32_t p = (int32_t)socind__get_u32(q), g = (int32_t)socind__get_u32(q + 4);
        int64_t n = (int64_t)socind__get_u64(q + 8), npos = (int64_t)socind__get_u64(q + 16),
                dpos = (int64_t)socind__get_u64(q + 24);
        /* the weight sum Σw (the first sum) of rows of weights >= 0: its
           rounded part hi is not negative (adding and merging keep it so) */
        const double w_hi = socind__get_f64(q + 32);
        if (p < 0 || (uint64_t)p >= npsu || g < 0 || g >= G || n < 0 || npos < 0 || npos > n ||
            dpos < npos || (dpos > 0 && !s->p_pos[p]) || w_hi < 0.0) {
            st = bad("a cell record breaks the format's rules");
            break;
        }
        size_t slot = socind__idmap_slot(&s->cmap, p, g);
        int32_t idx;
        if (s->cmap.val[slot] >= 0) {
            st = bad("a cell occurs twice");
        } else if (!socind__state_push_cell(s, p, g, &idx)) {
            st = socind__fail(SOCIND_ERR_NOMEM, "out of memory");
        } else {
            s->c_n[idx] = n, s->c_npos[idx] = npos, s->c_dpos[idx] = dpos;
            for (size_t j = 0; j < K2; j++)
                s->c_sum[(size_t)idx * K2 + j] = socind__get_f64(q + 32 + 8 * j);
        }
    }
    if (!st && s->rank) st = socind__rank_read(s, rank, rank_len);
    if (!st && s->fit) st = socind__fit_read(s, rank, rank_len);
    /* the mean's shifts: a row >= 0 whose value is finite, or none (row
       2^63 − 1, value +0: its bits 0) */
    for (size_t g = 0; !st && s->g_shift && g < rank_len / SHIFT_BYTES; g++) {
        const int64_t row = (int64_t)socind__get_u64(rank + SHIFT_BYTES * g);
        const double c = socind__get_f64(rank + SHIFT_BYTES * g + 8);
        if (row < 0 || !isfinite(c) ||
            (row == INT64_MAX && socind__get_u64(rank + SHIFT_BYTES * g + 8) != 0))
            st = bad("a mean's shift record breaks the format's rules");
        /* (a domain without one stays as made: nothing written for it) */
        else if (row != INT64_MAX && !socind__state_shift_set(s, (int32_t)g, row, c))
            st = socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    }
    if (st) {
        socind_state_free(s);
        return st;
    }
    *out = s;
    return SOCIND_OK;
}
