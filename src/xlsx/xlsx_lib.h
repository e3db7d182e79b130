/* xlsx_lib: libxlsxwriter loaded when the first workbook is written, not
 * when reportc starts. Not a public header (xlsx_int.h includes it).
 *
 * Why: linked like the other libraries, libxlsxwriter and what it needs
 * (libminizip, libcrypto) were mapped and relocated by the dynamic loader
 * at every start, about 1.4 ms of the 4.9 ms a program linked against
 * reportc's libraries took to run nothing (issue 18), though `--only pdf`,
 * `--only tex`, `reportc check` and `--version` write no workbook. Loaded
 * with dlopen on the thread that writes the first workbook, that cost
 * leaves the start of every build and the main thread's path.
 *
 * How: every libxlsxwriter function reportc calls is in RC_XW_LIB_FUNCTIONS
 * below, and becomes a member of one table (rc_xw_lib) of pointers of the
 * type xlsxwriter.h declares for it (__typeof__, so the compiler checks
 * each call against the library's own prototypes). The #defines after the
 * table turn each name into its member, so the call sites read as plain
 * libxlsxwriter calls. A name used but not listed links to nothing (the
 * executable is not linked against the library) and fails the build; a
 * name listed without its #define is caught the same way. rc_xw_lib_load
 * fills the table once per process (pthread_once); rc_xw_open calls it
 * before the first library call of a workbook, and nothing calls the
 * library without a workbook.
 *
 * The functions reportc defines in libxlsxwriter's and minizip's place
 * (xlsx_tmpfile.c, xlsx_deflate.c, xlsx_xml.c) still take the library's
 * calls: a library loaded with dlopen looks its symbols up in the global
 * scope (the executable first) before its own, as at start-up, provided the
 * executable exports them: src/xlsx/interposed.dynlist names them for the
 * linker (it exported them by itself when libxlsxwriter.so was on the link
 * line), and tests/e2e/xlsx_dlopen.sh checks the bindings. */
#ifndef RC_XLSX_LIB_H
#define RC_XLSX_LIB_H

#include <stdbool.h>
#include <stddef.h>
#include <xlsxwriter.h>

/* The library's functions reportc calls, in alphabetical order. */
#define RC_XW_LIB_FUNCTIONS(X)                                                                     \
    X(chart_add_series)                                                                            \
    X(chart_axis_major_gridlines_set_visible)                                                      \
    X(chart_axis_set_crossing_max)                                                                 \
    X(chart_axis_set_num_format)                                                                   \
    X(chart_axis_set_reverse)                                                                      \
    X(chart_legend_set_position)                                                                   \
    X(chart_series_set_categories)                                                                 \
    X(chart_series_set_fill)                                                                       \
    X(chart_series_set_labels)                                                                     \
    X(chart_series_set_labels_num_format)                                                          \
    X(chart_series_set_name_range)                                                                 \
    X(chart_series_set_points)                                                                     \
    X(chart_series_set_values)                                                                     \
    X(chart_title_off)                                                                             \
    X(chart_title_set_name)                                                                        \
    X(chart_title_set_name_font)                                                                   \
    X(format_set_align)                                                                            \
    X(format_set_bg_color)                                                                         \
    X(format_set_bold)                                                                             \
    X(format_set_bottom)                                                                           \
    X(format_set_font_size)                                                                        \
    X(format_set_italic)                                                                           \
    X(format_set_num_format)                                                                       \
    X(format_set_text_wrap)                                                                        \
    X(lxw_strerror)                                                                                \
    X(workbook_add_chart)                                                                          \
    X(workbook_add_format)                                                                         \
    X(workbook_add_worksheet)                                                                      \
    X(workbook_close)                                                                              \
    X(workbook_get_default_url_format)                                                             \
    X(workbook_new_opt)                                                                            \
    X(workbook_set_properties)                                                                     \
    X(workbook_validate_sheet_name)                                                                \
    X(worksheet_activate)                                                                          \
    X(worksheet_add_table)                                                                         \
    X(worksheet_autofilter)                                                                        \
    X(worksheet_fit_to_pages)                                                                      \
    X(worksheet_freeze_panes)                                                                      \
    X(worksheet_insert_chart_opt)                                                                  \
    X(worksheet_repeat_rows)                                                                       \
    X(worksheet_set_column)                                                                        \
    X(worksheet_set_landscape)                                                                     \
    X(worksheet_set_paper)                                                                         \
    X(worksheet_set_row)                                                                           \
    X(worksheet_set_selection)                                                                     \
    X(worksheet_write_blank)                                                                       \
    X(worksheet_write_number)                                                                      \
    X(worksheet_write_string)                                                                      \
    X(worksheet_write_url_opt)

typedef struct rc_xw_lib_table {
#define RC_XW_LIB_MEMBER(f) __typeof__(f) *f;
    RC_XW_LIB_FUNCTIONS(RC_XW_LIB_MEMBER)
#undef RC_XW_LIB_MEMBER
} rc_xw_lib_table;

/* Filled by rc_xw_lib_load; read-only after it. */
extern rc_xw_lib_table rc_xw_lib;
/* The table the calling thread's calls go through: &rc_xw_lib, or while
 * a workbook's calls are only recorded, not made, the recorder's
 * (rc_xw_recorder, xlsx_record.c; rc_xw_write in xlsx_memo.c). */
