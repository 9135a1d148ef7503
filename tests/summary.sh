#!/bin/sh
# Prints one closing line for everything `make test` ran: meson tests of
# each build directory, and the cmocka cases inside them.
set -eu
python3 - "$@" <<'PY'
import json, os, re, sys
progs_ok = progs_fail = cases_ok = cases_fail = 0
for b in sys.argv[1:]:
    log = os.path.join(b, "meson-logs", "testlog.json")
    if not os.path.exists(log):
        continue
    for line in open(log):
        t = json.loads(line)
        if t.get("result") in ("OK", "EXPECTEDFAIL"):
            progs_ok += 1
        elif t.get("result") != "SKIP":
            progs_fail += 1
        out = t.get("stdout") or ""
        m = re.search(r"\[  PASSED  \] (\d+) test", out)
        if m:
            cases_ok += int(m.group(1))
        m = re.search(r"\[  FAILED  \] (\d+) test\(s\), listed", out)
        if m:
            cases_fail += int(m.group(1))
print(f"test programs: {progs_ok} passed, {progs_fail} failed "
      f"(normal and ASan/UBSan builds)")
print(f"cmocka: {cases_ok} passed, {cases_fail} failed")
sys.exit(1 if progs_fail or cases_fail else 0)
PY
