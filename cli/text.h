/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cli/text.h — text for the `socind` command: the one UTF-8 check (the
 * readers' and the writers'), Windows-1252 to UTF-8, text quoted in a
 * message, and the watch that refuses --encoding windows-1252 on text that
 * reads as UTF-8 too. Private to the command (cli/); no state.
 */
#ifndef SOCIND_CLI_TEXT_H
#define SOCIND_CLI_TEXT_H

#include <stddef.h>
#include <stdint.h>

/* The length of the valid UTF-8 sequence at the start of s[0..len) (len > 0),
 * 1–4, or 0 when it does not start one: overlong forms, surrogates, code
 * points above U+10FFFF and sequences cut short by len are invalid. The one
 * UTF-8 check of the command (the reader's and the writers'). */
size_t utf8_len(const char *s, size_t len);

/* The code point of the valid UTF-8 sequence s[0..n) (n 1–4, as utf8_len
 * gives it). */
uint32_t utf8_code(const char *s, size_t n);

/* Whether cp is an explicit bidirectional formatting character (LRM, RLM,
 * ALM, the embeddings and overrides U+202A–U+202E, the isolates
 * U+2066–U+2069), which reorders the text around it. */
static inline int bidi_control(uint32_t cp) {
    return cp == 0x200E || cp == 0x200F || cp == 0x061C || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069);
}

/* utf8_invalid_at from offset i, the first byte that is not ASCII. */
size_t utf8_invalid_from(const char *s, size_t len, size_t i);

/* The offset of the first byte of s[0..len) that is not valid UTF-8, or
 * len. (Inline: every cell of a requested column passes here, mostly
 * ASCII.) */
static inline size_t utf8_invalid_at(const char *s, size_t len) {
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] >= 0x80) return utf8_invalid_from(s, len, i);
    return len;
}

/* The code point cp (at most U+10FFFF) as UTF-8 into out (room for 4
 * bytes); its length. */
size_t utf8_encode(char *out, uint32_t cp);

/* s cut, if need be, so that it does not end inside a UTF-8 sequence (a
 * message cut to its buffer's size). */
void utf8_cut_whole(char *s);

/* Windows-1252 bytes s[0..len) as UTF-8 into out (room for 3 * len bytes);
 * the length written. 0x80-0x9F as Windows maps them, the five bytes it
 * leaves unassigned to the C1 controls of the same number. */
size_t cp1252_to_utf8(const char *s, size_t len, char *out);

/* s[0..len) for a message, into buf (cap >= 200 for max = 40): at most
 * `max` characters, bytes that are not valid UTF-8 and control characters
 * as \xNN, the C1 controls (U+0080-U+009F) and the bidirectional controls
 * (U+200E, U+200F, U+061C, U+202A-U+202E, U+2066-U+2069) as \uNNNN,
 * "..." when cut, so a message is always valid UTF-8 and one line, and
 * cannot move a terminal's cursor or embed a direction (a right-to-left
 * script's own letters still display right to left). Returns buf. */
const char *show_text_n(const char *s, size_t len, size_t max, char *buf, size_t cap);
/* show_text_n with at most 40 characters (cap >= 200). */
const char *show_text(const char *s, size_t len, char *buf, size_t cap);
/* s whole (never cut) for a message, escaped as show_text_n escapes it: s
 * itself when it has nothing to escape, else a copy that lives until 16
 * later calls have been made (so that one message can quote several). */
const char *msg_text(const char *s);

/* s[*a..*b) narrowed to leave out the spaces, tabs and CRs around it (how
 * every cell, label and value compared with one is trimmed). */
static inline void trim_blanks(const char *s, size_t *a, size_t *b) {
    while (*a < *b && (s[*a] == ' ' || s[*a] == '\t' || s[*a] == '\r')) ++*a;
    while (*b > *a && (s[*b - 1] == ' ' || s[*b - 1] == '\t' || s[*b - 1] == '\r')) --*b;
}

/* s without the spaces, tabs and CRs around it (trim_blanks), moved to its
 * start: s is changed. Returns s. */
char *trim_text(char *s);

/* What every message about text that is not UTF-8 adds. */
#define CP1252_HINT                                                                                \
    "; if the file is in Windows-1252 (as Excel saves \"CSV (Comma delimited)\" in Western "       \
    "Europe and the Americas), --encoding windows-1252 reads it as Windows-1252"

/* Text read under --encoding windows-1252 that is valid UTF-8 with
 * characters beyond ASCII reads two ways (as UTF-8: "Café"; as
 * Windows-1252: "CafÃ©"), and the reader refuses it naming both, as it
 * refuses a number that reads two ways. One invalid UTF-8 sequence anywhere
 * settles it: the file is not UTF-8. Start from a zeroed u8_watch. */
typedef struct u8_watch {
    int invalid;     /* some text was not valid UTF-8 */
    int64_t line;    /* where the first multi-byte character was (CSV: its line), 0: none */
    char sample[64]; /* the text around it, as the file has it */
    size_t sample_len;
} u8_watch;

/* Watches the bytes s[0..len), read on `line` (>= 1). */
void u8_watch_text(u8_watch *w, const char *s, size_t len, int64_t line);

/* 1 with the message (to follow "where: ") in buf when the text watched
 * reads two ways, else 0. */
int u8_watch_refuses(const u8_watch *w, char *buf, size_t cap);

#endif