extern _Thread_local const rc_xw_lib_table *rc_xw_calls;

/* Loads the library and fills rc_xw_lib, once per process (later calls
 * return the first one's result). On failure returns false with *why (a
 * static string) saying which library could not be loaded and why, and
 * the table stays empty. The file loaded is RC_XW_LIB_SONAME (the soname of
 * the library reportc was built against), or the file named by the
 * environment variable RC_XLSXWRITER_SO when it is set and not empty (tests
 * point it at a missing library; docs/reportc.1). */
bool rc_xw_lib_load(const char **why);
/* The file rc_xw_lib_load loads (RC_XLSXWRITER_SO, else the soname). */
const char *rc_xw_lib_file(void);
/* The Debian package that installs the library ("" when the build did not
 * know it), for the error message. */
const char *rc_xw_lib_package(void);

/* The library's handle (rc_xw_lib_load first; NULL if that failed):
 * dlsym on it finds the library's own definitions of the functions
 * reportc interposes, not reportc's (rc_xw_find_real, xlsx_int.h). */
void *rc_xw_lib_handle(void);

#ifndef RC_XW_LIB_NO_MACROS
/* The call sites' names, one per function of the list (keep in step: a
 * missing line is an undefined reference at link time). */
#define chart_add_series (*rc_xw_calls->chart_add_series)
#define chart_axis_major_gridlines_set_visible                                                     \
    (*rc_xw_calls->chart_axis_major_gridlines_set_visible)
#define chart_axis_set_crossing_max (*rc_xw_calls->chart_axis_set_crossing_max)
#define chart_axis_set_num_format (*rc_xw_calls->chart_axis_set_num_format)
#define chart_axis_set_reverse (*rc_xw_calls->chart_axis_set_reverse)
#define chart_legend_set_position (*rc_xw_calls->chart_legend_set_position)
#define chart_series_set_categories (*rc_xw_calls->chart_series_set_categories)
#define chart_series_set_fill (*rc_xw_calls->chart_series_set_fill)
#define chart_series_set_labels (*rc_xw_calls->chart_series_set_labels)
#define chart_series_set_labels_num_format (*rc_xw_calls->chart_series_set_labels_num_format)
#define chart_series_set_name_range (*rc_xw_calls->chart_series_set_name_range)
#define chart_series_set_points (*rc_xw_calls->chart_series_set_points)
#define chart_series_set_values (*rc_xw_calls->chart_series_set_values)
#define chart_title_off (*rc_xw_calls->chart_title_off)
#define chart_title_set_name (*rc_xw_calls->chart_title_set_name)
#define chart_title_set_name_font (*rc_xw_calls->chart_title_set_name_font)
#define format_set_align (*rc_xw_calls->format_set_align)
#define format_set_bg_color (*rc_xw_calls->format_set_bg_color)
#define format_set_bold (*rc_xw_calls->format_set_bold)
#define format_set_bottom (*rc_xw_calls->format_set_bottom)
#define format_set_font_size (*rc_xw_calls->format_set_font_size)
#define format_set_italic (*rc_xw_calls->format_set_italic)
#define format_set_num_format (*rc_xw_calls->format_set_num_format)
#define format_set_text_wrap (*rc_xw_calls->format_set_text_wrap)
#define lxw_strerror (*rc_xw_calls->lxw_strerror)
#define workbook_add_chart (*rc_xw_calls->workbook_add_chart)
#define workbook_add_format (*rc_xw_calls->workbook_add_format)
#define workbook_add_worksheet (*rc_xw_calls->workbook_add_worksheet)
#define workbook_close (*rc_xw_calls->workbook_close)
#define workbook_get_default_url_format (*rc_xw_calls->workbook_get_default_url_format)
#define workbook_new_opt (*rc_xw_calls->workbook_new_opt)
#define workbook_set_properties (*rc_xw_calls->workbook_set_properties)
#define workbook_validate_sheet_name (*rc_xw_calls->workbook_validate_sheet_name)
#define worksheet_activate (*rc_xw_calls->worksheet_activate)
#define worksheet_add_table (*rc_xw_calls->worksheet_add_table)
#define worksheet_autofilter (*rc_xw_calls->worksheet_autofilter)
#define worksheet_fit_to_pages (*rc_xw_calls->worksheet_fit_to_pages)
#define worksheet_freeze_panes (*rc_xw_calls->worksheet_freeze_panes)
#define worksheet_insert_chart_opt (*rc_xw_calls->worksheet_insert_chart_opt)
#define worksheet_repeat_rows (*rc_xw_calls->worksheet_repeat_rows)
#define worksheet_set_column (*rc_xw_calls->worksheet_set_column)
#define worksheet_set_landscape (*rc_xw_calls->worksheet_set_landscape)
#define worksheet_set_paper (*rc_xw_calls->worksheet_set_paper)
#define worksheet_set_row (*rc_xw_calls->worksheet_set_row)
#define worksheet_set_selection (*rc_xw_calls->worksheet_set_selection)
#define worksheet_write_blank (*rc_xw_calls->worksheet_write_blank)
#define worksheet_write_number (*rc_xw_calls->worksheet_write_number)
#define worksheet_write_string (*rc_xw_calls->worksheet_write_string)
#define worksheet_write_url_opt (*rc_xw_calls->worksheet_write_url_opt)
#endif

#endif
