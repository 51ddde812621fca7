/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lib/state_threads.c — the in-memory estimators on several threads,
 * through partial states (socind_options.threads). With domains, or PSUs
 * whose rows are not consecutive, the design's rows are cut into one
 * contiguous range per thread; each thread fills a partial state of its
 * range, numbered by the design's own PSUs (no hashing of ids: a PSU's
 * index is its state index), the states merge into the first, and the
 * merged state finishes on the design itself (state.c's
 * socind__state_finish_on). Without domains, where each PSU's rows are
 * consecutive, the rows are cut at PSU boundaries into RANGES_PER_THREAD
 * ranges a thread, which the threads take as each asks for more, all
 * filling one state of the design's PSUs, each range its own PSUs' cells;
 * without replicate weights that state keeps only what its finish reads, a
 * PSU at a time, and the finish runs on the threads too, each over a
 * contiguous share of the PSUs (socind__state_finish_psus). Within a range,
 * consecutive rows of the same (PSU, domain) are summed in plain doubles
 * FOLD_ROWS at a time, each such sum added to the run's pair of doubles,
 * and the run to its cell: the figures agree with one thread's within the
 * one-thread loops' own rounding. They are the same run to run for the same thread
 * count, whichever thread runs which range: the ranges and the finish's
 * shares depend on the rows and the thread count only.
 */
#include <stdlib.h>

#include "state_internal.h"

/* A thread is worth starting for this many rows or more (tests: 1). */
#define ROWS_PER_THREAD 65536
SOCIND__TEST_SWITCH_DEFINE(socind__threads_any_rows);
SOCIND__TEST_SWITCH_DEFINE(socind__state_own_loops);

int socind__state_one_thread(const socind_design *d, const int32_t *group, int32_t est) {
    return !socind__state_own_loops && !group && d->psu_end && !d->cal && !d->rep_theta &&
           (est == SOCIND_STATE_GE || est == SOCIND_STATE_ATKINSON || est == SOCIND_STATE_MEAN);
}
SOCIND__TEST_SWITCH_DEFINE(socind__threads_ran);

int32_t socind__threads_for(int32_t threads, size_t n) {
    return socind__threads_over(threads, n, socind__threads_any_rows ? 1 : ROWS_PER_THREAD);
}

/* One thread's work: rows [a, b) of the design into its state. */
typedef struct {
    const socind_design *d;
    const double *y, *y2;
    const int32_t *group;
    size_t a, b;
    int lazy;                 /* s is a psu_state shared by the jobs */
    int comp;                 /* sum the complement of the 0/1 column (socind__state_near_one) */
    socind__state_totals tot; /* lazy: the sums of the range's PSUs */
    socind_state *s;
    int32_t status;    /* SOCIND_OK, SOCIND__ROW_BAD or SOCIND_ERR_NOMEM */
    double amax, amin; /* largest |y| and smallest y > 0 of the rows used */
} job;

/* An empty state numbered by d's PSUs: PSU p is state PSU p (its stratum
 * the design's dense stratum), and without domains cell p is (p, 0). */
static socind_state *design_state(const socind_design *d, const socind_state_spec *sp) {
    socind_state *s = socind__state_alloc(sp);
    if (!s) return NULL;
    const size_t np = d->npsu;
    s->p_stratum = malloc((np ? np : 1) * sizeof *s->p_stratum);
    if (!s->p_stratum) goto fail;
    for (size_t p = 0; p < np; p++) s->p_stratum[p] = d->psu_stratum[p];
    s->npsu = s->pcap = np;
    if (sp->n_groups == 0) {
        /* large: huge pages where the system has them (fewer page faults),
           zeroed here */
        const size_t K2 = 2 * (size_t)s->K, m = np ? np : 1;
        s->c_psu = socind__big_alloc(m * sizeof *s->c_psu);
        s->c_group = socind__big_alloc(m * sizeof *s->c_group);
        s->c_n = socind__big_alloc(m * sizeof *s->c_n);
        s->c_npos = socind__big_alloc(m * sizeof *s->c_npos);
        s->c_dpos = socind__big_alloc(m * sizeof *s->c_dpos);
        s->c_sum = socind__big_alloc(m * K2 * sizeof *s->c_sum);
        if (!s->c_psu || !s->c_group || !s->c_n || !s->c_npos || !s->c_dpos || !s->c_sum) goto fail;
        memset(s->c_group, 0, np * sizeof *s->c_group);
        memset(s->c_n, 0, np * sizeof *s->c_n);
        memset(s->c_npos, 0, np * sizeof *s->c_npos);
        memset(s->c_dpos, 0, np * sizeof *s->c_dpos);
        memset(s->c_sum, 0, np * K2 * sizeof *s->c_sum);
        for (size_t p = 0; p < np; p++) s->c_psu[p] = (int32_t)p;
        s->ncell = s->ccap = np;
    }
    return s;
fail:
    socind_state_free(s);
    return NULL;
}

