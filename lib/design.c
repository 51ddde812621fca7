/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lib/design.c — the survey design (validation, dense strata/PSU indices),
 * the variance engine (PSU totals → stratified with-replacement variance with
 * fpc and the lonely-PSU rules of R's survey 4.5), and domain row indices. */
#include <float.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int32_t socind_design_options_init(socind_design_options *opts) {
    socind__clear_detail();
    if (!opts) return socind__fail(SOCIND_ERR_NULL, "opts is NULL");
    memset(opts, 0, sizeof *opts);
    opts->size = sizeof *opts;
    opts->lonely_psu = SOCIND_LONELY_FAIL;
    opts->nest = 0;
    opts->threads = 1;
    return SOCIND_OK;
}

#define DESIGN_OPTIONS_V1_SIZE (offsetof(socind_design_options, nest) + sizeof(int32_t))

void socind_design_free(socind_design *d) {
    if (!d) return;
    socind__rep_free(d->rep);
    free(d->w);
    free(d->row_psu);
    free(d->psu_end);
    free(d->psu_stratum);
    free(d->stratum_npsu);
    free(d->stratum_f);
    free(d->stratum_scale);
    free(d->stratum_id);
    socind__cal_free(d->cal);
    free(d);
}

size_t socind_design_nrows(const socind_design *d) {
    return d ? d->n : 0;
}
size_t socind_design_nstrata(const socind_design *d) {
    return d ? d->nstrata : 0;
}
size_t socind_design_npsu(const socind_design *d) {
    return d ? (d->cal ? socind__cal_npsu(d) : d->npsu) : 0;
}
double socind_design_df(const socind_design *d) {
    return d ? d->df : NAN;
}

/* ---- socind_design_new, step by step ----
 * Each step below returns SOCIND_OK, a status with its detail message, or
 * SOCIND_ERR_NOMEM without one (socind_design_new writes that detail). */

/* The options in force: the defaults, or the caller's, validated. */
static int32_t resolve_design_options(const socind_design_options *opts, socind_design_options *o) {
    socind_design_options_init(o);
    if (opts) {
        int32_t st = socind__check_sized(opts, DESIGN_OPTIONS_V1_SIZE, sizeof *opts,
                                         "socind_design_options");
        if (st) return st;
        o->lonely_psu = opts->lonely_psu;
        o->nest = opts->nest;
        if (opts->size >= offsetof(socind_design_options, threads) + sizeof opts->threads)
            o->threads = opts->threads;
    }
    if (o->lonely_psu < SOCIND_LONELY_FAIL || o->lonely_psu > SOCIND_LONELY_CERTAINTY)
        return socind__fail(SOCIND_ERR_ARG, "unknown lonely_psu policy %d", (int)o->lonely_psu);
    if (o->nest != 0 && o->nest != 1)
        return socind__fail(SOCIND_ERR_ARG, "nest must be 0 or 1, got %d", (int)o->nest);
    if (o->threads < 0 || o->threads > SOCIND_MAX_THREADS)
        return socind__fail(SOCIND_ERR_ARG, "threads must be in 0 .. %d, got %d",
                            SOCIND_MAX_THREADS, (int)o->threads);
    return SOCIND_OK;
}

/* ---- socind_design_new's row passes, split over threads ----
 * The rows are cut into contiguous chunks, one a thread (fewer when the rows
 * are few). Pass 1, a thread a chunk: checks the weights and fpc, copies
 * the weights, and numbers the chunk's strata and PSUs in order of first
 * appearance within the chunk (socind__keyset), writing each row's local
 * PSU (or, without a PSU column, local stratum) into row_psu. The merge
 * then numbers them over the whole file: a chunk's key is new when no
 * earlier chunk holds it (the look-ups shared out over the threads), and the new
 * keys of chunk 0, then of chunk 1, …, each chunk's in its local order, take
 * the next ids: the order of first appearance over all rows, whatever the
 * number of chunks (a file sorted by PSU skips the look-ups: "the sorted
 * merge" below). Pass 2, a thread a chunk, maps each row's local id to
 * its final PSU. Every check names the first offending row, the smallest
 * over the chunks, as one pass over the rows would. */

#define CHUNK_MIN_ROWS 32768 /* fewer rows a thread are not worth one */
#define MERGE_MIN_KEYS 65536 /* the merge's steps over fewer keys run on one thread */
#define PREFETCH_ROWS 1024   /* how far ahead pass 1 asks for a PSU's table slot */

SOCIND__TEST_SWITCH_DEFINE(socind__design_chunk_rows);
SOCIND__TEST_SWITCH_DEFINE(socind__groups_always_index);

typedef struct build build;
typedef struct chunk chunk;
struct chunk {
    const build *b;
    void (*task)(chunk *);       /* what the chunk's thread runs */
    size_t lo, hi;               /* rows [lo, hi) */
    socind__keyset strata, psus; /* the chunk's keys; local id = order of first appearance */
    size_t s_room, p_room;       /* length of the arrays below */
    int32_t *s_first;            /* local stratum: its first row */
    uint8_t *s_pos;              /* local stratum: 1 if a row has weight > 0 */
    int32_t *s_map;  /* local stratum: its id in the first chunk holding it, then its id */
    uint8_t *s_src;  /* local stratum: the first chunk holding it */
    int32_t *p_str;  /* local PSU: the local stratum of its first row */
    int32_t *p_end;  /* local PSU: one past its last row in the chunk */
    uint8_t *p_flag; /* local PSU: 1 a row of weight > 0; 2 (merge) its first
                        stratum in the chunk is not its first stratum */
    int32_t *p_map;  /* local PSU: as s_map, then its final (grouped) id */
    uint8_t *p_src;  /* local PSU: the first chunk holding it */
    size_t runs;     /* runs of consecutive rows of one PSU */
    size_t npos;     /* rows of weight > 0 */
    int64_t bad_weight, bad_fpc; /* the first offending row, or −1 */
    int64_t conflict;        /* the first row whose PSU met another stratum first in the chunk */
    int64_t fpc_varies;      /* pass 2: the first row whose fpc is not its stratum's (with a
                                PSU column, among the rows of the chunk's task) */
    int fpc_above1;          /* pass 2: an fpc above 1 (idem) */
    int mismatch;            /* merge: a local PSU of flag 2 */
    size_t p_new;            /* local PSUs no earlier chunk holds */
    int32_t p_base;          /* the id of the first of them */
    int32_t shift;           /* pass 2: local PSU l's final id is shift + l; −1: p_map[l] */
    int split;               /* sorted merge: its first PSU goes on from the previous chunk */
    int grouped;             /* sorted merge: the strata of its new PSUs never decrease */
    int32_t h_first, h_last; /* sorted merge: the strata of its first and last new PSU */
    size_t psu_pos;          /* sorted merge: its new PSUs with a row of weight > 0 */
    int nomem;
    int32_t *count; /* no PSU column: rows of each stratum in the chunk, then where the next goes */
};
struct build {
    size_t n;
    const double *weight, *fpc;
    const int64_t *strata, *psu;
    int nest;
    double *w;        /* the design's weights */
    int32_t *row_psu; /* the design's row_psu: local ids after pass 1 */
    int32_t *psu_stratum;
    int32_t *psu_end;
    const double *fh;     /* each stratum's fpc (its first row's) */
    int32_t *fa;          /* the merge: each PSU's stratum, PSUs by first appearance */
    uint8_t *pos;         /* the merge: 1 for a PSU with a row of weight > 0 */
    const int32_t *renum; /* first-appearance PSU → final PSU, NULL when the same */
    chunk *ch;
    int nch;
    size_t merge_min; /* the fewest keys the merge's steps split over threads */
    int find_strata;  /* the look-ups cover the strata */
    int find_psus;    /* the look-ups cover the PSUs (not in the sorted merge) */
    int32_t *npsu;    /* sorted merge: the design's stratum_npsu */
    uint8_t *str_pos; /* sorted merge: 1 for a stratum with a PSU of weight > 0 */
    size_t *fresh;    /* nch × nch: new PSUs of chunk c in look-up task t */
};

static void chunk_free(chunk *c) {
    socind__keyset_free(&c->strata);
    socind__keyset_free(&c->psus);
    free(c->s_first), free(c->s_pos), free(c->s_map), free(c->s_src);
    free(c->p_str), free(c->p_end), free(c->p_flag), free(c->p_map), free(c->p_src);
    free(c->count);
}

/* the arrays of local strata at least `room` long: 1, or 0 */
static int strata_room(chunk *c, size_t room) {
    if (room <= c->s_room) return 1;
    int32_t *f = realloc(c->s_first, room * sizeof *f);
    if (f) c->s_first = f;
    uint8_t *p = realloc(c->s_pos, room);
    if (p) c->s_pos = p;
    if (!f || !p) return 0;
    c->s_room = room;
    return 1;
}
/* the arrays of local strata (PSUs) as long as their key set: 1, or 0 */
static int grow_strata(chunk *c) {
    return strata_room(c, c->strata.room);
}
static int grow_psus(chunk *c) {
    size_t room = c->psus.room;
    if (room <= c->p_room) return 1;
    int32_t *s = realloc(c->p_str, room * sizeof *s);
    if (s) c->p_str = s;
    int32_t *e = realloc(c->p_end, room * sizeof *e);
    if (e) c->p_end = e;
    uint8_t *f = realloc(c->p_flag, room);
    if (f) c->p_flag = f;
    if (!s || !e || !f) return 0;
    c->p_room = room;
    return 1;
}

static void chunk_part(void *arg, int32_t i) {
    chunk *c = &((build *)arg)->ch[i];
    c->task(c);
}

/* Runs task on every chunk: chunk 0 on the calling thread, the others on
 * threads of their own (socind__parallel: a chunk whose thread cannot be
 * started runs on the calling thread, the result the same, only slower).
 * With `parallel` 0, every chunk on the calling thread (work too small to
 * be worth a thread). */
static void run_chunks(build *b, void (*task)(chunk *), int parallel) {
    for (int i = 0; i < b->nch; i++) b->ch[i].task = task;
    if (parallel) {
        socind__parallel(b->nch, chunk_part, b);
    } else {
        for (int i = 0; i < b->nch; i++) task(&b->ch[i]);
    }
}

/* Rows k, k + 1, … of one run (the stratum value sv and PSU id a, as far
 * as those columns are given), up to hi: their weights copied, id written
 * to row_psu, *npos counting those of weight > 0. Returns the first row
 * not taken: hi, a row of another run, or a row whose weight is not finite
 * and >= 0. */
#define COPY_RUN(same)                                                                             \
    for (; k < hi; k++) {                                                                          \
        double wk = weight[k];                                                                     \
        if (!(wk >= 0.0) || isinf(wk) || !(same)) break;                                           \
        w[k] = wk;                                                                                 \
        row_psu[k] = id;                                                                           \
        np += wk > 0.0;                                                                            \
    }
static size_t copy_run(const build *b, size_t k, size_t hi, int64_t sv, int64_t a, int32_t id,
                       size_t *npos) {
    const double *weight = b->weight;
    const int64_t *strata = b->strata, *psu = b->psu;
    double *w = b->w;
    int32_t *row_psu = b->row_psu;
    size_t np = 0;
    if (strata && psu)
        COPY_RUN(strata[k] == sv && psu[k] == a)
    else if (psu)
        COPY_RUN(psu[k] == a)
    else if (strata)
        COPY_RUN(strata[k] == sv)
    else
        COPY_RUN(1)
    *npos = np;
    return k;
}
#undef COPY_RUN

