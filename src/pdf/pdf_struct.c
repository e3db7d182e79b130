/* pdf_struct: the structure tree of a tagged PDF (ISO 32000-1 14.7-14.8,
 * PDF/UA-1). Layout hands over the elements in reading order (rc/tag.h)
 * and every display-list op points at its element; while pages are drawn
 * each marked-content sequence gets an MCID here, and each link annotation
 * an OBJR in its Link element. At the end the elements that hold content
 * (or a descendant that does, or are cells of a row that does) become
 * StructElem dictionaries:
 *
 * - a container's children come in creation order (the document's order,
 *   so a figure deferred to the next page is still read where its source
 *   put it), but an element with content of its own (a P with a Link or a
 *   Note inside) lists content and children in drawing order;
 * - /Pg is the page of an element's first marked content; content on other
 *   pages is referenced through MCR dictionaries;
 * - the ParentTree maps each page's MCIDs (key: the page index, the page's
 *   /StructParents) and each annotation (keys after the pages) back to
 *   the element, as readers need for hit testing.
 *
 * Objects are made in a fixed order (elements by creation index), so the
 * bytes are the same for the same input. The tree is written as text
 * (rc_pdf_raw, pdf_objstm.h), not as libharu dictionaries: libharu only
 * reserves each object's number with a "null" placeholder, which the
 * packer replaces. A 1,006-page report has 16,600 elements; as libharu
 * dictionaries they held 20 MB until the file was saved and cost 170 M
 * instructions to build and about as much again to save and re-read. */
#include <stdio.h>
#include <string.h>

#include "pdf_int.h"
#include "rc/util.h"

#define NONE ((size_t)-1)

enum { KID_MCR, KID_CHILD, KID_OBJR };

/* 12 bytes: a long report has one or more per element (16,600 elements at
 * 1,006 pages; at 40 bytes each, 5 MB with their vectors' room) */
typedef struct kid {
    uint32_t page; /* MCR, OBJR */
    uint32_t v;    /* MCR: the MCID; CHILD: the element; OBJR: the annotation's index */
    uint8_t kind;
} kid;

typedef struct elem {
    const rc_tag *tag; /* NULL for the Link of an annotation without one */
    rc_tag_type type;
    size_t parent;
    RC_VEC(kid) kids;        /* content and first-reached children, drawing order */
    RC_VEC(size_t) children; /* live children, creation order */
    bool content, reached, live, listed;
    uint32_t num; /* its object number once written (0: not written) */
} elem;

typedef RC_VEC(uint32_t) idxvec;

struct rc_pdf_struct {
    RC_VEC(elem) el;
    idxvec *pages; /* per page: the element of each MCID */
    size_t npages, pcap;
    /* the element of each annotation, by StructParent - npages, and the
     * annotation (its /StructParent is set at the end, when the number of
     * pages is known) */
    RC_VEC(size_t) annots;
    RC_VEC(HPDF_Annotation) annot_objs;
    /* the layout's elements; those made so far have an element here, at
     * of_tag[their index] (a layout made page by page adds elements while
     * pages are drawn, after the Links of annotations made here) */
    const rc_tags *tags;
    RC_VEC(size_t) of_tag;
    /* all of the above but this struct: freed once the tree is written
     * (rc_pdf_struct_finish), before the file is saved and packed (at
     * 1,006 pages 4.5 MB that were held to the end of the build) */
    rc_arena *a;
};

/* Elements for the layout's elements made since the last call. */
static void sync_tags(rc_pdf *p)
{
    rc_pdf_struct *s = p->st;
    size_t n = s->tags ? s->tags->all.n : 0, from = s->of_tag.n;
    for (size_t i = from; i < n; i++) {
        const rc_tag *g = s->tags->all.v[i];
        elem e = {.tag = g, .type = g->type, .parent = NONE};
        e.reached = e.live = i == 0;
        RC_PUSH(s->a, s->el, e);
        RC_PUSH(s->a, s->of_tag, s->el.n - 1);
    }
    /* then their parents: a footnote's element is made before the
     * paragraph that cites it adopts it */
    for (size_t i = from; i < n; i++) {
        const rc_tag *g = s->tags->all.v[i];
        elem *e = &s->el.v[s->of_tag.v[i]];
        if (g->parent && g->parent->index < n && g->parent->index != i)
            e->parent = s->of_tag.v[g->parent->index];
        else if (i)
            e->parent = s->of_tag.v[0];
    }
}

