/* Tests for the document model: headings and numbering across files and
 * parts, placeholders, cross-references, floats, footnotes, exact error
 * positions, and golden dumps in tests/golden/doc/<case>/ (input.md ->
 * expected.txt, byte for byte; RC_UPDATE_GOLDEN=1 rewrites expected.txt). */
#define _GNU_SOURCE
#include <dirent.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "rc/chart.h"
#include "rc/doc.h"
#include "rc/status.h"
#include "rc/util.h"

#define FILES "tests/golden/doc/_files/"

/* A hand-built config and data set: three metrics, two figures (tiles, so
 * the chart needs only metrics), three tables, one box. */
typedef struct fx {
    rc_arena *a;
    rc_diag *d;
    rc_config cfg;
    rc_metric_cfg mcfg[3];
    rc_metric_value mv[3];
    rc_figure_cfg fig[2];
    rc_str items[2];
    rc_table_cfg tab[5];
    rc_str cols[3];
    rc_box_cfg box[1];
    rc_field_cfg field;
    rc_agg agg[1];
    const char *rowl[3], *coll[2];
    double val[6], share[6], total[2];
    rc_data data;
    rc_doc doc;
} fx;

static rc_str S(const char *s, unsigned line)
{
    return (rc_str){.s = s, .loc = {"t.ini", line, 1}};
}

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    f->a = rc_arena_new();
    f->d = rc_diag_new();
    rc_config *c = &f->cfg;
    c->path = "t.ini";
    c->dir = ".";
    const char *mn[3] = {"count_all", "share_eu", "mean_sat"};
    const char *mf[3] = {"integer", "percent:1", NULL};
    double mvv[3] = {1312, 0.9375, 3.456};
    for (int i = 0; i < 3; i++) {
        f->mcfg[i].name = S(mn[i], (unsigned)(10 + i));
        f->mcfg[i].format = S(mf[i], (unsigned)(10 + i));
        f->mv[i] = (rc_metric_value){&f->mcfg[i], mn[i], mvv[i], i == 0};
    }
    c->metrics = f->mcfg;
    c->nmetrics = 3;
    const char *fn[2] = {"motivation", "themes"};
    for (int i = 0; i < 2; i++) {
        f->fig[i].name = S(fn[i], (unsigned)(20 + i));
        f->fig[i].type = RC_CHART_TILES;
        f->fig[i].caption = S(i ? "Themes" : "Motivation of {{count_all}} partners", 21);
        f->fig[i].source_line = S("JRC analysis", 22);
        f->items[i] = S("count_all: Respondents", 23);
        f->fig[i].items = (rc_strlist){&f->items[i], 1};
        f->fig[i].loc = (rc_loc){"t.ini", (unsigned)(20 + i), 1};
    }
    c->figures = f->fig;
    c->nfigures = 2;
    f->tab[0] = (rc_table_cfg){.name = S("partners", 30),
                               .caption = S("Partners", 31),
                               .file = S(FILES "partners.md", 32),
                               .loc = {"t.ini", 30, 1}};
    f->tab[1] = (rc_table_cfg){.name = S("bycat", 33),
                               .caption = S("By category", 34),
                               .aggregate = S("motiv", 35),
                               .loc = {"t.ini", 33, 1}};
    f->cols[0] = S("Kind", 36);
    f->cols[1] = S("Number", 36);
    f->cols[2] = S("Percent", 36);
    f->tab[2] = (rc_table_cfg){.name = S("two", 37),
                               .caption = S("Two", 38),
                               .file = S(FILES "two.md", 39),
                               .loc = {"t.ini", 37, 1}};
    f->tab[3] = (rc_table_cfg){.name = S("notable", 40),
                               .caption = S("None", 41),
                               .file = S(FILES "notable.md", 42),
                               .loc = {"t.ini", 40, 1}};
    f->tab[4] = (rc_table_cfg){.name = S("renamed", 43),
                               .caption = S("Renamed", 44),
                               .file = S(FILES "partners.md", 45),
                               .columns = {f->cols, 3},
                               .loc = {"t.ini", 43, 1}};
    c->tables = f->tab;
    c->ntables = 5;
    f->box[0] = (rc_box_cfg){.name = S("story", 50),
                             .title = S("An Andean pilot", 51),
                             .file = S(FILES "story.md", 52),
                             .loc = {"t.ini", 50, 1}};
    c->boxes = f->box;
    c->nboxes = 1;
    /* a distribution aggregate: 3 categories x 2 groups */
    f->field.label = S("Motivation", 60);
    f->field.type = RC_FIELD_CATEGORY;
    f->rowl[0] = "Research", f->rowl[1] = "Innovation", f->rowl[2] = "Policy";
    f->coll[0] = "EU", f->coll[1] = "LAC";
    double v[6] = {10, 5, 6, 4, 2, 1};
    memcpy(f->val, v, sizeof v);
    f->total[0] = 16, f->total[1] = 10;
    for (int i = 0; i < 6; i++)
        f->share[i] = f->val[i] / f->total[i % 2];
    f->agg[0] = (rc_agg){.name = "motiv",
                         .kind = RC_AGG_DISTRIBUTION,
                         .nrows = 3,
                         .ncols = 2,
                         .row_label = f->rowl,
                         .col_label = f->coll,
                         .value = f->val,
                         .share = f->share,
                         .total = f->total,
                         .field = &f->field};
    f->data = (rc_data){.cfg = c, .metrics = f->mv, .nmetrics = 3, .aggs = f->agg, .naggs = 1};
    f->doc.cfg = c;
    f->doc.data = &f->data;
    f->doc.locale = rc_locale_get("en");
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

static rc_node *parse(fx *f, const char *file, const char *md, rc_part part)
{
    return rc_doc_parse_markdown(f->a, &f->doc, file, md, strlen(md), part, f->d);
}

static const char *diag_line(fx *f, size_t i)
{
    static char buf[512];
    const rc_diag_entry *e = rc_diag_get(f->d, i);
    assert_non_null(e);
    rc_diag_format(e, buf, sizeof buf);
    return buf;
}

