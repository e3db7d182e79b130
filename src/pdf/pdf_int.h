/* pdf_int: state shared by the files of the PDF back end (pdf.c: driver,
 * metadata, saving; pdf_draw.c: display lists -> page content, links;
 * pdf_nav.c: destinations, outline, page labels; pdf_fonts.c: faces and the
 * ToUnicode CMaps). Not a public interface. */
#ifndef RC_PDF_INT_H
#define RC_PDF_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <libdeflate.h>
#include "hpdf_lib.h"
#include "pdf_objstm.h"
#include "rc/pdf.h"

/* Codes are BMP code points; one bit per code. */
#define RC_PDF_CODESET_BYTES (65536 / 8)
/* Adds code c (<= 0xFFFF) to set. */
static inline void rc_pdf_code_mark(unsigned char *set, uint32_t c)
{
    set[c >> 3] = (unsigned char)(set[c >> 3] | (1u << (c & 7)));
}
/* The 64-bit words of a code set (RC_PDF_CODESET_BYTES / 8). */
#define RC_PDF_CODESET_WORDS (RC_PDF_CODESET_BYTES / 8)
/* Adds code c to a page's set pset, listing in words[*nw] the index of each
 * of its 64-bit words that was empty until now: a page shows a few dozen
 * codes, and what is made of its set (pdf_pagekey.c) reads those words
 * alone rather than 8 KB a face. */
static inline void rc_pdf_page_code_mark(unsigned char *pset, uint16_t *words, size_t *nw,
                                         uint32_t c)
{
    uint64_t w;
    memcpy(&w, pset + (c >> 6) * 8, sizeof w); /* (one load: only whether it is 0) */
    if (!w) words[(*nw)++] = (uint16_t)(c >> 6);
    rc_pdf_code_mark(pset, c);
}

typedef struct rc_pdf_dest {
    const char *id;
    size_t page;
    double x, y;
} rc_pdf_dest;

/* A link annotation, written as text (pdf_nav.c) once the pages are drawn:
 * to a named destination, or (dest NULL) to uri. */
typedef struct rc_pdf_link {
    double rect[4]; /* x0 y0 x1 y1 */
    const char *dest;
    const char *uri;
    size_t page_index;
    const rc_tag *tag; /* its Link element */
    const char *text;  /* visible text, for /Contents */
    size_t len;
    /* a URI link's: its object number and parent-tree key, taken while its
     * page was drawn (the structure tree reads annotations in that order) */
    uint32_t num;
    size_t key;
} rc_pdf_link;

/* A page's font resources in order of first use (pdf_draw.c): fonts are
 * loaded after the pages are drawn, then registered in this order, so
 * libharu gives them the names the content already uses (F1, F2, ...). */
typedef struct rc_pdf_pagefonts {
    HPDF_Page pg;
    uint8_t n, order[RC_FONT_COUNT]; /* fonts by their p->fgroup */
} rc_pdf_pagefonts;

typedef struct rc_pdf_face rc_pdf_face;
typedef struct rc_pdf_struct rc_pdf_struct;
typedef struct rc_pdf_zip rc_pdf_zip;

/* The codes a page taken from the pages' memo shows: n entries of three
 * bytes (face, code high, code low) at c (pdf_pagekey.c). */
typedef struct rc_pdf_marks {
    const unsigned char *c;
    size_t n;
} rc_pdf_marks;

