/* pdf_pagekey: the cache key of a page's content stream, for a watcher
 * (pdf_cache.c, RC_PDF_CK_PAGE). A one-word edit changes the content of one
 * or two pages; the others would be formatted again byte for byte (a third
 * of the PDF writer's instructions). With this key, a page whose key is in
 * the cache is drawn dry (pdf_draw.c: every effect of drawing but the bytes:
 * the codes shown, the structure tree's marked content, links,
 * destinations, font resources) and its content taken from the cache.
 *
 * The key is everything the content bytes are made of, as raw bytes rather
 * than formatted: per op of the display list (groups entered as drawing
 * enters them) its kind and the fields draw_list reads for it (positions,
 * sizes, colours, strokes, dashes, path segments, the text and its
 * /ActualText), and its structure element, numbered in order of first use
 * on the page (a sequence's MCID is its rank on the page, and only whether
 * two ops share an element changes the operators; the element's type names
 * the sequence). The head holds what is the same for every page of one
 * write: the faces drawn from (the font objects whose kerning and
 * ligatures text_show writes, with their files' signatures, so a font
 * loaded again from a changed file is a new key) and which faces share a
 * font resource. Keys are compared byte for byte, so a page taken from the
 * cache is the page drawing would write. Whatever draw_list comes to read
 * of an op must be added here too. */
#include <string.h>

#include "pdf_int.h"
#include "rc/util.h"

/* Groups nest figures inside pages; as deep as draw_list goes. */
#define MAX_DEPTH 16

typedef struct kb {
    rc_pdf *p;
    size_t *seen; /* element indices in order of first use on the page */
    size_t nseen, capseen;
    const rc_tag *last;
    uint32_t last_id;
} kb;

/* Room for n more bytes at p->key + p->kn. */
static inline void reserve(rc_pdf *p, size_t n)
{
    if (p->kn + n <= p->kcap) return;
    size_t nc = p->kcap ? p->kcap : 1 << 14;
    while (nc < p->kn + n)
        nc *= 2;
    p->key = rc_arena_grow_raw(p->a, p->key, p->kn, nc, 1); /* every byte is put before read */
    p->kcap = nc;
}

static inline void put(rc_pdf *p, const void *s, size_t n)
{
    reserve(p, n);
    memcpy(p->key + p->kn, s, n);
    p->kn += n;
}

static void put_d(rc_pdf *p, double v)
{
    put(p, &v, sizeof v);
}

static void put_u(rc_pdf *p, uint64_t v)
{
    put(p, &v, sizeof v);
}

static void put_rgb(rc_pdf *p, rc_rgb c)
{
    double v[3] = {c.r, c.g, c.b};
    put(p, v, sizeof v);
}

static void put_bytes(rc_pdf *p, const char *s, size_t n)
{
    put_u(p, s ? n : UINT64_MAX);
    if (s && n) put(p, s, n);
}

/* The element's rank on the page (first use) and its type, into v. */
static void tag_of(kb *k, const rc_tag *t, uint32_t v[2])
{
    if (!t) {
        v[0] = v[1] = UINT32_MAX;
        return;
    }
    uint32_t id;
    if (t == k->last) {
        id = k->last_id;
    } else {
        size_t i = k->nseen;
        while (i > 0 && k->seen[i - 1] != t->index)
            i--;
        if (i == 0) {
            if (k->nseen == k->capseen) {
                size_t nc = k->capseen ? 2 * k->capseen : 64;
                k->seen = rc_arena_grow(k->p->a, k->seen, k->capseen, nc, sizeof *k->seen);
                k->capseen = nc;
            }
            k->seen[k->nseen++] = t->index;
            i = k->nseen;
        }
        id = (uint32_t)(i - 1);
        k->last = t;
        k->last_id = id;
    }
    v[0] = id;
    v[1] = (uint32_t)t->type;
}

static void put_tag(kb *k, const rc_tag *t)
{
    uint32_t v[2];
    tag_of(k, t, v);
    put(k->p, v, sizeof v);
}

