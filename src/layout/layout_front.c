/* layout_front: generated pages. The cover and back cover are full-page
 * vector designs (an EC-blue band with a yellow accent); the imprint is
 * composed from [report]; the contents and the lists of figures, tables and
 * boxes are laid out before page numbers exist: every entry's title is set
 * narrower than the text width by a number column wide enough for any
 * label, so the entries' heights (and the pages they take) do not depend on
 * the numbers, which are drawn once the whole document has been paginated. */
#include "layout_int.h"

#include <math.h>
#include <string.h>

static const char *rep(const lo *L, const rc_str *s)
{
    (void)L;
    return s && s->s && *s->s ? s->s : NULL;
}

/* "EUR 30085 EN", "ISBN 978-...", "doi:10.2760/..." whether or not the
 * config value already carries the prefix (the prefixes are identifier
 * codes, not words of a language). */
static const char *ident(lo *L, const char *prefix, const char *value)
{
    if (!value) return NULL;
    size_t n = strlen(prefix);
    while (n && (prefix[n - 1] == ' ' || prefix[n - 1] == ':'))
        n--;
    bool has = strlen(value) >= n;
    for (size_t i = 0; has && i < n; i++) {
        char a = value[i], b = prefix[i];
        if (a >= 'A' && a <= 'Z') a = (char)(a - 'A' + 'a');
        if (b >= 'A' && b <= 'Z') b = (char)(b - 'A' + 'a');
        has = a == b;
    }
    if (has || strncmp(value, "http", 4) == 0) return value;
    return rc_arena_printf(L->a, "%s%s", prefix, value);
}

static const char *authors_joined(lo *L)
{
    if (!L->cfg || !L->cfg->report.authors.n) return NULL;
    const rc_strlist *au = &L->cfg->report.authors;
    char *s = rc_arena_strdup(L->a, au->v[0].s ? au->v[0].s : "");
    for (size_t i = 1; i < au->n; i++)
        s = rc_arena_printf(L->a, "%s, %s", s, au->v[i].s ? au->v[i].s : "");
    return s;
}

static void newpage(lo *L, const char *running, bool full, bool header, bool opening)
{
    lo_newpage *np = rc_arena_alloc(L->a, sizeof *np);
    np->restart = -1;
    if (!L->roman_started && !L->main_started) {
        np->restart = RC_PAGE_ROMAN;
        L->roman_started = true;
    }
    np->full = full;
    np->header = header;
    np->footer = !full;
    np->opening = opening;
    np->running = running;
    lo_item it = {.kind = LO_NEWPAGE, .np = np};
    lo_push(L, it);
}

/* text set into lines of width w (NULL when there is none) */
static rc_para *set_text(lo *L, const char *text, rc_font_id f, double size, double lead,
                         rc_rgb col, double w)
{
    if (!text || !*text) return NULL;
    lo_runs r = {0};
    rc_run run = {.font = L->fonts->f[f] ? f : RC_FONT_REGULAR,
                  .size = size,
                  .colour = col,
                  .text = text,
                  .len = strlen(text)};
    RC_PUSH(L->tmp, r, run);
    return lo_set(L, &r, w, lead, RC_PARA_LEFT, false);
}

/* Draws p's lines with the first baseline at y, as one element of the
 * given type in the page's element (a Sect); returns the baseline below
 * the last line. */
static double draw_para(lo *L, lo_pg *pg, const rc_para *p, double lead, double x, double y,
                        rc_tag_type type)
{
    if (!p) return y;
    const rc_tag *box = pg->fg->tag;
    if (box) pg->fg->tag = rc_tag_add(L->a, L->tags, (rc_tag *)box, type);
    for (size_t k = 0; k < p->nlines; k++, y -= lead)
        rc_para_draw_line(L->a, pg->fg, p, k, x, y);
    pg->fg->tag = box;
    return y;
}

/* Draws text set into lines with the first baseline at y; returns the
 * baseline below the last line. */
static double draw_set(lo *L, lo_pg *pg, const char *text, rc_font_id f, double size, double lead,
                       rc_rgb col, double x, double y, double w, rc_tag_type type)
{
    return draw_para(L, pg, set_text(L, text, f, size, lead, col, w), lead, x, y, type);
}

static size_t nlines(const rc_para *p)
{
    return p ? p->nlines : 0;
}

