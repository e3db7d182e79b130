/* hb_lib: HarfBuzz (libharfbuzz, libharfbuzz-subset) loaded with dlopen
 * by the first font, not linked (rc/dlib.h says how). Included instead of
 * <hb.h>, <hb-ot.h>, <hb-aat.h> and <hb-subset.h>, which it includes
 * first: a HarfBuzz header included after it would have its prototypes
 * rewritten by the #defines below.
 *
 * Why: linked, HarfBuzz and what it needs (glib, pcre2, freetype, png,
 * brotli, graphite2) were mapped and relocated by
 * the dynamic loader before main on every run, about 0.3-0.5 ms of the
 * 0.7-0.9 ms reportc's libraries added to the start of a program that does
 * nothing (issue 18), on the build's critical path. Loaded with dlopen,
 * `--version`, `help`, `metrics` and `--only tex,xlsx` (which read no
 * font) never load it, and a check or a build that reads fonts loads it at
 * its start, before any other thread (rc_libs_preload, rc/libs.h).
 *
 * Gate: nothing calls HarfBuzz without a font. rc_fonts_load reports a
 * library it cannot load (a located error naming the Debian package;
 * RC_ERR_LIBRARY, exit status 3); a font made by rc_font_parse loads it
 * first; a font made from the facts kept in the cache (font.c) makes its
 * HarfBuzz objects, loading the library (rc_hb_lib_need), only when a
 * text must be shaped or a page of code points it lacks is asked for, so
 * a rebuild that shapes nothing never loads it. rc_ttf_reduce_lig loads
 * it too. A name called but not listed links to nothing and fails the
 * build. */
#ifndef RC_HB_LIB_H
#define RC_HB_LIB_H

#include <hb-aat.h>
#include <hb-ot.h>
#include <hb-subset.h>
#include <hb.h>
#include <stdbool.h>
#include <stdint.h>

/* libharfbuzz's functions reportc calls, in alphabetical order. */
#define RC_HB_LIB_FUNCTIONS(X)                                                                     \
    X(hb_aat_layout_has_positioning)                                                               \
    X(hb_aat_layout_has_substitution)                                                              \
    X(hb_aat_layout_has_tracking)                                                                  \
    X(hb_blob_create)                                                                              \
    X(hb_blob_destroy)                                                                             \
    X(hb_blob_get_data)                                                                            \
    X(hb_buffer_add_utf32)                                                                         \
    X(hb_buffer_add_utf8)                                                                          \
    X(hb_buffer_clear_contents)                                                                    \
    X(hb_buffer_create)                                                                            \
    X(hb_buffer_destroy)                                                                           \
    X(hb_buffer_get_glyph_infos)                                                                   \
    X(hb_buffer_get_glyph_positions)                                                               \
    X(hb_buffer_get_length)                                                                        \
    X(hb_buffer_set_cluster_level)                                                                 \
    X(hb_buffer_set_segment_properties)                                                            \
    X(hb_face_builder_add_table)                                                                   \
    X(hb_face_builder_create)                                                                      \
    X(hb_face_collect_unicodes)                                                                    \
    X(hb_face_create)                                                                              \
    X(hb_face_destroy)                                                                             \
    X(hb_face_get_glyph_count)                                                                     \
    X(hb_face_get_table_tags)                                                                      \
    X(hb_face_get_upem)                                                                            \
    X(hb_face_reference)                                                                           \
    X(hb_face_reference_blob)                                                                      \
    X(hb_face_reference_table)                                                                     \
    X(hb_font_create)                                                                              \
    X(hb_font_destroy)                                                                             \
    X(hb_font_get_face)                                                                            \
    X(hb_font_get_glyph_extents)                                                                   \
    X(hb_font_get_glyph_h_advance)                                                                 \
    X(hb_font_get_glyph_h_advances)                                                                \
    X(hb_font_get_nominal_glyph)                                                                   \
    X(hb_font_get_nominal_glyphs)                                                                  \
    X(hb_font_reference)                                                                           \
    X(hb_font_set_scale)                                                                           \
    X(hb_language_from_string)                                                                     \
    X(hb_map_get)                                                                                  \
    X(hb_ot_layout_collect_lookups)                                                                \
    X(hb_ot_layout_get_glyph_class)                                                                \
    X(hb_ot_layout_has_glyph_classes)                                                              \
    X(hb_ot_layout_lookup_collect_glyphs)                                                          \
    X(hb_ot_layout_lookup_would_substitute)                                                        \
    X(hb_ot_metrics_get_position)                                                                  \
    X(hb_ot_shape_plan_collect_lookups)                                                            \
    X(hb_set_add)                                                                                  \
    X(hb_set_clear)                                                                                \
    X(hb_set_create)                                                                               \
    X(hb_set_destroy)                                                                              \
    X(hb_set_get_population)                                                                       \
    X(hb_set_has)                                                                                  \
    X(hb_set_is_empty)                                                                             \
    X(hb_set_next)                                                                                 \
    X(hb_set_subtract)                                                                             \
    X(hb_shape_plan_create)                                                                        \
    X(hb_shape_plan_destroy)                                                                       \
    X(hb_shape_plan_execute)                                                                       \
    X(hb_unicode_funcs_get_default)                                                                \
    X(hb_unicode_general_category)                                                                 \
    X(hb_version_string)

