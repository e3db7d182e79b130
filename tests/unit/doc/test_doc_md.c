/* Tests for the cmark-gfm options doc_md.c picks per text: the table and
 * strikethrough extensions are attached only to texts that can use them,
 * and cmark's UTF-8 check runs only on texts that are not valid UTF-8.
 * Each case is one the choice could get wrong: a table with no '|' at all,
 * a delimiter row ending in a vertical tab, a table inside a block quote,
 * '|' only in running text, single and double tildes, an invalid byte.
 * cmark-gfm allocates from a slab per parse (doc_cmem.c): long blocks
 * grow its buffers past a chunk. */
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

static rc_node *parse(fx *f, const char *md)
{
    rc_node *s = rc_doc_parse_markdown(f->a, &f->doc, "m.md", md, strlen(md), RC_PART_MAIN, f->d);
    assert_non_null(s);
    return s;
}

static rc_node *find(rc_node *n, rc_node_type t, int *k)
{
    if (!n) return NULL;
    if (n->type == t && (*k)-- == 0) return n;
    for (rc_node *c = n->first; c; c = c->next) {
        rc_node *r = find(c, t, k);
        if (r) return r;
    }
    return NULL;
}

/* The k-th node of type t in document order, or NULL. */
static rc_node *nth(rc_node *root, rc_node_type t, int k)
{
    return find(root, t, &k);
}

static const char *text_of(fx *f, rc_node *n)
{
    assert_non_null(n);
    return rc_node_plain_text(f->a, n);
}

static void pipe_table(void **state)
{
    fx *f = *state;
    rc_node *s = parse(f, "# T\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n");
    assert_int_equal(rc_diag_count(f->d), 0);
    rc_node *t = nth(s, RC_NODE_TABLE, 0);
    assert_non_null(t);
    assert_int_equal(t->ncols, 2);
    assert_int_equal(nth(t, RC_NODE_TABLE_CELL, 0)->align, RC_ALIGN_LEFT);
    assert_int_equal(nth(t, RC_NODE_TABLE_CELL, 3)->align, RC_ALIGN_RIGHT);
    assert_string_equal(text_of(f, nth(t, RC_NODE_TABLE_CELL, 3)), "2");
}

/* cmark-gfm reads a one-column table without a single '|' when the
 * delimiter row has a colon (a row of bare dashes is a setext underline) */
static void table_without_pipes(void **state)
{
    fx *f = *state;
    rc_node *s = parse(f, "# T\n\nTotal\n--:\n12\n");
    assert_int_equal(rc_diag_count(f->d), 0);
    rc_node *t = nth(s, RC_NODE_TABLE, 0);
    assert_non_null(t);
    assert_int_equal(t->ncols, 1);
    assert_string_equal(text_of(f, t->first), "Total");
    assert_string_equal(text_of(f, t->last), "12");
    assert_int_equal(nth(t->last, RC_NODE_TABLE_CELL, 0)->align, RC_ALIGN_RIGHT);
}

/* a vertical tab after the dashes makes the line no setext underline, and
 * cmark-gfm then reads it as a delimiter row */
static void delimiter_row_with_vertical_tab(void **state)
{
    fx *f = *state;
    rc_node *s = parse(f, "# T\n\nabc\n---\v\n");
    rc_node *t = nth(s, RC_NODE_TABLE, 0);
    assert_non_null(t);
    assert_string_equal(text_of(f, t->first), "abc");
    assert_null(nth(s, RC_NODE_PARAGRAPH, 0));
}

static void table_in_block_quote(void **state)
{
    fx *f = *state;
    rc_node *s = parse(f, "# T\n\n> x | y\n> --|--\n> 1 | 2\n");
    assert_int_equal(rc_diag_count(f->d), 0);
    rc_node *q = nth(s, RC_NODE_BLOCKQUOTE, 0);
    assert_non_null(q);
    rc_node *t = nth(q, RC_NODE_TABLE, 0);
    assert_non_null(t);
    assert_int_equal(t->ncols, 2);
    assert_string_equal(text_of(f, nth(t, RC_NODE_TABLE_CELL, 2)), "1");
}

