/* shape_gpos: a font's pair kerning read from its GPOS table, for the pairs
 * HarfBuzz would set exactly so. The shaper (shape.c) learns the kerning
 * of each pair of characters once per face; asking HarfBuzz cost ~3,100
 * instructions per character shaped (2,200 of them in Lato's three
 * kerning lookups), 20 M instructions of a 220 M build, all to learn a
 * few thousand pairs. Reading a pair's adjustment from the table is a few
 * binary searches.
 *
 * HarfBuzz stays the reference: the table is used only when the shaping
 * plan's positioning is nothing but pair adjustments (GPOS lookup type 2,
 * directly or through an extension, lookup flag 0, no value for the second
 * glyph, every array inside the table and sorted), its substitutions only
 * the fraction features (applied around U+2044 alone) and the face has no
 * AAT tables; and only for pairs of characters HarfBuzz sets one glyph
 * each, untouched: letters, digits, punctuation, symbols and U+0020 with a
 * glyph of their own, not marks (by Unicode or GDEF), default ignorables
 * or the fraction slash. Everything else is shaped, as before. The
 * adjustment of a pair is HarfBuzz's: per lookup, the first subtable that
 * applies (format 1: the pair is listed; format 2: the first glyph is
 * covered and both classes are in range), summed over the lookups
 * (tests/unit/draw compares every pair of the test set with HarfBuzz). */
#include "shape_int.h"

#include <string.h>

struct rc_kern_table {
    rc_arena *a;
    hb_blob_t *blob;
    const uint8_t *d;
    size_t len;
    hb_font_t *font;
    hb_face_t *face;
    bool gdef;      /* the face classifies glyphs (marks) itself */
    uint32_t *subs; /* PairPos subtables (offsets in the table), lookup by lookup */
    size_t *first;  /* lookup k's subtables: subs[first[k] .. first[k + 1]) */
    size_t nlookups;
    rc_cp_bits plain;    /* per BMP code point: classified, eligible */
    int32_t aplain[128]; /* ASCII: plain's answer, the glyph (>= 0) or -2 (not
                          * plain); -1 not asked yet */
    rc_glyph_cache glyphs;
    /* per first glyph, the subtables covering it, found once: most pairs
     * share their first glyph with many others */
    struct cov *pool;
    size_t npool, cpool;
    /* glyph g -> its entries in pool, in chunks of 256 glyphs made on
     * first use (a Latin text's glyphs are a few chunks of the font's) */
    struct row *row[256];
    unsigned nglyphs;
};

/* A first glyph's subtables: 1 + its first entry in pool (0: not yet). */
struct row {
    uint32_t first;
    uint16_t n;
};

/* A subtable covering a first glyph: where it is, and what the glyph
 * selects in it (format 1: its pair set; format 2: its class). */
typedef struct cov {
    uint32_t sub, aux;
    uint32_t lookup;
} cov;

static unsigned be16(const uint8_t *d, size_t o)
{
    return (unsigned)d[o] << 8 | d[o + 1];
}

static uint32_t be32(const uint8_t *d, size_t o)
{
    return (uint32_t)d[o] << 24 | (uint32_t)d[o + 1] << 16 | (uint32_t)d[o + 2] << 8 | d[o + 3];
}

static bool fits(const rc_kern_table *t, size_t o, size_t n)
{
    return o <= t->len && n <= t->len - o;
}

/* A coverage table at c: in bounds, glyphs or ranges ascending. */
static bool valid_coverage(const rc_kern_table *t, size_t c)
{
    if (!fits(t, c, 4)) return false;
    unsigned fmt = be16(t->d, c), n = be16(t->d, c + 2);
    if (fmt == 1) {
        if (!fits(t, c + 4, 2 * (size_t)n)) return false;
        for (unsigned i = 1; i < n; i++)
            if (be16(t->d, c + 4 + 2 * i) <= be16(t->d, c + 2 + 2 * i)) return false;
        return true;
    }
    if (fmt != 2 || !fits(t, c + 4, 6 * (size_t)n)) return false;
    for (unsigned i = 0; i < n; i++) {
        size_t r = c + 4 + 6 * (size_t)i;
        if (be16(t->d, r) > be16(t->d, r + 2)) return false;
        if (i && be16(t->d, r) <= be16(t->d, r - 4)) return false;
    }
    return true;
}

