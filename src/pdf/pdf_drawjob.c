/* pdf_drawjob: a page's content drawn on the deflating thread (pdf_zip.c)
 * while the main thread lays out the next page.
 *
 * Drawing a page was a third of the main thread's PDF work (the sample's
 * one edition: 17.3 M instructions of 62 M, beside 32 M of layout), and
 * most of it is formatting: the text's strings and numbers, the operators.
 * The main thread keeps what touches shared state: it walks the page dry,
 * as a page from the cache is walked (pdf_draw.c: the structure tree's
 * marked content, the links, the destinations, in drawing order), and
 * shapes each text (rc_font_shaped: the shaper's memo is the layout's
 * too), or takes the page's texts whole from the shown file when it has
 * them (rc_shown_page_*, named while the block is sized). Then it copies what drawing reads into
 * one flat block: the ops with their groups flattened (each op with its effective tag and its
 * group's offset added, in the order and with the sums draw_list makes),
 * the text, /ActualText and path points, the kerning and ligatures. The
 * layout frees a page's paragraphs and figures once it hands the next
 * page, and gives the page's list back: the worker reads only the block.
 *
 * The worker draws the block with draw_list itself, on an rc_pdf of its
 * own: the same bytes, the same MCIDs (a page's count from 0 in the order
 * the dry walk recorded them), the same font resources. What rc_pdf_show
 * would make lazily in shared memory (the code sets, the width tables, the
 * font's metric pages) is made here first (rc_pdf_show_prepare); the code
 * sets are then the worker's alone until rc_pdf_zip_drain. Pages are
 * queued in order and the worker takes them in order, so the file is the
 * one the main thread would have written. Only without a cache: a
 * watcher's pages are keyed and replayed on the main thread.
 *
 * Measured on the sample's one-edition --only pdf (callgrind): the
 * critical thread's PDF work (rc_pdf_write_cached less the layout) went
 * from 30.0 M to about 17.5 M instructions (with the packer's helper,
 * pdf_zpipe.c); all threads together 2 M fewer (the printf-free numbers
 * pay for the copy and the second walk); about 150-200 more page faults
 * (the blocks, the worker's buffers). When the worker has not started a
 * page by the time the main thread needs them all (a busy machine), the
 * main thread draws it itself (rc_pdf_zip_drain). */
#include <stdlib.h>
#include <string.h>

#include "pdf_int.h"
#include "pdf_text.h"

/* Groups nest figures inside pages (as pdf_draw.c's MAX_DEPTH). */
#define MAX_DEPTH 16

/* The head of a block; the rest follows it: ops, kern and lig pointers,
 * path points, kerning, then bytes. */
typedef struct flat {
    rc_draw_list list;
    const float **kern;
    const uint8_t **lig;
    unsigned char *codes[RC_FONT_COUNT];
    int64_t *asciiw[RC_FONT_COUNT];
    const rc_fonts *fonts;
    int fgroup[RC_FONT_COUNT];
} flat;

typedef struct sizes {
    size_t ops, segs, floats, bytes;
} sizes;

/* What draw_text shows (the rest it skips before shaping). */
static bool shown(const rc_draw_op *op)
{
    return (unsigned)op->font < RC_FONT_COUNT && op->len > 0 && op->size > 0;
}

/* The font of a text fill shapes (NULL: none, as fill). */
static const rc_font *shaped_font(const rc_pdf *p, const rc_draw_op *op)
{
    return shown(op) && p->fonts ? p->fonts->f[op->font] : NULL;
}

/* Sizes the block; with pg, names the texts fill will shape, in its order. */
static void count(const rc_pdf *p, const rc_draw_list *l, int depth, sizes *z, rc_shown_page *pg)
{
    if (!l || depth > MAX_DEPTH) return;
    for (size_t i = 0; i < l->ops.n; i++) {
        const rc_draw_op *op = &l->ops.v[i];
        switch (op->kind) {
        case RC_DRAW_TEXT: {
            z->ops++;
            z->bytes += op->len + (op->actual ? strlen(op->actual) + 1 : 0) + op->len;
            z->floats += op->len;
            const rc_font *rf = pg ? shaped_font(p, op) : NULL;
            if (rf) rc_shown_page_add(pg, rf, op->text, op->len);
            break;
        }
        case RC_DRAW_PATH:
            z->ops++;
            z->segs += op->nsegs;
            break;
        case RC_DRAW_RECT:
        case RC_DRAW_LINE:
            z->ops++;
            break;
        case RC_DRAW_GROUP:
            count(p, op->group, depth + 1, z, pg);
            break;
        default: /* links and destinations: the main thread's */
            break;
        }
    }
}

typedef struct filler {
    rc_pdf *p;
    flat *f;
    rc_draw_op *ops;
    size_t n;
    rc_path_seg *segs;
    float *fl;
    char *b;
    rc_shown_page *pg; /* the page's texts: found (with found), or kept */
    bool found;
    size_t ntext; /* texts shaped so far */
} filler;

