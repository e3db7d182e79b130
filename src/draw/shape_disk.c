/* shape_disk: the texts a PDF's last build showed, with their kerning and
 * ligature codes, kept in the cache directory for its next build
 * (rc_fonts_keep_shown, rc/font.h; the file through rc/zmemo.h).
 *
 * Drawing a page asks the shaper for every text it shows (rc_font_shaped:
 * per-byte kerning and ligature codes), and a text not shown before costs
 * its pairs' kerning and, with a ligature candidate, HarfBuzz's shaping:
 * 6.6 M instructions of the sample's one-edition PDF on the typesetting
 * thread, the same every build of an unchanged document. A text found in
 * the file is taken from it instead; what the shaping would have left
 * behind that the output reads (the characters each ligature code stands
 * for, rc_shaper_ligature, for the ToUnicode CMap) is taken as the shaping
 * takes it. The pairs the shaping would have learnt are not: a later text
 * learns them itself.
 *
 * The layout's measured strings are kept in the same file (see below).
 *
 * Key: the face's place among the faces (the first of those sharing its
 * font), then the text. Value:
 *   flags (1 kerning, 2 codes);
 *   with kerning: a count, then per byte whose kerning is not +0.0 its
 *     index and the float's 4 bytes (as kept in memory: the file's key
 *     names the executable);
 *   with codes: a count, then per byte with a code its index and code
 *     (RC_FONT_LIG_HIDDEN at a ligature's later bytes);
 *     then a count of the codes, and per code the code, the length of its
 *     characters and those bytes. */
#include <string.h>

#include "rc/zmemo.h"
#include "shape_impl.h"

enum { MAXN = RC_SHAPE_KEEP_MAX };

void rc_shaper_set_disk(rc_shaper *s, struct rc_zmemo *z, unsigned face)
{
    s->disk = z;
    s->disk_face = (uint8_t)face;
    if (z) s->disk_epoch++;
}

/* The key of text p[0..n) shown (SHOWN), or measured (WIDTH). */
enum { SHOWN = 0, WIDTH = 0x80 };
static size_t key_of(const rc_shaper *s, const char *p, size_t n, unsigned kind, unsigned char *k)
{
    k[0] = (unsigned char)(s->disk_face | kind);
    memcpy(k + 1, p, n);
    return n + 1;
}

/* Kerning per byte of an n-byte text (nonzero ones) at o: a count, then
 * each one's index and the float's 4 bytes; returns the end. */
static unsigned char *put_kern(unsigned char *o, const float *kern, size_t n)
{
    unsigned char *count = o++;
    for (size_t i = 0; i < n; i++) {
        uint32_t bits;
        memcpy(&bits, &kern[i], 4);
        if (!bits) continue;
        *o++ = (unsigned char)i;
        memcpy(o, &bits, 4);
        o += 4;
    }
    *count = (unsigned char)((o - count - 1) / 5);
    return o;
}

/* Checks the kerning put_kern wrote at *c (before e) for an n-byte text:
 * its entries into *kv, *nk, *c past it; false when damaged. */
static bool check_kern(const unsigned char **c, const unsigned char *e, size_t n,
                       const unsigned char **kv, size_t *nk)
{
    if (*c >= e) return false;
    *nk = *(*c)++;
    *kv = *c;
    if ((size_t)(e - *c) < *nk * 5) return false;
    for (size_t i = 0; i < *nk; i++)
        if ((*kv)[5 * i] >= n) return false;
    *c += *nk * 5;
    return true;
}

static float *get_kern(rc_shaper *s, const unsigned char *kv, size_t nk, size_t n)
{
    float *k = rc_arena_array(s->a, n, sizeof *k);
    for (size_t i = 0; i < nk; i++)
        memcpy(&k[kv[5 * i]], kv + 5 * i + 1, 4);
    return k;
}

bool rc_shape_disk_get(rc_shaper *s, const char *p, size_t n, const float **kern,
                       const uint8_t **lig)
{
    if (n < 2 || n > MAXN) return false;
    unsigned char key[MAXN + 1];
    size_t vn = 0;
    const unsigned char *v = rc_zmemo_get(s->disk, key, key_of(s, p, n, SHOWN, key), &vn);
    if (!v) return rc_shape_page_index_get(s, p, n, kern, lig); /* kept in a page? */
    if (vn < 1) return false;
    const unsigned char *e = v + vn, *c = v + 1;
    unsigned flags = v[0];
    if (flags > 3) return false;
    /* read and check everything before anything is taken */
    const unsigned char *kv = NULL, *lv = NULL, *cv = NULL;
    size_t nk = 0, nl = 0, nc = 0;
    if ((flags & 1) && !check_kern(&c, e, n, &kv, &nk)) return false;
    if (flags & 2) {
        if (c >= e) return false;
        nl = *c++;
        lv = c;
        if ((size_t)(e - c) < nl * 2) return false;
        for (size_t i = 0; i < nl; i++)
            if (lv[2 * i] >= n || lv[2 * i + 1] == 0 ||
                (lv[2 * i + 1] > s->nligg && lv[2 * i + 1] != RC_FONT_LIG_HIDDEN))
                return false;
        c += nl * 2;
        if (c >= e) return false;
        nc = *c++;
        cv = c;
        for (size_t i = 0; i < nc; i++) {
            if (e - c < 2 || c[0] == 0 || c[0] > s->nligg || (size_t)(e - c - 2) < c[1])
                return false;
            const char *had = s->ligtext[c[0]];
            if (had && (strlen(had) != c[1] || memcmp(had, c + 2, c[1]) != 0)) return false;
            c += 2 + c[1];
        }
    }
    if (c != e) return false;
    /* the codes' characters, as lig_code takes them on first sight */
    for (size_t i = 0; i < nc; i++, cv += 2 + cv[1])
        if (!s->ligtext[cv[0]])
            s->ligtext[cv[0]] = rc_arena_strndup(s->a, (const char *)cv + 2, cv[1]);
    float *k = flags & 1 ? get_kern(s, kv, nk, n) : NULL;
    uint8_t *l = NULL;
    if (flags & 2) {
        l = rc_arena_array(s->a, n, 1);
        for (size_t i = 0; i < nl; i++)
            l[lv[2 * i]] = lv[2 * i + 1];
    }
    *kern = k;
    *lig = l;
    return true;
}