static bool valid_classdef(const rc_kern_table *t, size_t c)
{
    if (!fits(t, c, 4)) return false;
    unsigned fmt = be16(t->d, c);
    if (fmt == 1) return fits(t, c, 6) && fits(t, c + 6, 2 * (size_t)be16(t->d, c + 4));
    if (fmt != 2) return false;
    unsigned n = be16(t->d, c + 2);
    if (!fits(t, c + 4, 6 * (size_t)n)) return false;
    for (unsigned i = 0; i < n; i++) {
        size_t r = c + 4 + 6 * (size_t)i;
        if (be16(t->d, r) > be16(t->d, r + 2)) return false;
        if (i && be16(t->d, r) <= be16(t->d, r - 4)) return false;
    }
    return true;
}

/* The class of glyph g in the (valid) class definition at c; 0 when absent. */
static unsigned class_of(const rc_kern_table *t, size_t c, unsigned g)
{
    if (be16(t->d, c) == 1) {
        unsigned start = be16(t->d, c + 2), n = be16(t->d, c + 4);
        return g >= start && g - start < n ? be16(t->d, c + 6 + 2 * (size_t)(g - start)) : 0;
    }
    size_t lo = 0, hi = be16(t->d, c + 2);
    while (lo < hi) {
        size_t mid = (lo + hi) / 2, r = c + 4 + 6 * mid;
        if (g < be16(t->d, r))
            hi = mid;
        else if (g > be16(t->d, r + 2))
            lo = mid + 1;
        else
            return be16(t->d, r + 4);
    }
    return 0;
}

/* Bytes of a value record of format vf (each field and device offset two). */
static size_t value_len(unsigned vf)
{
    /* bits set in each nibble: __builtin_popcount is a libgcc call without
     * -mpopcnt, two per pair looked up */
    static const uint8_t bits[16] = {0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4};
    return 2 * (size_t)(bits[vf & 15] + bits[vf >> 4 & 15]);
}

/* A PairPos subtable at s (format 1 or 2, no second value, every array
 * inside the table and sorted). */
static bool valid_pairpos(const rc_kern_table *t, size_t s)
{
    if (!fits(t, s, 10)) return false;
    unsigned fmt = be16(t->d, s), vf1 = be16(t->d, s + 4), vf2 = be16(t->d, s + 6);
    if (vf2 != 0 || (vf1 & ~0xFFu) || !valid_coverage(t, s + be16(t->d, s + 2))) return false;
    size_t rec = 2 + value_len(vf1);
    if (fmt == 1) {
        unsigned n = be16(t->d, s + 8);
        if (!fits(t, s + 10, 2 * (size_t)n)) return false;
        for (unsigned i = 0; i < n; i++) {
            size_t ps = s + be16(t->d, s + 10 + 2 * (size_t)i);
            if (!fits(t, ps, 2)) return false;
            unsigned np = be16(t->d, ps);
            if (!fits(t, ps + 2, rec * np)) return false;
            for (unsigned k = 1; k < np; k++)
                if (be16(t->d, ps + 2 + rec * k) <= be16(t->d, ps + 2 + rec * (k - 1)))
                    return false;
        }
        return true;
    }
    if (fmt != 2 || !fits(t, s, 16)) return false;
    size_t n1 = be16(t->d, s + 12), n2 = be16(t->d, s + 14);
    return valid_classdef(t, s + be16(t->d, s + 8)) && valid_classdef(t, s + be16(t->d, s + 10)) &&
           fits(t, s + 16, n1 * n2 * value_len(vf1));
}

/* The XAdvance of the value record at v (format vf); 0 without one. */
static int x_advance(const rc_kern_table *t, size_t v, unsigned vf)
{
    if (!(vf & 4)) return 0;
    return (int16_t)be16(t->d, v + value_len(vf & 3));
}

