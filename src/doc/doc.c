/* doc: the document tree: helpers, the text dump used by golden tests, and
 * the build that turns [document] into one tree (generated pages, sections
 * in the order front, chapters, back, lists, annexes, back cover). The
 * Markdown conversion itself is in doc_md.c, placeholders in doc_inline.c,
 * floats in doc_float.c. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "doc_int.h"
#include "rc/util.h"

#define RC_NODE_NAME(id, name) [RC_NODE_##id] = name,
static const char *const type_names[RC_NODE_TYPE_COUNT] = {RC_NODE_TYPES(RC_NODE_NAME)};
#undef RC_NODE_NAME

const char *rc_node_type_name(rc_node_type t)
{
    if ((unsigned)t >= RC_NODE_TYPE_COUNT) return "unknown";
    return type_names[t];
}

rc_node *rc_node_new(rc_arena *a, rc_node_type t, rc_loc loc)
{
    rc_node *n = rc_arena_alloc(a, sizeof *n);
    n->type = t;
    n->loc = loc;
    return n;
}

void rc_node_append(rc_node *parent, rc_node *child)
{
    child->parent = parent;
    child->next = NULL;
    child->prev = parent->last;
    if (parent->last)
        parent->last->next = child;
    else
        parent->first = child;
    parent->last = child;
}

/* ---- plain text -------------------------------------------------------- */

typedef rc_strbuf sbuf;

static void plain(sbuf *b, const rc_node *n, int depth)
{
    if (depth > RC_DOC_MAX_DEPTH * 4) return;
    switch (n->type) {
    case RC_NODE_TEXT:
    case RC_NODE_CODE:
        if (n->text) rc_strbuf_put(b, n->text, n->len);
        return;
    case RC_NODE_SOFTBREAK:
    case RC_NODE_LINEBREAK:
        rc_strbuf_put(b, " ", 1);
        return;
    case RC_NODE_FOOTNOTE_REF:
        return;
    default:
        break;
    }
    for (const rc_node *c = n->first; c; c = c->next) {
        /* blocks (paragraphs, cells) are separated by one space, but an empty
         * one adds nothing */
        size_t mark = b->n;
        bool sep = c->type < RC_NODE_TEXT && b->n && b->s[b->n - 1] != ' ';
        if (sep) rc_strbuf_put(b, " ", 1);
        plain(b, c, depth + 1);
        if (sep && b->n == mark + 1) {
            b->n = mark;
            b->s[mark] = '\0';
        }
    }
}

char *rc_node_plain_text(rc_arena *a, const rc_node *n)
{
    sbuf b = {a, NULL, 0, 0};
    rc_strbuf_put(&b, "", 0);
    if (n) plain(&b, n, 0);
    return b.s;
}

/* ---- dump ---------------------------------------------------------------- */

static void dump_str(FILE *out, const char *key, const char *s, size_t len)
{
    if (!s) return;
    fprintf(out, " %s\"", key);
    for (size_t i = 0; i < len; i++) {
        static const char *const esc[128] = {
            ['"'] = "\\\"", ['\\'] = "\\\\", ['\n'] = "\\n", ['\t'] = "\\t"};
        unsigned char c = (unsigned char)s[i];
        if (c < 128 && esc[c])
            fputs(esc[c], out);
        else if (c < 0x20 || c == 0x7f)
            fprintf(out, "\\x%02x", c);
        else
            fputc(c, out);
    }
    fputc('"', out);
}

static void dump_attr(FILE *out, const char *key, const char *s)
{
    if (s) dump_str(out, key, s, strlen(s));
}

static const char *part_name(rc_part p)
{
    static const char *const names[] = {[RC_PART_FRONT] = "front",
                                        [RC_PART_MAIN] = "main",
                                        [RC_PART_BACK] = "back",
                                        [RC_PART_ANNEX] = "annex"};
    return (unsigned)p < sizeof names / sizeof *names ? names[p] : "?";
}