typedef struct rc_pdf {
    rc_arena *a;
    rc_diag *d;
    const char *path;
    HPDF_Doc doc;
    /* first libharu error, recorded by the handler (errors are sticky) */
    HPDF_STATUS err, err_detail;
    int err_errno;
    /* the faces as measured by layout (kerning of shown text); may be NULL */
    const rc_fonts *fonts;
    rc_shown_page *spage; /* the pages' texts kept between builds (rc/font.h) */
    /* fonts: which faces are used, with the codes each one shows */
    unsigned char *codes[RC_FONT_COUNT];
    HPDF_Font font[RC_FONT_COUNT];
    /* per face: the first face drawn from the same file (one font) */
    int fgroup[RC_FONT_COUNT];
    RC_VEC(rc_pdf_pagefonts) pfonts;
    /* the faces being loaded (pdf_fonts.c, between prepare and load) */
    rc_pdf_face *faces;
    /* at the first face of each loaded font: the codes of every face that
     * shares it, ascending */
    uint32_t *fcodes[RC_FONT_COUNT];
    size_t nfcodes[RC_FONT_COUNT];
    /* ... and the reduced font file libharu loaded (NULL: the original) */
    const unsigned char *ffile[RC_FONT_COUNT];
    size_t nffile[RC_FONT_COUNT];
    /* ... and the characters of its ligature codes 1..31 (pdf_fonts.c) */
    const char **ligtext[RC_FONT_COUNT];
    /* named destinations: open addressing, capacity a power of two */
    rc_pdf_dest *dests;
    size_t ndests, dcap;
    RC_VEC(rc_pdf_link) links;
    RC_VEC(HPDF_Page) pages;
    /* scratch buffer for NUL-terminated text */
    char *buf;
    size_t bufcap;
    /* the page content being written, and its compressed form */
    char *cs;
    size_t cn, ccap;
    unsigned char *zs;
    size_t zcap;
    struct libdeflate_compressor *lc; /* made on first use (RC_PDF_ZLEVEL) */
    /* the structure tree being built (pdf_struct.c) */
    rc_pdf_struct *st;
    /* the data of the streams deflated here, by object number: libharu
     * writes those streams empty and the packer puts the data in, so the
     * bytes are not copied through libharu's memory streams (pdf_pack.c) */
    RC_VEC(rc_pdf_blob) blobs;
    /* the objects written as text here (the structure tree, pdf_struct.c):
     * libharu holds a "null" placeholder under each number, and the packer
     * writes the text instead (pdf_objstm.h) */
    RC_VEC(rc_pdf_raw) raws;
    /* the deflating thread (pdf_zip.c; NULL: deflate here), and once
     * finished, what holds its output until the document is saved */
    rc_pdf_zip *zip, *zdone;
    /* what earlier writes of the document left (NULL: none) */
    rc_pdf_cache *cache;
    /* with a cache: the page key being built (pdf_pagekey.c; its first
     * khead bytes are the write's), and whether the page is drawn dry
     * (its content is the cache's: drawing writes no bytes) */
    unsigned char *key;
    size_t kn, kcap, khead;
    bool dry;
    /* ... and, while a page missing from the cache is drawn, the codes it
     * shows per face (kept with its content) */
    unsigned char *pcodes[RC_FONT_COUNT];
    bool pcodes_on;
    /* ... the words of each face's page set that are not empty, in the
     * order they were first marked (RC_PDF_CODESET_WORDS each) */
    uint16_t *pwords[RC_FONT_COUNT];
    size_t npwords[RC_FONT_COUNT];
    /* a build's pages' memo (pdf_pagekey.c; NULL: none): page key -> the
     * page's content deflated, font resources and codes, kept between
     * builds in the cache directory; the bytes of keys it was asked for
     * (pages are keyed in order while they fit: pkeyed, pfull); and the
     * codes of the pages taken from it, marked in the document's sets
     * once drawing is over (the worker marks them meanwhile) */
    struct rc_zmemo *pmemo;
    size_t pkeyed;
    bool pfull;
    RC_VEC(rc_pdf_marks) pend;
    /* pdf_text.c: per face, the /W widths of codes 0..127 (ASCII and the
     * ligature codes), made on first use */
    int64_t *asciiw[RC_FONT_COUNT];
    /* set on the deflating thread's own rc_pdf while it draws a page from
     * a flat list (pdf_drawjob.c): the MCIDs are counted, not recorded,
     * and each TEXT op's kerning and ligatures are wkern/wlig[its index
     * in wops], shaped by the main thread */
    bool worker;
    const rc_draw_op *wops;
    const float *const *wkern;
    const uint8_t *const *wlig;
    /* libharu's UTF-8 encoder is registered (pdf_face.c, only for a font
     * that cannot be reduced: setting it up costs 1.4 M instructions) */
    bool utf8;
} rc_pdf;

/* Records st as the failure if none was recorded yet; true when st is OK. */
bool rc_pdf_ok(rc_pdf *p, HPDF_STATUS st);
/* True once any libharu call failed. */
bool rc_pdf_failed(const rc_pdf *p);

/* pdf_draw.c */
/* Makes and draws the layout's pages: in order from a complete layout,
 * else as rc_layout_next completes them (the layout is complete
 * afterwards unless drawing failed); pages drawn on the deflating thread
 * may still be in its hands (rc_pdf_draw_wait). Each page's operations are given
 * back once drawn when lay->release_pages is set. A document without
 * pages is an error (reported). */
rc_status rc_pdf_draw_pages(rc_pdf *p, const rc_layout *lay);
/* Waits until the pages handed to the deflating thread are drawn
 * (pdf_drawjob.c): the codes each face shows and the pages' font
 * resources are complete then. False (recorded) when one failed. */
bool rc_pdf_draw_wait(rc_pdf *p);
/* Waits for the deflating thread (pdf_zip.c) and releases what drawing
 * holds outside the arena (the compressor). */
