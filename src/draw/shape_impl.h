/* shape_impl: the shaper's state and the helpers shared by shape.c
 * (pairs, widths, the shown text), shape_lig.c (ligatures), shape_disk.c
 * and shape_page.c (the texts kept between builds). Internal to those
 * files. */
#ifndef RC_SHAPE_IMPL_H
#define RC_SHAPE_IMPL_H

#include <string.h>

#include "rc/hash.h"
#include "shape_int.h"

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
    unsigned epoch;     /* the disk_epoch it was shown in (shape_disk.c) */
    bool held;          /* shown on a page kept whole: not kept alone (yet) */
} shown;

/* A string shaped whole with 'liga' on (text with a ligature candidate
 * pair): per-byte kerning and codes, NULL lig when it set no ligature (the
 * pair tables then answer). */
typedef struct full {
    word w;       /* key, length and width, as in the word cache */
    float *kern;  /* per byte, as rc_shaper_kerning */
    uint8_t *lig; /* per byte, as rc_shaper_run; NULL: no ligature */
} full;

/* A measured string (rc_shaper_width): its width, and what the PDF back
 * end asks for again when it shows the string followed by a space
 * (rc_shaper_run): whether it was set with the pair tables alone (no
 * ligature) and then its per-byte kerning. */
typedef struct measured {
    word w;
    const float *kern; /* per byte; NULL: none, or not plain */
    bool plain;        /* no ligature: the pair tables gave its kerning */
    unsigned epoch;    /* the disk_epoch it was measured in (shape_disk.c) */
} measured;

struct rc_shaper {
    rc_arena *a;
    measured *words;
    size_t wcap, nwords; /* wcap a power of two */
    /* the font it shapes for (rc_shaper_new_font; NULL: made from a
     * HarfBuzz font), whose pages give its glyphs and whose kept facts its
     * ligature setup (font.c) */
    const rc_font *rf;
    /* HarfBuzz's objects, made when first needed (rc_shape_hb; buf NULL:
     * not yet): a build whose texts all come from the files kept never
     * shapes, and need not load HarfBuzz */
    hb_face_t *face;
    hb_font_t *font;
    hb_buffer_t *buf;
    /* Made once, when first needed (rc_shape_plan): planning is most of a
     * short word's cost, and a build whose texts all come from the shown
     * file (rc/font.h) never shapes (1.6 M instructions of the sample's
     * five faces' plans saved) */
    bool planned;
    hb_shape_plan_t *plan;
    rc_kern_table *kt; /* the plan's pair kerning from GPOS (NULL: shape each pair) */
    hb_segment_properties_t props;
    double scale; /* font units -> 1/1000 em */
    pair *pairs;
    size_t cap, n; /* cap a power of two */
    /* The pairs of two ASCII characters again, by index (a << 7 | b):
     * most of any Latin text, looked up without hashing (kerns). Written
     * with the table, by rc_shape_put_pair only. A pair not known yet is
     * all zero bits; a known kerning of zero is kept as -0.0f (read
     * through ascii_pair), so no second 16 KiB table says which are known
     * (4 pages a face). */
    float *akern;
    rc_glyph_cache glyphs;
    /* The nominal advances of ASCII characters, asked of adv_of once each
     * (aadv_ok): measuring a word summed them through the callback, one
     * call and a page lookup per character (0.7 M instructions of the
     * sample). The same doubles adv_of returns, so the sums are unchanged. */
    double aadv[128];
    bool aadv_ok[128];
    hb_position_t hadv[128]; /* ... and their glyphs' advances in font units */
    bool hadv_ok[128];
    /* Tests only: false makes kerns and measure take the general path
     * (decode, then look each pair up), which the ASCII fast path must
     * agree with bit for bit (rc_shaper_set_fast). */
    bool slow;
    float *scratch; /* rc_shaper_kerning's result */
    size_t nscratch;
    uint32_t *cps; /* decoded text, with byte offsets */
    size_t *offs;
    size_t ncps, ncount; /* capacity, characters decoded */
    /* ligatures (lig false: the font has no 'liga' lookups); their plan is
     * made when a text is first shaped with them */
    bool lig;
    hb_shape_plan_t *lplan;
    uint32_t *lin; /* input glyphs of the 'liga' lookups, ascending */
    size_t nlin;
    uint32_t *lpairs; /* ... pairs of them substituted (g1 << 16 | g2), ascending;
                       * NULL: every pair of inputs */
    size_t nlpairs;
    bool afirst[128]; /* ASCII characters first in such a pair */
    /* ASCII pairs: 0 not known, 1 no, 2 a pair; a row of 128 per first
     * character, made on first use: only characters of afirst ask (one or
     * two of a Latin font), where a whole 16 KiB table was written */
    uint8_t *apair[128];
    uint8_t ainput[128];                      /* ASCII: 0 not classified, 1 no, 2 an input */
    rc_cp_bits lbits;                         /* the rest of the BMP: classified, an input */
    uint16_t ligg[RC_SHAPE_MAXLIG + 1];       /* code -> ligature glyph (ascending), 0 unused */
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
    /* texts shown by a PDF's last build (shape_disk.c; NULL: none), this
     * face's entries under its place among the faces */
    struct rc_zmemo *disk;
    uint8_t disk_face;
    /* counts the files attached: a text shown under an earlier one (an
     * edition set before by the same fonts) is looked up in the current
     * file too when shown again, so that each file holds what its PDF
     * shows whichever editions came first (rc_shape_disk_touch) */
    unsigned disk_epoch;
    /* the pages kept in disk (shape_page.c; NULL: none), whose texts are
     * looked up when one is not found there alone */
    rc_shown_page *spage;
};

