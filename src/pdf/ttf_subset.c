/* ttf_subset: a reduced copy of a TrueType font for the PDF back end, made
 * by HarfBuzz's subsetter (hb-subset).
 *
 * libharu 2.3.0 builds a CID font from every code point the font's cmap
 * maps: CIDFontType2_New looks up all 65,536 codes of its UTF-8 encoder, each
 * lookup a linear scan of the format-4 segments (hundreds in Lato). Given a
 * copy whose cmap maps only the code points the document shows, that work
 * shrinks to a few segments. The copy keeps only the tables libharu reads or
 * embeds (no GPOS, GSUB, kern, ...) and only the outlines the shown codes
 * need (their glyphs and the components of composite ones, plus glyph 0),
 * renumbered from 0 in the original's order: the PDF reaches glyphs only
 * through this copy's cmap (libharu's CIDToGIDMap and widths are read from
 * it) and shows kerning as TJ numbers, so no original glyph id is needed,
 * and with the 3,026 glyphs of a Lato face retained (as before), libharu
 * read 3,026 widths and loca entries per face and the copy carried them:
 * renumbered, the sample's PDF stage does 9 M instructions less. The copy
 * is small enough to embed as it is. hb-subset writes the
 * tables as the OpenType spec asks (aligned, padded, checksummed). Its cmap
 * is then replaced by one written here (hb_face_builder puts the file back
 * together): a single (3,1) format-4 subtable in a few glyph-array
 * segments, which also maps the ligature codes 1..31 (font.h) to their
 * glyphs, kept in the subset although no character maps to them.
 *
 * What is checked here, since libharu trusts the file: the input is
 * TrueType with the tables libharu fails without, and the copy maps every
 * requested code to the new id of the original's glyph (hb-subset's
 * mapping), with the original's advance (rc_ttf_glyph reads the (3,1)
 * format-4 cmap exactly as libharu does). Anything else is refused and the
 * caller embeds the original. */
#include <string.h>

#include "rc/hb_lib.h"
#include "rc/pdf.h"

/* The tables libharu 2.3.0 reads or embeds (REQUIRED_TAGS in
 * hpdf_fontdef_tt.c), in tag order, which is also the directory order. */
#define NKEEP 13
static const char KEEP[NKEEP][5] = {"OS/2", "cmap", "cvt ", "fpgm", "glyf", "head", "hhea",
                                    "hmtx", "loca", "maxp", "name", "post", "prep"};
/* Of those, the ones its loader fails without, with their minimum sizes. */
static const struct {
    const char *tag;
    uint32_t min;
} NEED[] = {{"OS/2", 78}, {"cmap", 4}, {"glyf", 0}, {"head", 54}, {"hhea", 36},
            {"hmtx", 0},  {"loca", 0}, {"maxp", 6}, {"name", 6}};

typedef struct table {
    const unsigned char *data;
    uint32_t len;
} table;

