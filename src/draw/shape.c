/* shape: kerning from HarfBuzz. A word's width is no longer the sum of its
 * characters' advances: "AV", "To", "r." close up as the font's GPOS (or
 * 'kern') pair kerning says. Ligatures stay off: the PDF back end shows
 * text as Unicode codes (pdf_draw.c), so every glyph must be the cmap's
 * glyph of one character; kerning is carried by TJ adjustments.
 *
 * Shaping every word costs more than the rest of the build (HarfBuzz runs
 * its whole GSUB/GPOS pipeline per call: ~170M instructions for the
 * sample), yet Latin text only ever needs the kerning of adjacent pairs.
 * So the shaper keeps a table of the pairs seen so far, per face, and
 * shapes only the stretches of a string whose pairs are not in it yet,
 * with all default features but kerning off (the PDF shows one code per
 * character). The HarfBuzz objects are released with the arena
 * (rc_arena_on_free). */
#include "shape_int.h"

#include <hb.h>
#include <string.h>

#include "rc/util.h"

/* A kerning pair: two code points and the change HarfBuzz makes to the
 * first one's advance when the second follows it, in 1/1000 em. */
typedef struct pair {
    uint64_t key; /* cp1 << 32 | cp2, + 1 so that 0 marks a free slot */
    float kern;
} pair;

/* A measured string: most words repeat, and a hash of their bytes is
 * cheaper than decoding them and looking up each pair again. */
typedef struct word {
    const char *key; /* NULL: free slot */
    uint32_t len;
    float width; /* 1/1000 em */
} word;

struct rc_shaper {
    rc_arena *a;
    word *words;
    size_t wcap, nwords; /* wcap a power of two */
    hb_blob_t *blob;
    hb_face_t *face;
    hb_font_t *font;
    hb_buffer_t *buf;
    hb_shape_plan_t *plan; /* made once: planning is most of a short word's cost */
    hb_segment_properties_t props;
    double scale; /* font units -> 1/1000 em */
    pair *pairs;
    size_t cap, n;  /* cap a power of two */
    float *scratch; /* rc_shaper_kerning's result */
    size_t nscratch;
    uint32_t *cps; /* decoded text, with byte offsets */
    size_t *offs;
    size_t ncps, ncount; /* capacity, characters decoded */
};

/* Kerning only: the PDF shows one code per character (see the top). */
static const hb_feature_t feats[] = {{HB_TAG('l', 'i', 'g', 'a'), 0, 0, (unsigned)-1},
                                     {HB_TAG('c', 'l', 'i', 'g'), 0, 0, (unsigned)-1},
                                     {HB_TAG('c', 'a', 'l', 't'), 0, 0, (unsigned)-1},
                                     {HB_TAG('c', 'c', 'm', 'p'), 0, 0, (unsigned)-1},
                                     {HB_TAG('l', 'o', 'c', 'l'), 0, 0, (unsigned)-1},
                                     {HB_TAG('r', 'l', 'i', 'g'), 0, 0, (unsigned)-1},
                                     {HB_TAG('r', 'c', 'l', 't'), 0, 0, (unsigned)-1},
                                     {HB_TAG('m', 'a', 'r', 'k'), 0, 0, (unsigned)-1},
                                     {HB_TAG('m', 'k', 'm', 'k'), 0, 0, (unsigned)-1},
                                     {HB_TAG('k', 'e', 'r', 'n'), 1, 0, (unsigned)-1}};
#define NFEATS (sizeof feats / sizeof feats[0])

static void release(void *ctx)
{
    rc_shaper *s = ctx;
    hb_shape_plan_destroy(s->plan);
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
    s->blob =
        hb_blob_create((const char *)data, (unsigned)len, HB_MEMORY_MODE_READONLY, NULL, NULL);
    s->face = hb_face_create(s->blob, 0);
    s->font = hb_font_create(s->face);
    s->buf = hb_buffer_create();
    s->props.direction = HB_DIRECTION_LTR;
    s->props.script = HB_SCRIPT_LATIN;
    s->props.language = hb_language_from_string("en", 2);
    s->plan = hb_shape_plan_create(s->face, &s->props, feats, NFEATS, NULL);
    rc_arena_on_free(a, release, s);
    hb_font_set_scale(s->font, (int)upem, (int)upem);
    s->scale = 1000.0 / upem;
    s->cap = 1024;
    s->pairs = rc_arena_array(a, s->cap, sizeof *s->pairs);
    return s;
}

