/* new: `reportc new DIR [--language en|es|pt]`, a small report project that
 * builds at once and shows every kind of input: an INI file with comments,
 * a tiny survey CSV, two short chapters with placeholders, one figure, one
 * table and one box. The files are the templates below, one set of texts
 * per language; what is the same in every language (the data, the
 * structure of the INI file) is written once. The project is written only
 * into a new or empty directory, so nothing of the user's is replaced. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "build_int.h"
#include "rc/util.h"

typedef struct texts {
    const char *lang;
    const char *title, *subtitle, *author;
    const char *f_id, *f_country, *f_sector, *f_satisfaction; /* field labels: the key's names
                                                                 what the workbooks count */
    const char *sectors;                                      /* values of the sector field */
    const char *m_respondents, *m_satisfied, *m_research;
    const char *a_sector, *fig_caption, *source, *tab_caption, *box_title;
    const char *ch1, *ch2, *box, *table;
} texts;

/* Every {{placeholder}} and ![](figure:...) of the chapters names something
 * the INI file defines, in every language. */
static const texts langs[] = {
    {"en",
     "A first report",
     "Made with reportc",
     "Your Name",
     "Respondent",
     "Country",
     "Sector",
     "Satisfaction",
     "research: Research | business: Business | public: Public administration",
     "Respondents",
     "Share of satisfied respondents",
     "Respondents from research",
     "Respondents by sector",
     "Respondents by sector",
     "Example survey, 2024",
     "What the project holds",
     "Where the numbers come from",
     "# Introduction\n\n"
     "This report was made by `reportc new`. Its text lives in Markdown files, its\n"
     "numbers in a CSV file, and the INI file says how the two are joined.\n\n"
     "The survey had {{respondents}} respondents, {{research}} of them from research.\n"
     "Edit this sentence, run `reportc build report.ini` again and the PDF follows.\n\n"
     "## How to go on\n\n"
     "Replace `data/survey.csv` with your own data, describe its columns in the\n"
     "`[field ...]` sections and write the chapters. {{table:contents}} lists the\n"
     "files of the project.\n\n"
     "![](table:contents)\n",
     "# Results\n\n"
     "{{figure:by_sector}} shows the respondents by sector. Overall,\n"
     "{{satisfied_share}} of them were satisfied or very satisfied.\n\n"
     "![](figure:by_sector)\n\n"
     "{{box:method}} explains where these numbers come from.\n\n"
     "![](box:method)\n",
     "Each number in the text is a placeholder such as `respondents`, computed from\n"
     "the survey when the report is built, so the prose never disagrees with the data.\n",
     "| File | What it holds |\n|---|---|\n"
     "| report.ini | the report: sources, fields, metrics, figures, tables |\n"
     "| data/survey.csv | the survey, one row per respondent |\n"
     "| chapters/*.md | the chapters, in Markdown |\n"
     "| boxes/method.md | the text of the box |\n"},
    {"es",
     "Un primer informe",
     "Hecho con reportc",
     "Su nombre",
     "Encuestado",
     "País",
     "Sector",
     "Satisfacción",
     "research: Investigación | business: Empresa | public: Administración pública",
     "Encuestados",
     "Proporción de encuestados satisfechos",
     "Encuestados de la investigación",
     "Encuestados por sector",
     "Encuestados por sector",
     "Encuesta de ejemplo, 2024",
     "Qué contiene el proyecto",
     "De dónde vienen las cifras",
     "# Introducción\n\n"
     "Este informe lo creó `reportc new`. Su texto está en archivos Markdown, sus\n"
     "cifras en un archivo CSV, y el archivo INI dice cómo se unen.\n\n"
     "La encuesta tuvo {{respondents}} encuestados, {{research}} de ellos del ámbito de\n"
     "la investigación. Cambie esta frase, vuelva a ejecutar `reportc build report.ini`\n"
     "y el PDF la seguirá.\n\n"
     "## Cómo seguir\n\n"
     "Sustituya `data/survey.csv` por sus propios datos, describa sus columnas en las\n"
     "secciones `[field ...]` y escriba los capítulos. {{table:contents}} enumera los\n"
     "archivos del proyecto.\n\n"
     "![](table:contents)\n",
     "# Resultados\n\n"
     "{{figure:by_sector}} muestra los encuestados por sector. En conjunto,\n"
     "{{satisfied_share}} de ellos se declararon satisfechos o muy satisfechos.\n\n"
     "![](figure:by_sector)\n\n"
     "{{box:method}} explica de dónde vienen estas cifras.\n\n"
     "![](box:method)\n",
     "Cada cifra del texto es un marcador como `respondents`, calculado a partir de la\n"
     "encuesta al generar el informe, de modo que el texto nunca contradice los datos.\n",
     "| Archivo | Qué contiene |\n|---|---|\n"
     "| report.ini | el informe: fuentes, campos, métricas, figuras, cuadros |\n"
     "| data/survey.csv | la encuesta, una fila por encuestado |\n"
     "| chapters/*.md | los capítulos, en Markdown |\n"
     "| boxes/method.md | el texto del recuadro |\n"},
    {"pt",
     "Um primeiro relatório",
     "Feito com reportc",
     "O seu nome",
     "Inquirido",
     "País",
     "Setor",
     "Satisfação",
     "research: Investigação | business: Empresa | public: Administração pública",
     "Inquiridos",
     "Proporção de inquiridos satisfeitos",
     "Inquiridos da investigação",
     "Inquiridos por setor",
     "Inquiridos por setor",
     "Inquérito de exemplo, 2024",
     "O que o projeto contém",
     "De onde vêm os números",
     "# Introdução\n\n"
     "Este relatório foi criado por `reportc new`. O texto está em ficheiros Markdown,\n"
     "os números num ficheiro CSV, e o ficheiro INI diz como se juntam.\n\n"
     "O inquérito teve {{respondents}} inquiridos, {{research}} deles da investigação.\n"
     "Altere esta frase, volte a executar `reportc build report.ini` e o PDF acompanha.\n\n"
     "## Como continuar\n\n"
     "Substitua `data/survey.csv` pelos seus dados, descreva as colunas nas secções\n"
     "`[field ...]` e escreva os capítulos. {{table:contents}} enumera os ficheiros do\n"
     "projeto.\n\n"
     "![](table:contents)\n",
     "# Resultados\n\n"
     "{{figure:by_sector}} mostra os inquiridos por setor. No conjunto,\n"
     "{{satisfied_share}} deles declararam-se satisfeitos ou muito satisfeitos.\n\n"
     "![](figure:by_sector)\n\n"
     "{{box:method}} explica de onde vêm estes números.\n\n"
     "![](box:method)\n",
     "Cada número do texto é um marcador como `respondents`, calculado a partir do\n"
     "inquérito quando o relatório é gerado, para que o texto nunca contradiga os dados.\n",
     "| Ficheiro | O que contém |\n|---|---|\n"
     "| report.ini | o relatório: fontes, campos, métricas, figuras, quadros |\n"
     "| data/survey.csv | o inquérito, uma linha por inquirido |\n"
     "| chapters/*.md | os capítulos, em Markdown |\n"
     "| boxes/method.md | o texto da caixa |\n"},
};

