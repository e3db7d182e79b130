/* Tests for paragraph setting (rc_para_set / rc_para_draw_line) with the
 * Lato faces and the en_GB hyphenation patterns. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "fixture.h"

#include "rc/arena.h"
#include "rc/diag.h"
#include "rc/linebreak.h"

#define assert_near(a, b, eps) assert_true(fabs((double)(a) - (double)(b)) <= (eps))

typedef struct fx {
    rc_arena *a;
    rc_fonts fonts;
    rc_hyph *hyph;
} fx;

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    f->a = rc_arena_new();
    rc_diag *d = rc_diag_new();
    rc_status st = rc_test_fonts(f->a, d, &f->fonts);
    f->hyph = rc_hyph_load("/usr/share/hyphen/hyph_en_GB.dic", (rc_loc){0}, d);
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

static rc_run run(const char *text, rc_font_id font)
{
    rc_run r = {0};
    r.font = font;
    r.size = 10;
    r.text = text;
    r.len = strlen(text);
    return r;
}

static rc_para_opts opts(double width, rc_para_align al, bool hyph)
{
    rc_para_opts o = {0};
    o.width = width;
    o.leading = 12;
    o.align = al;
    o.hyphenate = hyph;
    o.tolerance = 2.0;
    return o;
}

static const char *TEXT =
    "Regional pairings between European and Latin American universities were "
    "evaluated through a survey of participants, complemented by interviews with "
    "coordinators of the internationalisation offices. The specialisation of each "
    "cluster shaped the cooperation that followed: some pairings concentrated on "
    "innovation ecosystems, others on public administration, sustainable tourism or "
    "agri-food value chains. Participants valued the exchange of good practices, "
    "although administrative barriers and the short duration of the visits limited "
    "what could be achieved within a single cycle of the programme.";

/* Rebuilds the text of a paragraph: frags separated by a gap become words,
 * inserted hyphens are dropped. */
static char *reconstruct(const rc_para *p, char *out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < p->nlines; i++) {
        const rc_line *ln = &p->lines[i];
        for (size_t k = 0; k < ln->nfrags; k++) {
            const rc_frag *f = &ln->frags[k];
            bool gap = k > 0 && f->x > ln->frags[k - 1].x + ln->frags[k - 1].width + 1e-6;
            if ((gap || (k == 0 && i > 0 && !p->lines[i - 1].hyphenated &&
                         !(n && (out[n - 1] == '-' || out[n - 1] == '/')))) &&
                n + 1 < cap)
                out[n++] = ' ';
            size_t len = f->len;
            if (ln->hyphenated && k + 1 == ln->nfrags) len--;
            assert_true(n + len < cap);
            memcpy(out + n, f->text, len);
            n += len;
        }
    }
    out[n] = '\0';
    return out;
}

/* Checks invariants of every set paragraph; returns the widest word gap in em. */
static double check_para(const rc_para *p, const rc_para_opts *o)
{
    double widest = 0;
    for (size_t i = 0; i < p->nlines; i++) {
        const rc_line *ln = &p->lines[i];
        double indent = i == 0 ? o->first_indent : o->left_indent;
        double w = o->width - indent;
        double cap = o->looseness_em > 0 ? o->looseness_em : 1.0, line_gap = 0;
        assert_true(ln->nfrags > 0);
        assert_true(ln->ascent > 0 && ln->descent > 0);
        for (size_t k = 0; k < ln->nfrags; k++) {
            const rc_frag *f = &ln->frags[k];
            assert_null(memchr(f->text, ' ', f->len)); /* never a space in a text op */
            assert_true(f->x >= indent - 1e-6);
            assert_true(f->x + f->width <= indent + w + 1e-6);
            if (k) {
                const rc_frag *g = &ln->frags[k - 1];
                double gap = f->x - (g->x + g->width);
                assert_true(gap >= -1e-6);
                if (gap / f->style->size > line_gap) line_gap = gap / f->style->size;
            }
        }
        const rc_frag *last = &ln->frags[ln->nfrags - 1];
        assert_near(last->x + last->width - ln->frags[0].x, ln->width, 1e-6);
        if (ln->hyphenated) assert_int_equal(last->text[last->len - 1], '-');
        /* Justified to the measure, unless the gaps reached the cap (or
         * there are none): then the line stays short rather than loose. */
        if (o->align == RC_PARA_JUSTIFY && i + 1 < p->nlines && line_gap > 0 &&
            line_gap < cap - 1e-9)
            assert_near(ln->width, w, 1e-6);
        if (line_gap > widest) widest = line_gap;
    }
    assert_false(p->overfull);
    return widest;
}

