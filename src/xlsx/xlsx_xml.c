/* xlsx_xml: libxlsxwriter's XML writer without printf.
 *
 * Why: libxlsxwriter 1.1.4 writes every tag of a workbook's XML with
 * fprintf ("<%s", " %s=", "\"%s\"", "</%s>": each call a format parsed and
 * a stream locked), and makes every attribute with two strncpy that pad
 * its 2,080-byte fields with zeros (and snprintf "%d" for numbers). For the
 * sample's two workbooks that was 13 M of the 110 M instructions of
 * `--only xlsx`, after the deflating (xlsx_deflate.c). Its options do not
 * change how it writes XML.
 *
 * How: reportc defines the exported functions of its xmlwriter.c (which
 * libxlsxwriter calls through its PLT, as xlsx_tmpfile.c explains for
 * lxw_tmpfile) with the same output, byte for byte: the tags as above; in
 * an attribute's value & < > " and a newline escaped as &amp; &lt; &gt;
 * &quot; &#xA;, in an element's text & < > only (read off its 1.1.4
 * machine code; the _unencoded forms and <si> escape nothing). A stream
 * here is one part's temporary file, written by one thread, so the
 * unlocked stdio calls are safe. lxw_new_attribute_dbl prints its number
 * as the library's "%.16G" does, with rc_fmt_g (rc/numfmt.h: the same
 * bytes as glibc's, without printf: 388 numbers of an edition, widths and
 * margins, were 1 M instructions through snprintf). The cell names and the
 * number and string cells of sheets held in memory are written here too
 * (below). test_xlsx_xml writes both workbooks both ways (rc_xlsx_own_xml)
 * and compares every member. */
#define _GNU_SOURCE /* fwrite_unlocked */
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xlsxwriter/shared_strings.h>
#include <xlsxwriter/xmlwriter.h>

#include "rc/numfmt.h"
#include "rc/util.h"
#include "xlsx_int.h"
#include "xlsx_xmlw.h"

RC_XW_INTERPOSER(off, tags, rc_xlsx_own_xml, rc_xlsx_own_xml_tags)

/* libxlsxwriter's own functions, for a thread that asked for them. */
typedef void (*tag_fn)(FILE *, const char *, struct xml_attribute_list *);
typedef void (*end_fn)(FILE *, const char *);
typedef void (*data_fn)(FILE *, const char *, const char *, struct xml_attribute_list *);
typedef void (*decl_fn)(FILE *);
typedef void (*attrs_fn)(FILE *, struct xml_attribute_list *);
typedef void (*text_fn)(FILE *, const char *);
typedef struct xml_attribute *(*new_str_fn)(const char *, const char *);
typedef struct xml_attribute *(*new_int_fn)(const char *, uint32_t);
typedef struct xml_attribute *(*new_dbl_fn)(const char *, double);
typedef char *(*escape_ctl_fn)(const char *);
typedef struct sst_element *(*sst_index_fn)(lxw_sst *, const char *, uint8_t);
typedef void (*sst_free_fn)(lxw_sst *);
typedef size_t (*utf8_len_fn)(const char *);
typedef void (*rowcol_fn)(char *, lxw_row_t, lxw_col_t);
typedef void (*cell_fn)(lxw_worksheet *, char *, int32_t, lxw_cell *);

static struct {
    decl_fn declaration;
    tag_fn start, start_unencoded, empty, empty_unencoded;
    end_fn end;
    data_fn data;
    attrs_fn attrs;
    text_fn text, si;
    new_str_fn new_str;
    new_int_fn new_int;
    new_dbl_fn new_dbl;
    escape_ctl_fn escape_ctl;
    sst_index_fn sst_index;
    sst_free_fn sst_free;
    utf8_len_fn utf8_len;
    rowcol_fn rowcol;
    cell_fn number_cell, string_cell;
} lib;
static pthread_once_t lib_once = PTHREAD_ONCE_INIT;

