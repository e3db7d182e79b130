/* Tests for the PDF back end, checked through real readers: pdftotext,
 * pdffonts, pdfinfo and qpdf (poppler-utils, qpdf). */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include <hpdf.h>
#include <hpdf_utils.h>

#include "rc/arena.h"
#include "rc/diag.h"
#include "rc/draw.h"
#include "rc/font.h"
#include "rc/layout.h"
#include "rc/pdf.h"
#include "rc/util.h"

#include "pdf_fixture.h"

static const char SAMPLE[] = "Bielsko-Biała Skåne Śląskie Bogotá “quotes” – —";
static const char HEADING[] = "Ćwiczenie ąę: Zürich";

typedef struct fixture {
    rc_arena *a;
    rc_diag *d;
    rc_fonts fonts;
    rc_config cfg;
    rc_layout lay;
    char dir[64];
} fixture;

/* Runs a shell command; returns its stdout (arena) and exit status. */
static char *run(rc_arena *a, const char *cmd, int *status)
{
    FILE *f = popen(cmd, "r");
    assert_non_null(f);
    size_t cap = 4096, n = 0;
    char *s = rc_arena_alloc(a, cap);
    size_t got;
    while ((got = fread(s + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (n + 1 == cap) {
            s = rc_arena_grow(a, s, cap, cap * 2, 1);
            cap *= 2;
        }
    }
    s[n] = '\0';
    int st = pclose(f);
    if (status) *status = st;
    return s;
}

static void build_layout(fixture *fx)
{
    rc_arena *a = fx->a;
    rc_rgb black = {0, 0, 0}, blue = {0, 0.2, 0.6}, yellow = {1, 0.8, 0};

    /* page 1: cover, unnumbered, one bold line */
    rc_page cover = {rc_draw_new(a), RC_PAGE_NONE, 0, ""};
    rc_draw_text(a, cover.content, RC_FONT_BOLD, 24, 72, 700, "Cover", 5, blue);
    RC_PUSH(a, fx->lay.pages, cover);

    /* page 2: roman i, the sample text, a link to page 3, a URI link */
    rc_page p2 = {rc_draw_new(a), RC_PAGE_ROMAN, 1, "i"};
    rc_draw_text(a, p2.content, RC_FONT_REGULAR, 11, 72, 760, SAMPLE, strlen(SAMPLE), black);
    rc_draw_text(a, p2.content, RC_FONT_REGULAR, 11, 72, 740, "see", 3, black);
    double w = rc_font_text_width(fx->fonts.f[RC_FONT_REGULAR], "see ", 4, 11);
    rc_draw_text(a, p2.content, RC_FONT_REGULAR, 11, 72 + w, 740, "Figure", 6, blue);
    rc_draw_link(a, p2.content, 72 + w, 737, 30, 12, "fig-1", NULL);
    rc_draw_link(a, p2.content, 72, 717, 60, 12, NULL, "https://example.org/");
    rc_draw_text(a, p2.content, RC_FONT_REGULAR, 11, 72, 720, "website", 7, blue);
    rc_draw_dest(a, p2.content, 72, 780, "sec-1");
    RC_PUSH(a, fx->lay.pages, p2);

    /* page 3: arabic 1, a figure group with shapes, the link target */
    rc_page p3 = {rc_draw_new(a), RC_PAGE_ARABIC, 1, "1"};
    rc_draw_text(a, p3.content, RC_FONT_BOLD, 14, 72, 780, HEADING, strlen(HEADING), black);
    rc_draw_list *fig = rc_draw_new(a);
    rc_draw_rect(a, fig, 0, 0, 200, 100, &yellow, &black, 0.5);
    rc_draw_line(a, fig, 0, 50, 200, 50, blue, 0.75)->dash = 2;
    rc_path_seg segs[8];
    size_t n = rc_path_arc(segs, 7, 100, 50, 30, 0, 360, true);
    segs[n++] = (rc_path_seg){.op = RC_PATH_CLOSE};
    rc_draw_path(a, fig, segs, n, &blue, NULL, 1);
    rc_draw_text(a, fig, RC_FONT_REGULAR, 8, 10, 10, "Źródło", strlen("Źródło"), black);
    rc_draw_dest(a, fig, 0, 110, "fig-1");
    rc_draw_group(a, p3.content, 72, 500, fig);
    RC_PUSH(a, fx->lay.pages, p3);

    rc_outline_entry o1 = {"Śląskie – chapter", 1, 1, 780, "sec-1"};
    rc_outline_entry o2 = {HEADING, 2, 2, 794, NULL};
    RC_PUSH(a, fx->lay.outline, o1);
    RC_PUSH(a, fx->lay.outline, o2);
}

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    pdf_fixture_open(&fx->a, &fx->d, &fx->fonts, &fx->cfg, fx->dir, "/tmp/rc-test-pdf-XXXXXX");
    rc_report_cfg *r = &fx->cfg.report;
    r->title = pdf_fixture_str("Regional pairings: Bielsko-Biała");
    r->subtitle = pdf_fixture_str("A test “subtitle”");
    r->year = pdf_fixture_str("2019");
    static rc_str authors[2], keywords[2];
    authors[0] = pdf_fixture_str("Ana Núñez");
    authors[1] = pdf_fixture_str("Jan Kowalski");
    keywords[0] = pdf_fixture_str("EU");
    keywords[1] = pdf_fixture_str("Latin America");
    r->authors = (rc_strlist){authors, 2};
    r->keywords = (rc_strlist){keywords, 2};
    build_layout(fx);
    setenv("SOURCE_DATE_EPOCH", "1577836800", 1); /* 2020-01-01T00:00:00Z */
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    pdf_fixture_release(fx->dir, fx->d, fx->a);
    free(fx);
    return 0;
}

static char *out_path(fixture *fx, const char *name)
{
    return rc_arena_printf(fx->a, "%s/%s", fx->dir, name);
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* strstr for binary data (PDF streams hold NUL bytes). */
static const char *find(const char *buf, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(buf + i, needle, k) == 0) return buf + i;
    return NULL;
}

static size_t dir_entries(const char *dir)
{
    DIR *dp = opendir(dir);
    assert_non_null(dp);
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(dp)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) n++;
    closedir(dp);
    return n;
}

