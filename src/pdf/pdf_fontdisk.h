/* pdf_fontdisk: reduced fonts kept in the cache directory between builds
 * (pdf_fontdisk.c). Internal to the PDF stage. */
#ifndef RC_PDF_FONTDISK_H
#define RC_PDF_FONTDISK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rc/arena.h"

/* At most this many copies are kept (the oldest go first): a watcher makes
 * a new one whenever an edit shows a new character. */
#define RC_PDF_FONTDISK_MAX 64
/* and this many of the fonts' other streams (rc_pdf_fontdisk_zget) */
#define RC_PDF_FONTDISK_MAX_STREAMS 128

/* Where one reduced copy is kept. */
typedef struct rc_pdf_fontdisk {
    unsigned char *key; /* NULL: no cache (turned off, or the font cannot be stat'ed) */
    size_t n;
    char *file;  /* CACHEDIR/fonts/<hash>.ttf, in the arena */
    bool keep;   /* the font file is old enough to be cached */
    rc_arena *a; /* where file and z are */
    /* The copy deflated as the PDF's FontFile2 stream is (zlib format at
     * RC_PDF_ZLEVEL, the bytes rc_pdf_put_deflated makes), read with the
     * copy or made by rc_pdf_fontdisk_put; NULL when there is none. */
    const unsigned char *z;
    size_t nz;
} rc_pdf_fontdisk;

/* A key for a reduced copy (allocated in a, *n bytes): id[0..nid) (what
 * identifies the font file and the code that reduces it), then codes[0..m),
 * lig and path. The in-memory cache's key (pdf_face.c) and the kept
 * copies' (below) differ only in id. */
unsigned char *rc_pdf_font_key(rc_arena *a, const void *id, size_t nid, const uint32_t *codes,
                               size_t m, const uint16_t lig[32], const char *path, size_t *n);

/* The key of the copy of the font at path whose cmap maps codes[0..m)
 * (ascending), with ligature glyphs lig; false (k->key NULL) when there is
 * no cache directory or the file cannot be stat'ed. */
bool rc_pdf_fontdisk_key(rc_arena *a, const char *path, const uint32_t *codes, size_t m,
                         const uint16_t lig[32], rc_pdf_fontdisk *k);
/* The copy kept under k, read into a, and its deflated bytes into k->z;
 * NULL when there is none, or it is damaged (the key or the hash of the
 * copy or of the deflated bytes differ). */
const unsigned char *rc_pdf_fontdisk_get(rc_arena *a, rc_pdf_fontdisk *k, size_t *len);
/* Deflates data[0..len) into k->z and keeps both under k (written beside
 * it, renamed into place), then removes the oldest copies beyond
 * RC_PDF_FONTDISK_MAX; failures are ignored (the cache only saves work). A
 * font file too recent to be cached (k->keep false) is neither kept nor
 * deflated here. */
void rc_pdf_fontdisk_put(rc_pdf_fontdisk *k, const unsigned char *data, size_t len);

/* A font's other streams (its CIDToGIDMap and ToUnicode CMap), kept
 * deflated as CACHEDIR/fonts/<hash of the bytes>.z: they follow from the
 * codes a document shows, and deflating them was 1.2 M instructions per
 * edition of the sample (four 16 KB maps). The file holds the stream's
 * bytes, compared in full (they are the key), the executable's signature
 * (libdeflate is linked in) and a hash of the deflated bytes.
 * rc_pdf_fontdisk_zget gives the deflated bytes of data[0..n) (in a), or
 * NULL when none are kept (or they are damaged, or there is no cache
 * directory); rc_pdf_fontdisk_zmake deflates data into a as
 * rc_pdf_put_deflated would and keeps the result (failures ignored),
 * NULL without a cache directory (or memory). */
const unsigned char *rc_pdf_fontdisk_zget(rc_arena *a, const void *data, size_t n, size_t *nz);
const unsigned char *rc_pdf_fontdisk_zmake(rc_arena *a, const void *data, size_t n, size_t *nz);

#endif
