/* fuzz_doc_pdf: the whole typesetting pipeline on arbitrary Markdown.
 * Input -> rc_doc_parse_markdown (sections split at form feeds: main,
 * back, annex, front) -> rc_doc_finish -> rc_layout_document ->
 * rc_pdf_write to a file under /tmp that is removed after each run.
 * A fixed config (FIXED_INI, parsed once) declares figures of several
 * kinds, an aggregate table, a file table and a box, computed from the
 * fixture survey by rc_data_build, so ![](figure:NAME) etc. in the input
 * place real floats. Fonts and the hyphenation dictionary are loaded once
 * in LLVMFuzzerInitialize. Oracle beyond ASan/UBSan: every failure comes
 * with an error diagnostic; a successful write leaves a file that starts
 * with %PDF- and ends with %%EOF. */
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
#include "rc/layout.h"
#include "rc/locale.h"
#include "rc/pdf.h"
#include "fuzz_common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char FIXED_INI[] =
    "[report]\ntitle = Fuzzing the pipeline\nsubtitle = Łódź – Bogotá\nyear = 2020\n"
    "authors = A. Author | B. Author\n"
    "[output]\ndirectory = out\n"
    "[style]\nhyphenate = yes\n"
    "[document]\ncover = no\nimprint = no\nback_cover = no\nchapters = chapter.md\n"
    "[source survey]\nfile = data.csv\nkey = id\n"
    "[field survey.id]\ncolumn = Id\ntype = text\n"
    "[field survey.continent]\ncolumn = Continent\ntype = category\n"
    "values = EU: European Union | LA: Latin America\n"
    "[field survey.relevance]\ncolumn = Relevance\ntype = likert\nscale = 1..5\n"
    "[field survey.exchange]\ncolumn = Exchange\ntype = multi\nvalues = meet: Meetings | ws: Workshops\n"
    "[field survey.contacts]\ncolumn = Contacts\ntype = integer\n"
    "[metric respondents]\nsource = survey\n"
    "[metric eu]\nsource = survey\nwhere = continent = EU\n"
    "[metric share_eu]\nsource = survey\nop = share\nwhere = continent = EU\nformat = percent:1\n"
    "[metric contacts]\nsource = survey\nop = sum\nfield = contacts\n"
    "[aggregate by_continent]\nsource = survey\nkind = distribution\nfield = continent\n"
    "[aggregate exchange_by_continent]\nsource = survey\nkind = distribution\nfield = exchange\n"
    "by = continent\n"
    "[aggregate rel]\nsource = survey\nkind = likert\nfields = relevance\n"
    "[aggregate contacts_by]\nsource = survey\nkind = sum\nfield = contacts\nby = continent\n"
    "[figure bar]\ntype = bar\naggregate = by_continent\ncaption = Respondents by {{respondents}}\n"
    "source = Test data\n"
    "[figure hbar]\ntype = hbar\naggregate = by_continent\nvalue = count\ncaption = Horizontal\n"
    "[figure grouped]\ntype = grouped\naggregate = exchange_by_continent\ncaption = Grouped\n"
    "[figure stacked]\ntype = stacked\naggregate = exchange_by_continent\ncaption = Stacked\n"
    "[figure likert]\ntype = likert\naggregate = rel\ncaption = Likert\n"
    "[figure pie]\ntype = pie\naggregate = by_continent\ncaption = Pie\n"
    "[figure doughnut]\ntype = doughnut\naggregate = by_continent\ncaption = Doughnut\n"
    "[figure tiles]\ntype = tiles\nitems = respondents: respondents | contacts: contacts\n"
    "caption = Key figures\n"
    "[table agg]\ncaption = By continent\naggregate = by_continent\nnote = A note.\n"
    "[table sums]\ncaption = Contacts\naggregate = contacts_by\n"
    "[table file]\ncaption = From a file\nfile = table.md\nsource = Test data\n"
    "[box story]\ntitle = A story\nfile = box.md\n";

static rc_arena *fixed;
static const rc_config *cfg;
static rc_data dat;
static rc_fonts fonts;
static rc_hyph *hyph;
static char pdf_path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    const char *base = fz_setup_scratch();
    fixed = rc_arena_new();
    rc_diag *d = rc_diag_new();
    rc_config *c = NULL;
    if (rc_config_parse(fixed, "fixed.ini", base, FIXED_INI, sizeof FIXED_INI - 1, d, &c) != RC_OK ||
        rc_data_build(fixed, c, RC_DATA_KEEP_ROWS | RC_DATA_NO_HASH, d, &dat) != RC_OK ||
        rc_fonts_load(fixed, c->style.font_path, c->style.font_loc, d, &fonts) != RC_OK) {
        rc_diag_print(d, stderr);
        abort();
    }
    cfg = c;
    const char *dic = c->style.hyphenation ? c->style.hyphenation : "/usr/share/hyphen/hyph_en_GB.dic";
    hyph = rc_hyph_load(dic, (rc_loc){0}, d);
    if (!hyph) {
        rc_diag_print(d, stderr);
        abort();
    }
    rc_diag_free(d);
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
    if (rc_diag_errors(d) == 0) {
        rc_layout lay = {0};
        st = rc_layout_document(a, &doc, &fonts, hyph, d, &lay);
        if (st != RC_OK && rc_diag_errors(d) == 0) abort();
        if (st == RC_OK) {
            if (lay.pages.n == 0) abort();
            st = rc_pdf_write(a, &lay, cfg, &fonts, pdf_path, d);
            if (st != RC_OK && rc_diag_errors(d) == 0) abort();
            if (st == RC_OK) check_pdf(pdf_path);
            unlink(pdf_path);
        }
    }
    fz_check_diags(d);
    rc_diag_free(d);
    rc_arena_free(a);
    return 0;
}
