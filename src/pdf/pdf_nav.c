/* pdf_nav: navigation structures: named destinations (collected before
 * drawing, so forward links resolve), link annotations, the bookmark outline
 * and the page labels that make viewers show the printed page numbers. */
#include <string.h>

#include "pdf_int.h"
#include "rc/hash.h"

static uint64_t hash_str(const char *s)
{
    return rc_hash_str(s, 0);
}

rc_pdf_dest *rc_pdf_dest_find(rc_pdf *p, const char *id)
{
    if (!p->dcap || !id) return NULL;
    size_t mask = p->dcap - 1;
    for (size_t i = (size_t)hash_str(id) & mask;; i = (i + 1) & mask) {
        if (!p->dests[i].id) return NULL;
        if (strcmp(p->dests[i].id, id) == 0) return &p->dests[i];
    }
}

static void insert(rc_pdf_dest *tab, size_t cap, rc_pdf_dest e)
{
    size_t mask = cap - 1;
    size_t i = (size_t)hash_str(e.id) & mask;
    while (tab[i].id)
        i = (i + 1) & mask;
    tab[i] = e;
}

/* The first destination with a given id wins. */
void rc_pdf_dest_add(rc_pdf *p, const char *id, size_t page, double x, double y)
{
    if (rc_pdf_dest_find(p, id)) return;
    if ((p->ndests + 1) * 2 > p->dcap) {
        size_t ncap = p->dcap ? p->dcap * 2 : 64;
        rc_pdf_dest *tab = rc_arena_array(p->a, ncap, sizeof *tab);
        for (size_t i = 0; i < p->dcap; i++)
            if (p->dests[i].id) insert(tab, ncap, p->dests[i]);
        p->dests = tab;
        p->dcap = ncap;
    }
    rc_pdf_dest e = {id, page, x, y, NULL};
    insert(p->dests, p->dcap, e);
    p->ndests++;
}

/* [page /XYZ left top null]: libharu's SetXYZ insists on a zoom between 0.08
 * and 32, but a link should keep the reader's zoom, so the array is rebuilt
 * the way SetXYZ builds it, with null as the zoom. */
HPDF_Destination rc_pdf_destination(rc_pdf *p, size_t pg, double x, double y)
{
    if (pg >= p->pages.n) return NULL;
    HPDF_Page page = p->pages.v[pg];
    HPDF_Destination dst = HPDF_Page_CreateDestination(page);
    if (!dst) return NULL;
    HPDF_REAL left = (HPDF_REAL)(x < 0 ? 0 : x), top = (HPDF_REAL)(y < 0 ? 0 : y);
    if (!rc_pdf_ok(p, HPDF_Destination_SetXYZ(dst, left, top, 1))) return NULL;
    HPDF_Array_Clear(dst);
    HPDF_STATUS st = HPDF_Array_Add(dst, page);
    if (st == HPDF_OK) st = HPDF_Array_AddName(dst, "XYZ");
    if (st == HPDF_OK) st = HPDF_Array_AddReal(dst, left);
    if (st == HPDF_OK) st = HPDF_Array_AddReal(dst, top);
    if (st == HPDF_OK) {
        HPDF_Null null = HPDF_Null_New(p->doc->mmgr);
        st = null ? HPDF_Array_Add(dst, null) : HPDF_FAILD_TO_ALLOC_MEM;
    }
    return rc_pdf_ok(p, st) ? dst : NULL;
}

static HPDF_Destination dest_handle(rc_pdf *p, rc_pdf_dest *e)
{
    if (!e->hd) e->hd = rc_pdf_destination(p, e->page, 0, e->y);
    return e->hd;
}

void rc_pdf_links(rc_pdf *p)
{
    for (size_t i = 0; i < p->links.n && !rc_pdf_failed(p); i++) {
        const rc_pdf_link *lk = &p->links.v[i];
        rc_pdf_dest *e = rc_pdf_dest_find(p, lk->dest);
        if (!e) {
            rc_diag_warning(p->d, (rc_loc){p->path, 0, 0},
                            "link to unknown destination '%s' left out", lk->dest);
            continue;
        }
        HPDF_Destination dst = dest_handle(p, e);
        if (!dst) return;
        HPDF_Annotation an = HPDF_Page_CreateLinkAnnot(lk->page, lk->rect, dst);
        if (!an) return;
        rc_pdf_ok(p, HPDF_LinkAnnot_SetBorderStyle(an, 0, 0, 0));
        rc_pdf_struct_annot(p, an, lk->page_index, lk->tag, lk->text, lk->len);
    }
}

