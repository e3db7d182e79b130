#!/usr/bin/python3
"""The sample config with its survey replaced by another CSV file, one
edition (en), every other path made absolute, so that it can be written
anywhere (bench/xlsx-large.sh, tests/e2e/workbook_streamed.sh).

usage: survey-config.py SAMPLE.ini OUT.ini SURVEY.csv [NOTE]

NOTE, if given, is written as a comment on the first line."""
import os
import re
import sys

sample, out, csv = sys.argv[1:4]
cfgdir = os.path.dirname(os.path.abspath(sample))
text = open(sample, encoding="utf-8").read()
text = text.replace("iuc-lac-2019/survey.csv", csv)
# Every other relative path in the sample starts with "iuc-lac-2019/".
text = re.sub(r"(?<=[=,\s])iuc-lac-2019/", cfgdir + "/iuc-lac-2019/", text)
text = re.sub(r"^languages\s*=.*$", "languages = en", text, flags=re.M)
text = re.sub(r"^\[edition [^]]*\]\n(?:[^[\n].*\n|\n)*", "", text, flags=re.M)
with open(out, "w", encoding="utf-8") as f:
    f.write((f"; {sys.argv[4]}\n" if len(sys.argv) > 4 else "") + text)
