/* Tests for the LaTeX back end: escaping of every special character, the
 * numbers LaTeX is told to print (headings, floats, footnotes), atomic
 * writing, determinism, and golden documents in tests/golden/latex/<case>/
 * (input.md -> expected.tex, byte for byte; RC_UPDATE_GOLDEN=1 rewrites
 * expected.tex). Every expected.tex is a complete document: tests/e2e/latex.sh
 * compiles each one with pdflatex.
 *
 * input.md may hold several parts: a line "%%% front" (main, back, annex)
 * starts a new Markdown file of that part. Figures get hand-built chart
 * models by figure name (no data is loaded). */
#define _GNU_SOURCE
#include <dirent.h>
#include <signal.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "rc/chart.h"
#include "rc/latex.h"
#include "rc/util.h"

#define GOLDEN "tests/golden/latex/"

enum { NFIG = 11 };

typedef struct fx {
    rc_arena *a;
    rc_diag *d;
    rc_config cfg;
    rc_figure_cfg fig[NFIG];
    rc_table_cfg tab[2];
    rc_str widths[3];
    rc_box_cfg box[2];
    rc_str authors[2], keywords[2];
    rc_doc doc;
} fx;

static rc_str S(const char *s)
{
    return (rc_str){.s = s, .loc = {"t.ini", 1, 1}};
}

static const char *const fig_names[NFIG] = {"bar",     "bar2",     "hbar", "grouped",
                                            "stacked", "likert",   "pie",  "doughnut",
                                            "tiles",   "pairings", "empty"};
static const rc_chart_type fig_types[NFIG] = {RC_CHART_BAR,      RC_CHART_BAR,      RC_CHART_HBAR,
                                              RC_CHART_GROUPED,  RC_CHART_STACKED,  RC_CHART_LIKERT,
                                              RC_CHART_PIE,      RC_CHART_DOUGHNUT, RC_CHART_TILES,
                                              RC_CHART_PAIRINGS, RC_CHART_BAR};

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->a = rc_arena_new();
    f->d = rc_diag_new();
    rc_config *c = &f->cfg;
    c->path = GOLDEN "t.ini";
    c->dir = GOLDEN "_files";
    rc_report_cfg *r = &c->report;
    r->title = S("Smart Specialisation & the Atlantic: 100% {tested}");
    r->subtitle = S("What EU–Latin American pairings teach — a sample");
    r->series = S("JRC Science for Policy Report");
    f->authors[0] = S("Ana Gómez");
    f->authors[1] = S("Łukasz Wiśniewski");
    r->authors = (rc_strlist){f->authors, 2};
    f->keywords[0] = S("Smart Specialisation");
    f->keywords[1] = S("O’Higgins_#1");
    r->keywords = (rc_strlist){f->keywords, 2};
    r->year = S("2020");
    r->date = S("June 2020");
    r->eur = S("EUR 30085 EN");
    r->isbn = S("978-92-76-16421-0");
    r->issn = S("1831-9424");
    r->doi = S("10.2760/593874");
    r->catalogue = S("KJ-NA-30085-EN-N");
    r->publisher = S("Publications Office of the European Union");
    r->place = S("Luxembourg");
    r->contact_name = S("Smart Specialisation Platform");
    r->contact_email = S("jrc-s3platform@ec.europa.eu");
    r->website = S("https://s3platform.jrc.ec.europa.eu/~team?a=1&b=2");
    r->copyright = S("© European Union, 2020");
    r->disclaimer = S("The views set out here are those of the authors.");
    r->cover_note = S("A sample report from synthetic data.");
    r->sample_identifiers = true;
    c->style.font_size = 10;
    for (size_t i = 0; i < NFIG; i++) {
        rc_figure_cfg *g = &f->fig[i];
        g->name = S(fig_names[i]);
        g->type = fig_types[i];
        g->caption = S(rc_arena_printf(f->a, "A %s chart of 50%% & more", fig_names[i]));
        g->source_line = S("JRC analysis, based on IUC-LAC data");
        g->width = i == 6 || i == 7 ? 0.7 : 1;
        g->height_mm = i == 9 ? 70 : 0;
    }
    f->fig[5].note = S("Scale from 1 (not relevant) to 5 (highly relevant).");
    c->figures = f->fig;
    c->nfigures = NFIG;
    f->tab[0].name = S("pilots");
    f->tab[0].caption = S("Pilot activities & their uptake");
    f->tab[0].source_line = S("JRC analysis");
    f->tab[0].note = S("Illustrative.");
    f->tab[0].file = S("table.md");
    f->widths[0] = S("1");
    f->widths[1] = S("3");
    f->widths[2] = S("2");
    f->tab[0].widths = (rc_strlist){f->widths, 3};
    f->tab[1].name = S("plain");
    f->tab[1].caption = S("A table without widths");
    f->tab[1].file = S("table.md");
    c->tables = f->tab;
    c->ntables = 2;
    f->box[0].name = S("story");
    f->box[0].title = S("Skills, a challenge shared: Salta (Argentina) and Alentejo");
    f->box[0].file = S("box.md");
    f->box[1].name = S("short");
    f->box[1].title = S("A short box");
    f->box[1].file = S("box-short.md");
    c->boxes = f->box;
    c->nboxes = 2;
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

