/* shape: kerning and standard ligatures from HarfBuzz. A word's width is
 * not the sum of its characters' advances: "AV", "To", "r." close up as the
 * font's GPOS (or 'kern') pair kerning says, and "fi", "fl", "ffi" are set
 * with the font's ligature glyphs where its 'liga' feature has them.
 *
 * Shaping every word costs more than the rest of the build (HarfBuzz runs
 * its whole GSUB/GPOS pipeline per call: ~170M instructions for the
 * sample), yet Latin text mostly needs only the kerning of adjacent pairs.
 * So the shaper keeps a table of the pairs seen so far, per face, reads a
 * new pair from the font's GPOS table when HarfBuzz would set it plainly
 * (shape_gpos.c), and shapes only the stretches of a string whose pairs
 * it cannot read, with every feature but kerning off. A ligature needs
 * two adjacent characters that are both input glyphs of the font's 'liga'
 * lookups (f, i, l, j, t, ... in Lato): only text with such a pair is
 * shaped whole, with 'liga' on (shape_lig.c), and the result (width,
 * kerning, codes to show) is cached per distinct string, as widths and
 * kerning are.
 *
 * The PDF shows text as two-byte codes, the Unicode code point of each
 * character (pdf_draw.c). A ligature glyph stands for several characters,
 * so it gets a code of its own: 1..31, codes no text can show (control
 * characters are shown as spaces), numbered by the glyph's rank among the
 * font's ligature glyphs so that the number never depends on which words
 * came first (a watcher's rebuild gives the bytes of a fresh build). The
 * PDF back end maps the code to the glyph in the embedded font and to the
 * characters ("fi") in the ToUnicode CMap, so text extraction gives the
 * original text. The HarfBuzz objects are released with the arena
 * (rc_arena_on_free). */
#include "shape_impl.h"

#include <string.h>

#include "rc/hash.h"
#include "rc/util.h"

/* Kerning only: the PDF shows one code per character (see the top). */
static const hb_feature_t feats[] = RC_FEATS(0);
#define NFEATS (sizeof feats / sizeof feats[0])

static void release(void *ctx)
{
    rc_shaper *s = ctx;
    if (!s->buf) return; /* no HarfBuzz object made (rc_shape_hb) */
    hb_shape_plan_destroy(s->lplan);
    hb_shape_plan_destroy(s->plan);
    hb_buffer_destroy(s->buf);
    hb_font_destroy(s->font);
    hb_face_destroy(s->face);
}

void rc_shape_hb(rc_shaper *s)
{
    if (s->buf) return;
    if (!s->font) {
        hb_font_t *font = rc_font_hb(s->rf);
        s->font = hb_font_reference(font);
        s->face = hb_face_reference(hb_font_get_face(font));
    }
    s->buf = hb_buffer_create();
    s->props.direction = HB_DIRECTION_LTR;
    s->props.script = HB_SCRIPT_LATIN;
    s->props.language = hb_language_from_string("en", 2);
}

static rc_shaper *shaper_new(rc_arena *a, const rc_font *rf, hb_font_t *font, unsigned upem)
{
    if ((!font && !rf) || upem == 0) return NULL;
    rc_shaper *s = rc_arena_alloc(a, sizeof *s);
    s->a = a;
    s->rf = rf;
    if (font) {
        s->font = hb_font_reference(font);
        s->face = hb_face_reference(hb_font_get_face(font));
        rc_shape_hb(s);
    }
    memset(s->glyphs.g, 0xFF, sizeof s->glyphs.g); /* -1: not asked yet */
    rc_arena_on_free(a, release, s);
    s->scale = 1000.0 / upem;
    s->cap = 1024;
    s->pairs = rc_arena_array(a, s->cap, sizeof *s->pairs);
    s->akern = rc_arena_array(a, 128 * 128, sizeof *s->akern);
    rc_shape_setup_ligatures(s);
    return s;
}

rc_shaper *rc_shaper_new(rc_arena *a, hb_font_t *font, unsigned upem)
{
    return font ? shaper_new(a, NULL, font, upem) : NULL;
}

