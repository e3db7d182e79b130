/* Tests for the fonts' facts kept between builds (font.c, "facts"; issue
 * 18): a process whose cache has them loads the fonts, measures the code
 * points asked for before and sets up its shapers without loading
 * HarfBuzz, and every number it gives (metrics, glyphs, advances, widths,
 * kerning, ligature codes, what they stand for) is bit for bit that of a
 * process without cache. What the facts lack (a text to shape, a page of
 * code points not asked for before) loads HarfBuzz then. A damaged entry
 * is as none, and a font file changed less than two seconds ago keeps
 * none. Each build is a child process (fork), so that what one loads does
 * not leak into the next. */
#define _GNU_SOURCE /* dladdr, for dlib_check.h */
#include <dlfcn.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "../layout/fixture.h"
#include "rc/arena.h"
#include "rc/font.h"
#include "rc/hb_lib.h"
#include "../base/cache_check.h"
#include "../base/dlib_check.h"

static char dir[64], cache[96];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/rc-test-facts-XXXXXX");
    if (!mkdtemp(dir)) return -1;
    snprintf(cache, sizeof cache, "%s/cache", dir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return rc_test_rm_tree(dir);
}

/* What a build measures, written as bytes to compare. */
typedef struct out {
    unsigned char b[1 << 16];
    size_t n;
} out;

static void put(out *o, const void *p, size_t n)
{
    assert_true(o->n + n <= sizeof o->b);
    memcpy(o->b + o->n, p, n);
    o->n += n;
}

static void put_d(out *o, double v)
{
    put(o, &v, sizeof v);
}

/* The code points asked for first, and those of a page asked for later. */
static const uint32_t known[] = {'A', 'V',  'f',  'i',  'l',    ' ',
                                 '.', 0xE9, 0xE7, 0xE3, 0x2019, 0x2013};
static const uint32_t later[] = {0x0416, 0x0431}; /* Cyrillic: not asked before */
static const char *const texts[] = {"office", "AVATAR Wave", "fluffier affluent", "Tó, ç, ã",
                                    "fi",     "V.",          "Zyzzyva’s"};

/* Metrics, glyphs and advances of the known code points, and the shapers
 * made (an empty text): no shaping. */
static void measure_plain(const rc_fonts *fs, out *o)
{
    for (int i = 0; i < RC_FONT_COUNT; i++) {
        const rc_font *f = fs->f[i];
        put_d(o, rc_font_ascent(f));
        put_d(o, rc_font_descent(f));
        put_d(o, rc_font_cap_height(f));
        for (size_t k = 0; k < sizeof known / sizeof known[0]; k++) {
            uint16_t g = rc_font_glyph(f, known[k]);
            put(o, &g, sizeof g);
            put_d(o, rc_font_advance(f, known[k]));
        }
        put_d(o, rc_font_text_width(f, "", 0, 10.0));
    }
}

/* Texts shaped (widths, kerning, codes), then the ligature codes set and
 * the code points of the later page. */
static void measure_shaped(const rc_fonts *fs, out *o)
{
    for (int i = 0; i < RC_FONT_COUNT; i++) {
        const rc_font *f = fs->f[i];
        for (size_t t = 0; t < sizeof texts / sizeof texts[0]; t++) {
            size_t n = strlen(texts[t]);
            put_d(o, rc_font_text_width(f, texts[t], n, 10.0));
            const float *kern;
            const uint8_t *lig;
            rc_font_shaped(f, texts[t], n, &kern, &lig);
            for (size_t b = 0; b < n; b++) {
                float k = kern ? kern[b] : 0.0f;
                uint8_t l = lig ? lig[b] : 0;
                put(o, &k, sizeof k);
                put(o, &l, 1);
            }
        }
        for (unsigned c = 1; c <= RC_FONT_MAXLIG; c++) {
            uint16_t g = 0;
            const char *t = "";
            bool set = rc_font_ligature(f, c, &g, &t);
            put(o, &set, 1);
            put(o, &g, sizeof g);
            put(o, t, strlen(t) + 1);
        }
        for (size_t k = 0; k < sizeof later / sizeof later[0]; k++) {
            uint16_t g = rc_font_glyph(f, later[k]);
            put(o, &g, sizeof g);
            put_d(o, rc_font_advance(f, later[k]));
        }
    }
}

/* What a child reports besides its numbers. */
enum { LOADED_PLAIN = 1, LOADED_END = 2 };

/* One build in a child process: with the cache directory c ("" none),
 * plain only (the known code points) or everything; its numbers and
 * whether HarfBuzz was loaded after the plain part and at the end into
 * *o and *flags. */
