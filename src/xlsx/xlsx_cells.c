/* xlsx_cells: the cells and rows of a sheet libxlsxwriter holds in memory,
 * taken from a per-thread slab and given back all at once.
 *
 * Why: libxlsxwriter 1.1.4 makes every number and string cell and every
 * row with calloc (glibc's calloc never takes the per-thread cache, so each
 * is a trip through _int_malloc and a memset), and frees them one by one
 * when the workbook is freed, taking each cell out of its row's red-black
 * tree first (RB_REMOVE rebalances the tree it is about to throw away).
 * For one edition of the sample (4,200 cells, 1,400 rows in the two
 * workbooks) that was 1.3 M instructions making them and 1.7 M freeing
 * the workbooks, paid again by every edition; the slab took 2.3 M off the
 * 42.2 M of a one-edition `--only xlsx` (callgrind). Its options do not
 * change how it holds cells.
 *
 * How: reportc defines the exported functions of its worksheet.c that make
 * and free them (_new_number_cell, _new_string_cell, _new_row, _free_cell,
 * _free_row: the library calls them through its PLT, as xlsx_tmpfile.c
 * explains for lxw_tmpfile). While the calling thread has a workbook open
 * that is not in constant-memory mode (rc_xw_cells_begin, from rc_xw_open),
 * new cells and rows are cut from blocks of this thread's slab, set as the
 * library sets them; freeing one is a no-op (what a number or string cell
 * could own is still freed, as the library's _free_cell does), and a row of
 * the slab drops its cells without rebalancing its tree. The blocks go back
 * to malloc when the thread's last such workbook has been freed
 * (rc_xw_cells_end, from rc_xw_close after workbook_close). Anything made
 * by the library itself (blank, link and formula cells, or cells made while
 * no workbook of the thread used the slab) is freed by the library's own
 * functions: an address is the slab's only if it lies in one of the
 * thread's blocks. Constant-memory sheets free each row's cells as soon as
 * they are written, so they keep the library's allocation (their rows are
 * written by xlsx_rows.c anyway). test_xlsx_cells writes workbooks both
 * ways and compares them; the ASan build checks nothing is lost or freed
 * twice. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xlsx_int.h"

RC_XW_INTERPOSER(off, made, rc_xlsx_cell_slab, rc_xlsx_cell_slab_made)

typedef lxw_row *(*new_row_fn)(lxw_row_t);
typedef lxw_cell *(*new_number_fn)(lxw_row_t, lxw_col_t, double, lxw_format *);
typedef lxw_cell *(*new_string_fn)(lxw_row_t, lxw_col_t, int32_t, char *, lxw_format *);
typedef void (*free_row_fn)(lxw_row *);
typedef void (*free_cell_fn)(lxw_cell *);
typedef void (*free_vml_fn)(lxw_vml_obj *);

static struct {
    new_row_fn new_row;
    new_number_fn new_number;
    new_string_fn new_string;
    free_row_fn free_row;
    free_cell_fn free_cell;
    free_vml_fn free_vml;
} lib;
static pthread_once_t lib_once = PTHREAD_ONCE_INIT;

static void find_lib(void)
{
    RC_XW_FIND_REAL("_new_row", lib.new_row);
    RC_XW_FIND_REAL("_new_number_cell", lib.new_number);
    RC_XW_FIND_REAL("_new_string_cell", lib.new_string);
    RC_XW_FIND_REAL("_free_row", lib.free_row);
    RC_XW_FIND_REAL("_free_cell", lib.free_cell);
    RC_XW_FIND_REAL("_free_vml_object", lib.free_vml);
}

#define LIB() (pthread_once(&lib_once, find_lib), &lib)

/* Blocks double from 64 KiB to 32 MiB, then stay at 32 MiB: a workbook
 * held in memory (up to about 1,000,000 cells, 100 MB) takes a dozen, so
 * the test of an address against them stays short. Past MAX_BLOCKS the
 * library's calloc takes over. */
#define FIRST_BLOCK ((size_t)64 << 10)
#define MAX_SHIFT 9
#define MAX_BLOCKS 64

typedef struct block {
    uintptr_t base;
    size_t size;
} block;

static _Thread_local struct {
    unsigned users; /* workbooks of this thread using the slab */
    size_t made;    /* cells and rows cut since the last count */
    unsigned char *cur, *end;
    block blocks[MAX_BLOCKS];
    size_t n;
} slab;

/* The libraries' headers give these types; their size is what is cut. */
typedef struct row_and_cells {
    lxw_row row;
    struct lxw_table_cells cells;
} row_and_cells;

void rc_xw_cells_begin(void)
{
    slab.users++;
}

bool rc_xw_cells_active(void)
{
    return slab.users > 0;
}

void rc_xw_cells_end(void)
{
    atomic_fetch_add_explicit(&made, slab.made, memory_order_relaxed);
    slab.made = 0;
    if (!slab.users || --slab.users) return;
    rc_xw_sst_forget(); /* the thread's index of shared strings (xlsx_xml.c) */
    for (size_t i = 0; i < slab.n; i++)
        free((void *)slab.blocks[i].base);
    slab.n = 0;
    slab.cur = slab.end = NULL;
}

