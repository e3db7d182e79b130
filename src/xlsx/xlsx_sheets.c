/* xlsx_sheets: what both workbooks share for statistics users, following
 * the Analysis Function's "Releasing statistics in spreadsheets": the
 * words of the sheets added for them (kept here, in one table per
 * language, so the names of the sheets come from one place), Excel table
 * names, print setup, and the Cover and Notes sheets. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "rc/date.h"
#include "rc/util.h"
#include "xlsx_int.h"

static const struct {
    const char *lang;
    const char *w[RC_XW_COUNT_WORDS];
} xwords[] = {
    {"en",
     {"Cover",
      "Notes",
      "This workbook",
      "Source",
      "Publication date",
      "Contact",
      "Report",
      "Note number",
      "Note text",
      "Applies to",
      "Sheet",
      "What it holds",
      "The numbers behind every figure and table of the report, as they are drawn and "
      "printed, one table per sheet; the notes, the named metrics and the provenance of the "
      "inputs.",
      "The data as the report read them: one sheet per data source (CSV file), one "
      "row per record, and the description of every column.",
      "number",
      "%",
      "Contents of this workbook",
      "the numbered source lines and notes that the figure and table sheets refer to",
      "the data of source",
      "what each column holds: source, field, label, type, codes",
      "Group",
      "Category",
      "every named metric of the report: name, value, label and format",
      "rows",
      "Share of ",
      " answering",
      "Unit",
      "Data quality",
      "for every field of every source: rows answered, missing, and read as missing because "
      "the value could not be used",
      "Field",
      "Column",
      "Type",
      "Rows",
      "Answered",
      "Missing",
      "Code not declared",
      "Outside the scale",
      "Answers that lost a code",
      "First value not used",
      "note"}},
    {"es",
     {"Portada",
      "Notas",
      "Este libro",
      "Fuente",
      "Fecha de publicación",
      "Contacto",
      "Informe",
      "Número de nota",
      "Texto de la nota",
      "Se aplica a",
      "Hoja",
      "Qué contiene",
      "Las cifras de cada figura y cuadro del informe, tal como se dibujan e imprimen, un "
      "cuadro por hoja; las notas, las métricas con nombre y la procedencia de los datos.",
      "Los datos tal como los leyó el informe: una hoja por fuente de datos, una fila por "
      "registro, y la descripción de cada columna.",
      "número",
      "%",
      "Contenido de este libro",
      "las líneas de fuente y las notas numeradas a las que remiten las hojas de figuras y "
      "cuadros",
      "los datos de la fuente",
      "qué contiene cada columna: fuente, campo, etiqueta, tipo, códigos",
      "Grupo",
      "Categoría",
      "cada métrica con nombre del informe: nombre, valor, etiqueta y formato",
      "filas",
      "Porcentaje de ",
      " con respuesta",
      "Unidad",
      "Calidad de los datos",
      "para cada campo de cada fuente: filas con respuesta, sin dato y leídas como sin dato "
      "porque el valor no podía usarse",
      "Campo",
      "Columna",
      "Tipo",
      "Filas",
      "Con respuesta",
      "Sin dato",
      "Código no declarado",
      "Fuera de la escala",
      "Respuestas que perdieron un código",
      "Primer valor no utilizado",
      "nota"}},
    {"pt",
     {"Capa",
      "Notas",
      "Este livro",
      "Fonte",
      "Data de publicação",
      "Contacto",
      "Relatório",
      "Número da nota",
      "Texto da nota",
      "Aplica-se a",
      "Folha",
      "O que contém",
      "Os números de cada figura e quadro do relatório, tal como são desenhados e impressos, "
      "um quadro por folha; as notas, as métricas com nome e a proveniência dos dados.",
      "Os dados tal como o relatório os leu: uma folha por fonte de dados, uma linha por "
      "registo, e a descrição de cada coluna.",
      "número",
      "%",
      "Conteúdo deste livro",
      "as linhas de fonte e as notas numeradas a que remetem as folhas de figuras e quadros",
      "os dados da fonte",
      "o que contém cada coluna: fonte, campo, rótulo, tipo, códigos",
      "Grupo",
      "Categoria",
      "cada métrica com nome do relatório: nome, valor, rótulo e formato",
      "linhas",
      "Percentagem de ",
      " com resposta",
      "Unidade",
      "Qualidade dos dados",
      "para cada campo de cada fonte: linhas com resposta, em falta e lidas como em falta "
      "porque o valor não podia ser usado",
      "Campo",
      "Coluna",
      "Tipo",
      "Linhas",
      "Com resposta",
      "Em falta",
      "Código não declarado",
      "Fora da escala",
      "Respostas que perderam um código",
      "Primeiro valor não utilizado",
      "nota"}},
};

const char *rc_xw_word(const rc_xw *x, rc_xw_wordid w)
{
    const char *lang = x->loc && x->loc->lang ? x->loc->lang : "en";
    size_t k = 0;
    for (size_t i = 0; i < sizeof xwords / sizeof xwords[0]; i++)
        if (strncmp(lang, xwords[i].lang, 2) == 0) k = i;
    return xwords[k].w[w];
}

/* Excel table names: a letter or '_' first, then letters, digits, '_' or
 * '.'; at most 255 characters; not a cell reference ("A1", "R1C1") nor
 * "C"/"R"; unique in the workbook, compared case-insensitively. */