static void find_lib(void)
{
    RC_XW_FIND_REAL("lxw_xml_declaration", lib.declaration);
    RC_XW_FIND_REAL("lxw_xml_start_tag", lib.start);
    RC_XW_FIND_REAL("lxw_xml_start_tag_unencoded", lib.start_unencoded);
    RC_XW_FIND_REAL("lxw_xml_empty_tag", lib.empty);
    RC_XW_FIND_REAL("lxw_xml_empty_tag_unencoded", lib.empty_unencoded);
    RC_XW_FIND_REAL("lxw_xml_end_tag", lib.end);
    RC_XW_FIND_REAL("lxw_xml_data_element", lib.data);
    RC_XW_FIND_REAL("_fprint_escaped_attributes", lib.attrs);
    RC_XW_FIND_REAL("_fprint_escaped_data", lib.text);
    RC_XW_FIND_REAL("lxw_xml_rich_si_element", lib.si);
    RC_XW_FIND_REAL("lxw_new_attribute_str", lib.new_str);
    RC_XW_FIND_REAL("lxw_new_attribute_int", lib.new_int);
    RC_XW_FIND_REAL("lxw_new_attribute_dbl", lib.new_dbl);
    RC_XW_FIND_REAL("lxw_escape_control_characters", lib.escape_ctl);
    RC_XW_FIND_REAL("lxw_get_sst_index", lib.sst_index);
    RC_XW_FIND_REAL("lxw_sst_free", lib.sst_free);
    RC_XW_FIND_REAL("lxw_utf8_strlen", lib.utf8_len);
    RC_XW_FIND_REAL("lxw_rowcol_to_cell", lib.rowcol);
    RC_XW_FIND_REAL("_write_number_cell", lib.number_cell);
    RC_XW_FIND_REAL("_write_string_cell", lib.string_cell);
}

/* The library's function f when this thread asked for it (and it exists). */
#define LIB(f) (off && (pthread_once(&lib_once, find_lib), lib.f))

void rc_xw_xml_escaped(FILE *f, const char *s, bool attr)
{
    const char *stop = attr ? "&<>\"\n" : "&<>";
    for (;;) {
        size_t k = strcspn(s, stop);
        if (k) put(f, s, k);
        s += k;
        switch (*s++) {
        case 0:
            return;
        case '&':
            puts_(f, "&amp;");
            break;
        case '<':
            puts_(f, "&lt;");
            break;
        case '>':
            puts_(f, "&gt;");
            break;
        case '"':
            puts_(f, "&quot;");
            break;
        default: /* '\n' */
            puts_(f, "&#xA;");
            break;
        }
    }
}

static void attributes(FILE *f, struct xml_attribute_list *l, bool escape)
{
    if (!l) return;
    struct xml_attribute *a;
    STAILQ_FOREACH(a, l, list_entries)
    {
        putc_unlocked(' ', f);
        puts_(f, a->key);
        puts_(f, "=\"");
        if (escape)
            rc_xw_xml_escaped(f, a->value, true);
        else
            puts_(f, a->value);
        putc_unlocked('"', f);
    }
}

void rc_xw_xml_start(FILE *f, const char *tag)
{
    atomic_fetch_add_explicit(&tags, 1, memory_order_relaxed);
    putc_unlocked('<', f);
    puts_(f, tag);
}

bool rc_xw_xml_lib(void)
{
    return off;
}

static void open_tag(FILE *f, const char *tag, struct xml_attribute_list *l, bool escape)
{
    rc_xw_xml_start(f, tag);
    attributes(f, l, escape);
}

