"""Entry point of the bundled ``jlexam-gui`` desktop program (installer/jlexam.spec); ``ui.app.main``.

``freeze_support()`` comes first: the spawn workers of jlexam.documents.tickets start this executable again,
and in a frozen build it is what turns such a start into a worker instead of a second window.
``jlexam_bundle_probe`` does nothing unless the bundle test sets JLEXAM_BUNDLE_PROBE.
"""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    import jlexam_bundle_probe

    from ui.app import main

    jlexam_bundle_probe.install()
    sys.exit(main())
