/* quality: values that could not be used are counted, not lost quietly.
 * A code that is not declared or a Likert answer outside the scale is read
 * as missing; the loader counts such values per field and reason, keeps the
 * first location and the most frequent values, and reports each field and
 * reason once with the count when the source has been read ("327 answers of
 * field 'satisfaction' are outside the scale 1..4 ..."), so a report can no
 * longer lose hundreds of answers behind one warning. The same counts make
 * the source's data-quality table (rc_field_quality). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data_int.h"

static const char list_chars[3] = {'|', ';', ','};

void rc_drop_value(rc_field_rt *rt, rc_arena *a, rc_drop_reason why, rc_loc loc, const char *s,
                   size_t len)
{
    rc_drops *dr = rt->drops;
    if (!dr) {
        dr = rt->drops = rc_arena_alloc(a, sizeof *dr);
        memset(dr, 0, sizeof *dr);
        rc_strset_init(&dr->seen, a);
    }
    if (!dr->mentions[why]) dr->first[why] = loc;
    dr->mentions[why]++;
    dr->in_cell = true;
    if (rt->type != RC_FIELD_MULTI) dr->cells[why]++;
    for (size_t c = 0; c < sizeof list_chars; c++)
        if (memchr(s, list_chars[c], len)) dr->listy[c]++;
    /* Distinct values, in order of first appearance, up to a bound so a
     * column of free text typed as a category cannot exhaust memory. */
    const rc_strset_ent *e = rc_strset_find(&dr->seen, s, len);
    if (e) {
        dr->vals[e->val].n++;
        return;
    }
    if (dr->nvals == RC_DROP_MAX_DISTINCT) {
        dr->others++;
        return;
    }
    if (dr->nvals == dr->capvals) {
        size_t nc = dr->capvals ? dr->capvals * 2 : 8;
        dr->vals = rc_arena_grow(a, dr->vals, dr->capvals, nc, sizeof *dr->vals);
        dr->capvals = nc;
    }
    rc_strset_ent *ne = rc_strset_add(&dr->seen, s, len, (unsigned)dr->nvals, NULL);
    dr->vals[dr->nvals++] = (rc_drop_val){ne->s, 1};
}

void rc_drop_cell_end(rc_field_rt *rt, rc_drop_reason why, bool missing)
{
    rc_drops *dr = rt->drops;
    if (!dr || !dr->in_cell) return;
    dr->in_cell = false;
    if (missing)
        dr->cells[why]++;
    else
        dr->partial++;
}

