/* shape: text shaped by HarfBuzz (the font's GPOS kerning), with a cache of
 * shaped strings per face. A word's width is no longer the sum of its
 * characters' advances: "AV", "To", "r." close up as the font designer
 * meant. Ligatures stay off: the PDF back end shows text as Unicode codes
 * (pdf_draw.c), so every glyph must be the cmap's glyph of one character;
 * kerning is carried by TJ adjustments between them.
 *
 * Most words repeat (the sample's 11,000 words are 2,700 distinct strings
 * per face), so each string is shaped once: an open-addressing table in the
 * build's arena maps the bytes to the width and the per-character kerning.
 * The HarfBuzz objects are released with the arena (rc_arena_on_free). */
#include "shape_int.h"

#include <hb.h>
#include <string.h>

#include "rc/util.h"

typedef struct entry {
    const char *key; /* NULL: free slot */
    uint32_t len;
    float width;       /* 1/1000 em, kerning included */
    const float *kern; /* per byte: advance change in 1/1000 em; NULL: none */
} entry;

struct rc_shaper {
    rc_arena *a;
    hb_blob_t *blob;
    hb_face_t *face;
    hb_font_t *font;
    hb_buffer_t *buf;
    double scale; /* font units -> 1/1000 em */
    entry *slots;
    size_t cap, n; /* cap a power of two */
};

static void release(void *ctx)
{
    rc_shaper *s = ctx;
    hb_buffer_destroy(s->buf);
    hb_font_destroy(s->font);
    hb_face_destroy(s->face);
    hb_blob_destroy(s->blob);
}

rc_shaper *rc_shaper_new(rc_arena *a, const unsigned char *data, size_t len, unsigned upem)
{
    if (!data || len == 0 || len > 0x7FFFFFFF || upem == 0) return NULL;
    rc_shaper *s = rc_arena_alloc(a, sizeof *s);
    s->a = a;
    /* the bytes outlive the shaper (both belong to the arena) */
    s->blob = hb_blob_create((const char *)data, (unsigned)len, HB_MEMORY_MODE_READONLY, NULL,
                             NULL);
    s->face = hb_face_create(s->blob, 0);
    s->font = hb_font_create(s->face);
    s->buf = hb_buffer_create();
    rc_arena_on_free(a, release, s);
    hb_font_set_scale(s->font, (int)upem, (int)upem);
    s->scale = 1000.0 / upem;
    s->cap = 1024;
    s->slots = rc_arena_array(a, s->cap, sizeof *s->slots);
    return s;
}

static uint64_t hash(const char *p, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)p[i]) * 1099511628211ULL;
    return h;
}

static entry *slot(entry *slots, size_t cap, const char *p, size_t n, uint64_t h)
{
    size_t i = (size_t)h & (cap - 1);
    while (slots[i].key && (slots[i].len != n || memcmp(slots[i].key, p, n) != 0))
        i = (i + 1) & (cap - 1);
    return &slots[i];
}

static void grow(rc_shaper *s)
{
    size_t nc = s->cap * 2;
    entry *ns = rc_arena_array(s->a, nc, sizeof *ns);
    for (size_t i = 0; i < s->cap; i++)
        if (s->slots[i].key) {
            const entry *e = &s->slots[i];
            *slot(ns, nc, e->key, e->len, hash(e->key, e->len)) = *e;
        }
    s->slots = ns;
    s->cap = nc;
}

/* Shapes p[0..n) and fills e: the kerning of each character is the
 * difference between HarfBuzz's advance for its glyph and the glyph's
 * nominal advance (adv_of), stored at the character's first byte. */
static void shape(rc_shaper *s, const char *p, size_t n, entry *e,
                  double (*adv_of)(const void *, uint32_t), const void *font)
{
    static const hb_feature_t feats[] = {{HB_TAG('l', 'i', 'g', 'a'), 0, 0, (unsigned)-1},
                                         {HB_TAG('c', 'l', 'i', 'g'), 0, 0, (unsigned)-1},
                                         {HB_TAG('k', 'e', 'r', 'n'), 1, 0, (unsigned)-1}};
    hb_buffer_clear_contents(s->buf);
    hb_buffer_add_utf8(s->buf, p, (int)n, 0, (int)n);
    hb_buffer_set_direction(s->buf, HB_DIRECTION_LTR);
    hb_buffer_set_script(s->buf, HB_SCRIPT_LATIN);
    hb_buffer_set_language(s->buf, hb_language_from_string("en", 2));
    hb_buffer_set_cluster_level(s->buf, HB_BUFFER_CLUSTER_LEVEL_CHARACTERS);
    hb_shape(s->font, s->buf, feats, sizeof feats / sizeof feats[0]);
    unsigned ng = 0;
    const hb_glyph_info_t *gi = hb_buffer_get_glyph_infos(s->buf, &ng);
    const hb_glyph_position_t *gp = hb_buffer_get_glyph_positions(s->buf, &ng);
    /* nominal width, as the rest of the program measured it so far */
    double nominal = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = rc_utf8_decode(p + i, n - i, &cp);
        if (k == 0) {
            cp = 0xFFFD;
            k = 1;
        }
        nominal += adv_of(font, cp);
        i += k;
    }
    float *kern = NULL;
    double width = 0;
    for (unsigned g = 0; g < ng; g++) {
        double adv = gp[g].x_advance * s->scale;
        width += adv;
        uint32_t at = gi[g].cluster;
        if (at >= n) continue;
        uint32_t cp;
        size_t k = rc_utf8_decode(p + at, n - at, &cp);
        if (k == 0) cp = 0xFFFD;
        float d = (float)(adv - adv_of(font, cp));
        if (d > -0.01f && d < 0.01f) continue;
        if (!kern) kern = rc_arena_array(s->a, n, sizeof *kern);
        kern[at] += d;
    }
    /* A glyph sequence that is not one glyph per character (a font whose
     * GSUB composes or decomposes even without ligatures) keeps the
     * nominal widths: the PDF shows one code per character. */
    if (ng != rc_utf8_length(p, n)) {
        kern = NULL;
        width = nominal;
    }
    e->width = (float)width;
    e->kern = kern;
}

static const entry *lookup(rc_shaper *s, const char *p, size_t n, double (*adv_of)(const void *, uint32_t),
                    const void *font)
{
    uint64_t h = hash(p, n);
    entry *e = slot(s->slots, s->cap, p, n, h);
    if (e->key) return e;
    if (2 * (s->n + 1) > s->cap) {
        grow(s);
        e = slot(s->slots, s->cap, p, n, h);
    }
    shape(s, p, n, e, adv_of, font);
    e->key = rc_arena_strndup(s->a, p, n);
    e->len = (uint32_t)n;
    s->n++;
    return e;
}

double rc_shaper_width(rc_shaper *s, const char *p, size_t n,
                       double (*adv_of)(const void *, uint32_t), const void *font)
{
    if (n == 0) return 0;
    if (n > UINT32_MAX / 2) n = UINT32_MAX / 2;
    return lookup(s, p, n, adv_of, font)->width;
}

const float *rc_shaper_kerning(rc_shaper *s, const char *p, size_t n,
                               double (*adv_of)(const void *, uint32_t), const void *font)
{
    if (n == 0 || n > UINT32_MAX / 2) return NULL;
    return lookup(s, p, n, adv_of, font)->kern;
}
