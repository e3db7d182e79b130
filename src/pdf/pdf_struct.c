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
 * bytes are the same for the same input. */
#include <stdio.h>
#include <string.h>

#include "pdf_int.h"
#include "rc/util.h"

#define NONE ((size_t)-1)

enum { KID_MCR, KID_CHILD, KID_OBJR };

typedef struct kid {
    int kind;
    size_t page; /* MCR, OBJR */
    int mcid;    /* MCR */
    size_t child;
    HPDF_Dict annot; /* OBJR */
} kid;

typedef struct elem {
    const rc_tag *tag; /* NULL for the Link of an annotation without one */
    rc_tag_type type;
    size_t parent;
    RC_VEC(kid) kids;        /* content and first-reached children, drawing order */
    RC_VEC(size_t) children; /* live children, creation order */
    bool content, reached, live, listed;
    HPDF_Dict dict;
} elem;

typedef RC_VEC(size_t) idxvec;

struct rc_pdf_struct {
    RC_VEC(elem) el;
    idxvec *pages; /* per page: the element of each MCID */
    size_t npages;
    RC_VEC(size_t) annots; /* element of each annotation, by StructParent - npages */
};

void rc_pdf_struct_begin(rc_pdf *p, const rc_layout *lay)
{
    rc_pdf_struct *s = rc_arena_alloc(p->a, sizeof *s);
    p->st = s;
    const rc_tags *t = lay->tags;
    size_t n = t ? t->all.n : 0;
    if (n == 0) { /* a layout without structure (unit tests): a bare Document */
        elem root = {.type = RC_TAG_DOCUMENT, .parent = NONE, .reached = true, .live = true};
        RC_PUSH(p->a, s->el, root);
    }
    for (size_t i = 0; i < n; i++) {
        const rc_tag *g = t->all.v[i];
        elem e = {.tag = g, .type = g->type, .parent = g->parent ? g->parent->index : NONE};
        if (e.parent >= n) e.parent = i ? 0 : NONE;
        e.reached = e.live = i == 0;
        RC_PUSH(p->a, s->el, e);
    }
    s->npages = lay->pages.n;
    s->pages = rc_arena_array(p->a, s->npages ? s->npages : 1, sizeof *s->pages);
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
        kid k = {.kind = KID_CHILD, .child = i};
        RC_PUSH(p->a, s->el.v[up].kids, k);
        i = up;
    }
}

static size_t index_of(const rc_pdf *p, const rc_tag *t)
{
    return t && t->index < p->st->el.n && p->st->el.v[t->index].tag == t ? t->index : 0;
}

int rc_pdf_struct_mcid(rc_pdf *p, size_t page, const rc_tag *t)
{
    rc_pdf_struct *s = p->st;
    size_t i = index_of(p, t);
    idxvec *pv = &s->pages[page < s->npages ? page : 0];
    int mcid = (int)pv->n;
    RC_PUSH(p->a, *pv, i);
    kid k = {.kind = KID_MCR, .page = page, .mcid = mcid};
    RC_PUSH(p->a, s->el.v[i].kids, k);
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
        RC_PUSH(p->a, s->el, e);
        i = s->el.n - 1;
    }
    size_t key = s->npages + s->annots.n;
    RC_PUSH(p->a, s->annots, i);
    kid k = {.kind = KID_OBJR, .page = page, .annot = an};
    RC_PUSH(p->a, s->el.v[i].kids, k);
    s->el.v[i].content = true;
    reach(p, i);
    rc_pdf_ok(p, HPDF_Dict_AddNumber(an, "StructParent", (HPDF_INT32)key));
    /* PDF/A: printable; PDF/UA: a description of the link */
    rc_pdf_ok(p, HPDF_Dict_AddNumber(an, "F", 4));
    if (text && len) {
        void *c = text_string(p, text, len);
        if (c) rc_pdf_ok(p, HPDF_Dict_Add(an, "Contents", c));
    }
}

