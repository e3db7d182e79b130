/* xlsx_rec: a workbook's calls to libxlsxwriter written down
 * (xlsx_record.c) and made again from what was written (xlsx_replay.c),
 * for the workbooks kept between builds (xlsx_memo.c). Not a public
 * header. */
#ifndef RC_XLSX_REC_H
#define RC_XLSX_REC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rc/zmemo.h"
#include "xlsx_int.h"

/* A recording longer than this is not used (the sample's figures workbook
 * is about 40 kB); with the workbook it must fit in one memo file. */
#define RC_XW_REC_MAX (RC_ZMEMO_MAX / 4)

/* The calls, numbered in the table's order: a recording is, per call, its
 * number (one byte) and its arguments as xlsx_record.c writes them. */
enum {
#define RC_XW_OP_ID(f) RC_XW_OP_##f,
    RC_XW_LIB_FUNCTIONS(RC_XW_OP_ID)
#undef RC_XW_OP_ID
};

typedef struct rc_xw_rec {
    unsigned char *buf;
    size_t n, cap;
    bool bad; /* too long, no memory, an object not the recorder's */
    /* the objects handed out, by address: their numbers from 1, in the
     * order they were made */
    const void **key;
    uint32_t *num;
    size_t kcap, nobj;
    /* the last two objects looked up and their numbers (a cell's sheet
     * and format, call after call) */
    const void *lastp[2];
    uint32_t lastn[2];
    void **made; /* to free */
    size_t nmade, mcap;
    lxw_format *url; /* workbook_get_default_url_format's (one per workbook) */
} rc_xw_rec;

/* The recorder: a table of the library's type whose functions write each
 * call down into the calling thread's recording and make nothing (every
 * call answered with success, objects of the recorder's own). */
extern const rc_xw_lib_table rc_xw_recorder;
/* Makes r the calling thread's recording; returns the one it replaces. */
rc_xw_rec *rc_xw_rec_use(rc_xw_rec *r);
/* Frees the recorder's objects (the recording stays), or everything. */
void rc_xw_rec_drop_objects(rc_xw_rec *r);
void rc_xw_rec_free(rc_xw_rec *r);

/* Makes the recorded calls buf[0..n), in order, to the library (rc_xw_lib),
 * into x opened by rc_xw_open_file (the first call, workbook_new_opt,
 * starts it with rc_xw_start). False when one fails or the recording does
 * not read back: the caller abandons x. */
bool rc_xw_replay(const unsigned char *buf, size_t n, rc_xw *x);

#endif
