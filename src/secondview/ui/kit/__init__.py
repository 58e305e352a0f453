"""The widget kit: our own light stand-ins for Textual widgets that cost too much in a pane
switch or a long list (cursor rows, the table, the footer, the tabs, lazily drawn blocks).
One class per module, named after it; none knows about cases. README.md names, for each,
the Textual behaviour it replaces and the figure that justified it."""
