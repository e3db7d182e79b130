/* shape: kerning and standard ligatures from HarfBuzz. A word's width is
 * not the sum of its characters' advances: "AV", "To", "r." close up as the
 * font's GPOS (or 'kern') pair kerning says, and "fi", "fl", "ffi" are set
 * with the font's ligature glyphs where its 'liga' feature has them.
 *
 * Shaping every word costs more than the rest of the build (HarfBuzz runs
 * its whole GSUB/GPOS pipeline per call: ~170M instructions for the
 * sample), yet Latin text mostly needs only the kerning of adjacent pairs.
 * So the shaper keeps a table of the pairs seen so far, per face, and
 * shapes only the stretches of a string whose pairs are not in it yet,
 * with all default features but kerning off. A ligature needs two
 * adjacent characters that are both input glyphs of the font's 'liga'
 * lookups (for Lato: f, i, l, j, t, ...): only text with such a pair is
 * shaped whole, with 'liga' on, and the result (width, kerning, the glyph
 * codes to show) is cached per distinct string, as widths are.
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
#include "shape_int.h"

#include <hb-ot.h>
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

/* A string shaped whole with 'liga' on (text with a ligature candidate
 * pair): per-byte kerning and codes, NULL lig when it set no ligature (the
 * pair tables then answer). */
typedef struct full {
    const char *key; /* NULL: free slot */
    uint32_t len;
    float width; /* 1/1000 em */
    float *kern; /* per byte, as rc_shaper_kerning */
    uint8_t *lig; /* per byte, as rc_shaper_run; NULL: no ligature */
} full;

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
    /* ligatures (NULL lplan: the font has no 'liga' lookups) */
    hb_shape_plan_t *lplan;
    hb_set_t *lin;                        /* input glyphs of the 'liga' lookups */
    uint8_t *lknown, *lcand;              /* per BMP code point: classified, an input */
    uint16_t ligg[RC_SHAPE_MAXLIG + 1];   /* code -> ligature glyph (ascending), 0 unused */
    const char *ligtext[RC_SHAPE_MAXLIG + 1]; /* code -> the characters it stood for */
    unsigned nligg;
    full *fulls;
    size_t fcap, nfulls;
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

/* The same with standard ligatures on (text with a candidate pair). */
static const hb_feature_t lfeats[] = {{HB_TAG('l', 'i', 'g', 'a'), 1, 0, (unsigned)-1},
                                      {HB_TAG('c', 'l', 'i', 'g'), 0, 0, (unsigned)-1},
                                      {HB_TAG('c', 'a', 'l', 't'), 0, 0, (unsigned)-1},
                                      {HB_TAG('c', 'c', 'm', 'p'), 0, 0, (unsigned)-1},
                                      {HB_TAG('l', 'o', 'c', 'l'), 0, 0, (unsigned)-1},
                                      {HB_TAG('r', 'l', 'i', 'g'), 0, 0, (unsigned)-1},
                                      {HB_TAG('r', 'c', 'l', 't'), 0, 0, (unsigned)-1},
                                      {HB_TAG('m', 'a', 'r', 'k'), 0, 0, (unsigned)-1},
                                      {HB_TAG('m', 'k', 'm', 'k'), 0, 0, (unsigned)-1},
                                      {HB_TAG('k', 'e', 'r', 'n'), 1, 0, (unsigned)-1}};
#define NLFEATS (sizeof lfeats / sizeof lfeats[0])

static void release(void *ctx)
{
    rc_shaper *s = ctx;
    hb_set_destroy(s->lin);
    hb_shape_plan_destroy(s->lplan);
    hb_shape_plan_destroy(s->plan);
    hb_buffer_destroy(s->buf);
    hb_font_destroy(s->font);
    hb_face_destroy(s->face);
    hb_blob_destroy(s->blob);
}

/* The font's 'liga' lookups (any script, any language): their input
 * glyphs, which make a pair of characters a ligature candidate, and their
 * output glyphs, which get the codes 1..RC_SHAPE_MAXLIG by ascending glyph
 * id. A font without them, or whose ligatures are not plain glyph
 * substitutions, leaves ligatures off. */