/* A block for one call's state: up to 32 MB from malloc, beyond it
 * socind__big_alloc's huge pages. A block from mmap is cleared whole by the
 * kernel in every call; glibc's malloc keeps blocks up to 32 MB in its heap
 * once one was freed, so a program's later calls on the design (its other
 * indicators) write memory the process already holds: FGT0 at 10^7 rows on
 * 2 threads, 1.49 ns a row with huge pages, 1.36 from the heap. Beyond
 * 32 MB malloc maps 4 KiB pages anew each call, and huge pages are the
 * cheaper (at 10^8 rows 1.57 ns a row against 1.86). */
static void *call_alloc(size_t bytes) {
    return bytes <= ((size_t)32 << 20) ? malloc(bytes ? bytes : 1) : socind__big_alloc(bytes);
}

/* The state the threads of a call without domains fill together when each
 * PSU's rows are consecutive (and no replicate needs its PSUs): cell p is
 * PSU p, and only what socind__state_finish_psus reads is kept (the rows
 * used and the sums). Nothing is written here: the thread whose rows hold
 * PSU p writes its cell whole when it leaves the PSU (flush_psu), so that
 * the threads share the first writes of fresh pages (call_alloc above). */
static socind_state *psu_state(const socind_design *d, const socind_state_spec *sp) {
    socind_state *s = socind__state_alloc(sp);
    if (!s) return NULL;
    const size_t m = d->npsu ? d->npsu : 1;
    s->c_n = call_alloc(m * sizeof *s->c_n);
    s->c_sum = call_alloc(m * 2 * (size_t)s->K * sizeof *s->c_sum);
    if (!s->c_n || !s->c_sum) {
        socind_state_free(s);
        return NULL;
    }
    s->ncell = s->ccap = d->npsu;
    return s;
}

/* The cell of (p, g) in a design state with domains, made when new; −1
 * when out of memory. */
static int32_t cell_of(socind_state *s, int32_t p, int32_t g) {
    size_t slot = socind__idmap_slot(&s->cmap, p, g);
    int32_t idx = s->cmap.val[slot];
    if (idx < 0 && !socind__state_push_cell(s, p, g, &idx)) return -1;
    return idx;
}

/* Adds a run's sums (pairs hi + lo) and counts to cell k. */
SOCIND__SPECIALISED void flush(socind_state *s, int32_t k, const double *hi, const double *lo,
                               int K, int64_t n, int64_t npos, int64_t dpos) {
    if (k < 0) return;
    double *sum = s->c_sum + (size_t)k * 2 * (size_t)K;
    for (int j = 0; j < K; j++) {
        socind__dd_add(&sum[2 * j], &sum[2 * j + 1], hi[j]);
        sum[2 * j + 1] += lo[j];
    }
    s->c_n[k] += n, s->c_npos[k] += npos, s->c_dpos[k] += dpos;
}

/* Writes PSU p's cell of a psu_state (all its rows: the run, pairs hi +
 * lo) and adds the run to the job's totals. */
SOCIND__SPECIALISED void flush_psu(socind_state *s, int32_t p, const double *hi, const double *lo,
                                   int K, int64_t n, int64_t npos, socind__state_totals *tot) {
    if (p < 0) return;
    double *sum = s->c_sum + (size_t)p * 2 * (size_t)K;
    for (int j = 0; j < K; j++) {
        sum[2 * j] = hi[j], sum[2 * j + 1] = lo[j];
        socind__dd_add(&tot->hi[j], &tot->lo[j], hi[j]);
        tot->lo[j] += lo[j];
    }
    s->c_n[p] = n;
    tot->n += n, tot->npos += npos;
}

/* Rows a run sums in plain doubles before adding that sum to its pair of
 * doubles: a run's rounding stays within 255·2^−53 of its terms'
 * magnitudes however many rows its PSU holds (a PSU of 70,000 rows summed
 * plainly put 1e−11 into Atkinson's SE: a linearized variable's sums
 * cancel). On the lazy path each PSU starts a block, so PSUs of a
 * survey's size take one block; elsewhere (domains, replicate designs) the
 * blocks count from the range's start and a run may straddle two, which
 * moves the last bits. */
#define FOLD_ROWS 256

/* Poverty measures whose terms depend on the incomes only through y/z and
 * comparisons (their one-thread loops do not rescale by the incomes either):
 * no scan of the incomes' magnitudes. */
