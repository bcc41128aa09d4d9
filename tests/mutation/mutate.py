#!/usr/bin/python3
"""mutate.py - mutation testing of Incident Gateway's core modules.

Plants one small bug at a time in a scratch copy of the tree (never in the
working tree), rebuilds incrementally, runs the unit tests that should
notice, and reports how many mutants the tests killed per file, with every
survivor as `file:line: original -> mutant`.

Mutations: a comparison operator flipped (< to >=, == to !=) or shifted
(< to <=), an if/while condition negated, && and || swapped, an integer
constant one more or one less, an early return statement removed.

Speed: the tree is configured and built once in the scratch directory, with
the core as shared libraries (IG_SHARED_CORE); each parallel worker gets a
copy of that build (paths rewritten), so a mutant costs one compile of its
file, one library link and the tests, the module's own test first so most
mutants die within a second. A mutant that
does not compile is counted apart and not scored; one whose tests time out
counts as killed. Survivors of that plain pass are tried again in a second
build with ASan+UBSan, as make test runs the unit tests: an overread or a
leak a mutant causes is a bug make test catches.

Survivors that cannot change behaviour are listed in
tests/mutation-equivalent.txt and left out of the score. An entry names a
mutant by its exact key; failing that, by its file and text (`original ->
mutant`) with the line number ignored, so that an edit above a listed line
does not unlist it, but only when no other mutant of that file has the same
text (an equivalent mutant must not hide a live twin elsewhere in the
file). A full run lists the entries matched only that way, to have their
line numbers updated, and those that match nothing.

Python 3 standard library only. Run from anywhere: paths are relative to
the source tree this file lives in.
"""

import argparse
import concurrent.futures
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

SRC = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EQUIVALENT = os.path.join(SRC, "tests", "mutation-equivalent.txt")

CORE = [
    "gateway/cases.c", "gateway/case_command.c", "gateway/case_deadline.c",
    "gateway/case_reply.c",
    "gateway/relay.c", "gateway/report.c",
    "gateway/routing.c", "gateway/intake.c",
    "gateway/store.c", "gateway/store_audit.c", "gateway/store_evidence.c",
    "gateway/store_seal.c",
    "gateway/store_file.c", "gateway/store_incidents.c",
    "gateway/store_messages.c", "gateway/store_outbox.c",
    "gateway/store_list.c", "gateway/store_digest.c",
    "gateway/store_pg.c", "gateway/pg_driver.c",
    "parsers/autoreply.c", "parsers/form.c", "parsers/form_convert.c",
    "parsers/forward.c",
]

# The unit tests that exercise each file, as a ctest -R pattern. A file not
# listed gets every unit test. Narrow only where a wider set cannot kill more:
# the gateway modules are reached through intake, so they keep them all.
TESTS = {
    "parsers/form.c":
        r"^unit_(form|form_convert|form_labels|form_markers|limits|intake|mailout|report)$",
    "parsers/form_convert.c":
        r"^unit_(form_convert|form|form_labels|form_markers|limits|intake|mailout|report)$",
    "parsers/forward.c":
        r"^unit_(forward|forward_chains|forward_limits|forward_markers|intake|mailout|report)$",
    "parsers/autoreply.c": r"^unit_(autoreply|intake|mailout)$",
    # PostgreSQL's code runs only in the programs' second runs.
    "gateway/store_pg.c": r"^unit_pg_",
    "gateway/pg_driver.c": r"^unit_pg_",
}
ALL_UNIT = r"^unit_"
# The unit programs' second runs, on PostgreSQL: they test PostgreSQL's own
# code above; for any other file they repeat the SQLite runs on the other
# database, and each ctest run that reaches them starts a server (about
# 6 s). With the line map (Coverage) a mutant's PostgreSQL runs follow its
# SQLite ones; without it they are skipped for other files, and a mutant
# that only they would kill is counted a survivor, which errs on the safe
# side.
PG_RUNS = "unit_pg_.*"

# The test to try first where it is not unit_<stem> or unit_<stem before _>.
FIRST = {
    "gateway/case_command.c": "unit_case_reply",
    "gateway/case_reply.c": "unit_case_reply",
    "gateway/case_deadline.c": "unit_deadlines",
    "gateway/store_seal.c": "unit_store_verify",
    "gateway/store_list.c": "unit_store_search",
    "gateway/store_file.c": "unit_store_files",
    "gateway/store_pg.c": "unit_pg_store",
    "gateway/pg_driver.c": "unit_pg_driver",
}

