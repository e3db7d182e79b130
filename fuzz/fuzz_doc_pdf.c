/* fuzz_doc_pdf: the whole typesetting pipeline on arbitrary Markdown.
 * Input -> rc_doc_parse_markdown (sections split at form feeds: main,
 * back, annex, front) -> rc_doc_finish -> rc_layout_document ->
 * rc_pdf_write to a file under /tmp that is removed after each run.
 * The fixed config (parsed and computed once) is the sample report's INI
 * and data plus EXTRA_INI (a float of every kind over the fixture survey),
 * so placeholders and ![](figure:NAME) etc. in the input resolve to real
 * metrics and floats. Fonts and the hyphenation dictionary are loaded once
 * in LLVMFuzzerInitialize. Oracle beyond ASan/UBSan: every failure comes
 * with an error diagnostic; a successful write leaves a file that starts
 * with %PDF- and ends with %%EOF; and text conservation (fuzz_conserve.h):
 * every letter of the prose is drawn, and nothing outside the page (the
 * oracle proves it can fail on a known document at start-up).
 * Built with RC_FUZZ_TEX (target fuzz_doc_tex) the document goes through
 * rc_latex_emit instead of layout and PDF; the .tex must be valid UTF-8
 * without control characters, have balanced braces outside comments and
 * escapes, and hold exactly one \begin{document} and one \end{document}
 * (text from the input can never close the document or open a group). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rc/arena.h"
#include "rc/config.h"
#include "rc/data.h"
#include "rc/diag.h"
#include "rc/doc.h"
#include "rc/font.h"
#include "rc/latex.h"
#include "rc/layout.h"
#include "rc/locale.h"
#include "rc/pdf.h"
#include "rc/util.h"
#include "fuzz_common.h"
#include "fuzz_conserve.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Appended to the sample's INI: a second source over the fixture survey
 * with one float of every kind (names prefixed fz_ to stay apart from the
 * sample's). */
static const char EXTRA_INI[] =
    "\n[source fz]\nfile = data.csv\nkey = id\n"
    "[field fz.id]\ncolumn = Id\ntype = text\n"
    "[field fz.continent]\ncolumn = Continent\ntype = category\n"
    "values = EU: European Union | LA: Latin America\n"
    "[field fz.relevance]\ncolumn = Relevance\ntype = likert\nscale = 1..5\n"
    "[field fz.exchange]\ncolumn = Exchange\ntype = multi\nvalues = meet: Meetings | ws: "
    "Workshops\n"
    "[field fz.contacts]\ncolumn = Contacts\ntype = integer\n"
    "[metric fz_respondents]\nsource = fz\n"
    "[metric fz_eu]\nsource = fz\nwhere = continent = EU\n"
    "[metric fz_share_eu]\nsource = fz\nop = share\nwhere = continent = EU\nformat = percent:1\n"
    "[metric fz_contacts]\nsource = fz\nop = sum\nfield = contacts\n"
    "[aggregate fz_by_continent]\nsource = fz\nkind = distribution\nfield = continent\n"
    "[aggregate fz_exchange_by_continent]\nsource = fz\nkind = distribution\nfield = exchange\n"
    "by = continent\n"
    "[aggregate fz_rel]\nsource = fz\nkind = likert\nfields = relevance\n"
    "[aggregate fz_contacts_by]\nsource = fz\nkind = sum\nfield = contacts\nby = continent\n"
    "[aggregate fz_rows]\nsource = fz\nkind = rows\nfields = id, continent, exchange\n"
    "[figure fz_bar]\ntype = bar\naggregate = fz_by_continent\n"
    "caption = Respondents by {{fz_respondents}}\nsource = Test data\n"
    "[figure fz_hbar]\ntype = hbar\naggregate = fz_by_continent\nvalue = count\ncaption = "
    "Horizontal\n"
    "[figure fz_grouped]\ntype = grouped\naggregate = fz_exchange_by_continent\ncaption = Grouped\n"
    "[figure fz_stacked]\ntype = stacked\naggregate = fz_exchange_by_continent\ncaption = Stacked\n"
    "[figure fz_likert]\ntype = likert\naggregate = fz_rel\ncaption = Likert\n"
    "[figure fz_pie]\ntype = pie\naggregate = fz_by_continent\ncaption = Pie\n"
    "[figure fz_doughnut]\ntype = doughnut\naggregate = fz_by_continent\ncaption = Doughnut\n"
    "[figure fz_tiles]\ntype = tiles\nitems = fz_respondents: respondents | fz_contacts: contacts\n"
    "caption = Key figures\n"
    "[table fz_agg]\ncaption = By continent\naggregate = fz_by_continent\nnote = A note.\n"
    "[table fz_sums]\ncaption = Contacts\naggregate = fz_contacts_by\n"
    "[table fz_rows]\ncaption = Rows\naggregate = fz_rows\n"
    "[table fz_file]\ncaption = From a file\nfile = table.md\nsource = Test data\n"
    "[box fz_story]\ntitle = A story\nfile = box.md\n";

