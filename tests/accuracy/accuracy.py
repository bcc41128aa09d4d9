#!/usr/bin/python3
"""accuracy.py - how well the gateway turns the corpus into records.

Usage: accuracy.py BINARY CORPUS_DIR CONFIG [--verbose] [--check] [--jobs N]

Every NNN-name.eml in CORPUS_DIR has a NNN-name.json beside it:
  {"kind": "form|free_text|forward|html|charset",
   "received_at": "2026-11-23T10:30:00Z",
   "expect": {field: value-or-null, ...}}
Each message is ingested into a fresh store in a temporary directory (the
database, source and transport paths of CONFIG are rewritten into it) with
--now set to its received_at; the record is read back with show REF --json
and each labelled field compared with the label.

Per field: TP = label not null and the record equal; FP = record not null
and not equal to the label (also when the label is null); FN = label not
null and the record not equal. Precision = TP/(TP+FP), recall = TP/(TP+FN).

Exit status 0 (2 on a usage error: bad arguments, a missing binary or a
malformed label file), or with --check 1 unless the targets are met:
  kind form:              precision and recall 100% on every field;
  kinds free_text+forward: overall recall >= 95%, category recall >= 90%,
                           every field recall >= 80%, every field
                           precision >= 97%;
  kinds html and charset: each message is held to the targets of the
                           report inside it (its labelled source: form, or
                           free_text and forward), counted for each kind on
                           its own. Taking HTML apart or converting a
                           charset must lose nothing the plain text would
                           give, and counted apart a fault in either layer
                           cannot hide among the plain-text reports (tried
                           2026-11-30: Latin-2 read as Windows-1252 garbles
                           one name in 2,000 fields and met every other
                           target; here the charset forms fail).
A label with "incident": false (an out-of-office, an automatic reply) expects
no incident at all: one recorded is a failure, none is right and its fields
are not scored.
evidence_from (the sender of the suspicious mail a report passes on, the
first of show --json's "evidence") is scored only where a label has it.
A field with nothing to count (no labels and no predictions) passes.
Python 3 standard library only; the binary runs with the caller's working
directory (for relative paths such as the templates folder).
"""
import argparse
import concurrent.futures
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import unicodedata
from datetime import datetime

FIELDS = ["source", "category", "impact", "personal_data", "detected_at",
          "reporter_name", "reporter_email", "forwarded_by", "via", "supplier",
          "information_asset", "near_miss", "evidence_from"]
KINDS = ["form", "free_text", "forward", "html", "charset"]
GROUPS = [("form fields (kind form)", ["form"]),
          ("free_text+forward", ["free_text", "forward"]),
          ("html+charset", ["html", "charset"]),
          ("all kinds", KINDS)]
# The kinds that test a decoding layer, each scored by the family of the
# report inside it: its labelled source, form or free text (and forward).
LAYERS = ["html", "charset"]
FAMILIES = [("forms", "form"), ("free_text+forward", "text")]
TIMEOUT = 60


# ---- the config -------------------------------------------------------------

def rewrite_config(text, tmp):
    """The config with its database, source and transport under tmp."""
    out, section = [], None
    want = {("gateway", "database"): os.path.join(tmp, "gateway.db"),
            ("source", "url"): "maildir:" + os.path.join(tmp, "mail"),
            ("transport", "url"): "dir:" + os.path.join(tmp, "outbox")}
    seen = set()
    for line in text.splitlines():
        m = re.match(r"\s*\[([^\]]+)\]", line)
        if m:
            section = m.group(1).strip()
        else:
            m = re.match(r"\s*([A-Za-z0-9_.-]+)\s*=", line)
            if m and (section, m.group(1)) in want:
                key = (section, m.group(1))
                line = "%s = %s" % (key[1], want[key])
                seen.add(key)
        out.append(line)
    for (sec, key), value in want.items():
        if (sec, key) not in seen:  # not in the file: add it to its section
            for i, line in enumerate(out):
                if re.match(r"\s*\[%s\]" % re.escape(sec), line):
                    out.insert(i + 1, "%s = %s" % (key, value))
                    break
            else:
                out += ["[%s]" % sec, "%s = %s" % (key, value)]
    return "\n".join(out) + "\n"


