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
 * shaped whole, with 'liga' on, and the result (width, kerning, codes to
 * show) is cached per distinct string, as widths and kerning are.
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
#include <string.h>

#include "rc/hash.h"
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

/* A string as shown (rc_shaper_run): its per-byte kerning and ligature
 * codes, found once per distinct string. The PDF back end asks for every
 * word it draws (twice: once to collect the glyphs, once to show them), and
 * decoding the word and looking up each of its pairs again cost more than
 * the rest of drawing the text (390 M instructions at 1,000 pages). */
typedef struct shown {
    word w;             /* key and length (width unused) */
    const float *kern;  /* NULL: no kerning */
    const uint8_t *lig; /* NULL: no ligature */
} shown;

/* A string shaped whole with 'liga' on (text with a ligature candidate
 * pair): per-byte kerning and codes, NULL lig when it set no ligature (the
 * pair tables then answer). */
typedef struct full {
    word w;      /* key, length and width, as in the word cache */
    float *kern; /* per byte, as rc_shaper_kerning */
    uint8_t *lig; /* per byte, as rc_shaper_run; NULL: no ligature */
} full;

struct rc_shaper {
    rc_arena *a;
    word *words;
    size_t wcap, nwords; /* wcap a power of two */
    hb_face_t *face;
    hb_font_t *font;
    hb_buffer_t *buf;
    hb_shape_plan_t *plan; /* made once: planning is most of a short word's cost */
    rc_kern_table *kt;     /* the plan's pair kerning from GPOS (NULL: shape each pair) */
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
    hb_set_t *lpairs;                     /* ... pairs of them substituted (g1 << 16 | g2) */
    bool afirst[128];                     /* ASCII characters first in such a pair */
    uint8_t *apair;                       /* ASCII pairs: 0 not known, 1 no, 2 a pair */
    uint8_t *lknown, *lcand;              /* per BMP code point: classified, an input */
    uint16_t ligg[RC_SHAPE_MAXLIG + 1];   /* code -> ligature glyph (ascending), 0 unused */
    const char *ligtext[RC_SHAPE_MAXLIG + 1]; /* code -> the characters it stood for */
    unsigned nligg;
    full *fulls;
    size_t fcap, nfulls;
    shown *shown;
    size_t scap, nshown;
    struct lrun *runs; /* ligature runs set so far (resolve_run) */
    size_t nruns, rcap;
    struct rglyph *units; /* shape_full's glyphs, and their first characters */
    size_t *ustart, nunits;
};

/* The features of both shaping plans: every substitution and mark feature
 * off, kerning on, and standard ligatures as the plan says. */
#define RC_FEAT(a, b, c, d, on) {HB_TAG(a, b, c, d), on, 0, (unsigned)-1}
#define RC_FEATS(liga)                                                                            \
    {RC_FEAT('l', 'i', 'g', 'a', liga), RC_FEAT('c', 'l', 'i', 'g', 0),                          \
     RC_FEAT('c', 'a', 'l', 't', 0),    RC_FEAT('c', 'c', 'm', 'p', 0),                          \
     RC_FEAT('l', 'o', 'c', 'l', 0),    RC_FEAT('r', 'l', 'i', 'g', 0),                          \
     RC_FEAT('r', 'c', 'l', 't', 0),    RC_FEAT('m', 'a', 'r', 'k', 0),                          \
     RC_FEAT('m', 'k', 'm', 'k', 0),    RC_FEAT('k', 'e', 'r', 'n', 1)}

/* Kerning only: the PDF shows one code per character (see the top). */
static const hb_feature_t feats[] = RC_FEATS(0);
#define NFEATS (sizeof feats / sizeof feats[0])

/* The same with standard ligatures on (text with a candidate pair). */
static const hb_feature_t lfeats[] = RC_FEATS(1);
#define NLFEATS (sizeof lfeats / sizeof lfeats[0])

