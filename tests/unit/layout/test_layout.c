/* test_layout: pagination rules checked on the display lists of documents
 * built by hand with the real Lato fonts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"

#include "rc/chart.h"
#include "rc/doc.h"
#include "rc/layout.h"

#define SAFE 56.0

typedef rc_test_doc fx;

static int setup(void **state)
{
    fx *f = rc_test_doc_new();
    if (!f) return -1;
    f->hyph = rc_hyph_load("/usr/share/hyphen/hyph_en_GB.dic", (rc_loc){0}, f->d);
    f->cfg.style.hyphenate = true;
    *state = f;
    return 0;
}

/* ---- tree builders ---------------------------------------------------- */

static rc_node *node(fx *f, rc_node_type t, rc_node *parent)
{
    rc_loc loc = {"test.md", 1, 1};
    rc_node *n = rc_node_new(f->a, t, loc);
    if (parent) rc_node_append(parent, n);
    return n;
}

static rc_node *text(fx *f, rc_node *parent, const char *s)
{
    rc_node *n = node(f, RC_NODE_TEXT, parent);
    n->text = rc_arena_strdup(f->a, s);
    n->len = strlen(s);
    return n;
}

static rc_node *para(fx *f, rc_node *parent, const char *s)
{
    rc_node *p = node(f, RC_NODE_PARAGRAPH, parent);
    text(f, p, s);
    return p;
}

static rc_node *section(fx *f, rc_part part)
{
    rc_node *s = node(f, RC_NODE_SECTION, f->doc.root);
    s->part = part;
    return s;
}

static rc_node *heading(fx *f, rc_node *sec, int level, const char *number, const char *title)
{
    rc_node *h = node(f, RC_NODE_HEADING, sec);
    h->level = level;
    h->number = number;
    h->numbered = number != NULL;
    h->in_toc = level <= 3;
    h->part = sec->part;
    h->id =
        number ? rc_arena_printf(f->a, "sec-%s", number) : rc_arena_printf(f->a, "sec-%s", title);
    text(f, h, title);
    RC_PUSH(f->a, f->doc.headings, h);
    return h;
}

/* n words "tagK" (a unique token per paragraph) of varying length */
static char *tagged(fx *f, int k, int words)
{
    static const char *filler[] = {"regional", "cooperation", "innovation",  "strategy", "and",
                                   "of",       "partners",    "development", "the",      "policy"};
    char *s = rc_arena_printf(f->a, "p%d", k);
    for (int i = 1; i < words; i++)
        s = rc_arena_printf(f->a, "%s %s", s,
                            (i % 3 == 0) ? rc_arena_printf(f->a, "p%d", k)
                                         : filler[(i * 7 + k) % 10]);
    return s;
}

static void run_layout(fx *f, bool hyph)
{
    rc_status st =
        rc_layout_document(f->a, &f->doc, &f->fonts, hyph ? f->hyph : NULL, f->d, &f->lay);
    assert_int_equal(st, RC_OK);
    assert_true(f->lay.pages.n > 0);
}

/* ---- display-list readers -------------------------------------------- */

typedef struct txt {
    const char *s;
    size_t len;
    double x, y, size, w;
    rc_font_id font;
} txt;

typedef RC_VEC(txt) txts;

static void collect(fx *f, const rc_draw_list *l, double dx, double dy, txts *out)
{
    for (size_t i = 0; i < l->ops.n; i++) {
        const rc_draw_op *op = &l->ops.v[i];
        if (op->kind == RC_DRAW_GROUP && op->group)
            collect(f, op->group, dx + op->x, dy + op->y, out);
        if (op->kind != RC_DRAW_TEXT) continue;
        /* a word's trailing (or a page label's leading) space is an
         * invisible glyph that keeps words apart for screen readers
         * (paraline.c, layout_front.c); the visible word is what these
         * tests look at */
        size_t len = op->len;
        const char *s = op->text;
        double x = op->x;
        if (len > 1 && s[len - 1] == ' ') len--;
        if (len > 1 && s[0] == ' ') { /* a page label in the contents: " 12" */
            x += rc_font_text_width(f->fonts.f[op->font], " ", 1, op->size);
            s++;
            len--;
        }
        txt t = {s, len, x + dx, op->y + dy, op->size, 0, op->font};
        t.w = rc_font_text_width(f->fonts.f[op->font], s, len, op->size);
        RC_PUSH(f->a, *out, t);
    }
}

static txts page_texts(fx *f, size_t p)
{
    txts t = {0};
    collect(f, f->lay.pages.v[p].content, 0, 0, &t);
    return t;
}

static bool has(const txt *t, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= t->len; i++)
        if (memcmp(t->s + i, needle, n) == 0) return true;
    return false;
}

/* Page holding the destination id (SIZE_MAX if none); y of the dest. */
static size_t dest_page(fx *f, const char *id, double *y)
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
    return SIZE_MAX;
}

static size_t dest_page_prefix(fx *f, const char *prefix)
{
    size_t n = strlen(prefix);
    for (size_t p = 0; p < f->lay.pages.n; p++) {
        const rc_draw_list *l = f->lay.pages.v[p].content;
        for (size_t i = 0; i < l->ops.n; i++)
            if (l->ops.v[i].kind == RC_DRAW_DEST && l->ops.v[i].dest &&
                strncmp(l->ops.v[i].dest, prefix, n) == 0)
                return p;
    }
    return SIZE_MAX;
}

/* Distinct baselines of body-size text strictly below y on page p. */
static size_t body_lines_below(fx *f, size_t p, double y)
{
    txts t = page_texts(f, p);
    double seen[200];
    size_t n = 0;
    for (size_t i = 0; i < t.n; i++) {
        if (t.v[i].size != 10.0 || t.v[i].y >= y) continue;
        bool dup = false;
        for (size_t k = 0; k < n; k++)
            dup |= seen[k] > t.v[i].y - 0.01 && seen[k] < t.v[i].y + 0.01;
        if (!dup && n < 200) seen[n++] = t.v[i].y;
    }
    return n;
}

