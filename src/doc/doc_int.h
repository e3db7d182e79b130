/* doc_int: what the doc*.c files share and nobody else sees.
 *   doc.c        tree helpers, dump, plain text, rc_doc_build, finishing
 *   doc_md.c     cmark-gfm tree -> rc_node (blocks, inlines, headings, footnotes)
 *   doc_inline.c placeholders {{...}} and cross-references
 *   doc_float.c  float placement: figures, tables (file / aggregate), boxes
 *   doc_cmem.c   the allocator cmark-gfm parses with (a slab per parse) */
#ifndef RC_DOC_INT_H
#define RC_DOC_INT_H

#include <cmark-gfm.h>

#include "rc/doc.h"

enum { K_FIGURE, K_TABLE, K_BOX, K_COUNT };

struct rc_doc_state;
/* doc_aggref.c: {{AGG[ROW].STAT}} and {{AGG[ROW][COL].STAT}} placeholders. */
bool rc_doc_is_aggref(const char *name);
/* The value of ref and its default format; reports at loc and returns false
 * when the aggregate, row, column or statistic does not exist. */
bool rc_doc_aggref(struct rc_doc_state *st, const char *ref, rc_loc loc, double *value,
                   const char **dflt_format);

/* Deeper nesting (blockquotes, lists, emphasis) is reported and cut: the
 * conversion recurses, and Markdown from a fuzzer can nest 100 000 levels. */
#define RC_DOC_MAX_DEPTH 100

/* A cross-reference waiting for its float's number. */
typedef struct rc_xref {
    rc_node *text;    /* TEXT node that receives "Figure 6" / "6" */
    int kind;         /* K_FIGURE ... */
    size_t index;     /* into cfg->figures / tables / boxes */
    bool number_only; /* {{#figure:x}} */
    bool done;
    rc_loc loc;
} rc_xref;

typedef struct rc_doc_state {
    rc_arena *a;
    rc_diag *d;
    rc_doc *doc;
    const rc_locale *loc;
    int chapter, section, subsection, annex;
    int nfloat[K_COUNT];
    int nfootnote;
    size_t ndeclared[K_COUNT];
    rc_node **placed[K_COUNT]; /* per declared float; NULL until placed */
    RC_VEC(rc_xref) xrefs;
    RC_VEC(const char *) ids; /* heading ids in use */
    bool depth_reported;
    bool limit_hit; /* a resource limit was exceeded (nesting, file size) */
    /* footnotes cited from the text, and references made inside a footnote:
     * a note only ever cited from other notes would never be printed */
    RC_VEC(const rc_node *) fn_in_text;
    RC_VEC(const rc_node *) fn_nested; /* FOOTNOTE_REF nodes inside a note */
} rc_doc_state;

typedef enum md_mode { MD_SECTION, MD_BOX, MD_TABLE } md_mode;

/* One Markdown source being converted. */
typedef struct rc_md {
    rc_doc_state *st;
    const char *file;
    const char *text;
    size_t len;
    size_t *line_start; /* byte offset of each line (index 0 = line 1) */
    size_t nlines;
    rc_part part;
    md_mode mode;
    cmark_node **fdefs; /* top-level footnote definitions, cmark's order */
    rc_node **fconv;    /* their converted nodes, NULL until referenced */
    size_t nfdefs;
    int depth;
    bool in_link; /* converting a link's text: no nested links */
    bool in_note; /* inside a footnote or box: headings not in contents */
    bool in_fn;   /* inside a footnote definition */
    /* doc_memo.c: the cmark tree taken from or given to the memo (NULL:
     * the parse's own), the text's hash, and whether the memo wants it */
    cmark_node *memo_root;
    uint64_t memo_h;
    bool memo_keep;
    /* doc_cmem.c: the allocator's slab before this tree's (rc_md_parse
     * makes the tree's current until rc_md_release), and whether the text
     * was valid UTF-8 as read */
    struct rc_cmem_slab *cmem_prev;
    bool utf8_ok;
} rc_md;

