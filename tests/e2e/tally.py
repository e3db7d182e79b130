"""The tally of an end-to-end checker that runs every check and reports the
failures at the end (check_workbooks.py, workbook_headers.py)."""

bad = []  # the failed checks' messages
checks = 0  # how many checks ran


def ok(cond, msg):
    global checks
    checks += 1
    if not cond:
        bad.append(msg)
    return cond