static rc_arena *fixed;
static const rc_config *cfg;
static rc_data dat;
static rc_fonts fonts;
static rc_hyph *hyph;
static char pdf_path[64];

#ifndef RC_FUZZ_TEX
/* The conservation oracle refuses a layout that lost a text or drew one off
 * the page (fc_selftest), shown on a known document before any input. */
static void oracle_selftest(void)
{
    static const char md[] = "# A known chapter\n\nSome prose that must be drawn, every word of "
                             "it.[^n]\n\n[^n]: And a footnote.\n";
    rc_arena *a = rc_arena_new();
    rc_diag *d = rc_diag_new();
    rc_doc doc = {.cfg = cfg, .data = &dat, .locale = rc_locale_get("en")};
    doc.root = rc_node_new(a, RC_NODE_DOCUMENT, (rc_loc){"fixed.ini", 0, 0});
    rc_layout lay = {0};
    if (!rc_doc_parse_markdown(a, &doc, "known.md", md, sizeof md - 1, RC_PART_MAIN, d) ||
        rc_doc_finish(&doc, d) != RC_OK ||
        rc_layout_document(a, &doc, &fonts, hyph, d, &lay) != RC_OK) {
        rc_diag_print(d, stderr);
        abort();
    }
    fc_selftest(&doc, &lay);
    rc_diag_free(d);
    rc_arena_free(a);
}
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    const char *base = fz_setup_scratch();
    fixed = rc_arena_new();
    rc_diag *d = rc_diag_new();
    rc_config *c = NULL;
    /* The fixture: the sample report's INI (its sources, metrics and floats,
     * so the sample chapters in the seeds resolve) plus EXTRA_INI. */
    FILE *f = fopen(RC_FUZZ_ROOT "/config/iuc-lac-2019.ini", "rb");
    static char ini[1 << 17];
    size_t n = f ? fread(ini, 1, sizeof ini - sizeof EXTRA_INI - 1, f) : 0;
    if (!f || n == 0 || !feof(f)) abort();
    fclose(f);
    memcpy(ini + n, EXTRA_INI, sizeof EXTRA_INI);
    n += sizeof EXTRA_INI - 1;
    if (rc_config_parse(fixed, "fixed.ini", base, ini, n, d, &c) != RC_OK ||
        rc_data_build(fixed, c, RC_DATA_KEEP_ROWS | RC_DATA_NO_HASH, d, &dat) != RC_OK ||
        rc_fonts_load(fixed, c->style.font_path, c->style.font_loc, d, &fonts) != RC_OK) {
        rc_diag_print(d, stderr);
        abort();
    }
    cfg = c;
    const char *dic =
        c->style.hyphenation ? c->style.hyphenation : "/usr/share/hyphen/hyph_en_GB.dic";
    hyph = rc_hyph_load(dic, (rc_loc){0}, d);
    if (!hyph) {
        rc_diag_print(d, stderr);
        abort();
    }
    rc_diag_free(d);
#ifndef RC_FUZZ_TEX
    oracle_selftest();
#endif
    snprintf(pdf_path, sizeof pdf_path, "/tmp/rc-fuzz-%ld.pdf", (long)getpid());
    return 0;
}