/* ---- writing the tree ------------------------------------------------ */

static HPDF_Dict new_dict(rc_pdf *p, bool indirect)
{
    HPDF_Dict d = HPDF_Dict_New(p->doc->mmgr);
    if (!d) {
        rc_pdf_ok(p, HPDF_FAILD_TO_ALLOC_MEM);
        return NULL;
    }
    if (indirect && !rc_pdf_ok(p, HPDF_Xref_Add(p->doc->xref, d))) return NULL;
    return d;
}

/* Pairs per leaf of the parent tree (2 array entries each, under libharu's
 * 8191-entry limit; the sample's 106 pairs stay one flat array). */
#define NUMS_LEAF 2048

static HPDF_Array new_array(rc_pdf *p)
{
    HPDF_Array a = HPDF_Array_New(p->doc->mmgr);
    if (!a) rc_pdf_ok(p, HPDF_FAILD_TO_ALLOC_MEM);
    return a;
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
            RC_PUSH(p->a, s->el.v[s->el.v[i].parent].children, i);
}

static void add_kid(rc_pdf *p, HPDF_Array k, HPDF_Page pg0, const kid *x)
{
    rc_pdf_struct *s = p->st;
    if (x->kind == KID_CHILD) {
        elem *c = &s->el.v[x->child];
        if (!c->live || c->listed || !c->dict) return;
        c->listed = true;
        rc_pdf_ok(p, HPDF_Array_Add(k, c->dict));
        return;
    }
    HPDF_Page pg = x->page < p->pages.n ? p->pages.v[x->page] : NULL;
    if (x->kind == KID_MCR && pg == pg0) {
        rc_pdf_ok(p, HPDF_Array_AddNumber(k, x->mcid));
        return;
    }
    HPDF_Dict d = new_dict(p, false);
    if (!d || !pg) return;
    if (x->kind == KID_MCR) {
        rc_pdf_ok(p, HPDF_Dict_AddName(d, "Type", "MCR"));
        rc_pdf_ok(p, HPDF_Dict_Add(d, "Pg", pg));
        rc_pdf_ok(p, HPDF_Dict_AddNumber(d, "MCID", x->mcid));
    } else {
        rc_pdf_ok(p, HPDF_Dict_AddName(d, "Type", "OBJR"));
        rc_pdf_ok(p, HPDF_Dict_Add(d, "Obj", x->annot));
        rc_pdf_ok(p, HPDF_Dict_Add(d, "Pg", pg));
    }
    rc_pdf_ok(p, HPDF_Array_Add(k, d));
}

static HPDF_Array real_array(rc_pdf *p, const double *v, size_t n)
{
    HPDF_Array a = new_array(p);
    for (size_t i = 0; a && i < n; i++)
        rc_pdf_ok(p, HPDF_Array_AddReal(a, (HPDF_REAL)v[i]));
    return a;
}

