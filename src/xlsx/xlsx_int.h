/* xlsx_int.h: what xlsx.c (workbook life cycle, names, widths, zip check),
 * xlsx_data.c (the data workbook) and xlsx_figures.c / xlsx_about.c (the
 * figures workbook) share. Not a public header.
 *
 * Every libxlsxwriter call that can fail goes through the rc_xw_* writers,
 * which remember the first error; rc_xw_close checks it together with the
 * return of workbook_close and the completeness of the zip, so a caller
 * never has to thread lxw_error through every cell. */
#ifndef RC_XLSX_INT_H
#define RC_XLSX_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xlsxwriter.h>

#include "rc/arena.h"
#include "rc/diag.h"
#include "rc/doc.h"
#include "rc/locale.h"
#include "rc/status.h"
#include "rc/xlsx.h"

/* Excel's limits. */
#define RC_XLSX_MAX_STRING 32767u  /* characters per cell */
#define RC_XLSX_WIDTH_MAX 60.0     /* widest column we set (characters) */
#define RC_XLSX_WIDTH_SAMPLE 5000u /* data rows measured for column widths */

typedef struct rc_xw_fmt {
    const char *numfmt;
    lxw_format *f;
} rc_xw_fmt;

/* An open workbook being written to a private temporary file beside the
 * requested path. */
typedef struct rc_xw {
    rc_arena *a;
    rc_diag *d;
    const rc_locale *loc;
    rc_loc where;     /* where to point diagnostics (the [output] section) */
    const char *file; /* the path the caller asked for */
    const char *path; /* the same as the user knows it (for messages) */
    const char *tmp;  /* what libxlsxwriter writes */
    lxw_workbook *wb;
    lxw_error err;              /* first libxlsxwriter error */
    const char *err_what;       /* what was being written then */
    bool warned_long;           /* a string was cut to 32,767 characters */
    bool abandoned;             /* a problem was reported: close removes the file */
    rc_arena *scratch;          /* for strings cut to fit a cell (NULL = a) */
    RC_VEC(const char *) names; /* sheet names used so far */
    RC_VEC(rc_xw_fmt) fmts;     /* number formats made so far */
    /* formats */
    lxw_format *bold, *title, *header, *wrap, *pct0, *pct1, *int0, *num2, *url, *small;
} rc_xw;

/* Checks the directory of path, creates the workbook (constant_memory as
 * asked, tmpdir = that directory) and the common formats. On failure
 * reports and returns an error (nothing is created). */
rc_status rc_xw_open(rc_xw *x, rc_arena *a, const rc_doc *doc, const char *path,
                     bool constant_memory, bool zip64, rc_diag *d);
/* Document properties from the config, created = epoch. */
void rc_xw_properties(rc_xw *x, const rc_doc *doc, int64_t epoch, const char *subject);
/* Closes the workbook, checks every recorded error, verifies the zip and
 * renames it over path. On any failure the temporary file is removed, path
 * is untouched and an error is reported (unless the caller reported it
 * already and set abandoned: then RC_ERR_DATA without another message). */
rc_status rc_xw_close(rc_xw *x);

/* A new worksheet with a valid unique name derived from want; NULL after
 * recording an error. *name receives the name used. */
lxw_worksheet *rc_xw_sheet(rc_xw *x, const char *want, const char **name);

/* Cell writers: record the first error; NaN/inf and NULL/"" write nothing
 * (an empty cell), strings longer than Excel allows are cut (warned once). */
void rc_xw_num(rc_xw *x, lxw_worksheet *ws, uint32_t r, uint32_t c, double v, lxw_format *f);
void rc_xw_str(rc_xw *x, lxw_worksheet *ws, uint32_t r, uint32_t c, const char *s, lxw_format *f);
void rc_xw_link(rc_xw *x, lxw_worksheet *ws, uint32_t r, uint32_t c, const char *url,
                const char *text);
void rc_xw_width(rc_xw *x, lxw_worksheet *ws, uint32_t c, double chars);
void rc_xw_check(rc_xw *x, lxw_error e, const char *what);

/* A number format for a metric/placeholder format spec ("percent:1" ->
 * "0.0%", "number:2" -> "0.00", "integer" -> "0"); NULL for "General". */
const char *rc_xlsx_num_format(const char *spec, bool integral);
/* The format object for a spec (cached per distinct format string). */
lxw_format *rc_xw_format_for(rc_xw *x, const char *spec, bool integral);

/* Column width to set for a text: its estimated width plus padding, capped. */
double rc_xw_fit(double current, const char *s);

/* Writes a figure/table sheet (xlsx_figures.c) and the Contents, Metrics and
 * About sheets (xlsx_about.c). */
void rc_xlsx_float_sheet(rc_xw *x, lxw_worksheet *ws, const char *sheet, const rc_doc *doc,
                         const rc_float_ref *f, bool figure);
void rc_xlsx_contents_sheet(rc_xw *x, lxw_worksheet *ws, const rc_doc *doc,
                            const char *const *fig_sheets, const char *const *tab_sheets);
void rc_xlsx_metrics_sheet(rc_xw *x, const rc_doc *doc);
/* The Data quality sheet: every source's fields (xlsx_quality.c). */
void rc_xlsx_quality_sheet(rc_xw *x, const rc_doc *doc);
void rc_xlsx_about_sheet(rc_xw *x, const rc_doc *doc, int64_t epoch);

#endif
