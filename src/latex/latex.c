/* latex: the document tree -> one standalone .tex file. A walk in the style
 * of cmark's latex.c: one switch over block types and one over inline types.
 * Generated pages (cover, imprint, lists) are in latex_front.c, floats in
 * latex_float.c, charts in latex_charts.c.
 *
 * Numbers are never left to LaTeX's counters alone: before every numbered
 * heading, float and footnote the counter is set from the number the doc
 * stage gave it, so the .tex prints exactly the numbers the PDF prints. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "latex_int.h"
#include "rc/util.h"

const char *lx_word(const lx *x, rc_word w)
{
    return rc_locale_word(x->loc, w);
}

static const char *const pal_names[16] = {
    "rcpal0", "rcpal1", "rcpal2",  "rcpal3",  "rcpal4",  "rcpal5",  "rcpal6",  "rcpal7",
    "rcpal8", "rcpal9", "rcpal10", "rcpal11", "rcpal12", "rcpal13", "rcpal14", "rcpal15"};

size_t lx_npal(const lx *x)
{
    size_t n = x->cfg ? x->cfg->style.npalette : 0;
    return n ? (n > 16 ? 16 : n) : 6; /* 6: the default palette (latex_front.c) */
}

const char *lx_pal(const lx *x, size_t i)
{
    return pal_names[i % lx_npal(x)];
}

/* A URL for \href / \url: the characters TeX would act on are
 * percent-encoded (their URL meaning is unchanged), % and # escaped. */
static void url(lx *x, const char *u, bool shown)
{
    for (const unsigned char *p = (const unsigned char *)(u ? u : ""); *p; p++) {
        unsigned char c = *p;
        if (c == '%' || c == '#')
            lx_printf(x, "\\%c", c);
        else if (c == '~' && shown) /* \url prints it as is */
            lx_out(x, (const char *)p, 1);
        else if (c <= 0x20 || c >= 0x7F || strchr("\\{}^~|\"<>`", c))
            lx_printf(x, "\\%%%02X", c);
        else
            lx_out(x, (const char *)p, 1);
    }
}

/* ---- footnotes --------------------------------------------------------- */

static void note_body(lx *x, const rc_node *def)
{
    int nest = x->nest;
    bool in_box = x->in_box;
    x->nest = LX_MAX_NEST; /* no list environments inside a footnote, */
    x->in_box = true;      /* no floats, no longtable */
    for (const rc_node *b = def->first; b; b = b->next) {
        if (b->type == RC_NODE_PARAGRAPH) {
            lx_inlines(x, b->first);
            if (b->next) lx_puts(x, "\\par ");
        } else {
            lx_blocks(x, b);
            break; /* lx_blocks walks the siblings itself */
        }
    }
    x->nest = nest;
    x->in_box = in_box;
}

static void footnote_ref(lx *x, const rc_node *n)
{
    const rc_node *def = n->footnote_def;
    if (!n->id || !def || x->repeat) {
        lx_printf(x, "\\rcfnmark{%d}", n->footnote);
        return;
    }
    if (x->defer > 0) {
        lx_printf(x, "\\rcfnmark{%d}", n->footnote);
        RC_PUSH(x->a, x->pending, def);
        return;
    }
    lx_printf(x, "\\setcounter{footnote}{%d}\\footnote{", n->footnote - 1);
    x->defer++; /* a note citing a note: mark only */
    note_body(x, def);
    x->defer--;
    lx_puts(x, "}");
    lx_flush_notes(x);
}

void lx_flush_notes(lx *x)
{
    if (x->defer > 0) return;
    /* a deferred note's text may itself defer further notes */
    for (size_t i = 0; i < x->pending.n; i++) {
        const rc_node *def = x->pending.v[i];
        lx_printf(x, "%%\n\\setcounter{footnote}{%d}\\footnotetext{", def->footnote);
        x->defer++;
        note_body(x, def);
        x->defer--;
        lx_puts(x, "}");
    }
    x->pending.n = 0;
}

/* ---- inlines --------------------------------------------------------------- */

static void wrap(lx *x, const char *open, const rc_node *n)
{
    lx_puts(x, open);
    lx_inlines(x, n->first);
    lx_puts(x, "}");
}

static bool link_is_url_text(const rc_node *n)
{
    return n->first && n->first == n->last && n->first->type == RC_NODE_TEXT && n->url &&
           strlen(n->url) == n->first->len && !memcmp(n->url, n->first->text, n->first->len);
}

/* The nodes whose LaTeX is a fixed text, inline or block (the doc never puts
 * a break of one kind where the other belongs). */
