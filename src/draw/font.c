/* font: a small TrueType reader (head, hhea, maxp, hmtx, OS/2, cmap 4/12,
 * and loca/glyf only to estimate a missing cap height). Fonts are user input,
 * so every offset and length is checked against the file size before it is
 * read; a malformed file gives one diagnostic and never a crash.
 *
 * Metrics are kept per 1000 em. Glyph ids and advances of the Basic
 * Multilingual Plane live in a two-level page table (256 pages of 256 code
 * points, allocated only for pages the cmap maps), so rc_font_advance is O(1);
 * code points above U+FFFF use a binary search over the format 12 groups. */
#include "rc/font.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rc/util.h"
#include "shape_int.h"

typedef struct fpage {
    uint16_t glyph[256];
    float adv[256]; /* 1/1000 em; 0 where glyph == 0 */
} fpage;

typedef struct group12 {
    uint32_t start, end, glyph;
} group12;

struct rc_font {
    const char *path;
    const unsigned char *data;
    size_t len;
    unsigned upem;
    unsigned nglyphs;
    unsigned nhmetrics;
    size_t hmtx; /* offset of the hmtx table */
    double ascent, descent, cap_height;
    fpage *pages[256];
    const group12 *astral; /* format 12 groups reaching above U+FFFF */
    size_t nastral;
    rc_shaper *shaper; /* HarfBuzz: kerning (NULL: nominal advances only) */
};

/* --- bounds-checked big-endian reads ------------------------------------ */

typedef struct rd {
    const unsigned char *p;
    size_t len;
} rd;

static bool in_range(const rd *r, size_t off, size_t n)
{
    return off <= r->len && n <= r->len - off;
}

static uint16_t u16(const rd *r, size_t off)
{
    return (uint16_t)((unsigned)r->p[off] << 8 | r->p[off + 1]);
}

static int16_t s16(const rd *r, size_t off)
{
    uint16_t v = u16(r, off);
    return v < 0x8000u ? (int16_t)v : (int16_t)((int)v - 0x10000);
}

static uint32_t u32(const rd *r, size_t off)
{
    return (uint32_t)r->p[off] << 24 | (uint32_t)r->p[off + 1] << 16 |
           (uint32_t)r->p[off + 2] << 8 | r->p[off + 3];
}

typedef struct table {
    size_t off, len;
    bool present;
} table;

/* Finds a table in the directory; present is false when absent or when its
 * extent lies outside the file. */
static table find_table(const rd *r, unsigned ntables, const char tag[4])
{
    table t = {0, 0, false};
    for (unsigned i = 0; i < ntables; i++) {
        size_t rec = 12 + 16 * (size_t)i;
        if (memcmp(r->p + rec, tag, 4) != 0) continue;
        size_t off = u32(r, rec + 8), len = u32(r, rec + 12);
        if (in_range(r, off, len)) {
            t.off = off;
            t.len = len;
            t.present = true;
        }
        return t;
    }
    return t;
}

/* --- cmap ---------------------------------------------------------------- */

static fpage *page_for(rc_arena *a, rc_font *f, uint32_t cp)
{
    fpage **pp = &f->pages[cp >> 8];
    if (!*pp) *pp = rc_arena_alloc(a, sizeof **pp);
    return *pp;
}

static void map_cp(rc_arena *a, rc_font *f, uint32_t cp, uint32_t glyph)
{
    if (glyph == 0 || glyph >= f->nglyphs || cp > 0xFFFF) return;
    fpage *pg = page_for(a, f, cp);
    if (pg->glyph[cp & 0xFF] == 0) pg->glyph[cp & 0xFF] = (uint16_t)glyph;
}

/* Format 4: segments of code points mapped by delta or through the glyph id
 * array. Segments are clipped so their total never exceeds 64K code points
 * even when a hostile file has overlapping segments. */
static bool cmap4(rc_arena *a, rc_font *f, const rd *r, size_t off)
{
    if (!in_range(r, off, 14)) return false;
    size_t len = u16(r, off + 2);
    if (len < 14 || !in_range(r, off, len))
        len = r->len - off; /* some fonts misstate the length; stay within the file */
    rd t = {r->p + off, len};
    unsigned segx2 = u16(&t, 6);
    if (segx2 == 0 || segx2 % 2 != 0 || !in_range(&t, 14, (size_t)segx2 * 4 + 2)) return false;
    size_t ends = 14, starts = 16 + segx2, deltas = starts + segx2, ranges = deltas + segx2;
    uint32_t next = 0; /* lowest code point not yet covered */
    for (unsigned i = 0; i < segx2 / 2; i++) {
        uint32_t end = u16(&t, ends + 2 * i), start = u16(&t, starts + 2 * i);
        uint16_t delta = u16(&t, deltas + 2 * i);
        size_t roff = ranges + 2 * i;
        uint16_t ro = u16(&t, roff);
        if (start < next) start = next;
        if (end < start || end == 0xFFFF) {
            if (end == 0xFFFF && start < 0xFFFF)
                end = 0xFFFE;
            else
                continue;
        }
        for (uint32_t c = start; c <= end; c++) {
            uint32_t g;
            if (ro == 0) {
                g = (c + delta) & 0xFFFFu;
            } else {
                size_t go = roff + ro + 2 * (size_t)(c - u16(&t, starts + 2 * i));
                if (!in_range(&t, go, 2)) break;
                g = u16(&t, go);
                if (g) g = (g + delta) & 0xFFFFu;
            }
            map_cp(a, f, c, g);
        }
        next = end + 1;
    }
    return true;
}

