/* diag: collected diagnostics, printed in the order reported. */
#include "rc/diag.h"

#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct rc_diag {
    rc_diag_entry *v;
    size_t n, cap;
    size_t errors, warnings;
    bool strict;
};

static const char strict_tag[] = " [strict]";

rc_diag *rc_diag_new(void)
{
    rc_diag *d = calloc(1, sizeof *d);
    if (!d) {
        fputs("reportc: out of memory\n", stderr);
        abort();
    }
    return d;
}

void rc_diag_free(rc_diag *d)
{
    if (!d) return;
    for (size_t i = 0; i < d->n; i++) {
        free(d->v[i].msg);
        free((char *)d->v[i].loc.file);
    }
    free(d->v);
    free(d);
}

__attribute__((format(printf, 4, 0))) static void vreport(rc_diag *d, rc_diag_level lv, rc_loc loc,
                                                          const char *fmt, va_list ap)
{
    if (d->n == d->cap) {
        size_t nc = d->cap ? d->cap * 2 : 16;
        rc_diag_entry *nv = realloc(d->v, nc * sizeof *nv);
        if (!nv) {
            fputs("reportc: out of memory\n", stderr);
            abort();
        }
        d->v = nv;
        d->cap = nc;
    }
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    bool promote = d->strict && lv == RC_DIAG_WARNING;
    size_t extra = promote ? sizeof strict_tag - 1 : 0;
    char *msg = malloc((n > 0 ? (size_t)n + 1 : 1) + extra);
    char *file = loc.file ? strdup(loc.file) : NULL;
    if (!msg || (loc.file && !file)) {
        fputs("reportc: out of memory\n", stderr);
        abort();
    }
    vsnprintf(msg, n > 0 ? (size_t)n + 1 : 1, fmt, ap);
    if (promote) {
        strcat(msg, strict_tag);
        lv = RC_DIAG_ERROR;
    }
    /* The file name is copied so diagnostics outlive the build arena. */
    loc.file = file;
    d->v[d->n++] = (rc_diag_entry){lv, loc, msg};
    if (lv == RC_DIAG_ERROR)
        d->errors++;
    else if (lv == RC_DIAG_WARNING)
        d->warnings++;
}

void rc_diag_report(rc_diag *d, rc_diag_level lv, rc_loc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(d, lv, loc, fmt, ap);
    va_end(ap);
}

/* rc_diag_error, rc_diag_warning and rc_diag_note: rc_diag_report at one
 * level (written once, as C has no way to forward "..."). */
#define RC_DIAG_AT_LEVEL(fn, level)                                                                \
    void fn(rc_diag *d, rc_loc loc, const char *fmt, ...)                                          \
    {                                                                                              \
        va_list ap;                                                                                \
        va_start(ap, fmt);                                                                         \
        vreport(d, level, loc, fmt, ap);                                                           \
        va_end(ap);                                                                                \
    }
RC_DIAG_AT_LEVEL(rc_diag_error, RC_DIAG_ERROR)
RC_DIAG_AT_LEVEL(rc_diag_warning, RC_DIAG_WARNING)
RC_DIAG_AT_LEVEL(rc_diag_note, RC_DIAG_NOTE)

void rc_diag_append(rc_diag *dst, const rc_diag *src)
{
    if (!src) return;
    for (size_t i = 0; i < src->n; i++)
        rc_diag_report(dst, src->v[i].level, src->v[i].loc, "%s", src->v[i].msg);
}

void rc_diag_set_strict(rc_diag *d)
{
    d->strict = true;
    for (size_t i = 0; i < d->n; i++) {
        if (d->v[i].level != RC_DIAG_WARNING) continue;
        size_t k = strlen(d->v[i].msg);
        char *m = realloc(d->v[i].msg, k + sizeof strict_tag);
        if (!m) {
            fputs("reportc: out of memory\n", stderr);
            abort();
        }
        memcpy(m + k, strict_tag, sizeof strict_tag);
        d->v[i].msg = m;
        d->v[i].level = RC_DIAG_ERROR;
        d->warnings--;
        d->errors++;
    }
}

bool rc_diag_strict(const rc_diag *d)
{
    return d->strict;
}

size_t rc_diag_errors(const rc_diag *d)
{
    return d->errors;
}

size_t rc_diag_warnings(const rc_diag *d)
{
    return d->warnings;
}

size_t rc_diag_count(const rc_diag *d)
{
    return d->n;
}

const rc_diag_entry *rc_diag_get(const rc_diag *d, size_t i)
{
    return i < d->n ? &d->v[i] : NULL;
}

/* Each level's word and colour (GCC's GCC_COLORS defaults: error bold red,
 * warning bold magenta, note bold cyan; the location is bold). */
