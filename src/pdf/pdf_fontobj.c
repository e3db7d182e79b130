/* pdf_fontobj: the font objects of a face whose reduced copy is embedded,
 * written as text (pdf_face.h).
 *
 * libharu's HPDF_GetFont builds a CID font by walking every one of the
 * 65,536 codes of its UTF-8 encoder (CIDFontType2_New: a 128 KB table
 * cleared and scanned per face, 4.7 M instructions for the sample's four
 * faces) and allocates a dictionary, array or number object for every
 * entry of /W, all of which the packer then parses back. Here the objects
 * are written the way the structure tree is (pdf_struct.c): a "null"
 * placeholder reserves each dictionary's number in libharu's table and the
 * packer writes the text in its place (pdf_objstm.h); the three streams
 * are libharu stream objects whose deflated data the packer puts in
 * (rc_pdf_put_deflated; deflated bytes kept in the cache directory by an
 * earlier build, pdf_fontdisk.h, when there are: rc_pdf_put_zipped).
 *
 * The text is what libharu 2.3.0 wrote for the same font, byte for byte
 * (its dictionaries' key order and spacing, HPDF_Stream_WriteEscapeName
 * for names, HPDF_FToA for the box): the object numbers are reserved in
 * the order HPDF_GetFont and the font's before-write step took them, so
 * the PDF is unchanged. The metrics are libharu's own: the face is still
 * loaded as a libharu font definition (HPDF_TTFontDef_Load, 0.3 M for the
 * sample, which also refuses a font whose licence forbids embedding), and
 * /W and the CIDToGIDMap come from its lookups (HPDF_TTFontDef_GetGlyphid,
 * HPDF_TTFontDef_GetGidWidth: widths in thousandths of an em, truncated),
 * for exactly the codes the pages show, as trim_font (pdf_fonts.c) wrote
 * them. Page content that positions glyphs from these widths therefore
 * sees the values it saw before. */
#include <string.h>

#include "pdf_face.h"
#include "rc/util.h"

typedef rc_strbuf sbuf;

HPDF_Font rc_pdf_fontobj_new(rc_pdf *p, rc_pdf_face *f, HPDF_FontDef def)
{
    if (!def || def->type != HPDF_FONTDEF_TYPE_TRUETYPE || !def->attr) {
        rc_pdf_ok(p, HPDF_INVALID_FONTDEF_TYPE);
        return NULL;
    }
    f->def = def;
    f->type0 = rc_pdf_placeholder(p);
    f->tounicode = f->type0 ? HPDF_DictStream_New(p->doc->mmgr, p->doc->xref) : NULL;
    f->cidfont = f->tounicode ? rc_pdf_placeholder(p) : NULL;
    f->map = f->cidfont ? HPDF_DictStream_New(p->doc->mmgr, p->doc->xref) : NULL;
    if (!f->map) {
        rc_pdf_ok(p, HPDF_FAILD_TO_ALLOC_MEM);
        return NULL;
    }
    f->raw = true;
    /* a page's font resource is a reference to this number: libharu's
     * HPDF_Page_GetLocalFontName only compares and adds the object */
    return (HPDF_Font)(void *)f->type0;
}

/* ---- the text ---- */

static void put_int(sbuf *b, long v)
{
    char d[24];
    size_t k = 0;
    if (v < 0) d[k++] = '-';
    k += rc_utoa(v < 0 ? 0 - (uint64_t)v : (uint64_t)v, d + k);
    rc_strbuf_put(b, d, k);
}

static void put_ref(sbuf *b, uint32_t num)
{
    put_int(b, (long)num);
    rc_strbuf_puts(b, " 0 R");
}

/* A name as HPDF_Stream_WriteEscapeName writes it: at most
 * HPDF_LIMIT_MAX_NAME_LEN bytes, the ones outside '!'..'~' and the
 * delimiters as #XX. */
static void put_name(sbuf *b, const char *s)
{
    static const char digits[] = "0123456789ABCDEF";
    rc_strbuf_put(b, "/", 1);
    for (size_t i = 0; s[i] && i < HPDF_LIMIT_MAX_NAME_LEN; i++) {
        unsigned char c = (unsigned char)s[i];
        if (HPDF_NEEDS_ESCAPE(c)) {
            char e[3] = {'#', digits[c >> 4], digits[c & 15]};
            rc_strbuf_put(b, e, 3);
        } else {
            rc_strbuf_put(b, (const char *)&c, 1);
        }
    }
}

static const char *tagged_name(HPDF_FontDef def)
{
    return ((HPDF_TTFontDefAttr)def->attr)->base_font; /* "HPDFAA+Name" */
}