static void attributes(rc_pdf *p, HPDF_Dict d, const elem *e)
{
    const rc_tag *t = e->tag;
    if (e->type == RC_TAG_FIGURE) {
        const char *alt = t && t->alt && *t->alt ? t->alt : NULL;
        void *a = text_string(p, alt ? alt : "Figure", alt ? strlen(alt) : 6);
        if (a) rc_pdf_ok(p, HPDF_Dict_Add(d, "Alt", a));
    }
    HPDF_Dict at = NULL;
    if (e->type == RC_TAG_FIGURE && t && t->has_bbox) {
        at = new_dict(p, false);
        if (at) {
            rc_pdf_ok(p, HPDF_Dict_AddName(at, "O", "Layout"));
            HPDF_Array bb = real_array(p, t->bbox, 4);
            if (bb) rc_pdf_ok(p, HPDF_Dict_Add(at, "BBox", bb));
        }
    } else if (e->type == RC_TAG_TH) {
        at = new_dict(p, false);
        if (at) {
            rc_pdf_ok(p, HPDF_Dict_AddName(at, "O", "Table"));
            rc_pdf_ok(
                p, HPDF_Dict_AddName(at, "Scope",
                                     t && t->scope == RC_SCOPE_ROW
                                         ? "Row"
                                         : (t && t->scope == RC_SCOPE_COLUMN ? "Column" : "Both")));
        }
    }
    if (at) rc_pdf_ok(p, HPDF_Dict_Add(d, "A", at));
    if (e->type == RC_TAG_NOTE) { /* PDF/UA 7.9: every Note has a unique /ID */
        char id[32];
        snprintf(id, sizeof id, "note-%zu", (size_t)(e - p->st->el.v));
        HPDF_String s = HPDF_String_New(p->doc->mmgr, id, NULL);
        if (s) rc_pdf_ok(p, HPDF_Dict_Add(d, "ID", s));
    }
    if (t && t->lang && *t->lang) {
        HPDF_String l = HPDF_String_New(p->doc->mmgr, t->lang, NULL);
        if (l) rc_pdf_ok(p, HPDF_Dict_Add(d, "Lang", l));
    }
}

static void fill(rc_pdf *p, elem *e, HPDF_Dict root)
{
    rc_pdf_struct *s = p->st;
    HPDF_Dict d = e->dict;
    rc_pdf_ok(p, HPDF_Dict_AddName(d, "S", rc_tag_name(e->type)));
    rc_pdf_ok(p, HPDF_Dict_Add(d, "P", e->parent == NONE ? root : s->el.v[e->parent].dict));
    HPDF_Page pg0 = NULL;
    for (size_t i = 0; i < e->kids.n && !pg0; i++)
        if (e->kids.v[i].kind == KID_MCR && e->kids.v[i].page < p->pages.n)
            pg0 = p->pages.v[e->kids.v[i].page];
    if (pg0) rc_pdf_ok(p, HPDF_Dict_Add(d, "Pg", pg0));
    attributes(p, d, e);
    if (e->kids.n == 1 && e->children.n == 0 && e->kids.v[0].kind == KID_MCR) {
        /* the common case: a single marked-content sequence on /Pg */
        rc_pdf_ok(p, HPDF_Dict_AddNumber(d, "K", e->kids.v[0].mcid));
        return;
    }
    if (e->kids.n == 0 && e->children.n == 0) return; /* an empty table cell */
    HPDF_Array k = new_array(p);
    if (!k || !rc_pdf_ok(p, HPDF_Dict_Add(d, "K", k))) return;
    /* drawing order, except that notes come after the text that cites
     * them (a paragraph is not cut by the note at the foot of its page);
     * then children that hold no content */
    for (int pass = 0; pass < 2 && e->content; pass++)
        for (size_t i = 0; i < e->kids.n; i++) {
            const kid *x = &e->kids.v[i];
            bool note = x->kind == KID_CHILD && s->el.v[x->child].type == RC_TAG_NOTE;
            if (note == (pass == 1)) add_kid(p, k, pg0, x);
        }
    for (size_t i = 0; i < e->children.n; i++) {
        kid x = {.kind = KID_CHILD, .child = e->children.v[i]};
        add_kid(p, k, pg0, &x);
    }
}