/* Asserts that exactly the given diagnostics were reported, in order. */
static void expect_diags(fx *f, size_t n, ...)
{
    va_list ap;
    va_start(ap, n);
    if (rc_diag_count(f->d) != n) {
        for (size_t i = 0; i < rc_diag_count(f->d); i++)
            print_message("  got: %s\n", diag_line(f, i));
        fail_msg("expected %zu diagnostics, got %zu", n, rc_diag_count(f->d));
    }
    for (size_t i = 0; i < n; i++)
        assert_string_equal(diag_line(f, i), va_arg(ap, const char *));
    va_end(ap);
}

/* The n-th node of type t in document order (pre-order), or NULL. */
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

static rc_node *nth(rc_node *root, rc_node_type t, int k)
{
    return find(root, t, &k);
}

static const char *text_of(fx *f, rc_node *n)
{
    assert_non_null(n);
    return rc_node_plain_text(f->a, n);
}

/* ---- headings ------------------------------------------------------------ */

static void heading_numbers(void **state)
{
    fx *f = *state;
    parse(f, "front.md", "# Abstract\n\n## Key points\n", RC_PART_FRONT);
    parse(f, "ch1.md", "# Intro\n\n## Scope\n\n### Detail\n\n### More\n\n#### Run-in\n\n## Next\n",
          RC_PART_MAIN);
    parse(f, "ch2.md", "# Results\n\n## First\n\n### Sub\n", RC_PART_MAIN);
    parse(f, "back.md", "# References\n", RC_PART_BACK);
    parse(f, "annex.md", "# Questionnaire\n\n## Part A\n\n### Sub\n", RC_PART_ANNEX);
    parse(f, "annex2.md", "# Data\n", RC_PART_ANNEX);
    expect_diags(f, 0);
    struct {
        int level;
        const char *number, *id;
        bool toc;
    } want[] = {
        {1, NULL, "sec-abstract", true},
        {2, NULL, "sec-key-points", false},
        {1, "1", "sec-1", true},
        {2, "1.1", "sec-1-1", true},
        {3, "1.1.1", "sec-1-1-1", true},
        {3, "1.1.2", "sec-1-1-2", true},
        {4, NULL, "sec-run-in", false},
        {2, "1.2", "sec-1-2", true},
        {1, "2", "sec-2", true},
        {2, "2.1", "sec-2-1", true},
        {3, "2.1.1", "sec-2-1-1", true},
        {1, NULL, "sec-references", true},
        {1, "Annex 1", "sec-annex-1", true},
        {2, NULL, "sec-part-a", true},
        {3, NULL, "sec-sub", false},
        {1, "Annex 2", "sec-annex-2", true},
    };
    size_t n = sizeof want / sizeof want[0];
    assert_int_equal(f->doc.headings.n, n);
    for (size_t i = 0; i < n; i++) {
        rc_node *h = f->doc.headings.v[i];
        assert_int_equal(h->level, want[i].level);
        if (want[i].number) {
            assert_non_null(h->number);
            assert_string_equal(h->number, want[i].number);
            assert_true(h->numbered);
        } else {
            assert_null(h->number);
            assert_false(h->numbered);
        }
        assert_string_equal(h->id, want[i].id);
        assert_int_equal(h->in_toc, want[i].toc);
    }
    assert_int_equal(f->doc.headings.v[0]->part, RC_PART_FRONT);
    assert_int_equal(f->doc.headings.v[12]->part, RC_PART_ANNEX);
    assert_string_equal(text_of(f, f->doc.headings.v[2]), "Intro");
}

static void heading_errors(void **state)
{
    fx *f = *state;
    parse(f, "a.md", "Intro text first.\n\n# Title\n\n##### Too deep\n", RC_PART_MAIN);
    parse(f, "b.md", "", RC_PART_MAIN);
    parse(f, "c.md", "## Second level first\n", RC_PART_MAIN);
    expect_diags(f, 4,
                 "a.md:1:1: error: a Markdown file must start with a level-1 heading ('# Title')",
                 "a.md:5:1: error: heading level 5 is deeper than supported (4)",
                 "b.md:1:1: error: a Markdown file must start with a level-1 heading ('# Title')",
                 "c.md:1:1: error: a Markdown file must start with a level-1 heading ('# Title')");
}

static void duplicate_slugs(void **state)
{
    fx *f = *state;
    parse(f, "f.md", "# Notes\n\n# Notes\n\n# Notes!\n\n# Ünïcode only\n\n# ÄÖ\n", RC_PART_BACK);
    expect_diags(f, 0);
    assert_int_equal(f->doc.headings.n, 5);
    assert_string_equal(f->doc.headings.v[0]->id, "sec-notes");
    assert_string_equal(f->doc.headings.v[1]->id, "sec-notes-2");
    assert_string_equal(f->doc.headings.v[2]->id, "sec-notes-3");
    assert_string_equal(f->doc.headings.v[3]->id, "sec-ncode-only");
    assert_string_equal(f->doc.headings.v[4]->id, "sec-untitled");
}

/* ---- placeholders ---------------------------------------------------------- */

static void metric_placeholders(void **state)
{
    fx *f = *state;
    rc_node *s = parse(f, "p.md",
                       "# Results {{count_all}}\n\n"
                       "We had {{count_all}} answers, {{share_eu}} from the EU "
                       "({{ share_eu | percent }}), mean {{mean_sat}}, "
                       "{{mean_sat|number:1}}, over {{count_all | floor:100}}.\n\n"
                       "*{{share_eu | number:3}}* and [link {{count_all|integer}}](http://x.eu)\n",
                       RC_PART_MAIN);
    expect_diags(f, 0);
    assert_string_equal(text_of(f, nth(s, RC_NODE_HEADING, 0)), "Results 1312");
    assert_string_equal(text_of(f, nth(s, RC_NODE_PARAGRAPH, 0)),
                        "We had 1312 answers, 93.8% from the EU (94%), mean 3.46, 3.5, over "
                        "1300.");
    /* metric values are spliced into the text: one text node */
    rc_node *p = nth(s, RC_NODE_PARAGRAPH, 0);
    assert_ptr_equal(p->first, p->last);
    assert_string_equal(text_of(f, nth(s, RC_NODE_EMPH, 0)), "0.938");
    rc_node *l = nth(s, RC_NODE_LINK, 0);
    assert_string_equal(l->url, "http://x.eu");
    assert_string_equal(text_of(f, l), "link 1312");
}

/* {{AGG[ROW].STAT}} and {{AGG[ROW][COL].STAT}}: a distribution by group
 * and a Likert block, every statistic, default formats, and the errors. */
