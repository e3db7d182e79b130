/* tag: the structure tree's elements (see rc/tag.h). */
#include "rc/tag.h"

#include <assert.h>

static const char *const names[RC_TAG_TYPE_COUNT] = {
#define RC_TAG_NAME(id, name) [RC_TAG_##id] = name,
    RC_TAG_TYPES(RC_TAG_NAME)
#undef RC_TAG_NAME
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