/* Every TEXT op (groups included) stays inside the 56 pt safe area. */
static void assert_inside_margins(fx *f)
{
    for (size_t p = 0; p < f->lay.pages.n; p++) {
        txts t = page_texts(f, p);
        for (size_t i = 0; i < t.n; i++) {
            const txt *x = &t.v[i];
            if (x->x < SAFE || x->x + x->w > RC_PAGE_WIDTH - SAFE || x->y - 0.25 * x->size < SAFE ||
                x->y + x->size > RC_PAGE_HEIGHT - SAFE)
                fail_msg("page %zu: text '%.*s' at (%.1f, %.1f) w %.1f outside the margins", p,
                         (int)x->len, x->s, x->x, x->y, x->w);
        }
    }
}

/* ---- tests ------------------------------------------------------------ */

/* A level-2 heading never ends a page: for every amount of filler text in
 * front of it, at least two body lines follow it on its page. */
static void test_keep_with_next(void **state)
{
    fx *base = *state;
    int moved = 0;
    for (int k = 30; k < 70; k++) {
        fx f = *base;
        f.a = rc_arena_new();
        f.doc.root = rc_node_new(f.a, RC_NODE_DOCUMENT, (rc_loc){0});
        f.doc.headings.n = f.doc.headings.cap = 0;
        f.doc.headings.v = NULL;
        rc_node *s = section(&f, RC_PART_MAIN);
        heading(&f, s, 1, "1", "Introduction");
        for (int i = 0; i < k; i++)
            para(&f, s, "Short filler line.");
        heading(&f, s, 2, "1.1", "The heading that must keep with its text");
        para(&f, s, tagged(&f, 1, 60));
        run_layout(&f, false);
        double y = 0;
        size_t p = dest_page(&f, "sec-1.1", &y);
        assert_true(p != SIZE_MAX);
        size_t below = body_lines_below(&f, p, y);
        if (below < 2)
            fail_msg("filler %d: heading on page %zu followed by %zu lines", k, p, below);
        if (p == 1 && y > 700) moved++;
        assert_inside_margins(&f);
        rc_arena_free(f.a);
    }
    assert_true(moved > 0); /* some filler amount pushed the heading over */
}

/* Paragraph id of a text op ("p17" tokens), or -1. */
static int tag_of(const txt *t)
{
    for (size_t i = 0; i + 1 < t->len; i++)
        if (t->s[i] == 'p' && t->s[i + 1] >= '0' && t->s[i + 1] <= '9' &&
            (i == 0 || t->s[i - 1] == ' '))
            return atoi(t->s + i + 1);
    return -1;
}

static void test_widows_orphans(void **state)
{
    fx *f = *state;
    rc_node *s = section(f, RC_PART_MAIN);
    heading(f, s, 1, "1", "Lines");
    enum { NP = 90 };
    for (int k = 0; k < NP; k++)
        para(f, s, tagged(f, k, 25 + (k * 37) % 70));
    run_layout(f, false);
    assert_true(f->lay.pages.n >= 4);
    /* lines per paragraph per page */
    static size_t cnt[NP][64];
    memset(cnt, 0, sizeof cnt);
    for (size_t p = 0; p < f->lay.pages.n && p < 64; p++) {
        txts t = page_texts(f, p);
        double ys[NP][40];
        size_t ny[NP];
        memset(ny, 0, sizeof ny);
        for (size_t i = 0; i < t.n; i++) {
            int k = tag_of(&t.v[i]);
            if (k < 0 || k >= NP || t.v[i].size != 10.0) continue;
            bool dup = false;
            for (size_t q = 0; q < ny[k]; q++)
                dup |= ys[k][q] == t.v[i].y;
            if (!dup && ny[k] < 40) ys[k][ny[k]++] = t.v[i].y;
        }
        for (int k = 0; k < NP; k++)
            cnt[k][p] = ny[k];
    }
    int split = 0;
    for (int k = 0; k < NP; k++) {
        size_t pages = 0, total = 0;
        for (size_t p = 0; p < f->lay.pages.n && p < 64; p++) {
            total += cnt[k][p];
            if (!cnt[k][p]) continue;
            pages++;
            if (cnt[k][p] < 2) fail_msg("paragraph %d has a single line on page %zu", k, p);
        }
        assert_true(total >= 2);
        if (pages > 1) split++;
    }
    assert_true(split >= 2); /* paragraphs did cross pages */
    assert_inside_margins(f);
}

static void test_table_header_repeats(void **state)
{
    fx *f = *state;
    rc_node *s = section(f, RC_PART_MAIN);
    heading(f, s, 1, "1", "Tables");
    para(f, s, tagged(f, 1, 30));
    rc_node *t = node(f, RC_NODE_TABLE, s);
    t->ncols = 3;
    t->number = "1";
    t->caption = "A long listing of pairings";
    t->source_line = "Survey of pairings";
    t->id = "table:long";
    rc_table_cfg tc = {0};
    t->table = &tc;
    rc_node *hr = node(f, RC_NODE_TABLE_ROW, t);
    hr->header = true;
    text(f, node(f, RC_NODE_TABLE_CELL, hr), "HdrRegion");
    text(f, node(f, RC_NODE_TABLE_CELL, hr), "HdrCountry");
    text(f, node(f, RC_NODE_TABLE_CELL, hr), "HdrTheme");
    for (int r = 0; r < 150; r++) {
        rc_node *row = node(f, RC_NODE_TABLE_ROW, t);
        text(f, node(f, RC_NODE_TABLE_CELL, row), rc_arena_printf(f->a, "Row%d", r));
        text(f, node(f, RC_NODE_TABLE_CELL, row), "Andalusia");
        text(f, node(f, RC_NODE_TABLE_CELL, row),
             r % 7 ? "Agri-food" : "Sustainable energy and smart specialisation in regions");
    }
    para(f, s, tagged(f, 2, 30));
    run_layout(f, true);
    size_t pages_with_rows = 0, headers = 0;
    int last_row = -1;
    for (size_t p = 0; p < f->lay.pages.n; p++) {
        txts tx = page_texts(f, p);
        size_t h = 0, rows = 0;
        double hy = 0, first_row_y = 0;
        for (size_t i = 0; i < tx.n; i++) {
            if (has(&tx.v[i], "HdrRegion")) {
                h++;
                hy = tx.v[i].y;
            }
            if (tx.v[i].len > 3 && memcmp(tx.v[i].s, "Row", 3) == 0) {
                int r = atoi(tx.v[i].s + 3);
                assert_int_equal(r, last_row + 1); /* rows in order, none lost */
                last_row = r;
                if (!rows) first_row_y = tx.v[i].y;
                rows++;
            }
        }
        if (rows) {
            pages_with_rows++;
            assert_int_equal(h, 1);
            assert_true(hy > first_row_y); /* header above the rows */
        }
        headers += h;
    }
    assert_int_equal(last_row, 149);
    assert_true(pages_with_rows >= 3);
    assert_int_equal(headers, pages_with_rows);
    assert_inside_margins(f);
}

