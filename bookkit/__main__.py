"""python -m bookkit build|validate [table ...]: build derived tables / validate tables."""
import sys

from .data import main

raise SystemExit(main(sys.argv[1:]))
