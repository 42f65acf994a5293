"""factmark's terminal user interface (Textual) and its command line."""
