"""Entry point of the bundled ``jlexam`` command (installer/jlexam.spec); the same as ``python -m jlexam``.

``freeze_support()`` comes first: the spawn workers of jlexam.documents.tickets start this executable again,
and in a frozen build it is what turns such a start into a worker instead of a second command.
"""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    from jlexam.cli import main

    sys.exit(main())
