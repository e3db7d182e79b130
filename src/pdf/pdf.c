/* pdf: the driver of the PDF back end. One libharu document per call:
 * draw every page (tagged: marked content for the structure tree; the
 * faces and codes shown, the destinations), start the reduced fonts
 * (pdf_face.c), then links, outline, page labels, the structure tree, the
 * PDF/A and PDF/UA metadata (pdf_xmp.c), load the fonts, the ToUnicode
 * fix; pack it with object streams and a deterministic /ID (pdf_pack.c);
 * save to a temporary file beside the target and rename it into place only
 * when everything succeeded (or, when the target is the build's own
 * temporary, save to it directly: the build renames it). Pages are drawn and deflated, and fonts
 * reduced, on a second thread (pdf_zip.c, pdf_drawjob.c); the packer's
 * object streams are deflated on a helper (pdf_zpipe.c).
 *
 * libharu reports errors through the handler given to HPDF_New; errors are
 * sticky (every later call fails), so the handler records the first one and
 * the driver stops at the next check. No setjmp/longjmp. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pdf_heap.h"
#include "pdf_int.h"
#include "rc/util.h"
#include "rc/zmemo.h"

static void on_error(HPDF_STATUS err, HPDF_STATUS detail, void *user)
{
    rc_pdf *p = user;
    if (p->err == HPDF_OK) {
        p->err = err;
        p->err_detail = detail;
        p->err_errno = errno;
    }
}

bool rc_pdf_ok(rc_pdf *p, HPDF_STATUS st)
{
    if (st != HPDF_OK && p->err == HPDF_OK) {
        p->err = st;
        p->err_errno = 0;
    }
    return st == HPDF_OK;
}

bool rc_pdf_failed(const rc_pdf *p)
{
    return p->err != HPDF_OK;
}

/* The libharu codes a user can meet; the rest print as numbers. */
static const char *hpdf_strerror(HPDF_STATUS e)
{
    switch (e) {
    case HPDF_FILE_OPEN_ERROR:
        return "cannot open file";
    case HPDF_FILE_IO_ERROR:
        return "file I/O error";
    case HPDF_FAILD_TO_ALLOC_MEM:
        return "out of memory";
    case HPDF_TTF_INVALID_FOMAT:
        return "not a valid TrueType font";
    case HPDF_TTF_INVALID_CMAP:
        return "unsupported TrueType cmap";
    case HPDF_TTF_MISSING_TABLE:
        return "TrueType table missing";
    case HPDF_TTF_CANNOT_EMBEDDING_FONT:
        return "font licence forbids embedding";
    case HPDF_INVALID_PARAMETER:
        return "invalid parameter";
    case HPDF_DUPLICATE_REGISTRATION:
        return "font registered twice";
    default:
        return "internal error";
    }
}

static bool is_io_error(HPDF_STATUS e)
{
    return e == HPDF_FILE_OPEN_ERROR || e == HPDF_FILE_IO_ERROR;
}

/* ---- the document ---- */

static rc_status build(rc_pdf *p, const rc_layout *lay, const rc_config *cfg, const rc_fonts *fonts)
{
    /* no current encoder: the text strings are written here (pdf_raw.c,
     * pdf_xmp.c), and the UTF-8 encoder, whose two 128 KB tables cost
     * 1.4 M instructions to fill, is set up only for a font that cannot be
     * reduced (pdf_face.c) */
    rc_pdf_ok(p, HPDF_SetCompressionMode(p->doc, HPDF_COMP_ALL));
    if (rc_pdf_failed(p)) return RC_ERR_LIBRARY;
    p->fonts = fonts;
    rc_pdf_fonts_groups(p, cfg, fonts);
    rc_pdf_page_key_head(p); /* a watcher's: pages drawn before are not drawn again */
    /* pages first: the codes each face shows are known once they are drawn,
     * and the fonts are registered under the names the pages use
     * (pdf_draw.c; page by page as the layout completes them) */
    p->spage = rc_shown_page_new(fonts);
    rc_status dst = rc_pdf_draw_pages(p, lay);
    rc_shown_page_free(p->spage);
    p->spage = NULL;
    /* every text is shown: a build's kept texts are written (rc/font.h) */
    rc_fonts_shown_done(fonts, dst == RC_OK && !rc_pdf_failed(p));
    if (dst != RC_OK) {
        rc_pdf_draw_wait(p);
        return dst;
    }
    if (rc_pdf_failed(p)) return RC_ERR_LIBRARY;
    /* the links, outline and structure tree are built while the other
     * thread draws the last pages (none of them reads the pages' fonts or
     * codes), then the reduced fonts are made there while the metadata is */
    if (!rc_pdf_failed(p)) rc_pdf_links(p);
    if (!rc_pdf_failed(p)) rc_pdf_outline(p, lay);
    if (!rc_pdf_failed(p) && lay->outline.n > 0)
        rc_pdf_ok(p, HPDF_SetPageMode(p->doc, HPDF_PAGE_MODE_USE_OUTLINE));
    if (!rc_pdf_failed(p)) rc_pdf_page_labels(p, lay);
    if (!rc_pdf_failed(p)) rc_pdf_struct_finish(p);
    if (!rc_pdf_draw_wait(p) || rc_pdf_failed(p)) return RC_ERR_LIBRARY;
    rc_status st = rc_pdf_fonts_prepare(p, cfg, fonts);
    if (st != RC_OK) return st;
    if (!rc_pdf_failed(p)) rc_pdf_archival(p, cfg);
    if (!rc_pdf_failed(p) && (st = rc_pdf_fonts_load(p)) != RC_OK) return st;
    if (!rc_pdf_failed(p)) rc_pdf_fonts_fix_tounicode(p);
    /* the document ID is the packer's (pdf_objstm.c) */
    return rc_pdf_failed(p) ? RC_ERR_LIBRARY : RC_OK;
}

