/* font: TrueType faces for measuring text. The tables are read through
 * HarfBuzz (hb_face, hb_font: cmap of any format, hmtx, hhea, OS/2, glyf
 * for a missing cap height), the same objects that shape the text
 * (shape.c). Fonts are user input: before HarfBuzz sees a file, its sfnt
 * header and the directory entries of the tables measuring needs are
 * checked against the file size, so a malformed file gives one diagnostic
 * (and font_check.c, run first by a build, says what is wrong with it);
 * HarfBuzz sanitizes every table it reads.
 *
 * Metrics are kept per 1000 em. Glyph ids and advances of the Basic
 * Multilingual Plane are cached in a two-level page table (256 pages of
 * 256 code points, each filled by two batch calls the first time one of
 * its code points is asked for), so rc_font_advance is O(1); code points
 * above U+FFFF ask HarfBuzz each time. */
#include "rc/font.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "rc/cache.h"
#include "rc/hash.h"
#include "rc/hb_lib.h"
#include "rc/util.h"
#include "rc/zmemo.h"
#include "shape_int.h"

typedef struct fpage {
    uint16_t glyph[256];
    float adv[256]; /* 1/1000 em; 0 where glyph == 0 */
} fpage;

struct rc_font {
    rc_arena *a;
    const char *path;
    const unsigned char *data; /* the file's bytes (mapped or read), kept */
    size_t len;
    rc_file_sig sig; /* the file they were mapped from (not exists: read, or parsed) */
    unsigned upem;
    double ascent, descent, cap_height;
    /* HarfBuzz's objects, made when first needed (font_hb): a font whose
     * facts came from the cache (below) may never need them, and then the
     * build never loads HarfBuzz */
    atomic_bool hb_made;
    hb_blob_t *blob;
    hb_face_t *face;
    hb_font_t *font;
    fpage *pages[256]; /* filled on first use (rc_font_glyph, rc_font_advance) */
    /* The facts kept between builds (see "facts" below): whether to keep
     * them (a file with a settled signature and a cache), whether this
     * build learnt something they lack, and the shaper's ligature setup
     * read from them (NULL: none) */
    bool facts_keep, facts_new;
    const unsigned char *lig_facts;
    size_t nlig_facts;
    /* HarfBuzz: kerning and ligatures (NULL: nominal advances only), made
     * when first needed (shaper_of): a report that never sets a face in
     * text (the sample's bold italic) does not pay for planning, the
     * kerning table and the ligature setup (1.3 M instructions a face) */
    rc_shaper *shaper;
    bool shaper_made;
    /* the texts shown kept between builds (rc_fonts_keep_shown; NULL:
     * none), this font's under the place of its first face */
    rc_zmemo *disk;
    unsigned disk_face;
    rc_shown_page *spage; /* that file's pages (shape_page.c; NULL: none) */
};

/* --- the checks before HarfBuzz ------------------------------------------- */

static uint16_t u16(const unsigned char *p)
{
    return (uint16_t)((unsigned)p[0] << 8 | p[1]);
}

static uint32_t u32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The length of table tag when its directory entry lies inside the file,
 * else 0. */
static size_t table_len(const unsigned char *d, size_t len, unsigned ntables, const char tag[4],
                        size_t *off)
{
    for (unsigned i = 0; i < ntables; i++) {
        const unsigned char *rec = d + 12 + 16 * (size_t)i;
        if (memcmp(rec, tag, 4) != 0) continue;
        size_t o = u32(rec + 8), l = u32(rec + 12);
        if (o > len || l > len - o) return 0;
        *off = o;
        return l;
    }
    return 0;
}

/* TrueType outlines (1.0 or 'true', not 'OTTO' or a collection) with
 * head (its magic number, unitsPerEm 16..16384), hhea, maxp, hmtx as long
 * as hhea says, and a cmap, all inside the file. */
