/* hpdf_lib: libharu (libhpdf) loaded with dlopen by the first PDF a build
 * writes, not linked (rc/dlib.h says how). Not a public header: the PDF
 * stage's files include it (through pdf_int.h, pdf_heap.h, pdf_face.h)
 * instead of <hpdf.h> and <hpdf_utils.h>, which it includes first: a
 * libharu header included after it would have its prototypes rewritten by
 * the #defines below.
 *
 * Why: linked, libhpdf and the libpng it needs were mapped and relocated
 * by the dynamic loader before main on every run, about 0.3-0.45 ms of the
 * 0.7-0.9 ms reportc's libraries added to the start of a program that does
 * nothing (issue 18), though `--version`, `check`, `metrics` and `--only
 * tex` write no PDF. `reportc build` and `watch` load it at their start,
 * before any other thread, when they may write a PDF (rc_libs_preload,
 * rc/libs.h).
 *
 * Gate: every libharu call needs a document, and the only document is
 * made by rc_pdf_write_cached (pdf.c), which loads the library first (a
 * located error naming the Debian package, RC_ERR_LIBRARY, when it
 * cannot). reportc passes libharu its callbacks (errors, memory, the font
 * reader) as pointers and uses none of its data symbols, so nothing else
 * binds to it. A name called but not listed links to nothing and fails
 * the build. */
#ifndef RC_HPDF_LIB_H
#define RC_HPDF_LIB_H

#include <hpdf.h>
#include <hpdf_utils.h>

#include "rc/pdf.h"

/* The library's functions reportc calls, in alphabetical order. */
#define RC_HPDF_LIB_FUNCTIONS(X)                                                                   \
    X(HPDF_AddPage)                                                                                \
    X(HPDF_AddPageLabel)                                                                           \
    X(HPDF_Array_Add)                                                                              \
    X(HPDF_Array_AddNumber)                                                                        \
    X(HPDF_Array_Clear)                                                                            \
    X(HPDF_Array_GetItem)                                                                          \
    X(HPDF_Array_New)                                                                              \
    X(HPDF_Binary_New)                                                                             \
    X(HPDF_CMapEncoder_ToUnicode)                                                                  \
    X(HPDF_CallbackReader_New)                                                                     \
    X(HPDF_CheckError)                                                                             \
    X(HPDF_DictStream_New)                                                                         \
    X(HPDF_Dict_Add)                                                                               \
    X(HPDF_Dict_AddBoolean)                                                                        \
    X(HPDF_Dict_AddName)                                                                           \
    X(HPDF_Dict_AddNumber)                                                                         \
    X(HPDF_Dict_GetItem)                                                                           \
    X(HPDF_Dict_New)                                                                               \
    X(HPDF_Dict_RemoveElement)                                                                     \
    X(HPDF_Doc_RegisterFontDef)                                                                    \
    X(HPDF_FreeDoc)                                                                                \
    X(HPDF_GetEncoder)                                                                             \
    X(HPDF_GetFont)                                                                                \
    X(HPDF_GetFontDef)                                                                             \
    X(HPDF_GetStreamSize)                                                                          \
    X(HPDF_MemStream_FreeData)                                                                     \
    X(HPDF_MemStream_GetBufCount)                                                                  \
    X(HPDF_MemStream_GetBufPtr)                                                                    \
    X(HPDF_MemStream_New)                                                                          \
    X(HPDF_NewEx)                                                                                  \
    X(HPDF_Null_New)                                                                               \
    X(HPDF_Page_GetLocalFontName)                                                                  \
    X(HPDF_Page_SetHeight)                                                                         \
    X(HPDF_Page_SetWidth)                                                                          \
    X(HPDF_ReadFromStream)                                                                         \
    X(HPDF_SaveToStream)                                                                           \
    X(HPDF_SetCompressionMode)                                                                     \
    X(HPDF_SetError)                                                                               \
    X(HPDF_SetPageMode)                                                                            \
    X(HPDF_Stream_Write)                                                                           \
    X(HPDF_Stream_WriteStr)                                                                        \
    X(HPDF_String_New)                                                                             \
    X(HPDF_TTFontDef_GetCharWidth)                                                                 \
    X(HPDF_TTFontDef_GetGidWidth)                                                                  \
    X(HPDF_TTFontDef_GetGlyphid)                                                                   \
    X(HPDF_TTFontDef_Load)                                                                         \
    X(HPDF_TTFontDef_SetTagName)                                                                   \
    X(HPDF_UseUTFEncodings)                                                                        \
    X(HPDF_Xref_Add)

typedef struct rc_hpdf_lib_table {
#define RC_HPDF_LIB_MEMBER(f) __typeof__(f) *f;
    RC_HPDF_LIB_FUNCTIONS(RC_HPDF_LIB_MEMBER)
#undef RC_HPDF_LIB_MEMBER
} rc_hpdf_lib_table;

/* Filled by rc_hpdf_lib_load (rc/pdf.h); read-only after it. */
extern rc_hpdf_lib_table rc_hpdf_lib;

#ifndef RC_HPDF_LIB_NO_MACROS
/* The call sites' names, one per function of the list (keep in step: a
 * missing line is an undefined reference at link time). */
