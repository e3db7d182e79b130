/* value: typing one CSV cell for its field (rc_value) and displaying it;
 * the loader's per-field tables (code lookup, missing codes) and the column
 * storage of a batch. A valid code is found through a small hash table and
 * its text is the declared code string; only texts that must be kept (free
 * text, numbers, lists, unknown codes) are copied into the caller's room. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data_int.h"

static bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

/* A collision-free table for the codes of f, keyed by their first 8 bytes
 * and length: a few table sizes and multipliers are tried (FKS-style trial
 * of random hash functions, Fredman, Komlós & Szemerédi 1984). Leaves
 * rt->ptab NULL when none fits (the probing table serves then). */
static void perfect_table(rc_field_rt *rt, rc_arena *a, const rc_field_cfg *f)
{
    static const uint64_t mul[] = {
        0x9E3779B97F4A7C15ull, 0xC2B2AE3D27D4EB4Full, 0x165667B19E3779F9ull, 0xD6E8FEB86659FD93ull,
        0xFF51AFD7ED558CCDull, 0xC4CEB9FE1A85EC53ull, 0xA0761D6478BD642Full, 0xE7037ED1A0B428DBull};
    size_t n = f->ncodes;
    if (n == 0 || n > 4096) return;
    uint64_t *keys = rc_arena_array(a, n, sizeof *keys);
    for (size_t i = 0; i < n; i++) {
        char buf[8] = {0};
        size_t len = rt->codelen[i];
        if (len == 0 || len >= 0xFFFF) return;
        memcpy(buf, f->codes[i].code, len < 8 ? len : 8);
        memcpy(&keys[i], buf, 8);
    }
    unsigned bits = 1;
    while (((size_t)1 << bits) < 2 * n)
        bits++;
    for (unsigned b = bits; b < bits + 4; b++) {
        size_t cap = (size_t)1 << b;
        rc_code_slot *t = rc_arena_array(a, cap, sizeof *t);
        for (size_t m = 0; m < sizeof mul / sizeof mul[0]; m++) {
            memset(t, 0, cap * sizeof *t);
            size_t i = 0;
            for (; i < n; i++) {
                size_t len = rt->codelen[i];
                rc_code_slot *e = &t[((keys[i] ^ len) * mul[m]) >> (64 - b)];
                if (e->idx1) break;
                e->idx1 = (uint32_t)i + 1;
                e->key = keys[i];
                e->tail = rc_tail_key(f->codes[i].code, len);
                e->len = (uint16_t)len;
                e->missing = rc_missing_code(rt, f->codes[i].code, len) != NULL;
            }
            if (i == n) {
                rt->ptab = t;
                rt->pmul = mul[m];
                rt->pshift = 64 - b;
                return;
            }
        }
    }
}

void rc_field_rt_init(rc_field_rt *rt, rc_arena *a, const rc_field_cfg *f)
{
    memset(rt, 0, sizeof *rt);
    rt->f = f;
    rt->type = f->type;
    rt->smin = f->scale_min;
    rt->smax = f->scale_max;
    rt->codes = f->codes;
    const rc_strlist *m = f->missing.n ? &f->missing : (f->source ? &f->source->missing : NULL);
    if (m && m->n) {
        rt->miss = rc_arena_array(a, m->n, sizeof *rt->miss);
        rt->misslen = rc_arena_array(a, m->n, sizeof *rt->misslen);
        for (size_t i = 0; i < m->n; i++)
            if (m->v[i].s) {
                size_t len = strlen(m->v[i].s);
                rt->miss[rt->nmiss] = m->v[i].s;
                rt->misslen[rt->nmiss++] = len;
                rt->misslens |= (uint64_t)1 << (len < 63 ? len : 63);
            }
    }
    size_t cap = 16;
    while (cap < f->ncodes * 4)
        cap *= 2;
    rt->tab = rc_arena_array(a, cap, sizeof *rt->tab);
    rt->tabmask = cap - 1;
    rt->codelen = rc_arena_array(a, f->ncodes + 1, sizeof *rt->codelen);
    for (size_t i = 0; i < f->ncodes; i++) {
        const char *code = f->codes[i].code;
        size_t len = strlen(code);
        rt->codelen[i] = len;
        uint64_t key = rc_code_key(code, len);
        size_t h = rc_code_hash(key, len) & rt->tabmask;
        while (rt->tab[h].idx1)
            h = (h + 1) & rt->tabmask;
        rc_code_slot *e = &rt->tab[h];
        e->idx1 = (uint32_t)i + 1;
        e->key = key;
        e->len = len <= 8 ? (uint16_t)len : 0xFFFF;
        e->missing = rc_missing_code(rt, code, len) != NULL;
    }
    perfect_table(rt, a, f);
    rt->raw = f->type == RC_FIELD_CATEGORY;
    for (size_t i = 0; i < f->ncodes; i++) {
        size_t len = rt->codelen[i];
        const char *code = f->codes[i].code;
        if (len && (is_space(code[0]) || is_space(code[len - 1]))) rt->raw = false;
    }
    rt->likert_direct = f->type == RC_FIELD_LIKERT && f->scale_max >= f->scale_min &&
                        f->ncodes == (size_t)(f->scale_max - f->scale_min + 1);
    for (size_t i = 0; i < f->ncodes && rt->likert_direct; i++) {
        char want[16];
        snprintf(want, sizeof want, "%d", f->scale_min + (int)i);
        rt->likert_direct = strcmp(want, f->codes[i].code) == 0;
    }
    for (int c = '0'; c <= '9' && rt->likert_direct; c++) {
        char ch = (char)c;
        int lv = c - '0' - f->scale_min;
        if (lv >= 0 && c - '0' <= f->scale_max && rt->codelen[lv] == 1 &&
            !rc_missing_code(rt, &ch, 1))
            rt->level1[c] = (unsigned char)(lv + 1);
    }
    const char *sep = f->separator.s && *f->separator.s ? f->separator.s : ";";
    rt->sep = f->type == RC_FIELD_MULTI && strlen(sep) == 1 ? sep[0] : 0;
    rt->nlevels = rc_field_levels(f);
}