static void drop_work(void *ctx)
{
    rc_pdf_struct *s = ctx;
    rc_arena_free(s->a);
    s->a = NULL;
}

void rc_pdf_struct_begin(rc_pdf *p, const rc_layout *lay)
{
    rc_pdf_struct *s = rc_arena_alloc(p->a, sizeof *s);
    p->st = s;
    s->a = rc_arena_new();
    rc_arena_on_free(p->a, drop_work, s); /* (a write that failed before the end) */
    s->tags = lay->tags && lay->tags->all.n ? lay->tags : NULL;
    if (!s->tags) { /* a layout without structure (unit tests): a bare Document */
        elem root = {.type = RC_TAG_DOCUMENT, .parent = NONE, .reached = true, .live = true};
        RC_PUSH(s->a, s->el, root);
    }
    sync_tags(p);
}

/* The MCID list of page (those of the pages before it exist too). */
static idxvec *page_mcids(rc_pdf *p, size_t page)
{
    rc_pdf_struct *s = p->st;
    if (page >= s->pcap) {
        size_t nc = s->pcap ? s->pcap * 2 : 64;
        while (nc <= page) nc *= 2;
        s->pages = rc_arena_grow(s->a, s->pages, s->pcap, nc, sizeof *s->pages);
        s->pcap = nc;
    }
    if (page >= s->npages) s->npages = page + 1;
    return &s->pages[page];
}

/* Makes i reachable in drawing order: each ancestor not yet reached gets a
 * CHILD entry in its parent, in the order content first arrives. */
static void reach(rc_pdf *p, size_t i)
{
    rc_pdf_struct *s = p->st;
    while (i != NONE && !s->el.v[i].reached) {
        s->el.v[i].reached = true;
        size_t up = s->el.v[i].parent;
        if (up == NONE) break;
        kid k = {.kind = KID_CHILD, .v = (uint32_t)i};
        RC_PUSH(s->a, s->el.v[up].kids, k);
        i = up;
    }
}

static size_t index_of(rc_pdf *p, const rc_tag *t)
{
    rc_pdf_struct *s = p->st;
    if (!t || !s->tags) return 0;
    if (t->index >= s->of_tag.n) sync_tags(p);
    if (t->index >= s->of_tag.n) return 0;
    size_t i = s->of_tag.v[t->index];
    return s->el.v[i].tag == t ? i : 0;
}

int rc_pdf_struct_mcid(rc_pdf *p, size_t page, const rc_tag *t)
{
    rc_pdf_struct *s = p->st;
    size_t i = index_of(p, t);
    idxvec *pv = page_mcids(p, page);
    int mcid = (int)pv->n;
    RC_PUSH(s->a, *pv, (uint32_t)i);
    kid k = {.kind = KID_MCR, .page = (uint32_t)page, .v = (uint32_t)mcid};
    RC_PUSH(s->a, s->el.v[i].kids, k);
    s->el.v[i].content = true;
    reach(p, i);
    return mcid;
}

/* PDFDocEncoding (ISO 32000-1 annex D) of the characters it has beyond
 * Latin-1: dashes, quotes, bullet, ellipsis, a few letters. */
static int pdfdoc_byte(uint32_t cp)
{
    static const uint16_t hi[32] = {0x2022, 0x2020, 0x2021, 0x2026, 0x2014, 0x2013, 0x0192, 0x2044,
                                    0x2039, 0x203A, 0x2212, 0x2030, 0x201E, 0x201C, 0x201D, 0x2018,
                                    0x2019, 0x201A, 0x2122, 0xFB01, 0xFB02, 0x0141, 0x0152, 0x0160,
                                    0x0178, 0x017D, 0x0131, 0x0142, 0x0153, 0x0161, 0x017E, 0};
    if (cp >= 0x20 && cp < 0x7F) return (int)cp;
    if (cp >= 0xA1 && cp <= 0xFF && cp != 0xAD) return (int)cp;
    if (cp == 0x20AC) return 0xA0;
    for (int i = 0; i < 31; i++)
        if (hi[i] == cp) return 0x80 + i;
    return -1;
}

/* A text string: PDFDocEncoding when every character has a byte there (a
 * literal string, about a byte a character), else UTF-16BE the way libharu
 * writes the Info entries (hex, four bytes a character). */
