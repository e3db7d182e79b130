/* locale: word tables and number formatting for each report language.
 * Hand-written: the C library's locales (printf's ' flag, strfmon) depend
 * on which locales a machine has generated and do not follow the EU
 * Interinstitutional Style Guide (a no-break space for thousands only from
 * 10 000, "87,5 %"), and outputs must be identical on every machine.
 *
 * Number conventions (documented choice):
 *   - decimal separator and thousands separator come from the table; the
 *     thousands separator is used only from 10 000 up ("1234", "12,345"),
 *     following the EU Interinstitutional Style Guide;
 *   - the percent sign follows the number with percent_sep between them:
 *     "" in English ("93.8%"), a no-break space in Spanish and Portuguese
 *     ("93,8 %");
 *   - rounding is half away from zero on the *decimal* value as written with
 *     15 significant digits, so 2.675 rounds to 2.68 and 0.125 to 0.13 even
 *     though their binary doubles are slightly off;
 *   - negative numbers use an ASCII hyphen-minus ("-3.5"), never "-0";
 *   - NaN and infinities print "n/a".
 * Adding a language is one more row of LANGUAGES and one more column of
 * 'words'. */
#include "rc/locale.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NBSP "\xC2\xA0"

/* The two ways of writing numbers (see the file comment): English with a
 * decimal point; the EU style guide's continental style of the Spanish and
 * Portuguese editions, with a decimal comma, a no-break space for
 * thousands and one before "%". */
#define POINT_NUMBERS .decimal = ".", .thousands = ",", .percent_sep = ""
#define COMMA_NUMBERS .decimal = ",", .thousands = NBSP, .percent_sep = NBSP

/* The report languages, one row each: X(code, own name, babel's name, number
 * style, between day, month and year, primary quotation marks, the Debian
 * package of the hyphenation patterns, its dictionaries best first). A table
 * rather than one record per language, so what the languages share (Spanish
 * and Portuguese write numbers and dates alike) and where they differ (the
 * comillas angulares of Spanish, its first level of quotation marks) read
 * down a column, and a new language is one row here and one column of
 * 'words'. */
#define LANGUAGES(X)                                                                               \
    X(en, "English", "british", POINT_NUMBERS, " ", "“", "”", "hyphen-en-gb",                      \
      ("hyph_en_GB.dic", "hyph_en_Latn_GB.dic", "hyph_en_US.dic"))                                 \
    X(es, "español", "spanish", COMMA_NUMBERS, " de ", "«", "»", "hyphen-es",                      \
      ("hyph_es.dic", "hyph_es_ES.dic"))                                                           \
    X(pt, "português", "portuguese", COMMA_NUMBERS, " de ", "“", "”", "hyphen-pt-pt",              \
      ("hyph_pt_PT.dic", "hyph_pt_BR.dic"))

#define ONE(...) +1
enum { NLANG = 0 LANGUAGES(ONE) };
#undef ONE

/* Every word the layout, LaTeX and workbook code print, month names
 * included, in every language (columns in the order of LANGUAGES); NULL
 * falls back to English. */
