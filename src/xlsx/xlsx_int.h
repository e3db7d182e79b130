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
#include "xlsx_lib.h" /* <xlsxwriter.h>, its functions through one table */

#include "rc/arena.h"
#include "rc/data.h"
#include "rc/diag.h"
#include "rc/doc.h"
#include "rc/locale.h"
#include "rc/status.h"
#include "rc/xlsx.h"

/* Excel's limits. */
#define RC_XLSX_MAX_STRING 32767u  /* characters per cell */
#define RC_XLSX_WIDTH_MAX 60.0     /* widest column we set (characters) */
#define RC_XLSX_WIDTH_SAMPLE 5000u /* data rows measured for column widths */
/* libdeflate's level for a workbook's members (xlsx_deflate.c says why 1) */
#define RC_XLSX_DEFLATE_LEVEL 1

/* The words of the sheets for statistics users (xlsx_sheets.c holds them
 * per language, the one place sheet names and labels come from). */
typedef enum rc_xw_wordid {
    RC_XW_COVER,
    RC_XW_NOTES,
    RC_XW_THIS_WORKBOOK,
    RC_XW_SOURCE,
    RC_XW_PUBLISHED,
    RC_XW_CONTACT,
    RC_XW_REPORT,
    RC_XW_NOTE_NUMBER,
    RC_XW_NOTE_TEXT,
    RC_XW_APPLIES_TO,
    RC_XW_SHEET,
    RC_XW_WHAT_IT_HOLDS,
    RC_XW_HOLDS_FIGURES,
    RC_XW_HOLDS_DATA,
    RC_XW_UNIT_NUMBER, /* "number": the unit of counts in column headers */
    RC_XW_UNIT_PERCENT,
    RC_XW_CONTENTS_TITLE,
    RC_XW_WHAT_NOTES,
    RC_XW_WHAT_SOURCE,
    RC_XW_WHAT_FIELDS,
    RC_XW_GROUP,    /* header of the column naming a figure's panel */
    RC_XW_CATEGORY, /* header of categories when panels differ */
    RC_XW_WHAT_METRICS,
    RC_XW_ROWS,         /* "rows", after a count */
    RC_XW_SHARE_OF,     /* "Share of ", before a plural noun (xlsx_heads.c) */
    RC_XW_ANSWERING,    /* " answering", after one */
    RC_XW_UNIT,         /* header of the key figures' unit column */
    RC_XW_DATA_QUALITY, /* the Data quality sheet (xlsx_quality.c): its name, */
    RC_XW_WHAT_QUALITY, /* what Contents says it holds, */
    RC_XW_Q_FIELD,      /* then its column headers */
    RC_XW_Q_COLUMN,
    RC_XW_Q_TYPE,
    RC_XW_Q_ROWS,
    RC_XW_Q_ANSWERED,
    RC_XW_Q_MISSING,
    RC_XW_Q_UNDECLARED,
    RC_XW_Q_OUT_OF_SCALE,
    RC_XW_Q_LOST_CODE,
    RC_XW_Q_FIRST_UNUSED,
    RC_XW_NOTE_REF, /* "note" in "[note 3]", the Notes sheet's numbers */
    RC_XW_COUNT_WORDS
} rc_xw_wordid;

/* A numbered note of the Notes sheet: its text and the sheet it belongs to. */
typedef struct rc_xw_notetext {
    const char *text, *sheet;
} rc_xw_notetext;

typedef struct rc_xw_fmt {
    const char *numfmt;
    lxw_format *f;
} rc_xw_fmt;

/* The rows of one streamed sheet in the rows file (xlsx_rows.c). */
typedef struct rc_xw_segment {
    unsigned sheet;     /* 1-based: member xl/worksheets/sheetN.xml */
    uint32_t crc;       /* CRC-32 of the XML */
    uint64_t off, clen; /* where its deflated XML is in the file, and its length */
    uint64_t ulen;      /* XML bytes */
} rc_xw_segment;
typedef struct rc_xw_spool rc_xw_spool;

/* An open workbook being written to a private temporary file beside the
 * requested path. */
