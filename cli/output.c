/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli/output.c — see output.h. */
#define _POSIX_C_SOURCE 200809L
#define _XOPEN_SOURCE 700 /* realpath */
#include "output.h"

#include "text.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ------------------------------------------------------------------ inputs */

/* a run registers at most 8 (its data file, a second round's, and the six
   option files of input_files; the brief: its two and --compare's) */
#define MAX_INPUTS 16

static struct {
    dev_t dev;
    ino_t ino;
    const char *path;
} inputs[MAX_INPUTS];
static int n_inputs;

void outw_input(const char *path) {
    struct stat st;
    if (!path || n_inputs == MAX_INPUTS || stat(path, &st) != 0) return;
    inputs[n_inputs].dev = st.st_dev;
    inputs[n_inputs].ino = st.st_ino;
    inputs[n_inputs].path = path;
    n_inputs++;
}

/* Whether standard output is a regular file the command reads (redirected
 * onto it: `>> FILE`, `1<> FILE`): 1 with a message in err. */
static int stdout_is_input(char *err, size_t errcap) {
    struct stat st;
    if (fstat(STDOUT_FILENO, &st) != 0 || !S_ISREG(st.st_mode)) return 0;
    for (int i = 0; i < n_inputs; i++)
        if (inputs[i].dev == st.st_dev && inputs[i].ino == st.st_ino) {
            snprintf(err, errcap,
                     "standard output is redirected to the input file %s (the same file): the "
                     "results would be written into it; redirect standard output elsewhere or "
                     "name an output file",
                     inputs[i].path);
            return 1;
        }
    return 0;
}

/* ------------------------------------------------------------------ signals */

/* The temporary files being written, removed when SIGINT, SIGTERM or SIGHUP
 * stops the command (the signal then takes its default course: the exit
 * status says it). Each slot holds a copy of its path (the handler may run
 * on a reading thread while the main thread frees its own), said in use by
 * its flag, which is set after the path is written and cleared before the
 * slot is reused. */
#define MAX_TEMPS 4
static char temp_path[MAX_TEMPS][PATH_MAX];
static volatile sig_atomic_t temp_used[MAX_TEMPS];
static const int stop_signals[] = {SIGINT, SIGTERM, SIGHUP};

