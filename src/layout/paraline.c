/* paraline: from the breaks of a paragraph to positioned lines, a first-fit
 * breaker of last resort, and drawing a line as one text op per fragment
 * (never a space inside a text op: word positions stay exact, and text
 * extraction still sees the gaps as spaces). */
#include <math.h>
#include <string.h>

#include "para_int.h"

#define NONE ((size_t)-1)

static bool discardable(const rc_lb_item *it)
{
    return it->type != RC_LB_BOX && !(it->type == RC_LB_PENALTY && it->penalty <= -10000);
}

static bool legal_break(const para_items *pi, size_t i)
{
    const rc_lb_item *it = &pi->it[i];
    if (it->type == RC_LB_GLUE) return i > 0 && pi->it[i - 1].type == RC_LB_BOX;
    return it->type == RC_LB_PENALTY && it->penalty < 10000;
}

size_t rc_para_greedy(const para_items *pi, const double widths[2], size_t *breaks)
{
    size_t nb = 0, s = 0, n = pi->n;
    while (s < n) {
        while (s < n && discardable(&pi->it[s]))
            s++;
        if (s == n) break;
        double w = widths[nb == 0 ? 0 : 1], len = 0;
        size_t last = NONE, brk = NONE;
        for (size_t i = s; i < n && brk == NONE; i++) {
            const rc_lb_item *it = &pi->it[i];
            if (legal_break(pi, i)) {
                double lw = len + (it->type == RC_LB_PENALTY ? it->width : 0);
                if (it->type == RC_LB_PENALTY && it->penalty <= -10000)
                    brk = lw <= w || last == NONE ? i : last;
                else if (lw <= w)
                    last = i;
                else
                    brk = last != NONE ? last : i;
                if (brk != NONE) break;
            }
            if (it->type == RC_LB_BOX) {
                len += it->width;
                if (len > w && last != NONE) brk = last;
            } else if (it->type == RC_LB_GLUE && it->stretch < RC_LB_FIL) {
                len += it->width - it->shrink;
            }
        }
        if (brk == NONE) brk = n - 1;
        breaks[nb++] = brk;
        s = brk + 1;
    }
    return nb;
}

static void frag_metrics(const rc_fonts *fonts, const rc_frag *f, double *asc, double *desc)
{
    const rc_frag_style *r = f->style;
    const rc_font *font = fonts->f[r->font] ? fonts->f[r->font] : fonts->f[RC_FONT_REGULAR];
    double a = font ? rc_font_ascent(font) * r->size / 1000 : 0.8 * r->size;
    double d = font ? -rc_font_descent(font) * r->size / 1000 : 0.2 * r->size;
    if (a + r->rise > *asc) *asc = a + r->rise;
    if (d - r->rise > *desc) *desc = d - r->rise;
}

/* Whether the run's byte at end is a space (see rc_frag.space_next). */
static bool space_next(const rc_run *run, size_t end)
{
    return run->text && end < run->len && run->text[end] == ' ';
}

static rc_frag make_frag(const rc_run *run, const rc_frag_style *style, const meta *m, double x,
                         double w)
{
    rc_frag f = {0};
    f.style = style;
    f.x = x;
    f.width = w;
    f.text = run->text ? run->text + m->start : "";
    f.len = m->end - m->start;
    f.anchor = m->anchor;
    f.space_next = space_next(run, m->end);
    return f;
}

