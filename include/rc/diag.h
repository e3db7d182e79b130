/* diag: diagnostics about the user's input, printed like a compiler's:
 *   config/iuc-lac-2019.ini:14:9: error: unknown column 'Contnent' in source 'survey'
 * Stages report every problem they find, then the build stops between stages
 * if any error was reported. Messages are copied; the collector owns them. */
#ifndef RC_DIAG_H
#define RC_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* A position in an input file. line and col are 1-based; 0 means unknown
 * (then the diagnostic prints "file: error:" or "file:line: error:"). */
typedef struct rc_loc {
    const char *file;
    unsigned line, col;
} rc_loc;

typedef enum rc_diag_level { RC_DIAG_ERROR, RC_DIAG_WARNING, RC_DIAG_NOTE } rc_diag_level;

typedef struct rc_diag_entry {
    rc_diag_level level;
    rc_loc loc;
    char *msg;
} rc_diag_entry;

typedef struct rc_diag rc_diag;

rc_diag *rc_diag_new(void);
void rc_diag_free(rc_diag *d);

void rc_diag_report(rc_diag *d, rc_diag_level lv, rc_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void rc_diag_error(rc_diag *d, rc_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void rc_diag_warning(rc_diag *d, rc_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void rc_diag_note(rc_diag *d, rc_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Strict mode (reportc --strict, [report] strict = yes): every warning
 * already reported and every later one becomes an error, its message ending
 * in " [strict]", so a CI run fails on anything that would only have been
 * pointed out. Notes stay notes. */
void rc_diag_set_strict(rc_diag *d);
bool rc_diag_strict(const rc_diag *d);

size_t rc_diag_errors(const rc_diag *d);
size_t rc_diag_warnings(const rc_diag *d);
size_t rc_diag_count(const rc_diag *d);
const rc_diag_entry *rc_diag_get(const rc_diag *d, size_t i);

/* Appends copies of every entry of src to dst, in order (merging the
 * diagnostics of stages that ran on other threads). */
void rc_diag_append(rc_diag *dst, const rc_diag *src);

/* Formats one entry as "file:line:col: error: message" (no newline) into buf. */
size_t rc_diag_format(const rc_diag_entry *e, char *buf, size_t n);
/* Prints all entries in the order reported, one per line. At most
 * RC_DIAG_MAX_PRINT are printed, then a line saying how many were omitted.
 * In colour, as GCC does, when rc_diag_colour_wanted(out). */
void rc_diag_print(const rc_diag *d, FILE *out);
/* The same, in colour (ANSI escapes) or not as asked. */
void rc_diag_print_styled(const rc_diag *d, FILE *out, bool colour);
/* True when out is a terminal, TERM is not "dumb" and NO_COLOR is unset or
 * empty (https://no-color.org). */
bool rc_diag_colour_wanted(FILE *out);
#define RC_DIAG_MAX_PRINT 200

/* The candidate closest to word by edit distance, if close enough to be a
 * plausible typo ("did you mean ...?"), else NULL. */
const char *rc_diag_suggest(const char *word, const char *const *cands, size_t n);

/* Convenience: a location at a column offset inside a value that starts at base. */
rc_loc rc_loc_offset(rc_loc base, size_t byte_offset);

#endif
