/* ttf_subset: a reduced copy of a TrueType font for the PDF back end.
 *
 * libharu 2.3.0 builds a CID font from every code point the font's cmap
 * maps: CIDFontType2_New looks up all 65,536 codes of its UTF-8 encoder, each
 * lookup a linear scan of the format-4 segments (hundreds in Lato). Given a
 * copy whose cmap maps only the code points the document shows, that work
 * shrinks to a few segments. The copy keeps only the tables libharu reads or
 * embeds (no GPOS, GSUB, kern, ...), and only the outlines the shown codes
 * need (their glyphs and the components of composite ones, plus glyph 0):
 * the others are left empty, with zero metrics, and the font ends after the
 * highest glyph kept. Glyph ids do not change, and the kept outlines and
 * metrics are the original bytes, so the CIDToGIDMap, the widths and the
 * pages mean what they meant; the copy is small enough to embed as it is.
 * The tables are laid out as the OpenType spec asks: 4-byte aligned, zero
 * padded, checksums and head.checkSumAdjustment recomputed. */
#include <string.h>

#include "rc/pdf.h"

/* The tables libharu 2.3.0 reads or embeds (REQUIRED_TAGS in
 * hpdf_fontdef_tt.c), in tag order, which is also the directory order. */
#define NKEEP 13
static const char KEEP[NKEEP][5] = {"OS/2", "cmap", "cvt ", "fpgm", "glyf", "head", "hhea",
                                    "hmtx", "loca", "maxp", "name", "post", "prep"};
/* Indexes into KEEP of the tables rebuilt here. */
enum { T_CMAP = 1, T_GLYF = 4, T_HEAD = 5, T_HHEA = 6, T_HMTX = 7, T_LOCA = 8, T_MAXP = 9 };
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

static void put16(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 8);
    p[1] = (unsigned char)v;
}

static void put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

static uint32_t pad4(uint32_t n)
{
    return (n + 3u) & ~3u;
}

