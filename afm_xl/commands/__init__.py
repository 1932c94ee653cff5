"""One module per ``afm-xl`` sub-command.

Each module has ``add_parser(subparsers)`` (which sets ``func`` to its ``run``)
and ``run(args) -> int``. Modules import their heavy dependencies inside
``run`` so that ``afm-xl --help`` stays fast.
"""

#: sub-command modules, in the order ``afm-xl --help`` lists them
COMMANDS = (
    "lookup",
    "validate",
    "fill",
    "template",
    "login",
    "status",
    "cache",
    "config",
    "addin",
    "demo",
    "emulator",
)