# ---- running the gateway ----------------------------------------------------

def run_one(binary, config_text, eml, meta, workroot):
    """Ingests eml into a fresh store; returns (record dict or None, error)."""
    try:
        return _run_one(binary, config_text, eml, meta, workroot)
    except OSError as e:  # e.g. the binary is being relinked under us
        return None, "cannot run %s: %s" % (binary, e.strerror or e)


def _run_one(binary, config_text, eml, meta, workroot):
    tmp = tempfile.mkdtemp(prefix="case-", dir=workroot)
    try:
        conf = os.path.join(tmp, "gateway.conf")
        with open(conf, "w") as f:
            f.write(rewrite_config(config_text, tmp))
        now = meta["received_at"]
        try:
            p = subprocess.run([binary, "-c", conf, "ingest", eml, "--now", now],
                               capture_output=True, timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            return None, "ingest timed out"
        out = p.stdout.decode("utf-8", "replace")
        err = p.stderr.decode("utf-8", "replace").strip().splitlines()
        m = re.search(r": new ([A-Za-z0-9-]+)", out)
        if p.returncode != 0 or not m:
            why = out.strip() or (err[-1] if err else "")
            return None, "ingest exit %d: %s" % (p.returncode, why[:200])
        ref = m.group(1)
        try:
            p = subprocess.run([binary, "-c", conf, "show", ref, "--json", "--now", now],
                               capture_output=True, timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            return None, "show timed out"
        if p.returncode != 0:
            return None, "show %s exit %d" % (ref, p.returncode)
        try:
            return json.loads(p.stdout.decode("utf-8")), None
        except ValueError as e:
            return None, "show %s: bad JSON: %s" % (ref, e)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def predicted(record, field):
    if record is None:
        return None
    if field == "evidence_from":
        evidence = record.get("evidence") or []
        value = evidence[0].get("from") if evidence else None
    elif field in ("reporter_name", "reporter_email"):
        value = (record.get("reporter") or {}).get(field.split("_", 1)[1])
    else:
        value = record.get(field)
    if isinstance(value, str) and not value.strip():
        return None
    return value


# ---- comparing ----------------------------------------------------------------

def _text(v):
    return " ".join(unicodedata.normalize("NFC", str(v)).split()).casefold()


def _time(v):
    try:
        return datetime.fromisoformat(str(v).replace("Z", "+00:00"))
    except ValueError:
        return str(v)


def same(field, expected, got):
    if expected is None or got is None:
        return expected is None and got is None
    if field == "detected_at":
        return _time(expected) == _time(got)
    if field == "near_miss":
        return bool(expected) == bool(got) and isinstance(got, bool)
    if field in ("reporter_name", "reporter_email", "forwarded_by", "supplier",
                 "information_asset", "evidence_from"):
        return _text(expected) == _text(got)
    return expected == got


class Count:
    __slots__ = ("tp", "fp", "fn")

    def __init__(self):
        self.tp = self.fp = self.fn = 0

    def add(self, expected, got, equal):
        if expected is not None and equal:
            self.tp += 1
        if got is not None and not equal:
            self.fp += 1
        if expected is not None and not equal:
            self.fn += 1

    def __iadd__(self, other):
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        return self

    def precision(self):
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    def recall(self):
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None


def pct(x):
    return "     -" if x is None else "%5.1f%%" % (100 * x)


def row(name, c, width=22):
    return "%-*s %5d %5d %5d  %s  %s" % (width, name, c.tp, c.fp, c.fn,
                                         pct(c.precision()), pct(c.recall()))


def header(title, width=22):
    return "%-*s %5s %5s %5s  %6s  %6s" % (width, title, "TP", "FP", "FN", "prec", "recall")


def show_value(v):
    return json.dumps(v, ensure_ascii=False)


# ---- main -----------------------------------------------------------------------

def family(meta):
    return "form" if meta["expect"].get("source") == "form" else "text"


def form_problems(name, count_of):
    """Every field at 100%; count_of(field) gives its Count."""
    problems = []
    for field in FIELDS:
        c = count_of(field)
        for what, v in (("precision", c.precision()), ("recall", c.recall())):
            if v is not None and v < 1.0:
                problems.append("%s: %s %s %s < 100%%" % (name, field, what, pct(v).strip()))
    return problems


def text_problems(name, count_of):
    """The free text targets; count_of(field) gives its Count."""
    problems = []
    overall = Count()
    for field in FIELDS:
        overall += count_of(field)
    r = overall.recall()
    if r is not None and r < 0.95:
        problems.append("%s: overall recall %s < 95%%" % (name, pct(r).strip()))
    r = count_of("category").recall()
    if r is not None and r < 0.90:
        problems.append("%s: category recall %s < 90%%" % (name, pct(r).strip()))
    for field in FIELDS:
        c = count_of(field)
        if c.recall() is not None and c.recall() < 0.80:
            problems.append("%s: %s recall %s < 80%%" % (name, field, pct(c.recall()).strip()))
        if c.precision() is not None and c.precision() < 0.97:
            problems.append("%s: %s precision %s < 97%%" % (name, field, pct(c.precision()).strip()))
    return problems


def usage_error(message):
    print("accuracy.py: " + message, file=sys.stderr)
    sys.exit(2)


def load_corpus(corpus):
    cases = []
    for name in sorted(os.listdir(corpus)):
        if not name.endswith(".eml"):
            continue
        base = name[:-4]
        jpath = os.path.join(corpus, base + ".json")
        if not os.path.exists(jpath):
            usage_error("%s: no %s.json beside it" % (name, base))
        with open(jpath, encoding="utf-8") as f:
            meta = json.load(f)
        if meta.get("kind") not in KINDS:
            usage_error("%s: kind %r is not one of %s" % (jpath, meta.get("kind"), KINDS))
        if (meta["kind"] in LAYERS and meta.get("incident", True)
                and meta.get("expect", {}).get("source") not in ("form", "free_text", "forward")):
            usage_error("%s: kind %s needs the source it holds (form, free_text or forward)"
                        % (jpath, meta["kind"]))
        unknown = set(meta.get("expect", {})) - set(FIELDS)
        if meta.get("incident", True) not in (True, False):
            usage_error("%s: incident must be true or false" % jpath)
        if unknown:
            usage_error("%s: unknown fields %s" % (jpath, sorted(unknown)))
        cases.append((base, os.path.join(corpus, name), meta))
    return cases


def main():
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # quiet under | head
    ap = argparse.ArgumentParser(description="Field accuracy of the gateway on a labelled corpus.")
    ap.add_argument("binary")
    ap.add_argument("corpus")
    ap.add_argument("config")
    ap.add_argument("--verbose", action="store_true", help="list every mismatch")
    ap.add_argument("--check", action="store_true", help="exit 1 unless the targets are met")
    ap.add_argument("--jobs", type=int, default=min(8, os.cpu_count() or 2))
    args = ap.parse_args()

    binary = os.path.abspath(args.binary)
    if not os.access(binary, os.X_OK):
        usage_error("%s: not an executable" % args.binary)
    if not os.path.isdir(args.corpus):
        usage_error("%s: not a directory" % args.corpus)
    try:
        with open(args.config, encoding="utf-8") as f:
            config_text = f.read()
    except OSError as e:
        usage_error("%s: %s" % (args.config, e.strerror))
    cases = load_corpus(args.corpus)
    if not cases:
        usage_error("%s: no .eml files" % args.corpus)

    workroot = tempfile.mkdtemp(prefix="ig-accuracy-")
    try:
        # Run a private copy, so a rebuild during the run cannot change or
        # remove the binary under us.
        snapshot = os.path.join(workroot, os.path.basename(binary))
        try:
            shutil.copy2(binary, snapshot)
        except OSError as e:
            shutil.rmtree(workroot, ignore_errors=True)
            usage_error("%s: cannot copy: %s" % (args.binary, e.strerror or e))
        binary = snapshot
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            futures = [pool.submit(run_one, binary, config_text, eml, meta, workroot)
                       for _, eml, meta in cases]
            results = [f.result() for f in futures]
    finally:
        shutil.rmtree(workroot, ignore_errors=True)

    counts = {(f, k): Count() for f in FIELDS for k in KINDS}
    layered = {(f, k, fam): Count() for f in FIELDS for k in LAYERS for _, fam in FAMILIES}
    mismatches = {}
    failures = []
    for (base, _, meta), (record, error) in zip(cases, results):
        if meta.get("incident", True) is False:
            if record is not None:
                failures.append((base, "an incident was recorded for mail that reports nothing"))
            continue
        if error:
            failures.append((base, error))
        for field in FIELDS:
            if field not in meta["expect"]:
                continue
            exp = meta["expect"][field]
            got = predicted(record, field)
            eq = same(field, exp, got)
            counts[(field, meta["kind"])].add(exp, got, eq)
            if meta["kind"] in LAYERS:
                layered[(field, meta["kind"], family(meta))].add(exp, got, eq)
            if not eq:
                mismatches.setdefault(base, []).append((field, exp, got))

    per_kind = {k: sum(1 for c in cases if c[2]["kind"] == k) for k in KINDS}
    print("Incident Gateway accuracy: %d messages (%s)" % (
        len(cases), ", ".join("%s %d" % (k, per_kind[k]) for k in KINDS)))
    print("ingest failures: %d" % len(failures))
    for base, error in failures:
        print("  %s: %s" % (base, error))

    def total(field, kinds):
        c = Count()
        for k in kinds:
            c += counts[(field, k)]
        return c

    print()
    print(header("field (all kinds)"))
    for field in FIELDS:
        print(row(field, total(field, KINDS)))

    for kind in KINDS:
        if not per_kind[kind]:
            continue
        print()
        print(header("kind %s (%d)" % (kind, per_kind[kind])))
        for field in FIELDS:
            print(row(field, counts[(field, kind)]))

    print()
    print(header("overall", 30))
    for name, kinds in GROUPS:
        c = Count()
        for field in FIELDS:
            c += total(field, kinds)
        print(row(name, c, 30))
    for kind in LAYERS:
        for label, fam in FAMILIES:
            c = Count()
            for field in FIELDS:
                c += layered[(field, kind, fam)]
            print(row("%s: %s" % (kind, label), c, 30))

    # Targets.
    problems = ["%s: %s" % f for f in failures]
    problems += form_problems("form", lambda f: total(f, ["form"]))
    problems += text_problems("free_text+forward", lambda f: total(f, ["free_text", "forward"]))
    for kind in LAYERS:
        problems += form_problems("%s forms" % kind, lambda f, k=kind: layered[(f, k, "form")])
        problems += text_problems("%s free_text+forward" % kind,
                                  lambda f, k=kind: layered[(f, k, "text")])
    print()
    if problems:
        print("targets: %d not met" % len(problems))
        for p in problems:
            print("  " + p)
    else:
        print("targets: all met")

    if args.verbose and mismatches:
        print()
        print("mismatches (files with the most first): file, field, expected, got")
        for base in sorted(mismatches, key=lambda b: (-len(mismatches[b]), b)):
            for field, exp, got in mismatches[base]:
                print("  %s  %-17s expected %s  got %s" % (base, field, show_value(exp),
                                                          show_value(got)))

    if args.check and problems:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
