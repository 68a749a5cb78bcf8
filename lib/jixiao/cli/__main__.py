"""``python -m jixiao.cli …``: the same as the ``jixiao`` command."""

from jixiao.cli import main

main()