static uint16_t u16(const unsigned char *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t u32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Locates a table by tag; false when absent or outside the file. */
static bool find_table(const unsigned char *f, size_t len, const char *tag, table *t)
{
    if (len < 12) return false;
    size_t n = u16(f + 4);
    if (12 + 16 * n > len) return false;
    for (size_t i = 0; i < n; i++) {
        const unsigned char *rec = f + 12 + 16 * i;
        if (memcmp(rec, tag, 4) != 0) continue;
        uint32_t off = u32(rec + 8), l = u32(rec + 12);
        if (off > len || l > len - off) return false;
        t->data = f + off;
        t->len = l;
        return true;
    }
    return false;
}

/* The (3,1) format-4 subtable, as libharu reads it. */
typedef struct cmap4 {
    const unsigned char *end, *start, *delta, *ro, *gids;
    size_t nseg, ngids;
} cmap4;

static bool find_cmap4(const unsigned char *f, size_t len, cmap4 *c)
{
    table t;
    if (!find_table(f, len, "cmap", &t) || t.len < 4 || u16(t.data) != 0) return false;
    size_t n = u16(t.data + 2);
    if (4 + 8 * n > t.len) return false;
    for (size_t i = 0; i < n; i++) {
        const unsigned char *rec = t.data + 4 + 8 * i;
        uint32_t off = u32(rec + 4);
        if (u16(rec) != 3 || u16(rec + 2) != 1 || off > t.len || t.len - off < 14) continue;
        const unsigned char *sub = t.data + off;
        if (u16(sub) != 4) continue; /* libharu takes the first (3,1) in format 4 */
        size_t avail = t.len - off, length = u16(sub + 2), nseg = u16(sub + 6) / 2;
        size_t head = 16 + 8 * nseg;
        if (nseg == 0 || head > avail) return false;
        c->nseg = nseg;
        c->end = sub + 14;
        c->start = c->end + 2 * nseg + 2;
        c->delta = c->start + 2 * nseg;
        c->ro = c->delta + 2 * nseg;
        c->gids = c->ro + 2 * nseg;
        /* libharu sizes the glyph id array from the length field; never
         * read past the table, though */
        size_t ng = length > head ? (length - head) / 2 : 0, room = (avail - head) / 2;
        c->ngids = ng < room ? ng : room;
        return true;
    }
    return false;
}

/* HPDF_TTFontDef_GetGlyphid: the first segment whose end is >= cp; the
 * delta is added to a glyph array entry even when that entry is 0. */
static uint16_t lookup(const cmap4 *c, uint32_t cp)
{
    if (cp > 0xFFFF) return 0;
    size_t i = 0;
    while (i < c->nseg && cp > u16(c->end + 2 * i))
        i++;
    if (i == c->nseg) return 0;
    uint16_t start = u16(c->start + 2 * i), ro = u16(c->ro + 2 * i);
    uint16_t delta = u16(c->delta + 2 * i);
    if (start > cp) return 0;
    if (ro == 0) return (uint16_t)(cp + delta);
    size_t idx = ro / 2 + (cp - start);
    if (idx < c->nseg - i) return 0;
    idx -= c->nseg - i;
    if (idx >= c->ngids) return 0;
    return (uint16_t)(u16(c->gids + 2 * idx) + delta);
}

uint16_t rc_ttf_glyph(const unsigned char *font, size_t len, uint32_t cp)
{
    cmap4 c;
    return find_cmap4(font, len, &c) ? lookup(&c, cp) : 0;
}

/* The advance width of glyph g (hhea's numberOfHMetrics, hmtx), or -1
 * when the tables do not hold it. */
static long advance(const unsigned char *f, size_t len, uint16_t g)
{
    table hhea, hmtx;
    if (!find_table(f, len, "hhea", &hhea) || hhea.len < 36 || !find_table(f, len, "hmtx", &hmtx))
        return -1;
    size_t nh = u16(hhea.data + 34);
    size_t at = 4 * (g < nh ? g : nh - 1);
    if (nh == 0 || at + 2 > hmtx.len) return -1;
    return u16(hmtx.data + at);
}

/* The tables of the copy: what libharu 2.3.0 reads or embeds
 * (REQUIRED_TAGS in hpdf_fontdef_tt.c); every other table is dropped. */
static bool kept(hb_tag_t t)
{
    for (size_t i = 0; i < NKEEP; i++)
        if (t == HB_TAG(KEEP[i][0], KEEP[i][1], KEEP[i][2], KEEP[i][3])) return true;
    return false;
}

/* True when the file is one libharu can load: TrueType outlines, the
 * tables its loader fails without at their minimum sizes, and the (3,1)
 * format-4 cmap it reads. */
static bool loadable(const unsigned char *f, size_t len)
{
    if (len < 12 || (u32(f) != 0x00010000u && u32(f) != 0x74727565u)) return false;
    for (size_t i = 0; i < sizeof NEED / sizeof NEED[0]; i++) {
        table t;
        if (!find_table(f, len, NEED[i].tag, &t) || t.len < NEED[i].min) return false;
    }
    cmap4 c;
    return find_cmap4(f, len, &c);
}

static void destroy(hb_blob_t *blob, hb_face_t *face, hb_subset_input_t *in, hb_face_t *sub,
                    hb_blob_t *res)
{
    hb_blob_destroy(res);
    hb_face_destroy(sub);
    hb_subset_input_destroy(in);
    hb_face_destroy(face);
    hb_blob_destroy(blob);
}

/* --- the cmap of the copy ------------------------------------------------ */

/* Codes closer than this share a segment (the glyph array holds zeros for
 * the codes between): libharu's lookup walks the segments in order for
 * every one of the 65,536 codes, so fewer segments is what counts. */
#define GAP 64

static void put16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)(v >> 8);
    p[1] = (unsigned char)v;
}

