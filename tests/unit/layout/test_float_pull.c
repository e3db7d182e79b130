/* test_float_pull: a float that does not fit below the text of its page
 * may go ahead of that text, right after the floats already on the page
 * (in their order), when that fills the page its callout is on; the sample's
 * Portuguese p23 was 32 % empty because a box waited for the chapter's last
 * page behind a box placed in the flow. Documents built by hand, laid out
 * with the real Lato fonts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"

#include "rc/doc.h"
#include "rc/layout.h"

typedef rc_test_doc fx;

static int setup(void **state)
{
    return (*state = rc_test_doc_new()) ? 0 : -1;
}

static rc_node *node(fx *f, rc_node_type t, rc_node *parent)
{
    rc_node *n = rc_node_new(f->a, t, (rc_loc){"t.md", 1, 1});
    if (parent) rc_node_append(parent, n);
    return n;
}

static void text(fx *f, rc_node *parent, const char *s)
{
    rc_node *n = node(f, RC_NODE_TEXT, parent);
    n->text = rc_arena_strdup(f->a, s);
    n->len = strlen(s);
}

/* n words of running text */
static char *words(fx *f, int n)
{
    static const char *w[] = {"regional", "partners", "shared", "their", "innovation",
                              "plans",    "and",      "built",  "on",    "strategies"};
    char *s = rc_arena_strdup(f->a, "Text");
    for (int i = 1; i < n; i++)
        s = rc_arena_printf(f->a, "%s %s", s, w[(i * 7) % 10]);
    return rc_arena_printf(f->a, "%s.", s);
}

/* A paragraph of n words; a link to box id after `at` of them (at < 0: none). */
static void para(fx *f, rc_node *parent, int n, int at, const char *id)
{
    rc_node *p = node(f, RC_NODE_PARAGRAPH, parent);
    if (at < 0) {
        text(f, p, words(f, n));
        return;
    }
    text(f, p, rc_arena_printf(f->a, "%s ", words(f, at)));
    rc_node *link = node(f, RC_NODE_LINK, p);
    link->url = rc_arena_printf(f->a, "#%s", id);
    text(f, link, "Box 2");
    text(f, p, rc_arena_printf(f->a, " %s", words(f, n - at)));
}

static void box(fx *f, rc_node *sec, const char *number, const char *id, int paras, int n)
{
    rc_node *b = node(f, RC_NODE_BOX, sec);
    b->number = number;
    b->caption = "A pairing";
    b->id = id;
    for (int k = 0; k < paras; k++)
        para(f, b, n, -1, NULL);
}

static rc_node *chapter(fx *f)
{
    rc_node *s = node(f, RC_NODE_SECTION, f->doc.root);
    s->part = RC_PART_MAIN;
    rc_node *h = node(f, RC_NODE_HEADING, s);
    h->level = 1;
    h->number = "1";
    h->numbered = true;
    h->part = RC_PART_MAIN;
    h->id = "sec-1";
    text(f, h, "Lessons");
    RC_PUSH(f->a, f->doc.headings, h);
    return s;
}

static void run(fx *f)
{
    assert_int_equal(rc_layout_document(f->a, &f->doc, &f->fonts, NULL, f->d, &f->lay), RC_OK);
}

/* Page and y of destination id. */
static size_t dest(fx *f, const char *id, double *y)
{
    for (size_t p = 0; p < f->lay.pages.n; p++) {
        const rc_draw_list *l = f->lay.pages.v[p].content;
        for (size_t i = 0; i < l->ops.n; i++)
            if (l->ops.v[i].kind == RC_DRAW_DEST && l->ops.v[i].dest &&
                strcmp(l->ops.v[i].dest, id) == 0) {
                if (y) *y = l->ops.v[i].y;
                return p;
            }
    }
    fail_msg("no destination %s", id);
    return SIZE_MAX;
}

/* Page of the (first) link to id. */
static size_t link_page(fx *f, const char *id)
{
    for (size_t p = 0; p < f->lay.pages.n; p++) {
        const rc_draw_list *l = f->lay.pages.v[p].content;
        for (size_t i = 0; i < l->ops.n; i++)
            if (l->ops.v[i].kind == RC_DRAW_LINK && l->ops.v[i].dest &&
                strcmp(l->ops.v[i].dest, id) == 0)
                return p;
    }
    fail_msg("no link to %s", id);
    return SIZE_MAX;
}

/* Box 1 fits in the flow; the text after it calls Box 2 out at once and
 * runs on; Box 2 does not fit below that text. It goes right after Box 1,
 * on the page of its callout, and the text continues below it and on the
 * next page (before, Box 2 waited for the next page and left this one a
 * quarter empty). */
static void test_pulled_after_floats_on_the_page(void **state)
{
    fx *f = *state;
    rc_node *s = chapter(f);
    box(f, s, "1", "box:1", 2, 60);
    para(f, s, 130, 3, "box:2");
    para(f, s, 130, -1, NULL);
    box(f, s, "2", "box:2", 3, 75);
    run(f);
    double y1 = 0, y2 = 0;
    size_t p1 = dest(f, "box:1", &y1), p2 = dest(f, "box:2", &y2);
    assert_int_equal(p1, 0);
    assert_int_equal(p2, 0); /* on the page of its callout ... */
    assert_int_equal(link_page(f, "box:2"), 0);
    assert_true(y2 < y1);                /* ... after Box 1: floats keep their order */
    assert_int_equal(f->lay.pages.n, 2); /* the text runs on to page 2 */
}

/* When going ahead would push its callout to the next page, the float
 * waits for the next page as before. */
static void test_not_pulled_past_its_callout(void **state)
{
    fx *f = *state;
    rc_node *s = chapter(f);
    box(f, s, "1", "box:1", 2, 60);
    para(f, s, 130, -1, NULL);
    para(f, s, 130, 125, "box:2"); /* called out at the end of the text */
    box(f, s, "2", "box:2", 3, 75);
    run(f);
    assert_int_equal(link_page(f, "box:2"), 0);
    assert_int_equal(dest(f, "box:2", NULL), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_pulled_after_floats_on_the_page, setup,
                                        rc_test_teardown),
        cmocka_unit_test_setup_teardown(test_not_pulled_past_its_callout, setup, rc_test_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
