/* latex_front: the preamble and the generated pages of the .tex: cover,
 * imprint, contents, lists of figures / tables / boxes, back cover. The
 * cover and back cover follow the PDF's design (an EC-blue band with a
 * yellow accent) with TikZ overlays; every fixed word comes from the locale.
 *
 * Engines: pdflatex gets T1 + utf8 inputenc, Latin Modern and TeX Gyre
 * Heros (texlive-fonts-recommended); xelatex and lualatex get fontspec with
 * Lato when the system has it (the PDF's face), else TeX Gyre Heros. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "latex_int.h"
#include "rc/date.h"
#include "rc/util.h"

static const char *rep(const rc_str *s)
{
    return s && s->s && *s->s ? s->s : NULL;
}

static const rc_report_cfg *report(const lx *x)
{
    return x->cfg ? &x->cfg->report : NULL;
}

static const char *join(lx *x, const rc_strlist *l, const char *sep)
{
    char *s = NULL;
    for (size_t i = 0; l && i < l->n; i++) {
        const char *v = l->v[i].s ? l->v[i].s : "";
        s = s ? rc_arena_printf(x->a, "%s%s%s", s, sep, v) : rc_arena_strdup(x->a, v);
    }
    return s;
}

/* The EUR number as written; the config may or may not carry the prefix. */
static const char *eur(lx *x, const rc_report_cfg *r)
{
    const char *e = rep(&r->eur);
    if (!e) return NULL;
    return strncmp(e, "EUR", 3) == 0 ? e : rc_arena_printf(x->a, "EUR %s", e);
}

/* ---- preamble ------------------------------------------------------------- */

static const unsigned default_palette[6] = {0x004494, 0xFFD617, 0x7FA1C9,
                                            0xBFD0E4, 0xFFE879, 0x404040};

static unsigned to255(double v)
{
    return v <= 0 ? 0 : v >= 1 ? 255 : (unsigned)(v * 255.0 + 0.5);
}

rc_rgb lx_pal_rgb(const lx *x, size_t i)
{
    i %= lx_npal(x);
    if (x->cfg && x->cfg->style.npalette) return x->cfg->style.palette[i];
    unsigned h = default_palette[i];
    return (rc_rgb){(double)(h >> 16 & 255) / 255.0, (double)(h >> 8 & 255) / 255.0,
                    (double)(h & 255) / 255.0};
}

static void colours(lx *x)
{
    size_t n = lx_npal(x);
    for (size_t i = 0; i < n; i++) {
        rc_rgb c = lx_pal_rgb(x, i);
        unsigned hex = to255(c.r) << 16 | to255(c.g) << 8 | to255(c.b);
        lx_printf(x, "\\definecolor{%s}{HTML}{%06X}\n", lx_pal(x, i), hex);
    }
    /* named roles, as the PDF uses them: blue, yellow, grey text */
    lx_printf(x, "\\colorlet{rcblue}{%s}\n", lx_pal(x, 0));
    lx_printf(x, "\\colorlet{rcyellow}{%s}\n", n > 1 ? lx_pal(x, 1) : "yellow");
    lx_printf(x, "\\colorlet{rcmid}{%s}\n", n > 2 ? lx_pal(x, 2) : "rcblue!50!white");
    lx_puts(x, "\\definecolor{rcgrey}{HTML}{595959}\n"
               "\\colorlet{rcshade}{rcblue!8!white}\n");
}

/* "D:YYYYMMDDHHMMSSZ" from SOURCE_DATE_EPOCH, else 1 January of the report
 * year: the .tex and the PDF made from it never depend on the clock. */
static const char *pdf_date(lx *x)
{
    const rc_report_cfg *r = report(x);
    rc_date t = rc_date_from_epoch(rc_date_report_epoch(r ? r->year.s : NULL));
    return rc_arena_printf(x->a, "D:%04d%02u%02u%02u%02u%02uZ", t.year, t.month, t.day, t.hour,
                           t.minute, t.second);
}

