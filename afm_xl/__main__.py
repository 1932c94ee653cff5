"""``python -m afm_xl`` runs the ``afm-xl`` command."""

import sys

from .cli import main

sys.exit(main())
