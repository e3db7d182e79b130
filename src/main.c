/* reportc command line: parses arguments, calls rc_build, prints the
 * diagnostics and maps the result to an exit status. Nothing else. */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rc/build.h"
#include "rc/diag.h"
#include "rc/libs.h"
#include "rc/status.h"
#include "rc/util.h"

/* One row per command: its name, its synopsis and what it does. The list of
 * commands in the usage, `reportc help COMMAND` and the did-you-mean of a
 * mistyped command all read this table. */
typedef struct command {
    const char *name;
    rc_command cmd;
    const char *synopsis, *summary, *detail;
} command;

static const command commands[] = {
    {"build", RC_CMD_BUILD,
     "build CONFIG [-o DIR] [--only pdf,tex,xlsx] [--figures svg] [-q] [--strict] [--no-wait]",
     "write the outputs named in [output] (or those of --only)",
     "Reads CONFIG, computes every metric, aggregate, figure and table, typesets the\n"
     "report and writes the PDF, the .tex and the two workbooks. Every output is\n"
     "written to a temporary file first and all are renamed into place only when\n"
     "all succeeded, so a failed build leaves the output directory as it was.\n"
     "\n"
     "  -o, --output DIR   write outputs into DIR instead of [output] directory\n"
     "      --only LIST    comma-separated subset of: pdf, tex, xlsx\n"
     "      --figures svg  also write each figure as out/figures/figure-NN-name.svg\n"
     "  -q, --quiet        do not print the written files\n"
     "      --strict       every warning is an error, an untranslated text of an\n"
     "                     edition included (for CI)\n"
     "      --no-wait      fail at once if another build is writing into the same\n"
     "                     output directory (default: wait for it)\n"},
    {"check", RC_CMD_CHECK, "check CONFIG [--strict]",
     "read, validate and typeset everything in memory; write nothing",
     "Runs every stage of 'build' (including SOURCE_DATE_EPOCH and the typesetting,\n"
     "so a glyph missing from the fonts is found) but writes no file. On success it\n"
     "prints one line: what was checked and how many warnings.\n"
     "\n"
     "  -q, --quiet        do not print the summary line\n"
     "      --strict       every warning is an error, an untranslated text of an\n"
     "                     edition included (for CI)\n"},
    {"metrics", RC_CMD_METRICS, "metrics CONFIG [--json]",
     "print every named metric, one 'name = value' per line",
     "Computes the metrics of CONFIG and prints them, one 'name = value' per line,\n"
     "in the order of the INI file.\n"
     "\n"
     "      --json         print one JSON object {name: number}\n"},
    {"new", RC_CMD_NEW, "new DIR [--language en|es|pt]",
     "create a small working report project in DIR",
     "Creates DIR/report.ini with comments, a tiny survey CSV, two short chapters\n"
     "with placeholders, one figure, one table and one box; 'reportc build\n"
     "DIR/report.ini' builds it at once. DIR must be new or empty.\n"
     "\n"
     "      --language L   the language of the texts and the report: en, es or pt\n"},
    {"watch", RC_CMD_WATCH, "watch CONFIG [-o DIR] [--only pdf,tex,xlsx] [--figures svg]",
     "rebuild whenever an input changes",
     "Builds CONFIG, then waits for changes to any input (the INI file, the CSVs,\n"
     "the chapters, table and box files, the fonts) and rebuilds, printing the\n"
     "diagnostics and one line per rebuild with its time. Fonts, hyphenation and\n"
     "the data are kept between rebuilds when their files did not change. A\n"
     "failed rebuild keeps the last good outputs. Stop it with Ctrl-C.\n"
     "\n"
     "  -o, --output DIR   write outputs into DIR instead of [output] directory\n"
     "      --only LIST    comma-separated subset of: pdf, tex, xlsx\n"
     "      --figures svg  also write each figure as an SVG file\n"},
    {"help", RC_CMD_HELP, "help [COMMAND]", "show this help, or the help of one command",
     "Shows the usage of reportc, or with COMMAND what that command does and its\n"
     "options.\n"},
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *f)
{
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(f, "%s reportc %s\n", i ? "      " : "usage:", commands[i].synopsis);
    fputs("       reportc --help | --version\n"
          "\n"
          "Compiles the report described by the INI file CONFIG into a typeset PDF,\n"
          "a LaTeX source and companion Excel workbooks.\n"
          "\n"
          "commands:\n",
          f);
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fputs("\n"
          "options:\n"
          "  -o, --output DIR   (build, watch) write into DIR, not the [output] directory\n"
          "      --only LIST    (build, watch) comma-separated subset of: pdf, tex, xlsx\n"
          "      --figures svg  (build, watch) also write each figure as an SVG file\n"
          "      --json         (metrics) print one JSON object {name: number}\n"
          "      --language L   (new) en, es or pt\n"
          "  -q, --quiet        (build, check, new) print no summary of what was done\n"
          "      --strict       (build, check, watch) every warning is an error, an\n"
          "                     untranslated text of an edition included (for CI)\n"
          "      --no-wait      (build, watch) fail at once if another build is writing\n"
          "                     into the same output directory (default: wait for it)\n"
          "  -h, --help         show this help\n"
          "  -V, --version      show the version\n"
          "\n"
          "'reportc help COMMAND' shows what one command does.\n"
          "Diagnostics are coloured on a terminal unless NO_COLOR is set.\n"
          "\n"
          "exit status: 0 success, 1 error in the data or content, 2 usage or\n"
          "configuration error, 3 an output could not be written.\n",
          f);
}