void rc_pdf_struct_finish(rc_pdf *p)
{
    rc_pdf_struct *s = p->st;
    if (!s || rc_pdf_failed(p)) return;
    mark_live(p);
    HPDF_Dict root = new_dict(p, true);
    if (!root) return;
    rc_pdf_ok(p, HPDF_Dict_AddName(root, "Type", "StructTreeRoot"));
    for (size_t i = 0; i < s->el.n && !rc_pdf_failed(p); i++)
        if (s->el.v[i].live) s->el.v[i].dict = new_dict(p, true);
    for (size_t i = 0; i < s->el.n && !rc_pdf_failed(p); i++)
        if (s->el.v[i].live && s->el.v[i].dict) fill(p, &s->el.v[i], root);
    if (rc_pdf_failed(p)) return;
    rc_pdf_ok(p, HPDF_Dict_Add(root, "K", s->el.v[0].dict));
    /* The parent tree: keys ascending, one per page (its MCIDs' elements)
     * and one per annotation. One flat /Nums array while it is small; past
     * NUMS_LEAF pairs a root with /Kids of leaves that carry /Limits, since
     * libharu refuses arrays of more than 8191 entries (HPDF_LIMIT_MAX_ARRAY)
     * and a flat array of a 5,000-page report would have 10,000. */
    HPDF_Dict pt = new_dict(p, true);
    if (!pt) return;
    size_t npairs = s->npages + s->annots.n;
    HPDF_Array kids = npairs > NUMS_LEAF ? new_array(p) : NULL;
    if (kids && !rc_pdf_ok(p, HPDF_Dict_Add(pt, "Kids", kids))) return;
    HPDF_Array nums = NULL;
    for (size_t key = 0; key < npairs && !rc_pdf_failed(p); key++) {
        if (key % NUMS_LEAF == 0) {
            HPDF_Dict leaf = pt;
            if (kids) {
                size_t hi = key + NUMS_LEAF - 1 < npairs ? key + NUMS_LEAF - 1 : npairs - 1;
                HPDF_Array lim = new_array(p);
                leaf = new_dict(p, true);
                if (!leaf || !lim || !rc_pdf_ok(p, HPDF_Array_Add(kids, leaf)) ||
                    !rc_pdf_ok(p, HPDF_Array_AddNumber(lim, (HPDF_INT32)key)) ||
                    !rc_pdf_ok(p, HPDF_Array_AddNumber(lim, (HPDF_INT32)hi)) ||
                    !rc_pdf_ok(p, HPDF_Dict_Add(leaf, "Limits", lim)))
                    return;
            }
            nums = new_array(p);
            if (!nums || !rc_pdf_ok(p, HPDF_Dict_Add(leaf, "Nums", nums))) return;
        }
        rc_pdf_ok(p, HPDF_Array_AddNumber(nums, (HPDF_INT32)key));
        if (key < s->npages) {
            HPDF_Array a = new_array(p);
            if (!a) return;
            for (size_t m = 0; m < s->pages[key].n; m++)
                rc_pdf_ok(p, HPDF_Array_Add(a, s->el.v[s->pages[key].v[m]].dict));
            rc_pdf_ok(p, HPDF_Array_Add(nums, a));
        } else {
            rc_pdf_ok(p, HPDF_Array_Add(nums, s->el.v[s->annots.v[key - s->npages]].dict));
        }
    }
    rc_pdf_ok(p, HPDF_Dict_Add(root, "ParentTree", pt));
    rc_pdf_ok(
        p, HPDF_Dict_AddNumber(root, "ParentTreeNextKey", (HPDF_INT32)(s->npages + s->annots.n)));
    rc_pdf_ok(p, HPDF_Dict_Add(p->doc->catalog, "StructTreeRoot", root));
    HPDF_Dict mi = new_dict(p, false);
    if (mi) {
        rc_pdf_ok(p, HPDF_Dict_AddBoolean(mi, "Marked", HPDF_TRUE));
        rc_pdf_ok(p, HPDF_Dict_Add(p->doc->catalog, "MarkInfo", mi));
    }
    for (size_t g = 0; g < p->pages.n && !rc_pdf_failed(p); g++) {
        rc_pdf_ok(p, HPDF_Dict_AddNumber(p->pages.v[g], "StructParents", (HPDF_INT32)g));
        rc_pdf_ok(p, HPDF_Dict_AddName(p->pages.v[g], "Tabs", "S")); /* tab order = structure */
    }
}
