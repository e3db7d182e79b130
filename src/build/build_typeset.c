/* build_typeset: one edition's fonts, hyphenation and layout, then its PDF
 * and SVG figures (the writer's typesetting task, build_write.c), or the
 * layout alone in memory (`check`). */
#include "build_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rc/chart.h"
#include "rc/doc.h"
#include "rc/linebreak.h"
#include "rc/locale.h"
#include "rc/pdf.h"
#include "rc/svg.h"
#include "rc/util.h"

/* "figure-04-motivation.svg": the number zero-padded so files sort in
 * document order, then the figure's INI name. */
static const char *svg_name(rc_arena *a, const rc_node *fig)
{
    const char *num = fig->number ? fig->number : "0";
    const char *name = fig->figure && fig->figure->name.s ? fig->figure->name.s : "figure";
    bool digits = num[0] != 0 && strspn(num, "0123456789") == strlen(num);
    return digits ? rc_arena_printf(a, "figure-%02ld-%s.svg", strtol(num, NULL, 10), name)
                  : rc_arena_printf(a, "figure-%s-%s.svg", num, name);
}

/* One SVG per placed figure, from the display list the page draws. */
static rc_status write_svgs(typeset_job *j, const rc_layout *lay, const rc_fonts *fonts)
{
    const rc_locale *loc = j->doc->locale;
    const char *family = rc_svg_family_from_path(
        j->a, fonts->f[RC_FONT_REGULAR] ? rc_font_path(fonts->f[RC_FONT_REGULAR]) : NULL);
    for (size_t i = 0; i < lay->figures.n; i++) {
        const rc_placed_figure *pf = &lay->figures.v[i];
        const rc_node *n = pf->node;
        const char *word = loc ? rc_locale_word(loc, RC_W_FIGURE) : "Figure";
        const char *title = n && n->number ? rc_arena_printf(j->a, "%s %s: %s", word, n->number,
                                                             n->caption ? n->caption : "")
                                           : (n && n->caption ? n->caption : "");
        /* The description: the figure's alternative text (its `alt`, or
         * the one derived from the chart's data, as in the tagged PDF), then
         * where the numbers come from and any note, in the edition's words. */
        const char *alt = n && n->figure && n->figure->alt.s && *n->figure->alt.s ? n->figure->alt.s
                          : n && n->chart && loc ? rc_chart_alt(j->a, n->chart, loc, n->caption)
                          : n && n->caption      ? n->caption
                                                 : "";
        const char *src = loc ? rc_locale_word(loc, RC_W_SOURCE) : "Source";
        const char *desc =
            rc_arena_printf(j->a, "%s%s%s%s%s%s", alt, n && n->source_line ? " " : "",
                            n && n->source_line ? src : "", n && n->source_line ? ": " : "",
                            n && n->source_line ? n->source_line : "",
                            n && n->note ? rc_arena_printf(j->a, " %s", n->note) : "");
        rc_svg_figure f = {pf->list, pf->w, pf->h, title, desc, family};
        const char *target = rc_path_join(j->a, j->svg_dir, n ? svg_name(j->a, n) : "figure.svg");
        bool dup = false; /* a figure split over pages is placed once per page */
        for (size_t k = 0; k < j->svgs.n && !dup; k++)
            dup = strcmp(j->svgs.v[k].target, target) == 0;
        if (dup) continue;
        const char *tmp = rc_out_tmpname(j->a, target);
        rc_status st = rc_svg_write(j->a, &f, tmp, j->d);
        if (st != RC_OK) return st;
        RC_PUSH(j->a, j->svgs, ((pending){tmp, target, "svg", j->ed}));
    }
    return RC_OK;
}

void rc_build_typeset(typeset_job *j)
{
    rc_fonts fonts = j->fonts;
    rc_hyph *hyph = j->hyph;
    rc_layout lay = {0};
    j->st = j->preloaded
                ? j->res_st
                : rc_build_resources(j->a, j->cfg, j->cache, j->checked, j->d, &fonts, &hyph);
    /* a watcher's edition sets again only the paragraphs that changed */
    rc_para_memo *pm = NULL, *kept = NULL;
    if (j->watched && j->cache && j->st == RC_OK) {
        if (!j->cache->para) j->cache->para = rc_para_memo_new();
        pm = j->cache->para;
    } else if (j->st == RC_OK && j->tmp) {
        /* a build's PDF: the paragraphs its last build set, from the cache,
         * and the texts it showed, both under the fonts' files */
        uint64_t fd = rc_fonts_digest(&fonts);
        pm = kept = rc_para_memo_disk(j->tmp, fd, hyph);
        rc_fonts_keep_shown(&fonts, fd, j->tmp);
    }
    rc_para_memo_begin(pm);
    /* With a PDF to write, the layout runs page by page inside the writer,
     * which draws and gives back each page as soon as it is complete
     * (rc_layout_begin): the pages are never all held at once. */
    if (j->st == RC_OK)
        j->st = j->tmp ? rc_layout_begin(j->a, j->doc, &fonts, hyph, j->d, &lay)
                       : rc_layout_document(j->a, j->doc, &fonts, hyph, j->d, &lay);
    if (j->st == RC_OK && rc_diag_errors(j->d)) j->st = RC_ERR_DATA;
    lay.release_pages = true; /* nothing below reads a page again (the SVGs draw figures) */
    lay.release_figures = !j->svg_dir; /* (the writer draws each page as it comes) */
    /* A watcher's edition keeps its PDF's deflated streams and reduced fonts
     * for its next write; a build writes each edition once. */
    rc_pdf_cache *pc = NULL;
    if (j->watched && j->cache && j->tmp) {
        if (!j->cache->pdf) j->cache->pdf = rc_pdf_cache_new();
        pc = j->cache->pdf;
    }
    if (j->st == RC_OK && j->tmp)
        j->st = rc_pdf_write_cached(j->a, &lay, j->cfg, &fonts, pc, j->tmp, j->d);
    rc_layout_end(&lay);  /* (complete unless the PDF failed) */
    rc_para_memo_end(pm); /* the layout ran inside the writer up to here */
    rc_para_memo_close(kept, j->st == RC_OK && !rc_diag_errors(j->d));
    rc_fonts_shown_done(&fonts, false); /* (the writer's end did, unless it failed first) */
    if (j->st == RC_OK && rc_diag_errors(j->d)) j->st = RC_ERR_DATA;
    if (j->st == RC_OK && j->svg_dir) j->st = write_svgs(j, &lay, &fonts);
    if (!j->cache) rc_hyph_free(hyph);
    j->pages = lay.pages.n;
}

rc_status rc_build_typeset_check(rc_arena *a, const rc_config *cfg, const rc_doc *doc, rc_diag *d,
                                 size_t *pages)
{
    typeset_job job = {.a = a, .cfg = cfg, .doc = doc, .d = d, .st = RC_OK};
    rc_build_typeset(&job);
    *pages = job.pages;
    return job.st;
}
