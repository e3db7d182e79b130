/* pdf_fonts: the TrueType faces and their ToUnicode CMaps.
 *
 * libharu 2.3.0 with HPDF_UseUTFEncodings shows text as two-byte codes equal
 * to the Unicode BMP code point (Identity-H, with a CIDToGIDMap from code to
 * glyph), embeds a real glyph subset (outlines of unused glyphs are emptied,
 * BaseFont gets a "HPDFAA+" tag), but its ToUnicode stream is a copy of the
 * encoding CMap (begincidrange), which readers reject. Before saving, each
 * font's ToUnicode stream is rewritten with bfchar/bfrange entries for
 * exactly the codes the document shows.
 *
 * Loading: libharu is given a reduced copy of each file (rc_ttf_reduce: a
 * cmap of only the shown codes, no layout tables) through an in-memory
 * stream, because building the CID font from the full cmap costs it tens of
 * millions of instructions per face. The glyphs the document shows are
 * marked as used right after loading (HPDF_TTFontDef_GetCharWidth, what
 * HPDF_Page_ShowText does), since pages are written without ShowText, and
 * the CID font is built from those codes only (get_font).
 *
 * Ligatures (font.h): a ligature glyph is shown by a code 1..31; the
 * reduced font's cmap maps it to the glyph (so libharu's CIDToGIDMap and
 * /W do) and the ToUnicode CMap to the characters it stands for. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pdf_int.h"
#include "rc/util.h"

/* ---- the CMap text ---- */

typedef rc_strbuf sbuf;

static void hex4(sbuf *b, uint32_t v)
{
    static const char digits[] = "0123456789ABCDEF";
    char t[6] = {
        '<', digits[(v >> 12) & 15], digits[(v >> 8) & 15], digits[(v >> 4) & 15], digits[v & 15],
        '>'};
    rc_strbuf_put(b, t, 6);
}

typedef struct entry {
    uint32_t lo, hi;
    const char *text; /* a ligature's characters (UTF-8), else NULL */
} entry;

/* UTF-8 text as UTF-16BE hex digits in <>, surrogate pairs above the BMP. */
static void hex_utf16(sbuf *b, const char *s)
{
    static const char digits[] = "0123456789ABCDEF";
    rc_strbuf_put(b, "<", 1);
    for (size_t i = 0, n = strlen(s); i < n;) {
        uint32_t cp;
        size_t k = rc_utf8_decode(s + i, n - i, &cp);
        if (k == 0) {
            cp = 0xFFFD;
            k = 1;
        }
        i += k;
        uint32_t u[2] = {cp, 0};
        int nu = 1;
        if (cp > 0xFFFF) {
            u[0] = 0xD800 + ((cp - 0x10000) >> 10);
            u[1] = 0xDC00 + ((cp - 0x10000) & 0x3FF);
            nu = 2;
        }
        for (int q = 0; q < nu; q++) {
            char t[4] = {digits[(u[q] >> 12) & 15], digits[(u[q] >> 8) & 15],
                         digits[(u[q] >> 4) & 15], digits[u[q] & 15]};
            rc_strbuf_put(b, t, 4);
        }
    }
    rc_strbuf_put(b, ">", 1);
}

/* Writes entries [from, to) of one kind in blocks of at most 100. */
static void blocks(sbuf *b, const entry *e, size_t n, bool range)
{
    for (size_t i = 0; i < n; i += 100) {
        size_t m = n - i < 100 ? n - i : 100;
        char head[32];
        snprintf(head, sizeof head, "%zu %s\n", m, range ? "beginbfrange" : "beginbfchar");
        rc_strbuf_puts(b, head);
        for (size_t k = i; k < i + m; k++) {
            hex4(b, e[k].lo);
            rc_strbuf_put(b, " ", 1);
            if (range) {
                hex4(b, e[k].hi);
                rc_strbuf_put(b, " ", 1);
            }
            if (e[k].text)
                hex_utf16(b, e[k].text);
            else
                hex4(b, e[k].lo);
            rc_strbuf_put(b, "\n", 1);
        }
        rc_strbuf_puts(b, range ? "endbfrange\n" : "endbfchar\n");
    }
}

char *rc_pdf_tounicode(rc_arena *a, const uint32_t *codes, size_t n, size_t *len)
{
    return rc_pdf_tounicode_lig(a, codes, n, NULL, len);
}