/* ---- cover ----------------------------------------------------------- */

static void circle(lo *L, rc_draw_list *l, double cx, double cy, double r, const rc_rgb *fill,
                   const rc_rgb *stroke, double lw)
{
    rc_path_seg seg[8];
    size_t n = rc_path_arc(seg, 7, cx, cy, r, 0, 360, true);
    seg[n] = (rc_path_seg){.op = RC_PATH_CLOSE}; /* all fields set: the PDF back end hashes them */
    rc_draw_path(L->a, l, seg, n + 1, fill, stroke, lw);
}

static void draw_cover(lo *L, lo_pg *pg, const lo_item *it, double top)
{
    (void)it;
    (void)top;
    const lo_style *s = &L->st;
    const double W = RC_PAGE_WIDTH, H = RC_PAGE_HEIGHT, m = LO_SAFE + 2.0;
    const double band_y = 0.40 * H, pad = 30.0, tw = W - 2 * m - 2 * pad;
    rc_draw_rect(L->a, pg->bg, m, band_y, W - 2 * m, H - m - band_y, &s->blue, NULL, 0);
    rc_draw_rect(L->a, pg->bg, m, band_y - 10.0, 0.38 * (W - 2 * m), 10.0, &s->yellow, NULL, 0);
    rc_draw_rect(L->a, pg->bg, m + 0.38 * (W - 2 * m), band_y - 10.0, 0.62 * (W - 2 * m), 10.0,
                 &s->mid, NULL, 0);
    const rc_report_cfg *r = L->cfg ? &L->cfg->report : NULL;
    double y = H - m - pad - 12.0;
    if (r && rep(L, &r->series))
        y = draw_set(L, pg, r->series.s, RC_FONT_BOLD, 11.0, 14.0, s->white, m + pad, y, tw,
                     RC_TAG_P);
    y -= 60.0;
    /* The title and subtitle stay inside the band: set at 26 and 15 pt,
     * or smaller in steps when they take more lines than the band holds,
     * down to 18 pt for the title (the subtitle in proportion); past that
     * the title is too long for a cover, which is an error rather than
     * text run over the stripe and the authors. */
    const char *ti = r ? rep(L, &r->title) : NULL, *su = r ? rep(L, &r->subtitle) : NULL;
    rc_para *tp = NULL, *sp = NULL;
    double k = 1.0, bottom = band_y + 12.0;
    for (;; k -= 2.0 / 26.0) {
        tp = set_text(L, ti, RC_FONT_BOLD, 26.0 * k, 32.0 * k, s->white, tw);
        sp = set_text(L, su, RC_FONT_LIGHT, 15.0 * k, 19.0 * k, s->white, tw);
        double last = y - (nlines(tp) ? (double)(nlines(tp) - 1) * 32.0 * k : 0) -
                      (nlines(sp) ? 32.0 * k + 8.0 + (double)(nlines(sp) - 1) * 19.0 * k : 0),
               descent = 0.3 * (nlines(sp) ? 15.0 : 26.0) * k;
        if (last - descent >= bottom) break;
        if (26.0 * (k - 2.0 / 26.0) < 18.0 - 1e-9) {
            if (L->d && sp)
                rc_diag_error(L->d, ti ? r->title.loc : r->subtitle.loc,
                              "the title and subtitle do not fit in the cover's band even at "
                              "%.0f pt (%zu and %zu lines): shorten them",
                              26.0 * k, nlines(tp), nlines(sp));
            else if (L->d)
                rc_diag_error(L->d, r->title.loc,
                              "the title does not fit in the cover's band even at %.0f pt (%zu "
                              "lines): shorten it",
                              26.0 * k, nlines(tp));
            break;
        }
    }
    y = draw_para(L, pg, tp, 32.0 * k, m + pad, y, RC_TAG_H1);
    y -= 8.0;
    y = draw_para(L, pg, sp, 19.0 * k, m + pad, y, RC_TAG_P);
    /* a quiet motif in the band below the titles: two overlapping discs
     * (the two sides of a pairing) inside an outline ring, scaled to the
     * room the titles leave */
    double room = (y - 10.0) - (band_y + 12.0);
    k = fmin(1.0, room / 196.0);
    if (k > 0.35) {
        const double cx = W - m - 150.0, cy = band_y + 12.0 + 98.0 * k;
        circle(L, pg->bg, cx - 28.0 * k, cy - 4.0 * k, 62.0 * k, &s->mid, NULL, 0);
        circle(L, pg->bg, cx + 40.0 * k, cy + 4.0 * k, 44.0 * k, &s->yellow, NULL, 0);
        circle(L, pg->bg, cx, cy, 96.0 * k, NULL, &s->tint, 1.0);
    }
    double y2 = band_y - 50.0;
    const char *au = authors_joined(L);
    if (au)
        y2 = draw_set(L, pg, au, RC_FONT_REGULAR, 11.0, 14.5, s->text, m + pad, y2, tw, RC_TAG_P);
    y2 -= 6.0;
    const char *when = r ? (rep(L, &r->date) ? r->date.s : rep(L, &r->year)) : NULL;
    if (when)
        y2 = draw_set(L, pg, when, RC_FONT_BOLD, 11.0, 14.5, s->blue, m + pad, y2, tw, RC_TAG_P);
    if (r && rep(L, &r->cover_note))
        y2 = draw_set(L, pg, r->cover_note.s, RC_FONT_ITALIC, 9.0, 12.0, s->grey, m + pad, y2 - 8.0,
                      tw, RC_TAG_P);
    const bool eur = r && rep(L, &r->eur);
    if (eur) {
        const char *e = ident(L, "EUR ", r->eur.s);
        draw_set(L, pg, e, RC_FONT_REGULAR, 9.0, 12.0, s->grey, m + pad, m + 14.0, tw, RC_TAG_P);
    }
    /* y2 is a line below the last one drawn: the authors, date and note
     * end above the EUR number's line (or the page's margin), or the cover
     * is an error rather than text drawn over it or off the page */
    const double floor_y = eur ? m + 14.0 + 9.0 : m;
    if (y2 + 12.0 - 3.0 < floor_y && L->d && r) {
        const rc_str *at = rep(L, &r->cover_note) ? &r->cover_note
                           : r->authors.n         ? &r->authors.v[0]
                                                  : &r->title;
        rc_diag_error(L->d, at->loc,
                      "the cover's authors, date and note run %.0f mm below the room under the "
                      "band: shorten the cover note or the list of authors",
                      (floor_y - (y2 + 12.0 - 3.0)) * 25.4 / 72.0);
    }
}