/* A command-line problem, printed like every other diagnostic (in colour on
 * a terminal); returns the usage exit status. */
__attribute__((format(printf, 1, 2))) static int usage_error(const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    rc_diag *d = rc_diag_new();
    rc_diag_error(d, (rc_loc){0}, "%s", msg);
    rc_diag_print(d, stderr);
    rc_diag_free(d);
    return 2;
}

static const command *find_command(const char *name)
{
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0) return &commands[i];
    return NULL;
}

static int unknown_command(const char *name)
{
    const char *names[NCOMMANDS];
    for (size_t i = 0; i < NCOMMANDS; i++)
        names[i] = commands[i].name;
    const char *s = rc_diag_suggest(name, names, NCOMMANDS);
    if (s) return usage_error("unknown command '%s'; did you mean '%s'?", name, s);
    return usage_error("unknown command '%s' (see 'reportc --help')", name);
}

static int help(const char *name)
{
    if (!name) {
        usage(stdout);
        return 0;
    }
    const command *c = find_command(name);
    if (!c) return unknown_command(name);
    printf("usage: reportc %s\n\n%s.\n\n%s", c->synopsis, c->summary, c->detail);
    return 0;
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
            usage_error("unknown output '%.*s' in --only (pdf, tex, xlsx)", (int)n, s);
            return 0;
        }
        s += n;
        if (*s == ',') s++;
    }
    return *mask != 0;
}

/* Options that only some commands take: each names the commands it applies to. */
static int check_applies(const rc_options *o, bool set, const char *opt, unsigned cmds,
                         const char *which)
{
    if (set && !(cmds & (1u << o->command))) {
        usage_error("%s only applies to %s", opt, which);
        return 0;
    }
    return 1;
}

#define CMD(c) (1u << (c))