/* The features of both shaping plans: every substitution and mark feature
 * off, kerning on, and standard ligatures as the plan says. */
/* clang-format off */
#define RC_FEAT(a, b, c, d, on) {HB_TAG(a, b, c, d), on, 0, (unsigned)-1}
#define RC_FEATS(liga)                                                                            \
    {RC_FEAT('l', 'i', 'g', 'a', liga), RC_FEAT('c', 'l', 'i', 'g', 0),                          \
     RC_FEAT('c', 'a', 'l', 't', 0),    RC_FEAT('c', 'c', 'm', 'p', 0),                          \
     RC_FEAT('l', 'o', 'c', 'l', 0),    RC_FEAT('r', 'l', 'i', 'g', 0),                          \
     RC_FEAT('r', 'c', 'l', 't', 0),    RC_FEAT('m', 'a', 'r', 'k', 0),                          \
     RC_FEAT('m', 'k', 'm', 'k', 0),    RC_FEAT('k', 'e', 'r', 'n', 1)}
/* clang-format on */

/* The longest text the shaper keeps (its tables, the shown file): a
 * byte's index in it fits a byte. Longer texts are shaped each time
 * (rarely repeated). Was 64: the Spanish and Portuguese titles (69-71
 * bytes, measured on every build) were then shaped on every build, and
 * loaded HarfBuzz for it (rc/libs.h). */
#define RC_SHAPE_KEEP_MAX 255

/* A text of 2..RC_SHAPE_KEEP_MAX bytes shown by the last build of the PDF (shape_disk.c):
 * its kerning and codes into *kern and *lig (in the shaper's arena; NULL:
 * none), the characters its ligature codes stand for taken as shaping
 * them would; false when the file has not got it (or it disagrees with a
 * code's characters seen already). */
bool rc_shape_disk_get(rc_shaper *s, const char *p, size_t n, const float **kern,
                       const uint8_t **lig);
/* A text shown already, under an earlier file: looked up in the current
 * one (marking it used) or kept there. */
void rc_shape_disk_touch(rc_shaper *s, shown *e);
/* Keeps the text in the file unless the file has it (then marked used), as
 * rc_shape_disk_put. */
void rc_shape_disk_keep(rc_shaper *s, const char *p, size_t n, const float *kern,
                        const uint8_t *lig);
/* Whether s's texts shown go to a page kept whole (shape_page.c): a page
 * is being shaped text by text, and what is shaped is not kept alone
 * (its page's pair holds it; a page that does not fit keeps its texts
 * alone at its end). */
bool rc_shape_page_open(const rc_shaper *s);
/* Keeps what rc_shaper_run found for a text of 2..RC_SHAPE_KEEP_MAX bytes in the file;
 * nothing while its page is open (rc_shape_page_open: the page's pair
 * holds it; the shown entry is marked held, kept alone when shown again
 * on a page that is not). */
void rc_shape_disk_put(rc_shaper *s, const char *p, size_t n, const float *kern,
                       const uint8_t *lig);
/* The same for a string of 2..RC_SHAPE_KEEP_MAX bytes measured (rc_shaper_width) by the
 * last build: its width, plain and kerning into *m (the kerning in the
 * shaper's arena); false when the file has not got it. */
bool rc_shape_disk_get_width(rc_shaper *s, const char *p, size_t n, measured *m);
/* A string measured already, under an earlier file: looked up in the
 * current one (marking it used) or kept there. */
void rc_shape_disk_touch_width(rc_shaper *s, measured *m);
/* Keeps a string of 2..RC_SHAPE_KEEP_MAX bytes measured in the file. */
void rc_shape_disk_put_width(rc_shaper *s, const char *p, size_t n, const measured *m);

static inline uint64_t pkey(uint32_t a, uint32_t b)
{
    return ((uint64_t)a << 32 | b) + 1;
}

