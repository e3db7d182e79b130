/* config_values: reading one raw value - strings with defaults, required
 * keys, lists with per-item locations, booleans, numbers, colours,
 * enumerations - and the small checks shared by the config module (names,
 * input files, unknown keys). Every problem is reported at the value. */
#include "config_impl.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define N(x) (sizeof(x) / sizeof((x)[0]))

const char *rc_cfgi_dir(const rc_cfgi *p, const rc_cfgi_sec *s, const char *key)
{
    const rc_cfgi_key *k = rc_cfgi_get(s, key);
    return k && k->dir ? k->dir : p->c->dir;
}

rc_loc rc_cfgi_file_loc(const rc_cfgi *p)
{
    return (rc_loc){p->file, 0, 0};
}

bool rc_cfgi_valid_name(const char *s)
{
    if (!s || !isalpha((unsigned char)s[0]) || (unsigned char)s[0] >= 0x80) return false;
    for (const char *q = s + 1; *q; q++)
        if (!(isalnum((unsigned char)*q) || *q == '_' || *q == '-') || (unsigned char)*q >= 0x80)
            return false;
    return true;
}

bool rc_cfgi_check_file(rc_cfgi *p, const char *what, const char *as_written, const char *path,
                        rc_loc loc)
{
    for (size_t i = 0; p->ok_base && i < p->ok_base->ok_files.n; i++)
        if (strcmp(p->ok_base->ok_files.v[i], path) == 0) return true;
    struct stat st;
    if (stat(path, &st) != 0) {
        if (errno == ENOENT || errno == ENOTDIR)
            rc_diag_error(p->d, loc, "%s '%s' does not exist (%s)", what, as_written, path);
        else
            rc_diag_error(p->d, loc, "%s '%s' cannot be read (%s): %s", what, as_written, path,
                          strerror(errno));
        return false;
    }
    if (S_ISDIR(st.st_mode)) {
        rc_diag_error(p->d, loc, "%s '%s' is a directory (%s)", what, as_written, path);
        return false;
    }
    if (!S_ISREG(st.st_mode)) {
        rc_diag_error(p->d, loc, "%s '%s' is not a regular file (%s)", what, as_written, path);
        return false;
    }
    if (access(path, R_OK) != 0) {
        rc_diag_error(p->d, loc, "%s '%s' cannot be read (%s): %s", what, as_written, path,
                      strerror(errno));
        return false;
    }
    if (!p->edition) RC_PUSH(p->a, p->ok_files, rc_arena_strdup(p->a, path));
    return true;
}

void rc_cfgi_mark_bad(rc_cfgi *p, rc_loc section)
{
    if (p->nbad == p->capbad) {
        size_t nc = p->capbad ? p->capbad * 2 : 8;
        p->bad = rc_arena_grow(p->a, p->bad, p->nbad, nc, sizeof *p->bad);
        p->capbad = nc;
    }
    p->bad[p->nbad++] = section.line;
}

bool rc_cfgi_is_bad(const rc_cfgi *p, rc_loc section)
{
    for (size_t i = 0; i < p->nbad; i++)
        if (p->bad[i] == section.line) return true;
    return false;
}

/* ---- raw values ---- */

rc_str rc_cfgi_str(const rc_cfgi *p, const rc_cfgi_sec *s, const char *key)
{
    const rc_cfgi_key *k = rc_cfgi_get(s, key);
    if (k)
        return (rc_str){k->value, k->value_loc, k->nsegs > 1 ? k->segs : NULL,
                        k->nsegs > 1 ? k->nsegs : 0};
    return (rc_str){.s = NULL, .loc = s ? s->loc : rc_cfgi_file_loc(p)};
}

rc_str rc_cfgi_def(const rc_cfgi *p, const rc_cfgi_sec *s, const char *key, const char *dflt)
{
    rc_str v = rc_cfgi_str(p, s, key);
    if (!v.s) v.s = dflt;
    return v;
}

/* A required key: reports it missing (when the section exists) or empty. */
rc_str rc_cfgi_req(rc_cfgi *p, const rc_cfgi_sec *s, const char *key)
{
    rc_str v = rc_cfgi_str(p, s, key);
    if (!s) return v;
    if (!v.s)
        rc_diag_error(p->d, s->loc, "missing required key '%s' in %s", key, s->title);
    else if (!v.s[0])
        rc_diag_error(p->d, v.loc, "'%s' must not be empty", key);
    return v;
}

/* Splits a key's value at sep; items are trimmed and keep their own
 * locations (also on continuation lines). Empty items are reported. */
rc_strlist rc_cfgi_split(rc_cfgi *p, const rc_cfgi_sec *s, const char *key, char sep)
{
    rc_strlist l = {0};
    const rc_cfgi_key *k = rc_cfgi_get(s, key);
    if (!k) return l;
    const char *v = k->value;
    size_t n = k->len, i = 0;
    size_t items = 1;
    for (size_t j = 0; j < n; j++)
        items += v[j] == sep;
    bool blank = true;
    for (size_t j = 0; j < n && blank; j++) /* stops at the first non-space */
        if (!isspace((unsigned char)v[j])) blank = false;
    if (blank) return l;
    l.v = rc_arena_array(p->a, items, sizeof *l.v);
    for (;;) {
        size_t j = i;
        while (j < n && v[j] != sep)
            j++;
        size_t b = i, e = j;
        while (b < e && isspace((unsigned char)v[b]))
            b++;
        while (e > b && isspace((unsigned char)v[e - 1]))
            e--;
        if (b == e)
            rc_diag_error(p->d, rc_cfgi_loc_at(p, k, b < n ? b : (n ? n - 1 : 0)),
                          "empty item in the list '%s'", key);
        else
            l.v[l.n++] =
                (rc_str){.s = rc_arena_strndup(p->a, v + b, e - b), .loc = rc_cfgi_loc_at(p, k, b)};
        if (j >= n) break;
        i = j + 1;
    }
    return l;
}

