"""Your data to take with you: an account's export (a ZIP of JSON and its own documents)
and its import into a fresh account of another Preceptor."""
