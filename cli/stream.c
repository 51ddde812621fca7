/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli/stream.c — estimates from a file read chunk by chunk into partial
 * states, on threads (see stream.h). */
#define _POSIX_C_SOURCE 200809L
#include "stream.h"

#include "numbers.h"
#include "reader.h"
#include "text.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#ifdef __linux__
#include <linux/magic.h>
#include <sys/vfs.h>
#endif
#include <unistd.h>

/* ------------------------------------------------------------------ options */

int threads_option(const args *a, int *threads) {
    const char *v = arg_get(a, "threads");
    if (!v) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        *threads = n < 1 ? 1 : n > SOCIND_MAX_THREADS ? SOCIND_MAX_THREADS : (int)n;
        return 0;
    }
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (!(v[0] >= '0' && v[0] <= '9') || *end != '\0' || errno == ERANGE || n < 1 ||
        n > SOCIND_MAX_THREADS)
        return usage_error(a->command,
                           "--threads must be a whole number from 1 to %d (1: no extra thread; "
                           "by default every core), not \"%s\"",
                           SOCIND_MAX_THREADS, v);
    *threads = (int)n;
    return 0;
}

size_t stream_chunk_rows(void) {
    const char *v = getenv("SOCIND_CHUNK_ROWS");
    if (v && *v) {
        char *end;
        errno = 0;
        unsigned long long n = strtoull(v, &end, 10);
        if (*end == '\0' && errno == 0 && n >= 1 && n <= (1ull << 30) && v[0] != '-')
            return (size_t)n;
    }
    return (size_t)1 << 20;
}

int stream_verbose(void) {
    const char *v = getenv("SOCIND_STREAM");
    return v && strcmp(v, "verbose") == 0;
}

int stream_rows_kept(void) {
    const char *v = getenv("SOCIND_STREAM_ROWS");
    return v && strcmp(v, "1") == 0;
}

int stream_enabled(void) {
    const char *v = getenv("SOCIND_STREAM");
    return !(v && strcmp(v, "0") == 0);
}

/* ------------------------------------------------------------------ n_groups */

/* The state *s with n_groups G (>= its own): the same PSUs and cells, its
 * domains' codes unchanged. */
static int32_t regroup(socind_state **s, int32_t G) {
    return socind_state_set_groups(*s, G);
}

int32_t stream_groups_cap(int32_t n_labels) {
    int32_t g = 1;
    while (g < n_labels && g < (1 << 29)) g *= 2;
    return g;
}

/* ------------------------------------------------------------------ chunks */

#define BUF_FREE 0
#define BUF_FILLED 1
#define BUF_DONE 2

typedef struct chunk_buf {
    int state; /* BUF_* */
    size_t seq;
    size_t n, cap;
    int64_t first_row;
    double *w, *y, *ones, *y2, *fpc;
    int64_t *strata, *psu;
    int32_t *allcode; /* --where: 0 for the rows meeting it, −1 */
    int32_t *group[STREAM_MAX_BY];
    int32_t gcap[STREAM_MAX_BY]; /* the states' n_groups for this chunk */
    socind_state **states;       /* one per active slot */
    void *custom;                /* stream.custom's block */
    int32_t status;
    /* deferred number cells (CSV with threads): the chunk's text and, per
       role (weight, value, y2, fpc), each row's cell in it, read by the
       worker as the reader would */
    char *raw;
    size_t raw_cap;
    int deferred[4];
    size_t *off[4];
    uint32_t *len[4];
    int64_t nmiss[4];
} chunk_buf;

typedef struct engine {
    stream *s;
    int pass;              /* 1-based */
    unsigned char *active; /* the slots that take this pass's chunks */
    chunk_buf *buf;
    size_t nbuf;
    size_t next_seq, next_merge;
    int failed; /* a chunk or a merge failed: STREAM_REDO */
    int stop;   /* workers: no more chunks */
    int need_ones;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_t *workers;
    int nworkers;
    size_t *idx; /* --subset: the rows of the chunk it keeps */
    size_t idx_cap;
    int defer[4];    /* roles (weight, value, y2, fpc) whose cells the workers read */
    int role_col[4]; /* their columns (−1: none) */
    na_set na;
    char where_value[MAX_WHERE][512];
    /* the rows kept on disk ("spill" below): written in the first reading
       of a run of more than one pass, read instead of the file by the
       passes after it */
    FILE *spill;               /* NULL: none */
    int spill_writing;         /* 1: this pass writes every merged chunk to it */
    int spill_ready;           /* 1: it holds every chunk of a whole reading */
    int spill_gave_up;         /* 1: dropped (no room, a write failed): not again */
    int64_t spill_broken;      /* the testing knob's "broken:N": reading it back
                                  fails after N chunks (−1: never) */
    int64_t spill_damaged;     /* the testing knob's "damaged:N": a byte of chunk
                                  N's rows changed on disk once written (−1:
                                  every chunk's, "damaged"; −2: none) */
    int64_t spill_chunks;      /* chunks written */
    uint64_t spill_max_n;      /* the most rows of a chunk written */
    int64_t spill_read_chunks; /* chunks read back this pass */
    bytes_digest spill_sum;    /* the checksum of the chunk being moved */
    int64_t spill_rows;        /* rows written */
    int32_t *spill_ids;        /* a chunk's ids as written (int32 codes) */
    size_t spill_ids_cap;
} engine;

static void buf_free(const stream *s, chunk_buf *b, size_t nslot) {
    free(b->w), free(b->y), free(b->ones), free(b->y2), free(b->fpc);
    free(b->strata), free(b->psu), free(b->allcode), free(b->raw);
    for (int k = 0; k < 4; k++) free(b->off[k]), free(b->len[k]);
    for (int i = 0; i < STREAM_MAX_BY; i++) free(b->group[i]);
    if (b->states)
        for (size_t k = 0; k < nslot; k++) socind_state_free(b->states[k]);
    free(b->states);
    if (b->custom && s->custom) s->custom->free_data(b->custom);
    memset(b, 0, sizeof *b);
}

static int buf_reserve(engine *e, chunk_buf *b, size_t n) {
    if (n <= b->cap) return 0;
    stream *s = e->s;
#define GROW(p)                                                                                    \
    do {                                                                                           \
        void *q = realloc(p, n * sizeof *(p));                                                     \
        if (!q) return -1;                                                                         \
        p = q;                                                                                     \
    } while (0)
    GROW(b->w);
    GROW(b->y);
    if (e->need_ones) GROW(b->ones);
    if (s->y2 >= 0) GROW(b->y2);
    if (s->fpc >= 0) GROW(b->fpc);
    if (s->strata >= 0) GROW(b->strata);
    if (s->psu >= 0) GROW(b->psu);
    if (s->where) GROW(b->allcode);
    for (int k = 0; k < 4; k++)
        if (e->defer[k]) {
            GROW(b->off[k]);
            GROW(b->len[k]);
        }
    for (size_t i = 0; i < s->nby; i++) GROW(b->group[i]);
#undef GROW
    b->cap = n;
    return 0;
}

