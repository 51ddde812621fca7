/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lib/parallel.c — the library's one way to use threads (internal.h): how
 * many a call uses, and one function run as T parts on T threads
 * (socind__parallel): part 0 on the calling thread, the others on threads
 * of their own, each joined before the call returns. A part whose thread
 * cannot be started runs on the calling thread: the result is the same,
 * only slower. */
#define _DEFAULT_SOURCE /* sysconf's _SC_NPROCESSORS_ONLN */
#include <pthread.h>
#include <unistd.h>

#include "internal.h"

int32_t socind__threads_in_force(int32_t threads) {
    long t = threads;
    if (t == 0) {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        t = cpus > 0 ? cpus : 1;
    }
    if (t > SOCIND_MAX_THREADS) t = SOCIND_MAX_THREADS;
    return t < 1 ? 1 : (int32_t)t;
}

int32_t socind__threads_over(int32_t threads, size_t n, size_t min_rows) {
    int32_t t = socind__threads_in_force(threads);
    size_t most = min_rows > 1 ? n / min_rows : n;
    if ((size_t)t > most) t = most > 1 ? (int32_t)most : 1;
    return t;
}

typedef struct {
    socind__part_fn fn;
    void *arg;
    int32_t part;
} part_job;

static void *part_main(void *p) {
    const part_job *j = p;
    j->fn(j->arg, j->part);
    return NULL;
}

SOCIND__TEST_SWITCH_DEFINE(socind__parallel_no_thread);

int32_t socind__parallel(int32_t parts, socind__part_fn fn, void *arg) {
    if (parts > SOCIND_MAX_THREADS) parts = SOCIND_MAX_THREADS;
    part_job job[SOCIND_MAX_THREADS];
    pthread_t tid[SOCIND_MAX_THREADS];
    unsigned char started[SOCIND_MAX_THREADS] = {0};
    int32_t used = parts >= 1;
    for (int32_t t = 1; t < parts; t++) {
        job[t] = (part_job){fn, arg, t};
        const int refused =
            socind__parallel_no_thread == 1 || (socind__parallel_no_thread == 2 && (t & 1));
        started[t] = !refused && pthread_create(&tid[t], NULL, part_main, &job[t]) == 0;
        used += started[t];
    }
    if (parts >= 1) fn(arg, 0);
    for (int32_t t = 1; t < parts; t++)
        if (!started[t]) fn(arg, t);
    for (int32_t t = 1; t < parts; t++)
        if (started[t]) pthread_join(tid[t], NULL);
    return used;
}
