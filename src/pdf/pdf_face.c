/* pdf_face: the faces the pages show, loaded into libharu.
 *
 * libharu is given a reduced copy of each file (rc_ttf_reduce: a cmap of
 * only the shown codes, no layout tables) through an in-memory stream, and
 * reads its metrics from it (a libharu font definition). The font objects
 * of a reduced copy, which is embedded as it is, are written as text
 * (pdf_fontobj.c): libharu's HPDF_GetFont would walk all 65,536 codes of
 * its encoder per face. Only a font rc_ttf_reduce cannot reduce is still
 * built by libharu (get_font) and subset by it: its shown glyphs are marked
 * as used right after loading (HPDF_TTFontDef_GetCharWidth, what
 * HPDF_Page_ShowText does), since pages are written without ShowText.
 *
 * Order: the pages are drawn first (the codes each face shows are known
 * only then; a font's resource name on a page is F1, F2, ... in order of
 * first use, pdf_draw.c). rc_pdf_fonts_prepare then starts the reduced
 * copies, on the deflating thread when there is one (pdf_zip.c: hb-subset
 * is a tenth of the PDF stage), while the main thread builds the links,
 * outline and structure tree; rc_pdf_fonts_load takes the copies, loads
 * them into libharu and registers each page's fonts in the order the page
 * used them, which gives them the names the content already uses (checked).
 * With a cache (pdf_cache.c), a reduced copy made by an earlier write is
 * reused when the file and the codes are the same; else one kept in the
 * cache directory by an earlier build (pdf_fontdisk.c). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pdf_face.h"
#include "pdf_int.h"
#include "rc/util.h"

static const char *const FACE[RC_FONT_COUNT] = {"regular", "italic", "bold", "bold italic",
                                                "light"};

static const char *face_path(const rc_config *cfg, const rc_fonts *fonts, int i)
{
    if (fonts && fonts->f[i]) return rc_font_path(fonts->f[i]);
    if (cfg) return cfg->style.font_path[i];
    return NULL;
}

/* libharu names a bold or italic face "Lato-Bold,Bold": the ",Style" suffix
 * is the convention for fonts that are *not* embedded (a hint for font
 * substitution); an embedded face keeps its PostScript name. Renamed before
 * HPDF_GetFont so the font dictionaries, the descriptor and the subset tag
 * all use the plain name, unless an earlier face already has it (a family
 * whose faces share one PostScript name). Returns the name to look the face
 * up by, copied into the arena. */
static const char *plain_name(rc_pdf *p, const char *name, const char *const *taken, int ntaken)
{
    HPDF_FontDef def = HPDF_GetFontDef(p->doc, name);
    char *comma = def ? strchr(def->base_font, ',') : NULL;
    if (!comma || def->type != HPDF_FONTDEF_TYPE_TRUETYPE) return rc_arena_strdup(p->a, name);
    size_t plain = (size_t)(comma - def->base_font);
    for (int k = 0; k < ntaken; k++)
        if (taken[k] && strlen(taken[k]) == plain && strncmp(taken[k], name, plain) == 0)
            return rc_arena_strdup(p->a, name);
    HPDF_TTFontDefAttr attr = def->attr;
    *comma = '\0';
    char *c2 = attr ? strchr(attr->base_font, ',') : NULL;
    if (c2) *c2 = '\0';
    return rc_arena_strdup(p->a, def->base_font);
}

/* A libharu stream reading font bytes held in the arena: the file reader
 * it would otherwise use does an fread (and, after every seek, a read(2))
 * for each 2- or 4-byte field. Same semantics: short reads zero-fill and
 * report HPDF_STREAM_EOF, seeks past the end are allowed. */
typedef struct memsrc {
    const unsigned char *d;
    size_t len, pos;
} memsrc;