# What a mutant of a file needs rebuilt, where it is not the core: the
# PostgreSQL driver is a module of its own, and test_pg_driver links it.
BUILD = {
    "gateway/pg_driver.c": ["ig-pg", "test_pg_driver"],
}

# Targets a mutant build needs: the unit test programs (they link ig_core).
UNIT_TARGETS_RE = re.compile(r"foreach\(t ([a-z_\s]+)\)\s*\n\s*add_executable\(test_")


# ---------------------------------------------------------------- mutants

class Mutant:
    def __init__(self, path, start, end, replacement, line, last, original, mutated):
        self.path = path            # relative to the tree
        self.start = start          # byte span of the source replaced
        self.end = end
        self.replacement = replacement
        self.line = line
        self.last = last            # the span's last line
        self.original = original    # one-line views for the report
        self.mutated = mutated

    def key(self):
        return "%s:%d: %s -> %s" % (self.path, self.line, self.original, self.mutated)

    def text(self):
        """The key without its line number."""
        return "%s: %s -> %s" % (self.path, self.original, self.mutated)


def mask(text):
    """The text with comments, string and character literals and
    preprocessor lines other than #define bodies blanked to spaces, offsets
    kept, so the scanners below see only code."""
    out = list(text)
    i, n = 0, len(text)
    at_line_start = True

    def blank(a, b):
        for k in range(a, b):
            if out[k] != "\n":
                out[k] = " "

    while i < n:
        c = text[i]
        if at_line_start and c in " \t":
            i += 1
            continue
        if at_line_start and c == "#":
            j = i
            while j < n:                  # a directive with its continuations
                nl = text.find("\n", j)
                if nl < 0:
                    nl = n
                if nl > 0 and text[nl - 1] == "\\":
                    j = nl + 1
                    continue
                break
            m = re.match(r"#\s*define\s+\w+(\([^)]*\))?", text[i:nl])
            blank(i, i + m.end() if m else nl)
            if not m:
                i = nl
                continue
            i += m.end()
            at_line_start = False
            continue
        at_line_start = False
        if c == "\n":
            at_line_start = True
            i += 1
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            blank(i, j)
            i = j
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            blank(i, j)
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            blank(i, min(j + 1, n))
            i = j + 1
        else:
            i += 1
    return "".join(out)


FLIP = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!=", "!=": "=="}
SHIFT = {"<": "<=", "<=": "<", ">": ">=", ">=": ">"}
OPERATOR_RE = re.compile(r"->|<<=|>>=|<<|>>|<=|>=|==|!=|&&|\|\||<|>")
NUMBER_RE = re.compile(r"(?<![\w.])(0[xX][0-9a-fA-F]+|\d+)([uUlL]*)(?![\w.])")
KEYWORD_RE = re.compile(r"\b(if|while|return)\b")
# The count of a g_new/g_new0 whose next character closes the call: one
# more only over-allocates, which no behaviour can show, so that mutant is
# not generated (one less still is).
ALLOC_COUNT_RE = re.compile(r"\bg_new0?\s*\([^()]*,\s*$")


def matching_paren(masked, open_at):
    depth = 0
    for k in range(open_at, len(masked)):
        if masked[k] == "(":
            depth += 1
        elif masked[k] == ")":
            depth -= 1
            if depth == 0:
                return k
    return -1


def brace_depths(masked):
    """depth[i]: how many braces are open before offset i."""
    depth, d = [0] * (len(masked) + 1), 0
    for i, c in enumerate(masked):
        depth[i] = d
        if c == "{":
            d += 1
        elif c == "}":
            d -= 1
    depth[len(masked)] = d
    return depth


def one_line(s):
    return " ".join(s.split())