/* ---- hand-built charts ------------------------------------------------------ */

static const char **strs(rc_arena *a, size_t n, ...)
{
    const char **v = rc_arena_array(a, n, sizeof *v);
    va_list ap;
    va_start(ap, n);
    for (size_t i = 0; i < n; i++)
        v[i] = va_arg(ap, const char *);
    va_end(ap);
    return v;
}

static double *nums(rc_arena *a, size_t n, ...)
{
    double *v = rc_arena_array(a, n, sizeof *v);
    va_list ap;
    va_start(ap, n);
    for (size_t i = 0; i < n; i++)
        v[i] = va_arg(ap, double);
    va_end(ap);
    return v;
}

static rc_chart_panel *panel(rc_arena *a, const char *title, const char **cats, size_t ncat,
                             size_t nseries)
{
    rc_chart_panel *p = rc_arena_alloc(a, sizeof *p);
    p->title = title;
    p->categories = cats;
    p->ncat = ncat;
    p->series = rc_arena_array(a, nseries, sizeof *p->series);
    p->nseries = nseries;
    return p;
}

static rc_chart *make_chart(fx *f, const rc_figure_cfg *g)
{
    rc_arena *a = f->a;
    rc_chart *c = rc_arena_alloc(a, sizeof *c);
    c->cfg = g;
    c->type = g->type;
    c->locale = rc_locale_get("en");
    const char *name = g->name.s;
    rc_chart_panel *p = NULL;
    if (!strcmp(name, "bar") || !strcmp(name, "empty")) {
        p = panel(a, NULL, strs(a, 3, "Sharing & learning", "Finding partners", "Business"), 3, 1);
        p->series[0] = (rc_series){"All", nums(a, 3, 15.0, 14.0, 3.0)};
    } else if (!strcmp(name, "bar2")) {
        c->panels = rc_arena_array(a, 2, sizeof *c->panels);
        c->panels[0] = *panel(a, "Latin America", strs(a, 2, "Argentina", "Brazil"), 2, 1);
        c->panels[0].series[0] = (rc_series){"All", nums(a, 2, 3.0, 4.0)};
        c->panels[1] =
            *panel(a, "European Union", strs(a, 4, "Spain", "Poland", "Slovenia", "Czechia"), 4, 1);
        c->panels[1].series[0] = (rc_series){"All", nums(a, 4, 6.0, 3.0, 2.0, 1.0)};
        c->npanels = 2;
        return c;
    } else if (!strcmp(name, "hbar")) {
        p = panel(a, NULL, strs(a, 3, "Workshops", "Virtual dialogue", "Peer learning"), 3, 1);
        p->series[0] = (rc_series){"All", nums(a, 3, 16.0, 12.0, 5.0)};
    } else if (!strcmp(name, "grouped")) {
        c->percent = true;
        p = panel(a, NULL, strs(a, 2, "Sharing", "Partners"), 2, 2);
        p->series[0] = (rc_series){"European Union", nums(a, 2, 0.47, 0.41)};
        p->series[1] = (rc_series){"Latin America", nums(a, 2, 0.40, 0.53)};
    } else if (!strcmp(name, "stacked")) {
        p = panel(a, NULL, strs(a, 2, "Chile", "Mexico"), 2, 3);
        p->series[0] = (rc_series){"Designed", nums(a, 2, 2.0, 3.0)};
        p->series[1] = (rc_series){"Under development", nums(a, 2, 1.0, 0.0)};
        p->series[2] = (rc_series){"Not started", nums(a, 2, 0.0, 1.0)};
    } else if (!strcmp(name, "likert")) {
        c->percent = true;
        p = panel(a, NULL, strs(a, 2, "Regional context and EDP", "Monitoring"), 2, 5);
        const char *lv[5] = {"Not relevant", "Low", "Somewhat", "Relevant", "Highly relevant"};
        double v[2][5] = {{0, 0, 0.03125, 0.34375, 0.625},
                          {0.03125, 0.0625, 0.15625, 0.4375, 0.3125}};
        for (size_t s = 0; s < 5; s++)
            p->series[s] = (rc_series){lv[s], nums(a, 2, v[0][s], v[1][s])};
    } else if (!strcmp(name, "pie") || !strcmp(name, "doughnut")) {
        c->percent = true;
        bool pie = !strcmp(name, "pie");
        p = panel(a, NULL, strs(a, 4, "Very familiar", "Broadly familiar", "Vaguely", "Not at all"),
                  4, 1);
        p->series[0] = (rc_series){"All", pie ? nums(a, 4, 0.46875, 0.40625, 0.09375, 0.03125)
                                              : nums(a, 4, 0.75, 0.0, 0.25, 0.0)};
    } else if (!strcmp(name, "tiles")) {
        c->tiles = rc_arena_array(a, 4, sizeof *c->tiles);
        c->tiles[0] = (rc_tile){"20", "EU–Latin American pairings"};
        c->tiles[1] = (rc_tile){"312", "new business contacts"};
        c->tiles[2] = (rc_tile){"15", "Smart Specialisation Strategies"};
        c->tiles[3] = (rc_tile){"3", "trainings"};
        c->ntiles = 4;
        return c;
    } else if (!strcmp(name, "pairings")) {
        c->left = rc_arena_array(a, 3, sizeof *c->left);
        c->left[0] = (rc_pair_node){"Córdoba", "Argentina"};
        c->left[1] = (rc_pair_node){"Salta", "Argentina"};
        c->left[2] = (rc_pair_node){"O’Higgins", "Chile"};
        c->nleft = 3;
        c->right = rc_arena_array(a, 3, sizeof *c->right);
        c->right[0] = (rc_pair_node){"Skåne", "Sweden"};
        c->right[1] = (rc_pair_node){"Bielsko-Biała", "Poland"};
        c->right[2] = (rc_pair_node){"Śląskie", "Poland"};
        c->nright = 3;
        c->links = rc_arena_array(a, 3, sizeof *c->links);
        c->links[0] = (rc_pair_link){0, 1, 0};
        c->links[1] = (rc_pair_link){1, 0, 1};
        c->links[2] = (rc_pair_link){2, 2, 2}; /* == nlegend: no theme */
        c->nlinks = 3;
        c->legend = strs(a, 2, "ICT", "Agri-food");
        c->nlegend = 2;
        c->left_title = "Latin American region";
        c->right_title = "European region";
        return c;
    }
    c->panels = p;
    c->npanels = 1;
    return c;
}