static void on_stop(int sig) {
    for (int i = 0; i < MAX_TEMPS; i++)
        if (temp_used[i]) unlink(temp_path[i]);
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Blocks (block = 1) or restores the stop signals on the calling thread, so
 * that its temporary file is never created without being tracked. */
static void hold_stops(int block, sigset_t *old) {
    sigset_t set;
    sigemptyset(&set);
    for (size_t i = 0; i < sizeof stop_signals / sizeof *stop_signals; i++)
        sigaddset(&set, stop_signals[i]);
    pthread_sigmask(block ? SIG_BLOCK : SIG_SETMASK, block ? &set : old, block ? old : NULL);
}

/* Tracks the temporary file path (untrack = 0) or stops tracking it,
 * installing the handler, once, for each stop signal whose disposition is
 * the default (one ignored, as under nohup, stays ignored). A path too long
 * for a slot, or a fifth at once, is not tracked. */
static void track_temp(const char *path, int untrack) {
    static int installed;
    if (!installed) {
        installed = 1;
        for (size_t i = 0; i < sizeof stop_signals / sizeof *stop_signals; i++) {
            struct sigaction old, sa;
            if (sigaction(stop_signals[i], NULL, &old) != 0 || old.sa_handler != SIG_DFL) continue;
            memset(&sa, 0, sizeof sa);
            sa.sa_handler = on_stop;
            sigemptyset(&sa.sa_mask);
            sigaction(stop_signals[i], &sa, NULL);
        }
    }
    const size_t len = strlen(path);
    for (int i = 0; i < MAX_TEMPS; i++) {
        if (untrack && temp_used[i] && strcmp(temp_path[i], path) == 0) {
            temp_used[i] = 0;
            return;
        }
        if (!untrack && !temp_used[i] && len < PATH_MAX) {
            memcpy(temp_path[i], path, len + 1);
            atomic_signal_fence(memory_order_seq_cst); /* the path before its flag */
            temp_used[i] = 1;
            return;
        }
    }
}

/* mkstemp on tmpl, the file tracked (removed if a stop signal comes) until
 * drop_temp. */
static int make_temp(char *tmpl) {
    sigset_t old;
    hold_stops(1, &old);
    const int fd = mkstemp(tmpl);
    if (fd >= 0) track_temp(tmpl, 0);
    hold_stops(0, &old);
    return fd;
}

/* Removes the temporary file tmpl (remove = 1) or leaves it (renamed), and
 * stops tracking it. */
static void drop_temp(char *tmpl, int remove_it) {
    sigset_t old;
    hold_stops(1, &old);
    if (remove_it) remove(tmpl);
    track_temp(tmpl, 1);
    hold_stops(0, &old);
}

/* ------------------------------------------------------------------ the target */

/* The file path names after following symbolic links (it may not exist);
 * NULL with a message in err. */
static char *resolve(const char *path, char *err, size_t errcap) {
    char *cur = strdup(path);
    if (!cur) goto oom;
    for (int hops = 0; hops < 40; hops++) {
        struct stat ls;
        if (lstat(cur, &ls) != 0 || !S_ISLNK(ls.st_mode)) return cur;
        char link[PATH_MAX];
        ssize_t n = readlink(cur, link, sizeof link - 1);
        if (n < 0) {
            snprintf(err, errcap, "%s: cannot write: %s", path, strerror(errno));
            free(cur);
            return NULL;
        }
        link[n] = '\0';
        char *slash = strrchr(cur, '/');
        size_t dir = link[0] == '/' || !slash ? 0 : (size_t)(slash - cur) + 1;
        char *next = malloc(dir + (size_t)n + 1);
        if (!next) goto oom;
        memcpy(next, cur, dir);
        memcpy(next + dir, link, (size_t)n + 1);
        free(cur);
        cur = next;
    }
    snprintf(err, errcap, "%s: cannot write: %s", path, strerror(ELOOP));
    free(cur);
    return NULL;
oom:
    free(cur);
    snprintf(err, errcap, "out of memory");
    return NULL;
}

/* the checks on an existing target; 0 or 1 with a message */
static int check_target(const char *path, const struct stat *st, char *err, size_t errcap) {
    for (int i = 0; i < n_inputs; i++)
        if (inputs[i].dev == st->st_dev && inputs[i].ino == st->st_ino) {
            snprintf(err, errcap,
                     "%s: refusing to write over the input file %s (the same file); name "
                     "another output file",
                     path, inputs[i].path);
            return 1;
        }
    if (S_ISDIR(st->st_mode)) {
        snprintf(err, errcap, "%s: cannot write: %s", path, strerror(EISDIR));
        return 1;
    }
    /* a file without write permission is not replaced, even where renaming
       over it would work (the directory is writable, or we are root) */
    if (access(path, W_OK) != 0) {
        snprintf(err, errcap, "%s: cannot write: %s", path, strerror(errno));
        return 1;
    }
    if (S_ISREG(st->st_mode) && (st->st_mode & 0222) == 0) {
        snprintf(err, errcap, "%s: cannot write: %s", path, strerror(EACCES));
        return 1;
    }
    return 0;
}

/* Whether a file can be created where a regular file `path` is written (the
 * temporary file goes next to the link's target): a probe of the same name
 * outw_open uses is created and removed. 0, or 1 with a message. */
static int check_directory(const char *path, char *err, size_t errcap) {
    char *target = resolve(path, err, errcap);
    if (!target) return 1;
    size_t len = strlen(target);
    char *probe = malloc(len + 16);
    if (!probe) {
        free(target);
        snprintf(err, errcap, "out of memory");
        return 1;
    }
    memcpy(probe, target, len);
    memcpy(probe + len, ".tmp-XXXXXX", 12);
    int fd = make_temp(probe);
    int rc = 0;
    if (fd < 0) {
        int e = errno;
        const char *slash = strrchr(target, '/');
        char dir[4096];
        if (!slash)
            snprintf(dir, sizeof dir, ".");
        else
            snprintf(dir, sizeof dir, "%.*s", slash == target ? 1 : (int)(slash - target), target);
        snprintf(err, errcap,
                 "%s: cannot write: %s (no file can be created in the directory %s, where the "
                 "output is written through a temporary file)",
                 path, strerror(e), dir);
        rc = 1;
    } else {
        close(fd);
        drop_temp(probe, 1);
    }
    free(probe);
    free(target);
    return rc;
}

/* path with its links followed and its directory made absolute and
 * canonical (the file itself may not exist); NULL if that cannot be done. */
static char *canonical(const char *path) {
    char err[16];
    char *target = resolve(path, err, sizeof err);
    if (!target) return NULL;
    const char *slash = strrchr(target, '/');
    const char *base = slash ? slash + 1 : target;
    char dir[PATH_MAX];
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else
        snprintf(dir, sizeof dir, "%.*s", slash == target ? 1 : (int)(slash - target), target);
    char real[PATH_MAX];
    char *out = NULL;
    if (realpath(dir, real)) {
        size_t n = strlen(real) + strlen(base) + 2;
        out = malloc(n);
        if (out) snprintf(out, n, "%s/%s", real, base);
    }
    free(target);
    return out;
}

/* The file an output names (NULL or "-": what standard output is): 1 with
 * its identity in st, or 0 where there is none (a file not yet made). */
static int identity(const char *path, struct stat *st) {
    if (!path || strcmp(path, "-") == 0) return fstat(STDOUT_FILENO, st) == 0;
    return stat(path, st) == 0;
}

int outw_same(const char *a, const char *b) {
    const int sa = !a || strcmp(a, "-") == 0, sb = !b || strcmp(b, "-") == 0;
    if (sa && sb) return 1;
    /* (/dev/stdout, or the file standard output is redirected to, is
       standard output too) */
    struct stat x, y;
    const int ex = identity(a, &x), ey = identity(b, &y);
    /* (a device — a terminal, /dev/null — takes both whole: nothing is lost) */
    if (ex || ey)
        return ex && ey && x.st_dev == y.st_dev && x.st_ino == y.st_ino && !S_ISCHR(x.st_mode);
    if (sa || sb) return 0;
    char *ca = canonical(a), *cb = canonical(b);
    const int same = ca && cb ? strcmp(ca, cb) == 0 : strcmp(a, b) == 0;
    free(ca), free(cb);
    return same;
}

int outw_check(const char *path, char *err, size_t errcap) {
    if (!path || strcmp(path, "-") == 0) return stdout_is_input(err, errcap);
    if (!*path) {
        snprintf(err, errcap, "an empty file name: name a file, or - for standard output");
        return 1;
    }
    struct stat st;
    if (stat(path, &st) == 0) {
        if (check_target(path, &st, err, errcap)) return 1;
        return S_ISREG(st.st_mode) ? check_directory(path, err, errcap) : 0;
    }
    if (errno != ENOENT) {
        snprintf(err, errcap, "%s: cannot write: %s", path, strerror(errno));
        return 1;
    }
    return check_directory(path, err, errcap);
}

static void csv_str(FILE *f, const char *s);
static void json_str(FILE *f, const char *s);

static void write_header(outw *w) {
    if (w->format == OUT_CSV) {
        for (int i = 0; i < w->ncols; i++) {
            if (i) fputc(',', w->f);
            csv_str(w->f, w->names[i]);
        }
        fputc('\n', w->f);
    } else if (w->format == OUT_JSON) {
        fputc('[', w->f);
    }
}

int outw_open(outw *w, const char *path, int format, int ncols, const char *const *names, char *err,
              size_t errcap) {
    memset(w, 0, sizeof *w);
    w->format = format;
    w->ncols = ncols;
    w->names = names;
    if (!path || strcmp(path, "-") == 0) {
        if (stdout_is_input(err, errcap)) return 1;
        w->f = stdout;
        write_header(w);
        return 0;
    }
    w->path = path;
    struct stat st;
    int exists = stat(path, &st) == 0; /* through every link, /proc's too */
    if (!exists && errno != ENOENT) {
        snprintf(err, errcap, "%s: cannot write: %s", path, strerror(errno));
        return 1;
    }
    if (exists && check_target(path, &st, err, errcap)) return 1;
    if (exists && !S_ISREG(st.st_mode)) {
        /* a device, a FIFO, /dev/stdout: written directly, no temporary file */
        int fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
        if (fd < 0 || !(w->f = fdopen(fd, "w"))) {
            snprintf(err, errcap, "%s: cannot write: %s", path, strerror(errno));
            if (fd >= 0) close(fd);
            return 1;
        }
        write_header(w);
        return 0;
    }
    /* the file the links lead to: replaced there, the links stay */
    char *target = resolve(path, err, errcap);
    if (!target) return 1;
    /* a regular file (or a new one): a temporary file next to it, renamed over it */
    size_t len = strlen(target);
    w->tmp = malloc(len + 16);
    if (!w->tmp) {
        snprintf(err, errcap, "out of memory");
        free(target);
        return 1;
    }
    memcpy(w->tmp, target, len);
    memcpy(w->tmp + len, ".tmp-XXXXXX", 12);
    int fd = make_temp(w->tmp);
    if (fd >= 0) {
        if (exists) { /* the replaced file's owner (where allowed) and mode */
            if (fchown(fd, st.st_uid, st.st_gid) != 0) { /* not ours to give: keep ours */
            }
            fchmod(fd, st.st_mode & 07777);
        } else { /* mkstemp creates 0600: give the file the usual mode */
            mode_t mask = umask(0);
            umask(mask);
            fchmod(fd, 0666 & ~mask);
        }
    }
    if (fd < 0 || !(w->f = fdopen(fd, "w"))) {
        snprintf(err, errcap, "%s: cannot write: %s", path, strerror(errno));
        if (fd >= 0) {
            close(fd);
            drop_temp(w->tmp, 1);
        }
        free(w->tmp);
        free(target);
        w->tmp = NULL;
        return 1;
    }
    w->target = target;
    write_header(w);
    return 0;
}

/* ------------------------------------------------------------------ text */

void out_text(FILE *f, const char *s, text_escape esc) {
    size_t len = strlen(s);
    for (size_t i = 0; i < len;) {
        size_t k = utf8_len(s + i, len - i);
        if (k == 0) {
            fputs("\xEF\xBF\xBD", f); /* U+FFFD for a byte that is not UTF-8 */
            i++;
            continue;
        }
        const char *r = k == 1 && esc ? esc((unsigned char)s[i]) : NULL;
        if (r)
            fputs(r, f);
        else
            fwrite(s + i, 1, k, f);
        i += k;
    }
}

static const char *csv_escape(unsigned char ch) {
    return ch == '"' ? "\"\"" : NULL;
}

static const char *json_escape(unsigned char ch) {
    static const char *const ctl[32] = {
        "\\u0000", "\\u0001", "\\u0002", "\\u0003", "\\u0004", "\\u0005", "\\u0006", "\\u0007",
        "\\u0008", "\\u0009", "\\u000a", "\\u000b", "\\u000c", "\\u000d", "\\u000e", "\\u000f",
        "\\u0010", "\\u0011", "\\u0012", "\\u0013", "\\u0014", "\\u0015", "\\u0016", "\\u0017",
        "\\u0018", "\\u0019", "\\u001a", "\\u001b", "\\u001c", "\\u001d", "\\u001e", "\\u001f"};
    switch (ch) {
    case '"':
        return "\\\"";
    case '\\':
        return "\\\\";
    case '\n':
        return "\\n";
    case '\r':
        return "\\r";
    case '\t':
        return "\\t";
    case 0x7f:
        return "\\u007f";
    default:
        return ch < 0x20 ? ctl[ch] : NULL;
    }
}

/* a CSV field: quoted when it holds a separator, a quote or a line end */
static void csv_str(FILE *f, const char *s) {
    int quote = strpbrk(s, ",\"\n\r;\t") != NULL;
    if (quote) fputc('"', f);
    out_text(f, s, csv_escape);
    if (quote) fputc('"', f);
}

/* a JSON string */
static void json_str(FILE *f, const char *s) {
    fputc('"', f);
    out_text(f, s, json_escape);
    fputc('"', f);
}

static void begin_cell(outw *w) {
    if (w->format == OUT_CSV) {
        if (w->col > 0) fputc(',', w->f);
    } else {
        if (w->col == 0)
            fputs(w->rows ? ",\n{" : "\n{", w->f);
        else
            fputc(',', w->f);
        json_str(w->f, w->names[w->col]);
        fputc(':', w->f);
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
        if (s) csv_str(w->f, s);
    } else if (!s) {
        fputs("null", w->f);
    } else {
        json_str(w->f, s);
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
    errno = 0; /* a write that failed before the flush left its errno behind it */
    if (fflush(w->f) != 0 || ferror(w->f)) {
        if (ok)
            snprintf(err, errcap, "%s: write error%s%s", w->path ? w->path : "standard output",
                     errno ? ": " : "", errno ? strerror(errno) : "");
        ok = 0;
        rc = 1;
    }
    if (w->path) {
        if (fclose(w->f) != 0 && ok) {
            snprintf(err, errcap, "%s: write error: %s", w->path, strerror(errno));
            ok = 0;
            rc = 1;
        }
        if (w->tmp) {
            if (ok && rename(w->tmp, w->target) != 0) {
                snprintf(err, errcap, "%s: cannot write: %s", w->path, strerror(errno));
                rc = 1;
                ok = 0;
            }
            drop_temp(w->tmp, !ok);
        }
        free(w->tmp);
        free(w->target);
    }
    w->f = NULL;
    w->tmp = NULL;
    w->target = NULL;
    return rc;
}