static bool well_formed(const unsigned char *d, size_t len)
{
    if (!d || len < 12 || (u32(d) != 0x00010000u && u32(d) != 0x74727565u)) return false;
    unsigned n = u16(d + 4);
    if (n == 0 || 12 + 16 * (size_t)n > len) return false;
    size_t head, hhea, maxp, hmtx, cmap;
    size_t lhead = table_len(d, len, n, "head", &head), lhhea = table_len(d, len, n, "hhea", &hhea),
           lmaxp = table_len(d, len, n, "maxp", &maxp), lhmtx = table_len(d, len, n, "hmtx", &hmtx),
           lcmap = table_len(d, len, n, "cmap", &cmap);
    if (lhead < 54 || lhhea < 36 || lmaxp < 6 || lcmap < 4) return false;
    unsigned upem = u16(d + head + 18), nglyphs = u16(d + maxp + 4), nh = u16(d + hhea + 34);
    return u32(d + head + 12) == 0x5F0F3CF5u && upem >= 16 && upem <= 16384 && nglyphs > 0 &&
           nh > 0 && nh <= nglyphs && 4 * (size_t)nh <= lhmtx;
}

static void release(void *ctx)
{
    rc_font *f = ctx;
    hb_font_destroy(f->font);
    hb_face_destroy(f->face);
    hb_blob_destroy(f->blob);
}

/* Makes the font's HarfBuzz objects from its bytes, HarfBuzz loaded
 * first; false when its cmap gives no character (HarfBuzz cannot read
 * it). Once per font, under a lock: a font is a cache that the threads
 * using it in turn may fill (see font.h on threads). */
static pthread_mutex_t hb_mu = PTHREAD_MUTEX_INITIALIZER;

static bool hb_make(rc_font *f)
{
    if (atomic_load_explicit(&f->hb_made, memory_order_acquire)) return true;
    rc_hb_lib_need();
    pthread_mutex_lock(&hb_mu);
    if (!f->font) {
        f->blob = hb_blob_create((const char *)f->data, (unsigned)f->len, HB_MEMORY_MODE_READONLY,
                                 NULL, NULL);
        f->face = hb_face_create(f->blob, 0);
        f->font = hb_font_create(f->face);
        rc_arena_on_free(f->a, release, f);
        /* the scale set from the face, whatever upem the facts said */
        unsigned upem = hb_face_get_upem(f->face);
        hb_font_set_scale(f->font, (int)upem, (int)upem);
        atomic_store_explicit(&f->hb_made, true, memory_order_release);
    }
    pthread_mutex_unlock(&hb_mu);
    return true;
}

hb_font_t *rc_font_hb(const rc_font *cf)
{
    rc_font *f = (rc_font *)(uintptr_t)cf; /* a cache: see font.h on threads */
    hb_make(f);
    return f->font;
}

/* A page of glyph ids and advances, made the first time it is asked for. */
static const fpage *fill_page(const rc_font *cf, uint32_t cp)
{
    rc_font *f = (rc_font *)(uintptr_t)cf; /* a cache: see font.h on threads */
    hb_make(f);
    f->facts_new = true;
    fpage *pg = f->pages[cp >> 8] = rc_arena_alloc(f->a, sizeof *pg);
    hb_codepoint_t cps[256], gids[256];
    hb_position_t adv[256];
    for (unsigned i = 0; i < 256; i++)
        cps[i] = (cp & ~0xFFu) | i;
    for (unsigned i = 0; i < 256;) { /* a batch stops at the first unmapped one */
        i += hb_font_get_nominal_glyphs(f->font, 256 - i, cps + i, sizeof *cps, gids + i,
                                        sizeof *gids);
        if (i < 256) gids[i++] = 0;
    }
    hb_font_get_glyph_h_advances(f->font, 256, gids, sizeof *gids, adv, sizeof *adv);
    for (unsigned i = 0; i < 256; i++) {
        pg->glyph[i] = gids[i] <= 0xFFFF ? (uint16_t)gids[i] : 0;
        pg->adv[i] = pg->glyph[i] ? (float)(adv[i] * 1000.0 / f->upem) : 0.0f;
    }
    return pg;
}

static inline const fpage *page(const rc_font *f, uint32_t cp)
{
    const fpage *pg = f->pages[cp >> 8];
    return pg ? pg : fill_page(f, cp);
}