/* Sets one line of items [s, b) broken at b. */
static void set_line(rc_arena *a, rc_para *p, rc_line *ln, const para_items *pi, size_t s, size_t b,
                     const rc_run *runs, const rc_frag_style *const *styles, const rc_para_opts *o,
                     const rc_fonts *fonts, double w, double indent)
{
    double len = 0, st = 0, sh = 0, fil = 0, rcap = INFINITY;
    size_t nbox = 0;
    for (size_t i = s; i < b; i++) {
        const rc_lb_item *it = &pi->it[i];
        if (it->type == RC_LB_BOX) {
            len += it->width;
            nbox++;
        } else if (it->type == RC_LB_GLUE) {
            len += it->width;
            if (it->stretch >= RC_LB_FIL)
                fil += it->stretch;
            else
                st += it->stretch;
            sh += it->shrink;
            uint8_t k = pi->m[i].kind;
            if ((k == K_SPACE || k == K_FIXGLUE) && it->stretch > 0 && pi->m[i].cap > 0) {
                double r = (pi->m[i].cap - it->width) / it->stretch;
                if (r < rcap) rcap = r;
            }
        }
    }
    bool hyph = b < pi->n && pi->it[b].type == RC_LB_PENALTY && pi->m[b].kind == K_PEN_HYPH;
    if (hyph) len += pi->it[b].width;
    double r = 0;
    if (o->align == RC_PARA_JUSTIFY) {
        if (len < w && fil <= 0 && st > 0)
            r = fmin((w - len) / st, rcap);
        else if (len > w && sh > 0)
            r = fmax((w - len) / sh, -1.0);
    }
    ln->ratio = r;
    ln->frags = rc_arena_array(a, nbox ? nbox : 1, sizeof *ln->frags);
    double x = 0;
    rc_frag *cur = NULL;
    uint32_t cur_run = 0, cur_end = 0;
    for (size_t i = s; i < b; i++) {
        const rc_lb_item *it = &pi->it[i];
        const meta *m = &pi->m[i];
        if (it->type == RC_LB_BOX) {
            if (cur && cur_run == m->run && cur_end == m->start && !(m->anchor && cur->anchor)) {
                cur->len += m->end - m->start;
                cur->width += it->width;
                cur->space_next = space_next(&runs[m->run], m->end);
                if (!cur->anchor) cur->anchor = m->anchor;
            } else {
                cur = &ln->frags[ln->nfrags++];
                *cur = make_frag(&runs[m->run], styles[m->run], m, x, it->width);
                cur_run = m->run;
            }
            cur_end = m->end;
            x += it->width;
        } else if (it->type == RC_LB_GLUE) {
            double gw = it->width;
            if (it->stretch < RC_LB_FIL) gw += r > 0 ? r * it->stretch : r * it->shrink;
            if (gw != 0 || m->kind != K_AUX) cur = NULL;
            x += gw;
        }
    }
    ln->space_end = b < pi->n && pi->it[b].type == RC_LB_GLUE;
    if (hyph && ln->nfrags) {
        rc_frag *f = &ln->frags[ln->nfrags - 1];
        char *t = rc_arena_alloc(o->text_arena ? o->text_arena : a, f->len + 2);
        memcpy(t, f->text, f->len);
        t[f->len] = '-';
        f->text = t;
        f->len++;
        f->space_next = false;
        f->width += pi->it[b].width;
        x += pi->it[b].width;
        ln->hyphenated = true;
    }
    ln->width = x;
    double shift = 0;
    if (o->align == RC_PARA_RIGHT)
        shift = w - x;
    else if (o->align == RC_PARA_CENTER)
        shift = (w - x) / 2;
    const rc_frag_style *seen = NULL; /* a style's metrics count once: most share one */
    for (size_t k = 0; k < ln->nfrags; k++) {
        ln->frags[k].x += indent + shift;
        if (ln->frags[k].style == seen) continue;
        seen = ln->frags[k].style;
        frag_metrics(fonts, &ln->frags[k], &ln->ascent, &ln->descent);
    }
    if (ln->nfrags == 0 && b < pi->n) {
        rc_frag f0 = make_frag(&runs[pi->m[b].run], styles[pi->m[b].run], &pi->m[b], 0, 0);
        frag_metrics(fonts, &f0, &ln->ascent, &ln->descent);
    }
    if (len - sh > w + 0.01) p->overfull = true;
}

void rc_para_build_lines(rc_arena *a, rc_para *p, const para_items *pi, const size_t *breaks,
                         size_t nbreaks, const rc_run *runs, const rc_frag_style *const *styles,
                         const rc_para_opts *o, const rc_fonts *fonts, const double widths[2])
{
    p->lines = rc_arena_array(a, nbreaks ? nbreaks : 1, sizeof *p->lines);
    size_t s = 0;
    for (size_t k = 0; k < nbreaks; k++) {
        size_t b = breaks[k];
        while (s < b && pi->it[s].type != RC_LB_BOX)
            s++;
        rc_line *ln = &p->lines[p->nlines++];
        set_line(a, p, ln, pi, s, b, runs, styles, o, fonts, widths[k == 0 ? 0 : 1],
                 k == 0 ? o->first_indent : o->left_indent);
        s = b + 1;
    }
}

static bool same_link(const rc_frag *x, const rc_frag *y)
{
    const rc_frag_style *a = x->style, *b = y->style;
    bool d = a->link_dest == b->link_dest ||
             (a->link_dest && b->link_dest && strcmp(a->link_dest, b->link_dest) == 0);
    bool u = a->link_uri == b->link_uri ||
             (a->link_uri && b->link_uri && strcmp(a->link_uri, b->link_uri) == 0);
    return d && u;
}

/* The first fragment with text of line i, or NULL. */
static const rc_frag *first_text(const rc_line *ln)
{
    for (size_t k = 0; k < ln->nfrags; k++)
        if (ln->frags[k].len) return &ln->frags[k];
    return NULL;
}

/* Whether a word space follows fragment k of line i: glue before the next
 * fragment, or the end of a line broken at a space (not after a hyphen,
 * inserted or not) that is not the last.
 * The space is drawn (an invisible glyph) so that text taken from the
 * structure tree, as screen readers take it, keeps its words apart. */
