/* Tests for a part's heading attributes (doc_attr.c):
 * # Title {short_title="Short" share_page=yes}. They are taken off the title,
 * set on the heading, and every mistake is an error at its exact column. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rc/doc.h"

typedef struct fx {
    rc_arena *a;
    rc_diag *d;
    rc_config cfg;
    rc_doc doc;
} fx;

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    f->a = rc_arena_new();
    f->d = rc_diag_new();
    f->cfg.path = "t.ini";
    f->cfg.dir = ".";
    f->doc.cfg = &f->cfg;
    f->doc.locale = rc_locale_get("en");
    f->doc.root = rc_node_new(f->a, RC_NODE_DOCUMENT, (rc_loc){0});
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    rc_diag_free(f->d);
    rc_arena_free(f->a);
    free(f);
    return 0;
}

static rc_node *parse(fx *f, const char *md, rc_part part)
{
    rc_node *s = rc_doc_parse_markdown(f->a, &f->doc, "c.md", md, strlen(md), part, f->d);
    assert_non_null(s);
    return s;
}

/* The only error reported, formatted ("c.md:1:12: error: ..."). */
static const char *only_error(fx *f)
{
    static char buf[512];
    assert_int_equal(rc_diag_errors(f->d), 1);
    for (size_t i = 0; i < rc_diag_count(f->d); i++) {
        rc_diag_format(rc_diag_get(f->d, i), buf, sizeof buf);
        if (strstr(buf, "error:")) return buf;
    }
    fail_msg("no error");
    return NULL;
}

static void test_short_title_and_share_page(void **state)
{
    fx *f = *state;
    rc_node *s = parse(f,
                       "# Lessons from IUC-LAC: fertile ground {short_title=\"Lessons learnt\" "
                       "share_page=yes}\n\nText.\n",
                       RC_PART_MAIN);
    assert_int_equal(rc_diag_errors(f->d), 0);
    rc_node *h = s->first;
    assert_int_equal(h->type, RC_NODE_HEADING);
    assert_string_equal(rc_node_plain_text(f->a, h), "Lessons from IUC-LAC: fertile ground");
    assert_string_equal(h->short_title, "Lessons learnt");
    assert_true(h->share_page);
    /* the id comes from the title without the attributes */
    assert_string_equal(h->id, "sec-1");
    rc_node *g = parse(f, "# Authors {share_page=no} ##\n\nA. Smith\n", RC_PART_FRONT);
    assert_string_equal(rc_node_plain_text(f->a, g->first), "Authors");
    assert_false(g->first->share_page);
    assert_null(g->first->short_title);
    assert_string_equal(g->first->id, "sec-authors");
}

/* Braces that do not start with key= are the title's own text. */
static void test_plain_braces_stay(void **state)
{
    fx *f = *state;
    rc_node *s = parse(f, "# Sets {a, b} and {c}\n\nText.\n", RC_PART_FRONT);
    assert_int_equal(rc_diag_errors(f->d), 0);
    assert_string_equal(rc_node_plain_text(f->a, s->first), "Sets {a, b} and {c}");
    assert_null(s->first->short_title);
}

static void test_unknown_key(void **state)
{
    fx *f = *state;
    parse(f, "# Authors {share_pages=yes}\n", RC_PART_FRONT);
    assert_string_equal(only_error(f), "c.md:1:12: error: unknown heading attribute 'share_pages' "
                                       "(known: short_title, share_page)");
}

static void test_bad_bool(void **state)
{
    fx *f = *state;
    parse(f, "# Authors {share_page=maybe}\n", RC_PART_FRONT);
    assert_string_equal(only_error(f),
                        "c.md:1:23: error: share_page must be yes or no, not 'maybe'");
}

static void test_empty_short_title(void **state)
{
    fx *f = *state;
    parse(f, "# Title {short_title=\" \"}\n", RC_PART_MAIN);
    assert_string_equal(only_error(f), "c.md:1:22: error: short_title is empty");
}

static void test_unterminated(void **state)
{
    fx *f = *state;
    parse(f, "# Title {short_title=\"Short}\n", RC_PART_MAIN);
    /* the block is not recognised at all: no closing brace outside quotes */
    assert_int_equal(rc_diag_errors(f->d), 0);
    rc_diag_free(f->d);
    f->d = rc_diag_new();
    parse(f, "# Title {x=1 short_title=\"Short} \"}\n", RC_PART_MAIN);
    assert_string_equal(only_error(f), "c.md:1:10: error: unknown heading attribute 'x' (known: "
                                       "short_title, share_page)");
}

/* Only the heading that opens the file carries a part's settings. */
static void test_not_on_other_headings(void **state)
{
    fx *f = *state;
    parse(f, "# Title\n\nText.\n\n## Section {short_title=\"S\"}\n", RC_PART_MAIN);
    assert_string_equal(only_error(f), "c.md:5:12: error: heading attributes are read only on "
                                       "the level-1 heading that opens a Markdown file");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_short_title_and_share_page, setup, teardown),
        cmocka_unit_test_setup_teardown(test_plain_braces_stay, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_key, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_bool, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_short_title, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unterminated, setup, teardown),
        cmocka_unit_test_setup_teardown(test_not_on_other_headings, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