static HPDF_STATUS mem_read(HPDF_Stream s, HPDF_BYTE *ptr, HPDF_UINT *siz)
{
    memsrc *m = s->attr;
    size_t want = *siz, have = m->pos < m->len ? m->len - m->pos : 0;
    if (want <= have) {
        memcpy(ptr, m->d + m->pos, want);
        m->pos += want;
        return HPDF_OK;
    }
    memset(ptr, 0, want);
    if (have) memcpy(ptr, m->d + m->pos, have);
    m->pos += have;
    *siz = (HPDF_UINT)have;
    return HPDF_STREAM_EOF;
}

static HPDF_STATUS mem_seek(HPDF_Stream s, HPDF_INT pos, HPDF_WhenceMode mode)
{
    memsrc *m = s->attr;
    int64_t base = mode == HPDF_SEEK_SET   ? 0
                   : mode == HPDF_SEEK_CUR ? (int64_t)m->pos
                                           : (int64_t)m->len;
    if (base + pos < 0) return HPDF_SetError(s->error, HPDF_FILE_IO_ERROR, 0);
    m->pos = (size_t)(base + pos);
    return HPDF_OK;
}

static HPDF_INT32 mem_tell(HPDF_Stream s)
{
    const memsrc *m = s->attr;
    return (HPDF_INT32)m->pos;
}

static HPDF_UINT32 mem_size(HPDF_Stream s)
{
    const memsrc *m = s->attr;
    return (HPDF_UINT32)m->len;
}

/* HPDF_LoadTTFontFromFile (embedding) for bytes in memory: the same font
 * definition, registration and subset tag (HPDFAA, HPDFAB, ...). */
static const char *load_ttf(rc_pdf *p, const unsigned char *data, size_t len)
{
    HPDF_Doc doc = p->doc;
    memsrc *m = rc_arena_alloc(p->a, sizeof *m);
    m->d = data;
    m->len = len;
    HPDF_Stream s = HPDF_CallbackReader_New(doc->mmgr, mem_read, mem_seek, mem_tell, mem_size, m);
    HPDF_FontDef def = s ? HPDF_TTFontDef_Load(doc->mmgr, s, HPDF_TRUE) : NULL; /* owns s */
    if (!def || HPDF_Doc_RegisterFontDef(doc, def) != HPDF_OK) {                /* frees def */
        HPDF_CheckError(&doc->error);
        if (!rc_pdf_failed(p)) rc_pdf_ok(p, HPDF_TTF_INVALID_FOMAT);
        return NULL;
    }
    HPDF_BYTE *tag = doc->ttfont_tag;
    if (tag[0] == 0) {
        memcpy(tag, "HPDFAA", 6);
    } else {
        for (int i = 5; i >= 0; i--) {
            tag[i]++;
            if (tag[i] <= 'Z') break;
            tag[i] = 'A';
        }
    }
    HPDF_TTFontDef_SetTagName(def, (char *)tag);
    return def->base_font;
}

/* The codes of face i and of the later faces drawn from the same file,
 * ascending. */
static uint32_t *face_codes(rc_pdf *p, const char *const *paths, int i, size_t *n)
{
    /* a word at a time: the sets are 8 KiB, the codes a few hundred */
    enum { WORDS = RC_PDF_CODESET_BYTES / 8 };
    uint64_t *set = rc_arena_array(p->a, WORDS, sizeof *set);
    size_t count = 0;
    for (int k = i; k < RC_FONT_COUNT; k++) {
        if (!p->codes[k] || !paths[k] || strcmp(paths[k], paths[i]) != 0) continue;
        for (size_t w = 0; w < WORDS; w++) {
            uint64_t v;
            memcpy(&v, p->codes[k] + 8 * w, 8);
            set[w] |= v;
        }
    }
    for (size_t w = 0; w < WORDS; w++)
        count += (size_t)__builtin_popcountll(set[w]);
    uint32_t *codes = rc_arena_array(p->a, count ? count : 1, sizeof *codes);
    size_t o = 0;
    const unsigned char *bytes = (const unsigned char *)set; /* bit b of byte k: code 8k + b */
    for (uint32_t w = 0; w < WORDS; w++)
        for (uint32_t b = 8 * w; set[w] && b < 8 * w + 8; b++)
            for (unsigned v = bytes[b]; v; v &= v - 1)
                codes[o++] = b * 8 + (uint32_t)__builtin_ctz(v);
    *n = o;
    return codes;
}