/* The coverage index of glyph g in the (valid) coverage table at c, or -1. */
static long cov_index(const rc_kern_table *t, size_t c, unsigned g)
{
    unsigned fmt = be16(t->d, c);
    size_t lo = 0, hi = be16(t->d, c + 2);
    while (lo < hi) {
        size_t mid = (lo + hi) / 2, r = fmt == 1 ? c + 4 + 2 * mid : c + 4 + 6 * mid;
        unsigned a = be16(t->d, r), b = fmt == 1 ? a : be16(t->d, r + 2);
        if (g < a)
            hi = mid;
        else if (g > b)
            lo = mid + 1;
        else
            return fmt == 1 ? (long)mid : (long)(be16(t->d, r + 4) + (g - a));
    }
    return -1;
}

/* Whether subtable e->sub, selected by the first glyph as e says, applies
 * when g2 follows, and its adjustment (HarfBuzz's PairPos apply). */
static bool pair_applies(const rc_kern_table *t, const cov *e, unsigned g2, int *adj)
{
    size_t s = e->sub;
    unsigned vf1 = be16(t->d, s + 4);
    size_t vl = value_len(vf1);
    if (be16(t->d, s) == 1) {
        if (!e->aux) return false; /* no pair set: nothing listed */
        size_t ps = e->aux, rec = 2 + vl, lo = 0, hi = be16(t->d, ps);
        while (lo < hi) {
            size_t mid = (lo + hi) / 2, r = ps + 2 + rec * mid;
            unsigned v = be16(t->d, r);
            if (v == g2) {
                *adj = x_advance(t, r + 2, vf1);
                return true;
            }
            if (v < g2)
                lo = mid + 1;
            else
                hi = mid;
        }
        return false;
    }
    unsigned k1 = e->aux, k2 = class_of(t, s + be16(t->d, s + 10), g2);
    unsigned n1 = be16(t->d, s + 12), n2 = be16(t->d, s + 14);
    if (k1 >= n1 || k2 >= n2) return false;
    *adj = x_advance(t, s + 16 + vl * ((size_t)k1 * n2 + k2), vf1);
    return true;
}

/* The subtables covering glyph g, in lookup order (made on first use). */
static const cov *row_of(rc_arena *a, rc_kern_table *t, unsigned g, size_t *n)
{
    struct row **chunk = &t->row[g >> 8];
    if (!*chunk) *chunk = rc_arena_array(a, 256, sizeof **chunk);
    struct row *r = *chunk + (g & 255);
    if (!r->first) {
        size_t first = t->npool;
        for (size_t k = 0; k < t->nlookups; k++)
            for (size_t i = t->first[k]; i < t->first[k + 1]; i++) {
                size_t s = t->subs[i];
                long idx = cov_index(t, s + be16(t->d, s + 2), g);
                if (idx < 0) continue;
                cov e = {(uint32_t)s, 0, (uint32_t)k};
                if (be16(t->d, s) == 1)
                    e.aux = (size_t)idx < be16(t->d, s + 8)
                                ? (uint32_t)(s + be16(t->d, s + 10 + 2 * (size_t)idx))
                                : 0;
                else
                    e.aux = class_of(t, s + be16(t->d, s + 8), g);
                if (t->npool == t->cpool) {
                    size_t nc = t->cpool ? 2 * t->cpool : 256;
                    t->pool = rc_arena_grow(a, t->pool, t->npool, nc, sizeof *t->pool);
                    t->cpool = nc;
                }
                t->pool[t->npool++] = e;
            }
        r->first = (uint32_t)first + 1;
        r->n = (uint16_t)(t->npool - first);
    }
    *n = r->n;
    return t->pool + (r->first - 1);
}

static void release(void *ctx)
{
    rc_kern_table *t = ctx;
    hb_blob_destroy(t->blob);
}

/* The lookups plan positions with, when they are all pair adjustments the
 * reader follows; false otherwise. */
