"""`python -m codegen`. A no-op `regenerate` is answered before the parser and the pipeline load."""

import sys

from codegen.fingerprint import answer_noop_quickly

if answer_noop_quickly(sys.argv[1:]):
    sys.exit(0)

from codegen.cli import main  # noqa: E402 - imported only when there is work to do

sys.exit(main())