void lxw_xml_declaration(FILE *xmlfile)
{
    if (LIB(declaration)) {
        lib.declaration(xmlfile);
        return;
    }
    puts_(xmlfile, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n");
}

void lxw_xml_start_tag(FILE *xmlfile, const char *tag, struct xml_attribute_list *attributes)
{
    if (LIB(start)) {
        lib.start(xmlfile, tag, attributes);
        return;
    }
    open_tag(xmlfile, tag, attributes, true);
    putc_unlocked('>', xmlfile);
}

void lxw_xml_start_tag_unencoded(FILE *xmlfile, const char *tag,
                                 struct xml_attribute_list *attributes)
{
    if (LIB(start_unencoded)) {
        lib.start_unencoded(xmlfile, tag, attributes);
        return;
    }
    open_tag(xmlfile, tag, attributes, false);
    putc_unlocked('>', xmlfile);
}

void lxw_xml_end_tag(FILE *xmlfile, const char *tag)
{
    if (LIB(end)) {
        lib.end(xmlfile, tag);
        return;
    }
    puts_(xmlfile, "</");
    puts_(xmlfile, tag);
    putc_unlocked('>', xmlfile);
}

void lxw_xml_empty_tag(FILE *xmlfile, const char *tag, struct xml_attribute_list *attributes)
{
    if (LIB(empty)) {
        lib.empty(xmlfile, tag, attributes);
        return;
    }
    open_tag(xmlfile, tag, attributes, true);
    puts_(xmlfile, "/>");
}

void lxw_xml_empty_tag_unencoded(FILE *xmlfile, const char *tag,
                                 struct xml_attribute_list *attributes)
{
    if (LIB(empty_unencoded)) {
        lib.empty_unencoded(xmlfile, tag, attributes);
        return;
    }
    open_tag(xmlfile, tag, attributes, false);
    puts_(xmlfile, "/>");
}

void lxw_xml_data_element(FILE *xmlfile, const char *tag, const char *data,
                          struct xml_attribute_list *attributes)
{
    if (LIB(data)) {
        lib.data(xmlfile, tag, data, attributes);
        return;
    }
    open_tag(xmlfile, tag, attributes, true);
    putc_unlocked('>', xmlfile);
    rc_xw_xml_escaped(xmlfile, data, false);
    lxw_xml_end_tag(xmlfile, tag);
}

void lxw_xml_rich_si_element(FILE *xmlfile, const char *string)
{
    if (LIB(si)) {
        lib.si(xmlfile, string);
        return;
    }
    puts_(xmlfile, "<si>");
    puts_(xmlfile, string);
    puts_(xmlfile, "</si>");
}

/* Not in its headers, but exported and called through the PLT by the
 * library's other writers. */
void _fprint_escaped_attributes(FILE *xmlfile, struct xml_attribute_list *attributes);
void _fprint_escaped_data(FILE *xmlfile, const char *data);

void _fprint_escaped_attributes(FILE *xmlfile, struct xml_attribute_list *l)
{
    if (LIB(attrs)) {
        lib.attrs(xmlfile, l);
        return;
    }
    attributes(xmlfile, l, true);
}

void _fprint_escaped_data(FILE *xmlfile, const char *data)
{
    if (LIB(text)) {
        lib.text(xmlfile, data);
        return;
    }
    rc_xw_xml_escaped(xmlfile, data, false);
}

struct xml_attribute *lxw_new_attribute_str(const char *key, const char *value)
{
    if (LIB(new_str)) return lib.new_str(key, value);
    struct xml_attribute *a = malloc(sizeof *a);
    if (!a) return NULL;
    copy_field(a->key, key);
    copy_field(a->value, value);
    return a;
}

struct xml_attribute *lxw_new_attribute_int(const char *key, uint32_t value)
{
    if (LIB(new_int)) return lib.new_int(key, value);
    struct xml_attribute *a = malloc(sizeof *a);
    if (!a) return NULL;
    copy_field(a->key, key);
    /* "%d" of the uint32_t, as the library prints it: above INT32_MAX it
     * comes out negative */
    int_text(a->value, (int32_t)value);
    return a;
}

struct xml_attribute *lxw_new_attribute_dbl(const char *key, double value)
{
    if (LIB(new_dbl)) return lib.new_dbl(key, value);
    struct xml_attribute *a = malloc(sizeof *a);
    if (!a) return NULL;
    copy_field(a->key, key);
    char num[RC_FMT_CAP];
    rc_fmt_g(value, 16, true, num);
    /* lxw_sprintf_dbl's snprintf into LXW_ATTR_32 bytes (a %.16G is at
     * most 23) */
    size_t n = strnlen(num, LXW_ATTR_32 - 1);
    memcpy(a->value, num, n);
    a->value[n] = 0;
    return a;
}

/* A control character Excel wants as _xHHHH_: 1-8 and 11-31 (tab and
 * newline stay). */
static bool ctl_char(unsigned char c)
{
    return c >= 1 && c < 32 && c != 9 && c != 10;
}

/* The shared strings (and strings of cells) with their control characters
 * as _x0001_: the library's calloc of seven bytes per byte, cleared, and
 * its copy byte by byte, for every string of a workbook (2,900 for three
 * editions, 1.9 M instructions) where nearly none has one. The caller
 * frees the copy. */
char *lxw_escape_control_characters(const char *string)
{
    if (LIB(escape_ctl)) return lib.escape_ctl(string);
    size_t n = strlen(string), ctl = 0;
    for (size_t i = 0; i < n; i++)
        ctl += ctl_char((unsigned char)string[i]);
    char *out = malloc(n + 6 * ctl + 1);
    if (!out) return NULL;
    if (!ctl) {
        memcpy(out, string, n + 1);
        return out;
    }
    static const char hex[] = "0123456789ABCDEF";
    char *o = out;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)string[i];
        if (!ctl_char(c)) {
            *o++ = (char)c;
            continue;
        }
        memcpy(o, "_x00", 4);
        o[4] = hex[c >> 4];
        o[5] = hex[c & 15];
        o[6] = '_';
        o += 7;
    }
    *o = 0;
    return out;
}