/* The chunk's states, one per active slot (on a worker, or the caller's
 * thread with threads = 1). */
/* A deferred cell's text as the CSV reader reads a number cell (data_cell,
 * tbl_store): valid UTF-8, trimmed, a missing spelling (NaN, 1 returned) or
 * a number under the file's rule (0); −1 otherwise (the in-memory read
 * names it). */
static int deferred_number(const engine *e, const char *str, size_t len, double *out) {
    if (utf8_invalid_at(str, len) < len) return -1;
    size_t a = 0, b = len;
    trim_blanks(str, &a, &b);
    if (na_set_has(&e->na, str + a, b - a)) {
        *out = NAN;
        return 1;
    }
    return number_parse(str + a, b - a, e->s->t->decimal_comma, out) < 0 ? -1 : 0;
}

static void build_states(engine *e, chunk_buf *b) {
    stream *s = e->s;
    b->status = SOCIND_OK;
    double *dest[4] = {b->w, b->y, b->y2, b->fpc};
    for (int k = 0; k < 4; k++) {
        b->nmiss[k] = 0;
        if (!b->deferred[k]) continue;
        for (size_t j = 0; j < b->n; j++) {
            const char *text = b->len[k][j] ? b->raw + b->off[k][j] : "";
            int rc = deferred_number(e, text, b->len[k][j], &dest[k][j]);
            if (rc < 0) {
                b->status = SOCIND_ERR_DATA;
                return;
            }
            b->nmiss[k] += rc;
        }
    }
    if (e->need_ones && !s->custom)
        for (size_t j = 0; j < b->n; j++) b->ones[j] = isnan(b->y[j]) ? NAN : 1.0;
    for (size_t k = 0; k < s->nslot && !b->status; k++) {
        if (!e->active[k]) continue;
        const stream_slot *sl = &s->slot[k];
        socind_state_spec sp = sl->spec;
        sp.n_groups = sl->by >= 0 ? b->gcap[sl->by] : sl->by == STREAM_BY_WHERE ? 1 : 0;
        if (sl->fixed && sl->by >= 0) {
            int32_t g = sl->seed ? sl->seed_groups : sl->fixed_groups;
            if (b->gcap[sl->by] > g) continue; /* no state: the merge sees the overflow */
            sp.n_groups = g;
        }
        socind_state *st = NULL;
        int32_t rc = sl->seed ? socind_state_from_bytes(sl->seed, sl->seed_len, &st)
                              : socind_state_new(&sp, &st);
        if (rc) {
            b->status = rc;
            break;
        }
        if (s->custom) {
            if ((rc = s->custom->add(s->custom->ctx, b->custom, b->n, b->first_row, sl, st))) {
                socind_state_free(st);
                b->status = rc;
                break;
            }
            b->states[k] = st;
            continue;
        }
        socind_chunk c;
        socind_chunk_init(&c);
        c.n = b->n;
        c.first_row = b->first_row;
        c.weight = b->w;
        c.strata = sp.has_strata ? b->strata : NULL;
        c.psu = sp.has_psu ? b->psu : NULL;
        c.fpc = sp.has_fpc ? b->fpc : NULL;
        c.group = sl->by >= 0 ? b->group[sl->by] : sl->by == STREAM_BY_WHERE ? b->allcode : NULL;
        c.y = sl->y == STREAM_Y_ONES ? b->ones : b->y;
        c.y2 = sp.line_type == SOCIND_LINE_PER_ROW ? b->y2 : NULL;
        rc = socind_state_add(st, &c);
        if (rc) {
            socind_state_free(st);
            b->status = rc;
            break;
        }
        b->states[k] = st;
    }
}

/* ------------------------------------------------------------------ spill */

/* The rows kept on disk. A run of more than one pass (a rank-based
 * estimate's state says so before its first chunk) writes each merged
 * chunk of its first reading, in the chunks' order, to an unlinked
 * temporary file in $TMPDIR (else /tmp): its rows as the workers read them
 * (weights, values, lines, fpc, the ids' and the breakdowns' codes,
 * --where's code) and the chunk's first row and label powers of two. The
 * passes after it read the chunks from there instead of parsing the file
 * again: the file is read once. The spill is the native layout of this
 * process, never read by another. Before each chunk it checks that the
 * directory keeps SPILL_RESERVE_MIB and 1/SPILL_RESERVE_PART of its size
 * free after the chunk; where it would not, or a write fails, the spill is
 * dropped (its space freed) and the passes read the file again, as
 * without it; so too where reading it back fails (a pass half read from
 * it is read again from the file), gives fewer rows than were written (a
 * file cut short) or bytes other than those written: each chunk ends with
 * a checksum of its head and rows (spill_sum: bytes_digest, reader.h), and a
 * chunk whose bytes read back do not give it, or whose head claims more
 * rows than the largest chunk written, is a failed reading.
 * A temporary directory in memory (tmpfs, ramfs) is not used: the rows
 * would be held in memory after all. SOCIND_STREAM_SPILL=0 (a testing
 * knob) never spills; =1 spills the first reading of any run (one of one
 * pass writes it and reads nothing back); =broken as 1, and every reading
 * back fails at its first chunk (=broken:N: after N chunks); =damaged as
 * 1, and one byte of every chunk's rows is changed on disk once written
 * (=damaged:N: of the N-th chunk only, from 0), as a disk might. */

#define SPILL_RESERVE_MIB 512
#define SPILL_RESERVE_PART 20

typedef struct spill_head {
    uint64_t n;
    int64_t first_row;
    int32_t gcap[STREAM_MAX_BY];
} spill_head;

/* "word" or "word:N" (N a count from 0): 1 with *n (−1 for "word" alone),
 * or 0 when v is neither. */
static int knob_word(const char *v, const char *word, int64_t *n) {
    const size_t len = strlen(word);
    if (strncmp(v, word, len) != 0) return 0;
    v += len;
    if (*v == '\0') {
        *n = -1;
        return 1;
    }
    if (*v != ':' || v[1] < '0' || v[1] > '9') return 0;
    char *end = NULL;
    long long k = strtoll(v + 1, &end, 10);
    if (*end != '\0') return 0;
    *n = k;
    return 1;
}