rc_shaper *rc_shaper_new_font(rc_arena *a, const rc_font *f, unsigned upem)
{
    return f ? shaper_new(a, f, NULL, upem) : NULL;
}

pair *rc_shape_pair_slot(pair *v, size_t cap, uint64_t key)
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

void rc_shape_put_pair(rc_shaper *s, uint32_t a, uint32_t b, float kern)
{
    if (4 * (s->n + 1) > 3 * s->cap) { /* at most three quarters full, as table_grow */
        size_t nc = s->cap * 2;
        pair *nv = rc_arena_table(s->a, nc, sizeof *nv);
        for (size_t i = 0; i < s->cap; i++)
            if (s->pairs[i].key) *rc_shape_pair_slot(nv, nc, s->pairs[i].key) = s->pairs[i];
        s->pairs = nv;
        s->cap = nc;
    }
    pair *p = rc_shape_pair_slot(s->pairs, s->cap, pkey(a, b));
    if (!p->key) {
        p->key = pkey(a, b);
        s->n++;
    }
    p->kern = kern;
    if (a < 128 && b < 128) {
        s->akern[a << 7 | b] = kern == 0 ? -0.0f : kern; /* known (see ascii_pair) */
    }
}

/* Decodes p[0..n) into s->cps / s->offs (invalid bytes as U+FFFD, as
 * everywhere else). */