typedef struct rc_xw {
    rc_arena *a;
    rc_diag *d;
    const rc_locale *loc;
    rc_loc where;       /* where to point diagnostics (the [output] section) */
    const char *file;   /* the path the caller asked for */
    const char *path;   /* the same as the user knows it (for messages) */
    const char *tmp;    /* what libxlsxwriter writes */
    bool direct;        /* tmp is file, the build's temporary (rc_out_tmpfor) */
    const char *tmpdir; /* where temporary files go */
    lxw_workbook *wb;
    lxw_error err;                /* first libxlsxwriter error */
    const char *err_what;         /* what was being written then */
    bool warned_long;             /* a string was cut to 32,767 characters */
    bool abandoned;               /* a problem was reported: close removes the file */
    rc_arena *scratch;            /* for strings cut to fit a cell (NULL = a) */
    RC_VEC(const char *) names;   /* sheet names used so far */
    RC_VEC(rc_xw_fmt) fmts;       /* number formats made so far */
    RC_VEC(const char *) tables;  /* Excel table names used so far */
    RC_VEC(rc_xw_notetext) notes; /* the Notes sheet, numbered from 1 */
    bool cm;                      /* constant-memory mode: no Excel tables */
    bool slab;                    /* its cells and rows from the thread's slab (xlsx_cells.c) */
    rc_xw_spool *spool;           /* cm mode: the data rows reportc writes (xlsx_rows.c) */
    double progress_t0;           /* when rows started (ms), 0 = not yet */
    bool progress_shown;          /* a progress line is on the terminal */
    /* formats */
    lxw_format *bold, *title, *header, *wrap, *pct0, *pct1, *int0, *num2, *url, *small;
} rc_xw;

/* Checks the directory of path, creates the workbook (constant_memory as
 * asked, tmpdir = that directory) and the common formats. On failure
 * reports and returns an error (nothing is created). */
rc_status rc_xw_open(rc_xw *x, rc_arena *a, const rc_doc *doc, const char *path,
                     bool constant_memory, bool zip64, rc_diag *d);
/* rc_xw_open in two steps (xlsx_memo.c replays a workbook's calls between
 * them): the library loaded, the directory checked and the file named
 * (errors reported), then the workbook made (false: the library could not
 * start it; nothing reported). */
rc_status rc_xw_open_file(rc_xw *x, rc_arena *a, const rc_doc *doc, const char *path,
                          bool constant_memory, rc_diag *d);
bool rc_xw_start(rc_xw *x, bool zip64);
/* The same as rc_xw_open with the calling thread's calls going to the
 * recorder (xlsx_record.c): no library, file or directory is touched. */
void rc_xw_open_recorded(rc_xw *x, rc_arena *a, const rc_doc *doc, const char *path,
                         bool constant_memory, bool zip64, rc_diag *d);

/* A workbook's writing (xlsx_memo.c): fill writes everything between the
 * open and the close (it may report, set abandoned and return an error). */
typedef rc_status (*rc_xw_fill_fn)(rc_xw *x, void *arg);
typedef struct rc_xw_job {
    rc_arena *a;
    const rc_doc *doc;
    const char *path;
    bool constant_memory, zip64;
    /* the workbook may come from the last build's (small, every row in
     * memory: fill reads no file but through the calls it makes) */
    bool memo;
    rc_diag *d;
    rc_xw_fill_fn fill;
    void *arg;
} rc_xw_job;
/* Opens, fills and closes the workbook; when job->memo, its calls are
 * first only recorded, and a workbook the last build made from the same
 * calls is written instead of making it again, else the recorded calls are
 * replayed into the library (xlsx_memo.c says how). */
rc_status rc_xw_write(const rc_xw_job *job);
/* What the calling thread's last rc_xw_write did: 1 the workbook came from
 * the memo, 0 it was made (and kept when it could be), -1 no memo was
 * used (tests). */
int rc_xw_memo_last(void);

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

/* s cut to Excel's 32,767 characters (warned once per workbook). */
const char *rc_xw_fit_string(rc_xw *x, const char *s);