static const char *plural(size_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

/* Most frequent first; ties in order of first appearance (stable). */
static int by_count(const void *x, const void *y)
{
    const rc_drop_val *a = *(const rc_drop_val *const *)x, *b = *(const rc_drop_val *const *)y;
    if (a->n != b->n) return a->n > b->n ? -1 : 1;
    return a < b ? -1 : a > b;
}

/* "'AF' (300), 'XX' (27) and 4 other values" */
static const char *value_list(rc_arena *a, const rc_drops *dr)
{
    enum { SHOWN = 5 };
    const rc_drop_val **v = rc_arena_array(a, dr->nvals ? dr->nvals : 1, sizeof *v);
    for (size_t i = 0; i < dr->nvals; i++)
        v[i] = &dr->vals[i];
    qsort(v, dr->nvals, sizeof *v, by_count);
    const char *b = "";
    size_t shown = dr->nvals < SHOWN ? dr->nvals : SHOWN;
    for (size_t i = 0; i < shown; i++) {
        const char *s = v[i]->s;
        /* a value is shown up to 40 bytes, cut at a UTF-8 boundary */
        size_t n = strlen(s), cut = n > 40 ? 40 : n;
        while (cut < n && cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
            cut--;
        b = rc_arena_printf(a, "%s%s'%.*s%s' (%zu)", b, i ? ", " : "", (int)cut, s,
                            cut < n ? "..." : "", v[i]->n);
    }
    size_t more = dr->nvals - shown;
    if (dr->others)
        b = rc_arena_printf(a, "%s and more than %zu other values", b, more);
    else if (more)
        b = rc_arena_printf(a, "%s and %zu other %s", b, more, plural(more, "value", "values"));
    return b;
}

void rc_drop_report(const rc_field_rt *rt, rc_arena *a, rc_diag *d, size_t nrows,
                    rc_field_quality *q)
{
    const rc_field_cfg *f = rt->f;
    const rc_drops *dr = rt->drops;
    memset(q, 0, sizeof *q);
    q->answered = rt->nonmissing;
    size_t dropped = 0;
    if (dr) {
        for (int r = 0; r < RC_DROP_COUNT; r++) {
            q->dropped[r] = dr->cells[r];
            q->first[r] = dr->first[r];
            dropped += dr->cells[r];
        }
        q->partial = dr->partial;
    }
    q->missing = nrows >= q->answered + dropped ? nrows - q->answered - dropped : 0;
    if (!dr) return;
    const char *vals = value_list(a, dr);
    const char *name = f->name.s;
    size_t n = dr->mentions[RC_DROP_UNDECLARED];
    const char *first = n > 1 ? " (the first here)" : "";
    if (n && f->type == RC_FIELD_MULTI) {
        size_t m = dr->cells[RC_DROP_UNDECLARED];
        const char *then = m ? rc_arena_printf(a, "; %zu %s read as missing as a result", m,
                                               plural(m, "answer was", "answers were"))
                             : "";
        rc_diag_warning(d, dr->first[RC_DROP_UNDECLARED],
                        "%zu %s in field '%s' %s left out because %s not declared%s%s: %s", n,
                        plural(n, "code", "codes"), name, plural(n, "was", "were"),
                        plural(n, "it is", "they are"), first, then, vals);
    } else if (n) {
        rc_diag_warning(d, dr->first[RC_DROP_UNDECLARED],
                        "%zu %s of field '%s' %s read as missing because %s not declared%s: %s", n,
                        plural(n, "answer", "answers"), name, plural(n, "was", "were"),
                        plural(n, "its code is", "their codes are"), first, vals);
    }
    n = dr->mentions[RC_DROP_OUT_OF_SCALE];
    if (n)
        rc_diag_warning(d, dr->first[RC_DROP_OUT_OF_SCALE],
                        "%zu %s of field '%s' %s read as missing because %s outside the scale "
                        "%d..%d%s: %s",
                        n, plural(n, "answer", "answers"), name, plural(n, "was", "were"),
                        plural(n, "it is", "they are"), f->scale_min, f->scale_max,
                        n > 1 ? " (the first here)" : "", vals);
    /* Lists in a field without the right separator: "a|b" matches no code,
     * so a count of hundreds silently becomes a handful. */
    n = dr->mentions[RC_DROP_UNDECLARED];
    if (n && (f->type == RC_FIELD_CATEGORY || f->type == RC_FIELD_MULTI)) {
        const char *sep = f->separator.s && *f->separator.s ? f->separator.s : ";";
        for (size_t c = 0; c < sizeof list_chars; c++) {
            if (dr->listy[c] * 2 <= n) continue;
            if (f->type == RC_FIELD_MULTI && strlen(sep) == 1 && sep[0] == list_chars[c]) continue;
            if (f->type == RC_FIELD_CATEGORY)
                rc_diag_note(d, f->type_loc,
                             "most of these values contain '%c': if field '%s' holds lists, "
                             "declare 'type = multi' and 'separator = %c'",
                             list_chars[c], name, list_chars[c]);
            else
                rc_diag_note(d, f->separator.s ? f->separator.loc : f->type_loc,
                             "most of these values contain '%c': the cells look like lists "
                             "separated by '%c', not by '%s'; declare 'separator = %c'",
                             list_chars[c], list_chars[c], sep, list_chars[c]);
            break;
        }
    }
}