static void test_text_fonts_and_structure(void **state)
{
    fixture *fx = *state;
    const char *pdf = out_path(fx, "report.pdf");
    assert_int_equal(rc_pdf_write(fx->a, &fx->lay, &fx->cfg, &fx->fonts, pdf, fx->d), RC_OK);
    assert_int_equal(rc_diag_count(fx->d), 0);
    assert_int_equal(dir_entries(fx->dir), 1); /* no temporary file left */

    /* exact text back, and poppler has nothing to complain about */
    int st;
    char *cmd =
        rc_arena_printf(fx->a, "pdftotext -f 2 -l 2 -layout '%s' - 2>'%s/err.txt'", pdf, fx->dir);
    char *text = run(fx->a, cmd, &st);
    assert_int_equal(st, 0);
    assert_non_null(strstr(text, SAMPLE));
    assert_non_null(strstr(text, "see Figure"));
    char *err = run(fx->a, rc_arena_printf(fx->a, "cat '%s/err.txt'", fx->dir), NULL);
    assert_string_equal(err, "");
    text = run(fx->a, rc_arena_printf(fx->a, "pdftotext '%s' - 2>&1", pdf), &st);
    assert_int_equal(st, 0);
    assert_null(strstr(text, "Invalid"));
    assert_null(strstr(text, "Syntax"));
    assert_non_null(strstr(text, HEADING));
    assert_non_null(strstr(text, "Źródło"));

    /* positions are the ones given: the first word starts at x = 72 */
    text = run(fx->a, rc_arena_printf(fx->a, "pdftotext -f 2 -l 2 -bbox '%s' -", pdf), &st);
    char *word = strstr(text, "xMin=\"");
    assert_non_null(word);
    double xmin = strtod(word + 6, NULL);
    assert_true(xmin > 71.5 && xmin < 72.5);

    /* two faces used (regular, bold): both embedded, subset, with Unicode */
    char *fonts = run(fx->a, rc_arena_printf(fx->a, "pdffonts '%s'", pdf), &st);
    assert_int_equal(st, 0);
    assert_int_equal(count(fonts, "CID TrueType"), 2);
    assert_int_equal(count(fonts, "Identity-H       yes yes yes"), 2);
    assert_non_null(strstr(fonts, "+Lato-Regular"));
    assert_non_null(strstr(fonts, "+Lato-Bold"));
    assert_null(strstr(fonts, ",Bold")); /* embedded: PostScript name, no style suffix */
    assert_null(strstr(fonts, "Italic"));
    assert_null(strstr(fonts, "Light"));

    /* qpdf finds nothing wrong */
    char *chk = run(fx->a, rc_arena_printf(fx->a, "qpdf --check '%s' 2>&1", pdf), &st);
    assert_int_equal(st, 0);
    assert_non_null(strstr(chk, "No syntax or stream encoding errors found"));
    assert_null(strstr(chk, "WARNING"));

    /* metadata, A4, three pages, deterministic dates */
    char *info = run(fx->a, rc_arena_printf(fx->a, "pdfinfo -isodates '%s'", pdf), &st);
    assert_int_equal(st, 0);
    assert_non_null(strstr(info, "Title:           Regional pairings: Bielsko-Biała\n"));
    assert_non_null(strstr(info, "Author:          Ana Núñez, Jan Kowalski\n"));
    assert_non_null(strstr(info, "Subject:         A test “subtitle”\n"));
    assert_non_null(strstr(info, "Keywords:        EU, Latin America\n"));
    assert_non_null(strstr(info, "Creator:         reportc "));
    assert_non_null(strstr(info, "CreationDate:    2020-01-01T00:00:00Z"));
    assert_non_null(strstr(info, "Pages:           3\n"));
    assert_non_null(strstr(info, "Page size:       595.276 x 841.89 pts (A4)"));
}