/* xlsx_rows.c: in constant-memory mode the data rows of the source sheets
 * are written by reportc (not libxlsxwriter) into a temporary file in dir,
 * one deflated segment per sheet, and spliced into the workbook once
 * libxlsxwriter has closed it (xlsx_zip.c). rc_xw_rows_begin starts the
 * rows of worksheet number sheet (1-based, its header row written through
 * libxlsxwriter); cells then come row by row, columns increasing, rows from
 * 1; NaN/inf and NULL/"" write nothing, as rc_xw_num/rc_xw_str. */
rc_status rc_xw_rows_open(rc_xw *x, const char *dir);
void rc_xw_rows_begin(rc_xw *x, unsigned sheet, uint32_t ncols);
void rc_xw_rows_num(rc_xw *x, uint32_t r, uint32_t c, double v);
void rc_xw_rows_str(rc_xw *x, uint32_t r, uint32_t c, const char *s);
void rc_xw_rows_end(rc_xw *x);
/* After workbook_close: replaces x->tmp by the workbook with the rows
 * (RC_ERR_IO with errno on failure). */
rc_status rc_xw_rows_splice(rc_xw *x);
void rc_xw_rows_free(rc_xw *x);
void rc_xw_col_name(uint32_t c, char out[4]); /* 0 -> "A", 16383 -> "XFD" */
/* v as libxlsxwriter's "%.16G" prints a cell's number, NUL-terminated at
 * out; returns the length. */
size_t rc_xw_num_text(double v, char out[40]);
rc_status rc_xw_zip_splice(rc_xw *x, const rc_xw_segment *segs, size_t nsegs, int fd);

/* xlsx_cells.c: the cells and rows libxlsxwriter makes on this thread come
 * from its slab between rc_xw_cells_begin and the matching rc_xw_cells_end
 * (calls nest; the slab is given back by the last end, which must come
 * after workbook_close has freed the workbook). */
void rc_xw_cells_begin(void);
void rc_xw_cells_end(void);
/* The blocks the calling thread's slab holds (0 once given back; tests). */
size_t rc_xw_cells_blocks(void);
/* Whether the calling thread is between rc_xw_cells_begin and its end. */
bool rc_xw_cells_active(void);
/* xlsx_xml.c: the calling thread's hash index of shared strings, used
 * while rc_xw_cells_active, given back (rc_xw_cells_end calls this); and
 * how many lookups it answered in the process (tests). */
void rc_xw_sst_forget(void);
size_t rc_xw_sst_index_hits(void);

/* xlsx_deflate.c: the bytes of a member gathered for libdeflate on the
 * calling thread before it is deflated as it comes by zlib instead (0: the
 * default, 64 MiB); for tests of both paths. */
void rc_xw_deflate_cap(size_t cap);
/* Whether the calling thread set a cap (its workbooks' bytes differ). */
bool rc_xw_deflate_cap_set(void);

/* xlsx_heads.c: what the numbers of a figure's table count, from the
 * definitions: the rows of the panels' aggregates' source, named by its key
 * field's label in the plural ("Respondents"), or the values of a distinct
 * count's field ("Regions", the words the panels' fields share); NULL when
 * the definitions do not say (no key, another kind of aggregate). */
const char *rc_xw_counted(rc_xw *x, const rc_agg *const *g, size_t n);
/* Headers of what and in which unit: "Share of respondents (%)",
 * "Share of respondents: Relevant (%)" (detail), "Respondents (number)",
 * "Respondents answering (number)"; generic words when counted is NULL. */
const char *rc_xw_head_share(rc_xw *x, const char *counted, const char *detail);
const char *rc_xw_head_count(rc_xw *x, const char *counted, const char *detail);
const char *rc_xw_head_answered(rc_xw *x, const char *counted);

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

/* xlsx_sheets.c: the sheets and habits both workbooks share. */
const char *rc_xw_word(const rc_xw *x, rc_xw_wordid w);
/* A valid, unique Excel table name made from want ("motivation"). */
const char *rc_xw_table_name(rc_xw *x, const char *want);
/* An Excel table named from name over the header row first to row last,
 * columns 0..ncols-1 (headers made unique and non-empty). */