/* The codes for the reduced cmap: the shown ones plus 'H' and 'x', whose
 * outlines libharu measures for CapHeight and XHeight. */
static uint32_t *with_metric_codes(rc_pdf *p, const uint32_t *codes, size_t n, size_t *m)
{
    static const uint32_t extra[] = {'H', 'x'};
    uint32_t *out = rc_arena_array(p->a, n + 2, sizeof *out);
    size_t o = 0, e = 0;
    for (size_t i = 0; i < n || e < 2;) {
        uint32_t c = i < n && (e == 2 || codes[i] <= extra[e]) ? codes[i++] : extra[e++];
        if (o == 0 || out[o - 1] != c) out[o++] = c;
    }
    *m = o;
    return out;
}

/* A read-only view of a regular, non-empty file (*len bytes), or NULL with
 * errno set. Fonts are mapped rather than read: only a small part of them
 * goes into the reduced copy. */
static const unsigned char *map_file(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return NULL;
    struct stat st;
    void *m = MAP_FAILED;
    if (fstat(fd, &st) != 0) {
        /* errno from fstat */
    } else if (S_ISREG(st.st_mode) && st.st_size > 0) {
        *len = (size_t)st.st_size;
        m = mmap(NULL, *len, PROT_READ, MAP_PRIVATE, fd, 0);
    } else {
        errno = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
    }
    int e = errno;
    close(fd);
    errno = e;
    return m == MAP_FAILED ? NULL : m;
}

/* HPDF_GetFont(name, "UTF-8") without libharu's walk over every code.
 * Building the CID font (CIDFontType2_New in hpdf_font_cid.c) asks the
 * encoder for each of the 65,536 codes, looks each one up in the font's
 * cmap and writes /W and a 128 KB CIDToGIDMap up to the highest: ~8.8M
 * instructions per face, a sixth of a build. For a CMap encoder it takes
 * only the codes the encoder's cid_map lists, up to the highest of them.
 * So while the font is built, the UTF-8 encoder (whose attributes are a
 * CMap encoder's, with empty maps) presents itself as one listing exactly
 * codes[0..n), each as its own CID and Unicode value, which is what the
 * UTF-8 path computes for them; everything is restored before returning.
 * /W and the map are rewritten from the same lookups before saving
 * (trim_font), so the PDF is unchanged (and the caller lists one code). */
static HPDF_Font get_font(rc_pdf *p, const char *name, const uint32_t *codes, size_t n)
{
    /* registered on first use: HPDF_GetEncoder fills its tables then */
    if (!p->utf8 && !rc_pdf_ok(p, HPDF_UseUTFEncodings(p->doc))) return NULL;
    p->utf8 = true;
    HPDF_Encoder enc = HPDF_GetEncoder(p->doc, "UTF-8");
    HPDF_CMapEncoderAttr ea = enc ? enc->attr : NULL;
    if (!ea || n == 0 || enc->type != HPDF_ENCODER_TYPE_DOUBLE_BYTE)
        return HPDF_GetFont(p->doc, name, "UTF-8");
    HPDF_UNICODE *old_u = rc_arena_array(p->a, n, sizeof *old_u);
    HPDF_UINT16 *old_c = rc_arena_array(p->a, n, sizeof *old_c);
    for (size_t k = 0; k < n; k++) {
        uint32_t c = codes[k] & 0xFFFF;
        old_u[k] = ea->unicode_map[c >> 8][c & 0xFF];
        old_c[k] = ea->cid_map[c >> 8][c & 0xFF];
        ea->unicode_map[c >> 8][c & 0xFF] = (HPDF_UNICODE)c;
        ea->cid_map[c >> 8][c & 0xFF] = (HPDF_UINT16)c;
    }
    HPDF_Encoder_ToUnicode_Func was = enc->to_unicode_fn;
    enc->to_unicode_fn = HPDF_CMapEncoder_ToUnicode;
    HPDF_Font f = HPDF_GetFont(p->doc, name, "UTF-8");
    enc->to_unicode_fn = was;
    for (size_t k = n; k-- > 0;) {
        uint32_t c = codes[k] & 0xFFFF;
        ea->unicode_map[c >> 8][c & 0xFF] = old_u[k];
        ea->cid_map[c >> 8][c & 0xFF] = old_c[k];
    }
    return f;
}

