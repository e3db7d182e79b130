/* xlsx_quality: the "Data quality" sheet of the figures workbook. One row
 * per source and field: the source's rows, then how many were answered,
 * missing (an empty cell or a missing code) and read as missing because
 * the value could not be used (a code not declared, an answer outside the
 * Likert scale), with where the first such value is; for multi fields,
 * the answers that kept a code but lost an undeclared one. The numbers are
 * the data stage's (rc_field_quality): answered + missing + not declared
 * + outside the scale = rows, so a reader can check every share's base. */
#include <stdio.h>

#include "xlsx_int.h"
#include "rc/data.h"
#include "rc/util.h"

static const char *where(rc_arena *a, const rc_field_quality *q)
{
    for (int r = 0; r < RC_DROP_COUNT; r++)
        if (q->dropped[r] || (r == RC_DROP_UNDECLARED && q->partial)) {
            const rc_loc *l = &q->first[r];
            if (l->line)
                return rc_arena_printf(a, "%s:%u:%u", rc_path_base(l->file ? l->file : ""), l->line,
                                       l->col);
        }
    return "";
}

void rc_xlsx_quality_sheet(rc_xw *x, const rc_doc *doc)
{
    const rc_data *data = doc->data;
    if (!data || !data->nsources) return;
    lxw_worksheet *ws = rc_xw_sheet(x, rc_xw_word(x, RC_XW_DATA_QUALITY), NULL);
    if (!ws) return;
    /* the edition's words; counts carry the unit, as every header does */
    static const rc_xw_wordid ids[] = {RC_XW_SOURCE,      RC_XW_Q_FIELD,       RC_XW_Q_COLUMN,
                                       RC_XW_Q_TYPE,      RC_XW_Q_ROWS,        RC_XW_Q_ANSWERED,
                                       RC_XW_Q_MISSING,   RC_XW_Q_UNDECLARED,  RC_XW_Q_OUT_OF_SCALE,
                                       RC_XW_Q_LOST_CODE, RC_XW_Q_FIRST_UNUSED};
    enum { NC = sizeof ids / sizeof ids[0] };
    const char *head[NC];
    for (uint32_t j = 0; j < NC; j++)
        head[j] = j >= 4 && j < 10 ? rc_arena_printf(x->a, "%s (%s)", rc_xw_word(x, ids[j]),
                                                     rc_xw_word(x, RC_XW_UNIT_NUMBER))
                                   : rc_xw_word(x, ids[j]);
    double w[NC];
    for (uint32_t j = 0; j < NC; j++) {
        rc_xw_str(x, ws, 0, j, head[j], x->header);
        w[j] = rc_xw_fit(8.0, head[j]);
    }
    uint32_t r = 1;
    for (size_t s = 0; s < data->nsources; s++) {
        const rc_source_data *sd = &data->sources[s];
        if (!sd->cfg || !sd->quality) continue;
        for (size_t k = 0; k < sd->ncols; k++, r++) {
            const rc_field_cfg *f = &sd->cfg->fields[k];
            const rc_field_quality *q = &sd->quality[k];
            const char *col = f->column.s ? f->column.s : f->name.s;
            const char *txt[] = {sd->cfg->name.s, f->name.s, col, rc_field_type_name(f->type)};
            for (uint32_t j = 0; j < 4; j++) {
                rc_xw_str(x, ws, r, j, txt[j], NULL);
                w[j] = rc_xw_fit(w[j], txt[j]);
            }
            const double v[] = {(double)sd->nrows,
                                (double)q->answered,
                                (double)q->missing,
                                (double)q->dropped[RC_DROP_UNDECLARED],
                                (double)q->dropped[RC_DROP_OUT_OF_SCALE],
                                (double)q->partial};
            for (uint32_t j = 0; j < 6; j++)
                rc_xw_num(x, ws, r, 4 + j, v[j], x->int0);
            const char *at = where(x->a, q);
            rc_xw_str(x, ws, r, 10, at, NULL);
            w[10] = rc_xw_fit(w[10], at);
        }
    }
    double total = 0;
    for (uint32_t j = 0; j < NC; j++) {
        rc_xw_width(x, ws, j, w[j]);
        total += w[j];
    }
    worksheet_freeze_panes(ws, 1, 2);
    /* an Excel table and print setup, as the workbook's other sheets */
    rc_xw_table(x, ws, 0, r > 1 ? r - 1 : 1, NC, head, "data_quality");
    rc_xw_print(x, ws, 0, total);
}
