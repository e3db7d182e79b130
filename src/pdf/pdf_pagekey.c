/* pdf_pagekey: the cache key of a page's content stream, for a watcher
 * (pdf_cache.c, RC_PDF_CK_PAGE) and for a build (the pages' memo, below).
 * A one-word edit changes the content of one or two pages; the others
 * would be formatted again byte for byte (a third of the PDF writer's
 * instructions). With this key, a page whose key is in the cache is drawn
 * dry (pdf_draw.c: every effect of drawing but the bytes: the structure
 * tree's marked content, links, destinations) and its content, font
 * resources and the codes it shows are taken from the cache.
 *
 * The key is everything the content bytes are made of, as raw bytes rather
 * than formatted: per op of the display list (groups entered as drawing
 * enters them) its kind and the fields draw_list reads for it (positions,
 * sizes, colours, strokes, dashes, path segments, the text and its
 * /ActualText), and its structure element, numbered in order of first use
 * on the page (a sequence's MCID is its rank on the page, and only whether
 * two ops share an element changes the operators; the element's type names
 * the sequence). The head holds what is the same for every page of one
 * write: the faces drawn from (a watcher's: the font objects whose kerning
 * and ligatures text_show writes, with their files' signatures, so a font
 * loaded again from a changed file is a new key; a build's: the files'
 * signatures and HarfBuzz's identity, rc_fonts_digest, in the memo file's
 * key) and which faces share a font resource. Keys are compared byte for
 * byte, so a page taken from the cache is the page drawing would write.
 * Whatever draw_list comes to read of an op must be added here too.
 *
 * A build's pages' memo (rc/zmemo.h, CACHEDIR/pages, one file per PDF):
 * page key -> the page's content deflated, its font resources, the codes
 * it shows and the characters of its ligature codes. A rebuild finds every
 * unchanged page there and neither shapes, copies, draws nor deflates it:
 * on the sample's three editions, warm, 167 M instructions became 122 M
 * (the deflating thread's drawing, 36 M, and the main thread's flat
 * copies, pdf_drawjob.c) and the build 27.6 ms -> 23.9 ms (31 paired
 * rounds); a page not found is drawn as before (on the deflating thread)
 * and kept. The codes of the pages found are marked in the document's
 * sets once drawing is over (rc_pdf_page_marks: the deflating thread marks
 * them meanwhile); their ligatures' characters are given to the faces'
 * shapers first (a shaper loaded from the facts knows none), and a page
 * whose characters differ from the shaper's is drawn. Pages are keyed in
 * order while their keys fit in a quarter of the file (the sample's: 0.3
 * MB a PDF; the 1,006-page document of bench/gen-pages.py keeps its first
 * pages). The file's key holds the faces' files and HarfBuzz
 * (rc_fonts_digest: none, and no memo, for a face changed under two
 * seconds ago), the compressor and reportc's executable. */
#include <libdeflate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdf_int.h"
#include "rc/font.h"
#include "rc/util.h"
#include "rc/zmemo.h"

/* Groups nest figures inside pages; as deep as draw_list goes. */
#define MAX_DEPTH 16

/* What the last TEXT op of the page wrote (see the TEXT case of list). */
typedef struct tstyle {
    double size, r, g, b;
    uint8_t font, fill;
} tstyle;