/* v as the PDF writer writes a real: three decimals, no trailing zeros. */
static const char *real3(rc_arena *a, double v)
{
    char *s = rc_arena_printf(a, "%.3f", v);
    size_t k = strlen(s);
    while (k > 1 && s[k - 1] == '0')
        s[--k] = '\0';
    if (s[k - 1] == '.') s[k - 1] = '\0';
    return s;
}

static void test_navigation(void **state)
{
    fixture *fx = *state;
    const char *pdf = out_path(fx, "nav.pdf");
    assert_int_equal(rc_pdf_write(fx->a, &fx->lay, &fx->cfg, &fx->fonts, pdf, fx->d), RC_OK);
    int st;
    char *js = run(
        fx->a,
        rc_arena_printf(fx->a, "qpdf --json --json-key=pagelabels --json-key=outlines '%s'", pdf),
        &st);
    assert_int_equal(st, 0);
    /* outline: chapter on page 2 (via its named dest), open; section nested */
    assert_non_null(strstr(js, "\"title\": \"Śląskie – chapter\""));
    assert_non_null(strstr(js, "\"title\": \"Ćwiczenie ąę: Zürich\""));
    assert_non_null(strstr(js, "\"destpageposfrom1\": 2"));
    assert_non_null(strstr(js, "\"destpageposfrom1\": 3"));
    assert_non_null(strstr(js, "\"open\": true"));
    const char *kids = strstr(js, "\"kids\": [\n");
    assert_non_null(kids);
    assert_true(kids < strstr(js, "\"title\": \"Ćwiczenie"));
    assert_non_null(strstr(js, "780,\n        null"));

    /* links: one internal to fig-1 at y = 500 + 110 on page 3, one URI;
     * neither draws a border */
    char *q = run(
        fx->a,
        rc_arena_printf(fx->a, "qpdf --qdf --object-streams=disable '%s' - | tr -d '\\000'", pdf),
        &st); /* NULs (the ICC profile of the output intent) would end the string */
    assert_int_equal(st, 0);
    assert_int_equal(count(q, "/Subtype /Link"), 2);
    assert_int_equal(count(q, "/URI (https://example.org/)"), 1);
    assert_int_equal(count(q, "/Border [\n    0\n    0\n    0\n  ]"), 2);
    /* written as text (pdf_nav.c): the destination in the annotation, the
     * rectangles as drawn, each annotation's /StructParent after the three
     * pages' keys (the URI link's taken while its page was drawn, the
     * internal one's after the pages) and its OBJR in the tree */
    assert_non_null(strstr(q, "    /XYZ\n    0\n    610\n    null\n  ]\n  /F 4\n"));
    double w = rc_font_text_width(fx->fonts.f[RC_FONT_REGULAR], "see ", 4, 11);
    assert_non_null(strstr(q, rc_arena_printf(fx->a,
                                              "  /Rect [\n    %s\n    737\n    %s\n    749\n  ]\n"
                                              "  /StructParent 4\n  /Subtype /Link\n",
                                              real3(fx->a, 72 + w), real3(fx->a, 102 + w))));
    assert_non_null(strstr(q, "  /Rect [\n    72\n    717\n    132\n    729\n  ]\n"
                              "  /StructParent 3\n  /Subtype /Link\n"));
    assert_int_equal(count(q, "/Type /OBJR"), 2);
    assert_int_equal(count(q, "/Annots "), 1); /* page 2's, one array for both */
    assert_non_null(strstr(q, "/ParentTreeNextKey 5\n"));
    /* the outline's counts: the root shows both entries, the open chapter
     * its section, which has none */
    assert_non_null(strstr(q, "<<\n  /Count 2\n  /First "));
    assert_non_null(strstr(q, "<<\n  /Count 1\n  /Dest [\n"));
    assert_int_equal(count(q, "/Count "), 3); /* (and the page tree's) */
    /* labels: cover without a numbering style, then i (roman from 1), then
     * 1 (decimal from 1) */
    assert_non_null(strstr(q, "/Nums [\n      0\n      <<\n      >>\n"
                              "      1\n      <<\n        /S /r\n        /St 1\n      >>\n"
                              "      2\n      <<\n        /S /D\n        /St 1\n      >>\n"
                              "    ]"));
    /* the ToUnicode maps are ours: bfchar/bfrange, no cidrange */
    assert_int_equal(count(q, "/CMapName /Adobe-Identity-UCS def"), 2);
    assert_int_equal(count(q, "begincidrange"), 0);
}

/* Asserts that files p1 and p2 hold the same bytes; returns p1's (arena)
 * and its length in *n. */
static char *same_files(fixture *fx, const char *p1, const char *p2, size_t *n)
{
    char *c1, *c2;
    size_t n2;
    assert_int_equal(rc_read_file(fx->a, p1, &c1, n), RC_OK);
    assert_int_equal(rc_read_file(fx->a, p2, &c2, &n2), RC_OK);
    assert_int_equal(*n, n2);
    assert_memory_equal(c1, c2, *n);
    return c1;
}