/* Format 12: sequential groups over the whole Unicode range. */
static bool cmap12(rc_arena *a, rc_font *f, const rd *r, size_t off)
{
    if (!in_range(r, off, 16)) return false;
    uint32_t n = u32(r, off + 12);
    if (n > (r->len - off - 16) / 12) return false;
    group12 *astral = rc_arena_array(a, n ? n : 1, sizeof *astral);
    size_t na = 0;
    uint32_t next = 0;
    for (uint32_t i = 0; i < n; i++) {
        size_t g = off + 16 + 12 * (size_t)i;
        uint32_t start = u32(r, g), end = u32(r, g + 4), glyph = u32(r, g + 8);
        if (end > 0x10FFFF) end = 0x10FFFF;
        if (start < next) start = next;
        if (end < start) continue;
        for (uint32_t c = start; c <= end && c <= 0xFFFF; c++)
            map_cp(a, f, c, glyph + (c - u32(r, g)));
        if (end > 0xFFFF) {
            group12 ag = {start > 0xFFFF ? start : 0x10000, end, 0};
            ag.glyph = glyph + (ag.start - u32(r, g));
            astral[na++] = ag;
        }
        next = end + 1;
    }
    f->astral = astral;
    f->nastral = na;
    return true;
}

/* Chooses a subtable: (3,10) then (3,1) then (0,*), formats 12 and 4 only. */
static bool parse_cmap(rc_arena *a, rc_font *f, const rd *r, table t)
{
    rd c = {r->p + t.off, t.len};
    if (!in_range(&c, 0, 4)) return false;
    unsigned n = u16(&c, 2);
    if (!in_range(&c, 4, 8 * (size_t)n)) return false;
    int best = -1;
    size_t best_off = 0;
    unsigned best_fmt = 0;
    for (unsigned i = 0; i < n; i++) {
        unsigned plat = u16(&c, 4 + 8 * i), enc = u16(&c, 6 + 8 * i);
        size_t off = u32(&c, 8 + 8 * i);
        if (!in_range(&c, off, 2)) continue;
        unsigned fmt = u16(&c, off);
        if (fmt != 4 && fmt != 12) continue;
        int score;
        if (plat == 3 && enc == 10)
            score = 4;
        else if (plat == 3 && enc == 1)
            score = 3;
        else if (plat == 0)
            score = fmt == 12 ? 2 : 1;
        else
            continue;
        if (score > best) {
            best = score;
            best_off = off;
            best_fmt = fmt;
        }
    }
    if (best < 0) return false;
    return best_fmt == 4 ? cmap4(a, f, &c, best_off) : cmap12(a, f, &c, best_off);
}

/* --- metrics --------------------------------------------------------------- */

static double glyph_advance(const rc_font *f, unsigned g)
{
    rd r = {f->data, f->len};
    unsigned i = g < f->nhmetrics ? g : f->nhmetrics - 1;
    return u16(&r, f->hmtx + 4 * (size_t)i) * 1000.0 / f->upem;
}

/* yMax of a glyph from glyf/loca (0 when unavailable): used to estimate the
 * cap height from 'H' in fonts whose OS/2 table predates sCapHeight. */
static double glyph_ymax(const rc_font *f, const rd *r, table loca, table glyf, int long_loca,
                         unsigned g)
{
    if (!loca.present || !glyf.present || g == 0 || g >= f->nglyphs) return 0;
    size_t o0, o1;
    if (long_loca) {
        if (!in_range(r, loca.off + 4 * (size_t)g, 8) || 4 * (size_t)g + 8 > loca.len) return 0;
        o0 = u32(r, loca.off + 4 * (size_t)g);
        o1 = u32(r, loca.off + 4 * (size_t)g + 4);
    } else {
        if (2 * (size_t)g + 4 > loca.len) return 0;
        o0 = 2 * (size_t)u16(r, loca.off + 2 * (size_t)g);
        o1 = 2 * (size_t)u16(r, loca.off + 2 * (size_t)g + 2);
    }
    if (o1 < o0 + 10 || o1 > glyf.len) return 0;
    return s16(r, glyf.off + o0 + 8) * 1000.0 / f->upem;
}

