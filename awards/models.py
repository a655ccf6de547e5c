"""Year-end awards: titles, proposals, council sessions with secret ballot, decisions (issue 6)."""
