/* layout_labels: the texts of the page decoration, split from
 * layout_pages.c (which must stay under 800 lines): a running-head text cut
 * with an ellipsis to fit its width, and a page label in its numbering
 * style (arabic, roman). */
#include <stdio.h>
#include <string.h>

#include "layout_int.h"

const char *lo_fit_text(lo *L, rc_font_id f, double size, const char *s, double maxw)
{
    size_t len = strlen(s);
    if (lo_text_width(L, f, size, s, len) <= maxw) return s;
    const char *ell = "\xE2\x80\xA6";
    double ew = lo_text_width(L, f, size, ell, 3);
    while (len > 0) {
        len--;
        while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
            len--;
        if (lo_text_width(L, f, size, s, len) + ew <= maxw) break;
    }
    /* back to a word boundary: "...fertile ground…", never "...ground f…" */
    size_t cut = len;
    if (cut < strlen(s) && s[cut] != ' ') {
        while (cut > 0 && s[cut - 1] != ' ')
            cut--;
        if (cut > 0) len = cut; /* one word longer than the room: cut inside it */
    }
    while (len > 0 &&
           (s[len - 1] == ' ' || s[len - 1] == ',' || s[len - 1] == ':' || s[len - 1] == ';'))
        len--;
    return rc_arena_printf(L->a, "%.*s%s", (int)len, s, ell);
}

const char *lo_page_label(lo *L, rc_page_style st, int n)
{
    if (st == RC_PAGE_NONE) return "";
    if (st == RC_PAGE_ARABIC) return rc_arena_printf(L->a, "%d", n);
    static const struct {
        int v;
        const char *s;
    } R[] = {{1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"}, {100, "c"}, {90, "xc"}, {50, "l"},
             {40, "xl"},  {10, "x"},   {9, "ix"},  {5, "v"},    {4, "iv"},  {1, "i"}};
    char buf[64];
    size_t o = 0;
    for (size_t k = 0; k < sizeof R / sizeof R[0]; k++)
        while (n >= R[k].v && o + 3 < sizeof buf) {
            size_t l = strlen(R[k].s);
            memcpy(buf + o, R[k].s, l);
            o += l;
            n -= R[k].v;
        }
    buf[o] = 0;
    return rc_arena_strdup(L->a, buf);
}