static void *text_string(rc_pdf *p, const char *s, size_t len)
{
    const char *t = rc_pdf_text(p, s ? s : "", s ? len : 0); /* BMP, no C0 */
    size_t n = strlen(t);
    char *b = rc_arena_alloc(p->a, n + 1);
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp = 0;
        size_t k = rc_utf8_decode(t + i, n - i, &cp);
        int c = k ? pdfdoc_byte(cp) : -1;
        if (c < 0) {
            HPDF_Encoder enc = HPDF_GetEncoder(p->doc, "UTF-8");
            return HPDF_String_New(p->doc->mmgr, t, enc);
        }
        b[o++] = (char)c;
        i += k;
    }
    b[o] = '\0';
    return HPDF_String_New(p->doc->mmgr, b, NULL);
}

void rc_pdf_struct_annot(rc_pdf *p, HPDF_Annotation an, size_t page, const rc_tag *t,
                         const char *text, size_t len)
{
    rc_pdf_struct *s = p->st;
    size_t i;
    if (t && index_of(p, t) != 0 && t->type == RC_TAG_LINK) {
        i = t->index;
    } else { /* every annotation is in the tree: a Link of its own */
        elem e = {.type = RC_TAG_LINK, .parent = t ? index_of(p, t) : 0};
        RC_PUSH(s->a, s->el, e);
        i = s->el.n - 1;
    }
    RC_PUSH(s->a, s->annots, i);
    RC_PUSH(s->a, s->annot_objs, an);
    kid k = {.kind = KID_OBJR, .page = (uint32_t)page, .v = (uint32_t)(s->annot_objs.n - 1)};
    RC_PUSH(s->a, s->el.v[i].kids, k);
    s->el.v[i].content = true;
    reach(p, i);
    /* PDF/A: printable; PDF/UA: a description of the link */
    rc_pdf_ok(p, HPDF_Dict_AddNumber(an, "F", 4));
    if (text && len) {
        void *c = text_string(p, text, len);
        if (c) rc_pdf_ok(p, HPDF_Dict_Add(an, "Contents", c));
    }
}

/* ---- writing the tree ------------------------------------------------ */

/* The object text being written; every object's text is appended to
 * w->b, and its offset and length recorded in p->raws (the pointers are
 * set once the buffer stops moving). */
typedef struct writer {
    rc_pdf *p;
    rc_strbuf b;
    size_t start; /* of the current object's text */
} writer;

/* A new object number: a "null" placeholder in libharu's table (NULL on
 * failure, recorded). */
static HPDF_Obj_Header *placeholder(rc_pdf *p)
{
    HPDF_Null n = HPDF_Null_New(p->doc->mmgr);
    if (!n) {
        rc_pdf_ok(p, HPDF_FAILD_TO_ALLOC_MEM);
        return NULL;
    }
    if (!rc_pdf_ok(p, HPDF_Xref_Add(p->doc->xref, n))) return NULL;
    return (HPDF_Obj_Header *)n;
}

static uint32_t num_of(const void *obj)
{
    return obj ? ((const HPDF_Obj_Header *)obj)->obj_id & 0x00FFFFFFu : 0;
}

static void put(writer *w, const char *s)
{
    rc_strbuf_puts(&w->b, s);
}

static void put_uint(writer *w, size_t v)
{
    char d[24];
    rc_strbuf_put(&w->b, d, rc_utoa(v, d));
}

static void put_ref(writer *w, uint32_t num)
{
    put(w, " ");
    put_uint(w, num);
    put(w, " 0 R");
}

/* A real as PDF writes it: at most three decimals, no trailing zeros. */
static void put_real(writer *w, double v)
{
    char d[40];
    int k = snprintf(d, sizeof d, " %.3f", v);
    if (k <= 0 || (size_t)k >= sizeof d) return;
    while (k > 2 && d[k - 1] == '0') k--;
    if (d[k - 1] == '.') k--;
    if (k == 3 && d[1] == '-' && d[2] == '0') { /* "-0" */
        d[1] = '0';
        k = 2;
    }
    rc_strbuf_put(&w->b, d, (size_t)k);
}

/* A text string (text_string's choice): a literal string in
 * PDFDocEncoding when every character has a byte there, else UTF-16BE
 * with its byte order mark, in hex. */