static void test_footnotes_on_reference_page(void **state)
{
    fx *f = *state;
    rc_node *s = section(f, RC_PART_MAIN);
    heading(f, s, 1, "1", "Notes");
    enum { NF = 40 };
    for (int k = 1; k <= NF; k++) {
        rc_node *def = node(f, RC_NODE_FOOTNOTE_DEF, NULL);
        def->footnote = k;
        def->id = rc_arena_printf(f->a, "fn-%d", k);
        para(f, def,
             rc_arena_printf(f->a,
                             "FNTEXT%d is a note that explains where the figure came "
                             "from%s.",
                             k,
                             k % 5 ? ""
                                   : " and runs over a second line of small text so that "
                                     "footnote heights differ from note to note"));
        RC_PUSH(f->a, f->doc.footnotes, def);
    }
    for (int k = 1; k <= NF; k++) {
        rc_node *p = para(f, s, tagged(f, k, 20 + (k * 13) % 50));
        rc_node *ref = node(f, RC_NODE_FOOTNOTE_REF, p);
        ref->footnote = k;
        ref->footnote_def = f->doc.footnotes.v[k - 1];
        text(f, p, " and the rest of the sentence after the reference mark.");
    }
    run_layout(f, true);
    assert_true(f->lay.pages.n >= 3);
    for (int k = 1; k <= NF; k++) {
        size_t ref_page = dest_page_prefix(f, rc_arena_printf(f->a, "fnref-%d-", k));
        assert_true(ref_page != SIZE_MAX);
        char *needle = rc_arena_printf(f->a, "FNTEXT%d", k);
        size_t found = SIZE_MAX, count = 0;
        for (size_t p = 0; p < f->lay.pages.n; p++) {
            txts t = page_texts(f, p);
            double lowest_body = 1e9;
            for (size_t i = 0; i < t.n; i++)
                if (t.v[i].size == 10.0 && t.v[i].y < lowest_body) lowest_body = t.v[i].y;
            for (size_t i = 0; i < t.n; i++)
                if (t.v[i].len == strlen(needle) && has(&t.v[i], needle)) {
                    found = p;
                    count++;
                    assert_true(t.v[i].size < 10.0);     /* set smaller than the body */
                    assert_true(t.v[i].y < lowest_body); /* below the text of the page */
                }
        }
        assert_int_equal(count, 1);
        if (found != ref_page)
            fail_msg("footnote %d on page %zu, its reference on page %zu", k, found, ref_page);
    }
    assert_inside_margins(f);
}

/* Builds a document with contents, front matter and three chapters. */
static void book(fx *f, int paras)
{
    node(f, RC_NODE_COVER, f->doc.root);
    node(f, RC_NODE_IMPRINT, f->doc.root);
    node(f, RC_NODE_TOC, f->doc.root);
    f->cfg.report.subtitle.s = "Lessons from cooperation between regions";
    f->cfg.report.series.s = "JRC Science for Policy Report";
    f->cfg.report.year.s = "2020";
    f->cfg.report.eur.s = "30000 EN";
    f->cfg.report.isbn.s = "978-92-76-00000-0";
    f->cfg.report.doi.s = "10.2760/000000";
    f->cfg.report.publisher.s = "Publications Office of the European Union";
    f->cfg.report.place.s = "Luxembourg";
    f->cfg.report.sample_identifiers = true;
    rc_node *fr = section(f, RC_PART_FRONT);
    heading(f, fr, 1, NULL, "Abstract");
    for (int i = 0; i < paras / 3; i++)
        para(f, fr, tagged(f, 500 + i, 60));
    for (int c = 1; c <= 3; c++) {
        rc_node *s = section(f, RC_PART_MAIN);
        heading(f, s, 1, rc_arena_printf(f->a, "%d", c),
                rc_arena_printf(f->a, "Chapter number %d of the report", c));
        for (int sub = 1; sub <= 3; sub++) {
            heading(f, s, 2, rc_arena_printf(f->a, "%d.%d", c, sub),
                    "A section heading long enough to show how titles wrap in the table of "
                    "contents when they do not fit on one line");
            for (int i = 0; i < paras; i++)
                para(f, s, tagged(f, c * 100 + sub * 10 + i, 40 + (i * 17) % 60));
        }
    }
    node(f, RC_NODE_BACK_COVER, f->doc.root);
}

static char *dump_of(const rc_layout *l, size_t *n)
{
    char *buf = NULL;
    FILE *m = open_memstream(&buf, n);
    assert_non_null(m);
    rc_layout_dump(l, m);
    fclose(m);
    return buf;
}

/* Page by page (rc_layout_begin/next/end, what the PDF writer drives):
 * every page comes once, in order, except the contents pages, which come
 * last; the result is the layout rc_layout_document makes. */