static bool collect(rc_arena *a, rc_kern_table *t, hb_shape_plan_t *plan)
{
    hb_set_t *pos = hb_set_create(), *sub = hb_set_create(), *frac = hb_set_create();
    hb_ot_shape_plan_collect_lookups(plan, HB_OT_TAG_GPOS, pos);
    hb_ot_shape_plan_collect_lookups(plan, HB_OT_TAG_GSUB, sub);
    hb_tag_t fr[] = {HB_TAG('f', 'r', 'a', 'c'), HB_TAG('n', 'u', 'm', 'r'),
                     HB_TAG('d', 'n', 'o', 'm'), HB_TAG_NONE};
    hb_ot_layout_collect_lookups(t->face, HB_OT_TAG_GSUB, NULL, NULL, fr, frac);
    hb_set_subtract(sub, frac);
    bool ok = hb_set_is_empty(sub) && !hb_set_is_empty(pos) && fits(t, 0, 10) && be16(t->d, 0) == 1;
    size_t ll = ok ? be16(t->d, 8) : 0, nl = ok && fits(t, ll, 2) ? be16(t->d, ll) : 0;
    ok = ok && nl && fits(t, ll + 2, 2 * nl);
    size_t n = 0, cap = 0;
    t->first = ok ? rc_arena_array(a, hb_set_get_population(pos) + 1, sizeof *t->first) : NULL;
    for (hb_codepoint_t l = HB_SET_VALUE_INVALID; ok && hb_set_next(pos, &l);) {
        if (l >= nl) {
            ok = false;
            break;
        }
        size_t lo = ll + be16(t->d, ll + 2 + 2 * (size_t)l);
        ok = fits(t, lo, 6);
        unsigned type = ok ? be16(t->d, lo) : 0, flag = ok ? be16(t->d, lo + 2) : 1;
        unsigned ns = ok ? be16(t->d, lo + 4) : 0;
        ok = ok && (type == 2 || type == 9) && flag == 0 && fits(t, lo + 6, 2 * (size_t)ns);
        t->first[t->nlookups++] = n;
        for (unsigned i = 0; ok && i < ns; i++) {
            size_t s = lo + be16(t->d, lo + 6 + 2 * (size_t)i);
            if (type == 9) { /* extension: format 1, the real type, a 32-bit offset */
                ok = fits(t, s, 8) && be16(t->d, s) == 1 && be16(t->d, s + 2) == 2;
                if (ok) s += be32(t->d, s + 4);
            }
            ok = ok && valid_pairpos(t, s);
            if (!ok) break;
            if (n == cap) {
                size_t nc = cap ? 2 * cap : 64;
                t->subs = rc_arena_grow(a, t->subs, n, nc, sizeof *t->subs);
                cap = nc;
            }
            t->subs[n++] = (uint32_t)s;
        }
    }
    if (ok) t->first[t->nlookups] = n;
    hb_set_destroy(pos);
    hb_set_destroy(sub);
    hb_set_destroy(frac);
    return ok;
}

rc_kern_table *rc_kern_table_new(rc_arena *a, hb_font_t *font, hb_shape_plan_t *plan)
{
    hb_face_t *face = hb_font_get_face(font);
    if (!plan || hb_aat_layout_has_substitution(face) || hb_aat_layout_has_positioning(face) ||
        hb_aat_layout_has_tracking(face))
        return NULL;
    rc_kern_table *t = rc_arena_alloc(a, sizeof *t);
    t->a = a;
    t->face = face;
    t->font = font;
    memset(t->glyphs.g, 0xFF, sizeof t->glyphs.g); /* -1: not asked yet */
    memset(t->aplain, 0xFF, sizeof t->aplain);
    t->blob = hb_face_reference_table(face, HB_OT_TAG_GPOS);
    rc_arena_on_free(a, release, t);
    unsigned len = 0;
    t->d = (const uint8_t *)hb_blob_get_data(t->blob, &len);
    t->len = t->d ? len : 0;
    t->gdef = hb_ot_layout_has_glyph_classes(face);
    if (!collect(a, t, plan)) return NULL;
    t->nglyphs = hb_face_get_glyph_count(face);
    return t;
}

/* Whether HarfBuzz sets cp as one glyph of its own, untouched by anything
 * but pair kerning (see the top); its glyph in *g. */
