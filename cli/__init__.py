"""The `factmark` command line: argument parsing, batching, retries, atomic output files, the export
command; no UI of its own (the commands that open screens call `tui.app.make_app`).

- `cli.main`      the parser and the table of commands (each command's module is imported only
                  when it runs, so `factmark --help` and `factmark list` start fast)
- `cli.commands`  one module per command, `run_<command>(args, context) -> exit code`
- `cli.common`    what every command shares: who is working, which database, one-line errors
- `cli.output`    files that appear only once complete (`atomic_path`), and export outputs
- `cli.demo`      the sample corpus `factmark demo` builds a database from
"""