def mutants_of(path, root=SRC):
    text = open(os.path.join(root, path), encoding="utf-8").read()
    masked = mask(text)
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line_of(offset):
        lo, hi = 0, len(line_starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if line_starts[mid] <= offset:
                lo = mid
            else:
                hi = mid - 1
        return lo + 1

    def line_span(a, b):
        first = line_starts[line_of(a) - 1]
        last = text.find("\n", b)
        return first, len(text) if last < 0 else last

    def add(start, end, replacement):
        a, b = line_span(start, end)
        before = text[a:b]
        after = text[a:start] + replacement + text[end:b]
        out.append(Mutant(path, start, end, replacement, line_of(start), line_of(end),
                          one_line(before), one_line(after)))

    out = []
    for m in OPERATOR_RE.finditer(masked):
        op = m.group()
        if op in FLIP:
            add(m.start(), m.end(), FLIP[op])
        if op in SHIFT:
            add(m.start(), m.end(), SHIFT[op])
        if op in ("&&", "||"):
            add(m.start(), m.end(), "||" if op == "&&" else "&&")

    for m in NUMBER_RE.finditer(masked):
        digits, suffix = m.group(1), m.group(2)
        if digits[:2].lower() == "0x":
            value, spell = int(digits, 16), hex
        elif len(digits) > 1 and digits[0] == "0":
            value, spell = int(digits, 8), lambda v: "0%o" % v
        else:
            value, spell = int(digits), str
        alloc_count = (ALLOC_COUNT_RE.search(masked, max(0, m.start() - 200), m.start())
                       and masked[m.end():].lstrip().startswith(")"))
        for v in (value + 1, value - 1):
            if v >= 0 and not (alloc_count and v > value):
                add(m.start(), m.end(), spell(v) + suffix)

    depth = brace_depths(masked)
    for m in KEYWORD_RE.finditer(masked):
        if m.group() == "return":
            semi = masked.find(";", m.end())
            if semi < 0:
                continue
            rest = masked[semi + 1:].lstrip()
            closes_function = rest.startswith("}") and depth[m.start()] == 1
            if not closes_function:
                add(m.start(), semi + 1, ";")
            continue
        open_at = m.end() + len(masked[m.end():]) - len(masked[m.end():].lstrip())
        if open_at >= len(masked) or masked[open_at] != "(":
            continue
        close = matching_paren(masked, open_at)
        if close < 0:
            continue
        cond = text[open_at + 1:close]
        a, b = line_span(open_at, close)
        before = text[a:b]
        after = text[a:open_at + 1] + "!(" + cond + ")" + text[close:b]
        out.append(Mutant(path, open_at + 1, close, "!(" + cond + ")",
                          line_of(open_at), line_of(close), one_line(before),
                          one_line(after)))
    out.sort(key=lambda mu: (mu.start, mu.end, mu.replacement))
    return out


def read_equivalent():
    """Keys of tests/mutation-equivalent.txt, each `file:line: original ->
    mutant`, mapped to the reason given after it."""
    entries = []
    if not os.path.exists(EQUIVALENT):
        return entries
    for raw in open(EQUIVALENT, encoding="utf-8"):
        raw = raw.rstrip("\n")
        if raw.strip() and not raw.startswith("#"):
            entries.append(raw)
    return entries


def is_listed(mutant, entries, counts):
    """Whether an entry of tests/mutation-equivalent.txt names mutant: its
    exact key, or else its file and text (`original -> mutant`) under
    another line number, so an edit above a listed line does not unlist
    it. The second only when that text is unique among the file's mutants
    (counts, from text_counts): an equivalent mutant must not hide a live
    twin elsewhere in the file."""
    key = mutant.key()
    if any(e == key or e.startswith(key + " - ") for e in entries):
        return True
    text = mutant.text()
    return counts.get(text, 0) == 1 and any(
        t == text or t.startswith(text + " - ") for t in map(without_line, entries))


def without_line(entry):
    """An entry or key with its line number dropped: `file: original ->
    mutant[ - why]`."""
    return re.sub(r"^([^:\s]+):\d+: ", r"\1: ", entry, count=1)


def text_counts(files, root):
    """How many mutants of files have each text (Mutant.text)."""
    counts = {}
    for f in files:
        for mu in mutants_of(f, root):
            counts[mu.text()] = counts.get(mu.text(), 0) + 1
    return counts


# ---------------------------------------------------------------- builds

def run(cmd, cwd=None, timeout=None):
    try:
        p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=timeout)
        return p.returncode, p.stdout.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        return None, "timeout"