/* A cmap table with one (3,1) format-4 subtable mapping code[i] -> gid[i]
 * (ascending codes <= 0xFFFE, gids != 0) with glyph-array segments; NULL
 * when it does not fit in format 4's 16-bit length. */
static unsigned char *make_cmap(rc_arena *a, const uint32_t *code, const uint16_t *gid, size_t n,
                                size_t *len)
{
    size_t nseg = 1, nglyph = 0; /* the final 0xFFFF segment */
    for (size_t i = 0; i < n; i++) {
        if (i == 0 || code[i] - code[i - 1] > GAP) nseg++;
        nglyph += i == 0 || code[i] - code[i - 1] > GAP ? 1 : code[i] - code[i - 1];
    }
    size_t sub = 16 + 8 * nseg + 2 * nglyph;
    if (sub > 0xFFFF || nseg > 0x7FFF) return NULL;
    unsigned char *t = rc_arena_alloc(a, 12 + sub), *f = t + 12;
    put16(t + 2, 1); /* version 0, one subtable */
    put16(t + 4, 3); /* Windows */
    put16(t + 6, 1); /* Unicode BMP */
    t[11] = 12;      /* at offset 12 */
    put16(f, 4);
    put16(f + 2, (unsigned)sub);
    put16(f + 6, (unsigned)(2 * nseg));
    unsigned pow = 1, lg = 0;
    while (2 * pow <= nseg) {
        pow *= 2;
        lg++;
    }
    put16(f + 8, 2 * pow);
    put16(f + 10, lg);
    put16(f + 12, (unsigned)(2 * nseg - 2 * pow));
    unsigned char *end = f + 14, *start = end + 2 * nseg + 2, *delta = start + 2 * nseg,
                  *ro = delta + 2 * nseg, *arr = ro + 2 * nseg;
    size_t seg = 0, g = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && code[j] - code[j - 1] <= GAP)
            j++;
        put16(start + 2 * seg, code[i]);
        put16(end + 2 * seg, code[j - 1]);
        put16(ro + 2 * seg, (unsigned)(2 * (nseg - seg) + 2 * g));
        for (size_t k = i; k < j; k++)
            put16(arr + 2 * (g + code[k] - code[i]), gid[k]);
        g += code[j - 1] - code[i] + 1;
        seg++;
        i = j;
    }
    put16(start + 2 * seg, 0xFFFF);
    put16(end + 2 * seg, 0xFFFF);
    put16(delta + 2 * seg, 1);
    *len = 12 + sub;
    return t;
}

/* The subset face sub with its cmap replaced by cmap[0..clen), as one
 * font file (hb_face_builder: directory, alignment, checksums). */
static hb_blob_t *with_cmap(hb_face_t *sub, const unsigned char *cmap, size_t clen)
{
    hb_face_t *b = hb_face_builder_create();
    hb_tag_t tags[64];
    for (unsigned at = 0;;) {
        unsigned count = 64;
        hb_face_get_table_tags(sub, at, &count, tags);
        for (unsigned i = 0; i < count; i++) {
            hb_blob_t *t = tags[i] == HB_TAG('c', 'm', 'a', 'p')
                               ? hb_blob_create((const char *)cmap, (unsigned)clen,
                                                HB_MEMORY_MODE_READONLY, NULL, NULL)
                               : hb_face_reference_table(sub, tags[i]);
            hb_face_builder_add_table(b, tags[i], t);
            hb_blob_destroy(t);
        }
        if (count < 64) break;
        at += count;
    }
    hb_blob_t *res = hb_face_reference_blob(b);
    hb_face_destroy(b);
    return res;
}

rc_status rc_ttf_reduce(rc_arena *a, const unsigned char *font, size_t len, const uint32_t *codes,
                        size_t n, unsigned char **out, size_t *out_len)
{
    return rc_ttf_reduce_lig(a, font, len, codes, n, NULL, out, out_len);
}