void lo_cover(lo *L)
{
    newpage(L, NULL, true, false, true);
    lo_item it = {.kind = LO_CUSTOM, .fn = draw_cover, .brk = true};
    it.tag = lo_tag(L, RC_TAG_SECT);
    if (L->hlevel < 1) L->hlevel = 1; /* the title is the first H1 */
    lo_push(L, it);
}

/* ---- back cover ------------------------------------------------------ */

static void draw_back(lo *L, lo_pg *pg, const lo_item *it, double top)
{
    (void)it;
    (void)top;
    const lo_style *s = &L->st;
    const double W = RC_PAGE_WIDTH, H = RC_PAGE_HEIGHT, m = LO_SAFE + 2.0, pad = 30.0;
    const double tw = W - 2 * m - 2 * pad;
    rc_draw_rect(L->a, pg->bg, m, m, W - 2 * m, H - 2 * m, &s->blue, NULL, 0);
    rc_draw_rect(L->a, pg->bg, m + pad, H - m - pad - 8.0, 0.3 * (W - 2 * m), 8.0, &s->yellow, NULL,
                 0);
    const rc_report_cfg *r = L->cfg ? &L->cfg->report : NULL;
    if (!r) return;
    const char *lines[] = {rep(L, &r->publisher),       rep(L, &r->contact_name),
                           rep(L, &r->contact_address), rep(L, &r->contact_email),
                           rep(L, &r->contact_phone),   rep(L, &r->website)};
    bool contact = false;
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
        contact = contact || lines[i];
    /* The note, 14 pt from 45 % of the page down, ends above the contact
     * lines (or the identifiers, or the band's padding): set smaller, a
     * point at a time down to 10 pt, when it takes more lines than that
     * leaves; past that an error rather than text drawn over them. */
    const char *note = rep(L, &r->cover_note);
    if (note) {
        const double y0 = 0.45 * H, floor_y = contact ? m + pad + 12.0 * 7 + 12.0
                                              : (rep(L, &r->isbn) || rep(L, &r->doi))
                                                  ? m + pad + 11.0
                                                  : m + pad;
        double size = 14.0;
        rc_para *np;
        for (;; size -= 1.0) {
            np = set_text(L, note, RC_FONT_LIGHT, size, size * 18.0 / 14.0, s->white, tw);
            double last = y0 - (double)(nlines(np) ? nlines(np) - 1 : 0) * size * 18.0 / 14.0;
            if (last - 0.3 * size >= floor_y) break;
            if (size - 1.0 < 10.0 - 1e-9) {
                if (L->d)
                    rc_diag_error(L->d, r->cover_note.loc,
                                  "the cover note does not fit on the back cover even at %.0f pt "
                                  "(%zu lines): shorten it",
                                  size, nlines(np));
                break;
            }
        }
        draw_para(L, pg, np, size * 18.0 / 14.0, m + pad, y0, RC_TAG_P);
    }
    double y = m + pad + 12.0 * 7;
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
        if (lines[i])
            y = draw_set(L, pg, lines[i], i == 0 ? RC_FONT_BOLD : RC_FONT_REGULAR, 9.0, 12.0,
                         s->white, m + pad, y, tw, RC_TAG_P);
    if (rep(L, &r->isbn) || rep(L, &r->doi)) {
        const char *isbn = rep(L, &r->isbn) ? ident(L, "ISBN ", r->isbn.s) : "";
        const char *doi = rep(L, &r->doi) ? ident(L, "doi:", r->doi.s) : "";
        const char *ids = rc_arena_printf(L->a, "%s%s%s", isbn, *isbn && *doi ? "   " : "", doi);
        draw_set(L, pg, ids, RC_FONT_REGULAR, 8.0, 11.0, s->white, m + pad, m + pad, tw, RC_TAG_P);
    }
}