def unit_targets(src):
    """The unit test programs CMakeLists.txt in src builds, as targets."""
    cm = open(os.path.join(src, "CMakeLists.txt"), encoding="utf-8").read()
    m = UNIT_TARGETS_RE.search(cm)
    if not m:
        sys.exit("mutate.py: cannot find the unit test list in CMakeLists.txt")
    return ["test_" + t for t in m.group(1).split()]


def prepare_base(snapshot, scratch, jobs, sanitize, targets):
    """Copies the snapshot of the tree and builds the unit tests (targets)
    in it once: -O1 without debug information, as compiles and links are
    most of a mutant's cost; with ASan+UBSan when sanitize."""
    base = os.path.join(scratch, "slot0")
    src = os.path.join(base, "src")
    shutil.copytree(snapshot, src, symlinks=True)
    build = os.path.join(base, "build")
    rc, log = run(["cmake", "-S", src, "-B", build, "-G", "Unix Makefiles",
                   "-DCMAKE_BUILD_TYPE=Release", "-DCMAKE_C_FLAGS_RELEASE=-O1",
                   "-DIG_SHARED_CORE=ON", "-DIG_SANITIZE=%s" % ("ON" if sanitize else "OFF")])
    if rc != 0:
        sys.exit("mutate.py: cmake failed in the scratch copy:\n" + log)
    # The tests' second runs on PostgreSQL load the driver's module.
    rc, log = run(["cmake", "--build", build, "-j", str(jobs), "--target"] + targets
                  + ["ig-pg"])
    if rc != 0:
        sys.exit("mutate.py: the unmutated tree does not build:\n" + log[-4000:])
    return base


def clone_slot(base, slot):
    """A copy of the prepared slot whose build files name its own paths, so
    make sees everything up to date."""
    shutil.copytree(base, slot, symlinks=True)
    old, new = base.encode(), slot.encode()
    for root, _dirs, files in os.walk(os.path.join(slot, "build")):
        for f in files:
            p = os.path.join(root, f)
            if os.path.islink(p):
                continue
            with open(p, "rb") as fh:
                data = fh.read()
            if b"\0" in data[:8192] or old not in data:
                continue
            st = os.stat(p)
            with open(p, "wb") as fh:
                fh.write(data.replace(old, new))
            os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns))


class Slot:
    def __init__(self, root):
        self.root = root
        self.src = os.path.join(root, "src")
        self.build = os.path.join(root, "build")


def first_test(path, pattern, targets):
    """The unit test most likely to kill a mutant of path, or None."""
    stem = os.path.splitext(os.path.basename(path))[0]
    names = [prefix + t[len("test_"):] for t in targets for prefix in ("unit_", "unit_pg_")]
    for name in (FIRST.get(path), "unit_" + stem, "unit_" + stem.split("_")[0]):
        if name in names and re.search(pattern, name):
            return name
    return None