size_t rc_xw_cells_blocks(void)
{
    return slab.n;
}

/* n bytes (a multiple of 16), zeroed, from the slab; NULL when the thread
 * has none open or it cannot grow. */
static void *cut(size_t n)
{
    if (off || !slab.users) return NULL;
    if ((size_t)(slab.end - slab.cur) < n) {
        if (slab.n == MAX_BLOCKS) return NULL;
        size_t size = FIRST_BLOCK << (slab.n < MAX_SHIFT ? slab.n : MAX_SHIFT);
        unsigned char *b = malloc(size); /* malloc's alignment: 16 */
        if (!b) return NULL;
        slab.blocks[slab.n++] = (block){(uintptr_t)b, size};
        slab.cur = b;
        slab.end = b + size;
    }
    void *p = slab.cur;
    slab.cur += n;
    memset(p, 0, n);
    slab.made++; /* added to the process's count when the slab goes */
    return p;
}

#define ROUND16(n) (((n) + 15) & ~(size_t)15)

/* Whether p was cut from this thread's slab (newest, largest block first). */
static bool in_slab(const void *p)
{
    uintptr_t a = (uintptr_t)p;
    for (size_t i = slab.n; i-- > 0;)
        if (a - slab.blocks[i].base < slab.blocks[i].size) return true;
    return false;
}

/* As the library's (worksheet.c), from the slab. */
lxw_row *_new_row(lxw_row_t row_num);
lxw_cell *_new_number_cell(lxw_row_t row_num, lxw_col_t col_num, double value, lxw_format *format);
lxw_cell *_new_string_cell(lxw_row_t row_num, lxw_col_t col_num, int32_t string_id,
                           char *sst_string, lxw_format *format);
void _free_row(lxw_row *row);
void _free_cell(lxw_cell *cell);

lxw_row *_new_row(lxw_row_t row_num)
{
    row_and_cells *rc = cut(ROUND16(sizeof *rc));
    if (!rc) return LIB()->new_row(row_num);
    rc->row.row_num = row_num;
    rc->row.cells = &rc->cells;
    rc->row.height = LXW_DEF_ROW_HEIGHT;
    RB_INIT(rc->row.cells);
    return &rc->row;
}

lxw_cell *_new_number_cell(lxw_row_t row_num, lxw_col_t col_num, double value, lxw_format *format)
{
    lxw_cell *cell = cut(ROUND16(sizeof *cell));
    if (!cell) return LIB()->new_number(row_num, col_num, value, format);
    cell->row_num = row_num;
    cell->col_num = col_num;
    cell->type = NUMBER_CELL;
    cell->format = format;
    cell->u.number = value;
    return cell;
}

lxw_cell *_new_string_cell(lxw_row_t row_num, lxw_col_t col_num, int32_t string_id,
                           char *sst_string, lxw_format *format)
{
    lxw_cell *cell = cut(ROUND16(sizeof *cell));
    if (!cell) return LIB()->new_string(row_num, col_num, string_id, sst_string, format);
    cell->row_num = row_num;
    cell->col_num = col_num;
    cell->type = STRING_CELL;
    cell->format = format;
    cell->u.string_id = string_id;
    cell->sst_string = sst_string;
    return cell;
}

void _free_cell(lxw_cell *cell)
{
    if (!cell) return;
    if (!in_slab(cell)) {
        LIB()->free_cell(cell);
        return;
    }
    /* what the library's frees before the cell itself (nothing, for the
     * number and string cells cut here) */
    if (cell->type != NUMBER_CELL && cell->type != STRING_CELL && cell->type != BLANK_CELL &&
        cell->type != BOOLEAN_CELL)
        free(cell->u.string);
    if (cell->user_data1) free(cell->user_data1);
    if (cell->user_data2) free(cell->user_data2);
    if (cell->comment) LIB()->free_vml(cell->comment);
}

/* The cells of a row's tree, each once, in any order, without taking them
 * out of the tree (it goes with the row). A red-black tree of at most
 * 16,384 cells is at most 28 deep, and the stack holds at most one waiting
 * subtree per level; were it full, a subtree is freed by recursion. */
static void free_cells(lxw_cell *root)
{
    lxw_cell *stack[64];
    size_t n = 0;
    if (root) stack[n++] = root;
    while (n) {
        lxw_cell *c = stack[--n];
        lxw_cell *kids[2] = {RB_LEFT(c, tree_pointers), RB_RIGHT(c, tree_pointers)};
        for (int k = 0; k < 2; k++) {
            if (!kids[k]) continue;
            if (n < sizeof stack / sizeof stack[0])
                stack[n++] = kids[k];
            else
                free_cells(kids[k]);
        }
        _free_cell(c);
    }
}

void _free_row(lxw_row *row)
{
    if (!row) return;
    if (!in_slab(row)) {
        LIB()->free_row(row);
        return;
    }
    free_cells(RB_ROOT(row->cells));
    if (!in_slab(row->cells)) free(row->cells);
}