static bool parse(rc_arena *a, rc_font *f)
{
    rd r = {f->data, f->len};
    if (!in_range(&r, 0, 12)) return false;
    uint32_t ver = u32(&r, 0);
    if (ver != 0x00010000u && ver != 0x74727565u) /* 1.0 or 'true'; not 'OTTO'/'ttcf' */
        return false;
    unsigned ntables = u16(&r, 4);
    if (ntables == 0 || !in_range(&r, 12, 16 * (size_t)ntables)) return false;
    table head = find_table(&r, ntables, "head"), hhea = find_table(&r, ntables, "hhea"),
          maxp = find_table(&r, ntables, "maxp"), hmtx = find_table(&r, ntables, "hmtx"),
          cmap = find_table(&r, ntables, "cmap"), os2 = find_table(&r, ntables, "OS/2"),
          loca = find_table(&r, ntables, "loca"), glyf = find_table(&r, ntables, "glyf");
    if (!head.present || head.len < 54 || !hhea.present || hhea.len < 36 || !maxp.present ||
        maxp.len < 6 || !hmtx.present || !cmap.present)
        return false;
    if (u32(&r, head.off + 12) != 0x5F0F3CF5u) /* magic number */
        return false;
    f->upem = u16(&r, head.off + 18);
    if (f->upem < 16 || f->upem > 16384) return false;
    int long_loca = s16(&r, head.off + 50) == 1;
    f->nglyphs = u16(&r, maxp.off + 4);
    f->nhmetrics = u16(&r, hhea.off + 34);
    if (f->nglyphs == 0 || f->nhmetrics == 0 || f->nhmetrics > f->nglyphs ||
        4 * (size_t)f->nhmetrics > hmtx.len)
        return false;
    f->hmtx = hmtx.off;
    f->ascent = s16(&r, hhea.off + 4) * 1000.0 / f->upem;
    f->descent = s16(&r, hhea.off + 6) * 1000.0 / f->upem;
    if (!parse_cmap(a, f, &r, cmap)) return false;
    /* Advances for every mapped BMP code point, once. */
    for (size_t p = 0; p < 256; p++) {
        fpage *pg = f->pages[p];
        if (!pg) continue;
        for (size_t i = 0; i < 256; i++)
            pg->adv[i] = pg->glyph[i] ? (float)glyph_advance(f, pg->glyph[i]) : 0.0f;
    }
    f->cap_height = 0;
    if (os2.present && os2.len >= 90 && u16(&r, os2.off) >= 2)
        f->cap_height = s16(&r, os2.off + 88) * 1000.0 / f->upem;
    if (f->cap_height <= 0)
        f->cap_height = glyph_ymax(f, &r, loca, glyf, long_loca, rc_font_glyph(f, 'H'));
    if (f->cap_height <= 0) f->cap_height = 0.7 * f->ascent;
    return true;
}

rc_font *rc_font_parse(rc_arena *a, const char *name, const unsigned char *data, size_t len,
                       rc_loc loc, rc_diag *d)
{
    rc_font *f = rc_arena_alloc(a, sizeof *f);
    f->path = rc_arena_strdup(a, name ? name : "");
    f->data = data;
    f->len = data ? len : 0;
    if (!parse(a, f)) {
        rc_diag_error(d, loc, "'%s' is not a TrueType font", f->path);
        return NULL;
    }
    f->shaper = rc_shaper_new(a, f->data, f->len, f->upem);
    return f;
}

typedef struct mapping {
    void *m;
    size_t len;
} mapping;

static void unmap(void *ctx)
{
    mapping *mp = ctx;
    munmap(mp->m, mp->len);
}

/* The file is mapped rather than read: parsing touches the header, cmap and
 * hmtx, and HarfBuzz (the shaper keeps the bytes) the tables it shapes with,
 * where reading copied all 3.4 MB of the five Lato faces into the arena on
 * every build (about 830 page faults). The mapping lives as long as the
 * arena: it is registered before the shaper's own cleanup, so it is undone
 * after it. */
