/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lib/parallel.c — one function run as T parts on T threads (internal.h's
 * socind__parallel): part 0 on the calling thread, the others on threads
 * of their own, each joined before the call returns. A part whose thread
 * cannot be started runs on the calling thread: the result is the same,
 * only slower. */
#include <pthread.h>

#include "internal.h"

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

void socind__parallel(int32_t parts, socind__part_fn fn, void *arg) {
    if (parts > SOCIND_MAX_THREADS) parts = SOCIND_MAX_THREADS;
    part_job job[SOCIND_MAX_THREADS];
    pthread_t tid[SOCIND_MAX_THREADS];
    unsigned char started[SOCIND_MAX_THREADS] = {0};
    for (int32_t t = 1; t < parts; t++) {
        job[t] = (part_job){fn, arg, t};
        started[t] =
            !socind__parallel_no_thread && pthread_create(&tid[t], NULL, part_main, &job[t]) == 0;
    }
    if (parts >= 1) fn(arg, 0);
    for (int32_t t = 1; t < parts; t++)
        if (!started[t]) fn(arg, t);
    for (int32_t t = 1; t < parts; t++)
        if (started[t]) pthread_join(tid[t], NULL);
}