/* The chunk's key sets and PSU arrays sized before its rows are read, for
 * the strata and PSUs they will likely hold: the runs of the first
 * SAMPLE_ROWS rows scaled to the chunk, and a quarter more, at most a key
 * a row. The first chunk's PSU strata and ends are sized so for the whole
 * file: the sorted merge then writes every chunk's PSUs into them
 * (merge_sorted) rather than into new arrays. Past the guess the arrays
 * grow as before; short of it the rest is address space the rows never
 * touch. At 10^8 rows, 35 a PSU, this spares each chunk's 1.4 million PSUs
 * the copies of arrays doubling in small pages, and the merge 23 MB of
 * fresh memory (bench_design). */
#define SAMPLE_ROWS 65536
static void reserve_keys(chunk *c) {
    const build *b = c->b;
    const int64_t *strata = b->strata, *psu = b->psu;
    const size_t rows = c->hi - c->lo, m = rows < SAMPLE_ROWS ? rows : SAMPLE_ROWS;
    size_t s_runs = 1, p_runs = 1;
    for (size_t k = c->lo + 1; k < c->lo + m; k++) {
        const int other = strata && strata[k] != strata[k - 1];
        s_runs += (size_t)other;
        p_runs += (size_t)(other || (psu && psu[k] != psu[k - 1]));
    }
    /* keys a row: the sample's runs a row, and a quarter more */
    const double s_rate = 1.25 * (double)s_runs / (double)m,
                 p_rate = 1.25 * (double)p_runs / (double)m;
    size_t s_room = (size_t)(s_rate * (double)rows), p_room = (size_t)(p_rate * (double)rows);
    s_room = s_room < rows ? s_room : rows;
    /* the strata's arrays first: the key set's room may not pass theirs */
    if (strata && s_room > c->strata.room && strata_room(c, s_room))
        socind__keyset_reserve(&c->strata, s_room);
    if (!psu) return;
    socind__keyset_reserve(&c->psus, p_room < rows ? p_room : rows);
    size_t room = c->psus.room;
    if (c == b->ch && b->nch > 1) {
        const size_t all = (size_t)(p_rate * (double)b->n);
        room = all < room ? room : all < b->n ? all : b->n;
    }
    if (room <= c->p_room) return;
    int32_t *str = socind__big_alloc(room * sizeof *str);
    int32_t *end = socind__big_alloc(room * sizeof *end);
    uint8_t *flag = socind__big_alloc(room);
    if (!str || !end || !flag) { /* grow_psus takes them as keys come */
        free(str), free(end), free(flag);
        return;
    }
    free(c->p_str), free(c->p_end), free(c->p_flag);
    c->p_str = str;
    c->p_end = end;
    c->p_flag = flag;
    c->p_room = room;
}

/* Pass 1 over a chunk's rows (see above). */
static void pass1(chunk *c) {
    const build *b = c->b;
    const double *weight = b->weight, *fpc = b->fpc;
    const int64_t *strata = b->strata, *psu = b->psu;
    const int nest = b->nest;
    int32_t ls = -1, lp = -1;
    int64_t last_s = 0, last_a = 0;
    size_t npos = 0, runs = 0, k;
    if (!socind__keyset_init(&c->strata, 0) || !grow_strata(c) ||
        (psu && (!socind__keyset_init(&c->psus, nest) || !grow_psus(c)))) {
        c->nomem = 1;
        return;
    }
    reserve_keys(c);
    if (fpc)
        for (k = c->lo; k < c->hi; k++)
            if (!(fpc[k] > 0.0) || isinf(fpc[k])) {
                c->bad_fpc = (int64_t)k;
                break;
            }
    for (k = c->lo; k < c->hi;) {
        double wk = weight[k];
        if (!(wk >= 0.0) || isinf(wk)) {
            c->bad_weight = (int64_t)k;
            break;
        }
        int64_t sv = strata ? strata[k] : 0, a = psu ? psu[k] : 0;
        int new_stratum = ls < 0 || sv != last_s;
        if (new_stratum) {
            int added;
            int32_t id = socind__keyset_put(&c->strata, sv, 0, &added);
            if (id < 0 || !grow_strata(c)) {
                c->nomem = 1;
                break;
            }
            if (added) {
                c->s_first[id] = (int32_t)k;
                c->s_pos[id] = 0;
            }
            ls = id;
            last_s = sv;
        }
        if (psu && (lp < 0 || a != last_a || new_stratum)) {
            runs++;
            /* the table slot of a PSU some rows ahead, to be in cache when
               its run starts (ids out of order: one cache miss a PSU) */
            if (c->psus.cap && k + PREFETCH_ROWS < c->hi)
                socind__keyset_prefetch(&c->psus, psu[k + PREFETCH_ROWS],
                                        nest && strata ? strata[k + PREFETCH_ROWS] : 0);
            int added;
            int32_t id = socind__keyset_put(&c->psus, a, nest ? sv : 0, &added);
            if (id < 0 || !grow_psus(c)) {
                c->nomem = 1;
                break;
            }
            if (added) {
                c->p_str[id] = ls;
                c->p_flag[id] = 0;
            } else if (!nest && c->p_str[id] != ls && c->conflict < 0) {
                c->conflict = (int64_t)k;
            }
            lp = id;
            last_a = a;
        }
        size_t np, end = copy_run(b, k, c->hi, sv, a, psu ? lp : ls, &np);
        npos += np;
        if (psu) {
            c->p_end[lp] = (int32_t)end;
            if (np) c->p_flag[lp] |= 1;
        } else if (np) {
            c->s_pos[ls] = 1;
        }
        k = end;
    }
    c->npos = npos;
    c->runs = runs;
}

/* For each local key of set `which` (0 strata, 1 PSUs) of chunk c, keys
 * [from, to): the first chunk holding it (src) and its local id there (map).
 * Returns how many of them no earlier chunk holds. */
static size_t find_sources(chunk *c, int which, size_t from, size_t to) {
    const build *b = c->b;
    const int me = (int)(c - b->ch);
    const socind__keyset *s = which ? &c->psus : &c->strata;
    int32_t *map = which ? c->p_map : c->s_map;
    uint8_t *src = which ? c->p_src : c->s_src;
    size_t fresh = 0;
    for (size_t l = from; l < to; l++) {
        int64_t a = s->k1[l], bb = s->k2 ? s->k2[l] : 0;
        int32_t id = -1;
        int j = 0;
        for (; j < me; j++) {
            const chunk *e = &b->ch[j];
            if ((id = socind__keyset_find(which ? &e->psus : &e->strata, a, bb)) >= 0) break;
        }
        src[l] = (uint8_t)j;
        map[l] = id >= 0 ? id : (int32_t)l;
        fresh += id < 0;
    }
    return fresh;
}
/* Task t of the look-ups: the t-th slice of every chunk's keys, so that the
 * threads share the work (chunk c looks in the c chunks before it); the new
 * PSUs of chunk c's slice counted in b->fresh[c·T + t]. */
static void find_slices(chunk *t) {
    const build *b = t->b;
    const size_t i = (size_t)(t - b->ch), T = (size_t)b->nch;
    for (int c = 0; c < b->nch; c++) {
        chunk *e = &b->ch[c];
        size_t m = e->strata.count;
        if (b->find_strata) find_sources(e, 0, m * i / T, m * (i + 1) / T);
        if (!b->find_psus) continue;
        m = e->psus.count;
        b->fresh[(size_t)c * T + i] = find_sources(e, 1, m * i / T, m * (i + 1) / T);
    }
}

/* The merge, a thread a chunk: ids for the PSUs first met in the chunk
 * (from p_base on, in local order), with their stratum and weight flag. */
static void number_new_psus(chunk *c) {
    const build *b = c->b;
    const uint8_t me = (uint8_t)(c - b->ch);
    int32_t g = c->p_base;
    for (size_t l = 0; l < c->psus.count; l++) {
        if (c->p_src[l] != me) continue;
        c->p_map[l] = g;
        b->fa[g] = c->s_map[c->p_str[l]];
        b->pos[g] = c->p_flag[l] & 1;
        g++;
    }
}

/* Pass 2 with a PSU column, a thread a chunk: the final id of each local
 * PSU, and where each PSU ends (when each is one run: the chunk whose rows
 * hold its end writes it); c->shift when the final ids are the local ones
 * plus a constant. */
static void pass2_maps(chunk *c) {
    const build *b = c->b;
    int32_t *map = c->p_map;
    const size_t m = c->psus.count;
    if (b->renum)
        for (size_t l = 0; l < m; l++) map[l] = b->renum[map[l]];
    if (b->psu_end) {
        /* the chunk's last PSU, when its rows go on into the next chunk */
        int32_t skip = -1;
        size_t hi = c->hi;
        if (hi < b->n && b->psu[hi] == b->psu[hi - 1] &&
            (!b->nest || !b->strata || b->strata[hi] == b->strata[hi - 1]))
            skip = b->row_psu[hi - 1];
        for (size_t l = 0; l < m; l++)
            if ((int32_t)l != skip) b->psu_end[map[l]] = c->p_end[l];
    }
    /* nothing to rewrite when each local id is already the final one (one
       chunk, or the first, of a file sorted by stratum) and no fpc to check;
       an add when the final ids follow the local ones */
    const int32_t sh = m ? map[0] : 0;
    size_t l = 0;
    while (l < m && map[l] == (int32_t)l + sh) l++;
    c->shift = l == m ? sh : -1;
}

/* 1 when pass 2 rewrites chunk c's rows: their ids change (a shift other
 * than 0, or a map), or their fpc is to be checked. */
static int rewrites(const build *b, const chunk *c) {
    return c->shift != 0 || b->fpc;
}

/* row_psu[k] += sh for rows [lo, hi), in blocks the compiler turns into
 * vector adds */
static void shift_rows(int32_t *row_psu, size_t lo, size_t hi, int32_t sh) {
    size_t k = lo;
    for (; k + 16 <= hi; k += 16)
        for (int j = 0; j < 16; j++) row_psu[k + (size_t)j] += sh;
    for (; k < hi; k++) row_psu[k] += sh;
}

/* Pass 2 with a PSU column, task t: the t-th share of the rows to rewrite
 * (those of the chunks to rewrite, one after another): each row's final
 * PSU, and its fpc against its stratum's (the first row that differs in
 * the share, in t->fpc_varies). */
static void pass2_rows(chunk *t) {
    const build *b = t->b;
    int32_t *row_psu = b->row_psu;
    const size_t T = (size_t)b->nch, i = (size_t)(t - b->ch);
    size_t total = 0;
    for (int c = 0; c < b->nch; c++)
        if (rewrites(b, &b->ch[c])) total += b->ch[c].hi - b->ch[c].lo;
    const size_t from = total * i / T, to = total * (i + 1) / T;
    size_t off = 0; /* where chunk c's rows start among the rows to rewrite */
    for (int c = 0; c < b->nch && off < to; c++) {
        const chunk *e = &b->ch[c];
        if (!rewrites(b, e)) continue;
        size_t len = e->hi - e->lo;
        size_t a = from > off ? from - off : 0, z = to - off < len ? to - off : len;
        off += len;
        if (a >= z) continue;
        const int32_t *map = e->p_map, sh = e->shift;
        if (!b->fpc && sh >= 0) {
            shift_rows(row_psu, e->lo + a, e->lo + z, sh);
            continue;
        }
        if (!b->fpc) {
            for (size_t k = e->lo + a; k < e->lo + z; k++) row_psu[k] = map[row_psu[k]];
            continue;
        }
        for (size_t k = e->lo + a; k < e->lo + z; k++) {
            int32_t p = sh >= 0 ? row_psu[k] + sh : map[row_psu[k]];
            row_psu[k] = p;
            double f = b->fpc[k];
            if (t->fpc_varies < 0 && f != b->fh[b->psu_stratum[p]]) t->fpc_varies = (int64_t)k;
            t->fpc_above1 |= f > 1.0;
        }
    }
}