/* The knob: −1 unset (the states decide), 0 never, 1 from reading 1, 2
 * from reading 1 and its reading back fails (as an I/O error would) after
 * *broken_after chunks ("broken": 0, "broken:N": N), 3 from reading 1 and
 * chunk *damaged_at's bytes changed on disk (−1: every chunk's; −2, the
 * knob not "damaged": none). */
static int spill_knob(int64_t *broken_after, int64_t *damaged_at) {
    const char *v = getenv("SOCIND_STREAM_SPILL");
    int64_t n;
    *broken_after = -1;
    *damaged_at = -2;
    if (!v) return -1;
    if (strcmp(v, "0") == 0) return 0;
    if (strcmp(v, "1") == 0) return 1;
    if (knob_word(v, "broken", &n)) {
        *broken_after = n < 0 ? 0 : n;
        return 2;
    }
    if (knob_word(v, "damaged", &n)) {
        *damaged_at = n;
        return 3;
    }
    return -1;
}

/* Bytes a spilled row takes. */
static size_t spill_row_bytes(const stream *s) {
    size_t b = 2 * sizeof(double);
    if (s->y2 >= 0) b += sizeof(double);
    if (s->fpc >= 0) b += sizeof(double);
    if (s->strata >= 0) b += sizeof(int32_t);
    if (s->psu >= 0) b += sizeof(int32_t);
    if (s->where) b += sizeof(int32_t);
    return b + s->nby * sizeof(int32_t);
}

static void spill_drop(engine *e) {
    if (e->spill) {
        fclose(e->spill);
        e->spill_gave_up = 1;
    }
    e->spill = NULL;
    e->spill_writing = e->spill_ready = 0;
}

/* 1 when the spill's directory keeps its reserve free after `more` bytes
 * more. */
static int spill_room(FILE *f, double more) {
    struct statvfs v;
    if (fstatvfs(fileno(f), &v) != 0) return 0;
    const double unit = (double)v.f_frsize, size = (double)v.f_blocks * unit;
    const double reserve = SPILL_RESERVE_MIB * 1048576.0 + size / SPILL_RESERVE_PART;
    return (double)v.f_bavail * unit >= more + reserve;
}

/* 1 when the spill's file system keeps its files in memory. */
static int spill_in_memory(FILE *f) {
#ifdef __linux__
    struct statfs v;
    if (fstatfs(fileno(f), &v) != 0) return 1;
    /* (f_type's type differs between systems: compared as 32 bits) */
    const uint32_t t = (uint32_t)v.f_type;
    return t == (uint32_t)TMPFS_MAGIC || t == (uint32_t)RAMFS_MAGIC;
#else
    (void)f;
    return 0;
#endif
}

/* Opens the spill for the next reading (none where it cannot be made: no
 * room, or the directory refused; once dropped, never again). */
static void spill_open(engine *e) {
    if (e->spill || e->spill_gave_up) return;
    e->spill_gave_up = 1; /* (until it opens) */
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir) dir = "/tmp";
    size_t len = strlen(dir) + sizeof "/socind-spill-XXXXXX";
    char *path = malloc(len);
    if (!path) return;
    snprintf(path, len, "%s/socind-spill-XXXXXX", dir);
    int fd = mkstemp(path);
    if (fd < 0) {
        free(path);
        return;
    }
    unlink(path);
    free(path);
    FILE *f = fdopen(fd, "w+b");
    if (!f) {
        close(fd);
        return;
    }
    if (spill_in_memory(f) || !spill_room(f, 0.0)) {
        fclose(f);
        return;
    }
    e->spill = f;
    e->spill_gave_up = 0;
    e->spill_writing = 1;
    e->spill_ready = 0;
    e->spill_rows = 0;
    e->spill_chunks = 0;
    e->spill_max_n = 0;
}

/* Moves a chunk's rows to the spill (out) or from it, each array in the
 * one order both directions take: weights, values, lines, fpc, strata and
 * PSU codes (int32: label codes), --where's code, the breakdowns' codes.
 * 1, or 0 on a short read or write (or out of memory). */
static int spill_rows(engine *e, chunk_buf *b, int out) {
    const stream *s = e->s;
    FILE *f = e->spill;
    const size_t n = b->n;
#define MOVE(p)                                                                                    \
    ((out ? fwrite(p, sizeof *(p), n, f) : fread(p, sizeof *(p), n, f)) == n &&                    \
     (digest_add(&e->spill_sum, p, n * sizeof *(p)), 1))
    int ok = MOVE(b->w) && MOVE(b->y) && (s->y2 < 0 || MOVE(b->y2)) && (s->fpc < 0 || MOVE(b->fpc));
    int64_t *ids[2] = {b->strata, b->psu};
    const int idcol[2] = {s->strata, s->psu};
    for (int k = 0; k < 2 && ok; k++) {
        if (idcol[k] < 0) continue;
        if (e->spill_ids_cap < n) {
            int32_t *q = realloc(e->spill_ids, n * sizeof *q);
            if (!q) return 0;
            e->spill_ids = q;
            e->spill_ids_cap = n;
        }
        int32_t *code = e->spill_ids;
        if (out)
            for (size_t j = 0; j < n; j++) code[j] = (int32_t)ids[k][j];
        ok = MOVE(code);
        if (!out)
            for (size_t j = 0; ok && j < n; j++) ids[k][j] = code[j];
    }
    if (ok && s->where) ok = MOVE(b->allcode);
    for (size_t i = 0; i < s->nby && ok; i++) ok = MOVE(b->group[i]);
#undef MOVE
    return ok;
}

/* The testing knob's damage: one byte in the middle of the `bytes` of rows
 * just written, changed in the file. 1, or 0 when it could not be done. */
static int spill_damage(engine *e, uint64_t bytes) {
    FILE *f = e->spill;
    if (fflush(f) != 0) return 0;
    const off_t end = ftello(f);
    const off_t at = end - (off_t)sizeof(uint64_t) - (off_t)(bytes / 2 + 1);
    unsigned char c;
    if (end < 0 || at < 0 || pread(fileno(f), &c, 1, at) != 1) return 0;
    c ^= 0x10;
    return pwrite(fileno(f), &c, 1, at) == 1;
}

/* Writes a merged chunk (the caller holds e->mu): its head, its rows and
 * their checksum; a failure drops the spill. */