static void stroke(rc_pdf *p, const rc_draw_op *op)
{
    uint8_t b[2] = {op->fill, op->stroke};
    put(p, b, sizeof b);
    put_rgb(p, op->fill_rgb);
    put_rgb(p, op->stroke_rgb);
    put_d(p, op->line_width);
    put_d(p, op->dash);
}

static void list(kb *k, const rc_draw_list *l, int depth, const rc_tag *inherit)
{
    rc_pdf *p = k->p;
    if (!l || depth > MAX_DEPTH) {
        put_u(p, 0xDEAD);
        return;
    }
    put_u(p, l->ops.n);
    for (size_t i = 0; i < l->ops.n; i++) {
        const rc_draw_op *op = &l->ops.v[i];
        const rc_tag *tag = op->tag ? op->tag : inherit;
        uint8_t kind = op->kind;
        put(p, &kind, 1);
        switch (op->kind) {
        case RC_DRAW_TEXT: { /* most ops: one record, then the bytes */
            struct {
                uint32_t tag[2];
                double size, x, y, r, g, b;
                uint64_t len, alen;
                uint8_t font, fill, has_text, pad[5];
            } rec;
            memset(&rec, 0, sizeof rec);
            tag_of(k, tag, rec.tag);
            const char *actual = tag ? op->actual : NULL;
            rec.size = op->size;
            rec.x = op->x;
            rec.y = op->y;
            rec.r = op->fill_rgb.r;
            rec.g = op->fill_rgb.g;
            rec.b = op->fill_rgb.b;
            rec.len = op->len;
            rec.alen = actual ? strlen(actual) : UINT64_MAX;
            rec.font = op->font;
            rec.fill = op->fill;
            rec.has_text = op->text != NULL;
            size_t tn = op->text ? op->len : 0, an = actual ? (size_t)rec.alen : 0;
            reserve(p, sizeof rec + tn + an); /* one check for the record and its bytes */
            unsigned char *o = p->key + p->kn;
            memcpy(o, &rec, sizeof rec);
            if (tn) memcpy(o + sizeof rec, op->text, tn);
            if (an) memcpy(o + sizeof rec + tn, actual, an);
            p->kn += sizeof rec + tn + an;
            break;
        }
        case RC_DRAW_RECT:
            put_tag(k, tag);
            put_d(p, op->x);
            put_d(p, op->y);
            put_d(p, op->w);
            put_d(p, op->h);
            stroke(p, op);
            break;
        case RC_DRAW_LINE:
            put_tag(k, tag);
            put_d(p, op->x);
            put_d(p, op->y);
            put_d(p, op->x2);
            put_d(p, op->y2);
            stroke(p, op);
            break;
        case RC_DRAW_PATH:
            put_tag(k, tag);
            put_u(p, op->nsegs);
            for (size_t s = 0; s < op->nsegs; s++) {
                const rc_path_seg *g = &op->segs[s];
                double v[7] = {(double)g->op, g->x1, g->y1, g->x2, g->y2, g->x, g->y};
                put(p, v, sizeof v);
            }
            stroke(p, op);
            break;
        case RC_DRAW_LINK:
        case RC_DRAW_DEST: /* no content: their effects are drawn dry */
            break;
        case RC_DRAW_GROUP:
            put_d(p, op->x);
            put_d(p, op->y);
            list(k, op->group, depth + 1, tag);
            break;
        }
    }
}

void rc_pdf_page_key_head(rc_pdf *p)
{
    p->khead = 0;
    if (!p->cache) return;
    p->kn = 0;
    put(p, "rc-page-1", 9);
    for (int i = 0; i < RC_FONT_COUNT; i++) {
        const rc_font *f = p->fonts ? p->fonts->f[i] : NULL;
        const char *path = f ? rc_font_path(f) : NULL;
        rc_file_sig sig = rc_file_sig_of(path ? path : "");
        int64_t id[6] = {(int64_t)(uintptr_t)f, p->fgroup[i],      (int64_t)sig.dev,
                         (int64_t)sig.ino,      (int64_t)sig.size, sig.mtime_ns};
        put(p, id, sizeof id);
        put_bytes(p, path, path ? strlen(path) : 0);
    }
    p->khead = p->kn;
}