static void attach_charts(fx *f, rc_node *n)
{
    for (; n; n = n->next) {
        if (n->type == RC_NODE_FIGURE && n->figure && strcmp(n->figure->name.s, "empty"))
            n->chart = make_chart(f, n->figure);
        attach_charts(f, n->first);
    }
}

/* ---- building documents ------------------------------------------------------- */

static void doc_init(fx *f)
{
    memset(&f->doc, 0, sizeof f->doc);
    f->doc.cfg = &f->cfg;
    f->doc.locale = rc_locale_get("en");
}

static void add_generated(fx *f, rc_node_type t, rc_list_kind k)
{
    rc_node *n = rc_node_new(f->a, t, (rc_loc){0});
    n->list = k;
    rc_node_append(f->doc.root, n);
}

/* Parses text, split into parts at "%%% front|main|back|annex" lines. */
static void parse_parts(fx *f, const char *file, const char *text)
{
    rc_part part = RC_PART_MAIN;
    const char *p = text;
    while (*p) {
        const char *start = p, *end = p;
        rc_part next = part;
        for (;;) {
            if (!*end) break;
            if (!strncmp(end, "%%% ", 4) && (end == text || end[-1] == '\n')) {
                const char *kw = end + 4;
                next = !strncmp(kw, "front", 5)   ? RC_PART_FRONT
                       : !strncmp(kw, "back", 4)  ? RC_PART_BACK
                       : !strncmp(kw, "annex", 5) ? RC_PART_ANNEX
                                                  : RC_PART_MAIN;
                break;
            }
            const char *nl = strchr(end, '\n');
            end = nl ? nl + 1 : end + strlen(end);
        }
        if (end > start)
            rc_doc_parse_markdown(f->a, &f->doc, file, start, (size_t)(end - start), part, f->d);
        if (!*end) break;
        part = next;
        const char *nl = strchr(end, '\n');
        p = nl ? nl + 1 : end + strlen(end);
    }
}

