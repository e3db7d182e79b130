/* test_parts: a part's settings from its Markdown heading (short_title,
 * share_page) as the page builder applies them, on documents parsed from
 * Markdown and laid out with the real Lato fonts. */
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
    fx *f = rc_test_doc_new();
    if (!f) return -1;
    f->cfg.path = "t.ini";
    f->cfg.dir = ".";
    *state = f;
    return 0;
}

static void part(fx *f, const char *md, rc_part p)
{
    rc_node *s = rc_doc_parse_markdown(f->a, &f->doc, "p.md", md, strlen(md), p, f->d);
    assert_non_null(s); /* appended to the document's root */
}

/* "# TITLE\n\n" and n paragraphs of some 60 words. */
static char *text_part(fx *f, const char *title, int n)
{
    char *s = rc_arena_printf(f->a, "# %s\n\n", title);
    for (int i = 0; i < n; i++) {
        s = rc_arena_printf(f->a, "%sParagraph %d.", s, i);
        for (int w = 0; w < 12; w++)
            s = rc_arena_printf(f->a, "%s regional partners shared their innovation plans", s);
        s = rc_arena_printf(f->a, "%s\n\n", s);
    }
    return s;
}

static void run(fx *f)
{
    assert_int_equal(rc_diag_errors(f->d), 0);
    assert_int_equal(rc_doc_finish(&f->doc, f->d), RC_OK);
    assert_int_equal(rc_layout_document(f->a, &f->doc, &f->fonts, NULL, f->d, &f->lay), RC_OK);
}

static size_t dest_page(fx *f, const char *id)
{
    for (size_t p = 0; p < f->lay.pages.n; p++) {
        const rc_draw_list *l = f->lay.pages.v[p].content;
        for (size_t i = 0; i < l->ops.n; i++)
            if (l->ops.v[i].kind == RC_DRAW_DEST && l->ops.v[i].dest &&
                strcmp(l->ops.v[i].dest, id) == 0)
                return p;
    }
    fail_msg("no destination %s", id);
    return SIZE_MAX;
}

/* The text drawn in the page's header band, concatenated. */
static char *header_text(fx *f, size_t p)
{
    char *s = rc_arena_strdup(f->a, "");
    const rc_draw_list *l = f->lay.pages.v[p].content;
    for (size_t i = 0; i < l->ops.n; i++)
        if (l->ops.v[i].kind == RC_DRAW_TEXT && l->ops.v[i].y > RC_PAGE_HEIGHT - 80)
            s = rc_arena_printf(f->a, "%s[%.*s]", s, (int)l->ops.v[i].len, l->ops.v[i].text);
    return s;
}

/* The running heads show the short title, whole; the contents and the
 * outline keep the full one. */
static void test_short_title_in_running_heads(void **state)
{
    fx *f = *state;
    static const char *full = "Lessons from the regional pairings: Latin America, fertile "
                              "ground for territorial innovation policies";
    char *md = text_part(f, full, 30);
    md = rc_arena_printf(f->a, "# %s {short_title=\"Lessons learnt\"}%s", full, strchr(md, '\n'));
    part(f, md, RC_PART_MAIN);
    run(f);
    assert_true(f->lay.pages.n >= 3);
    for (size_t p = 1; p < f->lay.pages.n; p++) {
        char *h = header_text(f, p);
        if (!strstr(h, "[1 Lessons learnt]")) fail_msg("page %zu header: %s", p, h);
        assert_null(strstr(h, "\xE2\x80\xA6"));
    }
    assert_true(f->lay.outline.n >= 1);
    assert_string_equal(f->lay.outline.v[0].title, rc_arena_printf(f->a, "1 %s", full));
}

/* A short part with share_page starts below the previous part, on its page;
 * without the attribute, or when it does not fit there whole, it opens a
 * page of its own. */
static void test_share_page(void **state)
{
    fx *f = *state;
    part(f, text_part(f, "Acknowledgements", 3), RC_PART_FRONT);
    part(f, "# Authors {share_page=yes}\n\nAlbane Demblans\n\nCristiano Cagnin\n", RC_PART_FRONT);
    part(f, text_part(f, "Summary", 2), RC_PART_FRONT);
    run(f);
    size_t ack = dest_page(f, "sec-acknowledgements");
    assert_int_equal(dest_page(f, "sec-authors"), ack);
    assert_int_equal(dest_page(f, "sec-summary"), ack + 1); /* the next part opens a page */
    assert_int_equal(f->lay.pages.n, 2);
}

static void test_no_share_without_attribute(void **state)
{
    fx *f = *state;
    part(f, text_part(f, "Acknowledgements", 3), RC_PART_FRONT);
    part(f, "# Authors {share_page=no}\n\nAlbane Demblans\n", RC_PART_FRONT);
    run(f);
    assert_int_equal(dest_page(f, "sec-authors"), dest_page(f, "sec-acknowledgements") + 1);
}

static void test_no_share_when_it_does_not_fit(void **state)
{
    fx *f = *state;
    part(f, text_part(f, "Acknowledgements", 4), RC_PART_FRONT);
    /* its title and first lines would fit below, not all of it */
    char *md = text_part(f, "Authors", 4);
    md = rc_arena_printf(f->a, "# Authors {share_page=yes}%s", strchr(md, '\n'));
    part(f, md, RC_PART_FRONT);
    run(f);
    size_t ack = dest_page(f, "sec-acknowledgements");
    assert_int_equal(dest_page(f, "sec-authors"), ack + 1);
    /* the part is never split: all of it on the page it opens */
    assert_int_equal(f->lay.pages.n, ack + 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_short_title_in_running_heads, setup, rc_test_teardown),
        cmocka_unit_test_setup_teardown(test_share_page, setup, rc_test_teardown),
        cmocka_unit_test_setup_teardown(test_no_share_without_attribute, setup, rc_test_teardown),
        cmocka_unit_test_setup_teardown(test_no_share_when_it_does_not_fit, setup,
                                        rc_test_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