static void put_text(writer *w, const char *s, size_t len)
{
    const char *t = rc_pdf_text(w->p, s ? s : "", s ? len : 0); /* BMP, no C0 */
    size_t n = strlen(t);
    bool doc = true;
    for (size_t i = 0; i < n && doc;) {
        if (t[i] >= 0x20 && t[i] < 0x7F) { /* ASCII: PDFDocEncoding's own */
            i++;
            continue;
        }
        uint32_t cp = 0;
        size_t k = rc_utf8_decode(t + i, n - i, &cp);
        doc = k && pdfdoc_byte(cp) >= 0;
        i += k ? k : 1;
    }
    static const char hexd[] = "0123456789ABCDEF";
    if (!doc) {
        put(w, " <FEFF");
        for (size_t i = 0; i < n;) {
            uint32_t cp = 0xFFFD;
            size_t k = rc_utf8_decode(t + i, n - i, &cp);
            char h[4] = {hexd[(cp >> 12) & 15], hexd[(cp >> 8) & 15], hexd[(cp >> 4) & 15],
                         hexd[cp & 15]};
            rc_strbuf_put(&w->b, h, 4);
            i += k ? k : 1;
        }
        put(w, ">");
        return;
    }
    put(w, " (");
    for (size_t i = 0; i < n;) {
        size_t run = i; /* plain ASCII goes as it is, a run at a time */
        while (run < n && t[run] >= 0x20 && t[run] < 0x7F && t[run] != '(' && t[run] != ')' &&
               t[run] != '\\')
            run++;
        if (run > i) {
            rc_strbuf_put(&w->b, t + i, run - i);
            i = run;
            continue;
        }
        uint32_t cp = 0;
        size_t k = rc_utf8_decode(t + i, n - i, &cp);
        int c = pdfdoc_byte(cp);
        i += k ? k : 1;
        /* the rest as octal escapes: no raw bytes above 0x7E in the text */
        char e[4] = {'\\', (char)('0' + ((c >> 6) & 3)), (char)('0' + ((c >> 3) & 7)),
                     (char)('0' + (c & 7))};
        rc_strbuf_put(&w->b, e, 4);
    }
    put(w, ")");
}

/* Starts object num's text; end() files it. */
static void begin(writer *w)
{
    w->start = w->b.n;
}

static void end(writer *w, uint32_t num)
{
    rc_pdf_raw r = {.num = num, .text = NULL, .n = w->b.n - w->start};
    RC_PUSH(w->p->a, w->p->raws, r);
    /* the offset, until the buffer stops moving (finish_raws) */
    w->p->raws.v[w->p->raws.n - 1].text = (const char *)(uintptr_t)w->start;
}

/* Which elements are written: those with content, their ancestors, and the
 * cells of a written row (an empty cell keeps the table regular). */
static void mark_live(rc_pdf *p)
{
    rc_pdf_struct *s = p->st;
    for (size_t i = 0; i < s->el.n; i++) {
        if (!s->el.v[i].content) continue;
        for (size_t k = i; k != NONE && !s->el.v[k].live; k = s->el.v[k].parent)
            s->el.v[k].live = true;
    }
    for (size_t i = 0; i < s->el.n; i++) {
        elem *e = &s->el.v[i];
        if ((e->type == RC_TAG_TH || e->type == RC_TAG_TD) && e->parent != NONE &&
            s->el.v[e->parent].live)
            e->live = true;
    }
    for (size_t i = 1; i < s->el.n; i++)
        if (s->el.v[i].live && s->el.v[i].parent != NONE)
            RC_PUSH(s->a, s->el.v[s->el.v[i].parent].children, i);
}

static uint32_t page_num(const rc_pdf *p, size_t page)
{
    return page < p->pages.n ? num_of(p->pages.v[page]) : 0;
}

static void add_kid(writer *w, uint32_t pg0, const kid *x)
{
    rc_pdf_struct *s = w->p->st;
    if (x->kind == KID_CHILD) {
        elem *c = &s->el.v[x->v];
        if (!c->live || c->listed || !c->num) return;
        c->listed = true;
        put_ref(w, c->num);
        return;
    }
    uint32_t pg = page_num(w->p, x->page);
    if (!pg) return;
    if (x->kind == KID_MCR && pg == pg0) {
        put(w, " ");
        put_uint(w, x->v);
        return;
    }
    if (x->kind == KID_MCR) {
        put(w, " << /Type /MCR /Pg");
        put_ref(w, pg);
        put(w, " /MCID ");
        put_uint(w, x->v);
    } else {
        put(w, " << /Type /OBJR /Obj");
        put_ref(w, num_of(s->annot_objs.v[x->v]));
        put(w, " /Pg");
        put_ref(w, pg);
    }
    put(w, " >>");
}

