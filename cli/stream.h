/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cli/stream.h — estimates from a data file read chunk by chunk
 * (tbl_read_chunks) into partial states (socind/state.h), on threads.
 *
 * The reader runs in the calling thread: every chunk's rows are copied out
 * of the table (weights, design ids, the variables, the --by codes) into
 * one of threads + 1 buffers; threads − 1 workers (none with threads = 1)
 * build from each buffer a partial state per slot (one state per estimate
 * and breakdown) — and the calling thread too while no buffer is free —
 * and the calling thread merges them into the run's states
 * in the chunks' order. So the states, and the figures finished from them,
 * are the same bits for any thread count; the chunk size alone decides how
 * the rows are cut. Memory: threads + 1 chunks and the states (their PSUs
 * and cells), never the file.
 *
 * Readings. The first pass reads the file; a run of more than one pass
 * keeps the rows of that reading on disk (stream.c, "spill") and its later
 * passes read them there, not the file. Without room for them the file
 * is read each pass.
 *
 * Ids. Strata and PSU ids are the columns' label codes (first appearance in
 * the file): the same grouping as the in-memory design's ids, so the same
 * design. Breakdown codes are the label codes too; the states' n_groups
 * grow as labels appear (a power of two, regrown through the state's
 * documented bytes), and stream_groups() maps them to the breakdown's
 * sorted groups at the end.
 *
 * Failures. Anything the states refuse (a missing or negative weight, an
 * empty id, a nonpositive income …) stops the read and stream_run returns
 * STREAM_REDO: the caller reads the file again in memory, where the same
 * checks give the messages the in-memory path always gave (naming the file's
 * line). Errors of the reader itself are printed as table_read prints them.
 */
#ifndef SOCIND_CLI_STREAM_H
#define SOCIND_CLI_STREAM_H

#include "cli.h"

#define STREAM_MAX_BY 16
#define STREAM_MAX_SUBSET 32
#define STREAM_BY_WHERE                                                                            \
    (-2)                 /* stream_slot.by: the whole sample under --where (one group:             \
                            the rows meeting it) */
#define STREAM_REDO (-1) /* stream_run: read the file in memory instead */

/* The variable a slot's state takes as y. */
#define STREAM_Y_VALUE 0 /* the value column (--income) */
#define STREAM_Y_ONES 1  /* 1 where the value is present (NaN where missing) */

typedef struct stream_slot {
    socind_state_spec spec; /* read by the workers: n_groups is not used */
    int by;                 /* index into stream.by, −1: the whole sample */
    int y;                  /* STREAM_Y_* */
    socind_state *state;    /* the merged state (NULL before the first chunk) */
    int32_t groups;         /* the merged state's n_groups (0 without by) */
    unsigned char *seed;    /* passes after the first: the bytes of the empty
                               state of this pass (socind_state_next_pass of
                               the last pass's merged state), each chunk's
                               state read from them */
    size_t seed_len;
    int32_t seed_groups;  /* the seed's n_groups */
    int fixed;            /* 1: a state whose n_groups cannot grow (the
                             rank-based ones, socind_state_set_groups): made
                             with fixed_groups domains */
    int32_t fixed_groups; /* with fixed and by >= 0: 0 until the pass's first
                             chunk, then max(64, 4 × its labels' power of
                             two); a chunk with more labels leaves the slot
                             (overflow) and, after the pass, the slot starts
                             its first pass again with the file's labels */
    int overflow;         /* set by the merge: a chunk had more labels */
} stream_slot;

/* A stream whose chunks are not rows of (weight, ids, y, y2, by codes) but
 * the caller's own (socind nutrition's children): fill runs on the reading
 * thread for each chunk (the rows of t): it copies the rows it keeps into
 * its block *data (allocated on the first call for that buffer, kept across
 * chunks, freed by free_data), sets gcap[i] for every breakdown i (its
 * codes' power of two, as stream.c sets it) and returns the rows kept, or −1
 * (stream_run: STREAM_REDO). add runs on a worker: it adds the block's
 * n rows (numbered from first_row) to st, a new state of slot sl; a status. */
typedef struct stream_custom {
    void *ctx;
    int64_t (*fill)(void *ctx, const tbl *t, void **data, int32_t *gcap);
    int32_t (*add)(void *ctx, void *data, size_t n, int64_t first_row, const stream_slot *sl,
                   socind_state *st);
    void (*free_data)(void *data);
} stream_custom;

