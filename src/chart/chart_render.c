/* chart_render.c: rc_chart_draw, the chart stage's drawing entry point: sets
 * up the palette and dispatches to the renderer of the chart's type. */
#include <string.h>

#include "chart_render.h"

static rc_rgb hex(unsigned v)
{
    rc_rgb c = {(double)((v >> 16) & 0xFF) / 255.0, (double)((v >> 8) & 0xFF) / 255.0,
                (double)(v & 0xFF) / 255.0};
    return c;
}

rc_draw_list *rc_chart_draw(rc_arena *a, const rc_chart *c, const rc_style_cfg *style,
                            const rc_fonts *fonts, double w, double h)
{
    static const unsigned defaults[] = {0x004494, 0xFFD617, 0x7FA1C9, 0xBFD0E4, 0xFFE879, 0x404040};
    rc_chart_ctx x;
    memset(&x, 0, sizeof x);
    x.a = a;
    x.l = rc_draw_new(a);
    x.c = c;
    x.fonts = fonts;
    if (style && style->npalette > 0) {
        x.npal = style->npalette > 16 ? 16 : style->npalette;
        memcpy(x.pal, style->palette, x.npal * sizeof x.pal[0]);
    } else {
        x.npal = sizeof defaults / sizeof defaults[0];
        for (size_t i = 0; i < x.npal; i++)
            x.pal[i] = hex(defaults[i]);
    }
    x.ink = hex(0x404040);
    x.grid = hex(0xD9D9D9);
    x.white = hex(0xFFFFFF);
    if (w <= 0 || h <= 0) return x.l;
    /* each family's renderer */
    static void (*const draw[RC_FAMILY_NONE])(rc_chart_ctx *, double, double) = {
        [RC_FAMILY_BARS] = rc_chart_draw_bars,
        [RC_FAMILY_PIE] = rc_chart_draw_pie,
        [RC_FAMILY_TILES] = rc_chart_draw_tiles,
        [RC_FAMILY_PAIRINGS] = rc_chart_draw_pairings};
    rc_chart_family f = rc_chart_family_of(c->type);
    if (f < RC_FAMILY_NONE) draw[f](&x, w, h);
    return x.l;
}
