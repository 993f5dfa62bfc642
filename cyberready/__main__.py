"""``python -m cyberready`` runs the command line."""

from cyberready.cli import main

main()