rc_status rc_pdf_write(rc_arena *a, const rc_layout *lay, const rc_config *cfg,
                       const rc_fonts *fonts, const char *path, rc_diag *d)
{
    return rc_pdf_write_cached(a, lay, cfg, fonts, NULL, path, d);
}

/* libharu is loaded by the first PDF (hpdf_lib.h): the error when it
 * cannot be, at the [output] section as a workbook's (xlsx.c). */
static bool hpdf_loaded(const rc_config *cfg, const char *shown, rc_diag *d)
{
    const char *why = NULL;
    if (rc_hpdf_lib_load(&why)) return true;
    rc_loc where = cfg && cfg->output.directory.s ? cfg->output.directory.loc
                   : cfg                          ? cfg->output.loc
                                                  : (rc_loc){shown, 0, 0};
    if (!where.file) where = (rc_loc){shown, 0, 0};
    rc_diag_error(d, where, "cannot write PDF '%s': libhpdf cannot be loaded: %s", shown, why);
    if (*rc_hpdf_lib_package())
        rc_diag_note(d, where, "PDFs need the Debian package %s installed", rc_hpdf_lib_package());
    return false;
}

rc_status rc_pdf_write_cached(rc_arena *a, const rc_layout *lay, const rc_config *cfg,
                              const rc_fonts *fonts, rc_pdf_cache *cache, const char *path,
                              rc_diag *d)
{
    /* the gate: every libharu call needs the document made below */
    if (!hpdf_loaded(cfg, rc_out_shown(a, path), d)) return RC_ERR_LIBRARY;
    rc_pdf *p = rc_arena_alloc(a, sizeof *p);
    p->a = a;
    p->cache = cache;
    rc_pdf_cache_begin(cache);
    p->d = d;
    p->path = rc_out_shown(a, path); /* for diagnostics: build.c passes a temporary name */
    rc_loc here = {p->path, 0, 0};
    if (lay->pages.n == 0 && !lay->run) { /* a PDF without pages is invalid (poppler rejects it) */
        rc_diag_error(d, here, "nothing to write: the document has no pages");
        return RC_ERR_DATA;
    }

    rc_pdf_struct_begin(p, lay);
    /* not libharu's memory pool (HPDF_NewEx with a block size): it saves
     * a malloc and a free per object (7 M instructions of the sample) but
     * carves objects at any byte offset, and UBSan rejects the misaligned
     * dictionaries; the arena's blocks (pdf_heap.c) are aligned, and the
     * document is dropped at the end rather than freed object by object */
    HPDF_Alloc_Func alloc_fn;
    HPDF_Free_Func free_fn;
    rc_pdf_heap *heap = rc_pdf_heap_begin(a, &alloc_fn, &free_fn);
    p->doc = HPDF_NewEx(on_error, alloc_fn, free_fn, 0, p);
    if (!p->doc) {
        rc_pdf_heap_end(heap);
        rc_diag_error(d, here, "cannot start a PDF document (libharu out of memory)");
        return RC_ERR_NOMEM;
    }
    /* deflating overlaps drawing from the second page on */
    if (lay->pages.n >= 2 || lay->run) rc_pdf_zip_start(p);
    size_t before = rc_diag_errors(d);
    rc_status st = build(p, lay, cfg, fonts);
    rc_pdf_draw_end(p);
    char *tmp = NULL;
    bool direct = false; /* path is the build's temporary: written once (rc/util.h) */
    if (st == RC_OK) {
        tmp = rc_out_tmpfor(a, path, &direct);
        if (!tmp) {
            st = RC_ERR_IO;
        } else {
            if (!rc_pdf_save_packed(p, tmp) || rc_pdf_failed(p))
                st = is_io_error(p->err) ? RC_ERR_IO : RC_ERR_LIBRARY;
        }
    }
    HPDF_STATUS err = p->err, detail = p->err_detail;
    int eno = p->err_errno;
    rc_pdf_heap_end(heap); /* the document's memory: HPDF_Free is not needed */
    p->doc = NULL;
    rc_pdf_zip_free(p);
    /* the pages' memo last: pages taken from it pointed into its mapping */
    rc_zmemo_close(p->pmemo, st == RC_OK);
    p->pmemo = NULL;
    rc_pdf_fonts_release(p);
    if (st != RC_OK) {
        if (tmp) rc_out_drop(tmp, direct); /* (libharu leaves what it wrote) */
        if (rc_diag_errors(d) == before) {
            if (err != HPDF_OK && is_io_error(err) && eno)
                rc_diag_error(d, here, "cannot write PDF: %s", strerror(eno));
            else if (err != HPDF_OK)
                rc_diag_error(d, here, "cannot write PDF: libharu error 0x%04X/%u (%s)",
                              (unsigned)err, (unsigned)detail, hpdf_strerror(err));
            else
                rc_diag_error(d, here, "cannot write PDF: %s", rc_strerror(st));
        }
        return st;
    }
    st = direct ? RC_OK : rc_out_rename(tmp, path);
    if (st == RC_OK) rc_pdf_cache_sweep(cache); /* what this write did not use goes */
    if (st != RC_OK)
        rc_diag_error(d, here, "cannot move the finished PDF into place: %s", strerror(errno));
    return st;
}