static char *emit(fx *f, size_t *len)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *m = open_memstream(&buf, &n);
    assert_non_null(m);
    assert_int_equal(rc_latex_emit(f->a, &f->doc, m), RC_OK);
    assert_int_equal(fclose(m), 0);
    char *copy = rc_arena_strndup(f->a, buf, n);
    free(buf);
    if (len) *len = n;
    return copy;
}

static void print_diags(const rc_diag *d)
{
    for (size_t i = 0; i < rc_diag_count(d); i++) {
        if (rc_diag_get(d, i)->level != RC_DIAG_ERROR)
            continue; /* floats a case does not place are warnings */
        char b[512];
        rc_diag_format(rc_diag_get(d, i), b, sizeof b);
        print_message("%s\n", b);
    }
}

/* Builds the document of one golden case. */
static char *golden_output(fx *f, const char *name, size_t *len)
{
    char *path = rc_arena_printf(f->a, GOLDEN "%s/input.md", name);
    char *text = NULL;
    size_t tlen = 0;
    assert_int_equal(rc_read_file(f->a, path, &text, &tlen), RC_OK);
    doc_init(f);
    bool full = !strcmp(name, "document");
    f->doc.root = rc_node_new(f->a, RC_NODE_DOCUMENT, (rc_loc){0});
    if (full) {
        add_generated(f, RC_NODE_COVER, 0);
        add_generated(f, RC_NODE_IMPRINT, 0);
        add_generated(f, RC_NODE_TOC, 0);
    }
    parse_parts(f, path, text);
    if (full) {
        add_generated(f, RC_NODE_LIST_OF, RC_LIST_FIGURES);
        add_generated(f, RC_NODE_LIST_OF, RC_LIST_TABLES);
        add_generated(f, RC_NODE_LIST_OF, RC_LIST_BOXES);
        add_generated(f, RC_NODE_BACK_COVER, 0);
    }
    rc_doc_finish(&f->doc, f->d);
    print_diags(f->d);
    assert_int_equal(rc_diag_errors(f->d), 0);
    attach_charts(f, f->doc.root);
    return emit(f, len);
}