static void captions(lx *x)
{
    static const struct {
        const char *macro;
        rc_word w;
    } caps[] = {{"contentsname", RC_W_CONTENTS},
                {"figurename", RC_W_FIGURE},
                {"tablename", RC_W_TABLE},
                {"listfigurename", RC_W_LIST_OF_FIGURES},
                {"listtablename", RC_W_LIST_OF_TABLES},
                {"appendixname", RC_W_ANNEX}};
    const char *babel = x->loc && x->loc->babel ? x->loc->babel : "british";
    lx_printf(x, "\\addto\\captions%s{%%\n", babel);
    for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++) {
        lx_printf(x, "  \\renewcommand{\\%s}{", caps[i].macro);
        lx_str(x, lx_word(x, caps[i].w));
        lx_puts(x, "}%\n");
    }
    lx_puts(x, "}\n");
}

static void metadata(lx *x)
{
    const rc_report_cfg *r = report(x);
    const char *date = pdf_date(x);
    lx_puts(x, "\\hypersetup{%\n  pdftitle={");
    lx_meta(x, r ? rep(&r->title) : NULL);
    lx_puts(x, "},\n  pdfauthor={");
    lx_meta(x, r ? join(x, &r->authors, ", ") : NULL);
    lx_puts(x, "},\n  pdfsubject={");
    lx_meta(x, r ? rep(&r->subtitle) : NULL);
    lx_puts(x, "},\n  pdfkeywords={");
    lx_meta(x, r ? join(x, &r->keywords, ", ") : NULL);
    lx_printf(x, "},\n  pdflang={%s},\n  pdfcreator={reportc},\n", x->loc ? x->loc->lang : "en");
    lx_printf(x, "  pdfcreationdate={%s},\n  pdfmoddate={%s},\n", date, date);
    lx_puts(x, "  bookmarksnumbered=true, bookmarksopen=true,\n"
               "  colorlinks=true, linkcolor=rcblue, urlcolor=rcblue, citecolor=rcblue}\n");
}

static int class_size(const lx *x)
{
    double s = x->cfg && x->cfg->style.font_size > 0 ? x->cfg->style.font_size : 10;
    return s < 10.5 ? 10 : s < 11.5 ? 11 : 12;
}

