/* xlsx: the companion workbooks (libxlsxwriter): the data workbook (one sheet
 * per source, a Fields sheet) and the figures workbook (Contents, one sheet
 * per figure/table with a native chart, Metrics, About). Same numbers as the
 * PDF: it reads the same rc_data aggregates and rc_chart models. Written to
 * a temporary name in the output directory, verified, renamed into place. */
#ifndef RC_XLSX_H
#define RC_XLSX_H

#include <stddef.h>
#include <stdint.h>
#include "rc/doc.h"
#include "rc/status.h"

rc_status rc_xlsx_write_data(rc_arena *a, const rc_doc *doc, const char *path, int64_t epoch,
                             rc_diag *d);
rc_status rc_xlsx_write_figures(rc_arena *a, const rc_doc *doc, const char *path, int64_t epoch,
                                rc_diag *d);

/* Excel-safe, unique sheet name (<= 31 chars, no []:*?/\ , not starting or
 * ending with '), written to out[32]; taken holds names already used
 * (compared case-insensitively, as Excel does). */
void rc_xlsx_sheet_name(const char *want, const char *const *taken, size_t ntaken, char out[32]);
/* Column width in Excel character units for a UTF-8 string. */
double rc_xlsx_text_width(const char *s);

#endif
