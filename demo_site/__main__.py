"""``python -m demo_site`` is the same as ``python -m demo_site.server``."""

import sys

from .server import main

sys.exit(main())