const unsigned char *rc_pdf_page_key(rc_pdf *p, const rc_draw_list *l, size_t *n)
{
    if (!p->cache || !p->khead) return NULL;
    p->kn = p->khead;
    kb k = {.p = p};
    list(&k, l, 0, NULL);
    *n = p->kn;
    return p->key;
}

/* ---- the value: the page's content and what drawing it told ---- */

/* The value of a page entry: the content bytes, the page's font resources
 * in order (rc_pdf_pagefonts) and the codes it showed per face, which a
 * page drawn dry adds to the document's without shaping its text again. */
typedef struct vhead {
    uint64_t content;
    uint32_t ncodes;
    uint8_t nfonts, order[RC_FONT_COUNT];
} vhead;

void rc_pdf_page_record_begin(rc_pdf *p)
{
    for (int f = 0; f < RC_FONT_COUNT; f++) {
        if (!p->pcodes[f]) p->pcodes[f] = rc_arena_alloc(p->a, RC_PDF_CODESET_BYTES);
        memset(p->pcodes[f], 0, RC_PDF_CODESET_BYTES);
    }
    p->pcodes_on = true;
}

void rc_pdf_page_record_end(rc_pdf *p, const unsigned char *key, size_t kn,
                            const rc_pdf_pagefonts *pf)
{
    p->pcodes_on = false;
    vhead h;
    memset(&h, 0, sizeof h);
    h.content = p->cn;
    h.nfonts = pf->n;
    memcpy(h.order, pf->order, sizeof h.order);
    for (int f = 0; f < RC_FONT_COUNT; f++)
        for (size_t b = 0; b < RC_PDF_CODESET_BYTES; b += 8) {
            uint64_t w;
            memcpy(&w, p->pcodes[f] + b, 8);
            h.ncodes += (uint32_t)__builtin_popcountll(w);
        }
    size_t n = sizeof h + p->cn + (size_t)h.ncodes * 3;
    unsigned char *v = rc_arena_alloc(p->a, n), *o = v;
    memcpy(o, &h, sizeof h);
    o += sizeof h;
    if (p->cn) memcpy(o, p->cs, p->cn);
    o += p->cn;
    for (int f = 0; f < RC_FONT_COUNT; f++)
        for (uint32_t b = 0; b < RC_PDF_CODESET_BYTES; b++)
            for (uint32_t bit = 0; p->pcodes[f][b] && bit < 8; bit++)
                if (p->pcodes[f][b] >> bit & 1) { /* ascending codes, face by face */
                    uint32_t c = b * 8 + bit;
                    *o++ = (unsigned char)f;
                    *o++ = (unsigned char)(c >> 8);
                    *o++ = (unsigned char)c;
                }
    rc_pdf_cache_put(p->cache, RC_PDF_CK_PAGE, key, kn, v, n);
}

bool rc_pdf_page_replay(rc_pdf *p, const unsigned char *v, size_t n, rc_pdf_pagefonts *pf,
                        const unsigned char **content, size_t *cn)
{
    vhead h;
    if (n < sizeof h) return false;
    memcpy(&h, v, sizeof h);
    if (h.content > n - sizeof h || (n - sizeof h - h.content) / 3 < h.ncodes ||
        h.nfonts > RC_FONT_COUNT)
        return false;
    *content = v + sizeof h;
    *cn = (size_t)h.content;
    pf->n = h.nfonts;
    memcpy(pf->order, h.order, sizeof pf->order);
    const unsigned char *c = v + sizeof h + h.content;
    for (uint32_t i = 0; i < h.ncodes; i++, c += 3) {
        unsigned f = c[0], code = (unsigned)c[1] << 8 | c[2];
        if (f >= RC_FONT_COUNT) continue;
        if (!p->codes[f]) p->codes[f] = rc_arena_alloc(p->a, RC_PDF_CODESET_BYTES);
        rc_pdf_code_mark(p->codes[f], code);
    }
    return true;
}
