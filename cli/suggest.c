/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli/suggest.c — see suggest.h. */
#include "suggest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int lower(int c) {
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* Optimal string alignment distance (Damerau–Levenshtein without repeated
 * edits of one substring), case-insensitive; stops early above `limit`. */
static size_t distance(const char *a, const char *b, size_t limit) {
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64) return limit + 1;
    if ((la > lb ? la - lb : lb - la) > limit) return limit + 1;
    size_t d[65][65];
    for (size_t i = 0; i <= la; i++) d[i][0] = i;
    for (size_t j = 0; j <= lb; j++) d[0][j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t rowmin = (size_t)-1;
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = lower((unsigned char)a[i - 1]) != lower((unsigned char)b[j - 1]);
            size_t v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v) v = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < v) v = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 &&
                lower((unsigned char)a[i - 1]) == lower((unsigned char)b[j - 2]) &&
                lower((unsigned char)a[i - 2]) == lower((unsigned char)b[j - 1]) &&
                d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
            if (v < rowmin) rowmin = v;
        }
        if (rowmin > limit) return limit + 1;
    }
    return d[la][lb];
}

static int equal_ignoring_case(const char *a, const char *b) {
    for (; *a && *b; a++, b++)
        if (lower((unsigned char)*a) != lower((unsigned char)*b)) return 0;
    return *a == *b;
}

const char *suggest(const char *word, const char *const *cands, size_t n) {
    if (!word || !*word) return NULL;
    /* a difference of case only, whatever the length */
    for (size_t i = 0; i < n; i++)
        if (cands[i] && *cands[i] && equal_ignoring_case(word, cands[i])) return cands[i];
    size_t len = strlen(word);
    /* one character: any other name of one or two characters is one edit away */
    if (len == 1) return NULL;
    size_t limit = len <= 4 ? 1 : len <= 8 ? 2 : 3;
    const char *best = NULL;
    size_t best_d = limit + 1;
    for (size_t i = 0; i < n; i++) {
        if (!cands[i] || !*cands[i]) continue;
        size_t dd = distance(word, cands[i], limit);
        if (dd < best_d) {
            best_d = dd;
            best = cands[i];
        }
    }
    return best;
}

char *suggest_append(char *buf, size_t cap, const char *word, const char *const *cands, size_t n,
                     const char *prefix, int quote) {
    const char *s = suggest(word, cands, n);
    if (!s || cap == 0) return buf;
    size_t used = strlen(buf);
    if (used + 1 >= cap) return buf;
    snprintf(buf + used, cap - used, quote ? " (did you mean \"%s%s\"?)" : " (did you mean %s%s?)",
             prefix ? prefix : "", s);
    return buf;
}