static void attributes(writer *w, const elem *e)
{
    const rc_tag *t = e->tag;
    if (e->type == RC_TAG_FIGURE) {
        const char *alt = t && t->alt && *t->alt ? t->alt : NULL;
        put(w, " /Alt");
        put_text(w, alt ? alt : "Figure", alt ? strlen(alt) : 6);
    }
    if (e->type == RC_TAG_FIGURE && t && t->has_bbox) {
        put(w, " /A << /O /Layout /BBox [");
        for (int i = 0; i < 4; i++)
            put_real(w, t->bbox[i]);
        put(w, " ] >>");
    } else if (e->type == RC_TAG_TH) {
        put(w, " /A << /O /Table /Scope /");
        put(w, t && t->scope == RC_SCOPE_ROW
                   ? "Row"
                   : (t && t->scope == RC_SCOPE_COLUMN ? "Column" : "Both"));
        put(w, " >>");
    }
    if (e->type == RC_TAG_NOTE) { /* PDF/UA 7.9: every Note has a unique /ID */
        put(w, " /ID (note-");
        put_uint(w, (size_t)(e - w->p->st->el.v));
        put(w, ")");
    }
    if (t && t->lang && *t->lang) {
        put(w, " /Lang");
        put_text(w, t->lang, strlen(t->lang));
    }
}

static void write_elem(writer *w, elem *e, uint32_t root)
{
    rc_pdf_struct *s = w->p->st;
    begin(w);
    put(w, "<< /S /");
    put(w, rc_tag_name(e->type));
    put(w, " /P");
    put_ref(w, e->parent == NONE ? root : s->el.v[e->parent].num);
    uint32_t pg0 = 0;
    for (size_t i = 0; i < e->kids.n && !pg0; i++)
        if (e->kids.v[i].kind == KID_MCR) pg0 = page_num(w->p, e->kids.v[i].page);
    if (pg0) {
        put(w, " /Pg");
        put_ref(w, pg0);
    }
    attributes(w, e);
    if (e->kids.n == 1 && e->children.n == 0 && e->kids.v[0].kind == KID_MCR && pg0) {
        /* the common case: a single marked-content sequence on /Pg */
        put(w, " /K ");
        put_uint(w, e->kids.v[0].v);
    } else if (e->kids.n || e->children.n) { /* (none: an empty table cell) */
        put(w, " /K [");
        /* drawing order, except that notes come after the text that cites
         * them (a paragraph is not cut by the note at the foot of its
         * page); then children that hold no content */
        for (int pass = 0; pass < 2 && e->content; pass++)
            for (size_t i = 0; i < e->kids.n; i++) {
                const kid *x = &e->kids.v[i];
                bool note = x->kind == KID_CHILD && s->el.v[x->v].type == RC_TAG_NOTE;
                if (note == (pass == 1)) add_kid(w, pg0, x);
            }
        for (size_t i = 0; i < e->children.n; i++) {
            kid x = {.kind = KID_CHILD, .v = (uint32_t)e->children.v[i]};
            add_kid(w, pg0, &x);
        }
        put(w, " ]");
    }
    put(w, " >>");
    end(w, e->num);
}

/* Pairs per leaf of the parent tree: one flat /Nums array while it is
 * small (the sample's 106 pairs), else leaves with /Limits under /Kids, so
 * no array is longer than PDF 1.7's advised 8,191 entries (annex C). */
#define NUMS_LEAF 2048

/* The /Nums array of parent-tree keys [from, to). */
static void write_nums(writer *w, size_t from, size_t to)
{
    rc_pdf_struct *s = w->p->st;
    put(w, " /Nums [");
    for (size_t key = from; key < to; key++) {
        put(w, " ");
        put_uint(w, key);
        if (key < s->npages) {
            put(w, " [");
            for (size_t m = 0; m < s->pages[key].n; m++)
                put_ref(w, s->el.v[s->pages[key].v[m]].num);
            put(w, " ]");
        } else {
            put_ref(w, s->el.v[s->annots.v[key - s->npages]].num);
        }
    }
    put(w, " ]");
}

/* The parent tree: keys ascending, one per page (its MCIDs' elements)
 * and one per annotation. */