void lx_preamble(lx *x)
{
    const char *babel = x->loc && x->loc->babel ? x->loc->babel : "british";
    lx_printf(x,
              "%% Generated by reportc %s. Compile with pdflatex, xelatex or lualatex\n"
              "%% (twice, for the contents and cross-references).\n",
              RC_VERSION);
    lx_printf(x, "\\documentclass[a4paper,%dpt,oneside]{report}\n", class_size(x));
    lx_puts(x, "\\usepackage{iftex}\n"
               "\\iftutex\n"
               "  \\usepackage{fontspec}\n"
               "  \\IfFontExistsTF{Lato}{\\setmainfont{Lato}\\setsansfont{Lato}}%\n"
               "    {\\setmainfont{TeX Gyre Heros}\\setsansfont{TeX Gyre Heros}}\n"
               "\\else\n"
               "  \\usepackage[T1]{fontenc}\n"
               "  \\usepackage[utf8]{inputenc}\n"
               "  \\usepackage{lmodern}\n"
               "  \\usepackage{tgheros}\n"
               "  \\renewcommand{\\familydefault}{\\sfdefault}\n"
               "\\fi\n"
               "\\ifpdftex\n"
               "  \\pdfinfoomitdate=1 \\pdftrailerid{} \\pdfsuppressptexinfo=-1\n"
               "\\fi\n");
    lx_printf(x, "\\usepackage[%s]{babel}\n", babel);
    lx_puts(x, "\\usepackage[a4paper,left=27.5mm,right=27.5mm,top=31mm,bottom=30mm,"
               "footskip=12mm]{geometry}\n"
               "\\usepackage{microtype}\n"
               "\\usepackage{xcolor}\n");
    colours(x);
    lx_puts(x, "\\usepackage{graphicx}\n"
               "\\usepackage{array}\n"
               "\\usepackage{booktabs}\n"
               "\\usepackage{longtable}\n"
               "\\usepackage{tabularx}\n"
               "\\usepackage[normalem]{ulem}\n"
               "\\usepackage{tikz}\n"
               "\\usepackage{pgfplots}\n"
               "\\pgfplotsset{compat=1.16}\n"
               "\\usepackage{tcolorbox}\n"
               "\\tcbuselibrary{breakable,skins}\n"
               "\\usepackage{titlesec}\n"
               "\\usepackage{caption}\n"
               "\\usepackage{xurl}\n"
               "\\usepackage{fancyhdr}\n"
               "\\usepackage[fit]{truncate}\n"
               "\\usepackage[unicode,bookmarks=true,hyperfootnotes=true]{hyperref}\n");
    metadata(x);
    captions(x);
    lx_puts(
        x, "\\setcounter{secnumdepth}{2}\n"
           "\\setcounter{tocdepth}{2}\n"
           "\\renewcommand{\\thefigure}{\\arabic{figure}}\n"
           "\\renewcommand{\\thetable}{\\arabic{table}}\n"
           "\\AtBeginDocument{\\setlength{\\LTcapwidth}{\\textwidth}}\n" /* geometry sets it then */
           "\\setlength{\\LTpost}{2pt}\n"
           "\\setlength{\\LTleft}{0pt}\n"
           "\\setlength{\\LTright}{\\fill}\n"
           "\\setlength{\\parindent}{0pt}\n"
           "\\setlength{\\parskip}{0.5\\baselineskip plus 2pt minus 1pt}\n"
           "\\setlength{\\emergencystretch}{3em}\n"
           "\\frenchspacing\n"
           "\\raggedbottom\n"
           "\\extrafloats{100}\n"
           /* Running header as in the PDF: short title left, chapter right
            * (cut to fit), page number below; chapter openings stay plain. */
           "\\pagestyle{fancy}\n"
           "\\fancyhf{}\n"
           "\\renewcommand{\\headrulewidth}{0.4pt}\n"
           "\\setlength{\\headheight}{14pt}\n"
           "\\fancyfoot[C]{\\footnotesize\\color{rcgrey}\\thepage}\n"
           "\\renewcommand{\\chaptermark}[1]{\\markboth{\\thechapter\\enspace #1}{}}\n"
           "\\titleformat{\\chapter}[hang]{\\normalfont\\huge\\bfseries\\color{rcblue}}"
           "{\\thechapter}{0.6em}{}\n"
           "\\titlespacing*{\\chapter}{0pt}{0pt}{18pt}\n"
           "\\titleformat{\\section}{\\normalfont\\Large\\bfseries\\color{rcblue}}"
           "{\\thesection}{0.6em}{}\n"
           "\\titleformat{\\subsection}{\\normalfont\\large\\bfseries}{\\thesubsection}{0.6em}{}\n"
           "\\titleformat{\\paragraph}[runin]{\\normalfont\\bfseries}{}{0pt}{}\n"
           "\\titlespacing*{\\paragraph}{0pt}{1ex plus .5ex}{0.6em}\n"
           "\\captionsetup{font=small,labelfont={bf,color=rcblue},labelsep=colon,"
           "justification=raggedright,singlelinecheck=false,position=top,skip=4pt}\n"
           "\\pgfplotsset{every axis/.append style={font=\\scriptsize},"
           "every axis title/.append style={font=\\footnotesize\\bfseries}}\n"
           "% A character pdflatex has no glyph for (xelatex and lualatex print it).\n"
           "\\DeclareRobustCommand{\\rcuchar}[2]{\\iftutex#2\\else?\\fi}\n"
           "\\DeclareRobustCommand{\\rcfnmark}[1]{\\textsuperscript{\\normalfont#1}}\n"
           "\\newcommand{\\rcstrike}[1]{\\sout{#1}}\n"
           "\\newcommand{\\rcinlinehead}[1]{\\par\\noindent{\\bfseries#1}\\par\\nopagebreak}\n"
           "\\newcommand{\\rcsource}[1]{\\par\\vspace{2pt}{\\footnotesize\\itshape"
           "\\color{rcgrey}\\raggedright#1\\par}}\n"
           "\\newcommand{\\rcannexchapter}[3]{\\chapter*{#1\\hspace{0.6em}#3}\\markboth{#"
           "1\\enspace #2}{}"
           "\\phantomsection"
           "\\addcontentsline{toc}{chapter}{#1\\texorpdfstring{\\enspace}{ }#2}}\n"
           "\\newenvironment{rccode}{\\par\\smallskip\\ttfamily\\small\\raggedright\\noindent}"
           "{\\par\\smallskip}\n"
           "\\newtcolorbox{rcbox}[1]{breakable,enhanced,colback=rcshade,colframe=rcblue,"
           "boxrule=0pt,leftrule=3pt,arc=0pt,outer arc=0pt,left=8pt,right=8pt,top=6pt,bottom=6pt,"
           "fonttitle=\\bfseries,coltitle=rcblue,colbacktitle=rcshade,title={#1},"
           "before upper={\\setlength{\\parskip}{0.5\\baselineskip}}}\n"
           "\\makeatletter\n"
           "\\newcommand{\\rclistof}[3]{\\chapter*{#1}\\markboth{#1}{}\\phantomsection"
           "\\addcontentsline{toc}{chapter}{#1}\\label{#3}"
           "{\\setlength{\\parskip}{2pt}\\@starttoc{#2}}}\n"
           "\\makeatother\n");
    lx_puts(x, "\\fancyhead[L]{\\footnotesize\\color{rcgrey}\\truncate{0.42\\textwidth}{");
    lx_str(x, report(x) ? rep(&report(x)->title) : NULL);
    lx_puts(x, "}}\n\\fancyhead[R]{\\footnotesize\\color{rcgrey}\\truncate{0.52\\textwidth}"
               "{\\leftmark}}\n");
}