static int scale_free(int32_t est) {
    return est == SOCIND_STATE_FGT || est == SOCIND_STATE_POOR_COUNT || est == SOCIND_STATE_WATTS ||
           est == SOCIND_STATE_FGT_DECOMPOSITION || est == SOCIND_STATE_WATTS_DECOMPOSITION;
}

/* The rows of job j for estimator est; the other arguments are constants
 * where it is inlined: a domain column, a second column, a psu_state, and
 * FGT's α and the line's inclusiveness when known (−1: read from the
 * spec; socind__state_terms_c). */
SOCIND__SPECIALISED void run_rows(job *j, const int est, const int grouped, const int with_y2,
                                  const int lazy, const int apow, const int incl, const int comp) {
    socind_state *s = j->s;
    /* local copies: no store of the loop can alias them */
    const socind_state_spec spl = s->sp, *sp = &spl;
    const size_t a = j->a, b = j->b;
    const socind_design *d = j->d;
    const double *w = d->w, *y = j->y, *y2 = j->y2;
    const int32_t *rp = d->row_psu, *group = j->group;
    const int K = socind__state_k(est), scan = !scale_free(est);
    const int gap = est == SOCIND_STATE_POVERTY_GAP_TOTAL || est == SOCIND_STATE_MEAN_SHORTFALL;
    const double invz = 1.0 / sp->line;
    /* the run's sums: the rows since the last fold in scalars (registers:
       an array whose address the flush takes would live in memory, a store
       and a load a row), folded into the pairs rh + rl every FOLD_ROWS
       rows and before a flush */
    double r0 = 0.0, r1 = 0.0, r2 = 0.0, r3 = 0.0, t[SOCIND__STATE_KMAX] = {0};
    double rh[SOCIND__STATE_KMAX] = {0}, rl[SOCIND__STATE_KMAX] = {0};
    /* comp: a 0/1 indicator's column (socind__state_binary_col), else 0:
       r0 then sums the complement w − w·x (w or 0, exact) and Σw's pair
       takes r0 and that column's run exactly, so that Σw − Σw·x from the
       pairs keeps its digits (the finish's cell_z) as a plain r0 = Σw,
       rounded, would not. (A subtraction a row: 16 % more time for FGT0
       on two threads, hence only where it counts.) */
    const int bc = comp ? socind__state_binary_col(est, apow >= 0 ? (double)apow : sp->alpha) : 0;
#define FOLD()                                                                                     \
    do {                                                                                           \
        if (bc) {                                                                                  \
            /* Σw's run: the column's and the complement's, exactly */                            \
            const double xb_ = bc == 1 ? r1 : r2, s_ = xb_ + r0, v_ = s_ - xb_;                    \
            socind__dd_add(&rh[0], &rl[0], s_);                                                    \
            rl[0] += (xb_ - (s_ - v_)) + (r0 - v_);                                                \
        } else {                                                                                   \
            socind__dd_add(&rh[0], &rl[0], r0);                                                    \
        }                                                                                          \
        if (K > 1) socind__dd_add(&rh[1], &rl[1], r1);                                             \
        if (K > 2) socind__dd_add(&rh[2], &rl[2], r2);                                             \
        if (K > 3) socind__dd_add(&rh[3], &rl[3], r3);                                             \
        r0 = r1 = r2 = r3 = 0.0;                                                                   \
    } while (0)
#define RESET_RUN()                                                                                \
    do {                                                                                           \
        for (int q_ = 0; q_ < K; q_++) rh[q_] = rl[q_] = 0.0;                                      \
    } while (0)
    int64_t n = 0, npos = 0, dpos = 0;
    int32_t cell = -1, last_p = -1, last_g = -1;
    double amax = 0.0, amin = INFINITY;
    /* the mean: the shift of the current cell's domain, and whether it is
       set (else the domain's first used row here sets it: a state of a
       thread's own; a shared state's was set before the threads started) */
    double cshift = 0.0;
    int cset = 1;
    if (est == SOCIND_STATE_MEAN && !grouped)
        cshift = s->g_shift[0], cset = s->g_shift_row1[0] != 0;
    socind__state_totals tot;
    memset(&tot, 0, sizeof tot);
    for (size_t k = a; k < b;) {
        /* a psu_state: one PSU's rows [k, e) at a time (psu_end: no PSU
           to read and compare a row); else every row of the range, each
           checked for a new (PSU, domain) */
        size_t e = b;
        if (lazy) { /* (the last block's fold made the run whole) */
            flush_psu(s, cell, rh, rl, K, n, npos, &tot);
            RESET_RUN();
            n = npos = 0;
            cell = rp[k];
            e = (size_t)d->psu_end[cell] < b ? (size_t)d->psu_end[cell] : b;
        }
        /* FOLD_ROWS rows at a time, then their sums folded */
        for (size_t f = k; k < e; f = k) {
            const size_t fe = e - f > FOLD_ROWS ? f + FOLD_ROWS : e;
            for (; k < fe; k++) {
                if (!lazy) {
                    const int32_t g = grouped ? group[k] : 0;
                    if (g < 0) continue;
                    const int32_t p = rp[k];
                    if (p != last_p || g != last_g) {
                        FOLD();
                        flush(s, cell, rh, rl, K, n, npos, dpos);
                        RESET_RUN();
                        n = npos = dpos = 0;
                        cell = grouped ? cell_of(s, p, g) : p;
                        if (cell < 0) {
                            j->status = SOCIND_ERR_NOMEM;
                            return;
                        }
                        if (est == SOCIND_STATE_MEAN && grouped && g != last_g)
                            cshift = s->g_shift[g], cset = s->g_shift_row1[g] != 0;
                        last_p = p, last_g = g;
                    }
                }
                const double wk = w[k], yk = y[k], y2k = with_y2 ? y2[k] : 0.0;
                /* the counts the finish reads: rows of the domain and rows used with
                   a non-zero weight (a proportion's df; deff; GE's empty domain) */
                const int count_pos = est == SOCIND_STATE_PROPORTION || est == SOCIND_STATE_MEAN ||
                                      est == SOCIND_STATE_GE || est == SOCIND_STATE_ATKINSON;
                if (est == SOCIND_STATE_PROPORTION) dpos += wk != 0.0;
                const int u = socind__state_row(est, with_y2, sp, wk, yk, y2k);
                if (__builtin_expect(u != SOCIND__ROW_USED, 0)) {
                    if (u == SOCIND__ROW_MISSING) continue;
                    j->status = SOCIND__ROW_BAD;
                    return;
                }
                if (est == SOCIND_STATE_MEAN && !cset && wk > 0.0) {
                    const int32_t g = grouped ? last_g : 0;
                    if (!socind__state_shift_set(s, g, (int64_t)k, yk)) {
                        j->status = SOCIND_ERR_NOMEM;
                        return;
                    }
                    cshift = yk, cset = 1;
                }
                n++;
                if (count_pos) npos += wk != 0.0;
                if (scan) {
                    /* the gap's sums hold z − y of the rows below their line
                       only: the scale is theirs and the lines' (poverty.c's
                       ctx_init; an absolute line is checked after) */
                    const double zk = with_y2 ? y2k : sp->line;
                    double ay = !gap || (sp->inclusive ? yk <= zk : yk < zk) ? fabs(yk) : 0.0;
                    if (gap && with_y2 && zk > ay) ay = zk;
                    amax = ay > amax ? ay : amax;
                }
                if (est == SOCIND_STATE_GE || est == SOCIND_STATE_ATKINSON)
                    amin = yk < amin ? yk : amin;
                socind__state_terms_c(est, with_y2, apow, incl, sp, invz, wk, yk,
                                      est == SOCIND_STATE_MEAN ? cshift : y2k, t);
                r0 += bc == 1 ? t[0] - t[1] : bc == 2 ? t[0] - t[2] : t[0];
                if (K > 1) r1 += t[1];
                if (K > 2) r2 += t[2];
                if (K > 3) r3 += t[3];
            }
            FOLD();
        }
    }
    if (lazy) {
        flush_psu(s, cell, rh, rl, K, n, npos, &tot);
        j->tot = tot;
    } else {
        flush(s, cell, rh, rl, K, n, npos, dpos);
    }
    j->amax = amax, j->amin = amin;
}
#undef FOLD
#undef RESET_RUN