/* Pass 2 without a PSU column: each row's stratum; its fpc; and with
 * c->count, the rows of each stratum in the chunk. */
static void pass2_strata(chunk *c) {
    const build *b = c->b;
    int32_t *row_psu = b->row_psu, *count = c->count;
    const int32_t *map = c->s_map;
    for (size_t k = c->lo; k < c->hi; k++) {
        int32_t h = map[row_psu[k]];
        row_psu[k] = h;
        if (count) count[h]++;
        if (b->fpc) {
            double f = b->fpc[k];
            if (c->fpc_varies < 0 && f != b->fh[h]) c->fpc_varies = (int64_t)k;
            c->fpc_above1 |= f > 1.0;
        }
    }
}

/* Pass 3 without a PSU column: every row its own PSU, numbered within its
 * stratum in row order (count[h]: the id of the chunk's next row of h). */
static void pass3_rows(chunk *c) {
    const build *b = c->b;
    int32_t *row_psu = b->row_psu, *count = c->count;
    for (size_t k = c->lo; k < c->hi; k++) {
        int32_t h = row_psu[k], r = count[h]++;
        row_psu[k] = r;
        b->psu_stratum[r] = h;
        b->psu_end[r] = (int32_t)k + 1;
    }
}

/* The strata over the whole file (the merge): d->stratum_id, d->nstrata,
 * each chunk's s_map turned to global ids, *first_row (each stratum's
 * first row) and, for designs without a PSU column, *pos (a row of weight
 * > 0 in the stratum). */
static int32_t merge_strata(socind_design *d, build *b, int32_t **first_row, uint8_t **pos) {
    size_t total = 0, H = 0;
    for (int i = 0; i < b->nch; i++) total += b->ch[i].strata.count;
    d->stratum_id = malloc(total * sizeof *d->stratum_id);
    *first_row = malloc(total * sizeof **first_row);
    *pos = calloc(total, 1);
    if (!d->stratum_id || !*first_row || !*pos) return SOCIND_ERR_NOMEM;
    for (int i = 0; i < b->nch; i++) {
        chunk *c = &b->ch[i];
        for (size_t l = 0; l < c->strata.count; l++) {
            int32_t g;
            if (c->s_src[l] == i) {
                g = (int32_t)H++;
                d->stratum_id[g] = c->strata.k1[l];
                (*first_row)[g] = c->s_first[l];
            } else {
                g = b->ch[c->s_src[l]].s_map[c->s_map[l]];
            }
            c->s_map[l] = g;
            (*pos)[g] |= c->s_pos[l];
        }
    }
    d->nstrata = H;
    int64_t *t = realloc(d->stratum_id, H * sizeof *t);
    if (t) d->stratum_id = t;
    return SOCIND_OK;
}

/* The merge, a thread a chunk: the ids of the PSUs an earlier chunk met
 * first (final there once number_new_psus has run), their weight flag, and
 * whether their first stratum in this chunk is their first (always, with
 * nest; else flag 2 and c->mismatch). */
static void resolve_known_psus(chunk *c) {
    const build *b = c->b;
    const uint8_t me = (uint8_t)(c - b->ch);
    if (me == 0) return; /* the first chunk's PSUs are all new */
    for (size_t l = 0; l < c->psus.count; l++) {
        if (c->p_src[l] == me) continue;
        int32_t g = b->ch[c->p_src[l]].p_map[c->p_map[l]];
        c->p_map[l] = g;
        /* other chunks may set the same PSU's flag: an atomic store */
        if (c->p_flag[l] & 1) __atomic_store_n(&b->pos[g], (uint8_t)1, __ATOMIC_RELAXED);
        if (b->fa[g] != c->s_map[c->p_str[l]]) {
            c->p_flag[l] |= 2;
            c->mismatch = 1;
        }
    }
}

/* The PSUs over the whole file (the merge), grouped by stratum: npsu,
 * psu_stratum, stratum_npsu, df, psu_end allocated when each PSU's rows are
 * one run, b->renum; or SOCIND_ERR_NESTING naming the first row whose PSU
 * met another stratum first. */
static int32_t merge_psus(socind_design *d, build *b, int32_t **renum_out) {
    size_t P = 0;
    const size_t H = d->nstrata;
    for (int i = 0; i < b->nch; i++) {
        b->ch[i].p_base = (int32_t)P;
        P += b->ch[i].p_new;
    }
    /* PSU-sized arrays on huge pages where offered (fewer first-touch faults) */
    int32_t *fa = socind__big_alloc((P ? P : 1) * sizeof *fa); /* first-appearance PSU → stratum */
    uint8_t *pos = socind__big_alloc(P ? P : 1);
    int32_t *renum = NULL, *fill = NULL;
    int32_t status = SOCIND_ERR_NOMEM;
    if (!fa || !pos) goto done;
    b->fa = fa;
    b->pos = pos;
    run_chunks(b, number_new_psus, P >= b->merge_min);
    run_chunks(b, resolve_known_psus, P >= b->merge_min);
    /* the first row whose stratum is not its PSU's first: in the first chunk
       with one, a row with a conflict within the chunk, or the first row of
       a PSU whose first stratum in the chunk was not its first */
    for (int i = 0; i < b->nch; i++) {
        chunk *c = &b->ch[i];
        int64_t row = c->conflict;
        if (c->mismatch) {
            size_t end = row >= 0 ? (size_t)row : c->hi;
            for (size_t k = c->lo; k < end; k++)
                if (c->p_flag[b->row_psu[k]] & 2) {
                    row = (int64_t)k;
                    break;
                }
        }
        if (row < 0) continue;
        size_t k = (size_t)row;
        int32_t g = c->p_map[b->row_psu[k]];
        status = socind__fail_row(SOCIND_ERR_NESTING, k,
                                  "PSU %lld occurs in strata %lld and %lld (row %zu); PSU ids "
                                  "must be unique across strata, or set nest = 1",
                                  (long long)b->psu[k], (long long)d->stratum_id[fa[g]],
                                  (long long)b->strata[k], k);
        goto done;
    }
    d->npsu = P;
    /* the PSUs of a stratum contiguous, each stratum's in order of first
       appearance: when the strata of the PSUs never decrease (a file sorted
       by stratum), that is their order already */
    d->stratum_npsu = calloc(H, sizeof *d->stratum_npsu);
    fill = calloc(H + 1, sizeof *fill);
    if (!d->stratum_npsu || !fill) goto done;
    /* with the degrees of freedom: PSUs and strata with a row of weight > 0 */
    int grouped = 1;
    size_t psu_pos = 0, str_pos = 0;
    for (size_t p = 0; p < P; p++) {
        int32_t h = fa[p];
        d->stratum_npsu[h]++;
        if (p > 0 && h < fa[p - 1]) grouped = 0;
        if (!pos[p]) continue;
        psu_pos++;
        str_pos += !fill[h];
        fill[h] = 1;
    }
    d->df = (double)psu_pos - (double)str_pos;
    if (grouped) {
        d->psu_stratum = fa;
        fa = NULL;
    } else {
        d->psu_stratum = socind__big_alloc((P ? P : 1) * sizeof *d->psu_stratum);
        renum = socind__big_alloc((P ? P : 1) * sizeof *renum);
        if (!d->psu_stratum || !renum) goto done;
        fill[0] = 0;
        for (size_t h = 0; h < H; h++) fill[h + 1] = fill[h] + d->stratum_npsu[h];
        for (size_t p = 0; p < P; p++) {
            int32_t h = fa[p];
            renum[p] = fill[h]++;
            d->psu_stratum[renum[p]] = h;
        }
    }
    /* runs of one PSU: those of the chunks, less the PSUs cut by a chunk's start */
    size_t runs = 0;
    for (int i = 0; i < b->nch; i++) {
        const chunk *c = &b->ch[i];
        runs += c->runs;
        if (i > 0 && b->psu[c->lo] == b->psu[c->lo - 1] &&
            (!b->nest || !b->strata || b->strata[c->lo] == b->strata[c->lo - 1]))
            runs--;
    }
    if (runs == P) { /* each PSU's rows are one run: pass 2 writes where each ends */
        d->psu_end = socind__big_alloc((P ? P : 1) * sizeof *d->psu_end);
        if (!d->psu_end) goto done;
    }
    *renum_out = renum;
    renum = NULL;
    status = SOCIND_OK;
done:
    b->fa = NULL;
    b->pos = NULL;
    free(fa);
    free(pos);
    free(renum);
    free(fill);
    return status;
}

/* ---- the sorted merge ----
 * When each chunk's PSUs came in increasing key order (the keyset's sorted
 * prefix holds them all), each PSU as one run, and each chunk's first key
 * comes after the previous chunk's last or is that key (a PSU going on over
 * the cut), no chunk holds a PSU of another but those cut: chunk c's new
 * PSUs are its local ones from split_c on, local PSU l's id in order of
 * first appearance is base_c + l − split_c, with base_c the new PSUs of
 * the chunks before it. No look-ups then, no arrays of ids: one task a
 * chunk writes each new PSU's stratum and end and counts the strata's PSUs,
 * and each row's id takes an add. Files sorted by PSU (the usual survey
 * file) go this way; when their PSUs' strata decrease somewhere (PSUs not
 * grouped by stratum: a renumbering) the general merge takes over. */

/* 1 when the chunks qualify (see above), with each one's split and shift. */
static int sorted_plan(build *b) {
    int32_t base = 0;
    for (int i = 0; i < b->nch; i++) {
        chunk *c = &b->ch[i];
        const socind__keyset *s = &c->psus;
        const size_t m = s->count;
        if (m == 0 || s->sorted != m || c->runs != m || c->conflict >= 0) return 0;
        c->split = 0;
        if (i > 0) {
            const socind__keyset *e = &b->ch[i - 1].psus;
            const size_t last = e->count - 1;
            const int64_t a = s->k1[0], k2 = s->k2 ? s->k2[0] : 0;
            if (a == e->k1[last] && k2 == (e->k2 ? e->k2[last] : 0)) {
                /* the PSU over the cut in one stratum (with nest, its key's) */
                if (!b->nest && b->strata && b->strata[c->lo] != b->strata[c->lo - 1]) return 0;
                c->split = 1;
            } else if (!socind__keyset_after(e, last, a, k2)) {
                return 0;
            }
        }
        c->shift = base - c->split;
        base += (int32_t)m - c->split;
    }
    return 1;
}

/* The sorted merge, a thread a chunk: each new PSU's stratum (b->fa) and
 * end, the PSUs counted into their strata and those of weight > 0 marked;
 * whether the strata never decrease. The chunk's last PSU, when it goes on
 * into the next chunks, takes its end and weight flag from them too. */
static void sorted_psus(chunk *c) {
    const build *b = c->b;
    const int me = (int)(c - b->ch);
    const size_t m = c->psus.count, first = (size_t)c->split;
    const int32_t *p_str = c->p_str, *s_map = c->s_map;
    int32_t *fa = b->fa, *end = b->psu_end;
    int32_t prev = -1, run_h = -1, run_n = 0;
    size_t npos = 0;
    int grouped = 1;
    for (size_t l = first; l < m; l++) {
        const size_t g = (size_t)c->shift + l;
        const int32_t h = s_map[p_str[l]];
        int flag = c->p_flag[l] & 1;
        int32_t e = c->p_end[l];
        for (int j = me + 1; l == m - 1 && j < b->nch && b->ch[j].split; j++) {
            flag |= b->ch[j].p_flag[0] & 1;
            e = b->ch[j].p_end[0];
            if (b->ch[j].psus.count != 1) break;
        }
        fa[g] = h;
        end[g] = e;
        grouped &= h >= prev;
        prev = h;
        if (flag) {
            npos++;
            /* other chunks may mark the same stratum: an atomic store */
            __atomic_store_n(&b->str_pos[h], (uint8_t)1, __ATOMIC_RELAXED);
        }
        if (h != run_h) {
            if (run_n) __atomic_fetch_add(&b->npsu[run_h], run_n, __ATOMIC_RELAXED);
            run_h = h;
            run_n = 0;
        }
        run_n++;
    }
    if (run_n) __atomic_fetch_add(&b->npsu[run_h], run_n, __ATOMIC_RELAXED);
    c->grouped = grouped;
    c->h_first = first < m ? fa[(size_t)c->shift + first] : -1;
    c->h_last = prev;
    c->psu_pos = npos;
}

