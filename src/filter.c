/* filter: the row filter language of 'where' and 'of' (docs/config-contract.md).
 *
 *   expr    := and ('or' and)*
 *   and     := unary ('and' unary)*
 *   unary   := 'not' unary | '(' expr ')' | test
 *   test    := FIELD ('=' | '!=') value | FIELD ['not'] 'in' '(' value (',' value)* ')'
 *            | FIELD ('<' | '<=' | '>' | '>=') number | FIELD 'is' ['not'] 'missing'
 *
 * Recursive descent into a small tree evaluated per row. Values are checked
 * against the field when compiling (declared codes, scale, numbers), so the
 * evaluation only compares code indexes, bit masks and doubles. A missing
 * value never satisfies '=', '!=', 'in' or a comparison; only 'is missing'. */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "data_int.h"
#include "rc/data.h"

typedef enum fop { F_AND, F_OR, F_NOT, F_MISSING, F_IN, F_NOTIN, F_LT, F_LE, F_GT, F_GE } fop;

struct rc_filter {
    fop op;
    const rc_filter *l, *r;
    size_t col;
    rc_field_type type;
    uint64_t *bits; /* category/multi: set of code indexes */
    size_t nwords;
    double *nums; /* likert/integer/number: accepted values */
    size_t nnums;
    const char **strs; /* text: accepted strings */
    size_t nstrs;
    double x; /* comparisons */
};

typedef enum tok { T_END, T_WORD, T_STRING, T_LPAREN, T_RPAREN, T_COMMA, T_OP, T_BAD } tok;

typedef struct lexer {
    rc_arena *a;
    const rc_source_cfg *src;
    const char *s;
    size_t len;
    rc_loc loc;
    rc_diag *d;
    size_t pos;
    /* current token */
    tok t;
    size_t start, end; /* byte range in s (quotes included for strings) */
    char *text;        /* word / unescaped string / operator */
    bool failed;
    unsigned depth;
} lexer;

