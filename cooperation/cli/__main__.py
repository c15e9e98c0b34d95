"""``python -m cooperation.cli``: the same as the ``cooperation`` command."""

import sys

from . import main

sys.exit(main())