static void aggregate_placeholders(void **state)
{
    fx *f = *state;
    static const char *rc[3] = {"res", "in\"n", "pol"}, *cc[2] = {"eu", "lac"};
    f->agg[0].row_code = rc;
    f->agg[0].col_code = cc;
    /* a Likert block: two items on 1..3 */
    static const char *lrow[2] = {"edp", "vision"}, *lcol[3] = {"1", "2", "3"};
    static double lv[6] = {1, 3, 4, 2, 2, 0}, ls[6] = {0.125, 0.375, 0.5, 0.5, 0.5, 0};
    static double ans[2] = {8, 4}, mean[2] = {2.375, 1.5}, med[2] = {2.5, 1.5},
                  top2[2] = {0.875, 0.5};
    rc_agg aggs[3] = {f->agg[0],
                      {.name = "steps",
                       .kind = RC_AGG_LIKERT,
                       .nrows = 2,
                       .ncols = 3,
                       .row_label = lrow,
                       .row_code = lrow,
                       .col_label = lcol,
                       .col_code = lcol,
                       .value = lv,
                       .share = ls,
                       .answered = ans,
                       .mean = mean,
                       .median = med,
                       .top2 = top2},
                      {.name = "listing",
                       .kind = RC_AGG_ROWS,
                       .nrows = 1,
                       .ncols = 1,
                       .row_code = lrow,
                       .col_code = lcol}};
    f->data.aggs = aggs;
    f->data.naggs = 3;
    rc_node *s = parse(f, "a.md",
                       "# A\n\n"
                       "{{steps[edp].top2}} {{steps[edp].top2 | percent:0}} "
                       "{{steps[edp].mean}} {{steps[vision].median}} {{steps[edp].answered}} "
                       "{{steps[edp][3].count}} {{steps[edp][3].share}} {{steps[vision]}}; "
                       "{{motiv[res][eu].count}} {{motiv[res][lac].share}} "
                       "{{motiv[\"in\"\"n\"][eu]}} {{motiv[ pol ][lac].total}}.\n",
                       RC_PART_MAIN);
    expect_diags(f, 0);
    assert_string_equal(text_of(f, nth(s, RC_NODE_PARAGRAPH, 0)),
                        "87.5% 88% 2.4 1.5 8 4 50.0% 50.0%; 10 50.0% 6 10.");
    parse(f, "b.md",
          "# B\n\n"
          "{{nope[a]}} {{steps[x].top2}} {{steps[edp][7]}} {{motiv[res]}} "
          "{{steps[edp].average}} {{motiv[res][eu].top2}} {{steps[edp][1].mean}} "
          "{{steps[edp].count}} {{listing[edp]}} {{steps[edp]x}}\n",
          RC_PART_MAIN);
    expect_diags(
        f, 10, "b.md:3:1: error: unknown aggregate 'nope' in placeholder",
        "b.md:3:13: error: aggregate 'steps' has no row 'x' (rows: edp, vision)",
        "b.md:3:31: error: aggregate 'steps' has no column '7' (columns: 1, 2, 3)",
        "b.md:3:49: error: aggregate 'motiv' has 2 columns; name one: motiv[res][COL] (columns: "
        "eu, lac)",
        "b.md:3:64: error: 'average' in '{{steps[edp].average}}': unknown (count, share, total, "
        "value, answered, top2, mean, median)",
        "b.md:3:87: error: 'top2' in '{{motiv[res][eu].top2}}': a likert statistic (count, "
        "share, total, value, answered, top2, mean, median)",
        "b.md:3:111: error: 'mean' in '{{steps[edp][1].mean}}': a statistic of the whole item; "
        "leave out the column (count, share, total, value, answered, top2, mean, median)",
        "b.md:3:134: error: 'count' in '{{steps[edp].count}}': a statistic of one level; name "
        "it: [ITEM][LEVEL] (count, share, total, value, answered, top2, mean, median)",
        "b.md:3:155: error: aggregate 'listing' is a listing (kind = rows); it has no numbers to "
        "quote",
        "b.md:3:172: error: malformed aggregate placeholder 'steps[edp]x' (expected "
        "steps[ROW].STAT or steps[ROW][COL].STAT)");
    f->data.aggs = f->agg;
    f->data.naggs = 1;
}

static void placeholder_errors(void **state)
{
    fx *f = *state;
    parse(f, "e.md",
          "# T\n\n"
          "Value {{shar_eu}} and {{nothing_like_it}}.\n"
          "x \\* &amp; {{count_all | pct}} y\n\n"
          "Open {{count_all and more\n\n"
          "Bad {{#count_all}} {{}} {{figure:motivation | integer}}\n\n"
          "See {{figure:motivaton}} and {{box:nope}}.\n",
          RC_PART_MAIN);
    expect_diags(f, 9,
                 "e.md:3:7: error: unknown metric 'shar_eu' in placeholder; did you mean "
                 "'share_eu'?",
                 "e.md:3:23: error: unknown metric 'nothing_like_it' in placeholder",
                 "e.md:4:12: error: unknown format 'pct' for metric 'count_all' (expected "
                 "integer, number:N, percent, percent:N, floor:N or ceil:N)",
                 "e.md:6:6: error: unterminated placeholder: '{{' without '}}'",
                 "e.md:8:5: error: '{{#count_all}}': '#' is only for references such as "
                 "{{#figure:NAME}}",
                 "e.md:8:20: error: empty placeholder '{{}}'",
                 "e.md:8:25: error: a cross-reference takes no format: '{{figure:motivation | "
                 "integer}}'",
                 "e.md:10:5: error: unknown figure 'motivaton' in reference; did you mean "
                 "'motivation'?",
                 "e.md:10:30: error: unknown box 'nope' in reference (declare [box nope])");
}

static void placeholder_without_data(void **state)
{
    fx *f = *state;
    f->doc.data = NULL;
    parse(f, "n.md", "# T\n\n{{count_all}}\n", RC_PART_MAIN);
    expect_diags(f, 1, "n.md:3:1: error: unknown metric 'count_all' in placeholder");
}