static void fail(lexer *x, size_t off, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void fail(lexer *x, size_t off, const char *fmt, ...)
{
    if (x->failed) return;
    x->failed = true;
    va_list ap;
    va_start(ap, fmt);
    char *msg = rc_arena_vprintf(x->a, fmt, ap);
    va_end(ap);
    rc_diag_error(x->d, rc_loc_offset(x->loc, off), "%s", msg);
}

static bool is_word_char(char c)
{
    return c && !strchr(" \t\r\n()\",=!<>", c);
}

static void next(lexer *x)
{
    const char *s = x->s;
    size_t i = x->pos;
    while (i < x->len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
        i++;
    x->start = i;
    x->text = NULL;
    if (i >= x->len) {
        x->t = T_END;
        x->end = x->pos = i;
        return;
    }
    char c = s[i];
    if (c == '(' || c == ')' || c == ',') {
        x->t = c == '(' ? T_LPAREN : c == ')' ? T_RPAREN : T_COMMA;
        x->end = x->pos = i + 1;
        x->text = rc_arena_strndup(x->a, s + i, 1);
        return;
    }
    if (c == '=' || c == '!' || c == '<' || c == '>') {
        size_t n = (i + 1 < x->len && s[i + 1] == '=') ? 2 : 1;
        x->text = rc_arena_strndup(x->a, s + i, n);
        x->end = x->pos = i + n;
        x->t = strcmp(x->text, "!") == 0 ? T_BAD : T_OP;
        if (strcmp(x->text, "==") == 0) x->t = T_BAD;
        return;
    }
    if (c == '"') {
        char *buf = rc_arena_alloc(x->a, x->len - i);
        size_t n = 0, j = i + 1;
        for (;;) {
            if (j >= x->len) {
                fail(x, i, "unterminated quoted value in filter");
                x->t = T_BAD;
                x->end = x->pos = x->len;
                return;
            }
            if (s[j] == '"') {
                if (j + 1 < x->len && s[j + 1] == '"') {
                    buf[n++] = '"';
                    j += 2;
                    continue;
                }
                break;
            }
            buf[n++] = s[j++];
        }
        buf[n] = 0;
        x->text = buf;
        x->t = T_STRING;
        x->end = x->pos = j + 1;
        return;
    }
    size_t j = i;
    while (j < x->len && is_word_char(s[j]))
        j++;
    x->text = rc_arena_strndup(x->a, s + i, j - i);
    x->t = T_WORD;
    x->end = x->pos = j;
}

static bool kw(const lexer *x, const char *word)
{
    return x->t == T_WORD && strcmp(x->text, word) == 0;
}

static const char *tok_desc(const lexer *x)
{
    if (x->t == T_END) return "the end of the filter";
    return rc_arena_printf(x->a, "'%s'", x->text ? x->text : "?");
}

static rc_filter *node(lexer *x, fop op)
{
    rc_filter *f = rc_arena_alloc(x->a, sizeof *f);
    f->op = op;
    return f;
}

static const char *code_list(lexer *x, const rc_field_cfg *f)
{
    if (f->ncodes == 0 || f->ncodes > 12) return "";
    size_t n = 0;
    for (size_t i = 0; i < f->ncodes; i++)
        n += strlen(f->codes[i].code) + 2;
    char *b = rc_arena_alloc(x->a, n + 16);
    strcpy(b, " (codes: ");
    for (size_t i = 0; i < f->ncodes; i++) {
        if (i) strcat(b, ", ");
        strcat(b, f->codes[i].code);
    }
    strcat(b, ")");
    return b;
}

static bool parse_num(const char *t, double *v)
{
    if (!*t || !strchr("+-.0123456789", t[0])) return false;
    for (const char *p = t; *p; p++)
        if (!strchr("+-.0123456789eE", *p)) return false;
    char *end;
    *v = strtod(t, &end);
    return *end == 0 && isfinite(*v);
}

/* Adds one value (current token) to an '=' / 'in' test on field f. */
static void add_value(lexer *x, rc_filter *n, const rc_field_cfg *f)
{
    if (x->t != T_WORD && x->t != T_STRING) {
        fail(x, x->start, "expected a value for field '%s', found %s", f->name.s, tok_desc(x));
        return;
    }
    const char *v = x->text;
    switch (f->type) {
    case RC_FIELD_CATEGORY:
    case RC_FIELD_MULTI: {
        size_t k = 0;
        while (k < f->ncodes && strcmp(f->codes[k].code, v) != 0)
            k++;
        if (k == f->ncodes) {
            const char **c = rc_arena_array(x->a, f->ncodes ? f->ncodes : 1, sizeof *c);
            for (size_t i = 0; i < f->ncodes; i++)
                c[i] = f->codes[i].code;
            const char *sug = rc_diag_suggest(v, c, f->ncodes);
            if (sug)
                fail(x, x->start, "unknown code '%s' of field '%s' (did you mean '%s'?)", v,
                     f->name.s, sug);
            else
                fail(x, x->start, "unknown code '%s' of field '%s'%s", v, f->name.s,
                     code_list(x, f));
            return;
        }
        n->bits[k / 64] |= (uint64_t)1 << (k % 64);
        return;
    }
    case RC_FIELD_LIKERT:
    case RC_FIELD_INTEGER:
    case RC_FIELD_NUMBER: {
        double d;
        if (!parse_num(v, &d)) {
            fail(x, x->start, "expected a number for %s field '%s', found '%s'",
                 rc_field_type_name(f->type), f->name.s, v);
            return;
        }
        if (f->type == RC_FIELD_LIKERT && (d != floor(d) || d < f->scale_min || d > f->scale_max)) {
            fail(x, x->start, "value '%s' is not on the scale %s of field '%s'", v,
                 rc_arena_printf(x->a, "%d..%d", f->scale_min, f->scale_max), f->name.s);
            return;
        }
        n->nums = rc_arena_grow(x->a, n->nums, n->nnums, n->nnums + 1, sizeof *n->nums);
        n->nums[n->nnums++] = d;
        return;
    }
    case RC_FIELD_TEXT:
        n->strs = rc_arena_grow(x->a, n->strs, n->nstrs, n->nstrs + 1, sizeof *n->strs);
        n->strs[n->nstrs++] = v;
        return;
    }
}

static const rc_filter *parse_or(lexer *x);

static const rc_filter *parse_test(lexer *x)
{
    if (x->t != T_WORD) {
        fail(x, x->start, "expected a field name, found %s", tok_desc(x));
        return NULL;
    }
    const rc_source_cfg *src = x->src;
    const rc_field_cfg *f = NULL;
    for (size_t i = 0; i < src->nfields; i++)
        if (strcmp(src->fields[i].name.s, x->text) == 0) f = &src->fields[i];
    if (!f) {
        const char **c = rc_arena_array(x->a, src->nfields ? src->nfields : 1, sizeof *c);
        for (size_t i = 0; i < src->nfields; i++)
            c[i] = src->fields[i].name.s;
        const char *sug = rc_diag_suggest(x->text, c, src->nfields);
        if (sug)
            fail(x, x->start, "unknown field '%s' in source '%s' (did you mean '%s'?)", x->text,
                 src->name.s, sug);
        else
            fail(x, x->start, "unknown field '%s' in source '%s'", x->text, src->name.s);
        return NULL;
    }
    size_t fstart = x->start;
    next(x);
    rc_filter *n;
    if (kw(x, "is")) {
        next(x);
        bool neg = false;
        if (kw(x, "not")) {
            neg = true;
            next(x);
        }
        if (!kw(x, "missing")) {
            fail(x, x->start, "expected 'missing' after 'is%s', found %s", neg ? " not" : "",
                 tok_desc(x));
            return NULL;
        }
        next(x);
        n = node(x, F_MISSING);
        n->col = f->index;
        if (neg) {
            rc_filter *m = node(x, F_NOT);
            m->l = n;
            return m;
        }
        return n;
    }
    bool negin = false;
    if (kw(x, "not")) {
        negin = true;
        next(x);
        if (!kw(x, "in")) {
            fail(x, x->start, "expected 'in' after '%s not', found %s", f->name.s, tok_desc(x));
            return NULL;
        }
    }
    if (kw(x, "in") || (x->t == T_OP && (!strcmp(x->text, "=") || !strcmp(x->text, "!=")))) {
        bool list = kw(x, "in");
        n = node(x, (negin || (x->t == T_OP && !strcmp(x->text, "!="))) ? F_NOTIN : F_IN);
        n->col = f->index;
        n->type = f->type;
        n->nwords = (f->ncodes + 63) / 64;
        if (n->nwords) n->bits = rc_arena_array(x->a, n->nwords, sizeof *n->bits);
        next(x);
        if (!list) {
            add_value(x, n, f);
            next(x);
            return n;
        }
        if (x->t != T_LPAREN) {
            fail(x, x->start, "expected '(' after 'in', found %s", tok_desc(x));
            return NULL;
        }
        next(x);
        for (;;) {
            add_value(x, n, f);
            if (x->failed) return NULL;
            next(x);
            if (x->t == T_COMMA) {
                next(x);
                continue;
            }
            if (x->t == T_RPAREN) {
                next(x);
                return n;
            }
            fail(x, x->start, "expected ',' or ')' in the list of values, found %s", tok_desc(x));
            return NULL;
        }
    }
    if (x->t == T_OP) {
        const char *op = x->text;
        fop o = !strcmp(op, "<") ? F_LT : !strcmp(op, "<=") ? F_LE : !strcmp(op, ">") ? F_GT : F_GE;
        if (f->type != RC_FIELD_LIKERT && f->type != RC_FIELD_INTEGER &&
            f->type != RC_FIELD_NUMBER) {
            fail(x, x->start, "'%s' needs a likert, integer or number field; '%s' is a %s field",
                 op, f->name.s, rc_field_type_name(f->type));
            return NULL;
        }
        next(x);
        double v;
        if ((x->t != T_WORD && x->t != T_STRING) || !parse_num(x->text, &v)) {
            fail(x, x->start, "expected a number after '%s', found %s", op, tok_desc(x));
            return NULL;
        }
        n = node(x, o);
        n->col = f->index;
        n->x = v;
        next(x);
        return n;
    }
    (void)fstart;
    fail(x, x->start, "expected an operator (=, !=, in, <, <=, >, >=, is) after '%s', found %s",
         f->name.s, tok_desc(x));
    return NULL;
}

static const rc_filter *parse_unary(lexer *x)
{
    if (x->failed) return NULL;
    if (++x->depth > 100) {
        fail(x, x->start, "filter is nested too deeply");
        return NULL;
    }
    const rc_filter *r;
    if (kw(x, "not")) {
        next(x);
        rc_filter *n = node(x, F_NOT);
        n->l = parse_unary(x);
        r = n->l ? n : NULL;
    } else if (x->t == T_LPAREN) {
        size_t open = x->start;
        next(x);
        r = parse_or(x);
        if (r && x->t != T_RPAREN) {
            if (x->t == T_END)
                fail(x, open, "unbalanced '(': no matching ')'");
            else
                fail(x, x->start, "expected ')' or 'and'/'or', found %s", tok_desc(x));
            r = NULL;
        }
        if (r) next(x);
    } else {
        r = parse_test(x);
    }
    x->depth--;
    return x->failed ? NULL : r;
}

static const rc_filter *parse_and(lexer *x)
{
    const rc_filter *l = parse_unary(x);
    while (l && kw(x, "and")) {
        next(x);
        rc_filter *n = node(x, F_AND);
        n->l = l;
        n->r = parse_unary(x);
        l = n->r ? n : NULL;
    }
    return l;
}

static const rc_filter *parse_or(lexer *x)
{
    const rc_filter *l = parse_and(x);
    while (l && kw(x, "or")) {
        next(x);
        rc_filter *n = node(x, F_OR);
        n->l = l;
        n->r = parse_and(x);
        l = n->r ? n : NULL;
    }
    return l;
}

rc_filter *rc_filter_compile(rc_arena *a, const rc_source_cfg *src, const char *expr, rc_loc loc,
                             rc_diag *d)
{
    lexer x = {0};
    x.a = a;
    x.src = src;
    x.s = expr ? expr : "";
    x.len = strlen(x.s);
    x.loc = loc;
    x.d = d;
    next(&x);
    if (x.t == T_END) {
        fail(&x, 0, "empty filter");
        return NULL;
    }
    const rc_filter *f = parse_or(&x);
    if (f && x.t != T_END)
        fail(&x, x.start, "unexpected %s after a complete condition (missing 'and' or 'or'?)",
             tok_desc(&x));
    return x.failed ? NULL : (rc_filter *)f;
}

static bool member(const rc_filter *f, const rc_value *v)
{
    switch (f->type) {
    case RC_FIELD_CATEGORY:
        return v->code >= 0 && (f->bits[v->code / 64] >> (v->code % 64) & 1);
    case RC_FIELD_MULTI:
        return (v->mask & f->bits[0]) != 0;
    case RC_FIELD_LIKERT:
    case RC_FIELD_INTEGER:
    case RC_FIELD_NUMBER:
        for (size_t i = 0; i < f->nnums; i++)
            if (v->num == f->nums[i]) return true;
        return false;
    case RC_FIELD_TEXT:
        for (size_t i = 0; i < f->nstrs; i++)
            if (v->text && strcmp(v->text, f->strs[i]) == 0) return true;
        return false;
    }
    return false;
}

bool rc_filter_eval(const rc_filter *f, const rc_value *row)
{
    if (!f) return true;
    const rc_value *v = &row[f->col];
    switch (f->op) {
    case F_AND:
        return rc_filter_eval(f->l, row) && rc_filter_eval(f->r, row);
    case F_OR:
        return rc_filter_eval(f->l, row) || rc_filter_eval(f->r, row);
    case F_NOT:
        return !rc_filter_eval(f->l, row);
    case F_MISSING:
        return v->missing;
    case F_IN:
        return !v->missing && member(f, v);
    case F_NOTIN:
        return !v->missing && !member(f, v);
    case F_LT:
        return !v->missing && v->num < f->x;
    case F_LE:
        return !v->missing && v->num <= f->x;
    case F_GT:
        return !v->missing && v->num > f->x;
    case F_GE:
        return !v->missing && v->num >= f->x;
    }
    return false;
}

/* Batch evaluation: one bit per row of rows[0..n) (n <= RC_BATCH). Each
 * node is a tight loop over one column, so a filter costs a few cycles per
 * row however many metrics use it. */
static void leaf_batch(const rc_filter *f, const rc_value *rows, size_t ncols, size_t n,
                       uint64_t *out)
{
    const rc_value *v = rows + f->col;
    for (size_t w = 0; w < (n + 63) / 64; w++) {
        uint64_t m = 0;
        size_t end = n - w * 64 < 64 ? n - w * 64 : 64;
        const rc_value *r = v + w * 64 * ncols;
        switch (f->op) {
        case F_MISSING:
            for (size_t i = 0; i < end; i++, r += ncols)
                m |= (uint64_t)r->missing << i;
            break;
        case F_IN:
        case F_NOTIN: {
            bool neg = f->op == F_NOTIN;
            if (f->type == RC_FIELD_CATEGORY && f->nwords == 1) {
                /* missing values have code -1: the sign bit masks them out */
                uint64_t set = f->bits[0] ^ (neg ? ~(uint64_t)0 : 0);
                for (size_t i = 0; i < end; i++, r += ncols)
                    m |= (((uint64_t)(r->code >= 0) & (set >> (r->code & 63)))) << i;
            } else if (f->type == RC_FIELD_CATEGORY) {
                for (size_t i = 0; i < end; i++, r += ncols) {
                    uint64_t hit = r->code >= 0 ? (f->bits[r->code / 64] >> (r->code % 64)) & 1 : 0;
                    m |= ((uint64_t)!r->missing & (hit ^ (uint64_t)neg)) << i;
                }
            } else if (f->type == RC_FIELD_MULTI) {
                for (size_t i = 0; i < end; i++, r += ncols) {
                    uint64_t hit = (r->mask & f->bits[0]) != 0;
                    m |= ((uint64_t)!r->missing & (hit ^ (uint64_t)neg)) << i;
                }
            } else {
                for (size_t i = 0; i < end; i++, r += ncols)
                    m |= (uint64_t)(!r->missing && (member(f, r) ^ neg)) << i;
            }
            break;
        }
        case F_LT:
            for (size_t i = 0; i < end; i++, r += ncols)
                m |= (uint64_t)(!r->missing & (r->num < f->x)) << i;
            break;
        case F_LE:
            for (size_t i = 0; i < end; i++, r += ncols)
                m |= (uint64_t)(!r->missing & (r->num <= f->x)) << i;
            break;
        case F_GT:
            for (size_t i = 0; i < end; i++, r += ncols)
                m |= (uint64_t)(!r->missing & (r->num > f->x)) << i;
            break;
        case F_GE:
            for (size_t i = 0; i < end; i++, r += ncols)
                m |= (uint64_t)(!r->missing & (r->num >= f->x)) << i;
            break;
        default:
            break;
        }
        out[w] = m;
    }
}

void rc_filter_batch(const rc_filter *f, const rc_value *rows, size_t ncols, size_t n,
                     uint64_t *out)
{
    size_t nw = (n + 63) / 64;
    uint64_t last = n % 64 ? ((uint64_t)1 << (n % 64)) - 1 : ~(uint64_t)0;
    if (!f) {
        for (size_t w = 0; w < nw; w++)
            out[w] = ~(uint64_t)0;
        if (nw) out[nw - 1] = last;
        return;
    }
    switch (f->op) {
    case F_AND:
    case F_OR: {
        uint64_t tmp[RC_BATCH / 64];
        rc_filter_batch(f->l, rows, ncols, n, out);
        rc_filter_batch(f->r, rows, ncols, n, tmp);
        for (size_t w = 0; w < nw; w++)
            out[w] = f->op == F_AND ? out[w] & tmp[w] : out[w] | tmp[w];
        return;
    }
    case F_NOT:
        rc_filter_batch(f->l, rows, ncols, n, out);
        for (size_t w = 0; w < nw; w++)
            out[w] = ~out[w];
        if (nw) out[nw - 1] &= last;
        return;
    default:
        leaf_batch(f, rows, ncols, n, out);
        return;
    }
}