#define HPDF_AddPage (*rc_hpdf_lib.HPDF_AddPage)
#define HPDF_AddPageLabel (*rc_hpdf_lib.HPDF_AddPageLabel)
#define HPDF_Array_Add (*rc_hpdf_lib.HPDF_Array_Add)
#define HPDF_Array_AddNumber (*rc_hpdf_lib.HPDF_Array_AddNumber)
#define HPDF_Array_Clear (*rc_hpdf_lib.HPDF_Array_Clear)
#define HPDF_Array_GetItem (*rc_hpdf_lib.HPDF_Array_GetItem)
#define HPDF_Array_New (*rc_hpdf_lib.HPDF_Array_New)
#define HPDF_Binary_New (*rc_hpdf_lib.HPDF_Binary_New)
#define HPDF_CMapEncoder_ToUnicode (*rc_hpdf_lib.HPDF_CMapEncoder_ToUnicode)
#define HPDF_CallbackReader_New (*rc_hpdf_lib.HPDF_CallbackReader_New)
#define HPDF_CheckError (*rc_hpdf_lib.HPDF_CheckError)
#define HPDF_DictStream_New (*rc_hpdf_lib.HPDF_DictStream_New)
#define HPDF_Dict_Add (*rc_hpdf_lib.HPDF_Dict_Add)
#define HPDF_Dict_AddBoolean (*rc_hpdf_lib.HPDF_Dict_AddBoolean)
#define HPDF_Dict_AddName (*rc_hpdf_lib.HPDF_Dict_AddName)
#define HPDF_Dict_AddNumber (*rc_hpdf_lib.HPDF_Dict_AddNumber)
#define HPDF_Dict_GetItem (*rc_hpdf_lib.HPDF_Dict_GetItem)
#define HPDF_Dict_New (*rc_hpdf_lib.HPDF_Dict_New)
#define HPDF_Dict_RemoveElement (*rc_hpdf_lib.HPDF_Dict_RemoveElement)
#define HPDF_Doc_RegisterFontDef (*rc_hpdf_lib.HPDF_Doc_RegisterFontDef)
#define HPDF_FreeDoc (*rc_hpdf_lib.HPDF_FreeDoc)
#define HPDF_GetEncoder (*rc_hpdf_lib.HPDF_GetEncoder)
#define HPDF_GetFont (*rc_hpdf_lib.HPDF_GetFont)
#define HPDF_GetFontDef (*rc_hpdf_lib.HPDF_GetFontDef)
#define HPDF_GetStreamSize (*rc_hpdf_lib.HPDF_GetStreamSize)
#define HPDF_MemStream_FreeData (*rc_hpdf_lib.HPDF_MemStream_FreeData)
#define HPDF_MemStream_GetBufCount (*rc_hpdf_lib.HPDF_MemStream_GetBufCount)
#define HPDF_MemStream_GetBufPtr (*rc_hpdf_lib.HPDF_MemStream_GetBufPtr)
#define HPDF_MemStream_New (*rc_hpdf_lib.HPDF_MemStream_New)
#define HPDF_NewEx (*rc_hpdf_lib.HPDF_NewEx)
#define HPDF_Null_New (*rc_hpdf_lib.HPDF_Null_New)
#define HPDF_Page_GetLocalFontName (*rc_hpdf_lib.HPDF_Page_GetLocalFontName)
#define HPDF_Page_SetHeight (*rc_hpdf_lib.HPDF_Page_SetHeight)
#define HPDF_Page_SetWidth (*rc_hpdf_lib.HPDF_Page_SetWidth)
#define HPDF_ReadFromStream (*rc_hpdf_lib.HPDF_ReadFromStream)
#define HPDF_SaveToStream (*rc_hpdf_lib.HPDF_SaveToStream)
#define HPDF_SetCompressionMode (*rc_hpdf_lib.HPDF_SetCompressionMode)
#define HPDF_SetError (*rc_hpdf_lib.HPDF_SetError)
#define HPDF_SetPageMode (*rc_hpdf_lib.HPDF_SetPageMode)
#define HPDF_Stream_Write (*rc_hpdf_lib.HPDF_Stream_Write)
#define HPDF_Stream_WriteStr (*rc_hpdf_lib.HPDF_Stream_WriteStr)
#define HPDF_String_New (*rc_hpdf_lib.HPDF_String_New)
#define HPDF_TTFontDef_GetCharWidth (*rc_hpdf_lib.HPDF_TTFontDef_GetCharWidth)
#define HPDF_TTFontDef_GetGidWidth (*rc_hpdf_lib.HPDF_TTFontDef_GetGidWidth)
#define HPDF_TTFontDef_GetGlyphid (*rc_hpdf_lib.HPDF_TTFontDef_GetGlyphid)
#define HPDF_TTFontDef_Load (*rc_hpdf_lib.HPDF_TTFontDef_Load)
#define HPDF_TTFontDef_SetTagName (*rc_hpdf_lib.HPDF_TTFontDef_SetTagName)
#define HPDF_UseUTFEncodings (*rc_hpdf_lib.HPDF_UseUTFEncodings)
#define HPDF_Xref_Add (*rc_hpdf_lib.HPDF_Xref_Add)
#endif

#endif