/* run_rows specialised for a domain column and a second column (a ratio's
 * denominator or per-row lines) */
#define RUN_C(est, C)                                                                              \
    do {                                                                                           \
        if (j->group)                                                                              \
            j->y2 ? run_rows(j, est, 1, 1, 0, -1, -1, C) : run_rows(j, est, 1, 0, 0, -1, -1, C);   \
        else if (j->lazy)                                                                          \
            j->y2 ? run_rows(j, est, 0, 1, 1, -1, -1, C) : run_rows(j, est, 0, 0, 1, -1, -1, C);   \
        else                                                                                       \
            j->y2 ? run_rows(j, est, 0, 1, 0, -1, -1, C) : run_rows(j, est, 0, 0, 0, -1, -1, C);   \
    } while (0)
#define RUN(est) RUN_C(est, 0)
/* an estimate with a 0/1 column: summing its complement when j->comp */
#define RUN_B(est)                                                                                 \
    do {                                                                                           \
        if (j->comp)                                                                               \
            RUN_C(est, 1);                                                                         \
        else                                                                                       \
            RUN_C(est, 0);                                                                         \
    } while (0)
/* FGT(α = apow) without domains in a psu_state, the line's inclusiveness
   known */
#define RUN_FGT(apow)                                                                              \
    do {                                                                                           \
        if (j->s->sp.inclusive)                                                                    \
            j->y2 ? run_rows(j, SOCIND_STATE_FGT, 0, 1, 1, apow, 1, 0)                             \
                  : run_rows(j, SOCIND_STATE_FGT, 0, 0, 1, apow, 1, 0);                            \
        else                                                                                       \
            j->y2 ? run_rows(j, SOCIND_STATE_FGT, 0, 1, 1, apow, 0, 0)                             \
                  : run_rows(j, SOCIND_STATE_FGT, 0, 0, 1, apow, 0, 0);                            \
    } while (0)