static void placeholder_positions_in_blocks(void **state)
{
    fx *f = *state;
    parse(f, "q.md",
          "# T\n\n"
          "> quoted {{bad1}}\n\n"
          "- item *em {{bad2}}*\n\n"
          "| a | b |\n|---|---|\n| x | {{bad3}} |\n\n"
          "Note[^1].\n\n"
          "[^1]: In a note {{bad4}}.\n",
          RC_PART_MAIN);
    expect_diags(f, 4, "q.md:3:10: error: unknown metric 'bad1' in placeholder",
                 "q.md:5:12: error: unknown metric 'bad2' in placeholder",
                 "q.md:9:7: error: unknown metric 'bad3' in placeholder",
                 "q.md:13:17: error: unknown metric 'bad4' in placeholder");
}

/* ---- cross-references and floats ---------------------------------------------- */

static void xrefs_before_and_after(void **state)
{
    fx *f = *state;
    rc_node *s1 = parse(f, "a.md",
                        "# One\n\nSee {{figure:themes}} and {{#figure:motivation}}.\n\n"
                        "![](figure:motivation)\n\n"
                        "After: {{figure:motivation}}; box {{box:story}}.\n",
                        RC_PART_MAIN);
    /* the forward reference to 'themes' is still pending */
    assert_string_equal(text_of(f, nth(s1, RC_NODE_PARAGRAPH, 0)), "See ?? and 1.");
    rc_node *s2 = parse(f, "b.md", "# Two\n\n![](figure:themes)\n\n![](box:story)\n", RC_PART_MAIN);
    assert_non_null(s2);
    assert_int_equal(rc_doc_finish(&f->doc, f->d), RC_OK);
    expect_diags(f, 5, "t.ini:30:1: warning: table 'partners' is declared but never placed",
                 "t.ini:33:1: warning: table 'bycat' is declared but never placed",
                 "t.ini:37:1: warning: table 'two' is declared but never placed",
                 "t.ini:40:1: warning: table 'notable' is declared but never placed",
                 "t.ini:43:1: warning: table 'renamed' is declared but never placed");
    rc_node *p = nth(s1, RC_NODE_PARAGRAPH, 0);
    assert_string_equal(text_of(f, p), "See Figure 2 and 1.");
    rc_node *l = nth(p, RC_NODE_LINK, 0);
    assert_string_equal(l->url, "#figure:themes");
    assert_string_equal(text_of(f, l), "Figure 2");
    assert_int_equal(l->loc.line, 3);
    assert_int_equal(l->loc.col, 5);
    assert_string_equal(nth(p, RC_NODE_LINK, 1)->url, "#figure:motivation");
    assert_string_equal(text_of(f, nth(s1, RC_NODE_PARAGRAPH, 1)), "After: Figure 1; box Box 1.");
    /* floats: numbered in order of placement, ids, captions with metrics */
    assert_int_equal(f->doc.figures.n, 2);
    assert_string_equal(f->doc.figures.v[0].id, "figure:motivation");
    assert_string_equal(f->doc.figures.v[0].number, "1");
    assert_string_equal(f->doc.figures.v[0].caption, "Motivation of 1312 partners");
    assert_string_equal(f->doc.figures.v[1].id, "figure:themes");
    assert_string_equal(f->doc.figures.v[1].number, "2");
    rc_node *fig = nth(s1, RC_NODE_FIGURE, 0);
    assert_ptr_equal(fig, f->doc.figures.v[0].node);
    assert_ptr_equal(fig->figure, &f->fig[0]);
    assert_string_equal(fig->source_line, "JRC analysis");
    assert_int_equal(fig->loc.line, 5);
    assert_int_equal(fig->loc.col, 1);
    assert_non_null(fig->chart);
    assert_int_equal(fig->chart->ntiles, 1);
    /* the box holds its file's blocks and footnote */
    rc_node *box = nth(s2, RC_NODE_BOX, 0);
    assert_non_null(box);
    assert_string_equal(box->caption, "An Andean pilot");
    assert_string_equal(box->id, "box:story");
    assert_string_equal(text_of(f, nth(box, RC_NODE_PARAGRAPH, 0)),
                        "The Andean pilot connected 1312 people.");
    assert_non_null(nth(box, RC_NODE_LIST, 0));
    assert_int_equal(f->doc.footnotes.n, 1);
    assert_string_equal(text_of(f, f->doc.footnotes.v[0]), "Reported by the regional coordinator.");
}

static void float_errors(void **state)
{
    fx *f = *state;
    parse(f, "a.md",
          "# One\n\n![](figure:motivation)\n\n![](figure:motivaton)\n\n"
          "Text ![](figure:themes) inline.\n\n![a picture](img/photo.png)\n\n"
          "![](figure:motivation)\n\n![](table:two)\n\n![](table:notable)\n\n"
          "{{table:bycat}}\n",
          RC_PART_MAIN);
    assert_int_equal(rc_doc_finish(&f->doc, f->d), RC_ERR_DATA);
    expect_diags(f, 12, "a.md:5:1: error: unknown figure 'motivaton'; did you mean 'motivation'?",
                 "a.md:7:6: error: a float placement ![](figure:themes) must be alone in its own "
                 "paragraph",
                 "a.md:9:1: error: images are not supported; declare a [figure] and place it with "
                 "![](figure:NAME)",
                 "a.md:11:1: error: figure 'motivation' is already placed at a.md:3",
                 FILES "two.md:7:1: error: table file for 'two' holds more than one table",
                 "t.ini:42:1: error: table file '" FILES "notable.md' holds no GFM table",
                 "a.md:17:1: error: table 'bycat' is referenced but never placed (add "
                 "![](table:bycat))",
                 "t.ini:21:1: warning: figure 'themes' is declared but never placed",
                 "t.ini:30:1: warning: table 'partners' is declared but never placed",
                 "t.ini:33:1: warning: table 'bycat' is declared but never placed",
                 "t.ini:43:1: warning: table 'renamed' is declared but never placed",
                 "t.ini:50:1: warning: box 'story' is declared but never placed");
}