/* NULL for RC_ALIGN_NONE: the dump leaves the attribute out. */
static const char *align_name(rc_align al)
{
    static const char *const names[] = {
        [RC_ALIGN_LEFT] = "left", [RC_ALIGN_CENTER] = "center", [RC_ALIGN_RIGHT] = "right"};
    return (unsigned)al < sizeof names / sizeof *names ? names[al] : NULL;
}

static void dump_node(const rc_node *n, FILE *out, int depth)
{
    fprintf(out, "%*s%s", depth * 2, "", rc_node_type_name(n->type));
    switch (n->type) {
    case RC_NODE_SECTION:
        fprintf(out, " part=%s", part_name(n->part));
        if (n->loc.file) fprintf(out, " file=%s", rc_path_base(n->loc.file));
        break;
    case RC_NODE_HEADING:
        fprintf(out, " level=%d", n->level);
        dump_attr(out, "number=", n->number);
        dump_attr(out, "id=", n->id);
        if (n->in_toc) fputs(" toc", out);
        dump_attr(out, "short_title=", n->short_title);
        if (n->share_page) fputs(" share_page", out);
        break;
    case RC_NODE_LIST:
        fprintf(out, " %s", n->ordered ? "ordered" : "bullet");
        if (n->ordered) fprintf(out, " start=%d", n->start);
        fputs(n->tight ? " tight" : " loose", out);
        break;
    case RC_NODE_LIST_OF:
        fputs(n->list == RC_LIST_FIGURES  ? " figures"
              : n->list == RC_LIST_TABLES ? " tables"
                                          : " boxes",
              out);
        break;
    case RC_NODE_TABLE:
        fprintf(out, " cols=%zu", n->ncols);
        /* fallthrough */
    case RC_NODE_FIGURE:
    case RC_NODE_BOX:
        dump_attr(out, "number=", n->number);
        dump_attr(out, "id=", n->id);
        dump_attr(out, "caption=", n->caption);
        dump_attr(out, "source=", n->source_line);
        dump_attr(out, "note=", n->note);
        if (n->type == RC_NODE_FIGURE) fputs(n->chart ? " chart" : " nochart", out);
        break;
    case RC_NODE_TABLE_ROW:
        if (n->header) fputs(" header", out);
        break;
    case RC_NODE_TABLE_CELL:
        if (align_name(n->align)) fprintf(out, " align=%s", align_name(n->align));
        break;
    case RC_NODE_LINK:
        dump_attr(out, "url=", n->url);
        break;
    case RC_NODE_FOOTNOTE_REF:
    case RC_NODE_FOOTNOTE_DEF:
        fprintf(out, " n=%d", n->footnote);
        dump_attr(out, "id=", n->id);
        break;
    case RC_NODE_TEXT:
    case RC_NODE_CODE:
    case RC_NODE_CODE_BLOCK:
        dump_str(out, "", n->text, n->len);
        break;
    default:
        break;
    }
    if (n->loc.line) fprintf(out, " @%u:%u", n->loc.line, n->loc.col);
    fputc('\n', out);
    if (depth > RC_DOC_MAX_DEPTH * 4) return;
    for (const rc_node *c = n->first; c; c = c->next)
        dump_node(c, out, depth + 1);
    /* a footnote's body is shown under its first reference */
    if (n->type == RC_NODE_FOOTNOTE_REF && n->id && n->footnote_def)
        dump_node(n->footnote_def, out, depth + 1);
}

void rc_doc_dump(const rc_node *n, FILE *out)
{
    if (n) dump_node(n, out, 0);
}

/* ---- state, resolution ------------------------------------------------- */