/* Whether the ASCII pair at index i of s->akern is known, and then its
 * kerning in *k (+ 0.0f turns the -0.0f of a known zero into 0, and
 * nothing else); one load of the entry. */
static inline bool ascii_pair(const rc_shaper *s, unsigned i, float *k)
{
    float v = s->akern[i];
    uint32_t u;
    memcpy(&u, &v, sizeof u);
    if (!u) return false;
    *k = v + 0.0f;
    return true;
}

/* The nominal advance of cp (adv_of(font, cp)), from the shaper's ASCII
 * table when cp < 128. */
static inline double rc_shape_adv(rc_shaper *s, uint32_t cp,
                                  double (*adv_of)(const void *, uint32_t), const void *font)
{
    if (cp >= 128) return adv_of(font, cp);
    if (!s->aadv_ok[cp]) {
        s->aadv[cp] = adv_of(font, cp);
        s->aadv_ok[cp] = true;
    }
    return s->aadv[cp];
}

/* Makes s's HarfBuzz objects (the font's, loading HarfBuzz: rc_font_hb),
 * once; every path that shapes calls it first. */
void rc_shape_hb(rc_shaper *s);

/* cp's glyph into *g: from the font's pages (rc_font_glyph) for a shaper
 * of a font, else asked of HarfBuzz through the shaper's cache; false
 * when the font has none. */
static inline bool rc_shape_glyph(rc_shaper *s, uint32_t cp, hb_codepoint_t *g)
{
    if (s->rf) {
        *g = rc_font_glyph(s->rf, cp);
        return *g != 0;
    }
    return rc_glyph_of(&s->glyphs, s->font, cp, g);
}

/* Shared by shape.c and shape_lig.c (see there). */
pair *rc_shape_pair_slot(pair *v, size_t cap, uint64_t key);
void rc_shape_put_pair(rc_shaper *s, uint32_t a, uint32_t b, float kern);
/* Makes the kerning plan and the kerning table, once (planned). */
void rc_shape_plan(rc_shaper *s);
size_t rc_shape_decode(rc_shaper *s, const char *p, size_t n);
void rc_shape_learn(rc_shaper *s, const char *p, size_t n, size_t c0, size_t c1,
                    double (*adv_of)(const void *, uint32_t), const void *font);
bool rc_shape_read_pair(rc_shaper *s, uint32_t a, uint32_t b,
                        double (*adv_of)(const void *, uint32_t), const void *font);
/* shape_lig.c: the font's ligatures (NULL lplan: none), and the whole
 * shaping of a string that sets one (NULL otherwise; e receives a short
 * string's result) */
void rc_shape_setup_ligatures(rc_shaper *s);
/* Whether code point cp takes no part in any ligature of the font. */
bool rc_shape_lig_inert(rc_shaper *s, uint32_t cp);
const full *rc_shape_lig_word(rc_shaper *s, const char *p, size_t n,
                              double (*adv_of)(const void *, uint32_t), const void *font, full *e);

/* The slot of p[0..n) (hash h) in an open-addressed table of cap entries
 * of size bytes each, every entry beginning with a word (the word cache
 * and the ligature cache share this and table_grow). Inlined: every word
 * measured or shown looks itself up. */
static inline word *rc_shape_slot_in(void *v, size_t size, size_t cap, const char *p, size_t n,
                                     uint64_t h)
{
    size_t i = (size_t)(h ^ (h >> 29)) & (cap - 1);
    for (;;) {
        word *e = (word *)(void *)((char *)v + i * size);
        if (!e->key || (e->len == n && memcmp(e->key, p, n) == 0)) return e;
        i = (i + 1) & (cap - 1);
    }
}

/* Makes room for one more entry in a table of *cap entries holding *used
 * (kept at most three quarters full), moving the entries into a table twice
 * the size (first entries when there is none yet). Inlined: there mostly is
 * room. Three quarters, not half: the sample's body face (2,788 words) took
 * tables of 8,192 entries (256 KB each for the words and the shown
 * strings), and their pages cost more than the ~0.8 more slots a lookup
 * reads at that load (linear probing, neighbouring slots). */
static inline __attribute__((always_inline)) void *
table_grow(rc_arena *a, void *v, size_t *cap, size_t used, size_t size, size_t first)
{
    if (4 * (used + 1) <= 3 * *cap) return v;
    size_t nc = *cap ? 2 * *cap : first;
    char *nv = rc_arena_table(a, nc, size);
    for (size_t i = 0; i < *cap; i++) {
        const word *e = (const word *)(const void *)((const char *)v + i * size);
        if (e->key)
            memcpy(rc_shape_slot_in(nv, size, nc, e->key, e->len, rc_hash_short(e->key, e->len)), e,
                   size);
    }
    if (v) rc_arena_release(a, v); /* a block of its own (64 KiB and more): back to malloc */
    *cap = nc;
    return nv;
}

#endif