rc_status rc_ttf_reduce_lig(rc_arena *a, const unsigned char *font, size_t len,
                            const uint32_t *codes, size_t n, const uint16_t lig[32],
                            unsigned char **out, size_t *out_len)
{
    *out = NULL;
    *out_len = 0;
    if (!font || !loadable(font, len) || len > 0x7FFFFFFF) return RC_ERR_DATA;
    /* the mapping the copy must have: the original's, ligature codes apart */
    uint32_t *mc = rc_arena_array(a, n ? n : 1, sizeof *mc);
    uint16_t *mg = rc_arena_array(a, n ? n : 1, sizeof *mg);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        uint16_t g = codes[i] < 32 && lig && lig[codes[i]] ? lig[codes[i]]
                     : codes[i] <= 0xFFFE                  ? rc_ttf_glyph(font, len, codes[i])
                                                           : 0;
        if (g) {
            mc[m] = codes[i];
            mg[m++] = g;
        }
    }
    if (!m) return RC_ERR_DATA;
    /* (loaded already by the fonts of a build: rc/hb_lib.h) */
    if (!rc_hb_lib_load(NULL)) return RC_ERR_LIBRARY;
    hb_blob_t *blob =
        hb_blob_create((const char *)font, (unsigned)len, HB_MEMORY_MODE_READONLY, NULL, NULL);
    hb_face_t *face = hb_face_create(blob, 0), *sub = NULL;
    hb_blob_t *res = NULL;
    hb_subset_input_t *in = hb_subset_input_create_or_fail();
    if (!in) {
        destroy(blob, face, in, sub, res);
        return RC_ERR_DATA;
    }
    hb_set_t *uni = hb_subset_input_unicode_set(in);
    for (size_t i = 0; i < n; i++)
        if (codes[i] <= 0xFFFF) hb_set_add(uni, codes[i]);
    hb_set_t *gl = hb_subset_input_glyph_set(in);
    for (size_t i = 0; i < m; i++) /* the ligature glyphs too (no cmap maps them) */
        hb_set_add(gl, mg[i]);
    hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NOTDEF_OUTLINE);
    hb_set_t *drop = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
    hb_tag_t tags[64];
    for (unsigned start = 0;;) {
        unsigned count = 64;
        hb_face_get_table_tags(face, start, &count, tags);
        for (unsigned i = 0; i < count; i++)
            if (!kept(tags[i])) hb_set_add(drop, tags[i]);
        if (count < 64) break;
        start += count;
    }
    hb_subset_plan_t *plan = hb_subset_plan_create_or_fail(face, in);
    sub = plan ? hb_subset_plan_execute_or_fail(plan) : NULL;
    /* the glyphs are numbered anew (.notdef, then the kept ones in the
     * original's order): the cmap written here maps to the new ids */
    const hb_map_t *renum = plan ? hb_subset_plan_old_to_new_glyph_mapping(plan) : NULL;
    uint16_t *ng = rc_arena_array(a, m, sizeof *ng);
    for (size_t i = 0; sub && i < m; i++) {
        hb_codepoint_t g = hb_map_get(renum, mg[i]);
        if (g == HB_MAP_VALUE_INVALID || g == 0 || g > 0xFFFF) {
            hb_face_destroy(sub);
            sub = NULL;
        } else {
            ng[i] = (uint16_t)g;
        }
    }
    size_t clen = 0;
    unsigned char *cmap = sub ? make_cmap(a, mc, ng, m, &clen) : NULL;
    if (!cmap && sub) {
        hb_face_destroy(sub);
        sub = NULL;
    }
    if (sub) { /* a subset face lists no tables (HarfBuzz 6): read its file */
        hb_blob_t *file = hb_face_reference_blob(sub);
        hb_face_t *copy = hb_face_create(file, 0);
        res = with_cmap(copy, cmap, clen);
        hb_face_destroy(copy);
        hb_blob_destroy(file);
    }
    unsigned rlen = 0;
    const char *data = res ? hb_blob_get_data(res, &rlen) : NULL;
    bool ok = data && rlen > 0 && loadable((const unsigned char *)data, rlen);
    /* the glyph libharu will find for every code: the renumbered one of the
     * original's (mc is codes without the unmapped ones, in order), with
     * the original's advance */
    const unsigned char *d = (const unsigned char *)data;
    for (size_t i = 0, j = 0; ok && i < n; i++) {
        bool mapped = j < m && mc[j] == codes[i];
        uint16_t g = rc_ttf_glyph(d, rlen, codes[i]);
        ok = mapped ? g == ng[j] && advance(d, rlen, g) == advance(font, len, mg[j]) : g == 0;
        j += mapped;
    }
    if (ok) {
        *out = rc_arena_alloc(a, rlen);
        memcpy(*out, data, rlen);
        *out_len = rlen;
    }
    hb_subset_plan_destroy(plan);
    destroy(blob, face, in, sub, res);
    return ok ? RC_OK : RC_ERR_DATA;
}
