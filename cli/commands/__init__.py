"""One module per `factmark` command; each takes the parsed arguments and returns an exit code."""
