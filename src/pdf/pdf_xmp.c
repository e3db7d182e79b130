/* pdf_xmp: the document level of an archivable, accessible PDF (PDF/A-2a,
 * ISO 19005-2; PDF/UA-1, ISO 14289-1). One set of values feeds both the
 * Info dictionary and the XMP metadata stream, since PDF/A requires the two
 * to agree entry for entry (title, author, subject, keywords, creator tool,
 * producer, dates). Also written here: the PDF version (1.7), the catalog's
 * /Lang from the report language, /ViewerPreferences /DisplayDocTitle
 * (PDF/UA: the title, not the file name, in the window) and an
 * /OutputIntent with the sRGB profile, which gives the DeviceRGB colours of
 * the pages a defined meaning. The date is rc_date_report_epoch's, as in
 * every output, so repeated builds are byte-identical. */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "pdf_int.h"
#include "rc/date.h"
#include "rc/doc.h"
#include "rc/util.h"

#ifndef RC_VERSION
#define RC_VERSION "0"
#endif

/* The profile compiled in from icc-profiles-free (CMakeLists.txt). */
extern const unsigned char rc_srgb_icc[];
extern const size_t rc_srgb_icc_len;

typedef struct meta {
    const char *title, *author, *subject, *keywords, *creator, *producer, *lang;
    char pdf_date[32], xmp_date[32];
} meta;

static char *join(rc_arena *a, const rc_strlist *l, const char *sep)
{
    size_t n = 1;
    for (size_t i = 0; i < l->n; i++)
        n += (l->v[i].s ? strlen(l->v[i].s) : 0) + strlen(sep);
    char *s = rc_arena_alloc(a, n), *o = s;
    for (size_t i = 0; i < l->n; i++) {
        if (!l->v[i].s || !l->v[i].s[0]) continue;
        if (o != s) o = stpcpy(o, sep);
        o = stpcpy(o, l->v[i].s);
    }
    return s;
}

/* "D:YYYYMMDDHHmmSSZ" and "YYYY-MM-DDTHH:mm:SSZ" for t (rc/date.h). */
static void dates(int64_t t, meta *m)
{
    rc_date d = rc_date_from_epoch(t);
    int y = d.year > 9999 ? 9999 : d.year;
    snprintf(m->pdf_date, sizeof m->pdf_date, "D:%04d%02u%02u%02u%02u%02uZ", y, d.month, d.day,
             d.hour, d.minute, d.second);
    snprintf(m->xmp_date, sizeof m->xmp_date, "%04d-%02u-%02uT%02u:%02u:%02uZ", y, d.month, d.day,
             d.hour, d.minute, d.second);
}

/* A BCP 47 tag from the configured language ("en_GB" -> "en-GB"); "en"
 * when it does not look like one (the config stage rejects unknown
 * languages, this only keeps the PDF valid whatever it is given). */
static const char *lang_tag(rc_arena *a, const char *s)
{
    if (!s || !*s) return "en";
    char *t = rc_arena_strdup(a, s);
    size_t run = 0, parts = 0;
    for (char *c = t; *c; c++) {
        if (*c == '_') *c = '-';
        bool alnum = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                     (*c >= '0' && *c <= '9' && parts > 0);
        if (*c == '-') {
            if (run == 0) return "en";
            run = 0;
            parts++;
        } else if (!alnum || ++run > 8) {
            return "en";
        }
    }
    return run == 0 ? "en" : t;
}

/* The text libharu writes for v (BMP, no C0 controls), kept in the arena. */
static const char *shown(rc_pdf *p, const char *v)
{
    return v && *v ? rc_arena_strdup(p->a, rc_pdf_text(p, v, strlen(v))) : NULL;
}

static void collect(rc_pdf *p, const rc_config *cfg, meta *m)
{
    memset(m, 0, sizeof *m);
    if (cfg) {
        const rc_report_cfg *r = &cfg->report;
        m->title = shown(p, r->title.s);
        m->author = shown(p, join(p->a, &r->authors, ", "));
        m->subject = shown(p, r->subtitle.s);
        m->keywords = shown(p, join(p->a, &r->keywords, ", "));
        m->lang = lang_tag(p->a, r->language.s);
    } else {
        m->lang = "en";
    }
    m->creator = "reportc " RC_VERSION;
    m->producer = "reportc " RC_VERSION " (libharu " HPDF_VERSION_TEXT ")";
    dates(rc_date_report_epoch(cfg ? cfg->report.year.s : NULL), m);
}

/* v (shown: BMP, no C0 controls) as a text string in the Info dictionary:
 * UTF-16BE with its byte order mark, which libharu writes in hex as
 * <FEFF...>, the bytes its UTF-8 encoder gave HPDF_SetInfoAttr, without
 * setting that encoder up (two 128 KB tables, 1.4 M instructions). At most
 * RC_PDF_INFO_MAX_CHARS characters: rc_doc_check_pdf_limits refused longer
 * values at their config key before any typesetting, so the whole value
 * always fits (PDF/A-2's 32,767 bytes, below libharu's 65,535) and Info
 * and XMP never differ. */
