/* Tests for the font objects written as text (pdf_fontobj.c) and the
 * reduced fonts kept between builds (pdf_fontdisk.c): a written PDF is
 * opened with qpdf (objects out of their streams, streams inflated) and
 * every CID font is checked against the original TrueType file, read
 * here: /W and /DW against hmtx, the CIDToGIDMap and the embedded font's
 * own cmap and advances, the ToUnicode CMap against the codes the pages
 * show, the FontFile2 as an sfnt, and the names and metrics of the
 * descriptor. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include <libdeflate.h>

#include "rc/arena.h"
#include "rc/diag.h"
#include "rc/draw.h"
#include "rc/font.h"
#include "rc/hash.h"
#include "rc/layout.h"
#include "rc/pdf.h"
#include "rc/util.h"

#include "pdf_fixture.h"
#include "../../../src/pdf/pdf_fontdisk.h" /* internal to the PDF stage */
#include "../../../src/pdf/pdf_int.h"      /* RC_PDF_ZLEVEL */

/* What the pages show, per face. */
static const char REGULAR[] = "Bielsko-Biała Skåne “quotes” – 1,234.5 Zürich €";
static const char BOLD[] = "Cover: Śląskie Ćwiczenie";

typedef struct fixture {
    rc_arena *a;
    rc_diag *d;
    rc_fonts fonts;
    rc_config cfg;
    rc_layout lay;
    char dir[64];
} fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    pdf_fixture_open(&fx->a, &fx->d, &fx->fonts, &fx->cfg, fx->dir, "/tmp/rc-test-fontobj-XXXXXX");
    rc_arena *a = fx->a;
    rc_rgb black = {0, 0, 0};
    rc_page pg = {rc_draw_new(a), RC_PAGE_ARABIC, 1, "1"};
    rc_draw_text(a, pg.content, RC_FONT_REGULAR, 11, 72, 760, REGULAR, strlen(REGULAR), black);
    rc_draw_text(a, pg.content, RC_FONT_BOLD, 14, 72, 700, BOLD, strlen(BOLD), black);
    RC_PUSH(a, fx->lay.pages, pg);
    setenv("SOURCE_DATE_EPOCH", "1577836800", 1);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    pdf_fixture_release(fx->dir, fx->d, fx->a);
    free(fx);
    return 0;
}

/* ---- reading the TrueType file (independently of ttf_subset.c) ---- */