static void *work(void *arg) {
    job *j = arg;
    switch (j->s->sp.estimator) {
    case SOCIND_STATE_TOTAL:
        RUN(SOCIND_STATE_TOTAL);
        break;
    case SOCIND_STATE_MEAN:
        RUN(SOCIND_STATE_MEAN);
        break;
    case SOCIND_STATE_RATIO:
        RUN(SOCIND_STATE_RATIO);
        break;
    case SOCIND_STATE_PROPORTION: /* (always its complement: 4 % more time) */
        RUN_C(SOCIND_STATE_PROPORTION, 1);
        break;
    case SOCIND_STATE_FGT: {
        const double a = j->s->sp.alpha;
        if (j->comp)
            RUN_C(SOCIND_STATE_FGT, 1);
        else if (j->lazy && !j->group && a == 0.0)
            RUN_FGT(0);
        else if (j->lazy && !j->group && a == 1.0)
            RUN_FGT(1);
        else if (j->lazy && !j->group && a == 2.0)
            RUN_FGT(2);
        else
            RUN(SOCIND_STATE_FGT);
        break;
    }
    case SOCIND_STATE_POOR_COUNT:
        RUN(SOCIND_STATE_POOR_COUNT);
        break;
    case SOCIND_STATE_POVERTY_GAP_TOTAL:
        RUN(SOCIND_STATE_POVERTY_GAP_TOTAL);
        break;
    case SOCIND_STATE_MEAN_SHORTFALL:
        RUN(SOCIND_STATE_MEAN_SHORTFALL);
        break;
    case SOCIND_STATE_WATTS:
        RUN(SOCIND_STATE_WATTS);
        break;
    case SOCIND_STATE_FGT_DECOMPOSITION:
        RUN_B(SOCIND_STATE_FGT_DECOMPOSITION);
        break;
    case SOCIND_STATE_WATTS_DECOMPOSITION:
        RUN_B(SOCIND_STATE_WATTS_DECOMPOSITION);
        break;
    case SOCIND_STATE_GE:
        RUN(SOCIND_STATE_GE);
        break;
    case SOCIND_STATE_GE_DECOMPOSITION:
        RUN(SOCIND_STATE_GE_DECOMPOSITION);
        break;
    default: /* (the states of the profile, Sen and SST are not made here) */
        RUN(SOCIND_STATE_ATKINSON);
        break;
    }
    return NULL;
}

/* from's cells added into into (both design states of the same design). */
static int merge_design(socind_state *into, const socind_state *from) {
    const size_t K2 = 2 * (size_t)into->K;
    /* the mean: both at the shift of the lower row (socind_state_merge's),
       O(from's domains with a shift and into's cells that move) */
    if (into->g_shift && !socind__state_shift_reserve(into, from->ng_set)) return 0;
    socind__state_shift_merge(into, from);
    for (size_t i = 0; i < from->ncell; i++) {
        if (from->c_n[i] == 0 && from->c_dpos[i] == 0) continue;
        int32_t k =
            into->sp.n_groups ? cell_of(into, from->c_psu[i], from->c_group[i]) : (int32_t)i;
        if (k < 0) return 0;
        into->c_n[k] = socind__count_add(into->c_n[k], from->c_n[i]);
        into->c_npos[k] = socind__count_add(into->c_npos[k], from->c_npos[i]);
        into->c_dpos[k] = socind__count_add(into->c_dpos[k], from->c_dpos[i]);
        double *a = into->c_sum + (size_t)k * K2, moved[2 * SOCIND__STATE_KMAX];
        const double *b = socind__state_cell_at_shift(into, from, i, moved);
        for (size_t q = 0; q < K2; q += 2) {
            socind__dd_add(&a[q], &a[q + 1], b[q]);
            a[q + 1] += b[q + 1];
        }
    }
    return 1;
}

/* Whether the figures of a merged state can stand for the one-thread
 * loops': those rescale incomes beyond 2^±200 (and Atkinson and GE take
 * powers of incomes over their mean), which a state does not; in that
 * range the call runs on one thread instead. */