static void spill_write(engine *e, chunk_buf *b) {
    const stream *s = e->s;
    const uint64_t rows = (uint64_t)b->n * spill_row_bytes(s);
    spill_head h;
    memset(&h, 0, sizeof h);
    h.n = b->n;
    h.first_row = b->first_row;
    for (size_t i = 0; i < s->nby; i++) h.gcap[i] = b->gcap[i];
    memset(&e->spill_sum, 0, sizeof e->spill_sum);
    digest_add(&e->spill_sum, &h, sizeof h);
    uint64_t sum = 0;
    int ok = spill_room(e->spill, (double)rows + (double)(sizeof h + sizeof sum)) &&
             fwrite(&h, sizeof h, 1, e->spill) == 1 && spill_rows(e, b, 1) &&
             (sum = digest_value(&e->spill_sum), fwrite(&sum, sizeof sum, 1, e->spill) == 1);
    const int64_t chunk = e->spill_chunks++;
    if (ok && (e->spill_damaged == -1 || e->spill_damaged == chunk)) ok = spill_damage(e, rows);
    if (ok) {
        e->spill_rows += (int64_t)b->n;
        if (h.n > e->spill_max_n) e->spill_max_n = h.n;
    } else {
        spill_drop(e);
    }
}

/* Reads the next spilled chunk into b: 1, 0 at the end, −1 on a failure. */
static int spill_read(engine *e, chunk_buf *b) {
    const stream *s = e->s;
    spill_head h;
    if (e->spill_broken >= 0 && e->spill_read_chunks++ >= e->spill_broken) return -1;
    if (fread(&h, sizeof h, 1, e->spill) != 1) return feof(e->spill) && !ferror(e->spill) ? 0 : -1;
    /* (a damaged count must not reserve memory before the sum is checked) */
    if (h.n == 0 || h.n > e->spill_max_n || buf_reserve(e, b, (size_t)h.n)) return -1;
    b->n = (size_t)h.n;
    b->first_row = h.first_row;
    for (size_t i = 0; i < s->nby; i++) b->gcap[i] = h.gcap[i];
    for (int k = 0; k < 4; k++) b->deferred[k] = 0;
    memset(&e->spill_sum, 0, sizeof e->spill_sum);
    digest_add(&e->spill_sum, &h, sizeof h);
    uint64_t sum;
    if (!spill_rows(e, b, 0) || fread(&sum, sizeof sum, 1, e->spill) != 1) return -1;
    return sum == digest_value(&e->spill_sum) ? 1 : -1;
}

/* Merges the done chunks, in order, into the slots' states (the caller
 * holds e->mu). */
static void merge_done(engine *e) {
    stream *s = e->s;
    for (;;) {
        chunk_buf *b = NULL;
        for (size_t i = 0; i < e->nbuf; i++)
            if (e->buf[i].state == BUF_DONE && e->buf[i].seq == e->next_merge) b = &e->buf[i];
        if (!b) return;
        if (b->status) e->failed = 1;
        for (int k = 0; k < 4 && !e->failed; k++) {
            int first = b->deferred[k];
            for (int j = 0; j < k; j++)
                first &= !(b->deferred[j] && e->role_col[j] == e->role_col[k]);
            if (first) s->deferred_missing[e->role_col[k]] += b->nmiss[k];
        }
        for (size_t k = 0; k < s->nslot && !e->failed; k++) {
            if (!e->active[k]) continue;
            stream_slot *sl = &s->slot[k];
            if (sl->overflow) continue;
            if (!b->states[k]) { /* more labels than a fixed state's domains */
                sl->overflow = 1;
                socind_state_free(sl->state);
                sl->state = NULL;
                continue;
            }
            int32_t theirs = sl->by < 0  ? 0
                             : sl->seed  ? sl->seed_groups
                             : sl->fixed ? sl->fixed_groups
                                         : b->gcap[sl->by];
            if (!sl->state) {
                sl->state = b->states[k];
                b->states[k] = NULL;
                if (sl->by >= 0) sl->groups = theirs;
                if (sl->by == STREAM_BY_WHERE) sl->groups = 1;
                continue;
            }
            if (sl->by >= 0) {
                int32_t mine = sl->groups;
                if (theirs > mine) {
                    if (regroup(&sl->state, theirs)) {
                        e->failed = 1;
                        break;
                    }
                    sl->groups = theirs;
                } else if (theirs < mine && regroup(&b->states[k], mine)) {
                    e->failed = 1;
                    break;
                }
            }
            if (socind_state_merge(sl->state, b->states[k])) e->failed = 1;
        }
        if (e->spill_writing && !e->failed) spill_write(e, b);
        for (size_t k = 0; k < s->nslot; k++) {
            socind_state_free(b->states[k]);
            b->states[k] = NULL;
        }
        b->state = BUF_FREE;
        e->next_merge++;
        pthread_cond_broadcast(&e->cv);
    }
}

/* The filled buffer first in the chunks' order, or NULL (the caller holds
 * e->mu). */
static chunk_buf *first_filled(engine *e) {
    chunk_buf *b = NULL;
    for (size_t i = 0; i < e->nbuf; i++)
        if (e->buf[i].state == BUF_FILLED && (!b || e->buf[i].seq < b->seq)) b = &e->buf[i];
    return b;
}

/* Builds filled buffer b's states outside the lock (the caller holds e->mu
 * and holds it again on return), then marks it done. */
static void build_unlocked(engine *e, chunk_buf *b) {
    b->state = -1; /* being built */
    pthread_mutex_unlock(&e->mu);
    build_states(e, b);
    pthread_mutex_lock(&e->mu);
    b->state = BUF_DONE;
    pthread_cond_broadcast(&e->cv);
}

static void *worker(void *arg) {
    engine *e = arg;
    pthread_mutex_lock(&e->mu);
    for (;;) {
        chunk_buf *b = NULL;
        while (!e->stop && !(b = first_filled(e))) pthread_cond_wait(&e->cv, &e->mu);
        if (!b) break;
        build_unlocked(e, b);
    }
    pthread_mutex_unlock(&e->mu);
    return NULL;
}

/* 1 when label column col's label k is `value` (tbl_keep's comparison: the
 * value trimmed as labels are) */
static int label_is(const tbl_col *c, int32_t k, const char *value) {
    if (k < 0) return 0;
    size_t a = 0, b = strlen(value);
    while (a < b && (value[a] == ' ' || value[a] == '\t' || value[a] == '\r')) a++;
    while (b > a && (value[b - 1] == ' ' || value[b - 1] == '\t' || value[b - 1] == '\r')) b--;
    return strlen(c->labels[k]) == b - a && memcmp(c->labels[k], value + a, b - a) == 0;
}

/* Marks label k of breakdown i used (a row kept with it); 0 or −1. */
int stream_mark_used(stream *s, size_t i, int32_t k) {
    if (k < 0) return 0;
    if ((size_t)k >= s->used_cap[i]) {
        size_t cap = s->used_cap[i] ? s->used_cap[i] : 64;
        while (cap <= (size_t)k) cap *= 2;
        unsigned char *u = realloc(s->used[i], cap);
        if (!u) return -1;
        memset(u + s->used_cap[i], 0, cap - s->used_cap[i]);
        s->used[i] = u;
        s->used_cap[i] = cap;
    }
    s->used[i][k] = 1;
    return 0;
}