class Coverage:
    """Which unit tests run each line of the planned files, from a gcov
    build of the snapshot with each test run alone. A mutant changes only
    its own lines, so a test that runs none of them cannot notice it: each
    mutant runs only the tests that run its lines, and one on a line no
    test runs survives without a build. The SQLite runs come first; the
    PostgreSQL runs (a server each) of the same lines after them, as make
    test runs both: a store line run on both databases may matter on one.
    PostgreSQL's own files are not mapped: their tests run whole."""

    def __init__(self, snapshot, scratch, files, targets, jobs, timeout):
        self.executable = {}    # path -> the lines gcov counts
        self.ran = {}           # (path, line) -> the tests that ran it
        self.seconds = {}       # test -> its run time: fast ones go first
        self.snapshot, self.timeout = snapshot, timeout
        self.files = [f for f in files if TESTS.get(f) != r"^unit_pg_"]
        if not self.files:
            return
        self.build = os.path.join(scratch, "coverage")
        print("mutate.py: mapping which unit tests run each line in %s" % self.build,
              flush=True)
        rc, log = run(["cmake", "-S", snapshot, "-B", self.build, "-G", "Unix Makefiles",
                       "-DCMAKE_BUILD_TYPE=Debug", "-DCMAKE_C_FLAGS=--coverage -O0",
                       "-DIG_SHARED_CORE=ON", "-DIG_SANITIZE=OFF"])
        if rc == 0:
            rc, log = run(["cmake", "--build", self.build, "-j", str(jobs), "--target"]
                          + targets + ["ig-pg"])
        if rc != 0:
            sys.exit("mutate.py: the coverage build failed:\n" + log[-4000:])
        # The counts files of the planned files' objects: cleared before
        # each test, read after it.
        self.counts = []
        for root, _dirs, fs in os.walk(self.build):
            self.counts += [os.path.join(root, fn)[:-len(".gcno")] + ".gcda" for fn in fs
                            if fn.endswith(".c.gcno")
                            and any(os.path.join(root, fn).endswith(os.sep + f + ".gcno")
                                    for f in self.files)]
        self.map_tests(ALL_UNIT, "^(%s)$" % PG_RUNS)
        if any(re.search(TESTS.get(f, ALL_UNIT), "unit_pg_store") for f in self.files):
            self.map_tests("^(%s)$" % PG_RUNS)

    def map_tests(self, pattern, exclude=None):
        """Runs each unit test matching pattern alone and records what it ran."""
        started = time.time()
        rc, log = run(["ctest", "-N", "-R", pattern] + (["-E", exclude] if exclude else []),
                      cwd=self.build)
        names = re.findall(r"Test +#\d+: (unit_\S+)", log)
        for name in names:
            for gcda in self.counts:
                if os.path.exists(gcda):
                    os.unlink(gcda)
            t0 = time.time()
            rc, log = run(["ctest", "-R", "^%s$" % name, "--timeout", str(self.timeout)],
                          cwd=self.build)
            if rc != 0:
                sys.exit("mutate.py: %s fails in the coverage build:\n%s"
                         % (name, log[-4000:]))
            self.seconds[name] = time.time() - t0
            self.read(name)
        print("mutate.py: %d unit tests mapped in %ds" % (len(names), time.time() - started),
              flush=True)

    def read(self, name):
        """Records the lines of the planned files that test name ran, from
        gcov's JSON (a document a line; a missing counts file reads as
        nothing run)."""
        rc, out = run(["gcov", "-t", "-j"] + self.counts, cwd=self.build)
        if rc != 0:
            sys.exit("mutate.py: gcov failed:\n" + out[-4000:])
        for line in out.splitlines():
            if not line.startswith("{"):
                continue
            for entry in json.loads(line)["files"]:
                path = os.path.relpath(entry["file"], self.snapshot)
                if path not in self.files:
                    continue
                exe = self.executable.setdefault(path, set())
                for ln in entry["lines"]:
                    exe.add(ln["line_number"])
                    if ln["count"] > 0:
                        self.ran.setdefault((path, ln["line_number"]), set()).add(name)

    def tests_for(self, mutant, pattern):
        """The tests matching pattern that run any line of the mutant, in
        the order to run them: the SQLite runs, then the PostgreSQL runs,
        each group the fastest first; [] when none does; None when the map
        cannot tell: an unmapped file, lines gcov does not count (a
        declaration, a macro), or a case label, which moved takes values
        from other lines' paths."""
        exe = self.executable.get(mutant.path)
        if exe is None or re.search(r"\bcase\b", mutant.original):
            return None
        lines = [n for n in range(mutant.line, mutant.last + 1) if n in exe]
        if not lines:
            return None
        names = set()
        for n in lines:
            names |= {t for t in self.ran.get((mutant.path, n), set()) if re.search(pattern, t)}
        groups = [sorted((t for t in names if not re.match(PG_RUNS, t)), key=self.seconds.get),
                  sorted((t for t in names if re.match(PG_RUNS, t)), key=self.seconds.get)]
        return [g for g in groups if g]