static int in_state_range(const socind_state_spec *sp, double amax, double amin) {
    if (!scale_free(sp->estimator) && (!(amax < 0x1p200) || (amax > 0.0 && amax < 0x1p-200)))
        return 0;
    if (sp->estimator == SOCIND_STATE_GE || sp->estimator == SOCIND_STATE_ATKINSON) {
        double p = sp->estimator == SOCIND_STATE_GE ? sp->alpha : 1.0 - sp->alpha;
        double e = fmax(fabs(log2(amax)), isfinite(amin) ? fabs(log2(amin)) : 0.0);
        if (fabs(p) * (e + 64.0) > 900.0) return 0;
    }
    if (socind__state_is_poverty(sp->estimator) && sp->line_type == SOCIND_LINE_ABSOLUTE &&
        !(sp->line < 0x1p200 && sp->line > 0x1p-200))
        return 0;
    return 1;
}

int socind__state_spec_for(int32_t est, const int32_t *group, int32_t n_groups,
                           const socind_poverty_line *L, double alpha, int32_t nonpos,
                           socind_state_spec *sp) {
    socind_state_spec in;
    socind_state_spec_init(&in);
    in.estimator = est;
    in.n_groups = group ? n_groups : 0;
    in.alpha = alpha;
    in.nonpositive = nonpos;
    if (L) {
        if (L->type != SOCIND_LINE_ABSOLUTE && L->type != SOCIND_LINE_PER_ROW) return 0;
        in.line_type = L->type;
        in.inclusive = L->inclusive;
        in.line = L->value;
    }
    if (socind__state_spec_resolve(&in, sp)) {
        socind__clear_detail();
        return 0;
    }
    return 1;
}

/* Replicate design d's θ_r for every replicate (internal.h's rep_theta):
 * the state s of the full sample with each cell's sums multiplied by its
 * PSU's factor (w_r = w·f_r is constant in f_r over a PSU's rows, and every
 * sum of a cell is a sum of w times a function of the row) and finished.
 * A replicate whose finish fails gives NaN estimates (svrVar leaves them
 * out). Cost O(R·(cells + PSUs)): no pass over the rows. */
static int32_t replicate_thetas(socind_state *s, const socind_design *d, const int32_t *rank,
                                const int32_t *corder, const socind_options *o) {
    const size_t R = socind_design_nreplicates(d), count = d->rep_count;
    const size_t K2 = 2 * (size_t)s->K, nc = s->ncell;
    const size_t G = s->sp.n_groups > 0 ? (size_t)s->sp.n_groups : 1;
    if (G * (size_t)s->nout != count) return SOCIND_OK; /* not this call's shape */
    double *orig = malloc((nc ? nc : 1) * K2 * sizeof *orig);
    socind_estimate *tmp = malloc((count ? count : 1) * sizeof *tmp);
    if (!orig || !tmp) {
        free(orig), free(tmp);
        return socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    }
    if (nc) memcpy(orig, s->c_sum, nc * K2 * sizeof *orig);
    for (size_t r = 0; r < R; r++) {
        for (size_t i = 0; i < nc; i++) {
            const double f = socind__rep_factor(d, r, s->c_psu[i]);
            for (size_t t = 0; t < K2; t++) s->c_sum[i * K2 + t] = orig[i * K2 + t] * f;
        }
        double *th = d->rep_theta + r * count;
        if (socind__state_values(s, corder, th)) continue;
        int32_t fst = socind__state_finish_on(s, d, rank, corder, o, tmp);
        for (size_t j = 0; j < count; j++) th[j] = fst ? NAN : tmp[j].value;
    }
    memcpy(s->c_sum, orig, nc * K2 * sizeof *orig);
    free(orig), free(tmp);
    socind__clear_detail();
    *d->rep_filled = 1;
    return SOCIND_OK;
}

/* The threads take the jobs in turn as each asks for more (queue_part).
 * When they fill one shared state, the rows are cut into RANGES_PER_THREAD
 * ranges for each thread: a thread slowed by other work on its core takes
 * fewer. Each range writes only its own PSUs' cells and keeps
 * its own totals (amax, amin, a status, and without replicate weights the
 * sums its PSUs' cells hold), gathered in range order after the threads:
 * which thread ran a range changes nothing. */
#define RANGES_PER_THREAD 8

typedef struct {
    job *jobs;
    int32_t count; /* ranges */
    int32_t next;  /* the next range to take (atomic) */
} job_queue;

static void queue_part(void *arg, int32_t t) {
    job_queue *q = arg;
    (void)t;
    for (;;) {
        const int32_t i = __atomic_fetch_add(&q->next, 1, __ATOMIC_RELAXED);
        if (i >= q->count) return;
        work(&q->jobs[i]);
    }
}