static void page_by_page(fx *f, int paras, size_t min_pages, bool drops)
{
    book(f, paras);
    run_layout(f, true);
    size_t n1 = 0, n2 = 0;
    char *whole = dump_of(&f->lay, &n1);
    fx *g = rc_test_doc_new();
    assert_non_null(g);
    g->hyph = rc_hyph_load("/usr/share/hyphen/hyph_en_GB.dic", (rc_loc){0}, g->d);
    g->cfg.style.hyphenate = true;
    book(g, paras);
    assert_int_equal(rc_layout_begin(g->a, &g->doc, &g->fonts, g->hyph, g->d, &g->lay), RC_OK);
    assert_non_null(g->lay.run);
    RC_VEC(size_t) order = {0};
    size_t pg;
    while (rc_layout_next(&g->lay, &pg)) {
        assert_true(pg < g->lay.pages.n); /* complete when returned */
        RC_PUSH(g->a, order, pg);
    }
    rc_layout_end(&g->lay);
    assert_null(g->lay.run);
    assert_int_equal(order.n, g->lay.pages.n);
    assert_true(g->lay.pages.n > min_pages);
    /* a long document's passed items were given back, a short one's not
     * (and the pages are the same) */
    assert_true(drops ? g->lay.dropped >= 256 * 1024 : g->lay.dropped == 0);
    size_t toc = SIZE_MAX;
    for (size_t i = 0; i < g->lay.outline.n; i++)
        if (g->lay.outline.v[i].dest && strcmp(g->lay.outline.v[i].dest, "rc-contents") == 0)
            toc = g->lay.outline.v[i].page;
    assert_true(toc != SIZE_MAX && toc > 0);
    size_t k = 0;
    for (size_t p = 0; p < g->lay.pages.n; p++)
        if (p != toc) assert_int_equal(order.v[k++], p);
    assert_int_equal(order.v[k], toc); /* the contents: last */
    char *paged = dump_of(&g->lay, &n2);
    assert_int_equal(n1, n2);
    assert_memory_equal(whole, paged, n1);
    free(whole);
    free(paged);
    rc_test_doc_free(g);
}

static void test_page_by_page(void **state)
{
    page_by_page(*state, 12, 8, false);
}

/* Long enough for the main list's passed items to be given back while the
 * pagination runs (layout.c, drop_passed): what is read afterwards is not
 * among them, or the pages would differ. */
static void test_page_by_page_long(void **state)
{
    page_by_page(*state, 90, 40, true);
}

static void test_page_labels(void **state)
{
    fx *f = *state;
    book(f, 4);
    run_layout(f, true);
    const rc_layout *l = &f->lay;
    size_t first_main = dest_page(f, "sec-1", NULL);
    assert_true(first_main != SIZE_MAX && first_main >= 3);
    for (size_t p = 0; p < first_main; p++) {
        assert_int_equal(l->pages.v[p].style, RC_PAGE_ROMAN);
        assert_int_equal(l->pages.v[p].number, (int)p + 1);
    }
    assert_string_equal(l->pages.v[0].label, "i");
    assert_string_equal(l->pages.v[1].label, "ii");
    assert_string_equal(l->pages.v[2].label, "iii");
    assert_int_equal(l->pages.v[first_main].style, RC_PAGE_ARABIC);
    assert_string_equal(l->pages.v[first_main].label, "1");
    for (size_t p = first_main; p < l->pages.n; p++)
        assert_int_equal(l->pages.v[p].number, (int)(p - first_main) + 1);
    /* the cover has no footer: no page number text on page 0 */
    txts t = page_texts(f, 0);
    for (size_t i = 0; i < t.n; i++)
        assert_false(t.v[i].len == 1 && t.v[i].s[0] == 'i');
    /* the abstract page shows its roman number in the footer */
    size_t abs = dest_page(f, "sec-Abstract", NULL);
    t = page_texts(f, abs);
    bool footer = false;
    for (size_t i = 0; i < t.n; i++)
        footer |= t.v[i].y < 80 && t.v[i].len == strlen(l->pages.v[abs].label) &&
                  memcmp(t.v[i].s, l->pages.v[abs].label, t.v[i].len) == 0;
    assert_true(footer);
    assert_inside_margins(f);
}

/* Every contents entry links to its heading and shows that heading's page
 * label flush right after a run of at least four dots on the same line. */
static void test_toc_numbers(void **state)
{
    fx *f = *state;
    book(f, 6);
    run_layout(f, true);
    size_t toc = dest_page(f, "rc-contents", NULL);
    assert_true(toc != SIZE_MAX);
    size_t entries = 0;
    for (size_t p = toc; p < f->lay.pages.n && p < toc + 3; p++) {
        const rc_draw_list *l = f->lay.pages.v[p].content;
        txts t = page_texts(f, p);
        for (size_t i = 0; i < l->ops.n; i++) {
            const rc_draw_op *op = &l->ops.v[i];
            if (op->kind != RC_DRAW_LINK || !op->dest) continue;
            size_t hp = dest_page(f, op->dest, NULL);
            assert_true(hp != SIZE_MAX);
            const char *want = f->lay.pages.v[hp].label;
            /* rightmost text inside the link rect */
            const txt *right = NULL, *dots = NULL;
            for (size_t k = 0; k < t.n; k++) {
                if (t.v[k].y < op->y || t.v[k].y > op->y + op->h) continue;
                if (!right || t.v[k].x + t.v[k].w > right->x + right->w) right = &t.v[k];
                if (t.v[k].len >= 4 && memcmp(t.v[k].s, "....", 4) == 0) dots = &t.v[k];
            }
            assert_non_null(right);
            assert_non_null(dots);
            assert_true(dots->y == right->y);
            assert_true(right->x + right->w > RC_PAGE_WIDTH - SAFE - 30);
            if (right->len != strlen(want) || memcmp(right->s, want, right->len) != 0)
                fail_msg("entry for %s shows '%.*s', heading is on page '%s'", op->dest,
                         (int)right->len, right->s, want);
            entries++;
        }
    }
    assert_int_equal(entries, 1 + 3 + 9); /* abstract, chapters, sections */
    /* outline: one entry per listed heading plus the contents itself */
    assert_int_equal(f->lay.outline.n, entries + 1);
    for (size_t i = 0; i < f->lay.outline.n; i++) {
        const rc_outline_entry *e = &f->lay.outline.v[i];
        assert_int_equal(dest_page(f, e->dest, NULL), e->page);
    }
    assert_string_equal(f->lay.outline.v[2].title, "1 Chapter number 1 of the report");
    assert_inside_margins(f);
}

