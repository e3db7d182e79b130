/* locale: every fixed word of the output ("Contents", "Figure", "Source",
 * "List of figures", the months, ...), the number, percent and date
 * formats, quotation marks, the LaTeX babel name and the hyphenation
 * dictionaries of a report language (English, Spanish, European
 * Portuguese), from tables in locale.c. The layout, LaTeX and workbook code
 * take words only from here; a new language is one more row of languages
 * and one more column of words (a test checks every locale is complete).
 * The tables are static: nothing returned is to be freed. */
#ifndef RC_LOCALE_H
#define RC_LOCALE_H

#include <stddef.h>

typedef enum rc_word {
    RC_W_CONTENTS,
    RC_W_FIGURE, /* "Figure" */
    RC_W_TABLE,  /* "Table" */
    RC_W_BOX,    /* "Box" */
    RC_W_SOURCE, /* "Source" */
    RC_W_NOTE,   /* "Note" */
    RC_W_LIST_OF_FIGURES,
    RC_W_LIST_OF_TABLES,
    RC_W_LIST_OF_BOXES,
    RC_W_ANNEX,        /* "Annex" */
    RC_W_PAGE,         /* "page" */
    RC_W_HOW_TO_CITE,  /* "How to cite this report" */
    RC_W_CONTACT,      /* "Contact information" */
    RC_W_LEGAL_NOTICE, /* "Legal notice" */
    RC_W_PRINTED_BY,   /* imprint line before publisher */
    RC_W_SAMPLE_IDS,   /* note that identifiers are sample values */
    RC_W_AUTHORS,      /* "Authors" */
    RC_W_ALL,          /* column label when an aggregate has no groups: "All" */
    RC_W_COUNT,        /* "Count" */
    RC_W_SHARE,        /* "Share" */
    RC_W_ANSWERED,     /* "Answered" */
    RC_W_MEAN,         /* "Mean" */
    RC_W_MEDIAN,       /* "Median" */
    RC_W_TOP2,         /* "Top 2" */
    RC_W_TOTAL,        /* "Total" */
    RC_W_METRIC,       /* "Metric" */
    RC_W_VALUE,        /* "Value" */
    RC_W_FIELD,        /* "Field" */
    RC_W_TYPE,         /* "Type" */
    RC_W_CODES,        /* "Codes and labels" */
    RC_W_MISSING,      /* "Missing codes" */
    RC_W_GENERATED,    /* "Generated" */
    RC_W_VERSION,      /* "reportc version" */
    RC_W_INPUT_FILES,  /* "Input files" */
    RC_W_ABOUT,        /* "About" */
    RC_W_METRICS,      /* "Metrics" */
    RC_W_FIELDS,       /* "Fields" */
    RC_W_TITLE,        /* "Title" */
    RC_W_SHEET,        /* "Sheet" */
    RC_W_NUMBER,       /* "Number" */
    RC_W_LABEL,        /* "Label" (column heading in the workbooks) */
    RC_W_COLUMN,       /* "Column" */
    RC_W_FORMAT,       /* "Format" (of a metric) */
    RC_W_PATH,         /* "Path" (of an input file) */
    RC_W_CODE,         /* "code", as in the workbook column "continent (code)" */
    RC_W_SHA256,       /* "SHA-256" */
    /* the months, in order (dates: rc_format_date) */
    RC_W_JANUARY,
    RC_W_FEBRUARY,
    RC_W_MARCH,
    RC_W_APRIL,
    RC_W_MAY,
    RC_W_JUNE,
    RC_W_JULY,
    RC_W_AUGUST,
    RC_W_SEPTEMBER,
    RC_W_OCTOBER,
    RC_W_NOVEMBER,
    RC_W_DECEMBER,
    RC_W_COUNT_WORDS /* sentinel */
} rc_word;

enum { RC_LOCALE_MAX_DICTS = 4 };

typedef struct rc_locale {
    const char *lang;  /* "en" */
    const char *name;  /* the language's own name, for messages: "español" */
    const char *babel; /* LaTeX babel name: "british" */
    /* libhyphen dictionary file names in /usr/share/hyphen, best first (the
     * first one present is used; NULL-terminated), and the Debian package
     * that ships them, named when none is installed. */
    const char *hyph_dicts[RC_LOCALE_MAX_DICTS + 1];
    const char *hyph_package;
    const char *decimal;                  /* "." */
    const char *thousands;                /* "," (used from 10 000 up; "" for none) */
    const char *percent_sep;              /* between number and "%": "" or U+00A0 */
    const char *date_sep;                 /* between day, month and year: " " or " de " */
    const char *quote_open, *quote_close; /* primary quotation marks */
} rc_locale;

/* The locale for a language code; NULL when not supported. */
const rc_locale *rc_locale_get(const char *lang);
/* All supported locales (for the completeness test). */
const rc_locale *const *rc_locale_all(size_t *n);
/* The word in l's language, English where l has none (and "" for a word
 * out of range). */
const char *rc_locale_word(const rc_locale *l, rc_word w);
/* The word as l's own table has it: NULL where it has none. */
const char *rc_locale_own_word(const rc_locale *l, rc_word w);

/* Number formatting into buf (always NUL-terminated); returns the length.
 * decimals < 0 means "as many as needed, at most 6". */
size_t rc_format_number(const rc_locale *l, double v, int decimals, char *buf, size_t n);
/* v is a share (0..1): 0.9375 with 1 decimal -> "93.8%" (+ percent_sep). */
size_t rc_format_percent(const rc_locale *l, double v, int decimals, char *buf, size_t n);

/* A calendar date in the locale's words: month 1..12, day 1..31 or 0 for a
 * month and year ("June 2019", "junio de 2019", "3 de junho de 2019").
 * Returns 0 and writes "" when month is out of range. */
size_t rc_format_date(const rc_locale *l, int year, int month, int day, char *buf, size_t n);
/* An ISO date as written in a config ("2019", "2019-06", "2019-06-03") in
 * the locale's words; any other text is copied unchanged. */
size_t rc_format_iso_date(const rc_locale *l, const char *iso, char *buf, size_t n);

/* Applies a format spec to a value:
 *   ""/"auto"     integers plainly, else up to 2 decimals
 *   "integer"     rounded to a whole number
 *   "number:N"    N decimals
 *   "percent" / "percent:N"  a share as a percentage (default 0 decimals)
 *   "floor:N" / "ceil:N"     rounded down/up to a multiple of N ("over 300")
 * Returns 0 and writes nothing valid if spec is unknown (callers report it). */
size_t rc_format_value(const rc_locale *l, double v, const char *spec, char *buf, size_t n);
/* True when spec is a format rc_format_value understands. */
int rc_format_valid(const char *spec);

#endif