static void test_justified(void **state)
{
    fx *f = *state;
    rc_run r = run(TEXT, RC_FONT_REGULAR);
    rc_para_opts o = opts(300, RC_PARA_JUSTIFY, true);
    rc_para *p = rc_para_set(f->a, &r, 1, &o, &f->fonts, f->hyph);
    assert_true(p->nlines >= 5);
    double gap = check_para(p, &o);
    assert_true(gap < 0.6);
    assert_true(gap > 0.2); /* interword glue really is there */
    char buf[2048];
    assert_string_equal(reconstruct(p, buf, sizeof buf), TEXT);
    assert_true(p->demerits > 0 && isfinite(p->demerits));
}

/* Narrow measures force hyphenation; gaps stay within the cap. */
static void test_narrow_columns_cap(void **state)
{
    fx *f = *state;
    rc_run r = run(TEXT, RC_FONT_REGULAR);
    bool hyphenated = false;
    for (double w = 60; w <= 240; w += 7) {
        rc_para_opts o = opts(w, RC_PARA_JUSTIFY, true);
        rc_para *p = rc_para_set(f->a, &r, 1, &o, &f->fonts, f->hyph);
        double gap = check_para(p, &o);
        assert_true(gap <= 1.0 + 1e-9);
        for (size_t i = 0; i < p->nlines; i++)
            hyphenated |= p->lines[i].hyphenated;
        char buf[2048];
        assert_string_equal(reconstruct(p, buf, sizeof buf), TEXT);
        /* A tighter cap is honoured too. */
        o.looseness_em = 0.6;
        p = rc_para_set(f->a, &r, 1, &o, &f->fonts, f->hyph);
        assert_true(check_para(p, &o) <= 0.6 + 1e-9);
    }
    assert_true(hyphenated);
}

/* The hyphenation memo (rc_para_opts.memo) gives the very breaks libhyphen
 * gives: every line of every width the same, on the first lookup of a word
 * and on the later ones. */
static void test_hyphenation_memo(void **state)
{
    fx *f = *state;
    rc_run r = run(TEXT, RC_FONT_REGULAR);
    rc_hyph_memo *memo = rc_hyph_memo_new(f->a);
    size_t hyphens = 0;
    for (int pass = 0; pass < 2; pass++)
        for (double w = 60; w <= 240; w += 11) {
            rc_para_opts o = opts(w, RC_PARA_JUSTIFY, true), om = o;
            om.memo = memo;
            rc_para *p = rc_para_set(f->a, &r, 1, &o, &f->fonts, f->hyph);
            rc_para *q = rc_para_set(f->a, &r, 1, &om, &f->fonts, f->hyph);
            assert_int_equal(p->nlines, q->nlines);
            for (size_t i = 0; i < p->nlines; i++) {
                const rc_line *a = &p->lines[i], *b = &q->lines[i];
                assert_int_equal(a->nfrags, b->nfrags);
                assert_int_equal(a->hyphenated, b->hyphenated);
                hyphens += a->hyphenated;
                const rc_frag *x = &a->frags[a->nfrags - 1], *y = &b->frags[b->nfrags - 1];
                assert_int_equal(x->len, y->len);
                assert_memory_equal(x->text, y->text, x->len);
                assert_true(x->x == y->x && x->width == y->width);
            }
        }
    assert_true(hyphens > 10); /* the narrow widths do hyphenate */
}