def test_mutant(slot, mutant, timeout, targets, coverage=None):
    """Plants the mutant in the slot, builds, tests, puts the file back.
    Returns 'killed', 'survived', 'timeout' or 'stillborn'."""
    pattern = TESTS.get(mutant.path, ALL_UNIT)
    covering = coverage.tests_for(mutant, pattern) if coverage else None
    if covering == []:
        return "survived"
    path = os.path.join(slot.src, mutant.path)
    # The slot's own copy, as it was when the plan was made: the working
    # tree may change while a long run goes on.
    original = open(path, encoding="utf-8").read()
    mutated = original[:mutant.start] + mutant.replacement + original[mutant.end:]
    try:
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(mutated)
        # The test programs load the core libraries and do not depend on
        # their files (IG_SHARED_CORE), so relinking the core is enough.
        rc, _ = run(["cmake", "--build", slot.build, "-j", "1", "--target"]
                    + BUILD.get(mutant.path, ["ig_core"]), timeout=600)
        if rc != 0:
            return "stillborn"
        first = first_test(mutant.path, pattern, targets)
        if covering is not None:
            runs = []
            for group in covering:
                if first in group:
                    runs.append(["-R", "^%s$" % first])
                    group = [n for n in group if n != first]
                if group:
                    runs.append(["-R", "^(%s)$" % "|".join(group)])
        else:
            skip = [PG_RUNS] if pattern == ALL_UNIT else []
            runs = [["-R", pattern] + (["-E", "^(%s)$" % "|".join(skip)] if skip else [])]
            if first:
                runs = [["-R", "^%s$" % first],
                        ["-R", pattern, "-E", "^(%s)$" % "|".join(skip + [first])]]
        for select in runs:
            rc, _ = run(["ctest"] + select + ["--stop-on-failure",
                         "--timeout", str(timeout)], cwd=slot.build,
                        timeout=timeout * 4)
            if rc is None:
                return "timeout"
            if rc != 0:
                return "killed"
        return "survived"
    finally:
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(original)


class Journal:
    """Outcomes of earlier runs, one line a mutant and pass: the SHA-256 of
    the mutated file's contents, the pass, the outcome and the mutant's key,
    tab-separated; the last line for a mutant wins. An outcome counts only
    for the file contents it was measured on, so an edited file is tested
    again whole."""

    def __init__(self, path, snapshot, files):
        self.path = path
        self.digest = {}
        for f in files:
            with open(os.path.join(snapshot, f), "rb") as fh:
                self.digest[f] = hashlib.sha256(fh.read()).hexdigest()
        self.outcomes = {}
        if os.path.exists(path):
            with open(path, encoding="utf-8") as fh:
                for line in fh:
                    parts = line.rstrip("\n").split("\t", 3)
                    if len(parts) != 4:
                        continue
                    digest, phase, outcome, key = parts
                    if self.digest.get(key.split(":", 1)[0]) == digest:
                        self.outcomes[(key, phase)] = outcome
        self.out = open(path, "a", encoding="utf-8")

    def record(self, mutant, phase, outcome):
        self.out.write("%s\t%s\t%s\t%s\n" % (self.digest[mutant.path], phase, outcome,
                                            mutant.key()))
        self.out.flush()