rc_font *rc_font_load(rc_arena *a, const char *path, rc_loc loc, rc_diag *d)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    void *m = MAP_FAILED;
    if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
        m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (fd >= 0) close(fd);
    if (m == MAP_FAILED) { /* not a mappable file (a pipe, empty): read it */
        char *data;
        size_t len;
        if (rc_read_file(a, path, &data, &len) != RC_OK) {
            rc_diag_error(d, loc, "cannot read font file '%s': %s", path, rc_read_error(errno));
            return NULL;
        }
        return rc_font_parse(a, path, (const unsigned char *)data, len, loc, d);
    }
    mapping *mp = rc_arena_alloc(a, sizeof *mp);
    mp->m = m;
    mp->len = (size_t)st.st_size;
    rc_arena_on_free(a, unmap, mp);
    return rc_font_parse(a, path, m, (size_t)st.st_size, loc, d);
}

const char *rc_font_path(const rc_font *f)
{
    return f->path;
}

uint16_t rc_font_glyph(const rc_font *f, uint32_t cp)
{
    if (cp <= 0xFFFF) {
        const fpage *pg = f->pages[cp >> 8];
        return pg ? pg->glyph[cp & 0xFF] : 0;
    }
    size_t lo = 0, hi = f->nastral;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const group12 *g = &f->astral[mid];
        if (cp < g->start)
            hi = mid;
        else if (cp > g->end)
            lo = mid + 1;
        else {
            uint32_t glyph = g->glyph + (cp - g->start);
            return glyph < f->nglyphs ? (uint16_t)glyph : 0;
        }
    }
    return 0;
}

double rc_font_advance(const rc_font *f, uint32_t cp)
{
    if (cp <= 0xFFFF) {
        const fpage *pg = f->pages[cp >> 8];
        return pg ? pg->adv[cp & 0xFF] : 0.0;
    }
    uint16_t g = rc_font_glyph(f, cp);
    return g ? glyph_advance(f, g) : 0.0;
}

bool rc_font_has_glyph(const rc_font *f, uint32_t cp)
{
    return rc_font_glyph(f, cp) != 0;
}

double rc_font_ascent(const rc_font *f)
{
    return f->ascent;
}

double rc_font_descent(const rc_font *f)
{
    return f->descent;
}

double rc_font_cap_height(const rc_font *f)
{
    return f->cap_height;
}

static double nominal_adv(const void *font, uint32_t cp)
{
    return rc_font_advance(font, cp);
}

double rc_font_nominal_width(const rc_font *f, const char *s, size_t len, double size)
{
    double w = 0;
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        size_t n = rc_utf8_decode(s + i, len - i, &cp);
        if (n == 0) {
            cp = 0xFFFD;
            n = 1;
        }
        w += rc_font_advance(f, cp);
        i += n;
    }
    return w * size / 1000.0;
}

double rc_font_text_width(const rc_font *f, const char *s, size_t len, double size)
{
    if (!f->shaper) return rc_font_nominal_width(f, s, len, size);
    return rc_shaper_width(f->shaper, s, len, nominal_adv, f) * size / 1000.0;
}

const float *rc_font_kerning(const rc_font *f, const char *s, size_t len)
{
    return f->shaper ? rc_shaper_kerning(f->shaper, s, len, nominal_adv, f) : NULL;
}

void rc_font_shaped(const rc_font *f, const char *s, size_t len, const float **kern,
                    const uint8_t **lig)
{
    if (kern) *kern = NULL;
    *lig = NULL;
    if (f->shaper) rc_shaper_run(f->shaper, s, len, nominal_adv, f, kern, lig);
}

bool rc_font_ligature(const rc_font *f, unsigned c, uint16_t *glyph, const char **text)
{
    return f->shaper && rc_shaper_ligature(f->shaper, c, glyph, text);
}

rc_status rc_fonts_load(rc_arena *a, const char *const paths[RC_FONT_COUNT],
                        const rc_loc locs[RC_FONT_COUNT], rc_diag *d, rc_fonts *out)
{
    rc_status st = RC_OK;
    for (size_t i = 0; i < RC_FONT_COUNT; i++) {
        rc_loc loc = locs ? locs[i] : (rc_loc){NULL, 0, 0};
        out->f[i] = NULL;
        if (!paths[i] || !*paths[i]) {
            static const char *const names[RC_FONT_COUNT] = {"regular", "italic", "bold",
                                                             "bold italic", "light"};
            rc_diag_error(d, loc, "no font file given for the %s face", names[i]);
            st = RC_ERR_CONFIG;
            continue;
        }
        /* faces drawn from one file share one font: one shaper, and one
         * numbering of its ligature codes for the PDF's one embedded copy */
        for (size_t k = 0; k < i && !out->f[i]; k++)
            if (out->f[k] && paths[k] && strcmp(paths[k], paths[i]) == 0) out->f[i] = out->f[k];
        if (!out->f[i]) out->f[i] = rc_font_load(a, paths[i], loc, d);
        if (!out->f[i]) st = RC_ERR_CONFIG;
    }
    return st;
}
