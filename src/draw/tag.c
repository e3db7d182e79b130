/* tag: the structure tree's elements (see rc/tag.h). */
#include "rc/tag.h"

#include <assert.h>

static const char *const names[RC_TAG_TYPE_COUNT] = {
    [RC_TAG_DOCUMENT] = "Document",
    [RC_TAG_PART] = "Part",
    [RC_TAG_SECT] = "Sect",
    [RC_TAG_DIV] = "Div",
    [RC_TAG_H1] = "H1",
    [RC_TAG_H2] = "H2",
    [RC_TAG_H3] = "H3",
    [RC_TAG_H4] = "H4",
    [RC_TAG_H5] = "H5",
    [RC_TAG_H6] = "H6",
    [RC_TAG_P] = "P",
    [RC_TAG_L] = "L",
    [RC_TAG_LI] = "LI",
    [RC_TAG_LBL] = "Lbl",
    [RC_TAG_LBODY] = "LBody",
    [RC_TAG_TABLE] = "Table",
    [RC_TAG_THEAD] = "THead",
    [RC_TAG_TBODY] = "TBody",
    [RC_TAG_TR] = "TR",
    [RC_TAG_TH] = "TH",
    [RC_TAG_TD] = "TD",
    [RC_TAG_FIGURE] = "Figure",
    [RC_TAG_CAPTION] = "Caption",
    [RC_TAG_NOTE] = "Note",
    [RC_TAG_TOC] = "TOC",
    [RC_TAG_TOCI] = "TOCI",
    [RC_TAG_LINK] = "Link",
    [RC_TAG_BLOCKQUOTE] = "BlockQuote",
    [RC_TAG_CODE] = "Code",
    [RC_TAG_SPAN] = "Span",
};

rc_tags *rc_tags_new(rc_arena *a, rc_tag_type root)
{
    rc_tags *t = rc_arena_alloc(a, sizeof *t);
    t->root = rc_arena_alloc(a, sizeof *t->root);
    t->root->type = root;
    RC_PUSH(a, t->all, t->root);
    return t;
}

rc_tag *rc_tag_add(rc_arena *a, rc_tags *t, rc_tag *parent, rc_tag_type type)
{
    assert(t != NULL && (unsigned)type < RC_TAG_TYPE_COUNT);
    rc_tag *e = rc_arena_alloc(a, sizeof *e);
    e->type = type;
    e->parent = parent ? parent : t->root;
    e->index = t->all.n;
    RC_PUSH(a, t->all, e);
    return e;
}

rc_tag_type rc_tag_heading(int level)
{
    if (level < 1) level = 1;
    if (level > 6) level = 6;
    return (rc_tag_type)(RC_TAG_H1 + level - 1);
}

const char *rc_tag_name(rc_tag_type type)
{
    return (unsigned)type < RC_TAG_TYPE_COUNT ? names[type] : "Span";
}