static void fill(filler *w, const rc_draw_list *l, double ox, double oy, int depth,
                 const rc_tag *inherit)
{
    if (!l || depth > MAX_DEPTH) return;
    rc_pdf *p = w->p;
    for (size_t i = 0; i < l->ops.n; i++) {
        const rc_draw_op *op = &l->ops.v[i];
        if (op->kind == RC_DRAW_GROUP) {
            fill(w, op->group, ox + op->x, oy + op->y, depth + 1, op->tag ? op->tag : inherit);
            continue;
        }
        if (op->kind != RC_DRAW_TEXT && op->kind != RC_DRAW_RECT && op->kind != RC_DRAW_LINE &&
            op->kind != RC_DRAW_PATH)
            continue;
        size_t k = w->n++;
        rc_draw_op *o = &w->ops[k];
        *o = *op;
        o->tag = op->tag ? op->tag : inherit;
        /* the sums draw_list makes (x + 0 is x, -0 aside, which prints as 0) */
        o->x = op->x + ox;
        o->y = op->y + oy;
        w->f->kern[k] = NULL;
        w->f->lig[k] = NULL;
        if (op->kind == RC_DRAW_LINE) {
            o->x2 = op->x2 + ox;
            o->y2 = op->y2 + oy;
        } else if (op->kind == RC_DRAW_PATH) {
            o->segs = w->segs;
            for (size_t s = 0; s < op->nsegs; s++) {
                rc_path_seg g = op->segs[s];
                g.x += ox, g.y += oy, g.x1 += ox, g.y1 += oy, g.x2 += ox, g.y2 += oy;
                *w->segs++ = g;
            }
        } else if (op->kind == RC_DRAW_TEXT) {
            o->text = memcpy(w->b, op->text, op->len);
            w->b += op->len;
            if (op->actual) {
                size_t n = strlen(op->actual) + 1;
                o->actual = memcpy(w->b, op->actual, n);
                w->b += n;
            }
            if (!shown(op)) continue;
            const rc_font *rf = shaped_font(p, op);
            const float *kern = NULL;
            const uint8_t *lig = NULL;
            if (rf && w->found) {
                rc_shown_page_get(w->pg, w->ntext++, &kern, &lig);
            } else if (rf) {
                rc_font_shaped(rf, op->text, op->len, &kern, &lig);
                rc_shown_page_set(w->pg, w->ntext++, kern, lig);
            }
            if (!rc_pdf_show_ready(p, op->font, rf, op->text, op->len, lig))
                rc_pdf_show_prepare(p, op->font, rf, op->text, op->len, lig);
            if (kern) { /* (a long text's is the shaper's scratch) */
                w->f->kern[k] = memcpy(w->fl, kern, op->len * sizeof *kern);
                w->fl += op->len;
            }
            if (lig) {
                w->f->lig[k] = memcpy(w->b, lig, op->len);
                w->b += op->len;
            }
        }
    }
}

/* Rounds n up to a multiple of the alignment of any object. */
static size_t up(size_t n)
{
    size_t al = _Alignof(max_align_t);
    return (n + al - 1) / al * al;
}

bool rc_pdf_drawjob_submit(rc_pdf *p, size_t index, const rc_draw_list *l, size_t blob, size_t pfi,
                           const unsigned char *key, size_t kn)
{
    sizes z = {0};
    rc_shown_page *pg = rc_shown_page_begin(p->spage, index) ? p->spage : NULL;
    count(p, l, 0, &z, pg);
    bool found = rc_shown_page_find(pg);
    size_t at_ops = up(sizeof(flat)), at_kern = at_ops + up(z.ops * sizeof(rc_draw_op));
    size_t at_lig = at_kern + up(z.ops * sizeof(float *));
    size_t at_segs = at_lig + up(z.ops * sizeof(uint8_t *));
    size_t at_fl = at_segs + up(z.segs * sizeof(rc_path_seg));
    size_t at_b = at_fl + up(z.floats * sizeof(float)), total = at_b + z.bytes;
    size_t cap = 0;
    char *m = rc_pdf_zip_block(p, total, &cap);
    if (!m) {
        rc_shown_page_end(pg); /* (the page is not drawn: nothing is kept) */
        return false;
    }
    flat *f = (flat *)m;
    memset(f, 0, sizeof *f);
    f->kern = (const float **)(m + at_kern);
    f->lig = (const uint8_t **)(m + at_lig);
    filler w = {p,
                f,
                (rc_draw_op *)(m + at_ops),
                0,
                (rc_path_seg *)(m + at_segs),
                (float *)(m + at_fl),
                m + at_b,
                pg,
                found,
                0};
    fill(&w, l, 0, 0, 0, NULL);
    rc_shown_page_end(pg);
    f->list.ops.v = w.ops;
    f->list.ops.n = f->list.ops.cap = w.n;
    /* the tables as they are now: the worker shows text with them */
    memcpy(f->codes, p->codes, sizeof f->codes);
    memcpy(f->asciiw, p->asciiw, sizeof f->asciiw);
    f->fonts = p->fonts;
    memcpy(f->fgroup, p->fgroup, sizeof f->fgroup);
    if (!rc_pdf_zip_draw(p, blob, m, cap, index, pfi, key, kn)) {
        free(m);
        return false;
    }
    return true;
}

void rc_pdf_drawjob_run(rc_pdf *wp, void *block, size_t index, rc_pdf_pagefonts *pf,
                        unsigned char *const codes[RC_FONT_COUNT])
{
    flat *f = block;
    memcpy(wp->codes, codes ? codes : f->codes, sizeof wp->codes);
    memcpy(wp->asciiw, f->asciiw, sizeof wp->asciiw);
    wp->fonts = f->fonts;
    memcpy(wp->fgroup, f->fgroup, sizeof wp->fgroup);
    wp->worker = true;
    wp->wops = f->list.ops.v;
    wp->wkern = f->kern;
    wp->wlig = f->lig;
    rc_pdf_draw_content(wp, index, &f->list, pf);
}