/* The cache key of a reduced font (pdf_cache.c): the file's identity as
 * stat(2) gives it (an edited or replaced font file is a new key), the
 * codes the reduced cmap maps, the ligature glyphs and the path. False when
 * the file cannot be stat'ed (the uncached path reports why). */
static bool font_key(rc_pdf *p, const char *path, const uint32_t *cmap, size_t m,
                     const uint16_t lig[32], unsigned char **key, size_t *n)
{
    rc_file_sig sig = rc_file_sig_of(path);
    if (!sig.exists) return false;
    int64_t id[5] = {(int64_t)sig.dev, (int64_t)sig.ino, (int64_t)sig.size, sig.mtime_ns,
                     (int64_t)m};
    *key = rc_pdf_font_key(p->a, id, sizeof id, cmap, m, lig, path, n);
    return true;
}

/* Starts making face i's reduced copy (or finds it in the cache). */
static rc_status prepare_face(rc_pdf *p, const char *const *paths, int i)
{
    rc_pdf_face *f = &p->faces[i];
    f->codes = face_codes(p, paths, i, &f->n);
    f->cmap = with_metric_codes(p, f->codes, f->n, &f->m);
    const char **text = p->ligtext[i] = rc_arena_array(p->a, 32, sizeof *p->ligtext[i]);
    const rc_font *rf = p->fonts ? p->fonts->f[i] : NULL;
    for (size_t k = 0; k < f->n && f->codes[k] < 32; k++) /* ligature glyphs (font.h) */
        if (rf && rc_font_ligature(rf, f->codes[k], &f->lig[f->codes[k]], &text[f->codes[k]]))
            f->ligs = true;
    f->job = SIZE_MAX;
    if (p->cache && font_key(p, paths[i], f->cmap, f->m, f->lig, &f->key, &f->nkey))
        f->red = rc_pdf_cache_get(p->cache, RC_PDF_CK_FONT, f->key, f->nkey, &f->rlen);
    if (f->red) return RC_OK;
    /* made by an earlier build (pdf_fontdisk.c): the file is not even read */
    if (rc_pdf_fontdisk_key(p->a, paths[i], f->cmap, f->m, f->lig, &f->disk) &&
        (f->red = rc_pdf_fontdisk_get(p->a, &f->disk, &f->rlen))) {
        f->fromdisk = true;
        return RC_OK;
    }
    /* the bytes layout measured, when they are the file's at this path */
    if (rf) f->bytes = rc_font_bytes(rf, paths[i], &f->len);
    if (!f->bytes) {
        f->view = map_file(paths[i], &f->maplen);
        f->bytes = f->view;
        f->len = f->maplen;
    }
    if (!f->bytes) { /* not a regular file that can be mapped: read it */
        char *data;
        if (errno == ENOENT || errno == EACCES || errno == EISDIR ||
            rc_read_file(p->a, paths[i], &data, &f->len) != RC_OK) {
            rc_diag_error(p->d, f->loc, "cannot read %s font '%s': %s", FACE[i], paths[i],
                          rc_read_error(errno));
            return RC_ERR_IO;
        }
        f->bytes = (const unsigned char *)data;
    }
    if (p->zip) f->job = rc_pdf_zip_reduce(p, f->bytes, f->len, f->cmap, f->m, f->lig);
    if (f->job == SIZE_MAX) {
        unsigned char *red;
        if (rc_ttf_reduce_lig(p->a, f->bytes, f->len, f->cmap, f->m, f->lig, &red, &f->rlen) ==
            RC_OK) {
            f->red = red;
            f->made = true;
        }
    }
    return RC_OK;
}