/* The PSUs over the file by the sorted merge: as merge_psus gives them when
 * they are grouped by stratum (each PSU one run: psu_end too); 1, nothing
 * kept, when they are not. When the first chunk's arrays of its PSUs'
 * strata and ends have room for every PSU (always with one chunk; with
 * several, when reserve_keys guessed enough) they become the design's: the
 * first chunk's entries are written in place (its PSUs' ids and its
 * strata's are already the final ones: the same values, but for its last
 * PSU's end when that PSU goes on into the next chunk, a value the general
 * merge never reads from it), each other chunk writing, and so first
 * touching, its own share after them; no other array a PSU. Else the
 * design's arrays are new, each chunk writing its share. */
static int32_t merge_sorted(socind_design *d, build *b) {
    const size_t H = d->nstrata;
    chunk *c0 = &b->ch[0];
    const chunk *z = &b->ch[b->nch - 1];
    const size_t P = (size_t)z->shift + z->psus.count;
    const int own = c0->p_room >= P;
    int32_t *fa = own ? c0->p_str : socind__big_alloc(P * sizeof *fa);
    int32_t *end = own ? c0->p_end : socind__big_alloc(P * sizeof *end);
    uint8_t *str_pos = calloc(H, 1);
    d->stratum_npsu = calloc(H, sizeof *d->stratum_npsu);
    if (!fa || !end || !str_pos || !d->stratum_npsu) {
        if (!own) free(fa), free(end);
        free(str_pos);
        return SOCIND_ERR_NOMEM;
    }
    b->fa = fa;
    b->psu_end = end;
    b->npsu = d->stratum_npsu;
    b->str_pos = str_pos;
    run_chunks(b, sorted_psus, P >= b->merge_min);
    b->fa = NULL;
    b->psu_end = NULL;
    b->npsu = NULL;
    b->str_pos = NULL;
    int grouped = 1;
    int32_t last = -1;
    size_t psu_pos = 0, strata_pos = 0;
    for (int i = 0; i < b->nch; i++) {
        const chunk *c = &b->ch[i];
        if (c->h_first < 0) continue;
        grouped &= c->grouped && c->h_first >= last;
        last = c->h_last;
        psu_pos += c->psu_pos;
    }
    for (size_t h = 0; h < H; h++) strata_pos += str_pos[h];
    free(str_pos);
    if (!grouped) {
        free(d->stratum_npsu);
        d->stratum_npsu = NULL;
        if (!own) free(fa), free(end);
        return 1;
    }
    d->npsu = P;
    d->df = (double)psu_pos - (double)strata_pos;
    if (own) {
        if (c0->p_room > P) { /* room left by the arrays' growth: given back */
            int32_t *t = realloc(c0->p_str, P * sizeof *t);
            if (t) fa = t;
            if ((t = realloc(c0->p_end, P * sizeof *t))) end = t;
        }
        c0->p_str = NULL;
        c0->p_end = NULL;
    }
    d->psu_stratum = fa;
    d->psu_end = end;
    return SOCIND_OK;
}

/* A key set's look-up arrays (map, src: `count` entries, at least one),
 * on huge pages where offered when `big`: 1, or 0 out of memory. */
static int lookup_arrays(size_t count, int big, int32_t **map, uint8_t **src) {
    const size_t m = count ? count : 1;
    *map = big ? socind__big_alloc(m * sizeof **map) : malloc(m * sizeof **map);
    *src = big ? socind__big_alloc(m) : malloc(m);
    return *map && *src;
}

/* The look-ups b->find_strata and b->find_psus ask for (find_slices), with
 * the arrays they fill; then each chunk's new PSUs counted, and the tables
 * no longer needed dropped. */
static int32_t look_up(build *b) {
    size_t keys = 0;
    for (int i = 0; i < b->nch; i++) {
        chunk *c = &b->ch[i];
        if (b->find_strata && !lookup_arrays(c->strata.count, 0, &c->s_map, &c->s_src))
            return SOCIND_ERR_NOMEM;
        if (b->find_psus && !lookup_arrays(c->psus.count, 1, &c->p_map, &c->p_src))
            return SOCIND_ERR_NOMEM;
        keys += (b->find_strata ? c->strata.count : 0) + (b->find_psus ? c->psus.count : 0);
    }
    if (!b->fresh) b->fresh = calloc((size_t)b->nch * (size_t)b->nch, sizeof *b->fresh);
    if (!b->fresh) return SOCIND_ERR_NOMEM;
    run_chunks(b, find_slices, keys >= b->merge_min);
    for (int i = 0; i < b->nch; i++) {
        chunk *c = &b->ch[i];
        if (b->find_strata) socind__keyset_drop_table(&c->strata);
        if (!b->find_psus) continue;
        socind__keyset_drop_table(&c->psus);
        for (int t = 0; t < b->nch; t++)
            c->p_new += b->fresh[(size_t)i * (size_t)b->nch + (size_t)t];
    }
    return SOCIND_OK;
}

/* Without a PSU column: every row a PSU, numbered within its stratum in
 * row order (psu_stratum, psu_end: n each), and df. */
static int32_t rows_as_psus(socind_design *d, build *b, const uint8_t *str_pos) {
    const size_t n = d->n, H = d->nstrata;
    d->npsu = n;
    d->stratum_npsu = calloc(H, sizeof *d->stratum_npsu);
    d->psu_stratum = socind__big_alloc(n * sizeof *d->psu_stratum);
    d->psu_end = socind__big_alloc(n * sizeof *d->psu_end);
    if (!d->stratum_npsu || !d->psu_stratum || !d->psu_end) return SOCIND_ERR_NOMEM;
    /* a count of each stratum's rows per chunk when those counts are small
       beside the rows, else one count in one pass */
    int split = b->nch > 1 && (size_t)b->nch * H <= n / 4;
    for (int i = 0; split && i < b->nch; i++)
        if (!(b->ch[i].count = calloc(H, sizeof *b->ch[i].count))) return SOCIND_ERR_NOMEM;
    run_chunks(b, pass2_strata, 1);
    size_t npos = 0, hpos = 0;
    for (int i = 0; i < b->nch; i++) npos += b->ch[i].npos;
    for (size_t h = 0; h < H; h++) hpos += str_pos[h];
    d->df = (double)npos - (double)hpos;
    if (split) {
        int32_t start = 0;
        for (size_t h = 0; h < H; h++) {
            for (int i = 0; i < b->nch; i++) {
                int32_t m = b->ch[i].count[h];
                b->ch[i].count[h] = start;
                start += m;
                d->stratum_npsu[h] += m;
            }
        }
        return SOCIND_OK; /* pass 3 after the fpc checks */
    }
    for (size_t k = 0; k < n; k++) d->stratum_npsu[b->row_psu[k]]++;
    return SOCIND_OK;
}

/* Pass 3 without a PSU column, once the fpc checks passed. */
static int32_t number_rows(socind_design *d, build *b) {
    if (b->ch[0].count) {
        run_chunks(b, pass3_rows, 1);
        return SOCIND_OK;
    }
    const size_t H = d->nstrata;
    int32_t *next = malloc(H * sizeof *next);
    if (!next) return SOCIND_ERR_NOMEM;
    int32_t start = 0;
    for (size_t h = 0; h < H; h++) {
        next[h] = start;
        start += d->stratum_npsu[h];
    }
    for (size_t k = 0; k < d->n; k++) {
        int32_t h = d->row_psu[k], r = next[h]++;
        d->row_psu[k] = r;
        d->psu_stratum[r] = h;
        d->psu_end[r] = (int32_t)k + 1;
    }
    free(next);
    return SOCIND_OK;
}

/* The sampling fraction f_h of each stratum (d->stratum_f, zero without
 * fpc): fpc must be constant within a stratum; the values are fractions
 * when every one is <= 1, else population PSU counts N_h >= n_h. */
static int32_t sampling_fractions(socind_design *d, const build *b, const double *fh) {
    const size_t H = d->nstrata;
    d->stratum_f = calloc(H, sizeof *d->stratum_f);
    if (!d->stratum_f) return SOCIND_ERR_NOMEM;
    if (!b->fpc) return SOCIND_OK;
    int all_le1 = 1;
    for (int i = 0; i < b->nch; i++) {
        const chunk *c = &b->ch[i];
        if (c->fpc_varies >= 0) {
            size_t k = (size_t)c->fpc_varies;
            /* without a PSU column row_psu still holds the row's stratum */
            int32_t h = d->has_psu ? d->psu_stratum[d->row_psu[k]] : d->row_psu[k];
            return socind__fail_row(SOCIND_ERR_FPC, k,
                                    "fpc is not constant within stratum %lld (row %zu: %g, "
                                    "earlier %g)",
                                    (long long)d->stratum_id[h], k, b->fpc[k], fh[h]);
        }
        if (c->fpc_above1) all_le1 = 0;
    }
    for (size_t h = 0; h < H; h++) {
        double nh = (double)d->stratum_npsu[h];
        if (all_le1) {
            d->stratum_f[h] = fh[h];
        } else if (fh[h] < nh) {
            return socind__fail(SOCIND_ERR_FPC,
                                "stratum %lld: population PSU count %g is below the "
                                "%g sampled PSUs",
                                (long long)d->stratum_id[h], fh[h], nh);
        } else {
            d->stratum_f[h] = nh / fh[h];
        }
    }
    return SOCIND_OK;
}

/* Each stratum's variance factor (d->stratum_scale): (1 − f_h)·n_h/(n_h − 1),
 * or 1 − f_h for a stratum with one PSU, which the policy FAIL refuses
 * (naming the stratum's first row) unless that PSU is the stratum's whole
 * population (f_h = 1: a certainty PSU, factor 0, not lonely — R's survey
 * marks a single PSU lonely only when N_h > 1). */
static int32_t stratum_scales(socind_design *d, const int32_t *first_row) {
    const size_t H = d->nstrata;
    d->stratum_scale = calloc(H, sizeof *d->stratum_scale);
    if (!d->stratum_scale) return SOCIND_ERR_NOMEM;
    for (size_t h = 0; h < H; h++) {
        double nh = (double)d->stratum_npsu[h];
        double f = d->stratum_f[h];
        if (d->stratum_npsu[h] >= 2) {
            d->stratum_scale[h] = (1.0 - f) * nh / (nh - 1.0);
            continue;
        }
        if (d->lonely_psu == SOCIND_LONELY_FAIL && socind__stratum_lonely(d, h))
            return socind__fail_row(SOCIND_ERR_LONELY_PSU, (size_t)first_row[h],
                                    "stratum %lld has only one PSU; choose a lonely-PSU "
                                    "policy (remove, adjust, average, certainty)",
                                    (long long)d->stratum_id[h]);
        d->stratum_scale[h] = 1.0 - f;
    }
    return SOCIND_OK;
}

/* The first row of the chunks' `field` (−1 if none): the smallest, as the
 * chunks are in row order. */
