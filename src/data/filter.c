/* filter: the row filter language of 'where' and 'of' (docs/config-contract.md).
 *
 *   expr    := and ('or' and)*
 *   and     := unary ('and' unary)*
 *   unary   := 'not' unary | '(' expr ')' | test
 *   test    := FIELD ('=' | '!=') value | FIELD ['not'] 'in' '(' value (',' value)* ')'
 *            | FIELD ('<' | '<=' | '>' | '>=') number | FIELD 'is' ['not'] 'missing'
 *
 * Recursive descent into a small tree. Values are checked against the field
 * when compiling (declared codes, scale, numbers), so the evaluation only
 * compares code indexes, bit masks and doubles. A missing value never
 * satisfies '=', '!=', 'in' or a comparison; only 'is missing'.
 *
 * rc_filter_eval walks the tree for one row. The loader instead runs a
 * filter program (rc_fprog) over a batch of columns: the trees of every
 * metric and aggregate of a source merged node by node, each node a bit set
 * of the batch's rows. A test on a coded field is the union of the bit sets
 * of the codes (Likert levels) that pass it, so it costs a few word
 * operations per 64 rows whatever the number of rows. */
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
    double x;      /* comparisons */
    size_t levels; /* coded fields: code indexes (likert: values lt_min, lt_min + 1, ...) */
    int lt_min;
};

typedef enum tok { T_END, T_WORD, T_STRING, T_LPAREN, T_RPAREN, T_COMMA, T_OP, T_BAD } tok;

