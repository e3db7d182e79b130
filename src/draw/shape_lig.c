/* shape_lig: standard ligatures (see shape.c at the top): which pairs of
 * characters may start one, the runs of such characters shaped once each
 * with 'liga' on, and the codes the PDF shows ligature glyphs by. */
#include "shape_impl.h"

/* The same with standard ligatures on (text with a candidate pair). */
static const hb_feature_t lfeats[] = RC_FEATS(1);
#define NLFEATS (sizeof lfeats / sizeof lfeats[0])

/* The font's 'liga' lookups (any script, any language): their input
 * glyphs, which make a pair of characters a ligature candidate, and their
 * output glyphs, which get the codes 1..RC_SHAPE_MAXLIG by ascending glyph
 * id. A font without them, or whose ligatures are not plain glyph
 * substitutions, leaves ligatures off. */
static unsigned u16(const uint8_t *d, size_t len, size_t o, bool *ok)
{
    if (o + 2 > len) {
        *ok = false;
        return 0;
    }
    return (unsigned)d[o] << 8 | d[o + 1];
}

/* Adds to pairs the first two glyphs of every two-component ligature of
 * one LigatureSubst subtable at o (format 1; OpenType spec, GSUB lookup
 * type 4). */
static void lig_subtable(const uint8_t *d, size_t len, size_t o, hb_set_t *pairs, bool *ok)
{
    if (u16(d, len, o, ok) != 1) {
        *ok = false;
        return;
    }
    size_t cov = o + u16(d, len, o + 2, ok);
    unsigned nsets = u16(d, len, o + 4, ok), fmt = u16(d, len, cov, ok);
    unsigned n = u16(d, len, cov + 2, ok), idx = 0;
    for (unsigned r = 0; *ok && r < n; r++) { /* glyphs (format 1) or ranges (2) */
        unsigned first, last;
        if (fmt == 1) {
            first = last = u16(d, len, cov + 4 + 2 * (size_t)r, ok);
        } else if (fmt == 2) {
            first = u16(d, len, cov + 4 + 6 * (size_t)r, ok);
            last = u16(d, len, cov + 6 + 6 * (size_t)r, ok);
            idx = u16(d, len, cov + 8 + 6 * (size_t)r, ok);
        } else {
            *ok = false;
            return;
        }
        for (unsigned g = first; *ok && g <= last; g++, idx++) {
            if (idx >= nsets) {
                *ok = false;
                return;
            }
            size_t set = o + u16(d, len, o + 6 + 2 * (size_t)idx, ok);
            unsigned nl = u16(d, len, set, ok);
            for (unsigned k = 0; *ok && k < nl; k++) {
                size_t lig = set + u16(d, len, set + 2 + 2 * (size_t)k, ok);
                if (u16(d, len, lig + 2, ok) == 2) /* componentCount */
                    hb_set_add(pairs, g << 16 | u16(d, len, lig + 4, ok));
            }
        }
    }
}

/* The pairs of glyphs HarfBuzz's hb_ot_layout_lookup_would_substitute
 * finds for two glyphs in the given lookups, read from the GSUB table: a
 * ligature substitution applies to two glyphs exactly when they are the
 * components of a two-component ligature. Asking HarfBuzz about every pair
 * of input glyphs was 12,960 calls and 2.2 M instructions for the five Lato
 * faces on every build. False (pairs then unspecified) when a lookup is
 * anything but ligature substitutions (contextual lookups may apply to two
 * glyphs as well) or the table cannot be read: the caller then asks
 * HarfBuzz (tests/unit/draw/test_shape compares the two). */
bool rc_shape_read_lig_pairs(hb_face_t *face, const hb_set_t *lookups, hb_set_t *pairs)
{
    hb_blob_t *blob = hb_face_reference_table(face, HB_OT_TAG_GSUB);
    unsigned blen = 0;
    const uint8_t *d = (const uint8_t *)hb_blob_get_data(blob, &blen);
    size_t len = d ? blen : 0;
    bool ok = len >= 10;
    size_t list = ok ? u16(d, len, 8, &ok) : 0;
    unsigned nlookups = u16(d, len, list, &ok);
    for (hb_codepoint_t l = HB_SET_VALUE_INVALID; ok && hb_set_next(lookups, &l);) {
        if (l >= nlookups) {
            ok = false;
            break;
        }
        size_t lk = list + u16(d, len, list + 2 + 2 * (size_t)l, &ok);
        unsigned type = u16(d, len, lk, &ok), nsub = u16(d, len, lk + 4, &ok);
        for (unsigned k = 0; ok && k < nsub; k++) {
            size_t st = lk + u16(d, len, lk + 6 + 2 * (size_t)k, &ok);
            unsigned t = type;
            if (t == 7) { /* an extension: format 1, the type, a 32-bit offset */
                t = u16(d, len, st + 2, &ok);
                size_t off = (size_t)u16(d, len, st + 4, &ok) << 16 | u16(d, len, st + 6, &ok);
                if (u16(d, len, st, &ok) != 1 || t == 7) ok = false;
                st += off;
            }
            if (t != 4)
                ok = false;
            else if (ok)
                lig_subtable(d, len, st, pairs, &ok);
        }
    }
    hb_blob_destroy(blob);
    return ok;
}