void rc_pdf_draw_end(rc_pdf *p);
/* Makes data[0..n), deflated here (at RC_PDF_ZLEVEL), the data of the
 * stream object d (indirect), declared /FlateDecode: libharu writes d with
 * no data, and the packer writes the deflated bytes (p->blobs). False (and
 * the failure recorded) on error. */
bool rc_pdf_put_deflated(rc_pdf *p, HPDF_Dict d, const void *data, size_t n);
/* The same with z[0..nz) already deflated as rc_pdf_put_deflated would
 * (a reduced font kept with its deflated bytes, pdf_fontdisk.h); z must
 * stay valid until the document is saved. */
bool rc_pdf_put_zipped(rc_pdf *p, HPDF_Dict d, const void *z, size_t nz);

/* libdeflate level for the streams deflated here (page content, font files,
 * maps). zlib's level 2 cost 39 M instructions of a 177 M `--only pdf` build
 * of the sample for a 258.6 KB PDF; libdeflate's level 1 costs 19 M less for
 * 247.6 KB (level 2: 4 M less, 244.0 KB; level 6: 6 M more, 235.4 KB). The
 * streams are still zlib format (/FlateDecode). */
#define RC_PDF_ZLEVEL 1
/* UTF-8 text -> what libharu's UTF-8 encoder can take (BMP only, no C0
 * controls); returns a NUL-terminated scratch copy. */
const char *rc_pdf_text(rc_pdf *p, const char *s, size_t len);

/* Draws display list l into p->cs[0..p->cn) and the page's font
 * resources into *pf (pdf_draw.c): the content of page index, as
 * draw_page writes it (the worker's drawing, pdf_drawjob.c). */
void rc_pdf_draw_content(rc_pdf *p, size_t index, const rc_draw_list *l, rc_pdf_pagefonts *pf);
/* Writes UTF-8 s[0..len) (an invalid byte as U+FFFD) as UTF-16BE hex
 * digits, a surrogate pair above the BMP, at o (room for 4 * len);
 * returns the end (pdf_draw.c: /ActualText; pdf_fonts.c: ToUnicode). */
char *rc_pdf_utf16_hex(char *o, const char *s, size_t len);

/* pdf_drawjob.c: a page drawn on the deflating thread. The main thread
 * walks the page dry (its structure, links and destinations, as for a
 * page from the cache), shapes its text and copies what drawing reads
 * into one flat block, which the worker draws and deflates in page order
 * while the layout goes on. False when it cannot be queued (then the
 * page is drawn here). */
/* With key (kn bytes, copied), the page missing from the pages' memo is
 * kept there once drawn. */
bool rc_pdf_drawjob_submit(rc_pdf *p, size_t index, const rc_draw_list *l, size_t blob, size_t pfi,
                           const unsigned char *key, size_t kn);
/* The drawing side: draws the job's block into wp->cs, marking
 * the codes shown in codes (NULL: the document's sets, as they were when
 * the block was made). */
void rc_pdf_drawjob_run(rc_pdf *wp, void *block, size_t index, rc_pdf_pagefonts *pf,
                        unsigned char *const codes[RC_FONT_COUNT]);

/* pdf_zip.c: deflating on a second thread */
/* Starts the thread (without it, p->zip stays NULL and streams are
 * deflated by rc_pdf_put_deflated itself). */
void rc_pdf_zip_start(rc_pdf *p);
/* Queues data[0..n) to be deflated into p->blobs.v[blob]; copy: data is
 * copied first (else it must stay valid until rc_pdf_zip_finish). Waits
 * while the queue is full. False without memory. */
bool rc_pdf_zip_submit(rc_pdf *p, size_t blob, const void *data, size_t n, bool copy);
/* Queues the reduction of a font (rc_ttf_reduce_lig; font and codes must
 * stay valid until it is taken); returns its job, or SIZE_MAX when it
 * cannot be queued. */
size_t rc_pdf_zip_reduce(rc_pdf *p, const unsigned char *font, size_t len, const uint32_t *codes,
                         size_t m, const uint16_t lig[32]);
/* Waits for a reduction; false when the font could not be reduced, else
 * the copy (valid until rc_pdf_zip_free). */
bool rc_pdf_zip_reduced(rc_pdf *p, size_t job, const unsigned char **out, size_t *n);
/* Whether pages can be drawn there (a thread with its buffers, no cache). */
bool rc_pdf_zip_draws(const rc_pdf *p);
/* Queues page index's flat block (pdf_drawjob.c; malloc'd, the worker
 * frees it) to be drawn and deflated into p->blobs.v[blob], its font
 * resources into p->pfonts.v[pfi] (by rc_pdf_zip_drain). False when
 * it cannot be queued (no memory, or !rc_pdf_zip_draws). */