static const char *const fixed[RC_NODE_TYPE_COUNT] = {
    [RC_NODE_THEMATIC_BREAK] = "\\par\\noindent\\rule{\\linewidth}{0.4pt}\\par\n\n",
    [RC_NODE_SOFTBREAK] = "\n",
    [RC_NODE_LINEBREAK] = "\\\\{}\n",
};

static void inline_node(lx *x, const rc_node *n)
{
    if (fixed[n->type]) {
        lx_puts(x, fixed[n->type]);
        return;
    }
    switch (n->type) {
    case RC_NODE_TEXT:
        lx_text(x, n->text, n->len);
        break;
    case RC_NODE_EMPH:
        wrap(x, "\\emph{", n);
        break;
    case RC_NODE_STRONG:
        wrap(x, "\\textbf{", n);
        break;
    case RC_NODE_STRIKE: /* \sout cannot hold a \footnote */
        x->defer++;
        wrap(x, "\\rcstrike{", n);
        x->defer--;
        lx_flush_notes(x);
        break;
    case RC_NODE_CODE:
        lx_puts(x, "\\texttt{");
        lx_text(x, n->text, n->len);
        lx_puts(x, "}");
        break;
    case RC_NODE_LINK:
        if (n->url && n->url[0] == '#') {
            lx_puts(x, "\\hyperref[");
            lx_label(x, n->url + 1);
            wrap(x, "]{", n);
        } else if (link_is_url_text(n)) {
            lx_puts(x, "\\url{");
            url(x, n->url, true);
            lx_puts(x, "}");
        } else {
            lx_puts(x, "\\href{");
            url(x, n->url, false);
            wrap(x, "}{", n);
        }
        break;
    case RC_NODE_FOOTNOTE_REF:
        footnote_ref(x, n);
        break;
    default: /* a block where an inline was expected: keep its text */
        lx_inlines(x, n->first);
        break;
    }
}

void lx_inlines(lx *x, const rc_node *first)
{
    for (const rc_node *n = first; n; n = n->next)
        inline_node(x, n);
}

/* ---- headings ---------------------------------------------------------------- */

/* The counter value that makes LaTeX print the last component of number
 * ("2.3" -> 2, so \section steps it to 3). */
static int counter_before(const char *number)
{
    const char *dot = strrchr(number, '.');
    long v = strtol(dot ? dot + 1 : number, NULL, 10);
    return v > 0 && v < 100000 ? (int)v - 1 : 0;
}

static void plain_title(lx *x, const rc_node *h)
{
    lx_str(x, rc_node_plain_text(x->a, h));
}

static void title(lx *x, const rc_node *h)
{
    x->defer++;
    lx_inlines(x, h->first);
    x->defer--;
}

/* The title of the running heads: the part's short_title or its title. */
static void run_title(lx *x, const rc_node *h)
{
    if (h->short_title)
        lx_str(x, h->short_title);
    else
        plain_title(x, h);
}

static void heading(lx *x, const rc_node *h)
{
    static const char *const cmd[5] = {"chapter", "chapter", "section", "subsection", "paragraph"};
    int lv = h->level < 1 ? 1 : h->level > 4 ? 4 : h->level;
    bool in_flow = h->parent && h->parent->type == RC_NODE_SECTION;
    if (!in_flow) { /* boxes, footnotes, list items: a bold line */
        lx_puts(x, "\n\\rcinlinehead{");
        title(x, h);
        lx_puts(x, "}\n\n");
        lx_flush_notes(x);
        return;
    }
    bool shared = false;
    lx_puts(x, "\n");
    if (h->part == RC_PART_MAIN && h->numbered && h->number && lv <= 3) {
        lx_printf(x, "\\setcounter{%s}{%d}\\%s[", cmd[lv], counter_before(h->number), cmd[lv]);
        plain_title(x, h);
        lx_puts(x, "]{");
        title(x, h);
        lx_puts(x, "}\\label{");
    } else if (h->part == RC_PART_ANNEX && lv == 1 && h->number) {
        lx_puts(x, "\\rcannexchapter{");
        lx_str(x, h->number);
        lx_puts(x, "}{");
        plain_title(x, h);
        lx_puts(x, "}{");
        title(x, h);
        lx_puts(x, "}\\label{");
    } else {
        /* share_page: the part starts on the previous part's page (the
         * chapter's page break is switched off inside a group); LaTeX
         * breaks the page itself when the part does not fit */
        shared = lv == 1 && h->share_page;
        if (shared) lx_puts(x, "{\\let\\clearpage\\relax\\let\\cleardoublepage\\relax\n");
        lx_printf(x, "\\%s*{", cmd[lv]);
        title(x, h);
        lx_puts(x, "}");
        if (lv == 1) {
            lx_puts(x, "\\markboth{");
            run_title(x, h);
            lx_puts(x, "}{}");
        }
        lx_puts(x, "\\phantomsection");
        if (h->in_toc) {
            lx_printf(x, "\\addcontentsline{toc}{%s}{", cmd[lv]);
            plain_title(x, h);
            lx_puts(x, "}");
        }
        lx_puts(x, "\\label{");
    }
    lx_label(x, h->id);
    lx_puts(x, "}");
    if (shared) lx_puts(x, "}");
    if (h->short_title && h->number && lv == 1) { /* the running heads' title */
        lx_puts(x, "\\markboth{");
        lx_str(x, h->number);
        lx_puts(x, "\\enspace ");
        run_title(x, h);
        lx_puts(x, "}{}");
    }
    lx_puts(x, lv == 4 ? "\n" : "\n\n");
    lx_flush_notes(x);
}