/* A figure that does not fit goes to the next page; the text after it
 * fills the current page. On the next page it comes first, or right after
 * the rest of the paragraph the page starts inside (never into it). */
static void test_float_deferral(void **state)
{
    fx *f = *state;
    rc_node *s = section(f, RC_PART_MAIN);
    heading(f, s, 1, "1", "Figures");
    for (int i = 0; i < 6; i++)
        para(f, s, tagged(f, i, 70));
    rc_figure_cfg fc = {0};
    fc.height_mm = 110;
    fc.type = RC_CHART_BAR;
    static const char *cats[] = {"Mexico", "Brazil", "Colombia"};
    static double vals[] = {5, 4, 3};
    rc_series ser = {"Pairings", vals};
    rc_chart_panel panel = {.categories = cats, .ncat = 3, .series = &ser, .nseries = 1};
    rc_chart ch = {
        .cfg = &fc, .type = RC_CHART_BAR, .panels = &panel, .npanels = 1, .locale = f->doc.locale};
    rc_node *fig = node(f, RC_NODE_FIGURE, s);
    fig->figure = &fc;
    fig->chart = &ch;
    fig->number = "1";
    fig->caption = "Pairings by country";
    fig->source_line = "JRC analysis";
    fig->id = "figure:pairings";
    para(f, s, tagged(f, 50, 40));
    for (int i = 0; i < 10; i++)
        para(f, s, tagged(f, 60 + i, 70));
    run_layout(f, true);
    double y = 0;
    size_t fp = dest_page(f, "figure:pairings", &y);
    assert_true(fp != SIZE_MAX);
    /* page of the paragraph after the figure */
    size_t after = SIZE_MAX;
    for (size_t p = 0; p < f->lay.pages.n && after == SIZE_MAX; p++) {
        txts t = page_texts(f, p);
        for (size_t i = 0; i < t.n; i++)
            if (tag_of(&t.v[i]) == 50) after = p;
    }
    assert_int_equal(fp, 1);
    assert_int_equal(after, 0); /* text kept flowing on page 1 */
    txts t1 = page_texts(f, 0), t2 = page_texts(f, fp);
    int last1 = -1; /* the paragraph page 1 ends with */
    double low = 1e9;
    for (size_t i = 0; i < t1.n; i++)
        if (tag_of(&t1.v[i]) >= 0 && t1.v[i].y < low) {
            low = t1.v[i].y;
            last1 = tag_of(&t1.v[i]);
        }
    size_t above = 0;
    for (size_t i = 0; i < t2.n; i++)
        if (t2.v[i].y > y && tag_of(&t2.v[i]) >= 0) {
            assert_int_equal(tag_of(&t2.v[i]), last1); /* only the paragraph's rest */
            above++;
        }
    bool split = false; /* page 1 ends inside a paragraph: its rest is above */
    for (size_t i = 0; i < t2.n; i++)
        split |= tag_of(&t2.v[i]) == last1;
    assert_true(split); /* this text does end page 1 inside a paragraph */
    assert_true(above > 0);
    /* caption above the chart, source below */
    txts t = page_texts(f, fp);
    double cap = 0, src = 1e9;
    for (size_t i = 0; i < t.n; i++) {
        if (has(&t.v[i], "Figure")) cap = t.v[i].y;
        if (has(&t.v[i], "Source:")) src = t.v[i].y;
    }
    assert_true(cap > src);
    assert_true(cap - src > 250);
    assert_inside_margins(f);
}

/* The words of a page in reading order (top to bottom, left to right). */
static char *page_string(fx *f, size_t p)
{
    txts t = page_texts(f, p);
    for (size_t i = 1; i < t.n; i++) /* insertion sort by (-y, x) */
        for (size_t k = i; k > 0; k--) {
            txt *a = &t.v[k - 1], *b = &t.v[k];
            bool swap = b->y > a->y + 0.5 || (b->y > a->y - 0.5 && b->x < a->x);
            if (!swap) break;
            txt tmp = *a;
            *a = *b;
            *b = tmp;
        }
    char *s = rc_arena_strdup(f->a, "");
    for (size_t i = 0; i < t.n; i++)
        s = rc_arena_printf(f->a, "%s %.*s", s, (int)t.v[i].len, t.v[i].s);
    return s;
}

static void test_imprint_and_headers(void **state)
{
    fx *f = *state;
    static rc_str au[2] = {{.s = "Demblans, A."}, {.s = "Cagnin, C."}};
    f->cfg.report.authors.v = au;
    f->cfg.report.authors.n = 2;
    f->cfg.report.disclaimer.s = "The views expressed are those of the authors.";
    book(f, 5);
    f->cfg.report.eur.s = "EUR 30000 EN"; /* prefix already present: not doubled */
    run_layout(f, true);
    char *imp = page_string(f, 1);
    assert_null(strstr(imp, "EUR EUR"));
    const char *cite = strstr(imp, "How to cite this report:");
    assert_non_null(cite);
    const char *order[] = {
        "Demblans,", "A report on regional pairings", "Publications Office", "Luxembourg",
        "2020",      "ISBN 978-92-76-00000-0",        "doi:10.2760/000000",  "EUR 30000 EN"};
    const char *at = cite;
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        const char *q = strstr(at, order[i]);
        if (!q) fail_msg("'%s' missing from the citation: %s", order[i], cite);
        at = q + strlen(order[i]);
    }
    assert_non_null(strstr(imp, "are sample values"));
    assert_non_null(strstr(imp, "Legal notice"));
    /* chapter opening: no running header, a footer; next page: both */
    size_t ch = dest_page(f, "sec-2", NULL);
    assert_true(ch != SIZE_MAX && ch + 1 < f->lay.pages.n);
    txts t = page_texts(f, ch);
    bool header = false, footer = false;
    for (size_t i = 0; i < t.n; i++) {
        header |= t.v[i].y > RC_PAGE_HEIGHT - 80;
        footer |= t.v[i].y < 70 && has(&t.v[i], f->lay.pages.v[ch].label);
    }
    assert_false(header);
    assert_true(footer);
    t = page_texts(f, ch + 1);
    char *head = rc_arena_strdup(f->a, "");
    for (size_t i = 0; i < t.n; i++)
        if (t.v[i].y > RC_PAGE_HEIGHT - 80)
            head = rc_arena_printf(f->a, "%s%.*s", head, (int)t.v[i].len, t.v[i].s);
    assert_non_null(strstr(head, "A report on regional pairings"));
    assert_non_null(strstr(head, "2 Chapter number 2"));
    /* the back cover: no page number */
    size_t last = f->lay.pages.n - 1;
    t = page_texts(f, last);
    for (size_t i = 0; i < t.n; i++)
        assert_false(has(&t.v[i], f->lay.pages.v[last].label) && t.v[i].y < 70);
    assert_inside_margins(f);
}