const char *rc_xw_table_name(rc_xw *x, const char *want)
{
    char buf[64];
    size_t n = 0;
    for (const char *p = want ? want : ""; *p && n < 40; p++) {
        unsigned char c = (unsigned char)*p;
        if (isalnum(c) || c == '_')
            buf[n++] = (char)c;
        else if ((c == ' ' || c == '-' || c == '.') && n && buf[n - 1] != '_')
            buf[n++] = '_';
    }
    buf[n] = 0;
    bool cellref = false;
    {
        size_t i = 0;
        while (isalpha((unsigned char)buf[i]))
            i++;
        cellref = i > 0 && i <= 3 && buf[i] && strspn(buf + i, "0123456789") == strlen(buf + i);
        if (buf[0] && (buf[0] == 'R' || buf[0] == 'r' || buf[0] == 'C' || buf[0] == 'c') &&
            strspn(buf + 1, "0123456789RrCc") == strlen(buf + 1))
            cellref = true;
    }
    const char *base = n == 0 || isdigit((unsigned char)buf[0]) || cellref
                           ? rc_arena_printf(x->a, "t_%s", buf)
                           : rc_arena_strdup(x->a, buf);
    const char *name = base;
    for (unsigned k = 2;; k++) {
        bool used = false;
        for (size_t i = 0; i < x->tables.n && !used; i++)
            used = strcasecmp(x->tables.v[i], name) == 0;
        if (!used) break;
        name = rc_arena_printf(x->a, "%s_%u", base, k);
    }
    RC_PUSH(x->a, x->tables, name);
    return name;
}

/* An Excel table over rows first..last (the header row first) and columns
 * 0..ncols-1 of ws, named for what it holds. Header texts must be unique
 * and not empty in a table: a repeat gets " (2)" and an empty one the
 * column's number, and the cells are rewritten to match. */
void rc_xw_table(rc_xw *x, lxw_worksheet *ws, uint32_t first, uint32_t last, uint32_t ncols,
                 const char *const *head, const char *name)
{
    if (!ws || ncols == 0) return;
    if (x->cm) { /* libxlsxwriter's constant-memory mode has no tables */
        rc_xw_check(x,
                    worksheet_autofilter(ws, first, 0, last > first ? last : first + 1,
                                         (lxw_col_t)(ncols - 1)),
                    "an autofilter");
        return;
    }
    lxw_table_column **tc = rc_arena_array(x->a, ncols + 1, sizeof *tc);
    for (uint32_t j = 0; j < ncols; j++) {
        const char *h = head[j] && *head[j] ? head[j] : rc_arena_printf(x->a, "%u", j + 1);
        for (uint32_t k = 0; k < j; k++)
            if (strcmp(tc[k]->header, h) == 0) h = rc_arena_printf(x->a, "%s (%u)", h, j + 1);
        tc[j] = rc_arena_alloc(x->a, sizeof **tc);
        tc[j]->header = (char *)h;
        tc[j]->header_format = x->header;
    }
    lxw_table_options o;
    memset(&o, 0, sizeof o);
    o.name = (char *)rc_xw_table_name(x, name);
    o.columns = tc;
    o.style_type = LXW_TABLE_STYLE_TYPE_LIGHT;
    o.style_type_number = 9;
    rc_xw_check(x,
                worksheet_add_table(ws, first, 0, last > first ? last : first + 1,
                                    (lxw_col_t)(ncols - 1), &o),
                "a table");
}

/* Print setup: A4, one page wide, the header row repeated on every page,
 * landscape when the columns are wider than a portrait page holds. */
