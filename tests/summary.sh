#!/bin/sh
# Prints one closing line for everything `make test` ran: meson tests of
# each build directory, and the cmocka cases inside them.
set -eu
python3 - "$@" <<'PY'
import json, os, re, sys
progs_ok = progs_fail = progs_skip = cases_ok = cases_fail = 0
skipped = []
for b in sys.argv[1:]:
    log = os.path.join(b, "meson-logs", "testlog.json")
    if not os.path.exists(log):
        continue
    for line in open(log):
        t = json.loads(line)
        if t.get("result") in ("OK", "EXPECTEDFAIL"):
            progs_ok += 1
        elif t.get("result") == "SKIP":
            progs_skip += 1
            skipped.append(t.get("name", "?"))
        else:
            progs_fail += 1
    # cmocka prints its own summary on stderr, kept in testlog.txt only.
    txt = open(os.path.join(b, "meson-logs", "testlog.txt"),
               errors="replace").read()
    cases_ok += sum(int(n) for n in
                    re.findall(r"\[  PASSED  \] (\d+) test", txt))
    cases_fail += sum(int(n) for n in
                      re.findall(r"\[  FAILED  \] (\d+) test\(s\), listed", txt))
print(f"test programs: {progs_ok} passed, {progs_fail} failed, "
      f"{progs_skip} skipped (normal and ASan/UBSan builds)")
if skipped:
    print("skipped (not counted as passed): " + ", ".join(skipped))
print(f"cmocka: {cases_ok} passed, {cases_fail} failed")
sys.exit(1 if progs_fail or cases_fail else 0)
PY