/* A running head too long for its half of the header is cut after a whole
 * word of the title, with an ellipsis. */
static void test_running_head_word_boundary(void **state)
{
    fx *f = *state;
    static const char *title = "Lessons from the regional pairings: Latin America, fertile "
                               "ground for territorial innovation policies";
    rc_node *s = section(f, RC_PART_MAIN);
    heading(f, s, 1, "3", title);
    for (int i = 0; i < 40; i++)
        para(f, s, tagged(f, i, 70));
    run_layout(f, true);
    assert_true(f->lay.pages.n >= 2);
    txts t = page_texts(f, 1);
    const txt *head = NULL;
    for (size_t i = 0; i < t.n; i++)
        if (t.v[i].y > RC_PAGE_HEIGHT - 80 && has(&t.v[i], "Lessons")) head = &t.v[i];
    assert_non_null(head);
    const char *ell = "\xE2\x80\xA6";
    assert_true(head->len > 3 && memcmp(head->s + head->len - 3, ell, 3) == 0);
    /* "3 " + a prefix of the title ending at a word's end */
    size_t kept = head->len - 3 - 2;
    assert_memory_equal(head->s + 2, title, kept);
    assert_true(title[kept] == ' ' || title[kept] == ',' || title[kept] == ':');
    assert_true(kept > 20);
}

static void test_missing_glyph_error(void **state)
{
    fx *f = *state;
    rc_node *s = section(f, RC_PART_MAIN);
    heading(f, s, 1, "1", "Glyphs");
    para(f, s,
         "Beijing \xE4\xB8\xAD is here and \xE4\xB8\xAD again, with an en dash \xE2\x80\x93 "
         "that Lato has.");
    size_t before = rc_diag_errors(f->d);
    run_layout(f, true);
    assert_int_equal(rc_diag_errors(f->d), before + 1);
    assert_int_equal(rc_diag_get(f->d, rc_diag_count(f->d) - 1)->level, RC_DIAG_ERROR);
    const rc_diag_entry *e = rc_diag_get(f->d, rc_diag_count(f->d) - 1);
    assert_non_null(strstr(e->msg, "U+4E2D"));
    assert_string_equal(e->loc.file, "test.md");
    assert_int_equal(e->loc.line, 1);
    assert_int_equal(e->loc.col, 9); /* the byte column of the character */
}

/* Columns from content: a short column gets its natural width, long text
 * wraps in the widest column; declared widths are honoured. */
static void test_table_columns(void **state)
{
    fx *f = *state;
    rc_node *s = section(f, RC_PART_MAIN);
    heading(f, s, 1, "1", "Columns");
    rc_node *t = node(f, RC_NODE_TABLE, s);
    t->ncols = 2;
    rc_node *hr = node(f, RC_NODE_TABLE_ROW, t);
    hr->header = true;
    text(f, node(f, RC_NODE_TABLE_CELL, hr), "Code");
    text(f, node(f, RC_NODE_TABLE_CELL, hr), "Description");
    rc_node *row = node(f, RC_NODE_TABLE_ROW, t);
    text(f, node(f, RC_NODE_TABLE_CELL, row), "Industrial modernisation");
    text(f, node(f, RC_NODE_TABLE_CELL, row), tagged(f, 7, 120));
    run_layout(f, true);
    txts tx = page_texts(f, 0);
    double code_x = -1, desc_x = -1, mod_y = -1, ind_y = -2;
    for (size_t i = 0; i < tx.n; i++) {
        if (has(&tx.v[i], "Code")) code_x = tx.v[i].x;
        if (has(&tx.v[i], "Description")) desc_x = tx.v[i].x;
        if (has(&tx.v[i], "Industrial")) ind_y = tx.v[i].y;
        if (has(&tx.v[i], "modernisation")) mod_y = tx.v[i].y;
    }
    assert_true(code_x > 0 && desc_x > code_x);
    assert_true(ind_y == mod_y); /* the short cell did not wrap */
    assert_true(desc_x - code_x < 0.4 * (RC_PAGE_WIDTH - 2 * 77.95));
}

static void test_hard_break_and_lists(void **state)
{
    fx *f = *state;
    rc_node *s = section(f, RC_PART_MAIN);
    heading(f, s, 1, "1", "Breaks");
    rc_node *p = para(f, s, "Edificio Expo");
    node(f, RC_NODE_LINEBREAK, p);
    text(f, p, "Seville");
    rc_node *l = node(f, RC_NODE_LIST, s);
    l->ordered = true;
    l->start = 3;
    para(f, node(f, RC_NODE_ITEM, l), "Third item");
    para(f, node(f, RC_NODE_ITEM, l), "Fourth item");
    run_layout(f, false);
    txts t = page_texts(f, 0);
    const txt *ed = NULL, *sev = NULL, *m3 = NULL, *m4 = NULL, *third = NULL;
    for (size_t i = 0; i < t.n; i++) {
        if (has(&t.v[i], "Edificio")) ed = &t.v[i];
        if (has(&t.v[i], "Seville")) sev = &t.v[i];
        if (t.v[i].len == 2 && memcmp(t.v[i].s, "3.", 2) == 0) m3 = &t.v[i];
        if (t.v[i].len == 2 && memcmp(t.v[i].s, "4.", 2) == 0) m4 = &t.v[i];
        if (has(&t.v[i], "Third")) third = &t.v[i];
    }
    assert_non_null(ed);
    assert_non_null(sev);
    assert_true(sev->y < ed->y - 10);
    assert_true(sev->x == ed->x);
    assert_non_null(m3);
    assert_non_null(m4);
    assert_non_null(third);
    assert_true(m3->y == third->y);        /* marker on the item's first line */
    assert_true(m3->x + m3->w < third->x); /* hanging in front of the text */
    assert_true(third->x > ed->x);         /* item text indented */
    /* the text dump names pages, ops and the outline */
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    assert_non_null(m);
    rc_layout_dump(&f->lay, m);
    fclose(m);
    assert_true(strncmp(buf, "page 1 label \"1\" arabic 1\n", 26) == 0);
    assert_non_null(strstr(buf, "\"Seville\""));
    assert_non_null(strstr(buf, "dest ("));
    assert_non_null(strstr(buf, "outline 1 page 1"));
    free(buf);
}

