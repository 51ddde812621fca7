/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli/output.c — see output.h. */
#define _POSIX_C_SOURCE 200809L
#include "output.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int outw_open(outw *w, const char *path, int format, int ncols, const char *const *names, char *err,
              size_t errcap) {
    memset(w, 0, sizeof *w);
    w->format = format;
    w->ncols = ncols;
    w->names = names;
    w->path = path;
    if (path && strcmp(path, "-") != 0) {
        size_t len = strlen(path);
        w->tmp = malloc(len + 16);
        if (!w->tmp) {
            snprintf(err, errcap, "out of memory");
            return 1;
        }
        memcpy(w->tmp, path, len);
        memcpy(w->tmp + len, ".tmp-XXXXXX", 12);
        int fd = mkstemp(w->tmp);
        if (fd >= 0) { /* mkstemp creates 0600: give the file the usual mode */
            mode_t mask = umask(0);
            umask(mask);
            fchmod(fd, 0666 & ~mask);
        }
        if (fd < 0 || !(w->f = fdopen(fd, "w"))) {
            snprintf(err, errcap, "%s: cannot write: %s", path, strerror(errno));
            if (fd >= 0) close(fd);
            free(w->tmp);
            w->tmp = NULL;
            return 1;
        }
    } else {
        w->path = NULL;
        w->f = stdout;
    }
    if (format == OUT_CSV) {
        for (int i = 0; i < ncols; i++) fprintf(w->f, "%s%s", i ? "," : "", names[i]);
        fputc('\n', w->f);
    } else if (format == OUT_JSON) {
        fputc('[', w->f);
    }
    return 0;
}

static void begin_cell(outw *w) {
    if (w->format == OUT_CSV) {
        if (w->col > 0) fputc(',', w->f);
    } else {
        if (w->col == 0)
            fputs(w->rows ? ",\n{" : "\n{", w->f);
        else
            fputc(',', w->f);
        fprintf(w->f, "\"%s\":", w->names[w->col]);
    }
}

static void end_cell(outw *w) {
    if (++w->col < w->ncols) return;
    w->col = 0;
    w->rows++;
    fputs(w->format == OUT_CSV ? "\n" : "}", w->f);
}

void outw_str(outw *w, const char *s) {
    begin_cell(w);
    if (w->format == OUT_CSV) {
        if (s && strpbrk(s, ",\"\n\r;") != NULL) {
            fputc('"', w->f);
            for (const char *p = s; *p; p++) {
                if (*p == '"') fputc('"', w->f);
                fputc(*p, w->f);
            }
            fputc('"', w->f);
        } else if (s) {
            fputs(s, w->f);
        }
    } else if (!s) {
        fputs("null", w->f);
    } else {
        fputc('"', w->f);
        for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
            if (*p == '"' || *p == '\\')
                fprintf(w->f, "\\%c", *p);
            else if (*p == '\n')
                fputs("\\n", w->f);
            else if (*p == '\r')
                fputs("\\r", w->f);
            else if (*p == '\t')
                fputs("\\t", w->f);
            else if (*p < 0x20)
                fprintf(w->f, "\\u%04x", *p);
            else
                fputc(*p, w->f);
        }
        fputc('"', w->f);
    }
    end_cell(w);
}

void outw_num(outw *w, double v, int decimals) {
    begin_cell(w);
    if (!isfinite(v)) {
        if (w->format == OUT_JSON) fputs("null", w->f);
    } else if (decimals < 0) {
        fprintf(w->f, "%.17g", v);
    } else {
        fprintf(w->f, "%.*f", decimals, v == 0 ? 0.0 : v); /* no "-0.00" */
    }
    end_cell(w);
}

void outw_int(outw *w, long long v) {
    begin_cell(w);
    fprintf(w->f, "%lld", v);
    end_cell(w);
}

int outw_close(outw *w, int ok, char *err, size_t errcap) {
    int rc = 0;
    if (ok && w->format == OUT_JSON) fputs(w->rows ? "\n]\n" : "]\n", w->f);
    if (fflush(w->f) != 0 || ferror(w->f)) {
        if (ok)
            snprintf(err, errcap, "%s: write error: %s", w->path ? w->path : "standard output",
                     strerror(errno));
        ok = 0;
        rc = 1;
    }
    if (w->path) {
        if (fclose(w->f) != 0 && ok) {
            snprintf(err, errcap, "%s: write error: %s", w->path, strerror(errno));
            ok = 0;
            rc = 1;
        }
        if (ok && rename(w->tmp, w->path) != 0) {
            snprintf(err, errcap, "%s: cannot write: %s", w->path, strerror(errno));
            rc = 1;
            ok = 0;
        }
        if (!ok) remove(w->tmp);
        free(w->tmp);
    }
    w->f = NULL;
    w->tmp = NULL;
    return rc;
}