# ---------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 2,
                    help="mutants built and tested at once (default: cores)")
    ap.add_argument("-f", "--file", action="append",
                    help="only this core file (repeatable), e.g. gateway/routing.c")
    ap.add_argument("-n", "--sample", type=int, default=0,
                    help="test N random mutants per file instead of all")
    ap.add_argument("--seed", type=int, default=1, help="for --sample (default 1)")
    ap.add_argument("--timeout", type=int, default=60,
                    help="seconds per unit test before the mutant counts as killed")
    ap.add_argument("--list", action="store_true",
                    help="print the mutants and stop")
    ap.add_argument("--keep", action="store_true",
                    help="keep the scratch directory")
    ap.add_argument("--retest", metavar="FILE",
                    help="only the mutants listed in FILE, one key a line as "
                         "printed for survivors (to check new tests)")
    ap.add_argument("--no-sanitize", action="store_true",
                    help="skip the second pass of survivors under ASan+UBSan")
    ap.add_argument("--journal", metavar="FILE",
                    help="record each mutant's outcome in FILE, and take the "
                         "outcomes it holds for a file with the same contents "
                         "instead of testing again: a run stopped midway goes "
                         "on where it stopped")
    ap.add_argument("--no-coverage", action="store_true",
                    help="run every unit test that reaches a mutant's file, not "
                         "only those that run its lines")
    args = ap.parse_args()

    files = args.file or CORE
    for f in files:
        if not os.path.exists(os.path.join(SRC, f)):
            sys.exit("mutate.py: no such file: %s (paths as in the tree, e.g. gateway/routing.c)" % f)

    # One snapshot of the tree: the plan and every build come from it, so
    # the working tree may change while a long run goes on.
    # In memory where there is a tmpfs: the unit tests' stores sync every
    # commit (synchronous=FULL), which on a disk is most of their time; the
    # tests and the compilers put their files under TMPDIR, in it too.
    shm = "/dev/shm"
    scratch = tempfile.mkdtemp(prefix="ig-mutation-",
                               dir=shm if os.access(shm, os.W_OK) else None)
    # The PostgreSQL tests' server runs as the postgres user when root
    # runs this, with its files under TMPDIR: it must reach them.
    os.chmod(scratch, 0o755)
    os.environ["TMPDIR"] = os.path.join(scratch, "tmp")
    os.mkdir(os.environ["TMPDIR"])
    os.chmod(os.environ["TMPDIR"], 0o1777)
    snapshot = os.path.join(scratch, "tree")
    shutil.copytree(SRC, snapshot, symlinks=True,
                    ignore=shutil.ignore_patterns("build", "build-*", "var", ".git",
                                                  "__pycache__"))
    rng = random.Random(args.seed)
    plan = []
    for f in files:
        ms = mutants_of(f, snapshot)
        if args.sample and len(ms) > args.sample:
            ms = sorted(rng.sample(ms, args.sample), key=lambda mu: mu.start)
        plan.extend(ms)
    if args.retest:
        wanted = {l.strip() for l in open(args.retest, encoding="utf-8")
                  if l.strip() and not l.startswith("#")}
        plan = [mu for mu in plan if mu.key() in wanted]

    started = time.time()
    try:
        if args.list:
            for mu in plan:
                print(mu.key())
            return 0
        # The unit test list, read once: every slot builds the snapshot.
        targets = unit_targets(snapshot)
        journal = Journal(args.journal, snapshot, files) if args.journal else None
        # A retest is asked for because the tests changed: nothing is taken
        # from the journal then, but the new outcomes go in.
        known = journal.outcomes if journal and not args.retest else {}
        results = {mu: known[(mu.key(), "plain")] for mu in plan
                   if (mu.key(), "plain") in known}
        todo = [mu for mu in plan if mu not in results]
        if results:
            print("mutate.py: %d of %d mutants' outcomes taken from %s"
                  % (len(results), len(plan), args.journal), flush=True)
        coverage = []

        def mapped():
            """The line map, made once and only when a mutant is to be tested."""
            if not coverage:
                coverage.append(None if args.no_coverage else
                                Coverage(snapshot, scratch, files, targets, args.jobs,
                                         args.timeout))
            return coverage[0]

        if todo:
            results.update(run_phase(scratch, snapshot, "plain", todo, args, targets,
                                     sanitize=False, journal=journal,
                                     coverage=mapped()))
        # make test also runs the unit tests under ASan+UBSan (leaks too),
        # so a mutant they catch there is killed: only survivors of the
        # fast plain pass pay for the sanitizer build and run.
        survivors = [mu for mu in plan if results[mu] == "survived"]
        if survivors and not args.no_sanitize:
            again = {mu: known[(mu.key(), "sanitize")] for mu in survivors
                     if (mu.key(), "sanitize") in known}
            todo = [mu for mu in survivors if mu not in again]
            if todo:
                again.update(run_phase(scratch, snapshot, "sanitize", todo, args, targets,
                                       sanitize=True, journal=journal,
                                       coverage=mapped()))
            for mu, outcome in again.items():
                if outcome in ("killed", "timeout"):
                    results[mu] = "killed by a sanitizer"
                    print("  killed under ASan/UBSan %s" % mu.key(), flush=True)
        return report(files, plan, results, read_equivalent(), time.time() - started,
                      snapshot)
    finally:
        if args.keep:
            print("mutate.py: scratch kept in %s" % scratch)
        else:
            shutil.rmtree(scratch, ignore_errors=True)


