"""`python -m codegen`, and the `codegen` console script. A no-op `regenerate` is answered before the parser
and the pipeline load."""

import sys


def run() -> int:
    """The command line: `codegen generate …`, `codegen regenerate`, … (see `codegen --help`)."""
    from codegen.fingerprint import answer_noop_quickly

    if answer_noop_quickly(sys.argv[1:]):
        return 0
    from codegen.cli import main

    return main()


# The guard matters: the pipeline's worker process re-imports this module under another name.
if __name__ == "__main__":
    sys.exit(run())
