/* latex_float: figures, tables and boxes. Captions go above (Commission
 * style, as in the PDF), "Source: ..." and "Note: ..." below in small
 * italic. Tables in the flow are longtables whose header rows repeat on
 * every page (\endhead); inside a box, where a longtable cannot go, they
 * are tabularx. Floats inside boxes are set in place with \captionof. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "latex_int.h"
#include "rc/util.h"

#define TEXT_WIDTH_PT 439.37 /* A4 minus 2 x 27.5 mm, as in the PDF */

static void caption(lx *x, const char *text)
{
    lx_str(x, text ? text : "");
}

/* \rcsource{Word: text}, when there is a text. */
static void source_line(lx *x, rc_word w, const char *text)
{
    if (!text || !*text) return;
    lx_puts(x, "\\rcsource{");
    lx_str(x, lx_word(x, w));
    lx_puts(x, ": ");
    lx_str(x, text);
    lx_puts(x, "}\n");
}

static void source_lines(lx *x, const rc_node *n)
{
    source_line(x, RC_W_NOTE, n->note);
    source_line(x, RC_W_SOURCE, n->source_line);
}

static int number_before(const char *number)
{
    long v = number ? strtol(number, NULL, 10) : 0;
    return v > 0 && v < 1000000 ? (int)v - 1 : 0;
}

/* ---- figures --------------------------------------------------------------- */

void lx_figure(lx *x, const rc_node *n)
{
    double frac =
        n->figure && n->figure->width > 0 && n->figure->width <= 1 ? n->figure->width : 1.0;
    double w = TEXT_WIDTH_PT * frac * (x->in_box ? 0.92 : 1.0);
    if (x->in_box)
        lx_puts(x, "\n\\par\\noindent\\begin{minipage}{\\linewidth}\n");
    else
        lx_puts(x, "\n\\begin{figure}[!htbp]\n");
    lx_printf(x, "\\setcounter{figure}{%d}\n", number_before(n->number));
    lx_puts(x, x->in_box ? "\\captionof{figure}{" : "\\caption{");
    caption(x, n->caption);
    lx_puts(x, "}\\label{");
    lx_label(x, n->id);
    lx_puts(x, "}\n{\\centering\n");
    if (n->chart) lx_chart(x, n->chart, w);
    lx_puts(x, "\\par}\n");
    source_lines(x, n);
    lx_puts(x, x->in_box ? "\\end{minipage}\n\n" : "\\end{figure}\n\n");
}

/* ---- tables -------------------------------------------------------------- */

typedef struct tcol {
    double weight;
    rc_align align;
} tcol;

static size_t row_cells(const rc_node *row)
{
    size_t k = 0;
    for (const rc_node *c = row->first; c; c = c->next)
        k++;
    return k;
}

/* Code points in the longest space-separated word of t. */
static size_t longest_word(const char *t)
{
    size_t best = 0, cur = 0;
    for (const unsigned char *p = (const unsigned char *)t; *p; p++) {
        if (*p == ' ') {
            cur = 0;
        } else if ((*p & 0xC0) != 0x80 && ++cur > best) {
            best = cur;
        }
    }
    return best;
}

/* Column weights: the table's 'widths' when they fit, else the longest
 * cell text of each column (clamped, so one long cell does not starve the
 * others). Alignment from the last row (body rows carry it). */
static tcol *columns(lx *x, const rc_node *t, size_t ncols)
{
    tcol *c = rc_arena_array(x->a, ncols, sizeof *c);
    const rc_strlist *wl = t->table ? &t->table->widths : NULL;
    bool given = wl && wl->n == ncols;
    for (size_t i = 0; given && i < ncols; i++) {
        double v = wl->v[i].s ? strtod(wl->v[i].s, NULL) : 0;
        if (!(v > 0) || !isfinite(v))
            given = false;
        else
            c[i].weight = v;
    }
    for (const rc_node *r = t->first; r; r = r->next) {
        size_t i = 0;
        for (const rc_node *cell = r->first; cell && i < ncols; cell = cell->next, i++) {
            if (!given) {
                const char *txt = rc_node_plain_text(x->a, cell);
                double len = (double)rc_utf8_length(txt, strlen(txt));
                len = len < 6 ? 6 : len > 40 ? 40 : len;
                /* a word cannot be broken: the column must hold the longest */
                double word = 1.8 * (double)longest_word(txt);
                if (word > len) len = word;
                if (len > c[i].weight) c[i].weight = len;
            }
            c[i].align = cell->align;
        }
    }
    for (size_t i = 0; i < ncols; i++)
        if (!(c[i].weight > 0)) c[i].weight = 1;
    return c;
}

static const char *align_cmd(rc_align a)
{
    return a == RC_ALIGN_RIGHT    ? "\\raggedleft"
           : a == RC_ALIGN_CENTER ? "\\centering"
                                  : "\\raggedright";
}