static int64_t first_row_of(const build *b, size_t offset) {
    for (int i = 0; i < b->nch; i++) {
        int64_t r = *(const int64_t *)((const char *)&b->ch[i] + offset);
        if (r >= 0) return r;
    }
    return -1;
}

/* Everything after the options: d is allocated, n/has_psu/... are set. */
static int32_t build_design(socind_design *d, build *b) {
    const size_t n = b->n;
    int32_t *first_row = NULL;
    uint8_t *str_pos = NULL;
    double *fh = NULL;
    int32_t status = SOCIND_OK;
    for (int i = 0; i < b->nch; i++) {
        chunk *c = &b->ch[i];
        c->b = b;
        c->lo = socind__part_start(n, i, b->nch);
        c->hi = socind__part_start(n, i + 1, b->nch);
        c->bad_weight = c->bad_fpc = c->conflict = c->fpc_varies = -1;
    }
    run_chunks(b, pass1, 1);
    for (int i = 0; i < b->nch; i++)
        if (b->ch[i].nomem) return SOCIND_ERR_NOMEM;
    int64_t row = first_row_of(b, offsetof(chunk, bad_weight));
    if (row >= 0) {
        size_t k = (size_t)row;
        return socind__fail_row(SOCIND_ERR_WEIGHT, k,
                                "weight[%zu] is %g; weights must be finite and >= 0", k,
                                b->weight[k]);
    }
    size_t npos = 0;
    for (int i = 0; i < b->nch; i++) npos += b->ch[i].npos;
    if (npos == 0) return socind__fail(SOCIND_ERR_ZERO_WEIGHTS, "all %zu weights are zero", n);
    if ((row = first_row_of(b, offsetof(chunk, bad_fpc))) >= 0) {
        size_t k = (size_t)row;
        return socind__fail_row(SOCIND_ERR_FPC, k, "fpc[%zu] is %g; fpc must be finite and > 0", k,
                                b->fpc[k]);
    }
    const int sorted = b->psu && sorted_plan(b);
    b->find_strata = 1;
    b->find_psus = b->psu && !sorted;
    if ((status = look_up(b))) return status;
    status = merge_strata(d, b, &first_row, &str_pos);
    if (!status && b->fpc) {
        fh = malloc(d->nstrata * sizeof *fh);
        if (!fh) status = SOCIND_ERR_NOMEM;
        for (size_t h = 0; !status && h < d->nstrata; h++) fh[h] = b->fpc[first_row[h]];
        b->fh = fh;
    }
    if (!status && b->psu) {
        int32_t *renum = NULL;
        status = sorted ? merge_sorted(d, b) : 1;
        if (status == 1) { /* the general merge, after the PSUs' look-ups */
            status = SOCIND_OK;
            if (!b->find_psus) {
                b->find_strata = 0;
                b->find_psus = 1;
                status = look_up(b);
            }
            if (!status) status = merge_psus(d, b, &renum);
        }
        b->psu_stratum = d->psu_stratum;
        b->psu_end = d->psu_end;
        b->renum = renum;
        /* (the sorted merge wrote the ends, and its shifts are sorted_plan's) */
        if (!status && b->find_psus) run_chunks(b, pass2_maps, d->npsu >= b->merge_min);
        if (!status) run_chunks(b, pass2_rows, 1);
        free(renum);
    } else if (!status) {
        b->psu_stratum = NULL;
        status = rows_as_psus(d, b, str_pos);
    }
    if (!status) status = sampling_fractions(d, b, fh);
    if (!status && !b->psu) {
        b->psu_stratum = d->psu_stratum;
        b->psu_end = d->psu_end;
        status = number_rows(d, b);
    }
    if (!status) status = stratum_scales(d, first_row);
    free(first_row);
    free(str_pos);
    free(fh);
    return status;
}

int32_t socind_design_new(size_t n, const double *weight, const int64_t *strata, const int64_t *psu,
                          const double *fpc, const socind_design_options *opts,
                          socind_design **out) {
    socind__clear_detail();
    if (!out) return socind__fail(SOCIND_ERR_NULL, "out is NULL");
    *out = NULL;
    if (!weight) return socind__fail(SOCIND_ERR_NULL, "weight is NULL");
    if (n == 0) return socind__fail(SOCIND_ERR_EMPTY, "n is 0");
    if (n > (size_t)INT32_MAX)
        return socind__fail(SOCIND_ERR_RANGE, "n = %zu exceeds the supported 2^31 - 1 rows", n);
    socind_design_options o;
    int32_t status = resolve_design_options(opts, &o);
    if (status) return status;

    size_t min_rows =
        socind__design_chunk_rows > 0 ? (size_t)socind__design_chunk_rows : CHUNK_MIN_ROWS;
    const size_t nch = (size_t)socind__threads_over(o.threads, n, min_rows);
    build b = {.n = n,
               .weight = weight,
               .fpc = fpc,
               .strata = strata,
               .psu = psu,
               .nest = o.nest,
               .nch = (int)nch,
               .merge_min = socind__design_chunk_rows > 0 ? 0 : MERGE_MIN_KEYS};
    socind_design *d = calloc(1, sizeof *d);
    b.ch = calloc(nch, sizeof *b.ch);
    if (d) {
        d->w = socind__big_alloc(n * sizeof *d->w);
        d->row_psu = socind__big_alloc(n * sizeof *d->row_psu);
    }
    status = d && b.ch && d->w && d->row_psu ? SOCIND_OK : SOCIND_ERR_NOMEM;
    if (!status) {
        d->n = n;
        d->lonely_psu = o.lonely_psu;
        d->has_psu = psu != NULL;
        d->has_strata = strata != NULL;
        b.w = d->w;
        b.row_psu = d->row_psu;
        status = build_design(d, &b);
    }
    for (size_t i = 0; b.ch && i < nch; i++) chunk_free(&b.ch[i]);
    free(b.ch);
    free(b.fresh);
    if (status) {
        if (status == SOCIND_ERR_NOMEM)
            socind__fail(SOCIND_ERR_NOMEM, "allocation failed building the design");
        socind_design_free(d);
        return status;
    }
    *out = d;
    return SOCIND_OK;
}

/* ------------------------------------------------------------------------ */
/* Work space and the variance from PSU totals                               */
/* ------------------------------------------------------------------------ */

int32_t socind__work_init(socind__work *wk, const socind_design *d, int32_t m) {
    memset(wk, 0, sizeof *wk);
    wk->d = d;
    wk->m = m;
    if (m > 0) {
        wk->acc = calloc(d->npsu * (size_t)m, sizeof *wk->acc);
        wk->touched.mark = calloc(d->npsu, 1);
        wk->touched.list = malloc(d->npsu * sizeof *wk->touched.list);
    }
    wk->hsum = calloc(d->nstrata, sizeof *wk->hsum);
    wk->hq = calloc(d->nstrata, sizeof *wk->hq);
    wk->hcount = calloc(d->nstrata, sizeof *wk->hcount);
    wk->hlist = malloc(d->nstrata * sizeof *wk->hlist);
    if ((m > 0 && (!wk->acc || !wk->touched.mark || !wk->touched.list)) || !wk->hsum || !wk->hq ||
        !wk->hcount || !wk->hlist) {
        socind__work_free(wk);
        return socind__fail(SOCIND_ERR_NOMEM, "allocation failed for the variance work space");
    }
    socind__ksum ls = {0, 0};
    for (size_t h = 0; h < d->nstrata; h++)
        if (socind__stratum_lonely(d, h)) {
            wk->nlonely++;
            socind__kadd(&ls, d->stratum_scale[h]);
        }
    wk->lonely_scale = socind__kval(&ls);
    if (d->cal) {
        int32_t st = socind__cal_work_init(wk);
        if (st) socind__work_free(wk);
        return st;
    }
    return SOCIND_OK;
}

void socind__work_free(socind__work *wk) {
    socind__cal_work_free(wk);
    free(wk->acc);
    free(wk->touched.mark);
    free(wk->touched.list);
    free(wk->hsum);
    free(wk->hq);
    free(wk->hcount);
    free(wk->hlist);
    memset(wk, 0, sizeof *wk);
}

void socind__work_reset(socind__work *wk) {
    size_t m = (size_t)wk->m;
    for (size_t t = 0; t < wk->touched.n; t++) {
        int32_t p = wk->touched.list[t];
        for (size_t j = 0; j < m; j++) wk->acc[(size_t)p * m + j] = 0.0;
    }
    socind__psuset_clear(&wk->touched);
}

/* (internal.h) */
int32_t socind__scale_of(double top, int *e) {
    *e = 0;
    if (!isfinite(top) || top == 0.0) return SOCIND_OK;
    if (top < 0x1p-969) return SOCIND_ERR_OVERFLOW;
    *e = socind__scale_exponent(top);
    return SOCIND_OK;
}

/* The largest magnitude of the touched PSU totals of wk. */
static double work_top(const socind__work *wk) {
    const size_t m = (size_t)wk->m;
    double top = 0.0;
    for (size_t t = 0; t < wk->touched.n; t++) {
        const double a = fabs(wk->acc[(size_t)wk->touched.list[t] * m]);
        top = a > top ? a : top;
    }
    return top;
}

/* The touched PSU totals of wk times 2^−e (exact). */
static void work_scale_by(socind__work *wk, int e) {
    const size_t m = (size_t)wk->m;
    if (e)
        for (size_t t = 0; t < wk->touched.n; t++) {
            double *a = &wk->acc[(size_t)wk->touched.list[t] * m];
            *a = ldexp(*a, -e);
        }
}

/* (internal.h) */
int32_t socind__work_scale(socind__work *wk, int *e) {
    if (socind__scale_of(work_top(wk), e)) {
        socind__work_reset(wk);
        return SOCIND_ERR_OVERFLOW;
    }
    work_scale_by(wk, *e);
    return SOCIND_OK;
}

/* (internal.h) */
int32_t socind__work_variance_at(socind__work *wk, double *var, int *e) {
    *var = NAN;
    const int32_t st = socind__work_scale(wk, e);
    return st ? st : socind__work_variance(wk, var);
}

/* (internal.h) */
int32_t socind__work_variance_global_at(socind__work *wk, const socind__basis *b,
                                        const double *coef, double *var, int *e) {
    *var = NAN;
    /* The whole-sample terms coef_i·V_i have their largest magnitudes within
       a factor 2 of 2^tc, tc = max exponent(coef_i) + ex[i] (basis_init)
       over the vectors not 0 on every PSU (a zero vector's term is 0,
       whatever its coefficient).
       The PSU totals' scale 2^−eo (socind__scale_of; none where they lie
       below 2^−969) leaves them near 2^(tc − eo): where that exceeds
       2^SOCIND__SCALE_LIMIT, and the terms lie above the totals, the terms
       set the scale instead (e = tc), so that their squares stay in the
       doubles. The totals are then more than 2^SOCIND__SCALE_LIMIT below
       the terms, their squares below 2^−398 of the terms' (whatever bits
       they lost to subnormals). A relative line's derivative is of the
       order of 1/z, near 1e295 where one income of 1e300 sets the incomes'
       scale and the line lies near 1e−295 there (FGT1's term near 2^960
       beside totals near 2^−8), and a total gap's totals w·(z − y) lie near
       2^−964 there beside its term of the poor's weight: both squares left
       the doubles (SE NaN with SOCIND_ERR_OVERFLOW). Otherwise (every figure
       of data within the range, where tc − eo stays far below that) the
       totals' scale, as socind__work_variance_at: the same bits. */
    const double top = work_top(wk);
    int tc = INT_MIN;
    for (int i = 0; i < SOCIND__NBASIS; i++)
        if (b->V[i] && !b->zero[i] && coef[i] != 0.0 && isfinite(coef[i])) {
            const int t = socind__exponent(coef[i]) + b->ex[i];
            tc = t > tc ? t : tc;
        }
    const int to = top > 0.0 ? socind__exponent(top) : INT_MIN;
    int eo;
    const int32_t so = socind__scale_of(top, &eo);
    if (tc != INT_MIN && tc > to && tc - (so ? to : eo) > SOCIND__SCALE_LIMIT) {
        *e = tc;
    } else {
        *e = eo;
        if (so) {
            socind__work_reset(wk);
            return SOCIND_ERR_OVERFLOW;
        }
    }
    work_scale_by(wk, *e);
    double c[SOCIND__NBASIS];
    for (int i = 0; i < SOCIND__NBASIS; i++) c[i] = ldexp(coef[i], -*e);
    return socind__work_variance_global(wk, b, c, var);
}