/* ---- blocks ---------------------------------------------------------------------- */

static void code_block(lx *x, const rc_node *n)
{
    lx_puts(x, "\n\\begin{rccode}\n");
    const char *s = n->text ? n->text : "";
    size_t len = n->len;
    size_t i = 0;
    bool first = true;
    while (i <= len) {
        size_t e = i;
        while (e < len && s[e] != '\n')
            e++;
        if (!first) lx_puts(x, "\\\\\n");
        first = false;
        lx_puts(x, "\\mbox{}");
        size_t k = i;
        while (k < e && s[k] == ' ') { /* indentation: unbreakable */
            lx_puts(x, "~");
            k++;
        }
        for (size_t j = k; j < e;) {
            size_t sp = j;
            while (sp < e && s[sp] != ' ')
                sp++;
            lx_text(x, s + j, sp - j);
            for (j = sp; j < e && s[j] == ' '; j++)
                lx_puts(x, "\\ ");
        }
        i = e + 1;
    }
    lx_puts(x, "\n\\end{rccode}\n\n");
}

static void list(lx *x, const rc_node *n)
{
    if (x->nest >= LX_MAX_NEST) { /* flattened: items as paragraphs */
        int k = n->ordered ? n->start : 0;
        for (const rc_node *it = n->first; it; it = it->next) {
            if (n->ordered)
                lx_printf(x, "\n\\noindent %d.\\enspace ", k++);
            else
                lx_puts(x, "\n\\noindent\\textbullet\\enspace ");
            lx_blocks(x, it->first);
        }
        return;
    }
    static const char *const enums[LX_MAX_NEST] = {"enumi", "enumii", "enumiii", "enumiv"};
    int depth = 0; /* enumerate depth of this list */
    if (n->ordered)
        for (const rc_node *p = n->parent; p; p = p->parent)
            if (p->type == RC_NODE_LIST && p->ordered) depth++;
    const char *env = n->ordered ? "enumerate" : "itemize";
    lx_printf(x, "\n\\begin{%s}", env);
    if (n->tight) lx_puts(x, "\\setlength{\\itemsep}{0pt}\\setlength{\\parskip}{0pt}");
    if (n->ordered && n->start != 1 && depth < LX_MAX_NEST)
        lx_printf(x, "\\setcounter{%s}{%d}", enums[depth], n->start - 1);
    lx_puts(x, "\n");
    x->nest++;
    for (const rc_node *it = n->first; it; it = it->next) {
        lx_puts(x, "\\item ");
        if (!it->first) lx_puts(x, "\\leavevmode");
        lx_blocks(x, it->first);
    }
    x->nest--;
    lx_printf(x, "\\end{%s}\n\n", env);
}

/* The blocks a function of their own writes (generated pages, floats,
 * headings, lists, code), looked up before the switch, which keeps the
 * cases that need more than one call. */
typedef void block_writer(lx *x, const rc_node *n);
static block_writer *const writers[RC_NODE_TYPE_COUNT] = {
    [RC_NODE_COVER] = lx_cover,
    [RC_NODE_IMPRINT] = lx_imprint,
    [RC_NODE_TOC] = lx_toc,
    [RC_NODE_LIST_OF] = lx_list_of,
    [RC_NODE_BACK_COVER] = lx_back_cover,
    [RC_NODE_HEADING] = heading,
    [RC_NODE_LIST] = list,
    [RC_NODE_CODE_BLOCK] = code_block,
    [RC_NODE_TABLE] = lx_table,
    [RC_NODE_FIGURE] = lx_figure,
    [RC_NODE_BOX] = lx_box,
};