static void tables(void **state)
{
    fx *f = *state;
    rc_node *s = parse(f, "t.md",
                       "# T\n\n![](table:partners)\n\n![](table:bycat)\n\n![](table:renamed)\n\n"
                       "| static | table |\n|---|---|\n| a | b |\n",
                       RC_PART_MAIN);
    expect_diags(f, 0);
    rc_node *t = nth(s, RC_NODE_TABLE, 0);
    assert_ptr_equal(t->table, &f->tab[0]);
    assert_string_equal(t->number, "1");
    assert_string_equal(t->id, "table:partners");
    assert_int_equal(t->ncols, 3);
    assert_true(t->first->header);
    assert_false(t->first->next->header);
    rc_node *c = nth(t->first->next, RC_NODE_TABLE_CELL, 2);
    assert_int_equal(c->align, RC_ALIGN_RIGHT);
    assert_string_equal(text_of(f, c), "93.8%");
    assert_string_equal(c->loc.file, FILES "partners.md");
    assert_int_equal(c->loc.line, 3);
    /* generated from the distribution aggregate: two header rows */
    rc_node *g = nth(s, RC_NODE_TABLE, 1);
    assert_string_equal(g->number, "2");
    assert_int_equal(g->ncols, 5);
    rc_node *h1 = g->first, *h2 = h1->next, *r1 = h2->next;
    assert_true(h1->header && h2->header && !r1->header);
    assert_string_equal(text_of(f, h1), "EU LAC");
    assert_string_equal(text_of(f, nth(h2, RC_NODE_TABLE_CELL, 0)), "Motivation");
    assert_string_equal(text_of(f, nth(h2, RC_NODE_TABLE_CELL, 3)), "Count");
    assert_string_equal(text_of(f, nth(h2, RC_NODE_TABLE_CELL, 4)), "Share");
    assert_string_equal(text_of(f, nth(r1, RC_NODE_TABLE_CELL, 0)), "Research");
    assert_string_equal(text_of(f, nth(r1, RC_NODE_TABLE_CELL, 1)), "10");
    assert_string_equal(text_of(f, nth(r1, RC_NODE_TABLE_CELL, 2)), "63%");
    assert_string_equal(text_of(f, nth(r1, RC_NODE_TABLE_CELL, 4)), "50%");
    assert_int_equal(nth(r1, RC_NODE_TABLE_CELL, 2)->align, RC_ALIGN_RIGHT);
    /* 'columns' overrides the header */
    rc_node *rn = nth(s, RC_NODE_TABLE, 2);
    assert_string_equal(text_of(f, rn->first), "Kind Number Percent");
    /* a static table in prose is unnumbered */
    rc_node *st = nth(s, RC_NODE_TABLE, 3);
    assert_null(st->table);
    assert_null(st->number);
    assert_int_equal(f->doc.tables.n, 3);
    assert_string_equal(f->doc.tables.v[2].caption, "Renamed");
}

/* likert, rows and sum aggregates as generated tables */
static void tables_from_other_kinds(void **state)
{
    fx *f = *state;
    static const char *items[2] = {"Diagnosis", "Governance"}, *levels[3] = {"Low", "Mid", "High"};
    static double lv[6] = {1, 2, 7, 0, 5, 5}, lsh[6] = {0.1, 0.2, 0.7, 0, 0.5, 0.5};
    static double ans[2] = {10, 10}, mean[2] = {2.6, 2.5};
    static const char *cols[2] = {"Region", "Partners"};
    static const char *cells[4] = {"Piura", "3", "Salta", "12"};
    static rc_field_cfg ftext = {.type = RC_FIELD_TEXT}, fint = {.type = RC_FIELD_INTEGER};
    static const rc_field_cfg *fields[2] = {&ftext, &fint};
    static const char *groups[2] = {"EU", "LAC"};
    static double sums[2] = {1234.5, 20};
    static rc_aggregate_cfg sumcfg = {.label = {"Funding", {"t.ini", 90, 1}}};
    static rc_field_cfg by = {.label = {"Continent", {"t.ini", 91, 1}}};
    static rc_agg aggs[3];
    aggs[0] = (rc_agg){.name = "lik",
                       .kind = RC_AGG_LIKERT,
                       .nrows = 2,
                       .ncols = 3,
                       .row_label = items,
                       .col_label = levels,
                       .value = lv,
                       .share = lsh,
                       .answered = ans,
                       .mean = mean};
    aggs[1] = (rc_agg){.name = "list",
                       .kind = RC_AGG_ROWS,
                       .nrows = 2,
                       .ncols = 2,
                       .col_label = cols,
                       .cell = cells,
                       .fields = fields,
                       .nfields = 2};
    aggs[2] = (rc_agg){.name = "money",
                       .kind = RC_AGG_SUM,
                       .nrows = 2,
                       .ncols = 1,
                       .row_label = groups,
                       .value = sums,
                       .cfg = &sumcfg,
                       .by = &by};
    f->data.aggs = aggs;
    f->data.naggs = 3;
    static rc_table_cfg tc[3];
    tc[0] =
        (rc_table_cfg){.name = S("t_lik", 80), .caption = S("L", 80), .aggregate = S("lik", 81)};
    tc[1] =
        (rc_table_cfg){.name = S("t_list", 82), .caption = S("R", 82), .aggregate = S("list", 83)};
    tc[2] =
        (rc_table_cfg){.name = S("t_money", 84), .caption = S("S", 84), .aggregate = S("mony", 85)};
    f->cfg.tables = tc;
    f->cfg.ntables = 3;
    rc_node *s =
        parse(f, "k.md", "# K\n\n![](table:t_lik)\n\n![](table:t_list)\n\n![](table:t_money)\n",
              RC_PART_MAIN);
    expect_diags(f, 1,
                 "t.ini:85:1: error: table 't_money': unknown aggregate 'mony'; did you "
                 "mean 'money'?");
    rc_node *l = nth(s, RC_NODE_TABLE, 0);
    assert_int_equal(l->ncols, 6);
    assert_string_equal(text_of(f, l->first), "Low Mid High Answered Mean");
    assert_string_equal(text_of(f, l->first->next), "Diagnosis 10% 20% 70% 10 2.60");
    assert_string_equal(text_of(f, l->last), "Governance 0% 50% 50% 10 2.50");
    rc_node *r = nth(s, RC_NODE_TABLE, 1);
    assert_int_equal(r->ncols, 2);
    assert_string_equal(text_of(f, r->first), "Region Partners");
    assert_string_equal(text_of(f, r->last), "Salta 12");
    assert_int_equal(nth(r->last, RC_NODE_TABLE_CELL, 0)->align, RC_ALIGN_LEFT);
    assert_int_equal(nth(r->last, RC_NODE_TABLE_CELL, 1)->align, RC_ALIGN_RIGHT);
    /* fix the name and place the sum table in a second document */
    tc[2].aggregate = S("money", 85);
    rc_diag_free(f->d);
    f->d = rc_diag_new();
    rc_doc doc2 = {.cfg = &f->cfg, .data = &f->data};
    const char *md = "# M\n\n![](table:t_money)\n";
    rc_node *s2 = rc_doc_parse_markdown(f->a, &doc2, "m.md", md, strlen(md), RC_PART_MAIN, f->d);
    expect_diags(f, 0);
    rc_node *m = nth(s2, RC_NODE_TABLE, 0);
    assert_string_equal(text_of(f, m), "Continent Funding EU 1234.5 LAC 20");
    assert_string_equal(m->number, "1");
}

