#!/usr/bin/env python3
"""Fails when a Catch test case name would not survive ctest discovery.

catch_discover_tests turns the names into a CMake list: a ';' splits a name in two and
an unbalanced '[' or ']' merges it with its neighbours, and ctest then runs filters that
match no test case ("No tests ran", exit 0): the test case silently never runs.
Usage: check_test_names.py UNIT_TEST_BINARY
"""
import subprocess
import sys

# Catch exits with the number of names listed: the exit code says nothing here.
names = subprocess.run([sys.argv[1], "--list-test-names-only"],
                       capture_output=True, text=True).stdout.splitlines()
bad = [n for n in names if n and (";" in n or n.count("[") != n.count("]"))]
for n in bad:
    print(f"test case name ctest cannot run: {n!r} (no ';', balanced brackets)")
if not [n for n in names if n]:
    sys.exit("no test case names listed")
sys.exit(1 if bad else 0)