void lo_back_cover(lo *L)
{
    newpage(L, NULL, true, false, true);
    lo_item it = {.kind = LO_CUSTOM, .fn = draw_back, .brk = true};
    it.tag = lo_tag(L, RC_TAG_SECT);
    lo_push(L, it);
}

/* ---- imprint --------------------------------------------------------- */

static void imp_para(lo *L, const lo_ctx *c, const char *bold, const char *text)
{
    lo_runs r = {0};
    lo_ist st = lo_ist_of(c);
    if (bold) {
        lo_ist b = st;
        b.bold = true;
        lo_run_text(L, &r, bold, strlen(bold), b, false);
        if (text) lo_run_text(L, &r, " ", 1, st, false);
    }
    if (text) lo_run_text(L, &r, text, strlen(text), st, false);
    rc_para *p = lo_set(L, &r, c->w, c->leading, RC_PARA_LEFT, true);
    lo_emit_para(L, c, p, c->x, c->leading, c->size, NULL);
}

static void imp_heading(lo *L, const lo_ctx *c, rc_word w)
{
    lo_space(L, 1.2 * c->leading);
    const char *t = lo_word(L, w);
    imp_para(L, c, t, NULL);
    lo_keep(L);
}

void lo_imprint(lo *L)
{
    newpage(L, NULL, false, false, true);
    L->tag = lo_tag(L, RC_TAG_SECT);
    lo_ctx c = lo_body_ctx(L);
    c.size = 0.85 * L->st.size;
    c.leading = 1.3 * c.size;
    const rc_report_cfg *r = L->cfg ? &L->cfg->report : NULL;
    if (!r) {
        L->tag = L->tags->root;
        return;
    }
    if (rep(L, &r->disclaimer)) {
        imp_heading(L, &c, RC_W_LEGAL_NOTICE);
        imp_para(L, &c, NULL, r->disclaimer.s);
    }
    const rc_str *contact[] = {&r->contact_name, &r->contact_address, &r->contact_email,
                               &r->contact_phone, &r->website};
    bool any = false;
    for (size_t i = 0; i < 5; i++)
        any |= rep(L, contact[i]) != NULL;
    if (any) {
        imp_heading(L, &c, RC_W_CONTACT);
        for (size_t i = 0; i < 5; i++)
            if (rep(L, contact[i])) imp_para(L, &c, NULL, contact[i]->s);
    }
    lo_space(L, 1.2 * c.leading);
    /* identifiers: the prefixes are codes, not words of a language */
    if (rep(L, &r->eur)) imp_para(L, &c, NULL, ident(L, "EUR ", r->eur.s));
    if (rep(L, &r->isbn)) imp_para(L, &c, NULL, ident(L, "ISBN ", r->isbn.s));
    if (rep(L, &r->issn)) imp_para(L, &c, NULL, ident(L, "ISSN ", r->issn.s));
    if (rep(L, &r->doi)) imp_para(L, &c, NULL, ident(L, "doi:", r->doi.s));
    if (rep(L, &r->catalogue)) imp_para(L, &c, NULL, r->catalogue.s);
    if (r->sample_identifiers) {
        lo_space(L, 0.5 * c.leading);
        imp_para(L, &c, lo_word(L, RC_W_SAMPLE_IDS), NULL);
    }
    if (rep(L, &r->publisher)) {
        lo_space(L, 1.2 * c.leading);
        const char *pub = r->publisher.s;
        if (rep(L, &r->place)) pub = rc_arena_printf(L->a, "%s, %s", pub, r->place.s);
        if (rep(L, &r->year)) pub = rc_arena_printf(L->a, "%s, %s", pub, r->year.s);
        imp_para(L, &c, lo_word(L, RC_W_PRINTED_BY), pub);
    }
    if (rep(L, &r->copyright)) {
        lo_space(L, 0.5 * c.leading);
        imp_para(L, &c, NULL, r->copyright.s);
    }
    /* How to cite: Authors, Title, Publisher, Place, Year, ISBN, doi, EUR */
    const char *parts[] = {authors_joined(L),
                           rep(L, &r->title),
                           rep(L, &r->publisher),
                           rep(L, &r->place),
                           rep(L, &r->year),
                           rep(L, &r->isbn) ? ident(L, "ISBN ", r->isbn.s) : NULL,
                           rep(L, &r->doi) ? ident(L, "doi:", r->doi.s) : NULL,
                           rep(L, &r->eur) ? ident(L, "EUR ", r->eur.s) : NULL};
    char *cite = NULL;
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        if (!parts[i]) continue;
        cite = cite ? rc_arena_printf(L->a, "%s, %s", cite, parts[i])
                    : rc_arena_strdup(L->a, parts[i]);
    }
    if (cite) {
        lo_space(L, 1.2 * c.leading);
        imp_para(L, &c, rc_arena_printf(L->a, "%s:", lo_word(L, RC_W_HOW_TO_CITE)),
                 rc_arena_printf(L->a, "%s.", cite));
    }
    L->tag = L->tags->root;
}