void rc_xw_print(rc_xw *x, lxw_worksheet *ws, int header_row, double total_width)
{
    if (!ws) return;
    worksheet_set_paper(ws, 9); /* A4 */
    worksheet_fit_to_pages(ws, 1, 0);
    if (total_width > 95.0) worksheet_set_landscape(ws);
    if (header_row >= 0)
        rc_xw_check(x, worksheet_repeat_rows(ws, (lxw_row_t)header_row, (lxw_row_t)header_row),
                    "print titles");
}

/* "internal:'Figure 6'!A1", the sheet name quoted as Excel wants. */
const char *rc_xw_sheet_link(rc_xw *x, const char *sheet)
{
    char *q = rc_arena_alloc(x->a, 2 * strlen(sheet) + 1);
    size_t k = 0;
    for (const char *p = sheet; *p; p++) {
        q[k++] = *p;
        if (*p == '\'') q[k++] = '\'';
    }
    q[k] = 0;
    return rc_arena_printf(x->a, "internal:'%s'!A1", q);
}

/* ---- progress ------------------------------------------------------------ */

static double mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static bool progress_wanted(void)
{
    const char *e = getenv("RC_PROGRESS");
    if (e && *e) return strcmp(e, "0") != 0;
    return isatty(STDERR_FILENO) != 0;
}

void rc_xw_progress(rc_xw *x, const char *what, size_t done, size_t total)
{
    if ((done & 8191) != 0 && done != total) return; /* cheap on most rows */
    double now = mono_ms();
    if (x->progress_t0 == 0) {
        x->progress_t0 = now;
        return;
    }
    if (now - x->progress_t0 < 1000.0 || !progress_wanted()) return;
    fprintf(stderr, "\rwriting %s: %zu of %zu rows (%.0f%%)\033[K", what, done, total,
            total ? 100.0 * (double)done / (double)total : 100.0);
    fflush(stderr);
    x->progress_shown = true;
}

void rc_xw_progress_end(rc_xw *x)
{
    if (x->progress_shown) {
        fputs("\r\033[K", stderr); /* the line goes; the build prints what it wrote */
        fflush(stderr);
    }
    x->progress_shown = false;
    x->progress_t0 = 0;
}

/* Row height for a wrapped text in a column of width chars: libxlsxwriter
 * writes no height, and LibreOffice (unlike Excel) does not grow the row
 * when it opens the file, so the lines would overlap the next row. */
static void wrap_height(rc_xw *x, lxw_worksheet *ws, uint32_t row, const char *text, double chars)
{
    double w = text ? rc_xlsx_text_width(text) : 0;
    double lines = ceil(w / (chars - 2.0));
    if (lines > 1)
        rc_xw_check(x, worksheet_set_row(ws, row, 15.0 * (lines > 20 ? 20 : lines), NULL),
                    "a row height");
}

/* ---- notes --------------------------------------------------------------- */

int rc_xw_note(rc_xw *x, const char *text, const char *sheet)
{
    rc_xw_notetext n = {text, sheet};
    RC_PUSH(x->a, x->notes, n);
    return (int)x->notes.n;
}

void rc_xlsx_notes_sheet(rc_xw *x, lxw_worksheet *ws)
{
    if (!ws) return;
    rc_xw_str(x, ws, 0, 0, rc_xw_word(x, RC_XW_NOTES), x->title);
    const char *head[3] = {rc_xw_word(x, RC_XW_NOTE_NUMBER), rc_xw_word(x, RC_XW_NOTE_TEXT),
                           rc_xw_word(x, RC_XW_APPLIES_TO)};
    double w[3] = {12, 60, 14};
    for (uint32_t j = 0; j < 3; j++) {
        rc_xw_str(x, ws, 1, j, head[j], x->header);
        w[j] = rc_xw_fit(w[j], head[j]);
    }
    for (size_t i = 0; i < x->notes.n; i++) {
        uint32_t r = 2 + (uint32_t)i;
        const char *num = rc_arena_printf(x->a, "[%s %zu]", rc_xw_word(x, RC_XW_NOTE_REF), i + 1);
        rc_xw_str(x, ws, r, 0, num, NULL);
        rc_xw_str(x, ws, r, 1, x->notes.v[i].text, x->wrap);
        wrap_height(x, ws, r, x->notes.v[i].text, 80);
        const char *sh = x->notes.v[i].sheet ? x->notes.v[i].sheet : "";
        if (*sh) rc_xw_link(x, ws, r, 2, rc_xw_sheet_link(x, sh), sh);
        w[2] = rc_xw_fit(w[2], sh);
    }
    w[1] = 80;
    for (uint32_t j = 0; j < 3; j++)
        rc_xw_width(x, ws, j, w[j] > 80 ? 80 : w[j]);
    rc_xw_table(x, ws, 1, 1 + (uint32_t)x->notes.n, 3, head, "notes");
    rc_xw_print(x, ws, 1, w[0] + w[1] + w[2]);
}

