/* build_metrics: `reportc metrics` output, "name = value" lines or one
 * JSON object. Numbers are printed so that they read back as the same
 * double: whole numbers plainly, others in the shortest %g form that
 * round-trips (rc_shortest_double), never cut to 10 digits. */
#include <math.h>
#include <stdio.h>

#include "build_int.h"
#include "rc/util.h"

static void print_number(FILE *f, const rc_metric_value *m)
{
    char buf[32];
    if (isnan(m->value) || isinf(m->value))
        fputs("null", f);
    else if (m->integral || (fabs(m->value) < 1e15 && m->value == floor(m->value)))
        fprintf(f, "%.0f", m->value);
    else
        fputs(rc_shortest_double(buf, m->value), f);
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