static const struct {
    const char *name, *colour;
} levels[] = {[RC_DIAG_ERROR] = {"error", "\033[01;31m"},
              [RC_DIAG_WARNING] = {"warning", "\033[01;35m"},
              [RC_DIAG_NOTE] = {"note", "\033[01;36m"}};

static const char *level_name(rc_diag_level lv)
{
    return levels[(unsigned)lv <= RC_DIAG_NOTE ? lv : RC_DIAG_NOTE].name;
}

static const char *level_colour(rc_diag_level lv)
{
    return levels[(unsigned)lv <= RC_DIAG_NOTE ? lv : RC_DIAG_NOTE].colour;
}
#define BOLD "\033[01m"
#define RESET "\033[m"

static size_t format_entry(const rc_diag_entry *e, char *buf, size_t n, bool colour)
{
    int k;
    const char *file = e->loc.file ? e->loc.file : "reportc";
    const char *b = colour ? BOLD : "", *r = colour ? RESET : "";
    const char *lc = colour ? level_colour(e->level) : "";
    if (e->loc.line && e->loc.col)
        k = snprintf(buf, n, "%s%s:%u:%u:%s %s%s:%s %s", b, file, e->loc.line, e->loc.col, r, lc,
                     level_name(e->level), r, e->msg);
    else if (e->loc.line)
        k = snprintf(buf, n, "%s%s:%u:%s %s%s:%s %s", b, file, e->loc.line, r, lc,
                     level_name(e->level), r, e->msg);
    else
        k = snprintf(buf, n, "%s%s:%s %s%s:%s %s", b, file, r, lc, level_name(e->level), r, e->msg);
    return k < 0 ? 0 : (size_t)k;
}

size_t rc_diag_format(const rc_diag_entry *e, char *buf, size_t n)
{
    return format_entry(e, buf, n, false);
}

bool rc_diag_colour_wanted(FILE *out)
{
    /* https://no-color.org: NO_COLOR set to a non-empty value turns colour
     * off; so do a dumb terminal and anything that is not a terminal (files,
     * pipes, CI logs). */
    const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");
    if (nc && *nc) return false;
    if (term && strcmp(term, "dumb") == 0) return false;
    int fd = out ? fileno(out) : -1;
    return fd >= 0 && isatty(fd);
}

void rc_diag_print_styled(const rc_diag *d, FILE *out, bool colour)
{
    char small[1024];
    size_t shown = d->n < RC_DIAG_MAX_PRINT ? d->n : RC_DIAG_MAX_PRINT;
    for (size_t i = 0; i < shown; i++) {
        size_t k = format_entry(&d->v[i], small, sizeof small, colour);
        if (k < sizeof small) {
            fprintf(out, "%s\n", small);
        } else {
            char *big = malloc(k + 1);
            if (!big) continue;
            format_entry(&d->v[i], big, k + 1, colour);
            fprintf(out, "%s\n", big);
            free(big);
        }
    }
    if (d->n > shown) {
        rc_diag_entry more = {RC_DIAG_NOTE, {0}, NULL};
        char msg[64];
        snprintf(msg, sizeof msg, "%zu more diagnostics not shown", d->n - shown);
        more.msg = msg;
        format_entry(&more, small, sizeof small, colour);
        fprintf(out, "%s\n", small);
    }
}

void rc_diag_print(const rc_diag *d, FILE *out)
{
    rc_diag_print_styled(d, out, rc_diag_colour_wanted(out));
}

static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64) return (size_t)-1;
    size_t prev[65], cur[65];
    for (size_t j = 0; j <= lb; j++)
        prev[j] = j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            char ca = a[i - 1], cb = b[j - 1];
            if (ca >= 'A' && ca <= 'Z') ca = (char)(ca - 'A' + 'a');
            if (cb >= 'A' && cb <= 'Z') cb = (char)(cb - 'A' + 'a');
            size_t sub = prev[j - 1] + (ca != cb);
            size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
            cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
        }
        memcpy(prev, cur, (lb + 1) * sizeof prev[0]);
    }
    return prev[lb];
}

const char *rc_diag_suggest(const char *word, const char *const *cands, size_t n)
{
    if (!word) return NULL;
    const char *best = NULL;
    size_t bestd = (size_t)-1;
    size_t wl = strlen(word);
    for (size_t i = 0; i < n; i++) {
        if (!cands[i]) continue;
        size_t dist = edit_distance(word, cands[i]);
        if (dist < bestd) {
            bestd = dist;
            best = cands[i];
        }
    }
    /* Plausible typo: at most a third of the word, and at most 3 edits. */
    size_t limit = wl / 3 + 1;
    if (limit > 3) limit = 3;
    return best && bestd > 0 && bestd <= limit ? best : (best && bestd == 0 ? best : NULL);
}

rc_loc rc_loc_offset(rc_loc base, size_t byte_offset)
{
    if (base.line && base.col) base.col += (unsigned)byte_offset;
    return base;
}