/* Ascender and descender from hhea (as the layout always measured them),
 * the cap height from OS/2, else the top of 'H', else 0.7 ascender. */
static bool parse(rc_arena *a, rc_font *f, const unsigned char *data, size_t len)
{
    if (!well_formed(data, len) || len > 0x7FFFFFFF) return false;
    (void)a;
    f->data = data;
    f->len = len;
    hb_make(f);
    f->upem = hb_face_get_upem(f->face);
    hb_set_t *cps = hb_set_create();
    hb_face_collect_unicodes(f->face, cps);
    bool mapped = !hb_set_is_empty(cps);
    hb_set_destroy(cps);
    if (!mapped) return false; /* no cmap subtable HarfBuzz can read */
    hb_position_t v;
    double k = 1000.0 / f->upem;
    /* hhea's values, whatever OS/2 says (HarfBuzz may prefer its typo metrics) */
    hb_blob_t *hh = hb_face_reference_table(f->face, HB_TAG('h', 'h', 'e', 'a'));
    unsigned hl = 0;
    const unsigned char *h = (const unsigned char *)hb_blob_get_data(hh, &hl);
    if (h && hl >= 36) {
        f->ascent = (int16_t)u16(h + 4) * k;
        f->descent = (int16_t)u16(h + 6) * k;
    }
    hb_blob_destroy(hh);
    f->cap_height = 0;
    if (hb_ot_metrics_get_position(f->font, HB_OT_METRICS_TAG_CAP_HEIGHT, &v))
        f->cap_height = v * k;
    hb_glyph_extents_t ext;
    if (f->cap_height <= 0 && rc_font_glyph(f, 'H') &&
        hb_font_get_glyph_extents(f->font, rc_font_glyph(f, 'H'), &ext))
        f->cap_height = ext.y_bearing * k;
    if (f->cap_height <= 0) f->cap_height = 0.7 * f->ascent;
    return true;
}

/* HarfBuzz is loaded by the first font (rc/hb_lib.h): the error at loc
 * when it cannot be, naming the file that needed it. */
static bool hb_loaded(const char *name, rc_loc loc, rc_diag *d)
{
    const char *why = NULL;
    if (rc_hb_lib_load(&why)) return true;
    rc_diag_error(d, loc, "cannot read font '%s': libharfbuzz cannot be loaded: %s", name, why);
    if (*rc_hb_lib_package())
        rc_diag_note(d, loc, "fonts need the Debian package %s installed", rc_hb_lib_package());
    return false;
}

rc_font *rc_font_parse(rc_arena *a, const char *name, const unsigned char *data, size_t len,
                       rc_loc loc, rc_diag *d)
{
    /* the gate: every HarfBuzz call needs a font, and every font is made here */
    if (!hb_loaded(name ? name : "", loc, d)) return NULL;
    rc_font *f = rc_arena_alloc(a, sizeof *f);
    f->a = a;
    f->path = rc_arena_strdup(a, name ? name : "");
    if (!parse(a, f, data, data ? len : 0)) {
        rc_diag_error(d, loc, "'%s' is not a TrueType font", f->path);
        return NULL;
    }
    return f;
}

/* --- facts ---------------------------------------------------------------
 *
 * What a build learns of a font through HarfBuzz (units per em, ascender,
 * descender, cap height, the pages of glyph ids and advances it asked
 * for, and its shaper's ligature setup: shape_lig.c) is kept in the cache
 * (rc_cache_entry_put, CACHEDIR/facts/), under the font file's path and
 * signature (as mapped), HarfBuzz's identity (rc_hb_lib_ident), reportc's
 * version and executable. The next build reads them there instead: with
 * its texts found in the files kept with them (rc_fonts_keep_shown, the
 * paragraphs), it never loads HarfBuzz (0.8 ms and 3.4 M instructions of
 * a one-edition PDF on the 2-CPU machine, issue 18). HarfBuzz is loaded
 * the moment something the facts lack is needed (a page of code points
 * not asked for before, a text to shape: font_hb), and what was learnt is
 * kept when the font is freed. A file changed less than two seconds ago
 * is not looked up (rc_fonts_digest's rule). */
