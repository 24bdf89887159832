"""`python -m codegen`. A no-op `regenerate` is answered before the parser and the pipeline load."""

import sys

# The guard matters: the pipeline's worker process re-imports this module under another name.
if __name__ == "__main__":
    from codegen.fingerprint import answer_noop_quickly

    if answer_noop_quickly(sys.argv[1:]):
        sys.exit(0)

    from codegen.cli import main

    sys.exit(main())
