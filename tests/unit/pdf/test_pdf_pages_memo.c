/* Tests for a build's pages' memo (pdf_pagekey.c, pdf_draw.c's
 * draw_page_memo; docs/config.md "Cache"): a PDF's pages are kept between
 * writes in CACHEDIR/pages, whole (their content deflated, the codes and
 * font resources they show, the characters of their ligature codes), and
 * a page drawn the same way again is taken from there. Each write gives
 * the bytes of a write without the cache directory: cold, warm, with fonts
 * loaded anew (a shaper that never shaped the ligatures the kept pages
 * show), with fonts whose ligature code stands for other characters (the
 * page is drawn and kept anew), after an edit of one page, on one CPU (no helper thread: pages
 * missing are drawn and kept by the main thread), with a damaged file and
 * with a memo too small for every page. A warm write writes no file (every
 * page was found); an edit rewrites it once. */
#define _GNU_SOURCE /* sched_setaffinity */
#include <dirent.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "rc/arena.h"
#include "rc/diag.h"
#include "rc/draw.h"
#include "rc/font.h"
#include "rc/layout.h"
#include "rc/pdf.h"
#include "rc/util.h"
#include "rc/zmemo.h"

#include "../base/cache_check.h"
#include "pdf_fixture.h"

typedef pdf_fx fixture;

static char cache_dir[96];

static int setup(void **state)
{
    fixture *fx = pdf_fx_open(state, "/tmp/rc-test-pagesmemo-XXXXXX", "Pages test", "2019");
    snprintf(cache_dir, sizeof cache_dir, "%s/cache", fx->dir);
    setenv("REPORTC_CACHE_DIR", cache_dir, 1);
    rc_zmemo_limit(0);
    return 0;
}

static int teardown(void **state)
{
    rc_zmemo_limit(0);
    return pdf_fx_close(state);
}

/* Pages of text in two faces ("office": an ffi ligature), a rule and a
 * link; word 2 of line 3 of page `edit` replaced by `word` when given. */
static rc_layout document(fixture *fx, size_t pages, size_t edit, const char *word)
{
    return pdf_fixture_document(fx->a, pages, 1, edit, word, NULL);
}

/* Writes lay to dir/name with fonts, with the cache directory or without
 * (REPORTC_CACHE_DIR=""), and returns the file's bytes. */
static char *write_pdf(fixture *fx, const rc_layout *lay, const rc_fonts *fonts, const char *name,
                       bool cached, size_t *n)
{
    char *path = rc_arena_printf(fx->a, "%s/%s", fx->dir, name);
    setenv("REPORTC_CACHE_DIR", cached ? cache_dir : "", 1);
    char *s = pdf_fx_write(fx, lay, fonts, NULL, path, n);
    setenv("REPORTC_CACHE_DIR", cache_dir, 1);
    return s;
}

#define same pdf_fx_same

/* The pages' memo file of the one PDF written with the cache (its inode
 * and modification time: a file written again is a new inode). */
typedef struct stamp {
    char path[512];
    ino_t ino;
    struct timespec mtime;
    off_t size;
} stamp;

static stamp pages_file(void)
{
    stamp s;
    memset(&s, 0, sizeof s);
    char d[160];
    snprintf(d, sizeof d, "%s/pages", cache_dir);
    DIR *dp = opendir(d);
    assert_non_null(dp);
    int n = 0;
    for (struct dirent *e; (e = readdir(dp)) != NULL;) {
        if (e->d_name[0] == '.') continue;
        snprintf(s.path, sizeof s.path, "%s/%s", d, e->d_name);
        n++;
    }
    closedir(dp);
    assert_int_equal(n, 1);
    struct stat st;
    assert_int_equal(stat(s.path, &st), 0);
    s.ino = st.st_ino;
    s.mtime = st.st_mtim;
    s.size = st.st_size;
    return s;
}

static bool same_file(stamp a, stamp b)
{
    return a.ino == b.ino && a.mtime.tv_sec == b.mtime.tv_sec &&
           a.mtime.tv_nsec == b.mtime.tv_nsec && a.size == b.size;
}