static const char *const words[RC_W_COUNT_WORDS][NLANG] = {
    [RC_W_CONTENTS] = {"Contents", "Índice", "Índice"},
    [RC_W_FIGURE] = {"Figure", "Figura", "Figura"},
    [RC_W_TABLE] = {"Table", "Cuadro", "Quadro"},
    [RC_W_BOX] = {"Box", "Recuadro", "Caixa"},
    [RC_W_SOURCE] = {"Source", "Fuente", "Fonte"},
    [RC_W_NOTE] = {"Note", "Nota", "Nota"},
    [RC_W_LIST_OF_FIGURES] = {"List of figures", "Lista de figuras", "Lista de figuras"},
    [RC_W_LIST_OF_TABLES] = {"List of tables", "Lista de cuadros", "Lista de quadros"},
    [RC_W_LIST_OF_BOXES] = {"List of boxes", "Lista de recuadros", "Lista de caixas"},
    [RC_W_ANNEX] = {"Annex", "Anexo", "Anexo"},
    [RC_W_PAGE] = {"page", "página", "página"},
    [RC_W_HOW_TO_CITE] = {"How to cite this report", "Cómo citar este informe",
                          "Como citar este relatório"},
    [RC_W_CONTACT] = {"Contact information", "Información de contacto", "Informações de contacto"},
    [RC_W_LEGAL_NOTICE] = {"Legal notice", "Aviso jurídico", "Aviso legal"},
    [RC_W_PRINTED_BY] = {"Published by", "Publicado por", "Publicado por"},
    [RC_W_SAMPLE_IDS] = {"The identifiers shown here (ISBN, ISSN, DOI, catalogue number) "
                         "are sample values and do not refer to a published document.",
                         "Los identificadores que figuran aquí (ISBN, ISSN, DOI, número de "
                         "catálogo) son valores de ejemplo y no corresponden a ninguna "
                         "publicación.",
                         "Os identificadores aqui apresentados (ISBN, ISSN, DOI, número de "
                         "catálogo) são valores de exemplo e não correspondem a nenhuma "
                         "publicação."},
    [RC_W_AUTHORS] = {"Authors", "Autores", "Autores"},
    [RC_W_ALL] = {"All", "Todos", "Todos"},
    [RC_W_COUNT] = {"Count", "Recuento", "Contagem"},
    [RC_W_SHARE] = {"Share", "Porcentaje", "Percentagem"},
    [RC_W_ANSWERED] = {"Answered", "Respuestas", "Respostas"},
    [RC_W_MEAN] = {"Mean", "Media", "Média"},
    [RC_W_MEDIAN] = {"Median", "Mediana", "Mediana"},
    [RC_W_TOP2] = {"Top 2", "Dos niveles superiores", "Dois níveis superiores"},
    [RC_W_TOTAL] = {"Total", "Total", "Total"},
    [RC_W_METRIC] = {"Metric", "Indicador", "Indicador"},
    [RC_W_VALUE] = {"Value", "Valor", "Valor"},
    [RC_W_FIELD] = {"Field", "Campo", "Campo"},
    [RC_W_TYPE] = {"Type", "Tipo", "Tipo"},
    [RC_W_CODES] = {"Codes and labels", "Códigos y etiquetas", "Códigos e rótulos"},
    [RC_W_MISSING] = {"Missing codes", "Códigos de valor ausente", "Códigos de valor em falta"},
    [RC_W_GENERATED] = {"Generated", "Generado", "Gerado"},
    [RC_W_VERSION] = {"reportc version", "Versión de reportc", "Versão do reportc"},
    [RC_W_INPUT_FILES] = {"Input files", "Archivos de entrada", "Ficheiros de entrada"},
    [RC_W_ABOUT] = {"About", "Acerca de", "Sobre"},
    [RC_W_METRICS] = {"Metrics", "Indicadores", "Indicadores"},
    [RC_W_FIELDS] = {"Fields", "Campos", "Campos"},
    [RC_W_TITLE] = {"Title", "Título", "Título"},
    [RC_W_SHEET] = {"Sheet", "Hoja", "Folha"},
    [RC_W_NUMBER] = {"Number", "Número", "Número"},
    [RC_W_LABEL] = {"Label", "Etiqueta", "Rótulo"},
    [RC_W_COLUMN] = {"Column", "Columna", "Coluna"},
    [RC_W_FORMAT] = {"Format", "Formato", "Formato"},
    [RC_W_PATH] = {"Path", "Ruta", "Caminho"},
    [RC_W_CODE] = {"code", "código", "código"},
    [RC_W_SHA256] = {"SHA-256", "SHA-256", "SHA-256"},
    [RC_W_JANUARY] = {"January", "enero", "janeiro"},
    [RC_W_FEBRUARY] = {"February", "febrero", "fevereiro"},
    [RC_W_MARCH] = {"March", "marzo", "março"},
    [RC_W_APRIL] = {"April", "abril", "abril"},
    [RC_W_MAY] = {"May", "mayo", "maio"},
    [RC_W_JUNE] = {"June", "junio", "junho"},
    [RC_W_JULY] = {"July", "julio", "julho"},
    [RC_W_AUGUST] = {"August", "agosto", "agosto"},
    [RC_W_SEPTEMBER] = {"September", "septiembre", "setembro"},
    [RC_W_OCTOBER] = {"October", "octubre", "outubro"},
    [RC_W_NOVEMBER] = {"November", "noviembre", "novembro"},
    [RC_W_DECEMBER] = {"December", "diciembre", "dezembro"},
};