size_t rc_shape_decode(rc_shaper *s, const char *p, size_t n)
{
    if (n > s->ncps) {
        size_t nc = n < 64 ? 64 : 2 * n;
        s->cps = rc_arena_array(s->a, nc, sizeof *s->cps);
        s->offs = rc_arena_array(s->a, nc, sizeof *s->offs);
        s->ncps = nc;
    }
    size_t m = 0;
    for (size_t i = 0; i < n;) {
        if ((unsigned char)p[i] < 0x80) { /* ASCII, most of the text */
            s->cps[m] = (unsigned char)p[i];
            s->offs[m++] = i++;
            continue;
        }
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

void rc_shape_plan(rc_shaper *s)
{
    if (s->planned) return;
    s->planned = true;
    rc_shape_hb(s);
    s->plan = hb_shape_plan_create(s->face, &s->props, feats, NFEATS, NULL);
    s->kt = rc_kern_table_new(s->a, s->font, s->plan);
}

/* Shapes the text in s->buf with the kerning-only plan, one cluster per
 * character; returns the glyph count and sets *gi and *gp. */
static unsigned shape_kern(rc_shaper *s, const hb_glyph_info_t **gi, const hb_glyph_position_t **gp)
{
    hb_buffer_set_segment_properties(s->buf, &s->props);
    hb_buffer_set_cluster_level(s->buf, HB_BUFFER_CLUSTER_LEVEL_CHARACTERS);
    rc_shape_plan(s);
    hb_shape_plan_execute(s->plan, s->font, s->buf, feats, NFEATS);
    unsigned ng = 0;
    *gi = hb_buffer_get_glyph_infos(s->buf, &ng);
    *gp = hb_buffer_get_glyph_positions(s->buf, &ng);
    return ng;
}

/* Shapes the text and records the kerning of each adjacent pair in it:
 * the difference between a glyph's shaped and nominal advance belongs to
 * the pair it starts (a font's pair kerning, GPOS PairPos or 'kern', moves
 * the first glyph of a pair). Text HarfBuzz does not shape one glyph per
 * character records no kerning for its pairs. */

void rc_shape_learn(rc_shaper *s, const char *p, size_t n, size_t c0, size_t c1,
                    double (*adv_of)(const void *, uint32_t), const void *font)
{
    size_t b0 = s->offs[c0], b1 = c1 + 1 < s->ncount ? s->offs[c1 + 1] : n;
    size_t m = c1 - c0 + 1;
    rc_shape_hb(s);
    hb_buffer_clear_contents(s->buf);
    hb_buffer_add_utf8(s->buf, p, (int)n, (unsigned)b0, (int)(b1 - b0));
    const hb_glyph_info_t *gi;
    const hb_glyph_position_t *gp;
    unsigned ng = shape_kern(s, &gi, &gp);
    bool one_to_one = ng == m;
    for (unsigned g = 0; one_to_one && g < ng; g++)
        one_to_one = gi[g].cluster == s->offs[c0 + g];
    for (size_t i = 0; i + 1 < m; i++) {
        float d = 0;
        if (one_to_one) {
            d = (float)(gp[i].x_advance * s->scale - adv_of(font, s->cps[c0 + i]));
            if (d > -0.01f && d < 0.01f) d = 0;
        }
        rc_shape_put_pair(s, s->cps[c0 + i], s->cps[c0 + i + 1], d);
    }
}

/* Learns the kerning of the pair (a, b) from the GPOS table when the pair
 * allows it (shape_gpos.c): the value learn would record, without HarfBuzz. */
bool rc_shape_read_pair(rc_shaper *s, uint32_t a, uint32_t b,
                        double (*adv_of)(const void *, uint32_t), const void *font)
{
    int u;
    hb_codepoint_t g;
    rc_shape_plan(s);
    if (!s->kt || !rc_kern_table_pair(s->kt, a, b, &u, &g)) return false;
    /* the first glyph's advance in font units, asked of HarfBuzz once per
     * ASCII character (g is a's nominal glyph) */
    hb_position_t ga;
    if (a < 128 && s->hadv_ok[a]) {
        ga = s->hadv[a];
    } else {
        ga = hb_font_get_glyph_h_advance(s->font, g);
        if (a < 128) {
            s->hadv[a] = ga;
            s->hadv_ok[a] = true;
        }
    }
    float d = (float)((ga + u) * s->scale - rc_shape_adv(s, a, adv_of, font));
    if (d > -0.01f && d < 0.01f) d = 0;
    rc_shape_put_pair(s, a, b, d);
    return true;
}

rc_kern_table *rc_shaper_kern_table(rc_shaper *s)
{
    rc_shape_plan(s);
    return s->kt;
}

void rc_shaper_set_fast(rc_shaper *s, bool fast)
{
    s->slow = !fast;
}

bool rc_shaper_hb_pair(rc_shaper *s, uint32_t cp1, uint32_t cp2, int *units)
{
    uint32_t cps[2] = {cp1, cp2};
    rc_shape_hb(s);
    hb_buffer_clear_contents(s->buf);
    hb_buffer_add_utf32(s->buf, cps, 2, 0, 2);
    const hb_glyph_info_t *gi;
    const hb_glyph_position_t *gp;
    unsigned ng = shape_kern(s, &gi, &gp);
    if (ng != 2 || gi[0].cluster != 0 || gi[1].cluster != 1) return false;
    *units = gp[0].x_advance - hb_font_get_glyph_h_advance(s->font, gi[0].codepoint);
    return true;
}

/* The kerning of each character of p (s->scratch[i] for the i-th, the
 * scratch grown to n first), shaping the text only when it holds a pair
 * not seen before. Returns the character count; *ascii says the text is
 * ASCII and its characters are its bytes (s->cps and s->offs are then not
 * filled). */
static size_t kerns(rc_shaper *s, const char *p, size_t n, double (*adv_of)(const void *, uint32_t),
                    const void *font, bool *any, bool *ascii)
{
    if (n > s->nscratch) {
        s->nscratch = n < 64 ? 64 : 2 * n;
        s->scratch = rc_arena_array(s->a, s->nscratch, sizeof *s->scratch);
    }
    float *k = s->scratch;
    *any = false;
    /* ASCII text whose pairs are all known, most words once the first
     * paragraphs are set: straight from the ASCII table, without decoding
     * the text (the general loop below reads the same entries first). */
    size_t i = 0;
    bool known = !s->slow && n > 0 && (unsigned char)p[n - 1] < 0x80;
    for (; known && i + 1 < n; i++) {
        unsigned a = (unsigned char)p[i], b = (unsigned char)p[i + 1];
        if ((a | b) >= 0x80 || !ascii_pair(s, a << 7 | b, &k[i])) {
            known = false;
            break;
        }
        *any |= k[i] != 0;
    }
    *ascii = known;
    if (known) {
        k[n - 1] = 0;
        return n;
    }
    *any = false;
    size_t m = rc_shape_decode(s, p, n);
    for (i = 0; i + 1 < m;) {
        uint32_t a = s->cps[i], b = s->cps[i + 1];
        if (a < 128 && b < 128 && ascii_pair(s, a << 7 | b, &k[i])) {
            *any |= k[i] != 0;
            i++;
            continue;
        }
        const pair *e = rc_shape_pair_slot(s->pairs, s->cap, pkey(a, b));
        if (e->key) {
            k[i] = e->kern;
            *any |= e->kern != 0;
            i++;
            continue;
        }
        if (rc_shape_read_pair(s, s->cps[i], s->cps[i + 1], adv_of, font)) continue;
        /* Shape just the stretch of unknown pairs: a word whose pairs are
         * known never reaches HarfBuzz, a new one costs only its new pairs
         * (pair kerning does not depend on the glyphs around the pair). */
        size_t j = i + 1;
        while (j + 1 < m &&
               !rc_shape_pair_slot(s->pairs, s->cap, pkey(s->cps[j], s->cps[j + 1]))->key)
            j++;
        rc_shape_learn(s, p, n, i, j, adv_of, font);
    }
    if (m) k[m - 1] = 0;
    return m;
}

/* --- widths and kerning ----------------------------------------------------- */

/* Spreads kerns' per-character kerning of p[0..n) (m characters, in
 * s->scratch) per byte, at each character's first byte, in place. */
static float *per_byte(rc_shaper *s, size_t m, size_t n)
{
    float *byte = s->scratch;
    if (m == n) return byte; /* one byte per character: already per byte */
    for (size_t i = m; i-- > 0;) {
        float v = s->scratch[i];
        size_t at = s->offs[i], end = i + 1 < m ? s->offs[i + 1] : n;
        for (size_t b = at; b < end; b++)
            byte[b] = b == at ? v : 0;
    }
    return byte;
}

/* The width of p[0..n) in 1/1000 em. For the cache (out not NULL), also
 * whether the string was set with the pair tables alone and then its
 * per-byte kerning (from_word). */
static double measure(rc_shaper *s, const char *p, size_t n,
                      double (*adv_of)(const void *, uint32_t), const void *font, measured *out)
{
    full f;
    const full *e = rc_shape_lig_word(s, p, n, adv_of, font, &f);
    if (out) {
        out->plain = e == NULL;
        out->kern = NULL;
    }
    if (e) return e->w.width;
    bool any, ascii;
    size_t m = kerns(s, p, n, adv_of, font, &any, &ascii);
    double w = 0;
    /* after the kerning: the advances, as before, in the same order */
    if (ascii)
        for (size_t i = 0; i < m; i++)
            w += rc_shape_adv(s, (unsigned char)p[i], adv_of, font);
    else
        for (size_t i = 0; i < m; i++)
            w += s->slow ? adv_of(font, s->cps[i]) : rc_shape_adv(s, s->cps[i], adv_of, font);
    if (any) {
        for (size_t i = 0; i < m; i++)
            w += s->scratch[i];
        if (out)
            out->kern = memcpy(rc_arena_alloc(s->a, n * sizeof *out->kern), per_byte(s, m, n),
                               n * sizeof *out->kern);
    }
    return w;
}

/* A short string not measured before: measured and kept (out of line, so
 * that the lookup of the strings met before, nearly all of them, stays a
 * small function). */
static __attribute__((noinline)) double width_new(rc_shaper *s, const char *p, size_t n,
                                                  double (*adv_of)(const void *, uint32_t),
                                                  const void *font, bool keep)
{
    /* 512 entries (16 KB) first, not 4,096: a face that sets a few hundred
     * words (bold, italic) touched every page of a 128 KB table; with both
     * tables that was ~90 more page faults per build. */
    s->words = table_grow(s->a, s->words, &s->wcap, s->nwords, sizeof *s->words, 512);
    measured *w = (measured *)rc_shape_slot_in(s->words, sizeof *s->words, s->wcap, p, n,
                                               rc_hash_short(p, n));
    keep = keep && s->disk;
    if (!keep || !rc_shape_disk_get_width(s, p, n, w)) {
        w->w.width = (float)measure(s, p, n, adv_of, font, w);
        if (keep) rc_shape_disk_put_width(s, p, n, w);
    }
    w->w.key = rc_arena_strndup(s->a, p, n);
    w->w.len = (uint32_t)n;
    /* not in the file: a later kept measure of it puts it there */
    w->epoch = keep ? s->disk_epoch : s->disk_epoch - 1;
    s->nwords++;
    return w->w.width;
}

/* Kept measures are looked up in the shaper's file first and kept there
 * (shape_disk.c); every measure goes into the word cache. */
static double width_of(rc_shaper *s, const char *p, size_t n,
                       double (*adv_of)(const void *, uint32_t), const void *font, bool keep)
{
    if (n == 0 || n > INT32_MAX) return 0;
    if (n > RC_SHAPE_KEEP_MAX) return measure(s, p, n, adv_of, font, NULL); /* (rarely repeats) */
    if (s->words) {
        measured *w = (measured *)rc_shape_slot_in(s->words, sizeof *s->words, s->wcap, p, n,
                                                   rc_hash_short(p, n));
        if (w->w.key) {
            if (keep && w->epoch != s->disk_epoch && s->disk) rc_shape_disk_touch_width(s, w);
            return w->w.width;
        }
    }
    return width_new(s, p, n, adv_of, font, keep);
}

double rc_shaper_width(rc_shaper *s, const char *p, size_t n,
                       double (*adv_of)(const void *, uint32_t), const void *font)
{
    return width_of(s, p, n, adv_of, font, true);
}

double rc_shaper_width_unkept(rc_shaper *s, const char *p, size_t n,
                              double (*adv_of)(const void *, uint32_t), const void *font)
{
    return width_of(s, p, n, adv_of, font, false);
}

/* Pair kerning of p spread per byte (NULL when none). */
static const float *pair_kerning(rc_shaper *s, const char *p, size_t n,
                                 double (*adv_of)(const void *, uint32_t), const void *font)
{
    if (n < 2 || n > INT32_MAX) return NULL;
    bool any, ascii;
    size_t m = kerns(s, p, n, adv_of, font, &any, &ascii);
    return any ? per_byte(s, m, n) : NULL;
}

const float *rc_shaper_kerning(rc_shaper *s, const char *p, size_t n,
                               double (*adv_of)(const void *, uint32_t), const void *font)
{
    const float *k;
    const uint8_t *lig;
    rc_shaper_run(s, p, n, adv_of, font, &k, &lig);
    return k;
}

/* The text as shown, not cached (see rc_shaper_run). */
static void run_uncached(rc_shaper *s, const char *p, size_t n,
                         double (*adv_of)(const void *, uint32_t), const void *font,
                         const float **kern, const uint8_t **lig)
{
    full f;
    const full *e = n >= 2 ? rc_shape_lig_word(s, p, n, adv_of, font, &f) : NULL;
    *lig = e ? e->lig : NULL;
    *kern = e ? e->kern : pair_kerning(s, p, n, adv_of, font);
}

/* The text as shown when it is a word the layout measured (set with the
 * pair tables alone) followed by one space, as the paragraphs draw most
 * words: the word's kerning with that of the pair before the space, which
 * is what run_uncached finds (the pairs are the same, each learnt once; a
 * space that is no ligature's input adds no ligature), without decoding
 * the word and looking up its pairs again (1.7 M instructions of the
 * sample's one-edition PDF). False when the text is not such a word, or
 * the pair before the space is not known yet. */
static bool from_word(rc_shaper *s, const char *p, size_t n, const float **kern,
                      const uint8_t **lig)
{
    if (!s->words) return false;
    if (p[n - 1] != ' ') {
        /* The word itself, as a line's last word is drawn: set with the
         * pair tables alone, its kerning is what measure kept (the pairs
         * were all learnt then, so run_uncached would find the same
         * values and learn nothing): 639 of the 1,018 texts of the
         * one-edition sample that this function did not answer. */
        const measured *w = (const measured *)rc_shape_slot_in(s->words, sizeof *s->words, s->wcap,
                                                               p, n, rc_hash_short(p, n));
        if (!w->w.key || !w->plain) return false;
        *lig = NULL;
        *kern = w->kern;
        return true;
    }
    if ((unsigned char)p[n - 2] >= 0x80) return false;
    const measured *w = (const measured *)rc_shape_slot_in(s->words, sizeof *s->words, s->wcap, p,
                                                           n - 1, rc_hash_short(p, n - 1));
    if (!w->w.key || !w->plain || !rc_shape_lig_inert(s, ' ')) return false;
    /* the pair before the space: a new one is learnt by run_uncached, in
     * the context of the whole text, as it always was */
    unsigned c = (unsigned char)p[n - 2];
    float last;
    if (!ascii_pair(s, c << 7 | ' ', &last)) return false;
    *lig = NULL;
    *kern = NULL;
    if (!w->kern && last == 0) return true;
    float *k;
    if (w->kern) {
        k = memcpy(rc_arena_alloc(s->a, n * sizeof *k), w->kern, (n - 1) * sizeof *k);
        k[n - 1] = 0;
    } else {
        k = rc_arena_array(s->a, n, sizeof *k);
    }
    k[n - 2] = last;
    *kern = k;
    return true;
}

/* rc_shaper_run for text not shown before (out of line: see width_new). */
static __attribute__((noinline)) void run_new(rc_shaper *s, const char *p, size_t n,
                                              double (*adv_of)(const void *, uint32_t),
                                              const void *font, const float **kern,
                                              const uint8_t **lig)
{
    const float *k = NULL;
    shown *e = NULL; /* one character has no pair; long text rarely repeats */
    if (n >= 2 && n <= RC_SHAPE_KEEP_MAX) { /* ... and most words repeat */
        /* 512 first, as the word cache (width_new) */
        s->shown = table_grow(s->a, s->shown, &s->scap, s->nshown, sizeof *s->shown, 512);
        e = (shown *)rc_shape_slot_in(s->shown, sizeof *s->shown, s->scap, p, n,
                                      rc_hash_short(p, n));
    }
    bool kept = e && s->disk && rc_shape_disk_get(s, p, n, &k, lig);
    /* a text of a page kept whole is kept with it (shape_page.c) */
    bool held = e && s->disk && rc_shape_page_open(s);
    if (!kept) {
        if (!e || !from_word(s, p, n, &k, lig)) run_uncached(s, p, n, adv_of, font, &k, lig);
        if (e && s->disk) rc_shape_disk_put(s, p, n, k, *lig);
    }
    if (e) { /* pair_kerning's result is scratch: kept in a copy */
        if (k && k == s->scratch) k = memcpy(rc_arena_array(s->a, n, sizeof *k), k, n * sizeof *k);
        *e = (shown){{rc_arena_strndup(s->a, p, n), (uint32_t)n, 0}, k, *lig, s->disk_epoch, held};
        s->nshown++;
    }
    if (kern) *kern = k;
}

void rc_shaper_run(rc_shaper *s, const char *p, size_t n, double (*adv_of)(const void *, uint32_t),
                   const void *font, const float **kern, const uint8_t **lig)
{
    if (n >= 2 && n <= RC_SHAPE_KEEP_MAX && s->shown) {
        shown *e = (shown *)rc_shape_slot_in(s->shown, sizeof *s->shown, s->scap, p, n,
                                             rc_hash_short(p, n));
        if (e->w.key) {
            if ((e->epoch != s->disk_epoch || e->held) && s->disk) rc_shape_disk_touch(s, e);
            if (kern) *kern = e->kern;
            *lig = e->lig;
            return;
        }
    }
    run_new(s, p, n, adv_of, font, kern, lig);
}
