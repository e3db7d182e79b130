/* Tests for a watcher's memo of set paragraphs (para_memo.c): a paragraph
 * set from the memo is the one rc_para_set sets without it (every line and
 * fragment: position, width, text, style, anchor), whether the runs are the
 * same objects or equal copies elsewhere; a change to the text, the width,
 * a run's style or the options misses; the memo holds only what the last
 * layout used. And a build's memo kept in the cache directory
 * (rc_para_memo_disk): the next build's paragraphs are the same from it,
 * it is written only when what was used changed, a damaged file gives
 * misses and the same lines, and no cache directory gives no memo. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "fixture.h"

#include "rc/arena.h"
#include "rc/diag.h"
#include "rc/layout.h"
#include "rc/linebreak.h"
#include "../base/cache_check.h"

typedef struct fx {
    rc_arena *a;
    rc_fonts fonts;
    rc_hyph *hyph;
    rc_hyph_exc *exc;
} fx;

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    f->a = rc_arena_new();
    rc_diag *d = rc_diag_new();
    rc_status st = rc_test_fonts(f->a, d, &f->fonts);
    f->hyph = rc_hyph_load("/usr/share/hyphen/hyph_en_GB.dic", (rc_loc){0}, d);
    f->exc = rc_hyph_exc_new(f->a, "en");
    rc_diag_free(d);
    if (st != RC_OK || !f->hyph) return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    rc_hyph_free(f->hyph);
    rc_arena_free(f->a);
    free(f);
    return 0;
}

static const char *TEXT =
    "Regional pairings between European and Latin American universities were "
    "evaluated through a survey of participants, complemented by interviews with "
    "coordinators of the internationalisation offices. The specialisation of each "
    "cluster shaped the cooperation that followed: some pairings concentrated on "
    "innovation ecosystems, others on public administration, sustainable tourism or "
    "agri-food value chains.";

/* Three runs (regular, a bold link with an anchor, italic), their text
 * copied into a so that equal runs can live at other addresses. */
static size_t runs_of(rc_arena *a, const char *text, rc_run *r)
{
    size_t n = strlen(text), cut1 = n / 3, cut2 = 2 * n / 3;
    const char *t = rc_arena_strdup(a, text);
    memset(r, 0, 3 * sizeof *r);
    r[0] = (rc_run){.font = RC_FONT_REGULAR, .size = 10, .text = t, .len = cut1};
    r[1] = (rc_run){.font = RC_FONT_BOLD,
                    .size = 10,
                    .text = t + cut1,
                    .len = cut2 - cut1,
                    .link_dest = rc_arena_strdup(a, "fig-1"),
                    .anchor = rc_arena_strdup(a, "here")};
    r[2] = (rc_run){.font = RC_FONT_ITALIC, .size = 10, .text = t + cut2, .len = n - cut2};
    r[2].colour.b = 0.5;
    return 3;
}

static rc_para_opts opts(rc_arena *text, rc_style_set *styles, const rc_hyph_exc *exc)
{
    rc_para_opts o = {0};
    o.width = 180;
    o.leading = 12;
    o.align = RC_PARA_JUSTIFY;
    o.hyphenate = true;
    o.tolerance = 2.0;
    o.exceptions = exc;
    o.styles = styles;
    o.text_arena = text;
    return o;
}

static void same_para(const rc_para *x, const rc_para *y)
{
    assert_int_equal(x->nlines, y->nlines);
    assert_true(x->demerits == y->demerits);
    assert_int_equal(x->overfull, y->overfull);
    bool hyphenated = false;
    for (size_t i = 0; i < x->nlines; i++) {
        const rc_line *a = &x->lines[i], *b = &y->lines[i];
        assert_int_equal(a->nfrags, b->nfrags);
        assert_true(a->width == b->width && a->ascent == b->ascent);
        assert_true(a->descent == b->descent && a->ratio == b->ratio);
        assert_int_equal(a->hyphenated, b->hyphenated);
        assert_int_equal(a->space_end, b->space_end);
        hyphenated |= a->hyphenated;
        for (size_t k = 0; k < a->nfrags; k++) {
            const rc_frag *f = &a->frags[k], *g = &b->frags[k];
            assert_true(f->x == g->x && f->width == g->width);
            assert_int_equal(f->len, g->len);
            assert_memory_equal(f->text, g->text, f->len);
            assert_int_equal(f->space_next, g->space_next);
            if (f->space_next) assert_int_equal(g->text[g->len], ' ');
            assert_int_equal(f->style->font, g->style->font);
            assert_true(f->style->size == g->style->size && f->style->rise == g->style->rise);
            assert_memory_equal(&f->style->colour, &g->style->colour, sizeof f->style->colour);
            assert_int_equal(!f->style->link_dest, !g->style->link_dest);
            if (f->style->link_dest) assert_string_equal(f->style->link_dest, g->style->link_dest);
            assert_int_equal(!f->anchor, !g->anchor);
            if (f->anchor) assert_string_equal(f->anchor, g->anchor);
        }
    }
    (void)hyphenated;
}