static void spec(lx *x, const tcol *c, size_t ncols, bool tabx)
{
    double sum = 0;
    for (size_t i = 0; i < ncols; i++)
        sum += c[i].weight;
    lx_puts(x, "{@{}");
    for (size_t i = 0; i < ncols; i++) {
        double f = c[i].weight / sum;
        if (tabx)
            lx_printf(x, ">{%s\\arraybackslash\\hsize=%.3f\\hsize}X", align_cmd(c[i].align),
                      f * (double)ncols);
        else if (f * TEXT_WIDTH_PT > (ncols > 10 ? 12 : 24))
            lx_printf(x, ">{%s\\arraybackslash}p{\\dimexpr %.3f\\linewidth-2\\tabcolsep\\relax}",
                      align_cmd(c[i].align), f);
        else /* very many columns: never a negative width */
            lx_printf(x, ">{%s\\arraybackslash}p{8pt}", align_cmd(c[i].align));
    }
    lx_puts(x, "@{}}\n");
}

static void row(lx *x, const rc_node *r, size_t ncols)
{
    size_t i = 0;
    for (const rc_node *cell = r->first; cell && i < ncols; cell = cell->next, i++) {
        if (i) lx_puts(x, " & ");
        if (r->header) lx_puts(x, "\\bfseries ");
        lx_inlines(x, cell->first);
    }
    for (; i < ncols; i++)
        lx_puts(x, i ? " &" : "");
    lx_puts(x, " \\\\\n");
}

static void head_rows(lx *x, const rc_node *t, size_t ncols, bool repeat)
{
    bool r0 = x->repeat;
    x->repeat = repeat;
    lx_puts(x, "\\toprule\n");
    for (const rc_node *r = t->first; r && r->header; r = r->next)
        row(x, r, ncols);
    lx_puts(x, "\\midrule\n");
    x->repeat = r0;
}

static void body_rows(lx *x, const rc_node *t, size_t ncols)
{
    const rc_node *r = t->first;
    while (r && r->header)
        r = r->next;
    for (; r; r = r->next)
        row(x, r, ncols);
}

static size_t table_cols(const rc_node *t)
{
    size_t n = t->ncols;
    for (const rc_node *r = t->first; r; r = r->next)
        if (row_cells(r) > n) n = row_cells(r);
    return n;
}

static void label_of(lx *x, const rc_node *n)
{
    lx_puts(x, "\\label{");
    lx_label(x, n->id);
    lx_puts(x, "}");
}

/* OPEN caption } label END: a declared table's caption, in a box
 * (\captionof) or a longtable (\caption). */
static void table_caption(lx *x, const rc_node *n, const char *open, const char *end)
{
    lx_puts(x, open);
    caption(x, n->caption);
    lx_puts(x, "}");
    label_of(x, n);
    lx_puts(x, end);
}

void lx_table(lx *x, const rc_node *n)
{
    size_t ncols = table_cols(n);
    if (!ncols) return;
    tcol *c = columns(x, n, ncols);
    bool declared = n->number && n->table;
    bool has_head = n->first && n->first->header;
    x->defer++;
    /* many columns: smaller type and padding so the table fits the page */
    lx_puts(x, ncols > 10 ? "\n{\\scriptsize\\setlength{\\tabcolsep}{2pt}\n" : "\n{\\small\n");
    if (declared) lx_printf(x, "\\setcounter{table}{%d}\n", number_before(n->number));
    if (x->in_box) {
        if (declared) table_caption(x, n, "\\captionof{table}{", "\n");
        lx_puts(x, "\\noindent\\begin{tabularx}{\\linewidth}");
        spec(x, c, ncols, true);
        if (has_head)
            head_rows(x, n, ncols, false);
        else
            lx_puts(x, "\\toprule\n");
        body_rows(x, n, ncols);
        lx_puts(x, "\\bottomrule\n\\end{tabularx}\\par\n");
    } else {
        lx_puts(x, "\\begin{longtable}");
        spec(x, c, ncols, false);
        if (declared) table_caption(x, n, "\\caption{", "\\\\\n");
        if (has_head) {
            head_rows(x, n, ncols, false);
            lx_puts(x, "\\endfirsthead\n");
            head_rows(x, n, ncols, true);
            lx_puts(x, "\\endhead\n");
        } else {
            lx_puts(x, "\\toprule\n\\endfirsthead\n\\endhead\n");
        }
        lx_puts(x, "\\bottomrule\n\\endlastfoot\n");
        body_rows(x, n, ncols);
        lx_puts(x, "\\end{longtable}\n");
    }
    lx_puts(x, "}\n");
    source_lines(x, n);
    lx_puts(x, "\n");
    x->defer--;
    lx_flush_notes(x);
}

/* ---- boxes ---------------------------------------------------------------- */

void lx_box(lx *x, const rc_node *n)
{
    const char *word = lx_word(x, RC_W_BOX);
    lx_puts(x, "\n\\phantomsection\\addcontentsline{lob}{figure}{\\protect\\numberline{");
    lx_str(x, n->number ? n->number : "");
    lx_puts(x, "}");
    caption(x, n->caption);
    lx_puts(x, "}\n\\begin{rcbox}{");
    if (n->number) {
        lx_str(x, word);
        lx_puts(x, "~");
        lx_str(x, n->number);
        lx_puts(x, ": ");
    }
    caption(x, n->caption);
    lx_puts(x, "}\\phantomsection");
    label_of(x, n);
    lx_puts(x, "\n");
    bool in_box = x->in_box;
    x->in_box = true;
    x->defer++;
    lx_blocks(x, n->first);
    x->defer--;
    x->in_box = in_box;
    lx_puts(x, "\\end{rcbox}\n");
    lx_flush_notes(x);
    lx_puts(x, "\n");
}