#define FACTS_MAGIC "font-facts 1"
enum { FACTS_KEYCAP = 64 + 8 * 8 + 4096 };

/* Whether sig was last changed at least two seconds ago (a change within
 * one tick of the file system's clock could keep its times). */
static bool settled(rc_file_sig sig)
{
    struct timespec now;
    if (!sig.exists || clock_gettime(CLOCK_REALTIME, &now) != 0) return false;
    int64_t recent = ((int64_t)now.tv_sec - 2) * 1000000000 + now.tv_nsec;
    return sig.mtime_ns <= recent && sig.ctime_ns <= recent;
}

/* The facts' key for the file path with sig into key; its length, 0 when
 * none is kept (no cache, an unsettled file, HarfBuzz not loadable). */
static size_t facts_key(const char *path, rc_file_sig sig, unsigned char *key)
{
    char dir[4096];
    size_t np = strlen(path);
    if (np >= 4096 || !settled(sig) || !rc_cache_dir_name(dir, sizeof dir)) return 0;
    uint64_t hb = rc_hb_lib_ident();
    if (!hb) return 0;
    int64_t id[8] = {(int64_t)sig.dev, (int64_t)sig.ino, (int64_t)sig.size,           sig.mtime_ns,
                     sig.ctime_ns,     (int64_t)hb,      (int64_t)rc_cache_exe_sig(), (int64_t)np};
    unsigned char *o = key;
    memcpy(o, FACTS_MAGIC "|" RC_VERSION, sizeof FACTS_MAGIC "|" RC_VERSION);
    o += sizeof FACTS_MAGIC "|" RC_VERSION;
    memcpy(o, id, sizeof id);
    o += sizeof id;
    memcpy(o, path, np);
    return (size_t)(o - key) + np;
}

/* The value: upem (4 bytes), ascent, descent, cap height (doubles), the
 * ligature setup's length (4 bytes) and bytes, the number of pages (4
 * bytes), then each page: its number (4 bytes) and its fpage. */
typedef struct reader {
    const unsigned char *p, *end;
    bool ok;
} reader;

static const unsigned char *take(reader *r, size_t n)
{
    if (!r->ok || (size_t)(r->end - r->p) < n) {
        r->ok = false;
        return NULL;
    }
    const unsigned char *at = r->p;
    r->p += n;
    return at;
}

static uint32_t take32(reader *r)
{
    uint32_t v = 0;
    const unsigned char *at = take(r, 4);
    if (at) memcpy(&v, at, 4);
    return v;
}

static double take_double(reader *r)
{
    double v = 0;
    const unsigned char *at = take(r, 8);
    if (at) memcpy(&v, at, 8);
    return v;
}

/* A font made from its kept facts, without HarfBuzz; NULL when the cache
 * has none for key (or they are not well formed). */
static rc_font *facts_font(rc_arena *a, const char *path, const unsigned char *data, size_t len,
                           const unsigned char *key, size_t nk)
{
    size_t nv = 0;
    unsigned char *v = rc_cache_entry_get("facts", path, key, nk, &nv);
    if (!v) return NULL;
    rc_font *f = rc_arena_alloc(a, sizeof *f);
    reader r = {v, v + nv, true};
    f->upem = take32(&r);
    f->ascent = take_double(&r);
    f->descent = take_double(&r);
    f->cap_height = take_double(&r);
    size_t nl = take32(&r);
    const unsigned char *lig = take(&r, nl);
    if (lig && nl) {
        unsigned char *copy = rc_arena_alloc(a, nl);
        memcpy(copy, lig, nl);
        f->lig_facts = copy;
        f->nlig_facts = nl;
    }
    for (uint32_t i = 0, np = take32(&r); r.ok && i < np; i++) {
        uint32_t at = take32(&r);
        const unsigned char *pg = take(&r, sizeof(fpage));
        if (!pg || at > 255 || f->pages[at]) {
            r.ok = false;
            break;
        }
        f->pages[at] = rc_arena_alloc(a, sizeof(fpage));
        memcpy(f->pages[at], pg, sizeof(fpage));
    }
    bool ok = r.ok && r.p == r.end && f->upem >= 16 && f->upem <= 16384 && len <= 0x7FFFFFFF;
    free(v);
    if (!ok) return NULL; /* (what was taken from the arena stays there, unused) */
    f->a = a;
    f->path = rc_arena_strdup(a, path);
    f->data = data;
    f->len = len;
    return f;
}