static void build(const char *c, bool shaped, out *o, unsigned *flags)
{
    char file[128];
    snprintf(file, sizeof file, "%s/out", dir);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        setenv("REPORTC_CACHE_DIR", c, 1);
        static out mine;
        mine.n = 0;
        rc_arena *a = rc_arena_new();
        rc_diag *d = rc_diag_new();
        rc_fonts fs;
        if (rc_test_fonts(a, d, &fs) != RC_OK) _exit(10);
        measure_plain(&fs, &mine);
        unsigned fl = rc_hb_lib_loaded() ? LOADED_PLAIN : 0;
        if (shaped) measure_shaped(&fs, &mine);
        if (rc_hb_lib_loaded()) fl |= LOADED_END;
        rc_arena_free(a); /* (keeps the facts) */
        rc_diag_free(d);
        FILE *f = fopen(file, "wb");
        if (!f || fwrite(&fl, sizeof fl, 1, f) != 1 || fwrite(mine.b, 1, mine.n, f) != mine.n ||
            fclose(f) != 0)
            _exit(11);
        _exit(0);
    }
    rc_test_wait_exit(pid, 0);
    FILE *f = fopen(file, "rb");
    assert_non_null(f);
    assert_int_equal(fread(flags, sizeof *flags, 1, f), 1);
    o->n = fread(o->b, 1, sizeof o->b, f);
    fclose(f);
}

static size_t facts_files(void)
{
    char cmd[192];
    snprintf(cmd, sizeof cmd, "ls %s/facts 2>/dev/null | wc -l", cache);
    FILE *p = popen(cmd, "r");
    size_t n = 0;
    assert_int_equal(fscanf(p, "%zu", &n), 1);
    pclose(p);
    return n;
}

static out ref, got;

/* The first build with a cache keeps the facts (waiting out the two
 * seconds in which a font just written, a fresh checkout, is not
 * trusted); the next measures the known code points without HarfBuzz. */
static void test_without_harfbuzz(void **state)
{
    (void)state;
    unsigned fl;
    build("", true, &ref, &fl);
    assert_int_equal(fl, LOADED_PLAIN | LOADED_END); /* no cache: HarfBuzz from the start */
    build(cache, false, &got, &fl);
    if (facts_files() == 0) {
        sleep(3);
        build(cache, false, &got, &fl);
    }
    assert_true(facts_files() > 0);
    assert_int_equal(fl, LOADED_PLAIN | LOADED_END); /* cold: loaded */
    build(cache, false, &got, &fl);
    assert_int_equal(fl, 0); /* the facts: never loaded */
    out plain;
    build("", false, &plain, &fl);
    assert_int_equal(got.n, plain.n);
    assert_memory_equal(got.b, plain.b, plain.n);
    /* texts to shape: loaded then, and everything as without cache */
    build(cache, true, &got, &fl);
    assert_int_equal(fl, LOADED_END);
    assert_int_equal(got.n, ref.n);
    assert_memory_equal(got.b, ref.b, ref.n);
    /* ... and again, the later page now kept too */
    build(cache, true, &got, &fl);
    assert_int_equal(fl, LOADED_END);
    assert_memory_equal(got.b, ref.b, ref.n);
}

/* Every facts file damaged (a byte changed, or cut): the same numbers,
 * HarfBuzz loaded, and the facts written again. */
static void test_damaged(void **state)
{
    (void)state;
    char cmd[512];
    unsigned fl;
    for (int cut = 0; cut < 2; cut++) {
        snprintf(cmd, sizeof cmd,
                 cut ? "for f in %s/facts/*; do truncate -s -3 \"$f\"; done"
                     : "for f in %s/facts/*; do printf 'X' | dd of=\"$f\" bs=1 seek=200 "
                       "conv=notrunc 2>/dev/null; done",
                 cache);
        assert_int_equal(system(cmd), 0);
        build(cache, false, &got, &fl);
        assert_int_equal(fl, LOADED_PLAIN | LOADED_END);
        build(cache, true, &got, &fl);
        assert_int_equal(fl, LOADED_END);
        assert_int_equal(got.n, ref.n);
        assert_memory_equal(got.b, ref.b, ref.n);
        build(cache, false, &got, &fl);
        assert_int_equal(fl, 0);
    }
}

/* A font file changed less than two seconds ago keeps no facts (a change
 * within one tick of the file system's clock could keep its times); once
 * it is older, it does. */
/* The font rc_font_load reads in a child (rc_test_in_child). */
static char child_font[128];

static bool load_child_font(void)
{
    setenv("REPORTC_CACHE_DIR", cache, 1);
    rc_arena *a = rc_arena_new();
    rc_diag *d = rc_diag_new();
    rc_font *f = rc_font_load(a, child_font, (rc_loc){"x.ini", 1, 1}, d);
    bool ok = f && rc_font_advance(f, 'e') > 0;
    rc_arena_free(a); /* (keeps the facts, if any) */
    rc_diag_free(d);
    return ok;
}

static void test_recent_file(void **state)
{
    (void)state;
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", cache);
    assert_int_equal(system(cmd), 0);
    snprintf(child_font, sizeof child_font, "%s/Copy-Regular.ttf", dir);
    snprintf(cmd, sizeof cmd, "cp '%s/fonts/Lato-Regular.ttf' '%s'", RC_SOURCE_DIR, child_font);
    assert_int_equal(system(cmd), 0);
    fflush(NULL);
    rc_test_in_child(load_child_font);
    assert_int_equal(facts_files(), 0); /* just written: none kept */
    sleep(3);
    rc_test_in_child(load_child_font);
    assert_int_equal(facts_files(), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_without_harfbuzz),
        cmocka_unit_test(test_damaged),
        cmocka_unit_test(test_recent_file),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
