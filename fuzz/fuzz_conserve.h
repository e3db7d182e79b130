/* fuzz_conserve: the text-conservation oracle of the pipeline fuzz target
 * (tests/e2e/text_conservation.py is its fuller, PDF-reading sibling).
 * After a successful layout:
 *  - every letter of the document's prose (text, code and code blocks of the
 *    tree, with the footnotes the layout shows: those referenced outside a
 *    footnote) is drawn at least as often as it occurs, case folded. Letters
 *    rather than words, because a word may be drawn in pieces (hyphenation,
 *    a font change inside it) and pieces carry no spacing;
 *  - every text drawn lies inside the page box (charts' groups included).
 * fc_check says what failed and returns false; the fuzz target aborts then,
 * so the fuzzer reports the input. fc_selftest shows once per run that the
 * oracle can fail: a layout with one text taken away, or moved off the
 * page, must be refused. */
#ifndef RC_FUZZ_CONSERVE_H
#define RC_FUZZ_CONSERVE_H

#include <stdio.h>
#include <stdlib.h>

#include "rc/doc.h"
#include "rc/draw.h"
#include "rc/layout.h"

static void fc_letters(const char *s, size_t n, size_t cnt[26])
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 'A' && c <= 'Z') c = (unsigned char)(c - 'A' + 'a');
        if (c >= 'a' && c <= 'z') cnt[c - 'a']++;
    }
}

/* The letters of n's subtree; a footnote reference outside a note adds its
 * definition once (the layout shows no notes of notes). */
static void fc_doc(const rc_node *n, bool in_note, const rc_node **seen, size_t *nseen,
                   size_t cnt[26])
{
    for (; n; n = n->next) {
        if (n->type == RC_NODE_TEXT || n->type == RC_NODE_CODE || n->type == RC_NODE_CODE_BLOCK) {
            if (n->text) fc_letters(n->text, n->len, cnt);
        } else if (n->type == RC_NODE_FOOTNOTE_REF && !in_note && n->footnote_def) {
            bool dup = false;
            for (size_t i = 0; i < *nseen && !dup; i++)
                dup = seen[i] == n->footnote_def;
            if (!dup && *nseen < 4096) {
                seen[(*nseen)++] = n->footnote_def;
                fc_doc(n->footnote_def->first, true, seen, nseen, cnt);
            }
        }
        fc_doc(n->first, in_note, seen, nseen, cnt);
    }
}

static bool fc_drawn(const rc_draw_list *l, double dx, double dy, size_t cnt[26], int depth)
{
    if (!l || depth > 16) return true;
    for (size_t i = 0; i < l->ops.n; i++) {
        const rc_draw_op *op = &l->ops.v[i];
        if (op->kind == RC_DRAW_GROUP) {
            if (!fc_drawn(op->group, dx + op->x, dy + op->y, cnt, depth + 1)) return false;
        } else if (op->kind == RC_DRAW_TEXT && op->len) {
            double x = dx + op->x, y = dy + op->y;
            if (x < -1 || x > RC_PAGE_WIDTH + 1 || y - 0.3 * op->size < -1 ||
                y + op->size > RC_PAGE_HEIGHT + 1) {
                fprintf(stderr, "conservation: '%.*s' drawn outside the page at (%.1f, %.1f)\n",
                        (int)op->len, op->text, x, y);
                return false;
            }
            fc_letters(op->text, op->len, cnt);
        }
    }
    return true;
}

static bool fc_check(const rc_doc *doc, const rc_layout *lay)
{
    size_t want[26] = {0}, have[26] = {0}, nseen = 0;
    static const rc_node *seen[4096];
    fc_doc(doc->root, false, seen, &nseen, want);
    for (size_t p = 0; p < lay->pages.n; p++)
        if (!fc_drawn(lay->pages.v[p].content, 0, 0, have, 0)) return false;
    for (int c = 0; c < 26; c++)
        if (have[c] < want[c]) {
            fprintf(stderr, "conservation: letter '%c' occurs %zu times in the prose, drawn %zu\n",
                    'a' + c, want[c], have[c]);
            return false;
        }
    return true;
}

/* The last text with a letter on the first page (not inside a group). */
static rc_draw_op *fc_some_text(const rc_layout *lay)
{
    rc_draw_op *last = NULL;
    const rc_draw_list *l = lay->pages.n ? lay->pages.v[0].content : NULL;
    for (size_t i = 0; l && i < l->ops.n; i++) {
        rc_draw_op *op = &l->ops.v[i];
        size_t cnt[26] = {0};
        fc_letters(op->text, op->kind == RC_DRAW_TEXT ? op->len : 0, cnt);
        for (int c = 0; c < 26; c++)
            if (cnt[c]) last = op;
    }
    return last;
}

/* Aborts unless the oracle passes lay and refuses it once a text is taken
 * away and once a text is moved above the page. Restores lay. */
static void fc_selftest(const rc_doc *doc, const rc_layout *lay)
{
    rc_draw_op *op = fc_some_text(lay);
    if (!op || !fc_check(doc, lay)) abort();
    size_t len = op->len;
    double y = op->y;
    fprintf(stderr, "conservation self-test (two refusals expected):\n");
    op->len = 0;
    bool lost = fc_check(doc, lay);
    op->len = len;
    op->y = RC_PAGE_HEIGHT + 50;
    bool outside = fc_check(doc, lay);
    op->y = y;
    if (lost || outside || !fc_check(doc, lay)) abort();
}

#endif