/* (internal.h) */
int32_t socind__work_variance_dense_at(socind__work *wk, const double *z,
                                       const unsigned char *present, double *var, int *e) {
    *var = NAN;
    const size_t P = wk->d->npsu;
    double top = 0.0;
    for (size_t p = 0; p < P; p++) top = fmax(top, fabs(z[p]));
    if (socind__scale_of(top, e)) return SOCIND_ERR_OVERFLOW;
    if (!*e) return socind__work_variance_dense(wk, z, present, var);
    double *zs = malloc((P ? P : 1) * sizeof *zs); /* (the caller's z stays as it is) */
    if (!zs) return socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    for (size_t p = 0; p < P; p++) zs[p] = ldexp(z[p], -*e);
    const int32_t st = socind__work_variance_dense(wk, zs, present, var);
    free(zs);
    return st;
}

/* (internal.h) */
double socind__deff_of(double var, double vsrs, double sq, int ez) {
    if (!(vsrs > 0.0) || !isfinite(vsrs) || !isfinite(var) || !(fabs(sq) >= 0x1p-969)) return NAN;
    int k;
    const double m = frexp(vsrs, &k);
    return ldexp(var / m, 2 * ez - k);
}

/* The per-stratum sums of the touched PSUs' totals z = acc[p·m]: hsum,
 * hcount and hlist (the strata in the order first met), a run of touched
 * PSUs of one stratum at a time summed in registers, then added to the
 * stratum's sum; returns the number of strata listed. */
static size_t strata_sums(socind__work *wk) {
    const socind_design *d = wk->d;
    const size_t m = (size_t)wk->m, nt = wk->touched.n;
    const int32_t *list = wk->touched.list, *ps = d->psu_stratum;
    size_t nh = 0;
    for (size_t t = 0; t < nt;) {
        const int32_t h = ps[list[t]];
        socind__ksum run = {0, 0};
        int32_t cnt = 0;
        for (; t < nt && ps[list[t]] == h; t++, cnt++)
            socind__kadd(&run, wk->acc[(size_t)list[t] * m]);
        if (wk->hcount[h] == 0) wk->hlist[nh++] = h;
        wk->hcount[h] += cnt;
        socind__kmerge(&wk->hsum[h], run);
    }
    return nh;
}

int32_t socind__work_variance(socind__work *wk, double *var) {
    const socind_design *d = wk->d;
    if (d->cal) return socind__cal_variance(wk, NULL, NULL, NULL, var);
    size_t m = (size_t)wk->m;
    const size_t nt = wk->touched.n;
    const int32_t *list = wk->touched.list, *ps = d->psu_stratum;
    const size_t nh_present = strata_sums(wk);
    /* centred sums of squares (two-pass within each stratum) */
    for (size_t t = 0; t < nt;) {
        const int32_t h = ps[list[t]];
        const double mean = socind__kval(&wk->hsum[h]) / (double)d->stratum_npsu[h];
        socind__ksum run = {0, 0};
        for (; t < nt && ps[list[t]] == h; t++) {
            const double c = wk->acc[(size_t)list[t] * m] - mean;
            socind__kadd(&run, c * c);
        }
        socind__kmerge(&wk->hq[h], run);
    }
    socind__work_reset(wk);
    return socind__work_strata_variance(wk, nh_present, var);
}

int32_t socind__work_strata_variance(socind__work *wk, size_t nh_present, double *var) {
    const socind_design *d = wk->d;
    /* the strata that count: the present ones (SUBSET), or every stratum
       of the design (FULL: the untouched PSUs' totals are 0) */
    socind__ksum grand = {0, 0};
    double npsu_present = 0.0;
    for (size_t i = 0; i < nh_present; i++) {
        int32_t h = wk->hlist[i];
        socind__kadd(&grand, socind__kval(&wk->hsum[h]));
        npsu_present += (double)d->stratum_npsu[h];
    }
    double npsu_counted = wk->full ? (double)d->npsu : npsu_present;
    double centre = npsu_counted > 0 ? socind__kval(&grand) / npsu_counted : 0.0;

    socind__ksum v = {0, 0}, touched_lonely_scale = {0, 0};
    size_t lonely = 0;
    for (size_t i = 0; i < nh_present; i++) {
        int32_t h = wk->hlist[i];
        int32_t nh = d->stratum_npsu[h];
        const double hs = socind__kval(&wk->hsum[h]);
        if (nh >= 2) {
            double mean = hs / (double)nh;
            double q = socind__kval(&wk->hq[h]) + (double)(nh - wk->hcount[h]) * mean * mean;
            socind__kadd(&v, d->stratum_scale[h] * q);
        } else if (socind__stratum_lonely(d, h)) { /* a certainty PSU adds 0 */
            lonely++;
            socind__kadd(&touched_lonely_scale, d->stratum_scale[h]);
            if (d->lonely_psu == SOCIND_LONELY_ADJUST) {
                double c = hs - centre;
                socind__kadd(&v, d->stratum_scale[h] * c * c);
            }
        }
        wk->hsum[h] = (socind__ksum){0, 0};
        wk->hq[h] = (socind__ksum){0, 0};
        wk->hcount[h] = 0;
    }
    size_t nh_counted = nh_present;
    if (wk->full) {
        /* the lonely strata without a touched PSU: z = 0, (0 − c)² each */
        if (d->lonely_psu == SOCIND_LONELY_ADJUST && wk->nlonely > lonely) {
            double a = wk->lonely_scale - socind__kval(&touched_lonely_scale);
            socind__kadd(&v, (a > 0.0 ? a : 0.0) * centre * centre);
        }
        lonely = wk->nlonely;
        nh_counted = d->nstrata;
    }
    double result = socind__kval(&v);
    int32_t status = SOCIND_OK;
    if (d->lonely_psu == SOCIND_LONELY_AVERAGE && lonely > 0) {
        if (lonely == nh_counted) {
            result = NAN;
            status = socind__fail(SOCIND_ERR_LONELY_PSU,
                                  wk->full ? "every stratum of the design has a single PSU: the "
                                             "'average' policy has nothing to average"
                                           : "every stratum with observations has a single PSU: "
                                             "the 'average' policy has nothing to average");
        } else {
            result *= (double)nh_counted / (double)(nh_counted - lonely);
        }
    }
    *var = result;
    return status;
}

/* ------------------------------------------------------------------------ */
/* Domains                                                                    */
/* ------------------------------------------------------------------------ */

void socind__psuset_sort(socind__psuset *s, size_t npsu, int32_t *tmp) {
    int32_t *a = s->list;
    const size_t nt = s->n, P = npsu;
    size_t i = 1;
    while (i < nt && a[i - 1] < a[i]) i++;
    if (i >= nt) return;
    if (nt <= 32) {
        for (; i < nt; i++) {
            int32_t v = a[i];
            size_t j = i;
            for (; j > 0 && a[j - 1] > v; j--) a[j] = a[j - 1];
            a[j] = v;
        }
        return;
    }
    if (nt >= P / 8) {
        size_t k = 0;
        for (size_t p = 0; p < P; p++)
            if (s->mark[p]) a[k++] = (int32_t)p;
        return;
    }
    int32_t *src = a, *dst = tmp;
    for (int shift = 0; shift < 32 && ((P - 1) >> shift) > 0; shift += 8) {
        size_t cnt[257] = {0};
        for (size_t k = 0; k < nt; k++) cnt[(((uint32_t)src[k] >> shift) & 255) + 1]++;
        for (int b = 0; b < 256; b++) cnt[b + 1] += cnt[b];
        for (size_t k = 0; k < nt; k++) dst[cnt[((uint32_t)src[k] >> shift) & 255]++] = src[k];
        int32_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != a) memcpy(a, src, nt * sizeof *a);
}

/* socind__groups_init's two passes over a share of the rows: the codes
 * checked and counted (by runs of equal codes: a counter incremented row by
 * row waits on its own store), with the runs of codes >= 0 and each group's
 * first row while they are no more than the groups; then, unless every
 * group is one run, the rows written from pos on. */
typedef struct {
    const int32_t *group;
    int32_t G, T;
    size_t n;
    size_t *cnt;   /* T × G: the share's rows of each group, then where its
                      rows of each group go */
    size_t *first; /* T × G: the share's first row of each group + 1 (0: none
                      seen), while its runs are no more than G */
    size_t *runs;  /* T: the share's runs of codes >= 0 */
    int32_t *ends; /* 2T: the share's first and last code (-2: no rows) */
    size_t *bad;   /* T: the share's first row with a bad code (n: none) */
    size_t *rows;  /* the groups' rows */
    int fill;      /* 0: count, 1: write */
} groups_job;

static void groups_part(void *arg, int32_t t) {
    groups_job *q = arg;
    const size_t a = socind__part_start(q->n, t, q->T), b = socind__part_start(q->n, t + 1, q->T);
    const int32_t *group = q->group;
    size_t *cnt = q->cnt + (size_t)t * (size_t)q->G;
    if (!q->fill) {
        size_t *first = q->first + (size_t)t * (size_t)q->G;
        const size_t G = (size_t)q->G;
        int32_t last = -1;
        size_t run = 0, runs = 0;
        q->bad[t] = q->n;
        q->ends[2 * t] = q->ends[2 * t + 1] = -2;
        if (a < b) q->ends[2 * t] = group[a], q->ends[2 * t + 1] = group[b - 1];
        for (size_t k = a; k < b; k++) {
            int32_t gk = group[k];
            if (gk < -1 || gk >= q->G) {
                q->bad[t] = k;
                return;
            }
            if (gk != last) {
                if (last >= 0) cnt[last] += run;
                if (gk >= 0) {
                    if (runs < G && !first[gk]) first[gk] = k + 1;
                    runs++;
                }
                last = gk;
                run = 0;
            }
            run++;
        }
        if (last >= 0) cnt[last] += run;
        q->runs[t] = runs;
        return;
    }
    for (size_t k = a; k < b;) {
        int32_t gk = group[k];
        size_t e = k + 1;
        while (e < b && group[e] == gk) e++;
        if (gk >= 0) {
            size_t *r = q->rows + cnt[gk];
            for (size_t i = k; i < e; i++) r[i - k] = i;
            cnt[gk] += e - k;
        }
        k = e;
    }
}

int32_t socind__groups_init(socind__groups *g, const int32_t *group, int32_t n_groups, size_t n) {
    return socind__groups_init_threads(g, group, n_groups, n, 1);
}