size_t rc_field_levels(const rc_field_cfg *f)
{
    switch (f->type) {
    case RC_FIELD_CATEGORY:
        return f->ncodes;
    case RC_FIELD_MULTI:
        return f->ncodes < 64 ? f->ncodes : 64;
    case RC_FIELD_LIKERT: {
        size_t levels =
            f->scale_max >= f->scale_min ? (size_t)(f->scale_max - f->scale_min + 1) : 0;
        return f->ncodes > levels ? f->ncodes : levels;
    }
    default:
        return 0;
    }
}

void rc_batch_init(rc_batch *b, rc_arena *a, const rc_source_cfg *src, const bool *want_text)
{
    memset(b, 0, sizeof *b);
    b->ncols = src->nfields;
    b->cols = rc_arena_array(a, b->ncols ? b->ncols : 1, sizeof *b->cols);
    for (size_t k = 0; k < b->ncols; k++) {
        const rc_field_cfg *f = &src->fields[k];
        rc_col *c = &b->cols[k];
        c->type = f->type;
        c->nlevels = rc_field_levels(f);
        if (c->nlevels) c->bits = rc_arena_array(a, c->nlevels * RC_BW, sizeof *c->bits);
        if (f->type == RC_FIELD_INTEGER || f->type == RC_FIELD_NUMBER)
            c->num = rc_arena_array(a, RC_BATCH, sizeof *c->num);
        if (want_text && want_text[k]) c->text = rc_arena_array(a, RC_BATCH, sizeof *c->text);
    }
}

void rc_batch_clear(rc_batch *b)
{
    for (size_t k = 0; k < b->ncols; k++) {
        rc_col *c = &b->cols[k];
        memset(c->miss, 0, sizeof c->miss);
        if (c->nlevels) memset(c->bits, 0, c->nlevels * RC_BW * sizeof *c->bits);
    }
    b->n = 0;
}

void rc_batch_put(rc_batch *b, size_t k, size_t r, const rc_value *v)
{
    rc_col *c = &b->cols[k];
    size_t w = r / 64;
    uint64_t bit = (uint64_t)1 << (r % 64);
    if (v->missing) c->miss[w] |= bit;
    if (c->text) c->text[r] = v->text;
    switch (c->type) {
    case RC_FIELD_CATEGORY:
    case RC_FIELD_LIKERT:
        if (!v->missing && v->code >= 0 && (size_t)v->code < c->nlevels)
            c->bits[(size_t)v->code * RC_BW + w] |= bit;
        break;
    case RC_FIELD_MULTI:
        if (!v->missing)
            for (uint64_t m = v->mask; m; m &= m - 1) {
                size_t i = (size_t)__builtin_ctzll(m);
                if (i < c->nlevels) c->bits[i * RC_BW + w] |= bit;
            }
        break;
    case RC_FIELD_INTEGER:
    case RC_FIELD_NUMBER:
        c->num[r] = v->num;
        break;
    case RC_FIELD_TEXT:
        break;
    }
}

static int find_code(const rc_field_rt *rt, const rc_field_cfg *f, const char *s, size_t len)
{
    if (rt) return rc_find_code(rt, s, len);
    for (size_t i = 0; i < f->ncodes; i++)
        if (strlen(f->codes[i].code) == len && memcmp(f->codes[i].code, s, len) == 0) return (int)i;
    return -1;
}