void rc_pdf_fonts_groups(rc_pdf *p, const rc_config *cfg, const rc_fonts *fonts)
{
    for (int i = 0; i < RC_FONT_COUNT; i++) {
        const char *pi = face_path(cfg, fonts, i);
        p->fgroup[i] = i;
        for (int k = 0; k < i && p->fgroup[i] == i; k++) {
            const char *pk = face_path(cfg, fonts, k);
            if (pi && pk && pi[0] && strcmp(pi, pk) == 0) p->fgroup[i] = p->fgroup[k];
        }
    }
}

rc_status rc_pdf_fonts_prepare(rc_pdf *p, const rc_config *cfg, const rc_fonts *fonts)
{
    const char *paths[RC_FONT_COUNT] = {0};
    p->faces = rc_arena_array(p->a, RC_FONT_COUNT, sizeof *p->faces);
    for (int i = 0; i < RC_FONT_COUNT; i++)
        if (p->codes[i]) paths[i] = face_path(cfg, fonts, i);
    for (int i = 0; i < RC_FONT_COUNT; i++) {
        rc_pdf_face *f = &p->faces[i];
        f->share = -1;
        if (!p->codes[i]) continue; /* only faces that show text are embedded */
        f->path = paths[i];
        f->loc = cfg ? cfg->style.font_loc[i] : (rc_loc){p->path, 0, 0};
        if (!paths[i] || !paths[i][0]) {
            rc_diag_error(p->d, f->loc, "no file for the %s font face", FACE[i]);
            return RC_ERR_CONFIG;
        }
        /* the same file for two faces (one group, rc_pdf_fonts_groups):
         * load once (libharu refuses twice) */
        for (int k = 0; k < i && f->share < 0; k++)
            if (p->faces[k].load && p->fgroup[k] == p->fgroup[i]) f->share = k;
        if (f->share >= 0) continue;
        f->load = true;
        rc_status st = prepare_face(p, paths, i);
        if (st != RC_OK) return st;
    }
    return RC_OK;
}

static void unmap(rc_pdf_face *f)
{
    if (f->view) munmap((void *)(uintptr_t)f->view, f->maplen);
    f->view = NULL;
}

void rc_pdf_fonts_release(rc_pdf *p)
{
    for (int i = 0; p->faces && i < RC_FONT_COUNT; i++)
        unmap(&p->faces[i]);
}

/* Loads face i's reduced copy (the original bytes when the font is not one
 * rc_ttf_reduce handles), registers it and marks its shown glyphs as used,
 * as HPDF_Page_ShowText would have. */