static void test_reproducible(void **state)
{
    fixture *fx = *state;
    const char *p1 = out_path(fx, "a.pdf"), *p2 = out_path(fx, "b.pdf");
    assert_int_equal(rc_pdf_write(fx->a, &fx->lay, &fx->cfg, &fx->fonts, p1, fx->d), RC_OK);
    sleep(1); /* a time-based field would differ now */
    assert_int_equal(rc_pdf_write(fx->a, &fx->lay, &fx->cfg, &fx->fonts, p2, fx->d), RC_OK);
    size_t n1;
    char *c1 = same_files(fx, p1, p2, &n1);
    assert_non_null(find(c1, n1, "/ID [<")); /* a hash of the content (pdf_objstm.c) */

    /* different content gives a different ID */
    rc_draw_text(fx->a, fx->lay.pages.v[2].content, RC_FONT_REGULAR, 9, 72, 100, "x", 1,
                 (rc_rgb){0, 0, 0});
    const char *p3 = out_path(fx, "c.pdf");
    assert_int_equal(rc_pdf_write(fx->a, &fx->lay, &fx->cfg, &fx->fonts, p3, fx->d), RC_OK);
    char *c3;
    size_t n3;
    assert_int_equal(rc_read_file(fx->a, p3, &c3, &n3), RC_OK);
    const char *id1 = find(c1, n1, "/ID [<"), *id3 = find(c3, n3, "/ID [<");
    assert_non_null(id3);
    assert_memory_not_equal(id1, id3, 40);
}

/* With release_pages (the build sets it) each page's operations are given
 * back once its content stream is written: the same bytes, pages empty
 * afterwards (under ASan, any later read of them fails). */
static void test_release_pages(void **state)
{
    fixture *fx = *state;
    for (int i = 0; i < 100; i++) /* past 2 KiB: the ops get a block of their own */
        rc_draw_dest(fx->a, fx->lay.pages.v[1].content, 72, 780, "sec-1");
    const char *p1 = out_path(fx, "kept.pdf"), *p2 = out_path(fx, "released.pdf");
    assert_int_equal(rc_pdf_write(fx->a, &fx->lay, &fx->cfg, &fx->fonts, p1, fx->d), RC_OK);
    assert_true(fx->lay.pages.v[1].content->ops.n > 100);
    fx->lay.release_pages = true;
    assert_int_equal(rc_pdf_write(fx->a, &fx->lay, &fx->cfg, &fx->fonts, p2, fx->d), RC_OK);
    for (size_t i = 0; i < fx->lay.pages.n; i++)
        assert_int_equal(fx->lay.pages.v[i].content->ops.n, 0);
    size_t n1;
    same_files(fx, p1, p2, &n1);
}

static void test_missing_directory(void **state)
{
    fixture *fx = *state;
    const char *pdf = out_path(fx, "no/such/dir/x.pdf");
    size_t before = rc_diag_errors(fx->d);
    assert_int_equal(rc_pdf_write(fx->a, &fx->lay, &fx->cfg, &fx->fonts, pdf, fx->d), RC_ERR_IO);
    assert_int_equal(rc_diag_errors(fx->d), before + 1);
    char buf[512];
    rc_diag_format(rc_diag_get(fx->d, rc_diag_count(fx->d) - 1), buf, sizeof buf);
    assert_non_null(strstr(buf, "x.pdf"));
    assert_non_null(strstr(buf, "No such file or directory"));
    assert_int_equal(dir_entries(fx->dir), 0);
}

/* A failure after the target exists leaves it byte-identical and removes
 * the temporary file: a face that libharu cannot load, and one missing. */
static void test_failure_keeps_old_file(void **state)
{
    fixture *fx = *state;
    const char *pdf = out_path(fx, "keep.pdf");
    assert_int_equal(rc_pdf_write(fx->a, &fx->lay, &fx->cfg, &fx->fonts, pdf, fx->d), RC_OK);
    char *old;
    size_t nold;
    assert_int_equal(rc_read_file(fx->a, pdf, &old, &nold), RC_OK);

    rc_config bad = fx->cfg;
    bad.style.font_path[RC_FONT_BOLD] = "/etc/hostname"; /* readable, not a font */
    size_t before = rc_diag_errors(fx->d);
    assert_int_equal(rc_pdf_write(fx->a, &fx->lay, &bad, NULL, pdf, fx->d), RC_ERR_LIBRARY);
    assert_int_equal(rc_diag_errors(fx->d), before + 1);

    bad.style.font_path[RC_FONT_BOLD] = "/nonexistent/font.ttf";
    assert_int_equal(rc_pdf_write(fx->a, &fx->lay, &bad, NULL, pdf, fx->d), RC_ERR_IO);
    assert_int_equal(rc_diag_errors(fx->d), before + 2);

    bad.style.font_path[RC_FONT_BOLD] = fx->dir; /* a directory */
    assert_int_equal(rc_pdf_write(fx->a, &fx->lay, &bad, NULL, pdf, fx->d), RC_ERR_IO);
    assert_int_equal(rc_diag_errors(fx->d), before + 3);
    char msg[512];
    rc_diag_format(rc_diag_get(fx->d, rc_diag_count(fx->d) - 1), msg, sizeof msg);
    assert_non_null(strstr(msg, "cannot read bold font"));
    assert_non_null(strstr(msg, "Is a directory"));

    char *now;
    size_t nnow;
    assert_int_equal(rc_read_file(fx->a, pdf, &now, &nnow), RC_OK);
    assert_int_equal(nnow, nold);
    assert_memory_equal(now, old, nold);
    assert_int_equal(dir_entries(fx->dir), 1);
}

