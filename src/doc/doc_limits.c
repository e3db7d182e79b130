/* doc_limits: the PDF's limits on strings, checked on the document before
 * any typesetting so that a too-long string is a located error, not a
 * file that breaks PDF/A or a library's unlocated "internal error" after
 * the whole layout. PDF/A-2 allows no string longer than 32,767 bytes
 * (ISO 19005-2, 6.1.13). Text strings (bookmark titles, link descriptions,
 * figures' alternative text, the document information) are written in
 * PDFDocEncoding when they can be, else in UTF-16BE with a byte order mark,
 * two bytes a character: so their count is in characters,
 * RC_PDF_TEXT_MAX_CHARS (rc/doc.h), whatever the encoding turns out to be.
 * Link targets are byte strings: RC_PDF_BYTES_MAX bytes. Before, headings
 * and targets were checked against libharu's 65,535 bytes of UTF-8, which
 * let a 30,000-character heading with one accented letter through to a
 * 60,002-byte bookmark (not PDF/A), and link descriptions and figures'
 * alternative text were not checked at all. */
#include <string.h>

#include "doc_int.h"
#include "rc/chart.h"
#include "rc/util.h"

/* Characters (code points) in s: valid UTF-8 (config values are checked
 * when read, Markdown texts too) and each written as one UTF-16 code unit
 * (pdf_raw.c keeps the BMP). */
static size_t chars(const char *s)
{
    return s ? rc_utf8_length(s, strlen(s)) : 0;
}

static void check_text(rc_diag *d, rc_loc loc, const char *what, size_t n)
{
    if (n > RC_PDF_TEXT_MAX_CHARS)
        rc_diag_error(d, loc,
                      "%s is %zu characters long; a PDF/A text string holds at most %d "
                      "(32,767 bytes, 2 a character)",
                      what, n, RC_PDF_TEXT_MAX_CHARS);
}

static void walk(rc_arena *a, const rc_node *n, const rc_locale *loc, rc_diag *d)
{
    for (; n; n = n->next) {
        /* a chart without an 'alt' gets one made from its caption and
         * values (layout_floats.c, the same call): at most 40 values, but a
         * caption or labels may be any length */
        if (n->type == RC_NODE_FIGURE && n->chart &&
            !(n->figure && n->figure->alt.s && *n->figure->alt.s))
            check_text(d, n->loc,
                       "the alternative text made for this figure from its caption and values "
                       "(give it a shorter 'alt')",
                       chars(rc_chart_alt(a, n->chart, loc, n->caption)));
        if (n->type == RC_NODE_HEADING && n->in_toc) /* the bookmark: "NUMBER TITLE" */
            check_text(d, n->loc, "this heading (a bookmark of the PDF)",
                       chars(rc_node_plain_text(a, n)) +
                           (n->number && *n->number ? chars(n->number) + 1 : 0));
        if (n->type == RC_NODE_LINK && n->url) {
            size_t len = strlen(n->url);
            if (len > RC_PDF_BYTES_MAX)
                rc_diag_error(d, n->loc,
                              "this link's target is %zu bytes long; a PDF/A string holds at "
                              "most 32,767 bytes",
                              len);
            /* (its text is the link's description, /Contents) */
            check_text(d, n->loc, "this link's text", chars(rc_node_plain_text(a, n)));
        }
        walk(a, n->first, loc, d);
    }
}

/* The characters of the list as pdf_xmp.c joins it: the non-empty items,
 * ", " between them. */
static size_t joined(const rc_strlist *l)
{
    size_t n = 0, k = 0;
    for (size_t i = 0; i < l->n; i++) {
        if (!l->v[i].s || !l->v[i].s[0]) continue;
        n += chars(l->v[i].s) + (k++ ? 2 : 0);
    }
    return n;
}

static void check_info(rc_diag *d, rc_loc loc, const char *what, size_t n)
{
    if (n > RC_PDF_INFO_MAX_CHARS)
        rc_diag_error(d, loc,
                      "%s is %zu characters long; the PDF's document information holds at "
                      "most %d (PDF/A-2: a string of at most 32,767 bytes, 2 a character)",
                      what, n, RC_PDF_INFO_MAX_CHARS);
}

rc_status rc_doc_check_pdf_limits(rc_arena *a, const rc_doc *doc, rc_diag *d)
{
    size_t before = rc_diag_errors(d);
    const rc_locale *loc = doc->locale ? doc->locale : rc_locale_get("en");
    walk(a, doc->root, loc, d);
    for (size_t i = 0; i < doc->footnotes.n; i++)
        walk(a, doc->footnotes.v[i]->first, loc, d);
    if (doc->cfg) {
        const rc_report_cfg *r = &doc->cfg->report;
        check_info(d, r->title.loc, "'title'", chars(r->title.s));
        check_info(d, r->subtitle.loc, "'subtitle'", chars(r->subtitle.s));
        if (r->authors.n)
            check_info(d, r->authors.v[0].loc, "'authors' (joined)", joined(&r->authors));
        if (r->keywords.n)
            check_info(d, r->keywords.v[0].loc, "'keywords' (joined)", joined(&r->keywords));
        for (size_t i = 0; i < doc->cfg->nfigures; i++) {
            const rc_str *alt = &doc->cfg->figures[i].alt;
            check_text(d, alt->loc, "'alt'", chars(alt->s));
        }
    }
    return rc_diag_errors(d) > before ? RC_ERR_LIMIT : RC_OK;
}