/* ---- contents and lists ---------------------------------------------- */

static double page_col(lo *L, double size)
{
    return lo_text_width(L, RC_FONT_BOLD, size, "xxviii", 6) + 2.0;
}

static void toc_entry(lo *L, const char *number, double numcol, const lo_runs *title, int level,
                      const char *dest, bool bold)
{
    const double size = L->st.size, lead = L->st.leading;
    const double indent = level <= 1 ? 0 : (level == 2 ? 1.6 : 3.8) * size;
    lo_toc *t = rc_arena_alloc(L->a, sizeof *t);
    t->number = number && *number ? number : NULL;
    t->font = bold ? RC_FONT_BOLD : RC_FONT_REGULAR;
    t->num_font = t->font;
    t->size = size;
    t->leading = lead;
    t->x = LO_LEFT + indent;
    double nw = t->number ? lo_text_width(L, t->font, size, t->number, strlen(t->number)) : 0;
    t->tx = t->x + (t->number ? fmax(numcol, nw + 0.6 * size) : 0);
    t->dest = dest;
    t->tag = lo_tag(L, RC_TAG_TOCI);
    double w = LO_LEFT + LO_WIDTH - page_col(L, size) - 2.0 * size - t->tx;
    t->para = lo_set(L, title, w, lead, RC_PARA_LEFT, false);
    if (!t->para || !t->para->nlines) return;
    if (level <= 1) lo_space(L, 0.45 * lead);
    lo_item it = {.kind = LO_TOC,
                  .toc = t,
                  .h = (double)t->para->nlines * lead,
                  .x = t->x,
                  .w = LO_WIDTH,
                  .brk = true};
    lo_push(L, it);
}