void rc_shape_disk_put(rc_shaper *s, const char *p, size_t n, const float *kern, const uint8_t *lig)
{
    /* a text of a page kept whole is kept with it (shape_page.c) */
    if (n < 2 || n > MAXN || rc_shape_page_open(s)) return;
    /* at most: flags, MAXN kernings, MAXN codes, 31 codes' characters */
    unsigned char v[1 + 1 + 5 * MAXN + 1 + 2 * MAXN + 1 + (2 + MAXN) * RC_SHAPE_MAXLIG], *o = v + 1;
    v[0] = (kern ? 1 : 0) | (lig ? 2 : 0);
    if (kern) o = put_kern(o, kern, n);
    if (lig) {
        bool used[RC_SHAPE_MAXLIG + 1] = {false};
        unsigned char *count = o++;
        for (size_t i = 0; i < n; i++) {
            if (!lig[i]) continue;
            *o++ = (unsigned char)i;
            *o++ = lig[i];
            if (lig[i] == RC_FONT_LIG_HIDDEN) continue; /* a ligature's later bytes */
            if (lig[i] > RC_SHAPE_MAXLIG || !s->ligtext[lig[i]]) return; /* (cannot happen) */
            used[lig[i]] = true;
        }
        *count = (unsigned char)((o - count - 1) / 2);
        count = o++;
        unsigned ncodes = 0;
        for (unsigned c = 1; c <= RC_SHAPE_MAXLIG; c++) {
            if (!used[c]) continue;
            size_t len = strlen(s->ligtext[c]);
            if (len > MAXN) return;
            *o++ = (unsigned char)c;
            *o++ = (unsigned char)len;
            memcpy(o, s->ligtext[c], len);
            o += len;
            ncodes++;
        }
        *count = (unsigned char)ncodes;
    }
    unsigned char key[MAXN + 1];
    rc_zmemo_put(s->disk, key, key_of(s, p, n, SHOWN, key), v, (size_t)(o - v));
}

/* Whether p[0..n) of that kind needs no putting: the file has it (now
 * marked used), or it is not kept at all. */
static bool in_file(rc_shaper *s, const char *p, size_t n, unsigned kind)
{
    unsigned char key[MAXN + 1];
    size_t vn;
    return n < 2 || n > MAXN || rc_zmemo_get(s->disk, key, key_of(s, p, n, kind, key), &vn);
}

void rc_shape_disk_keep(rc_shaper *s, const char *p, size_t n, const float *kern,
                        const uint8_t *lig)
{
    if (s->disk && !in_file(s, p, n, SHOWN)) rc_shape_disk_put(s, p, n, kern, lig);
}

void rc_shape_disk_touch(rc_shaper *s, shown *e)
{
    if (rc_shape_page_open(s)) return; /* (held: see rc_shape_disk_put) */
    e->epoch = s->disk_epoch;
    e->held = false;
    rc_shape_disk_keep(s, e->w.key, e->w.len, e->kern, e->lig);
}

/* ---- measured strings ----
 * The layout measures every string it sets but the paragraphs' kept
 * lines (rc/para_memo.h): table cells, headings, the charts' labels, the
 * contents (rc_shaper_width). Key: WIDTH | the face's place, then the
 * string. Value: flags (1 kerning, 2 plain: set with the pair tables
 * alone), the width's float (4 bytes, as kept in memory), then with
 * kerning as for a text shown. */

bool rc_shape_disk_get_width(rc_shaper *s, const char *p, size_t n, measured *m)
{
    if (n < 2 || n > MAXN) return false;
    unsigned char key[MAXN + 1];
    size_t vn = 0;
    const unsigned char *v = rc_zmemo_get(s->disk, key, key_of(s, p, n, WIDTH, key), &vn);
    if (!v || vn < 5 || v[0] > 3) return false;
    const unsigned char *e = v + vn, *c = v + 5, *kv = NULL;
    size_t nk = 0;
    if ((v[0] & 1) && !check_kern(&c, e, n, &kv, &nk)) return false;
    if (c != e) return false;
    memcpy(&m->w.width, v + 1, 4);
    m->plain = v[0] & 2;
    m->kern = v[0] & 1 ? get_kern(s, kv, nk, n) : NULL;
    return true;
}

void rc_shape_disk_put_width(rc_shaper *s, const char *p, size_t n, const measured *m)
{
    if (n < 2 || n > MAXN) return;
    unsigned char v[1 + 4 + 1 + 5 * MAXN], *o = v + 5;
    v[0] = (unsigned char)((m->kern ? 1 : 0) | (m->plain ? 2 : 0));
    memcpy(v + 1, &m->w.width, 4);
    if (m->kern) o = put_kern(o, m->kern, n);
    unsigned char key[MAXN + 1];
    rc_zmemo_put(s->disk, key, key_of(s, p, n, WIDTH, key), v, (size_t)(o - v));
}

void rc_shape_disk_touch_width(rc_shaper *s, measured *m)
{
    m->epoch = s->disk_epoch;
    if (!in_file(s, m->w.key, m->w.len, WIDTH)) rc_shape_disk_put_width(s, m->w.key, m->w.len, m);
}