int32_t socind__groups_init_threads(socind__groups *g, const int32_t *group, int32_t n_groups,
                                    size_t n, int32_t T) {
    memset(g, 0, sizeof *g);
    g->n = n;
    g->ngroups = 1;
    if (!group) return SOCIND_OK;
    if (n_groups < 1)
        return socind__fail(SOCIND_ERR_ARG, "n_groups must be >= 1, got %d", (int)n_groups);
    const size_t G = (size_t)n_groups;
    /* T × G counters: no more threads than leave a row a counter */
    if ((size_t)T > n / G) T = n / G > 1 ? (int32_t)(n / G) : 1;
    if (T < 1) T = 1;
    if (T > SOCIND_MAX_THREADS) T = SOCIND_MAX_THREADS;
    g->start = calloc(G + 1, sizeof *g->start);
    size_t *cnt = calloc(2 * (size_t)T * G, sizeof *cnt), bad[SOCIND_MAX_THREADS],
           runs[SOCIND_MAX_THREADS];
    int32_t ends[2 * SOCIND_MAX_THREADS];
    if (!g->start || !cnt) {
        free(cnt);
        socind__groups_free(g);
        return socind__fail(SOCIND_ERR_NOMEM, "allocation failed for domains");
    }
    groups_job q = {group, n_groups, T, n, cnt, cnt + (size_t)T * G, runs, ends, bad, NULL, 0};
    if (T > 1)
        socind__parallel(T, groups_part, &q);
    else
        groups_part(&q, 0);
    for (int32_t t = 0; t < T; t++) /* the first bad code in row order */
        if (bad[t] < n) {
            const size_t k = bad[t];
            free(cnt);
            socind__groups_free(g);
            return socind__fail_row(SOCIND_ERR_GROUP, k,
                                    "group[%zu] is %d; codes must be in [-1, %d)", k, (int)group[k],
                                    (int)n_groups);
        }
    g->ngroups = n_groups;
    /* every group one run: the runs of codes >= 0, less those that go on
       into the next share, are as many as the groups with rows */
    size_t R = 0, filled = 0;
    for (int32_t t = 0; t < T; t++) {
        R += runs[t];
        if (t + 1 < T && ends[2 * t + 1] >= 0 && ends[2 * t + 1] == ends[2 * t + 2]) R--;
    }
    /* the groups' offsets, and where each share's rows of a group go */
    size_t at = 0;
    for (size_t j = 0; j < G; j++) {
        g->start[j] = at;
        size_t had = at;
        for (int32_t t = 0; t < T; t++) {
            const size_t c = cnt[(size_t)t * G + j];
            cnt[(size_t)t * G + j] = at;
            at += c;
        }
        filled += at > had;
    }
    g->start[G] = at;
    g->runs = R;
    if (R == filled && !socind__groups_always_index) {
        g->first = malloc(G * sizeof *g->first);
        if (!g->first) {
            free(cnt);
            socind__groups_free(g);
            return socind__fail(SOCIND_ERR_NOMEM, "allocation failed for domains");
        }
        const size_t *first = cnt + (size_t)T * G;
        for (size_t j = 0; j < G; j++) {
            g->first[j] = 0; /* an empty group: no row is read */
            for (int32_t t = 0; t < T; t++)
                if (first[(size_t)t * G + j]) {
                    g->first[j] = first[(size_t)t * G + j] - 1;
                    break;
                }
        }
        free(cnt);
        return SOCIND_OK;
    }
    g->rows = socind__big_alloc((at ? at : 1) * sizeof *g->rows);
    if (!g->rows) {
        free(cnt);
        socind__groups_free(g);
        return socind__fail(SOCIND_ERR_NOMEM, "allocation failed for domains");
    }
    q.rows = g->rows, q.fill = 1;
    if (T > 1)
        socind__parallel(T, groups_part, &q);
    else
        groups_part(&q, 0);
    free(cnt);
    return SOCIND_OK;
}

void socind__groups_free(socind__groups *g) {
    free(g->start);
    free(g->rows);
    free(g->first);
    g->start = NULL;
    g->rows = NULL;
    g->first = NULL;
}

size_t socind__first_infinite(const double *x, size_t n, double *amax) {
    /* one vectorized pass; the row is looked for only when there is one */
    double m = socind__abs_max(x, n);
    size_t k = n;
    if (isinf(m)) {
        for (k = 0; k < n && !isinf(x[k]); k++) continue;
        m = socind__abs_max(x, k); /* the largest before it, as before */
    }
    if (amax) *amax = m;
    return k;
}

/* ------------------------------------------------------------------------ */
/* The public variance engine                                                */
/* ------------------------------------------------------------------------ */

int32_t socind_variance(const socind_design *d, const double *u, const int32_t *group,
                        int32_t n_groups, double *var) {
    socind__clear_detail();
    if (!var) return socind__fail(SOCIND_ERR_NULL, "var is NULL");
    int32_t G = group ? (n_groups > 0 ? n_groups : 1) : 1;
    for (int32_t j = 0; j < G; j++) var[j] = NAN;
    if (!d) return socind__fail(SOCIND_ERR_NULL, "design is NULL");
    if (!u) return socind__fail(SOCIND_ERR_NULL, "u is NULL");
    socind__groups grp;
    int32_t st = socind__groups_init(&grp, group, n_groups, d->n);
    if (st) return st;
    socind__work wk;
    st = socind__work_init(&wk, d, 1);
    if (st) {
        socind__groups_free(&grp);
        return st;
    }
    for (int32_t j = 0; j < grp.ngroups && st == SOCIND_OK; j++) {
        size_t ng = socind__group_size(&grp, j);
        for (size_t i = 0; i < ng; i++) {
            size_t k = socind__group_row(&grp, j, i);
            double x = u[k];
            if (!isfinite(x)) {
                st = socind__fail_row(SOCIND_ERR_DATA, k,
                                      "u[%zu] is %g; the engine needs finite values", k, x);
                socind__work_reset(&wk);
                break;
            }
            *socind__touch(&wk, d->row_psu[k]) += d->w[k] * x;
        }
        if (st) break;
        /* at the PSU totals' scale 2^−ez (their squares in range), then
           back: a variance below the normal doubles is refused as one
           beyond them (it was 0 or lost bits) */
        int ez;
        double v = NAN;
        st = socind__work_scale(&wk, &ez);
        if (st)
            st = socind__fail(SOCIND_ERR_OVERFLOW,
                              "the PSU totals of w·u in domain %d lie below the double range",
                              (int)j);
        else
            st = socind__work_variance(&wk, &v);
        if (!st) var[j] = ldexp(v, 2 * ez);
        if (!st && !isfinite(var[j]))
            st = socind__fail(SOCIND_ERR_OVERFLOW,
                              "the variance of domain %d exceeds the double range", (int)j);
        else if (!st && v > 0.0 && var[j] < DBL_MIN)
            st = socind__fail(SOCIND_ERR_OVERFLOW,
                              "the variance of domain %d lies below the double range", (int)j);
    }
    if (st)
        for (int32_t j = 0; j < G; j++) var[j] = NAN;
    socind__work_free(&wk);
    socind__groups_free(&grp);
    return st;
}

int32_t socind__work_variance_dense(socind__work *wk, const double *z, const unsigned char *present,
                                    double *var) {
    const socind_design *d = wk->d;
    if (d->cal) return socind__cal_variance(wk, z, NULL, NULL, var);
    size_t m = (size_t)wk->m;
    for (size_t p = 0; p < d->npsu; p++) {
        if (present && !wk->full && !present[d->psu_stratum[p]]) continue;
        socind__touch(wk, (int32_t)p);
        wk->acc[p * m] = z[p];
    }
    return socind__work_variance(wk, var);
}

/* ------------------------------------------------------------------------ */
/* Whole-sample vectors: variances over every stratum in O(touched PSUs)     */
/* ------------------------------------------------------------------------ */

#define NBS SOCIND__NBASIS

void socind__basis_free(socind__basis *b) {
    free(b->mean);
    free(b->store);
    memset(b, 0, sizeof *b);
}

int32_t socind__basis_init(socind__basis *b, const socind_design *d, const double *const Vin[NBS]) {
    memset(b, 0, sizeof *b);
    b->d = d;
    int act[NBS], na = 0; /* the non-NULL vectors */
    for (int i = 0; i < NBS; i++)
        if (Vin[i]) act[na++] = i;
    const size_t H = d->nstrata, P = d->npsu;
    b->mean = calloc(H * NBS, sizeof *b->mean);
    b->store = na ? malloc((size_t)na * P * sizeof *b->store) : NULL;
    if (!b->mean || (na && !b->store)) {
        socind__basis_free(b);
        return socind__fail(SOCIND_ERR_NOMEM, "allocation failed for the variance work space");
    }
    /* each vector times 2^−(the exponent of its largest magnitude): exact */
    for (int a = 0; a < na; a++) {
        const int i = act[a];
        const double *v = Vin[i];
        double *s = b->store + (size_t)a * P, m = 0.0;
        for (size_t p = 0; p < P; p++) m = fabs(v[p]) > m ? fabs(v[p]) : m;
        int e = socind__exponent(m);
        socind__scale_pow2(s, sizeof *s, v, sizeof *v, P, e);
        b->ex[i] = e;
        b->zero[i] = m == 0.0;
        b->V[i] = s;
    }
    const double *const *V = b->V;
    socind__ksum M[NBS][NBS], S[NBS], lw = {0, 0}, lm[NBS], L[NBS][NBS];
    memset(M, 0, sizeof M);
    memset(S, 0, sizeof S);
    memset(lm, 0, sizeof lm);
    memset(L, 0, sizeof L);
    /* the PSUs of stratum h are [p0, p0 + n_h): the design numbers them so */
    size_t p0 = 0;
    for (size_t h = 0; h < H; p0 += (size_t)d->stratum_npsu[h], h++) {
        size_t nh = (size_t)d->stratum_npsu[h];
        double *mh = b->mean + h * NBS, scale = d->stratum_scale[h];
        for (int a = 0; a < na; a++) {
            const double *v = V[act[a]];
            socind__ksum s = {0, 0};
            for (size_t p = p0; p < p0 + nh; p++) {
                socind__kadd(&s, v[p]);
                socind__kadd(&S[act[a]], v[p]);
            }
            mh[act[a]] = socind__kval(&s) / (double)nh;
        }
        if (nh >= 2) {
            for (int a = 0; a < na; a++)
                for (int e = a; e < na; e++) {
                    int i = act[a], j = act[e];
                    double q = 0.0;
                    for (size_t p = p0; p < p0 + nh; p++)
                        q += (V[i][p] - mh[i]) * (V[j][p] - mh[j]);
                    socind__kadd(&M[i][j], scale * q);
                }
        } else if (socind__stratum_lonely(d, h)) {
            b->nlonely++;
            socind__kadd(&lw, scale);
            for (int a = 0; a < na; a++) socind__kadd(&lm[act[a]], scale * V[act[a]][p0]);
        }
    }
    b->lw = socind__kval(&lw);
    for (int a = 0; a < na; a++) {
        int i = act[a];
        b->lmean[i] = b->lw > 0.0 ? socind__kval(&lm[i]) / b->lw : 0.0;
        b->delta[i] = socind__kval(&S[i]) / (double)P - b->lmean[i];
    }
    if (b->nlonely > 0) {
        p0 = 0;
        for (size_t h = 0; h < H; p0 += (size_t)d->stratum_npsu[h], h++) {
            if (!socind__stratum_lonely(d, h)) continue;
            double scale = d->stratum_scale[h];
            for (int a = 0; a < na; a++)
                for (int e = a; e < na; e++) {
                    int i = act[a], j = act[e];
                    socind__kadd(&L[i][j],
                                 scale * (V[i][p0] - b->lmean[i]) * (V[j][p0] - b->lmean[j]));
                }
        }
    }
    for (int a = 0; a < na; a++)
        for (int e = a; e < na; e++) {
            int i = act[a], j = act[e];
            b->M[i][j] = b->M[j][i] = socind__kval(&M[i][j]);
            b->L[i][j] = b->L[j][i] = socind__kval(&L[i][j]);
        }
    return SOCIND_OK;
}

