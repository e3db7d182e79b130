/* pdf_nav: navigation structures: named destinations (collected before
 * drawing, so forward links resolve), link annotations, the bookmark outline
 * and the page labels that make viewers show the printed page numbers. */
#include <string.h>

#include "pdf_int.h"
#include "rc/hash.h"

rc_pdf_dest *rc_pdf_dest_find(rc_pdf *p, const char *id)
{
    if (!p->dcap || !id) return NULL;
    size_t mask = p->dcap - 1;
    for (size_t i = (size_t)rc_hash_str(id, 0) & mask;; i = (i + 1) & mask) {
        if (!p->dests[i].id) return NULL;
        if (strcmp(p->dests[i].id, id) == 0) return &p->dests[i];
    }
}

static void insert(rc_pdf_dest *tab, size_t cap, rc_pdf_dest e)
{
    size_t mask = cap - 1;
    size_t i = (size_t)rc_hash_str(e.id, 0) & mask;
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
    rc_pdf_dest e = {id, page, x, y};
    insert(p->dests, p->dcap, e);
    p->ndests++;
}

/* " /Dest [page /XYZ left top null]": null keeps the reader's zoom (libharu's
 * SetXYZ insists on one between 0.08 and 32). Written in the annotation or
 * bookmark itself: an object of its own per destination cost a number, a
 * placeholder and a table entry for each. */
static void put_dest(rc_pdf_rw *w, size_t pg, double y)
{
    rc_pdf_rw_put(w, " /Dest [");
    rc_pdf_rw_ref(w, rc_pdf_num(w->p->pages.v[pg]));
    rc_pdf_rw_put(w, " /XYZ 0");
    rc_pdf_rw_real(w, y < 0 ? 0 : y);
    rc_pdf_rw_put(w, " null ]");
}

/* Link annotation lk as object lk->num with parent-tree key lk->key. */
static void write_link(rc_pdf_rw *w, const rc_pdf_link *lk, const rc_pdf_dest *e)
{
    rc_pdf *p = w->p;
    rc_pdf_rw_begin(w);
    rc_pdf_rw_put(w, "<< /Type /Annot /Subtype /Link /Rect [");
    for (int k = 0; k < 4; k++)
        rc_pdf_rw_real(w, lk->rect[k]);
    rc_pdf_rw_put(w, " ] /P");
    rc_pdf_rw_ref(w, rc_pdf_num(p->pages.v[lk->page_index]));
    /* no border; PDF/A: printable (/F 4); PDF/UA: a description */
    rc_pdf_rw_put(w, " /Border [ 0 0 0 ] /F 4");
    if (lk->text && lk->len) {
        rc_pdf_rw_put(w, " /Contents");
        rc_pdf_rw_text(w, lk->text, lk->len);
    }
    rc_pdf_rw_put(w, " /StructParent ");
    rc_pdf_rw_uint(w, p->pages.n + lk->key);
    if (e) {
        put_dest(w, e->page, e->y);
    } else {
        rc_pdf_rw_put(w, " /A << /Type /Action /S /URI /URI");
        rc_pdf_rw_bytes(w, lk->uri, strlen(lk->uri));
        rc_pdf_rw_put(w, " >>");
    }
    rc_pdf_rw_put(w, " >>");
    rc_pdf_rw_end(w, lk->num);
}

/* Every link, in drawing order; internal ones enter the structure tree
 * here (after all content: as before, when they were libharu's), URI ones
 * did while their page was drawn. Then each page's /Annots, an array
 * object of its own. */
void rc_pdf_links(rc_pdf *p)
{
    size_t np = p->pages.n;
    if (!p->links.n || !np) return;
    rc_pdf_rw w;
    rc_pdf_rw_init(&w, p);
    /* per page: how many annotations, then where its list starts in at[] */
    size_t *start = rc_arena_array(p->a, np + 1, sizeof *start);
    for (size_t i = 0; i < p->links.n && !rc_pdf_failed(p); i++) {
        rc_pdf_link *lk = &p->links.v[i];
        rc_pdf_dest *e = NULL;
        if (lk->dest) {
            e = rc_pdf_dest_find(p, lk->dest);
            if (!e || e->page >= np) {
                rc_diag_warning(p->d, (rc_loc){p->path, 0, 0},
                                "link to unknown destination '%s' left out", lk->dest);
                lk->num = 0;
                continue;
            }
            lk->num = rc_pdf_num(rc_pdf_placeholder(p));
            if (!lk->num) return;
            lk->key = rc_pdf_struct_annot(p, lk->num, lk->page_index, lk->tag);
        }
        if (!lk->num || lk->page_index >= np) continue;
        write_link(&w, lk, e);
        start[lk->page_index + 1]++;
    }
    for (size_t g = 0; g < np; g++)
        start[g + 1] += start[g];
    uint32_t *at = rc_arena_array(p->a, start[np] ? start[np] : 1, sizeof *at);
    size_t *fill = rc_arena_array(p->a, np, sizeof *fill);
    for (size_t i = 0; i < p->links.n; i++) {
        const rc_pdf_link *lk = &p->links.v[i];
        if (lk->num && lk->page_index < np)
            at[start[lk->page_index] + fill[lk->page_index]++] = lk->num;
    }
    for (size_t g = 0; g < np && !rc_pdf_failed(p); g++) {
        if (start[g] == start[g + 1]) continue;
        HPDF_Obj_Header *arr = rc_pdf_placeholder(p);
        if (!arr) return;
        rc_pdf_rw_begin(&w);
        rc_pdf_rw_put(&w, "[");
        for (size_t k = start[g]; k < start[g + 1]; k++)
            rc_pdf_rw_ref(&w, at[k]);
        rc_pdf_rw_put(&w, " ]");
        rc_pdf_rw_end(&w, rc_pdf_num(arr));
        rc_pdf_ok(p, HPDF_Dict_Add(p->pages.v[g], "Annots", arr));
    }
}