static void put32(unsigned char **o, uint32_t v)
{
    memcpy(*o, &v, 4);
    *o += 4;
}

static void put_double(unsigned char **o, double v)
{
    memcpy(*o, &v, 8);
    *o += 8;
}

/* Keeps the facts when this build learnt something they lacked (the
 * arena's end: every page asked for is there). */
static void facts_put(void *ctx)
{
    rc_font *f = ctx;
    unsigned char key[FACTS_KEYCAP];
    size_t nk = f->facts_new ? facts_key(f->path, f->sig, key) : 0;
    if (!nk) return;
    uint32_t np = 0;
    for (unsigned i = 0; i < 256; i++)
        np += f->pages[i] != NULL;
    size_t n = 4 + 3 * 8 + 4 + f->nlig_facts + 4 + (size_t)np * (4 + sizeof(fpage));
    unsigned char *v = malloc(n), *o = v;
    if (!v) return;
    put32(&o, f->upem);
    put_double(&o, f->ascent);
    put_double(&o, f->descent);
    put_double(&o, f->cap_height);
    put32(&o, (uint32_t)f->nlig_facts);
    if (f->nlig_facts) memcpy(o, f->lig_facts, f->nlig_facts);
    o += f->nlig_facts;
    put32(&o, np);
    for (unsigned i = 0; i < 256; i++) {
        if (!f->pages[i]) continue;
        put32(&o, i);
        memcpy(o, f->pages[i], sizeof(fpage));
        o += sizeof(fpage);
    }
    rc_cache_entry_put("facts", f->path, key, nk, v, n);
    free(v);
}

const unsigned char *rc_font_lig_facts(const rc_font *f, size_t *n)
{
    *n = f->nlig_facts;
    return f->lig_facts;
}

void rc_font_set_lig_facts(const rc_font *cf, const void *p, size_t n)
{
    rc_font *f = (rc_font *)(uintptr_t)cf; /* (as shaper_of) */
    unsigned char *copy = rc_arena_alloc(f->a, n ? n : 1);
    if (n) memcpy(copy, p, n);
    f->lig_facts = copy;
    f->nlig_facts = n;
    f->facts_new = true;
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
    rc_file_sig sig = rc_file_sig_stat(&st);
    unsigned char key[FACTS_KEYCAP];
    size_t nk = facts_key(path, sig, key);
    rc_font *f = nk ? facts_font(a, path, m, (size_t)st.st_size, key, nk) : NULL;
    if (!f) {
        f = rc_font_parse(a, path, m, (size_t)st.st_size, loc, d);
        if (f) f->facts_new = true;
    }
    if (f) f->sig = sig;
    if (f && nk) {
        f->facts_keep = true;
        rc_arena_on_free(a, facts_put, f); /* (before the mapping goes: registered after it) */
    }
    return f;
}

const char *rc_font_path(const rc_font *f)
{
    return f->path;
}

const unsigned char *rc_font_bytes(const rc_font *f, const char *path, size_t *len)
{
    if (!f->sig.exists || strcmp(f->path, path) != 0 ||
        !rc_file_sig_eq(f->sig, rc_file_sig_of(path)))
        return NULL;
    *len = f->len;
    return f->data;
}

rc_file_sig rc_font_sig(const rc_font *f)
{
    return f->sig;
}

uint16_t rc_font_glyph(const rc_font *f, uint32_t cp)
{
    if (cp <= 0xFFFF) return page(f, cp)->glyph[cp & 0xFF];
    hb_make((rc_font *)(uintptr_t)f); /* (a cache: see font.h on threads) */
    hb_codepoint_t g = 0;
    if (cp > 0x10FFFF || !hb_font_get_nominal_glyph(f->font, cp, &g) || g > 0xFFFF) return 0;
    return (uint16_t)g;
}