/* The characters of a string as the library counts them (every byte that
 * is not 10xxxxxx), for the check of every string cell against Excel's
 * 32,767: its loop took 8 instructions a byte (1.6 M for three editions);
 * eight bytes at a time here. */
size_t lxw_utf8_strlen(const char *str)
{
    if (LIB(utf8_len)) return lib.utf8_len(str);
    size_t n = strlen(str), cont = 0, i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, str + i, 8);
        /* the top bit of each 10xxxxxx byte, summed by a multiply (the
         * build has no popcnt instruction: __builtin_popcountll was a call
         * into libgcc) */
        uint64_t m = (w & ~(w << 1) & 0x8080808080808080u) >> 7;
        cont += (size_t)((m * 0x0101010101010101u) >> 56);
    }
    for (; i < n; i++)
        cont += ((unsigned char)str[i] & 0xC0) == 0x80;
    return n - cont;
}

/* ---- the shared strings table ---- */

/* The library's comparator (shared_strings.c: strcmp of the strings) and
 * its red-black tree insertion, generated here from its own tree.h macros
 * for its own element type. */
static int element_cmp(struct sst_element *a, struct sst_element *b)
{
    return strcmp(a->string, b->string);
}
LXW_RB_GENERATE_ELEMENT(sst_rb_tree, sst_element, sst_tree_pointers, element_cmp);

/* A string cell's index in the shared strings table: the library makes a
 * new element (calloc, strdup) for every string, inserts it and frees it
 * again when the string is there already, as most are (the data workbook's
 * columns of labels): 840 instructions a string, 8,200 strings for three
 * editions. Here the tree is searched first and an element made only for
 * a new string; the counts, the index, the order list (what the library
 * writes and frees the table by) are the library's.
 *
 * While the calling thread writes a workbook held in memory
 * (rc_xw_cells_begin, xlsx_cells.c), a hash index of the table's elements
 * answers first: the tree's search took 11 strcmp a string (1,000
 * strings, 2,700 cells an edition: 1.1 M instructions). The tree is still
 * kept (the library's own function searches it). The index is the
 * thread's, for one table at a time, and forgotten when any table is freed
 * (lxw_sst_free below) or the table changes; a miss is final only when it
 * holds every element of the table (all made here since it began),
 * otherwise the tree is searched too. */