/* The fixture's faces loaded again into a (a new shaper for each: no
 * ligature shaped yet). */
static rc_fonts fonts_again(fixture *fx, rc_arena *a)
{
    rc_fonts f;
    rc_loc locs[RC_FONT_COUNT] = {{0}};
    assert_int_equal(rc_fonts_load(a, FACES, locs, fx->d, &f), RC_OK);
    return f;
}

static void test_cold_warm_and_fresh_fonts(void **state)
{
    fixture *fx = *state;
    rc_layout lay = document(fx, 6, 0, NULL);
    size_t n0, n1, n2, n3;
    char *plain = write_pdf(fx, &lay, &fx->fonts, "plain.pdf", false, &n0);
    char *cold = write_pdf(fx, &lay, &fx->fonts, "out.pdf", true, &n1);
    same(plain, n0, cold, n1);
    stamp kept = pages_file();
    char *warm = write_pdf(fx, &lay, &fx->fonts, "out.pdf", true, &n2);
    same(plain, n0, warm, n2);
    assert_true(same_file(kept, pages_file())); /* every page found: nothing written */
    /* fonts loaded anew: the kept pages' ligature codes are shown without
     * shaping, and the new shaper takes their characters from the memo
     * (without them the ToUnicode CMap and the /W widths lose the ffi) */
    rc_arena *a = rc_arena_new();
    rc_fonts f = fonts_again(fx, a);
    char *fresh = write_pdf(fx, &lay, &f, "out.pdf", true, &n3);
    same(plain, n0, fresh, n3);
    assert_true(same_file(kept, pages_file()));
    rc_arena_free(a);
}

static void test_one_page_edited(void **state)
{
    fixture *fx = *state;
    rc_layout lay = document(fx, 6, 0, NULL);
    rc_layout edit = document(fx, 6, 3, "pairing");
    size_t n0, n1, n2, n3;
    write_pdf(fx, &lay, &fx->fonts, "out.pdf", true, &n1);
    stamp before = pages_file();
    char *plain = write_pdf(fx, &edit, &fx->fonts, "plain.pdf", false, &n0);
    char *cached = write_pdf(fx, &edit, &fx->fonts, "out.pdf", true, &n2);
    same(plain, n0, cached, n2);
    stamp after = pages_file();
    assert_false(same_file(before, after)); /* the edited page was kept */
    char *again = write_pdf(fx, &edit, &fx->fonts, "out.pdf", true, &n3);
    same(plain, n0, again, n3);
    assert_true(same_file(after, pages_file()));
}

/* A kept page whose ligature code stands, for the fonts of this write, for
 * other characters (a shaper that took them first) is drawn, not taken:
 * the write gives the bytes of a write without the cache with those
 * fonts, and the kept page is replaced. */
static void test_ligature_characters_differ(void **state)
{
    fixture *fx = *state;
    rc_layout lay = document(fx, 3, 0, NULL);
    size_t n0, n1, n2, n3;
    char *cold = write_pdf(fx, &lay, &fx->fonts, "out.pdf", true, &n0);
    stamp kept = pages_file();
    /* the regular face's ligature codes the pages showed ("office": ffi) */
    const rc_font *reg = fx->fonts.f[RC_FONT_REGULAR];
    unsigned code = 0;
    for (unsigned c = 1; c <= RC_FONT_MAXLIG && !code; c++) {
        uint16_t g;
        const char *t;
        if (rc_font_ligature(reg, c, &g, &t)) code = c;
    }
    assert_true(code != 0);
    rc_arena *a = rc_arena_new();
    rc_fonts f1 = fonts_again(fx, a), f2 = fonts_again(fx, a);
    assert_true(rc_font_ligature_take(f1.f[RC_FONT_REGULAR], code, "zz", 2));
    assert_true(rc_font_ligature_take(f2.f[RC_FONT_REGULAR], code, "zz", 2));
    assert_false(rc_font_ligature_take(f2.f[RC_FONT_REGULAR], code, "ffi", 3)); /* (taken) */
    char *plain = write_pdf(fx, &lay, &f1, "plain.pdf", false, &n1);
    assert_true(n1 != n0 || memcmp(plain, cold, n0) != 0); /* (the test proves something) */
    char *got = write_pdf(fx, &lay, &f2, "out.pdf", true, &n2);
    same(plain, n1, got, n2);
    stamp now = pages_file();
    assert_false(same_file(kept, now)); /* the page drawn again was kept instead */
    char *again = write_pdf(fx, &lay, &f2, "out.pdf", true, &n3);
    same(plain, n1, again, n3);
    assert_true(same_file(now, pages_file()));
    rc_arena_free(a);
}

