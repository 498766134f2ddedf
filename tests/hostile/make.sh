#!/usr/bin/env bash
# Regenerates the hostile test files in this folder. Needs python3 and qpdf
# (Debian: apt-get install python3 qpdf). The files are committed: the tests never run this.
# Expected statuses are in expected.toml; tests/hostile.rs runs them all in one batch.
set -euo pipefail
cd "$(dirname "$0")"

python3 make.py

# Encrypted copies of text.pdf: AES-256 without and with a user password. --static-id and
# --static-aes-iv fix what they can; the file key is still random, so these two files differ
# from run to run (everything else is byte-for-byte reproducible).
qpdf --static-id --static-aes-iv --encrypt "" owner-secret 256 -- text.pdf encrypted-empty-password.pdf
qpdf --static-id --static-aes-iv --encrypt user-secret owner-secret 256 -- text.pdf encrypted-user-password.pdf
# Every page rotated by 90 degrees.
qpdf --static-id --rotate=+90 text.pdf rotated.pdf
# Object streams and a cross-reference stream instead of a classic xref table.
qpdf --static-id --object-streams=generate text.pdf object-streams.pdf
ls -l