char *rc_pdf_tounicode_lig(rc_arena *a, const uint32_t *codes, size_t n,
                           const char *const lig[32], size_t *len)
{
    entry *chars = rc_arena_array(a, n ? n : 1, sizeof *chars);
    entry *ranges = rc_arena_array(a, n ? n : 1, sizeof *ranges);
    size_t nc = 0, nr = 0;
    for (size_t i = 0; i < n;) {
        if (codes[i] < 32 && lig && lig[codes[i]]) { /* a ligature: its characters */
            chars[nc++] = (entry){codes[i], codes[i], lig[codes[i]]};
            i++;
            continue;
        }
        size_t j = i + 1;
        /* a bfrange may only vary in the last byte of the code */
        while (j < n && codes[j] == codes[j - 1] + 1 && (codes[j] >> 8) == (codes[i] >> 8) &&
               !(codes[j] < 32 && lig && lig[codes[j]]))
            j++;
        if (j - i >= 2)
            ranges[nr++] = (entry){codes[i], codes[j - 1], NULL};
        else
            chars[nc++] = (entry){codes[i], codes[i], NULL};
        i = j;
    }
    sbuf b = {a, NULL, 0, 0};
    rc_strbuf_puts(&b, "/CIDInit /ProcSet findresource begin\n"
                       "12 dict begin\n"
                       "begincmap\n"
                       "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
                       "/CMapName /Adobe-Identity-UCS def\n"
                       "/CMapType 2 def\n"
                       "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
    blocks(&b, chars, nc, false);
    blocks(&b, ranges, nr, true);
    rc_strbuf_puts(&b, "endcmap\n"
                       "CMapName currentdict /CMap defineresource pop\n"
                       "end\n"
                       "end\n");
    *len = b.n;
    return b.s;
}

/* ---- loading ---- */

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
    unsigned char *set = rc_arena_alloc(p->a, RC_PDF_CODESET_BYTES);
    size_t count = 0;
    for (int k = i; k < RC_FONT_COUNT; k++) {
        if (!p->codes[k] || !paths[k] || strcmp(paths[k], paths[i]) != 0) continue;
        for (size_t b = 0; b < RC_PDF_CODESET_BYTES; b++)
            set[b] |= p->codes[k][b];
    }
    for (size_t b = 0; b < RC_PDF_CODESET_BYTES; b++)
        for (unsigned v = set[b]; v; v &= v - 1)
            count++;
    uint32_t *codes = rc_arena_array(p->a, count ? count : 1, sizeof *codes);
    size_t o = 0;
    for (uint32_t b = 0; b < RC_PDF_CODESET_BYTES; b++)
        if (set[b])
            for (uint32_t bit = 0; bit < 8; bit++)
                if (set[b] >> bit & 1) codes[o++] = b * 8 + bit;
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
 * (trim_font), so the PDF is unchanged. */
static HPDF_Font get_font(rc_pdf *p, const char *name, const uint32_t *codes, size_t n)
{
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

/* Loads the file at path for face i, reduced to the codes the document
 * shows (the original bytes when the font is not one rc_ttf_reduce
 * handles), registers it and marks its shown glyphs as used, as
 * HPDF_Page_ShowText would have. */
/* The cache key of a reduced font (pdf_cache.c): the file's identity as
 * stat(2) gives it (an edited or replaced font file is a new key), the
 * codes the reduced cmap maps, the ligature glyphs and the path. False when
 * the file cannot be stat'ed (the uncached path reports why). */
static bool font_key(rc_pdf *p, const char *path, const uint32_t *cmap, size_t m,
                     const uint16_t lig[32], unsigned char **key, size_t *n)
{
    struct stat st;
    if (stat(path, &st) != 0) return false;
    int64_t id[6] = {(int64_t)st.st_dev,         (int64_t)st.st_ino,
                     (int64_t)st.st_size,        (int64_t)st.st_mtim.tv_sec,
                     (int64_t)st.st_mtim.tv_nsec, (int64_t)m};
    size_t plen = strlen(path);
    *n = sizeof id + m * sizeof *cmap + 32 * sizeof *lig + plen;
    unsigned char *k = *key = rc_arena_alloc(p->a, *n);
    memcpy(k, id, sizeof id);
    memcpy(k + sizeof id, cmap, m * sizeof *cmap);
    memcpy(k + sizeof id + m * sizeof *cmap, lig, 32 * sizeof *lig);
    memcpy(k + sizeof id + m * sizeof *cmap + 32 * sizeof *lig, path, plen);
    return true;
}

/* Loads the file at path for face i, reduced to the codes the document
 * shows (the original bytes when the font is not one rc_ttf_reduce
 * handles), registers it and marks its shown glyphs as used, as
 * HPDF_Page_ShowText would have. With a cache, the reduced font of an
 * earlier write is reused when the file and the codes are the same. */
static rc_status load_face(rc_pdf *p, const char *const *paths, int i, const char **names,
                           rc_loc loc, const char *face)
{
    size_t n, m;
    uint32_t *codes = face_codes(p, paths, i, &n);
    uint32_t *cmap = with_metric_codes(p, codes, n, &m);
    uint16_t lig[32] = {0};
    bool ligs = false;
    const char **text = p->ligtext[i] = rc_arena_array(p->a, 32, sizeof *p->ligtext[i]);
    const rc_font *rf = p->fonts ? p->fonts->f[i] : NULL;
    for (size_t k = 0; k < n && codes[k] < 32; k++) /* ligature glyphs (font.h) */
        if (rf && rc_font_ligature(rf, codes[k], &lig[codes[k]], &text[codes[k]])) ligs = true;

    unsigned char *key = NULL;
    size_t nkey = 0, len = 0;
    const unsigned char *bytes = NULL;
    if (p->cache && font_key(p, paths[i], cmap, m, lig, &key, &nkey))
        bytes = rc_pdf_cache_get(p->cache, RC_PDF_CK_FONT, key, nkey, &len);
    if (bytes) {
        p->ffile[i] = bytes;
        p->nffile[i] = len;
    } else {
        size_t maplen = 0;
        const unsigned char *view = map_file(paths[i], &maplen);
        bytes = view;
        len = maplen;
        if (!view) { /* not a regular file that can be mapped: read it */
            char *data;
            if (errno == ENOENT || errno == EACCES || errno == EISDIR ||
                rc_read_file(p->a, paths[i], &data, &len) != RC_OK) {
                rc_diag_error(p->d, loc, "cannot read %s font '%s': %s", face, paths[i],
                              rc_read_error(errno));
                return RC_ERR_IO;
            }
            bytes = (const unsigned char *)data;
        }
        unsigned char *red;
        size_t rlen;
        if (rc_ttf_reduce_lig(p->a, bytes, len, cmap, m, lig, &red, &rlen) == RC_OK) {
            bytes = red;
            len = rlen;
            p->ffile[i] = red;
            p->nffile[i] = rlen;
            if (key) rc_pdf_cache_put(p->cache, RC_PDF_CK_FONT, key, nkey, red, rlen);
        } else if (ligs) { /* the original has no code for a ligature glyph */
            if (view) munmap((void *)(uintptr_t)view, maplen);
            rc_diag_error(p->d, loc, "cannot embed the ligatures of %s font '%s'", face, paths[i]);
            return RC_ERR_LIBRARY;
        } else if (view) { /* libharu reads the original until it saves */
            unsigned char *copy = rc_arena_alloc(p->a, len);
            memcpy(copy, view, len);
            bytes = copy;
        }
        if (view) munmap((void *)(uintptr_t)view, maplen);
    }
    const char *name = load_ttf(p, bytes, len);
    if (name) name = names[i] = plain_name(p, name, names, i);
    HPDF_Font f = name ? get_font(p, name, cmap, m) : NULL;
    HPDF_FontAttr attr = f ? f->attr : NULL;
    if (!f || !attr || rc_pdf_failed(p)) {
        rc_diag_error(p->d, loc, "libharu cannot embed %s font '%s' (error 0x%04X)", face, paths[i],
                      (unsigned)p->err);
        return RC_ERR_LIBRARY;
    }
    for (size_t k = 0; k < n; k++)
        HPDF_TTFontDef_GetCharWidth(attr->fontdef, (HPDF_UINT16)codes[k]);
    p->font[i] = f;
    p->fcodes[i] = codes;
    p->nfcodes[i] = n;
    return rc_pdf_failed(p) ? RC_ERR_LIBRARY : RC_OK;
}

rc_status rc_pdf_fonts_load(rc_pdf *p, const rc_config *cfg, const rc_fonts *fonts)
{
    static const char *const face[RC_FONT_COUNT] = {"regular", "italic", "bold", "bold italic",
                                                    "light"};
    const char *paths[RC_FONT_COUNT] = {0}, *names[RC_FONT_COUNT] = {0};
    for (int i = 0; i < RC_FONT_COUNT; i++)
        if (p->codes[i]) paths[i] = face_path(cfg, fonts, i);
    for (int i = 0; i < RC_FONT_COUNT; i++) {
        if (!p->codes[i]) continue; /* only faces that show text are embedded */
        rc_loc loc = cfg ? cfg->style.font_loc[i] : (rc_loc){p->path, 0, 0};
        if (!paths[i] || !paths[i][0]) {
            rc_diag_error(p->d, loc, "no file for the %s font face", face[i]);
            return RC_ERR_CONFIG;
        }
        /* the same file for two faces: load once (libharu refuses twice) */
        for (int k = 0; k < i && !p->font[i]; k++)
            if (p->font[k] && strcmp(paths[k], paths[i]) == 0) p->font[i] = p->font[k];
        if (p->font[i]) continue;
        rc_status st = load_face(p, paths, i, names, loc, face[i]);
        if (st != RC_OK) return st;
    }
    return RC_OK;
}

/* libharu writes /W and the CIDToGIDMap for every BMP code the font maps
 * (about 10 KB of widths in an uncompressed dictionary and a 128 KB map per
 * face); a reader only needs the codes the document shows. Rebuilt from the
 * same libharu lookups, so glyphs and widths are unchanged. */
static void trim_font(rc_pdf *p, HPDF_Font font, const uint32_t *codes, size_t n)
{
    HPDF_FontAttr attr = font->attr;
    HPDF_FontDef def = attr ? attr->fontdef : NULL;
    HPDF_Dict desc = attr ? attr->descendant_font : NULL;
    HPDF_Dict map = desc ? HPDF_Dict_GetItem(desc, "CIDToGIDMap", HPDF_OCLASS_DICT) : NULL;
    HPDF_Array w = desc ? HPDF_Dict_GetItem(desc, "W", HPDF_OCLASS_ARRAY) : NULL;
    if (!def || !map || !map->stream || !w || n == 0) return; /* keep libharu's complete tables */
    size_t bytes = ((size_t)codes[n - 1] + 1) * 2;
    HPDF_BYTE *m = rc_arena_alloc(p->a, bytes);
    HPDF_Array_Clear(w);
    HPDF_Array run = NULL;
    uint32_t prev = 0;
    HPDF_INT16 dw = def->missing_width;
    for (size_t i = 0; i < n && !rc_pdf_failed(p); i++) {
        uint32_t c = codes[i];
        HPDF_UINT16 gid = HPDF_TTFontDef_GetGlyphid(def, (HPDF_UINT16)c);
        m[2 * c] = (HPDF_BYTE)(gid >> 8);
        m[2 * c + 1] = (HPDF_BYTE)gid;
        HPDF_INT16 width = HPDF_TTFontDef_GetGidWidth(def, gid);
        if (width == dw) {
            run = NULL;
            continue;
        }
        if (!run || c != prev + 1) {
            run = HPDF_Array_New(p->doc->mmgr);
            if (!run || !rc_pdf_ok(p, HPDF_Array_AddNumber(w, (HPDF_INT32)c)) ||
                !rc_pdf_ok(p, HPDF_Array_Add(w, run)))
                return;
        }
        rc_pdf_ok(p, HPDF_Array_AddNumber(run, width));
        prev = c;
    }
    HPDF_MemStream_FreeData(map->stream);
    rc_pdf_ok(p, HPDF_Stream_Write(map->stream, m, (HPDF_UINT)bytes));
}

/* A memory stream's bytes, copied into the arena; NULL if it is not one. */
static unsigned char *stream_bytes(rc_pdf *p, HPDF_Stream s, size_t *n)
{
    if (!s || s->type != HPDF_STREAM_MEMORY) return NULL;
    HPDF_UINT count = HPDF_MemStream_GetBufCount(s), len;
    size_t total = 0;
    for (HPDF_UINT i = 0; i < count; i++)
        if (HPDF_MemStream_GetBufPtr(s, i, &len)) total += len;
    unsigned char *buf = rc_arena_alloc(p->a, total ? total : 1), *o = buf;
    for (HPDF_UINT i = 0; i < count; i++) {
        const HPDF_BYTE *b = HPDF_MemStream_GetBufPtr(s, i, &len);
        if (!b) continue;
        memcpy(o, b, len);
        o += len;
    }
    *n = total;
    return buf;
}

/* The font's streams, deflated here (rc_pdf_put_deflated) rather than at
 * libharu's level 6 while saving: the embedded font file, the CIDToGIDMap
 * and the ToUnicode CMap. The font file and its descriptor only exist once
 * libharu's before-write step for the font has run, so it runs now; when
 * libharu runs it again while saving, it reuses the descriptor. That step
 * copies the font dictionary's filter to the map and CMap streams, hence
 * that filter is set to none.
 *
 * When libharu loaded a reduced font (file != NULL), that file is embedded
 * as it is: it already holds only the outlines the pages need (the shown
 * codes' glyphs and their components, glyph 0, and H and x, which libharu
 * measures), with the original metrics and hinting tables, so libharu's own
 * subsetting (HPDF_TTFontDef_SaveFontData: tens of thousands of 2- and
 * 4-byte stream calls per face) is skipped by running the step with
 * embedding switched off and adding the FontFile2 stream here. */
static void deflate_streams(rc_pdf *p, HPDF_Font font, HPDF_Dict tu, const unsigned char *file,
                            size_t nfile)
{
    HPDF_FontAttr attr = font->attr;
    if (!attr || !attr->fontdef || !font->before_write_fn) return; /* libharu compresses */
    HPDF_TTFontDefAttr da = attr->fontdef->attr;
    bool own = file && da && da->embedding && !attr->fontdef->descriptor;
    if (own) da->embedding = HPDF_FALSE;
    HPDF_STATUS st = font->before_write_fn(font);
    if (own) da->embedding = HPDF_TRUE;
    if (!rc_pdf_ok(p, st)) return;
    HPDF_Dict desc = attr->fontdef->descriptor, ff = NULL;
    if (!desc) {
        rc_pdf_ok(p, HPDF_INVALID_OBJECT);
        return;
    }
    if (own) {
        ff = HPDF_DictStream_New(p->doc->mmgr, attr->xref);
        if (!ff || !rc_pdf_ok(p, HPDF_Dict_Add(desc, "FontFile2", ff)) ||
            !rc_pdf_ok(p, HPDF_Dict_AddNumber(ff, "Length1", (HPDF_INT32)nfile)) ||
            !rc_pdf_ok(p, HPDF_Dict_AddNumber(ff, "Length2", 0)) ||
            !rc_pdf_ok(p, HPDF_Dict_AddNumber(ff, "Length3", 0)) ||
            !rc_pdf_put_deflated(p, ff, file, nfile))
            return;
    } else {
        ff = HPDF_Dict_GetItem(desc, "FontFile2", HPDF_OCLASS_DICT);
    }
    HPDF_Dict streams[] = {own ? NULL : ff, attr->map_stream, tu, attr->cmap_stream};
    for (size_t k = 0; k < sizeof streams / sizeof streams[0] && !rc_pdf_failed(p); k++) {
        bool seen = false;
        for (size_t j = 0; j < k; j++)
            seen = seen || streams[j] == streams[k];
        size_t n;
        unsigned char *data = streams[k] && !seen ? stream_bytes(p, streams[k]->stream, &n) : NULL;
        if (data) rc_pdf_put_deflated(p, streams[k], data, n);
    }
    font->filter = HPDF_STREAM_FILTER_NONE;
}

void rc_pdf_fonts_fix_tounicode(rc_pdf *p)
{
    for (int i = 0; i < RC_FONT_COUNT && !rc_pdf_failed(p); i++) {
        if (!p->font[i] || !p->fcodes[i]) continue; /* a later face sharing a font */
        const uint32_t *codes = p->fcodes[i];
        size_t n = p->nfcodes[i], len;
        char *cmap = rc_pdf_tounicode_lig(p->a, codes, n, p->ligtext[i], &len);
        HPDF_Dict tu = HPDF_Dict_GetItem(p->font[i], "ToUnicode", HPDF_OCLASS_DICT);
        if (!tu || !tu->stream) {
            rc_pdf_ok(p, HPDF_INVALID_OBJECT);
            return;
        }
        HPDF_MemStream_FreeData(tu->stream);
        if (!rc_pdf_ok(p, HPDF_Stream_Write(tu->stream, (const HPDF_BYTE *)cmap, (HPDF_UINT)len)))
            return;
        /* keys that describe an encoding CMap, not a ToUnicode map */
        static const char *const drop[] = {"Type", "CMapName", "CIDSystemInfo", "WMode", "UseCMap"};
        for (size_t k = 0; k < sizeof drop / sizeof drop[0]; k++)
            HPDF_Dict_RemoveElement(tu, drop[k]);
        trim_font(p, p->font[i], codes, n);
        if (!rc_pdf_failed(p)) deflate_streams(p, p->font[i], tu, p->ffile[i], p->nffile[i]);
    }
}
