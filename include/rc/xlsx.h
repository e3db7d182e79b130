/* xlsx: the companion workbooks (libxlsxwriter): the data workbook (one sheet
 * per source, a Fields sheet) and the figures workbook (Contents, one sheet
 * per figure/table with a native chart, Metrics, About). Same numbers as the
 * PDF: it reads the same rc_data aggregates and rc_chart models. Written to
 * a temporary name in the output directory, verified, renamed into place. */
#ifndef RC_XLSX_H
#define RC_XLSX_H

#include <stdbool.h>
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
/* Column width in Excel character units for a UTF-8 string: an estimate
 * from character classes (narrow punctuation and i/l/j ~0.5, capitals ~1.2,
 * W/M ~1.4, East Asian wide 2, combining marks 0, others 1), no padding.
 * Precomposed and decomposed accented letters measure the same. */
double rc_xlsx_text_width(const char *s);

/* True when the file at path ends with a complete zip directory: the End Of
 * Central Directory record ("PK\5\6", or its ZIP64 form) within the last
 * 64 KiB + 22 bytes, whose central directory offset and size agree with the
 * file size and where the directory starts with a central header. Used after
 * workbook_close, which can report success for a truncated file. */
bool rc_xlsx_verify_zip(const char *path);

/* libxlsxwriter's temporary files (one per part of a workbook) are
 * anonymous memory files rather than files in the output directory
 * (src/xlsx/xlsx_tmpfile.c). rc_xlsx_memory_tmpfiles(false) makes the
 * calling thread use libxlsxwriter's own files again (tests compare the
 * bytes); returns the previous setting. rc_xlsx_memory_tmpfiles_made
 * counts the memory files made by the process. */
bool rc_xlsx_memory_tmpfiles(bool on);
size_t rc_xlsx_memory_tmpfiles_made(void);

/* The workbook's members are deflated by libdeflate rather than by zlib in
 * minizip (src/xlsx/xlsx_deflate.c). rc_xlsx_libdeflate_members(false)
 * gives the calling thread minizip's own deflate again (tests compare the
 * members); returns the previous setting. rc_xlsx_libdeflate_members_made
 * counts the members libdeflate deflated in the process, _reused those of
 * them whose bytes were deflated before (by an earlier workbook of the
 * process, or by the last build of this workbook: rc/zmemo.h). */
bool rc_xlsx_libdeflate_members(bool on);
size_t rc_xlsx_libdeflate_members_made(void);
size_t rc_xlsx_libdeflate_members_reused(void);

/* libxlsxwriter's XML is written by reportc's own writer of the same bytes
 * (src/xlsx/xlsx_xml.c). rc_xlsx_own_xml(false) gives the calling thread
 * the library's own writer again (tests compare the bytes); returns the
 * previous setting. rc_xlsx_own_xml_tags counts the tags the own writer
 * opened in the process. */
bool rc_xlsx_own_xml(bool on);
size_t rc_xlsx_own_xml_tags(void);
/* Of those, the rows, columns, page margins, relationships and content
 * types written without the library's attribute lists
 * (src/xlsx/xlsx_elems.c). */
size_t rc_xlsx_own_xml_elements(void);

/* The cells and rows of a workbook libxlsxwriter holds in memory come from
 * a slab of the writing thread, given back at once when the workbook is
 * closed (src/xlsx/xlsx_cells.c). rc_xlsx_cell_slab(false) gives the
 * calling thread the library's calloc and free again (tests compare the
 * bytes); returns the previous setting. rc_xlsx_cell_slab_made counts the
 * cells and rows the slab made in the process (added as each workbook is
 * closed). */
bool rc_xlsx_cell_slab(bool on);
size_t rc_xlsx_cell_slab_made(void);

/* Layout limits of the data workbook (docs/workbooks.md): a source with more
 * data rows than RC_XLSX_ROWS_PER_SHEET continues on "survey (2)", ...; with
 * more than RC_XLSX_CONSTANT_MEMORY_ROWS rows or RC_XLSX_CONSTANT_MEMORY_CELLS
 * cells (data rows x columns of its sheet) in any source the workbook is
 * written in constant-memory mode (rows streamed to disk, autofilter instead
 * of Excel tables). Otherwise libxlsxwriter holds every cell in memory,
 * about 110 bytes each. */
#define RC_XLSX_ROWS_PER_SHEET 1048575u
#define RC_XLSX_CONSTANT_MEMORY_ROWS 100000u
#define RC_XLSX_CONSTANT_MEMORY_CELLS 1000000u

/* The same with other limits (tests use small ones); 0 = the default. */
typedef struct rc_xlsx_data_opts {
    size_t rows_per_sheet; /* <= RC_XLSX_ROWS_PER_SHEET */
    size_t constant_memory_rows;
    size_t constant_memory_cells;
    /* Constant-memory rows through libxlsxwriter's own cell writers instead
     * of reportc's (src/xlsx/xlsx_rows.c): the reference the tests compare
     * reportc's sheet XML with. */
    bool rows_by_library;
} rc_xlsx_data_opts;
rc_status rc_xlsx_write_data_opt(rc_arena *a, const rc_doc *doc, const char *path, int64_t epoch,
                                 const rc_xlsx_data_opts *opts, rc_diag *d);

#endif
