"""Sub-commands of the secondview command line, one module each (see cli.build_parser)."""
