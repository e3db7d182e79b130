/* font: TrueType faces for measuring and showing text. The tables (cmap,
 * hmtx, hhea, OS/2) are read through HarfBuzz, which also shapes the text:
 * the font's kerning and its standard ligatures (fi, fl, ffi, ...; see
 * shape.c). Widths are cached per code point and per shaped string. The PDF
 * back end embeds the same files (docs/fonts.md). */
#ifndef RC_FONT_H
#define RC_FONT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "rc/arena.h"
#include "rc/diag.h"
#include "rc/status.h"

typedef enum rc_font_id {
    RC_FONT_REGULAR,
    RC_FONT_ITALIC,
    RC_FONT_BOLD,
    RC_FONT_BOLD_ITALIC,
    RC_FONT_LIGHT,
    RC_FONT_COUNT
} rc_font_id;

typedef struct rc_font rc_font;

/* Loads and parses a TrueType file; reports "not a TrueType font" etc. at loc.
 * The first font loads HarfBuzz (rc/hb_lib.h); when it cannot be loaded,
 * that is the error, naming the Debian package. */
rc_font *rc_font_load(rc_arena *a, const char *path, rc_loc loc, rc_diag *d);
/* Parses font bytes already in memory (kept by reference). */
rc_font *rc_font_parse(rc_arena *a, const char *name, const unsigned char *data, size_t len,
                       rc_loc loc, rc_diag *d);

const char *rc_font_path(const rc_font *f);
/* The bytes of the file f was loaded (mapped) from, valid while f is, when
 * that file is path and is still there unchanged (device, inode, size,
 * modification time); else NULL. The PDF embeds a subset of exactly what
 * was measured without mapping the file again. */
const unsigned char *rc_font_bytes(const rc_font *f, const char *path, size_t *len);
/* The signature (rc/util.h) of the file f was mapped from, taken from the
 * open file it mapped; exists is false for a font read or parsed from
 * memory. A cache of fonts keys on it without stat'ing the file again. */
struct rc_file_sig rc_font_sig(const rc_font *f);
/* Advance width of a code point in font units per 1000 em; 0 if no glyph. */
double rc_font_advance(const rc_font *f, uint32_t cp);
bool rc_font_has_glyph(const rc_font *f, uint32_t cp);
uint16_t rc_font_glyph(const rc_font *f, uint32_t cp); /* 0 = .notdef */
/* Ascender / descender (negative) / cap height, per 1000 em. */
double rc_font_ascent(const rc_font *f);
double rc_font_descent(const rc_font *f);
double rc_font_cap_height(const rc_font *f);
/* Width in points of UTF-8 text at size (invalid bytes count as U+FFFD),
 * shaped by HarfBuzz: the font's kerning is included (shape.c; pairs are
 * cached in the font, so it is not safe to share between threads). */
double rc_font_text_width(const rc_font *f, const char *s, size_t len, double size);
/* The same as the sum of the characters' advances, without kerning. */
double rc_font_nominal_width(const rc_font *f, const char *s, size_t len, double size);
/* rc_font_text_width for a paragraph's words, whose lines the paragraphs'
 * file keeps (rc_para_memo_disk): not kept with the texts shown
 * (rc_fonts_keep_shown), where the next build would not ask for them and
 * the file would be written again without them. */
double rc_font_word_width(const rc_font *f, const char *s, size_t len, double size);
/* Kerning of UTF-8 text as shaped: k[i] changes the advance of the
 * character starting at byte i by k[i]/1000 em (0 elsewhere); NULL when
 * nothing is kerned. Valid until the next call on f. The PDF back end shows it
 * as TJ adjustments, so drawn text has exactly rc_font_text_width. */
const float *rc_font_kerning(const rc_font *f, const char *s, size_t len);

/* Ligatures: a ligature glyph is shown by a code of its own, 1 ..
 * RC_FONT_MAXLIG (codes no text shows: control characters are shown as
 * spaces), the same for a glyph whatever the text (see shape.c). */
#define RC_FONT_MAXLIG 31
#define RC_FONT_LIG_HIDDEN 0xFF
/* UTF-8 text as shaped and shown: *kern as rc_font_kerning (a ligature's
 * kerning at its last character's byte); *lig NULL when the text sets no
 * ligature, else per byte: 0 where a character shows its own code, a
 * ligature code at the first byte of the characters a ligature glyph
 * stands for, RC_FONT_LIG_HIDDEN at the others (they show nothing). kern
 * may be NULL when only the codes are wanted. Valid until the next call on
 * f. The widths are those of rc_font_text_width. */
void rc_font_shaped(const rc_font *f, const char *s, size_t len, const float **kern,
                    const uint8_t **lig);
/* The glyph of ligature code c and the UTF-8 characters it stands for (for
 * the ToUnicode CMap); false for a code no shaped text has set. */
