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
#include <assert.h>
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

/* A link annotation: its element and its object number. */
typedef struct annot {
    size_t el;
    uint32_t num;
} annot;

struct rc_pdf_struct {
    RC_VEC(elem) el;
    idxvec *pages; /* per page: the element of each MCID */
    size_t npages, pcap;
    RC_VEC(annot) annots; /* by StructParent - npages */
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
        while (nc <= page)
            nc *= 2;
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

size_t rc_pdf_struct_annot(rc_pdf *p, uint32_t num, size_t page, const rc_tag *t)
{
    rc_pdf_struct *s = p->st;
    /* (an element's index is not its tag's: the Links of annotations made
     * here come between the layout's elements, see of_tag) */
    size_t i = index_of(p, t);
    if (i == 0 || t->type != RC_TAG_LINK) { /* every annotation is in the tree: a Link of its own */
        elem e = {.type = RC_TAG_LINK, .parent = i};
        RC_PUSH(s->a, s->el, e);
        i = s->el.n - 1;
    }
    annot an = {i, num};
    RC_PUSH(s->a, s->annots, an);
    kid k = {.kind = KID_OBJR, .page = (uint32_t)page, .v = (uint32_t)(s->annots.n - 1)};
    RC_PUSH(s->a, s->el.v[i].kids, k);
    s->el.v[i].content = true;
    reach(p, i);
    return s->annots.n - 1;
}

/* ---- writing the tree ------------------------------------------------ */

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
    return page < p->pages.n ? rc_pdf_num(p->pages.v[page]) : 0;
}

static void add_kid(rc_pdf_rw *w, uint32_t pg0, const kid *x)
{
    rc_pdf_struct *s = w->p->st;
    if (x->kind == KID_CHILD) {
        elem *c = &s->el.v[x->v];
        if (!c->live || c->listed || !c->num) return;
        c->listed = true;
        rc_pdf_rw_ref(w, c->num);
        return;
    }
    uint32_t pg = page_num(w->p, x->page);
    if (!pg) return;
    if (x->kind == KID_MCR && pg == pg0) {
        rc_pdf_rw_put(w, " ");
        rc_pdf_rw_uint(w, x->v);
        return;
    }
    if (x->kind == KID_MCR) {
        rc_pdf_rw_put(w, " << /Type /MCR /Pg");
        rc_pdf_rw_ref(w, pg);
        rc_pdf_rw_put(w, " /MCID ");
        rc_pdf_rw_uint(w, x->v);
    } else {
        rc_pdf_rw_put(w, " << /Type /OBJR /Obj");
        rc_pdf_rw_ref(w, s->annots.v[x->v].num);
        rc_pdf_rw_put(w, " /Pg");
        rc_pdf_rw_ref(w, pg);
    }
    rc_pdf_rw_put(w, " >>");
}

static void attributes(rc_pdf_rw *w, const elem *e)
{
    const rc_tag *t = e->tag;
    if (e->type == RC_TAG_FIGURE) {
        const char *alt = t && t->alt && *t->alt ? t->alt : NULL;
        rc_pdf_rw_put(w, " /Alt");
        rc_pdf_rw_text(w, alt ? alt : "Figure", alt ? strlen(alt) : 6);
    }
    if (e->type == RC_TAG_FIGURE && t && t->has_bbox) {
        rc_pdf_rw_put(w, " /A << /O /Layout /BBox [");
        for (int i = 0; i < 4; i++)
            rc_pdf_rw_real(w, t->bbox[i]);
        rc_pdf_rw_put(w, " ] >>");
    } else if (e->type == RC_TAG_TH) {
        rc_pdf_rw_put(w, " /A << /O /Table /Scope /");
        rc_pdf_rw_put(w, t && t->scope == RC_SCOPE_ROW
                             ? "Row"
                             : (t && t->scope == RC_SCOPE_COLUMN ? "Column" : "Both"));
        rc_pdf_rw_put(w, " >>");
    }
    if (e->type == RC_TAG_NOTE) { /* PDF/UA 7.9: every Note has a unique /ID */
        rc_pdf_rw_put(w, " /ID (note-");
        rc_pdf_rw_uint(w, (size_t)(e - w->p->st->el.v));
        rc_pdf_rw_put(w, ")");
    }
    if (t && t->lang && *t->lang) {
        rc_pdf_rw_put(w, " /Lang");
        rc_pdf_rw_text(w, t->lang, strlen(t->lang));
    }
}

static void write_elem(rc_pdf_rw *w, elem *e, uint32_t root)
{
    rc_pdf_struct *s = w->p->st;
    rc_pdf_rw_begin(w);
    rc_pdf_rw_put(w, "<< /S /");
    rc_pdf_rw_put(w, rc_tag_name(e->type));
    rc_pdf_rw_put(w, " /P");
    rc_pdf_rw_ref(w, e->parent == NONE ? root : s->el.v[e->parent].num);
    uint32_t pg0 = 0;
    for (size_t i = 0; i < e->kids.n && !pg0; i++)
        if (e->kids.v[i].kind == KID_MCR) pg0 = page_num(w->p, e->kids.v[i].page);
    if (pg0) {
        rc_pdf_rw_put(w, " /Pg");
        rc_pdf_rw_ref(w, pg0);
    }
    attributes(w, e);
    if (e->kids.n == 1 && e->children.n == 0 && e->kids.v[0].kind == KID_MCR && pg0) {
        /* the common case: a single marked-content sequence on /Pg */
        rc_pdf_rw_put(w, " /K ");
        rc_pdf_rw_uint(w, e->kids.v[0].v);
    } else if (e->kids.n || e->children.n) { /* (none: an empty table cell) */
        rc_pdf_rw_put(w, " /K [");
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
        rc_pdf_rw_put(w, " ]");
    }
    rc_pdf_rw_put(w, " >>");
    rc_pdf_rw_end(w, e->num);
}