/* doc.c */
rc_doc_state *rc_doc_state_get(rc_doc *doc, rc_arena *a, rc_diag *d);
void rc_doc_resolve(rc_doc_state *st, bool final);

/* doc_md.c */
/* Parses m->text with the report's cmark options; NULL on library failure
 * (reported). The caller frees the result with cmark_node_free. */
cmark_node *rc_md_parse(rc_md *m, const char *file, const char *text, size_t len);
/* Gives back a tree from rc_md_parse when converted (to the memo, or
 * freed). */
void rc_md_release(rc_md *m, cmark_node *root);
rc_loc rc_md_loc(const rc_md *m, cmark_node *n, rc_loc fallback);

/* doc_memo.c (see rc_doc_memo_enable): the tree kept for text[0..len),
 * taken (with m's NFC text and line index set, in the arena), or NULL:
 * then parse, and offer the tree with rc_md_memo_keep. */
cmark_node *rc_md_memo_take(rc_md *m, const char *text, size_t len);
void rc_md_memo_keep(rc_md *m, const char *text, size_t len, cmark_node *root);
/* Gives m->memo_root back to the memo (its conversion is done). */
void rc_md_memo_give_back(rc_md *m);
void rc_md_blocks(rc_md *m, cmark_node *cm, rc_node *parent);
void rc_md_inlines(rc_md *m, cmark_node *cm, rc_node *parent, rc_loc block_loc);
rc_node *rc_md_table(rc_md *m, cmark_node *cm, rc_node *table);
bool rc_md_is(cmark_node *n, const char *type_string);
/* Converts a whole Markdown source into a SECTION / the children of parent. */
rc_node *rc_md_section(rc_doc_state *st, const char *file, const char *text, size_t len,
                       rc_part part);
void rc_md_into(rc_doc_state *st, const char *file, const char *text, size_t len, md_mode mode,
                rc_node *parent, rc_loc err_loc);

/* doc_cmem.c: the allocator cmark-gfm parses with, a slab per parse that
 * goes back to libc when its last allocation (the tree's) is freed.
 * rc_cmem_begin makes a new slab this thread's current one and returns the
 * one before; rc_cmem_end(that) puts it back once the parse is done. */
typedef struct rc_cmem_slab rc_cmem_slab;
extern cmark_mem rc_cmem;
rc_cmem_slab *rc_cmem_begin(void);
void rc_cmem_end(rc_cmem_slab *prev);
/* While a tree is converted, the C strings cmark makes on first read come
 * from the tree's slab: enter with the root, leave with what enter gave. */
rc_cmem_slab *rc_cmem_enter(const cmark_node *root);
void rc_cmem_leave(rc_cmem_slab *prev);

/* doc_attr.c */
/* Reads and removes the attribute block ({short_title="..." share_page=yes})
 * ending heading h's source line; part_title: h opens its file (elsewhere a
 * block is an error). */
void rc_md_heading_attrs(rc_md *m, rc_node *h, bool part_title);

/* doc_inline.c */
/* A run of adjacent cmark text nodes merged into lit: segment i starts at
 * byte off of lit and at source line:col (0:0 when cmark gave none). */
typedef struct rc_seg {
    size_t off;
    unsigned line, col;
} rc_seg;
void rc_doc_text(rc_md *m, const char *lit, size_t len, const rc_seg *segs, size_t nsegs,
                 rc_node *parent, rc_loc block_loc);
/* Expands metric placeholders in a config string (captions); cross-references
 * are reported as unsupported there. */
const char *rc_doc_expand_plain(rc_doc_state *st, const rc_str *s);
bool rc_doc_find_float(rc_doc_state *st, int kind, const char *name, size_t *index);
const char *rc_doc_kind_name(int kind);

/* doc_float.c */
/* If paragraph cm is a float placement ![](figure:x), converts it into
 * parent and returns true. */
bool rc_doc_place(rc_md *m, cmark_node *cm, rc_node *parent);

#endif
