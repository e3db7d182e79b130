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
 * Loading the faces is pdf_face.c's. A face embedded as a reduced copy
 * (the usual case) has its font objects written as text by pdf_fontobj.c,
 * with the ToUnicode CMap made here; the rest of this file (trim_font,
 * deflate_streams) is for an original file that libharu built and subsets.
 *
 * Ligatures (font.h): a ligature glyph is shown by a code 1..31; the
 * reduced font's cmap maps it to the glyph (so libharu's CIDToGIDMap and
 * /W do) and the ToUnicode CMap to the characters it stands for. */
#include <stdio.h>
#include <string.h>

#include "pdf_face.h"
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

/* UTF-8 text as UTF-16BE hex digits in <>, surrogate pairs above the BMP,
 * in pieces of at most 63 bytes that end between characters. */
static void hex_utf16(sbuf *b, const char *s)
{
    char t[4 * 63];
    rc_strbuf_put(b, "<", 1);
    for (size_t i = 0, n = strlen(s); i < n;) {
        size_t k = n - i < 60 ? n - i : 60;
        while (i + k < n && k < 63 && ((unsigned char)s[i + k] & 0xC0) == 0x80)
            k++;
        rc_strbuf_put(b, t, (size_t)(rc_pdf_utf16_hex(t, s + i, k) - t));
        i += k;
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

char *rc_pdf_tounicode_lig(rc_arena *a, const uint32_t *codes, size_t n, const char *const lig[32],
                           size_t *len)
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
        if (p->faces && p->faces[i].raw) { /* pdf_fontobj.c */
            rc_pdf_fontobj_write(p, &p->faces[i], codes, n, cmap, len, p->ffile[i], p->nffile[i]);
            continue;
        }
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