static bool space_after(const rc_para *p, size_t i, size_t k)
{
    const rc_line *ln = &p->lines[i];
    const rc_frag *f = &ln->frags[k];
    for (size_t q = k + 1; q < ln->nfrags; q++)
        if (ln->frags[q].len) return ln->frags[q].x > f->x + f->width + 0.01;
    return ln->space_end && i + 1 < p->nlines;
}

/* A word hyphenated at a line end reads as the whole word: the first half
 * (with the inserted hyphen) stands for the whole word, the second half for
 * nothing (PDF /ActualText), so text extraction and screen readers never see
 * the break hyphen while real hyphens stay. */
static void mark_hyphenation(rc_arena *a, const rc_para *p, size_t i, rc_draw_op *op,
                             const rc_frag *f, bool last)
{
    const rc_line *ln = &p->lines[i];
    if (i > 0 && p->lines[i - 1].hyphenated && f == first_text(ln)) op->actual = "";
    if (last && ln->hyphenated && f->len > 0 && f->text[f->len - 1] == '-' && i + 1 < p->nlines) {
        const rc_line *next = &p->lines[i + 1];
        const rc_frag *g = first_text(next);
        size_t gl = g ? g->len : 0;
        bool sp = g && space_after(p, i + 1, (size_t)(g - next->frags));
        op->actual = rc_arena_printf(a, "%.*s%.*s%s", (int)(f->len - 1), f->text, (int)gl,
                                     g ? g->text : "", sp ? " " : "");
    }
}

/* The fragment's text followed by one space: the source text itself when a
 * space follows it there (most words), else a copy. No printf: this runs
 * for every word of the document. */
static const char *with_space(rc_arena *a, const rc_frag *f)
{
    if (f->space_next) return f->text;
    char *t = rc_arena_alloc(a, f->len + 2);
    memcpy(t, f->text, f->len);
    t[f->len] = ' ';
    t[f->len + 1] = '\0';
    return t;
}

void rc_para_draw_line(rc_arena *a, rc_draw_list *l, const rc_para *p, size_t i, double x, double y)
{
    if (!p || i >= p->nlines) return;
    const rc_line *ln = &p->lines[i];
    size_t lastk = ln->nfrags;
    for (size_t k = 0; k < ln->nfrags; k++)
        if (ln->frags[k].len) lastk = k;
    const rc_tag *outer = l->tag;
    for (size_t k = 0; k < ln->nfrags;) {
        const rc_frag *f = &ln->frags[k];
        size_t e = k;
        if (f->style->link_dest || f->style->link_uri)
            while (e + 1 < ln->nfrags && same_link(f, &ln->frags[e + 1]))
                e++;
        /* a link run: one Link element holding its words and its annotation */
        bool link = (f->style->link_dest || f->style->link_uri) && outer && l->tags;
        if (link) l->tag = rc_tag_add(a, l->tags, (rc_tag *)outer, RC_TAG_LINK);
        for (size_t q = k; q <= e; q++) {
            const rc_frag *h = &ln->frags[q];
            if (h->anchor) rc_draw_dest(a, l, x + h->x, y + ln->ascent, h->anchor);
            if (h->len) {
                bool sp = space_after(p, i, q);
                /* the word (and the space after it, when the source has one
                 * there) lives as long as the page's list: referenced */
                const char *t = sp ? with_space(a, h) : h->text;
                const rc_frag_style *hs = h->style;
                rc_draw_op *op = rc_draw_text_ref(a, l, hs->font, hs->size, x + h->x, y + hs->rise,
                                                  t, h->len + sp, hs->colour);
                mark_hyphenation(a, p, i, op, h, q == lastk);
            }
        }
        if (f->style->link_dest || f->style->link_uri) {
            const rc_frag *g = &ln->frags[e];
            rc_draw_op *op =
                rc_draw_link(a, l, x + f->x, y - ln->descent, g->x + g->width - f->x,
                             ln->ascent + ln->descent, f->style->link_dest, f->style->link_uri);
            /* the visible words, for the annotation's /Contents */
            size_t n = 0;
            for (size_t q = k; q <= e; q++)
                n += ln->frags[q].len + 1;
            char *t = rc_arena_alloc(a, n + 1), *o = t;
            for (size_t q = k; q <= e; q++) {
                const rc_frag *h = &ln->frags[q];
                if (!h->len) continue;
                if (o != t && h->x > ln->frags[q - 1].x + ln->frags[q - 1].width + 0.01) *o++ = ' ';
                memcpy(o, h->text, h->len);
                o += h->len;
            }
            op->link_text = t;
            op->link_len = (size_t)(o - t);
        }
        l->tag = outer;
        k = e + 1;
    }
}