/* Sum of the big-endian 32-bit words of p[0..n), n a multiple of 4. */
static uint32_t checksum(const unsigned char *p, size_t n)
{
    uint32_t s = 0;
    for (size_t i = 0; i < n; i += 4)
        s += u32(p + i);
    return s;
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

typedef struct seg {
    uint32_t start, end; /* codes */
    uint16_t delta;      /* idDelta; 0 with a glyph array */
    size_t first, count; /* the segment's entries in the glyph array */
} seg;

/* Segments for the shown codes that have a glyph (mapped[0..m) as (code,
 * glyph) pairs): a run of more than gap codes without a glyph starts a new
 * segment; a segment whose codes are consecutive with consecutive glyph ids
 * is a plain idDelta segment, any other one gets a glyph array entry per
 * code (0 for the codes in between, which stay unmapped). libharu looks up
 * each of 65,536 codes by a linear scan of the segments, so a few segments
 * matter more than a few kilobytes of zeros. Returns the segment count,
 * with the closing 0xFFFF segment, and the glyph array length in *ngids. */
static size_t segments(const uint32_t (*mapped)[2], size_t m, uint32_t gap, seg *s, size_t *ngids)
{
    size_t ns = 0, ng = 0;
    for (size_t i = 0; i < m;) {
        size_t j = i + 1;
        bool run = true;
        while (j < m && mapped[j][0] - mapped[j - 1][0] - 1 <= gap) {
            run = run && mapped[j][0] == mapped[j - 1][0] + 1 &&
                  mapped[j][1] - mapped[j][0] == mapped[i][1] - mapped[i][0];
            j++;
        }
        seg g = {mapped[i][0], mapped[j - 1][0], 0, ng, 0};
        if (run)
            g.delta = (uint16_t)(mapped[i][1] - mapped[i][0]);
        else
            g.count = g.end - g.start + 1;
        ng += g.count;
        s[ns++] = g;
        i = j;
    }
    if (ns == 0 || s[ns - 1].end != 0xFFFF) s[ns++] = (seg){0xFFFF, 0xFFFF, 1, ng, 0};
    *ngids = ng;
    return ns;
}

/* A cmap with one (3,1) format-4 subtable mapping exactly the shown codes
 * that have a glyph in the original, to the same glyph ids. NULL when they
 * need a subtable larger than the format allows (thousands of scattered
 * codes). */
static unsigned char *new_cmap(rc_arena *a, const cmap4 *orig, const uint32_t *codes, size_t n,
                               uint32_t *len)
{
    uint32_t(*mapped)[2] = rc_arena_array(a, n ? n : 1, sizeof *mapped);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        uint16_t g = codes[i] <= 0xFFFF ? lookup(orig, codes[i]) : 0;
        if (g == 0) continue; /* not in the font: maps to 0 anyway */
        mapped[m][0] = codes[i];
        mapped[m][1] = g;
        m++;
    }
    seg *s = rc_arena_array(a, m + 1, sizeof *s);
    size_t ns = 0, ng = 0;
    static const uint32_t gaps[] = {256, 0};
    for (size_t k = 0; k < sizeof gaps / sizeof gaps[0]; k++) {
        ns = segments((const uint32_t(*)[2])mapped, m, gaps[k], s, &ng);
        if (16 + 8 * ns + 2 * ng <= 65535) break;
        ns = 0;
    }
    if (ns == 0) return NULL;
    uint32_t sublen = (uint32_t)(16 + 8 * ns + 2 * ng);
    *len = 12 + sublen;
    /* zeroed; version 0, one encoding record: Windows (3), Unicode BMP (1),
     * its subtable right after it */
    unsigned char *t = rc_arena_alloc(a, pad4(*len));
    put16(t + 2, 1);
    put16(t + 4, 3);
    put16(t + 6, 1);
    put32(t + 8, 12);
    unsigned char *sub = t + 12;
    uint32_t pow = 1, log = 0;
    while (pow * 2 <= ns) {
        pow *= 2;
        log++;
    }
    put16(sub, 4);
    put16(sub + 2, sublen);
    put16(sub + 4, 0); /* language */
    put16(sub + 6, (uint32_t)(2 * ns));
    put16(sub + 8, 2 * pow);
    put16(sub + 10, log);
    put16(sub + 12, (uint32_t)(2 * ns) - 2 * pow);
    unsigned char *end = sub + 14, *start = end + 2 * ns + 2, *delta = start + 2 * ns;
    unsigned char *ro = delta + 2 * ns, *gids = ro + 2 * ns;
    for (size_t i = 0; i < ns; i++) {
        put16(end + 2 * i, s[i].end);
        put16(start + 2 * i, s[i].start);
        put16(delta + 2 * i, s[i].delta);
        /* from this idRangeOffset entry to the segment's first glyph id */
        if (s[i].count) put16(ro + 2 * i, (uint32_t)(2 * (ns - i + s[i].first)));
    }
    for (size_t i = 0, k = 0; i < m; i++) {
        while (mapped[i][0] > s[k].end)
            k++;
        if (s[k].count) put16(gids + 2 * (s[k].first + mapped[i][0] - s[k].start), mapped[i][1]);
    }
    return t;
}

/* The glyph tables cut down to what the shown codes need: glyph 0, the
 * glyphs the codes map to and, recursively, the components of composite
 * ones. Glyph ids do not change: the font ends after the highest kept id
 * (maxp.numGlyphs, hmtx and loca shortened; hhea.numberOfHMetrics if the
 * long metrics now cover every glyph), and the glyphs below it that are not
 * kept get an empty outline and zero metrics. The kept outlines and their
 * metrics are the original bytes. t[] holds the original tables on entry (by KEEP
 * index) and the rebuilt ones on success. */