int rc_cfgi_enum(rc_cfgi *p, rc_str v, const char *const *names, size_t n, const char *what,
                 int dflt)
{
    if (!v.s) return dflt;
    for (size_t i = 0; i < n; i++)
        if (strcmp(v.s, names[i]) == 0) return (int)i;
    const char *sug = rc_diag_suggest(v.s, names, n);
    if (sug) {
        rc_diag_error(p->d, v.loc, "unknown %s '%s'; did you mean '%s'?", what, v.s, sug);
        return -1;
    }
    char buf[512];
    size_t o = 0;
    for (size_t i = 0; i < n && o < sizeof buf; i++) {
        int w = snprintf(buf + o, sizeof buf - o, "%s%s", i ? (i + 1 == n ? " or " : ", ") : "",
                         names[i]);
        if (w < 0) break;
        o += (size_t)w;
    }
    rc_diag_error(p->d, v.loc, "unknown %s '%s' (expected %s)", what, v.s, buf);
    return -1;
}

bool rc_cfgi_bool(rc_cfgi *p, const rc_cfgi_sec *s, const char *key, bool dflt)
{
    static const char *const t[] = {"yes", "true", "on", "1"}, *const f[] = {"no", "false", "off",
                                                                             "0"};
    rc_str v = rc_cfgi_str(p, s, key);
    if (!v.s) return dflt;
    for (size_t i = 0; i < N(t); i++) {
        if (strcasecmp(v.s, t[i]) == 0) return true;
        if (strcasecmp(v.s, f[i]) == 0) return false;
    }
    rc_diag_error(p->d, v.loc,
                  "invalid boolean '%s' for '%s'; use yes/no, true/false, on/off or 1/0", v.s, key);
    return dflt;
}

bool rc_cfgi_parse_double(const char *s, double *out)
{
    if (!s || !*s || isspace((unsigned char)*s)) return false;
    char *end;
    errno = 0;
    double x = strtod(s, &end);
    if (*end || errno || !isfinite(x)) return false;
    *out = x;
    return true;
}

bool rc_cfgi_parse_long(const char *s, long *out)
{
    if (!s || !*s || isspace((unsigned char)*s)) return false;
    char *end;
    errno = 0;
    long x = strtol(s, &end, 10);
    if (*end || errno) return false;
    *out = x;
    return true;
}

double rc_cfgi_number(rc_cfgi *p, const rc_cfgi_sec *s, const char *key, double lo, double hi,
                      double dflt)
{
    rc_str v = rc_cfgi_str(p, s, key);
    double x;
    if (!v.s) return dflt;
    if (!rc_cfgi_parse_double(v.s, &x)) {
        rc_diag_error(p->d, v.loc, "invalid number '%s' for '%s'", v.s, key);
        return dflt;
    }
    if (x < lo || x > hi) {
        rc_diag_error(p->d, v.loc, "'%s' must be between %g and %g (got %s)", key, lo, hi, v.s);
        return dflt;
    }
    return x;
}

static int hexval(char ch)
{
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
}

bool rc_cfgi_colour(const char *s, rc_rgb *out)
{
    if (strlen(s) != 7 || s[0] != '#') return false;
    int v[6];
    for (int i = 0; i < 6; i++)
        if ((v[i] = hexval(s[i + 1])) < 0) return false;
    out->r = (v[0] * 16 + v[1]) / 255.0;
    out->g = (v[2] * 16 + v[3]) / 255.0;
    out->b = (v[4] * 16 + v[5]) / 255.0;
    return true;
}

rc_str rc_cfgi_named(const rc_cfgi_sec *s)
{
    return (rc_str){.s = s->name, .loc = s->name_loc};
}

/* Reports keys not allowed in the section, with a suggestion. */
void rc_cfgi_unknown_keys(rc_cfgi *p, const rc_cfgi_sec *s)
{
    size_t n;
    const char *const *names = rc_cfgi_keys(s->kind, &n);
    for (size_t i = 0; i < s->nkeys; i++) {
        const rc_cfgi_key *k = &s->keys[i];
        bool ok = false;
        for (size_t j = 0; j < n && !ok; j++)
            ok = strcmp(k->name, names[j]) == 0;
        if (ok) continue;
        const char *sug = rc_diag_suggest(k->name, names, n);
        if (sug)
            rc_diag_error(p->d, k->name_loc, "unknown key '%s' in %s; did you mean '%s'?", k->name,
                          s->title, sug);
        else
            rc_diag_error(p->d, k->name_loc, "unknown key '%s' in %s", k->name, s->title);
    }
}

void rc_cfgi_ignored(rc_cfgi *p, const rc_cfgi_sec *s, const char *key, const char *why)
{
    const rc_cfgi_key *k = rc_cfgi_get(s, key);
    if (k) rc_diag_warning(p->d, k->name_loc, "'%s' is ignored %s", key, why);
}
