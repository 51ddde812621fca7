/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench/bench_design.c — socind_design_new at 10^6 and 10^7 rows (and 10^8
 * with --large): time per row and the peak memory of the build beyond the
 * caller's arrays, on 1 and 2 threads, with the ratio. 35 rows a PSU, 15
 * PSUs a stratum, rows sorted by PSU (a survey file's usual order); with
 * --shuffled the PSUs come in a random order (each PSU's rows still
 * together), with --no-psu every row is its own PSU.
 *
 * Each (size, threads) runs in a child process of its own so that its peak
 * resident memory (VmHWM, /proc/self/status) is that of one build: the
 * figure printed is VmHWM after the first build minus VmRSS just before it
 * (the caller's weights, strata and PSU ids, 24 bytes a row, already
 * written). The times are the best of 25 builds (7 above 2·10^6 rows, 5
 * from 5·10^7) on 1 and on 2 threads taken in turn, in each child, the
 * better of the two children's; next to them, the floor: allocating and
 * writing once the design's 12 bytes a row of fresh memory (on a virtual
 * machine the kernel's first touch of a page can cost more than the
 * build's own work), and the copy: that with the build's reads of the
 * caller's three columns, its memory traffic without its logic.
 * Usage: bench_design [--large] [--shuffled] [--no-psu] [rows ...] */
#define _DEFAULT_SOURCE /* madvise */
#include "bench_util.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "socind/socind.h"

enum { PER_PSU = 35, PSU_PER_STRATUM = 15 };

/* VmRSS or VmHWM of this process in bytes (-1 if unreadable) */
static double status_bytes(const char *field) {
    FILE *f = fopen("/proc/self/status", "r");
    if (!f) return -1;
    char line[256];
    double kb = -1;
    size_t len = strlen(field);
    while (fgets(line, sizeof line, f))
        if (strncmp(line, field, len) == 0 && line[len] == ':') kb = strtod(line + len + 1, NULL);
    fclose(f);
    return kb < 0 ? -1 : kb * 1024.0;
}

/* The floor: allocating and writing once `bytes` of fresh memory, as the
 * library allocates its row arrays (2 MiB-aligned, huge pages asked for),
 * on `threads` threads each writing its share; the kernel zeroes every
 * page on first touch, which on a virtual machine can cost more than the
 * write itself. */
typedef struct {
    unsigned char *p;
    size_t lo, hi;
} share;
static void *write_share(void *arg) {
    share *s = arg;
    memset(s->p + s->lo, 1, s->hi - s->lo);
    return NULL;
}
static void *huge_alloc(size_t bytes) {
    const size_t huge = (size_t)2 << 20;
    size_t rounded = (bytes + huge - 1) / huge * huge;
    void *p = aligned_alloc(huge, rounded);
#ifdef MADV_HUGEPAGE
    if (p) madvise(p, rounded, MADV_HUGEPAGE);
#endif
    return p;
}
/* fn over two halves, a on the calling thread and b on a thread of its own
 * (threads 2), else over whole on the calling thread. */
static void run_halves(void *(*fn)(void *), void *a, void *b, void *whole, int threads) {
    pthread_t tid;
    if (threads == 2 && pthread_create(&tid, NULL, fn, b) == 0) {
        fn(a);
        pthread_join(tid, NULL);
    } else {
        fn(whole);
    }
}

static double fresh_write(size_t bytes, int threads) {
    double t0 = bench_now();
    unsigned char *p = huge_alloc(bytes);
    if (!p) return -1;
    share sh[3] = {{p, 0, bytes / 2}, {p, bytes / 2, bytes}, {p, 0, bytes}};
    run_halves(write_share, &sh[0], &sh[1], &sh[2], threads);
    volatile unsigned char sink = p[bytes / 3];
    (void)sink;
    double t = bench_now() - t0;
    free(p);
    return t;
}

/* The second floor: the build's memory traffic and none of its logic. On
 * `threads` threads, each its share of the rows: read the caller's weight,
 * stratum and PSU (24 bytes a row), number the runs of equal (stratum,
 * PSU), and write the weight and the run's number (12 bytes a row) into
 * fresh memory allocated as the library allocates it. Where this loop
 * gains less than 1.8x on 2 threads, the machine's memory does not give
 * two threads more. */
typedef struct {
    const double *w;
    const int64_t *s, *p;
    double *ow;
    int32_t *op;
    size_t lo, hi;
} copy_share;
static void *copy_rows(void *arg) {
    copy_share *c = arg;
    int64_t ls = INT64_MIN, lp = INT64_MIN;
    int32_t id = -1;
    for (size_t k = c->lo; k < c->hi; k++) {
        if (c->s[k] != ls || c->p[k] != lp) ls = c->s[k], lp = c->p[k], id++;
        c->ow[k] = c->w[k];
        c->op[k] = id;
    }
    return NULL;
}
static double fresh_copy(size_t n, const double *w, const int64_t *s, const int64_t *p,
                         int threads) {
    double t0 = bench_now();
    double *ow = huge_alloc(n * sizeof *ow);
    int32_t *op = huge_alloc(n * sizeof *op);
    if (!ow || !op) {
        free(ow), free(op);
        return -1;
    }
    copy_share sh[3] = {
        {w, s, p, ow, op, 0, n / 2}, {w, s, p, ow, op, n / 2, n}, {w, s, p, ow, op, 0, n}};
    run_halves(copy_rows, &sh[0], &sh[1], &sh[2], threads);
    volatile int32_t sink = op[n / 3];
    (void)sink;
    double t = bench_now() - t0;
    free(ow), free(op);
    return t;
}

/* What two threads get on this machine now: the same arithmetic loop run
 * once on one thread, then once on each of two; 2.0 on two free cores, less
 * when other programs hold a core. */
static volatile long spin_count = 40000000;
static double spin_out[2];
static volatile double spin_factor = 1.0000001;
static void *spin(void *arg) {
    double *out = arg, v = 1.0, f = spin_factor;
    for (long i = 0, m = spin_count; i < m; i++) v = v * f + 1e-9;
    *out = v;
    return NULL;
}
static double two_thread_gain(void) {
    double *a = &spin_out[0], *b = &spin_out[1], best1 = 1e300, best2 = 1e300;
    for (int r = 0; r < 3; r++) {
        double t0 = bench_now();
        spin(a);
        double t1 = bench_now() - t0;
        pthread_t tid;
        t0 = bench_now();
        if (pthread_create(&tid, NULL, spin, b) != 0) return 1.0;
        spin(a);
        pthread_join(tid, NULL);
        double t2 = bench_now() - t0;
        best1 = t1 < best1 ? t1 : best1;
        best2 = t2 < best2 ? t2 : best2;
    }
    if (spin_out[0] != spin_out[1]) return 0.0; /* never: the same loop */
    return 2.0 * best1 / best2;
}

/* processor time of the process, all threads, user and system */
static double cpu_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* What a child measures: the peak of its first build (on `threads`), then
 * builds on 1 and 2 threads taken in turn (so that both meet the same load
 * from other programs), and the fresh-memory floor on 1 and 2 threads. */
typedef struct {
    double peak, kept; /* bytes a row beyond the caller's arrays */
    double best[3];    /* best build time on 1 and 2 threads */
    double cpu[3];     /* least processor time (all threads) of a build */
    double floor[3];   /* best fresh-memory floor on 1 and 2 threads */
    double copy[3];    /* best of the traffic floor (fresh_copy) */
    size_t npsu, nstrata;
    int ok;
} result;

static int build(size_t n, const double *w, const int64_t *s, const int64_t *p, int threads,
                 socind_design **d) {
    socind_design_options o;
    socind_design_options_init(&o);
    o.threads = threads;
    if (socind_design_new(n, w, s, p, NULL, &o, d) == SOCIND_OK) return 0;
    fprintf(stderr, "design: %s\n", socind_last_error_detail());
    return 1;
}

static result run(size_t n, int threads, int shuffled, int no_psu) {
    result r = {0};
    double *w = malloc(n * sizeof *w);
    int64_t *strata = malloc(n * sizeof *strata), *psu = malloc(n * sizeof *psu);
    size_t npsu = (n + PER_PSU - 1) / PER_PSU;
    /* the order in which the PSUs come: 0, 1, … or a random permutation */
    int64_t *order = malloc(npsu * sizeof *order);
    if (!w || !strata || !psu || !order) return r;
    uint64_t seed = 20261202;
    for (size_t p = 0; p < npsu; p++) order[p] = (int64_t)p;
    if (shuffled)
        for (size_t p = npsu; p > 1; p--) {
            size_t j = (size_t)(bench_rng(&seed) % p);
            int64_t t = order[p - 1];
            order[p - 1] = order[j];
            order[j] = t;
        }
    for (size_t k = 0; k < n; k++) {
        int64_t p = order[k / PER_PSU];
        psu[k] = 100000 + p * 7;
        strata[k] = 3200 + p / PSU_PER_STRATUM;
        w[k] = 50.0 + 400.0 * bench_unif(&seed);
    }
    free(order);
    const int64_t *pc = no_psu ? NULL : psu;
    double rss0 = status_bytes("VmRSS");
    socind_design *d = NULL;
    if (build(n, w, strata, pc, threads, &d)) return r;
    r.peak = (status_bytes("VmHWM") - rss0) / (double)n;
    r.kept = (status_bytes("VmRSS") - rss0) / (double)n;
    r.npsu = socind_design_npsu(d);
    r.nstrata = socind_design_nstrata(d);
    socind_design_free(d);
    int reps = n >= 50000000 ? 5 : n > 2000000 ? 7 : 25;
    r.best[1] = r.best[2] = r.floor[1] = r.floor[2] = r.cpu[1] = r.cpu[2] = 1e300;
    r.copy[1] = r.copy[2] = 1e300;
    for (int rep = 0; rep < reps; rep++)
        for (int t = 1; t <= 2; t++) {
            double c0 = cpu_now(), t0 = bench_now();
            if (build(n, w, strata, pc, t, &d)) return r;
            double dt = bench_now() - t0, dc = cpu_now() - c0;
            socind_design_free(d);
            if (dt < r.best[t]) r.best[t] = dt;
            if (dc < r.cpu[t]) r.cpu[t] = dc;
            dt = fresh_write(n * 12, t);
            if (dt >= 0 && dt < r.floor[t]) r.floor[t] = dt;
            dt = fresh_copy(n, w, strata, pc ? pc : strata, t);
            if (dt >= 0 && dt < r.copy[t]) r.copy[t] = dt;
        }
    free(w);
    free(strata);
    free(psu);
    r.ok = 1;
    return r;
}

/* runs one (size, threads) in a child process */
static result child(size_t n, int threads, int shuffled, int no_psu) {
    result r = {0};
    int fd[2];
    if (pipe(fd) != 0) return r;
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) return r;
    if (pid == 0) {
        close(fd[0]);
        r = run(n, threads, shuffled, no_psu);
        (void)!write(fd[1], &r, sizeof r);
        _exit(!r.ok);
    }
    close(fd[1]);
    int ws = 0;
    if (read(fd[0], &r, sizeof r) != (ssize_t)sizeof r) r.ok = 0;
    close(fd[0]);
    waitpid(pid, &ws, 0);
    if (!WIFEXITED(ws) || WEXITSTATUS(ws) != 0) r.ok = 0;
    return r;
}

