/* Tests for the structure tree's elements (rc/tag.h): creation order is the
 * index, a NULL parent is the root, heading types clamp to H1..H6, names are
 * the standard PDF 1.7 ones, and the draw list stamps its current element on
 * every op appended. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "rc/draw.h"
#include "rc/tag.h"

static void test_tree(void **state)
{
    (void)state;
    rc_arena *a = rc_arena_new();
    rc_tags *t = rc_tags_new(a, RC_TAG_DOCUMENT);
    rc_tag *s = rc_tag_add(a, t, NULL, RC_TAG_SECT);
    rc_tag *p = rc_tag_add(a, t, s, RC_TAG_P);
    assert_ptr_equal(s->parent, t->root);
    assert_ptr_equal(p->parent, s);
    assert_int_equal(t->all.n, 3);
    for (size_t i = 0; i < t->all.n; i++)
        assert_int_equal(t->all.v[i]->index, i);
    assert_int_equal(rc_tag_heading(0), RC_TAG_H1);
    assert_int_equal(rc_tag_heading(3), RC_TAG_H3);
    assert_int_equal(rc_tag_heading(9), RC_TAG_H6);
    assert_string_equal(rc_tag_name(RC_TAG_TOCI), "TOCI");
    assert_string_equal(rc_tag_name(RC_TAG_LBODY), "LBody");
    assert_string_equal(rc_tag_name(RC_TAG_DOCUMENT), "Document");
    for (int k = 0; k < RC_TAG_TYPE_COUNT; k++)
        assert_true(rc_tag_name((rc_tag_type)k)[0] != '\0');
    rc_arena_free(a);
}

static void test_draw_list_stamps(void **state)
{
    (void)state;
    rc_arena *a = rc_arena_new();
    rc_tags *t = rc_tags_new(a, RC_TAG_DOCUMENT);
    rc_tag *fig = rc_tag_add(a, t, NULL, RC_TAG_FIGURE);
    rc_draw_list *l = rc_draw_new(a);
    rc_rgb black = {0, 0, 0};
    rc_draw_rect(a, l, 0, 0, 1, 1, &black, NULL, 0); /* an artifact */
    l->tag = fig;
    rc_draw_text(a, l, RC_FONT_REGULAR, 10, 0, 0, "x", 1, black);
    l->tag = NULL;
    rc_draw_line(a, l, 0, 0, 1, 1, black, 1);
    assert_null(l->ops.v[0].tag);
    assert_ptr_equal(l->ops.v[1].tag, fig);
    assert_null(l->ops.v[2].tag);
    assert_null(l->ops.v[1].actual);
    rc_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tree),
        cmocka_unit_test(test_draw_list_stamps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