/* libharfbuzz-subset's. */
#define RC_HB_SUBSET_FUNCTIONS(X)                                                                  \
    X(hb_subset_input_create_or_fail)                                                              \
    X(hb_subset_input_destroy)                                                                     \
    X(hb_subset_input_glyph_set)                                                                   \
    X(hb_subset_input_set)                                                                         \
    X(hb_subset_input_set_flags)                                                                   \
    X(hb_subset_input_unicode_set)                                                                 \
    X(hb_subset_plan_create_or_fail)                                                               \
    X(hb_subset_plan_destroy)                                                                      \
    X(hb_subset_plan_execute_or_fail)                                                              \
    X(hb_subset_plan_old_to_new_glyph_mapping)

typedef struct rc_hb_lib_table {
#define RC_HB_LIB_MEMBER(f) __typeof__(f) *f;
    RC_HB_LIB_FUNCTIONS(RC_HB_LIB_MEMBER)
    RC_HB_SUBSET_FUNCTIONS(RC_HB_LIB_MEMBER)
#undef RC_HB_LIB_MEMBER
} rc_hb_lib_table;

/* Filled by rc_hb_lib_load; read-only after it. */
extern rc_hb_lib_table rc_hb_lib;

/* Loads both libraries and fills rc_hb_lib, once per process (later calls
 * return the first one's result; thread-safe). On failure returns false
 * with *why (a static string) saying which library could not be loaded
 * and why, and the table stays empty. The files loaded are the sonames of
 * the libraries reportc was built against, libharfbuzz's replaced by the
 * file named by the environment variable RC_HARFBUZZ_SO when it is set and
 * not empty (tests point it at a missing library; docs/reportc.1). */
bool rc_hb_lib_load(const char **why);
/* Whether they are loaded (any thread). */
bool rc_hb_lib_loaded(void);
/* rc_hb_lib_load ahead of use (rc/libs.h): true when they are loaded. */
bool rc_hb_lib_preload(void);
/* Whether something of this process needed them: rc_hb_lib_load was
 * called (a font parsed, a text shaped, a font reduced), not only
 * rc_hb_lib_preload or rc_hb_lib_ident. */
bool rc_hb_lib_used(void);
/* rc_hb_lib_load for code that cannot go on without HarfBuzz and has no
 * diagnostics to report to (a text to shape in a build whose fonts came
 * from the cache, rc/font.h): when the libraries cannot be loaded (their
 * files were checked unchanged at the start, so a dependency of theirs
 * broke meanwhile), removes the outputs' temporaries (rc_tmp_abandon),
 * says why on stderr and exits with status 3: the previous outputs stay
 * as they were. */
