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
 * written). The time is the best of 3 builds (2 from 5·10^7 rows).
 * Usage: bench_design [--large] [--shuffled] [--no-psu] [rows ...] */
#define _DEFAULT_SOURCE /* madvise */
#include "bench_util.h"

#include <pthread.h>
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
static double fresh_write(size_t bytes, int threads) {
    const size_t huge = (size_t)2 << 20;
    size_t rounded = (bytes + huge - 1) / huge * huge;
    double t0 = bench_now();
    unsigned char *p = aligned_alloc(huge, rounded);
    if (!p) return -1;
#ifdef MADV_HUGEPAGE
    madvise(p, rounded, MADV_HUGEPAGE);
#endif
    share sh[2] = {{p, 0, bytes / 2}, {p, bytes / 2, bytes}};
    pthread_t tid;
    if (threads == 2 && pthread_create(&tid, NULL, write_share, &sh[1]) == 0) {
        write_share(&sh[0]);
        pthread_join(tid, NULL);
    } else {
        sh[0].hi = bytes;
        write_share(&sh[0]);
    }
    volatile unsigned char sink = p[bytes / 3];
    (void)sink;
    double t = bench_now() - t0;
    free(p);
    return t;
}

static double run(size_t n, int threads, int shuffled, int no_psu) {
    double *w = malloc(n * sizeof *w);
    int64_t *strata = malloc(n * sizeof *strata), *psu = malloc(n * sizeof *psu);
    if (!w || !strata || !psu) return -1;
    size_t npsu = (n + PER_PSU - 1) / PER_PSU;
    /* the order in which the PSUs come: 0, 1, … or a random permutation */
    int64_t *order = malloc(npsu * sizeof *order);
    if (!order) return -1;
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
    socind_design_options o;
    socind_design_options_init(&o);
    o.threads = threads;
    double rss0 = status_bytes("VmRSS");
    socind_design *d = NULL;
    double t_first = bench_now();
    if (socind_design_new(n, w, strata, no_psu ? NULL : psu, NULL, &o, &d) != SOCIND_OK) {
        fprintf(stderr, "design: %s\n", socind_last_error_detail());
        return -1;
    }
    t_first = bench_now() - t_first;
    double hwm = status_bytes("VmHWM"), rss1 = status_bytes("VmRSS");
    double best = t_first;
    int reps = n >= 50000000 ? 2 : 3;
    for (int r = 1; r < reps; r++) {
        socind_design_free(d);
        d = NULL;
        double t0 = bench_now();
        if (socind_design_new(n, w, strata, no_psu ? NULL : psu, NULL, &o, &d) != SOCIND_OK)
            return -1;
        double t = bench_now() - t0;
        if (t < best) best = t;
    }
    double floor = 1e300;
    for (int r = 0; r < reps; r++) {
        double t = fresh_write(n * 12, threads);
        if (t >= 0 && t < floor) floor = t;
    }
    printf("%11zu %8zu %7zu %7d %9.4f %8.2f %9.4f %9.1f %9.1f\n", n, socind_design_npsu(d),
           socind_design_nstrata(d), threads, best, best / (double)n * 1e9, floor,
           (hwm - rss0) / (double)n, (rss1 - rss0) / (double)n);
    fflush(stdout);
    socind_design_free(d);
    free(w);
    free(strata);
    free(psu);
    return best;
}

/* runs one (size, threads) in a child: its time, or -1 on failure */
static double child(size_t n, int threads, int shuffled, int no_psu) {
    int fd[2];
    if (pipe(fd) != 0) return -1;
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        close(fd[0]);
        /* the child's table line goes to stdout; its time through the pipe */
        double t = run(n, threads, shuffled, no_psu);
        (void)!write(fd[1], &t, sizeof t);
        _exit(t < 0);
    }
    close(fd[1]);
    double t = -1;
    int ws = 0;
    if (read(fd[0], &t, sizeof t) != (ssize_t)sizeof t) t = -1;
    close(fd[0]);
    waitpid(pid, &ws, 0);
    return WIFEXITED(ws) && WEXITSTATUS(ws) == 0 ? t : -1;
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
    printf("floor s: allocating and writing 12 bytes a row of fresh memory on as many threads;\n"
           "peak/row: the build's peak resident memory beyond the caller's arrays, bytes a row;\n"
           "kept/row: resident memory after the build, beyond the caller's arrays\n");
    printf("%11s %8s %7s %7s %9s %8s %9s %9s %9s\n", "rows", "PSUs", "strata", "threads", "best s",
           "ns/row", "floor s", "peak/row", "kept/row");
    double ratio[8], per_row[8];
    for (int i = 0; i < nsizes; i++) {
        double t[3];
        for (int th = 1; th <= 2; th++) {
            t[th] = child(sizes[i], th, shuffled, no_psu);
            if (t[th] < 0) {
                fprintf(stderr, "bench_design: the run at %zu rows failed\n", sizes[i]);
                return 1;
            }
        }
        ratio[i] = t[1] / t[2];
        per_row[i] = t[1] / (double)sizes[i];
    }
    for (int i = 0; i < nsizes; i++)
        printf("%11zu rows: 1 thread / 2 threads = %.2fx (goal >= 1.8)\n", sizes[i], ratio[i]);
    if (nsizes >= 2)
        printf("time per row at %zu rows over that at %zu rows (1 thread): %.2f (goal: about 1)\n",
               sizes[nsizes - 1], sizes[0], per_row[nsizes - 1] / per_row[0]);
    return 0;
}