double rc_font_advance(const rc_font *f, uint32_t cp)
{
    if (cp <= 0xFFFF) return page(f, cp)->adv[cp & 0xFF];
    uint16_t g = rc_font_glyph(f, cp);
    return g ? hb_font_get_glyph_h_advance(f->font, g) * 1000.0 / f->upem : 0.0;
}

bool rc_font_has_glyph(const rc_font *f, uint32_t cp)
{
    return rc_font_glyph(f, cp) != 0;
}

/* The vertical metrics, in 1/1000 em (rc/font.h). */
#define RC_FONT_METRIC(field)                                                                      \
    double rc_font_##field(const rc_font *f)                                                       \
    {                                                                                              \
        return f->field;                                                                           \
    }
RC_FONT_METRIC(ascent)
RC_FONT_METRIC(descent)
RC_FONT_METRIC(cap_height)
#undef RC_FONT_METRIC

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

/* The font's shaper, made the first time (see struct rc_font). The font is
 * const to its users only: the shaper is a cache (see font.h on threads). */
static rc_shaper *shaper_of(const rc_font *cf)
{
    rc_font *f = (rc_font *)(uintptr_t)cf;
    if (!f->shaper_made) {
        f->shaper_made = true;
        f->shaper = rc_shaper_new_font(f->a, f, f->upem);
        if (f->shaper && f->disk) rc_shaper_set_disk(f->shaper, f->disk, f->disk_face);
        if (f->shaper) rc_shaper_set_pages(f->shaper, f->spage);
    }
    return f->shaper;
}

/* kept: looked up in and kept with the texts shown (rc_fonts_keep_shown) */
static double shaped_width(const rc_font *f, const char *s, size_t len, double size, bool kept)
{
    rc_shaper *sh = shaper_of(f);
    if (!sh) return rc_font_nominal_width(f, s, len, size);
    double w = kept ? rc_shaper_width(sh, s, len, nominal_adv, f)
                    : rc_shaper_width_unkept(sh, s, len, nominal_adv, f);
    return w * size / 1000.0;
}

double rc_font_text_width(const rc_font *f, const char *s, size_t len, double size)
{
    return shaped_width(f, s, len, size, true);
}

double rc_font_word_width(const rc_font *f, const char *s, size_t len, double size)
{
    return shaped_width(f, s, len, size, false);
}

const float *rc_font_kerning(const rc_font *f, const char *s, size_t len)
{
    rc_shaper *sh = shaper_of(f);
    return sh ? rc_shaper_kerning(sh, s, len, nominal_adv, f) : NULL;
}

/* No memo of its own: the shaper keeps what it showed for each text of
 * 2..RC_SHAPE_KEEP_MAX bytes (shape.c), and a second table here (the hashing, the copies)
 * was 1.9 M instructions and ~50 page faults of the sample for nothing. */
void rc_font_shaped(const rc_font *f, const char *s, size_t len, const float **kern,
                    const uint8_t **lig)
{
    if (kern) *kern = NULL;
    *lig = NULL;
    rc_shaper *sh = shaper_of(f);
    if (sh) rc_shaper_run(sh, s, len, nominal_adv, f, kern, lig);
}

struct rc_zmemo *rc_font_shown_file(const rc_font *f, unsigned *face)
{
    if (face) *face = f->disk_face;
    return f->disk;
}

rc_shaper *rc_font_shaper(const rc_font *f)
{
    return shaper_of(f);
}

void rc_font_set_pages(const rc_font *cf, rc_shown_page *pg)
{
    rc_font *f = (rc_font *)(uintptr_t)cf; /* (as shaper_of) */
    f->spage = pg;
    if (f->shaper) rc_shaper_set_pages(f->shaper, pg);
}

bool rc_font_ligature(const rc_font *f, unsigned c, uint16_t *glyph, const char **text)
{
    rc_shaper *sh = shaper_of(f);
    return sh && rc_shaper_ligature(sh, c, glyph, text);
}