static uint64_t pkey(uint32_t a, uint32_t b)
{
    return ((uint64_t)a << 32 | b) + 1;
}

static pair *slot(pair *v, size_t cap, uint64_t key)
{
    uint64_t h = key; /* splitmix64's finaliser: every key bit reaches the low bits */
    h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9ULL;
    h = (h ^ (h >> 27)) * 0x94D049BB133111EBULL;
    h ^= h >> 31;
    size_t i = (size_t)h & (cap - 1);
    while (v[i].key && v[i].key != key)
        i = (i + 1) & (cap - 1);
    return &v[i];
}

static void put_pair(rc_shaper *s, uint32_t a, uint32_t b, float kern)
{
    if (2 * (s->n + 1) > s->cap) {
        size_t nc = s->cap * 2;
        pair *nv = rc_arena_array(s->a, nc, sizeof *nv);
        for (size_t i = 0; i < s->cap; i++)
            if (s->pairs[i].key) *slot(nv, nc, s->pairs[i].key) = s->pairs[i];
        s->pairs = nv;
        s->cap = nc;
    }
    pair *p = slot(s->pairs, s->cap, pkey(a, b));
    if (!p->key) {
        p->key = pkey(a, b);
        s->n++;
    }
    p->kern = kern;
}

/* Decodes p[0..n) into s->cps / s->offs (invalid bytes as U+FFFD, as
 * everywhere else). */
static size_t decode(rc_shaper *s, const char *p, size_t n)
{
    if (n > s->ncps) {
        size_t nc = n < 64 ? 64 : 2 * n;
        s->cps = rc_arena_array(s->a, nc, sizeof *s->cps);
        s->offs = rc_arena_array(s->a, nc, sizeof *s->offs);
        s->ncps = nc;
    }
    size_t m = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = rc_utf8_decode(p + i, n - i, &cp);
        if (k == 0) {
            cp = 0xFFFD;
            k = 1;
        }
        s->cps[m] = cp;
        s->offs[m++] = i;
        i += k;
    }
    s->ncount = m;
    return m;
}

/* Shapes the text and records the kerning of each adjacent pair in it:
 * the difference between a glyph's shaped and nominal advance belongs to
 * the pair it starts (a font's pair kerning, GPOS PairPos or 'kern', moves
 * the first glyph of a pair). Text HarfBuzz does not shape one glyph per
 * character records no kerning for its pairs. */

static void learn(rc_shaper *s, const char *p, size_t n, size_t c0, size_t c1,
                  double (*adv_of)(const void *, uint32_t), const void *font)
{
    size_t b0 = s->offs[c0], b1 = c1 + 1 < s->ncount ? s->offs[c1 + 1] : n;
    size_t m = c1 - c0 + 1;
    hb_buffer_clear_contents(s->buf);
    hb_buffer_add_utf8(s->buf, p, (int)n, (unsigned)b0, (int)(b1 - b0));
    hb_buffer_set_segment_properties(s->buf, &s->props);
    hb_buffer_set_cluster_level(s->buf, HB_BUFFER_CLUSTER_LEVEL_CHARACTERS);
    hb_shape_plan_execute(s->plan, s->font, s->buf, feats, NFEATS);
    unsigned ng = 0;
    const hb_glyph_info_t *gi = hb_buffer_get_glyph_infos(s->buf, &ng);
    const hb_glyph_position_t *gp = hb_buffer_get_glyph_positions(s->buf, &ng);
    bool one_to_one = ng == m;
    for (unsigned g = 0; one_to_one && g < ng; g++)
        one_to_one = gi[g].cluster == s->offs[c0 + g];
    for (size_t i = 0; i + 1 < m; i++) {
        float d = 0;
        if (one_to_one) {
            d = (float)(gp[i].x_advance * s->scale - adv_of(font, s->cps[c0 + i]));
            if (d > -0.01f && d < 0.01f) d = 0;
        }
        put_pair(s, s->cps[c0 + i], s->cps[c0 + i + 1], d);
    }
}

/* The kerning of each character of p (k[i] for the i-th), shaping the text
 * only when it holds a pair not seen before. Returns the character count. */