bool rc_pdf_zip_draw(rc_pdf *p, size_t blob, void *block, size_t cap, size_t index, size_t pfi,
                     const unsigned char *key, size_t kn);
/* A block for rc_pdf_zip_draw of at least need bytes (*cap: how many),
 * one the worker gave back when one fits: a page's block is made and
 * freed once per page, and fresh heap memory costs page faults; NULL
 * without memory. */
void *rc_pdf_zip_block(rc_pdf *p, size_t need, size_t *cap);
/* Waits until every page queued is drawn, then gives each its font
 * resources (p->pfonts); false when one could not be drawn. */
bool rc_pdf_zip_drain(rc_pdf *p);
/* Waits for the thread, fills in the blobs (and the cache); false when a
 * stream could not be deflated. */
bool rc_pdf_zip_finish(rc_pdf *p);
/* Finishes if needed and frees the output (after saving). */
void rc_pdf_zip_free(rc_pdf *p);

/* pdf_cache.c (see pdf.h): kinds of entries */
enum {
    RC_PDF_CK_DEFLATE = 1, /* stream bytes -> deflated at RC_PDF_ZLEVEL */
    RC_PDF_CK_FONT = 2,    /* font file identity, codes, ligatures -> reduced font */
    RC_PDF_CK_PAGE = 3     /* page key (pdf_pagekey.c) -> the page's content bytes */
};
/* pdf_pagekey.c: the head of every page key of this write (the faces and
 * their resources; after rc_pdf_fonts_groups), and the key of the page
 * drawn from l (valid until the next call), or NULL without a cache. */
void rc_pdf_page_key_head(rc_pdf *p);
const unsigned char *rc_pdf_page_key(rc_pdf *p, const rc_draw_list *l, size_t *n);
/* Around drawing a page missing from the cache: records the codes it shows,
 * then keeps its content (p->cs), fonts and codes under key. */
void rc_pdf_page_record_begin(rc_pdf *p);
void rc_pdf_page_record_end(rc_pdf *p, const unsigned char *key, size_t kn,
                            const rc_pdf_pagefonts *pf);
/* For a page found in the cache (value v): adds the codes it shows to the
 * document's, gives its font resources and content; false when v is not a
 * page value (then the page is drawn). */
bool rc_pdf_page_replay(rc_pdf *p, const unsigned char *v, size_t n, rc_pdf_pagefonts *pf,
                        const unsigned char **content, size_t *cn);
/* A build's pages' memo (p->pmemo), opened by rc_pdf_page_key_head when
 * there is no watcher's cache: the value kept for a page drawn on the
 * deflating thread (or here) by dp, made from the codes it showed (dp's
 * page sets), its font resources and its content deflated, z[0..zn);
 * malloc'd (*n bytes), NULL without memory. */
unsigned char *rc_pdf_page_value(const rc_pdf *dp, const rc_pdf_pagefonts *pf, const void *z,
                                 size_t zn, size_t *n);
/* Empties dp's page sets (their marked words alone) for the next page. */
void rc_pdf_page_codes_clear(rc_pdf *dp);
/* Marks the codes of the pages replayed from the pages' memo (p->pend) in
 * the document's sets: once no other thread marks them. */
void rc_pdf_page_marks(rc_pdf *p);
/* Starts a write: entries it does not use are dropped by the sweep. */
void rc_pdf_cache_begin(rc_pdf_cache *c);
/* The value for (kind, key[0..n)), marked as used; NULL when absent or c is NULL. */
const unsigned char *rc_pdf_cache_get(rc_pdf_cache *c, int kind, const void *key, size_t n,
                                      size_t *vlen);
/* Stores a copy, unless a value is stored for the key already (that one is
 * marked as used and returned); returns the stored value (valid until the
 * sweep of a later write), or NULL when not stored (no cache, no memory, or
 * the cache full). */
const unsigned char *rc_pdf_cache_put(rc_pdf_cache *c, int kind, const void *key, size_t n,
                                      const void *val, size_t vlen);
/* After a successful write: drops the entries it did not use. */
void rc_pdf_cache_sweep(rc_pdf_cache *c);

/* pdf_nav.c */
rc_pdf_dest *rc_pdf_dest_find(rc_pdf *p, const char *id);
void rc_pdf_dest_add(rc_pdf *p, const char *id, size_t page, double x, double y);
/* The link annotations (p->links) as text objects, each in its page's
 * /Annots and in the structure tree, with /Dest [page /XYZ 0 top null]
 * (the reader's zoom kept) or a URI action. */
