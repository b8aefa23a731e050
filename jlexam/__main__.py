"""``python -m jlexam`` is the ``jlexam`` command."""

import sys

from jlexam.cli import main

sys.exit(main())