static rc_status load_face(rc_pdf *p, int i, const char **names)
{
    rc_pdf_face *f = &p->faces[i];
    /* made on the worker or by prepare_face (not found in the cache) */
    bool made = f->job != SIZE_MAX ? rc_pdf_zip_reduced(p, f->job, &f->red, &f->rlen) : f->made;
    if ((made || f->fromdisk) && f->key)
        rc_pdf_cache_put(p->cache, RC_PDF_CK_FONT, f->key, f->nkey, f->red, f->rlen);
    if (made) rc_pdf_fontdisk_put(&f->disk, f->red, f->rlen);
    const unsigned char *bytes = f->red;
    size_t len = f->rlen;
    if (bytes) {
        p->ffile[i] = bytes;
        p->nffile[i] = len;
    } else if (f->ligs) { /* the original has no code for a ligature glyph */
        rc_diag_error(p->d, f->loc, "cannot embed the ligatures of %s font '%s'", FACE[i], f->path);
        return RC_ERR_LIBRARY;
    } else { /* libharu reads the original until it saves */
        unsigned char *copy = rc_arena_alloc(p->a, f->len);
        memcpy(copy, f->bytes, f->len);
        bytes = copy;
        len = f->len;
    }
    unmap(f);
    const char *name = load_ttf(p, bytes, len);
    if (name) name = names[i] = plain_name(p, name, names, i);
    /* get_font (an original file): the lowest code only: /W and the
     * CIDToGIDMap that libharu makes from
     * the listed codes, up to the highest, are rewritten from the shown
     * codes by trim_font anyway, and listing them all made libharu walk
     * every code up to U+201D (the sample's quotes) per face: 2.5 M
     * instructions for nothing */
    /* a reduced copy: font is the Type0 font's placeholder, which is all
     * the pages' resources need (register_pages) */
    HPDF_Font font = NULL;
    if (name && f->red)
        font = rc_pdf_fontobj_new(p, f, HPDF_GetFontDef(p->doc, name));
    else if (name)
        font = get_font(p, name, f->cmap, 1);
    HPDF_FontAttr attr = font && !f->raw ? font->attr : NULL;
    if (!font || (!f->raw && !attr) || rc_pdf_failed(p)) {
        if (p->err == HPDF_DUPLICATE_REGISTRATION) { /* (faces of one file share one) */
            rc_diag_error(p->d, f->loc,
                          "the %s font '%s' has the PostScript name of another face's font, "
                          "from another file: a PDF embeds one font of a name, so give both "
                          "faces the same file",
                          FACE[i], f->path);
            return RC_ERR_CONFIG;
        }
        rc_diag_error(p->d, f->loc, "libharu cannot embed %s font '%s' (error 0x%04X)", FACE[i],
                      f->path, (unsigned)p->err);
        return RC_ERR_LIBRARY;
    }
    /* libharu's own subsetting (the original embedded) keeps the glyphs
     * marked as used */
    for (size_t k = 0; attr && k < f->n; k++)
        HPDF_TTFontDef_GetCharWidth(attr->fontdef, (HPDF_UINT16)f->codes[k]);
    p->font[i] = font;
    p->fcodes[i] = f->codes;
    p->nfcodes[i] = f->n;
    return rc_pdf_failed(p) ? RC_ERR_LIBRARY : RC_OK;
}

/* Registers each page's fonts in the order the page used them: libharu
 * names the k-th "F<k>", the name the content shows (pdf_draw.c). */
static void register_pages(rc_pdf *p)
{
    for (size_t i = 0; i < p->pfonts.n && !rc_pdf_failed(p); i++) {
        const rc_pdf_pagefonts *pf = &p->pfonts.v[i];
        for (unsigned k = 0; k < pf->n; k++) {
            HPDF_Font font = NULL; /* any face of the font's group */
            for (int j = 0; j < RC_FONT_COUNT && !font; j++)
                if (p->fgroup[j] == pf->order[k]) font = p->font[j];
            const char *name = font ? HPDF_Page_GetLocalFontName(pf->pg, font) : NULL;
            char want[8];
            snprintf(want, sizeof want, "F%u", k + 1);
            if (!name || strcmp(name, want) != 0) {
                rc_pdf_ok(p, HPDF_INVALID_FONT);
                return;
            }
        }
    }
}

rc_status rc_pdf_fonts_load(rc_pdf *p)
{
    const char *names[RC_FONT_COUNT] = {0};
    for (int i = 0; i < RC_FONT_COUNT; i++) {
        rc_pdf_face *f = &p->faces[i];
        if (f->share >= 0) p->font[i] = p->font[f->share];
        if (!f->load) continue;
        rc_status st = load_face(p, i, names);
        if (st != RC_OK) return st;
    }
    register_pages(p);
    return rc_pdf_failed(p) ? RC_ERR_LIBRARY : RC_OK;
}