static const char *const golden_cases[] = {"inline",  "utf8",      "headings", "parts",
                                           "blocks",  "footnotes", "tables",   "boxes",
                                           "figures", "document",  "edge"};

static void golden_case(fx *f, const char *name)
{
    size_t len = 0;
    char *out = golden_output(f, name, &len);
    char *path = rc_arena_printf(f->a, GOLDEN "%s/expected.tex", name);
    const char *upd = getenv("RC_UPDATE_GOLDEN");
    if (upd && *upd && strcmp(upd, "0")) {
        FILE *w = fopen(path, "wb");
        assert_non_null(w);
        assert_int_equal(fwrite(out, 1, len, w), len);
        assert_int_equal(fclose(w), 0);
        return;
    }
    char *want = NULL;
    size_t wlen = 0;
    if (rc_read_file(f->a, path, &want, &wlen) != RC_OK)
        fail_msg("%s missing (run with RC_UPDATE_GOLDEN=1)", path);
    if (wlen != len || memcmp(want, out, len)) {
        /* point at the first differing line */
        size_t i = 0, line = 1;
        while (i < len && i < wlen && out[i] == want[i])
            if (out[i++] == '\n') line++;
        fail_msg("%s differs from the output at line %zu", path, line);
    }
}

static void test_golden(void **state)
{
    fx *f = *state;
    for (size_t i = 0; i < sizeof golden_cases / sizeof golden_cases[0]; i++) {
        rc_diag_free(f->d); /* the arena holds the config: it stays */
        f->d = rc_diag_new();
        golden_case(f, golden_cases[i]);
    }
}

/* Every directory under tests/golden/latex is a case the test runs. */
static void test_golden_dirs_are_listed(void **state)
{
    (void)state;
    DIR *dir = opendir(GOLDEN);
    assert_non_null(dir);
    size_t seen = 0;
    struct dirent *e;
    while ((e = readdir(dir))) {
        if (e->d_name[0] == '.' || e->d_name[0] == '_' || !strcmp(e->d_name, "t.ini")) continue;
        bool listed = false;
        for (size_t i = 0; i < sizeof golden_cases / sizeof golden_cases[0]; i++)
            listed |= !strcmp(golden_cases[i], e->d_name);
        if (!listed) fail_msg("golden case '%s' is not listed in test_latex.c", e->d_name);
        seen++;
    }
    closedir(dir);
    assert_int_equal(seen, sizeof golden_cases / sizeof golden_cases[0]);
    assert_true(seen >= 8);
}

/* ---- escaping ------------------------------------------------------------------ */

static void check_escape(fx *f, const char *in, const char *want)
{
    const char *got = rc_latex_escape(f->a, in, strlen(in));
    if (strcmp(got, want)) fail_msg("escape(\"%s\") = \"%s\", want \"%s\"", in, got, want);
}

static void test_escape_specials(void **state)
{
    fx *f = *state;
    check_escape(f, "#$%&_{}", "\\#\\$\\%\\&\\_\\{\\}");
    check_escape(f, "~^\\", "\\textasciitilde{}\\textasciicircum{}\\textbackslash{}");
    check_escape(f, "<a|b>", "\\textless{}a\\textbar{}b\\textgreater{}");
    check_escape(f, "[x]", "{[}x{]}");
    check_escape(f, "\"q\" 'q' `q`",
                 "\\textquotedbl{}q\\textquotedbl{} \\textquotesingle{}q\\textquotesingle{} "
                 "\\textasciigrave{}q\\textasciigrave{}");
    check_escape(f, "\xE2\x80\x98q\xE2\x80\x99 \xE2\x80\x9Cq\xE2\x80\x9D",
                 "\\textquoteleft{}q\\textquoteright{} \\textquotedblleft{}q\\textquotedblright{}");
    check_escape(f,
                 "a\xE2\x80\x93"
                 "b\xE2\x80\x94"
                 "c",
                 "a--b---c");
    check_escape(f, "a--b", "a-{}-b");
    check_escape(f, "a,,b", "a,{},b");
    check_escape(f, "20\xC2\xA0%", "20~\\%");
    check_escape(f, "a\nb\tc", "a b c");
    check_escape(f, "x\x01y", "xy");
    check_escape(f, "", "");
}

