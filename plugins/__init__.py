"""Built-in sector plugins; each is found through the `casedesk` entry-point group."""