/* A box taller than a page splits between its paragraphs, never inside
 * one, and every page it touches shades the part it holds. */
static void test_long_box_splits(void **state)
{
    fx *f = *state;
    rc_node *s = section(f, RC_PART_MAIN);
    heading(f, s, 1, "1", "Boxes");
    para(f, s, tagged(f, 1, 80));
    rc_node *b = node(f, RC_NODE_BOX, s);
    b->number = "1";
    b->caption = "A long case study";
    b->id = "box:long";
    enum { NB = 14 };
    for (int k = 0; k < NB; k++)
        para(f, b, tagged(f, 100 + k, 90));
    para(f, s, tagged(f, 2, 80));
    run_layout(f, true);
    size_t first = dest_page(f, "box:long", NULL);
    assert_true(first != SIZE_MAX);
    int page_of[NB];
    for (int k = 0; k < NB; k++)
        page_of[k] = -1;
    size_t pages_with_box = 0;
    for (size_t p = 0; p < f->lay.pages.n; p++) {
        txts t = page_texts(f, p);
        double top = -1, bottom = 1e9;
        for (size_t i = 0; i < t.n; i++) {
            int k = tag_of(&t.v[i]) - 100;
            if (k < 0 || k >= NB) continue;
            if (page_of[k] >= 0 && page_of[k] != (int)p)
                fail_msg("box paragraph %d split over pages %d and %zu", k, page_of[k], p);
            page_of[k] = (int)p;
            if (t.v[i].y > top) top = t.v[i].y;
            if (t.v[i].y < bottom) bottom = t.v[i].y;
        }
        if (top < 0) continue;
        pages_with_box++;
        /* a filled rectangle behind all of this page's box text */
        bool shaded = false;
        const rc_draw_list *dl = f->lay.pages.v[p].content;
        for (size_t i = 0; i < dl->ops.n; i++) {
            const rc_draw_op *o = &dl->ops.v[i];
            shaded |= o->kind == RC_DRAW_RECT && o->fill && o->y < bottom - 2 &&
                      o->y + o->h > top + 6 && o->y >= SAFE && o->y + o->h <= RC_PAGE_HEIGHT - SAFE;
        }
        assert_true(shaded);
    }
    assert_true(pages_with_box >= 2);
    for (int k = 0; k < NB; k++)
        assert_true(page_of[k] >= 0);
    assert_inside_margins(f);
}

/* A row taller than a page is cut between lines (with a warning) rather
 * than running off the page. */
static void test_tall_row_sliced(void **state)
{
    fx *f = *state;
    rc_node *s = section(f, RC_PART_MAIN);
    heading(f, s, 1, "1", "Tall");
    rc_node *t = node(f, RC_NODE_TABLE, s);
    t->ncols = 2;
    rc_node *hr = node(f, RC_NODE_TABLE_ROW, t);
    hr->header = true;
    text(f, node(f, RC_NODE_TABLE_CELL, hr), "HdrA");
    text(f, node(f, RC_NODE_TABLE_CELL, hr), "HdrB");
    rc_node *row = node(f, RC_NODE_TABLE_ROW, t);
    text(f, node(f, RC_NODE_TABLE_CELL, row), "Short");
    text(f, node(f, RC_NODE_TABLE_CELL, row), tagged(f, 9, 1500));
    size_t before = rc_diag_warnings(f->d);
    run_layout(f, true);
    assert_int_equal(rc_diag_warnings(f->d), before + 1);
    assert_int_equal(rc_diag_errors(f->d), 0);
    size_t pages = 0;
    for (size_t p = 0; p < f->lay.pages.n; p++) {
        txts tx = page_texts(f, p);
        bool cell = false, head = false;
        for (size_t i = 0; i < tx.n; i++) {
            cell |= tag_of(&tx.v[i]) == 9;
            head |= has(&tx.v[i], "HdrA");
        }
        if (cell) {
            pages++;
            assert_true(head);
        }
    }
    assert_true(pages >= 2);
    assert_inside_margins(f);
}

/* Odd but possible trees never crash the layout. */
static void test_degenerate_nodes(void **state)
{
    fx *f = *state;
    rc_node *s = section(f, RC_PART_MAIN);
    node(f, RC_NODE_HEADING, s)->level = 1; /* no text, no number */
    node(f, RC_NODE_PARAGRAPH, s);          /* empty */
    node(f, RC_NODE_TABLE, s);              /* no rows */
    rc_node *t = node(f, RC_NODE_TABLE, s); /* a row without cells */
    node(f, RC_NODE_TABLE_ROW, t);
    rc_node *fig = node(f, RC_NODE_FIGURE, s); /* no chart model */
    fig->number = "1";
    fig->caption = "A figure whose chart failed to build";
    fig->id = "figure:none";
    rc_node *b = node(f, RC_NODE_BOX, s); /* empty box */
    b->id = "box:empty";
    rc_node *p = para(f, s, "A dangling reference");
    node(f, RC_NODE_FOOTNOTE_REF, p)->footnote = 7; /* no definition */
    rc_node *l = node(f, RC_NODE_LIST, s);
    para(f, l, "Not inside an item");
    node(f, RC_NODE_ITEM, l); /* empty item */
    rc_node *cb = node(f, RC_NODE_CODE_BLOCK, s);
    cb->text = "\n\n";
    cb->len = 2;
    node(f, RC_NODE_THEMATIC_BREAK, s);
    rc_node *lk = node(f, RC_NODE_PARAGRAPH, s);
    rc_node *link = node(f, RC_NODE_LINK, lk);
    link->url = "#figure:none";
    text(f, link, "Figure 1");
    node(f, RC_NODE_LIST_OF, f->doc.root)->list = RC_LIST_BOXES;
    run_layout(f, true);
    double y;
    assert_true(dest_page(f, "figure:none", &y) != SIZE_MAX);
    /* the internal link became a link rectangle */
    bool linked = false;
    for (size_t pg = 0; pg < f->lay.pages.n; pg++) {
        const rc_draw_list *dl = f->lay.pages.v[pg].content;
        for (size_t i = 0; i < dl->ops.n; i++)
            linked |= dl->ops.v[i].kind == RC_DRAW_LINK && dl->ops.v[i].dest &&
                      strcmp(dl->ops.v[i].dest, "figure:none") == 0;
    }
    assert_true(linked);
    assert_inside_margins(f);
}