char *rc_pdf_fontobj_type0(rc_arena *a, HPDF_FontDef def, rc_pdf_fontnums nums, size_t *len)
{
    sbuf b = {a, NULL, 0, 0};
    rc_strbuf_puts(&b, "<<\n/Type /Font\n/BaseFont ");
    put_name(&b, tagged_name(def));
    rc_strbuf_puts(&b, "\n/Subtype /Type0\n/Encoding /Identity-H\n/ToUnicode ");
    put_ref(&b, nums.tounicode);
    rc_strbuf_puts(&b, "\n/DescendantFonts [ ");
    put_ref(&b, nums.cidfont);
    rc_strbuf_puts(&b, " ]\n>>");
    *len = b.n;
    return b.s;
}

/* /W: a run "c [ w w ... ]" per stretch of consecutive shown codes whose
 * widths differ from /DW (a code at /DW ends the run), as trim_font built
 * it with HPDF_Array objects. */
static void put_widths(sbuf *b, HPDF_FontDef def, const uint32_t *codes, size_t n)
{
    HPDF_INT16 dw = def->missing_width;
    bool open = false;
    uint32_t prev = 0;
    rc_strbuf_puts(b, "[ ");
    for (size_t i = 0; i < n; i++) {
        uint32_t c = codes[i];
        HPDF_UINT16 gid = HPDF_TTFontDef_GetGlyphid(def, (HPDF_UINT16)c);
        HPDF_INT16 w = HPDF_TTFontDef_GetGidWidth(def, gid);
        if (w == dw) {
            if (open) rc_strbuf_puts(b, "] ");
            open = false;
            continue;
        }
        if (!open || c != prev + 1) {
            if (open) rc_strbuf_puts(b, "] ");
            put_int(b, (long)c);
            rc_strbuf_puts(b, " [ ");
            open = true;
        }
        put_int(b, w);
        rc_strbuf_put(b, " ", 1);
        prev = c;
    }
    if (open) rc_strbuf_puts(b, "] ");
    rc_strbuf_puts(b, "]");
}

char *rc_pdf_fontobj_cid(rc_arena *a, HPDF_FontDef def, const uint32_t *codes, size_t n,
                         rc_pdf_fontnums nums, size_t *len)
{
    sbuf b = {a, NULL, 0, 0};
    rc_strbuf_puts(&b, "<<\n/Type /Font\n/Subtype /CIDFontType2\n/DW ");
    put_int(&b, def->missing_width);
    /* libharu's vertical metrics: the box's bottom and its negated height */
    rc_strbuf_puts(&b, "\n/DW2 [ ");
    put_int(&b, (HPDF_INT32)def->font_bbox.bottom);
    rc_strbuf_put(&b, " ", 1);
    put_int(&b, (HPDF_INT32)(def->font_bbox.bottom - def->font_bbox.top));
    rc_strbuf_puts(&b, " ]\n/W ");
    put_widths(&b, def, codes, n);
    rc_strbuf_puts(&b, "\n/CIDToGIDMap ");
    put_ref(&b, nums.map);
    rc_strbuf_puts(&b, "\n/CIDSystemInfo <<\n/Registry (Adobe)\n/Ordering (Identity-H)\n"
                       "/Supplement 0\n>>\n/BaseFont ");
    put_name(&b, tagged_name(def));
    rc_strbuf_puts(&b, "\n/FontDescriptor ");
    put_ref(&b, nums.descriptor);
    rc_strbuf_puts(&b, "\n>>");
    *len = b.n;
    return b.s;
}

char *rc_pdf_fontobj_descriptor(rc_arena *a, HPDF_FontDef def, rc_pdf_fontnums nums, size_t *len)
{
    sbuf b = {a, NULL, 0, 0};
    rc_strbuf_puts(&b, "<<\n/Type /FontDescriptor\n/Ascent ");
    put_int(&b, def->ascent);
    rc_strbuf_puts(&b, "\n/Descent ");
    put_int(&b, def->descent);
    rc_strbuf_puts(&b, "\n/Flags ");
    put_int(&b, (HPDF_INT32)def->flags);
    rc_strbuf_puts(&b, "\n/FontBBox [ ");
    const HPDF_REAL box[4] = {def->font_bbox.left, def->font_bbox.bottom, def->font_bbox.right,
                              def->font_bbox.top};
    for (int k = 0; k < 4; k++) { /* HPDF_Box_Array_New: reals */
        char d[16];
        rc_strbuf_put(&b, d, rc_pdf_real(box[k], d));
        rc_strbuf_put(&b, " ", 1);
    }
    rc_strbuf_puts(&b, "]\n/FontName ");
    put_name(&b, tagged_name(def));
    rc_strbuf_puts(&b, "\n/ItalicAngle ");
    put_int(&b, def->italic_angle);
    rc_strbuf_puts(&b, "\n/StemV ");
    put_int(&b, def->stemv);
    rc_strbuf_puts(&b, "\n/XHeight ");
    put_int(&b, def->x_height);
    rc_strbuf_puts(&b, "\n/FontFile2 ");
    put_ref(&b, nums.file);
    rc_strbuf_puts(&b, "\n>>");
    *len = b.n;
    return b.s;
}