static rc_word list_word(rc_list_kind k)
{
    return k == RC_LIST_TABLES ? RC_W_LIST_OF_TABLES
                               : (k == RC_LIST_BOXES ? RC_W_LIST_OF_BOXES : RC_W_LIST_OF_FIGURES);
}

static const char *list_dest(rc_list_kind k)
{
    return k == RC_LIST_TABLES ? "rc-list-tables"
                               : (k == RC_LIST_BOXES ? "rc-list-boxes" : "rc-list-figures");
}

static void word_runs(lo *L, lo_runs *r, const char *s, bool bold, double size)
{
    lo_ist st = {.bold = bold, .size = size, .colour = L->st.text};
    lo_run_text(L, r, s, strlen(s), st, false);
}

static void toc_walk(lo *L, const rc_node *n)
{
    for (; n; n = n->next) {
        if (n->type == RC_NODE_HEADING) {
            if (n->in_toc && n->level <= 3) {
                lo_runs r = {0};
                lo_ist st = {.bold = n->level <= 1, .size = L->st.size, .colour = L->st.text};
                lo_runs_inline(L, &r, n->first, st);
                L->out.refs.n = 0; /* footnote marks in titles are not listed */
                double numcol = (n->level <= 1 ? 1.5 : (n->level == 2 ? 2.6 : 3.4)) * L->st.size;
                toc_entry(L, n->numbered ? n->number : NULL, numcol, &r, n->level, n->id,
                          n->level <= 1);
            }
        } else if (n->type == RC_NODE_LIST_OF) {
            lo_runs r = {0};
            word_runs(L, &r, lo_word(L, list_word(n->list)), true, L->st.size);
            toc_entry(L, NULL, 0, &r, 1, list_dest(n->list), true);
        } else if (n->type != RC_NODE_FOOTNOTE_DEF && n->type != RC_NODE_TABLE &&
                   n->type < RC_NODE_TEXT) {
            toc_walk(L, n->first);
        }
    }
}

void lo_contents(lo *L)
{
    const char *title = lo_word(L, RC_W_CONTENTS);
    newpage(L, title, false, true, true);
    lo_runs r = {0};
    lo_ist st = {.light = true, .size = 2.2 * L->st.size, .colour = L->st.blue};
    lo_run_text(L, &r, title, strlen(title), st, false);
    L->tag = lo_tag(L, RC_TAG_SECT);
    lo_chapter_title(L, NULL, &r, "rc-contents", title);
    L->tag = lo_tag(L, RC_TAG_TOC);
    toc_walk(L, L->doc->root ? L->doc->root->first : NULL);
    L->tag = L->tags->root;
}

void lo_list_of(lo *L, const rc_node *n)
{
    const char *title = lo_word(L, list_word(n->list));
    newpage(L, title, false, true, true);
    lo_runs r = {0};
    lo_ist st = {.light = true, .size = 2.2 * L->st.size, .colour = L->st.blue};
    lo_run_text(L, &r, title, strlen(title), st, false);
    L->tag = lo_tag(L, RC_TAG_SECT);
    lo_chapter_title(L, NULL, &r, list_dest(n->list), title);
    L->tag = lo_tag(L, RC_TAG_TOC);
    const rc_doc *doc = L->doc;
    const rc_float_ref *v = doc->figures.v;
    size_t cnt = doc->figures.n;
    rc_word w = RC_W_FIGURE;
    if (n->list == RC_LIST_TABLES) {
        v = doc->tables.v;
        cnt = doc->tables.n;
        w = RC_W_TABLE;
    } else if (n->list == RC_LIST_BOXES) {
        v = doc->boxes.v;
        cnt = doc->boxes.n;
        w = RC_W_BOX;
    }
    const char **labels = rc_arena_array(L->a, cnt + 1, sizeof *labels);
    double numcol = 0;
    for (size_t i = 0; i < cnt; i++) {
        labels[i] =
            rc_arena_printf(L->a, "%s\xC2\xA0%s", lo_word(L, w), v[i].number ? v[i].number : "");
        double lw = lo_text_width(L, RC_FONT_REGULAR, L->st.size, labels[i], strlen(labels[i]));
        if (lw + 0.8 * L->st.size > numcol) numcol = lw + 0.8 * L->st.size;
    }
    for (size_t i = 0; i < cnt; i++) {
        lo_runs tr = {0};
        word_runs(L, &tr, v[i].caption && *v[i].caption ? v[i].caption : labels[i], false,
                  L->st.size);
        toc_entry(L, labels[i], numcol, &tr, 2, v[i].id, false);
        lo_space(L, 0.25 * L->st.leading);
    }
    L->tag = L->tags->root;
}