typedef struct kb {
    rc_pdf *p;
    size_t *seen; /* element indices in order of first use on the page */
    size_t nseen, capseen;
    const rc_tag *last;
    uint32_t last_id;
    /* the last TEXT op's style, baseline and element (valid once have) */
    bool have;
    tstyle style;
    double y;
    uint32_t tag[2];
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
        case RC_DRAW_TEXT: { /* most ops (a word each): a short record, then the bytes */
            /* A flags byte, then what differs from the page's last TEXT
             * op: its style (size, colour, face, fill: the same for most
             * words), its element (the same along a paragraph) and its
             * baseline (the same along a line), compared bit for bit;
             * then x, the lengths (LEB128) and the bytes. The same fields
             * as a fixed record of each, in under a third of the bytes
             * (the sample's keys: about 29 KB a page, now 8.9): the key
             * is compared whole and kept in the pages' memo of a build. */
            tstyle st;
            memset(&st, 0, sizeof st);
            st.size = op->size;
            st.r = op->fill_rgb.r;
            st.g = op->fill_rgb.g;
            st.b = op->fill_rgb.b;
            st.font = (uint8_t)op->font;
            st.fill = op->fill;
            uint32_t tg[2];
            tag_of(k, tag, tg);
            const char *actual = tag ? op->actual : NULL;
            size_t tn = op->text ? op->len : 0, an = actual ? strlen(actual) : 0;
            uint8_t fl = (uint8_t)((op->text ? 1 : 0) | (actual ? 2 : 0));
            bool same_style = k->have && memcmp(&st, &k->style, sizeof st) == 0;
            bool same_tag = k->have && tg[0] == k->tag[0] && tg[1] == k->tag[1];
            bool same_y = k->have && memcmp(&op->y, &k->y, sizeof op->y) == 0;
            fl |= (uint8_t)((same_style ? 4 : 0) | (same_tag ? 8 : 0) | (same_y ? 16 : 0));
            reserve(p, 1 + sizeof st + sizeof tg + 16 + 20 + tn + an); /* one check */
            unsigned char *o = p->key + p->kn;
            *o++ = fl;
            if (!same_style) memcpy(o, &st, sizeof st), o += sizeof st;
            if (!same_tag) memcpy(o, tg, sizeof tg), o += sizeof tg;
            memcpy(o, &op->x, sizeof op->x), o += sizeof op->x;
            if (!same_y) memcpy(o, &op->y, sizeof op->y), o += sizeof op->y;
            for (uint64_t v = op->len;; v >>= 7) { /* LEB128 */
                *o++ = (unsigned char)((v & 0x7F) | (v > 0x7F ? 0x80 : 0));
                if (v <= 0x7F) break;
            }
            for (uint64_t v = an; actual; v >>= 7) {
                *o++ = (unsigned char)((v & 0x7F) | (v > 0x7F ? 0x80 : 0));
                if (v <= 0x7F) break;
            }
            if (tn) memcpy(o, op->text, tn), o += tn;
            if (an) memcpy(o, actual, an), o += an;
            p->kn = (size_t)(o - p->key);
            k->have = true;
            k->style = st;
            k->y = op->y;
            k->tag[0] = tg[0], k->tag[1] = tg[1];
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

/* What the pages' memo's key says of how content is deflated (as the
 * deflate memo's, pdf_zip.c). */
#define STR_(x) #x
#define STR(x) STR_(x)
#define PAGES_CODER "zlib/libdeflate-" LIBDEFLATE_VERSION_STRING "/level-" STR(RC_PDF_ZLEVEL)

/* A build's head: the fonts' files and HarfBuzz (rc_fonts_digest: the
 * kerning and ligatures drawing shows come from them; the widths of /W
 * too) in the memo's key, which also holds reportc's executable; here
 * which faces share a font resource. No memo without a digest (a face not
 * from a file, or one changed under two seconds ago). */
static void build_head(rc_pdf *p)
{
    uint64_t fd = rc_fonts_digest(p->fonts);
    if (!fd || !p->path) return;
    char coder[128];
    snprintf(coder, sizeof coder, "page1 fonts %016llx " PAGES_CODER, (unsigned long long)fd);
    p->pmemo =
        rc_zmemo_open_in("pages", p->path, "pdfpage", coder, (rc_zmemo_fn)libdeflate_zlib_compress);
    if (!p->pmemo) return;
    p->kn = 0;
    put(p, "rc-page-disk-1", 14);
    for (int i = 0; i < RC_FONT_COUNT; i++)
        put_u(p, (uint64_t)(int64_t)p->fgroup[i]);
    p->khead = p->kn;
}

void rc_pdf_page_key_head(rc_pdf *p)
{
    p->khead = 0;
    if (!p->cache) {
        build_head(p);
        return;
    }
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
    if (!p->khead || p->pfull) return NULL;
    p->kn = p->khead;
    kb k = {.p = p};
    list(&k, l, 0, NULL);
    *n = p->kn;
    /* a build's pages are keyed in order while their keys take at most a
     * quarter of what the memo holds, as the shown texts' pages (the
     * sample's 35 pages: about 0.3 MB; a long document keeps its first
     * pages, and those after them are drawn as without the memo, not keyed
     * again: the file is mapped whole, and counts in the build's memory) */
    if (p->pmemo && (p->pkeyed += p->kn) > rc_zmemo_max(p->pmemo) / 4) {
        p->pfull = true;
        return NULL;
    }
    return p->key;
}

/* ---- the value: the page's content and what drawing it told ---- */

/* The value of a page entry: the content bytes, the page's font resources
 * in order (rc_pdf_pagefonts) and the codes it showed per face, which a
 * page drawn dry adds to the document's without shaping its text again. */
typedef struct vhead {
    uint64_t content;
    uint32_t ncodes, ltext;
    uint8_t nfonts, order[RC_FONT_COUNT];
} vhead;

/* After the codes, the characters of each ligature code among them (1 ..
 * RC_FONT_MAXLIG), in their order: a byte n, then n bytes (ltext in all).
 * A page drawn dry shows them without shaping, so a build's shaper may not
 * have them yet (the ToUnicode CMap and the /W widths need them). NULL
 * when the face's shaper does not have them (then 0 bytes). */
static const char *lig_text(const rc_fonts *fs, int f, uint32_t c)
{
    uint16_t g;
    const char *t = NULL;
    if (c < 1 || c > RC_FONT_MAXLIG || !fs || !fs->f[f]) return NULL;
    if (!rc_font_ligature(fs->f[f], c, &g, &t) || strlen(t) > 255) return NULL;
    return t;
}

void rc_pdf_page_record_begin(rc_pdf *p)
{
    for (int f = 0; f < RC_FONT_COUNT; f++) {
        if (!p->pcodes[f]) p->pcodes[f] = rc_arena_alloc(p->a, RC_PDF_CODESET_BYTES); /* (zeroed) */
        if (!p->pwords[f])
            p->pwords[f] = rc_arena_array(p->a, RC_PDF_CODESET_WORDS, sizeof *p->pwords[f]);
    }
    rc_pdf_page_codes_clear(p);
    p->pcodes_on = true;
}

void rc_pdf_page_codes_clear(rc_pdf *dp)
{
    for (int f = 0; f < RC_FONT_COUNT; f++) {
        for (size_t i = 0; i < dp->npwords[f]; i++)
            memset(dp->pcodes[f] + (size_t)dp->pwords[f][i] * 8, 0, 8);
        dp->npwords[f] = 0;
    }
}

/* Word w of a code set, code 64w + k at bit k. */
static inline uint64_t word_of(const unsigned char *set, uint16_t w)
{
    const unsigned char *b = set + (size_t)w * 8;
    uint64_t x = 0;
    for (int k = 7; k >= 0; k--)
        x = x << 8 | b[k];
    return x;
}

/* Sorts a face's marked words ascending (a few dozen: insertion). */
static void sort_words(uint16_t *w, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        uint16_t v = w[i];
        size_t k = i;
        for (; k > 0 && w[k - 1] > v; k--)
            w[k] = w[k - 1];
        w[k] = v;
    }
}

/* Runs body for each code c of dp's page sets (face f), ascending, face
 * by face (the words sorted first: value_head). */
#define EACH_CODE(dp, f, c, body)                                                                  \
    for (int f = 0; f < RC_FONT_COUNT; f++)                                                        \
        for (size_t i_ = 0; i_ < (dp)->npwords[f]; i_++) {                                         \
            uint64_t x_ = word_of((dp)->pcodes[f], (dp)->pwords[f][i_]);                           \
            for (; x_; x_ &= x_ - 1) {                                                             \
                uint32_t c = (uint32_t)(dp)->pwords[f][i_] * 64 + (uint32_t)__builtin_ctzll(x_);   \
                body                                                                               \
            }                                                                                      \
        }

/* The value's head for content of cn bytes (dp's page sets sorted), and
 * its size. */
static size_t value_head(const rc_pdf *dp, const rc_pdf_pagefonts *pf, size_t cn, vhead *h)
{
    memset(h, 0, sizeof *h);
    h->content = cn;
    h->nfonts = pf->n;
    memcpy(h->order, pf->order, sizeof h->order);
    for (int f = 0; f < RC_FONT_COUNT; f++)
        sort_words(dp->pwords[f], dp->npwords[f]);
    EACH_CODE(dp, f, c, {
        h->ncodes++;
        if (c >= 1 && c <= RC_FONT_MAXLIG) {
            const char *t = lig_text(dp->fonts, f, c);
            h->ltext += 1 + (uint32_t)(t ? strlen(t) : 0);
        }
    })
    return sizeof *h + cn + (size_t)h->ncodes * 3 + h->ltext;
}

static void value_fill(unsigned char *o, const vhead *h, const rc_pdf *dp, const void *content)
{
    memcpy(o, h, sizeof *h);
    o += sizeof *h;
    if (h->content) memcpy(o, content, (size_t)h->content);
    o += h->content;
    EACH_CODE(dp, f, c, { /* ascending codes, face by face */
                          *o++ = (unsigned char)f;
                          *o++ = (unsigned char)(c >> 8);
                          *o++ = (unsigned char)c;
    })
    EACH_CODE(dp, f, c, {
        if (c >= 1 && c <= RC_FONT_MAXLIG) {
            const char *t = lig_text(dp->fonts, f, c);
            size_t n = t ? strlen(t) : 0;
            *o++ = (unsigned char)n;
            if (n) memcpy(o, t, n);
            o += n;
        }
    })
}

void rc_pdf_page_record_end(rc_pdf *p, const unsigned char *key, size_t kn,
                            const rc_pdf_pagefonts *pf)
{
    p->pcodes_on = false;
    vhead h;
    size_t n = value_head(p, pf, p->cn, &h);
    unsigned char *v = rc_arena_alloc(p->a, n);
    value_fill(v, &h, p, p->cs);
    rc_pdf_cache_put(p->cache, RC_PDF_CK_PAGE, key, kn, v, n);
}

unsigned char *rc_pdf_page_value(const rc_pdf *dp, const rc_pdf_pagefonts *pf, const void *z,
                                 size_t zn, size_t *n)
{
    vhead h;
    *n = value_head(dp, pf, zn, &h);
    unsigned char *v = malloc(*n);
    if (v) value_fill(v, &h, dp, z);
    return v;
}

/* A build's page from the memo: the characters of its ligature codes
 * (after its ncodes codes c, ltext bytes) are those the faces have, or
 * are taken now; false (the page is drawn) when one differs, is not one
 * of the face's codes, or the bytes do not add up. Checked whole before
 * any is taken. */
static bool take_ligatures(rc_pdf *p, const unsigned char *c, uint32_t ncodes, uint32_t ltext)
{
    const unsigned char *t = c + (size_t)ncodes * 3, *e = t + ltext;
    for (int pass = 0; pass < 2; pass++) {
        const unsigned char *x = t;
        for (uint32_t i = 0; i < ncodes; i++) {
            unsigned f = c[3 * i], code = (unsigned)c[3 * i + 1] << 8 | c[3 * i + 2];
            if (f >= RC_FONT_COUNT || code < 1 || code > RC_FONT_MAXLIG) continue;
            if (x >= e || (size_t)(e - x - 1) < *x) return false;
            size_t len = *x++;
            const rc_font *rf = p->fonts ? p->fonts->f[f] : NULL;
            uint16_t g;
            const char *had = NULL;
            if (!rf || len == 0) return false;
            if (pass == 0 && rc_font_ligature(rf, code, &g, &had) &&
                (strlen(had) != len || memcmp(had, x, len) != 0))
                return false;
            if (pass == 1 && !rc_font_ligature_take(rf, code, (const char *)x, len)) return false;
            x += len;
        }
        if (x != e) return false;
    }
    return true;
}

bool rc_pdf_page_replay(rc_pdf *p, const unsigned char *v, size_t n, rc_pdf_pagefonts *pf,
                        const unsigned char **content, size_t *cn)
{
    vhead h;
    if (n < sizeof h) return false;
    memcpy(&h, v, sizeof h);
    if (h.content > n - sizeof h || (n - sizeof h - h.content) / 3 < h.ncodes ||
        n - sizeof h - h.content - (size_t)h.ncodes * 3 != h.ltext || h.nfonts > RC_FONT_COUNT ||
        (p->pmemo && h.content == 0)) /* (a build's content is deflated: never empty) */
        return false;
    if (p->pmemo && !take_ligatures(p, v + sizeof h + h.content, h.ncodes, h.ltext)) return false;
    *content = v + sizeof h;
    *cn = (size_t)h.content;
    pf->n = h.nfonts;
    memcpy(pf->order, h.order, sizeof pf->order);
    const unsigned char *c = v + sizeof h + h.content;
    if (p->pmemo) { /* a build's: marked once the worker is done (rc_pdf_page_marks) */
        RC_PUSH(p->a, p->pend, ((rc_pdf_marks){c, h.ncodes}));
        return true;
    }
    for (uint32_t i = 0; i < h.ncodes; i++, c += 3) {
        unsigned f = c[0], code = (unsigned)c[1] << 8 | c[2];
        if (f >= RC_FONT_COUNT) continue;
        if (!p->codes[f]) p->codes[f] = rc_arena_alloc(p->a, RC_PDF_CODESET_BYTES);
        rc_pdf_code_mark(p->codes[f], code);
    }
    return true;
}

void rc_pdf_page_marks(rc_pdf *p)
{
    for (size_t k = 0; k < p->pend.n; k++) {
        const unsigned char *c = p->pend.v[k].c;
        for (size_t i = 0; i < p->pend.v[k].n; i++, c += 3) {
            unsigned f = c[0], code = (unsigned)c[1] << 8 | c[2];
            if (f >= RC_FONT_COUNT) continue;
            if (!p->codes[f]) p->codes[f] = rc_arena_alloc(p->a, RC_PDF_CODESET_BYTES);
            rc_pdf_code_mark(p->codes[f], code);
        }
    }
    p->pend.n = 0;
}
