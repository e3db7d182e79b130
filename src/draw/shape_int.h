/* shape_int: the HarfBuzz shaper behind rc_font_text_width and
 * rc_font_kerning (shape.c), internal to the draw stage. */
#ifndef RC_SHAPE_INT_H
#define RC_SHAPE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rc/arena.h"
#include "rc/font.h"
#include "rc/hb_lib.h"

#define RC_SHAPE_MAXLIG RC_FONT_MAXLIG
#define RC_SHAPE_HIDDEN RC_FONT_LIG_HIDDEN

typedef struct rc_shaper rc_shaper;

/* A shaper for the HarfBuzz font (referenced, at scale upem); NULL when
 * it cannot take it. Released with the arena. */
rc_shaper *rc_shaper_new(rc_arena *a, hb_font_t *font, unsigned upem);
/* The same for font f (font.c), its HarfBuzz objects asked for
 * (rc_font_hb) only when a text must be shaped, its glyphs taken from
 * f's pages and its ligature setup from f's kept facts when they have it
 * (rc_font_lig_facts; else worked out and given to f). */
rc_shaper *rc_shaper_new_font(rc_arena *a, const rc_font *f, unsigned upem);
/* font.c's side of that: f's HarfBuzz font, made (and HarfBuzz loaded,
 * rc_hb_lib_need) the first time; the ligature setup kept with f's facts
 * by an earlier build (NULL: none), and the setup to keep. */
hb_font_t *rc_font_hb(const rc_font *f);
const unsigned char *rc_font_lig_facts(const rc_font *f, size_t *n);
void rc_font_set_lig_facts(const rc_font *f, const void *p, size_t n);
/* Width of UTF-8 text in 1/1000 em, kerning included; adv_of(font, cp)
 * gives a character's nominal advance. Pair kerning is cached per face. */
double rc_shaper_width(rc_shaper *s, const char *p, size_t n,
                       double (*adv_of)(const void *, uint32_t), const void *font);
/* The same, not kept in the shaper's file (rc_fonts_keep_shown): a
 * paragraph's words, which the next build asks again only when the
 * paragraphs' file has not got their lines. */
double rc_shaper_width_unkept(rc_shaper *s, const char *p, size_t n,
                              double (*adv_of)(const void *, uint32_t), const void *font);
/* Per-byte advance changes (1/1000 em) at each character's first byte, or
 * NULL when the text has no kerning. Valid until the next call. */
const float *rc_shaper_kerning(rc_shaper *s, const char *p, size_t n,
                               double (*adv_of)(const void *, uint32_t), const void *font);
/* The text as shown: *kern as rc_shaper_kerning, *lig the per-byte
 * ligature codes of rc_font_shaped (NULL: none); kern may be NULL (not
 * wanted). Valid until the next call. */
void rc_shaper_run(rc_shaper *s, const char *p, size_t n, double (*adv_of)(const void *, uint32_t),
                   const void *font, const float **kern, const uint8_t **lig);
/* Texts shown from now on are looked up in z first and kept there
 * (shape_disk.c), under the face's place face; NULL z: no more. */
struct rc_zmemo;
void rc_shaper_set_disk(rc_shaper *s, struct rc_zmemo *z, unsigned face);
/* A text of 2..RC_SHAPE_KEEP_MAX bytes (shape_impl.h) that s's file (rc_shaper_set_disk) holds only
 * among the texts of a page it kept (shape_page.c, when s's font is
 * given its pages: rc_font_set_pages): as rc_shape_disk_get (shape_impl.h)
 * gives one kept alone. */
bool rc_shape_page_index_get(rc_shaper *s, const char *p, size_t n, const float **kern,
                             const uint8_t **lig);
/* shape_page.c's view of a font (font.c): the file its shown texts are
 * kept in (NULL: none; *face set to the place they are kept under when
 * face is not NULL); its shaper (made when first asked for; NULL for a
 * font HarfBuzz cannot shape with); and the pages kept in that file, for
 * its shaper's lookups (NULL: none from now on). */
struct rc_zmemo *rc_font_shown_file(const rc_font *f, unsigned *face);
rc_shaper *rc_font_shaper(const rc_font *f);
void rc_font_set_pages(const rc_font *f, rc_shown_page *pg);
void rc_shaper_set_pages(rc_shaper *s, rc_shown_page *pg);
/* Ligature code -> glyph and the characters it stands for; false for a
 * code not set so far. */