/* A free buffer (NULL: the run failed); the caller holds no lock. While
 * none is free the reading thread builds a filled one's states itself (the
 * lowest in the chunks' order, as a worker would take it) rather than
 * wait: where reading is quicker than building (the rows kept on disk) both
 * cores build. */
static chunk_buf *free_buf(engine *e) {
    pthread_mutex_lock(&e->mu);
    chunk_buf *b = NULL;
    for (;;) {
        merge_done(e);
        if (e->failed) break;
        for (size_t i = 0; i < e->nbuf && !b; i++)
            if (e->buf[i].state == BUF_FREE) b = &e->buf[i];
        if (b) break;
        chunk_buf *f = first_filled(e);
        if (f)
            build_unlocked(e, f);
        else
            pthread_cond_wait(&e->cv, &e->mu);
    }
    pthread_mutex_unlock(&e->mu);
    return b;
}

/* Fixes the domains of the fixed slots at the pass's first chunk. */
static void fix_groups(engine *e, const chunk_buf *b) {
    stream *s = e->s;
    for (size_t i = 0; i < s->nby; i++)
        if (b->gcap[i] > s->gcap_max[i]) s->gcap_max[i] = b->gcap[i];
    for (size_t k = 0; k < s->nslot; k++) {
        stream_slot *sl = &s->slot[k];
        if (e->active[k] && sl->fixed && sl->by >= 0 && !sl->seed && sl->fixed_groups == 0) {
            int32_t g = b->gcap[sl->by];
            sl->fixed_groups = g >= (1 << 27) ? g : g * 4 < 64 ? 64 : g * 4;
        }
    }
}

/* Hands a filled buffer on (to a worker, or builds its states here). */
static int hand_on(engine *e, chunk_buf *b) {
    pthread_mutex_lock(&e->mu);
    b->seq = e->next_seq++;
    if (e->nworkers == 0) {
        pthread_mutex_unlock(&e->mu);
        build_states(e, b);
        pthread_mutex_lock(&e->mu);
        b->state = BUF_DONE;
        merge_done(e);
    } else {
        b->state = BUF_FILLED;
        pthread_cond_broadcast(&e->cv);
    }
    int failed = e->failed;
    pthread_mutex_unlock(&e->mu);
    return failed;
}

/* The sink of a stream with custom chunks. */
static int sink_custom(engine *e, tbl *t) {
    stream *s = e->s;
    chunk_buf *b = free_buf(e);
    if (!b) return 1;
    int64_t m = s->custom->fill(s->custom->ctx, t, &b->custom, b->gcap);
    if (m < 0) {
        e->failed = 1;
        return 1;
    }
    s->kept += m;
    if (m == 0) return 0;
    b->n = (size_t)m;
    b->first_row = s->kept - m;
    fix_groups(e, b);
    return hand_on(e, b);
}

/* The sink: the chunk's rows (those --subset keeps) copied into a free
 * buffer and handed on. */
static int sink(tbl *t, void *ctx) {
    engine *e = ctx;
    stream *s = e->s;
    size_t n = t->nrows;
    s->rows += (int64_t)n;
    s->chunks++;
    if (s->custom) return sink_custom(e, t);
    if ((s->nsub || s->where) && !t->is_csv) {
        e->failed = 1; /* a .dta/.sav label's text is known at the end */
        return 1;
    }
    /* the rows --subset keeps, their missing cells counted */
    const size_t *idx = NULL;
    size_t m = n;
    if (s->nsub) {
        if (e->idx_cap < n) {
            size_t *q = realloc(e->idx, n * sizeof *q);
            if (!q) {
                e->failed = 1;
                return 1;
            }
            e->idx = q;
            e->idx_cap = n;
        }
        m = 0;
        for (size_t r = 0; r < n; r++) {
            int ok = 1;
            for (size_t j = 0; j < s->nsub && ok; j++)
                ok = label_is(&t->cols[s->sub_col[j]], t->cols[s->sub_col[j]].code[r],
                              s->sub_value[j]);
            if (ok) {
                e->idx[m++] = r;
                continue;
            }
            /* a row dropped: its deferred cells are still checked, as the
               in-memory read checks every row before --subset */
            for (int k = 0; k < 4; k++) {
                const tbl_col *c = e->role_col[k] >= 0 ? &t->cols[e->role_col[k]] : NULL;
                double v;
                if (c && e->defer[k] && t->is_csv &&
                    deferred_number(e, c->raw_len[r] ? t->raw + c->raw_off[r] : "", c->raw_len[r],
                                    &v) < 0) {
                    e->failed = 1;
                    return 1;
                }
            }
        }
        idx = e->idx;
        for (size_t c = 0; c < t->ncols; c++) {
            const tbl_col *col = &t->cols[c];
            if (col->defer && t->is_csv) continue; /* counted by the workers */
            for (size_t j = 0; j < m; j++)
                s->missing[c] +=
                    col->kind == TBL_NUM ? isnan(col->num[idx[j]]) != 0 : col->code[idx[j]] < 0;
        }
    }
    s->kept += (int64_t)m;
    if (m == 0) return 0;
#define ROW(j) (idx ? idx[j] : (j))
    chunk_buf *b = free_buf(e);
    if (!b) return 1;
    if (buf_reserve(e, b, m)) {
        e->failed = 1;
        return 1;
    }
    b->n = m;
    /* rows numbered in the rows kept, as the in-memory design numbers them */
    b->first_row = s->kept - (int64_t)m;
    /* the numbers, or their text for the worker to read */
    double *dest[4] = {b->w, b->y, b->y2, b->fpc};
    int any = 0;
    for (int k = 0; k < 4; k++) {
        int col = e->role_col[k];
        b->deferred[k] = col >= 0 && e->defer[k] && t->is_csv;
        if (col < 0) {
            if (k == 0)
                for (size_t j = 0; j < m; j++) b->w[j] = 1.0;
            continue;
        }
        const tbl_col *c = &t->cols[col];
        if (b->deferred[k]) {
            any = 1;
            for (size_t j = 0; j < m; j++) {
                b->off[k][j] = c->raw_off[ROW(j)];
                b->len[k][j] = c->raw_len[ROW(j)];
            }
        } else {
            for (size_t j = 0; j < m; j++) dest[k][j] = c->num[ROW(j)];
        }
    }
    if (any) {
        if (b->raw_cap < t->raw_used) {
            char *r = realloc(b->raw, t->raw_used);
            if (!r) {
                e->failed = 1;
                return 1;
            }
            b->raw = r;
            b->raw_cap = t->raw_used;
        }
        if (t->raw_used) memcpy(b->raw, t->raw, t->raw_used);
    }
    int64_t *ids[2] = {b->strata, b->psu};
    int idcol[2] = {s->strata, s->psu};
    for (int k = 0; k < 2; k++) {
        if (idcol[k] < 0) continue;
        const int32_t *code = t->cols[idcol[k]].code;
        for (size_t j = 0; j < m; j++) {
            if (code[ROW(j)] < 0) { /* an empty id: the in-memory path names it */
                e->failed = 1;
                return 1;
            }
            ids[k][j] = code[ROW(j)];
        }
    }
    if (s->where) {
        for (size_t j = 0; j < m; j++) {
            int ok = 1;
            for (size_t c = 0; c < s->where->n && ok; c++)
                ok = cond_holds(t, &s->where->c[c], e->where_value[c], ROW(j));
            b->allcode[j] = ok ? 0 : -1;
            s->in_where += ok;
        }
    }
    for (size_t i = 0; i < s->nby; i++) {
        const tbl_col *c = &t->cols[s->by[i]];
        for (size_t j = 0; j < m; j++) {
            int32_t k = c->code[ROW(j)];
            if (s->where && b->allcode[j] < 0) k = -1;
            b->group[i][j] = k;
            if ((s->nsub || s->where) && stream_mark_used(s, i, k)) {
                e->failed = 1;
                return 1;
            }
        }
        b->gcap[i] = stream_groups_cap(c->n_labels);
    }
#undef ROW
    /* a fixed state's domains: from the pass's first chunk, room to spare */
    fix_groups(e, b);
    return hand_on(e, b);
}