void rc_xw_table(rc_xw *x, lxw_worksheet *ws, uint32_t first, uint32_t last, uint32_t ncols,
                 const char *const *head, const char *name);
/* A4, one page wide, header_row (>= 0) repeated, landscape when wide. */
void rc_xw_print(rc_xw *x, lxw_worksheet *ws, int header_row, double total_width);
const char *rc_xw_sheet_link(rc_xw *x, const char *sheet);
/* Progress of a long data workbook on a terminal: "writing survey: 120,000
 * of 1,000,000 rows (12%)", redrawn in place, shown once writing has taken
 * more than a second and only when stderr is a terminal (or RC_PROGRESS=1
 * asks for it), so CI logs stay clean. */
void rc_xw_progress(rc_xw *x, const char *what, size_t done, size_t total);
void rc_xw_progress_end(rc_xw *x);
/* Adds a numbered note (text, on sheet); returns its number. */
int rc_xw_note(rc_xw *x, const char *text, const char *sheet);
void rc_xlsx_notes_sheet(rc_xw *x, lxw_worksheet *ws);
/* The Cover sheet: title, what the workbook holds, source, publication
 * date, contact, the report, generation time, reportc version and the
 * SHA-256 of every input. */
void rc_xlsx_cover_sheet(rc_xw *x, lxw_worksheet *ws, const rc_doc *doc, int64_t epoch,
                         bool data_workbook);
/* A Contents sheet listing sheets with links and what each holds. */
void rc_xlsx_contents_rows(rc_xw *x, lxw_worksheet *ws, const char *const *sheets,
                           const char *const *what, size_t n);

/* ---- libxlsxwriter's functions interposed (xlsx_tmpfile.c, xlsx_deflate.c,
 * xlsx_xml.c) ----
 * reportc defines some of the library's exported functions; the library's
 * own are found with dlsym on its handle (xlsx_lib.c) for a thread that
 * asks for them. */

/* The library's function NAME into *fn (size bytes: a function pointer;
 * POSIX's way to turn dlsym's object pointer into one without a cast that
 * ISO C forbids). */
void rc_xw_find_real(const char *name, void *fn, size_t size);
/* rc_xw_find_real of the function pointer lvalue fn. */
#define RC_XW_FIND_REAL(name, fn) rc_xw_find_real(name, &(fn), sizeof(fn))

/* A seekable file held in memory (the temporary files of xlsx_tmpfile.c,
 * the zip and a member's gathered bytes in xlsx_deflate.c): bytes at pos,
 * a hole past len read as zeros, like a file's. */
typedef struct rc_xw_mem {
    unsigned char *buf;
    size_t len, cap, pos;
} rc_xw_mem;
/* Writes n bytes at m->pos (the buffer grown by doubling from first_cap);
 * false with errno (EFBIG, ENOMEM) if it cannot. */
bool rc_xw_mem_write(rc_xw_mem *m, const void *in, size_t n, size_t first_cap);
/* Reads up to n bytes from m->pos; returns how many. */
size_t rc_xw_mem_read(rc_xw_mem *m, void *out, size_t n);

/* Defines an interposer's per-thread switch and its counter: OFF (the
 * calling thread asked for the library's own code), COUNT (what the
 * interposer did, all threads), SWITCH_FN(bool on) (sets the thread's
 * choice, returns the previous one) and COUNT_FN(void). */
#define RC_XW_INTERPOSER(OFF, COUNT, SWITCH_FN, COUNT_FN)                                          \
    static _Thread_local bool OFF;                                                                 \
    static _Atomic size_t COUNT;                                                                   \
    bool SWITCH_FN(bool on)                                                                        \
    {                                                                                              \
        bool old = !OFF;                                                                           \
        OFF = !on;                                                                                 \
        return old;                                                                                \
    }                                                                                              \
    size_t COUNT_FN(void)                                                                          \
    {                                                                                              \
        return atomic_load(&COUNT);                                                                \
    }

#endif