/* Bookmarks nest by level: an entry's parent is the latest entry of a lower
 * level (a jump from level 1 to 3 hangs the 3 under the 1). Top-level
 * entries are shown open, deeper ones closed. Each item's /Count is
 * libharu's: the items shown below it (its children, and theirs while
 * open), negative when it is closed; none when it has no children. */
typedef struct bm {
    size_t entry;                           /* in lay->outline */
    size_t parent, first, last, prev, next; /* items + 1; 0: none */
    size_t page;                            /* where it points (its named destination's, */
    double y;                               /* else the entry's own) */
    uint32_t num;
    bool open;
    long count;
} bm;

void rc_pdf_outline(rc_pdf *p, const rc_layout *lay)
{
    enum { MAXLV = 16 };
    size_t n = 0, np = p->pages.n;
    if (!lay->outline.n) return;
    /* items + 1 for the root, at index 0 */
    bm *b = rc_arena_array(p->a, lay->outline.n + 1, sizeof *b);
    b[0].open = true;
    size_t parent[MAXLV + 1] = {0}; /* the latest item of each level, + 1 (0: none) */
    for (size_t i = 0; i < lay->outline.n; i++) {
        const rc_outline_entry *e = &lay->outline.v[i];
        int lv = e->level < 1 ? 1 : e->level > MAXLV ? MAXLV : e->level;
        rc_pdf_dest *named = e->dest ? rc_pdf_dest_find(p, e->dest) : NULL;
        if (named && named->page >= np) named = NULL;
        if (!named && e->page >= np) {
            rc_diag_warning(p->d, (rc_loc){p->path, 0, 0},
                            "bookmark '%s' points past the last page; left out",
                            e->title ? e->title : "");
            continue;
        }
        size_t up = 0;
        for (int k = lv - 1; k >= 1 && !up; k--)
            up = parent[k];
        size_t me = ++n;
        b[me] = (bm){.entry = i,
                     .parent = up,
                     .page = named ? named->page : e->page,
                     .y = named ? named->y : e->y,
                     .open = lv == 1};
        bm *u = &b[up];
        if (u->last) {
            b[u->last].next = me;
            b[me].prev = u->last;
        } else {
            u->first = me;
        }
        u->last = me;
        parent[lv] = me;
        for (int k = lv + 1; k <= MAXLV; k++)
            parent[k] = 0;
    }
    if (!n) return;
    /* counts, children before parents (a child's index is its parent's + 1
     * or more) */
    for (size_t i = n + 1; i-- > 0;) {
        long c = 0;
        for (size_t k = b[i].first; k; k = b[k].next)
            c += 1 + (b[k].open ? b[k].count : 0);
        b[i].count = c;
    }
    for (size_t i = 0; i <= n; i++) {
        HPDF_Obj_Header *h = rc_pdf_placeholder(p);
        if (!h) return;
        b[i].num = rc_pdf_num(h);
        if (i == 0) rc_pdf_ok(p, HPDF_Dict_Add(p->doc->catalog, "Outlines", h));
    }
    rc_pdf_rw w;
    rc_pdf_rw_init(&w, p);
    for (size_t i = 0; i <= n && !rc_pdf_failed(p); i++) {
        const bm *m = &b[i];
        rc_pdf_rw_begin(&w);
        rc_pdf_rw_put(&w, "<< /Type /Outlines");
        if (i) {
            const rc_outline_entry *e = &lay->outline.v[m->entry];
            rc_pdf_rw_put(&w, " /Title");
            rc_pdf_rw_text(&w, e->title ? e->title : "", e->title ? strlen(e->title) : 0);
            rc_pdf_rw_put(&w, " /Parent");
            rc_pdf_rw_ref(&w, b[m->parent].num);
            if (m->prev) {
                rc_pdf_rw_put(&w, " /Prev");
                rc_pdf_rw_ref(&w, b[m->prev].num);
            }
            if (m->next) {
                rc_pdf_rw_put(&w, " /Next");
                rc_pdf_rw_ref(&w, b[m->next].num);
            }
            put_dest(&w, m->page, m->y);
        }
        if (m->first) {
            rc_pdf_rw_put(&w, " /First");
            rc_pdf_rw_ref(&w, b[m->first].num);
            rc_pdf_rw_put(&w, " /Last");
            rc_pdf_rw_ref(&w, b[m->last].num);
            rc_pdf_rw_put(&w, " /Count ");
            if (!m->open) rc_pdf_rw_put(&w, "-");
            rc_pdf_rw_uint(&w, (size_t)m->count);
        }
        rc_pdf_rw_put(&w, " >>");
        rc_pdf_rw_end(&w, m->num);
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