/* Whether the pass runs again summing the complement: by the ranges'
 * totals (by_psus: s NULL), else by s's cells (socind__state_near_one). */
static int near_one(const socind_state_spec *sp, const socind_state *s, const job *jobs,
                    int32_t R) {
    if (s) return socind__state_near_one(s);
    const int j = socind__state_rerun_col(sp);
    if (!j) return 0;
    double W = 0.0, X = 0.0;
    for (int32_t t = 0; t < R; t++) {
        W += jobs[t].tot.hi[0] + jobs[t].tot.lo[0];
        X += jobs[t].tot.hi[j] + jobs[t].tot.lo[j];
    }
    return socind__near_one(W, X);
}

int32_t socind__state_threaded(const socind_design *d, const socind_state_spec *sp, const double *y,
                               const double *y2, const int32_t *group, const socind_options *o,
                               int32_t threads, socind_estimate *out, int64_t *used) {
    const int32_t T = threads;
    SOCIND__TEST_RECORD(socind__threads_ran, T);
    /* without domains, in a design whose PSUs' rows are consecutive, the
       ranges are cut at PSU boundaries and the threads fill one state, each
       range its own PSUs' cells (the merge of their states, made in place),
       RANGES_PER_THREAD ranges a thread taken as the threads ask; else a
       range and a state a thread, the states merged in thread order */
    const int shared = sp->n_groups == 0 && d->psu_end != NULL;
    const int32_t R = shared ? T * RANGES_PER_THREAD : T;
    job *jobs = calloc((size_t)R, sizeof *jobs);
    int32_t st = SOCIND_OK;
    if (!jobs) st = socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    /* its passes over the PSUs on the threads too (socind__state_finish_psus) */
    const int by_psus = shared && !d->rep_theta;
    socind_state *one = NULL;
    double amax = 0.0, amin = INFINITY;
    /* a second pass summing the complement of the 0/1 column where a
       domain's share is near 1 (socind__state_near_one) */
    for (int comp = 0; !st; comp = 1) {
        if (shared && !(one = by_psus ? psu_state(d, sp) : design_state(d, sp)))
            st = socind__fail(SOCIND_ERR_NOMEM, "out of memory");
        if (!st && shared && sp->estimator == SOCIND_STATE_MEAN) {
            /* the shared state's shift, before the threads: the first used
               value of positive weight (the one-thread loop's) */
            for (size_t k = 0; k < d->n; k++)
                if (fabs(y[k]) <= DBL_MAX && d->w[k] > 0.0) {
                    if (!socind__state_shift_set(one, 0, (int64_t)k, y[k]))
                        st = socind__fail(SOCIND_ERR_NOMEM, "out of memory");
                    break;
                }
        }
        for (int32_t t = 0; !st && t < R; t++) {
            memset(&jobs[t], 0, sizeof jobs[t]);
            jobs[t].d = d, jobs[t].y = y, jobs[t].y2 = y2, jobs[t].group = group;
            jobs[t].a = t ? jobs[t - 1].b : 0;
            jobs[t].b = socind__part_start(d->n, t + 1, R);
            /* (to the next PSU boundary: the PSU's rows are consecutive) */
            if (jobs[t].b < jobs[t].a) jobs[t].b = jobs[t].a;
            while (shared && jobs[t].b > 0 && jobs[t].b < d->n &&
                   d->row_psu[jobs[t].b] == d->row_psu[jobs[t].b - 1])
                jobs[t].b++;
            jobs[t].lazy = by_psus, jobs[t].comp = comp;
            jobs[t].s = shared ? one : design_state(d, sp);
            if (!jobs[t].s) st = socind__fail(SOCIND_ERR_NOMEM, "out of memory");
        }
        /* thread 0's part runs on the calling thread; a thread that cannot be
           started has its part run here too (socind__parallel) */
        job_queue queue = {jobs, R, 0};
        if (!st) socind__parallel(T, queue_part, &queue);
        /* out of memory first; a refused row below */
        amax = 0.0, amin = INFINITY;
        for (int32_t t = 0; !st && t < R; t++) {
            if (jobs[t].status == SOCIND_ERR_NOMEM)
                st = socind__fail(SOCIND_ERR_NOMEM, "out of memory");
            amax = fmax(amax, jobs[t].amax), amin = fmin(amin, jobs[t].amin);
        }
        /* a refused row: the caller's one-thread loop finds the first and names
           it in the estimator's own words (x, numerator, incomes, lines) */
        for (int32_t t = 0; !st && t < R; t++)
            if (jobs[t].status == SOCIND__ROW_BAD) st = -1;
        for (int32_t t = 1; !st && !shared && t < R; t++)
            if (!merge_design(jobs[0].s, jobs[t].s))
                st = socind__fail(SOCIND_ERR_NOMEM, "out of memory");
        if (st || comp || !near_one(sp, by_psus ? NULL : shared ? one : jobs[0].s, jobs, R)) break;
        if (shared) {
            socind_state_free(one);
            one = NULL;
        } else {
            for (int32_t t = 0; t < R; t++) socind_state_free(jobs[t].s), jobs[t].s = NULL;
        }
    }
    int32_t *rank = NULL, *corder = NULL;
    if (!st && !in_state_range(sp, amax, amin)) st = -1; /* the caller runs one thread */
    if (!st && by_psus) {
        /* the ranges' totals added in range order */
        socind__state_totals tot;
        memset(&tot, 0, sizeof tot);
        for (int32_t t = 0; t < R; t++) {
            /* (in memory: fewer than 2^63 rows) */
            tot.n += jobs[t].tot.n, tot.npos += jobs[t].tot.npos;
            for (int q = 0; q < one->K; q++) {
                socind__dd_add(&tot.hi[q], &tot.lo[q], jobs[t].tot.hi[q]);
                tot.lo[q] += jobs[t].tot.lo[q];
            }
        }
        /* GE and Atkinson whose totals leave the double range (weights
           near 1e306): the one-thread loop, which scales the weights */
        int beyond = 0;
        for (int q = 0; q < one->K; q++) beyond |= !isfinite(tot.hi[q] + tot.lo[q]);
        if (beyond &&
            (sp->estimator == SOCIND_STATE_GE || sp->estimator == SOCIND_STATE_ATKINSON)) {
            socind_state_free(one);
            free(jobs);
            return -1;
        }
        st = socind__state_finish_psus(one, d, &tot, o, T, out);
        *used = st ? 0 : socind__rows_used(out, (size_t)one->nout, 1);
        if (st == SOCIND_ERR_EMPTY) {
            /* the frame reports "no usable row" itself; rows whose weights
               are all 0 as a domain without an estimate, which it names */
            if (tot.n > 0)
                for (int32_t i = 0; i < one->nout; i++)
                    socind__estimate_undefined(&out[i], SOCIND_ERR_EMPTY_DOMAIN, tot.n, 0.0, d->df);
            st = SOCIND_OK, socind__clear_detail();
        }
        socind_state_free(one);
        free(jobs);
        return st;
    }
    if (!st) {
        const socind_state *s = jobs[0].s;
        rank = malloc(d->npsu * sizeof *rank);
        corder = malloc((s->ncell ? s->ncell : 1) * sizeof *corder);
        if (!rank || !corder) st = socind__fail(SOCIND_ERR_NOMEM, "out of memory");
        for (size_t p = 0; !st && p < d->npsu; p++) rank[p] = (int32_t)p;
        if (!st && sp->n_groups == 0)
            for (size_t i = 0; i < s->ncell; i++) corder[i] = (int32_t)i;
        else if (!st)
            st = socind__state_sort_cells(s, rank, corder);
    }
    /* the full sample of a replicate design: every replicate's estimates
       from this one state; on one thread the caller then makes the full
       sample's in memory (its figures bit for bit without replicates) */
    if (!st && (sp->estimator == SOCIND_STATE_GE || sp->estimator == SOCIND_STATE_ATKINSON)) {
        /* GE and Atkinson with a cell's sums beyond the double range (a
           PSU's w·y^θ, weights near 1e306): the one-thread loop, which
           scales the weights row by row */
        const socind_state *s = jobs[0].s;
        for (size_t i = 0; !st && i < 2 * (size_t)s->K * s->ncell; i++)
            if (!isfinite(s->c_sum[i])) st = -1;
    }
    if (!st && d->rep_theta) st = replicate_thetas(jobs[0].s, d, rank, corder, o);
    if (!st && T == 1) st = -1;
    *used = 0;
    if (!st) {
        const socind_state *s = jobs[0].s;
        st = socind__state_finish_on(s, d, rank, corder, o, out);
        /* (the GE decomposition's parts are one domain's) */
        const size_t G = socind__state_count(s) / (size_t)s->nout;
        if (!st) *used = socind__rows_used(out, G, (size_t)s->nout);
        /* the frame reports "no usable row" itself */
        if (st == SOCIND_ERR_EMPTY) st = SOCIND_OK, socind__clear_detail();
    }
    if (shared)
        socind_state_free(one);
    else
        for (int32_t t = 0; jobs && t < R; t++) socind_state_free(jobs[t].s);
    free(jobs), free(rank), free(corder);
    return st;
}