/* run_pass: reading the rows kept on disk back failed (nothing printed) */
#define PASS_SPILL_LOST (-100)

/* One pass over the file (or, from_spill, over the rows kept on disk) into
 * the active slots: 0, STREAM_REDO, PASS_SPILL_LOST or an exit code. */
static int run_pass(engine *e, int from_spill) {
    stream *s = e->s;
    tbl *t = s->t;
    char err[1024];
    e->next_seq = e->next_merge = 0;
    e->failed = e->stop = 0;
    e->nworkers = 0;
    e->nbuf = s->threads > 1 ? (size_t)s->threads + 1 : 1;
    e->buf = calloc(e->nbuf, sizeof *e->buf);
    int rc = 0;
    if (!e->buf) return fail_with(EXIT_DATA, "out of memory");
    for (size_t i = 0; i < e->nbuf; i++)
        if (!(e->buf[i].states = calloc(s->nslot ? s->nslot : 1, sizeof *e->buf[i].states))) {
            rc = fail_with(EXIT_DATA, "out of memory");
            goto done;
        }
    if (s->threads > 1) {
        e->workers = calloc((size_t)s->threads - 1, sizeof *e->workers);
        if (!e->workers) {
            rc = fail_with(EXIT_DATA, "out of memory");
            goto done;
        }
        for (int i = 0; i < s->threads - 1; i++) {
            if (pthread_create(&e->workers[i], NULL, worker, e) != 0) break;
            e->nworkers++;
        }
    }
    int got = 0, spill_failed = 0;
    if (from_spill) {
        /* the chunks of the reading that wrote the spill, in its order;
           its rows, all of them */
        int64_t rows = 0;
        e->spill_read_chunks = 0;
        if (fseeko(e->spill, 0, SEEK_SET) != 0) spill_failed = 1;
        while (!spill_failed) {
            chunk_buf *b = free_buf(e);
            if (!b) break;
            int r = spill_read(e, b);
            if (r <= 0) {
                spill_failed = r < 0 || rows != e->spill_rows;
                break;
            }
            rows += (int64_t)b->n;
            fix_groups(e, b);
            if (hand_on(e, b)) break;
        }
    } else {
        t->chunk_rows = s->chunk_rows;
        t->sink = sink;
        t->sink_ctx = e;
        got = tbl_read_chunks(t, err, sizeof err);
    }
    pthread_mutex_lock(&e->mu);
    /* every chunk handed over merged (or the run failed) */
    while (!e->failed && e->next_merge < e->next_seq) {
        merge_done(e);
        if (e->next_merge == e->next_seq || e->failed) break;
        chunk_buf *f = first_filled(e); /* (as free_buf: build rather than wait) */
        if (f)
            build_unlocked(e, f);
        else
            pthread_cond_wait(&e->cv, &e->mu);
    }
    e->stop = 1;
    pthread_cond_broadcast(&e->cv);
    pthread_mutex_unlock(&e->mu);
    for (int i = 0; i < e->nworkers; i++) pthread_join(e->workers[i], NULL);
    if (got && !t->sink_stopped)
        rc = fail_with(EXIT_DATA, "%s", err);
    else if (spill_failed && !e->failed)
        rc = PASS_SPILL_LOST;
    else if (got || e->failed || spill_failed)
        rc = STREAM_REDO;
done:
    free(e->workers);
    e->workers = NULL;
    for (size_t i = 0; i < e->nbuf; i++) buf_free(s, &e->buf[i], s->nslot);
    free(e->buf);
    e->buf = NULL;
    t->sink = NULL;
    t->chunk_rows = 0;
    return rc;
}

/* Whether a file is as it was: the same file (device, inode: not another
 * put in its place), size and modification time. (Not the status-change
 * time, which moves with a chmod, a new link or an access time set back,
 * none of them a change of the rows. A file rewritten in place to the same
 * size and given its old modification time back, as `cp -p` does, is not
 * seen here: between two readings the checksums of the bytes each took in
 * (tbl.digest) see it; during a file's one reading, where the later passes
 * read its rows kept on disk, nothing does.) */
