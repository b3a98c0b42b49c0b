"""`python -m barenet` runs the command line."""

from barenet.cli import main

raise SystemExit(main())