static uint16_t u16(const unsigned char *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t u32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The table tag of the sfnt f[0..n), checked to lie inside the file. */
static const unsigned char *table(const unsigned char *f, size_t n, const char *tag, size_t *len)
{
    assert_true(n >= 12);
    size_t k = u16(f + 4);
    assert_true(12 + 16 * k <= n);
    for (size_t i = 0; i < k; i++) {
        const unsigned char *r = f + 12 + 16 * i;
        uint32_t off = u32(r + 8), l = u32(r + 12);
        assert_true(off <= n && l <= n - off);
        if (memcmp(r, tag, 4) == 0) {
            *len = l;
            return f + off;
        }
    }
    return NULL;
}

/* Advance of glyph g in thousandths of an em, truncated (as PDF widths). */
static long width(const unsigned char *f, size_t n, uint16_t g)
{
    size_t hl, ml, hh;
    const unsigned char *head = table(f, n, "head", &hl), *hmtx = table(f, n, "hmtx", &ml),
                        *hhea = table(f, n, "hhea", &hh);
    assert_non_null(head);
    assert_non_null(hmtx);
    assert_non_null(hhea);
    unsigned upem = u16(head + 18), nh = u16(hhea + 34);
    size_t at = 4 * (size_t)(g < nh ? g : nh - 1);
    assert_true(at + 2 <= ml);
    return (long)u16(hmtx + at) * 1000 / upem;
}

/* ---- reading the PDF as qpdf's QDF form ---- */

static char *slurp(rc_arena *a, const char *path, size_t *n)
{
    char *s;
    assert_int_equal(rc_read_file(a, path, &s, n), RC_OK);
    return s;
}

/* The body of object num ("num 0 obj" at a line start), NUL-free text up
 * to "endobj"; *end set past it. */
static const char *object(const char *q, size_t n, long num, const char **end)
{
    char head[32];
    int k = snprintf(head, sizeof head, "\n%ld 0 obj\n", num);
    for (size_t i = 0; i + (size_t)k <= n; i++)
        if (memcmp(q + i, head, (size_t)k) == 0) {
            const char *b = q + i + k;
            for (const char *e = b; e + 6 <= q + n; e++)
                if (memcmp(e, "endobj", 6) == 0) {
                    *end = e;
                    return b;
                }
        }
    fail_msg("object %ld not found", num);
    return NULL;
}

/* The number after key in [b, e), or -1; for "/Key N 0 R" the object number. */
static long value(const char *b, const char *e, const char *key)
{
    size_t k = strlen(key);
    for (const char *p = b; p + k < e; p++)
        if (memcmp(p, key, k) == 0 && (p[k] == ' ' || p[k] == '\n')) return strtol(p + k, NULL, 10);
    return -1;
}

/* The data of stream object num (qdf: inflated, /Length an object). */
static const unsigned char *stream(const char *q, size_t n, long num, size_t *len)
{
    const char *e, *b = object(q, n, num, &e);
    long lobj = value(b, e, "/Length");
    assert_true(lobj > 0);
    const char *le, *lb = object(q, n, lobj, &le);
    *len = (size_t)strtol(lb, NULL, 10);
    const char *s = strstr(b, "\nstream\n");
    assert_non_null(s);
    return (const unsigned char *)s + 8;
}

/* memmem: the PDF holds NUL bytes. */
static const char *find(const char *from, const char *end, const char *needle)
{
    size_t k = strlen(needle);
    for (const char *p = from; p + k <= end; p++)
        if (memcmp(p, needle, k) == 0) return p;
    return NULL;
}

/* The codes of a UTF-8 string, marked in set (BMP). */
static void mark(unsigned char *set, const char *s)
{
    for (size_t i = 0, n = strlen(s); i < n;) {
        uint32_t cp;
        size_t k = rc_utf8_decode(s + i, n - i, &cp);
        assert_true(k > 0 && cp <= 0xFFFF);
        set[cp] = 1;
        i += k;
    }
}

/* Checks one CID font (object cid in q) against the original file orig and
 * the codes shown[]; tu is its Type0 font's ToUnicode stream. */
static void check_font(const char *q, size_t n, long cid, long tu, const unsigned char *orig,
                       size_t norig, const unsigned char *shown)
{
    const char *e, *b = object(q, n, cid, &e);
    long dw = value(b, e, "/DW");
    assert_int_equal(dw, width(orig, norig, 0)); /* .notdef's advance */

    /* /W, as a table of widths by code (-1: not listed) */
    static long w[65536];
    for (size_t c = 0; c < 65536; c++)
        w[c] = -1;
    const char *p = strstr(b, "/W [");
    assert_true(p && p < e);
    p += 4;
    for (;;) {
        while (*p == ' ' || *p == '\n')
            p++;
        if (*p == ']') break;
        char *next;
        long c = strtol(p, &next, 10);
        assert_true(next != p && c >= 0 && c < 65536);
        p = next;
        while (*p == ' ' || *p == '\n')
            p++;
        assert_int_equal(*p, '['); /* only the "c [ w ... ]" form is written */
        p++;
        for (;;) {
            while (*p == ' ' || *p == '\n')
                p++;
            if (*p == ']') {
                p++;
                break;
            }
            long v = strtol(p, &next, 10);
            assert_true(next != p && c < 65536);
            w[c++] = v;
            p = next;
        }
    }

    /* the font program: an sfnt whose own cmap and advances agree */
    long desc = value(b, e, "/FontDescriptor");
    const char *de, *db = object(q, n, desc, &de);
    long ffnum = value(db, de, "/FontFile2");
    assert_true(ffnum > 0);
    size_t nff;
    const unsigned char *ff = stream(q, n, ffnum, &nff);
    const char *fe, *fb = object(q, n, ffnum, &fe);
    assert_int_equal(value(fb, fe, "/Length1"), (long)nff);
    assert_int_equal(u32(ff), 0x00010000u);
    size_t hl;
    const unsigned char *head = table(ff, nff, "head", &hl);
    assert_true(head && hl >= 54 && u32(head + 12) == 0x5F0F3CF5u); /* magic */
    size_t hh, oh;
    const unsigned char *hhea = table(orig, norig, "hhea", &hh),
                        *ohead = table(orig, norig, "head", &oh);
    unsigned upem = u16(ohead + 18);
    assert_int_equal(value(db, de, "/Ascent"), (int16_t)u16(hhea + 4) * 1000 / (long)upem);
    assert_int_equal(value(db, de, "/Descent"), (int16_t)u16(hhea + 6) * 1000 / (long)upem);

    /* the map from code to glyph, and the widths */
    size_t nmap;
    const unsigned char *map = stream(q, n, value(b, e, "/CIDToGIDMap"), &nmap);
    assert_int_equal(nmap % 2, 0);
    size_t nshown = 0;
    for (uint32_t c = 0; c < 65536; c++) {
        uint16_t g = 2 * (size_t)c + 1 < nmap ? u16(map + 2 * c) : 0;
        if (!shown[c]) {
            assert_int_equal(g, 0);
            assert_int_equal(w[c], -1);
            continue;
        }
        nshown++;
        uint16_t og = rc_ttf_glyph(orig, norig, c);
        assert_int_not_equal(og, 0); /* Lato has every character shown */
        assert_int_not_equal(g, 0);
        assert_int_equal(rc_ttf_glyph(ff, nff, c), g); /* the embedded cmap */
        long want = width(orig, norig, og);
        assert_int_equal(width(ff, nff, g), want);      /* the program's advance */
        assert_int_equal(w[c] == -1 ? dw : w[c], want); /* /W or /DW */
    }
    assert_true(nshown > 10);

    /* ToUnicode: every code shown maps to itself, and nothing else */
    size_t ntu;
    const char *cm = (const char *)stream(q, n, tu, &ntu);
    static unsigned char seen[65536];
    memset(seen, 0, sizeof seen);
    const char *end = cm + ntu;
    for (const char *s = cm; s < end;) {
        const char *bc = strstr(s, "beginbfchar"), *br = strstr(s, "beginbfrange");
        if ((!bc || bc >= end) && (!br || br >= end)) break;
        bool range = !bc || bc >= end || (br && br < bc);
        s = range ? br + 12 : bc + 11;
        const char *stop = strstr(s, range ? "endbfrange" : "endbfchar");
        assert_non_null(stop);
        while (s < stop) {
            unsigned lo, hi, to;
            int used = 0;
            if (range ? sscanf(s, " <%4x> <%4x> <%4x>%n", &lo, &hi, &to, &used) == 3
                      : sscanf(s, " <%4x> <%4x>%n", &lo, &to, &used) == 2) {
                if (!range) hi = lo;
                assert_int_equal(to, lo);
                for (unsigned c = lo; c <= hi; c++) {
                    assert_true(shown[c]);
                    assert_false(seen[c]);
                    seen[c] = 1;
                }
                s += used;
            } else {
                s++;
            }
        }
        s = stop;
    }
    for (size_t c = 0; c < 65536; c++)
        assert_int_equal(seen[c], shown[c]);
}

/* Writes the fixture's PDF to name; returns its bytes. */
static char *write_pdf(fixture *fx, const char *name, size_t *n)
{
    char *pdf = rc_arena_printf(fx->a, "%s/%s.pdf", fx->dir, name);
    assert_int_equal(rc_pdf_write(fx->a, &fx->lay, &fx->cfg, &fx->fonts, pdf, fx->d), RC_OK);
    return slurp(fx->a, pdf, n);
}

/* ... and returns its QDF form (qpdf gives it a new second /ID each time). */
static char *write_qdf(fixture *fx, const char *name, size_t *n)
{
    size_t np;
    write_pdf(fx, name, &np);
    char *pdf = rc_arena_printf(fx->a, "%s/%s.pdf", fx->dir, name);
    char *qdf = rc_arena_printf(fx->a, "%s/%s.qdf", fx->dir, name);
    char *cmd = rc_arena_printf(fx->a, "qpdf --qdf --object-streams=disable '%s' '%s'", pdf, qdf);
    assert_int_equal(system(cmd), 0);
    return slurp(fx->a, qdf, n);
}

static void test_font_objects(void **state)
{
    fixture *fx = *state;
    size_t n;
    char *q = write_qdf(fx, "f", &n);
    static unsigned char shown[2][65536];
    memset(shown, 0, sizeof shown);
    mark(shown[0], REGULAR);
    mark(shown[1], BOLD);
    const char *names[2] = {"+Lato-Regular\n", "+Lato-Bold\n"};
    const char *files[2] = {FACES[RC_FONT_REGULAR], FACES[RC_FONT_BOLD]};
    int found = 0;
    /* every Type0 font: its name says which face, its descendant the CID font */
    for (const char *t = find(q, q + n, "/Subtype /Type0"); t;
         t = find(t + 1, q + n, "/Subtype /Type0")) {
        const char *ob = t;
        while (ob > q && memcmp(ob, " 0 obj\n", 7) != 0)
            ob--;
        while (ob > q && ob[-1] != '\n')
            ob--;
        long num = strtol(ob, NULL, 10);
        const char *e, *b = object(q, n, num, &e);
        const char *bf = strstr(b, "/BaseFont /");
        assert_true(bf && bf < e);
        int face = -1;
        for (int k = 0; k < 2; k++) {
            const char *nm = strstr(bf, names[k]);
            if (nm && nm < e && nm == bf + 17) face = k; /* "/BaseFont /XXXXXX" then "+" */
        }
        assert_true(face >= 0);
        for (int k = 11; k < 17; k++)
            assert_true(bf[k] >= 'A' && bf[k] <= 'Z'); /* the subset tag */
        const char *dfs = strstr(b, "/DescendantFonts [");
        assert_true(dfs && dfs < e);
        long cid = strtol(dfs + 18, NULL, 10);
        long tu = value(b, e, "/ToUnicode");
        /* the descriptor names the same subset */
        const char *ce, *cb = object(q, n, cid, &ce);
        const char *de, *db = object(q, n, value(cb, ce, "/FontDescriptor"), &de);
        const char *fn = strstr(db, "/FontName /");
        assert_true(fn && fn < de && memcmp(fn + 10, bf + 10, 7 + strlen(names[face]) - 1) == 0);
        size_t norig;
        const unsigned char *orig = (const unsigned char *)slurp(fx->a, files[face], &norig);
        check_font(q, n, cid, tu, orig, norig, shown[face]);
        found |= 1 << face;
    }
    assert_int_equal(found, 3);
}

/* The same bytes with the reduced fonts made, read from the cache, and
 * made again after the cached copy was damaged. */
static void test_disk_cache_same_bytes(void **state)
{
    fixture *fx = *state;
    char *cache = rc_arena_printf(fx->a, "%s/cache", fx->dir);
    assert_int_equal(mkdir(cache, 0755), 0);
    size_t n1, n2, n3, n4;
    setenv("REPORTC_CACHE_DIR", "", 1); /* no cache */
    char *off = write_pdf(fx, "off", &n1);
    setenv("REPORTC_CACHE_DIR", cache, 1);
    char *made = write_pdf(fx, "made", &n2);
    char *cmd = rc_arena_printf(fx->a, "ls '%s/fonts' | grep -c '\\.ttf$'", cache);
    FILE *f = popen(cmd, "r");
    int files = 0;
    assert_int_equal(fscanf(f, "%d", &files), 1);
    pclose(f);
    assert_int_equal(files, 2); /* regular and bold */
    /* a hit leaves the files as they are; a miss would replace them */
    char *inodes = rc_arena_printf(fx->a, "ls -i '%s/fonts'", cache);
    char before[512] = "", after[512] = "";
    f = popen(inodes, "r");
    assert_true(fread(before, 1, sizeof before - 1, f) > 0);
    pclose(f);
    char *hit = write_pdf(fx, "hit", &n3);
    f = popen(inodes, "r");
    assert_true(fread(after, 1, sizeof after - 1, f) > 0);
    pclose(f);
    assert_string_equal(before, after);
    /* damage every kept copy (the last byte): a miss, made again */
    cmd = rc_arena_printf(fx->a,
                          "for f in '%s'/fonts/*.ttf; do printf 'X' | dd of=\"$f\" bs=1 "
                          "seek=$(($(stat -c %%s \"$f\") - 1)) conv=notrunc status=none; done",
                          cache);
    assert_int_equal(system(cmd), 0);
    char *again = write_pdf(fx, "again", &n4);
    memset(after, 0, sizeof after);
    f = popen(inodes, "r");
    assert_true(fread(after, 1, sizeof after - 1, f) > 0);
    pclose(f);
    assert_string_not_equal(before, after); /* made again, kept again */
    assert_true(n1 == n2 && n2 == n3 && n3 == n4);
    assert_memory_equal(off, made, n1);
    assert_memory_equal(off, hit, n1);
    assert_memory_equal(off, again, n1);
    unsetenv("REPORTC_CACHE_DIR");
}

/* The kept copy under its key: found with the same key, not with other
 * codes, and not once damaged or cut short. */
static void test_disk_cache_entries(void **state)
{
    fixture *fx = *state;
    char *cache = rc_arena_printf(fx->a, "%s/cache2", fx->dir);
    assert_int_equal(mkdir(cache, 0755), 0);
    setenv("REPORTC_CACHE_DIR", cache, 1);
    const uint32_t codes[] = {'H', 'a', 'x'}, other[] = {'H', 'b', 'x'};
    uint16_t lig[32] = {0};
    rc_pdf_fontdisk k, k2;
    assert_true(rc_pdf_fontdisk_key(fx->a, FACES[0], codes, 3, lig, &k));
    assert_true(k.keep); /* the repository's font is older than two seconds */
    size_t len;
    assert_null(rc_pdf_fontdisk_get(fx->a, &k, &len));
    const unsigned char data[] = "not really a font, but bytes to keep";
    rc_pdf_fontdisk_put(&k, data, sizeof data);
    /* kept deflated too: the zlib stream of the copy, read back with it */
    assert_non_null(k.z);
    unsigned char back[sizeof data];
    size_t nback = 0;
    struct libdeflate_decompressor *dz = libdeflate_alloc_decompressor();
    assert_int_equal(libdeflate_zlib_decompress(dz, k.z, k.nz, back, sizeof back, &nback),
                     LIBDEFLATE_SUCCESS);
    libdeflate_free_decompressor(dz);
    assert_int_equal(nback, sizeof data);
    assert_memory_equal(back, data, sizeof data);
    rc_pdf_fontdisk k3;
    assert_true(rc_pdf_fontdisk_key(fx->a, FACES[0], codes, 3, lig, &k3));
    assert_null(k3.z);
    const unsigned char *got = rc_pdf_fontdisk_get(fx->a, &k3, &len);
    assert_non_null(got);
    assert_int_equal(len, sizeof data);
    assert_memory_equal(got, data, len);
    assert_int_equal(k3.nz, k.nz);
    assert_memory_equal(k3.z, k.z, k.nz);
    assert_true(rc_pdf_fontdisk_key(fx->a, FACES[0], other, 3, lig, &k2));
    assert_string_not_equal(k.file, k2.file);
    assert_null(rc_pdf_fontdisk_get(fx->a, &k2, &len));
    lig[5] = 7; /* a ligature glyph is part of the key */
    assert_true(rc_pdf_fontdisk_key(fx->a, FACES[0], codes, 3, lig, &k2));
    assert_string_not_equal(k.file, k2.file);
    /* a flipped byte in the deflated bytes (the end of the file), then in
     * the copy (before them) */
    for (int where = 0; where < 2; where++) {
        FILE *f = fopen(k.file, "r+b");
        assert_non_null(f);
        assert_int_equal(fseek(f, where ? -(long)k.nz - 3 : -3, SEEK_END), 0);
        int c = fgetc(f);
        assert_int_equal(fseek(f, where ? -(long)k.nz - 3 : -3, SEEK_END), 0);
        fputc(c ^ 0x20, f);
        fclose(f);
        assert_null(rc_pdf_fontdisk_get(fx->a, &k, &len));
        rc_pdf_fontdisk_put(&k, data, sizeof data);
        assert_non_null(rc_pdf_fontdisk_get(fx->a, &k, &len));
    }
    assert_int_equal(truncate(k.file, 40), 0); /* cut short */
    assert_null(rc_pdf_fontdisk_get(fx->a, &k, &len));
    /* at most RC_PDF_FONTDISK_MAX copies: the oldest go */
    rc_pdf_fontdisk first = {0}, last = {0};
    for (uint32_t i = 0; i < RC_PDF_FONTDISK_MAX + 3; i++) {
        const uint32_t c[] = {'H', 0x100 + i, 'x'};
        rc_pdf_fontdisk *kk = i == 0 ? &first : &last;
        assert_true(rc_pdf_fontdisk_key(fx->a, FACES[0], c, 3, lig, kk));
        rc_pdf_fontdisk_put(kk, data, sizeof data);
        if (i == 0) /* older than the rest on any clock */
            nanosleep(&(struct timespec){0, 20000000}, NULL);
    }
    char *cmd = rc_arena_printf(fx->a, "ls '%s/fonts' | grep -c '\\.ttf$'", cache);
    FILE *ls = popen(cmd, "r");
    int files = 0;
    assert_int_equal(fscanf(ls, "%d", &files), 1);
    pclose(ls);
    assert_int_equal(files, RC_PDF_FONTDISK_MAX);
    assert_null(rc_pdf_fontdisk_get(fx->a, &first, &len));
    assert_non_null(rc_pdf_fontdisk_get(fx->a, &last, &len));
    /* turned off */
    setenv("REPORTC_CACHE_DIR", "", 1);
    assert_false(rc_pdf_fontdisk_key(fx->a, FACES[0], codes, 3, lig, &k2));
    assert_null(rc_pdf_fontdisk_get(fx->a, &k2, &len));
    unsetenv("REPORTC_CACHE_DIR");
}

static int count_files(fixture *fx, const char *cache, const char *pattern)
{
    char *cmd = rc_arena_printf(fx->a, "ls '%s/fonts' | grep -c '%s'", cache, pattern);
    FILE *ls = popen(cmd, "r");
    int files = 0;
    assert_int_equal(fscanf(ls, "%d", &files), 1);
    pclose(ls);
    return files;
}

/* A font's other streams kept deflated by their bytes: made once, found
 * again with the same bytes (and only those), not once damaged, none
 * without a cache directory, at most RC_PDF_FONTDISK_MAX_STREAMS kept
 * (counted apart from the reduced copies). */
static void test_disk_cache_streams(void **state)
{
    fixture *fx = *state;
    char *cache = rc_arena_printf(fx->a, "%s/cache3", fx->dir);
    assert_int_equal(mkdir(cache, 0755), 0);
    setenv("REPORTC_CACHE_DIR", cache, 1);
    unsigned char map[16384] = {0};
    for (int i = 0; i < 200; i++)
        map[64 + 60 * i] = (unsigned char)i;
    size_t nz = 0, nz2 = 0, nback = 0;
    assert_null(rc_pdf_fontdisk_zget(fx->a, map, sizeof map, &nz));
    const unsigned char *z = rc_pdf_fontdisk_zmake(fx->a, map, sizeof map, &nz);
    assert_non_null(z);
    /* the bytes rc_pdf_put_deflated makes: zlib at RC_PDF_ZLEVEL */
    struct libdeflate_compressor *c = libdeflate_alloc_compressor(RC_PDF_ZLEVEL);
    unsigned char *want = malloc(libdeflate_zlib_compress_bound(c, sizeof map));
    size_t nwant = libdeflate_zlib_compress(c, map, sizeof map, want,
                                            libdeflate_zlib_compress_bound(c, sizeof map));
    libdeflate_free_compressor(c);
    assert_int_equal(nz, nwant);
    assert_memory_equal(z, want, nz);
    const unsigned char *again = rc_pdf_fontdisk_zget(fx->a, map, sizeof map, &nz2);
    assert_non_null(again);
    assert_int_equal(nz2, nz);
    assert_memory_equal(again, want, nz);
    unsigned char back[sizeof map];
    struct libdeflate_decompressor *dz = libdeflate_alloc_decompressor();
    assert_int_equal(libdeflate_zlib_decompress(dz, again, nz2, back, sizeof back, &nback),
                     LIBDEFLATE_SUCCESS);
    libdeflate_free_decompressor(dz);
    assert_memory_equal(back, map, sizeof map);
    free(want);
    /* other bytes: not found, even under their name (a hash collision):
     * the bytes are compared */
    map[100] ^= 1;
    assert_null(rc_pdf_fontdisk_zget(fx->a, map, sizeof map, &nz2));
    uint64_t h[2];
    rc_hash128(map, sizeof map, h);
    char *dup = rc_arena_printf(fx->a, "cp \"%s\"/fonts/*.z \"%s/fonts/%016llx%016llx.z\"", cache,
                                cache, (unsigned long long)h[0], (unsigned long long)h[1]);
    assert_int_equal(system(dup), 0);
    assert_int_equal(count_files(fx, cache, "\\.z$"), 2);
    assert_null(rc_pdf_fontdisk_zget(fx->a, map, sizeof map, &nz2));
    map[100] ^= 1;
    char *rm = rc_arena_printf(fx->a, "rm \"%s/fonts/%016llx%016llx.z\"", cache,
                               (unsigned long long)h[0], (unsigned long long)h[1]);
    assert_int_equal(system(rm), 0);
    assert_int_equal(count_files(fx, cache, "\\.z$"), 1);
    /* the kept bytes damaged (a stream byte, then a deflated byte): a miss */
    char *file = rc_arena_printf(fx->a, "%s/fonts/$(ls '%s/fonts')", cache, cache);
    const char *where[] = {"40", "-5"}; /* the header is 40 bytes */
    for (int w = 0; w < 2; w++) {
        char *cmd = rc_arena_printf(
            fx->a,
            "f=\"%s\"; s=$(stat -c %%s \"$f\"); o=%s; [ $o -lt 0 ] && o=$((s + o)); "
            "printf 'X' | dd of=\"$f\" bs=1 seek=$o conv=notrunc status=none",
            file, where[w]);
        assert_int_equal(system(cmd), 0);
        assert_null(rc_pdf_fontdisk_zget(fx->a, map, sizeof map, &nz2));
        assert_non_null(rc_pdf_fontdisk_zmake(fx->a, map, sizeof map, &nz2)); /* kept again */
        assert_non_null(rc_pdf_fontdisk_zget(fx->a, map, sizeof map, &nz2));
    }
    /* at most RC_PDF_FONTDISK_MAX_STREAMS, the oldest go; a reduced copy
     * beside them stays */
    uint16_t lig[32] = {0};
    const uint32_t codes[] = {'H', 'a', 'x'};
    rc_pdf_fontdisk k;
    assert_true(rc_pdf_fontdisk_key(fx->a, FACES[0], codes, 3, lig, &k));
    const unsigned char copy[] = "bytes standing for a reduced font";
    rc_pdf_fontdisk_put(&k, copy, sizeof copy);
    nanosleep(&(struct timespec){0, 20000000}, NULL); /* the first stream is the oldest */
    for (uint32_t i = 0; i < RC_PDF_FONTDISK_MAX_STREAMS + 2; i++) {
        uint32_t cmap[64] = {i + 1};
        assert_non_null(rc_pdf_fontdisk_zmake(fx->a, cmap, sizeof cmap, &nz2));
    }
    assert_int_equal(count_files(fx, cache, "\\.z$"), RC_PDF_FONTDISK_MAX_STREAMS);
    assert_int_equal(count_files(fx, cache, "\\.ttf$"), 1);
    assert_null(rc_pdf_fontdisk_zget(fx->a, map, sizeof map, &nz2)); /* the oldest: gone */
    uint32_t last[64] = {RC_PDF_FONTDISK_MAX_STREAMS + 2};
    assert_non_null(rc_pdf_fontdisk_zget(fx->a, last, sizeof last, &nz2));
    assert_non_null(rc_pdf_fontdisk_get(fx->a, &k, &nz2));
    /* turned off: nothing made, nothing found */
    setenv("REPORTC_CACHE_DIR", "", 1);
    assert_null(rc_pdf_fontdisk_zmake(fx->a, last, sizeof last, &nz2));
    assert_null(rc_pdf_fontdisk_zget(fx->a, last, sizeof last, &nz2));
    unsetenv("REPORTC_CACHE_DIR");
}

int main(void)
{
    /* libharu's calls from the PDF stage go through src/pdf/hpdf_lib.h's
     * table, which rc_pdf_write_cached loads; these tests make and use
     * documents without it */
    if (!rc_hpdf_lib_load(NULL)) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_font_objects, setup, teardown),
        cmocka_unit_test_setup_teardown(test_disk_cache_same_bytes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_disk_cache_entries, setup, teardown),
        cmocka_unit_test_setup_teardown(test_disk_cache_streams, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