static size_t kerns(rc_shaper *s, const char *p, size_t n, double (*adv_of)(const void *, uint32_t),
                    const void *font, float *k, bool *any)
{
    size_t m = decode(s, p, n);
    *any = false;
    for (size_t i = 0; i + 1 < m;) {
        const pair *e = slot(s->pairs, s->cap, pkey(s->cps[i], s->cps[i + 1]));
        if (e->key) {
            k[i] = e->kern;
            *any |= e->kern != 0;
            i++;
            continue;
        }
        /* Shape just the stretch of unknown pairs: a word whose pairs are
         * known never reaches HarfBuzz, a new one costs only its new pairs
         * (pair kerning does not depend on the glyphs around the pair). */
        size_t j = i + 1;
        while (j + 1 < m && !slot(s->pairs, s->cap, pkey(s->cps[j], s->cps[j + 1]))->key)
            j++;
        learn(s, p, n, i, j, adv_of, font);
    }
    if (m) k[m - 1] = 0;
    return m;
}

static uint64_t hash_bytes(const char *p, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)p[i]) * 1099511628211ULL;
    return h;
}

static word *word_slot(word *v, size_t cap, const char *p, size_t n, uint64_t h)
{
    size_t i = (size_t)(h ^ (h >> 29)) & (cap - 1);
    while (v[i].key && (v[i].len != n || memcmp(v[i].key, p, n) != 0))
        i = (i + 1) & (cap - 1);
    return &v[i];
}

static double measure(rc_shaper *s, const char *p, size_t n,
                      double (*adv_of)(const void *, uint32_t), const void *font);

double rc_shaper_width(rc_shaper *s, const char *p, size_t n,
                       double (*adv_of)(const void *, uint32_t), const void *font)
{
    if (n == 0 || n > INT32_MAX) return 0;
    if (n > 64) return measure(s, p, n, adv_of, font); /* long text rarely repeats */
    if (2 * (s->nwords + 1) > s->wcap) {
        size_t nc = s->wcap ? 2 * s->wcap : 4096;
        word *nv = rc_arena_array(s->a, nc, sizeof *nv);
        for (size_t i = 0; i < s->wcap; i++)
            if (s->words[i].key)
                *word_slot(nv, nc, s->words[i].key, s->words[i].len,
                           hash_bytes(s->words[i].key, s->words[i].len)) = s->words[i];
        s->words = nv;
        s->wcap = nc;
    }
    uint64_t h = hash_bytes(p, n);
    word *w = word_slot(s->words, s->wcap, p, n, h);
    if (!w->key) {
        w->width = (float)measure(s, p, n, adv_of, font);
        w->key = rc_arena_strndup(s->a, p, n);
        w->len = (uint32_t)n;
        s->nwords++;
    }
    return w->width;
}

static double measure(rc_shaper *s, const char *p, size_t n,
                      double (*adv_of)(const void *, uint32_t), const void *font)
{
    bool any;
    size_t m = decode(s, p, n);
    double w = 0;
    for (size_t i = 0; i < m; i++)
        w += adv_of(font, s->cps[i]);
    if (m < 2) return w;
    if (n > s->nscratch) {
        s->nscratch = n < 64 ? 64 : 2 * n;
        s->scratch = rc_arena_array(s->a, s->nscratch, sizeof *s->scratch);
    }
    m = kerns(s, p, n, adv_of, font, s->scratch, &any);
    if (any)
        for (size_t i = 0; i < m; i++)
            w += s->scratch[i];
    return w;
}

const float *rc_shaper_kerning(rc_shaper *s, const char *p, size_t n,
                               double (*adv_of)(const void *, uint32_t), const void *font)
{
    if (n < 2 || n > INT32_MAX) return NULL;
    if (n > s->nscratch) {
        s->nscratch = n < 64 ? 64 : 2 * n;
        s->scratch = rc_arena_array(s->a, s->nscratch, sizeof *s->scratch);
    }
    bool any;
    size_t m = kerns(s, p, n, adv_of, font, s->scratch, &any);
    if (!any) return NULL;
    /* spread per character -> per byte (at each character's first byte) */
    float *byte = s->scratch + 0;
    for (size_t i = m; i-- > 0;) {
        float v = s->scratch[i];
        size_t at = s->offs[i], end = i + 1 < m ? s->offs[i + 1] : n;
        for (size_t b = at; b < end; b++)
            byte[b] = b == at ? v : 0;
    }
    return byte;
}