void rc_pdf_links(rc_pdf *p);
/* The bookmarks (lay->outline) as text objects under /Outlines. */
void rc_pdf_outline(rc_pdf *p, const rc_layout *lay);
void rc_pdf_page_labels(rc_pdf *p, const rc_layout *lay);

/* pdf_struct.c: the structure tree (tagged PDF, PDF/UA-1) */
void rc_pdf_struct_begin(rc_pdf *p, const rc_layout *lay);
/* The next MCID on page (0-based index) for content of element t (NULL:
 * the root), recorded for the tree and the parent tree. */
int rc_pdf_struct_mcid(rc_pdf *p, size_t page, const rc_tag *t);
/* Puts link annotation object num (on page) into the tree: an OBJR in t
 * when it is a Link element, else in a Link of its own. Returns the
 * annotation's index k: its /StructParent is the number of pages + k. */
size_t rc_pdf_struct_annot(rc_pdf *p, uint32_t num, size_t page, const rc_tag *t);
/* Writes the elements, the parent tree, /StructTreeRoot and /MarkInfo in
 * the catalog, and /StructParents and /Tabs on every page. */
void rc_pdf_struct_finish(rc_pdf *p);

/* pdf_raw.c: objects written as text (rc_pdf_raw, pdf_objstm.h), not as
 * libharu dictionaries. A writer puts each object's text into pieces of
 * memory from p->a (an object whole in one piece, so its text never
 * moves once written) and files it in p->raws. */
typedef struct rc_pdf_rw {
    rc_pdf *p;
    char *s; /* the current piece */
    size_t n, cap;
    size_t start; /* of the current object's text in s */
} rc_pdf_rw;
void rc_pdf_rw_init(rc_pdf_rw *w, rc_pdf *p);
/* A new object number: a "null" placeholder in libharu's table (NULL on
 * failure, recorded). */
HPDF_Obj_Header *rc_pdf_placeholder(rc_pdf *p);
/* The object number of a libharu object (0 for NULL). */
uint32_t rc_pdf_num(const void *obj);
/* Starts an object's text; rc_pdf_rw_end files it as object num. */
void rc_pdf_rw_begin(rc_pdf_rw *w);
void rc_pdf_rw_end(rc_pdf_rw *w, uint32_t num);
void rc_pdf_rw_put(rc_pdf_rw *w, const char *s);
void rc_pdf_rw_uint(rc_pdf_rw *w, size_t v);
/* " N 0 R" */
void rc_pdf_rw_ref(rc_pdf_rw *w, uint32_t num);
/* " v", at most three decimals, no trailing zeros */
void rc_pdf_rw_real(rc_pdf_rw *w, double v);
/* " (...)" in PDFDocEncoding when every character has a byte there, else
 * " <FEFF...>" (UTF-16BE): a text string */
void rc_pdf_rw_text(rc_pdf_rw *w, const char *s, size_t len);
/* " (...)": the bytes as they are (a URI), escaped */
void rc_pdf_rw_bytes(rc_pdf_rw *w, const char *s, size_t len);

/* pdf_xmp.c: PDF/A-2a and PDF/UA-1 document level: version 1.7, /Lang,
 * /ViewerPreferences, dates in the Info dictionary, the XMP metadata
 * stream (the same values) and the sRGB output intent. */
void rc_pdf_archival(rc_pdf *p, const rc_config *cfg);

/* pdf_pack.c: saves the document to path with object streams (pdf_objstm.c);
 * false with the failure recorded (I/O errors with their errno). */
bool rc_pdf_save_packed(rc_pdf *p, const char *path);

/* pdf_fonts.c */
/* Before drawing: which faces share a file (p->fgroup). */
void rc_pdf_fonts_groups(rc_pdf *p, const rc_config *cfg, const rc_fonts *fonts);
/* After drawing: starts making the reduced fonts of the used faces (on the
 * deflating thread when there is one); reports failures. */
rc_status rc_pdf_fonts_prepare(rc_pdf *p, const rc_config *cfg, const rc_fonts *fonts);
/* Then: loads them into libharu and registers them on every page under the
 * names the pages use; reports failures. */
rc_status rc_pdf_fonts_load(rc_pdf *p);
/* Unmaps the font files still mapped (after the deflating thread ended). */
void rc_pdf_fonts_release(rc_pdf *p);
/* Replaces libharu's ToUnicode streams with correct ones. */
void rc_pdf_fonts_fix_tounicode(rc_pdf *p);

#endif