static void info_text(rc_pdf *p, const char *key, const char *v)
{
    if (!v || !v[0]) return;
    size_t n = strlen(v), k = 2;
    unsigned char *u = rc_arena_alloc(p->a, 2 * n + 2); /* a character: 1+ bytes -> 2 */
    u[0] = 0xFE;
    u[1] = 0xFF;
    for (size_t i = 0; i < n;) {
        uint32_t cp = 0xFFFD;
        size_t m = rc_utf8_decode(v + i, n - i, &cp);
        u[k++] = (unsigned char)(cp >> 8);
        u[k++] = (unsigned char)cp;
        i += m ? m : 1;
    }
    HPDF_Dict info = p->doc->info; /* HPDF_NewDoc made it (its /Producer) */
    HPDF_Binary s = info ? HPDF_Binary_New(p->doc->mmgr, u, (HPDF_UINT)k) : NULL;
    if (!s || !rc_pdf_ok(p, HPDF_Dict_Add(info, key, s))) rc_pdf_ok(p, HPDF_INVALID_OBJECT);
}

static void info_date(rc_pdf *p, const char *key, const char *v)
{
    HPDF_Dict info = p->doc->info; /* HPDF_NewDoc made it (its /Producer) */
    HPDF_String s = info ? HPDF_String_New(p->doc->mmgr, v, NULL) : NULL;
    if (!s || !rc_pdf_ok(p, HPDF_Dict_Add(info, key, s))) rc_pdf_ok(p, HPDF_INVALID_OBJECT);
}

/* ---- XMP ---- */

/* XML character data: & < > escaped (values never hold C0 controls: they
 * come through rc_pdf_text). */
static void xesc(rc_strbuf *b, const char *s)
{
    for (; *s; s++) {
        const char *e = *s == '&' ? "&amp;" : *s == '<' ? "&lt;" : *s == '>' ? "&gt;" : NULL;
        if (e)
            rc_strbuf_puts(b, e);
        else
            rc_strbuf_put(b, s, 1);
    }
}

/* "   <tag>OPEN value CLOSE</tag>": a simple property (open and close empty)
 * or a language alternative (rdf:Alt). Nothing when v is NULL. */
static void xprop(rc_strbuf *b, const char *tag, const char *open, const char *v, const char *close)
{
    if (!v) return;
    const char *parts[] = {"   <", tag, ">", open, NULL, close, "</", tag, ">\n"};
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++)
        if (parts[i])
            rc_strbuf_puts(b, parts[i]);
        else
            xesc(b, v);
}

static void xalt(rc_strbuf *b, const char *tag, const char *v)
{
    xprop(b, tag, "<rdf:Alt><rdf:li xml:lang=\"x-default\">", v, "</rdf:li></rdf:Alt>");
}

static void xsimple(rc_strbuf *b, const char *tag, const char *v)
{
    xprop(b, tag, "", v, "");
}

/* The XMP packet (ISO 16684-1). pdfuaid is not one of the schemas PDF/A-2
 * predefines, so it is declared in a PDF/A extension schema (ISO 19005-2
 * 6.6.2.3.3). */
static char *xmp(rc_pdf *p, const meta *m, size_t *len)
{
    rc_strbuf b = {.a = p->a};
    rc_strbuf_puts(&b, "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
                       "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
                       " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
                       "  <rdf:Description rdf:about=\"\"\n"
                       "    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
                       "    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n"
                       "    xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"\n"
                       "    xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\"\n"
                       "    xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\"\n"
                       "    xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\"\n"
                       "    xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\"\n"
                       "    xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\">\n");
    rc_strbuf_puts(&b, "   <pdfaid:part>2</pdfaid:part>\n"
                       "   <pdfaid:conformance>A</pdfaid:conformance>\n"
                       "   <pdfuaid:part>1</pdfuaid:part>\n");
    rc_strbuf_puts(&b, "   <dc:format>application/pdf</dc:format>\n");
    xalt(&b, "dc:title", m->title);
    if (m->author) {
        rc_strbuf_puts(&b, "   <dc:creator><rdf:Seq><rdf:li>");
        xesc(&b, m->author);
        rc_strbuf_puts(&b, "</rdf:li></rdf:Seq></dc:creator>\n");
    }
    xalt(&b, "dc:description", m->subject);
    rc_strbuf_puts(&b, "   <dc:language><rdf:Bag><rdf:li>");
    xesc(&b, m->lang);
    rc_strbuf_puts(&b, "</rdf:li></rdf:Bag></dc:language>\n");
    xsimple(&b, "pdf:Keywords", m->keywords);
    xsimple(&b, "pdf:Producer", m->producer);
    xsimple(&b, "xmp:CreatorTool", m->creator);
    xsimple(&b, "xmp:CreateDate", m->xmp_date);
    xsimple(&b, "xmp:ModifyDate", m->xmp_date);
    xsimple(&b, "xmp:MetadataDate", m->xmp_date);
    rc_strbuf_puts(
        &b, "   <pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType=\"Resource\">\n"
            "    <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>\n"
            "    <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/"
            "</pdfaSchema:namespaceURI>\n"
            "    <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>\n"
            "    <pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType=\"Resource\">\n"
            "     <pdfaProperty:name>part</pdfaProperty:name>\n"
            "     <pdfaProperty:valueType>Integer</pdfaProperty:valueType>\n"
            "     <pdfaProperty:category>internal</pdfaProperty:category>\n"
            "     <pdfaProperty:description>Indicates, which part of ISO 14289 standard is "
            "followed</pdfaProperty:description>\n"
            "    </rdf:li></rdf:Seq></pdfaSchema:property>\n"
            "   </rdf:li></rdf:Bag></pdfaExtension:schemas>\n");
    rc_strbuf_puts(&b, "  </rdf:Description>\n </rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"r\"?>");
    *len = b.n;
    return b.s;
}