/* The words of a set paragraph, one space between words and lines. */
static const char *para_text(lo *L, const rc_para *p)
{
    size_t n = 1;
    for (size_t k = 0; k < p->nlines; k++)
        for (size_t i = 0; i < p->lines[k].nfrags; i++)
            n += p->lines[k].frags[i].len + 1;
    char *t = rc_arena_alloc(L->a, n), *o = t;
    for (size_t k = 0; k < p->nlines; k++) {
        const rc_line *ln = &p->lines[k];
        for (size_t i = 0; i < ln->nfrags; i++) {
            const rc_frag *f = &ln->frags[i];
            if (!f->len) continue;
            bool gap = i == 0 || f->x > ln->frags[i - 1].x + ln->frags[i - 1].width + 0.01;
            if (o != t && gap) *o++ = ' ';
            memcpy(o, f->text, f->len);
            o += f->len;
        }
    }
    *o = '\0';
    return t;
}

/* Draws a contents entry now that page labels are known: title lines,
 * dot leaders as one run of '.' glyphs on the last line, the page label
 * flush right, and a link over the whole entry. */
void lo_draw_toc(lo *L, const lo_item *it, size_t page, double top)
{
    const lo_toc *t = it->toc;
    if (page >= L->res->pages.n || !t->para) return;
    rc_draw_list *l = L->res->pages.v[page].content;
    const double base = lo_base(t->size, t->leading);
    rc_tag *link = t->tag ? rc_tag_add(L->a, L->tags, t->tag, RC_TAG_LINK) : NULL;
    l->tag = link;
    size_t n = t->para->nlines;
    if (t->number) { /* read first; the spaces keep the words apart when read */
        const char *num = rc_arena_printf(L->a, "%s ", t->number);
        rc_draw_text(L->a, l, t->num_font, t->size, t->x, top - base, num, strlen(num), L->st.text);
    }
    for (size_t k = 0; k < n; k++)
        rc_para_draw_line(L->a, l, t->para, k, t->tx, top - base - (double)k * t->leading);
    const rc_line *last = &t->para->lines[n - 1];
    double end = 0;
    for (size_t i = 0; i < last->nfrags; i++)
        end = fmax(end, last->frags[i].x + last->frags[i].width);
    double y = top - base - (double)(n - 1) * t->leading;
    const char *label = lo_dest_label(L, t->dest);
    double lw = lo_text_width(L, t->font, t->size, label, strlen(label));
    double right = LO_LEFT + LO_WIDTH;
    const char *slabel = rc_arena_printf(L->a, " %s", label);
    double sw = lo_text_width(L, t->font, t->size, " ", 1);
    rc_draw_text(L->a, l, t->font, t->size, right - lw - sw, y, slabel, strlen(slabel), L->st.text);
    double sp = 1.3 * lo_text_width(L, RC_FONT_REGULAR, t->size, " ", 1);
    double dw = lo_text_width(L, RC_FONT_REGULAR, t->size, ".", 1);
    double from = t->tx + end + sp, to = right - lw - sp;
    if (dw > 0 && to > from) {
        size_t cnt = (size_t)floor((to - from) / dw);
        if (cnt > 0) {
            char *dots = rc_arena_alloc(L->a, cnt + 1);
            memset(dots, '.', cnt);
            l->tag = NULL; /* leaders are decoration */
            rc_draw_text(L->a, l, RC_FONT_REGULAR, t->size, to - (double)cnt * dw, y, dots, cnt,
                         L->st.grey);
            l->tag = link;
        }
    }
    rc_draw_op *op = rc_draw_link(L->a, l, t->x, top - it->h, right - t->x, it->h, t->dest, NULL);
    op->link_text = para_text(L, t->para);
    op->link_len = strlen(op->link_text);
    l->tag = NULL;
}