static bool reduce_glyphs(rc_arena *a, table *t, const cmap4 *cm, const uint32_t *codes, size_t n)
{
    const unsigned char *loca = t[T_LOCA].data, *glyf = t[T_GLYF].data;
    int fmt = u16(t[T_HEAD].data + 50); /* indexToLocFormat */
    size_t ng = u16(t[T_MAXP].data + 4), nhm = u16(t[T_HHEA].data + 34);
    size_t lsz = fmt ? 4 : 2;
    if ((fmt != 0 && fmt != 1) || ng == 0 || nhm == 0 || nhm > ng ||
        t[T_HMTX].len < 4 * nhm + 2 * (ng - nhm) || t[T_LOCA].len < lsz * (ng + 1))
        return false;
    uint32_t *off = rc_arena_array(a, ng + 1, sizeof *off);
    for (size_t i = 0; i <= ng; i++) {
        off[i] = fmt ? u32(loca + 4 * i) : 2u * u16(loca + 2 * i);
        if (off[i] > t[T_GLYF].len || (i > 0 && off[i] < off[i - 1])) return false;
    }
    unsigned char *keep = rc_arena_alloc(a, ng);
    uint16_t *work = rc_arena_array(a, ng, sizeof *work);
    size_t nw = 0, top = 0;
    keep[0] = 1;
    work[nw++] = 0;
    for (size_t i = 0; i < n; i++) {
        uint16_t g = codes[i] <= 0xFFFF ? lookup(cm, codes[i]) : 0;
        if (g < ng && !keep[g]) {
            keep[g] = 1;
            work[nw++] = g;
        }
    }
    while (nw > 0) { /* components of composite glyphs (numberOfContours < 0) */
        uint16_t g = work[--nw];
        if (g > top) top = g;
        const unsigned char *d = glyf + off[g];
        size_t l = off[g + 1] - off[g], q = 10;
        if (l < 10 || !(d[0] & 0x80)) continue;
        uint16_t flags;
        do {
            if (q + 4 > l) break;
            flags = u16(d + q);
            uint16_t c = u16(d + q + 2);
            q += 4 + (flags & 1 ? 4 : 2);                                 /* the arguments */
            q += flags & 8 ? 2 : flags & 0x40 ? 4 : flags & 0x80 ? 8 : 0; /* the transform */
            if (c < ng && !keep[c]) {
                keep[c] = 1;
                work[nw++] = c;
            }
        } while (flags & 0x20); /* MORE_COMPONENTS */
    }
    size_t n2 = top + 1, nhm2 = nhm < n2 ? nhm : n2, glen = 0;
    for (size_t g = 0; g < n2; g++)
        if (keep[g]) glen += off[g + 1] - off[g];
    unsigned char *ng_glyf = rc_arena_alloc(a, glen ? glen : 1);
    unsigned char *ng_loca = rc_arena_alloc(a, lsz * (n2 + 1));
    uint32_t o = 0;
    for (size_t g = 0; g <= n2; g++) {
        if (fmt)
            put32(ng_loca + 4 * g, o);
        else
            put16(ng_loca + 2 * g, o / 2); /* lengths stay even: original offsets are */
        if (g < n2 && keep[g]) {
            memcpy(ng_glyf + o, glyf + off[g], off[g + 1] - off[g]);
            o += off[g + 1] - off[g];
        }
    }
    unsigned char *hhea = rc_arena_alloc(a, t[T_HHEA].len),
                  *maxp = rc_arena_alloc(a, t[T_MAXP].len);
    memcpy(hhea, t[T_HHEA].data, t[T_HHEA].len);
    memcpy(maxp, t[T_MAXP].data, t[T_MAXP].len);
    put16(hhea + 34, (uint32_t)nhm2);
    put16(maxp + 4, (uint32_t)n2);
    t[T_GLYF] = (table){ng_glyf, (uint32_t)glen};
    t[T_LOCA] = (table){ng_loca, (uint32_t)(lsz * (n2 + 1))};
    t[T_HHEA].data = hhea;
    t[T_MAXP].data = maxp;
    /* long metrics, then left side bearings, as in the original; zero for
     * the glyphs left empty (it makes the embedded copy cheaper to deflate) */
    uint32_t hlen = (uint32_t)(4 * nhm2 + 2 * (n2 - nhm2));
    unsigned char *hmtx = rc_arena_alloc(a, hlen);
    for (size_t g = 0; g < n2; g++) {
        if (!keep[g]) continue;
        if (g < nhm2)
            memcpy(hmtx + 4 * g, t[T_HMTX].data + 4 * g, 4);
        else
            memcpy(hmtx + 4 * nhm2 + 2 * (g - nhm2), t[T_HMTX].data + 4 * nhm2 + 2 * (g - nhm2), 2);
    }
    if (nhm2 < n2) /* trailing glyphs take the last long advance: keep it */
        memcpy(hmtx + 4 * (nhm2 - 1), t[T_HMTX].data + 4 * (nhm2 - 1), 2);
    t[T_HMTX] = (table){hmtx, hlen};
    return true;
}