rc_doc_state *rc_doc_state_get(rc_doc *doc, rc_arena *a, rc_diag *d)
{
    if (doc->state) {
        doc->state->d = d;
        return doc->state;
    }
    rc_doc_state *st = rc_arena_alloc(a, sizeof *st);
    st->a = a;
    st->d = d;
    st->doc = doc;
    st->loc = doc->locale ? doc->locale : rc_locale_get("en");
    if (!doc->locale) doc->locale = st->loc;
    const rc_config *c = doc->cfg;
    st->ndeclared[K_FIGURE] = c ? c->nfigures : 0;
    st->ndeclared[K_TABLE] = c ? c->ntables : 0;
    st->ndeclared[K_BOX] = c ? c->nboxes : 0;
    for (int k = 0; k < K_COUNT; k++)
        st->placed[k] = rc_arena_array(a, st->ndeclared[k] + 1, sizeof(rc_node *));
    if (!doc->root)
        doc->root = rc_node_new(a, RC_NODE_DOCUMENT, (rc_loc){c ? c->path : NULL, 0, 0});
    doc->state = st;
    return st;
}

static const char *float_name(const rc_config *c, int kind, size_t i)
{
    return kind == K_FIGURE  ? c->figures[i].name.s
           : kind == K_TABLE ? c->tables[i].name.s
                             : c->boxes[i].name.s;
}

static const rc_word kind_word[K_COUNT] = {RC_W_FIGURE, RC_W_TABLE, RC_W_BOX};

/* Gives every pending reference whose float is placed its text; with final,
 * the rest are errors. */
void rc_doc_resolve(rc_doc_state *st, bool final)
{
    for (size_t i = 0; i < st->xrefs.n; i++) {
        rc_xref *x = &st->xrefs.v[i];
        if (x->done) continue;
        const rc_node *f = st->placed[x->kind][x->index];
        if (!f) {
            if (final) {
                x->done = true;
                const char *name = float_name(st->doc->cfg, x->kind, x->index);
                const char *kn = rc_doc_kind_name(x->kind);
                rc_diag_error(st->d, x->loc,
                              "%s '%s' is referenced but never placed (add ![](%s:%s))", kn, name,
                              kn, name);
            }
            continue;
        }
        x->done = true;
        const char *s =
            x->number_only
                ? f->number
                : rc_arena_printf(st->a, "%s %s", rc_locale_word(st->loc, kind_word[x->kind]),
                                  f->number);
        x->text->text = s;
        x->text->len = strlen(s);
    }
}

rc_status rc_doc_finish(rc_doc *doc, rc_diag *d)
{
    if (!doc->state) return RC_OK;
    rc_doc_state *st = doc->state;
    st->d = d;
    size_t before = rc_diag_errors(d);
    rc_doc_resolve(st, true);
    /* A note cited only from inside other notes is never printed (notes
     * have no notes of their own): its text would be lost. */
    for (size_t i = 0; i < st->fn_nested.n; i++) {
        const rc_node *r = st->fn_nested.v[i];
        bool in_text = false;
        for (size_t k = 0; k < st->fn_in_text.n && !in_text; k++)
            in_text = st->fn_in_text.v[k] == r->footnote_def;
        for (size_t k = 0; k < i && !in_text; k++) /* reported once per note */
            in_text = st->fn_nested.v[k]->footnote_def == r->footnote_def;
        if (!in_text)
            rc_diag_error(d, r->loc,
                          "footnote %d is cited only inside another footnote, where it would "
                          "not be printed; cite it from the text or merge it into that note",
                          r->footnote);
    }
    const rc_config *c = doc->cfg;
    for (size_t i = 0; c && i < c->nfigures; i++)
        if (!st->placed[K_FIGURE][i])
            rc_diag_warning(d, c->figures[i].loc, "figure '%s' is declared but never placed",
                            c->figures[i].name.s);
    for (size_t i = 0; c && i < c->ntables; i++)
        if (!st->placed[K_TABLE][i])
            rc_diag_warning(d, c->tables[i].loc, "table '%s' is declared but never placed",
                            c->tables[i].name.s);
    for (size_t i = 0; c && i < c->nboxes; i++)
        if (!st->placed[K_BOX][i])
            rc_diag_warning(d, c->boxes[i].loc, "box '%s' is declared but never placed",
                            c->boxes[i].name.s);
    return rc_diag_errors(d) > before ? RC_ERR_DATA : RC_OK;
}