int main(int argc, char **argv)
{
    static const struct option longopts[] = {{"output", required_argument, NULL, 'o'},
                                             {"only", required_argument, NULL, 'O'},
                                             {"json", no_argument, NULL, 'j'},
                                             {"quiet", no_argument, NULL, 'q'},
                                             {"strict", no_argument, NULL, 'S'},
                                             {"no-wait", no_argument, NULL, 'W'},
                                             {"figures", required_argument, NULL, 'F'},
                                             {"language", required_argument, NULL, 'L'},
                                             {"help", no_argument, NULL, 'h'},
                                             {"version", no_argument, NULL, 'V'},
                                             {NULL, 0, NULL, 0}};
    rc_options o = {.out = stdout};
    const char *cmd = NULL;
    bool want_help = false;
    int c;
    /* getopt's own messages are replaced by one line with the hint to --help. */
    opterr = 0;
    /* '+' would stop at the first non-option; GNU permutation lets options
     * follow the command and the config, as users expect. */
    while ((c = getopt_long(argc, argv, ":o:qhV", longopts, NULL)) != -1) {
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
        case 'F':
            if (strcmp(optarg, "svg") == 0)
                o.figures_svg = true;
            else
                return usage_error("unknown figure format '%s' in --figures (svg)", optarg);
            break;
        case 'L':
            o.language = optarg;
            break;
        case 'h':
            want_help = true;
            break;
        case 'V':
            printf("reportc %s\n", RC_VERSION);
            return 0;
        case ':':
            return usage_error("option '%s' needs an argument; see 'reportc --help'",
                               argv[optind - 1]);
        default:
            if (optopt) return usage_error("unknown option '-%c'; see 'reportc --help'", optopt);
            return usage_error("unknown option '%s'; see 'reportc --help'", argv[optind - 1]);
        }
    }
    if (optind < argc) cmd = argv[optind++];
    if (want_help) return help(cmd && strcmp(cmd, "help") != 0 ? cmd : NULL);
    if (!cmd) {
        usage(stderr);
        return 2;
    }
    const command *k = find_command(cmd);
    if (!k) return unknown_command(cmd);
    o.command = k->cmd;
    if (o.command == RC_CMD_HELP) {
        if (optind + 1 < argc) return usage_error("unexpected argument '%s'", argv[optind + 1]);
        return help(optind < argc ? argv[optind] : NULL);
    }
    if (optind >= argc)
        return usage_error("'%s' needs %s", cmd,
                           o.command == RC_CMD_NEW ? "a directory" : "a CONFIG file");
    o.config = argv[optind++];
    if (optind < argc) return usage_error("unexpected argument '%s'", argv[optind]);
    const unsigned writes = CMD(RC_CMD_BUILD) | CMD(RC_CMD_WATCH);
    if (!check_applies(&o, o.json, "--json", CMD(RC_CMD_METRICS), "'metrics'") ||
        !check_applies(&o, o.only || o.outdir, "-o and --only", writes, "'build' and 'watch'") ||
        !check_applies(&o, o.figures_svg, "--figures", writes, "'build' and 'watch'") ||
        !check_applies(&o, o.language, "--language", CMD(RC_CMD_NEW), "'new'") ||
        !check_applies(&o, o.strict, "--strict", writes | CMD(RC_CMD_CHECK),
                       "'build', 'check' and 'watch'"))
        return 2;
    if (!check_applies(&o, o.no_wait, "--no-wait", writes, "'build' and 'watch'")) return 2;

    /* HarfBuzz and libharu (not linked: rc/libs.h) are loaded now, before
     * any thread, when the command will need them: the fonts (HarfBuzz)
     * are read by a check, a PDF and the SVG figures, not by the .tex and
     * the workbooks alone (--only tex,xlsx loads neither); libharu by a PDF
     * only (without --only the configuration's outputs may name one). */
    bool writes_pdf = o.command != RC_CMD_CHECK && (!o.only || (o.only & RC_OUT_PDF));
    if (o.command == RC_CMD_CHECK ||
        ((o.command == RC_CMD_BUILD || o.command == RC_CMD_WATCH) && (writes_pdf || o.figures_svg)))
        /* (a build keeps whether it needed HarfBuzz for its next run:
         * rc/libs.h; a check and a watcher always load it) */
        rc_libs_preload(writes_pdf, o.command == RC_CMD_BUILD ? o.config : NULL,
                        (unsigned)o.only | (o.figures_svg ? 1u << 16 : 0));
    /* SIGINT, SIGTERM, SIGHUP remove the build's temporaries first. */
    rc_tmp_handlers();
    rc_diag *d = rc_diag_new();
    rc_status st = rc_build(&o, d);
    rc_libs_done(st == RC_OK);
    rc_diag_print(d, stderr);
    if (st != RC_OK && rc_diag_errors(d) == 0) {
        rc_diag *e = rc_diag_new();
        rc_diag_error(e, (rc_loc){0}, "%s", rc_strerror(st));
        rc_diag_print(e, stderr);
        rc_diag_free(e);
    }
    rc_diag_free(d);
    if (fflush(stdout) != 0 && st == RC_OK) st = RC_ERR_IO;
    return rc_status_exit_code(st);
}