/* The PDF file is complete: header at the start, %%EOF at the end. */
static void check_pdf(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) abort();
    char head[5], tail[16] = {0};
    if (fread(head, 1, 5, f) != 5 || memcmp(head, "%PDF-", 5) != 0) abort();
    if (fseek(f, -(long)sizeof tail + 1, SEEK_END) != 0) abort();
    size_t n = fread(tail, 1, sizeof tail - 1, f);
    fclose(f);
    if (!strstr(tail, "%%EOF") || n == 0) abort();
}

/* The LaTeX oracles (RC_FUZZ_TEX). */
__attribute__((unused)) static void check_tex(const char *t, size_t n)
{
    if (n == 0 || rc_utf8_validate(t, n) != n) abort();
    long depth = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)t[i];
        if (c < 0x20 && c != '\n') abort(); /* no tab, NUL, CR, ESC... reaches TeX */
        if (c == '\\') {
            i++; /* \{ \} \% \\ are escapes */
        } else if (c == '%') {
            while (i < n && t[i] != '\n')
                i++;
        } else if (c == '{') {
            depth++;
        } else if (c == '}') {
            if (--depth < 0) abort();
        }
    }
    if (depth != 0) abort();
    const char *b = strstr(t, "\\begin{document}"), *e = strstr(t, "\\end{document}");
    if (!b || !e || e < b || strstr(b + 1, "\\begin{document}") || strstr(e + 1, "\\end{document}"))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const rc_part parts[] = {RC_PART_MAIN, RC_PART_BACK, RC_PART_ANNEX, RC_PART_FRONT};
    rc_arena *a = rc_arena_new();
    rc_diag *d = rc_diag_new();
    rc_doc doc = {.cfg = cfg, .data = &dat, .locale = rc_locale_get("en")};
    /* Contents and lists first, as rc_doc_build places them. */
    doc.root = rc_node_new(a, RC_NODE_DOCUMENT, (rc_loc){"fixed.ini", 0, 0});
    rc_node_append(doc.root, rc_node_new(a, RC_NODE_TOC, (rc_loc){"fixed.ini", 1, 1}));
    rc_node *lof = rc_node_new(a, RC_NODE_LIST_OF, (rc_loc){"fixed.ini", 1, 1});
    lof->list = RC_LIST_FIGURES;
    rc_node_append(doc.root, lof);
    size_t start = 0, k = 0;
    bool failed = false;
    for (size_t i = 0; i <= size; i++) {
        if (i < size && data[i] != '\f') continue;
        size_t len = i - start;
        char *text = malloc(len ? len : 1); /* exact size: over-reads are caught */
        if (!text) abort();
        if (len) memcpy(text, data + start, len);
        const char *name = k == 0 ? "fuzz.md" : "fuzz-more.md";
        if (!rc_doc_parse_markdown(a, &doc, name, text, len, parts[k % 4], d)) failed = true;
        free(text);
        start = i + 1;
        k++;
    }
    rc_status st = rc_doc_finish(&doc, d);
    if ((st != RC_OK || failed) && rc_diag_errors(d) == 0) abort();
#ifdef RC_FUZZ_TEX
    if (rc_diag_errors(d) == 0) {
        char *tex = NULL;
        size_t tlen = 0;
        FILE *m = open_memstream(&tex, &tlen);
        if (!m) abort();
        st = rc_latex_emit(a, &doc, m);
        if (fclose(m) != 0 || st != RC_OK) abort();
        check_tex(tex, tlen);
        free(tex);
    }
#else
    if (rc_diag_errors(d) == 0) {
        rc_layout lay = {0};
        st = rc_layout_document(a, &doc, &fonts, hyph, d, &lay);
        if (st != RC_OK && rc_diag_errors(d) == 0) abort();
        if (st == RC_OK) {
            if (lay.pages.n == 0) abort();
            if (!fc_check(&doc, &lay)) abort();
            st = rc_pdf_write(a, &lay, cfg, &fonts, pdf_path, d);
            if (st != RC_OK && rc_diag_errors(d) == 0) abort();
            if (st == RC_OK) check_pdf(pdf_path);
            unlink(pdf_path);
        }
    }
#endif
    fz_check_diags(d);
    rc_diag_free(d);
    rc_arena_free(a);
    return 0;
}