#define UNPAREN(...) __VA_ARGS__
#define RECORD(code, own, babel_, numbers, dsep, qopen, qclose, package, dicts)                    \
    static const rc_locale code = {.lang = #code,                                                  \
                                   .name = own,                                                    \
                                   .babel = babel_,                                                \
                                   numbers,                                                        \
                                   .date_sep = dsep,                                               \
                                   .quote_open = qopen,                                            \
                                   .quote_close = qclose,                                          \
                                   .hyph_package = package,                                        \
                                   .hyph_dicts = {UNPAREN dicts}};
LANGUAGES(RECORD)
#undef RECORD

#define ADDRESS(code, ...) &code,
static const rc_locale *const all[] = {LANGUAGES(ADDRESS)};
#undef ADDRESS

const rc_locale *rc_locale_get(const char *lang)
{
    if (!lang || !*lang) return &en;
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        size_t n = strlen(all[i]->lang);
        /* "en", "en-GB", "en_GB" all select the English table */
        if (strncmp(lang, all[i]->lang, n) == 0 &&
            (lang[n] == '\0' || lang[n] == '-' || lang[n] == '_'))
            return all[i];
    }
    return NULL;
}

const rc_locale *const *rc_locale_all(size_t *n)
{
    if (n) *n = sizeof all / sizeof all[0];
    return all;
}

const char *rc_locale_own_word(const rc_locale *l, rc_word w)
{
    for (size_t i = 0; i < NLANG && (unsigned)w < RC_W_COUNT_WORDS; i++)
        if (all[i] == l) return words[w][i];
    return NULL;
}

const char *rc_locale_word(const rc_locale *l, rc_word w)
{
    if ((unsigned)w >= RC_W_COUNT_WORDS) return "";
    const char *s = rc_locale_own_word(l ? l : &en, w);
    return s ? s : words[w][0];
}

/* ---- number formatting ------------------------------------------------- */

/* Appends s to buf at *pos, truncating; buf stays NUL-terminated. */
static void put(char *buf, size_t n, size_t *pos, const char *s, size_t len)
{
    if (n == 0) return;
    for (size_t i = 0; i < len && *pos + 1 < n; i++)
        buf[(*pos)++] = s[i];
    buf[*pos] = '\0';
}

static void puts_(char *buf, size_t n, size_t *pos, const char *s)
{
    put(buf, n, pos, s, strlen(s));
}

/* The 15 significant digits of |v| (dig) and its decimal exponent, as
 * "%.14e" writes them. The last answers are kept per thread, by v's bits:
 * a chart's value labels are formatted to measure them, to draw them and
 * again for the LaTeX and the workbooks, and snprintf is ~3,000
 * instructions a number (2.4 M of a full one-edition build). */
static int sig_digits(double v, char dig[static 16])
{
    static _Thread_local struct {
        uint64_t key; /* v's bits + 1; 0: empty */
        int ex;
        char dig[16];
    } memo[256];
    double av = fabs(v);
    uint64_t bits;
    memcpy(&bits, &av, sizeof bits);
    size_t slot = (size_t)((bits * 0x9E3779B97F4A7C15ull) >> 56);
    if (memo[slot].key == bits + 1) {
        memcpy(dig, memo[slot].dig, 16);
        return memo[slot].ex;
    }
    char e[40];
    snprintf(e, sizeof e, "%.14e", av);
    /* e = "d.dddddddddddddde+XX": 15 significant digits D, exponent E */
    int nd = 0;
    memset(dig, '0', 16);
    for (const char *p = e; *p && *p != 'e' && nd < 15; p++)
        if (*p >= '0' && *p <= '9') dig[nd++] = *p;
    const char *ep = strchr(e, 'e');
    int ex = ep ? atoi(ep + 1) : 0;
    memo[slot].key = bits + 1;
    memo[slot].ex = ex;
    memcpy(memo[slot].dig, dig, 16);
    return ex;
}

/* The decimal digits of |v| rounded half away from zero to 'decimals'
 * places: integer digits into ip (no leading zeros, "0" for zero), fraction
 * digits into fp (exactly 'decimals' digits, 0..15). Works on the
 * 15-significant-digit decimal form of v (DBL_DIG), see the file comment. */