static void release(void *ctx)
{
    rc_shaper *s = ctx;
    hb_set_destroy(s->lin);
    hb_set_destroy(s->lpairs);
    hb_shape_plan_destroy(s->lplan);
    hb_shape_plan_destroy(s->plan);
    hb_buffer_destroy(s->buf);
    hb_font_destroy(s->font);
    hb_face_destroy(s->face);
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
    hb_set_destroy(out);
    if (s->nligg == 0 || hb_set_is_empty(in)) {
        hb_set_destroy(lookups);
        hb_set_destroy(in);
        s->nligg = 0;
        return;
    }
    /* the pairs of input glyphs that some lookup substitutes: a ligature of
     * three characters is found through its first two (ff -> ffi), and
     * pairs like "il" (both inputs, no ligature) are not shaped whole */
    hb_codepoint_t gl[64];
    unsigned ng = 0;
    for (hb_codepoint_t g = HB_SET_VALUE_INVALID; ng < 64 && hb_set_next(in, &g);)
        gl[ng++] = g;
    s->lpairs = hb_set_create();
    for (hb_codepoint_t l = HB_SET_VALUE_INVALID; hb_set_get_population(in) <= 64 &&
                                                  hb_set_next(lookups, &l);)
        for (unsigned x = 0; x < ng; x++)
            for (unsigned y = 0; y < ng; y++) {
                hb_codepoint_t two[2] = {gl[x], gl[y]};
                if (hb_ot_layout_lookup_would_substitute(s->face, l, two, 2, true))
                    hb_set_add(s->lpairs, gl[x] << 16 | gl[y]);
            }
    if (hb_set_get_population(in) > 64) { /* too many to pair: every pair of inputs */
        hb_set_destroy(s->lpairs);
        s->lpairs = NULL;
    }
    /* printable ASCII characters that may start a ligature: text without
     * them (most words) is passed over without decoding */
    for (uint32_t c = 0x20; c < 0x7F; c++) {
        hb_codepoint_t g = 0;
        if (!hb_font_get_nominal_glyph(s->font, c, &g) || !hb_set_has(in, g)) continue;
        bool first = !s->lpairs;
        for (hb_codepoint_t q = HB_SET_VALUE_INVALID; !first && hb_set_next(s->lpairs, &q);)
            first = q >> 16 == g;
        s->afirst[c] = first;
    }
    hb_set_destroy(lookups);
    s->lin = in;
    s->lplan = hb_shape_plan_create(s->face, &s->props, lfeats, NLFEATS, NULL);
    s->lknown = rc_arena_alloc(s->a, 0x10000 / 8);
    s->apair = rc_arena_alloc(s->a, 128 * 128);
    s->lcand = rc_arena_alloc(s->a, 0x10000 / 8);
}