static void test_escape_utf8(void **state)
{
    fx *f = *state;
    /* Latin-1 and Latin Extended-A stay UTF-8 (inputenc / fontspec set them) */
    check_escape(f,
                 "Bielsko-Bia\xC5\x82"
                 "a",
                 "Bielsko-Bia\xC5\x82"
                 "a");
    check_escape(f, "Sk\xC3\xA5ne \xC5\x9Al\xC4\x85skie", "Sk\xC3\xA5ne \xC5\x9Al\xC4\x85skie");
    check_escape(f, "O\xE2\x80\x99Higgins", "O\\textquoteright{}Higgins");
    check_escape(f,
                 "\xE2\x82\xAC"
                 "5\xE2\x80\xA6",
                 "\\texteuro{}5\\dots{}");
    check_escape(f,
                 "\xE2\x89\xA5"
                 "4",
                 "\\ensuremath{\\geq}4");
    /* no glyph under pdflatex: wrapped so pdflatex prints '?', not an error */
    check_escape(f, "\xCE\xB1", "\\rcuchar{03B1}{\xCE\xB1}");
    check_escape(f, "\xF0\x9F\x98\x80", "\\rcuchar{1F600}{\xF0\x9F\x98\x80}");
    /* invalid bytes never reach the output */
    check_escape(f,
                 "a\xFF"
                 "b",
                 "a?b");
    check_escape(f, "a\xC3", "a?");
}

/* Every code point with a command of its own (latex.c's tables, whose
 * lookup skips U+00AE..U+2001: an entry added there must fail here), and
 * letters on either side of that gap. */
static void test_escape_every_mapped(void **state)
{
    fx *f = *state;
    static const struct {
        uint32_t cp;
        const char *want;
    } map[] = {
        {0x00A0, "~"},
        {0x2002, "\\enspace{}"},
        {0x2003, "\\quad{}"},
        {0x2009, "\\,"},
        {0x202F, "\\,"},
        {0x00AD, "\\-"},
        {0x200B, "\\hspace{0pt}"},
        {0x2010, "-"},
        {0x2011, "\\mbox{-}"},
        {0x2212, "\\textminus{}"},
        {0xFFFD, "?"},
        {0x2012, "--"},
        {0x2013, "--"},
        {0x2014, "---"},
        {0x2018, "\\textquoteleft{}"},
        {0x2019, "\\textquoteright{}"},
        {0x201A, "\\quotesinglbase{}"},
        {0x201C, "\\textquotedblleft{}"},
        {0x201D, "\\textquotedblright{}"},
        {0x201E, "\\quotedblbase{}"},
        {0x2022, "\\textbullet{}"},
        {0x2026, "\\dots{}"},
        {0x2039, "\\guilsinglleft{}"},
        {0x203A, "\\guilsinglright{}"},
        {0x20AC, "\\texteuro{}"},
        {0x2122, "\\texttrademark{}"},
        {0x2190, "\\ensuremath{\\leftarrow}"},
        {0x2192, "\\ensuremath{\\rightarrow}"},
        {0x2248, "\\ensuremath{\\approx}"},
        {0x2260, "\\ensuremath{\\neq}"},
        {0x2264, "\\ensuremath{\\leq}"},
        {0x2265, "\\ensuremath{\\geq}"},
        {0x00AE, "\xC2\xAE"}, /* T1 letters: as they are */
        {0x00E7, "\xC3\xA7"},
        {0x017F, "\xC5\xBF"},
        {0x0180, "\\rcuchar{0180}{\xC6\x80}"}, /* no glyph in T1 */
        {0x2001, "\\rcuchar{2001}{\xE2\x80\x81"
                 "}"},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
        uint32_t cp = map[i].cp;
        char in[8];
        if (cp < 0x800)
            snprintf(in, sizeof in, "%c%c", 0xC0 | (cp >> 6), 0x80 | (cp & 0x3F));
        else
            snprintf(in, sizeof in, "%c%c%c", 0xE0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3F),
                     0x80 | (cp & 0x3F));
        check_escape(f, in, map[i].want);
    }
}

