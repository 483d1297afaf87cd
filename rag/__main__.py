"""`python -m rag` is the `rag` command."""

import sys

from .serve.cli import main

sys.exit(main())