/* Two faces from one file are embedded once; text libharu's 16-bit UTF-8
 * encoder cannot take (astral characters, controls) is replaced, not
 * corrupted; an empty layout is refused rather than written invalid. */
static void test_shared_face_odd_text_and_empty(void **state)
{
    fixture *fx = *state;
    rc_arena *a = fx->a;
    rc_layout lay = {0};
    rc_page pg = {rc_draw_new(a), RC_PAGE_ARABIC, 7, "7"};
    rc_rgb black = {0, 0, 0};
    rc_draw_text(a, pg.content, RC_FONT_REGULAR, 10, 72, 700, "Ab", 2, black);
    const char odd[] = "cd\xF0\x9F\x98\x80"
                       "e\tf";
    rc_draw_text(a, pg.content, RC_FONT_LIGHT, 10, 72, 680, odd, strlen(odd), black);
    RC_PUSH(a, lay.pages, pg);
    rc_config cfg = fx->cfg;
    cfg.style.font_path[RC_FONT_LIGHT] = FACES[RC_FONT_REGULAR];
    const char *pdf = out_path(fx, "shared.pdf");
    assert_int_equal(rc_pdf_write(a, &lay, &cfg, NULL, pdf, fx->d), RC_OK);
    assert_int_equal(rc_diag_count(fx->d), 0);
    int st;
    char *fonts = run(a, rc_arena_printf(a, "pdffonts '%s'", pdf), &st);
    assert_int_equal(count(fonts, "CID TrueType"), 1);
    char *text = run(a, rc_arena_printf(a, "pdftotext '%s' - 2>&1", pdf), &st);
    assert_int_equal(st, 0);
    assert_non_null(strstr(text, "Ab\n"));
    assert_non_null(strstr(text, "cd\xEF\xBF\xBD"
                                 "e f"));
    char *js = run(a, rc_arena_printf(a, "qpdf --json --json-key=pagelabels '%s'", pdf), &st);
    assert_non_null(strstr(js, "\"/St\": 7"));

    rc_layout empty = {0};
    const char *none = out_path(fx, "none.pdf");
    assert_int_equal(rc_pdf_write(a, &empty, &cfg, NULL, none, fx->d), RC_ERR_DATA);
    assert_int_equal(rc_diag_errors(fx->d), 1);
    assert_int_equal(access(none, F_OK), -1);
}

