/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/fuzz/replay.c — main() for a harness built without libFuzzer: runs
 * LLVMFuzzerTestOneInput once on every file named, or on every file of every
 * directory named (in name order), so ctest replays the committed corpora in
 * every build. Arguments starting with '-' (libFuzzer's flags, e.g. -runs=0)
 * are ignored, so one command line serves both builds. A broken contract
 * aborts naming the file. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static int run_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "replay: cannot open %s\n", path);
        return 1;
    }
    size_t cap = 4096, n = 0;
    uint8_t *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            uint8_t *b = realloc(buf, cap *= 2);
            if (!b) free(buf);
            buf = b;
        }
    }
    fclose(f);
    if (!buf) {
        fprintf(stderr, "replay: out of memory reading %s\n", path);
        return 1;
    }
    /* an exact-size copy, so ASan sees a read past the input's end */
    uint8_t *data = malloc(n ? n : 1);
    if (!data) {
        free(buf);
        return 1;
    }
    memcpy(data, buf, n);
    free(buf);
    fz_current_input = path;
    if (getenv("FUZZ_REPLAY_VERBOSE")) fprintf(stderr, "replaying %s\n", path);
    LLVMFuzzerTestOneInput(data, n);
    fz_current_input = NULL;
    free(data);
    return 0;
}

static int by_name(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv) {
    size_t files = 0;
    int rc = 0;
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] == '-') continue;
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            fprintf(stderr, "replay: no such file or directory: %s\n", argv[i]);
            return 1;
        }
        if (!S_ISDIR(st.st_mode)) {
            rc |= run_file(argv[i]);
            files++;
            continue;
        }
        DIR *d = opendir(argv[i]);
        if (!d) {
            fprintf(stderr, "replay: cannot read %s\n", argv[i]);
            return 1;
        }
        char **names = NULL;
        size_t nn = 0, cap = 0;
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (e->d_name[0] == '.') continue;
            if (nn == cap) {
                char **p = realloc(names, (cap = cap ? 2 * cap : 64) * sizeof *p);
                if (!p) return 1;
                names = p;
            }
            size_t len = strlen(argv[i]) + strlen(e->d_name) + 2;
            names[nn] = malloc(len);
            if (!names[nn]) return 1;
            snprintf(names[nn], len, "%s/%s", argv[i], e->d_name);
            nn++;
        }
        closedir(d);
        if (nn) qsort(names, nn, sizeof *names, by_name);
        for (size_t k = 0; k < nn; k++) {
            if (stat(names[k], &st) == 0 && S_ISREG(st.st_mode)) {
                rc |= run_file(names[k]);
                files++;
            }
            free(names[k]);
        }
        free(names);
    }
    if (files == 0) {
        fprintf(stderr, "replay: no input files\n");
        return 1;
    }
    printf("replayed %zu inputs\n", files);
    return rc;
}
