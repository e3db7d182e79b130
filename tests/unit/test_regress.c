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
 * stack memory (src/layout_front.c circle()). The PDF back end hashes every
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cover_close_segments_initialised),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