/* Twelve made-up respondents: enough for a chart and shares. */
static const char survey_csv[] = "id,country,sector,satisfaction\n"
                                 "1,ES,research,5\n"
                                 "2,ES,business,4\n"
                                 "3,PT,public,3\n"
                                 "4,PT,research,4\n"
                                 "5,MX,research,5\n"
                                 "6,MX,business,2\n"
                                 "7,BR,public,4\n"
                                 "8,BR,research,3\n"
                                 "9,ES,public,5\n"
                                 "10,PT,business,4\n"
                                 "11,MX,research,4\n"
                                 "12,BR,business,1\n";

static const char *ini_template(rc_arena *a, const texts *t)
{
    return rc_arena_printf(
        a,
        "; A report project made by `reportc new`. Build it with\n"
        ";     reportc build report.ini\n"
        "; and see it change as you edit with\n"
        ";     reportc watch report.ini\n"
        "; Paths are relative to this file. Every key: docs/config.md.\n"
        "\n"
        "[report]\n"
        "title = %s\n"
        "subtitle = %s\n"
        "authors = %s\n"
        "year = 2024\n"
        "; en, es or pt: the words the report prints (Figure, Table, Source ...)\n"
        "language = %s\n"
        "\n"
        "[output]\n"
        "; out/report.pdf, out/report.tex and the two workbooks\n"
        "directory = out\n"
        "basename = report\n"
        "\n"
        "[document]\n"
        "cover = yes\n"
        "imprint = no\n"
        "contents = yes\n"
        "back_cover = no\n"
        "chapters = chapters/01-introduction.md, chapters/02-results.md\n"
        "\n"
        "; ------------------------------------------------------------ data\n"
        "; One CSV file, one row per respondent; 'key' names the column that\n"
        "; identifies a row.\n"
        "[source survey]\n"
        "file = data/survey.csv\n"
        "key = id\n"
        "\n"
        "; Each column the report uses: its label and type. A category lists its\n"
        "; codes and their labels; a likert field its scale.\n"
        "[field survey.id]\n"
        "label = %s\n"
        "type = text\n"
        "\n"
        "[field survey.country]\n"
        "label = %s\n"
        "type = category\n"
        "values = ES: España | PT: Portugal | MX: México | BR: Brasil\n"
        "\n"
        "[field survey.sector]\n"
        "label = %s\n"
        "type = category\n"
        "values = %s\n"
        "\n"
        "[field survey.satisfaction]\n"
        "label = %s\n"
        "type = likert\n"
        "scale = 1..5\n"
        "\n"
        "; ------------------------------------------------------------ numbers\n"
        "; Metrics are the numbers the chapters quote: {{respondents}}.\n"
        "[metric respondents]\n"
        "source = survey\n"
        "label = %s\n"
        "\n"
        "[metric research]\n"
        "source = survey\n"
        "where = sector = research\n"
        "label = %s\n"
        "\n"
        "[metric satisfied_share]\n"
        "source = survey\n"
        "op = share\n"
        "where = satisfaction >= 4\n"
        "format = percent:0\n"
        "label = %s\n"
        "\n"
        "; Aggregates are the tables behind figures.\n"
        "[aggregate by_sector]\n"
        "source = survey\n"
        "kind = distribution\n"
        "field = sector\n"
        "label = %s\n"
        "\n"
        "; ------------------------------------------------------------ floats\n"
        "; A chapter places them with ![](figure:by_sector) and refers to them\n"
        "; with {{figure:by_sector}}.\n"
        "[figure by_sector]\n"
        "type = bar\n"
        "aggregate = by_sector\n"
        "value = count\n"
        "caption = %s\n"
        "source = %s\n"
        "width = 0.8\n"
        "height = 55\n"
        "\n"
        "[table contents]\n"
        "caption = %s\n"
        "file = tables/contents.md\n"
        "widths = 1, 2\n"
        "\n"
        "[box method]\n"
        "title = %s\n"
        "file = boxes/method.md\n",
        t->title, t->subtitle, t->author, t->lang, t->f_id, t->f_country, t->f_sector, t->sectors,
        t->f_satisfaction, t->m_respondents, t->m_research, t->m_satisfied, t->a_sector,
        t->fig_caption, t->source, t->tab_caption, t->box_title);
}