/* ---- cover, back cover ---------------------------------------------------- */

/* A TikZ node of text at (x, y) mm from the page's lower-left corner. */
static void cover_text(lx *x, double xmm, double ymm, double wmm, const char *font,
                       const char *colour, const char *text)
{
    if (!text) return;
    lx_printf(x,
              "  \\node[anchor=north west,inner sep=0pt,text width=%.1fmm,align=left,"
              "text=%s,font=%s] at (%.1fmm,%.1fmm) {",
              wmm, colour, font, xmm, ymm);
    lx_str(x, text);
    lx_puts(x, "};\n");
}

void lx_cover(lx *x, const rc_node *n)
{
    (void)n; /* a generated block: the config says what it holds */
    const rc_report_cfg *r = report(x);
    /* the PDF's geometry: 58 pt safe margin, band from 40 % of the height */
    const double m = 20.5, W = 210.0, H = 297.0, band = 0.40 * H, pad = 10.6;
    const double tw = W - 2 * m - 2 * pad;
    lx_puts(x,
            "\n\\begin{titlepage}\n\\thispagestyle{empty}\n"
            "\\begin{tikzpicture}[remember picture,overlay,shift={(current page.south west)}]\n");
    lx_printf(x, "  \\fill[rcblue] (%.1fmm,%.1fmm) rectangle (%.1fmm,%.1fmm);\n", m, band, W - m,
              H - m);
    double split = m + 0.38 * (W - 2 * m);
    lx_printf(x, "  \\fill[rcyellow] (%.1fmm,%.1fmm) rectangle (%.1fmm,%.1fmm);\n", m, band - 3.5,
              split, band);
    lx_printf(x, "  \\fill[rcmid] (%.1fmm,%.1fmm) rectangle (%.1fmm,%.1fmm);\n", split, band - 3.5,
              W - m, band);
    if (r) {
        cover_text(x, m + pad, H - m - pad, tw, "\\bfseries\\fontsize{11}{14}\\selectfont", "white",
                   rep(&r->series));
        cover_text(x, m + pad, H - m - pad - 30, tw, "\\bfseries\\fontsize{26}{32}\\selectfont",
                   "white", rep(&r->title));
        cover_text(x, m + pad, band + 42, tw, "\\fontsize{15}{19}\\selectfont", "white",
                   rep(&r->subtitle));
        cover_text(x, m + pad, band - 16, tw, "\\fontsize{11}{14.5}\\selectfont", "black",
                   join(x, &r->authors, ", "));
        cover_text(x, m + pad, band - 40, tw, "\\bfseries\\fontsize{11}{14.5}\\selectfont",
                   "rcblue", rep(&r->date) ? rep(&r->date) : rep(&r->year));
        cover_text(x, m + pad, band - 50, tw, "\\itshape\\fontsize{9}{12}\\selectfont", "rcgrey",
                   rep(&r->cover_note));
        cover_text(x, m + pad, m + 9, tw, "\\fontsize{9}{12}\\selectfont", "rcgrey", eur(x, r));
    }
    lx_puts(x, "\\end{tikzpicture}\n\\null\n\\end{titlepage}\n");
}