/* Bookmarks nest by level: an entry's parent is the latest entry of a lower
 * level (a jump from level 1 to 3 hangs the 3 under the 1). Top-level
 * entries are shown open, deeper ones closed. */
void rc_pdf_outline(rc_pdf *p, const rc_layout *lay)
{
    enum { MAXLV = 16 };
    HPDF_Outline parent[MAXLV + 1] = {0};
    HPDF_Encoder enc = HPDF_GetEncoder(p->doc, "UTF-8");
    if (!enc) return;
    for (size_t i = 0; i < lay->outline.n && !rc_pdf_failed(p); i++) {
        const rc_outline_entry *e = &lay->outline.v[i];
        int lv = e->level < 1 ? 1 : e->level > MAXLV ? MAXLV : e->level;
        HPDF_Destination dst = NULL;
        rc_pdf_dest *named = e->dest ? rc_pdf_dest_find(p, e->dest) : NULL;
        if (named)
            dst = dest_handle(p, named);
        else if (e->page < p->pages.n)
            dst = rc_pdf_destination(p, e->page, 0, e->y);
        else {
            rc_diag_warning(p->d, (rc_loc){p->path, 0, 0},
                            "bookmark '%s' points past the last page; left out",
                            e->title ? e->title : "");
            continue;
        }
        if (rc_pdf_failed(p)) return;
        HPDF_Outline up = NULL;
        for (int k = lv - 1; k >= 1 && !up; k--)
            up = parent[k];
        const char *title =
            rc_pdf_text(p, e->title ? e->title : "", e->title ? strlen(e->title) : 0);
        HPDF_Outline o = HPDF_CreateOutline(p->doc, up, title, enc);
        if (!o) return;
        if (dst) rc_pdf_ok(p, HPDF_Outline_SetDestination(o, dst));
        rc_pdf_ok(p, HPDF_Outline_SetOpened(o, lv == 1 ? HPDF_TRUE : HPDF_FALSE));
        parent[lv] = o;
        for (int k = lv + 1; k <= MAXLV; k++)
            parent[k] = NULL;
    }
}

/* The label dictionary libharu just appended to /PageLabels /Nums. */
static HPDF_Dict last_label(rc_pdf *p)
{
    HPDF_Dict labels = HPDF_Dict_GetItem(p->doc->catalog, "PageLabels", HPDF_OCLASS_DICT);
    if (!labels) return NULL;
    HPDF_Array nums = HPDF_Dict_GetItem(labels, "Nums", HPDF_OCLASS_ARRAY);
    if (!nums || nums->list->count == 0) return NULL;
    return HPDF_Array_GetItem(nums, nums->list->count - 1, HPDF_OCLASS_DICT);
}

/* One label range per run of pages whose numbers continue in one style.
 * Unnumbered pages (the cover) get a range without a numbering style, which
 * viewers show as an empty label. */
void rc_pdf_page_labels(rc_pdf *p, const rc_layout *lay)
{
    for (size_t i = 0; i < lay->pages.n && !rc_pdf_failed(p); i++) {
        const rc_page *pg = &lay->pages.v[i];
        if (i > 0) {
            const rc_page *prev = &lay->pages.v[i - 1];
            if (prev->style == pg->style &&
                (pg->style == RC_PAGE_NONE || pg->number == prev->number + 1))
                continue;
        }
        HPDF_PageNumStyle st = pg->style == RC_PAGE_ROMAN ? HPDF_PAGE_NUM_STYLE_LOWER_ROMAN
                                                          : HPDF_PAGE_NUM_STYLE_DECIMAL;
        HPDF_UINT first = pg->number > 0 ? (HPDF_UINT)pg->number : 1;
        if (!rc_pdf_ok(p, HPDF_AddPageLabel(p->doc, (HPDF_UINT)i, st, first, NULL))) return;
        if (pg->style == RC_PAGE_NONE) {
            HPDF_Dict lab = last_label(p);
            if (!lab) {
                rc_pdf_ok(p, HPDF_INVALID_OBJECT);
                return;
            }
            HPDF_Dict_RemoveElement(lab, "S");
            HPDF_Dict_RemoveElement(lab, "St");
        }
    }
}