rc_shaper *rc_shaper_new(rc_arena *a, hb_font_t *font, unsigned upem)
{
    if (!font || upem == 0) return NULL;
    rc_shaper *s = rc_arena_alloc(a, sizeof *s);
    s->a = a;
    s->font = hb_font_reference(font);
    s->face = hb_face_reference(hb_font_get_face(font));
    s->buf = hb_buffer_create();
    s->props.direction = HB_DIRECTION_LTR;
    s->props.script = HB_SCRIPT_LATIN;
    s->props.language = hb_language_from_string("en", 2);
    s->plan = hb_shape_plan_create(s->face, &s->props, feats, NFEATS, NULL);
    rc_arena_on_free(a, release, s);
    s->kt = rc_kern_table_new(a, s->font, s->plan);
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

/* Learns the kerning of the pair (a, b) from the GPOS table when the pair
 * allows it (shape_gpos.c): the value learn would record, without HarfBuzz. */
static bool read_pair(rc_shaper *s, uint32_t a, uint32_t b,
                      double (*adv_of)(const void *, uint32_t), const void *font)
{
    int u;
    hb_codepoint_t g;
    if (!s->kt || !rc_kern_table_pair(s->kt, a, b, &u, &g)) return false;
    float d = (float)((hb_font_get_glyph_h_advance(s->font, g) + u) * s->scale - adv_of(font, a));
    if (d > -0.01f && d < 0.01f) d = 0;
    put_pair(s, a, b, d);
    return true;
}

rc_kern_table *rc_shaper_kern_table(const rc_shaper *s)
{
    return s->kt;
}

bool rc_shaper_hb_pair(rc_shaper *s, uint32_t cp1, uint32_t cp2, int *units)
{
    uint32_t cps[2] = {cp1, cp2};
    hb_buffer_clear_contents(s->buf);
    hb_buffer_add_utf32(s->buf, cps, 2, 0, 2);
    hb_buffer_set_segment_properties(s->buf, &s->props);
    hb_buffer_set_cluster_level(s->buf, HB_BUFFER_CLUSTER_LEVEL_CHARACTERS);
    hb_shape_plan_execute(s->plan, s->font, s->buf, feats, NFEATS);
    unsigned ng = 0;
    const hb_glyph_info_t *gi = hb_buffer_get_glyph_infos(s->buf, &ng);
    const hb_glyph_position_t *gp = hb_buffer_get_glyph_positions(s->buf, &ng);
    if (ng != 2 || gi[0].cluster != 0 || gi[1].cluster != 1) return false;
    *units = gp[0].x_advance - hb_font_get_glyph_h_advance(s->font, gi[0].codepoint);
    return true;
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
        if (read_pair(s, s->cps[i], s->cps[i + 1], adv_of, font)) continue;
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

/* The slot of p[0..n) (hash h) in an open-addressed table of cap entries
 * of size bytes each, every entry beginning with a word (the word cache
 * and the ligature cache share this and table_grow). */
static word *slot_in(void *v, size_t size, size_t cap, const char *p, size_t n, uint64_t h)
{
    size_t i = (size_t)(h ^ (h >> 29)) & (cap - 1);
    for (;;) {
        word *e = (word *)(void *)((char *)v + i * size);
        if (!e->key || (e->len == n && memcmp(e->key, p, n) == 0)) return e;
        i = (i + 1) & (cap - 1);
    }
}

/* Makes room for one more entry in a table of *cap entries holding *used
 * (kept at most half full), moving the entries into a table twice the size
 * (first entries when there is none yet). Inlined: there mostly is room. */
static inline __attribute__((always_inline)) void *
table_grow(rc_arena *a, void *v, size_t *cap, size_t used, size_t size, size_t first)
{
    if (2 * (used + 1) <= *cap) return v;
    size_t nc = *cap ? 2 * *cap : first;
    char *nv = rc_arena_array(a, nc, size);
    for (size_t i = 0; i < *cap; i++) {
        const word *e = (const word *)(const void *)((const char *)v + i * size);
        if (e->key)
            memcpy(slot_in(nv, size, nc, e->key, e->len, rc_hash_bytes(e->key, e->len, 0)), e,
                   size);
    }
    *cap = nc;
    return nv;
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

/* Whether the characters a, b start or continue a ligature (a pair of
 * input glyphs that some 'liga' lookup substitutes). */
static bool lig_pair(rc_shaper *s, uint32_t a, uint32_t b)
{
    if (!lig_input(s, a) || !lig_input(s, b)) return false;
    if (!s->lpairs) return true;
    if (a < 0x80 && !s->afirst[a]) return false;
    uint8_t *known = a < 0x80 && b < 0x80 ? &s->apair[a << 7 | b] : NULL; /* 1 no, 2 yes */
    if (known && *known) return *known == 2;
    hb_codepoint_t ga = 0, gb = 0;
    hb_font_get_nominal_glyph(s->font, a, &ga);
    hb_font_get_nominal_glyph(s->font, b, &gb);
    bool yes = hb_set_has(s->lpairs, ga << 16 | gb);
    if (known) *known = yes ? 2 : 1;
    return yes;
}

/* Whether p[0..n) may form a ligature: two adjacent characters that are
 * both ligature inputs. Decodes p into s->cps. */
static bool candidate(rc_shaper *s, const char *p, size_t n)
{
    if (!s->lplan || n < 2) return false;
    size_t i = 0;
    while (i < n && (unsigned char)p[i] < 0x80 && !s->afirst[(unsigned char)p[i]])
        i++;
    if (i == n) return false;
    size_t m = decode(s, p, n);
    bool prev = false;
    for (size_t k = 0; k < m; k++) {
        bool in = lig_input(s, s->cps[k]);
        if (in && prev && lig_pair(s, s->cps[k - 1], s->cps[k])) return true;
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

/* Shapes t[0..n) with 'liga' on; the glyph count. */
static unsigned shape_liga(rc_shaper *s, const char *t, size_t n)
{
    hb_buffer_clear_contents(s->buf);
    hb_buffer_add_utf8(s->buf, t, (int)n, 0, (int)n);
    hb_buffer_set_segment_properties(s->buf, &s->props);
    hb_buffer_set_cluster_level(s->buf, HB_BUFFER_CLUSTER_LEVEL_MONOTONE_CHARACTERS);
    hb_shape_plan_execute(s->lplan, s->font, s->buf, lfeats, NLFEATS);
    return hb_buffer_get_length(s->buf);
}

/* A run of characters linked by ligature pairs ("ffi"), set once per
 * distinct run: its glyphs, each standing for nch characters, with the
 * ligature code (0: the character's own glyph) and nominal advance. */
typedef struct rglyph {
    uint32_t id; /* pair-table id: the code point, or LIGID + glyph */
    uint16_t gid;
    uint8_t nch, code;
    float adv;
} rglyph;

typedef struct lrun {
    const char *key;
    uint32_t len;
    unsigned ng; /* 0: the run cannot be shown with ligatures */
    rglyph *g;
} lrun;

#define LIGID 0x110000u /* above every code point */

static const lrun *resolve_run(rc_shaper *s, const char *t, size_t n, const uint32_t *cps,
                               const size_t *offs, size_t nch,
                               double (*adv_of)(const void *, uint32_t), const void *font)
{
    for (size_t i = 0; i < s->nruns; i++)
        if (s->runs[i].len == n && memcmp(s->runs[i].key, t, n) == 0) return &s->runs[i];
    if (s->nruns == s->rcap) {
        size_t nc = s->rcap ? 2 * s->rcap : 32;
        s->runs = rc_arena_grow(s->a, s->runs, s->nruns, nc, sizeof *s->runs);
        s->rcap = nc;
    }
    lrun *r = &s->runs[s->nruns++];
    r->key = rc_arena_strndup(s->a, t, n);
    r->len = (uint32_t)n;
    unsigned ng = shape_liga(s, t, n);
    const hb_glyph_info_t *gi = hb_buffer_get_glyph_infos(s->buf, NULL);
    r->g = rc_arena_array(s->a, ng ? ng : 1, sizeof *r->g);
    size_t c = 0;
    for (unsigned g = 0; g < ng; g++) {
        size_t b0 = gi[g].cluster, b1 = g + 1 < ng ? gi[g + 1].cluster : n, c1 = c;
        if (c >= nch || b0 != offs[c] - offs[0] || b1 <= b0 || b1 > n) return r; /* ng 0 */
        while (c1 < nch && offs[c1] - offs[0] < b1)
            c1++;
        rglyph *o = &r->g[g];
        o->gid = (uint16_t)gi[g].codepoint;
        o->nch = (uint8_t)(c1 - c > 255 ? 255 : c1 - c);
        if (c1 - c == 1) {
            hb_codepoint_t want = 0;
            hb_font_get_nominal_glyph(s->font, cps[c], &want);
            if (want != gi[g].codepoint) return r;
            o->id = cps[c];
            o->adv = (float)adv_of(font, cps[c]);
        } else {
            int code = lig_code(s, gi[g].codepoint, t + b0, b1 - b0);
            if (code <= 0 || c1 - c > 255) return r;
            o->code = (uint8_t)code;
            o->id = LIGID + gi[g].codepoint;
            o->adv = (float)(hb_font_get_glyph_h_advance(s->font, gi[g].codepoint) * s->scale);
        }
        c = c1;
    }
    if (c == nch) r->ng = ng;
    return r;
}

/* The kerning after glyph a when glyph b follows, one of them a ligature
 * (ta, tb: their characters): shaped once per pair, as a pair of glyphs
 * with 'liga' on, and kept in the pair table. */
static float lig_kern(rc_shaper *s, const rglyph *a, const char *ta, size_t na, const rglyph *b,
                      const char *tb, size_t nb)
{
    pair *e = slot(s->pairs, s->cap, pkey(a->id, b->id));
    if (e->key) return e->kern;
    float d = 0;
    char t[64];
    if (na + nb <= sizeof t) {
        memcpy(t, ta, na);
        memcpy(t + na, tb, nb);
        unsigned ng = shape_liga(s, t, na + nb);
        const hb_glyph_info_t *gi = hb_buffer_get_glyph_infos(s->buf, NULL);
        const hb_glyph_position_t *gp = hb_buffer_get_glyph_positions(s->buf, NULL);
        if (ng == 2 && gi[0].codepoint == a->gid && gi[1].codepoint == b->gid &&
            gi[1].cluster == na) {
            d = (float)(gp[0].x_advance * s->scale - a->adv);
            if (d > -0.01f && d < 0.01f) d = 0;
        }
    }
    put_pair(s, a->id, b->id, d);
    return d;
}

/* Sets p[0..n) with ligatures into e: the characters outside ligature
 * runs are glyphs of their own, the runs ("ffi") are set as HarfBuzz sets
 * them alone (once per distinct run), and the kerning between neighbours
 * comes from the pair table (pairs with a ligature learnt by shaping the
 * two). A ligature glyph is shown by its code at the first character's
 * byte, the others hidden; every glyph's kerning goes to its last
 * character. A run that is not one glyph per character or ligature
 * leaves e->lig NULL and the text is set without ligatures. HarfBuzz is
 * called per distinct run and pair, not per word: shaping every word with
 * ligatures cost ~50k instructions each. */
static void shape_full(rc_shaper *s, const char *p, size_t n,
                       double (*adv_of)(const void *, uint32_t), const void *font, full *e)
{
    size_t m = decode(s, p, n);
    if (m > s->nunits) {
        s->nunits = 2 * m;
        s->units = rc_arena_array(s->a, s->nunits, sizeof *s->units);
        s->ustart = rc_arena_array(s->a, s->nunits, sizeof *s->ustart);
    }
    size_t nu = 0;
    for (size_t i = 0; i < m;) {
        size_t j = i;
        while (j + 1 < m && lig_pair(s, s->cps[j], s->cps[j + 1]))
            j++;
        if (j == i) {
            hb_codepoint_t g = 0;
            hb_font_get_nominal_glyph(s->font, s->cps[i], &g);
            rglyph u = {s->cps[i], (uint16_t)g, 1, 0, (float)adv_of(font, s->cps[i])};
            s->units[nu] = u;
            s->ustart[nu++] = i++;
            continue;
        }
        size_t b0 = s->offs[i], b1 = j + 1 < m ? s->offs[j + 1] : n;
        const lrun *r = resolve_run(s, p + b0, b1 - b0, s->cps + i, s->offs + i, j + 1 - i,
                                    adv_of, font);
        if (!r->ng) {
            e->lig = NULL;
            e->kern = NULL;
            e->w.width = 0;
            return;
        }
        for (unsigned g = 0; g < r->ng; g++) {
            s->units[nu] = r->g[g];
            s->ustart[nu++] = i;
            i += r->g[g].nch;
        }
    }
    float *kern = rc_arena_array(s->a, n, sizeof *kern);
    uint8_t *lig = rc_arena_alloc(s->a, n);
    bool any = false;
    double w = 0;
    for (size_t k = 0; k < nu; k++) {
        const rglyph *u = &s->units[k];
        size_t c0 = s->ustart[k], c1 = c0 + u->nch;
        size_t b0 = s->offs[c0], b1 = c1 < m ? s->offs[c1] : n;
        float d = 0;
        if (k + 1 < nu) {
            const rglyph *v = &s->units[k + 1];
            size_t e1 = c1 + v->nch < m ? s->offs[c1 + v->nch] : n;
            if (u->code || v->code) {
                d = lig_kern(s, u, p + b0, b1 - b0, v, p + b1, e1 - b1);
            } else {
                const pair *q = slot(s->pairs, s->cap, pkey(u->id, v->id));
                if (!q->key && !read_pair(s, u->id, v->id, adv_of, font))
                    learn(s, p, n, c0, c0 + 1, adv_of, font);
                d = slot(s->pairs, s->cap, pkey(u->id, v->id))->kern;
            }
        }
        if (u->code) {
            lig[b0] = u->code;
            for (size_t c = c0 + 1; c < c1; c++)
                lig[s->offs[c]] = RC_SHAPE_HIDDEN;
            any = true;
        }
        kern[s->offs[c1 - 1]] = d;
        w += u->adv + d;
    }
    e->w.width = (float)w;
    e->kern = kern;
    e->lig = any ? lig : NULL;
}

/* The whole shaping of p[0..n) when it sets a ligature, else NULL. The
 * callers cache strings of up to 64 bytes (the word and shown caches);
 * longer ones are kept here with their verdict (none repeat often, but
 * shape_full's arrays are not made twice). e is where a short string's
 * result goes. */
static const full *lig_word(rc_shaper *s, const char *p, size_t n,
                            double (*adv_of)(const void *, uint32_t), const void *font, full *e)
{
    if (!s->lplan || n < 2 || n > INT32_MAX) return NULL;
    size_t b = 0; /* ASCII text without a ligature's first character: none */
    while (b < n && (unsigned char)p[b] < 0x80 && !s->afirst[(unsigned char)p[b]])
        b++;
    if (b == n) return NULL;
    if (n <= 64) {
        e->lig = NULL;
        if (candidate(s, p, n)) shape_full(s, p, n, adv_of, font, e);
        return e->lig ? e : NULL;
    }
    s->fulls = table_grow(s->a, s->fulls, &s->fcap, s->nfulls, sizeof *s->fulls, 64);
    e = (full *)slot_in(s->fulls, sizeof *s->fulls, s->fcap, p, n, rc_hash_bytes(p, n, 0));
    if (!e->w.key) {
        if (candidate(s, p, n)) shape_full(s, p, n, adv_of, font, e);
        e->w.key = rc_arena_strndup(s->a, p, n);
        e->w.len = (uint32_t)n;
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
    s->words = table_grow(s->a, s->words, &s->wcap, s->nwords, sizeof *s->words, 4096);
    word *w = slot_in(s->words, sizeof *s->words, s->wcap, p, n, rc_hash_bytes(p, n, 0));
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
    full f;
    const full *e = lig_word(s, p, n, adv_of, font, &f);
    if (e) return e->w.width;
    bool any;
    if (n > s->nscratch) {
        s->nscratch = n < 64 ? 64 : 2 * n;
        s->scratch = rc_arena_array(s->a, s->nscratch, sizeof *s->scratch);
    }
    size_t m = kerns(s, p, n, adv_of, font, s->scratch, &any);
    double w = 0;
    for (size_t i = 0; i < m; i++) /* after the kerning: the advances, as before */
        w += adv_of(font, s->cps[i]);
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

/* The text as shown, not cached (see rc_shaper_run). */
static void run_uncached(rc_shaper *s, const char *p, size_t n,
                         double (*adv_of)(const void *, uint32_t), const void *font,
                         const float **kern, const uint8_t **lig)
{
    full f;
    const full *e = n >= 2 ? lig_word(s, p, n, adv_of, font, &f) : NULL;
    *lig = e ? e->lig : NULL;
    *kern = e ? e->kern : pair_kerning(s, p, n, adv_of, font);
}

void rc_shaper_run(rc_shaper *s, const char *p, size_t n, double (*adv_of)(const void *, uint32_t),
                   const void *font, const float **kern, const uint8_t **lig)
{
    const float *k = NULL;
    shown *e = NULL;         /* one character has no pair; long text rarely repeats */
    if (n >= 2 && n <= 64) { /* ... and most words repeat */
        s->shown = table_grow(s->a, s->shown, &s->scap, s->nshown, sizeof *s->shown, 4096);
        e = (shown *)slot_in(s->shown, sizeof *s->shown, s->scap, p, n, rc_hash_bytes(p, n, 0));
    }
    if (!e || !e->w.key) {
        run_uncached(s, p, n, adv_of, font, &k, lig);
        if (e) { /* pair_kerning's result is scratch: kept in a copy */
            if (k == s->scratch) k = memcpy(rc_arena_array(s->a, n, sizeof *k), k, n * sizeof *k);
            *e = (shown){{rc_arena_strndup(s->a, p, n), (uint32_t)n, 0}, k, *lig};
            s->nshown++;
        }
    } else {
        k = e->kern;
        *lig = e->lig;
    }
    if (kern) *kern = k;
}

bool rc_shaper_ligature(const rc_shaper *s, unsigned code, uint16_t *glyph, const char **text)
{
    if (code == 0 || code > s->nligg || !s->ligtext[code]) return false;
    *glyph = s->ligg[code];
    *text = s->ligtext[code];
    return true;
}
