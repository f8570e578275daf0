#!/usr/bin/env bash
# `make test`: see tests/run.py for what runs. Arguments pass through (--quick, --only RE,
# --jobs N, --no-build).
exec python3 "$(dirname "$0")/run.py" "$@"