/* A stream object with data written as is (PDF/A wants the metadata
 * readable without decoding; the profile is small). */
static HPDF_Dict stream_of(rc_pdf *p, const void *data, size_t n)
{
    HPDF_Dict d = HPDF_DictStream_New(p->doc->mmgr, p->doc->xref);
    if (!d) {
        rc_pdf_ok(p, HPDF_FAILD_TO_ALLOC_MEM);
        return NULL;
    }
    d->filter = HPDF_STREAM_FILTER_NONE;
    if (!rc_pdf_ok(p, HPDF_Stream_Write(d->stream, data, (HPDF_UINT)n))) return NULL;
    return d;
}

static void output_intent(rc_pdf *p)
{
    HPDF_Dict icc = HPDF_DictStream_New(p->doc->mmgr, p->doc->xref);
    if (!icc) {
        rc_pdf_ok(p, HPDF_FAILD_TO_ALLOC_MEM);
        return;
    }
    if (!rc_pdf_ok(p, HPDF_Dict_AddNumber(icc, "N", 3)) ||
        !rc_pdf_put_deflated(p, icc, rc_srgb_icc, rc_srgb_icc_len))
        return;
    HPDF_Dict oi = HPDF_Dict_New(p->doc->mmgr);
    HPDF_Array arr = HPDF_Array_New(p->doc->mmgr);
    if (!oi || !arr) {
        rc_pdf_ok(p, HPDF_FAILD_TO_ALLOC_MEM);
        return;
    }
    HPDF_MMgr mm = p->doc->mmgr;
    rc_pdf_ok(p, HPDF_Dict_AddName(oi, "Type", "OutputIntent"));
    rc_pdf_ok(p, HPDF_Dict_AddName(oi, "S", "GTS_PDFA1"));
    rc_pdf_ok(p, HPDF_Dict_Add(oi, "OutputConditionIdentifier",
                               HPDF_String_New(mm, "sRGB IEC61966-2.1", NULL)));
    rc_pdf_ok(p, HPDF_Dict_Add(oi, "Info", HPDF_String_New(mm, "sRGB IEC61966-2.1", NULL)));
    rc_pdf_ok(p, HPDF_Dict_Add(oi, "DestOutputProfile", icc));
    rc_pdf_ok(p, HPDF_Array_Add(arr, oi));
    rc_pdf_ok(p, HPDF_Dict_Add(p->doc->catalog, "OutputIntents", arr));
}

void rc_pdf_archival(rc_pdf *p, const rc_config *cfg)
{
    meta m;
    collect(p, cfg, &m);
    info_text(p, "Title", m.title);
    info_text(p, "Author", m.author);
    info_text(p, "Subject", m.subject);
    info_text(p, "Keywords", m.keywords);
    info_text(p, "Creator", m.creator);
    info_text(p, "Producer", m.producer);
    info_date(p, "CreationDate", m.pdf_date);
    info_date(p, "ModDate", m.pdf_date);
    if (rc_pdf_failed(p)) return;
    HPDF_Dict cat = p->doc->catalog;
    HPDF_MMgr mm = p->doc->mmgr;
    rc_pdf_ok(p, HPDF_Dict_Add(cat, "Lang", HPDF_String_New(mm, m.lang, NULL)));
    HPDF_Dict vp = HPDF_Dict_New(mm);
    if (!vp || !rc_pdf_ok(p, HPDF_Dict_AddBoolean(vp, "DisplayDocTitle", HPDF_TRUE)) ||
        !rc_pdf_ok(p, HPDF_Dict_Add(cat, "ViewerPreferences", vp)))
        return;
    size_t n = 0;
    char *x = xmp(p, &m, &n);
    HPDF_Dict md = stream_of(p, x, n);
    if (!md) return;
    rc_pdf_ok(p, HPDF_Dict_AddName(md, "Type", "Metadata"));
    rc_pdf_ok(p, HPDF_Dict_AddName(md, "Subtype", "XML"));
    rc_pdf_ok(p, HPDF_Dict_Add(cat, "Metadata", md));
    output_intent(p);
    p->doc->pdf_version = HPDF_VER_17;
}