typedef struct sst_slot {
    uint64_t h;
    struct sst_element *e;
} sst_slot;
static _Thread_local struct {
    const lxw_sst *sst; /* the table indexed */
    size_t gen;         /* sst_gen when it began */
    sst_slot *v;
    size_t cap, n; /* slots (a power of two), elements indexed */
} idx;
static _Atomic size_t sst_gen; /* tables freed in the process */
static _Atomic size_t sst_hits;

void rc_xw_sst_forget(void)
{
    free(idx.v);
    memset(&idx, 0, sizeof idx);
}

size_t rc_xw_sst_index_hits(void)
{
    return atomic_load(&sst_hits);
}

static uint64_t str_hash(const char *s, size_t n)
{
    uint64_t h = 0x9E3779B97F4A7C15u ^ n;
    for (; n >= 8; s += 8, n -= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = (h ^ w) * 0xFF51AFD7ED558CCDu;
        h ^= h >> 32;
    }
    uint64_t w = 0;
    memcpy(&w, s, n);
    h = (h ^ w) * 0xC4CEB9FE1A85EC53u;
    return h ^ (h >> 29);
}

static void idx_put(uint64_t h, struct sst_element *e)
{
    if ((idx.n + 1) * 2 > idx.cap) { /* grow (and rehash) */
        size_t cap = idx.cap ? idx.cap * 2 : 256;
        sst_slot *v = calloc(cap, sizeof *v);
        if (!v) { /* no index: searches go to the tree */
            rc_xw_sst_forget();
            return;
        }
        for (size_t i = 0; i < idx.cap; i++)
            if (idx.v[i].e) {
                size_t j = idx.v[i].h & (cap - 1);
                while (v[j].e)
                    j = (j + 1) & (cap - 1);
                v[j] = idx.v[i];
            }
        free(idx.v);
        idx.v = v;
        idx.cap = cap;
    }
    size_t j = h & (idx.cap - 1);
    while (idx.v[j].e)
        j = (j + 1) & (idx.cap - 1);
    idx.v[j] = (sst_slot){h, e};
    idx.n++;
}

struct sst_element *lxw_get_sst_index(lxw_sst *sst, const char *string, uint8_t is_rich_string)
{
    if (LIB(sst_index)) return lib.sst_index(sst, string, is_rich_string);
    size_t n = strlen(string);
    bool indexed = rc_xw_cells_active();
    uint64_t h = 0;
    if (indexed) {
        size_t g = atomic_load_explicit(&sst_gen, memory_order_acquire);
        if (idx.sst != sst || idx.gen != g) {
            if (idx.v) memset(idx.v, 0, idx.cap * sizeof *idx.v);
            idx.sst = sst;
            idx.gen = g;
            idx.n = 0;
        }
        h = str_hash(string, n);
        for (size_t j = idx.cap ? h & (idx.cap - 1) : 0; idx.cap && idx.v[j].e;
             j = (j + 1) & (idx.cap - 1))
            if (idx.v[j].h == h && strcmp(idx.v[j].e->string, string) == 0) {
                atomic_fetch_add_explicit(&sst_hits, 1, memory_order_relaxed);
                sst->string_count++;
                return idx.v[j].e;
            }
    }
    if (!indexed || idx.n != sst->unique_count) /* the index may not hold it */
        for (struct sst_element *e = RB_ROOT(sst->rb_tree); e;) {
            int c = strcmp(string, e->string);
            if (c == 0) {
                if (indexed) idx_put(h, e);
                sst->string_count++;
                return e;
            }
            e = c < 0 ? RB_LEFT(e, sst_tree_pointers) : RB_RIGHT(e, sst_tree_pointers);
        }
    struct sst_element *e = calloc(1, sizeof *e);
    if (!e) return NULL;
    e->string = malloc(n + 1);
    if (!e->string) {
        free(e);
        return NULL;
    }
    memcpy(e->string, string, n + 1);
    e->index = sst->unique_count;
    e->is_rich_string = is_rich_string;
    RB_INSERT(sst_rb_tree, sst->rb_tree, e); /* new: inserted */
    STAILQ_INSERT_TAIL(sst->order_list, e, sst_order_pointers);
    sst->string_count++;
    sst->unique_count++;
    if (indexed) idx_put(h, e);
    return e;
}

