/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cli/suggest.h — "did you mean": the closest of a list of names to a word
 * the user typed (an option, a subcommand, a column name).
 */
#ifndef SOCIND_CLI_SUGGEST_H
#define SOCIND_CLI_SUGGEST_H

#include <stddef.h>

/* The candidate closest to `word`, compared case-insensitively (ASCII) by
 * edit distance (insertions, deletions, substitutions and swaps of
 * neighbours), when it is close enough to be a slip: distance <= 1 for words
 * of 2 to 4 characters, <= 2 up to 8, <= 3 beyond (a word of one character
 * gets no suggestion by distance: every short name would be one).
 * A candidate that differs only in case is always returned, whatever the
 * length (the first such). Otherwise ties go to the first candidate. NULL
 * when none is close (or n = 0). The candidates may contain NULL entries
 * (skipped). */
const char *suggest(const char *word, const char *const *cands, size_t n);

/* Appends " (did you mean \"X\"?)" for the closest candidate to buf (of
 * capacity cap, NUL-terminated), or nothing; returns buf. `quote` 0 writes
 * X bare (e.g. an option "--income"), 1 in double quotes (a column). */
char *suggest_append(char *buf, size_t cap, const char *word, const char *const *cands, size_t n,
                     const char *prefix, int quote);

#endif