static void test_tounicode_blocks(void **state)
{
    fixture *fx = *state;
    uint32_t codes[400];
    size_t n = 0;
    for (uint32_t c = 0x41; c <= 0x5A; c++) /* one range */
        codes[n++] = c;
    codes[n++] = 0xFE; /* 0xFE..0x101 crosses a high byte: two ranges */
    codes[n++] = 0xFF;
    codes[n++] = 0x100;
    codes[n++] = 0x101;
    for (uint32_t c = 0x1000; c < 0x1000 + 2 * 250; c += 2) /* 250 singles */
        codes[n++] = c;
    size_t len;
    char *cm = rc_pdf_tounicode(fx->a, codes, n, &len);
    assert_int_equal(strlen(cm), len);
    assert_non_null(strstr(cm, "/CIDInit /ProcSet findresource begin\n"));
    assert_non_null(strstr(cm, "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"));
    assert_int_equal(count(cm, "100 beginbfchar\n"), 2);
    assert_int_equal(count(cm, "50 beginbfchar\n"), 1);
    assert_int_equal(count(cm, "3 beginbfrange\n"), 1);
    assert_non_null(strstr(cm, "<0041> <005A> <0041>\n"));
    assert_non_null(strstr(cm, "<00FE> <00FF> <00FE>\n"));
    assert_non_null(strstr(cm, "<0100> <0101> <0100>\n"));
    assert_non_null(strstr(cm, "<1002> <1002>\n"));
    assert_null(strstr(cm, "cidrange"));
    assert_non_null(
        strstr(cm, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"));
}

/* Ligature codes map to the characters their glyph stands for, as
 * UTF-16BE (a surrogate pair above the BMP), never inside a range. */
static void test_tounicode_ligatures(void **state)
{
    fixture *fx = *state;
    uint32_t codes[] = {1, 2, 3, 4, 0x41, 0x42};
    const char *lig[32] = {NULL, "fi", "ffl", NULL, "a\xF0\x9F\x98\x80"};
    size_t len;
    char *cm = rc_pdf_tounicode_lig(fx->a, codes, 6, lig, &len);
    assert_int_equal(strlen(cm), len);
    assert_non_null(strstr(cm, "<0001> <00660069>\n"));
    assert_non_null(strstr(cm, "<0002> <00660066006C>\n"));
    assert_non_null(strstr(cm, "<0003> <0003>\n"));
    assert_non_null(strstr(cm, "<0004> <0061D83DDE00>\n"));
    assert_non_null(strstr(cm, "<0041> <0042> <0041>\n"));
    assert_null(strstr(cm, "<0001> <0002>"));
}

/* The number of a "/Key N" entry after the first occurrence of key. */
static long key_value(const char *hay, const char *key)
{
    const char *k = strstr(hay, key);
    return k ? strtol(k + strlen(key), NULL, 10) : -1;
}

/* Page content is written directly: literal strings of two-byte codes
 * (bytes that are parentheses, backslashes or carriage returns escaped),
 * the words of a line in one TJ array (test_pdf_text.c checks where they
 * land), libharu's numbers, deflated here like the
 * font streams, /FlateDecode declared once per stream. */
static void test_content_stream(void **state)
{
    fixture *fx = *state;
    rc_arena *a = fx->a;
    rc_layout lay = {0};
    rc_page pg = {rc_draw_new(a), RC_PAGE_ARABIC, 1, "1"};
    rc_rgb black = {0, 0, 0};
    /* č is U+010D (bytes 01 0D), Ĩ U+0128 (01 28 "("), ĩ U+0129 (01 29
     * ")"), Ŝ U+015C (01 5C "\\") */
    const char tricky[] = "(a\\\\b) čĨĩŜ";
    rc_draw_text(a, pg.content, RC_FONT_REGULAR, 10, 109.747, 741.89, tricky, strlen(tricky),
                 black);
    rc_draw_text(a, pg.content, RC_FONT_REGULAR, 10, 200, 741.89, "next", 4, black);
    rc_draw_rect(a, pg.content, 72, 72, 100.5, 50.25, &black, NULL, 0);
    RC_PUSH(a, lay.pages, pg);
    const char *pdf = out_path(fx, "content.pdf");
    assert_int_equal(rc_pdf_write(a, &lay, &fx->cfg, &fx->fonts, pdf, fx->d), RC_OK);
    int st;
    char *text = run(a, rc_arena_printf(a, "pdftotext '%s' - 2>&1", pdf), &st);
    assert_int_equal(st, 0);
    assert_non_null(strstr(text, "(a\\\\b) čĨĩŜ\n"));
    assert_non_null(strstr(text, "next"));
    char *chk = run(a, rc_arena_printf(a, "qpdf --check '%s' 2>&1", pdf), &st);
    assert_int_equal(st, 0);
    assert_null(strstr(chk, "WARNING"));
    char *q = run(a,
                  rc_arena_printf(a,
                                  "qpdf --qdf --normalize-content=n --object-streams=disable "
                                  "--decode-level=generalized '%s' - | tr -d '\\000'",
                                  pdf),
                  &st);
    assert_int_equal(st, 0);
    /* float noise as libharu writes it: 741.89 is 741.89001 as a float;
     * right after BT, Td places the first word as Tm would */
    assert_non_null(strstr(q, "BT\n/F1 10 Tf\n0 0 0 rg\n109.747 741.89001 Td\n["));
    /* the escapes, with the high bytes (NUL removed by tr above); then
     * "next" on the same line, in the same array: 90.253 pt from the first
     * word's start is 9025.3/1000 em at 10 pt, of which the first word
     * moves the pen 4178 (its /W widths, 4290, less its kerning numbers,
     * 112); Lato kerns "ne" by -6.5/1000 em: a TJ number moves "xt" left */
    assert_non_null(strstr(q,
                           "[(\\()19(a)41.5(\\\\\\\\b)29(\\) \001\\r)7.5(\001\\()7.5(\001\\))7.5("
                           "\001\\\\)-4847.3(ne)6.5(xt)] TJ\nET\n"));
    assert_null(strstr(q, " Tm\n")); /* one line: one text position */
    assert_non_null(strstr(q, "72 72 100.5 50.25 re\nf\n"));
    /* streams deflated here declare their filter once, as a name: the
     * content, the font file, the CIDToGIDMap, the ToUnicode CMap and the
     * ICC profile of the output intent (the XMP metadata is not filtered);
     * the other objects are packed into deflated object streams, listed by
     * a deflated cross-reference stream (pdf_objstm.c) */
    char *raw;
    size_t nraw;
    assert_int_equal(rc_read_file(a, pdf, &raw, &nraw), RC_OK);
    size_t filters = 0, objstms = 0;
    for (const char *p = raw; (p = find(p, nraw - (size_t)(p - raw), "/Filter /FlateDecode")); p++)
        filters += p[20] == ' ' || p[20] == '\n'; /* not /FlateDecodeX */
    for (const char *p = raw; (p = find(p, nraw - (size_t)(p - raw), "/Type /ObjStm")); p++)
        objstms++;
    assert_true(objstms >= 1);
    assert_non_null(find(raw, nraw, "/Type /XRef")); /* deflated too */
    assert_int_equal(filters - objstms - 1, 5);
    assert_null(find(raw, nraw, "/Filter [")); /* nothing left for libharu to deflate */
    assert_null(find(raw, nraw, "\nxref\n"));  /* a cross-reference stream, not a table */
}

/* Glyphs are marked as used without HPDF_Page_ShowText: the embedded
 * font grows with the letters shown, and pages render them. */
static void test_glyphs_embedded(void **state)
{
    fixture *fx = *state;
    rc_arena *a = fx->a;
    long len1[2];
    const char *words[2] = {"a", "abcdefghijklmnopqrstuvwxyz"};
    for (int k = 0; k < 2; k++) {
        rc_layout lay = {0};
        rc_page pg = {rc_draw_new(a), RC_PAGE_ARABIC, 1, "1"};
        rc_draw_text(a, pg.content, RC_FONT_BOLD, 40, 72, 700, words[k], strlen(words[k]),
                     (rc_rgb){0, 0, 0});
        RC_PUSH(a, lay.pages, pg);
        const char *pdf = out_path(fx, k ? "many.pdf" : "one.pdf");
        assert_int_equal(rc_pdf_write(a, &lay, &fx->cfg, &fx->fonts, pdf, fx->d), RC_OK);
        int st;
        char *q = run(
            a,
            rc_arena_printf(a, "qpdf --qdf --object-streams=disable '%s' - | tr -d '\\000'", pdf),
            &st);
        len1[k] = key_value(q, "/Length1 ");
        assert_true(len1[k] > 0);
        /* the reduced file as it is, not libharu's re-subset (which tags
         * the full name in the name table) */
        assert_non_null(strstr(q, "Lato Bold"));
        assert_null(strstr(q, "HPDFAA+Lato Bold"));
        /* the glyphs are drawn: the darkest pixel where the word is is
         * dark */
        char *ppm = run(a,
                        rc_arena_printf(a,
                                        "pdftoppm -r 20 -gray -x 15 -y 20 -W 60 -H 20 '%s' | "
                                        "tail -c 1200 | od -An -tu1 -v | tr -s ' ' '\\n' | "
                                        "sort -n | awk 'NF{print; exit}'",
                                        pdf),
                        &st);
        assert_true(atoi(ppm) < 100);
    }
    /* 25 more outlines of Lato Bold: well over 2 KB */
    assert_true(len1[1] > len1[0] + 2000);
}

/* Numbers are written as libharu's HPDF_FToA writes them. */
static void test_real_format(void **state)
{
    (void)state;
    char a[64], b[64];
    size_t bad = 0;
    uint32_t seed = 12345;
    for (int i = 0; i < 200000; i++) {
        seed = seed * 1103515245u + 12345u;
        /* positions with 4 decimals, with float noise, colours, fractions */
        double v = i % 4 == 0   ? (seed % 10000000) / 10000.0 - 100
                   : i % 4 == 1 ? (seed % 9000000) / 10000.0 * 1.000000123
                   : i % 4 == 2 ? (seed % 100000) / 100000.0
                                : (seed % 100000) / 7.0 - 7000;
        memset(a, 0, sizeof a);
        HPDF_FToA(a, (HPDF_REAL)v, a + sizeof a - 1);
        size_t n = rc_pdf_real(v, b);
        assert_int_equal(n, strlen(b));
        if (strcmp(a, b) != 0 && !(strcmp(a, "-0") == 0 && strcmp(b, "0") == 0)) bad++;
    }
    assert_int_equal(bad, 0);
    rc_pdf_real(741.89, b);
    assert_string_equal(b, "741.89001");
    rc_pdf_real(-0.5, b);
    assert_string_equal(b, "-0.5");
    rc_pdf_real(1e9, b);
    assert_string_equal(b, "32767");
    rc_pdf_real(0, b);
    assert_string_equal(b, "0");
}

/* A font rc_ttf_reduce leaves alone (here: an sfnt version it does not
 * know, 2.0, which libharu ignores and FreeType accepts) is embedded from
 * the original file through libharu's own subsetting. */
static void test_unreduced_font(void **state)
{
    fixture *fx = *state;
    rc_arena *a = fx->a;
    char *font;
    size_t n;
    assert_int_equal(rc_read_file(a, FACES[RC_FONT_REGULAR], &font, &n), RC_OK);
    unsigned char *f = (unsigned char *)font;
    f[1] = 2; /* 0x00010000 -> 0x00020000 */
    unsigned char *probe;
    size_t plen;
    uint32_t codes[] = {'a'};
    assert_int_equal(rc_ttf_reduce(a, f, n, codes, 1, &probe, &plen), RC_ERR_DATA);
    const char *path = out_path(fx, "odd.ttf");
    FILE *out = fopen(path, "wb");
    assert_non_null(out);
    assert_int_equal(fwrite(f, 1, n, out), n);
    assert_int_equal(fclose(out), 0);

    rc_layout lay = {0};
    rc_page pg = {rc_draw_new(a), RC_PAGE_ARABIC, 1, "1"};
    rc_draw_text(a, pg.content, RC_FONT_REGULAR, 12, 72, 700, SAMPLE, strlen(SAMPLE),
                 (rc_rgb){0, 0, 0});
    RC_PUSH(a, lay.pages, pg);
    rc_config cfg = fx->cfg;
    cfg.style.font_path[RC_FONT_REGULAR] = path;
    const char *pdf = out_path(fx, "odd.pdf");
    assert_int_equal(rc_pdf_write(a, &lay, &cfg, NULL, pdf, fx->d), RC_OK);
    assert_int_equal(rc_diag_count(fx->d), 0);
    int st;
    char *text = run(a, rc_arena_printf(a, "pdftotext '%s' - 2>&1", pdf), &st);
    assert_int_equal(st, 0);
    assert_non_null(strstr(text, SAMPLE));
    char *fonts = run(a, rc_arena_printf(a, "pdffonts '%s'", pdf), &st);
    assert_int_equal(count(fonts, "Identity-H       yes yes yes"), 1);
    /* libharu's subset: it puts its tag in the full name (name ID 4) of
     * the embedded font, which the font dictionaries do not contain */
    char *raw = run(
        a, rc_arena_printf(a, "qpdf --qdf --object-streams=disable '%s' - | tr -d '\\000'", pdf),
        &st);
    assert_non_null(strstr(raw, "HPDFAA+Lato Regular"));
    /* and poppler renders it: the darkest pixel of the line is dark */
    char *ppm = run(a,
                    rc_arena_printf(a,
                                    "pdftoppm -r 72 -gray -x 70 -y 125 -W 200 -H 20 '%s' | "
                                    "tail -c 4000 | od -An -tu1 -v | tr -s ' ' '\\n' | "
                                    "sort -n | awk 'NF{print; exit}'",
                                    pdf),
                    &st);
    assert_true(atoi(ppm) < 100);
    char *chk = run(a, rc_arena_printf(a, "qpdf --check '%s' 2>&1", pdf), &st);
    assert_int_equal(st, 0);
    assert_null(strstr(chk, "WARNING"));
}

/* The Info strings are written as UTF-16BE with a byte order mark
 * (pdf_xmp.c, without libharu's UTF-8 encoder): characters beyond
 * Latin-1 decode as given, one beyond the BMP as U+FFFD (as libharu's
 * 16-bit encoder could not write it), an empty value is left out. */
static void test_info_strings(void **state)
{
    fixture *fx = *state;
    rc_config cfg = fx->cfg;
    cfg.report.title = (rc_str){.s = "\xC5\x81\xC3\xB3"
                                     "d\xC5\xBA \xE2\x80\x94 \xE2\x80\x9Cq\xE2\x80\x9D "
                                     "\xCE\xA9 \xF0\x9D\x94\xB8!"};
    cfg.report.subtitle = (rc_str){.s = ""};
    const char *pdf = out_path(fx, "info.pdf");
    assert_int_equal(rc_pdf_write(fx->a, &fx->lay, &cfg, &fx->fonts, pdf, fx->d), RC_OK);
    int st;
    char *info = run(fx->a, rc_arena_printf(fx->a, "pdfinfo -enc UTF-8 '%s'", pdf), &st);
    assert_int_equal(st, 0);
    assert_non_null(strstr(info, "Title:           \xC5\x81\xC3\xB3"
                                 "d\xC5\xBA \xE2\x80\x94 "
                                 "\xE2\x80\x9Cq\xE2\x80\x9D \xCE\xA9 \xEF\xBF\xBD!\n"));
    assert_non_null(strstr(info, "Creator:         reportc "));
    assert_null(strstr(info, "Subject:"));
    char *raw = run(
        fx->a,
        rc_arena_printf(fx->a, "qpdf --qdf --object-streams=disable '%s' - | tr -d '\\000'", pdf),
        &st);
    assert_non_null(strstr(raw, "/Title <feff0141"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_text_fonts_and_structure, setup, teardown),
        cmocka_unit_test_setup_teardown(test_navigation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reproducible, setup, teardown),
        cmocka_unit_test_setup_teardown(test_release_pages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_directory, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failure_keeps_old_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_shared_face_odd_text_and_empty, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tounicode_blocks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tounicode_ligatures, setup, teardown),
        cmocka_unit_test_setup_teardown(test_content_stream, setup, teardown),
        cmocka_unit_test_setup_teardown(test_glyphs_embedded, setup, teardown),
        cmocka_unit_test_setup_teardown(test_real_format, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unreduced_font, setup, teardown),
        cmocka_unit_test_setup_teardown(test_info_strings, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