static void round_digits(double v, int decimals, char ip[static 400], char fp[static 32])
{
    char dig[16];
    const int nd = 15;
    int ex = sig_digits(v, dig);
    /* digit of the power 10^p */
#define DIGIT(p) ((ex - (p)) >= 0 && (ex - (p)) < nd ? dig[ex - (p)] - '0' : 0)
    int top = ex > 0 ? ex : 0;
    /* all kept digits, most significant first, with one slot for a carry */
    char d[400];
    int len = 0;
    d[len++] = 0;
    for (int p = top; p >= -decimals; p--)
        d[len++] = (char)DIGIT(p);
    if (DIGIT(-decimals - 1) >= 5) {
        int i = len - 1;
        while (d[i] == 9)
            d[i--] = 0;
        d[i]++;
    }
#undef DIGIT
    int nint = len - decimals; /* includes the carry slot */
    int i = 0;
    while (i < nint - 1 && d[i] == 0)
        i++;
    int k = 0;
    for (; i < nint; i++)
        ip[k++] = (char)('0' + d[i]);
    ip[k] = '\0';
    for (int f = 0; f < decimals; f++)
        fp[f] = (char)('0' + d[nint + f]);
    fp[decimals] = '\0';
}

/* Writes a number with exactly 'decimals' decimals (0..15) and the locale's
 * separators; strip removes trailing fraction zeros (for "as needed"). */
static size_t fmt_fixed(const rc_locale *l, double v, int decimals, bool strip, char *buf, size_t n)
{
    size_t pos = 0;
    if (n) buf[0] = '\0';
    if (!isfinite(v)) {
        puts_(buf, n, &pos, "n/a");
        return pos;
    }
    if (decimals > 15) decimals = 15;
    char ip[400], fp[32];
    round_digits(v, decimals, ip, fp);
    int fl = decimals;
    if (strip)
        while (fl > 0 && fp[fl - 1] == '0')
            fl--;
    fp[fl] = '\0';
    bool zero = strcmp(ip, "0") == 0 && strspn(fp, "0") == (size_t)fl;
    if (v < 0 && !zero) puts_(buf, n, &pos, "-");
    size_t il = strlen(ip);
    const char *th = l->thousands ? l->thousands : "";
    bool group = il >= 5 && *th;
    for (size_t i = 0; i < il; i++) {
        if (group && i > 0 && (il - i) % 3 == 0) puts_(buf, n, &pos, th);
        put(buf, n, &pos, ip + i, 1);
    }
    if (fl > 0) {
        puts_(buf, n, &pos, l->decimal ? l->decimal : ".");
        put(buf, n, &pos, fp, (size_t)fl);
    }
    return pos;
}

size_t rc_format_number(const rc_locale *l, double v, int decimals, char *buf, size_t n)
{
    if (!l) l = &en;
    if (decimals < 0) return fmt_fixed(l, v, 6, true, buf, n);
    return fmt_fixed(l, v, decimals, false, buf, n);
}

size_t rc_format_percent(const rc_locale *l, double v, int decimals, char *buf, size_t n)
{
    if (!l) l = &en;
    size_t pos = rc_format_number(l, v * 100.0, decimals, buf, n);
    if (!isfinite(v)) return pos;
    puts_(buf, n, &pos, l->percent_sep ? l->percent_sep : "");
    puts_(buf, n, &pos, "%");
    return pos;
}

/* Parses the ":N" argument of a spec; digits only (with one optional point
 * when allow_point). Returns false when malformed. */
static bool spec_arg(const char *s, bool allow_point, double *out, int *ndec)
{
    if (!*s) return false;
    int points = 0, dec = 0;
    for (const char *p = s; *p; p++) {
        if (*p == '.') {
            if (!allow_point || points++ || !p[1] || p == s) return false;
        } else if (*p >= '0' && *p <= '9') {
            if (points) dec++;
        } else {
            return false;
        }
    }
    if (strlen(s) > 12) return false;
    *out = strtod(s, NULL);
    if (ndec) *ndec = dec;
    return true;
}

typedef enum { F_AUTO, F_INTEGER, F_NUMBER, F_PERCENT, F_FLOOR, F_CEIL, F_BAD } fkind;