bool rc_shaper_ligature(const rc_shaper *s, unsigned code, uint16_t *glyph, const char **text);
/* Takes t[0..n) as code's characters when it has none (rc_font_ligature_take). */
bool rc_shaper_ligature_take(rc_shaper *s, unsigned code, const char *t, size_t n);

/* The nominal glyphs of the first 256 code points, each asked of HarfBuzz
 * once: hb_font_get_nominal_glyph is ~185 instructions a call, and the
 * shaper and the kerning table asked it for every character they looked
 * at (2 M instructions of the sample). Set every entry to -1 first. */
typedef struct rc_glyph_cache {
    int32_t g[256]; /* -1: not asked yet, -2: no glyph */
} rc_glyph_cache;
/* hb_font_get_nominal_glyph(font, cp, g) through the cache. */
static inline bool rc_glyph_of(rc_glyph_cache *c, hb_font_t *font, uint32_t cp, hb_codepoint_t *g)
{
    if (cp >= 256) return hb_font_get_nominal_glyph(font, cp, g);
    if (c->g[cp] == -1) {
        hb_codepoint_t x = 0;
        c->g[cp] = hb_font_get_nominal_glyph(font, cp, &x) && x <= INT32_MAX ? (int32_t)x : -2;
    }
    *g = c->g[cp] >= 0 ? (hb_codepoint_t)c->g[cp] : 0;
    return c->g[cp] >= 0;
}

/* What a shaper learns once per code point of the Basic Multilingual
 * Plane (two bits: asked yet, and the answer), in chunks of 2,048 code
 * points made on first use. Whole 8 KiB bitsets (two for the kern
 * table's plain characters, two for the ligature inputs: 32 KiB, 8 pages
 * a face) were written by the arena when handed out, for text that asks
 * about a few hundred code points in one or two chunks (Latin,
 * punctuation). */
typedef struct rc_cp_bits {
    uint8_t *chunk[32]; /* 256 bytes "asked", then 256 bytes "yes" */
} rc_cp_bits;
/* The byte holding cp's bits (cp <= 0xFFFF), its chunk made when new;
 * bit = 1 << (cp & 7); the "yes" byte is at [256]. */
static inline uint8_t *rc_cp_bits_at(rc_arena *a, rc_cp_bits *b, uint32_t cp)
{
    uint8_t **c = &b->chunk[cp >> 11];
    if (!*c) *c = rc_arena_alloc(a, 512);
    return *c + (cp >> 3 & 255);
}

/* A face's pair kerning read from its GPOS table (shape_gpos.c), for the
 * shaper with plan; NULL when plan positions with more than GPOS pair
 * adjustments it reads exactly as HarfBuzz applies them. */
typedef struct rc_kern_table rc_kern_table;
rc_kern_table *rc_kern_table_new(rc_arena *a, hb_font_t *font, hb_shape_plan_t *plan);
/* The adjustment HarfBuzz makes to cp1's advance (font units) when cp2
 * follows it, and cp1's glyph; false when the pair must be shaped (a
 * character HarfBuzz may set otherwise than one glyph of its own). */
bool rc_kern_table_pair(rc_kern_table *t, uint32_t cp1, uint32_t cp2, int *units,
                        hb_codepoint_t *g1);

/* The pairs of glyphs (g1 << 16 | g2) that hb_ot_layout_lookup_would_substitute
 * finds for two glyphs in the GSUB lookups listed, read from the table
 * (shape_lig.c); false when a lookup is not a ligature substitution or the
 * table cannot be read (pairs is then unspecified). */
bool rc_shape_read_lig_pairs(hb_face_t *face, const hb_set_t *lookups, hb_set_t *pairs);

/* For tests: the shaper's kerning table (NULL: none), and the adjustment
 * HarfBuzz makes to cp1's advance when cp2 follows, shaping the two with
 * the shaper's plan; false when they are not set one glyph each. */
rc_kern_table *rc_shaper_kern_table(rc_shaper *s);
/* For tests: fast false makes the shaper measure every string the general
 * way (decode it, look each pair up), as the reference for the fast paths. */
void rc_shaper_set_fast(rc_shaper *s, bool fast);
bool rc_shaper_hb_pair(rc_shaper *s, uint32_t cp1, uint32_t cp2, int *units);

#endif