/* A directory that does not exist yet is created; one that exists must be
 * empty. Returns false after reporting why not. */
static bool prepare_dir(const char *dir, rc_diag *d)
{
    rc_loc loc = {dir, 0, 0};
    struct stat st;
    if (stat(dir, &st) != 0) {
        bool created;
        if (errno != ENOENT || rc_build_mkdirs(dir, &created) != 0) {
            rc_diag_error(d, loc, "cannot create the project directory: %s", strerror(errno));
            return false;
        }
        return true;
    }
    if (!S_ISDIR(st.st_mode)) {
        rc_diag_error(d, loc, "exists and is not a directory; choose a new directory");
        return false;
    }
    DIR *dp = opendir(dir);
    if (!dp) {
        rc_diag_error(d, loc, "cannot read the directory: %s", strerror(errno));
        return false;
    }
    struct dirent *e;
    size_t n = 0;
    while ((e = readdir(dp)))
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) n++;
    closedir(dp);
    if (n) {
        rc_diag_error(d, loc,
                      "directory is not empty (%zu entr%s); 'reportc new' only writes into a "
                      "new or empty directory",
                      n, n == 1 ? "y" : "ies");
        return false;
    }
    return true;
}

static rc_status put_file(rc_arena *a, const char *dir, const char *rel, const char *text,
                          rc_diag *d)
{
    const char *path = rc_path_join(a, dir, rel);
    char *sub = rc_path_dir(a, path);
    if (sub && mkdir(sub, 0755) != 0 && errno != EEXIST) {
        rc_diag_error(d, (rc_loc){sub, 0, 0}, "cannot create directory: %s", strerror(errno));
        return RC_ERR_IO;
    }
    FILE *f = fopen(path, "wx");
    size_t n = strlen(text);
    bool ok = f && fwrite(text, 1, n, f) == n;
    if (f) ok = fclose(f) == 0 && ok;
    if (!ok) {
        rc_diag_error(d, (rc_loc){path, 0, 0}, "cannot write: %s", strerror(errno));
        return RC_ERR_IO;
    }
    return RC_OK;
}

rc_status rc_new_project(const rc_options *o, rc_diag *d)
{
    const char *lang = o->language ? o->language : "en";
    const texts *t = NULL;
    for (size_t i = 0; i < sizeof langs / sizeof langs[0]; i++)
        if (strcmp(langs[i].lang, lang) == 0) t = &langs[i];
    if (!t) {
        rc_diag_error(d, (rc_loc){0}, "no project template in language '%s' (en, es, pt)", lang);
        return RC_ERR_USAGE;
    }
    const char *dir = o->config;
    if (!prepare_dir(dir, d)) return RC_ERR_USAGE;
    rc_arena *a = rc_arena_new();
    const struct {
        const char *rel, *text;
    } files[] = {
        {"report.ini", ini_template(a, t)},      {"data/survey.csv", survey_csv},
        {"chapters/01-introduction.md", t->ch1}, {"chapters/02-results.md", t->ch2},
        {"tables/contents.md", t->table},        {"boxes/method.md", t->box},
    };
    rc_status st = RC_OK;
    for (size_t i = 0; st == RC_OK && i < sizeof files / sizeof files[0]; i++)
        st = put_file(a, dir, files[i].rel, files[i].text, d);
    if (st == RC_OK && !o->quiet) {
        FILE *f = o->out ? o->out : stdout;
        const char *ini = rc_path_join(a, dir, "report.ini");
        fprintf(f,
                "created %s (%s): report.ini, data/survey.csv, 2 chapters, 1 figure, 1 table, "
                "1 box\n"
                "next: reportc build %s   (or: reportc watch %s)\n",
                dir, t->lang, ini, ini);
    }
    rc_arena_free(a);
    return st;
}
