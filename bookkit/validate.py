"""`python -m bookkit.validate [table ...]`: validate tables against their schemas."""
import sys

from .data import main

if __name__ == "__main__":
    raise SystemExit(main(["validate", *sys.argv[1:]]))
