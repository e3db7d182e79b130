/* Tests for pdf_struct.c's link annotations (rc_pdf_struct_annot) in a
 * layout made page by page: the layout adds elements while the pages are
 * drawn, after the Link elements the structure tree made for annotations
 * outside one, so an element's index in the tree is no longer its tag's.
 * Each annotation's /StructParent must lead to the Link element that holds
 * its text, and that element's one OBJR must lead back to it. Checked on
 * the saved file, read with pikepdf (python3-pikepdf, scripts/deps.sh
 * test); skipped without it.
 *
 * The layout's own paragraphs put every URI link in a Link element, so no
 * Markdown reaches the case (an annotation outside a Link): the drawing of
 * three pages is played here through the stage's internal calls, in the
 * order pdf_draw.c makes them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <hpdf.h>

#include "rc/arena.h"
#include "rc/diag.h"
#include "rc/layout.h"
#include "rc/tag.h"
#include "../../../src/pdf/pdf_int.h" /* the tree is internal to the PDF stage */

/* A URI link on page `page` whose content is in element t: its MCID, then
 * its annotation (as draw_link makes it, in drawing order). */
static void link_on(rc_pdf *p, size_t page, const rc_tag *t, const char *uri, const char *text)
{
    rc_pdf_struct_mcid(p, page, t);
    rc_pdf_link lk = {.rect = {72, 700 - 20.0 * (double)page, 200, 712 - 20.0 * (double)page},
                      .uri = uri,
                      .page_index = page,
                      .tag = t,
                      .text = text,
                      .len = strlen(text)};
    lk.num = rc_pdf_num(rc_pdf_placeholder(p));
    assert_int_not_equal(lk.num, 0);
    lk.key = rc_pdf_struct_annot(p, lk.num, page, t);
    RC_PUSH(p->a, p->links, lk);
}

static const char CHECK[] =
    "import sys, pikepdf\n"
    "pdf = pikepdf.open(sys.argv[1])\n"
    "root = pdf.Root.StructTreeRoot\n"
    "nums = {}\n"
    "def walk(n):\n"
    "    if '/Nums' in n:\n"
    "        for i in range(0, len(n.Nums), 2): nums[int(n.Nums[i])] = n.Nums[i + 1]\n"
    "    for k in n.get('/Kids', []): walk(k)\n"
    "walk(root.ParentTree)\n"
    "def kids(e):\n"
    "    k = e.get('/K')\n"
    "    return list(k) if isinstance(k, pikepdf.Array) else ([] if k is None else [k])\n"
    "def objrs(e):\n"
    "    return [k for k in kids(e) if isinstance(k, pikepdf.Dictionary) and k.get('/Type') == "
    "'/OBJR']\n"
    "n = 0\n"
    "for g, page in enumerate(pdf.pages):\n"
    "    for a in page.obj.get('/Annots', []):\n"
    "        n += 1\n"
    "        el = nums[int(a.StructParent)]\n"
    "        assert el.S == '/Link', (g, str(el.S))\n"
    "        o = objrs(el)\n"
    "        assert len(o) == 1 and o[0].Obj.objgen == a.objgen, (g, len(o))\n"
    "        # the Link element is the one that holds the link's text: MCID 0 here\n"
    "        mc = nums[int(page.obj.StructParents)]\n"
    "        assert mc[0].objgen == el.objgen or g == 0, g\n"
    "print(n)\n";

/* Three pages; the first one's link is in a P (the tree makes it a Link
 * of its own); the next two are Links the layout adds page by page, after
 * that one. */
static void test_annotations_page_by_page(void **state)
{
    (void)state;
    if (system("/usr/bin/python3 -c 'import pikepdf' 2>/dev/null") != 0)
        skip(); /* python3-pikepdf: scripts/deps.sh test */
    rc_arena *a = rc_arena_new();
    rc_diag *d = rc_diag_new();
    rc_pdf *p = rc_arena_alloc(a, sizeof *p);
    memset(p, 0, sizeof *p);
    p->a = a;
    p->d = d;
    p->path = "test.pdf";
    rc_layout lay;
    memset(&lay, 0, sizeof lay);
    lay.tags = rc_tags_new(a, RC_TAG_DOCUMENT);
    rc_tag *p1 = rc_tag_add(a, lay.tags, NULL, RC_TAG_P);
    rc_pdf_struct_begin(p, &lay);
    p->doc = HPDF_New(NULL, NULL);
    assert_non_null(p->doc);
    p->doc->pdf_version = HPDF_VER_17; /* object streams (pdf_xmp.c sets it in a build) */
    for (int g = 0; g < 3; g++) {
        HPDF_Page pg = HPDF_AddPage(p->doc);
        assert_non_null(pg);
        RC_PUSH(a, p->pages, pg);
    }
    link_on(p, 0, p1, "https://example.org/zero", "zero");
    for (size_t g = 1; g < 3; g++) { /* the layout's next page: new elements */
        rc_tag *para = rc_tag_add(a, lay.tags, NULL, RC_TAG_P);
        rc_tag *ln = rc_tag_add(a, lay.tags, para, RC_TAG_LINK);
        link_on(p, g, ln, g == 1 ? "https://example.org/one" : "https://example.org/two",
                g == 1 ? "one" : "two");
    }
    rc_pdf_links(p);
    rc_pdf_struct_finish(p);
    assert_false(rc_pdf_failed(p));
    char dir[] = "/tmp/rc-test-struct-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[64], py[64], cmd[256];
    snprintf(path, sizeof path, "%s/t.pdf", dir);
    snprintf(py, sizeof py, "%s/check.py", dir);
    if (!rc_pdf_save_packed(p, path)) {
        for (size_t i = 0; i < rc_diag_count(d); i++)
            print_message("%s\n", rc_diag_get(d, i)->msg);
        fail_msg("not saved: libharu error 0x%04X", (unsigned)p->err);
    }
    FILE *f = fopen(py, "w");
    assert_non_null(f);
    fputs(CHECK, f);
    fclose(f);
    snprintf(cmd, sizeof cmd, "/usr/bin/python3 '%s' '%s' 2>&1", py, path);
    FILE *r = popen(cmd, "r");
    assert_non_null(r);
    char out[4096] = "";
    size_t n = fread(out, 1, sizeof out - 1, r);
    out[n] = '\0';
    int st = pclose(r);
    if (st != 0) fail_msg("the structure tree's links:\n%s", out);
    assert_string_equal(out, "3\n"); /* every annotation was checked */
    snprintf(cmd, sizeof cmd, "qpdf --check '%s' >/dev/null 2>&1", path);
    assert_int_equal(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    HPDF_Free(p->doc);
    rc_diag_free(d);
    rc_arena_free(a);
}

int main(void)
{
    /* libharu's calls from the PDF stage go through src/pdf/hpdf_lib.h's
     * table, which rc_pdf_write_cached loads; these tests make and use
     * documents without it */
    if (!rc_hpdf_lib_load(NULL)) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_annotations_page_by_page),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