static void block(lx *x, const rc_node *n)
{
    if (writers[n->type]) {
        writers[n->type](x, n);
        return;
    }
    if (fixed[n->type]) {
        lx_puts(x, fixed[n->type]);
        return;
    }
    switch (n->type) {
    case RC_NODE_PARAGRAPH:
        lx_inlines(x, n->first);
        lx_puts(x, "\n\n");
        break;
    case RC_NODE_ITEM:
    case RC_NODE_SECTION:
        lx_blocks(x, n->first);
        break;
    case RC_NODE_BLOCKQUOTE:
        if (x->nest >= LX_MAX_NEST) {
            lx_blocks(x, n->first);
            break;
        }
        lx_puts(x, "\\begin{quote}\n");
        x->nest++;
        lx_blocks(x, n->first);
        x->nest--;
        lx_puts(x, "\\end{quote}\n\n");
        break;
    case RC_NODE_FOOTNOTE_DEF:
        break; /* emitted at its first reference */
    default:   /* an inline at block level */
        inline_node(x, n);
        lx_puts(x, "\n\n");
        break;
    }
}

void lx_blocks(lx *x, const rc_node *first)
{
    for (const rc_node *n = first; n; n = n->next)
        block(x, n);
}

/* ---- document ------------------------------------------------------------------ */

static void section(lx *x, const rc_node *sec)
{
    if (sec->part == RC_PART_MAIN && !x->main_started) {
        lx_puts(x, "\n\\clearpage\\pagenumbering{arabic}\n");
        x->main_started = true;
    }
    if (sec->part == RC_PART_ANNEX && !x->annex_started) {
        lx_puts(x, "\n\\appendix\n");
        x->annex_started = true;
    }
    lx_printf(x, "\n%% ---- %s\n", sec->loc.file ? rc_path_base(sec->loc.file) : "section");
    lx_blocks(x, sec->first);
}

static void init(lx *x, rc_arena *a, const rc_doc *doc)
{
    x->a = a;
    x->doc = doc;
    x->cfg = doc->cfg;
    x->loc = doc->locale ? doc->locale : rc_locale_get("en");
}

static void emit(lx *x)
{
    lx_preamble(x);
    lx_puts(x, "\\begin{document}\n\\pagenumbering{roman}\n");
    for (const rc_node *n = x->doc->root ? x->doc->root->first : NULL; n; n = n->next) {
        if (n->type == RC_NODE_SECTION)
            section(x, n);
        else
            block(x, n);
    }
    lx_flush_notes(x);
    lx_puts(x, "\n\\end{document}\n");
}

rc_status rc_latex_emit(rc_arena *a, const rc_doc *doc, FILE *out)
{
    if (!a || !doc || !out) return RC_ERR_IO;
    lx x = {0};
    init(&x, a, doc);
    x.out = out;
    x.cap = (size_t)64 << 10;
    x.buf = malloc(x.cap);
    if (!x.buf) x.cap = 0; /* then every write goes to out as it comes */
    emit(&x);
    lx_flush(&x);
    free(x.buf);
    return ferror(out) ? RC_ERR_IO : RC_OK;
}

/* Emits into memory, then writes the bytes to a temporary file beside path
 * and renames it over path (rc_out_*). */
rc_status rc_latex_write(rc_arena *a, const rc_doc *doc, const char *path, rc_diag *d)
{
    if (!a || !doc) {
        rc_diag_error(d, (rc_loc){path, 0, 0}, "cannot write LaTeX: %s", rc_strerror(RC_ERR_IO));
        return RC_ERR_IO;
    }
    lx x = {0};
    init(&x, a, doc);
    x.grow = true;
    lx_reserve(&x, (size_t)256 << 10);
    emit(&x);
    char *buf = x.buf;
    size_t len = x.n;
    rc_status st = x.nomem ? RC_ERR_NOMEM : RC_OK;
    if (st != RC_OK) {
        free(buf);
        rc_diag_error(d, (rc_loc){path, 0, 0}, "cannot write LaTeX: %s", rc_strerror(st));
        return st;
    }
    rc_outfile o;
    st = rc_out_open(a, path, &o);
    if (st == RC_OK && !rc_write_all(o.fd, buf, len)) st = RC_ERR_IO;
    free(buf);
    if (st != RC_OK) {
        rc_out_abort(&o);
        rc_diag_error(d, (rc_loc){path, 0, 0}, "cannot write '%s'", path);
        return RC_ERR_IO;
    }
    if (rc_out_commit(&o) != RC_OK) {
        rc_diag_error(d, (rc_loc){path, 0, 0}, "cannot write '%s'", path);
        return RC_ERR_IO;
    }
    return RC_OK;
}