/* [table] quality = SOURCE: one row per field from the data stage's
 * quality counts; an unknown source is an error at the key. */
static void quality_table(void **state)
{
    fx *f = *state;
    static rc_field_cfg fields[2] = {{.name = {"cont", {0}}, .label = {"Continent", {0}}},
                                     {.name = {"rel", {0}}}};
    static rc_source_cfg src = {.name = {"survey", {0}}, .fields = fields, .nfields = 2};
    static rc_field_quality q[2] = {{.answered = 10, .missing = 2, .dropped = {3, 0}},
                                    {.answered = 7, .missing = 1, .dropped = {0, 7}}};
    static rc_source_data sd = {.cfg = &src, .nrows = 15, .ncols = 2, .quality = q};
    f->data.sources = &sd;
    f->data.nsources = 1;
    static rc_table_cfg tc[2];
    tc[0] = (rc_table_cfg){.name = S("dq", 70), .caption = S("Q", 70), .quality = S("survey", 71)};
    tc[1] = (rc_table_cfg){.name = S("dq2", 72), .caption = S("Q2", 72), .quality = S("surv", 73)};
    f->cfg.tables = tc;
    f->cfg.ntables = 2;
    rc_node *s = parse(f, "q.md", "# Q\n\n![](table:dq)\n\n![](table:dq2)\n", RC_PART_ANNEX);
    expect_diags(f, 1, "t.ini:73:1: error: table 'dq2': unknown source 'surv'");
    rc_node *t = nth(s, RC_NODE_TABLE, 0);
    assert_int_equal(t->ncols, 5);
    assert_string_equal(text_of(f, t->first),
                        "Field Answered Missing Code not declared Outside the scale");
    assert_string_equal(text_of(f, t->first->next), "Continent 10 2 3 0");
    assert_string_equal(text_of(f, t->last), "rel 7 1 0 7");
}

/* ---- footnotes --------------------------------------------------------------- */

static void footnotes_numbered_globally(void **state)
{
    fx *f = *state;
    rc_node *a = parse(f, "a.md",
                       "# A\n\nFirst[^z] then[^a] again[^z].\n\n[^a]: Note A.\n\n[^z]: Note Z.\n\n"
                       "[^unused]: Never cited.\n",
                       RC_PART_MAIN);
    rc_node *b = parse(f, "b.md", "# B\n\nOther file[^a].\n\n[^a]: Another A with {{count_all}}.\n",
                       RC_PART_MAIN);
    expect_diags(f, 0);
    assert_int_equal(f->doc.footnotes.n, 3);
    rc_node *r0 = nth(a, RC_NODE_FOOTNOTE_REF, 0), *r1 = nth(a, RC_NODE_FOOTNOTE_REF, 1),
            *r2 = nth(a, RC_NODE_FOOTNOTE_REF, 2), *r3 = nth(b, RC_NODE_FOOTNOTE_REF, 0);
    assert_int_equal(r0->footnote, 1);
    assert_int_equal(r1->footnote, 2);
    assert_int_equal(r2->footnote, 1);
    assert_int_equal(r3->footnote, 3);
    assert_ptr_equal(r0->footnote_def, r2->footnote_def);
    assert_string_equal(r0->id, "fnref-1");
    assert_null(r2->id);
    assert_string_equal(text_of(f, r0->footnote_def), "Note Z.");
    assert_string_equal(text_of(f, r1->footnote_def), "Note A.");
    assert_string_equal(text_of(f, r3->footnote_def), "Another A with 1312.");
    assert_string_equal(f->doc.footnotes.v[2]->id, "fn-3");
    assert_int_equal(f->doc.footnotes.v[1]->loc.line, 5);
}

static void html_and_misc(void **state)
{
    fx *f = *state;
    rc_node *s = parse(f, "h.md",
                       "# H\n\n<div>block</div>\n\nInline <b>bold</b> ~~gone~~ `{{code}}`\n\n"
                       "```c\nint x;\n```\n",
                       RC_PART_MAIN);
    expect_diags(f, 3, "h.md:3:1: warning: raw HTML is ignored",
                 "h.md:5:8: warning: raw HTML is ignored",
                 "h.md:5:15: warning: raw HTML is ignored");
    assert_string_equal(text_of(f, nth(s, RC_NODE_STRIKE, 0)), "gone");
    assert_string_equal(nth(s, RC_NODE_CODE, 0)->text, "{{code}}");
    rc_node *cb = nth(s, RC_NODE_CODE_BLOCK, 0);
    assert_string_equal(cb->text, "int x;");
    assert_string_equal(rc_node_type_name(RC_NODE_FOOTNOTE_REF), "footnote_ref");
    assert_string_equal(rc_node_type_name(RC_NODE_TYPE_COUNT), "unknown");
}

/* ---- the whole build ----------------------------------------------------------- */