static bool plain(rc_kern_table *t, uint32_t cp, hb_codepoint_t *g)
{
    if (cp > 0xFFFF || !rc_glyph_of(&t->glyphs, t->font, cp, g) || *g == 0 || *g > 0xFFFF)
        return false;
    uint8_t bit = (uint8_t)(1u << (cp & 7));
    uint8_t *bits = rc_cp_bits_at(t->a, &t->plain, cp);
    if (bits[0] & bit) return (bits[256] & bit) != 0;
    bits[0] |= bit;
    bool ok = cp == ' ';
    if (!ok) {
        switch (hb_unicode_general_category(hb_unicode_funcs_get_default(), cp)) {
        case HB_UNICODE_GENERAL_CATEGORY_LOWERCASE_LETTER:
        case HB_UNICODE_GENERAL_CATEGORY_MODIFIER_LETTER:
        case HB_UNICODE_GENERAL_CATEGORY_OTHER_LETTER:
        case HB_UNICODE_GENERAL_CATEGORY_TITLECASE_LETTER:
        case HB_UNICODE_GENERAL_CATEGORY_UPPERCASE_LETTER:
        case HB_UNICODE_GENERAL_CATEGORY_DECIMAL_NUMBER:
        case HB_UNICODE_GENERAL_CATEGORY_LETTER_NUMBER:
        case HB_UNICODE_GENERAL_CATEGORY_OTHER_NUMBER:
        case HB_UNICODE_GENERAL_CATEGORY_CONNECT_PUNCTUATION:
        case HB_UNICODE_GENERAL_CATEGORY_DASH_PUNCTUATION:
        case HB_UNICODE_GENERAL_CATEGORY_CLOSE_PUNCTUATION:
        case HB_UNICODE_GENERAL_CATEGORY_FINAL_PUNCTUATION:
        case HB_UNICODE_GENERAL_CATEGORY_INITIAL_PUNCTUATION:
        case HB_UNICODE_GENERAL_CATEGORY_OTHER_PUNCTUATION:
        case HB_UNICODE_GENERAL_CATEGORY_OPEN_PUNCTUATION:
        case HB_UNICODE_GENERAL_CATEGORY_CURRENCY_SYMBOL:
        case HB_UNICODE_GENERAL_CATEGORY_MODIFIER_SYMBOL:
        case HB_UNICODE_GENERAL_CATEGORY_MATH_SYMBOL:
        case HB_UNICODE_GENERAL_CATEGORY_OTHER_SYMBOL:
            ok = true;
            break;
        default:
            break;
        }
        /* the fraction slash starts HarfBuzz's fraction features; Hangul
         * fillers are default ignorables */
        if (cp == 0x2044 || cp == 0x115F || cp == 0x1160 || cp == 0x3164 || cp == 0xFFA0)
            ok = false;
    }
    if (ok && t->gdef && hb_ot_layout_get_glyph_class(t->face, *g) == HB_OT_LAYOUT_GLYPH_CLASS_MARK)
        ok = false;
    if (ok) bits[256] |= bit;
    return ok;
}

/* plain, answered once per ASCII character (every pair asks twice). */
static inline bool plain_of(rc_kern_table *t, uint32_t cp, hb_codepoint_t *g)
{
    if (cp >= 128) return plain(t, cp, g);
    if (t->aplain[cp] == -1) t->aplain[cp] = plain(t, cp, g) ? (int32_t)*g : -2;
    if (t->aplain[cp] < 0) return false;
    *g = (hb_codepoint_t)t->aplain[cp];
    return true;
}

bool rc_kern_table_pair(rc_kern_table *t, uint32_t cp1, uint32_t cp2, int *units,
                        hb_codepoint_t *g1)
{
    hb_codepoint_t g2;
    if (!t || !plain_of(t, cp1, g1) || !plain_of(t, cp2, &g2) || *g1 >= t->nglyphs) return false;
    size_t n;
    const cov *r = row_of(t->a, t, *g1, &n);
    int sum = 0;
    uint32_t done = UINT32_MAX; /* the lookup that applied last: its other subtables wait */
    for (size_t i = 0; i < n; i++) {
        int adj = 0;
        if (r[i].lookup != done && pair_applies(t, &r[i], g2, &adj)) {
            sum += adj;
            done = r[i].lookup;
        }
    }
    *units = sum;
    return true;
}
