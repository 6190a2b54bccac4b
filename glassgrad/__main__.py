"""``python -m glassgrad`` runs the command line."""

from glassgrad.cli import main

raise SystemExit(main())