static void build_order(void **state)
{
    fx *f = *state;
    rc_document_cfg *dc = &f->cfg.document;
    static rc_str front[1], ch[2], back[1], annex[1], lists[3];
    front[0] = S(FILES "front.md", 70);
    ch[0] = S(FILES "ch1.md", 71);
    ch[1] = S(FILES "ch2.md", 71);
    back[0] = S(FILES "back.md", 72);
    annex[0] = S(FILES "annex.md", 73);
    lists[0] = S("figures", 74);
    lists[1] = S("tables", 74);
    lists[2] = S("charts", 74);
    *dc = (rc_document_cfg){.cover = true,
                            .imprint = true,
                            .contents = true,
                            .back_cover = true,
                            .front = {front, 1},
                            .chapters = {ch, 2},
                            .back = {back, 1},
                            .annexes = {annex, 1},
                            .lists = {lists, 3}};
    f->cfg.nfigures = 1; /* only 'motivation' */
    f->cfg.ntables = 1;  /* only 'partners' */
    f->cfg.nboxes = 0;
    rc_doc doc;
    rc_status st = rc_doc_build(f->a, &f->cfg, &f->data, rc_locale_get("en"), f->d, &doc);
    assert_int_equal(st, RC_ERR_DATA);
    expect_diags(f, 1,
                 "t.ini:74:1: error: unknown list 'charts' (expected figures, tables or boxes)");
    rc_node_type want[] = {RC_NODE_COVER,   RC_NODE_IMPRINT, RC_NODE_TOC,       RC_NODE_SECTION,
                           RC_NODE_SECTION, RC_NODE_SECTION, RC_NODE_SECTION,   RC_NODE_LIST_OF,
                           RC_NODE_LIST_OF, RC_NODE_SECTION, RC_NODE_BACK_COVER};
    rc_part parts[] = {RC_PART_FRONT, RC_PART_MAIN, RC_PART_MAIN, RC_PART_BACK, RC_PART_ANNEX};
    size_t i = 0, k = 0;
    for (rc_node *c = doc.root->first; c; c = c->next, i++) {
        assert_true(i < sizeof want / sizeof want[0]);
        assert_int_equal(c->type, want[i]);
        if (c->type == RC_NODE_SECTION) assert_int_equal(c->part, parts[k++]);
    }
    assert_int_equal(i, sizeof want / sizeof want[0]);
    assert_int_equal(nth(doc.root, RC_NODE_LIST_OF, 1)->list, RC_LIST_TABLES);
    /* ch1 refers forward to the table placed in ch2 */
    rc_node *p = nth(doc.root, RC_NODE_PARAGRAPH, 2);
    assert_string_equal(text_of(f, p), "See Figure 1 and Table 1.");
    assert_int_equal(doc.headings.n, 13);
    assert_string_equal(doc.headings.v[10]->number, "Annex 1");
    assert_string_equal(text_of(f, nth(doc.root, RC_NODE_PARAGRAPH, 0)),
                        "A short abstract with 1312 answers.");
}

static void unreadable_file(void **state)
{
    fx *f = *state;
    static rc_str ch[1];
    ch[0] = S("does/not/exist.md", 80);
    f->cfg.document = (rc_document_cfg){.chapters = {ch, 1}};
    f->cfg.nfigures = f->cfg.ntables = f->cfg.nboxes = 0;
    rc_doc doc;
    assert_int_equal(rc_doc_build(f->a, &f->cfg, &f->data, NULL, f->d, &doc), RC_ERR_DATA);
    expect_diags(f, 1,
                 "t.ini:80:1: error: cannot read Markdown file 'does/not/exist.md': No "
                 "such file or directory");
}

#define MAX_DEPTH                                                                                  \
    100 /* RC_DOC_MAX_DEPTH in src/doc/doc_int.h, documented in docs/reliability.md                \
         */

/* Nesting past RC_DOC_MAX_DEPTH is a resource limit: one error, and the
 * build's status says which kind of failure it was. */
static void nesting_limit(void **state)
{
    fx *f = *state;
    char path[] = "/tmp/rc-test-doc-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *fp = fdopen(fd, "w");
    assert_non_null(fp);
    fputs("# Deep\n\n", fp);
    for (int i = 0; i < MAX_DEPTH + 5; i++)
        fputs("> ", fp);
    fputs("deep\n", fp);
    assert_int_equal(fclose(fp), 0);
    static rc_str ch[1];
    ch[0] = (rc_str){.s = path, .loc = {"t.ini", 81, 1}};
    f->cfg.document = (rc_document_cfg){.chapters = {ch, 1}};
    f->cfg.nfigures = f->cfg.ntables = f->cfg.nboxes = 0;
    rc_doc doc;
    rc_status st = rc_doc_build(f->a, &f->cfg, &f->data, NULL, f->d, &doc);
    unlink(path);
    assert_int_equal(st, RC_ERR_LIMIT);
    assert_int_equal(rc_status_exit_code(st), 1);
    char want[128];
    snprintf(want, sizeof want, "%s:3:%d: error: Markdown nesting deeper than %d levels", path,
             2 * MAX_DEPTH + 1, MAX_DEPTH);
    expect_diags(f, 1, want);
}

/* The document information (Info dictionary) holds RC_PDF_INFO_MAX_CHARS
 * characters a value, counted as pdf_xmp.c writes them (UTF-16, lists
 * joined with ", "), not in UTF-8 bytes: a title of 16,383 'é' (32,766
 * UTF-8 bytes) is one too many, 16,382 'a' and a joined list of exactly
 * 16,382 are not. */
static char *repeat(fx *f, const char *unit, size_t n)
{
    size_t u = strlen(unit);
    char *s = rc_arena_alloc(f->a, u * n + 1);
    for (size_t i = 0; i < n; i++)
        memcpy(s + i * u, unit, u);
    s[u * n] = '\0';
    return s;
}