/* A value that cannot be used: counted for the source's report when the
 * loader's rt is given (one warning per field and reason, quality.c), else
 * (rc_value_parse, one cell on its own) reported at once. */
static void dropped(rc_field_rt *rt, rc_arena *a, rc_diag *d, rc_drop_reason why, rc_loc loc,
                    const char *s, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 8, 9)));
static void dropped(rc_field_rt *rt, rc_arena *a, rc_diag *d, rc_drop_reason why, rc_loc loc,
                    const char *s, size_t len, const char *fmt, ...)
{
    if (rt) {
        rc_drop_value(rt, a, why, loc, s, len);
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    char *msg = rc_arena_vprintf(a, fmt, ap);
    va_end(ap);
    rc_diag_warning(d, loc, "%s", msg);
}

static inline bool parse_int(const char *s, size_t len, double *v)
{
    size_t i = 0;
    bool neg = false;
    if (i < len && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
    if (i == len || len - i > 15) return false;
    int64_t x = 0;
    for (; i < len; i++) {
        if (s[i] < '0' || s[i] > '9') return false;
        x = x * 10 + (s[i] - '0');
    }
    *v = (double)(neg ? -x : x);
    return true;
}

/* s is NUL-terminated. Plain decimal notation only (no hex, inf, nan). */
static bool parse_number(const char *s, size_t len, double *v)
{
    if (parse_int(s, len, v)) return true;
    if (len == 0 || !strchr("+-.0123456789", s[0])) return false;
    for (size_t i = 0; i < len; i++)
        if (!s[i] || !strchr("+-.0123456789eE", s[i])) return false;
    char *end;
    errno = 0;
    *v = strtod(s, &end);
    return end == s + len && isfinite(*v);
}

/* The missing code equal to s, or NULL. */
static const char *missing_code(const rc_field_rt *rt, const rc_field_cfg *f, const char *s,
                                size_t len)
{
    if (rt) return rc_missing_code(rt, s, len);
    const rc_strlist *m = f->missing.n ? &f->missing : (f->source ? &f->source->missing : NULL);
    for (size_t i = 0; m && i < m->n; i++)
        if (m->v[i].s && strlen(m->v[i].s) == len && memcmp(m->v[i].s, s, len) == 0)
            return m->v[i].s;
    return NULL;
}

/* A NUL-terminated copy of s at *room. */
static const char *copy(char **room, const char *s, size_t len)
{
    char *t = *room;
    memcpy(t, s, len);
    t[len] = 0;
    *room += len + 1;
    return t;
}

static void parse_multi(rc_field_rt *rt, rc_arena *a, const rc_field_cfg *f, const char *text,
                        size_t len, rc_loc loc, rc_diag *d, rc_value *out)
{
    const char *sep = f->separator.s && *f->separator.s ? f->separator.s : ";";
    size_t slen = strlen(sep);
    size_t i = 0;
    for (;;) {
        const char *hit = NULL;
        for (size_t j = i; j + slen <= len;) {
            const char *c = memchr(text + j, sep[0], len - j - slen + 1);
            if (!c) break;
            if (rc_same(c, sep, slen)) {
                hit = c;
                break;
            }
            j = (size_t)(c - text) + 1;
        }
        size_t e = hit ? (size_t)(hit - text) : len;
        size_t s = i, t = e;
        while (s < t && is_space(text[s]))
            s++;
        while (t > s && is_space(text[t - 1]))
            t--;
        if (t > s) {
            int k = find_code(rt, f, text + s, t - s);
            if (k < 0 || k >= 64)
                dropped(rt, a, d, RC_DROP_UNDECLARED, rc_loc_offset(loc, s), text + s, t - s,
                        "code '%.*s' of field '%s' is not declared", (int)(t - s), text + s,
                        f->name.s);
            else
                out->mask |= (uint64_t)1 << k;
        }
        if (!hit) break;
        i = e + slen;
    }
    if (!out->mask) out->missing = true;
    if (rt) rc_drop_cell_end(rt, RC_DROP_UNDECLARED, out->missing);
}

bool rc_value_parse_rt(rc_field_rt *rt, rc_arena *a, const rc_field_cfg *f, const char *s,
                       size_t len, rc_loc loc, rc_diag *d, rc_value *out, char **room)
{
    out->missing = false;
    out->code = -1;
    out->mask = 0;
    out->num = NAN;
    if (len == 0) {
        out->missing = true;
        out->text = "";
        return true;
    }
    const char *mc = missing_code(rt, f, s, len);
    if (mc) {
        out->missing = true;
        out->text = mc;
        return true;
    }
    switch (f->type) {
    case RC_FIELD_CATEGORY: {
        int k = find_code(rt, f, s, len);
        out->code = k;
        if (k >= 0) {
            out->text = f->codes[k].code;
            return true;
        }
        out->text = copy(room, s, len);
        dropped(rt, a, d, RC_DROP_UNDECLARED, loc, s, len,
                "code '%s' of field '%s' is not declared", out->text, f->name.s);
        out->missing = true;
        return true;
    }
    case RC_FIELD_LIKERT: {
        double v;
        if (!parse_int(s, len, &v)) {
            out->text = copy(room, s, len);
            rc_diag_error(d, loc, "answer '%s' of likert field '%s' is not a whole number",
                          out->text, f->name.s);
            out->missing = true;
            return false;
        }
        if (v < f->scale_min || v > f->scale_max) {
            out->text = copy(room, s, len);
            dropped(rt, a, d, RC_DROP_OUT_OF_SCALE, loc, s, len,
                    "answer %s of field '%s' is outside the scale %d..%d (read as missing)",
                    out->text, f->name.s, f->scale_min, f->scale_max);
            out->missing = true;
            return true;
        }
        out->num = v;
        /* The level index; config.c declares likert codes as the whole scale
         * in order ("1".."5"), so it is also the index into f->codes. */
        out->code = (int)v - f->scale_min;
        int k = out->code;
        /* canonical codes: an equal length means an equal text */
        if ((size_t)k < f->ncodes && (rt ? rt->codelen[k] : strlen(f->codes[k].code)) == len &&
            strncmp(f->codes[k].code, s, len) == 0)
            out->text = f->codes[k].code;
        else
            out->text = copy(room, s, len);
        return true;
    }
    case RC_FIELD_MULTI:
        out->text = copy(room, s, len);
        parse_multi(rt, a, f, out->text, len, loc, d, out);
        return true;
    case RC_FIELD_INTEGER:
    case RC_FIELD_NUMBER: {
        out->text = copy(room, s, len);
        double v;
        bool ok = f->type == RC_FIELD_INTEGER ? parse_int(out->text, len, &v)
                                              : parse_number(out->text, len, &v);
        if (!ok) {
            rc_diag_error(d, loc, "'%s' is not %s (field '%s' is of type %s)", out->text,
                          f->type == RC_FIELD_INTEGER ? "a whole number" : "a number", f->name.s,
                          rc_field_type_name(f->type));
            out->missing = true;
            return false;
        }
        out->num = v;
        return true;
    }
    case RC_FIELD_TEXT:
        out->text = copy(room, s, len);
        return true;
    }
    return true;
}

bool rc_value_parse(rc_arena *a, const rc_field_cfg *f, const char *text, size_t len, rc_loc loc,
                    rc_diag *d, rc_value *out)
{
    size_t s = 0;
    while (s < len && is_space(text[s]))
        s++;
    while (len > s && is_space(text[len - 1]))
        len--;
    char *room = rc_arena_alloc(a, len - s + 1);
    return rc_value_parse_rt(NULL, a, f, text + s, len - s, rc_loc_offset(loc, s), d, out, &room);
}

static const char *code_label(const rc_code *c)
{
    return c->label && *c->label ? c->label : c->code;
}

static const char *plain_number(rc_arena *a, double v)
{
    if (v == floor(v) && fabs(v) < 1e15) return rc_arena_printf(a, "%.0f", v);
    char buf[64];
    snprintf(buf, sizeof buf, "%.15g", v);
    return rc_arena_strdup(a, buf);
}

const char *rc_value_display(rc_arena *a, const rc_field_cfg *f, const rc_value *v)
{
    if (v->missing) return "";
    switch (f->type) {
    case RC_FIELD_CATEGORY:
        return v->code >= 0 && (size_t)v->code < f->ncodes ? code_label(&f->codes[v->code])
                                                           : (v->text ? v->text : "");
    case RC_FIELD_MULTI: {
        size_t n = 0;
        for (size_t i = 0; i < f->ncodes && i < 64; i++)
            if (v->mask >> i & 1) n += strlen(code_label(&f->codes[i])) + 2;
        char *b = rc_arena_alloc(a, n + 1);
        for (size_t i = 0; i < f->ncodes && i < 64; i++)
            if (v->mask >> i & 1) {
                if (*b) strcat(b, "; ");
                strcat(b, code_label(&f->codes[i]));
            }
        return b;
    }
    case RC_FIELD_LIKERT:
    case RC_FIELD_INTEGER:
    case RC_FIELD_NUMBER:
        return plain_number(a, v->num);
    case RC_FIELD_TEXT:
        return v->text ? v->text : "";
    }
    return "";
}
