/* pdf: pages (display lists) -> a PDF through libharu: embedded subset
 * TrueType fonts with a correct ToUnicode CMap, outline, page labels,
 * internal links, document metadata, deterministic dates and IDs. Writes to
 * a temporary file beside path and renames it into place only when complete. */
#ifndef RC_PDF_H
#define RC_PDF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "rc/config.h"
#include "rc/diag.h"
#include "rc/font.h"
#include "rc/layout.h"
#include "rc/status.h"

/* Writes the layout's pages to path. cfg supplies the metadata and, when
 * fonts is NULL, the face paths (style.font_path); either may be NULL in
 * tests (then fonts must be given). Only faces used by a TEXT op are
 * embedded. Dates come from rc_build_epoch (SOURCE_DATE_EPOCH), and the
 * document ID is a hash of the content, so equal inputs give equal bytes.
 * Returns RC_OK, RC_ERR_IO (the file or a font cannot be read or written),
 * RC_ERR_LIBRARY (libharu failed, e.g. a font it cannot embed) or
 * RC_ERR_DATA (no pages); every failure is also reported to d, and the old
 * file at path is left untouched. */
rc_status rc_pdf_write(rc_arena *a, const rc_layout *lay, const rc_config *cfg,
                       const rc_fonts *fonts, const char *path, rc_diag *d);

/* What one write keeps for the next write of the same document (a watching
 * process rebuilding one edition): deflated streams keyed by their bytes
 * (most pages do not change after a one-word edit), and the reduced fonts
 * keyed by the font file (path, device, inode, size, modification time) and
 * the codes they map. A hit is checked byte for byte, so a write with a
 * cache gives exactly the bytes of a write without one. The cache is
 * malloc'd and outlives the build arenas; each successful write drops what
 * it did not use, so it holds about one document's streams and fonts (and
 * never more than RC_PDF_CACHE_MAX bytes: beyond that, work is redone).
 * One cache per document and writer: not thread-safe. */
typedef struct rc_pdf_cache rc_pdf_cache;
#define RC_PDF_CACHE_MAX ((size_t)256 << 20)
/* A new, empty cache; NULL without memory (writes then work uncached). */
rc_pdf_cache *rc_pdf_cache_new(void);
void rc_pdf_cache_free(rc_pdf_cache *c);
/* Bytes of keys and values held, and the number of entries (for tests and
 * statistics). */
size_t rc_pdf_cache_bytes(const rc_pdf_cache *c);
size_t rc_pdf_cache_entries(const rc_pdf_cache *c);
/* rc_pdf_write using and refilling cache (NULL: rc_pdf_write). */
rc_status rc_pdf_write_cached(rc_arena *a, const rc_layout *lay, const rc_config *cfg,
                              const rc_fonts *fonts, rc_pdf_cache *cache, const char *path,
                              rc_diag *d);

/* A ToUnicode CMap (PDF 1.7 section 9.10.3) for a font whose two-byte codes
 * are Unicode BMP code points (libharu's UTF-8 encoder with Identity-H):
 * each code in codes[0..n) (ascending, unique, <= 0xFFFF) maps to itself as
 * UTF-16BE, in bfrange runs (same high byte) and bfchar entries, at most 100
 * per block. Returns the CMap text (NUL-terminated) and its length. */
char *rc_pdf_tounicode(rc_arena *a, const uint32_t *codes, size_t n, size_t *len);
/* The same where the codes 1..31 that have a lig[code] (ligature glyphs,
 * font.h) map to those UTF-8 characters (lig may be NULL). */
char *rc_pdf_tounicode_lig(rc_arena *a, const uint32_t *codes, size_t n, const char *const lig[32],
                           size_t *len);

/* Writes v the way libharu 2.3.0's HPDF_FToA writes the HPDF_REAL (float)
 * (HPDF_REAL)v: clamped to +-32767, integer part and at most 5 decimals,
 * trailing zeros dropped (an exact -0 is written "0"). Page content is
 * written with these numbers, so pages mean to readers exactly what they
 * meant when libharu wrote them. out needs 16 bytes; returns the length. */
size_t rc_pdf_real(double v, char *out);

/* ---- ttf_subset.c: reduced fonts for embedding ---- */

/* A reduced copy of the TrueType font font[0..len) for libharu, made by
 * hb-subset: the tables libharu 2.3.0 reads or embeds (OS/2, cmap, cvt,
 * fpgm, glyf, head, hhea, hmtx, loca, maxp, name, post, prep) with only
 * the mapped glyphs (and their components, and .notdef), renumbered in the
 * original's order (.notdef first), outlines and advances unchanged; the
 * others (GPOS, GSUB, kern, DSIG, ...) left out; a cmap whose (3,1)
 * format-4 subtable maps exactly those of codes[0..n) (ascending, unique)
 * that the original maps, to their glyphs' new ids. Tables are aligned,
 * padded and checksummed. The
 * copy is allocated in a. Returns RC_OK, or RC_ERR_DATA with *out NULL
 * when the font is not one this can reduce (not TrueType outlines, a
 * required table missing or truncated, no (3,1) format-4 cmap) or the copy
 * would map nothing, or RC_ERR_LIBRARY when HarfBuzz cannot be loaded
 * (rc/hb_lib.h): the caller then embeds the original. */
rc_status rc_ttf_reduce(rc_arena *a, const unsigned char *font, size_t len, const uint32_t *codes,
                        size_t n, unsigned char **out, size_t *out_len);
/* The same where the codes 1..31 that have a glyph lig[code] != 0 (ligature
 * glyphs, font.h) map to that glyph instead (lig may be NULL). The cmap is
 * written here, in as few segments as the codes allow (libharu looks up
 * every one of the 65,536 codes in it, segment by segment). */
rc_status rc_ttf_reduce_lig(rc_arena *a, const unsigned char *font, size_t len,
                            const uint32_t *codes, size_t n, const uint16_t lig[32],
                            unsigned char **out, size_t *out_len);

/* The glyph id the font's (3,1) format-4 cmap gives cp, looked up the way
 * libharu 2.3.0 does (HPDF_TTFontDef_GetGlyphid); 0 when unmapped or when the
 * font has no such subtable. */
uint16_t rc_ttf_glyph(const unsigned char *font, size_t len, uint32_t cp);

/* Loads libharu (libhpdf) and fills the table its calls go through
 * (src/pdf/hpdf_lib.h), once per process (later calls return the first
 * one's result; thread-safe): rc_pdf_write_cached calls it before its
 * first libharu call. On failure returns false with *why (a static string)
 * saying why the library could not be loaded. The file loaded is the
 * soname of the library reportc was built against, or the file named by
 * the environment variable RC_HPDF_SO when it is set and not empty (tests
 * point it at a missing library; docs/reportc.1). */
bool rc_hpdf_lib_load(const char **why);
/* The Debian package that installs libhpdf ("" when the build did not
 * know it), for the error message. */
const char *rc_hpdf_lib_package(void);

#endif