static void test_hyphenation_switch(void **state)
{
    fx *f = *state;
    rc_run r = run(TEXT, RC_FONT_REGULAR);
    rc_para_opts o = opts(110, RC_PARA_JUSTIFY, false);
    rc_para *p = rc_para_set(f->a, &r, 1, &o, &f->fonts, f->hyph);
    for (size_t i = 0; i < p->nlines; i++)
        assert_false(p->lines[i].hyphenated);
    check_para(p, &o);
    o.hyphenate = true;
    rc_para *q = rc_para_set(f->a, &r, 1, &o, &f->fonts, f->hyph);
    size_t nh = 0;
    for (size_t i = 0; i < q->nlines; i++)
        nh += q->lines[i].hyphenated;
    assert_true(nh > 0);
    check_para(q, &o);
    /* A hyphen point is always inside a word: both sides are letters. The
     * two pieces' widths (the inserted hyphen aside) add up to the word's
     * shaped width: the first is its prefix's, the second the rest. */
    const rc_font *reg = f->fonts.f[RC_FONT_REGULAR];
    double hw = rc_font_text_width(reg, "-", 1, 10);
    size_t pairs = 0;
    for (size_t i = 0; i < q->nlines; i++)
        if (q->lines[i].hyphenated) {
            const rc_frag *l = &q->lines[i].frags[q->lines[i].nfrags - 1];
            assert_true(l->len >= 3);
            const rc_frag *n = &q->lines[i + 1].frags[0];
            size_t wl = 0;
            while (wl < n->len && n->text[wl] != ' ' && n->text[wl] != ',' && n->text[wl] != '.')
                wl++;
            if (wl < n->len) continue; /* the second piece is not the whole fragment */
            char word[64];
            assert_true(l->len - 1 + wl < sizeof word);
            memcpy(word, l->text, l->len - 1);
            memcpy(word + l->len - 1, n->text, wl);
            double whole = rc_font_text_width(reg, word, l->len - 1 + wl, 10);
            assert_near(l->width - hw + n->width, whole, 1e-9);
            pairs++;
        }
    assert_true(pairs > 0);
}

/* A word wider than the line is split at character boundaries. */
static void test_emergency_split(void **state)
{
    fx *f = *state;
    const char *t = "see https://publications.jrc.ec.europa.eu/repository/handle/JRC123456 "
                    "for details";
    rc_run r = run(t, RC_FONT_REGULAR);
    rc_para_opts o = opts(80, RC_PARA_JUSTIFY, true);
    rc_para *p = rc_para_set(f->a, &r, 1, &o, &f->fonts, f->hyph);
    assert_true(p->nlines >= 4);
    check_para(p, &o);
    char buf[512];
    reconstruct(p, buf, sizeof buf);
    /* No hyphen is inserted at a split: the URL is intact once joined. */
    char joined[512];
    size_t n = 0;
    for (const char *s = buf; *s; s++)
        if (*s != ' ') joined[n++] = *s;
    joined[n] = '\0';
    assert_non_null(
        strstr(joined, "https://publications.jrc.ec.europa.eu/repository/handle/JRC123456"));
    /* A single glyph wider than the line: overfull, but still set. */
    rc_run big = run("Wide", RC_FONT_BOLD);
    big.size = 40;
    rc_para_opts o2 = opts(15, RC_PARA_LEFT, false);
    rc_para *q = rc_para_set(f->a, &big, 1, &o2, &f->fonts, NULL);
    assert_true(q->overfull);
    assert_int_equal(q->nlines, 4);
}

static void test_ragged(void **state)
{
    fx *f = *state;
    rc_run r = run(TEXT, RC_FONT_REGULAR);
    rc_para_opts o = opts(250, RC_PARA_LEFT, true);
    rc_para *p = rc_para_set(f->a, &r, 1, &o, &f->fonts, f->hyph);
    check_para(p, &o);
    double space = rc_font_advance(f->fonts.f[RC_FONT_REGULAR], ' ') * 10 / 1000;
    double shortest = 1e9;
    for (size_t i = 0; i < p->nlines; i++) {
        const rc_line *ln = &p->lines[i];
        assert_near(ln->frags[0].x, 0, 1e-9);
        for (size_t k = 1; k < ln->nfrags; k++) {
            double gap = ln->frags[k].x - ln->frags[k - 1].x - ln->frags[k - 1].width;
            assert_true(fabs(gap - space) < 1e-9 || fabs(gap) < 1e-9); /* natural spaces */
        }
        if (i + 1 < p->nlines && ln->width < shortest) shortest = ln->width;
    }
    /* Balanced: no line but the last is shorter than the measure minus 3 em. */
    assert_true(shortest > 250 - 30);
    char buf[2048];
    assert_string_equal(reconstruct(p, buf, sizeof buf), TEXT);

    o.align = RC_PARA_RIGHT;
    p = rc_para_set(f->a, &r, 1, &o, &f->fonts, f->hyph);
    for (size_t i = 0; i < p->nlines; i++) {
        const rc_line *ln = &p->lines[i];
        const rc_frag *l = &ln->frags[ln->nfrags - 1];
        assert_near(l->x + l->width, 250, 1e-6);
    }
    o.align = RC_PARA_CENTER;
    p = rc_para_set(f->a, &r, 1, &o, &f->fonts, f->hyph);
    for (size_t i = 0; i < p->nlines; i++) {
        const rc_line *ln = &p->lines[i];
        const rc_frag *l = &ln->frags[ln->nfrags - 1];
        assert_near(ln->frags[0].x, 250 - (l->x + l->width), 1e-6);
    }
}