rc_status rc_ttf_reduce(rc_arena *a, const unsigned char *font, size_t len, const uint32_t *codes,
                        size_t n, unsigned char **out, size_t *out_len)
{
    *out = NULL;
    *out_len = 0;
    if (len < 12) return RC_ERR_DATA;
    uint32_t version = u32(font);
    if (version != 0x00010000 && version != 0x74727565) /* TrueType outlines ('true') */
        return RC_ERR_DATA;
    for (size_t i = 0; i < sizeof NEED / sizeof NEED[0]; i++) {
        table t;
        if (!find_table(font, len, NEED[i].tag, &t) || t.len < NEED[i].min) return RC_ERR_DATA;
    }
    cmap4 cm;
    if (!find_cmap4(font, len, &cm)) return RC_ERR_DATA;

    table t[NKEEP];
    for (size_t i = 0; i < NKEEP; i++)
        if (!find_table(font, len, KEEP[i], &t[i])) t[i] = (table){NULL, 0};
    t[T_CMAP].data = new_cmap(a, &cm, codes, n, &t[T_CMAP].len);
    if (!t[T_CMAP].data || !reduce_glyphs(a, t, &cm, codes, n)) return RC_ERR_DATA;
    size_t ntab = 0;
    uint64_t total = 0;
    for (size_t i = 0; i < NKEEP; i++) {
        if (!t[i].data) continue;
        ntab++;
        total += pad4(t[i].len);
    }
    size_t hdr = 12 + 16 * ntab;
    total += hdr;
    if (total > UINT32_MAX) return RC_ERR_DATA;

    unsigned char *f = rc_arena_alloc(a, (size_t)total);
    uint32_t pow = 1, log = 0;
    while (pow * 2 <= ntab) {
        pow *= 2;
        log++;
    }
    put32(f, version);
    put16(f + 4, (uint32_t)ntab);
    put16(f + 6, 16 * pow);
    put16(f + 8, log);
    put16(f + 10, (uint32_t)(16 * ntab) - 16 * pow);
    uint32_t off = (uint32_t)hdr, sum = 0;
    unsigned char *rec = f + 12, *head = NULL;
    for (size_t i = 0; i < NKEEP; i++) {
        if (!t[i].data) continue;
        unsigned char *dst = f + off;
        memcpy(dst, t[i].data, t[i].len); /* the padding stays zero */
        if (strcmp(KEEP[i], "head") == 0) {
            head = dst;
            put32(head + 8, 0); /* checkSumAdjustment counts as 0 in the sums */
        }
        uint32_t cs = checksum(dst, pad4(t[i].len));
        memcpy(rec, KEEP[i], 4);
        put32(rec + 4, cs);
        put32(rec + 8, off);
        put32(rec + 12, t[i].len);
        sum += cs;
        rec += 16;
        off += pad4(t[i].len);
    }
    /* the whole file's sum is the header's plus every (padded) table's */
    sum += checksum(f, hdr);
    put32(head + 8, 0xB1B0AFBAu - sum);
    *out = f;
    *out_len = (size_t)total;
    return RC_OK;
}