/* The sorted glyphs (or pairs) of set h, in the shaper's arena. */
static uint32_t *set_array(rc_shaper *s, const hb_set_t *h, size_t *n)
{
    *n = hb_set_get_population(h);
    uint32_t *v = rc_arena_array(s->a, *n ? *n : 1, sizeof *v), i = 0;
    for (hb_codepoint_t g = HB_SET_VALUE_INVALID; hb_set_next(h, &g);)
        v[i++] = g;
    return v;
}

static bool has(const uint32_t *v, size_t n, uint32_t x)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] == x) return true;
        if (v[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

/* The setup as kept with the font's facts (rc_font_set_lig_facts): a
 * version byte, lig, nligg, the ligature glyphs (2 bytes each), the input
 * glyphs' count and glyphs, whether there is a pair table, the pairs'
 * count and pairs (4 bytes each), afirst (128 bytes). */
enum { LIG_FACTS_VERSION = 1 };

static void *lig_facts(const rc_shaper *s, size_t *n)
{
    size_t np = s->lpairs ? s->nlpairs : 0;
    *n = 3 + 2 * (size_t)s->nligg + 4 + 4 * s->nlin + 1 + 4 + 4 * np + 128;
    uint8_t *v = rc_arena_alloc(s->a, *n), *o = v;
    *o++ = LIG_FACTS_VERSION;
    *o++ = s->lig;
    *o++ = (uint8_t)s->nligg;
    for (unsigned c = 1; c <= s->nligg; c++, o += 2)
        memcpy(o, &s->ligg[c], 2);
    uint32_t k = (uint32_t)s->nlin;
    memcpy(o, &k, 4), o += 4;
    if (k) memcpy(o, s->lin, 4 * (size_t)k), o += 4 * (size_t)k;
    *o++ = s->lpairs != NULL;
    k = (uint32_t)np;
    memcpy(o, &k, 4), o += 4;
    if (k) memcpy(o, s->lpairs, 4 * (size_t)k), o += 4 * (size_t)k;
    for (unsigned c = 0; c < 128; c++)
        *o++ = s->afirst[c];
    return v;
}

/* Reads the setup kept (lig_facts); false, s unchanged, when it is not
 * well formed. */
static bool lig_facts_read(rc_shaper *s, const uint8_t *v, size_t n)
{
    size_t o = 3;
    if (n < 3 + 4 || v[0] != LIG_FACTS_VERSION || v[1] > 1 || v[2] > RC_SHAPE_MAXLIG) return false;
    unsigned nligg = v[2];
    uint32_t nin, np;
    if (n - o < 2 * (size_t)nligg + 4) return false;
    const uint8_t *ligg = v + o;
    o += 2 * (size_t)nligg;
    memcpy(&nin, v + o, 4), o += 4;
    if ((n - o) / 4 < nin || n - o - 4 * (size_t)nin < 1 + 4) return false;
    const uint8_t *in = v + o;
    o += 4 * (size_t)nin;
    bool pairs = v[o++];
    memcpy(&np, v + o, 4), o += 4;
    if ((n - o) / 4 < np || n - o - 4 * (size_t)np != 128 || (!pairs && np)) return false;
    const uint8_t *pv = v + o, *first = v + o + 4 * (size_t)np;
    s->lig = v[1];
    s->nligg = nligg;
    for (unsigned c = 1; c <= nligg; c++)
        memcpy(&s->ligg[c], ligg + 2 * (c - 1), 2);
    s->nlin = nin;
    s->lin = rc_arena_array(s->a, nin ? nin : 1, sizeof *s->lin);
    memcpy(s->lin, in, 4 * (size_t)nin);
    s->nlpairs = np;
    s->lpairs = pairs ? rc_arena_array(s->a, np ? np : 1, sizeof *s->lpairs) : NULL;
    if (pairs) memcpy(s->lpairs, pv, 4 * (size_t)np);
    for (unsigned c = 0; c < 128; c++)
        s->afirst[c] = first[c] != 0;
    return true;
}

/* Works the setup out with HarfBuzz. */
static void setup(rc_shaper *s)
{
    rc_shape_hb(s);
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
    hb_set_t *lpairs = hb_set_create();
    if (hb_set_get_population(in) <= 64 && !rc_shape_read_lig_pairs(s->face, lookups, lpairs)) {
        hb_set_clear(lpairs);
        for (hb_codepoint_t l = HB_SET_VALUE_INVALID; hb_set_next(lookups, &l);)
            for (unsigned x = 0; x < ng; x++)
                for (unsigned y = 0; y < ng; y++) {
                    hb_codepoint_t two[2] = {gl[x], gl[y]};
                    if (hb_ot_layout_lookup_would_substitute(s->face, l, two, 2, true))
                        hb_set_add(lpairs, gl[x] << 16 | gl[y]);
                }
    }
    s->lin = set_array(s, in, &s->nlin);
    /* too many inputs to pair: every pair of them (lpairs NULL) */
    if (hb_set_get_population(in) <= 64) s->lpairs = set_array(s, lpairs, &s->nlpairs);
    hb_set_destroy(lpairs);
    hb_set_destroy(lookups);
    hb_set_destroy(in);
    /* printable ASCII characters that may start a ligature: text without
     * them (most words) is passed over without decoding */
    for (uint32_t c = 0x20; c < 0x7F; c++) {
        hb_codepoint_t g = 0;
        if (!rc_shape_glyph(s, c, &g) || !has(s->lin, s->nlin, g)) continue;
        bool first = !s->lpairs;
        for (size_t q = 0; !first && q < s->nlpairs; q++)
            first = s->lpairs[q] >> 16 == g;
        s->afirst[c] = first;
    }
    s->lig = true;
}

void rc_shape_setup_ligatures(rc_shaper *s)
{
    size_t n = 0;
    const unsigned char *kept = s->rf ? rc_font_lig_facts(s->rf, &n) : NULL;
    if (kept && lig_facts_read(s, kept, n)) return;
    setup(s);
    if (!s->rf) return;
    void *v = lig_facts(s, &n);
    rc_font_set_lig_facts(s->rf, v, n);
}

/* --- ligatures ------------------------------------------------------------ */

/* Whether code point cp is an input glyph of a 'liga' lookup (classified
 * once per code point: ASCII in a table of its own, the rest of the BMP in
 * chunks made on first use). */
static bool lig_classify(rc_shaper *s, uint32_t cp)
{
    hb_codepoint_t g = 0;
    return rc_shape_glyph(s, cp, &g) && has(s->lin, s->nlin, g);
}

static bool lig_input(rc_shaper *s, uint32_t cp)
{
    if (cp < 0x80) {
        if (!s->ainput[cp]) s->ainput[cp] = lig_classify(s, cp) ? 2 : 1;
        return s->ainput[cp] == 2;
    }
    if (cp > 0xFFFF) return false;
    uint8_t bit = (uint8_t)(1u << (cp & 7));
    uint8_t *bits = rc_cp_bits_at(s->a, &s->lbits, cp);
    if (!(bits[0] & bit)) {
        bits[0] |= bit;
        if (lig_classify(s, cp)) bits[256] |= bit;
    }
    return (bits[256] & bit) != 0;
}

bool rc_shape_lig_inert(rc_shaper *s, uint32_t cp)
{
    return !s->lig || (!lig_input(s, cp) && !(cp < 0x80 && s->afirst[cp]));
}

/* Whether the characters a, b start or continue a ligature (a pair of
 * input glyphs that some 'liga' lookup substitutes). */
static bool lig_pair(rc_shaper *s, uint32_t a, uint32_t b)
{
    if (!lig_input(s, a) || !lig_input(s, b)) return false;
    if (!s->lpairs) return true;
    if (a < 0x80 && !s->afirst[a]) return false;
    uint8_t *known = NULL; /* 1 no, 2 yes */
    if (a < 0x80 && b < 0x80) {
        if (!s->apair[a]) s->apair[a] = rc_arena_alloc(s->a, 128);
        known = &s->apair[a][b];
    }
    if (known && *known) return *known == 2;
    hb_codepoint_t ga = 0, gb = 0;
    rc_shape_glyph(s, a, &ga);
    rc_shape_glyph(s, b, &gb);
    bool yes = has(s->lpairs, s->nlpairs, ga << 16 | gb);
    if (known) *known = yes ? 2 : 1;
    return yes;
}

/* Whether p[0..n) may form a ligature: two adjacent characters that are
 * both ligature inputs. */
static bool candidate(rc_shaper *s, const char *p, size_t n)
{
    if (!s->lig || n < 2) return false;
    size_t i = 0;
    while (i < n && (unsigned char)p[i] < 0x80 && !s->afirst[(unsigned char)p[i]])
        i++;
    if (i == n) return false;
    /* Printable ASCII (most words): a pair can start only at a character
     * of afirst (lig_pair says no to any other, and where there is no pair
     * table afirst is the set of inputs), so only those pairs are asked
     * about, without decoding the text (1 M instructions of the sample). */
    size_t j = i;
    while (j < n && (unsigned char)p[j] >= 0x20 && (unsigned char)p[j] < 0x7F)
        j++;
    if (j == n) {
        for (size_t k = i; k + 1 < n; k++)
            if (s->afirst[(unsigned char)p[k]] &&
                lig_pair(s, (unsigned char)p[k], (unsigned char)p[k + 1]))
                return true;
        return false;
    }
    size_t m = rc_shape_decode(s, p, n);
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
    rc_shape_hb(s);
    hb_buffer_clear_contents(s->buf);
    hb_buffer_add_utf8(s->buf, t, (int)n, 0, (int)n);
    hb_buffer_set_segment_properties(s->buf, &s->props);
    hb_buffer_set_cluster_level(s->buf, HB_BUFFER_CLUSTER_LEVEL_MONOTONE_CHARACTERS);
    if (!s->lplan) s->lplan = hb_shape_plan_create(s->face, &s->props, lfeats, NLFEATS, NULL);
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
            rc_shape_glyph(s, cps[c], &want);
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
    pair *e = rc_shape_pair_slot(s->pairs, s->cap, pkey(a->id, b->id));
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
    rc_shape_put_pair(s, a->id, b->id, d);
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
    size_t m = rc_shape_decode(s, p, n);
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
            rc_shape_glyph(s, s->cps[i], &g);
            rglyph u = {s->cps[i], (uint16_t)g, 1, 0, (float)adv_of(font, s->cps[i])};
            s->units[nu] = u;
            s->ustart[nu++] = i++;
            continue;
        }
        size_t b0 = s->offs[i], b1 = j + 1 < m ? s->offs[j + 1] : n;
        const lrun *r =
            resolve_run(s, p + b0, b1 - b0, s->cps + i, s->offs + i, j + 1 - i, adv_of, font);
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
                const pair *q = rc_shape_pair_slot(s->pairs, s->cap, pkey(u->id, v->id));
                if (!q->key && !rc_shape_read_pair(s, u->id, v->id, adv_of, font))
                    rc_shape_learn(s, p, n, c0, c0 + 1, adv_of, font);
                d = rc_shape_pair_slot(s->pairs, s->cap, pkey(u->id, v->id))->kern;
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
 * callers cache strings of up to RC_SHAPE_KEEP_MAX bytes (the word and shown caches);
 * longer ones are kept here with their verdict (none repeat often, but
 * shape_full's arrays are not made twice). e is where a short string's
 * result goes. */
const full *rc_shape_lig_word(rc_shaper *s, const char *p, size_t n,
                              double (*adv_of)(const void *, uint32_t), const void *font, full *e)
{
    if (!s->lig || n < 2 || n > INT32_MAX) return NULL;
    size_t b = 0; /* ASCII text without a ligature's first character: none */
    while (b < n && (unsigned char)p[b] < 0x80 && !s->afirst[(unsigned char)p[b]])
        b++;
    if (b == n) return NULL;
    if (n <= RC_SHAPE_KEEP_MAX) {
        e->lig = NULL;
        if (candidate(s, p, n)) shape_full(s, p, n, adv_of, font, e);
        return e->lig ? e : NULL;
    }
    s->fulls = table_grow(s->a, s->fulls, &s->fcap, s->nfulls, sizeof *s->fulls, 64);
    e = (full *)rc_shape_slot_in(s->fulls, sizeof *s->fulls, s->fcap, p, n, rc_hash_short(p, n));
    if (!e->w.key) {
        if (candidate(s, p, n)) shape_full(s, p, n, adv_of, font, e);
        e->w.key = rc_arena_strndup(s->a, p, n);
        e->w.len = (uint32_t)n;
        s->nfulls++;
    }
    return e->lig ? e : NULL;
}

bool rc_shaper_ligature_take(rc_shaper *s, unsigned code, const char *t, size_t n)
{
    if (code == 0 || code > s->nligg || n == 0 || memchr(t, 0, n)) return false;
    const char *had = s->ligtext[code];
    if (had) return strlen(had) == n && memcmp(had, t, n) == 0;
    s->ligtext[code] = rc_arena_strndup(s->a, t, n);
    return true;
}

bool rc_shaper_ligature(const rc_shaper *s, unsigned code, uint16_t *glyph, const char **text)
{
    if (code == 0 || code > s->nligg || !s->ligtext[code]) return false;
    *glyph = s->ligg[code];
    *text = s->ligtext[code];
    return true;
}