static int same_file_state(const struct stat *a, const struct stat *b) {
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
           a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/* The message of a file that changed between its readings (reading: the
 * number of the reading that found it), or during its one reading where
 * the later passes read its rows kept on disk: EXIT_DATA. */
static int changed(const stream *s, int reading, int64_t rows1) {
    if (reading == 1)
        return fail_with(EXIT_DATA,
                         "%s changed while it was read (its size, its modification time or the "
                         "file itself differ after its reading from before it); run again on a "
                         "file that does not change",
                         s->t->path);
    if (s->rows != rows1)
        return fail_with(EXIT_DATA,
                         "%s changed while it was read: its first reading gave %lld rows, "
                         "reading %d gave %lld (these estimates read the file %s); run again "
                         "on a file that does not change",
                         s->t->path, (long long)rows1, reading, (long long)s->rows,
                         "once per pass of their partial states where its rows cannot be kept "
                         "on disk");
    return fail_with(EXIT_DATA,
                     "%s changed while it was read (its size, its modification time, its bytes, "
                     "the file itself or its labels differ between reading 1 and reading %d; these "
                     "estimates read the file "
                     "once per pass of their partial states where its rows cannot be kept on "
                     "disk); run again on a file that does not change",
                     s->t->path, reading);
}

/* SOCIND_STREAM_PAUSE=1 (a testing knob): between two passes the command
 * says "socind: stream: pass K read" on stderr and waits for a line on
 * standard input (so that a test can change the file between passes).
 * Nonzero: standard input ended. */
static int pass_pause(const stream *s, int pass) {
    const char *v = getenv("SOCIND_STREAM_PAUSE");
    if (!v || strcmp(v, "1") != 0) return 0;
    (void)s;
    fprintf(stderr, "socind: stream: pass %d read\n", pass);
    fflush(stderr);
    int c;
    while ((c = getchar()) != EOF && c != '\n') {
    }
    return c == EOF;
}

/* 1 when a slot's estimate takes more than one pass (its empty state says
 * so before its first chunk). */
static int takes_passes(const stream *s) {
    for (size_t k = 0; k < s->nslot; k++) {
        socind_state_spec sp = s->slot[k].spec;
        sp.n_groups = s->slot[k].by == -1 ? 0 : 1;
        socind_state *st = NULL;
        int32_t passes = 1;
        if (socind_state_new(&sp, &st) == SOCIND_OK &&
            socind_state_passes(st, NULL, &passes) == SOCIND_OK && passes > 1) {
            socind_state_free(st);
            return 1;
        }
        socind_state_free(st);
    }
    return 0;
}

int stream_run(stream *s) {
    engine e;
    memset(&e, 0, sizeof e);
    e.s = s;
    for (size_t k = 0; k < s->nslot; k++) e.need_ones |= s->slot[k].y == STREAM_Y_ONES;
    e.active = calloc(s->nslot ? s->nslot : 1, 1);
    if (!e.active) return fail_with(EXIT_DATA, "out of memory");
    if (pthread_mutex_init(&e.mu, NULL) != 0 || pthread_cond_init(&e.cv, NULL) != 0) {
        free(e.active);
        return fail_with(EXIT_DATA, "cannot start threads");
    }
    int rc = 0;
    for (size_t k = 0; k < s->nslot; k++) {
        s->slot[k].groups = 0;
        e.active[k] = 1;
    }
    if (s->where)
        for (size_t c = 0; c < s->where->n; c++)
            cond_value(&s->where->c[c], e.where_value[c], sizeof e.where_value[c]);
    /* with threads, a CSV file's number cells are read on the workers (not
       a column --where compares: its numbers are needed while reading) */
    e.na = na_set_of(s->t->na_values);
    int roles[4] = {s->weight, s->value, s->y2, s->fpc};
    for (int k = 0; k < 4; k++) {
        e.role_col[k] = roles[k];
        int col = roles[k];
        int ok = col >= 0 && s->threads > 1 && s->t->cap == 0 && s->t->cols[col].kind == TBL_NUM;
        for (size_t c = 0; ok && s->where && c < s->where->n; c++) ok = s->where->c[c].col != col;
        e.defer[k] = ok;
        if (ok) s->t->cols[col].defer = 1;
    }
    struct stat st0;
    int have_st0 = stat(s->t->path, &st0) == 0;
    int64_t rows1 = 0;
    uint64_t digest1 = 0; /* the first reading's checksum of the file's bytes */
    for (size_t k = 0; k < s->nslot; k++) {
        s->slot[k].overflow = 0;
        s->slot[k].fixed_groups = 0;
    }
    s->passes = s->spill_passes = s->spill_lost = 0;
    int64_t broken_after, damaged_at;
    const int knob = spill_knob(&broken_after, &damaged_at);
    if (!s->custom && (knob >= 1 || (knob < 0 && takes_passes(s)))) spill_open(&e);
    e.spill_broken = broken_after;
    e.spill_damaged = damaged_at;
    for (e.pass = 1;; e.pass++) {
        const int from_spill = e.spill_ready;
        if (e.pass > 1) {
            if (pass_pause(s, e.pass - 1)) {
                rc = STREAM_REDO;
                break;
            }
            if (from_spill) {
                /* the reading's counts stand: the same rows again */
                rc = run_pass(&e, 1);
                if (rc == 0) {
                    s->spill_passes++;
                    goto next_pass;
                }
                if (rc != PASS_SPILL_LOST) break;
                /* this pass again from the file: the states it made so
                   far dropped (the next pass's seeds stand) */
                rc = 0;
                s->spill_lost++;
                spill_drop(&e);
                for (size_t k = 0; k < s->nslot; k++) {
                    if (!e.active[k]) continue;
                    socind_state_free(s->slot[k].state);
                    s->slot[k].state = NULL;
                    s->slot[k].groups = 0;
                    s->slot[k].overflow = 0;
                }
            }
            tbl_rewind(s->t);
        }
        for (size_t i = 0; i < STREAM_MAX_BY; i++) s->gcap_max[i] = 0;
        s->rows = 0;
        s->chunks = 0;
        s->kept = s->in_where = 0;
        free(s->missing);
        s->missing = NULL;
        free(s->deferred_missing);
        if (!(s->deferred_missing = calloc(s->t->ncols ? s->t->ncols : 1, sizeof(int64_t)))) {
            rc = fail_with(EXIT_DATA, "out of memory");
            break;
        }
        if (s->nsub && !(s->missing = calloc(s->t->ncols ? s->t->ncols : 1, sizeof *s->missing))) {
            rc = fail_with(EXIT_DATA, "out of memory");
            break;
        }
        for (size_t i = 0; i < s->nby; i++)
            if (s->used[i]) memset(s->used[i], 0, s->used_cap[i]);
        if ((rc = run_pass(&e, 0))) break;
        s->passes++;
        if (e.spill_writing) { /* every chunk of this reading written */
            if (fflush(e.spill) == 0 && !ferror(e.spill)) {
                e.spill_writing = 0;
                e.spill_ready = 1;
            } else
                spill_drop(&e);
        }
        /* every pass must read the rows the first read, and the same bytes */
        if (e.pass == 1) rows1 = s->rows, digest1 = s->t->digest;
        /* (and where the later passes read the rows kept on disk, the file
           must be as it was before this reading) */
        struct stat st1;
        if ((e.pass > 1 && (s->rows != rows1 || s->t->digest != digest1)) ||
            ((e.pass > 1 || e.spill_ready) && have_st0 &&
             (stat(s->t->path, &st1) != 0 || !same_file_state(&st0, &st1)))) {
            rc = changed(s, s->passes, rows1);
            break;
        }
        /* the deferred columns' missing cells, as the reader counts them */
        for (size_t c = 0; c < s->t->ncols && s->t->is_csv; c++) {
            if (!s->t->cols[c].defer) continue;
            if (s->missing)
                s->missing[c] = s->deferred_missing[c];
            else
                s->t->cols[c].n_missing = s->deferred_missing[c];
        }
        /* no row kept, or none meeting --where, or a --where value written
           for another text of the column ("1.0" for "1"): the in-memory
           path's message */
        if (s->kept == 0 || (s->where && s->in_where == 0)) {
            rc = STREAM_REDO;
            break;
        }
        for (size_t c = 0; e.pass == 1 && s->where && c < s->where->n && !rc; c++) {
            int32_t k, others;
            if (cond_meant(s->t, &s->where->c[c], e.where_value[c], &k, &others)) rc = STREAM_REDO;
        }
        if (rc) break;
    next_pass:;
        /* the slots whose estimate needs another pass start it from their
           merged state; the others are done */
        int more = 0;
        for (size_t k = 0; k < s->nslot && !rc; k++) {
            int32_t pass = 1, passes = 1;
            stream_slot *sl = &s->slot[k];
            int was_active = e.active[k];
            e.active[k] = 0;
            if (was_active && sl->overflow) {
                /* more labels than its domains: its first pass again, with
                   the file's labels (a later pass: the file changed) */
                if (sl->seed) {
                    rc = changed(s, s->passes, rows1);
                    break;
                }
                sl->overflow = 0;
                sl->fixed_groups = s->gcap_max[sl->by];
                socind_state_free(sl->state);
                sl->state = NULL;
                sl->groups = 0;
                e.active[k] = 1;
                more = 1;
                continue;
            }
            if (!s->slot[k].state) continue;
            /* (the merged state's answer: a quantile's pass 2 may ask for a
               third; out of memory here, as below, redoes the run in
               memory) */
            if (socind_state_passes(s->slot[k].state, &pass, &passes)) {
                rc = STREAM_REDO;
                break;
            }
            if (pass >= passes) continue;
            /* the next pass's chunks are added to copies of its empty state,
               read from its bytes on the workers */
            socind_state *next = NULL;
            size_t len = 0;
            unsigned char *seed = NULL;
            if (socind_state_next_pass(s->slot[k].state, &next) ||
                socind_state_to_bytes(next, NULL, 0, &len) || !(seed = malloc(len)) ||
                socind_state_to_bytes(next, seed, len, &len)) {
                socind_state_free(next);
                free(seed);
                rc = STREAM_REDO;
                break;
            }
            socind_state_free(next);
            free(s->slot[k].seed);
            s->slot[k].seed = seed;
            s->slot[k].seed_len = len;
            s->slot[k].seed_groups = s->slot[k].groups;
            socind_state_free(s->slot[k].state);
            s->slot[k].state = NULL;
            s->slot[k].groups = 0;
            e.active[k] = 1;
            more = 1;
        }
        if (rc || !more) break;
    }
    spill_drop(&e);
    free(e.spill_ids);
    for (size_t k = 0; k < s->nslot; k++) {
        free(s->slot[k].seed);
        s->slot[k].seed = NULL;
    }
    pthread_cond_destroy(&e.cv);
    pthread_mutex_destroy(&e.mu);
    free(e.active);
    free(e.idx);
    return rc;
}

void stream_free(stream *s) {
    free(s->missing);
    s->missing = NULL;
    free(s->deferred_missing);
    s->deferred_missing = NULL;
    for (size_t c = 0; s->t && c < s->t->ncols; c++) s->t->cols[c].defer = 0;
    for (size_t i = 0; i < STREAM_MAX_BY; i++) {
        free(s->used[i]);
        s->used[i] = NULL;
        s->used_cap[i] = 0;
    }
}

/* ------------------------------------------------------------------ groups */

int stream_groups(const stream *s, int col, breakdown *b, int32_t **state_code) {
    const tbl_col *c = &s->t->cols[col];
    int32_t m = c->n_labels;
    *state_code = NULL;
    /* a table of one row per label: breakdown_make's sorting over them */
    tbl one;
    memset(&one, 0, sizeof one);
    one.path = s->t->path;
    one.nrows = (size_t)m;
    tbl_col copy = *c;
    int32_t *ident = malloc((m ? (size_t)m : 1) * sizeof *ident);
    if (!ident) {
        return fail_with(EXIT_DATA, "out of memory");
    }
    for (int32_t k = 0; k < m; k++) ident[k] = k;
    copy.code = ident;
    /* with --subset or --where, the labels of the rows kept (the states'
       codes j are final labels remap[j]) */
    size_t bi = 0;
    while (bi < s->nby && s->by[bi] != col) bi++;
    unsigned char *keep = NULL;
    if (bi < s->nby && (s->nsub || s->where || s->use_marks)) {
        keep = calloc(m ? (size_t)m : 1, 1);
        if (!keep) {
            free(ident);
            return fail_with(EXIT_DATA, "out of memory");
        }
        for (size_t j = 0; j < s->used_cap[bi]; j++) {
            if (!s->used[bi][j]) continue;
            int32_t k = c->remap ? ((int32_t)j < c->n_remap ? c->remap[j] : -1) : (int32_t)j;
            if (k >= 0 && k < m) keep[k] = 1;
        }
    }
    int rc = breakdown_make_in(&one, &copy, keep, b);
    free(keep);
    if (rc) {
        free(ident);
        return rc;
    }
    /* final label k is group b->code[k]; the states' code j is final label
       remap[j] (or j itself) */
    int32_t nj = c->remap ? c->n_remap : m;
    int32_t *out = malloc((b->n_groups ? (size_t)b->n_groups : 1) * sizeof *out);
    if (!out) {
        free(ident);
        breakdown_free(b);
        return fail_with(EXIT_DATA, "out of memory");
    }
    for (int32_t g = 0; g < b->n_groups; g++) out[g] = -1;
    rc = 0;
    for (int32_t j = 0; j < nj && !rc; j++) {
        int32_t k = c->remap ? c->remap[j] : j;
        if (k < 0 || k >= m) continue;
        int32_t g = b->code[k];
        if (g < 0) continue;
        if (out[g] >= 0) rc = STREAM_REDO; /* two codes, one group */
        out[g] = j;
    }
    free(ident);
    if (rc) {
        free(out);
        breakdown_free(b);
        return rc;
    }
    *state_code = out;
    return 0;
}