/* On one CPU there is no helper thread: pages missing from the memo are
 * drawn, deflated and kept by the main thread; the other way round, pages
 * kept by the helper are taken by a write on one CPU. */
static void test_one_cpu(void **state)
{
    fixture *fx = *state;
    rc_layout lay = document(fx, 5, 0, NULL);
    size_t n0, n1, n2, n3, n4;
    char *plain = write_pdf(fx, &lay, &fx->fonts, "plain.pdf", false, &n0);
    cpu_set_t old;
    pdf_fixture_one_cpu(&old);
    char *cold = write_pdf(fx, &lay, &fx->fonts, "one.pdf", true, &n1);
    pdf_fixture_all_cpus(&old);
    same(plain, n0, cold, n1);
    stamp kept = pages_file();
    char *warm = write_pdf(fx, &lay, &fx->fonts, "one.pdf", true, &n2);
    same(plain, n0, warm, n2);
    assert_true(same_file(kept, pages_file()));
    assert_int_equal(unlink(kept.path), 0);
    char *two = write_pdf(fx, &lay, &fx->fonts, "one.pdf", true, &n3);
    same(plain, n0, two, n3);
    kept = pages_file();
    pdf_fixture_one_cpu(&old);
    char *one = write_pdf(fx, &lay, &fx->fonts, "one.pdf", true, &n4);
    pdf_fixture_all_cpus(&old);
    same(plain, n0, one, n4);
    assert_true(same_file(kept, pages_file()));
}

/* A damaged file (a byte changed in each of its parts, or cut short) is
 * a miss: the same bytes, and the file written anew. */
static void test_damaged(void **state)
{
    fixture *fx = *state;
    rc_layout lay = document(fx, 4, 0, NULL);
    size_t n0, n1;
    char *plain = write_pdf(fx, &lay, &fx->fonts, "plain.pdf", false, &n0);
    write_pdf(fx, &lay, &fx->fonts, "out.pdf", true, &n1);
    for (int k = 1; k <= 4; k++) {
        stamp s = pages_file();
        if (k == 4)
            assert_int_equal(truncate(s.path, s.size / 2), 0);
        else
            rc_test_damage(s.path, k / 4.0, 0x5A);
        size_t n;
        char *got = write_pdf(fx, &lay, &fx->fonts, "out.pdf", true, &n);
        same(plain, n0, got, n);
    }
}

/* A memo file too small for every page's key: the first pages are kept,
 * those after them drawn every time, with the same bytes, and a warm
 * write still writes no file. */
static void test_small_memo(void **state)
{
    fixture *fx = *state;
    rc_zmemo_limit(24 << 10); /* keys: a quarter, 6 KB (a page's is ~3 KB) */
    rc_layout lay = document(fx, 8, 0, NULL);
    size_t n0, n1, n2;
    char *plain = write_pdf(fx, &lay, &fx->fonts, "plain.pdf", false, &n0);
    char *cold = write_pdf(fx, &lay, &fx->fonts, "out.pdf", true, &n1);
    same(plain, n0, cold, n1);
    stamp kept = pages_file();
    assert_true(kept.size <= (24 << 10));
    char *warm = write_pdf(fx, &lay, &fx->fonts, "out.pdf", true, &n2);
    same(plain, n0, warm, n2);
    assert_true(same_file(kept, pages_file()));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_cold_warm_and_fresh_fonts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_one_page_edited, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ligature_characters_differ, setup, teardown),
        cmocka_unit_test_setup_teardown(test_one_cpu, setup, teardown),
        cmocka_unit_test_setup_teardown(test_damaged, setup, teardown),
        cmocka_unit_test_setup_teardown(test_small_memo, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
