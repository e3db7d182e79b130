"""What the `reportc watch` end-to-end tests share (watch_test.py,
watch_editions_test.py, watch_fresh_test.py, watch_memo_test.py): the
tally of checks, a scratch copy of the sample, edits in place, the watch's
stdout read line by line, and the comparison with a fresh build."""
import filecmp, hashlib, os, queue, shutil, subprocess, threading

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_fails = 0
_lines = queue.Queue()


def check(ok, what):
    global _fails
    print(("ok: " if ok else "FAIL: ") + what)
    if not ok:
        _fails += 1


def failures():
    return _fails


def copy_sample(tmp):
    """The sample (INI file and its folder) copied into tmp, its outputs
    going to tmp/out; returns the INI file's path."""
    shutil.copy(os.path.join(ROOT, "config/iuc-lac-2019.ini"), tmp)
    shutil.copytree(os.path.join(ROOT, "config/iuc-lac-2019"), os.path.join(tmp, "iuc-lac-2019"))
    ini = os.path.join(tmp, "iuc-lac-2019.ini")
    t = open(ini, encoding="utf-8").read().replace("directory = ../out", "directory = out")
    with open(ini, "w", encoding="utf-8") as f:
        f.write(t)
    return ini


def follow(stream):
    """Reads stream's lines on a thread, for next_line (select() on the pipe
    cannot see lines already buffered)."""
    def reader():
        for line in stream:
            _lines.put(line)
    threading.Thread(target=reader, daemon=True).start()


def next_line(timeout=120):
    """The watch's next stdout line, or "" after timeout seconds."""
    try:
        return _lines.get(timeout=timeout)
    except queue.Empty:
        return ""


def pdf_text(path):
    return subprocess.run(["pdftotext", path, "-"], capture_output=True, text=True).stdout


def sha(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def edit(path, old, new, count=1):
    """Replaces old by new in the file, written in place (as most editors
    do on close)."""
    t = open(path, encoding="utf-8").read()
    assert old in t, (path, old)
    with open(path, "w", encoding="utf-8") as f:
        f.write(t.replace(old, new, count))


def same_as_fresh(rc, ini, out, scratch, env, what):
    """Checks that the watch's outputs in out are, file for file and byte
    for byte, what a fresh `rc build ini` writes (into scratch/fresh)."""
    fresh = os.path.join(scratch, "fresh")
    shutil.rmtree(fresh, ignore_errors=True)
    r = subprocess.run([rc, "build", ini, "-o", fresh, "-q"], env=env, capture_output=True,
                       text=True)
    check(r.returncode == 0, f"{what}: the fresh build succeeds {r.stderr.strip()[:200]}")
    names = sorted(os.listdir(fresh))
    have = sorted(os.listdir(out))
    check(names == have, f"{what}: the same files ({have} / {names})")
    _, diff, err = filecmp.cmpfiles(out, fresh, names, shallow=False)
    check(not diff and not err, f"{what}: every file byte for byte a fresh build's "
          f"(differ: {diff + err})")