/* A word made of several styled runs stays one word with exact positions. */
static void test_styled_word_and_nbsp(void **state)
{
    fx *f = *state;
    rc_run rs[4] = {run("The spec", RC_FONT_REGULAR), run("ialisation", RC_FONT_BOLD),
                    run(" of Figure\xC2\xA0", RC_FONT_REGULAR), run("6 is shown.", RC_FONT_ITALIC)};
    rc_para_opts o = opts(1000, RC_PARA_LEFT, true);
    rc_para *p = rc_para_set(f->a, rs, 4, &o, &f->fonts, f->hyph);
    assert_int_equal(p->nlines, 1);
    const rc_line *ln = &p->lines[0];
    /* The spec|ialisation of Figure 6 is shown. */
    assert_int_equal(ln->nfrags, 8);
    assert_int_equal(ln->frags[1].len, 4);
    assert_int_equal(ln->frags[2].style->font, RC_FONT_BOLD);
    assert_near(ln->frags[2].x, ln->frags[1].x + ln->frags[1].width, 1e-9);
    double want = rc_font_text_width(f->fonts.f[RC_FONT_BOLD], "ialisation", 10, 10);
    assert_near(ln->frags[2].width, want, 1e-9);
    assert_int_equal(ln->frags[5].len, 1);
    assert_int_equal(ln->frags[5].text[0], '6');
    /* Figure~6 never splits across lines, even on a measure that would
     * otherwise break there. */
    for (double w = 60; w < 200; w += 3) {
        o.width = w;
        p = rc_para_set(f->a, rs, 4, &o, &f->fonts, f->hyph);
        for (size_t i = 0; i < p->nlines; i++) {
            const rc_line *l = &p->lines[i];
            const rc_frag *fr = &l->frags[l->nfrags - 1];
            assert_false(fr->len == 6 && memcmp(fr->text, "Figure", 6) == 0);
        }
    }
}

/* Accented letters inside a word (tokenize takes a two-byte letter with the
 * ASCII ones) end neither the word nor its run: a no-break space or a soft
 * hyphen right after one still acts as one, and the word is one piece of
 * its whole shaped width. */
static void test_accented_words(void **state)
{
    fx *f = *state;
    const char *text = "Bogot\xC3\xA1\xC2\xA0Regi\xC3\xB3n and Panam\xC3\xA1\xC2\xADsur, "
                       "S\xC3\xA3o\xC2\xA0Paulo with se\xC3\xB1ores Mu\xC3\xB1oz and "
                       "Bogot\xC3\xA1\xC2\xA0Regi\xC3\xB3n again in Panam\xC3\xA1\xC2\xADsur.";
    rc_run rs[1] = {run(text, RC_FONT_REGULAR)};
    rc_para_opts o = opts(2000, RC_PARA_LEFT, false);
    rc_para *p = rc_para_set(f->a, rs, 1, &o, &f->fonts, NULL);
    assert_int_equal(p->nlines, 1);
    const rc_line *ln = &p->lines[0];
    double want = rc_font_text_width(f->fonts.f[RC_FONT_REGULAR], "se\xC3\xB1ores", 8, 10);
    bool seen = false;
    for (size_t k = 0; k < ln->nfrags; k++)
        if (ln->frags[k].len == 8 && memcmp(ln->frags[k].text, "se\xC3\xB1ores", 8) == 0) {
            assert_near(ln->frags[k].width, want, 1e-9);
            seen = true;
        }
    assert_true(seen);
    size_t shy_breaks = 0;
    for (double w = 40; w < 220; w += 2) {
        o.width = w;
        p = rc_para_set(f->a, rs, 1, &o, &f->fonts, NULL);
        for (size_t i = 0; i + 1 < p->nlines; i++) {
            const rc_line *l = &p->lines[i];
            const rc_frag *fr = &l->frags[l->nfrags - 1];
            /* never broken at the no-break spaces */
            assert_false(fr->len >= 7 && memcmp(fr->text + fr->len - 7, "Bogot\xC3\xA1", 7) == 0);
            assert_false(fr->len >= 4 && memcmp(fr->text + fr->len - 4, "S\xC3\xA3o", 4) == 0);
            /* "Panamá-" with the soft hyphen's inserted hyphen */
            if (fr->len >= 7 && memcmp(fr->text + fr->len - 7, "am\xC3\xA1\xC2\xAD-", 7) == 0)
                fail_msg("the soft hyphen is kept in the text");
            if (l->hyphenated && fr->len >= 3 &&
                memcmp(fr->text + fr->len - 3, "\xC3\xA1-", 3) == 0)
                shy_breaks++;
        }
    }
    assert_true(shy_breaks > 0); /* some measure breaks at the soft hyphen */
}