/* The library's, after making every thread's index of a table forget it
 * (a new table may come at the same address). */
void lxw_sst_free(lxw_sst *sst)
{
    atomic_fetch_add_explicit(&sst_gen, 1, memory_order_release);
    pthread_once(&lib_once, find_lib);
    if (lib.sst_free) lib.sst_free(sst);
}

/* "A1" from (0, 0): every cell's r="..." (the library's utility.c: the
 * column's letters, then snprintf "%d" of the row + 1). Within Excel's
 * grid (1,048,576 rows, 16,384 columns), where the library is ever asked;
 * outside it the library's own. */
void lxw_rowcol_to_cell(char *cell_name, lxw_row_t row, lxw_col_t col)
{
    if (LIB(rowcol) || row >= 1048576u || col >= 16384u) {
        pthread_once(&lib_once, find_lib);
        if (lib.rowcol) {
            lib.rowcol(cell_name, row, col);
            return;
        }
    }
    rc_xw_col_name(col, cell_name);
    size_t n = strlen(cell_name);
    n += rc_utoa((uint64_t)row + 1, cell_name + n);
    cell_name[n] = 0;
}

/* A number cell and a shared-string cell of a sheet libxlsxwriter holds in
 * memory (its worksheet.c, exported and called through the PLT by
 * _write_cell): '<c r="A1" s="3"><v>%.16G</v></c>' (no s="" for style 0)
 * and '<c r="A1" s="3" t="s"><v>%d</v></c>', the number written as the
 * streamed rows' are (rc_xw_num_text, xlsx_rows.c). The fields read are the
 * ones its 1.1.4 machine code reads (the sheet's file first, the cell's
 * value at byte 32), checked below against its headers. */
_Static_assert(offsetof(lxw_worksheet, file) == 0, "libxlsxwriter 1.1.4's lxw_worksheet");
_Static_assert(offsetof(lxw_cell, u) == 32, "libxlsxwriter 1.1.4's lxw_cell");

void _write_number_cell(lxw_worksheet *self, char *range, int32_t style_index, lxw_cell *cell);
void _write_string_cell(lxw_worksheet *self, char *range, int32_t style_index, lxw_cell *cell);

static void cell_open(FILE *f, const char *range, int32_t style_index)
{
    puts_(f, "<c r=\"");
    puts_(f, range);
    if (style_index) {
        char b[24];
        puts_(f, "\" s=\"");
        puts_(f, int_text(b, style_index));
    }
    putc_unlocked('"', f);
}

void _write_number_cell(lxw_worksheet *self, char *range, int32_t style_index, lxw_cell *cell)
{
    if (LIB(number_cell)) {
        lib.number_cell(self, range, style_index, cell);
        return;
    }
    FILE *f = self->file;
    char b[40];
    size_t n = rc_xw_num_text(cell->u.number, b);
    cell_open(f, range, style_index);
    puts_(f, "><v>");
    put(f, b, n);
    puts_(f, "</v></c>");
}

void _write_string_cell(lxw_worksheet *self, char *range, int32_t style_index, lxw_cell *cell)
{
    if (LIB(string_cell)) {
        lib.string_cell(self, range, style_index, cell);
        return;
    }
    FILE *f = self->file;
    char b[24];
    cell_open(f, range, style_index);
    puts_(f, " t=\"s\"><v>");
    puts_(f, int_text(b, cell->u.string_id));
    puts_(f, "</v></c>");
}