def run_phase(scratch, snapshot, name, plan, args, targets, sanitize, journal=None,
              coverage=None):
    """Builds the unmutated tree for this phase (its unit test programs,
    targets), checks its unit tests pass, then tests every mutant of plan
    on args.jobs slots. Returns {mutant: outcome}."""
    started = time.time()
    jobs = max(1, min(args.jobs, len(plan)))
    root = os.path.join(scratch, name)
    os.makedirs(root)
    print("mutate.py: %s pass: building the unmutated tree in %s" % (name, root), flush=True)
    base = prepare_base(snapshot, root, jobs, sanitize, targets)
    slots = [Slot(base)]
    for k in range(1, jobs):
        slot = os.path.join(root, "slot%d" % k)
        clone_slot(base, slot)
        slots.append(Slot(slot))
    rc, log = run(["ctest", "-R", ALL_UNIT, "--timeout", str(args.timeout)],
                  cwd=slots[0].build)
    if rc != 0:
        sys.exit("mutate.py: the unit tests fail without any mutant:\n" + log[-4000:])
    print("mutate.py: %s pass: %d mutants, %d at a time (ready after %ds)"
          % (name, len(plan), jobs, time.time() - started), flush=True)

    # Each worker takes the next mutant from one shared queue; mutants of
    # one file stay together so a slot mostly recompiles a single file.
    free = list(slots)
    lock = threading.Lock()
    results = {}
    done = [0]

    def work(mutant):
        with lock:
            slot = free.pop()
        try:
            outcome = "error"
            outcome = test_mutant(slot, mutant, args.timeout * (5 if sanitize else 1),
                                  targets, coverage)
        finally:
            with lock:
                free.append(slot)
                done[0] += 1
                if journal and outcome != "error":
                    journal.record(mutant, name, outcome)
                if outcome == "survived" and not sanitize:
                    print("  survived %s" % mutant.key(), flush=True)
                if done[0] % 10 == 0:
                    print("mutate.py: %s pass: %d/%d" % (name, done[0], len(plan)),
                          flush=True)
        return outcome

    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        for mutant, outcome in zip(plan, pool.map(work, plan)):
            results[mutant] = outcome
    return results


def report(files, plan, results, equivalent, seconds, snapshot):
    print()
    print("%-28s %7s %7s %8s %10s %10s %7s %7s" % ("file", "mutants", "killed",
          "survived", "equivalent", "stillborn", "score", "timeout"))
    survivors = []
    total_killed = total_scored = 0
    counts = text_counts(files, snapshot)
    for f in files:
        ms = [mu for mu in plan if mu.path == f]
        killed = sum(results[mu] in ("killed", "timeout", "killed by a sanitizer")
                     for mu in ms)
        stillborn = sum(results[mu] == "stillborn" for mu in ms)
        surv = [mu for mu in ms if results[mu] == "survived"]
        equiv = [mu for mu in surv if is_listed(mu, equivalent, counts)]
        live = [mu for mu in surv if mu not in equiv]
        survivors.extend(live)
        scored = killed + len(live)
        total_killed += killed
        total_scored += scored
        score = "%.1f%%" % (100.0 * killed / scored) if scored else "-"
        # Kills by timeout are shown apart: on a loaded machine a slow test
        # can pass for a kill (raise --timeout to check them).
        timeouts = sum(results[mu] == "timeout" for mu in ms)
        print("%-28s %7d %7d %8d %10d %10d %7s %7d" % (f, len(ms), killed, len(live),
              len(equiv), stillborn, score, timeouts))
    if total_scored:
        print("%-28s %7d %7d %8d %10s %10s %6.1f%%" % ("total", len(plan),
              total_killed, total_scored - total_killed, "", "",
              100.0 * total_killed / total_scored))
    if survivors:
        print("\nSurvivors (no unit test noticed; kill with a test or list in "
              "tests/mutation-equivalent.txt with why):")
        for mu in survivors:
            print(mu.key())
    # An entry matched only by its text is not stale, but its line number
    # is: it is listed for updating.
    keys = {mu.key() for mu in plan}
    texts = {mu.text() for mu in plan if counts.get(mu.text()) == 1}
    ours = [e for e in equivalent if e.split(":")[0] in files
            and not any(e == k or e.startswith(k + " - ") for k in keys)]
    moved = [e for e in ours if any(without_line(e) == t or
                                    without_line(e).startswith(t + " - ") for t in texts)]
    stale = [e for e in ours if e not in moved]
    if len(keys) == sum(counts.values()):
        for title, entries in (("match no mutant (code changed, or the text is no "
                                "longer unique in its file)", stale),
                               ("match a mutant on another line (update the line "
                                "number)", moved)):
            if entries:
                print("\nEntries of tests/mutation-equivalent.txt that %s:" % title)
                for e in entries:
                    print(e)
    print("\nmutate.py: %d mutants in %dm%02ds" % (len(plan), seconds // 60, seconds % 60))
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main())
