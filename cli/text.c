/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli/text.c — see text.h. */
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ UTF-8 */

size_t utf8_len(const char *str, size_t len) {
    const unsigned char *s = (const unsigned char *)str;
    unsigned c = s[0];
    if (c < 0x80) return 1;
    size_t n;
    unsigned lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF)
        n = 1;
    else if (c == 0xE0)
        n = 2, lo = 0xA0;
    else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF)
        n = 2;
    else if (c == 0xED)
        n = 2, hi = 0x9F;
    else if (c == 0xF0)
        n = 3, lo = 0x90;
    else if (c >= 0xF1 && c <= 0xF3)
        n = 3;
    else if (c == 0xF4)
        n = 3, hi = 0x8F;
    else
        return 0;
    if (len <= n || s[1] < lo || s[1] > hi) return 0;
    for (size_t k = 2; k <= n; k++)
        if ((s[k] & 0xC0) != 0x80) return 0;
    return n + 1;
}

size_t utf8_invalid_from(const char *s, size_t len, size_t i) {
    while (i < len) {
        if ((unsigned char)s[i] < 0x80) {
            i++;
            continue;
        }
        size_t n = utf8_len(s + i, len - i);
        if (n == 0) return i;
        i += n;
    }
    return len;
}

size_t utf8_encode(char *out, uint32_t cp) {
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

void utf8_cut_whole(char *s) {
    size_t len = strlen(s), start = len;
    while (start > 0 && len - start < 4 && ((unsigned char)s[start - 1] & 0xC0) == 0x80) start--;
    if (start > 0 && (unsigned char)s[start - 1] >= 0xC0) start--;
    if (start < len && (unsigned char)s[start] >= 0x80 && utf8_len(s + start, len - start) == 0)
        s[start] = '\0';
}

char *trim_text(char *s) {
    size_t a = 0, b = strlen(s);
    trim_blanks(s, &a, &b);
    memmove(s, s + a, b - a);
    s[b - a] = '\0';
    return s;
}

/* ------------------------------------------------------------------ Windows-1252 */

/* Windows-1252's 0x80-0x9F (0xA0-0xFF are U+00A0-U+00FF). The five bytes it
 * leaves unassigned (0x81, 0x8D, 0x8F, 0x90, 0x9D) become the C1 controls of
 * the same number, as Windows (MultiByteToWideChar) and the WHATWG encoding
 * standard map them: every byte has a character and two different texts stay
 * different. */
static const uint16_t cp1252_hi[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

size_t cp1252_to_utf8(const char *s, size_t len, char *out) {
    size_t m = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch < 0x80)
            out[m++] = (char)ch;
        else
            m += utf8_encode(out + m, ch < 0xA0 ? cp1252_hi[ch - 0x80] : ch);
    }
    return m;
}

/* ------------------------------------------------------------------ text in messages */

uint32_t utf8_code(const char *str, size_t n) {
    const unsigned char *s = (const unsigned char *)str;
    uint32_t cp = n == 1 ? s[0] : s[0] & (0xFFu >> (n + 1));
    for (size_t k = 1; k < n; k++) cp = cp << 6 | (s[k] & 0x3F);
    return cp;
}

/* a C1 control (a terminal reads U+009B as CSI) or a bidirectional
 * control, which would reorder the message around it */
static int format_char(uint32_t cp) {
    return (cp >= 0x80 && cp <= 0x9F) || bidi_control(cp);
}

const char *msg_text(const char *s) {
    static char *ring[16];
    static unsigned next;
    size_t len = strlen(s), i = 0;
    for (; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch < 0x20 || ch == 0x7F) break;
        if (ch < 0x80) continue;
        size_t n = utf8_len(s + i, len - i);
        if (n == 0 || format_char(utf8_code(s + i, n))) break;
        i += n - 1;
    }
    if (i == len) return s;
    size_t cap = 6 * len + 16;
    char *buf = malloc(cap);
    if (!buf) return "(text not shown: out of memory)";
    show_text_n(s, len, len, buf, cap);
    free(ring[next]);
    ring[next] = buf;
    next = (next + 1) % (sizeof ring / sizeof *ring);
    return buf;
}

const char *show_text_n(const char *s, size_t len, size_t max, char *buf, size_t cap) {
    size_t m = 0, chars = 0, i = 0;
    while (i < len && m + 8 < cap) {
        if (chars == max) {
            memcpy(buf + m, "...", 3);
            m += 3;
            break;
        }
        unsigned char ch = (unsigned char)s[i];
        size_t n = utf8_len(s + i, len - i);
        const uint32_t cp = n >= 2 ? utf8_code(s + i, n) : 0;
        if (ch < 0x20 || ch == 0x7F || n == 0) {
            m += (size_t)snprintf(buf + m, cap - m, "\\x%02X", ch);
            n = 1;
        } else if (format_char(cp)) {
            m += (size_t)snprintf(buf + m, cap - m, "\\u%04X", (unsigned)cp);
        } else {
            memcpy(buf + m, s + i, n);
            m += n;
        }
        i += n;
        chars++;
    }
    buf[m] = '\0';
    return buf;
}

const char *show_text(const char *s, size_t len, char *buf, size_t cap) {
    return show_text_n(s, len, 40, buf, cap);
}

/* ------------------------------------------------------------------ two readings */

void u8_watch_text(u8_watch *w, const char *s, size_t len, int64_t line) {
    if (w->invalid) return;
    for (size_t i = 0; i < len; i++) {
        if ((unsigned char)s[i] < 0x80) continue;
        size_t n = utf8_len(s + i, len - i);
        if (n == 0) {
            w->invalid = 1;
            return;
        }
        if (w->line == 0) {
            /* the field around it: from the last separator or quote before
               it to the next, within the sample */
            size_t a = i, b = i + n;
            while (a > 0 && i - a < 24 && !strchr(",;\t\"\r\n", s[a - 1])) a--;
            while (a < i && ((unsigned char)s[a] & 0xC0) == 0x80) a++;
            while (b < len && b - a < sizeof w->sample - 4 && !strchr(",;\t\"\r\n", s[b])) b++;
            while (b > i + n && b < len && ((unsigned char)s[b] & 0xC0) == 0x80) b--;
            memcpy(w->sample, s + a, b - a);
            w->sample_len = b - a;
            w->line = line;
        }
        i += n - 1;
    }
}

int u8_watch_refuses(const u8_watch *w, char *buf, size_t cap) {
    if (w->invalid || w->line == 0) return 0;
    char utf8[200], cp[600], conv[3 * sizeof w->sample + 1];
    size_t m = cp1252_to_utf8(w->sample, w->sample_len, conv);
    show_text_n(w->sample, w->sample_len, 40, utf8, sizeof utf8);
    show_text_n(conv, m, 60, cp, sizeof cp);
    snprintf(buf, cap,
             "the text is valid UTF-8 (\"%s\" as UTF-8), and --encoding windows-1252 would read "
             "it as \"%s\": leave out --encoding if the file is UTF-8, as its bytes say",
             utf8, cp);
    return 1;
}
