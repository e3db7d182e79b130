/* pdf_face: one face of the PDF being written, from rc_pdf_fonts_prepare
 * (pdf_face.c) to its font objects (pdf_fontobj.c, pdf_fonts.c). Internal
 * to the PDF stage. */
#ifndef RC_PDF_FACE_H
#define RC_PDF_FACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pdf_fontdisk.h"
#include "pdf_int.h"

/* A face between rc_pdf_fonts_prepare and rc_pdf_fonts_load. */
struct rc_pdf_face {
    bool load; /* the first face shown from its file: loaded */
    int share; /* else, when shown: the face whose font it shares, or -1 */
    const char *path;
    rc_loc loc;
    uint32_t *codes, *cmap; /* shown codes; those for the reduced cmap */
    size_t n, m;
    uint16_t lig[32];
    bool ligs;
    unsigned char *key; /* the cache key (NULL: no cache) */
    size_t nkey;
    const unsigned char *view; /* the file mapped (NULL: read into the arena, or not needed) */
    size_t maplen;
    const unsigned char *bytes; /* the original */
    size_t len;
    const unsigned char *red; /* the reduced copy, once known */
    size_t rlen;
    size_t job;           /* its job on the deflating thread, or SIZE_MAX */
    bool made;            /* red made here without the thread (not from the cache) */
    rc_pdf_fontdisk disk; /* where red is kept between builds (pdf_fontdisk.c) */
    bool fromdisk;        /* red read from there */
    /* the font objects, when the reduced copy is embedded: written as text
     * (pdf_fontobj.c), not built by libharu (raw false: libharu's font) */
    bool raw;
    HPDF_FontDef def;
    HPDF_Obj_Header *type0, *cidfont; /* placeholders (pdf_objstm.h) */
    HPDF_Dict tounicode, map;         /* the ToUnicode and CIDToGIDMap streams */
};

/* pdf_fontobj.c: the font objects of a face whose reduced copy is embedded
 * (f->red), written as text like the structure tree (pdf_objstm.h):
 * Type0 font, CIDFontType2 font with /W, FontDescriptor, and the
 * FontFile2, CIDToGIDMap and ToUnicode streams. */
/* Reserves the objects' numbers in the order libharu's HPDF_GetFont would
 * (Type0, ToUnicode, CIDFont, CIDToGIDMap), for the face loaded as def;
 * returns the Type0 font's placeholder, which pages name as a font
 * resource (NULL on failure, recorded). */
HPDF_Font rc_pdf_fontobj_new(rc_pdf *p, rc_pdf_face *f, HPDF_FontDef def);
/* Writes them: codes[0..n) the codes the pages show (ascending), cmap the
 * ToUnicode CMap text, file the font program. */
void rc_pdf_fontobj_write(rc_pdf *p, rc_pdf_face *f, const uint32_t *codes, size_t n,
                          const char *cmap, size_t cmaplen, const unsigned char *file,
                          size_t nfile);
/* The text of the objects (for rc_pdf_fontobj_write and the unit tests):
 * the Type0 font, the CIDFont and the descriptor, given the numbers of
 * the objects they name; widths and glyph ids come from def's lookups
 * (HPDF_TTFontDef_GetGlyphid, HPDF_TTFontDef_GetGidWidth) as libharu's
 * own /W did. Each is "<< ... >>" (the packer ends the line), allocated
 * in a. */
typedef struct rc_pdf_fontnums {
    uint32_t tounicode, cidfont, map, descriptor, file;
} rc_pdf_fontnums;
char *rc_pdf_fontobj_type0(rc_arena *a, HPDF_FontDef def, rc_pdf_fontnums nums, size_t *len);
char *rc_pdf_fontobj_cid(rc_arena *a, HPDF_FontDef def, const uint32_t *codes, size_t n,
                         rc_pdf_fontnums nums, size_t *len);
char *rc_pdf_fontobj_descriptor(rc_arena *a, HPDF_FontDef def, rc_pdf_fontnums nums, size_t *len);
/* The CIDToGIDMap: two bytes (big-endian glyph id) per code up to the
 * highest of codes[0..n), 0 for the codes not shown. */
unsigned char *rc_pdf_fontobj_gidmap(rc_arena *a, HPDF_FontDef def, const uint32_t *codes, size_t n,
                                     size_t *len);

#endif