/* ---- cover --------------------------------------------------------------- */

typedef struct cover {
    rc_xw *x;
    lxw_worksheet *ws;
    uint32_t row;
    double w[2];
} cover;

#define COVER_TEXT_WIDTH 90.0 /* column B of the Cover, in characters */

static void pair(cover *b, const char *k, const char *v, lxw_format *vf)
{
    if (!v || !*v) return;
    rc_xw_str(b->x, b->ws, b->row, 0, k, b->x->bold);
    rc_xw_str(b->x, b->ws, b->row, 1, v, vf);
    if (vf == b->x->wrap) wrap_height(b->x, b->ws, b->row, v, COVER_TEXT_WIDTH);
    b->w[0] = rc_xw_fit(b->w[0], k);
    b->w[1] = rc_xw_fit(b->w[1], v);
    b->row++;
}

static void input_file(cover *b, const char *path, const char *known_sha)
{
    if (!path) return;
    char sha[65] = "";
    if (known_sha && known_sha[0])
        memcpy(sha, known_sha, 65);
    else if (rc_sha256_file(path, sha) != RC_OK) {
        rc_diag_warning(b->x->d, b->x->where,
                        "workbook '%s': cannot read input file '%s' for its SHA-256", b->x->path,
                        path);
        sha[0] = 0;
    }
    rc_xw_str(b->x, b->ws, b->row, 0, path, NULL);
    rc_xw_str(b->x, b->ws, b->row, 1, sha, NULL);
    b->w[0] = rc_xw_fit(b->w[0], path);
    b->row++;
}

static void md_files(cover *b, const rc_strlist *l, const char **paths)
{
    for (size_t i = 0; paths && i < l->n; i++)
        input_file(b, paths[i], NULL);
}

static void append(rc_arena *a, char **s, const char *sep, const char *part)
{
    if (!part || !*part) return;
    *s = rc_arena_printf(a, "%s%s%s", *s, **s ? sep : "", part);
}

/* "Authors, Title, EUR ..., Publisher, Place, Year, ISBN ..., doi:...". */
static const char *citation(rc_arena *a, const rc_report_cfg *r)
{
    char *auth = "";
    for (size_t i = 0; i < r->authors.n; i++)
        append(a, &auth, ", ", r->authors.v[i].s);
    char *s = "";
    append(a, &s, ", ", auth);
    append(a, &s, ", ", r->title.s);
    append(a, &s, ", ", r->eur.s);
    append(a, &s, ", ", r->publisher.s);
    append(a, &s, ", ", r->place.s);
    append(a, &s, ", ", r->year.s);
    if (r->isbn.s) append(a, &s, ", ", rc_arena_printf(a, "ISBN %s", r->isbn.s));
    if (r->doi.s) append(a, &s, ", ", rc_arena_printf(a, "doi:%s", r->doi.s));
    return *s ? rc_arena_printf(a, "%s.", s) : s;
}

static const char *iso_date(rc_arena *a, int64_t epoch)
{
    rc_date t = rc_date_from_epoch(epoch);
    return rc_arena_printf(a, "%04d-%02u-%02uT%02u:%02u:%02uZ", t.year, t.month, t.day, t.hour,
                           t.minute, t.second);
}

/* The distinct Source lines of the figures and tables, in order. */
static const char *sources_text(rc_xw *x, const rc_doc *doc)
{
    char *s = "";
    const rc_float_ref *lists[2] = {doc->figures.v, doc->tables.v};
    size_t ns[2] = {doc->figures.n, doc->tables.n};
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; i < ns[k]; i++) {
            const char *l = lists[k][i].node ? lists[k][i].node->source_line : NULL;
            if (!l || !*l || strstr(s, l)) continue;
            append(x->a, &s, "; ", l);
        }
    return s;
}

