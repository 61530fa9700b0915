"""``python -m pi_scanner`` runs the command line."""

from pi_scanner.cli import main

main()