bool rc_font_ligature(const rc_font *f, unsigned c, uint16_t *glyph, const char **text);
/* Ligature code c stands for t[0..n) in f, as shaping would take it on
 * first sight: for a page the PDF took whole from its pages' memo
 * (pdf_pagekey.c), which shows the code without shaping. True when f has
 * those characters for c already, or takes them now; false when it has
 * others for c or c is not one of its ligature codes. */
bool rc_font_ligature_take(const rc_font *f, unsigned c, const char *t, size_t n);

typedef struct rc_fonts {
    rc_font *f[RC_FONT_COUNT];
} rc_fonts;

/* Loads the five faces named by the style config (reports missing files).
 * RC_ERR_LIBRARY, with one error at the first face, when HarfBuzz cannot be
 * loaded (rc/hb_lib.h); else RC_ERR_CONFIG for a face that cannot be read. */
rc_status rc_fonts_load(rc_arena *a, const char *const paths[RC_FONT_COUNT],
                        const rc_loc locs[RC_FONT_COUNT], rc_diag *d, rc_fonts *out);

/* What widths measured with fs depend on besides reportc itself, as a
 * hash, for a cache kept between runs: each face's file (device, inode,
 * size, modification and change times, as mapped) and the HarfBuzz library (its
 * version and file). 0 when a face was not mapped from a file, or its
 * file was changed less than two seconds ago (a change within one tick of
 * the file system's clock could keep the same times). */
uint64_t rc_fonts_digest(const rc_fonts *fs);

/* The texts a PDF's last build showed, kept in the cache directory
 * (shown/, one file per PDF: output is its path or the temporary
 * rc_out_tmpname names for it; rc/zmemo.h) with their kerning and
 * ligature codes: from now on a text rc_font_shaped has not shown yet is
 * looked up there first, and what is shaped is kept (shape_disk.c). The
 * file's key holds digest, rc_fonts_digest(fs) (worked out once by the
 * caller, which keeps the set paragraphs under it too). False (nothing
 * kept) without a cache directory or a digest (0). */
bool rc_fonts_keep_shown(const rc_fonts *fs, uint64_t digest, const char *output);
/* A page's texts shown, kept in that file as one pair (shape_page.c): a
 * rebuild finds them with one lookup. For each page, the caller calls
 * rc_shown_page_begin (false: the page is not kept, shape text by text),
 * rc_shown_page_add for each text it will ask rc_font_shaped for, in
 * order, then rc_shown_page_find (page: the page's number, from 0). Found: text i's kerning and
 * codes are rc_shown_page_get's (valid until the next begin; they are those rc_font_shaped gives).
 * Not: the caller shapes each text, hands the result to rc_shown_page_set in order, then calls
 * rc_shown_page_end, which keeps the page. Pages are kept in order while their pairs take at most a
 * quarter of the file. NULL (every call a no-op, begin false) when fs keeps no texts
 * (rc_fonts_keep_shown). One thread at a time, the one using fs; free it before
 * rc_fonts_shown_done. */
typedef struct rc_shown_page rc_shown_page;
rc_shown_page *rc_shown_page_new(const rc_fonts *fs);
void rc_shown_page_free(rc_shown_page *pg);
bool rc_shown_page_begin(rc_shown_page *pg, size_t page);
void rc_shown_page_add(rc_shown_page *pg, const rc_font *f, const char *s, size_t len);
bool rc_shown_page_find(rc_shown_page *pg);
void rc_shown_page_get(const rc_shown_page *pg, size_t i, const float **kern, const uint8_t **lig);
void rc_shown_page_set(rc_shown_page *pg, size_t i, const float *kern, const uint8_t *lig);
void rc_shown_page_end(rc_shown_page *pg);
/* Page number page was not drawn but taken whole from the PDF's pages'
 * memo (pdf_pagekey.c): the file's pair for that page is kept as it is,
 * within the pages' budget, so that an edit of the page finds its texts
 * next time (without it the file would drop every page a build did not
 * shape). False when the file has no pair for the page. */
bool rc_shown_page_keep(rc_shown_page *pg, size_t page);
/* So far: pages found (*found), and texts of pages not found that were
 * taken from those kept (*from_pages: an edited page's, see shape_page.c);
 * 0 and 0 for NULL. */
void rc_shown_page_counts(const rc_shown_page *pg, size_t *found, size_t *from_pages);
/* How many texts were looked up in that file so far and found (*hits) or
 * not (*misses); 0 and 0 when fs keeps none. */
void rc_fonts_shown_counts(const rc_fonts *fs, size_t *hits, size_t *misses);
/* Ends that: when ok and the texts shown differ from the file's, writes
 * the file anew (true when it did), and lets its mapping go. Nothing when
 * fs keeps none (or is NULL). */
bool rc_fonts_shown_done(const rc_fonts *fs, bool ok);

#endif