/* ---- numbers, determinism, writing ----------------------------------------------- */

static char *from_markdown(fx *f, const char *md, rc_part part)
{
    doc_init(f);
    rc_doc_parse_markdown(f->a, &f->doc, "t.md", md, strlen(md), part, f->d);
    rc_doc_finish(&f->doc, f->d);
    print_diags(f->d);
    assert_int_equal(rc_diag_errors(f->d), 0);
    attach_charts(f, f->doc.root);
    return emit(f, NULL);
}

static void test_numbers_follow_the_doc(void **state)
{
    fx *f = *state;
    char *out = from_markdown(f,
                              "# One\n\n## A\n\n## B\n\n### B1\n\n#### Run-in\n\ntext[^n] "
                              "{{figure:pie}}\n\n![](figure:bar)\n\n![](figure:pie)\n\n"
                              "[^n]: note\n",
                              RC_PART_MAIN);
    assert_non_null(strstr(out, "\\setcounter{chapter}{0}\\chapter[One]{One}\\label{sec-1}"));
    assert_non_null(strstr(out, "\\setcounter{section}{1}\\section[B]{B}\\label{sec-1-2}"));
    assert_non_null(strstr(out, "\\setcounter{subsection}{0}\\subsection[B1]{B1}"));
    assert_non_null(strstr(out, "\\paragraph*{Run-in}"));
    /* the pie is the second figure placed: counter 1, stepped to 2 by \caption */
    assert_non_null(strstr(out, "\\setcounter{figure}{1}\n\\caption{A pie chart"));
    assert_non_null(strstr(out, "\\hyperref[figure:pie]{Figure 2}"));
    assert_non_null(strstr(out, "\\setcounter{footnote}{0}\\footnote{note}"));
    /* the pie's slices come from rc_chart_pie_angles: the first starts at 12 o'clock */
    assert_non_null(strstr(out, "++(90.000:"));
    /* value labels are the chart's own */
    assert_non_null(strstr(out, "{47\\%}"));
}

static void test_output_is_deterministic(void **state)
{
    fx *f = *state;
    unsetenv("SOURCE_DATE_EPOCH");
    char *a = golden_output(f, "document", NULL);
    assert_non_null(strstr(a, "pdfcreationdate={D:20200101000000Z}"));
    rc_diag_free(f->d);
    f->d = rc_diag_new();
    char *b = golden_output(f, "document", NULL);
    assert_string_equal(a, b);
    setenv("SOURCE_DATE_EPOCH", "1591000000", 1);
    rc_diag_free(f->d);
    f->d = rc_diag_new();
    char *c = golden_output(f, "document", NULL);
    unsetenv("SOURCE_DATE_EPOCH");
    assert_non_null(strstr(c, "pdfcreationdate={D:20200601082640Z}"));
}

static size_t count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) n++;
    closedir(d);
    return n;
}