void lx_back_cover(lx *x, const rc_node *n)
{
    (void)n; /* a generated block: the config says what it holds */
    const rc_report_cfg *r = report(x);
    const double m = 20.5, W = 210.0, H = 297.0, pad = 10.6, tw = W - 2 * m - 2 * pad;
    lx_puts(x,
            "\n\\clearpage\n\\thispagestyle{empty}\n"
            "\\begin{tikzpicture}[remember picture,overlay,shift={(current page.south west)}]\n");
    lx_printf(x, "  \\fill[rcblue] (%.1fmm,%.1fmm) rectangle (%.1fmm,%.1fmm);\n", m, m, W - m,
              H - m);
    lx_printf(x, "  \\fill[rcyellow] (%.1fmm,%.1fmm) rectangle (%.1fmm,%.1fmm);\n", m + pad,
              H - m - pad - 2.8, m + pad + 0.3 * (W - 2 * m), H - m - pad);
    if (r) {
        cover_text(x, m + pad, 0.45 * H, tw, "\\fontsize{14}{18}\\selectfont", "white",
                   rep(&r->cover_note));
        const char *lines[] = {rep(&r->contact_name), rep(&r->contact_address),
                               rep(&r->contact_email), rep(&r->contact_phone), rep(&r->website)};
        double y = m + pad + 36;
        cover_text(x, m + pad, y, tw, "\\bfseries\\fontsize{9}{12}\\selectfont", "white",
                   rep(&r->publisher));
        for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
            if (lines[i]) {
                y -= 4.3;
                cover_text(x, m + pad, y, tw, "\\fontsize{9}{12}\\selectfont", "white", lines[i]);
            }
        const char *isbn = rep(&r->isbn), *doi = rep(&r->doi);
        if (isbn || doi)
            cover_text(x, m + pad, m + pad, tw, "\\fontsize{8}{11}\\selectfont", "white",
                       rc_arena_printf(x->a, "%s%s%s%s", isbn ? "ISBN " : "", isbn ? isbn : "",
                                       isbn && doi ? "\xC2\xA0\xC2\xA0\xC2\xA0" : "",
                                       doi ? rc_arena_printf(x->a, "doi:%s", doi) : ""));
    }
    lx_puts(x, "\\end{tikzpicture}\n\\null\n");
}

/* ---- imprint ---------------------------------------------------------------- */

static void imp_line(lx *x, const char *bold, const char *text)
{
    if (!bold && !text) return;
    if (bold) {
        lx_puts(x, "\\textbf{");
        lx_str(x, bold);
        lx_puts(x, text ? "} " : "}");
    }
    lx_str(x, text);
    lx_puts(x, "\\par\n");
}