/* Sets text as runs copied into a (r receives them). */
static rc_para *set(fx *f, rc_arena *a, const char *text, double width, rc_run *r)
{
    size_t n = runs_of(a, text, r);
    rc_para_opts o = opts(a, rc_style_set_new(a), f->exc);
    o.width = width;
    return rc_para_set(a, r, n, &o, &f->fonts, f->hyph);
}

/* The fragments point at r's text (but for a copy ending in an inserted
 * hyphen). */
static void points_into(const rc_para *p, const rc_run *r)
{
    for (size_t i = 0; i < p->nlines; i++)
        for (size_t k = 0; k < p->lines[i].nfrags; k++) {
            const rc_frag *g = &p->lines[i].frags[k];
            if (p->lines[i].hyphenated && k + 1 == p->lines[i].nfrags) continue;
            assert_true((uintptr_t)g->text >= (uintptr_t)r[0].text &&
                        (uintptr_t)g->text <= (uintptr_t)(r[2].text + r[2].len));
        }
}

static void test_hit_is_the_same(void **state)
{
    fx *f = *state;
    rc_para_memo *m = rc_para_memo_new();
    rc_arena *a = rc_arena_new();
    bool hyphenated = false;
    for (double width = 60; width <= 240; width += 30) {
        rc_run r0[3], r1[3], r2[3];
        rc_para *plain = set(f, a, TEXT, width, r0); /* no memo */
        rc_para_memo_begin(m);
        rc_para *first = set(f, a, TEXT, width, r1);
        assert_int_equal(rc_para_memo_misses(m), 1);
        rc_para *second = set(f, a, TEXT, width, r2); /* equal runs elsewhere */
        assert_int_equal(rc_para_memo_hits(m), 1);
        rc_para_memo_end(m);
        same_para(plain, first);
        same_para(plain, second);
        points_into(second, r2);
        for (size_t i = 0; i < second->nlines; i++)
            hyphenated |= second->lines[i].hyphenated;
        /* the anchor and link are the new runs' */
        bool anchored = false;
        for (size_t i = 0; i < second->nlines; i++)
            for (size_t k = 0; k < second->lines[i].nfrags; k++) {
                const rc_frag *g = &second->lines[i].frags[k];
                if (g->anchor) anchored = g->anchor == r2[1].anchor;
                if (g->style->link_dest) assert_ptr_equal(g->style->link_dest, r2[1].link_dest);
            }
        assert_true(anchored);
    }
    assert_true(hyphenated); /* some width hyphenated a line: its copy was made again */
    rc_arena_free(a);
    rc_para_memo_free(m);
}

