/* The SVG back end on small display lists: exact bytes (numbers to 1/100 pt
 * without trailing zeros, y flipped, colours, dashes as the PDF rounds them,
 * faces as weight and style), XML escaping of text, title and desc, groups
 * flattened with their offsets, and nothing for links or empty paths. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "rc/draw.h"
#include "rc/svg.h"

static const char *render(rc_arena *a, const rc_draw_list *l, double w, double h, const char *title,
                          const char *desc)
{
    rc_svg_figure f = {l, w, h, title, desc, "Lato"};
    size_t n = 0;
    const char *s = rc_svg_render(a, &f, &n);
    assert_int_equal(strlen(s), n);
    return s;
}

/* The body of the document: what lies between the <g ...> line and </g>. */
static const char *body(rc_arena *a, const char *doc)
{
    const char *g = strstr(doc, "sans-serif\">\n");
    assert_non_null(g);
    g += strlen("sans-serif\">\n");
    const char *end = strstr(g, "</g>\n</svg>\n");
    assert_non_null(end);
    return rc_arena_strndup(a, g, (size_t)(end - g));
}

static void test_shapes_exact(void **state)
{
    (void)state;
    rc_arena *a = rc_arena_new();
    rc_draw_list *l = rc_draw_new(a);
    rc_rgb blue = {0, 0.2666, 0.5804}, grey = {0.5, 0.5, 0.5};
    rc_draw_rect(a, l, 10, 20, 30, 40.125, &blue, NULL, 0);
    rc_draw_op *ln = rc_draw_line(a, l, 0, 0, 100, 0.5, grey, 0.4);
    ln->dash = 2.6;                                      /* the PDF rounds dashes to whole points */
    rc_draw_rect(a, l, 50, 60, -10, -5, NULL, &grey, 1); /* negative sizes */
    rc_path_seg segs[] = {
        {.op = RC_PATH_MOVE, .x = 1, .y = 2},
        {.op = RC_PATH_LINE, .x = 3, .y = 4},
        {.op = RC_PATH_CURVE, .x1 = 5, .y1 = 6, .x2 = 7, .y2 = 8, .x = 9, .y = 10},
        {.op = RC_PATH_CLOSE}};
    rc_draw_path(a, l, segs, 4, &blue, &grey, 0.5);
    rc_path_seg bad[] = {{.op = RC_PATH_LINE, .x = 3, .y = 4}};
    rc_draw_path(a, l, bad, 1, &blue, NULL, 1); /* no move first: not drawn, as in the PDF */
    rc_draw_link(a, l, 0, 0, 10, 10, "x", NULL);
    const char *s = body(a, render(a, l, 200, 100, NULL, NULL));
    assert_string_equal(
        s, "<rect x=\"10\" y=\"39.88\" width=\"30\" height=\"40.13\" fill=\"#004494\"/>\n"
           "<line x1=\"0\" y1=\"100\" x2=\"100\" y2=\"99.5\" fill=\"none\" stroke=\"#808080\" "
           "stroke-width=\"0.4\" stroke-dasharray=\"3 3\"/>\n"
           "<rect x=\"40\" y=\"40\" width=\"10\" height=\"5\" fill=\"none\" stroke=\"#808080\" "
           "stroke-width=\"1\"/>\n"
           "<path d=\"M1 98 L3 96 C5 94 7 92 9 90 Z\" fill=\"#004494\" stroke=\"#808080\" "
           "stroke-width=\"0.5\"/>\n");
    rc_arena_free(a);
}

static void test_text_faces_escaping_groups(void **state)
{
    (void)state;
    rc_arena *a = rc_arena_new();
    rc_draw_list *inner = rc_draw_new(a);
    rc_rgb black = {0, 0, 0};
    const char *t = "a<b & \"c\"\x01\xff";
    rc_draw_text(a, inner, RC_FONT_BOLD_ITALIC, 7.5, 1, 2, t, strlen(t), black);
    rc_draw_text(a, inner, RC_FONT_LIGHT, 8, 3, 4, "Bielsko-Biała", strlen("Bielsko-Biała"), black);
    rc_draw_text(a, inner, RC_FONT_REGULAR, 8, 3, 4, "", 0, black); /* empty: nothing */
    rc_draw_list *l = rc_draw_new(a);
    rc_draw_group(a, l, 100, 10, inner);
    const char *doc = render(a, l, 200, 50, "Figure 4: A & B", "Shares <by> group");
    assert_non_null(strstr(doc, "width=\"200pt\" height=\"50pt\" viewBox=\"0 0 200 50\""));
    assert_non_null(strstr(doc, "<title id=\"title\">Figure 4: A &amp; B</title>\n"
                                "<desc id=\"desc\">Shares &lt;by&gt; group</desc>\n"));
    assert_non_null(strstr(doc, "<g font-family=\"'Lato', 'Helvetica Neue', Arial"));
    assert_string_equal(body(a, doc),
                        "<text x=\"101\" y=\"38\" font-size=\"7.5\" font-weight=\"bold\" "
                        "font-style=\"italic\" fill=\"#000000\">a&lt;b &amp; &quot;c&quot; "
                        "\xEF\xBF\xBD</text>\n"
                        "<text x=\"103\" y=\"36\" font-size=\"8\" font-weight=\"300\" "
                        "fill=\"#000000\">Bielsko-Biała</text>\n");
    rc_arena_free(a);
}

static void test_same_list_same_bytes(void **state)
{
    (void)state;
    rc_arena *a = rc_arena_new();
    rc_draw_list *l = rc_draw_new(a);
    rc_rgb c = {0.1, 0.2, 0.3};
    for (int i = 0; i < 50; i++)
        rc_draw_rect(a, l, i * 1.0 / 3.0, i * 0.7, 2, 3, &c, NULL, 0);
    const char *x = render(a, l, 100, 100, "t", "d");
    const char *y = render(a, l, 100, 100, "t", "d");
    assert_string_equal(x, y);
    assert_non_null(strstr(x, "x=\"0.33\""));
    assert_null(strstr(x, "-0\"")); /* no negative zero */
    assert_string_equal(rc_svg_family_from_path(a, "/x/fonts/Lato-Regular.ttf"), "Lato");
    assert_string_equal(rc_svg_family_from_path(a, "SourceSans3.ttf"), "SourceSans3");
    assert_null(rc_svg_family_from_path(a, NULL));
    rc_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shapes_exact),
        cmocka_unit_test(test_text_faces_escaping_groups),
        cmocka_unit_test(test_same_list_same_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