static void info_limits(void **state)
{
    fx *f = *state;
    assert_int_equal(RC_PDF_INFO_MAX_CHARS, (32767 - 2) / 2);
    rc_report_cfg *r = &f->cfg.report;
    static rc_str authors[3], keywords[2];
    r->title = (rc_str){.s = repeat(f, "a", RC_PDF_INFO_MAX_CHARS), .loc = {"t.ini", 2, 9}};
    r->subtitle = (rc_str){.s = NULL};
    authors[0] = (rc_str){.s = repeat(f, "b", 8000), .loc = {"t.ini", 4, 11}};
    authors[1] = (rc_str){.s = "", .loc = {"t.ini", 4, 8020}}; /* skipped when joined */
    authors[2] =
        (rc_str){.s = repeat(f, "c", RC_PDF_INFO_MAX_CHARS - 8002), .loc = {"t.ini", 4, 8030}};
    r->authors = (rc_strlist){authors, 3};
    rc_doc doc = {.cfg = &f->cfg};
    assert_int_equal(rc_doc_check_pdf_limits(f->a, &doc, f->d), RC_OK);
    expect_diags(f, 0);

    r->title.s = repeat(f, "\xC3\xA9", RC_PDF_INFO_MAX_CHARS + 1);
    r->subtitle = (rc_str){.s = repeat(f, "s", 40000), .loc = {"t.ini", 3, 12}};
    keywords[0] = (rc_str){.s = repeat(f, "k", 9000), .loc = {"t.ini", 5, 12}};
    keywords[1] = (rc_str){.s = repeat(f, "\xE2\x82\xAC", 7381), .loc = {"t.ini", 5, 9015}};
    r->keywords = (rc_strlist){keywords, 2};
    assert_int_equal(rc_doc_check_pdf_limits(f->a, &doc, f->d), RC_ERR_LIMIT);
    expect_diags(f, 3,
                 "t.ini:2:9: error: 'title' is 16383 characters long; the PDF's document "
                 "information holds at most 16382 (PDF/A-2: a string of at most 32,767 bytes, 2 "
                 "a character)",
                 "t.ini:3:12: error: 'subtitle' is 40000 characters long; the PDF's document "
                 "information holds at most 16382 (PDF/A-2: a string of at most 32,767 bytes, 2 "
                 "a character)",
                 "t.ini:5:12: error: 'keywords' (joined) is 16383 characters long; the PDF's "
                 "document information holds at most 16382 (PDF/A-2: a string of at most "
                 "32,767 bytes, 2 a character)");
}

/* ---- golden dumps ------------------------------------------------------------------ */

static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) return NULL;
    char *buf = NULL;
    size_t cap = 0;
    FILE *mem = open_memstream(&buf, &cap);
    char tmp[4096];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, fp)) > 0)
        fwrite(tmp, 1, n, mem);
    fclose(fp);
    fclose(mem);
    *len = cap;
    return buf;
}

/* Every golden case against its expected dump; returns how many cases. */
static int golden_cases(void **state)
{
    const char *dir = "tests/golden/doc";
    DIR *dp = opendir(dir);
    assert_non_null(dp);
    bool update = getenv("RC_UPDATE_GOLDEN") && !strcmp(getenv("RC_UPDATE_GOLDEN"), "1");
    int cases = 0, failed = 0;
    struct dirent *de;
    while ((de = readdir(dp))) {
        if (de->d_name[0] == '.' || de->d_name[0] == '_') continue;
        char in[512], ex[512];
        snprintf(in, sizeof in, "%s/%s/input.md", dir, de->d_name);
        snprintf(ex, sizeof ex, "%s/%s/expected.txt", dir, de->d_name);
        size_t len;
        char *md = slurp(in, &len);
        if (!md) continue;
        /* a fresh fixture per case */
        teardown(state);
        setup(state);
        fx *f = *state;
        char *out = NULL;
        size_t outlen = 0;
        FILE *mem = open_memstream(&out, &outlen);
        rc_node *sec =
            rc_doc_parse_markdown(f->a, &f->doc, "input.md", md, len, RC_PART_MAIN, f->d);
        rc_doc_finish(&f->doc, f->d);
        rc_doc_dump(sec, mem);
        fprintf(mem, "-- diagnostics\n");
        for (size_t i = 0; i < rc_diag_count(f->d); i++)
            fprintf(mem, "%s\n", diag_line(f, i));
        fclose(mem);
        size_t elen = 0;
        char *exp = slurp(ex, &elen);
        if (update) {
            FILE *o = fopen(ex, "wb");
            assert_non_null(o);
            fwrite(out, 1, outlen, o);
            fclose(o);
        } else if (!exp || elen != outlen || memcmp(exp, out, outlen) != 0) {
            print_message("golden case '%s' differs; got:\n%s\n", de->d_name, out);
            failed++;
        }
        cases++;
        free(exp);
        free(out);
        free(md);
    }
    closedir(dp);
    assert_int_equal(failed, 0);
    return cases;
}

static void golden(void **state)
{
    assert_true(golden_cases(state) >= 4);
}

/* A watcher's memo of parsed Markdown (doc_memo.c): every case twice, the
 * second time from the kept trees, gives the expected dump and diagnostics
 * both times; a sweep after a pass that used nothing empties it. */
static void golden_with_memo(void **state)
{
    rc_doc_memo_enable();
    int cases = golden_cases(state);
    size_t kept = rc_doc_memo_entries();
    assert_true(cases >= 4 && kept >= (size_t)cases); /* the chapters, table and box files */
    rc_doc_memo_sweep();
    assert_int_equal(rc_doc_memo_entries(), kept); /* used since the last sweep */
    assert_int_equal(golden_cases(state), cases);  /* from the memo */
    assert_int_equal(rc_doc_memo_entries(), kept);
    rc_doc_memo_sweep();
    assert_int_equal(rc_doc_memo_entries(), kept);
    rc_doc_memo_sweep(); /* nothing used since the one before */
    assert_int_equal(rc_doc_memo_entries(), 0);
    rc_doc_memo_disable();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(heading_numbers, setup, teardown),
        cmocka_unit_test_setup_teardown(heading_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(duplicate_slugs, setup, teardown),
        cmocka_unit_test_setup_teardown(metric_placeholders, setup, teardown),
        cmocka_unit_test_setup_teardown(aggregate_placeholders, setup, teardown),
        cmocka_unit_test_setup_teardown(quality_table, setup, teardown),
        cmocka_unit_test_setup_teardown(placeholder_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(placeholder_without_data, setup, teardown),
        cmocka_unit_test_setup_teardown(placeholder_positions_in_blocks, setup, teardown),
        cmocka_unit_test_setup_teardown(xrefs_before_and_after, setup, teardown),
        cmocka_unit_test_setup_teardown(float_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(tables, setup, teardown),
        cmocka_unit_test_setup_teardown(tables_from_other_kinds, setup, teardown),
        cmocka_unit_test_setup_teardown(footnotes_numbered_globally, setup, teardown),
        cmocka_unit_test_setup_teardown(html_and_misc, setup, teardown),
        cmocka_unit_test_setup_teardown(build_order, setup, teardown),
        cmocka_unit_test_setup_teardown(unreadable_file, setup, teardown),
        cmocka_unit_test_setup_teardown(nesting_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(info_limits, setup, teardown),
        cmocka_unit_test_setup_teardown(golden, setup, teardown),
        cmocka_unit_test_setup_teardown(golden_with_memo, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