/* The group op of page pg's content that draws a figure, or NULL. */
static const rc_draw_list *figure_group(const rc_layout *l, size_t pg)
{
    const rc_draw_list *dl = l->pages.v[pg].content;
    for (size_t i = 0; dl && i < dl->ops.n; i++)
        if (dl->ops.v[i].kind == RC_DRAW_GROUP) return dl->ops.v[i].group;
    return NULL;
}

/* With release_figures (a PDF-only build: no SVG draws the figures again)
 * each chart's list stays as long as its page may be drawn, and is freed
 * once that page is handed back; without it, every list stays. */
static void test_release_figures(void **state)
{
    fx *f = *state;
    static const char *cats[] = {"Mexico", "Brazil", "Colombia"};
    static double vals[] = {5, 4, 3};
    static rc_series ser = {"Pairings", vals};
    static rc_chart_panel panel = {.categories = cats, .ncat = 3, .series = &ser, .nseries = 1};
    rc_figure_cfg fc = {0};
    fc.height_mm = 110;
    fc.type = RC_CHART_BAR;
    rc_chart ch = {
        .cfg = &fc, .type = RC_CHART_BAR, .panels = &panel, .npanels = 1, .locale = f->doc.locale};
    rc_node *s = section(f, RC_PART_MAIN);
    heading(f, s, 1, "1", "Figures");
    static const char *ids[] = {"figure:a", "figure:b", "figure:c"};
    for (int k = 0; k < 3; k++) {
        for (int i = 0; i < 4; i++)
            para(f, s, tagged(f, 10 * k + i, 60));
        rc_node *fig = node(f, RC_NODE_FIGURE, s);
        fig->figure = &fc;
        fig->chart = &ch;
        fig->caption = "Pairings by country";
        fig->id = ids[k];
    }
    for (int pass = 0; pass < 2; pass++) {
        bool release = pass == 0;
        memset(&f->lay, 0, sizeof f->lay);
        assert_int_equal(rc_layout_begin(f->a, &f->doc, &f->fonts, NULL, f->d, &f->lay), RC_OK);
        f->lay.release_figures = release;
        size_t pg, prev = SIZE_MAX, shown = 0;
        while (rc_layout_next(&f->lay, &pg)) {
            /* the page handed back before: its figure is gone (or kept) */
            for (size_t i = 0; prev != SIZE_MAX && i < f->lay.figures.n; i++)
                if (f->lay.figures.v[i].page == prev)
                    assert_true(release ? f->lay.figures.v[i].list == NULL
                                        : f->lay.figures.v[i].list != NULL);
            /* this page's figure is whole: the list its content draws */
            const rc_draw_list *g = figure_group(&f->lay, pg);
            if (g) {
                shown++;
                assert_true(g->ops.n > 0);
                bool listed = false;
                for (size_t i = 0; i < f->lay.figures.n; i++)
                    listed |= f->lay.figures.v[i].page == pg && f->lay.figures.v[i].list == g;
                assert_true(listed);
            }
            prev = pg;
        }
        rc_layout_end(&f->lay);
        assert_int_equal(shown, 3);
        assert_int_equal(f->lay.figures.n, 3);
        for (size_t i = 0; i < f->lay.figures.n; i++)
            assert_true(release ? f->lay.figures.v[i].list == NULL
                                : f->lay.figures.v[i].list != NULL);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_keep_with_next, setup, rc_test_teardown),
        cmocka_unit_test_setup_teardown(test_widows_orphans, setup, rc_test_teardown),
        cmocka_unit_test_setup_teardown(test_table_header_repeats, setup, rc_test_teardown),
        cmocka_unit_test_setup_teardown(test_footnotes_on_reference_page, setup, rc_test_teardown),
        cmocka_unit_test_setup_teardown(test_page_labels, setup, rc_test_teardown),
        cmocka_unit_test_setup_teardown(test_page_by_page, setup, rc_test_teardown),
        cmocka_unit_test_setup_teardown(test_page_by_page_long, setup, rc_test_teardown),
        cmocka_unit_test_setup_teardown(test_toc_numbers, setup, rc_test_teardown),
        cmocka_unit_test_setup_teardown(test_float_deferral, setup, rc_test_teardown),
        cmocka_unit_test_setup_teardown(test_imprint_and_headers, setup, rc_test_teardown),
        cmocka_unit_test_setup_teardown(test_running_head_word_boundary, setup, rc_test_teardown),
        cmocka_unit_test_setup_teardown(test_missing_glyph_error, setup, rc_test_teardown),
        cmocka_unit_test_setup_teardown(test_table_columns, setup, rc_test_teardown),
        cmocka_unit_test_setup_teardown(test_hard_break_and_lists, setup, rc_test_teardown),
        cmocka_unit_test_setup_teardown(test_degenerate_nodes, setup, rc_test_teardown),
        cmocka_unit_test_setup_teardown(test_long_box_splits, setup, rc_test_teardown),
        cmocka_unit_test_setup_teardown(test_tall_row_sliced, setup, rc_test_teardown),
        cmocka_unit_test_setup_teardown(test_release_figures, setup, rc_test_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
