"""`python -m templategen` is the same as the `templategen` command."""

import sys

from templategen.cli import main

sys.exit(main())
