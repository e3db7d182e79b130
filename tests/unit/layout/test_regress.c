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

#include "fixture.h"

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
    assert_int_equal(rc_test_fonts(a, d, &fonts), RC_OK);
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

/* The work of a lookup is counted, not timed (no timed unit tests: a loaded
 * machine made the clock() ratios fail): this test is linked with
 * -Wl,--wrap=strcmp (CMakeLists.txt), so every strcmp the library makes
 * goes through here. The duplicate checks of src/config/config.c confirm a
 * match with strcmp; the quadratic scans they replaced made one strcmp per
 * earlier header or key. Wall-clock figures for the same inputs come from
 * bench/ini-scale.sh. */
int __real_strcmp(const char *x, const char *y);
int __wrap_strcmp(const char *x, const char *y);
static size_t strcmp_calls;
int __wrap_strcmp(const char *x, const char *y)
{
    strcmp_calls++;
    return __real_strcmp(x, y);
}

/* Parses text with rc_config_parse, checks the one duplicate is reported as
 * want, and returns the strcmp calls the parse made. */
static size_t counted_parse(const char *file, const char *text, size_t len, const char *what,
                            const char *want)
{
    rc_arena *a = rc_arena_new();
    rc_diag *d = rc_diag_new();
    rc_config *c = NULL;
    strcmp_calls = 0;
    rc_config_parse(a, file, ".", text, len, d, &c);
    size_t calls = strcmp_calls;
    char buf[256];
    size_t dup = 0;
    for (size_t i = 0; i < rc_diag_count(d); i++) {
        rc_diag_format(rc_diag_get(d, i), buf, sizeof buf);
        if (strstr(buf, what)) {
            dup++;
            assert_string_equal(buf, want);
        }
    }
    assert_int_equal(dup, 1);
    rc_diag_free(d);
    rc_arena_free(a);
    return calls;
}

/* "[metric mI]" sections 0..n-1, then a duplicate of m5: the duplicate is
 * reported against the right line; returns the strcmp calls of the parse. */
static size_t parse_sections(size_t n)
{
    size_t cap = 64 + n * 40;
    char *text = malloc(cap);
    assert_non_null(text);
    size_t len = (size_t)snprintf(text, cap, "[report]\ntitle = t\n");
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(text + len, cap - len, "[metric m%zu]\nsource = survey\n", i);
    len += (size_t)snprintf(text + len, cap - len, "[metric m5]\nsource = survey\n");
    /* m5 is on line 3 + 2 * 5; the duplicate after the n metrics */
    char want[128];
    snprintf(want, sizeof want,
             "big.ini:%zu:1: error: duplicate section [metric m5] (first on line 13)", 3 + 2 * n);
    size_t calls = counted_parse("big.ini", text, len, "duplicate section", want);
    free(text);
    return calls;
}

/* Stress inputs (docs/reliability.md): the duplicate-section check of
 * src/config/config.c compared every header with every earlier one, so 20,000
 * sections took 3.6 s and 100,000 about 90 s (n^2/2 comparisons: 32 million
 * for 8,000). Four times the sections must cost about four times the
 * comparisons (all of the parse's: about 21 per section), not sixteen. */
static void test_many_sections_linear(void **state)
{
    (void)state;
    size_t small = parse_sections(8000), big = parse_sections(32000);
    printf("# strcmp calls: 8000 sections %zu, 32000 sections %zu\n", small, big);
    assert_true(small >= 1);       /* the duplicate is confirmed by a comparison */
    assert_true(big <= 6 * small); /* 4.0 today; quadratic gives 16 */
    assert_true(big <= 100 * 32000);
}

/* One [report] section with n keys "kI = v", then a duplicate of k20
 * (past the linear-scan threshold); returns the strcmp calls of the parse. */
static size_t parse_keys(size_t n)
{
    size_t cap = 64 + n * 24;
    char *text = malloc(cap);
    assert_non_null(text);
    size_t len = (size_t)snprintf(text, cap, "[report]\ntitle = t\n");
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(text + len, cap - len, "k%zu = v\n", i);
    len += (size_t)snprintf(text + len, cap - len, "k20 = again\n");
    char want[128];
    snprintf(want, sizeof want,
             "keys.ini:%zu:1: error: duplicate key 'k20' in [report] (first on line 23)", 3 + n);
    size_t calls = counted_parse("keys.ini", text, len, "duplicate key", want);
    free(text);
    return calls;
}

/* Same defect for keys: every key was compared with every earlier key of
 * its section (20,000 keys: 3 s). */
static void test_many_keys_linear(void **state)
{
    (void)state;
    size_t small = parse_keys(8000), big = parse_keys(32000);
    printf("# strcmp calls: 8000 keys %zu, 32000 keys %zu\n", small, big);
    assert_true(small >= 1);
    assert_true(big <= 6 * small); /* 4.0 today; quadratic gives 16 */
    assert_true(big <= 100 * 32000);
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