void rc_xlsx_cover_sheet(rc_xw *x, lxw_worksheet *ws, const rc_doc *doc, int64_t epoch,
                         bool data_workbook)
{
    if (!ws) return;
    const rc_config *cfg = doc->cfg;
    const rc_report_cfg *r = cfg ? &cfg->report : NULL;
    cover b = {.x = x, .ws = ws, .row = 1, .w = {16.0, 20.0}};
    const char *title = r && r->title.s ? r->title.s : "";
    rc_xw_str(x, ws, 0, 0, title, x->title);
    pair(&b, rc_xw_word(x, RC_XW_THIS_WORKBOOK),
         rc_xw_word(x, data_workbook ? RC_XW_HOLDS_DATA : RC_XW_HOLDS_FIGURES), x->wrap);
    pair(&b, rc_locale_word(x->loc, RC_W_TITLE), title, NULL);
    if (r) pair(&b, "", r->subtitle.s, x->wrap);
    if (!data_workbook) pair(&b, rc_xw_word(x, RC_XW_SOURCE), sources_text(x, doc), x->wrap);
    if (r) pair(&b, rc_xw_word(x, RC_XW_PUBLISHED), r->date.s ? r->date.s : r->year.s, NULL);
    if (r) {
        char *contact = "";
        append(x->a, &contact, ", ", r->contact_name.s);
        append(x->a, &contact, ", ", r->contact_email.s);
        append(x->a, &contact, ", ", r->contact_phone.s);
        append(x->a, &contact, ", ", r->website.s);
        pair(&b, rc_xw_word(x, RC_XW_CONTACT), contact, x->wrap);
        pair(&b, rc_xw_word(x, RC_XW_REPORT), citation(x->a, r), x->wrap);
    }
    pair(&b, rc_locale_word(x->loc, RC_W_GENERATED), iso_date(x->a, epoch), NULL);
    pair(&b, rc_locale_word(x->loc, RC_W_VERSION), "reportc " RC_VERSION, NULL);
    b.row++;
    rc_xw_str(x, ws, b.row++, 0, rc_locale_word(x->loc, RC_W_INPUT_FILES), x->title);
    rc_xw_str(x, ws, b.row, 0, rc_locale_word(x->loc, RC_W_PATH), x->header);
    rc_xw_str(x, ws, b.row++, 1, rc_locale_word(x->loc, RC_W_SHA256), x->header);
    if (cfg) {
        input_file(&b, cfg->path, NULL);
        if (cfg->edition_path) input_file(&b, cfg->edition_path, NULL); /* its language file */
        for (size_t i = 0; i < cfg->nsources; i++) {
            const rc_source_data *sd =
                doc->data && i < doc->data->nsources ? &doc->data->sources[i] : NULL;
            input_file(&b, cfg->sources[i].path, sd ? sd->sha256 : NULL);
        }
        const rc_document_cfg *dc = &cfg->document;
        md_files(&b, &dc->front, dc->front_path);
        md_files(&b, &dc->chapters, dc->chapter_path);
        md_files(&b, &dc->back, dc->back_path);
        md_files(&b, &dc->annexes, dc->annex_path);
        for (size_t i = 0; i < cfg->ntables; i++)
            if (cfg->tables[i].path) input_file(&b, cfg->tables[i].path, NULL);
        for (size_t i = 0; i < cfg->nboxes; i++)
            input_file(&b, cfg->boxes[i].path, NULL);
    }
    rc_xw_width(x, ws, 0, b.w[0]);
    rc_xw_width(x, ws, 1, COVER_TEXT_WIDTH);
    rc_xw_print(x, ws, -1, b.w[0] + COVER_TEXT_WIDTH);
}

/* A Contents sheet: one row per sheet after it, with a link and what the
 * sheet holds. */
void rc_xlsx_contents_rows(rc_xw *x, lxw_worksheet *ws, const char *const *sheets,
                           const char *const *what, size_t n)
{
    if (!ws) return;
    rc_xw_str(x, ws, 0, 0, rc_xw_word(x, RC_XW_CONTENTS_TITLE), x->title);
    const char *head[2] = {rc_xw_word(x, RC_XW_SHEET), rc_xw_word(x, RC_XW_WHAT_IT_HOLDS)};
    double w[2] = {14, 40};
    rc_xw_str(x, ws, 1, 0, head[0], x->header);
    rc_xw_str(x, ws, 1, 1, head[1], x->header);
    for (size_t i = 0; i < n; i++) {
        rc_xw_link(x, ws, 2 + (uint32_t)i, 0, rc_xw_sheet_link(x, sheets[i]), sheets[i]);
        rc_xw_str(x, ws, 2 + (uint32_t)i, 1, what[i], x->wrap);
        wrap_height(x, ws, 2 + (uint32_t)i, what[i], 80);
        w[0] = rc_xw_fit(w[0], sheets[i]);
        w[1] = rc_xw_fit(w[1], what[i]);
    }
    rc_xw_width(x, ws, 0, w[0]);
    rc_xw_width(x, ws, 1, w[1] > 80 ? 80 : w[1]);
    rc_xw_table(x, ws, 1, 1 + (uint32_t)n, 2, head, "contents");
    rc_xw_print(x, ws, 1, w[0] + w[1]);
}
