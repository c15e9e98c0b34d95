"""``python -m cooperation_cli``: the ``cooperation`` command."""

import sys

from . import main

sys.exit(main())