bool rc_font_ligature_take(const rc_font *f, unsigned c, const char *t, size_t n)
{
    rc_shaper *sh = shaper_of(f);
    return sh && rc_shaper_ligature_take(sh, c, t, n);
}

uint64_t rc_fonts_digest(const rc_fonts *fs)
{
    if (!fs) return 0;
    uint64_t h = rc_hash_bytes(&(uint64_t){rc_hb_lib_ident()}, sizeof(uint64_t),
                               0x666f6e7473u); /* "fonts" */
    for (size_t i = 0; i < RC_FONT_COUNT; i++) {
        const rc_font *f = fs->f[i];
        if (!f || !settled(f->sig)) return 0;
        int64_t id[6] = {(int64_t)i,           (int64_t)f->sig.dev, (int64_t)f->sig.ino,
                         (int64_t)f->sig.size, f->sig.mtime_ns,     f->sig.ctime_ns};
        for (size_t k = 0; k < i; k++) /* faces drawn from one file share one font */
            if (fs->f[k] == f) id[0] = (int64_t)k;
        h = rc_hash_bytes(id, sizeof id, h);
    }
    return h | 1;
}

bool rc_fonts_keep_shown(const rc_fonts *fs, uint64_t d, const char *output)
{
    if (!fs || !d) return false;
    char coder[64];
    snprintf(coder, sizeof coder, "shown1 fonts %016llx", (unsigned long long)d);
    rc_zmemo *z = rc_zmemo_open_in("shown", output, "shown", coder, NULL);
    if (!z) return false;
    for (unsigned i = 0; i < RC_FONT_COUNT; i++) {
        rc_font *f = fs->f[i];
        if (!f || f->disk == z) continue; /* (a face sharing an earlier one's font) */
        f->disk = z;
        f->disk_face = i;
        if (f->shaper) rc_shaper_set_disk(f->shaper, z, i);
    }
    return true;
}

void rc_fonts_shown_counts(const rc_fonts *fs, size_t *hits, size_t *misses)
{
    const rc_zmemo *z = NULL;
    for (unsigned i = 0; fs && i < RC_FONT_COUNT && !z; i++)
        if (fs->f[i]) z = fs->f[i]->disk;
    rc_zmemo_counts(z, hits, misses);
}

bool rc_fonts_shown_done(const rc_fonts *fs, bool ok)
{
    rc_zmemo *z = NULL;
    for (unsigned i = 0; fs && i < RC_FONT_COUNT; i++) {
        rc_font *f = fs->f[i];
        if (!f || !f->disk) continue;
        z = f->disk;
        f->disk = NULL;
        if (f->shaper) rc_shaper_set_disk(f->shaper, NULL, 0);
    }
    return rc_zmemo_close(z, ok);
}

rc_status rc_fonts_load(rc_arena *a, const char *const paths[RC_FONT_COUNT],
                        const rc_loc locs[RC_FONT_COUNT], rc_diag *d, rc_fonts *out)
{
    rc_status st = RC_OK;
    for (size_t i = 0; i < RC_FONT_COUNT; i++)
        out->f[i] = NULL;
    /* one error, at the first face, and an output's exit status (3) */
    if (paths[0] && *paths[0] && !rc_hb_lib_ident() &&
        !hb_loaded(paths[0], locs ? locs[0] : (rc_loc){NULL, 0, 0}, d))
        return RC_ERR_LIBRARY;
    for (size_t i = 0; i < RC_FONT_COUNT; i++) {
        rc_loc loc = locs ? locs[i] : (rc_loc){NULL, 0, 0};
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
        if (!out->f[i]) {
            rc_font *f = rc_font_load(a, paths[i], loc, d);
            /* ... and so do faces drawn from files of the same bytes (a
             * copy under another name): the PDF embeds a font once by its
             * name, and libharu refused the second copy */
            for (size_t k = 0; f && k < i; k++)
                if (out->f[k] && out->f[k]->len == f->len &&
                    memcmp(out->f[k]->data, f->data, f->len) == 0) {
                    f = out->f[k];
                    break;
                }
            out->f[i] = f;
        }
        if (!out->f[i]) st = RC_ERR_CONFIG;
    }
    return st;
}