void lx_imprint(lx *x, const rc_node *n)
{
    (void)n; /* a generated block: the config says what it holds */
    const rc_report_cfg *r = report(x);
    lx_puts(x, "\n\\clearpage\n\\thispagestyle{plain}\n\\null\\vfill\n{\\small\n");
    if (!r) {
        lx_puts(x, "}\n");
        return;
    }
    if (rep(&r->disclaimer)) {
        imp_line(x, lx_word(x, RC_W_LEGAL_NOTICE), NULL);
        imp_line(x, NULL, r->disclaimer.s);
        lx_puts(x, "\\medskip\n");
    }
    const char *contact[] = {rep(&r->contact_name), rep(&r->contact_address),
                             rep(&r->contact_email), rep(&r->contact_phone), rep(&r->website)};
    bool any = false;
    for (size_t i = 0; i < 5; i++)
        any |= contact[i] != NULL;
    if (any) {
        imp_line(x, lx_word(x, RC_W_CONTACT), NULL);
        for (size_t i = 0; i < 5; i++)
            imp_line(x, NULL, contact[i]);
        lx_puts(x, "\\medskip\n");
    }
    /* identifiers: the prefixes are codes, not words of a language */
    imp_line(x, NULL, eur(x, r));
    if (rep(&r->isbn)) imp_line(x, NULL, rc_arena_printf(x->a, "ISBN %s", r->isbn.s));
    if (rep(&r->issn)) imp_line(x, NULL, rc_arena_printf(x->a, "ISSN %s", r->issn.s));
    if (rep(&r->doi)) imp_line(x, NULL, rc_arena_printf(x->a, "doi:%s", r->doi.s));
    imp_line(x, NULL, rep(&r->catalogue));
    if (r->sample_identifiers) {
        lx_puts(x, "\\smallskip\n");
        imp_line(x, lx_word(x, RC_W_SAMPLE_IDS), NULL);
    }
    if (rep(&r->publisher)) {
        const char *pub = r->publisher.s;
        if (rep(&r->place)) pub = rc_arena_printf(x->a, "%s, %s", pub, r->place.s);
        if (rep(&r->year)) pub = rc_arena_printf(x->a, "%s, %s", pub, r->year.s);
        lx_puts(x, "\\medskip\n");
        imp_line(x, lx_word(x, RC_W_PRINTED_BY), pub);
    }
    if (rep(&r->copyright)) {
        lx_puts(x, "\\smallskip\n");
        imp_line(x, NULL, r->copyright.s);
    }
    /* how to cite: authors, title, publisher, place, year, ISBN, doi, EUR */
    const char *parts[] = {join(x, &r->authors, ", "),
                           rep(&r->title),
                           rep(&r->publisher),
                           rep(&r->place),
                           rep(&r->year),
                           rep(&r->isbn) ? rc_arena_printf(x->a, "ISBN %s", r->isbn.s) : NULL,
                           rep(&r->doi) ? rc_arena_printf(x->a, "doi:%s", r->doi.s) : NULL,
                           eur(x, r)};
    char *cite = NULL;
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        if (parts[i])
            cite = cite ? rc_arena_printf(x->a, "%s, %s", cite, parts[i])
                        : rc_arena_strdup(x->a, parts[i]);
    if (cite) {
        lx_puts(x, "\\medskip\n");
        imp_line(x, rc_arena_printf(x->a, "%s:", lx_word(x, RC_W_HOW_TO_CITE)),
                 rc_arena_printf(x->a, "%s.", cite));
    }
    lx_puts(x, "}\n");
}

/* ---- contents and lists ---------------------------------------------------- */

void lx_toc(lx *x, const rc_node *n)
{
    (void)n; /* a generated block: the config says what it holds */
    lx_puts(x, "\n{\\setlength{\\parskip}{0pt}\\tableofcontents}\n");
}

void lx_list_of(lx *x, const rc_node *n)
{
    static const char *const ext[3] = {"lof", "lot", "lob"};
    static const char *const dest[3] = {"rc-list-figures", "rc-list-tables", "rc-list-boxes"};
    static const rc_word word[3] = {RC_W_LIST_OF_FIGURES, RC_W_LIST_OF_TABLES, RC_W_LIST_OF_BOXES};
    size_t k = n->list == RC_LIST_TABLES ? 1 : n->list == RC_LIST_BOXES ? 2 : 0;
    lx_puts(x, "\n\\rclistof{");
    lx_str(x, lx_word(x, word[k]));
    lx_printf(x, "}{%s}{%s}\n", ext[k], dest[k]);
}