static void write_parent_tree(writer *w, uint32_t pt)
{
    rc_pdf_struct *s = w->p->st;
    size_t npairs = s->npages + s->annots.n;
    if (npairs <= NUMS_LEAF) {
        begin(w);
        put(w, "<<");
        write_nums(w, 0, npairs);
        put(w, " >>");
        end(w, pt);
        return;
    }
    size_t nleaves = (npairs + NUMS_LEAF - 1) / NUMS_LEAF;
    uint32_t *leaf = rc_arena_array(w->p->st->a, nleaves, sizeof *leaf);
    for (size_t k = 0; k < nleaves; k++) {
        HPDF_Obj_Header *h = placeholder(w->p);
        if (!h) return;
        leaf[k] = num_of(h);
    }
    begin(w);
    put(w, "<< /Kids [");
    for (size_t k = 0; k < nleaves; k++)
        put_ref(w, leaf[k]);
    put(w, " ] >>");
    end(w, pt);
    for (size_t k = 0; k < nleaves; k++) {
        size_t lo = k * NUMS_LEAF, hi = lo + NUMS_LEAF < npairs ? lo + NUMS_LEAF : npairs;
        begin(w);
        put(w, "<< /Limits [ ");
        put_uint(w, lo);
        put(w, " ");
        put_uint(w, hi - 1);
        put(w, " ]");
        write_nums(w, lo, hi);
        put(w, " >>");
        end(w, leaf[k]);
    }
}

void rc_pdf_struct_finish(rc_pdf *p)
{
    rc_pdf_struct *s = p->st;
    if (!s || rc_pdf_failed(p)) return;
    sync_tags(p);
    if (p->pages.n) page_mcids(p, p->pages.n - 1); /* s->npages: the pages' count */
    /* the annotations' keys come after the pages' */
    for (size_t k = 0; k < s->annot_objs.n && !rc_pdf_failed(p); k++)
        rc_pdf_ok(p, HPDF_Dict_AddNumber(s->annot_objs.v[k], "StructParent",
                                         (HPDF_INT32)(s->npages + k)));
    mark_live(p);
    writer w = {.p = p, .b = {.a = p->a}};
    HPDF_Obj_Header *root = placeholder(p), *pt = placeholder(p);
    if (!root || !pt) return;
    for (size_t i = 0; i < s->el.n && !rc_pdf_failed(p); i++)
        if (s->el.v[i].live) {
            HPDF_Obj_Header *h = placeholder(p);
            s->el.v[i].num = num_of(h);
        }
    if (rc_pdf_failed(p)) return;
    size_t first = p->raws.n;
    for (size_t i = 0; i < s->el.n; i++)
        if (s->el.v[i].live && s->el.v[i].num) write_elem(&w, &s->el.v[i], num_of(root));
    write_parent_tree(&w, num_of(pt));
    begin(&w);
    put(&w, "<< /Type /StructTreeRoot /K");
    put_ref(&w, s->el.v[0].num);
    put(&w, " /ParentTree");
    put_ref(&w, num_of(pt));
    put(&w, " /ParentTreeNextKey ");
    put_uint(&w, s->npages + s->annots.n);
    put(&w, " >>");
    end(&w, num_of(root));
    if (rc_pdf_failed(p)) return;
    /* the texts' places, now that the buffer is complete */
    for (size_t k = first; k < p->raws.n; k++)
        p->raws.v[k].text = w.b.s + (uintptr_t)p->raws.v[k].text;
    rc_pdf_ok(p, HPDF_Dict_Add(p->doc->catalog, "StructTreeRoot", root));
    HPDF_Dict mi = HPDF_Dict_New(p->doc->mmgr);
    if (!mi) {
        rc_pdf_ok(p, HPDF_FAILD_TO_ALLOC_MEM);
        return;
    }
    rc_pdf_ok(p, HPDF_Dict_AddBoolean(mi, "Marked", HPDF_TRUE));
    rc_pdf_ok(p, HPDF_Dict_Add(p->doc->catalog, "MarkInfo", mi));
    for (size_t g = 0; g < p->pages.n && !rc_pdf_failed(p); g++) {
        rc_pdf_ok(p, HPDF_Dict_AddNumber(p->pages.v[g], "StructParents", (HPDF_INT32)g));
        rc_pdf_ok(p, HPDF_Dict_AddName(p->pages.v[g], "Tabs", "S")); /* tab order = structure */
    }
    drop_work(s); /* the tree is text now (p->raws) */
}
