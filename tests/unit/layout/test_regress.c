/* test_regress: regressions for defects found by the reliability checks
 * (fuzzing, valgrind, soak; docs/reliability.md). Each test names the check
 * that found the defect and the input that showed it. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <time.h>

#include "rc/config.h"
#include "rc/doc.h"
#include "rc/draw.h"
#include "rc/layout.h"
#include "rc/locale.h"

/* Fills a stretch of stack below the caller with a non-zero pattern, so a
 * later call that reads an uninitialised local sees garbage, not zeros.
 * noinline and volatile keep the compiler from removing it. */
__attribute__((noinline)) static void poison_stack(void)
{
    volatile unsigned char junk[64 * 1024];
    memset((void *)junk, 0xAB, sizeof junk);
    (void)junk[sizeof junk - 1];
}

static int close_segments_zero(const rc_draw_list *l, int depth, size_t *paths)
{
    int bad = 0;
    for (size_t i = 0; l && depth < 16 && i < l->ops.n; i++) {
        const rc_draw_op *op = &l->ops.v[i];
        if (op->kind == RC_DRAW_GROUP) bad += close_segments_zero(op->group, depth + 1, paths);
        if (op->kind != RC_DRAW_PATH) continue;
        (*paths)++;
        for (size_t k = 0; k < op->nsegs; k++) {
            const rc_path_seg *s = &op->segs[k];
            if (!isfinite(s->x) || !isfinite(s->y) || !isfinite(s->x1) || !isfinite(s->y1) ||
                !isfinite(s->x2) || !isfinite(s->y2))
                bad++;
            if (s->op == RC_PATH_CLOSE &&
                (s->x != 0 || s->y != 0 || s->x1 != 0 || s->y1 != 0 || s->x2 != 0 || s->y2 != 0))
                bad++;
        }
    }
    return bad;
}

/* valgrind (make test-valgrind, `reportc build` of the sample): the cover's
 * circles ended with a CLOSE segment whose coordinates were uninitialised
 * stack memory (src/layout/layout_front.c circle()). The PDF back end hashes every
 * coordinate of every op into the document ID, so the bytes of the PDF
 * depended on stack garbage. Every CLOSE segment must be all zeros. */
static void test_cover_close_segments_initialised(void **state)
{
    (void)state;
    rc_arena *a = rc_arena_new();
    rc_diag *d = rc_diag_new();
    rc_fonts fonts;
    const char *paths[RC_FONT_COUNT] = {"fonts/Lato-Regular.ttf", "fonts/Lato-Italic.ttf",
                                        "fonts/Lato-Bold.ttf", "fonts/Lato-BoldItalic.ttf",
                                        "fonts/Lato-Light.ttf"};
    assert_int_equal(rc_fonts_load(a, paths, NULL, d, &fonts), RC_OK);
    rc_config cfg = {0};
    cfg.style.font_size = 10;
    cfg.report.title.s = "A report on regional pairings";
    cfg.report.year.s = "2020";
    rc_doc doc = {.cfg = &cfg, .locale = rc_locale_get("en")};
    rc_loc none = {"t.md", 1, 1};
    doc.root = rc_node_new(a, RC_NODE_DOCUMENT, none);
    rc_node_append(doc.root, rc_node_new(a, RC_NODE_COVER, none));
    rc_node *sec = rc_node_new(a, RC_NODE_SECTION, none);
    sec->part = RC_PART_MAIN;
    rc_node_append(doc.root, sec);
    rc_node *p = rc_node_new(a, RC_NODE_PARAGRAPH, none);
    rc_node_append(sec, p);
    rc_node *t = rc_node_new(a, RC_NODE_TEXT, none);
    t->text = "Text.";
    t->len = 5;
    rc_node_append(p, t);
    rc_layout lay = {0};
    poison_stack();
    assert_int_equal(rc_layout_document(a, &doc, &fonts, NULL, d, &lay), RC_OK);
    assert_true(lay.pages.n >= 1);
    size_t paths_seen = 0;
    for (size_t i = 0; i < lay.pages.n; i++) {
        assert_int_equal(close_segments_zero(lay.pages.v[i].content, 0, &paths_seen), 0);
    }
    assert_true(paths_seen > 0); /* the cover does draw circles */
    rc_diag_free(d);
    rc_arena_free(a);
}