/* ---- building ------------------------------------------------------------ */

rc_node *rc_doc_parse_markdown(rc_arena *a, rc_doc *doc, const char *file, const char *text,
                               size_t len, rc_part part, rc_diag *d)
{
    rc_doc_state *st = rc_doc_state_get(doc, a, d);
    rc_node *sec = rc_md_section(st, file, text, len, part);
    if (sec) rc_node_append(doc->root, sec);
    rc_doc_resolve(st, false);
    return sec;
}

static void add_generated(rc_doc *doc, rc_arena *a, rc_node_type t, rc_loc loc)
{
    rc_node_append(doc->root, rc_node_new(a, t, loc));
}

static void add_files(rc_doc *doc, rc_arena *a, rc_diag *d, const rc_strlist *files,
                      const char **paths, rc_part part)
{
    for (size_t i = 0; i < files->n; i++) {
        const char *path =
            paths && paths[i] ? paths[i] : rc_path_join(a, doc->cfg->dir, files->v[i].s);
        char *text = NULL;
        size_t len = 0;
        rc_status rs = rc_read_file(a, path, &text, &len);
        if (rs != RC_OK) {
            rc_diag_error(d, files->v[i].loc, "cannot read Markdown file '%s': %s", files->v[i].s,
                          rc_read_error(errno));
            if (rs == RC_ERR_LIMIT) doc->state->limit_hit = true;
            continue;
        }
        rc_doc_parse_markdown(a, doc, path, text, len, part, d);
    }
}

rc_status rc_doc_build(rc_arena *a, const rc_config *cfg, const rc_data *data, const rc_locale *loc,
                       rc_diag *d, rc_doc *out)
{
    memset(out, 0, sizeof *out);
    out->cfg = cfg;
    out->data = data;
    out->locale = loc ? loc : rc_locale_get("en");
    size_t before = rc_diag_errors(d);
    rc_doc_state_get(out, a, d);
    const rc_document_cfg *dc = &cfg->document;
    if (dc->cover) add_generated(out, a, RC_NODE_COVER, dc->loc);
    if (dc->imprint) add_generated(out, a, RC_NODE_IMPRINT, dc->loc);
    if (dc->contents) add_generated(out, a, RC_NODE_TOC, dc->loc);
    add_files(out, a, d, &dc->front, dc->front_path, RC_PART_FRONT);
    add_files(out, a, d, &dc->chapters, dc->chapter_path, RC_PART_MAIN);
    add_files(out, a, d, &dc->back, dc->back_path, RC_PART_BACK);
    for (size_t i = 0; i < dc->lists.n; i++) {
        const char *s = dc->lists.v[i].s;
        rc_list_kind k;
        if (!strcmp(s, "figures"))
            k = RC_LIST_FIGURES;
        else if (!strcmp(s, "tables"))
            k = RC_LIST_TABLES;
        else if (!strcmp(s, "boxes"))
            k = RC_LIST_BOXES;
        else {
            rc_diag_error(d, dc->lists.v[i].loc,
                          "unknown list '%s' (expected figures, tables or boxes)", s);
            continue;
        }
        rc_node *n = rc_node_new(a, RC_NODE_LIST_OF, dc->lists.v[i].loc);
        n->list = k;
        rc_node_append(out->root, n);
    }
    add_files(out, a, d, &dc->annexes, dc->annex_path, RC_PART_ANNEX);
    if (dc->back_cover) add_generated(out, a, RC_NODE_BACK_COVER, dc->loc);
    rc_doc_finish(out, d);
    if (rc_diag_errors(d) == before) return RC_OK;
    return out->state->limit_hit ? RC_ERR_LIMIT : RC_ERR_DATA;
}