/* Pairs per leaf of the parent tree: one flat /Nums array while it is
 * small (the sample's 106 pairs), else leaves with /Limits under /Kids, so
 * no array is longer than PDF 1.7's advised 8,191 entries (annex C). */
#define NUMS_LEAF 2048

/* The /Nums array of parent-tree keys [from, to). */
static void write_nums(rc_pdf_rw *w, size_t from, size_t to)
{
    rc_pdf_struct *s = w->p->st;
    rc_pdf_rw_put(w, " /Nums [");
    for (size_t key = from; key < to; key++) {
        rc_pdf_rw_put(w, " ");
        rc_pdf_rw_uint(w, key);
        if (key < s->npages) {
            rc_pdf_rw_put(w, " [");
            for (size_t m = 0; m < s->pages[key].n; m++)
                rc_pdf_rw_ref(w, s->el.v[s->pages[key].v[m]].num);
            rc_pdf_rw_put(w, " ]");
        } else {
            rc_pdf_rw_ref(w, s->el.v[s->annots.v[key - s->npages].el].num);
        }
    }
    rc_pdf_rw_put(w, " ]");
}

/* The parent tree: keys ascending, one per page (its MCIDs' elements)
 * and one per annotation. */
static void write_parent_tree(rc_pdf_rw *w, uint32_t pt)
{
    rc_pdf_struct *s = w->p->st;
    size_t npairs = s->npages + s->annots.n;
    if (npairs <= NUMS_LEAF) {
        rc_pdf_rw_begin(w);
        rc_pdf_rw_put(w, "<<");
        write_nums(w, 0, npairs);
        rc_pdf_rw_put(w, " >>");
        rc_pdf_rw_end(w, pt);
        return;
    }
    size_t nleaves = (npairs + NUMS_LEAF - 1) / NUMS_LEAF;
    uint32_t *leaf = rc_arena_array(w->p->st->a, nleaves, sizeof *leaf);
    for (size_t k = 0; k < nleaves; k++) {
        HPDF_Obj_Header *h = rc_pdf_placeholder(w->p);
        if (!h) return;
        leaf[k] = rc_pdf_num(h);
    }
    rc_pdf_rw_begin(w);
    rc_pdf_rw_put(w, "<< /Kids [");
    for (size_t k = 0; k < nleaves; k++)
        rc_pdf_rw_ref(w, leaf[k]);
    rc_pdf_rw_put(w, " ] >>");
    rc_pdf_rw_end(w, pt);
    for (size_t k = 0; k < nleaves; k++) {
        size_t lo = k * NUMS_LEAF, hi = lo + NUMS_LEAF < npairs ? lo + NUMS_LEAF : npairs;
        rc_pdf_rw_begin(w);
        rc_pdf_rw_put(w, "<< /Limits [ ");
        rc_pdf_rw_uint(w, lo);
        rc_pdf_rw_put(w, " ");
        rc_pdf_rw_uint(w, hi - 1);
        rc_pdf_rw_put(w, " ]");
        write_nums(w, lo, hi);
        rc_pdf_rw_put(w, " >>");
        rc_pdf_rw_end(w, leaf[k]);
    }
}

void rc_pdf_struct_finish(rc_pdf *p)
{
    rc_pdf_struct *s = p->st;
    if (!s || rc_pdf_failed(p)) return;
    sync_tags(p);
    if (p->pages.n) page_mcids(p, p->pages.n - 1); /* s->npages: the pages' count */
    /* the annotations' keys come after the pages' (rc_pdf_links wrote
     * each one's /StructParent as the number of pages + its index) */
    assert(s->npages == p->pages.n);
    mark_live(p);
    rc_pdf_rw w;
    rc_pdf_rw_init(&w, p);
    HPDF_Obj_Header *root = rc_pdf_placeholder(p), *pt = rc_pdf_placeholder(p);
    if (!root || !pt) return;
    for (size_t i = 0; i < s->el.n && !rc_pdf_failed(p); i++)
        if (s->el.v[i].live) {
            HPDF_Obj_Header *h = rc_pdf_placeholder(p);
            s->el.v[i].num = rc_pdf_num(h);
        }
    if (rc_pdf_failed(p)) return;
    for (size_t i = 0; i < s->el.n; i++)
        if (s->el.v[i].live && s->el.v[i].num) write_elem(&w, &s->el.v[i], rc_pdf_num(root));
    write_parent_tree(&w, rc_pdf_num(pt));
    rc_pdf_rw_begin(&w);
    rc_pdf_rw_put(&w, "<< /Type /StructTreeRoot /K");
    rc_pdf_rw_ref(&w, s->el.v[0].num);
    rc_pdf_rw_put(&w, " /ParentTree");
    rc_pdf_rw_ref(&w, rc_pdf_num(pt));
    rc_pdf_rw_put(&w, " /ParentTreeNextKey ");
    rc_pdf_rw_uint(&w, s->npages + s->annots.n);
    rc_pdf_rw_put(&w, " >>");
    rc_pdf_rw_end(&w, rc_pdf_num(root));
    if (rc_pdf_failed(p)) return;
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