static void test_write_atomic(void **state)
{
    fx *f = *state;
    size_t len = 0;
    char *want = golden_output(f, "inline", &len);
    char tmpl[] = "/tmp/rc-latex-test.XXXXXX";
    char *dir = mkdtemp(tmpl);
    assert_non_null(dir);
    char *path = rc_arena_printf(f->a, "%s/out.tex", dir);
    /* an existing target is replaced whole */
    FILE *old = fopen(path, "w");
    assert_non_null(old);
    fputs("old contents", old);
    fclose(old);
    assert_int_equal(rc_latex_write(f->a, &f->doc, path, f->d), RC_OK);
    char *got = NULL;
    size_t glen = 0;
    assert_int_equal(rc_read_file(f->a, path, &got, &glen), RC_OK);
    assert_int_equal(glen, len);
    assert_memory_equal(got, want, len);
    assert_int_equal(count_entries(dir), 1); /* no temporary file left behind */
    /* a directory that does not exist: an I/O error and one diagnostic */
    size_t before = rc_diag_errors(f->d);
    char *bad = rc_arena_printf(f->a, "%s/missing/out.tex", dir);
    assert_int_equal(rc_latex_write(f->a, &f->doc, bad, f->d), RC_ERR_IO);
    assert_int_equal(rc_diag_errors(f->d), before + 1);
    assert_int_equal(count_entries(dir), 1);
    unlink(path);
    rmdir(dir);
}

/* Given the build's temporary (registered by rc_out_tmpname), the .tex is
 * written to it directly: no other name appears, and when the write fails
 * (a child whose file size limit is below the .tex: EFBIG) nothing is
 * left. Given a real file, a reader's hard link to it keeps the old bytes
 * (written beside and renamed, never in place). */
static void test_write_once(void **state)
{
    fx *f = *state;
    char tmpl[] = "/tmp/rc-latex-once.XXXXXX";
    char *dir = mkdtemp(tmpl);
    assert_non_null(dir);
    char *target = rc_arena_printf(f->a, "%s/out.tex", dir);
    char *tmp = rc_out_tmpname(f->a, target);
    assert_int_equal(rc_latex_write(f->a, &f->doc, tmp, f->d), RC_OK);
    assert_int_equal(count_entries(dir), 1);
    assert_true(rc_tmp_registered(tmp)); /* the build's to rename */
    assert_int_equal(rc_out_rename(tmp, target), RC_OK);

    char *old = rc_arena_printf(f->a, "%s/old.tex", dir);
    assert_int_equal(link(target, old), 0);
    struct stat before, after;
    assert_int_equal(stat(old, &before), 0);
    assert_int_equal(rc_latex_write(f->a, &f->doc, target, f->d), RC_OK);
    assert_int_equal(stat(old, &after), 0);
    assert_int_equal(after.st_nlink, 1); /* target is another inode now */
    assert_int_equal(after.st_mtim.tv_nsec, before.st_mtim.tv_nsec);
    assert_int_equal(after.st_mtim.tv_sec, before.st_mtim.tv_sec);
    unlink(old);

    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        signal(SIGXFSZ, SIG_IGN);
        struct rlimit rl = {.rlim_cur = 100, .rlim_max = RLIM_INFINITY};
        if (setrlimit(RLIMIT_FSIZE, &rl) != 0) _exit(99);
        char *t = rc_out_tmpname(f->a, target);
        rc_status st = rc_latex_write(f->a, &f->doc, t, f->d);
        /* the file is gone; the name is still registered, as the build
         * discards it */
        _exit(st == RC_ERR_IO && access(t, F_OK) != 0 && rc_tmp_registered(t) ? 0 : 1);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_int_equal(count_entries(dir), 1); /* only out.tex */
    unlink(target);
    rmdir(dir);
}

static void test_emit_rejects_null(void **state)
{
    fx *f = *state;
    assert_int_equal(rc_latex_emit(f->a, NULL, stdout), RC_ERR_IO);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_escape_specials, setup, teardown),
        cmocka_unit_test_setup_teardown(test_escape_every_mapped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_escape_utf8, setup, teardown),
        cmocka_unit_test_setup_teardown(test_numbers_follow_the_doc, setup, teardown),
        cmocka_unit_test_setup_teardown(test_output_is_deterministic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_atomic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_emit_rejects_null, setup, teardown),
        cmocka_unit_test_setup_teardown(test_golden_dirs_are_listed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_golden, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
