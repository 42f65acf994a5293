"""factmark's terminal user interface (Textual): `tui.app.make_app` builds the app the `factmark`
commands open (the command line itself is `cli/`)."""