/* Paragraphs past the scratch arrays rc_para_set keeps on its stack (64
 * tokens, 192 items, 32 runs, 64 hyphenation points) move them to the heap
 * with their contents: the same lines as the words set in one run, and each
 * word in its own run's style. */
static void test_many_runs(void **state)
{
    fx *f = *state;
    static char texts[120][24];
    rc_run rs[120], one[1];
    static char all[120 * 24];
    size_t al = 0;
    for (int i = 0; i < 120; i++) {
        snprintf(texts[i], sizeof texts[i], "%scooperation%d", i ? " " : "", i);
        rs[i] = run(texts[i], RC_FONT_REGULAR);
        memcpy(all + al, texts[i], strlen(texts[i]));
        al += strlen(texts[i]);
    }
    all[al] = '\0';
    one[0] = run(all, RC_FONT_REGULAR);
    for (double w = 90; w < 400; w += 77) {
        rc_para_opts o = opts(w, RC_PARA_JUSTIFY, true);
        o.hyphenate = true;
        rc_para *p = rc_para_set(f->a, rs, 120, &o, &f->fonts, f->hyph);
        rc_para *q = rc_para_set(f->a, one, 1, &o, &f->fonts, f->hyph);
        static char out[120 * 24 + 64];
        assert_string_equal(reconstruct(p, out, sizeof out), all);
        assert_int_equal(p->nlines, q->nlines);
        for (size_t i = 0; i < p->nlines; i++) {
            assert_int_equal(p->lines[i].nfrags, q->lines[i].nfrags);
            assert_near(p->lines[i].width, q->lines[i].width, 1e-9);
            assert_int_equal(p->lines[i].hyphenated, q->lines[i].hyphenated);
        }
        check_para(p, &o);
    }
}

static void test_nobreak_run_and_newline(void **state)
{
    fx *f = *state;
    rc_run rs[3] = {run("see ", RC_FONT_REGULAR), run("Table 12 (annex)", RC_FONT_REGULAR),
                    run(" below\xE2\x80\xA8then more", RC_FONT_REGULAR)};
    rs[1].nobreak = true;
    rc_para_opts o = opts(60, RC_PARA_LEFT, false);
    rc_para *p = rc_para_set(f->a, rs, 3, &o, &f->fonts, NULL);
    /* "Table 12 (annex)" is one unbreakable box wider than 60pt: own line(s). */
    bool together = false;
    for (size_t i = 0; i < p->nlines; i++) {
        const rc_line *l = &p->lines[i];
        for (size_t k = 0; k + 2 < l->nfrags; k++)
            if (l->frags[k].len == 5 && memcmp(l->frags[k].text, "Table", 5) == 0 &&
                memcmp(l->frags[k + 2].text, "(annex)", 7) == 0)
                together = true;
    }
    assert_true(together);
    /* U+2028 ends the line: "then" starts a line. */
    o.width = 1000;
    p = rc_para_set(f->a, rs, 3, &o, &f->fonts, NULL);
    assert_int_equal(p->nlines, 2);
    assert_int_equal(p->lines[1].frags[0].len, 4);
    assert_memory_equal(p->lines[1].frags[0].text, "then", 4);
}