/* "[metric mI]" sections 0..n-1, then a duplicate of m5. Returns the CPU
 * seconds rc_config_parse took (best of 3) and checks the duplicate is
 * reported against the right line. */
static double parse_sections(size_t n)
{
    size_t cap = 64 + n * 40;
    char *text = malloc(cap);
    assert_non_null(text);
    size_t len = (size_t)snprintf(text, cap, "[report]\ntitle = t\n");
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(text + len, cap - len, "[metric m%zu]\nsource = survey\n", i);
    len += (size_t)snprintf(text + len, cap - len, "[metric m5]\nsource = survey\n");
    double best = 1e9;
    for (int round = 0; round < 3; round++) {
        rc_arena *a = rc_arena_new();
        rc_diag *d = rc_diag_new();
        rc_config *c = NULL;
        clock_t t0 = clock();
        rc_config_parse(a, "big.ini", ".", text, len, d, &c);
        double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
        if (secs < best) best = secs;
        /* m5 is on line 3 + 2 * 5; the duplicate after the n metrics */
        char want[128], buf[256];
        snprintf(want, sizeof want,
                 "big.ini:%zu:1: error: duplicate section [metric m5] (first on line 13)",
                 3 + 2 * n);
        size_t dup = 0;
        for (size_t i = 0; i < rc_diag_count(d); i++) {
            rc_diag_format(rc_diag_get(d, i), buf, sizeof buf);
            if (strstr(buf, "duplicate section")) {
                dup++;
                assert_string_equal(buf, want);
            }
        }
        assert_int_equal(dup, 1);
        rc_diag_free(d);
        rc_arena_free(a);
    }
    free(text);
    return best;
}

/* Stress inputs (docs/reliability.md): the duplicate-section check of
 * src/config/config.c compared every header with every earlier one, so 20,000
 * sections took 3.6 s and 100,000 about 90 s. Four times the sections
 * must cost about four times as much, not sixteen. */
static void test_many_sections_linear(void **state)
{
    (void)state;
    double small = parse_sections(8000), big = parse_sections(32000);
    if (small < 1e-3) small = 1e-3; /* clock resolution */
    printf("# 8000 sections %.3f s, 32000 sections %.3f s (ratio %.1f)\n", small, big, big / small);
    assert_true(big / small < 10.0);
}

/* One [report] section with n keys "kI = v", then a duplicate of k20
 * (past the linear-scan threshold). Best-of-3 CPU seconds of the parse. */
static double parse_keys(size_t n)
{
    size_t cap = 64 + n * 24;
    char *text = malloc(cap);
    assert_non_null(text);
    size_t len = (size_t)snprintf(text, cap, "[report]\ntitle = t\n");
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(text + len, cap - len, "k%zu = v\n", i);
    len += (size_t)snprintf(text + len, cap - len, "k20 = again\n");
    double best = 1e9;
    for (int round = 0; round < 3; round++) {
        rc_arena *a = rc_arena_new();
        rc_diag *d = rc_diag_new();
        rc_config *c = NULL;
        clock_t t0 = clock();
        rc_config_parse(a, "keys.ini", ".", text, len, d, &c);
        double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
        if (secs < best) best = secs;
        char want[128], buf[256];
        snprintf(want, sizeof want,
                 "keys.ini:%zu:1: error: duplicate key 'k20' in [report] (first on line 23)",
                 3 + n);
        size_t dup = 0;
        for (size_t i = 0; i < rc_diag_count(d); i++) {
            rc_diag_format(rc_diag_get(d, i), buf, sizeof buf);
            if (strstr(buf, "duplicate key")) {
                dup++;
                assert_string_equal(buf, want);
            }
        }
        assert_int_equal(dup, 1);
        rc_diag_free(d);
        rc_arena_free(a);
    }
    free(text);
    return best;
}

/* Same defect for keys: every key was compared with every earlier key of
 * its section (20,000 keys: 3 s). */
static void test_many_keys_linear(void **state)
{
    (void)state;
    double small = parse_keys(8000), big = parse_keys(32000);
    if (small < 1e-3) small = 1e-3;
    printf("# 8000 keys %.3f s, 32000 keys %.3f s (ratio %.1f)\n", small, big, big / small);
    assert_true(big / small < 10.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cover_close_segments_initialised),
        cmocka_unit_test(test_many_sections_linear),
        cmocka_unit_test(test_many_keys_linear),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