/* Splits spec into kind and argument (decimals or multiple). */
static fkind parse_spec(const char *spec, double *arg, int *dec)
{
    *arg = 0;
    *dec = 0;
    if (!spec) return F_AUTO;
    /* tolerate surrounding blanks: "{{x | percent:1 }}" */
    while (*spec == ' ' || *spec == '\t')
        spec++;
    char s[48];
    size_t len = strlen(spec);
    while (len && (spec[len - 1] == ' ' || spec[len - 1] == '\t'))
        len--;
    if (len >= sizeof s) return F_BAD;
    memcpy(s, spec, len);
    s[len] = '\0';
    if (!*s || !strcmp(s, "auto")) return F_AUTO;
    if (!strcmp(s, "integer")) return F_INTEGER;
    if (!strcmp(s, "percent")) return F_PERCENT;
    char *colon = strchr(s, ':');
    if (!colon) return F_BAD;
    *colon = '\0';
    const char *a = colon + 1;
    double v;
    if (!strcmp(s, "number") || !strcmp(s, "percent")) {
        if (!spec_arg(a, false, &v, NULL) || v > 15) return F_BAD;
        *dec = (int)v;
        return s[0] == 'n' ? F_NUMBER : F_PERCENT;
    }
    if (!strcmp(s, "floor") || !strcmp(s, "ceil")) {
        if (!spec_arg(a, true, &v, dec) || !(v > 0)) return F_BAD;
        *arg = v;
        return s[0] == 'f' ? F_FLOOR : F_CEIL;
    }
    return F_BAD;
}

int rc_format_valid(const char *spec)
{
    double a;
    int d;
    return parse_spec(spec, &a, &d) != F_BAD;
}

size_t rc_format_value(const rc_locale *l, double v, const char *spec, char *buf, size_t n)
{
    if (!l) l = &en;
    double arg;
    int dec;
    fkind k = parse_spec(spec, &arg, &dec);
    if (n) buf[0] = '\0';
    switch (k) {
    case F_AUTO:
        if (isfinite(v) && fabs(v) < 1e15 && v == floor(v))
            return fmt_fixed(l, v, 0, false, buf, n);
        return fmt_fixed(l, v, 2, true, buf, n);
    case F_INTEGER:
        return fmt_fixed(l, v, 0, false, buf, n);
    case F_NUMBER:
        return fmt_fixed(l, v, dec, false, buf, n);
    case F_PERCENT:
        return rc_format_percent(l, v, dec, buf, n);
    case F_FLOOR:
    case F_CEIL: {
        if (!isfinite(v)) return fmt_fixed(l, v, 0, false, buf, n);
        /* a tiny tolerance so 300 with floor:100 stays 300 despite binary noise */
        double q = v / arg;
        double r = k == F_FLOOR ? floor(q + 1e-9) : ceil(q - 1e-9);
        return fmt_fixed(l, r * arg, dec, false, buf, n);
    }
    case F_BAD:
        break;
    }
    return 0;
}

/* ---- dates -------------------------------------------------------------- */

size_t rc_format_date(const rc_locale *l, int year, int month, int day, char *buf, size_t n)
{
    if (!l) l = &en;
    size_t pos = 0;
    if (n) buf[0] = '\0';
    if (month < 1 || month > 12) return 0;
    char num[16];
    if (day > 0) {
        snprintf(num, sizeof num, "%d", day);
        puts_(buf, n, &pos, num);
        puts_(buf, n, &pos, l->date_sep);
    }
    puts_(buf, n, &pos, rc_locale_word(l, (rc_word)(RC_W_JANUARY + month - 1)));
    snprintf(num, sizeof num, "%d", year);
    puts_(buf, n, &pos, l->date_sep);
    puts_(buf, n, &pos, num);
    return pos;
}

/* Reads exactly 'len' digits at s. */
static bool digits(const char *s, size_t len, int *out)
{
    int v = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9') return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

size_t rc_format_iso_date(const rc_locale *l, const char *iso, char *buf, size_t n)
{
    size_t len = iso ? strlen(iso) : 0;
    int y = 0, m = 0, d = 0;
    bool ok = (len == 7 || len == 10) && digits(iso, 4, &y) && iso[4] == '-' &&
              digits(iso + 5, 2, &m) && m >= 1 && m <= 12;
    if (ok && len == 10) ok = iso[7] == '-' && digits(iso + 8, 2, &d) && d >= 1 && d <= 31;
    if (ok) return rc_format_date(l, y, m, d, buf, n);
    size_t pos = 0;
    if (n) buf[0] = '\0';
    puts_(buf, n, &pos, iso ? iso : "");
    return pos;
}