static void test_indents_links_draw(void **state)
{
    fx *f = *state;
    rc_run rs[3] = {run("1.", RC_FONT_BOLD), run(" Pairings are listed in ", RC_FONT_REGULAR),
                    run("Annex 2 of the report on page ten", RC_FONT_REGULAR)};
    rs[2].link_dest = "annex2";
    rs[1].anchor = "item1";
    rc_para_opts o = opts(120, RC_PARA_LEFT, false);
    o.first_indent = -12;
    o.left_indent = 10;
    rc_para *p = rc_para_set(f->a, rs, 3, &o, &f->fonts, NULL);
    assert_true(p->nlines >= 2);
    check_para(p, &o);
    assert_near(p->lines[0].frags[0].x, -12, 1e-9);
    assert_near(p->lines[1].frags[0].x, 10, 1e-9);
    rc_draw_list *dl = rc_draw_new(f->a);
    size_t texts = 0, links = 0, dests = 0;
    for (size_t i = 0; i < p->nlines; i++)
        rc_para_draw_line(f->a, dl, p, i, 50, 700 - 12.0 * (double)i);
    for (size_t k = 0; k < dl->ops.n; k++) {
        const rc_draw_op *op = &dl->ops.v[k];
        if (op->kind == RC_DRAW_TEXT) {
            texts++;
            /* one word, with at most the trailing space that separates it
             * from the next one in extracted text */
            assert_true(op->len > 0);
            assert_null(memchr(op->text, ' ', op->len - 1));
        } else if (op->kind == RC_DRAW_LINK) {
            links++;
            assert_string_equal(op->dest, "annex2");
            assert_true(op->w > 0 && op->h > 0);
        } else if (op->kind == RC_DRAW_DEST) {
            dests++;
            assert_string_equal(op->dest, "item1");
        }
    }
    size_t nfr = 0;
    for (size_t i = 0; i < p->nlines; i++)
        nfr += p->lines[i].nfrags;
    assert_int_equal(texts, nfr);
    assert_true(links >= 1 && links <= p->nlines); /* one rect per line at most */
    assert_int_equal(dests, 1);
    /* The first text op of line 0 is "1." at x = 50 - 12. */
    assert_near(dl->ops.v[0].x, 38, 1e-9);
}

/* A footnote mark (a nobreak run glued to the word) does not stop the word
 * from being hyphenated, and the mark is raised. */
static void test_word_with_footnote_mark(void **state)
{
    fx *f = *state;
    rc_run rs[2] = {run("The evaluation covered internationalisation", RC_FONT_REGULAR),
                    run("12", RC_FONT_REGULAR)};
    rs[1].nobreak = true;
    rs[1].size = 6.5;
    rs[1].rise = 3.6;
    rs[1].anchor = "fnref-12";
    rc_para_opts o = opts(150, RC_PARA_JUSTIFY, true);
    rc_para *p = rc_para_set(f->a, rs, 2, &o, &f->fonts, f->hyph);
    bool hyph = false;
    for (size_t i = 0; i < p->nlines; i++)
        hyph |= p->lines[i].hyphenated;
    assert_true(hyph);
    const rc_line *last = &p->lines[p->nlines - 1];
    const rc_frag *mark = &last->frags[last->nfrags - 1];
    assert_int_equal(mark->len, 2);
    assert_near(mark->style->rise, 3.6, 1e-12);
    assert_string_equal(mark->anchor, "fnref-12");
    assert_true(last->ascent >= 0.987 * 6.5 + 3.6 - 1e-9);
    const rc_frag *prev = &last->frags[last->nfrags - 2];
    assert_near(mark->x, prev->x + prev->width, 1e-9); /* no gap before the mark */
}

static void test_empty(void **state)
{
    fx *f = *state;
    rc_run r = run("   ", RC_FONT_REGULAR);
    rc_para_opts o = opts(100, RC_PARA_JUSTIFY, true);
    rc_para *p = rc_para_set(f->a, &r, 1, &o, &f->fonts, f->hyph);
    assert_int_equal(p->nlines, 0);
    p = rc_para_set(f->a, NULL, 0, &o, &f->fonts, f->hyph);
    assert_int_equal(p->nlines, 0);
}