static void setup_ligatures(rc_shaper *s)
{
    hb_tag_t want[] = {HB_TAG('l', 'i', 'g', 'a'), HB_TAG_NONE};
    hb_set_t *lookups = hb_set_create(), *in = hb_set_create(), *out = hb_set_create();
    hb_ot_layout_collect_lookups(s->face, HB_OT_TAG_GSUB, NULL, NULL, want, lookups);
    for (hb_codepoint_t l = HB_SET_VALUE_INVALID; hb_set_next(lookups, &l);)
        hb_ot_layout_lookup_collect_glyphs(s->face, HB_OT_TAG_GSUB, l, NULL, in, NULL, out);
    for (hb_codepoint_t g = HB_SET_VALUE_INVALID;
         s->nligg < RC_SHAPE_MAXLIG && hb_set_next(out, &g);)
        if (g > 0 && g <= 0xFFFF) s->ligg[++s->nligg] = (uint16_t)g;
    hb_set_destroy(lookups);
    hb_set_destroy(out);
    if (s->nligg == 0 || hb_set_is_empty(in)) {
        hb_set_destroy(in);
        s->nligg = 0;
        return;
    }
    s->lin = in;
    s->lplan = hb_shape_plan_create(s->face, &s->props, lfeats, NLFEATS, NULL);
    s->lknown = rc_arena_alloc(s->a, 0x10000 / 8);
    s->lcand = rc_arena_alloc(s->a, 0x10000 / 8);
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
    setup_ligatures(s);
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

static full *full_slot(full *v, size_t cap, const char *p, size_t n, uint64_t h)
{
    size_t i = (size_t)(h ^ (h >> 29)) & (cap - 1);
    while (v[i].key && (v[i].len != n || memcmp(v[i].key, p, n) != 0))
        i = (i + 1) & (cap - 1);
    return &v[i];
}

/* --- ligatures ------------------------------------------------------------ */

/* Whether code point cp is an input glyph of a 'liga' lookup (classified
 * once per code point). */
static bool lig_input(rc_shaper *s, uint32_t cp)
{
    if (cp > 0xFFFF) return false;
    uint8_t bit = (uint8_t)(1u << (cp & 7));
    if (!(s->lknown[cp >> 3] & bit)) {
        hb_codepoint_t g = 0;
        s->lknown[cp >> 3] |= bit;
        if (hb_font_get_nominal_glyph(s->font, cp, &g) && hb_set_has(s->lin, g))
            s->lcand[cp >> 3] |= bit;
    }
    return (s->lcand[cp >> 3] & bit) != 0;
}

/* Whether p[0..n) may form a ligature: two adjacent characters that are
 * both ligature inputs. Decodes p into s->cps. */
static bool candidate(rc_shaper *s, const char *p, size_t n)
{
    if (!s->lplan || n < 2) return false;
    size_t m = decode(s, p, n);
    bool prev = false;
    for (size_t i = 0; i < m; i++) {
        bool in = lig_input(s, s->cps[i]);
        if (in && prev) return true;
        prev = in;
    }
    return false;
}

/* The code of ligature glyph g standing for text t[0..n): its rank among
 * the font's ligature glyphs; -1 when it has none, or when it was seen
 * standing for other characters (one code has one ToUnicode entry). */
static int lig_code(rc_shaper *s, hb_codepoint_t g, const char *t, size_t n)
{
    for (unsigned c = 1; c <= s->nligg; c++) {
        if (s->ligg[c] != g) continue;
        if (!s->ligtext[c]) s->ligtext[c] = rc_arena_strndup(s->a, t, n);
        return strlen(s->ligtext[c]) == n && memcmp(s->ligtext[c], t, n) == 0 ? (int)c : -1;
    }
    return -1;
}

/* Shapes p[0..n) whole with 'liga' on into e. Each output glyph covers the
 * characters from its cluster to the next glyph's: one character and its
 * cmap glyph (shown by its own code), or several and a ligature glyph
 * (shown by the ligature's code at the first character's byte, the others
 * hidden; its kerning goes to the last character, after which the next
 * glyph follows). Anything else (a character split into glyphs, a glyph
 * substituted for one character, mark offsets) leaves e->lig NULL and the
 * text is set without ligatures. */
static void shape_full(rc_shaper *s, const char *p, size_t n,
                       double (*adv_of)(const void *, uint32_t), const void *font, full *e)
{
    size_t m = decode(s, p, n);
    hb_buffer_clear_contents(s->buf);
    hb_buffer_add_utf8(s->buf, p, (int)n, 0, (int)n);
    hb_buffer_set_segment_properties(s->buf, &s->props);
    hb_buffer_set_cluster_level(s->buf, HB_BUFFER_CLUSTER_LEVEL_MONOTONE_CHARACTERS);
    hb_shape_plan_execute(s->lplan, s->font, s->buf, lfeats, NLFEATS);
    unsigned ng = 0;
    const hb_glyph_info_t *gi = hb_buffer_get_glyph_infos(s->buf, &ng);
    const hb_glyph_position_t *gp = hb_buffer_get_glyph_positions(s->buf, &ng);
    float *kern = rc_arena_array(s->a, n, sizeof *kern);
    uint8_t *lig = rc_arena_alloc(s->a, n);
    bool ok = true, any = false;
    double w = 0;
    size_t c = 0; /* next character */
    for (unsigned g = 0; ok && g < ng; g++) {
        size_t b0 = gi[g].cluster, b1 = g + 1 < ng ? gi[g + 1].cluster : n, c1 = c;
        if (c >= m || b0 != s->offs[c] || b1 <= b0 || b1 > n || gp[g].x_offset ||
            gp[g].y_offset || gp[g].y_advance) {
            ok = false;
            break;
        }
        while (c1 < m && s->offs[c1] < b1)
            c1++;
        double adv = gp[g].x_advance * s->scale, nominal;
        size_t at = s->offs[c1 - 1]; /* the kerning goes after the glyph */
        if (c1 - c == 1) {
            hb_codepoint_t want = 0;
            hb_font_get_nominal_glyph(s->font, s->cps[c], &want);
            ok = want == gi[g].codepoint;
            nominal = adv_of(font, s->cps[c]);
        } else {
            int code = lig_code(s, gi[g].codepoint, p + b0, b1 - b0);
            ok = code > 0;
            lig[b0] = (uint8_t)code;
            for (size_t k = c + 1; k < c1; k++)
                lig[s->offs[k]] = RC_SHAPE_HIDDEN;
            nominal = hb_font_get_glyph_h_advance(s->font, gi[g].codepoint) * s->scale;
            any = true;
        }
        float d = (float)(adv - nominal);
        kern[at] = d > -0.01f && d < 0.01f ? 0 : d;
        w += adv;
        c = c1;
    }
    e->width = (float)w;
    e->kern = kern;
    e->lig = ok && any && c == m ? lig : NULL;
}

/* The cached whole shaping of p[0..n) when it sets a ligature, else NULL. */
static const full *lig_word(rc_shaper *s, const char *p, size_t n,
                            double (*adv_of)(const void *, uint32_t), const void *font)
{
    if (!candidate(s, p, n) || n > INT32_MAX) return NULL;
    if (2 * (s->nfulls + 1) > s->fcap) {
        size_t nc = s->fcap ? 2 * s->fcap : 1024;
        full *nv = rc_arena_array(s->a, nc, sizeof *nv);
        for (size_t i = 0; i < s->fcap; i++)
            if (s->fulls[i].key)
                *full_slot(nv, nc, s->fulls[i].key, s->fulls[i].len,
                           hash_bytes(s->fulls[i].key, s->fulls[i].len)) = s->fulls[i];
        s->fulls = nv;
        s->fcap = nc;
    }
    full *e = full_slot(s->fulls, s->fcap, p, n, hash_bytes(p, n));
    if (!e->key) {
        shape_full(s, p, n, adv_of, font, e);
        e->key = rc_arena_strndup(s->a, p, n);
        e->len = (uint32_t)n;
        s->nfulls++;
    }
    return e->lig ? e : NULL;
}

/* --- widths and kerning ----------------------------------------------------- */

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
    const full *e = lig_word(s, p, n, adv_of, font);
    if (e) return e->width;
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

/* Pair kerning of p spread per byte (NULL when none). */
static const float *pair_kerning(rc_shaper *s, const char *p, size_t n,
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

const float *rc_shaper_kerning(rc_shaper *s, const char *p, size_t n,
                               double (*adv_of)(const void *, uint32_t), const void *font)
{
    const float *k;
    const uint8_t *lig;
    rc_shaper_run(s, p, n, adv_of, font, &k, &lig);
    return k;
}

void rc_shaper_run(rc_shaper *s, const char *p, size_t n, double (*adv_of)(const void *, uint32_t),
                   const void *font, const float **kern, const uint8_t **lig)
{
    const full *e = n >= 2 ? lig_word(s, p, n, adv_of, font) : NULL;
    if (e) {
        *kern = e->kern;
        *lig = e->lig;
        return;
    }
    *lig = NULL;
    *kern = pair_kerning(s, p, n, adv_of, font);
}

bool rc_shaper_ligature(const rc_shaper *s, unsigned code, uint16_t *glyph, const char **text)
{
    if (code == 0 || code > s->nligg || !s->ligtext[code]) return false;
    *glyph = s->ligg[code];
    *text = s->ligtext[code];
    return true;
}
