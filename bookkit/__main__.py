"""python -m bookkit build|validate|datapackage [table ...]

build        rebuild derived tables from their declared inputs, then validate every table
validate     validate every table (or the named ones) and the foreign keys between them
datapackage  write datapackage.json (Frictionless Data Package v2) from the schemas
"""
import sys

from .validate import DatasetError


def main(argv: list[str]) -> int:
    cmd, names = (argv[0] if argv else "validate"), argv[1:]
    try:
        if cmd == "build":
            from .derive import build

            for line in build(names):
                print("built", line)
            cmd = "validate"
        if cmd == "validate":
            from .validate import validate_all

            for name, n in validate_all(names).items():
                print(f"ok  {name}: {n} rows")
        elif cmd == "datapackage":
            from .pages.datapackage import write

            print("wrote", write())
        else:
            print(__doc__, file=sys.stderr)
            return 2
    except DatasetError as err:
        print(err, file=sys.stderr)
        return 1
    return 0


raise SystemExit(main(sys.argv[1:]))