unsigned char *rc_pdf_fontobj_gidmap(rc_arena *a, HPDF_FontDef def, const uint32_t *codes, size_t n,
                                     size_t *len)
{
    *len = n ? ((size_t)codes[n - 1] + 1) * 2 : 0;
    unsigned char *m = rc_arena_alloc(a, *len ? *len : 1); /* zeroed */
    for (size_t i = 0; i < n; i++) {
        uint32_t c = codes[i];
        HPDF_UINT16 gid = HPDF_TTFontDef_GetGlyphid(def, (HPDF_UINT16)c);
        m[2 * c] = (unsigned char)(gid >> 8);
        m[2 * c + 1] = (unsigned char)gid;
    }
    return m;
}

/* ---- writing ---- */

/* d's data, a map or a CMap: deflated by an earlier build and kept in the
 * cache directory (pdf_fontdisk.h), else deflated here and kept. A
 * watcher's writes (p->cache) keep theirs in memory as every stream. */
static bool put_kept(rc_pdf *p, HPDF_Dict d, const void *data, size_t n)
{
    size_t nz = 0;
    const unsigned char *z = NULL;
    if (!p->cache && !(z = rc_pdf_fontdisk_zget(p->a, data, n, &nz)))
        z = rc_pdf_fontdisk_zmake(p->a, data, n, &nz);
    return z ? rc_pdf_put_zipped(p, d, z, nz) : rc_pdf_put_deflated(p, d, data, n);
}

static void push_raw(rc_pdf *p, uint32_t num, const char *text, size_t n)
{
    rc_pdf_raw r = {num, text, n};
    RC_PUSH(p->a, p->raws, r);
}

void rc_pdf_fontobj_write(rc_pdf *p, rc_pdf_face *f, const uint32_t *codes, size_t n,
                          const char *cmap, size_t cmaplen, const unsigned char *file, size_t nfile)
{
    if (!f->raw || n == 0) {
        rc_pdf_ok(p, HPDF_INVALID_OBJECT);
        return;
    }
    /* the descriptor and the font file take their numbers when libharu's
     * before-write step made them, after the ToUnicode text */
    HPDF_Obj_Header *desc = rc_pdf_placeholder(p);
    HPDF_Dict ff = desc ? HPDF_DictStream_New(p->doc->mmgr, p->doc->xref) : NULL;
    if (!ff || !rc_pdf_ok(p, HPDF_Dict_AddNumber(ff, "Length1", (HPDF_INT32)nfile)) ||
        !rc_pdf_ok(p, HPDF_Dict_AddNumber(ff, "Length2", 0)) ||
        !rc_pdf_ok(p, HPDF_Dict_AddNumber(ff, "Length3", 0))) {
        rc_pdf_ok(p, HPDF_FAILD_TO_ALLOC_MEM);
        return;
    }
    size_t nmap;
    unsigned char *map = rc_pdf_fontobj_gidmap(p->a, f->def, codes, n, &nmap);
    /* the reduced copy's deflated bytes, kept with it (pdf_fontdisk.c); a
     * watcher's writes keep theirs in memory (its later writes take the
     * copy from there, without the disk's deflated bytes) */
    bool zipped = !p->cache && f->disk.z && file == f->red && nfile == f->rlen;
    if (!(zipped ? rc_pdf_put_zipped(p, ff, f->disk.z, f->disk.nz)
                 : rc_pdf_put_deflated(p, ff, file, nfile)) ||
        !put_kept(p, f->map, map, nmap) || !put_kept(p, f->tounicode, cmap, cmaplen))
        return;
    rc_pdf_fontnums nums = {rc_pdf_num(f->tounicode), rc_pdf_num(f->cidfont), rc_pdf_num(f->map),
                            rc_pdf_num(desc), rc_pdf_num(ff)};
    size_t len;
    char *t = rc_pdf_fontobj_type0(p->a, f->def, nums, &len);
    push_raw(p, rc_pdf_num(f->type0), t, len);
    t = rc_pdf_fontobj_cid(p->a, f->def, codes, n, nums, &len);
    push_raw(p, rc_pdf_num(f->cidfont), t, len);
    t = rc_pdf_fontobj_descriptor(p->a, f->def, nums, &len);
    push_raw(p, rc_pdf_num(desc), t, len);
}