typedef struct lexer {
    rc_arena *a;
    const rc_source_cfg *src;
    const char *s;
    size_t len;
    rc_str where; /* the expression as written (line:col of each byte) */
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
    rc_diag_error(x->d, rc_str_loc(&x->where, off), "%s", msg);
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

/* A test on field f. */
static void on_field(rc_filter *n, const rc_field_cfg *f)
{
    n->col = f->index;
    n->type = f->type;
    n->levels = rc_field_levels(f);
    n->lt_min = f->scale_min;
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
        fail(x, x->start, "unknown field '%s' in source '%s'%s", x->text, src->name.s,
             rc_config_field_hint(x->a, src, x->text, true));
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
        on_field(n, f);
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
        on_field(n, f);
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

/* The binary operators by precedence, loosest first: "or" joins "and"
 * chains, which join unary terms. Both associate to the left. */
static const struct {
    const char *word;
    fop kind;
} binary_ops[] = {{"or", F_OR}, {"and", F_AND}};

static const rc_filter *parse_binary(lexer *x, size_t level)
{
    if (level == sizeof binary_ops / sizeof *binary_ops) return parse_unary(x);
    const rc_filter *l = parse_binary(x, level + 1);
    while (l && kw(x, binary_ops[level].word)) {
        next(x);
        rc_filter *n = node(x, binary_ops[level].kind);
        n->l = l;
        n->r = parse_binary(x, level + 1);
        l = n->r ? n : NULL;
    }
    return l;
}

static const rc_filter *parse_or(lexer *x)
{
    return parse_binary(x, 0);
}

rc_filter *rc_filter_compile(rc_arena *a, const rc_source_cfg *src, const rc_str *expr, rc_diag *d)
{
    lexer x = {0};
    x.a = a;
    x.src = src;
    x.s = expr->s ? expr->s : "";
    x.len = strlen(x.s);
    x.where = *expr;
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

/* ---- filter programs: the filters of a source over a batch of columns ---- */

typedef enum pkind { P_AND, P_OR, P_NOT, P_MISSING, P_CODES, P_NUM, P_TEXT } pkind;

typedef struct pnode {
    pkind kind;
    int l, r; /* operand slots (P_AND, P_OR, P_NOT) */
    size_t col;
    bool neg;      /* P_CODES: rows with a value and none of the codes */
    size_t *codes; /* P_CODES: code indexes whose rows match (or, neg, do not) */
    size_t ncodes;
    const rc_filter *f; /* P_NUM, P_TEXT: the test */
    uint64_t bits[RC_BW];
} pnode;

struct rc_fprog {
    rc_arena *a;
    pnode *n;
    size_t nn, cap;
    uint64_t all[RC_BW];
};

rc_fprog *rc_fprog_new(rc_arena *a)
{
    rc_fprog *p = rc_arena_alloc(a, sizeof *p);
    p->a = a;
    return p;
}

static bool same_nums(const rc_filter *a, const rc_filter *b)
{
    if (a->op != b->op || a->x != b->x || a->nnums != b->nnums) return false;
    for (size_t i = 0; i < a->nnums; i++)
        if (a->nums[i] != b->nums[i]) return false;
    return true;
}

static bool same_strs(const rc_filter *a, const rc_filter *b)
{
    if (a->op != b->op || a->nstrs != b->nstrs) return false;
    for (size_t i = 0; i < a->nstrs; i++)
        if (strcmp(a->strs[i], b->strs[i]) != 0) return false;
    return true;
}

static bool same_node(const pnode *a, const pnode *b)
{
    if (a->kind != b->kind) return false;
    switch (a->kind) {
    case P_AND:
    case P_OR:
    case P_NOT:
        return a->l == b->l && a->r == b->r;
    case P_MISSING:
        return a->col == b->col;
    case P_CODES:
        if (a->col != b->col || a->neg != b->neg || a->ncodes != b->ncodes) return false;
        for (size_t i = 0; i < a->ncodes; i++)
            if (a->codes[i] != b->codes[i]) return false;
        return true;
    case P_NUM:
        return a->col == b->col && same_nums(a->f, b->f);
    case P_TEXT:
        return a->col == b->col && same_strs(a->f, b->f);
    }
    return false;
}

/* Interns a node: equal nodes share one slot. */
static int intern(rc_fprog *p, const pnode *nd)
{
    for (size_t i = 0; i < p->nn; i++)
        if (same_node(&p->n[i], nd)) return (int)i;
    if (p->nn == p->cap) {
        size_t nc = p->cap ? p->cap * 2 : 32;
        p->n = rc_arena_grow(p->a, p->n, p->cap, nc, sizeof *p->n);
        p->cap = nc;
    }
    p->n[p->nn] = *nd;
    return (int)p->nn++;
}

/* Does a likert level (value v) satisfy the leaf f? */
static bool level_matches(const rc_filter *f, double v)
{
    switch (f->op) {
    case F_IN:
    case F_NOTIN:
        for (size_t i = 0; i < f->nnums; i++)
            if (v == f->nums[i]) return true;
        return false;
    case F_LT:
        return v < f->x;
    case F_LE:
        return v <= f->x;
    case F_GT:
        return v > f->x;
    case F_GE:
        return v >= f->x;
    default:
        return false;
    }
}

int rc_fprog_add(rc_fprog *p, const rc_filter *f)
{
    if (!f) return -1;
    pnode nd;
    memset(&nd, 0, sizeof nd);
    nd.l = nd.r = -1;
    nd.col = f->col;
    switch (f->op) {
    case F_AND:
    case F_OR:
        nd.kind = f->op == F_AND ? P_AND : P_OR;
        nd.l = rc_fprog_add(p, f->l);
        nd.r = rc_fprog_add(p, f->r);
        nd.col = 0;
        return intern(p, &nd);
    case F_NOT:
        nd.kind = P_NOT;
        nd.l = rc_fprog_add(p, f->l);
        nd.col = 0;
        return intern(p, &nd);
    case F_MISSING:
        nd.kind = P_MISSING;
        return intern(p, &nd);
    default:
        break;
    }
    /* A comparison or a membership test. On coded fields it is a set of
     * code indexes (for likert fields the levels whose value passes). */
    if (f->type == RC_FIELD_CATEGORY || f->type == RC_FIELD_MULTI || f->type == RC_FIELD_LIKERT) {
        nd.kind = P_CODES;
        nd.neg = f->op == F_NOTIN;
        size_t nl =
            f->type == RC_FIELD_LIKERT || f->levels < f->nwords * 64 ? f->levels : f->nwords * 64;
        nd.codes = rc_arena_array(p->a, nl ? nl : 1, sizeof *nd.codes);
        for (size_t k = 0; k < nl; k++) {
            bool in = f->type == RC_FIELD_LIKERT ? level_matches(f, f->lt_min + (double)k)
                                                 : (f->bits[k / 64] >> (k % 64) & 1);
            if (in) nd.codes[nd.ncodes++] = k;
        }
        return intern(p, &nd);
    }
    nd.kind = f->type == RC_FIELD_TEXT ? P_TEXT : P_NUM;
    nd.f = f;
    return intern(p, &nd);
}

void rc_fprog_text_cols(const rc_fprog *p, bool *used)
{
    for (size_t i = 0; i < p->nn; i++)
        if (p->n[i].kind == P_TEXT) used[p->n[i].col] = true;
}

static bool num_test(const rc_filter *f, double v)
{
    switch (f->op) {
    case F_IN:
    case F_NOTIN: {
        bool hit = false;
        for (size_t i = 0; i < f->nnums && !hit; i++)
            hit = v == f->nums[i];
        return hit ^ (f->op == F_NOTIN);
    }
    default:
        return level_matches(f, v);
    }
}

static bool text_test(const rc_filter *f, const char *t)
{
    bool hit = false;
    for (size_t i = 0; i < f->nstrs && !hit; i++)
        hit = t && strcmp(t, f->strs[i]) == 0;
    return hit ^ (f->op == F_NOTIN);
}

void rc_fprog_run(rc_fprog *p, const rc_batch *b)
{
    size_t n = b->n;
    rc_bits_first(p->all, n);
    for (size_t i = 0; i < p->nn; i++) {
        pnode *nd = &p->n[i];
        uint64_t *o = nd->bits;
        const rc_col *c = &b->cols[nd->col];
        switch (nd->kind) {
        case P_AND:
        case P_OR: {
            const uint64_t *l = p->n[nd->l].bits, *r = p->n[nd->r].bits;
            for (size_t w = 0; w < RC_BW; w++)
                o[w] = nd->kind == P_AND ? l[w] & r[w] : l[w] | r[w];
            break;
        }
        case P_NOT: {
            const uint64_t *l = p->n[nd->l].bits;
            for (size_t w = 0; w < RC_BW; w++)
                o[w] = ~l[w] & p->all[w];
            break;
        }
        case P_MISSING:
            memcpy(o, c->miss, sizeof c->miss);
            break;
        case P_CODES:
            memset(o, 0, sizeof nd->bits);
            for (size_t k = 0; k < nd->ncodes; k++) {
                const uint64_t *cb = c->bits + nd->codes[k] * RC_BW;
                for (size_t w = 0; w < RC_BW; w++)
                    o[w] |= cb[w];
            }
            if (nd->neg) /* a value, and none of the codes */
                for (size_t w = 0; w < RC_BW; w++)
                    o[w] = ~o[w] & ~c->miss[w] & p->all[w];
            break;
        case P_NUM:
        case P_TEXT:
            memset(o, 0, sizeof nd->bits);
            for (size_t r = 0; r < n; r++) {
                if (c->miss[r / 64] >> (r % 64) & 1) continue;
                bool hit =
                    nd->kind == P_NUM ? num_test(nd->f, c->num[r]) : text_test(nd->f, c->text[r]);
                o[r / 64] |= (uint64_t)hit << (r % 64);
            }
            break;
        }
    }
}

const uint64_t *rc_fprog_bits(const rc_fprog *p, int slot)
{
    return slot < 0 ? p->all : p->n[slot].bits;
}