/* a '|' in running text and a dashed underline: a heading, no table */
static void pipes_without_a_table(void **state)
{
    fx *f = *state;
    rc_node *s = parse(f, "# T\n\nEither a | b\n---\n\nface-to-face - and | so on\n");
    assert_int_equal(rc_diag_count(f->d), 0);
    assert_null(nth(s, RC_NODE_TABLE, 0));
    rc_node *h = nth(s, RC_NODE_HEADING, 1);
    assert_non_null(h);
    assert_int_equal(h->level, 2);
    assert_string_equal(text_of(f, h), "Either a | b");
    assert_string_equal(text_of(f, nth(s, RC_NODE_PARAGRAPH, 0)), "face-to-face - and | so on");
}

static void strikethrough(void **state)
{
    fx *f = *state;
    rc_node *s = parse(f, "# T\n\nKeep ~one~ and ~~two~~, not ~ this.\n");
    assert_int_equal(rc_diag_count(f->d), 0);
    assert_string_equal(text_of(f, nth(s, RC_NODE_STRIKE, 0)), "one");
    assert_string_equal(text_of(f, nth(s, RC_NODE_STRIKE, 1)), "two");
    assert_null(nth(s, RC_NODE_STRIKE, 2));
    assert_string_equal(text_of(f, nth(s, RC_NODE_PARAGRAPH, 0)), "Keep one and two, not ~ this.");
}

/* an invalid byte is an error at its column and becomes U+FFFD in the tree
 * (cmark's check is on for this text); the valid text around it is kept */
static void invalid_utf8_replaced(void **state)
{
    fx *f = *state;
    rc_node *s = parse(f, "# T\n\nCaf\xC3\xA9 x\xFFy\n");
    assert_int_equal(rc_diag_errors(f->d), 1);
    char buf[256];
    rc_diag_format(rc_diag_get(f->d, 0), buf, sizeof buf);
    assert_string_equal(buf, "m.md:3:8: error: invalid UTF-8 in Markdown file (byte 0xff)");
    assert_string_equal(text_of(f, nth(s, RC_NODE_PARAGRAPH, 0)), "Caf\xC3\xA9 x\xEF\xBF\xBDy");
}

/* cmark's buffers grow far past one slab chunk (32 KiB) in a long
 * paragraph and a long code block, by realloc in place and by copying;
 * the text must come through whole */
static void long_blocks(void **state)
{
    fx *f = *state;
    enum { WORDS = 30000 };
    size_t cap = 16 + WORDS * 16 * 2;
    char *md = malloc(cap), *para = malloc(WORDS * 8 + 1), *code = malloc(WORDS * 8 + 1);
    size_t pn = 0, cn = 0;
    for (int i = 0; i < WORDS; i++) {
        pn += (size_t)sprintf(para + pn, "%sw%d", i ? " " : "", i % 9973);
        cn += (size_t)sprintf(code + cn, "%sc%d", i % 10 ? " " : (i ? "\n" : ""), i);
    }
    snprintf(md, cap, "# T\n\n%s\n\n```\n%s\n```\n", para, code);
    rc_node *s = parse(f, md);
    assert_int_equal(rc_diag_count(f->d), 0);
    assert_string_equal(text_of(f, nth(s, RC_NODE_PARAGRAPH, 0)), para);
    rc_node *cb = nth(s, RC_NODE_CODE_BLOCK, 0);
    assert_non_null(cb);
    assert_int_equal(cb->len, cn);
    assert_memory_equal(cb->text, code, cn);
    free(md);
    free(para);
    free(code);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(pipe_table, setup, teardown),
        cmocka_unit_test_setup_teardown(table_without_pipes, setup, teardown),
        cmocka_unit_test_setup_teardown(delimiter_row_with_vertical_tab, setup, teardown),
        cmocka_unit_test_setup_teardown(table_in_block_quote, setup, teardown),
        cmocka_unit_test_setup_teardown(pipes_without_a_table, setup, teardown),
        cmocka_unit_test_setup_teardown(strikethrough, setup, teardown),
        cmocka_unit_test_setup_teardown(invalid_utf8_replaced, setup, teardown),
        cmocka_unit_test_setup_teardown(long_blocks, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