/* About 9,000 words in paragraphs of 30-150 words; prints words per ms. */
static void test_speed(void **state)
{
    fx *f = *state;
    static char text[80000];
    size_t n = 0, words = 0;
    const char *src = TEXT;
    size_t sl = strlen(src);
    rc_run rs[200];
    size_t nr = 0;
    while (words < 9000 && nr < 200) {
        size_t start = n, pw = 0;
        size_t target = 30 + (nr * 37) % 120;
        for (size_t i = (nr * 131) % sl; pw < target; i = (i + 1) % sl) {
            text[n++] = src[i];
            if (src[i] == ' ') pw++;
        }
        words += pw;
        rs[nr] = run(text + start, RC_FONT_REGULAR);
        rs[nr].len = n - start;
        nr++;
    }
    rc_para_opts o = opts(453, RC_PARA_JUSTIFY, true);
    struct timespec t0, t1;
    size_t lines = 0;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
    for (size_t i = 0; i < nr; i++) {
        rc_para *p = rc_para_set(f->a, &rs[i], 1, &o, &f->fonts, f->hyph);
        lines += p->nlines;
    }
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
    double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
    printf("set %zu words in %zu paragraphs (%zu lines) in %.2f ms CPU: %.0f words/ms\n", words, nr,
           lines, ms, (double)words / ms);
    assert_true(lines > words / 20);
    assert_true(ms < 2000); /* generous: sanitizer builds are slow */
}

/* Whether line i ends inside a word that starts with a capital letter. */
static bool ends_in_name(const rc_para *p, size_t i)
{
    const rc_line *ln = &p->lines[i];
    if (!ln->hyphenated || !ln->nfrags) return false;
    const rc_frag *fr = &ln->frags[ln->nfrags - 1];
    const char *t = fr->text, *w = t + fr->len;
    while (w > t && w[-1] != ' ')
        w--;
    return *w >= 'A' && *w <= 'Z';
}

/* Proper names are hyphenated only when nothing else keeps the gaps within
 * their cap (this text needs it below 160 pt), ragged text
 * (captions, cells) only when a word would not fit: over a range of
 * measures the same text hyphenates its lower-case words but never a
 * name, and never in ragged setting. */
static void test_names_and_ragged_spared(void **state)
{
    fx *f = *state;
    static const char *names =
        "The regional authorities of Colombia and the municipalities of Romania compared "
        "their innovation strategies with counterparts in Brussels, where the participants "
        "of the programme discussed how international cooperation supports the "
        "specialisation of territories across America, Argentina and Extremadura, and how "
        "their experience could be transferred elsewhere.";
    rc_run r = run(names, RC_FONT_REGULAR);
    size_t lower = 0, name = 0, ragged = 0;
    for (double w = 171; w <= 340; w += 7) {
        rc_para_opts o = opts(w, RC_PARA_JUSTIFY, true);
        rc_para *p = rc_para_set(f->a, &r, 1, &o, &f->fonts, f->hyph);
        check_para(p, &o);
        for (size_t i = 0; i < p->nlines; i++) {
            name += ends_in_name(p, i);
            lower += p->lines[i].hyphenated && !ends_in_name(p, i);
        }
        o = opts(w, RC_PARA_LEFT, true);
        o.hyphenate_last_resort = true;
        p = rc_para_set(f->a, &r, 1, &o, &f->fonts, f->hyph);
        for (size_t i = 0; i < p->nlines; i++)
            ragged += p->lines[i].hyphenated;
    }
    assert_true(lower > 0); /* hyphenation is on and used */
    assert_int_equal(name, 0);
    assert_int_equal(ragged, 0);
    /* A word wider than the measure is still hyphenated in ragged text. */
    rc_run lr = run("internationalisation", RC_FONT_REGULAR);
    rc_para_opts o = opts(60, RC_PARA_LEFT, true);
    o.hyphenate_last_resort = true;
    rc_para *p = rc_para_set(f->a, &lr, 1, &o, &f->fonts, f->hyph);
    assert_true(p->nlines >= 2);
    assert_true(p->lines[0].hyphenated);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_justified),
        cmocka_unit_test(test_narrow_columns_cap),
        cmocka_unit_test(test_hyphenation_switch),
        cmocka_unit_test(test_emergency_split),
        cmocka_unit_test(test_ragged),
        cmocka_unit_test(test_styled_word_and_nbsp),
        cmocka_unit_test(test_accented_words),
        cmocka_unit_test(test_many_runs),
        cmocka_unit_test(test_nobreak_run_and_newline),
        cmocka_unit_test(test_indents_links_draw),
        cmocka_unit_test(test_word_with_footnote_mark),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_hyphenation_memo),
        cmocka_unit_test(test_names_and_ragged_spared),
        cmocka_unit_test(test_speed),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
