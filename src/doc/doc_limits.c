/* doc_limits: the PDF library's limits, checked on the document before any
 * typesetting so that a too-long string is a located error and not
 * libharu's unlocated "internal error" after the whole layout. libharu
 * 2.3 refuses a string longer than HPDF_LIMIT_MAX_STRING_LEN (65,535
 * bytes): bookmark titles (headings in the outline) and link targets. The
 * document information (title, subtitle, authors, keywords) is stricter:
 * pdf_xmp.c writes it in UTF-16, two bytes a character, and the PDF/A-2
 * limit of 32,767 bytes a string (ISO 19005-2, 6.1.13) applies, so the
 * count is in characters, RC_PDF_INFO_MAX_CHARS (rc/doc.h). Counting UTF-8
 * bytes against 65,535 let a 40,000-letter title through to libharu, which
 * then failed with "internal error" after the whole layout. */
#include <string.h>

#include "doc_int.h"
#include "rc/util.h"

#define PDF_MAX_STRING 65535

static void check_len(rc_diag *d, rc_loc loc, const char *what, size_t n)
{
    if (n > PDF_MAX_STRING)
        rc_diag_error(d, loc, "%s is %zu bytes long; a PDF string holds at most 65,535 bytes", what,
                      n);
}

static void walk(rc_arena *a, const rc_node *n, rc_diag *d)
{
    for (; n; n = n->next) {
        if (n->type == RC_NODE_HEADING && n->in_toc)
            check_len(d, n->loc, "this heading (a bookmark of the PDF)",
                      strlen(rc_node_plain_text(a, n)));
        if (n->type == RC_NODE_LINK && n->url)
            check_len(d, n->loc, "this link's target", strlen(n->url));
        walk(a, n->first, d);
    }
}

/* Characters (code points) in s: config values are valid UTF-8 (checked
 * when read) and pdf_xmp.c writes each as one UTF-16 code unit. */
static size_t chars(const char *s)
{
    return s ? rc_utf8_length(s, strlen(s)) : 0;
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
    walk(a, doc->root, d);
    for (size_t i = 0; i < doc->footnotes.n; i++)
        walk(a, doc->footnotes.v[i]->first, d);
    if (doc->cfg) {
        const rc_report_cfg *r = &doc->cfg->report;
        check_info(d, r->title.loc, "'title'", chars(r->title.s));
        check_info(d, r->subtitle.loc, "'subtitle'", chars(r->subtitle.s));
        if (r->authors.n)
            check_info(d, r->authors.v[0].loc, "'authors' (joined)", joined(&r->authors));
        if (r->keywords.n)
            check_info(d, r->keywords.v[0].loc, "'keywords' (joined)", joined(&r->keywords));
    }
    return rc_diag_errors(d) > before ? RC_ERR_LIMIT : RC_OK;
}
