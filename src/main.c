/* reportc command line: parses arguments, calls rc_build, prints the
 * diagnostics and maps the result to an exit status. Nothing else. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rc/build.h"
#include "rc/diag.h"
#include "rc/status.h"
#include "rc/util.h"

static void usage(FILE *f)
{
    fputs("usage: reportc build CONFIG [-o DIR] [--only pdf,tex,xlsx] [-q] [--no-wait]\n"
          "       reportc check CONFIG\n"
          "       reportc metrics CONFIG [--json]\n"
          "       reportc --help | --version\n"
          "\n"
          "Compiles the report described by the INI file CONFIG into a typeset PDF,\n"
          "a LaTeX source and companion Excel workbooks.\n"
          "\n"
          "commands:\n"
          "  build      write the outputs named in [output] (or those of --only)\n"
          "  check      read and validate everything, write nothing\n"
          "  metrics    print every named metric, one 'name = value' per line\n"
          "\n"
          "options:\n"
          "  -o, --output DIR   write outputs into DIR instead of [output] directory\n"
          "      --only LIST    comma-separated subset of: pdf, tex, xlsx\n"
          "      --json         (metrics) print one JSON object {name: number}\n"
          "  -q, --quiet        (build) do not print the written files\n"
          "      --strict       every warning is an error (for CI)\n"
          "      --no-wait      (build) fail at once if another build is writing into\n"
          "                     the same output directory (default: wait for it)\n"
          "  -h, --help         show this help\n"
          "  -V, --version      show the version\n"
          "\n"
          "exit status: 0 success, 1 error in the data or content, 2 usage or\n"
          "configuration error, 3 an output could not be written.\n",
          f);
}

static int parse_only(const char *s, unsigned *mask)
{
    *mask = 0;
    while (*s) {
        size_t n = strcspn(s, ",");
        if (n == 3 && strncmp(s, "pdf", 3) == 0)
            *mask |= RC_OUT_PDF;
        else if (n == 3 && strncmp(s, "tex", 3) == 0)
            *mask |= RC_OUT_TEX;
        else if (n == 4 && strncmp(s, "xlsx", 4) == 0)
            *mask |= RC_OUT_XLSX;
        else {
            fprintf(stderr, "reportc: error: unknown output '%.*s' in --only (pdf, tex, xlsx)\n",
                    (int)n, s);
            return 0;
        }
        s += n;
        if (*s == ',') s++;
    }
    return *mask != 0;
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {{"output", required_argument, NULL, 'o'},
                                             {"only", required_argument, NULL, 'O'},
                                             {"json", no_argument, NULL, 'j'},
                                             {"quiet", no_argument, NULL, 'q'},
                                             {"strict", no_argument, NULL, 'S'},
                                             {"no-wait", no_argument, NULL, 'W'},
                                             {"help", no_argument, NULL, 'h'},
                                             {"version", no_argument, NULL, 'V'},
                                             {NULL, 0, NULL, 0}};
    rc_options o = {.out = stdout};
    const char *cmd = NULL;
    int c;
    /* '+' would stop at the first non-option; GNU permutation lets options
     * follow the command and the config, as users expect. */
    while ((c = getopt_long(argc, argv, "o:qhV", longopts, NULL)) != -1) {
        switch (c) {
        case 'o':
            o.outdir = optarg;
            break;
        case 'O':
            if (!parse_only(optarg, &o.only)) return 2;
            break;
        case 'j':
            o.json = true;
            break;
        case 'q':
            o.quiet = true;
            break;
        case 'S':
            o.strict = true;
            break;
        case 'W':
            o.no_wait = true;
            break;
        case 'h':
            usage(stdout);
            return 0;
        case 'V':
            printf("reportc %s\n", RC_VERSION);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (optind < argc) cmd = argv[optind++];
    if (!cmd) {
        usage(stderr);
        return 2;
    }
    if (strcmp(cmd, "build") == 0)
        o.command = RC_CMD_BUILD;
    else if (strcmp(cmd, "check") == 0)
        o.command = RC_CMD_CHECK;
    else if (strcmp(cmd, "metrics") == 0)
        o.command = RC_CMD_METRICS;
    else {
        fprintf(stderr, "reportc: error: unknown command '%s' (build, check, metrics)\n", cmd);
        return 2;
    }
    if (optind >= argc) {
        fprintf(stderr, "reportc: error: '%s' needs a CONFIG file\n", cmd);
        return 2;
    }
    o.config = argv[optind++];
    if (optind < argc) {
        fprintf(stderr, "reportc: error: unexpected argument '%s'\n", argv[optind]);
        return 2;
    }
    if (o.json && o.command != RC_CMD_METRICS) {
        fprintf(stderr, "reportc: error: --json only applies to 'metrics'\n");
        return 2;
    }
    if (o.no_wait && o.command != RC_CMD_BUILD) {
        fprintf(stderr, "reportc: error: --no-wait only applies to 'build'\n");
        return 2;
    }
    if ((o.only || o.outdir) && o.command != RC_CMD_BUILD) {
        fprintf(stderr, "reportc: error: -o and --only only apply to 'build'\n");
        return 2;
    }

    /* SIGINT, SIGTERM, SIGHUP remove the build's temporaries first. */
    rc_tmp_handlers();
    rc_diag *d = rc_diag_new();
    rc_status st = rc_build(&o, d);
    rc_diag_print(d, stderr);
    if (st != RC_OK && rc_diag_errors(d) == 0)
        fprintf(stderr, "reportc: error: %s\n", rc_strerror(st));
    rc_diag_free(d);
    if (fflush(stdout) != 0 && st == RC_OK) st = RC_ERR_IO;
    return rc_status_exit_code(st);
}