/* cᵀAc for a symmetric NBS × NBS matrix over the na indices act (the
 * non-zero coefficients: a zero one never meets its row of A) */
static double quad_form(const double A[NBS][NBS], const double *c, const int *act, int na) {
    socind__ksum q = {0, 0};
    for (int a = 0; a < na; a++) {
        int i = act[a];
        /* (c_i·A_ij)·c_j: in range wherever the term is */
        socind__kadd(&q, c[i] * A[i][i] * c[i]);
        for (int e = a + 1; e < na; e++) {
            int j = act[e];
            socind__kadd(&q, 2.0 * (c[i] * A[i][j]) * c[j]);
        }
    }
    return socind__kval(&q);
}

int32_t socind__work_variance_global(socind__work *wk, const socind__basis *b, const double *coef,
                                     double *var) {
    const socind_design *d = wk->d;
    if (d->cal) return socind__cal_variance(wk, NULL, b, coef, var);
    const size_t m = (size_t)wk->m, H = d->nstrata;
    const int adjust = d->lonely_psu == SOCIND_LONELY_ADJUST;
    /* the coefficients of the scaled vectors: c_i·2^ex[i] (exact) */
    double c[NBS];
    int act[NBS], na = 0;
    for (int i = 0; i < NBS; i++) {
        c[i] = b->V[i] ? ldexp(coef[i], b->ex[i]) : 0.0;
        if (c[i] != 0.0) act[na++] = i;
    }
    /* the domain's own part: per-stratum sums over its touched PSUs */
    const size_t nh_touched = strata_sums(wk);
    /* its centred squares, and the cross products (g_p − ḡ_h)·s_p */
    socind__ksum cross = {0, 0}, stot = {0, 0};
    for (size_t t = 0; t < wk->touched.n; t++) {
        int32_t p = wk->touched.list[t];
        int32_t h = d->psu_stratum[p];
        int32_t nh = d->stratum_npsu[h];
        if (nh < 2) continue;
        double s = wk->acc[(size_t)p * m], dv = s - socind__kval(&wk->hsum[h]) / (double)nh;
        socind__kadd(&wk->hq[h], dv * dv);
        if (s == 0.0) continue;
        const double *mh = b->mean + (size_t)h * NBS;
        double g = 0.0;
        for (int a = 0; a < na; a++) g += c[act[a]] * (b->V[act[a]][p] - mh[act[a]]);
        socind__kadd(&cross, d->stratum_scale[h] * g * s);
    }
    socind__ksum v = {0, 0};
    socind__kadd(&v, quad_form(b->M, c, act, na));
    for (size_t i = 0; i < nh_touched; i++) {
        int32_t h = wk->hlist[i];
        int32_t nh = d->stratum_npsu[h];
        const double hs = socind__kval(&wk->hsum[h]);
        socind__kadd(&stot, hs);
        if (nh >= 2) {
            double mean = hs / (double)nh;
            double q = socind__kval(&wk->hq[h]) + (double)(nh - wk->hcount[h]) * mean * mean;
            socind__kadd(&v, d->stratum_scale[h] * q);
        }
    }
    socind__kadd(&v, 2.0 * socind__kval(&cross));
    if (adjust && b->nlonely > 0) {
        /* Σ_lonely a (u_p − centre)², centre = Σ_p u_p / npsu: with e_p =
           g_p − ĝ (ĝ the a-weighted mean of g over the lonely PSUs) and
           ν = centre − ĝ, it is cᵀLc + ν²·Σa + Σ_touched a·(s(s − 2ν) + 2e·s) */
        double nu = socind__kval(&stot) / (double)d->npsu;
        for (int a = 0; a < na; a++) nu += c[act[a]] * b->delta[act[a]];
        socind__ksum lon = {0, 0};
        for (size_t t = 0; t < wk->touched.n; t++) {
            int32_t p = wk->touched.list[t];
            int32_t h = d->psu_stratum[p];
            if (!socind__stratum_lonely(d, h)) continue;
            double s = wk->acc[(size_t)p * m], e = 0.0;
            for (int a = 0; a < na; a++) e += c[act[a]] * (b->V[act[a]][p] - b->lmean[act[a]]);
            socind__kadd(&lon, d->stratum_scale[h] * (s * (s - 2.0 * nu) + 2.0 * e * s));
        }
        socind__kadd(&v, quad_form(b->L, c, act, na));
        socind__kadd(&v, b->lw * nu * nu);
        socind__kadd(&v, socind__kval(&lon));
    }
    for (size_t i = 0; i < nh_touched; i++) {
        int32_t h = wk->hlist[i];
        wk->hsum[h] = (socind__ksum){0, 0};
        wk->hq[h] = (socind__ksum){0, 0};
        wk->hcount[h] = 0;
    }
    double result = socind__kval(&v);
    if (result < 0.0) result = 0.0; /* a sum of squares, below 0 only by rounding */
    int32_t status = SOCIND_OK;
    if (d->lonely_psu == SOCIND_LONELY_AVERAGE && b->nlonely > 0) {
        if (b->nlonely == H) {
            result = NAN;
            status = socind__fail(SOCIND_ERR_LONELY_PSU,
                                  "every stratum with observations has a single PSU: the "
                                  "'average' policy has nothing to average");
        } else {
            result *= (double)H / (double)(H - b->nlonely);
        }
    }
    socind__work_reset(wk);
    *var = result;
    return status;
}

/* ------------------------------------------------------------------------ */
/* The design over a subset of its rows (internal.h)                         */
/* ------------------------------------------------------------------------ */

int32_t socind__design_subset(const socind_design *d, const int32_t *rows, size_t m,
                              socind_design **out) {
    *out = NULL;
    if (d->cal)
        return socind__fail(SOCIND_ERR_ARG, "a calibrated design cannot be restricted to some of "
                                            "its rows (its calibration covers them all)");
    if (m == 0) return socind__fail(SOCIND_ERR_EMPTY, "no row of the design is kept");
    int any_positive = 0;
    for (size_t i = 0; i < m && !any_positive; i++) any_positive = d->w[rows[i]] > 0.0;
    if (!any_positive)
        return socind__fail(SOCIND_ERR_ZERO_WEIGHTS, "all %zu weights of the kept rows are zero",
                            m);
    const size_t P = d->npsu, H = d->nstrata;
    int32_t status = SOCIND_ERR_NOMEM;
    socind_design *s = calloc(1, sizeof *s);
    int32_t *psu_new = malloc(P * sizeof *psu_new); /* d's PSU → first appearance, or −1 */
    int32_t *str_new = malloc(H * sizeof *str_new); /* d's stratum → new stratum, or −1 */
    int32_t *str_old = malloc(H * sizeof *str_old); /* new stratum → d's */
    int32_t *fa_str = malloc(P * sizeof *fa_str);   /* first-appearance PSU → new stratum */
    int32_t *renum = malloc(P * sizeof *renum), *fill = calloc(H + 1, sizeof *fill);
    unsigned char *seen = calloc(P + H, 1);
    if (!s || !psu_new || !str_new || !str_old || !fa_str || !renum || !fill || !seen) goto fail;
    s->n = m;
    s->lonely_psu = d->lonely_psu;
    s->has_psu = d->has_psu;
    s->has_strata = d->has_strata;
    s->row_psu = malloc(m * sizeof *s->row_psu);
    s->w = malloc(m * sizeof *s->w);
    if (!s->row_psu || !s->w) goto fail;
    /* strata and PSUs numbered by first appearance, as socind_design_new */
    memset(psu_new, 0xff, P * sizeof *psu_new);
    memset(str_new, 0xff, H * sizeof *str_new);
    size_t H2 = 0, P2 = 0;
    for (size_t i = 0; i < m; i++) {
        int32_t p = d->row_psu[rows[i]], h = d->psu_stratum[p];
        if (str_new[h] < 0) {
            str_old[H2] = h;
            str_new[h] = (int32_t)H2++;
        }
        if (psu_new[p] < 0) {
            fa_str[P2] = str_new[h];
            psu_new[p] = (int32_t)P2++;
        }
        s->row_psu[i] = psu_new[p];
        s->w[i] = d->w[rows[i]];
    }
    s->nstrata = H2;
    s->npsu = P2;
    s->stratum_npsu = calloc(H2, sizeof *s->stratum_npsu);
    s->stratum_f = malloc(H2 * sizeof *s->stratum_f);
    s->stratum_scale = malloc(H2 * sizeof *s->stratum_scale);
    s->stratum_id = malloc(H2 * sizeof *s->stratum_id);
    s->psu_stratum = malloc(P2 * sizeof *s->psu_stratum);
    if (!s->stratum_npsu || !s->stratum_f || !s->stratum_scale || !s->stratum_id || !s->psu_stratum)
        goto fail;
    /* the PSUs of a stratum contiguous, in order of first appearance */
    for (size_t p = 0; p < P2; p++) s->stratum_npsu[fa_str[p]]++;
    for (size_t h = 0; h < H2; h++) fill[h + 1] = fill[h] + s->stratum_npsu[h];
    for (size_t p = 0; p < P2; p++) {
        int32_t h = fa_str[p];
        renum[p] = fill[h]++;
        s->psu_stratum[renum[p]] = h;
    }
    for (size_t i = 0; i < m; i++) s->row_psu[i] = renum[s->row_psu[i]];
    size_t runs = 1;
    for (size_t i = 1; i < m; i++) runs += s->row_psu[i] != s->row_psu[i - 1];
    if (runs == P2) {
        s->psu_end = malloc(P2 * sizeof *s->psu_end);
        if (!s->psu_end) goto fail;
        for (size_t i = 0; i < m; i++) s->psu_end[s->row_psu[i]] = (int32_t)i + 1;
    }
    /* degrees of freedom over the kept rows with non-zero weight */
    size_t npos = 0, hpos = 0;
    for (size_t i = 0; i < m; i++) {
        if (!(s->w[i] > 0.0)) continue;
        int32_t p = s->row_psu[i], h = s->psu_stratum[p];
        npos += !seen[p];
        seen[p] = 1;
        hpos += !seen[P2 + (size_t)h];
        seen[P2 + (size_t)h] = 1;
    }
    s->df = (double)npos - (double)hpos;
    for (size_t h = 0; h < H2; h++) {
        double nh = (double)s->stratum_npsu[h], f = d->stratum_f[str_old[h]];
        s->stratum_id[h] = d->stratum_id[str_old[h]];
        s->stratum_f[h] = f;
        if (s->stratum_npsu[h] >= 2) {
            s->stratum_scale[h] = (1.0 - f) * nh / (nh - 1.0);
        } else if (s->lonely_psu == SOCIND_LONELY_FAIL && socind__stratum_lonely(s, h)) {
            size_t first = 0; /* a row of the stratum, named in d's rows */
            while (s->psu_stratum[s->row_psu[first]] != (int32_t)h) first++;
            status = socind__fail_row(SOCIND_ERR_LONELY_PSU, (size_t)rows[first],
                                      "stratum %lld has only one PSU; choose a lonely-PSU "
                                      "policy (remove, adjust, average, certainty)",
                                      (long long)s->stratum_id[h]);
            goto fail;
        } else {
            s->stratum_scale[h] = 1.0 - f;
        }
    }
    free(psu_new), free(str_new), free(str_old), free(fa_str), free(renum), free(fill), free(seen);
    *out = s;
    return SOCIND_OK;
fail:
    if (status == SOCIND_ERR_NOMEM)
        socind__fail(SOCIND_ERR_NOMEM, "allocation failed building the design of the kept rows");
    free(psu_new), free(str_new), free(str_old), free(fa_str), free(renum), free(fill), free(seen);
    socind_design_free(s);
    return status;
}