static void test_changes_miss(void **state)
{
    fx *f = *state;
    rc_para_memo *m = rc_para_memo_new();
    rc_para_memo_begin(m);
    rc_arena *a = rc_arena_new();
    rc_run r[3];
    size_t n = runs_of(a, TEXT, r);
    rc_para_opts o = opts(a, rc_style_set_new(a), f->exc);
    rc_para_set(a, r, n, &o, &f->fonts, f->hyph);
    assert_int_equal(rc_para_memo_misses(m), 1);
    rc_para_set(a, r, n, &o, &f->fonts, f->hyph);
    assert_int_equal(rc_para_memo_hits(m), 1);
    /* one word */
    rc_run w[3];
    runs_of(a, TEXT, w);
    char *t = rc_arena_strdup(a, w[0].text);
    t[0] = 'r';
    w[0].text = t;
    rc_para_set(a, w, n, &o, &f->fonts, f->hyph);
    assert_int_equal(rc_para_memo_misses(m), 2);
    /* a run's style: size, colour, link, anchor */
    runs_of(a, TEXT, w);
    w[2].size = 10.5;
    rc_para_set(a, w, n, &o, &f->fonts, f->hyph);
    runs_of(a, TEXT, w);
    w[2].colour.r = 0.1;
    rc_para_set(a, w, n, &o, &f->fonts, f->hyph);
    runs_of(a, TEXT, w);
    w[1].link_dest = "fig-2";
    rc_para_set(a, w, n, &o, &f->fonts, f->hyph);
    runs_of(a, TEXT, w);
    w[1].anchor = NULL;
    rc_para_set(a, w, n, &o, &f->fonts, f->hyph);
    assert_int_equal(rc_para_memo_misses(m), 6);
    /* the options: alignment, hyphenation, the exceptions' rules */
    rc_para_opts o2 = o;
    o2.align = RC_PARA_LEFT;
    rc_para_set(a, r, n, &o2, &f->fonts, f->hyph);
    o2 = o;
    o2.hyphenate = false;
    rc_para_set(a, r, n, &o2, &f->fonts, f->hyph);
    assert_int_equal(rc_para_memo_misses(m), 8);
    rc_para_memo_end(m);
    /* a new layout, other exceptions (an object at the same address could
     * hold other rules: the digest is taken again) */
    rc_para_memo_begin(m);
    rc_hyph_exc *x = rc_hyph_exc_new(a, "en");
    assert_true(rc_hyph_exc_add(x, "uni-ver-si-ties", strlen("uni-ver-si-ties")));
    rc_para_opts o3 = opts(a, rc_style_set_new(a), x);
    rc_para_set(a, r, n, &o3, &f->fonts, f->hyph);
    assert_int_equal(rc_para_memo_misses(m), 1);
    o3.exceptions = f->exc;
    rc_para_set(a, r, n, &o3, &f->fonts, f->hyph);
    assert_int_equal(rc_para_memo_hits(m), 1);
    rc_para_memo_end(m);
    rc_arena_free(a);
    rc_para_memo_free(m);
}

static void test_bounded(void **state)
{
    fx *f = *state;
    rc_para_memo *m = rc_para_memo_new();
    rc_arena *a = rc_arena_new();
    char buf[64];
    /* many layouts of 20 paragraphs, one of them new each time: the memo
     * keeps the 20 the last layout used */
    for (int layout = 0; layout < 30; layout++) {
        rc_para_memo_begin(m);
        for (int i = 0; i < 20; i++) {
            snprintf(buf, sizeof buf, "Paragraph %d of layout %d.", i, i == 0 ? layout : 0);
            rc_run r = {.font = RC_FONT_REGULAR, .size = 10, .text = buf, .len = strlen(buf)};
            rc_para_opts o = opts(a, NULL, NULL);
            rc_para_set(a, &r, 1, &o, &f->fonts, f->hyph);
        }
        if (layout > 0) {
            assert_int_equal(rc_para_memo_hits(m), 19);
            assert_int_equal(rc_para_memo_misses(m), 1);
        }
        rc_para_memo_end(m);
        assert_int_equal(rc_para_memo_entries(m), 20);
    }
    size_t bytes = rc_para_memo_bytes(m);
    assert_true(bytes > 0);
    rc_para_memo_clear(m);
    assert_int_equal(rc_para_memo_entries(m), 0);
    assert_int_equal(rc_para_memo_bytes(m), 0);
    /* outside begin/end nothing is kept */
    rc_run r = {.font = RC_FONT_REGULAR, .size = 10, .text = "Alone.", .len = 6};
    rc_para_opts o = opts(a, NULL, NULL);
    rc_para_set(a, &r, 1, &o, &f->fonts, f->hyph);
    assert_int_equal(rc_para_memo_entries(m), 0);
    rc_arena_free(a);
    rc_para_memo_free(m);
}