void rc_hb_lib_need(void);
/* The identity of the HarfBuzz libraries a build uses, as a hash of
 * their version and their files' signatures (device, inode, size, times):
 * what is kept between builds and depends on HarfBuzz has it in its key,
 * so an upgrade or another file does the work again. Worked out once per
 * process (thread-safe): from the cache's entry of an earlier run
 * (CACHEDIR/lib/, rc_cache_entry_get) when the files it names, and the
 * dynamic loader's cache, are unchanged, without loading anything (the
 * entry's key holds the names reportc asks for and the environment that
 * may pick other files: RC_HARFBUZZ_SO, LD_LIBRARY_PATH, LD_PRELOAD);
 * otherwise by loading the libraries (rc_hb_lib_load), after which the
 * entry is kept. 0 when they cannot be loaded. */
uint64_t rc_hb_lib_ident(void);
/* The Debian package that installs libharfbuzz ("" when the build did not
 * know it), for the error message. */
const char *rc_hb_lib_package(void);

#ifndef RC_HB_LIB_NO_MACROS
/* The call sites' names, one per function of the lists (keep in step: a
 * missing line is an undefined reference at link time). */
#define hb_aat_layout_has_positioning (*rc_hb_lib.hb_aat_layout_has_positioning)
#define hb_aat_layout_has_substitution (*rc_hb_lib.hb_aat_layout_has_substitution)
#define hb_aat_layout_has_tracking (*rc_hb_lib.hb_aat_layout_has_tracking)
#define hb_blob_create (*rc_hb_lib.hb_blob_create)
#define hb_blob_destroy (*rc_hb_lib.hb_blob_destroy)
#define hb_blob_get_data (*rc_hb_lib.hb_blob_get_data)
#define hb_buffer_add_utf32 (*rc_hb_lib.hb_buffer_add_utf32)
#define hb_buffer_add_utf8 (*rc_hb_lib.hb_buffer_add_utf8)
#define hb_buffer_clear_contents (*rc_hb_lib.hb_buffer_clear_contents)
#define hb_buffer_create (*rc_hb_lib.hb_buffer_create)
#define hb_buffer_destroy (*rc_hb_lib.hb_buffer_destroy)
#define hb_buffer_get_glyph_infos (*rc_hb_lib.hb_buffer_get_glyph_infos)
#define hb_buffer_get_glyph_positions (*rc_hb_lib.hb_buffer_get_glyph_positions)
#define hb_buffer_get_length (*rc_hb_lib.hb_buffer_get_length)
#define hb_buffer_set_cluster_level (*rc_hb_lib.hb_buffer_set_cluster_level)
#define hb_buffer_set_segment_properties (*rc_hb_lib.hb_buffer_set_segment_properties)
#define hb_face_builder_add_table (*rc_hb_lib.hb_face_builder_add_table)
#define hb_face_builder_create (*rc_hb_lib.hb_face_builder_create)
#define hb_face_collect_unicodes (*rc_hb_lib.hb_face_collect_unicodes)
#define hb_face_create (*rc_hb_lib.hb_face_create)
#define hb_face_destroy (*rc_hb_lib.hb_face_destroy)
#define hb_face_get_glyph_count (*rc_hb_lib.hb_face_get_glyph_count)
#define hb_face_get_table_tags (*rc_hb_lib.hb_face_get_table_tags)
#define hb_face_get_upem (*rc_hb_lib.hb_face_get_upem)
#define hb_face_reference (*rc_hb_lib.hb_face_reference)
#define hb_face_reference_blob (*rc_hb_lib.hb_face_reference_blob)
#define hb_face_reference_table (*rc_hb_lib.hb_face_reference_table)
#define hb_font_create (*rc_hb_lib.hb_font_create)
#define hb_font_destroy (*rc_hb_lib.hb_font_destroy)
#define hb_font_get_face (*rc_hb_lib.hb_font_get_face)
#define hb_font_get_glyph_extents (*rc_hb_lib.hb_font_get_glyph_extents)
#define hb_font_get_glyph_h_advance (*rc_hb_lib.hb_font_get_glyph_h_advance)
#define hb_font_get_glyph_h_advances (*rc_hb_lib.hb_font_get_glyph_h_advances)
#define hb_font_get_nominal_glyph (*rc_hb_lib.hb_font_get_nominal_glyph)
#define hb_font_get_nominal_glyphs (*rc_hb_lib.hb_font_get_nominal_glyphs)
#define hb_font_reference (*rc_hb_lib.hb_font_reference)
#define hb_font_set_scale (*rc_hb_lib.hb_font_set_scale)
#define hb_language_from_string (*rc_hb_lib.hb_language_from_string)
#define hb_map_get (*rc_hb_lib.hb_map_get)
#define hb_ot_layout_collect_lookups (*rc_hb_lib.hb_ot_layout_collect_lookups)
#define hb_ot_layout_get_glyph_class (*rc_hb_lib.hb_ot_layout_get_glyph_class)
#define hb_ot_layout_has_glyph_classes (*rc_hb_lib.hb_ot_layout_has_glyph_classes)
#define hb_ot_layout_lookup_collect_glyphs (*rc_hb_lib.hb_ot_layout_lookup_collect_glyphs)
#define hb_ot_layout_lookup_would_substitute (*rc_hb_lib.hb_ot_layout_lookup_would_substitute)
#define hb_ot_metrics_get_position (*rc_hb_lib.hb_ot_metrics_get_position)
#define hb_ot_shape_plan_collect_lookups (*rc_hb_lib.hb_ot_shape_plan_collect_lookups)
#define hb_set_add (*rc_hb_lib.hb_set_add)
#define hb_set_clear (*rc_hb_lib.hb_set_clear)
#define hb_set_create (*rc_hb_lib.hb_set_create)
#define hb_set_destroy (*rc_hb_lib.hb_set_destroy)
#define hb_set_get_population (*rc_hb_lib.hb_set_get_population)
#define hb_set_has (*rc_hb_lib.hb_set_has)
#define hb_set_is_empty (*rc_hb_lib.hb_set_is_empty)
#define hb_set_next (*rc_hb_lib.hb_set_next)
#define hb_set_subtract (*rc_hb_lib.hb_set_subtract)
#define hb_shape_plan_create (*rc_hb_lib.hb_shape_plan_create)
#define hb_shape_plan_destroy (*rc_hb_lib.hb_shape_plan_destroy)
#define hb_shape_plan_execute (*rc_hb_lib.hb_shape_plan_execute)
#define hb_subset_input_create_or_fail (*rc_hb_lib.hb_subset_input_create_or_fail)
#define hb_subset_input_destroy (*rc_hb_lib.hb_subset_input_destroy)
#define hb_subset_input_glyph_set (*rc_hb_lib.hb_subset_input_glyph_set)
#define hb_subset_input_set (*rc_hb_lib.hb_subset_input_set)
#define hb_subset_input_set_flags (*rc_hb_lib.hb_subset_input_set_flags)
#define hb_subset_input_unicode_set (*rc_hb_lib.hb_subset_input_unicode_set)
#define hb_subset_plan_create_or_fail (*rc_hb_lib.hb_subset_plan_create_or_fail)
#define hb_subset_plan_destroy (*rc_hb_lib.hb_subset_plan_destroy)
#define hb_subset_plan_execute_or_fail (*rc_hb_lib.hb_subset_plan_execute_or_fail)
#define hb_subset_plan_old_to_new_glyph_mapping (*rc_hb_lib.hb_subset_plan_old_to_new_glyph_mapping)
#define hb_unicode_funcs_get_default (*rc_hb_lib.hb_unicode_funcs_get_default)
#define hb_unicode_general_category (*rc_hb_lib.hb_unicode_general_category)
#define hb_version_string (*rc_hb_lib.hb_version_string)
#endif

#endif