typedef struct stream {
    tbl *t;
    const stream_custom *custom;  /* NULL: the rows' columns below */
    int weight, strata, psu, fpc; /* column indexes, −1 if not given */
    int value;                    /* the y column */
    int y2;                       /* per-row lines, −1 if none */
    int by[STREAM_MAX_BY];        /* the breakdowns' label columns */
    size_t nby;
    stream_slot *slot;
    size_t nslot;
    int threads;       /* >= 1 */
    size_t chunk_rows; /* > 0 */
    /* --subset COL=VALUE (label columns, compared as tbl_keep compares):
       the other rows are dropped before the design, as table_read drops
       them; and --where (NULL: none): the rows outside are in no domain.
       Both on CSV files only (a .dta/.sav label column's text is known at
       the end of the file): otherwise stream_run returns STREAM_REDO. */
    int sub_col[STREAM_MAX_SUBSET];
    const char *sub_value[STREAM_MAX_SUBSET];
    size_t nsub;
    const where_set *where;
    /* after stream_run: */
    int64_t rows; /* rows read */
    size_t chunks;
    int64_t kept;                       /* rows --subset keeps */
    int64_t in_where;                   /* of them, rows meeting every --where */
    int64_t *missing;                   /* with --subset: per column of t, its missing cells
                                           among the rows kept (t->ncols entries) */
    unsigned char *used[STREAM_MAX_BY]; /* with --subset or --where: per label
                                           code, 1 when a row kept and meeting
                                           --where has it */
    size_t used_cap[STREAM_MAX_BY];
    int64_t *deferred_missing;       /* per column of t: the missing cells the
                                        workers found in its deferred text */
    int32_t gcap_max[STREAM_MAX_BY]; /* per breakdown: the largest label
                                        power of two of the pass's chunks */
    int passes;                      /* reads of the file made */
    int spill_passes;                /* passes made over the rows kept on
                                        disk instead (stream.c: spill) */
    int spill_lost;                  /* reading those rows back failed (that
                                        pass read the file again) */
    int use_marks;                   /* 1: stream_groups takes the labels marked used
                                        (stream_mark_used: a custom stream's rows kept) */
} stream;

/* Marks label k of breakdown i used by a row kept (k < 0: nothing). 0, or
 * −1 out of memory. */
int stream_mark_used(stream *s, size_t i, int32_t k);

/* Reads the file through every slot's state (as many passes as the slots'
 * estimates need: socind_state_passes, socind_state_next_pass; each pass
 * reads the whole file again, or its rows kept on disk (above: s->passes
 * counts the readings, s->spill_passes the others), and a slot whose state cannot take
 * more domains than it was made with restarts its first pass once the
 * file's labels are known). Returns 0 (every slot's state merged and in its
 * last pass), STREAM_REDO (nothing printed), or an exit code after the
 * reader's message or after "FILE changed while it was read" (a later pass
 * read another number of rows than the first, or the file's size or
 * modification time changed between passes). */
int stream_run(stream *s);

/* The n_groups of a state for codes 0 .. n_labels − 1: a power of two. */
int32_t stream_groups_cap(int32_t n_labels);

/* Frees what stream_run allocated in s (missing, used). */
void stream_free(stream *s);

/* The breakdown of by column `col` after the read: b (breakdown_make's
 * sorted groups and labels) and *state_code: for each sorted group g the
 * code the states carried for it (the caller frees it). 0, STREAM_REDO
 * (two codes the chunks carried became one group: the .dta/.sav value
 * labels merged them), or an exit code. */
int stream_groups(const stream *s, int col, breakdown *b, int32_t **state_code);

/* --threads N (1 .. SOCIND_MAX_THREADS; default: every online processor,
 * capped there). 0, or EXIT_USAGE after the message. */
int threads_option(const args *a, int *threads);

/* The rows of a chunk: SOCIND_CHUNK_ROWS from the environment (a testing
 * knob: a positive integer), else 1 << 20. */
size_t stream_chunk_rows(void);

/* 1 unless SOCIND_STREAM=0 in the environment (a testing knob that keeps
 * the in-memory path). */
int stream_enabled(void);

/* SOCIND_STREAM_ROWS=1 (a testing knob): stream also the estimates whose
 * partial state keeps every row (a rank-based state of one pass), which
 * otherwise read the file into memory. */
int stream_rows_kept(void);

/* SOCIND_STREAM=verbose (a testing knob): the command says on stderr which
 * path a run took ("socind poverty: streamed N rows in K chunks on T
 * threads" or "socind poverty: read into memory"). */
int stream_verbose(void);

#endif
