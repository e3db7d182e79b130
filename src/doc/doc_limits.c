/* doc_limits: the PDF library's limits, checked on the document before any
 * typesetting so that a too-long string is a located error and not
 * libharu's unlocated "internal error" after the whole layout. libharu
 * 2.3 refuses a string longer than HPDF_LIMIT_MAX_STRING_LEN (65,535
 * bytes): bookmark titles (headings in the outline), link targets and the
 * document information (title, subtitle, authors, keywords). */
#include <string.h>

#include "doc_int.h"

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

static size_t joined(const rc_strlist *l)
{
    size_t n = 0;
    for (size_t i = 0; i < l->n; i++)
        n += (l->v[i].s ? strlen(l->v[i].s) : 0) + (i ? 2 : 0);
    return n;
}

rc_status rc_doc_check_pdf_limits(rc_arena *a, const rc_doc *doc, rc_diag *d)
{
    size_t before = rc_diag_errors(d);
    walk(a, doc->root, d);
    for (size_t i = 0; i < doc->footnotes.n; i++)
        walk(a, doc->footnotes.v[i]->first, d);
    if (doc->cfg) {
        const rc_report_cfg *r = &doc->cfg->report;
        if (r->title.s) check_len(d, r->title.loc, "'title'", strlen(r->title.s));
        if (r->subtitle.s) check_len(d, r->subtitle.loc, "'subtitle'", strlen(r->subtitle.s));
        if (r->authors.n)
            check_len(d, r->authors.v[0].loc, "'authors' (joined)", joined(&r->authors));
        if (r->keywords.n)
            check_len(d, r->keywords.v[0].loc, "'keywords' (joined)", joined(&r->keywords));
    }
    return rc_diag_errors(d) > before ? RC_ERR_LIMIT : RC_OK;
}