/* The one memo file in dir/paragraphs (its path in out), or false. */
static bool memo_file(const char *dir, char *out, size_t cap)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "ls %s/paragraphs", dir);
    FILE *p = popen(cmd, "r");
    char name[256];
    bool one = p && fgets(name, sizeof name, p) && !fgets(cmd, sizeof cmd, p);
    if (p) pclose(p);
    if (!one) return false;
    name[strcspn(name, "\n")] = 0;
    snprintf(out, cap, "%s/paragraphs/%s", dir, name);
    return true;
}

/* One build's layout of TEXT at six widths with a memo for out.pdf from
 * the cache; checks the lines against plain[] and returns the hits (and
 * *wrote: whether closing wrote the file). */
static size_t build_once(fx *f, rc_arena *a, rc_para *const plain[6], bool ok, bool *wrote)
{
    rc_para_memo *m = rc_para_memo_disk("out.pdf", rc_fonts_digest(&f->fonts), f->hyph);
    if (!m) { /* a font file just written (a fresh checkout) is trusted 2 s later */
        sleep(3);
        m = rc_para_memo_disk("out.pdf", rc_fonts_digest(&f->fonts), f->hyph);
    }
    assert_non_null(m);
    rc_para_memo_begin(m);
    for (int i = 0; i < 6; i++) {
        rc_run r[3];
        rc_para *p = set(f, a, TEXT, 60 + 30 * i, r);
        same_para(plain[i], p);
        points_into(p, r);
    }
    size_t hits = rc_para_memo_hits(m);
    assert_int_equal(hits + rc_para_memo_misses(m), 6);
    rc_para_memo_end(m);
    *wrote = rc_para_memo_close(m, ok);
    return hits;
}

static void test_kept_between_builds(void **state)
{
    fx *f = *state;
    char dir[] = "/tmp/rc-para-disk-XXXXXX", file[700], *saved;
    rc_test_cache_begin(dir, &saved);
    rc_arena *a = rc_arena_new();
    rc_para *plain[6];
    rc_run r[3];
    for (int i = 0; i < 6; i++)
        plain[i] = set(f, a, TEXT, 60 + 30 * i, r); /* no memo */
    bool wrote;
    /* a failed build keeps nothing; the first one that succeeds writes */
    assert_int_equal(build_once(f, a, plain, false, &wrote), 0);
    assert_false(wrote);
    assert_false(memo_file(dir, file, sizeof file));
    assert_int_equal(build_once(f, a, plain, true, &wrote), 0);
    assert_true(wrote);
    assert_true(memo_file(dir, file, sizeof file));
    /* the next builds set every paragraph from it, and write nothing */
    for (int k = 0; k < 2; k++) {
        assert_int_equal(build_once(f, a, plain, true, &wrote), 6);
        assert_false(wrote);
    }
    /* a damaged byte in the middle of the file: that paragraph misses and
     * is set again (the same lines), and the file is written whole again */
    rc_test_damage(file, 1.0 / 3, 0x20);
    size_t hits = build_once(f, a, plain, true, &wrote);
    assert_true(hits < 6);
    assert_true(wrote);
    assert_int_equal(build_once(f, a, plain, true, &wrote), 6);
    assert_false(wrote);
    /* another dictionary (none) is another key: nothing is taken from it */
    rc_para_memo *m = rc_para_memo_disk("out.pdf", rc_fonts_digest(&f->fonts), NULL);
    assert_non_null(m);
    rc_para_memo_begin(m);
    rc_para_opts o = opts(a, rc_style_set_new(a), f->exc);
    o.hyphenate = false;
    size_t n = runs_of(a, TEXT, r);
    rc_para_set(a, r, n, &o, &f->fonts, NULL);
    assert_int_equal(rc_para_memo_misses(m), 1);
    rc_para_memo_end(m);
    rc_para_memo_close(m, false);
    /* no cache directory: no memo */
    setenv("REPORTC_CACHE_DIR", "", 1);
    assert_null(rc_para_memo_disk("out.pdf", rc_fonts_digest(&f->fonts), f->hyph));
    rc_test_cache_end(dir, saved);
    rc_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hit_is_the_same),
        cmocka_unit_test(test_changes_miss),
        cmocka_unit_test(test_bounded),
        cmocka_unit_test(test_kept_between_builds),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
