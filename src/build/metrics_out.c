/* metrics_out: `reportc metrics` prints every named metric, one "name =
 * value" per line or one JSON object (moved out of build.c to keep it one
 * idea: the pipeline). */
#include <math.h>
#include <stdio.h>

#include "build_int.h"

static void print_number(FILE *f, const rc_metric_value *m)
{
    if (isnan(m->value) || isinf(m->value))
        fputs("null", f);
    else if (m->integral || (fabs(m->value) < 1e15 && m->value == floor(m->value)))
        fprintf(f, "%.0f", m->value);
    else
        fprintf(f, "%.10g", m->value);
}

static void json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            fprintf(f, "\\%c", ch);
        else if (ch < 0x20)
            fprintf(f, "\\u%04x", ch);
        else
            fputc(ch, f);
    }
    fputc('"', f);
}

void rc_build_print_metrics(const rc_options *o, const rc_data *data)
{
    FILE *f = o->out ? o->out : stdout;
    if (o->json) {
        fputc('{', f);
        for (size_t i = 0; i < data->nmetrics; i++) {
            fputs(i ? ",\n  " : "\n  ", f);
            json_string(f, data->metrics[i].name);
            fputs(": ", f);
            print_number(f, &data->metrics[i]);
        }
        fputs(data->nmetrics ? "\n}\n" : "}\n", f);
        return;
    }
    for (size_t i = 0; i < data->nmetrics; i++) {
        fprintf(f, "%s = ", data->metrics[i].name);
        print_number(f, &data->metrics[i]);
        fputc('\n', f);
    }
}