int main(int argc, char **argv) {
    size_t sizes[8] = {1000000, 10000000};
    int nsizes = 2, large = 0, shuffled = 0, no_psu = 0, given = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--large") == 0)
            large = 1;
        else if (strcmp(argv[i], "--shuffled") == 0)
            shuffled = 1;
        else if (strcmp(argv[i], "--no-psu") == 0)
            no_psu = 1;
        else if (nsizes < 8) {
            if (!given) nsizes = 0;
            given = 1;
            sizes[nsizes++] = (size_t)strtoull(argv[i], NULL, 10);
        }
    }
    if (large && !given) sizes[nsizes++] = 100000000;
    printf("bench_design: socind_design_new, %d rows a PSU, %d PSUs a stratum%s%s\n", PER_PSU,
           PSU_PER_STRATUM, shuffled ? ", PSUs in random order" : ", rows sorted by PSU",
           no_psu ? ", no PSU column (every row a PSU)" : "");
    printf(
        "best s: best of 25 builds (7 above 2e6 rows, 5 from 5e7), 1 and 2 threads taken in turn;\n"
        "cpu s: the least processor time of a build, all its threads (user + system);\n"
        "floor s: allocating and writing 12 bytes a row of fresh memory on as many threads;\n"
        "copy s: that and reading the caller's weight, stratum and PSU (24 bytes a row),\n"
        "  numbering the PSU runs: the build's memory traffic without its logic;\n"
        "peak/row: the first build's peak resident memory beyond the caller's arrays, bytes "
        "a row;\nkept/row: resident memory after it, beyond the caller's arrays\n");
    printf("%11s %8s %7s %7s %9s %8s %9s %9s %9s %9s %9s\n", "rows", "PSUs", "strata", "threads",
           "best s", "ns/row", "cpu s", "floor s", "copy s", "peak/row", "kept/row");
    double ratio[8], floor_ratio[8], copy_ratio[8], per_row[8], cpu_row[8];
    for (int i = 0; i < nsizes; i++) {
        result r[3];
        double best[3], floor[3], copy[3], cpu[3];
        for (int th = 1; th <= 2; th++) {
            r[th] = child(sizes[i], th, shuffled, no_psu);
            if (!r[th].ok) {
                fprintf(stderr, "bench_design: the run at %zu rows failed\n", sizes[i]);
                return 1;
            }
        }
        for (int th = 1; th <= 2; th++) {
            best[th] = r[1].best[th] < r[2].best[th] ? r[1].best[th] : r[2].best[th];
            floor[th] = r[1].floor[th] < r[2].floor[th] ? r[1].floor[th] : r[2].floor[th];
            cpu[th] = r[1].cpu[th] < r[2].cpu[th] ? r[1].cpu[th] : r[2].cpu[th];
            copy[th] = r[1].copy[th] < r[2].copy[th] ? r[1].copy[th] : r[2].copy[th];
        }
        for (int th = 1; th <= 2; th++)
            printf("%11zu %8zu %7zu %7d %9.4f %8.2f %9.4f %9.4f %9.4f %9.1f %9.1f\n", sizes[i],
                   r[th].npsu, r[th].nstrata, th, best[th], best[th] / (double)sizes[i] * 1e9,
                   cpu[th], floor[th], copy[th], r[th].peak, r[th].kept);
        fflush(stdout);
        ratio[i] = best[1] / best[2];
        floor_ratio[i] = floor[1] / floor[2];
        copy_ratio[i] = copy[1] / copy[2];
        per_row[i] = best[1] / (double)sizes[i];
        cpu_row[i] = cpu[1] / (double)sizes[i];
    }
    for (int i = 0; i < nsizes; i++)
        printf("%11zu rows: 1 thread / 2 threads = %.2fx (goal >= 1.8); the floor's %.2fx, "
               "the copy's %.2fx\n",
               sizes[i], ratio[i], floor_ratio[i], copy_ratio[i]);
    printf("this machine now: an arithmetic loop gains %.2fx on 2 threads (2.00 on two free "
           "cores)\n",
           two_thread_gain());
    if (nsizes >= 2)
        printf("time per row at %zu rows over that at %zu rows (1 thread): %.2f (goal: about 1)\n",
               sizes[nsizes - 1], sizes[0], per_row[nsizes - 1] / per_row[0]);
    if (nsizes >= 2)
        printf("processor time per row, the same:                     %.2f\n",
               cpu_row[nsizes - 1] / cpu_row[0]);
    return 0;
}
